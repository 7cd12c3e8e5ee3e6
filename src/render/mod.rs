//! Rendering: typed view structs for the templates, one function per kind of page.
//!
//! Every page gets `root`, the relative path back to the site's top (`""`, `"../../"`),
//! so all links are relative and end in `index.html`: the output works from `file://`
//! and from a USB stick.
//!
//! - [`view`]: the view structs templates see, built from the checked content
//! - [`context`]: [`Ctx`] (what every renderer works from), [`Html`], [`GuidePass`]
//! - [`office`]: an office's parts put into the pages every office shares
//! - the site render ([`site()`], [`site_with`], [`site_into`], in `site.rs`), which
//!   renders each guide's page with its printables ([`mod@print`]) and kiosk part ([`kiosk`])

pub mod cache;
pub mod context;
pub mod kiosk;
pub mod manifest;
pub mod office;
pub mod offices;
pub mod print;
pub mod qr;
mod rebuild;
pub mod search;
pub mod sink;
mod site;
pub mod theme;
pub mod view;

pub use context::{Ctx, GuidePass, Html};
pub use site::{Built, Rendered, site, site_build, site_into, site_planned, site_with};
pub use view::{
    CategoryView, DocView, FieldView, GuideLink, GuideView, LinkView, ShotView, SiteView,
    SourceView, StepView, guide_url, guide_view, guide_view_with, media_url,
};

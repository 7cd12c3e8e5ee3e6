//! camnang ("cẩm nang", handbook): procedure guides written in YAML/Markdown become an
//! offline website, printable leaflets and QR codes that open the procedure on the
//! national public-service portal.
//!
//! The pipeline, top to bottom (see [`site`]):
//!
//! ```text
//!  load ──────────► parse ─────────► validate ──────────► render ─────────► write
//!  load.rs          yaml.rs          guide.rs, site.rs     render.rs        write.rs
//!  (UTF-8, NFC,     (the only YAML,  (all problems with    (typed views,    (staging dir,
//!   paths)           positions)       file:line:col)        tera, QR)        changed files)
//! ```
//!
//! Everything the binary does is reachable from here: [`site::build`] and
//! [`site::load_content`] are what `camnang build` and `camnang check` call.

pub mod check;
pub mod cli;
pub mod config;
#[doc(hidden)]
pub mod corpus;
pub mod error;
pub mod guide;
pub mod help;
pub mod i18n;
pub mod incremental;
pub mod kiosk;
pub mod load;
pub mod markdown;
pub mod pdf;
pub mod portal;
pub mod print;
pub mod qr;
pub mod render;
pub mod scaffold;
pub mod schema;
pub mod search;
pub mod serve;
pub mod site;
pub mod theme;
pub mod vn;
pub mod write;
pub mod yaml;
mod yaml_errors;

pub use error::{Diagnostic, Diagnostics, Error};
pub use site::{BuildOptions, Report, build, load_content};

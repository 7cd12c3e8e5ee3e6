//! camnang ("cẩm nang", handbook): procedure guides written in YAML/Markdown become an
//! offline website, printable leaflets and QR codes that open the procedure on the
//! national public-service portal.
//!
//! The pipeline, top to bottom, one folder per stage (see `docs/architecture.md`):
//!
//! ```text
//!  commands/   build, check, serve, init/new, help, links (online): drive the stages below
//!     │
//!  output/     rendered files → disk: staging and atomic swap, PDF, zip
//!     │
//!  render/     checked data → files: views, pages, printables, kiosk, search, QR, theme,
//!     │        the page cache
//!  content/    files → checked data: files (UTF-8, NFC, paths), YAML, schema, guides,
//!     │        site.yaml, portal URLs, Markdown, cross-file checks, authoring warnings
//!  basics      error, i18n, vn (Vietnamese text), progress: import nothing of the above
//! ```
//!
//! Imports point down only (`tests/layers.rs` checks it). Everything the binary does is
//! reachable from here: [`build`] and [`load_content`] are what `camnang build` and
//! `camnang check` call.

pub mod commands;
pub mod content;
#[doc(hidden)]
pub mod corpus;
pub mod error;
pub mod i18n;
pub mod output;
pub mod progress;
pub mod render;
pub mod vn;

pub use commands::build::{BuildOptions, Report, build};
pub use content::load_content;
pub use error::{Diagnostic, Diagnostics, Error};

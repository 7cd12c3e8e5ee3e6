//! Printables: A4 and A5 leaflets, QR posters, category QR cards and the booklet
//! (issue #4). Each is print-ready HTML with its own `@page` rules.
//!
//! Output paths (all relative to the site's top):
//! - `print/index.html`                    every printable with a print link
//! - `print/<slug>/a4/index.html`          A4 leaflet, one sheet, one side
//! - `print/<slug>/a5/index.html`          A5 leaflet of the essentials
//! - `print/<slug>/poster/index.html`      A4 notice-board QR poster
//! - `print/categories/<id>/index.html`    one sheet of QR cards for a category
//! - `print/booklet/index.html`            every guide, with a table of contents

use crate::error::{Diagnostic, Error};
use crate::render::{Ctx, GuideView};
use crate::site::Content;
use crate::write::OutputFile;

/// Printable files, and warnings such as "this guide will not fit on one A4 sheet".
pub struct Printed {
    pub files: Vec<OutputFile>,
    pub warnings: Vec<Diagnostic>,
}

/// Path of a guide's A4 leaflet, relative to the site's top.
pub fn a4_url(slug: &str) -> String {
    format!("print/{slug}/a4/index.html")
}

pub fn render(_ctx: &Ctx<'_>) -> Result<Printed, Error> {
    Ok(Printed {
        files: Vec::new(),
        warnings: estimate(_ctx.content),
    })
}

/// Warnings for guides whose A4 leaflet will likely not fit on one sheet (used by `build`
/// and by `check`, which renders nothing).
pub fn estimate(_c: &Content) -> Vec<Diagnostic> {
    Vec::new()
}

/// The A4 leaflet of one guide as a standalone HTML document. It refers to nothing but
/// `{root}assets/…` and `{root}media/…`, so the kiosk can place copies of it in its own
/// folder with its own `root`.
pub fn leaflet_a4(_ctx: &Ctx<'_>, v: &GuideView<'_>, _root: &str) -> Result<String, Error> {
    Ok(format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>{}</title></head><body></body></html>",
        v.title
    ))
}

//! Printables: A4 and A5 leaflets, QR posters, category QR cards and the booklet
//! (issue #4). Each is print-ready HTML with its own `@page` rules.

use crate::error::{Diagnostic, Error};
use crate::render::Ctx;
use crate::write::OutputFile;

/// Printable files, and warnings such as "this guide will not fit on one A4 sheet".
pub struct Printed {
    pub files: Vec<OutputFile>,
    pub warnings: Vec<Diagnostic>,
}

pub fn render(_ctx: &Ctx<'_>) -> Result<Printed, Error> {
    Ok(Printed {
        files: Vec::new(),
        warnings: Vec::new(),
    })
}

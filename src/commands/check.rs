//! `camnang check`: every error of the build and the authoring warnings, without
//! rendering or writing anything.
//!
//! The warnings are those of [`crate::content::review`] (also shown by `build`), a
//! leaflet that will likely not fit on one A4 sheet ([`crate::render::print::estimate`])
//! and QR links not checked lately by `camnang links` ([`crate::content::links::warnings`]).
//!
//! [`to_json`] is the machine-readable form (`check --format json`); its schema is
//! documented in `docs/format.md` ("check --format json") and versioned by `version`.

use std::path::Path;

use crate::content::guide::Date;
use crate::content::load_content;
use crate::error::{Diagnostics, Severity, display_path};
use crate::i18n::Lang;

/// Version of the JSON schema of [`to_json`]; raised only on incompatible changes.
pub const JSON_VERSION: u32 = 1;

/// The result of [`run`].
#[derive(Debug, Clone, Default)]
pub struct Checked {
    /// Number of guide files that loaded (0 when the site has errors).
    pub guides: usize,
    /// Errors and warnings, sorted by file and position.
    pub diagnostics: Diagnostics,
}

impl Checked {
    /// `true` when nothing fails: no errors (with `strict`, warnings were made errors).
    pub fn ok(&self) -> bool {
        !self.diagnostics.has_errors()
    }
}

/// Checks the content folder `root`: all build errors plus the warnings of this module.
/// With `strict`, warnings become errors. Nothing is rendered or written.
pub fn run(root: &Path, strict: bool) -> Checked {
    run_on(root, strict, None)
}

/// [`run`] as if on the day `today` (`check --today`): it decides which guides apply
/// already (`effective_from`) and how long ago a guide was reviewed.
pub fn run_on(root: &Path, strict: bool, today: Option<Date>) -> Checked {
    let mut out = match load_content(root) {
        Ok(mut c) => {
            if let Some(t) = today {
                c.today = t;
            }
            let mut d = c.warnings.clone();
            d.extend(crate::content::review::warnings(&c));
            d.extend(crate::render::print::estimate(&c));
            d.extend(crate::content::links::warnings(&c, Date::today()));
            Checked {
                guides: c.guides.len(),
                diagnostics: d,
            }
        }
        Err(d) => Checked {
            guides: 0,
            diagnostics: d,
        },
    };
    out.diagnostics.sort();
    if strict {
        for d in &mut out.diagnostics.0 {
            d.severity = Severity::Error;
        }
    }
    out
}

/// The machine-readable report of `check --format json` (schema version [`JSON_VERSION`]).
/// `root` is the content folder as typed, prefixed to every `file`.
pub fn to_json(c: &Checked, root: &Path, lang: Lang) -> serde_json::Value {
    serde_json::json!({
        "version": JSON_VERSION,
        "ok": c.ok(),
        "guides": c.guides,
        "errors": c.diagnostics.errors(),
        "warnings": c.diagnostics.warnings(),
        "diagnostics": c.diagnostics.0.iter().map(|d| serde_json::json!({
            "severity": d.severity,
            "file": display_path(root, &d.file),
            "line": d.pos.line,
            "column": d.pos.col,
            "key": d.key,
            "message": d.message.get(lang),
            "hint": d.hint.get(lang),
        })).collect::<Vec<_>>(),
    })
}

//! QR codes as inline SVG (the `qrcode` crate, `svg` feature only).
//!
//! The SVG is sized by its `viewBox` (one unit per module, 4-module quiet zone included),
//! so CSS sets its printed size in millimetres.

use qrcode::render::svg;
use qrcode::{EcLevel, QrCode};

/// Error-correction level of the printed codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub enum Ecc {
    M,
    #[default]
    Q,
    H,
}

impl Ecc {
    pub fn parse(s: &str) -> Option<Ecc> {
        match s.trim().to_ascii_uppercase().as_str() {
            "M" => Some(Ecc::M),
            "Q" => Some(Ecc::Q),
            "H" => Some(Ecc::H),
            _ => None,
        }
    }
    fn level(self) -> EcLevel {
        match self {
            Ecc::M => EcLevel::M,
            Ecc::Q => EcLevel::Q,
            Ecc::H => EcLevel::H,
        }
    }
}

/// A QR code ready to inline.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Qr {
    /// `<svg …>…</svg>` without an XML declaration.
    pub svg: String,
    /// Modules per side, quiet zone included.
    pub modules: usize,
}

/// Encodes `data` (a checked portal URL). Fails only for data too long for any QR version.
pub fn encode(data: &str, ecc: Ecc, label: &str) -> Result<Qr, String> {
    let code = QrCode::with_error_correction_level(data.as_bytes(), ecc.level())
        .map_err(|e| e.to_string())?;
    let modules = code.width() + 8;
    let raw = code
        .render::<svg::Color<'_>>()
        .quiet_zone(true)
        .module_dimensions(1, 1)
        .dark_color(svg::Color("#000"))
        .light_color(svg::Color("#fff"))
        .build();
    // Drop the XML declaration and the fixed size; keep the viewBox.
    let start = raw.find("<svg").unwrap_or(0);
    let body = &raw[start..];
    let tag_end = body.find('>').unwrap_or(0);
    let rest = &body[tag_end + 1..];
    let label = html_escape(label);
    let svg = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="qr" viewBox="0 0 {modules} {modules}" shape-rendering="crispEdges" role="img" aria-label="{label}">{rest}"#
    );
    Ok(Qr { svg, modules })
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn svg_has_viewbox_and_no_declaration() {
        let q = encode("https://dichvucong.gov.vn/", Ecc::Q, "QR \"x\"").unwrap();
        assert!(q.svg.starts_with("<svg "));
        assert!(
            q.svg
                .contains(&format!("viewBox=\"0 0 {0} {0}\"", q.modules))
        );
        assert!(q.svg.contains("aria-label=\"QR &quot;x&quot;\""));
        assert!(q.svg.ends_with("</svg>"));
    }
}

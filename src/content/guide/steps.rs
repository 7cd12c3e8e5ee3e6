//! Reading steps and their screenshots: the image checks (inside the content folder, a
//! supported format) and the image's pixel size.

use std::path::Path;

use crate::content::guide::{IMAGE_EXTENSIONS, Rect, Screenshot, Step, check_content_path};
use crate::content::schema::{Obj, Reader};
use crate::content::yaml::Node;
use crate::error::Pos;
use crate::tx;

/// Reads one YAML step (`steps[N]`).
pub(super) fn read_step(root: &Path, r: &mut Reader, n: &Node, path: &str) -> Option<Step> {
    let mut s = r.obj(n, path)?;
    let step = Step {
        title: s.req_text(r, "title").unwrap_or_default(),
        short: s.opt_text(r, "short"),
        text: s.req_text(r, "text").unwrap_or_default(),
        screenshot: match s.get("screenshot") {
            Some(sn) => read_screenshot(root, r, sn, &s.child("screenshot")),
            None => None,
        },
        pos: Pos::default(),
    };
    s.finish(r, &["title", "short", "text", "screenshot"]);
    Some(step)
}

/// Reads `screenshot:` and checks its image: alt text, inside the content folder, a
/// supported format. Measures the file and its pixel size.
fn read_screenshot(root: &Path, r: &mut Reader, n: &Node, path: &str) -> Option<Screenshot> {
    let mut o: Obj<'_> = r.obj(n, path)?;
    let src_pos = o.pos_of("src");
    let src = o.req_text(r, "src");
    let alt = o.opt_text(r, "alt");
    if alt.is_none() {
        r.error(
            o.pos_of("alt"),
            &o.child("alt"),
            tx!("the screenshot has no alt text", "ảnh chụp màn hình chưa có mô tả (alt)"),
            tx!(
                "describe what the picture shows for people who cannot see it, e.g. `alt: Nút \"Nộp hồ sơ\" màu xanh ở cuối trang`",
                "mô tả ảnh cho người không nhìn thấy, ví dụ `alt: Nút \"Nộp hồ sơ\" màu xanh ở cuối trang`"
            ),
        );
    }
    let caption = o.opt_text(r, "caption");
    let print = o.bool_or(r, "print", false);
    let highlight = match o.get("highlight") {
        Some(h) => r.obj(h, &o.child("highlight")).map(|mut h| {
            let rect = Rect {
                x: h.number_or(r, "x", 0.0, 0.0, 100.0),
                y: h.number_or(r, "y", 0.0, 0.0, 100.0),
                width: h.number_or(r, "width", 10.0, 0.5, 100.0),
                height: h.number_or(r, "height", 10.0, 0.5, 100.0),
            };
            h.finish(r, &["x", "y", "width", "height"]);
            rect
        }),
        None => None,
    };
    let key = o.child("src");
    o.finish(r, &["src", "alt", "caption", "highlight", "print"]);
    let src = src?;
    let full = check_content_path(root, r, &src, src_pos, &key)?;
    let ext = Path::new(&src)
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    if !IMAGE_EXTENSIONS.contains(&ext.as_str()) {
        r.error(
            src_pos,
            &key,
            tx!(
                "`{}` is not a supported image",
                "`{}` không phải loại ảnh được hỗ trợ",
                src
            ),
            tx!(
                "use PNG, JPEG, WebP or SVG",
                "dùng ảnh PNG, JPEG, WebP hoặc SVG"
            ),
        );
        return None;
    }
    let bytes = std::fs::metadata(&full).map_or(0, |m| m.len());
    let (width, height) = image_size(&full, &ext);
    Some(Screenshot {
        src,
        alt: alt.unwrap_or_default(),
        caption,
        highlight,
        print,
        width,
        height,
        bytes,
        pos: src_pos,
    })
}

/// Pixel size of an image (for SVG: from its viewBox or width/height).
fn image_size(path: &Path, ext: &str) -> (Option<u32>, Option<u32>) {
    if ext == "svg" {
        let Ok(text) = std::fs::read_to_string(path) else {
            return (None, None);
        };
        return svg_size(&text);
    }
    match imagesize::size(path) {
        Ok(s) => (Some(s.width as u32), Some(s.height as u32)),
        Err(_) => (None, None),
    }
}

/// The size of an SVG from the `viewBox`, else the `width` and `height`, of its `<svg>` tag.
fn svg_size(text: &str) -> (Option<u32>, Option<u32>) {
    let Some(start) = text.find("<svg") else {
        return (None, None);
    };
    let tag = &text[start..text[start..].find('>').map_or(text.len(), |e| start + e)];
    let attr = |name: &str| {
        let i = tag.find(&format!(" {name}=\""))? + name.len() + 3;
        let end = tag[i..].find('"')? + i;
        Some(tag[i..end].to_string())
    };
    if let Some(vb) = attr("viewBox") {
        let nums: Vec<f64> = vb
            .split([' ', ','])
            .filter_map(|s| s.parse().ok())
            .collect();
        if nums.len() == 4 {
            return (Some(nums[2] as u32), Some(nums[3] as u32));
        }
    }
    let num = |s: Option<String>| {
        s.and_then(|v| v.trim_end_matches("px").parse::<f64>().ok())
            .map(|v| v as u32)
    };
    (num(attr("width")), num(attr("height")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn svg_sizes() {
        assert_eq!(
            svg_size(r#"<svg xmlns="x" viewBox="0 0 800 500">"#),
            (Some(800), Some(500))
        );
        assert_eq!(
            svg_size(r#"<svg width="40px" height="30">"#),
            (Some(40), Some(30))
        );
    }
}

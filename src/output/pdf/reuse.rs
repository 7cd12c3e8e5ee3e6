//! Which PDFs of the previous output can be kept: a printable's PDF depends only on the
//! printable's HTML, the files it loads (style sheets, images, fonts, and what those load
//! in turn) and the browser. When all of these are byte for byte the same in the new output
//! as in the previous one, and the previous PDF was made by the same major version of the
//! browser, printing again would give the same bytes: the previous PDF is taken instead.

use std::collections::BTreeSet;
use std::path::Path;

use super::Job;
use super::printing::find_bytes;

/// Whether `job`'s printable and everything it loads are the same in `new` as in
/// `previous`, and `previous` holds a complete PDF of it: then the browser that made that
/// PDF (its `/Producer`).
pub fn unchanged(previous: &Path, new: &Path, job: &Job) -> Option<String> {
    let old_pdf = std::fs::read(previous.join(&job.pdf)).ok()?;
    if !old_pdf.starts_with(b"%PDF-") || !old_pdf.trim_ascii_end().ends_with(b"%%EOF") {
        return None;
    }
    let key = b"/Producer (";
    let at = find_bytes(&old_pdf, key)? + key.len();
    let len = old_pdf[at..].iter().position(|&b| b == b')')?;
    let producer = String::from_utf8(old_pdf[at..at + len].to_vec()).ok()?;
    inputs(new, &job.html)
        .iter()
        .all(|rel| same(previous, new, rel))
        .then_some(producer)
}

/// Puts the previous PDF of `job` into `new` (a hard link, else a copy).
pub fn take(previous: &Path, new: &Path, job: &Job) -> bool {
    let (from, to) = (previous.join(&job.pdf), new.join(&job.pdf));
    let _ = std::fs::remove_file(&to);
    std::fs::hard_link(&from, &to).is_ok() || std::fs::copy(&from, &to).is_ok()
}

/// Whether `rel` has the same bytes in both folders (or is missing from both).
fn same(previous: &Path, new: &Path, rel: &str) -> bool {
    let (a, b) = (previous.join(rel), new.join(rel));
    match (std::fs::metadata(&a), std::fs::metadata(&b)) {
        (Ok(ma), Ok(mb)) => {
            ma.is_file()
                && mb.is_file()
                && ma.len() == mb.len()
                && matches!((std::fs::read(&a), std::fs::read(&b)), (Ok(x), Ok(y)) if x == y)
        }
        (Err(_), Err(_)) => true,
        _ => false,
    }
}

/// The printable `html` (relative to `root`) and every local file it loads, directly or
/// through a style sheet, SVG or frame, as paths relative to `root`.
pub fn inputs(root: &Path, html: &str) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut todo = vec![html.to_string()];
    while let Some(rel) = todo.pop() {
        if !seen.insert(rel.clone()) {
            continue;
        }
        let loads_more = [".html", ".htm", ".css", ".svg"]
            .iter()
            .any(|ext| rel.ends_with(ext));
        if !loads_more {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(root.join(&rel)) else {
            continue;
        };
        todo.extend(
            references(&text)
                .into_iter()
                .filter_map(|r| resolve(&rel, &r)),
        );
    }
    seen
}

/// The URLs in `text` that make a browser load something: attribute values (`src`,
/// `href` but for links to pages and PDFs, `xlink:href`, `srcset`, `poster`, `data`) and
/// CSS `url(…)` and `@import`.
fn references(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attr in ["src=", "href=", "srcset=", "poster=", "data=", "@import "] {
        let mut rest = text;
        while let Some(i) = rest.find(attr) {
            rest = &rest[i + attr.len()..];
            let Some(q) = rest.chars().next().filter(|c| *c == '"' || *c == '\'') else {
                continue;
            };
            let Some(end) = rest[1..].find(q) else { break };
            let value = &rest[1..1 + end];
            if attr == "href=" && is_link(value) {
                continue;
            }
            if attr == "srcset=" {
                out.extend(
                    value
                        .split(',')
                        .filter_map(|c| c.split_whitespace().next())
                        .map(str::to_string),
                );
            } else {
                out.push(value.to_string());
            }
        }
    }
    let mut rest = text;
    while let Some(i) = rest.find("url(") {
        rest = &rest[i + 4..];
        let Some(end) = rest.find(')') else { break };
        let v = rest[..end].trim().trim_matches(|c| c == '"' || c == '\'');
        out.push(v.to_string());
    }
    out
}

/// A link to a page or a PDF (followed by a reader, not loaded to print).
fn is_link(value: &str) -> bool {
    let path = value.split(['#', '?']).next().unwrap_or_default();
    path.is_empty()
        || [".html", ".htm", ".pdf", "/"]
            .iter()
            .any(|e| path.ends_with(e))
}

/// `reference` found in the file `from` (both relative to the output folder), as a path
/// relative to the output folder; `None` for other sites, `data:` URLs and fragments.
fn resolve(from: &str, reference: &str) -> Option<String> {
    let reference = reference.replace("&amp;", "&");
    let base = url::Url::parse("http://site.invalid/")
        .ok()?
        .join(from)
        .ok()?;
    let u = base.join(&reference).ok()?;
    if u.scheme() != "http" || u.host_str() != Some("site.invalid") || reference.starts_with('#') {
        return None;
    }
    let path = percent_encoding::percent_decode_str(u.path().trim_start_matches('/'))
        .decode_utf8()
        .ok()?
        .into_owned();
    (!path.is_empty()).then_some(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_and_resolution() {
        let html = r##"<link rel="stylesheet" href="../../assets/print.css">
<a href="../../guides/x/index.html">x</a><a href="#top">t</a><a href="x-a4.pdf">p</a>
<img src="../../media/images/x/a%20b.svg"><img src='https://portal.example/q.png'>
<img src="data:image/png;base64,AA"><img srcset="s1.png 1x, s2.png 2x">"##;
        let refs: Vec<String> = references(html)
            .iter()
            .filter_map(|r| resolve("print/x/a4.html", r))
            .collect();
        assert_eq!(
            refs,
            [
                "media/images/x/a b.svg",
                "assets/print.css",
                "print/x/s1.png",
                "print/x/s2.png"
            ]
        );
        let css = "@font-face{src:url(fonts/a.woff2) format('woff2')} @import \"more.css\"; b{background:url('../img/b.png')}";
        let refs: Vec<String> = references(css)
            .iter()
            .filter_map(|r| resolve("assets/print.css", r))
            .collect();
        assert_eq!(
            refs,
            ["assets/more.css", "assets/fonts/a.woff2", "img/b.png"]
        );
    }
}

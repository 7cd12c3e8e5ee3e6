//! The kiosk: a self-contained touch-screen site under `kiosk/` with Vietnamese search
//! (issue #5).
//!
//! One page and data files, so that it opens from `file://` (where `fetch` of JSON fails)
//! and stays small with thousands of guides:
//!
//! ```text
//! kiosk/index.html              the app: home, search, topics, guide view
//! kiosk/search-index.js         CamnangSearch.index({…}): the search index (src/render/search.rs),
//!                               also loaded by the site's search (`site-search.js`)
//! kiosk/guides/<n>.js           Kiosk.put(slug, "<article>…", "<!doctype html>…"); for each
//!                               guide of group n (GROUP guides in site order): its page
//!                               and A4 leaflet (print::kiosk_leaflet), loaded on demand
//! kiosk/assets/…                copies of all theme statics (kiosk css/js, fonts, leaflet css)
//! kiosk/media/…                 copies of the screenshots
//! ```
//!
//! Print puts the leaflet into a hidden frame (`srcdoc`, so its relative links resolve
//! against `kiosk/index.html`: root `""`) where it prints itself: the printer gets the
//! leaflet, not the kiosk screen, and there is no extra file per guide.
//!
//! The folder refers to nothing outside itself, so it can be copied alone to a USB stick
//! (`--zip` writes `kiosk.zip`, see [`crate::output::zip`]). Portal links appear as QR codes only; links
//! to the outside in guide text become plain text.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::error::Error;
use crate::render::cache::{PageCache, PageKey};
use crate::render::context::{Ctx, GuidePass};
use crate::render::search;
use crate::render::sink::{Data, OutputFile};
use crate::render::view::{media, media_url};

/// The folder of the kiosk in the output.
pub const DIR: &str = "kiosk";

/// Where the search index is in the output.
pub const SEARCH_INDEX_URL: &str = "kiosk/search-index.js";

#[derive(Serialize)]
struct HomePage {
    idle_seconds: u32,
    /// Guides per file of `kiosk/guides/` ([`GROUP`]).
    group: usize,
    strings_json: String,
}

/// Added to each leaflet: in the kiosk's hidden print frame it prints itself once loaded
/// and tells the kiosk when done.
const AUTO_PRINT: &str = "<script>addEventListener('load',function(){addEventListener('afterprint',function(){parent.postMessage('camnang-printed','*')});setTimeout(function(){window.print()},30)})</script>";

/// The search index of the site's guides (`kiosk/search-index.js`); it needs the content
/// only, so it is made while the guides' pages are rendered.
pub fn index_js(content: &crate::content::Content, cache: Option<&PageCache>) -> String {
    let cats: Vec<&str> = content
        .site
        .categories
        .iter()
        .map(|c| c.id.as_str())
        .collect();
    search::index_js_with(&content.guides, &cats, &content.site.synonyms, cache)
}

/// The files of `kiosk/`, with the search index `index_js` (see [`index_js`]; `None`: a
/// rebuild keeps the previous one).
pub fn render(ctx: &Ctx<'_>, index_js: Option<String>) -> Result<(), Error> {
    let sink = ctx.sink;
    // UI strings the script needs (all `kiosk_*` keys plus a few shared ones).
    let strings: BTreeMap<&str, &str> = ctx
        .theme
        .strings
        .iter()
        .filter(|(k, _)| k.starts_with("kiosk_") || matches!(k.as_str(), "step" | "steps"))
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let home = HomePage {
        idle_seconds: ctx.site.common.idle_seconds,
        group: GROUP,
        strings_json: serde_json::to_string(&strings)
            .unwrap_or_default()
            .replace("</", "<\\/"),
    };
    sink.put(
        ctx.page("kiosk/index.html", "", home)?
            .into_file(format!("{DIR}/index.html")),
    )?;

    if let Some(index_js) = index_js {
        sink.put(OutputFile::bytes(SEARCH_INDEX_URL, index_js))?;
    }

    for (name, bytes) in &ctx.theme.statics {
        sink.put(OutputFile::bytes(
            format!("{DIR}/assets/{name}"),
            bytes.clone(),
        ))?;
    }
    let c = ctx.content;
    for (src, path) in media(c) {
        sink.put(OutputFile {
            path: format!("{DIR}/{}", media_url(&src)),
            data: Data::Copy(path),
        })?;
    }
    Ok(())
}

/// Guides per file of `kiosk/guides/`: the kiosk loads the file of a guide's group when
/// the guide is opened. Fewer, larger files than one per guide (at 5,000 guides, creating
/// the files was a large part of a build); a group's file is about half a megabyte.
pub const GROUP: usize = 16;

/// Path of the kiosk file of group `n` (guides `n * GROUP ..` in site order).
pub fn group_url(n: usize) -> String {
    format!("{DIR}/guides/{n}.js")
}

/// With a cache (`serve`): the cache and the key of group `n`'s file, which depends on its
/// guides' views and fits (`fits`). The file is its guides' parts ([`guide_js`]) joined.
pub fn group_key<'c>(
    ctx: &Ctx<'c>,
    n: usize,
    fits: &[crate::render::print::Fit],
) -> Option<(&'c PageCache, PageKey)> {
    let first = n * GROUP;
    let members: Vec<(u128, u8)> = fits
        .iter()
        .enumerate()
        .map(|(j, f)| {
            (
                ctx.view_hashes.get(first + j).copied().unwrap_or(0),
                f.level(),
            )
        })
        .collect();
    ctx.key("kiosk/guides.js", "", &(n, members))
}

/// The pass's guide in the kiosk: `Kiosk.put(slug, fragment, leaflet);`, its fragment for
/// the kiosk page and its A4 leaflet `a4` (as printed from `print/`, made relative to the
/// kiosk's top by [`crate::render::print::kiosk_leaflet`]).
pub fn guide_js(pass: &mut GuidePass<'_, '_>, a4: &str) -> Result<String, Error> {
    let frag = pass.render_part("kiosk/guide.html", "")?;
    let leaflet = crate::render::print::kiosk_leaflet(a4);
    Ok(put_js(pass.view.slug, &frag, &leaflet))
}

/// `Kiosk.put(slug, fragment, leaflet);` of one guide.
fn put_js(slug: &str, frag: &str, leaflet: &str) -> String {
    let frag = kiosk_html(frag);
    let leaflet = match leaflet.rfind("</body>") {
        Some(i) => format!("{}{AUTO_PRINT}{}", &leaflet[..i], &leaflet[i..]),
        None => format!("{leaflet}{AUTO_PRINT}"),
    };
    let parts = [
        "Kiosk.put(",
        &js_string(slug),
        ",",
        &js_string(&frag.replace(" xmlns=\"http://www.w3.org/2000/svg\"", "")),
        ",",
        &js_string(&leaflet),
        ");\n",
    ];
    // Exactly sized.
    let mut js = String::with_capacity(parts.iter().map(|p| p.len()).sum());
    for p in parts {
        js.push_str(p);
    }
    js
}

/// Rewrites a guide fragment rendered for the site (links relative to `../../`) for the
/// kiosk page: images from `media/`, links to guides open in the kiosk, every other link
/// (portal, sources, phone numbers) becomes plain text.
pub fn kiosk_html(html: &str) -> String {
    let html = html.replace("src=\"../../media/", "src=\"media/");
    let mut out = String::with_capacity(html.len());
    let mut open: Vec<bool> = Vec::new(); // per open <a>: kept as a link?
    // One scan from `<` to `<`: opening `<a ` and closing `</a>` tags are rewritten.
    let mut copied = 0;
    let mut at = 0;
    while let Some(j) = html[at..].find('<') {
        let i = at + j;
        let rest = &html[i..];
        if rest.starts_with("<a ") {
            let Some(end) = rest.find('>') else {
                break;
            };
            let tag = &rest[..end + 1];
            out.push_str(&html[copied..i]);
            let href = attr(tag, "href").unwrap_or_default();
            if let Some(slug) = href
                .strip_prefix("../../guides/")
                .and_then(|h| h.split('/').next())
            {
                out.push_str(&format!(
                    "<a href=\"#g/{slug}\" data-guide=\"{slug}\" class=\"k-inline\">"
                ));
                open.push(true);
            } else if href.starts_with('#') && !href.starts_with("#g/") {
                out.push_str(tag);
                open.push(true);
            } else {
                out.push_str("<span class=\"k-ext\">");
                open.push(false);
            }
            at = i + end + 1;
            copied = at;
        } else if rest.starts_with("</a>") {
            out.push_str(&html[copied..i]);
            out.push_str(if open.pop().unwrap_or(true) {
                "</a>"
            } else {
                "</span>"
            });
            at = i + 4;
            copied = at;
        } else {
            at = i + 1;
        }
    }
    out.push_str(&html[copied..]);
    out
}

/// A JavaScript string literal of `s`, with `/` after `:` written `\/`: the same text,
/// but the data files contain nothing that looks like an address to load (portal
/// addresses are shown as text under their QR code).
pub fn js_string(s: &str) -> String {
    // serde_json's escapes, in one pass; `://` is written `:\/\/`. The bytes between the
    // ones to look at are copied in runs (a table lookup a byte: escaping the leaflets
    // embedded in the kiosk was 7% of a province's rendering).
    let mut out = String::with_capacity(s.len() + s.len() / 16 + 2);
    out.push('"');
    let bytes = s.as_bytes();
    let (mut start, mut i) = (0, 0);
    while i < bytes.len() {
        let b = bytes[i];
        if !JS_LOOK[b as usize] {
            i += 1;
            continue;
        }
        let (rep, len) = match b {
            b'"' => ("\\\"", 1),
            b'\\' => ("\\\\", 1),
            b'\n' => ("\\n", 1),
            b'\r' => ("\\r", 1),
            b'\t' => ("\\t", 1),
            0x08 => ("\\b", 1),
            0x0c => ("\\f", 1),
            b':' if bytes[i + 1..].starts_with(b"//") => (":\\/\\/", 3),
            b':' => {
                i += 1;
                continue;
            }
            _ => {
                out.push_str(&s[start..i]);
                out.push_str(&format!("\\u{b:04x}"));
                i += 1;
                start = i;
                continue;
            }
        };
        out.push_str(&s[start..i]);
        out.push_str(rep);
        i += len;
        start = i;
    }
    out.push_str(&s[start..]);
    out.push('"');
    out
}

/// The bytes [`js_string`] looks at: control characters, `"`, `\` and `:`.
static JS_LOOK: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 0x20 {
        t[b] = true;
        b += 1;
    }
    t[b'"' as usize] = true;
    t[b'\\' as usize] = true;
    t[b':' as usize] = true;
    t
};

fn attr<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let key = format!(" {name}=\"");
    let i = tag.find(&key)? + key.len();
    let j = tag[i..].find('"')?;
    Some(&tag[i..i + j])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn js_strings_hide_nothing_but_look_like_no_address() {
        let s = js_string("Địa chỉ: https://dichvucong.gov.vn/x \"q\" </script>");
        assert_eq!(
            s,
            r#""Địa chỉ: https:\/\/dichvucong.gov.vn/x \"q\" </script>""#
        );
        assert_eq!(
            serde_json::from_str::<String>(&s).unwrap(),
            "Địa chỉ: https://dichvucong.gov.vn/x \"q\" </script>"
        );
        // The same as JSON with `://` replaced, on awkward text.
        for t in [
            "",
            ":",
            "://",
            ":///x:/ :// ://",
            "a\\b\"c\nd\re\tf\u{8}g\u{c}h\u{1}i\u{1f}j\u{7f}",
            "tiếng Việt đ \u{2028} 😀 <a href=\"x\">",
        ] {
            let want = serde_json::to_string(t).unwrap().replace("://", ":\\/\\/");
            assert_eq!(js_string(t), want, "{t:?}");
        }
    }

    #[test]
    fn links_rewritten_for_the_kiosk() {
        let h = r#"<p><a href="../../guides/dang-ky-ket-hon/index.html#buoc-2">kết hôn</a> và <a href="https://example.org/x" rel="noopener">nguồn</a>, <a href="tel:02253">gọi</a> <img src="../../media/images/a.png" alt=""></p>"#;
        assert_eq!(
            kiosk_html(h),
            r##"<p><a href="#g/dang-ky-ket-hon" data-guide="dang-ky-ket-hon" class="k-inline">kết hôn</a> và <span class="k-ext">nguồn</span>, <span class="k-ext">gọi</span> <img src="media/images/a.png" alt=""></p>"##
        );
    }
}

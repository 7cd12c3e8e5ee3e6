//! Markdown: the options camnang uses, links and images rewritten for offline output, and
//! sanitising (raw HTML may not bring scripts, event handlers or `javascript:` URLs).

use std::collections::HashSet;
use std::sync::LazyLock;

use pulldown_cmark::{CowStr, Event, LinkType, Options, Parser, Tag, TagEnd, html};

use crate::error::Pos;

fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS
}

/// A `## ` section of a Markdown guide's body.
#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    pub title: String,
    pub text: String,
    pub pos: Pos,
}

/// Splits a body into its introduction (text before the first `## `) and sections.
/// `first_line` is the file line where the body starts. Headings inside fenced code
/// blocks do not count.
pub fn split_sections(body: &str, first_line: usize) -> (Option<String>, Vec<Section>) {
    let mut intro = String::new();
    let mut sections: Vec<Section> = Vec::new();
    let mut fence: Option<&str> = None;
    for (i, line) in body.lines().enumerate() {
        let t = line.trim_start();
        if let Some(f) = fence {
            if t.starts_with(f) {
                fence = None;
            }
        } else if t.starts_with("```") || t.starts_with("~~~") {
            fence = Some(&t[..3]);
        } else if let Some(title) = line.strip_prefix("## ") {
            sections.push(Section {
                title: title.trim().trim_end_matches('#').trim().to_string(),
                text: String::new(),
                pos: Pos::new(first_line + i, 1),
            });
            continue;
        }
        let target = match sections.last_mut() {
            Some(s) => &mut s.text,
            None => &mut intro,
        };
        target.push_str(line);
        target.push('\n');
    }
    for s in &mut sections {
        s.text = s.text.trim().to_string();
    }
    let intro = intro.trim();
    ((!intro.is_empty()).then(|| intro.to_string()), sections)
}

/// Link and image destinations in `md` (`(target, is_image)`), in order — including
/// the `href`/`src`/`cite` URLs of raw HTML, which are checked like Markdown ones.
pub fn refs(md: &str) -> Vec<(String, bool)> {
    let mut out = Vec::new();
    for e in Parser::new_ext(md, options()) {
        match e {
            Event::Start(Tag::Link {
                dest_url,
                link_type,
                ..
            }) if !matches!(link_type, LinkType::Email | LinkType::Autolink)
                || dest_url.starts_with("http") =>
            {
                out.push((dest_url.to_string(), false));
            }
            Event::Start(Tag::Image { dest_url, .. }) => out.push((dest_url.to_string(), true)),
            Event::Html(h) | Event::InlineHtml(h) => out.extend(html_refs(&h)),
            _ => {}
        }
    }
    out
}

thread_local! {
    static FOUND: std::cell::RefCell<Vec<(String, bool)>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// A sanitiser used only to find the URLs a raw HTML fragment would keep.
static RECORDER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut b = base_sanitizer();
    b.attribute_filter(|element, attribute, value| {
        if matches!(attribute, "href" | "src" | "cite") {
            let image = element == "img" && attribute == "src";
            FOUND.with(|f| f.borrow_mut().push((value.to_string(), image)));
        }
        Some(value.into())
    });
    b
});

fn html_refs(fragment: &str) -> Vec<(String, bool)> {
    FOUND.with(|f| f.borrow_mut().clear());
    let _ = RECORDER.clean(fragment);
    FOUND.with(|f| std::mem::take(&mut *f.borrow_mut()))
}

/// How a link target is classified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// `#section` on the same page.
    Anchor,
    /// `tel:` or `mailto:`.
    Contact,
    /// `http(s)://…`.
    External,
    /// Another guide's file (`dang-ky-ket-hon.yaml`, `../guides/x.md`): its slug.
    Guide(String),
    /// A file of the content folder (images).
    File(String),
    /// Anything else (`javascript:`, `data:`, …).
    Forbidden,
}

pub fn classify(target: &str) -> Target {
    let lower = target.trim().to_ascii_lowercase();
    if lower.starts_with('#') {
        return Target::Anchor;
    }
    if lower.starts_with("tel:") || lower.starts_with("mailto:") {
        return Target::Contact;
    }
    if lower.starts_with("https://") || lower.starts_with("http://") {
        return Target::External;
    }
    if lower.contains(':') || lower.starts_with("//") {
        return Target::Forbidden;
    }
    let path = target.split('#').next().unwrap_or("");
    for ext in [".yaml", ".yml", ".md"] {
        if let Some(stem) = path.strip_suffix(ext) {
            let slug = stem.rsplit('/').next().unwrap_or(stem);
            return Target::Guide(slug.to_string());
        }
    }
    Target::File(path.to_string())
}

/// Rewrites done while rendering: `link` maps a link target to the URL to emit, `image`
/// an image path to the URL to emit (`None` drops the link/image, keeping its text).
pub struct Rewrite<'a> {
    pub link: &'a dyn Fn(&str) -> Option<String>,
    pub image: &'a dyn Fn(&str) -> Option<String>,
}

/// Renders Markdown to sanitised HTML. Headings are shifted down so a guide's text never
/// competes with the page's own `<h1>`/`<h2>`.
pub fn render(md: &str, rw: &Rewrite<'_>) -> String {
    let mut dropped_link_depth = 0usize;
    let events = Parser::new_ext(md, options()).filter_map(|e| match e {
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => match (rw.link)(&dest_url) {
            Some(u) => Some(Event::Start(Tag::Link {
                link_type,
                dest_url: CowStr::from(u),
                title,
                id,
            })),
            None => {
                dropped_link_depth += 1;
                None
            }
        },
        Event::End(TagEnd::Link) if dropped_link_depth > 0 => {
            dropped_link_depth -= 1;
            None
        }
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) => {
            let u = (rw.image)(&dest_url).unwrap_or_default();
            Some(Event::Start(Tag::Image {
                link_type,
                dest_url: CowStr::from(u),
                title,
                id,
            }))
        }
        Event::Start(Tag::Heading {
            level,
            id,
            classes,
            attrs,
        }) => Some(Event::Start(Tag::Heading {
            level: shift(level),
            id,
            classes,
            attrs,
        })),
        Event::End(TagEnd::Heading(level)) => Some(Event::End(TagEnd::Heading(shift(level)))),
        other => Some(other),
    });
    let mut out = String::with_capacity(md.len() * 3 / 2);
    html::push_html(&mut out, events);
    sanitize(&out)
}

/// Renders a short one-paragraph text without the surrounding `<p>`.
pub fn render_inline(md: &str, rw: &Rewrite<'_>) -> String {
    let html = render(md, rw);
    let t = html.trim();
    match t.strip_prefix("<p>").and_then(|s| s.strip_suffix("</p>")) {
        Some(inner) if !inner.contains("<p>") => inner.to_string(),
        _ => t.to_string(),
    }
}

fn shift(level: pulldown_cmark::HeadingLevel) -> pulldown_cmark::HeadingLevel {
    use pulldown_cmark::HeadingLevel::*;
    match level {
        H1 | H2 => H3,
        H3 => H4,
        H4 => H5,
        _ => H6,
    }
}

static SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(base_sanitizer);

fn base_sanitizer() -> ammonia::Builder<'static> {
    let mut b = ammonia::Builder::default();
    b.url_schemes(HashSet::from(["http", "https", "mailto", "tel"]))
        .link_rel(Some("noopener noreferrer"))
        .add_tag_attributes("img", &["width", "height", "loading"])
        .add_tag_attributes("input", &["type", "checked", "disabled"])
        .add_tags(&["input"])
        .add_generic_attributes(&["lang"]);
    b
}

/// Removes scripts, event handlers, `javascript:` URLs and unknown tags from HTML.
pub fn sanitize(html: &str) -> String {
    SANITIZER.clean(html).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(md: &str) -> String {
        render(
            md,
            &Rewrite {
                link: &|u| Some(u.to_string()),
                image: &|u| Some(u.to_string()),
            },
        )
    }

    #[test]
    fn raw_html_is_sanitised() {
        let out = plain(
            "Hi <script>alert(1)</script><a href=\"javascript:alert(1)\" onclick=\"x()\">x</a><img src=x onerror=alert(1)>",
        );
        assert!(!out.contains("<script"), "{out}");
        assert!(!out.contains("javascript:"), "{out}");
        assert!(!out.contains("onclick"), "{out}");
        assert!(!out.contains("onerror"), "{out}");
    }

    #[test]
    fn raw_html_urls_are_found_for_checking() {
        let r = refs(
            "Text <img src=\"https://evil.example/t.png\"> and <a href=\"https://x.example/\">x</a>",
        );
        assert_eq!(
            r,
            vec![
                ("https://evil.example/t.png".to_string(), true),
                ("https://x.example/".to_string(), false)
            ]
        );
    }

    #[test]
    fn headings_are_shifted() {
        assert_eq!(plain("# A").trim(), "<h3>A</h3>");
    }

    #[test]
    fn sections_skip_fenced_code() {
        let (intro, s) = split_sections("Intro\n\n## One\nA\n```\n## not\n```\n## Two\nB\n", 10);
        assert_eq!(intro.as_deref(), Some("Intro"));
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].title, "One");
        assert_eq!(s[0].pos, Pos::new(12, 1));
        assert!(s[0].text.contains("## not"));
        assert_eq!(s[1].text, "B");
    }

    #[test]
    fn classify_targets() {
        assert_eq!(
            classify("dang-ky-ket-hon.yaml"),
            Target::Guide("dang-ky-ket-hon".into())
        );
        assert_eq!(classify("../guides/x.md#a"), Target::Guide("x".into()));
        assert_eq!(classify("JavaScript:alert(1)"), Target::Forbidden);
        assert_eq!(
            classify("images/a.png"),
            Target::File("images/a.png".into())
        );
        assert_eq!(classify("tel:0225"), Target::Contact);
    }
}

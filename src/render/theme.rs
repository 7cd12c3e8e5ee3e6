//! The theme: templates, static files and UI strings embedded in the binary, each of which
//! a site can override by putting a file of the same name in `content/theme/`:
//! `theme/templates/guide.html`, `theme/static/style.css`, `theme/i18n.yaml`.

use std::collections::BTreeMap;
use std::path::Path;

use crate::content::files;
use crate::content::yaml;
use crate::content::yaml::Value;
use crate::error::{Diagnostic, Pos};
use crate::i18n::Lang;
use crate::tx;

macro_rules! embed_text {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../../themes/default/templates/", $name)))),*]
    };
}
macro_rules! embed_bytes {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_bytes!(concat!("../../themes/default/static/", $name)) as &[u8])),*]
    };
}

/// Built-in templates (name, source).
pub const TEMPLATES: &[(&str, &str)] = embed_text!(
    "base.html",
    "macros.html",
    "index.html",
    "category.html",
    "guide.html",
    "kiosk/index.html",
    "kiosk/guide.html",
    "print/base.html",
    "print/macros.html",
    "print/a4.html",
    "print/a5.html",
    "print/poster.html",
    "print/category.html",
    "print/booklet.html",
    "print/booklet-guide.html",
    "print/index.html",
    "offices.html",
    "office/name.html",
    "office/contact.html",
    "office/print-contact.html",
    "office/print-contact-short.html",
);

/// Built-in static files, written under `assets/` (name, bytes).
pub const STATIC: &[(&str, &[u8])] = embed_bytes!(
    "style.css",
    "print.css",
    "fonts/be-vietnam-pro-vietnamese-400-normal.woff2",
    "fonts/be-vietnam-pro-vietnamese-700-normal.woff2",
    "fonts/be-vietnam-pro-latin-400-normal.woff2",
    "fonts/be-vietnam-pro-latin-700-normal.woff2",
    "fonts/be-vietnam-pro-latin-ext-400-normal.woff2",
    "fonts/be-vietnam-pro-latin-ext-700-normal.woff2",
    "fonts/OFL.txt",
    "kiosk/kiosk.css",
    "kiosk/kiosk.js",
    "search.js",
    "site-search.js",
);

const I18N: &str = include_str!("../../themes/default/i18n.yaml");

/// The loaded theme.
pub struct Theme {
    pub tera: tera::Tera,
    /// Static files: output path under `assets/` → bytes.
    pub statics: BTreeMap<String, Vec<u8>>,
    /// UI strings in the site's language.
    pub strings: BTreeMap<String, String>,
}

/// Loads the built-in theme with the content folder's overrides.
pub fn load(root: &Path, lang: Lang) -> Result<Theme, Vec<Diagnostic>> {
    let mut diags = Vec::new();
    let mut sources: BTreeMap<String, String> = TEMPLATES
        .iter()
        .map(|(n, s)| (n.to_string(), s.to_string()))
        .collect();
    let tdir = root.join("theme").join("templates");
    if tdir.is_dir() {
        for e in walkdir::WalkDir::new(&tdir)
            .sort_by_file_name()
            .max_depth(3)
        {
            let Ok(e) = e else { continue };
            if !e.file_type().is_file() || files::is_ignored(&e.file_name().to_string_lossy()) {
                continue;
            }
            let rel_t = files::rel_string(e.path().strip_prefix(&tdir).unwrap_or(e.path()));
            let rel = format!("theme/templates/{rel_t}");
            match files::read_text(root, &rel) {
                Ok(t) => {
                    sources.insert(rel_t, t);
                }
                Err(d) => diags.push(d),
            }
        }
    }
    let tera = templates(&sources, &mut diags);
    let mut statics: BTreeMap<String, Vec<u8>> = STATIC
        .iter()
        .map(|(n, b)| (n.to_string(), b.to_vec()))
        .collect();
    let sdir = root.join("theme").join("static");
    if sdir.is_dir() {
        for e in walkdir::WalkDir::new(&sdir)
            .sort_by_file_name()
            .follow_links(false)
        {
            let Ok(e) = e else { continue };
            if !e.file_type().is_file() || files::is_ignored(&e.file_name().to_string_lossy()) {
                continue;
            }
            let rel = files::rel_string(e.path().strip_prefix(&sdir).unwrap_or(e.path()));
            match std::fs::read(e.path()) {
                Ok(b) => {
                    statics.insert(rel, b);
                }
                Err(err) => diags.push(Diagnostic::error(
                    &format!("theme/static/{rel}"),
                    Pos::default(),
                    "",
                    tx!("cannot read: {}", "không đọc được: {}", err),
                )),
            }
        }
    }
    let mut strings = parse_strings(I18N, "i18n.yaml", lang, &mut diags);
    if root.join("theme/i18n.yaml").is_file() {
        match files::read_text(root, "theme/i18n.yaml") {
            Ok(t) => strings.extend(parse_strings(&t, "theme/i18n.yaml", lang, &mut diags)),
            Err(d) => diags.push(d),
        }
    }
    if diags.is_empty() {
        Ok(Theme {
            tera,
            statics,
            strings,
        })
    } else {
        Err(diags)
    }
}

/// Opens the mark `office(name=…)` prints: the office's part `name` goes there once the
/// page is rendered (see [`crate::render::context`]). A noncharacter: text never holds it.
pub const PART_OPEN: char = '\u{FDD0}';
/// Closes the mark of an office part.
pub const PART_CLOSE: char = '\u{FDD1}';

thread_local! {
    /// Calls of `office(…)` in the render on this thread (see [`Theme::render`]).
    static PART_CALLS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// The template function `office(name="contact")`: the mark of the office's part
/// `office/contact.html`.
struct OfficePart {
    /// The office parts: the names of the templates under `office/`.
    parts: std::collections::BTreeSet<String>,
}

impl tera::Function for OfficePart {
    fn call(
        &self,
        args: &std::collections::HashMap<String, tera::Value>,
    ) -> tera::Result<tera::Value> {
        let list = || self.parts.iter().cloned().collect::<Vec<_>>().join(", ");
        let Some(name) = args.get("name").and_then(tera::Value::as_str) else {
            return Err(tera::Error::msg(format!(
                "office() needs the name of a template under office/, e.g. office(name=\"contact\"); there are: {}",
                list()
            )));
        };
        if !self.parts.contains(name) {
            return Err(tera::Error::msg(format!(
                "office(name=\"{name}\"): there is no template office/{name}.html; there are: {}",
                list()
            )));
        }
        PART_CALLS.with(|c| c.set(c.get() + 1));
        Ok(tera::Value::String(format!(
            "{PART_OPEN}{name}{PART_CLOSE}"
        )))
    }

    fn is_safe(&self) -> bool {
        true
    }
}

impl Theme {
    /// Renders `template` with `tc`; also returns how many office parts it printed.
    pub fn render(&self, template: &str, tc: &tera::Context) -> tera::Result<(String, usize)> {
        PART_CALLS.with(|c| c.set(0));
        let html = self.tera.render(template, tc)?;
        Ok((html, PART_CALLS.with(std::cell::Cell::get)))
    }
}

/// The templates `sources` (name, text) parsed, with the function `office(name=…)`.
fn templates(sources: &BTreeMap<String, String>, diags: &mut Vec<Diagnostic>) -> tera::Tera {
    let mut tera = tera::Tera::default();
    tera.set_escape_fn(escape_html);
    if let Err(e) = tera.add_raw_templates(sources.iter().map(|(n, s)| (n.as_str(), s.as_str()))) {
        diags.push(template_error(&e));
    }
    let parts = sources
        .keys()
        .filter_map(|n| n.strip_prefix("office/")?.strip_suffix(".html"))
        .map(str::to_string)
        .collect();
    tera.register_function("office", OfficePart { parts });
    tera
}

/// `key: { vi: …, en: … }` lines → strings of one language (falling back to the other).
fn parse_strings(
    src: &str,
    file: &str,
    lang: Lang,
    diags: &mut Vec<Diagnostic>,
) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let node = match yaml::parse(src, file, 0) {
        Ok(n) => n,
        Err(d) => {
            diags.push(d);
            return out;
        }
    };
    let Value::Map(entries) = &node.value else {
        return out;
    };
    for e in entries {
        let Value::Map(langs) = &e.value.value else {
            continue;
        };
        let pick = |code: &str| {
            langs
                .iter()
                .find(|l| l.key == code)
                .and_then(|l| match &l.value.value {
                    Value::Str(s) => Some(s.clone()),
                    _ => None,
                })
        };
        if let Some(s) = pick(lang.code()).or_else(|| pick("vi")) {
            out.insert(e.key.clone(), s);
        }
    }
    out
}

/// HTML escaping for template output: `& < > " '` (Tera's default also escapes `/`,
/// which makes printed URLs unreadable in the page source).
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    let mut start = 0;
    // The special characters are ASCII: copy the runs between them whole.
    for (i, b) in s.bytes().enumerate() {
        let rep = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.push_str(&s[start..i]);
        out.push_str(rep);
        start = i + 1;
    }
    out.push_str(&s[start..]);
    out
}

/// A Tera error with its causes, as a diagnostic on the template.
pub fn template_error(e: &tera::Error) -> Diagnostic {
    use std::error::Error as _;
    let mut msg = e.to_string();
    let mut src = e.source();
    while let Some(s) = src {
        msg.push_str(": ");
        msg.push_str(&s.to_string());
        src = s.source();
    }
    let hint = match msg.contains("site.office") {
        true => tx!(
            "the office is `office` (not `site.office`) on site-wide pages; a guide's own pages (shared by every office) print it with {{{{ office(name=\"contact\") }}}}, which puts in templates/office/contact.html",
            "phường, xã là `office` (không phải `site.office`) trên các trang chung; trang riêng của một thủ tục (dùng chung cho mọi phường) in nó bằng {{{{ office(name=\"contact\") }}}}, lấy từ templates/office/contact.html"
        ),
        false => tx!(
            "fix the template in theme/templates/, or remove it to use the built-in one",
            "sửa mẫu trong theme/templates/, hoặc xóa nó để dùng mẫu có sẵn"
        ),
    };
    Diagnostic::error(
        "theme/templates",
        Pos::default(),
        "",
        tx!("template error: {}", "lỗi mẫu trang (template): {}", msg),
    )
    .hint(hint)
}

//! The domain model (a guide and its parts) and the checks on one guide file.
//!
//! Checks that need several files (duplicate slugs and codes, categories, links between
//! guides, portal URLs) are in [`crate::commands::build`].

use std::fmt;
use std::path::Path;

use serde::Serialize;

use crate::content::files;
use crate::content::files::{GuideFile, Kind, PathProblem};
use crate::content::markdown;
use crate::content::schema::{Obj, Reader, item};
use crate::content::yaml;
use crate::content::yaml::Node;
use crate::error::{Diagnostic, Pos};
use crate::tx;

/// Image formats accepted for screenshots.
/// The text `camnang new` puts where the writer still has to fill something in. `check`
/// warns about every value that still contains it.
pub const PLACEHOLDER: &str = "CẦN ĐIỀN";

pub const IMAGE_EXTENSIONS: &[&str] = &["png", "jpg", "jpeg", "webp", "svg", "gif"];

/// A calendar date (`reviewed:`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

impl Date {
    /// Parses `YYYY-MM-DD` and checks that the day exists.
    pub fn parse(s: &str) -> Option<Date> {
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let year: i32 = s[0..4].parse().ok()?;
        let month: u32 = s[5..7].parse().ok()?;
        let day: u32 = s[8..10].parse().ok()?;
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        let days = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return None,
        };
        (1..=days)
            .contains(&day)
            .then_some(Date { year, month, day })
    }

    /// Today (UTC), or `CAMNANG_TODAY=YYYY-MM-DD` when set (for reproducible checks).
    pub fn today() -> Date {
        if let Some(d) = std::env::var("CAMNANG_TODAY")
            .ok()
            .and_then(|s| Date::parse(&s))
        {
            return d;
        }
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        Date::from_days((secs / 86_400) as i64)
    }

    /// Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    pub fn from_days(z: i64) -> Date {
        let z = z + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }

    /// Whole months from `self` to `later`.
    pub fn months_until(self, later: Date) -> i32 {
        let mut m = (later.year - self.year) * 12 + later.month as i32 - self.month as i32;
        if later.day < self.day {
            m -= 1;
        }
        m
    }

    /// `DD/MM/YYYY`, as dates are written in Vietnam.
    pub fn vn(self) -> String {
        format!("{:02}/{:02}/{}", self.day, self.month, self.year)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum OnlineLevel {
    /// Toàn trình: everything online.
    Full,
    /// Một phần: part of it needs a visit.
    Partial,
}

/// How a document is to be brought.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DocForm {
    Original,
    Copy,
    CertifiedCopy,
    /// Shown for checking, not handed in.
    Show,
    Any,
}

impl DocForm {
    const NAMES: &'static [&'static str] = &["original", "copy", "certified-copy", "show", "any"];
    fn parse(s: &str) -> Option<DocForm> {
        Some(match s {
            "original" | "ban-chinh" => DocForm::Original,
            "copy" | "ban-sao" => DocForm::Copy,
            "certified-copy" | "ban-sao-chung-thuc" => DocForm::CertifiedCopy,
            "show" | "xuat-trinh" => DocForm::Show,
            "any" => DocForm::Any,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Document {
    pub name: String,
    pub note: Option<String>,
    pub required: bool,
    pub form: Option<DocForm>,
    pub count: u32,
}

#[derive(Debug, Clone, Serialize)]
pub struct Field {
    pub label: String,
    pub hint: Option<String>,
    pub required: bool,
}

/// A box drawn over a screenshot, in percent of the image.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Screenshot {
    /// Content-relative path, checked to exist inside the content folder.
    pub src: String,
    pub alt: String,
    pub caption: Option<String>,
    pub highlight: Option<Rect>,
    /// Shown on the A4 leaflet.
    pub print: bool,
    /// Pixel size, when the format tells it.
    pub width: Option<u32>,
    pub height: Option<u32>,
    pub bytes: u64,
    #[serde(skip)]
    pub pos: Pos,
}

#[derive(Debug, Clone, Serialize)]
pub struct Step {
    pub title: String,
    pub short: Option<String>,
    /// Markdown.
    pub text: String,
    pub screenshot: Option<Screenshot>,
    #[serde(skip)]
    pub pos: Pos,
}

#[derive(Debug, Clone, Serialize)]
pub struct Source {
    pub title: String,
    pub url: String,
}

/// Where the guide's portal link comes from (see docs/format.md, "Portal links").
#[derive(Debug, Clone, Default)]
pub struct PortalSpec {
    pub url: Option<(String, Pos)>,
    pub formality_id: Option<(String, Pos)>,
}

/// A reference found in Markdown text, checked once all guides are known.
#[derive(Debug, Clone)]
pub struct MdRef {
    pub key: String,
    pub pos: Pos,
    pub target: String,
    pub image: bool,
}

/// One procedure guide.
#[derive(Debug, Clone)]
pub struct Guide {
    pub file: String,
    pub slug: String,
    pub title: String,
    pub question: Option<String>,
    pub code: Option<String>,
    pub category: String,
    pub summary: String,
    pub audience: String,
    pub online_level: OnlineLevel,
    pub agency: String,
    pub fee: String,
    pub processing_time: String,
    pub result: String,
    pub reviewed: Date,
    pub portal: PortalSpec,
    /// Markdown shown under the summary (the body of a Markdown guide).
    pub intro: Option<String>,
    pub documents: Vec<Document>,
    pub fields: Vec<Field>,
    pub steps: Vec<Step>,
    pub tips: Vec<String>,
    pub warnings: Vec<String>,
    pub legal_basis: Vec<String>,
    pub sources: Vec<Source>,
    pub related: Vec<(String, Pos)>,
    pub md_refs: Vec<MdRef>,
    pub code_pos: Pos,
    pub category_pos: Pos,
    pub slug_pos: Pos,
    /// Where `reviewed:` is (for the "not reviewed for N months" warning of `check`).
    pub reviewed_pos: Pos,
}

/// The top-level keys of a guide.
pub const GUIDE_KEYS: &[&str] = &[
    "title",
    "question",
    "code",
    "category",
    "summary",
    "audience",
    "online_level",
    "agency",
    "fee",
    "processing_time",
    "result",
    "reviewed",
    "portal",
    "documents",
    "fields",
    "steps",
    "tips",
    "warnings",
    "legal_basis",
    "sources",
    "related",
];

/// Reads, parses and checks one guide file. Returns the guide (if it could be built) and
/// every problem found in it.
pub fn load(root: &Path, f: &GuideFile) -> (Option<Guide>, Vec<Diagnostic>) {
    let text = match files::read_text(root, &f.rel) {
        Ok(t) => t,
        Err(d) => return (None, vec![d]),
    };
    parse(root, f, &text)
}

/// Parses and checks the text of one guide file.
pub fn parse(root: &Path, f: &GuideFile, text: &str) -> (Option<Guide>, Vec<Diagnostic>) {
    let (yaml_src, yaml_line, body) = match f.kind {
        Kind::Yaml => (text, 1, None),
        Kind::Markdown => match yaml::split_front_matter(text) {
            Some(Ok(fm)) => (fm.yaml, fm.yaml_line, Some((fm.body, fm.body_line))),
            Some(Err(pos)) => {
                return (
                    None,
                    vec![
                        Diagnostic::error(
                            &f.rel,
                            pos,
                            "",
                            tx!(
                                "the front matter is not closed",
                                "phần đầu (front matter) chưa được đóng"
                            ),
                        )
                        .hint(tx!(
                            "end the keys with a line `---` before the Markdown text",
                            "kết thúc các khóa bằng một dòng `---` trước phần văn bản Markdown"
                        )),
                    ],
                );
            }
            None => {
                return (
                    None,
                    vec![
                        Diagnostic::error(
                            &f.rel,
                            Pos::START,
                            "",
                            tx!(
                                "a Markdown guide must start with front matter",
                                "hướng dẫn dạng Markdown phải bắt đầu bằng phần đầu (front matter)"
                            ),
                        )
                        .hint(tx!(
                            "put the keys between two `---` lines at the top of the file",
                            "đặt các khóa giữa hai dòng `---` ở đầu tệp"
                        )),
                    ],
                );
            }
        },
    };
    if yaml_src.trim().is_empty() {
        return (
            None,
            vec![
                Diagnostic::error(
                    &f.rel,
                    Pos::new(yaml_line, 1),
                    "",
                    tx!("the guide has no keys", "hướng dẫn chưa có khóa nào"),
                )
                .hint(tx!(
                    "see `camnang new` for a complete template",
                    "xem `camnang new` để có mẫu đầy đủ"
                )),
            ],
        );
    }
    let node = match yaml::parse(yaml_src, &f.rel, yaml_line - 1) {
        Ok(n) => n,
        Err(d) => return (None, vec![d]),
    };
    let mut r = Reader::new(&f.rel);
    let guide = read_guide(root, f, &node, body, &mut r);
    (guide, r.diags)
}

fn read_guide(
    root: &Path,
    f: &GuideFile,
    node: &Node,
    body: Option<(&str, usize)>,
    r: &mut Reader,
) -> Option<Guide> {
    let mut o = r.obj(node, "")?;
    let stem = Path::new(&f.rel)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    if !crate::content::config::is_slug(&stem) {
        r.error(
            Pos::default(),
            "",
            tx!(
                "the file name `{}` is not a valid slug (it becomes the page address)",
                "tên tệp `{}` không dùng làm địa chỉ trang được",
                stem
            ),
            match crate::vn::suggest_slug(&stem) {
                s if s.is_empty() => tx!(
                    "rename the file with lower-case letters without marks, digits and `-`, e.g. `dang-ky-khai-sinh.yaml`",
                    "đổi tên tệp chỉ gồm chữ thường không dấu, số và `-`, ví dụ `dang-ky-khai-sinh.yaml`"
                ),
                s => tx!(
                    "rename the file with lower-case letters without marks, digits and `-`: `{}.{}`",
                    "đổi tên tệp chỉ gồm chữ thường không dấu, số và `-`: `{}.{}`",
                    s,
                    Path::new(&f.rel)
                        .extension()
                        .map_or("yaml".into(), |e| e.to_string_lossy())
                ),
            },
        );
    }
    let mut g = Guide {
        file: f.rel.clone(),
        slug: stem,
        title: o.req_text(r, "title").unwrap_or_default(),
        question: o.opt_text(r, "question"),
        code_pos: o.pos_of("code"),
        code: o.opt_text(r, "code"),
        category_pos: o.pos_of("category"),
        category: o.req_text(r, "category").unwrap_or_default(),
        summary: o.req_text(r, "summary").unwrap_or_default(),
        audience: o.req_text(r, "audience").unwrap_or_default(),
        online_level: OnlineLevel::Partial,
        agency: o.req_text(r, "agency").unwrap_or_default(),
        fee: o.req_text(r, "fee").unwrap_or_default(),
        processing_time: o.req_text(r, "processing_time").unwrap_or_default(),
        result: o.req_text(r, "result").unwrap_or_default(),
        reviewed_pos: o.pos_of("reviewed"),
        reviewed: Date {
            year: 1970,
            month: 1,
            day: 1,
        },
        portal: PortalSpec::default(),
        intro: None,
        documents: Vec::new(),
        fields: Vec::new(),
        steps: Vec::new(),
        tips: Vec::new(),
        warnings: Vec::new(),
        legal_basis: Vec::new(),
        sources: Vec::new(),
        related: Vec::new(),
        md_refs: Vec::new(),
        slug_pos: Pos::START,
    };
    if let Some(code) = &g.code
        && !code.contains(crate::content::guide::PLACEHOLDER)
        && (!code.bytes().all(|b| b.is_ascii_digit() || b == b'.') || !code.contains('.'))
    {
        r.error(
            g.code_pos,
            "code",
            tx!(
                "`{}` does not look like a procedure code",
                "`{}` không giống mã thủ tục",
                code
            ),
            tx!(
                "a national procedure code is digits with dots, e.g. \"1.001193\" (in quotes)",
                "mã thủ tục quốc gia gồm số và dấu chấm, ví dụ \"1.001193\" (trong dấu ngoặc kép)"
            ),
        );
    }
    if let Some(level) = o.req_text(r, "online_level") {
        match level.as_str() {
            "full" | "toan-trinh" => g.online_level = OnlineLevel::Full,
            "partial" | "mot-phan" => g.online_level = OnlineLevel::Partial,
            other => r.error(
                o.pos_of("online_level"),
                "online_level",
                tx!(
                    "unknown online level `{}`",
                    "mức trực tuyến không hợp lệ `{}`",
                    other
                ),
                tx!(
                    "use `full` (toàn trình) or `partial` (một phần)",
                    "dùng `full` (toàn trình) hoặc `partial` (một phần)"
                ),
            ),
        }
    }
    if let Some(s) = o.req_text(r, "reviewed") {
        match Date::parse(&s) {
            Some(d) => g.reviewed = d,
            None => r.error(
                o.pos_of("reviewed"),
                "reviewed",
                tx!("`{}` is not a valid date", "`{}` không phải ngày hợp lệ", s),
                tx!(
                    "write the date as YYYY-MM-DD, e.g. 2026-11-20",
                    "viết ngày theo dạng NĂM-THÁNG-NGÀY, ví dụ 2026-11-20"
                ),
            ),
        }
    }
    if let Some(n) = o.get("portal")
        && let Some(mut p) = r.obj(n, "portal")
    {
        g.portal.url = p.opt_text(r, "url").map(|u| (u, p.pos_of("url")));
        g.portal.formality_id = p
            .opt_text(r, "formality_id")
            .map(|u| (u, p.pos_of("formality_id")));
        if let Some((id, pos)) = &g.portal.formality_id
            && !id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        {
            r.error(
                        *pos,
                        "portal.formality_id",
                        tx!("`{}` is not a portal procedure id", "`{}` không phải mã định danh thủ tục trên cổng", id),
                        tx!(
                            "copy the id from the portal page address, e.g. 019d2bfd-3fe0-70ac-b9d6-5e9e20d6eef7",
                            "chép mã từ địa chỉ trang thủ tục trên cổng, ví dụ 019d2bfd-3fe0-70ac-b9d6-5e9e20d6eef7"
                        ),
                    );
        }
        p.finish(r, &["url", "formality_id"]);
    }
    if let Some(items) = o.req_list(r, "documents") {
        for (i, n) in items.iter().enumerate() {
            let path = item("documents", i);
            if let Some(mut d) = r.obj(n, &path) {
                let name = d.req_text(r, "name");
                let form = d.opt_text(r, "form").and_then(|s| {
                    let v = DocForm::parse(&s);
                    if v.is_none() {
                        r.error(
                            d.pos_of("form"),
                            &format!("{path}.form"),
                            tx!(
                                "unknown document form `{}`",
                                "hình thức giấy tờ không hợp lệ `{}`",
                                s
                            ),
                            tx!(
                                "use one of: {}",
                                "dùng một trong: {}",
                                DocForm::NAMES.join(", ")
                            ),
                        );
                    }
                    v
                });
                let doc = Document {
                    name: name.unwrap_or_default(),
                    note: d.opt_text(r, "note"),
                    required: d.bool_or(r, "required", true),
                    form,
                    count: d.number_or(r, "count", 1.0, 1.0, 99.0) as u32,
                };
                d.finish(r, &["name", "note", "required", "form", "count"]);
                g.documents.push(doc);
            }
        }
    }
    for (i, n) in o.list(r, "fields").iter().enumerate() {
        let path = item("fields", i);
        if let Some(mut d) = r.obj(n, &path) {
            let field = Field {
                label: d.req_text(r, "label").unwrap_or_default(),
                hint: d.opt_text(r, "hint"),
                required: d.bool_or(r, "required", true),
            };
            d.finish(r, &["label", "hint", "required"]);
            g.fields.push(field);
        }
    }
    let body_steps = match body {
        Some((text, line)) => {
            let (intro, steps) = markdown::split_sections(text, line);
            g.intro = intro;
            steps
        }
        None => Vec::new(),
    };
    if o.has("steps") || body_steps.is_empty() {
        if let Some(items) = o.req_list(r, "steps") {
            for (i, n) in items.iter().enumerate() {
                if let Some(step) = read_step(root, r, n, &item("steps", i)) {
                    g.steps.push(step);
                }
            }
        }
        if !body_steps.is_empty() {
            // Both: the body is an introduction only.
            g.intro = body
                .map(|(t, _)| t.trim().to_string())
                .filter(|t| !t.is_empty());
        }
    } else {
        for s in body_steps {
            g.steps.push(Step {
                title: s.title,
                short: None,
                text: s.text,
                screenshot: None,
                pos: s.pos,
            });
        }
    }
    g.tips = o.text_list(r, "tips");
    g.warnings = o.text_list(r, "warnings");
    g.legal_basis = o.text_list(r, "legal_basis");
    for (i, n) in o.list(r, "sources").iter().enumerate() {
        let path = item("sources", i);
        if let Some(mut s) = r.obj(n, &path) {
            let title = s.req_text(r, "title");
            let url = s.req_text(r, "url");
            if let Some(u) = &url {
                let ok = url::Url::parse(u)
                    .map(|p| matches!(p.scheme(), "http" | "https") && p.host().is_some())
                    .unwrap_or(false);
                if !ok {
                    r.error(
                        s.pos_of("url"),
                        &format!("{path}.url"),
                        tx!(
                            "`{}` is not a web address",
                            "`{}` không phải địa chỉ trang web",
                            u
                        ),
                        tx!(
                            "a source URL starts with https:// or http://",
                            "địa chỉ nguồn bắt đầu bằng https:// hoặc http://"
                        ),
                    );
                }
            }
            s.finish(r, &["title", "url"]);
            if let (Some(title), Some(url)) = (title, url) {
                g.sources.push(Source { title, url });
            }
        }
    }
    for (i, n) in o.list(r, "related").iter().enumerate() {
        if let Some(s) = r.text(n, &item("related", i)) {
            g.related.push((s, n.pos));
        }
    }
    o.finish(r, GUIDE_KEYS);
    collect_md_refs(&mut g, &o_positions(node));
    Some(g)
}

/// Positions of the Markdown-bearing keys, for reporting problems in Markdown text.
fn o_positions(node: &Node) -> impl Fn(&str) -> Pos + '_ {
    move |key: &str| {
        let mut cur = node;
        for part in key.split('.') {
            let (name, idx) = match part.split_once('[') {
                Some((n, rest)) => (n, rest.trim_end_matches(']').parse::<usize>().ok()),
                None => (part, None),
            };
            let next = match &cur.value {
                yaml::Value::Map(es) => es.iter().find(|e| e.key == name).map(|e| &e.value),
                _ => None,
            };
            let Some(mut n) = next else { return cur.pos };
            if let (Some(i), yaml::Value::Seq(items)) = (idx, &n.value) {
                match items.get(i.saturating_sub(1)) {
                    Some(it) => n = it,
                    None => return n.pos,
                }
            }
            cur = n;
        }
        cur.pos
    }
}

fn collect_md_refs(g: &mut Guide, pos_of: &dyn Fn(&str) -> Pos) {
    let mut texts: Vec<(String, Pos, &str)> = Vec::new();
    if let Some(t) = &g.intro {
        texts.push(("(body)".into(), Pos::START, t));
    }
    for (i, s) in g.steps.iter().enumerate() {
        let key = format!("{}.text", item("steps", i));
        let pos = if s.pos.line > 0 { s.pos } else { pos_of(&key) };
        texts.push((key, pos, &s.text));
    }
    for (i, t) in g.tips.iter().enumerate() {
        let key = item("tips", i);
        texts.push((key.clone(), pos_of(&key), t));
    }
    for (i, t) in g.warnings.iter().enumerate() {
        let key = item("warnings", i);
        texts.push((key.clone(), pos_of(&key), t));
    }
    let mut refs = Vec::new();
    for (key, pos, text) in texts {
        for (target, image) in markdown::refs(text) {
            refs.push(MdRef {
                key: key.clone(),
                pos,
                target,
                image,
            });
        }
    }
    g.md_refs = refs;
}

fn read_step(root: &Path, r: &mut Reader, n: &Node, path: &str) -> Option<Step> {
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

/// Checks that a path written in content stays inside the content folder and exists.
pub fn check_content_path(
    root: &Path,
    r: &mut Reader,
    rel: &str,
    pos: Pos,
    key: &str,
) -> Option<std::path::PathBuf> {
    match files::resolve_in(root, rel) {
        Ok(p) => Some(p),
        Err(problem) => {
            let (msg, mut hint) = path_problem_text(rel, problem);
            if problem == PathProblem::Missing
                && let Some(near) = crate::content::files::near_miss(root, rel)
            {
                hint = tx!(
                    "did you mean `{}`? (names are case-sensitive)",
                    "có phải ý bạn là `{}`? (tên tệp phân biệt chữ hoa, thường)",
                    near
                );
            }
            r.error(pos, key, msg, hint);
            None
        }
    }
}

pub fn path_problem_text(
    rel: &str,
    problem: PathProblem,
) -> (crate::i18n::Text, crate::i18n::Text) {
    let inside = tx!(
        "write the path from the content folder, e.g. `images/khai-sinh/buoc-1.png`",
        "viết đường dẫn tính từ thư mục nội dung, ví dụ `images/khai-sinh/buoc-1.png`"
    );
    match problem {
        PathProblem::Absolute => (
            tx!(
                "`{}` is an absolute path",
                "`{}` là đường dẫn tuyệt đối",
                rel
            ),
            inside,
        ),
        PathProblem::Escapes => (
            tx!(
                "`{}` leaves the content folder",
                "`{}` đi ra ngoài thư mục nội dung",
                rel
            ),
            inside,
        ),
        PathProblem::OutsideViaLink => (
            tx!(
                "`{}` is a link to a file outside the content folder",
                "`{}` là liên kết tới tệp nằm ngoài thư mục nội dung",
                rel
            ),
            tx!(
                "copy the file into the content folder instead of linking to it",
                "chép tệp vào thư mục nội dung thay vì tạo liên kết"
            ),
        ),
        PathProblem::Missing => (
            tx!("file `{}` not found", "không tìm thấy tệp `{}`", rel),
            tx!(
                "check the spelling and that the file is in the content folder (names are case-sensitive)",
                "kiểm tra chính tả và tệp có nằm trong thư mục nội dung không (phân biệt chữ hoa, thường)"
            ),
        ),
        PathProblem::NotAFile => (
            tx!(
                "`{}` is a folder, not a file",
                "`{}` là thư mục, không phải tệp",
                rel
            ),
            inside,
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(Date::parse("2026-02-29"), None);
        assert_eq!(Date::parse("2024-02-29").unwrap().vn(), "29/02/2024");
        assert_eq!(Date::parse("2026-13-01"), None);
        assert_eq!(Date::parse("20-11-2026"), None);
        assert_eq!(
            Date::from_days(0),
            Date {
                year: 1970,
                month: 1,
                day: 1
            }
        );
        assert_eq!(Date::from_days(20_414).to_string(), "2025-11-22");
        let a = Date::parse("2025-11-22").unwrap();
        assert_eq!(a.months_until(Date::parse("2026-11-22").unwrap()), 12);
        assert_eq!(a.months_until(Date::parse("2026-11-21").unwrap()), 11);
    }

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

//! Reading one guide file: the YAML (or Markdown front matter and body), then each group of
//! keys in turn (file name, head fields, portal, documents, fields, steps, sources,
//! related guides), with every problem recorded on the [`Reader`].

use std::path::Path;

use crate::content::files;
use crate::content::files::{GuideFile, Kind};
use crate::content::guide::steps::read_step;
use crate::content::guide::{
    Date, DocForm, Document, Field, GUIDE_KEYS, Guide, OnlineLevel, PLACEHOLDER, PortalSpec,
    Source, Status, Step, refs,
};
use crate::content::markdown;
use crate::content::schema::{Obj, Reader, item};
use crate::content::yaml;
use crate::content::yaml::{Node, Value};
use crate::error::{Diagnostic, Pos};
use crate::tx;

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
    let (yaml_src, yaml_line, body) = match split_source(f, text) {
        Ok(parts) => parts,
        Err(d) => return (None, vec![d]),
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
    let mut guide = read_guide(root, f, &node, body, &mut r);
    if let Some(g) = &mut guide {
        g.placeholder = text.contains(super::PLACEHOLDER);
    }
    (guide, r.diags)
}

/// The YAML text of a guide file, the line it starts at, and (for a Markdown guide) the
/// body with its first line.
type SourceParts<'a> = (&'a str, usize, Option<(&'a str, usize)>);

/// Splits a guide file into its YAML and its Markdown body: a YAML guide is all YAML, a
/// Markdown guide must start with closed front matter.
fn split_source<'a>(f: &GuideFile, text: &'a str) -> Result<SourceParts<'a>, Diagnostic> {
    match f.kind {
        Kind::Yaml => Ok((text, 1, None)),
        Kind::Markdown => match yaml::split_front_matter(text) {
            Some(Ok(fm)) => Ok((fm.yaml, fm.yaml_line, Some((fm.body, fm.body_line)))),
            Some(Err(pos)) => Err(Diagnostic::error(
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
            ))),
            None => Err(Diagnostic::error(
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
            ))),
        },
    }
}

/// Builds the guide from its top-level mapping, key group by key group.
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
    check_file_name(f, &stem, r);
    let mut g = read_head(&mut o, r, f, stem);
    check_code(&g, r);
    read_online_level(&mut o, r, &mut g);
    read_reviewed(&mut o, r, &mut g);
    read_status(&mut o, r, &mut g);
    if let Value::Map(entries) = &node.value {
        g.key_pos = entries.iter().map(|e| (e.key.clone(), e.key_pos)).collect();
    }
    if let Some(n) = o.get("portal") {
        read_portal(r, n, &mut g.portal);
    }
    if let Some(items) = o.req_list(r, "documents") {
        for (i, n) in items.iter().enumerate() {
            g.documents
                .extend(read_document(r, n, &item("documents", i)));
        }
    }
    for (i, n) in o.list(r, "fields").iter().enumerate() {
        g.fields.extend(read_field(r, n, &item("fields", i)));
    }
    read_steps(root, &mut o, r, body, &mut g);
    g.tips = o.text_list(r, "tips");
    g.warnings = o.text_list(r, "warnings");
    g.legal_basis = o.text_list(r, "legal_basis");
    for (i, n) in o.list(r, "sources").iter().enumerate() {
        g.sources.extend(read_source(r, n, &item("sources", i)));
    }
    for (i, n) in o.list(r, "related").iter().enumerate() {
        if let Some(s) = r.text(n, &item("related", i)) {
            g.related.push((s, n.pos));
        }
    }
    o.finish(r, GUIDE_KEYS);
    refs::collect_md_refs(&mut g, &refs::o_positions(node));
    Some(g)
}

/// The file name becomes the page address: it must be a slug.
fn check_file_name(f: &GuideFile, stem: &str, r: &mut Reader) {
    if crate::content::config::is_slug(stem) {
        return;
    }
    r.error(
        Pos::default(),
        "",
        tx!(
            "the file name `{}` is not a valid slug (it becomes the page address)",
            "tên tệp `{}` không dùng làm địa chỉ trang được",
            stem
        ),
        match crate::vn::suggest_slug(stem) {
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

/// The guide with its plain text keys read (title to result) and everything else empty
/// or defaulted, to be filled by the other readers.
fn read_head(o: &mut Obj<'_>, r: &mut Reader, f: &GuideFile, slug: String) -> Guide {
    Guide {
        file: f.rel.clone(),
        slug,
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
        local_notes: Vec::new(),
        slug_pos: Pos::START,
        status: Status::Current,
        effective_from: None,
        key_pos: Default::default(),
        placeholder: false,
        hash: Default::default(),
        text_hash: Default::default(),
    }
}

/// A procedure code is digits with dots (unless it is still the placeholder).
fn check_code(g: &Guide, r: &mut Reader) {
    if let Some(code) = &g.code
        && !code.contains(PLACEHOLDER)
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
}

/// `online_level:` (English or Vietnamese words).
fn read_online_level(o: &mut Obj<'_>, r: &mut Reader, g: &mut Guide) {
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
}

/// `reviewed:` as a `YYYY-MM-DD` date.
fn read_reviewed(o: &mut Obj<'_>, r: &mut Reader, g: &mut Guide) {
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
}

/// `status:` (`current` or `abolished`) and `effective_from:` (a date).
fn read_status(o: &mut Obj<'_>, r: &mut Reader, g: &mut Guide) {
    if let Some(s) = o.opt_text(r, "status") {
        match s.as_str() {
            "current" | "con-hieu-luc" => g.status = Status::Current,
            "abolished" | "bai-bo" => g.status = Status::Abolished,
            other => r.error(
                o.pos_of("status"),
                "status",
                tx!("unknown status `{}`", "trạng thái không hợp lệ `{}`", other),
                tx!(
                    "use `current` (in force, the default) or `abolished` (the guide is left out of the site)",
                    "dùng `current` (còn hiệu lực, mặc định) hoặc `abolished` (đã bãi bỏ: hướng dẫn không được đưa lên trang)"
                ),
            ),
        }
    }
    if let Some(s) = o.opt_text(r, "effective_from") {
        match Date::parse(&s) {
            Some(d) => g.effective_from = Some(d),
            None => r.error(
                o.pos_of("effective_from"),
                "effective_from",
                tx!("`{}` is not a valid date", "`{}` không phải ngày hợp lệ", s),
                tx!(
                    "write the day the procedure applies from as YYYY-MM-DD, e.g. 2027-01-01",
                    "viết ngày thủ tục bắt đầu áp dụng theo dạng NĂM-THÁNG-NGÀY, ví dụ 2027-01-01"
                ),
            ),
        }
    }
}

/// `portal:` with its `url` and `formality_id` (the id checked for its characters).
fn read_portal(r: &mut Reader, n: &Node, portal: &mut PortalSpec) {
    let Some(mut p) = r.obj(n, "portal") else {
        return;
    };
    portal.url = p.opt_text(r, "url").map(|u| (u, p.pos_of("url")));
    portal.formality_id = p
        .opt_text(r, "formality_id")
        .map(|u| (u, p.pos_of("formality_id")));
    if let Some((id, pos)) = &portal.formality_id
        && !id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
    {
        r.error(
            *pos,
            "portal.formality_id",
            tx!(
                "`{}` is not a portal procedure id",
                "`{}` không phải mã định danh thủ tục trên cổng",
                id
            ),
            tx!(
                "copy the id from the portal page address, e.g. 019d2bfd-3fe0-70ac-b9d6-5e9e20d6eef7",
                "chép mã từ địa chỉ trang thủ tục trên cổng, ví dụ 019d2bfd-3fe0-70ac-b9d6-5e9e20d6eef7"
            ),
        );
    }
    p.finish(r, &["url", "formality_id"]);
}

/// One item of `documents:`.
fn read_document(r: &mut Reader, n: &Node, path: &str) -> Option<Document> {
    let mut d = r.obj(n, path)?;
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
        pos: n.pos,
        name: name.unwrap_or_default(),
        note: d.opt_text(r, "note"),
        required: d.bool_or(r, "required", true),
        form,
        count: d.number_or(r, "count", 1.0, 1.0, 99.0) as u32,
    };
    d.finish(r, &["name", "note", "required", "form", "count"]);
    Some(doc)
}

/// One item of `fields:`.
fn read_field(r: &mut Reader, n: &Node, path: &str) -> Option<Field> {
    let mut d = r.obj(n, path)?;
    let field = Field {
        label: d.req_text(r, "label").unwrap_or_default(),
        hint: d.opt_text(r, "hint"),
        required: d.bool_or(r, "required", true),
    };
    d.finish(r, &["label", "hint", "required"]);
    Some(field)
}

/// The steps and the introduction: from `steps:`, or from the sections of a Markdown body
/// (its text before the first section is the introduction). With both, the whole body is
/// the introduction.
fn read_steps(
    root: &Path,
    o: &mut Obj<'_>,
    r: &mut Reader,
    body: Option<(&str, usize)>,
    g: &mut Guide,
) {
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
}

/// One item of `sources:`, its URL checked to be a web address.
fn read_source(r: &mut Reader, n: &Node, path: &str) -> Option<Source> {
    let mut s = r.obj(n, path)?;
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
    Some(Source {
        title: title?,
        url: url?,
    })
}

//! Reading `provinces/<id>.yaml` and `offices/<id>.yaml`, every problem recorded with its
//! file, position and key.

use std::path::Path;

use crate::content::config::{OFFICE_KEYS, is_slug, office_fields};
use crate::content::files;
use crate::content::offices::{
    OFFICES_DIR, OfficeSite, Offices, Override, PROVINCES_DIR, Province,
};
use crate::content::schema::{Obj, Reader, item};
use crate::content::yaml;
use crate::error::{Diagnostic, Diagnostics, Pos};
use crate::tx;

const PROVINCE_KEYS: &[&str] = &["name", "hotline", "allowed_hosts", "guides"];
const OVERRIDE_KEYS: &[&str] = &["fee", "processing_time"];
/// Keys of an office file besides those of `site.yaml`'s `office:`.
const OFFICE_EXTRA_KEYS: &[&str] = &["skip", "extra", "notes"];

/// Reads the provinces and offices of `root` (none when there is no `offices/` folder).
pub fn load(root: &Path, diags: &mut Diagnostics) -> Offices {
    let mut o = Offices::default();
    if !root.join(OFFICES_DIR).is_dir() {
        if root.join(PROVINCES_DIR).is_dir() {
            diags.push(
                Diagnostic::warning(PROVINCES_DIR, Pos::default(), "", tx!(
                    "`provinces/` is not used without `offices/`",
                    "`provinces/` chỉ dùng khi có thư mục `offices/`"
                ))
                .hint(tx!(
                    "add one `offices/<id>.yaml` per ward or commune (see docs/format.md, \"Offices\")",
                    "thêm mỗi phường, xã một tệp `offices/<mã>.yaml` (xem docs/format.md, \"Offices\")"
                )),
            );
        }
        return o;
    }
    for (id, rel) in yaml_files(root, PROVINCES_DIR, diags) {
        if let Some(p) = read_file(root, &rel, diags, |r, top| province(r, top, &id, &rel)) {
            o.provinces.push(p);
        }
    }
    for (id, rel) in yaml_files(root, OFFICES_DIR, diags) {
        if let Some(x) = read_file(root, &rel, diags, |r, top| office(r, top, &id, &rel)) {
            o.offices.push(x);
        }
    }
    o
}

/// The `*.yaml` files of `root/dir`, sorted, as (id, content-relative path). A name that is
/// not a slug is reported: it becomes a folder name of the output.
fn yaml_files(root: &Path, dir: &str, diags: &mut Diagnostics) -> Vec<(String, String)> {
    let Ok(entries) = std::fs::read_dir(root.join(dir)) else {
        return Vec::new();
    };
    let mut out: Vec<(String, String)> = entries
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            if files::is_ignored(&name) {
                return None;
            }
            let id = name.strip_suffix(".yaml")?.to_string();
            Some((id, format!("{dir}/{name}")))
        })
        .collect();
    out.sort();
    out.retain(|(id, rel)| {
        let ok = is_slug(id);
        if !ok {
            diags.push(
                Diagnostic::error(
                    rel,
                    Pos::default(),
                    "",
                    tx!(
                        "the file name `{}` has characters other than a-z, 0-9 and -",
                        "tên tệp `{}` có ký tự ngoài a-z, 0-9 và -",
                        id
                    ),
                )
                .hint(tx!(
                    "the name becomes a folder of the output; use e.g. `{}/le-chan.yaml`",
                    "tên tệp thành tên thư mục kết quả; đặt ví dụ `{}/le-chan.yaml`",
                    dir
                )),
            );
        }
        ok
    });
    out
}

/// Reads one file with `read`, recording its problems.
fn read_file<T>(
    root: &Path,
    rel: &str,
    diags: &mut Diagnostics,
    read: impl FnOnce(&mut Reader, Obj<'_>) -> T,
) -> Option<T> {
    let text = match files::read_text(root, rel) {
        Ok(t) => t,
        Err(d) => {
            diags.push(d);
            return None;
        }
    };
    let node = match yaml::parse(&text, rel, 0) {
        Ok(n) => n,
        Err(d) => {
            diags.push(d);
            return None;
        }
    };
    let mut r = Reader::new(rel);
    let value = r.obj(&node, "").map(|top| read(&mut r, top));
    diags.extend(r.diags);
    value
}

fn province(r: &mut Reader, mut top: Obj<'_>, id: &str, rel: &str) -> Province {
    let mut p = Province {
        id: id.to_string(),
        file: rel.to_string(),
        name: top.req_text(r, "name").unwrap_or_default(),
        hotline: top.opt_text(r, "hotline"),
        ..Province::default()
    };
    p.allowed_hosts = top
        .text_list(r, "allowed_hosts")
        .into_iter()
        .map(|h| h.to_ascii_lowercase())
        .collect();
    if let Some(n) = top.get("guides")
        && let Some(mut g) = r.obj(n, "guides")
    {
        for e in g.all() {
            let path = format!("guides.{}", e.key);
            let Some(mut o) = r.obj(&e.value, &path) else {
                continue;
            };
            p.overrides.push(Override {
                slug: e.key.clone(),
                pos: e.key_pos,
                fee: o.opt_text(r, "fee"),
                processing_time: o.opt_text(r, "processing_time"),
            });
            o.finish(r, OVERRIDE_KEYS);
        }
    }
    top.finish(r, PROVINCE_KEYS);
    p
}

fn office(r: &mut Reader, mut top: Obj<'_>, id: &str, rel: &str) -> OfficeSite {
    let province_pos = top.pos_of("province");
    let mut o = OfficeSite {
        id: id.to_string(),
        file: rel.to_string(),
        office: office_fields(r, &mut top),
        province_pos,
        ..OfficeSite::default()
    };
    match o.office.province.clone() {
        Some(p) => o.province = p,
        None => r.error(
            top.pos,
            "province",
            tx!(
                "missing required key `{}`",
                "thiếu khóa bắt buộc `{}`",
                "province"
            ),
            tx!(
                "add `province: <id>`, the name of a file in `provinces/` without `.yaml`",
                "thêm `province: <mã>`, tên một tệp trong `provinces/` (bỏ `.yaml`)"
            ),
        ),
    }
    o.skip = slugs(r, &mut top, "skip");
    o.extra = slugs(r, &mut top, "extra");
    if let Some(n) = top.get("notes")
        && let Some(mut notes) = r.obj(n, "notes")
    {
        for e in notes.all() {
            if let Some(text) = r.text(&e.value, &format!("notes.{}", e.key)) {
                o.notes.push((e.key.clone(), e.key_pos, text));
            }
        }
    }
    let known: Vec<&str> = OFFICE_KEYS
        .iter()
        .chain(OFFICE_EXTRA_KEYS)
        .copied()
        .collect();
    top.finish(r, &known);
    o
}

/// A list of slugs with their positions.
fn slugs(r: &mut Reader, top: &mut Obj<'_>, key: &str) -> Vec<(String, Pos)> {
    top.list(r, key)
        .iter()
        .enumerate()
        .filter_map(|(i, n)| Some((r.text(n, &item(key, i))?, n.pos)))
        .filter(|(s, _)| !s.is_empty())
        .collect()
}

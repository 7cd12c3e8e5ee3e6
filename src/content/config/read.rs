//! Reading `site.yaml` section by section (language, office, portal and its URL
//! templates, QR, kiosk, review, links, categories), with every problem recorded on the
//! [`Reader`].

use crate::content::config::{
    Category, Office, Portal, RECORDS_API, Site, default_anti_scam, is_slug,
};
use crate::content::portal;
use crate::content::portal::Ecc;
use crate::content::schema::{Obj, Reader, item};
use crate::content::yaml;
use crate::error::Pos;
use crate::i18n::Lang;
use crate::tx;

/// The top-level keys of `site.yaml`.
const TOP_KEYS: &[&str] = &[
    "example",
    "language",
    "title",
    "office",
    "portal",
    "qr",
    "anti_scam",
    "categories",
    "kiosk",
    "review",
    "links",
    "records",
];

/// Reads the whole file, section by section. `offices`: the folder has `offices/`, whose
/// files give each office's contacts, so `office:` is optional.
pub(super) fn read(r: &mut Reader, node: &yaml::Node, offices: bool) -> Option<Site> {
    let mut top = r.obj(node, "")?;
    let mut site = Site {
        example: top.bool_or(r, "example", false),
        ..Site::default()
    };
    if let Some(n) = top.get("language") {
        site.language = read_language(r, n);
    }
    site.title = top
        .opt_text(r, "title")
        .unwrap_or_else(|| match site.language {
            Lang::Vi => "Cẩm nang thủ tục hành chính".into(),
            Lang::En => "Public service handbook".into(),
        });
    let office = if offices {
        top.get("office")
    } else {
        top.required(r, "office")
    };
    if let Some(n) = office
        && let Some(o) = r.obj(n, "office")
    {
        site.office = read_office(r, o);
    }
    if let Some(n) = top.required(r, "portal")
        && let Some(p) = r.obj(n, "portal")
    {
        site.portal = read_portal(r, p);
    }
    if let Some(n) = top.get("qr")
        && let Some(q) = r.obj(n, "qr")
    {
        site.ecc = read_qr(r, q);
    }
    site.anti_scam = if top.has("anti_scam") {
        top.text_list(r, "anti_scam")
    } else {
        default_anti_scam(site.language)
    };
    site.idle_seconds = 120;
    if let Some(n) = top.get("kiosk")
        && let Some(k) = r.obj(n, "kiosk")
    {
        (site.idle_seconds, site.synonyms) = read_kiosk(r, k);
    }
    site.review_months = 12;
    if let Some(n) = top.get("review")
        && let Some(mut k) = r.obj(n, "review")
    {
        site.review_months = k.number_or(r, "max_age_months", 12.0, 1.0, 120.0) as u32;
        k.finish(r, &["max_age_months"]);
    }
    site.links_max_age_days = 90;
    if let Some(n) = top.get("links")
        && let Some(mut k) = r.obj(n, "links")
    {
        site.links_max_age_days = k.number_or(r, "max_age_days", 90.0, 1.0, 3650.0) as u32;
        k.finish(r, &["max_age_days"]);
    }
    site.records_api = read_records(r, &mut top, &site.portal.allowed_hosts);
    if let Some(items) = top.req_list(r, "categories") {
        site.categories = read_categories(r, items);
    }
    top.finish(r, TOP_KEYS);
    Some(site)
}

/// `records:`, where `camnang records fetch` asks for a procedure's record: an https URL on
/// a host of `portal.allowed_hosts` (the portal's own API by default).
fn read_records(r: &mut Reader, top: &mut Obj<'_>, hosts: &[String]) -> String {
    let default = RECORDS_API.to_string();
    let Some(n) = top.get("records") else {
        return default;
    };
    let Some(mut k) = r.obj(n, "records") else {
        return default;
    };
    let pos = k.pos_of("api_url");
    let url = k.opt_text(r, "api_url").unwrap_or(default);
    k.finish(r, &["api_url"]);
    if let Err(why) = portal::check(&url, hosts) {
        r.error(
            pos,
            "records.api_url",
            why,
            tx!(
                "records are read from the portal only: an https URL on a host listed in `portal.allowed_hosts`",
                "bản ghi chỉ lấy từ cổng dịch vụ công: địa chỉ https có tên miền nằm trong `portal.allowed_hosts`"
            ),
        );
    }
    url
}

/// `language:` (`vi` when it is not a known language, after an error).
fn read_language(r: &mut Reader, n: &yaml::Node) -> Lang {
    let s = r.text(n, "language").unwrap_or_default();
    match s.parse::<Lang>() {
        Ok(l) => l,
        Err(_) => {
            r.error(
                n.pos,
                "language",
                tx!("unknown language `{}`", "ngôn ngữ không hỗ trợ `{}`", s),
                tx!("use `vi` or `en`", "dùng `vi` hoặc `en`"),
            );
            Lang::default()
        }
    }
}

/// The keys of an office (`office:` of `site.yaml`, and each `offices/<id>.yaml`).
pub(crate) const OFFICE_KEYS: &[&str] = &[
    "name",
    "province",
    "desk",
    "address",
    "phone",
    "email",
    "hours",
    "home_visit",
];

/// `office:`, the one-stop desk.
fn read_office(r: &mut Reader, mut o: Obj<'_>) -> Office {
    let office = office_fields(r, &mut o);
    o.finish(r, OFFICE_KEYS);
    office
}

/// The fields of an office (the caller reports unknown keys).
pub(crate) fn office_fields(r: &mut Reader, o: &mut Obj<'_>) -> Office {
    let mut office = Office {
        name: o.req_text(r, "name").unwrap_or_default(),
        province: o.opt_text(r, "province"),
        desk: o.opt_text(r, "desk"),
        address: o.req_text(r, "address").unwrap_or_default(),
        phone: o.req_text(r, "phone").unwrap_or_default(),
        email: o.opt_text(r, "email"),
        hours: Vec::new(),
        home_visit: o.opt_text(r, "home_visit"),
        hotline: None,
    };
    if o.required(r, "hours").is_some() {
        office.hours = o.text_list(r, "hours");
    }
    office
}

/// `portal:`, its URL templates checked against its allowed hosts (the default hosts when
/// none are listed).
fn read_portal(r: &mut Reader, mut p: Obj<'_>) -> Portal {
    let mut portal = Portal {
        name: p
            .opt_text(r, "name")
            .unwrap_or_else(|| "Cổng Dịch vụ công quốc gia".into()),
        hotline: p.opt_text(r, "hotline"),
        detail_pos: p.pos_of("detail_url"),
        search_pos: p.pos_of("search_url"),
        ..Portal::default()
    };
    portal.detail_url = p.req_text(r, "detail_url").unwrap_or_default();
    portal.search_url = p.req_text(r, "search_url").unwrap_or_default();
    portal.allowed_hosts = if p.has("allowed_hosts") {
        p.text_list(r, "allowed_hosts")
            .into_iter()
            .map(|h| h.to_ascii_lowercase())
            .collect()
    } else {
        portal::DEFAULT_HOSTS
            .iter()
            .map(|s| s.to_string())
            .collect()
    };
    for (key, template, pos) in [
        ("portal.detail_url", &portal.detail_url, portal.detail_pos),
        ("portal.search_url", &portal.search_url, portal.search_pos),
    ] {
        if template.is_empty() {
            continue;
        }
        check_template(r, key, template, pos, &portal.allowed_hosts);
    }
    p.finish(
        r,
        &[
            "name",
            "hotline",
            "detail_url",
            "search_url",
            "allowed_hosts",
        ],
    );
    portal
}

/// `qr:`, the error-correction level of the QR codes (Q unless set).
fn read_qr(r: &mut Reader, mut q: Obj<'_>) -> Ecc {
    let mut ecc = Ecc::default();
    if let Some(v) = q.opt_text(r, "error_correction") {
        match Ecc::parse(&v) {
            Some(e) => ecc = e,
            None => r.error(
                q.pos_of("error_correction"),
                "qr.error_correction",
                tx!(
                    "unknown error-correction level `{}`",
                    "mức sửa lỗi không hợp lệ `{}`",
                    v
                ),
                tx!(
                    "use M, Q (default, survives photocopies) or H",
                    "dùng M, Q (mặc định, chịu được photocopy) hoặc H"
                ),
            ),
        }
    }
    q.finish(r, &["error_correction"]);
    ecc
}

/// `kiosk:`, the idle time and the synonym groups of the kiosk search.
fn read_kiosk(r: &mut Reader, mut k: Obj<'_>) -> (u32, Vec<Vec<String>>) {
    let idle_seconds = k.number_or(r, "idle_seconds", 120.0, 15.0, 3600.0) as u32;
    let mut synonyms = Vec::new();
    for (i, n) in k.list(r, "synonyms").iter().enumerate() {
        let path = format!("kiosk.synonyms[{}]", i + 1);
        let Some(items) = r.list(n, &path) else {
            continue;
        };
        let group: Vec<String> = items
            .iter()
            .enumerate()
            .filter_map(|(j, x)| r.text(x, &format!("{path}[{}]", j + 1)))
            .filter(|s| !s.is_empty())
            .collect();
        if group.len() >= 2 {
            synonyms.push(group);
        } else {
            r.error(
                n.pos,
                &path,
                tx!(
                    "a synonym group needs at least two phrases",
                    "một nhóm từ đồng nghĩa cần ít nhất hai cụm từ"
                ),
                tx!(
                    "write the phrases that mean the same in one list, e.g. `[BHYT, bảo hiểm y tế]`",
                    "ghi các cụm từ cùng nghĩa trong một danh sách, ví dụ `[BHYT, bảo hiểm y tế]`"
                ),
            );
        }
    }
    k.finish(r, &["idle_seconds", "synonyms"]);
    (idle_seconds, synonyms)
}

/// `categories:`, each id a slug used once.
fn read_categories(r: &mut Reader, items: &[yaml::Node]) -> Vec<Category> {
    let mut categories: Vec<Category> = Vec::new();
    for (i, n) in items.iter().enumerate() {
        let path = item("categories", i);
        let Some(mut c) = r.obj(n, &path) else {
            continue;
        };
        let id = c.req_text(r, "id");
        let title = c.req_text(r, "title");
        let description = c.opt_text(r, "description");
        if let Some(id) = &id {
            if !is_slug(id) {
                r.error(
                    c.pos_of("id"),
                    &format!("{path}.id"),
                    tx!(
                        "category id `{}` has characters other than a-z, 0-9 and -",
                        "mã danh mục `{}` có ký tự ngoài a-z, 0-9 và -",
                        id
                    ),
                    tx!(
                        "use lower-case letters without marks, digits and `-`, e.g. `ho-tich`",
                        "dùng chữ thường không dấu, số và `-`, ví dụ `ho-tich`"
                    ),
                );
            } else if categories.iter().any(|c| &c.id == id) {
                r.error(
                    c.pos_of("id"),
                    &format!("{path}.id"),
                    tx!(
                        "category id `{}` is used twice",
                        "mã danh mục `{}` bị trùng",
                        id
                    ),
                    tx!(
                        "give each category its own id",
                        "mỗi danh mục cần một mã riêng"
                    ),
                );
            }
        }
        c.finish(r, &["id", "title", "description"]);
        if let (Some(id), Some(title)) = (id, title) {
            categories.push(Category {
                id,
                title,
                description,
            });
        }
    }
    categories
}

/// A template must be an allowed https URL once its placeholders are filled.
fn check_template(r: &mut Reader, key: &str, template: &str, pos: Pos, hosts: &[String]) {
    let sample = portal::fill(template, &[("formality_id", "x"), ("code", "1.000000")]);
    match sample {
        Err(name) => r.error(
            pos,
            key,
            tx!(
                "unknown placeholder `{{{}}}` in the URL template",
                "chỗ thay thế `{{{}}}` không hợp lệ trong mẫu URL",
                name
            ),
            tx!(
                "use `{{formality_id}}` or `{{code}}`",
                "dùng `{{formality_id}}` hoặc `{{code}}`"
            ),
        ),
        Ok(url) => {
            if let Err(why) = portal::check(&url, hosts) {
                r.error(
                    pos,
                    key,
                    why,
                    tx!(
                        "portal templates must be https URLs on a host listed in `portal.allowed_hosts`",
                        "mẫu URL phải là https và có tên miền nằm trong `portal.allowed_hosts`"
                    ),
                );
            }
        }
    }
}

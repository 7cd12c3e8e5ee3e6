//! `site.yaml`: the office, the portal URL templates and allowed hosts, categories and
//! defaults. See `docs/format.md` for a complete example.

use std::path::Path;

use serde::Serialize;

use crate::content::files;
use crate::content::portal;
use crate::content::portal::Ecc;
use crate::content::schema::{Reader, item};
use crate::content::yaml;
use crate::error::{Diagnostic, Pos};
use crate::i18n::Lang;
use crate::tx;

pub const SITE_FILE: &str = "site.yaml";

/// The one-stop desk that residents contact.
#[derive(Debug, Clone, Serialize, Default)]
pub struct Office {
    pub name: String,
    pub province: Option<String>,
    pub desk: Option<String>,
    pub address: String,
    pub phone: String,
    pub email: Option<String>,
    pub hours: Vec<String>,
    pub home_visit: Option<String>,
}

/// Where portal links point.
#[derive(Debug, Clone, Serialize, Default)]
pub struct Portal {
    pub name: String,
    pub hotline: Option<String>,
    /// Template with `{formality_id}` (and optionally `{code}`).
    pub detail_url: String,
    /// Template with `{code}`.
    pub search_url: String,
    pub allowed_hosts: Vec<String>,
    #[serde(skip)]
    pub detail_pos: Pos,
    #[serde(skip)]
    pub search_pos: Pos,
}

#[derive(Debug, Clone, Serialize)]
pub struct Category {
    pub id: String,
    pub title: String,
    pub description: Option<String>,
}

/// The whole `site.yaml`.
#[derive(Debug, Clone, Serialize, Default)]
pub struct Site {
    pub example: bool,
    pub language: Lang,
    pub title: String,
    pub office: Office,
    pub portal: Portal,
    pub ecc: Ecc,
    pub anti_scam: Vec<String>,
    pub categories: Vec<Category>,
    /// Kiosk: seconds without a touch before it returns home.
    pub idle_seconds: u32,
    /// Kiosk search: extra groups of phrases that mean the same (`kiosk.synonyms`), added
    /// to the built-in ones of [`crate::render::search::SYNONYMS`].
    pub synonyms: Vec<Vec<String>>,
    /// `check` warns about guides not reviewed for more months than this.
    pub review_months: u32,
    /// Set by `build --pdf` (not read from `site.yaml`): the print index links the PDFs.
    #[serde(skip)]
    pub pdf: bool,
}

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
];

/// The default anti-scam lines (from police warnings; see `shared/research/procedures.md` §12).
pub fn default_anti_scam(lang: Lang) -> Vec<String> {
    match lang {
        Lang::Vi => vec![
            "Cán bộ, công an không bao giờ gọi điện đòi mã OTP, mật khẩu, passcode hay yêu cầu chuyển tiền.".into(),
            "Chỉ cài VNeID từ App Store hoặc Google Play; không bấm vào đường link lạ gửi qua tin nhắn, Zalo, Facebook.".into(),
            "Tự gõ địa chỉ dichvucong.gov.vn hoặc quét mã QR in trên tờ này; nghi ngờ thì gọi Bộ phận một cửa hoặc công an phường.".into(),
        ],
        Lang::En => vec![
            "Officials and police never phone you for OTP codes, passwords or passcodes, or ask for money transfers.".into(),
            "Install VNeID only from the App Store or Google Play; never follow links sent by SMS, Zalo or Facebook.".into(),
            "Type dichvucong.gov.vn yourself or scan the QR code printed here; if in doubt, call the one-stop desk or the ward police.".into(),
        ],
    }
}

/// Reads and checks `root/site.yaml`.
pub fn load(root: &Path) -> Result<Site, Vec<Diagnostic>> {
    if !root.join(SITE_FILE).is_file() {
        return Err(vec![
            Diagnostic::error(
                SITE_FILE,
                Pos::default(),
                "",
                tx!(
                    "the site file `site.yaml` is missing",
                    "thiếu tệp cấu hình `site.yaml`"
                ),
            )
            .hint(tx!(
                "is this the content folder? `camnang init DIR` creates a new site",
                "đây có đúng là thư mục nội dung không? `camnang init THƯ_MỤC` tạo một trang mới"
            )),
        ]);
    }
    let text = files::read_text(root, SITE_FILE).map_err(|d| vec![d])?;
    parse(&text)
}

/// Parses the text of `site.yaml`.
pub fn parse(text: &str) -> Result<Site, Vec<Diagnostic>> {
    let node = yaml::parse(text, SITE_FILE, 0).map_err(|d| vec![d])?;
    let mut r = Reader::new(SITE_FILE);
    let site = read(&mut r, &node);
    if r.diags
        .iter()
        .any(|d| d.severity == crate::error::Severity::Error)
    {
        return Err(r.diags);
    }
    site.ok_or(r.diags)
}

fn read(r: &mut Reader, node: &yaml::Node) -> Option<Site> {
    let mut top = r.obj(node, "")?;
    let mut site = Site {
        example: top.bool_or(r, "example", false),
        ..Site::default()
    };
    if let Some(n) = top.get("language") {
        let s = r.text(n, "language").unwrap_or_default();
        match s.parse::<Lang>() {
            Ok(l) => site.language = l,
            Err(_) => r.error(
                n.pos,
                "language",
                tx!("unknown language `{}`", "ngôn ngữ không hỗ trợ `{}`", s),
                tx!("use `vi` or `en`", "dùng `vi` hoặc `en`"),
            ),
        }
    }
    site.title = top
        .opt_text(r, "title")
        .unwrap_or_else(|| match site.language {
            Lang::Vi => "Cẩm nang thủ tục hành chính".into(),
            Lang::En => "Public service handbook".into(),
        });

    if let Some(n) = top.required(r, "office")
        && let Some(mut o) = r.obj(n, "office")
    {
        site.office = Office {
            name: o.req_text(r, "name").unwrap_or_default(),
            province: o.opt_text(r, "province"),
            desk: o.opt_text(r, "desk"),
            address: o.req_text(r, "address").unwrap_or_default(),
            phone: o.req_text(r, "phone").unwrap_or_default(),
            email: o.opt_text(r, "email"),
            hours: Vec::new(),
            home_visit: o.opt_text(r, "home_visit"),
        };
        if o.required(r, "hours").is_some() {
            site.office.hours = o.text_list(r, "hours");
        }
        o.finish(
            r,
            &[
                "name",
                "province",
                "desk",
                "address",
                "phone",
                "email",
                "hours",
                "home_visit",
            ],
        );
    }

    if let Some(n) = top.required(r, "portal")
        && let Some(mut p) = r.obj(n, "portal")
    {
        site.portal.name = p
            .opt_text(r, "name")
            .unwrap_or_else(|| "Cổng Dịch vụ công quốc gia".into());
        site.portal.hotline = p.opt_text(r, "hotline");
        site.portal.detail_pos = p.pos_of("detail_url");
        site.portal.search_pos = p.pos_of("search_url");
        site.portal.detail_url = p.req_text(r, "detail_url").unwrap_or_default();
        site.portal.search_url = p.req_text(r, "search_url").unwrap_or_default();
        site.portal.allowed_hosts = if p.has("allowed_hosts") {
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
            (
                "portal.detail_url",
                site.portal.detail_url.clone(),
                site.portal.detail_pos,
            ),
            (
                "portal.search_url",
                site.portal.search_url.clone(),
                site.portal.search_pos,
            ),
        ] {
            if template.is_empty() {
                continue;
            }
            check_template(r, key, &template, pos, &site.portal.allowed_hosts);
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
    }

    if let Some(n) = top.get("qr")
        && let Some(mut q) = r.obj(n, "qr")
    {
        if let Some(v) = q.opt_text(r, "error_correction") {
            match Ecc::parse(&v) {
                Some(e) => site.ecc = e,
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
    }

    site.anti_scam = if top.has("anti_scam") {
        top.text_list(r, "anti_scam")
    } else {
        default_anti_scam(site.language)
    };

    site.idle_seconds = 120;
    if let Some(n) = top.get("kiosk")
        && let Some(mut k) = r.obj(n, "kiosk")
    {
        site.idle_seconds = k.number_or(r, "idle_seconds", 120.0, 15.0, 3600.0) as u32;
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
                site.synonyms.push(group);
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
    }
    site.review_months = 12;
    if let Some(n) = top.get("review")
        && let Some(mut k) = r.obj(n, "review")
    {
        site.review_months = k.number_or(r, "max_age_months", 12.0, 1.0, 120.0) as u32;
        k.finish(r, &["max_age_months"]);
    }

    if let Some(items) = top.req_list(r, "categories") {
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
                } else if site.categories.iter().any(|c| &c.id == id) {
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
                site.categories.push(Category {
                    id,
                    title,
                    description,
                });
            }
        }
    }
    top.finish(r, TOP_KEYS);
    Some(site)
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

/// Lower-case ASCII letters, digits and inner hyphens.
pub fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with('-')
        && !s.ends_with('-')
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

impl Site {
    pub fn category(&self, id: &str) -> Option<&Category> {
        self.categories.iter().find(|c| c.id == id)
    }
}

/// The `language:` of `root/site.yaml`, if it can be read (for messages about a site
/// that may not load).
pub fn peek_language(root: &Path) -> Option<Lang> {
    let text = files::read_text(root, SITE_FILE).ok()?;
    let node = yaml::parse(&text, SITE_FILE, 0).ok()?;
    let yaml::Value::Map(entries) = &node.value else {
        return None;
    };
    entries
        .iter()
        .find(|e| e.key == "language")
        .and_then(|e| match &e.value.value {
            yaml::Value::Str(s) => s.parse().ok(),
            _ => None,
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    const OK: &str = "office:\n  name: UBND\n  address: 1 A\n  phone: \"0225\"\n  hours: [\"7:30\"]\nportal:\n  detail_url: \"https://dichvucong.gov.vn/thu-tuc-hanh-chinh/{formality_id}\"\n  search_url: \"https://dichvucong.gov.vn/tim?keyword={code}\"\ncategories:\n  - id: ho-tich\n    title: Hộ tịch\n";

    #[test]
    fn minimal_site_has_defaults() {
        let s = parse(OK).unwrap();
        assert_eq!(s.language, Lang::Vi);
        assert_eq!(
            s.portal.allowed_hosts,
            vec!["dichvucong.gov.vn", "lienthong.dichvucong.gov.vn"]
        );
        assert_eq!(s.ecc, Ecc::Q);
        assert_eq!(s.idle_seconds, 120);
        assert_eq!(s.anti_scam.len(), 3);
    }

    #[test]
    fn template_on_foreign_host_is_refused() {
        let bad = OK.replace(
            "https://dichvucong.gov.vn/tim",
            "https://dichvucong.gov.vn.evil.example/tim",
        );
        let d = parse(&bad).unwrap_err();
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].key, "portal.search_url");
        assert_eq!(d[0].pos, Pos::new(8, 15));
    }
}

//! `site.yaml`: the office, the portal URL templates and allowed hosts, categories and
//! defaults. See `docs/format.md` for a complete example. This file holds the model,
//! loading and parsing; each section is read in `read`.

mod read;

pub(crate) use read::{OFFICE_KEYS, office_fields};

use std::path::Path;

use serde::Serialize;

use crate::content::files;
use crate::content::portal::Ecc;
use crate::content::schema::Reader;
use crate::content::yaml;
use crate::error::{Diagnostic, Pos};
use crate::i18n::Lang;
use crate::tx;

pub const SITE_FILE: &str = "site.yaml";

/// The portal's API for one procedure's record, as its own web app calls it (see
/// docs/sources.md); `records.api_url` in `site.yaml` replaces it.
pub const RECORDS_API: &str =
    "https://dichvucong.gov.vn/api/v1/configuring/formality/get-formality-by-citizen";

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
    /// The province's help line (from `provinces/<id>.yaml`; not a key of `office:`).
    pub hotline: Option<String>,
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
    /// `check` warns about QR links last checked more days ago than this (`links.max_age_days`).
    pub links_max_age_days: u32,
    /// Where `camnang records fetch` asks for a record (`records.api_url`): `POST` with
    /// `{"id": "<formality_id>"}`, answered by `{"code": "OK", "data": {…}}`.
    pub records_api: String,
    /// Set by `build --pdf` (not read from `site.yaml`): the print index links the PDFs.
    #[serde(skip)]
    pub pdf: bool,
}

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
    parse_with(
        &text,
        root.join(crate::content::offices::OFFICES_DIR).is_dir(),
    )
}

/// Parses the text of `site.yaml`.
pub fn parse(text: &str) -> Result<Site, Vec<Diagnostic>> {
    parse_with(text, false)
}

/// Parses the text of `site.yaml` of a folder with or without `offices/`: with offices,
/// each office file holds its contacts, so `office:` may be left out.
fn parse_with(text: &str, offices: bool) -> Result<Site, Vec<Diagnostic>> {
    let node = yaml::parse(text, SITE_FILE, 0).map_err(|d| vec![d])?;
    let mut r = Reader::new(SITE_FILE);
    let site = read::read(&mut r, &node, offices);
    if r.diags
        .iter()
        .any(|d| d.severity == crate::error::Severity::Error)
    {
        return Err(r.diags);
    }
    site.ok_or(r.diags)
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
        assert_eq!(s.links_max_age_days, 90);
    }

    #[test]
    fn links_max_age_is_read_and_checked() {
        let s = parse(&format!("{OK}links:\n  max_age_days: 30\n")).unwrap();
        assert_eq!(s.links_max_age_days, 30);
        let d = parse(&format!("{OK}links:\n  max_age_days: 0\n  every: 2\n")).unwrap_err();
        assert_eq!(d.len(), 2, "{d:?}");
        assert_eq!(d[0].key, "links.max_age_days");
        assert_eq!(d[0].pos, Pos::new(13, 17));
        assert_eq!(d[0].message.en, "expected a number from 1 to 3650");
        assert_eq!(d[1].key, "links.every");
        assert_eq!(d[1].pos, Pos::new(14, 3));
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

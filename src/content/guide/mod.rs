//! The domain model (a guide and its parts). Reading and checking one guide file is in
//! `read` (the head keys, documents, fields, sources), `steps` (steps and screenshots),
//! `refs` (Markdown links) and `paths` (content paths); all re-exported here.
//!
//! Checks that need several files (duplicate slugs and codes, categories, links between
//! guides, portal URLs) are in `content::validate`.

mod date;
mod paths;
mod read;
mod refs;
mod steps;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::error::Pos;

pub use date::Date;
pub use paths::{check_content_path, path_problem_text};
pub use read::{load, parse};

/// The text `camnang new` puts where the writer still has to fill something in. `check`
/// warns about every value that still contains it.
pub const PLACEHOLDER: &str = "CẦN ĐIỀN";

/// Image formats accepted for screenshots.
pub const IMAGE_EXTENSIONS: &[&str] = &["png", "jpg", "jpeg", "webp", "svg", "gif"];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OnlineLevel {
    /// Toàn trình: everything online.
    Full,
    /// Một phần: part of it needs a visit.
    Partial,
}

/// How a document is to be brought.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
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

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Document {
    pub name: String,
    pub note: Option<String>,
    pub required: bool,
    pub form: Option<DocForm>,
    pub count: u32,
    /// Where the item starts (for warnings about it).
    pub pos: Pos,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Field {
    pub label: String,
    pub hint: Option<String>,
    pub required: bool,
}

/// A box drawn over a screenshot, in percent of the image.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
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
    pub pos: Pos,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Step {
    pub title: String,
    pub short: Option<String>,
    /// Markdown.
    pub text: String,
    pub screenshot: Option<Screenshot>,
    pub pos: Pos,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Source {
    pub title: String,
    pub url: String,
}

/// Where the guide's portal link comes from (see docs/format.md, "Portal links").
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct PortalSpec {
    pub url: Option<(String, Pos)>,
    pub formality_id: Option<(String, Pos)>,
}

/// A reference found in Markdown text, checked once all guides are known.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MdRef {
    pub key: String,
    pub pos: Pos,
    pub target: String,
    pub image: bool,
}

/// Whether a procedure is still in force (`status:`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// In force (the default).
    #[default]
    Current,
    /// Abolished: the guide is kept out of the site, kiosk, search and printables.
    Abolished,
}

/// One procedure guide.
#[derive(Debug, Clone, Serialize, Deserialize)]
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
    /// Notes of the office whose site this is (`notes:` of `offices/<id>.yaml`); empty in
    /// the guide as read.
    pub local_notes: Vec<String>,
    pub code_pos: Pos,
    pub category_pos: Pos,
    pub slug_pos: Pos,
    /// Where `reviewed:` is (for the "not reviewed for N months" warning of `check`).
    pub reviewed_pos: Pos,
    /// `status:` (in force unless `abolished`).
    pub status: Status,
    /// `effective_from:`: the day the procedure applies from, when that is still to come.
    pub effective_from: Option<Date>,
    /// Where each top-level key is written (`line:col` of the key), for warnings that
    /// point at a key, e.g. the comparison with the official record.
    pub key_pos: BTreeMap<String, Pos>,
    /// Whether the file's text has the placeholder of `camnang new` ([`PLACEHOLDER`])
    /// anywhere, comments included (`check` then finds its lines in the file).
    pub placeholder: bool,
    /// The hash of the guide as read, once worked out (see [`Memo`]).
    #[serde(skip)]
    pub hash: Memo,
    /// The hash of its searchable text, once worked out (see [`Memo`]).
    #[serde(skip)]
    pub text_hash: Memo,
}

/// A value worked out from a guide once and kept with it: the hash of the guide as read,
/// which rebuild keys are made from, or of its searchable text, which its search terms
/// are kept under (`serve` lends the same guides to every update). A
/// copy starts empty, as whoever copies a guide may change it (an office's copy carries
/// its province's fee and its notes).
#[derive(Default)]
pub struct Memo(std::sync::OnceLock<u128>);

impl Memo {
    /// The value, worked out by `f` the first time.
    pub fn get_or(&self, f: impl FnOnce() -> u128) -> u128 {
        *self.0.get_or_init(f)
    }

    /// The value, if it was worked out.
    pub fn get(&self) -> Option<u128> {
        self.0.get().copied()
    }
}

impl Clone for Memo {
    fn clone(&self) -> Self {
        Memo::default()
    }
}

impl std::fmt::Debug for Memo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Memo")
    }
}

impl Guide {
    /// Where the top-level `key` is written, or the start of the file when it is not.
    pub fn pos_of(&self, key: &str) -> Pos {
        self.key_pos.get(key).copied().unwrap_or(Pos::START)
    }
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
    "status",
    "effective_from",
];

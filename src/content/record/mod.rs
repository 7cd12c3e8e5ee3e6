//! Official procedure records, as the national portal serves them (issue #14): the only
//! module that reads the portal's record JSON (with `serde_json`, in `raw`). A record
//! becomes clean official facts ([`Record`]): names without bullets and tabs, documents
//! apart from the notes the portal mixes in among them, fees and processing times per way
//! of filing, and whether the procedure is still in force.
//!
//! - [`parse`]: one record's text → [`Record`], or a diagnostic at `file:line:col`
//! - [`load_all`]: the content folder's `records/*.json`, by procedure code
//! - [`drift`]: a guide compared with its record (warnings of `check` and `build`)
//! - [`changes`]: two copies of a record compared (`records fetch`)

pub mod changes;
pub(crate) mod clean;
pub mod drift;
mod raw;

use std::collections::BTreeMap;
use std::path::Path;

use crate::content::files;
use crate::content::guide::Date;
use crate::error::{Diagnostic, Pos};
use crate::tx;

pub use clean::{clean_name, legal_code};

/// The folder of saved records, inside the content folder.
pub const RECORDS_DIR: &str = "records";

/// The record states that mean "in force" (any other state means it no longer is).
pub const CURRENT_STATES: &[&str] = &["ACTIVE", "UPDATED"];

/// A way of filing (`submissionMethod`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Way {
    Direct,
    Online,
    Postal,
    Other(String),
}

impl Way {
    fn parse(s: &str) -> Way {
        match s.trim() {
            "DIRECT" => Way::Direct,
            "ONLINE" => Way::Online,
            "POSTAL" => Way::Postal,
            other => Way::Other(other.to_string()),
        }
    }

    /// "Nộp trực tiếp", … (the words of a guide, which is in Vietnamese).
    pub fn vi(&self) -> String {
        match self {
            Way::Direct => "Nộp trực tiếp".into(),
            Way::Online => "Nộp trực tuyến".into(),
            Way::Postal => "Nộp qua bưu chính".into(),
            Way::Other(s) => format!("Cách nộp {s}"),
        }
    }
}

/// A length of time: `1 ngày làm việc`.
#[derive(Debug, Clone, PartialEq)]
pub struct Duration {
    pub qty: f64,
    /// The portal's unit (`WORKING_DAY`, `DAY`, `HOUR`, …).
    pub unit: String,
}

impl Duration {
    /// `1 ngày làm việc`, `0,5 ngày`.
    pub fn vi(&self) -> String {
        let unit = match self.unit.as_str() {
            "WORKING_DAY" => "ngày làm việc",
            "DAY" => "ngày",
            "HOUR" => "giờ",
            "WORKING_HOUR" => "giờ làm việc",
            "WEEK" => "tuần",
            "MONTH" => "tháng",
            other => other,
        };
        format!("{} {unit}", clean::number_vi(self.qty))
    }
}

/// A fee of one way of filing.
#[derive(Debug, Clone, PartialEq)]
pub struct Fee {
    pub amount: f64,
    /// `đồng`, `USD`.
    pub currency: String,
    /// What it is counted by, as written (`/trang`), may be empty.
    pub per: String,
}

impl Fee {
    /// `2.000 đồng/trang`.
    pub fn vi(&self) -> String {
        format!(
            "{} {}{}",
            clean::number_vi(self.amount),
            self.currency,
            self.per
        )
    }
}

/// Fee and processing time of one way of filing.
#[derive(Debug, Clone, PartialEq)]
pub struct Method {
    pub way: Way,
    /// Fees of more than 0 (a fee of 0 is no fee).
    pub fees: Vec<Fee>,
    /// The method's own text, which often states the fee in words.
    pub description: String,
    /// From `processingTime` when its unit is known, else from the cases' `processingDay`.
    pub time: Option<Duration>,
}

/// A paper to hand in or show.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    pub name: String,
    pub original: u32,
    pub copy: u32,
    /// Listed under a heading about papers to show (`xuất trình`), not hand in.
    pub show: bool,
    /// The heading it was listed under, cleaned (`Giấy tờ phải nộp`), may be empty.
    pub heading: String,
}

/// An act of the legal basis.
#[derive(Debug, Clone, PartialEq)]
pub struct Act {
    /// The act's number as written in the record, cleaned (`123/2015/NĐ-CP`).
    pub code: String,
    pub name: String,
}

impl Act {
    /// The act as a line of a guide's `legal_basis:`: its name, with its number when the
    /// name lacks it.
    pub fn text(&self) -> String {
        if self.name.is_empty() {
            self.code.clone()
        } else if crate::vn::fold(&self.name).contains(&crate::vn::fold(&self.code)) {
            self.name.clone()
        } else {
            format!("{} ({})", self.name, self.code)
        }
    }
}

/// The act that published the procedure (`procedureProposal`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Proposal {
    pub number: String,
    pub decided: Option<Date>,
    pub published: Option<Date>,
}

/// One official record, cleaned.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    /// Where it was read from, relative to the content folder (or as given).
    pub file: String,
    pub code: String,
    /// `data.id`: the id of the procedure's page on the portal.
    pub formality_id: String,
    pub name: String,
    /// As written (`ACTIVE`, `UPDATED`, …); empty when the record has none.
    pub state: String,
    /// `isFullProcess`: the whole procedure can be done online (toàn trình).
    pub full_online: bool,
    pub documents: Vec<Document>,
    /// The components with no quantity and the texts under a note heading (`* Lưu ý:`).
    pub notes: Vec<String>,
    /// In the record's order.
    pub methods: Vec<Method>,
    pub agencies: Vec<String>,
    pub results: Vec<String>,
    pub legal_basis: Vec<Act>,
    pub proposal: Option<Proposal>,
    /// The day the portal last saved the record (`updatedAt`, else `createdAt`), in
    /// Vietnam's time zone.
    pub saved: Option<Date>,
}

impl Record {
    /// Whether the procedure is in force: the state is one of [`CURRENT_STATES`] (a record
    /// without a state counts as in force).
    pub fn in_force(&self) -> bool {
        self.state.is_empty() || CURRENT_STATES.contains(&self.state.as_str())
    }
}

/// Reads one record from its JSON text; `file` names it in the diagnostics.
pub fn parse(text: &str, file: &str) -> Result<Record, Diagnostic> {
    let bad = |e: serde_json::Error| json_error(file, &e);
    let env: raw::Envelope = serde_json::from_str(text).map_err(bad)?;
    let raw = match env.data {
        Some(d) => d,
        None => serde_json::from_str::<raw::RawRecord>(text).map_err(bad)?,
    };
    clean::record(raw, file)
}

/// A JSON syntax or type error at its line and column.
fn json_error(file: &str, e: &serde_json::Error) -> Diagnostic {
    let pos = Pos::new(e.line().max(1), e.column().max(1));
    let what = e.to_string();
    // serde_json ends its message with " at line L column C", which the position says.
    let what = what
        .rsplit_once(" at line ")
        .map_or(what.as_str(), |(m, _)| m)
        .to_string();
    Diagnostic::error(
        file,
        pos,
        "",
        tx!(
            "the record is not valid JSON: {}",
            "bản ghi không phải JSON hợp lệ: {}",
            what
        ),
    )
    .hint(tx!(
        "save the portal's answer as it came (a JSON object with `data`), without editing it",
        "lưu nguyên câu trả lời của cổng (một đối tượng JSON có `data`), đừng sửa tay"
    ))
}

/// Reads a record file (UTF-8) of the content folder, `rel` relative to `root`.
pub fn load(root: &Path, rel: &str) -> Result<Record, Diagnostic> {
    let text = files::read_text(root, rel)?;
    parse(&text, rel)
}

/// The saved records of the content folder (`records/*.json`) by procedure code, and the
/// problems of those that could not be read. No folder, no records.
pub fn load_all(root: &Path) -> (BTreeMap<String, Record>, Vec<Diagnostic>) {
    let mut out = BTreeMap::new();
    let mut diags = Vec::new();
    let Ok(entries) = std::fs::read_dir(root.join(RECORDS_DIR)) else {
        return (out, diags);
    };
    let mut names: Vec<String> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".json") && !files::is_ignored(n))
        .collect();
    names.sort();
    for name in names {
        let rel = format!("{RECORDS_DIR}/{name}");
        match load(root, &rel) {
            Ok(r) => {
                let stem = name.trim_end_matches(".json");
                if stem != r.code {
                    diags.push(
                        Diagnostic::warning(
                            &rel,
                            Pos::START,
                            "code",
                            tx!(
                                "the record's procedure code is {}, not the file's name",
                                "mã thủ tục trong bản ghi là {}, khác tên tệp",
                                r.code
                            ),
                        )
                        .hint(tx!(
                            "rename the file `{}.json`: guides find their record by its name",
                            "đổi tên tệp thành `{}.json`: hướng dẫn tìm bản ghi theo tên tệp",
                            r.code
                        )),
                    );
                }
                out.insert(stem.to_string(), r);
            }
            Err(d) => diags.push(d),
        }
    }
    (out, diags)
}

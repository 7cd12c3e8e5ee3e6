//! `camnang records fetch [CODE…]` (online, opt-in): downloads the current official record
//! of each guide that has a `portal.formality_id` (or of the guides named by code) into
//! the content folder's `records/<code>.json`, and says per guide what changed since the
//! saved copy (issue #14).
//!
//! A bad answer — an HTTP error, HTML or a truncated body instead of JSON, a record of
//! another procedure — is reported and never replaces a good saved record: a record is
//! written (atomically) only once it reads as the record asked for. Requests go through the
//! [online client](crate::commands::online): proxies from the environment, timeouts, a few
//! at a time. `build` and `check` never fetch.

use std::path::Path;

use url::Url;

use crate::commands::links::write_atomically;
use crate::commands::online::{Client, Options, status_text};
use crate::content::guide::Guide;
use crate::content::record::changes::changes;
use crate::content::record::{self, RECORDS_DIR};
use crate::content::{Content, load_content};
use crate::error::Error;
use crate::i18n::{Lang, Text};
use crate::tx;

/// The largest record answer read (real records are tens of kilobytes).
const MAX_BODY: usize = 8 << 20;

/// What happened to one guide's record.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// There was no saved record; it is saved now.
    New,
    /// The saved record is the same, byte for byte.
    Same,
    /// The saved record is replaced; its official facts changed so (may be empty: only
    /// other fields changed).
    Changed(Vec<Text>),
    /// Nothing saved: why (the saved record, if any, is kept).
    Failed(Text),
}

/// One guide's fetch.
#[derive(Debug, Clone)]
pub struct Fetched {
    pub code: String,
    /// The guide's file.
    pub guide: String,
    pub outcome: Outcome,
}

/// Fetches the records of the guides of `root` (all with a `portal.formality_id`, or those
/// whose code is in `codes`).
pub fn run(root: &Path, codes: &[String], opts: Options) -> Result<Vec<Fetched>, Error> {
    let content = load_content(root).map_err(Error::Content)?;
    let guides = chosen(&content, codes)?;
    let api = Url::parse(&content.site.records_api)
        .map_err(|e| Error::Other(format!("records.api_url: {e}")))?;
    let client = Client::new(opts);
    std::fs::create_dir_all(root.join(RECORDS_DIR))
        .map_err(|e| Error::io(root.join(RECORDS_DIR), e))?;
    Ok(client.each(&guides, |g| {
        let code = g.code.clone().unwrap_or_default();
        let outcome = match fetch_one(&client, &api, g) {
            Ok(body) => save(root, &code, &body),
            Err(why) => Outcome::Failed(why),
        };
        Fetched {
            code,
            guide: g.file.clone(),
            outcome,
        }
    }))
}

/// The guides to fetch, in site order; an unknown code is an error naming the known ones.
fn chosen<'a>(c: &'a Content, codes: &[String]) -> Result<Vec<&'a Guide>, Error> {
    let all: Vec<&Guide> = c.guides.iter().chain(&c.withheld).collect();
    if codes.is_empty() {
        return Ok(all
            .into_iter()
            .filter(|g| g.code.is_some() && g.portal.formality_id.is_some())
            .collect());
    }
    let mut out = Vec::new();
    for code in codes {
        match all
            .iter()
            .find(|g| g.code.as_deref() == Some(code.as_str()))
        {
            Some(g) => out.push(*g),
            None => {
                return Err(Error::Other(format!(
                    "no guide has the procedure code {code}\n  hint: the codes of the guides are in their `code:` key, e.g. `camnang records fetch 1.001193`"
                )));
            }
        }
    }
    Ok(out)
}

/// Asks the portal for `g`'s record; its body when it reads as that record.
fn fetch_one(client: &Client, api: &Url, g: &Guide) -> Result<String, Text> {
    let code = g.code.as_deref().unwrap_or_default();
    let Some((id, _)) = &g.portal.formality_id else {
        return Err(tx!(
            "the guide has no `portal.formality_id`: the portal gives a record by that id",
            "hướng dẫn chưa có `portal.formality_id`: cổng chỉ trả bản ghi theo mã này"
        ));
    };
    let body = serde_json::json!({ "id": id }).to_string();
    let answer = client.post_json(api, &body, MAX_BODY).map_err(|f| f.text)?;
    if answer.status != 200 {
        return Err(tx!(
            "the portal answered {}",
            "cổng trả lời {}",
            status_text(answer.status)
        ));
    }
    let text = String::from_utf8(answer.body).map_err(|_| {
        tx!(
            "the answer is not UTF-8 text",
            "câu trả lời không phải văn bản UTF-8"
        )
    })?;
    let rec = record::parse(&text, "").map_err(|d| {
        Text::new(
            format!("the answer is not a record ({})", d.message.get(Lang::En)),
            format!(
                "câu trả lời không phải bản ghi thủ tục ({})",
                d.message.get(Lang::Vi)
            ),
        )
    })?;
    if rec.code != code || rec.formality_id != *id {
        return Err(tx!(
            "the answer is the record of {} ({}), not of {} ({})",
            "câu trả lời là bản ghi của {} ({}), không phải của {} ({})",
            rec.code,
            rec.formality_id,
            code,
            id
        ));
    }
    Ok(text)
}

/// Saves a good answer as `records/<code>.json` and says what changed.
fn save(root: &Path, code: &str, body: &str) -> Outcome {
    let rel = format!("{RECORDS_DIR}/{code}.json");
    let path = root.join(&rel);
    let old = std::fs::read_to_string(&path).ok();
    if old.as_deref() == Some(body) {
        return Outcome::Same;
    }
    if let Err(e) = write_atomically(&path, body) {
        return Outcome::Failed(tx!("cannot save: {}", "không ghi được: {}", e));
    }
    let before = old.and_then(|t| record::parse(&t, &rel).ok());
    let after = record::parse(body, &rel).ok();
    match (before, after) {
        (Some(b), Some(a)) => Outcome::Changed(changes(&b, &a)),
        _ => Outcome::New,
    }
}

/// One line (or a few) per guide for the terminal.
pub fn describe(f: &Fetched, lang: Lang) -> String {
    let head = format!("{} {}", f.code, f.guide);
    match (&f.outcome, lang) {
        (Outcome::New, Lang::Vi) => format!("{head}: đã lưu bản ghi mới"),
        (Outcome::New, Lang::En) => format!("{head}: new record saved"),
        (Outcome::Same, Lang::Vi) => format!("{head}: không đổi"),
        (Outcome::Same, Lang::En) => format!("{head}: unchanged"),
        (Outcome::Changed(c), _) if c.is_empty() => match lang {
            Lang::Vi => format!("{head}: đã cập nhật (nội dung chính thức không đổi)"),
            Lang::En => format!("{head}: updated (no official fact changed)"),
        },
        (Outcome::Changed(c), _) => {
            let mut s = match lang {
                Lang::Vi => format!("{head}: đã cập nhật, thay đổi:"),
                Lang::En => format!("{head}: updated, what changed:"),
            };
            for t in c {
                s.push_str("\n  - ");
                s.push_str(t.get(lang));
            }
            s
        }
        (Outcome::Failed(why), Lang::Vi) => format!(
            "{head}: LỖI: {}; bản ghi đã lưu được giữ nguyên",
            why.get(lang)
        ),
        (Outcome::Failed(why), Lang::En) => format!(
            "{head}: FAILED: {}; the saved record is kept",
            why.get(lang)
        ),
    }
}

//! `camnang import RECORD.json…`: a guide draft from each official record of the portal,
//! and the record saved as `records/<code>.json` in the content folder (issue #14).
//!
//! The draft (`draft.rs`) holds the official facts (title, code, portal id, documents, fee
//! and processing time per way of filing, agency, result, legal basis, online level) and
//! cites the record's portal page with the day the record was saved; the plain-language
//! parts are `CẦN ĐIỀN` placeholders, the record's notes comments. An existing guide is
//! never overwritten: `--update` (`update.rs`) refreshes its official keys in place.

mod draft;
mod update;

use std::path::{Path, PathBuf};

use crate::commands::scaffold::{load_site, msg, refuse_existing};
use crate::content::files::{self, GuideFile};
use crate::content::guide::{self, Guide};
use crate::content::record::{self, RECORDS_DIR, Record};
use crate::error::{Diagnostic, Error};
use crate::i18n::Lang;

pub use draft::{slug, title};

/// What one record's import did.
#[derive(Debug, Clone)]
pub struct Imported {
    pub guide: PathBuf,
    pub record: PathBuf,
    /// `None`: a new draft; `Some(keys)`: an update that changed these keys.
    pub updated: Option<Vec<String>>,
    /// The record's state when the procedure is no longer in force.
    pub not_in_force: Option<String>,
}

impl Imported {
    /// One line for the terminal, paths relative to where the command ran.
    pub fn describe(&self, lang: Lang) -> String {
        let mut s = self.done(lang);
        if let Some(state) = &self.not_in_force {
            s.push_str(&match lang {
                Lang::Vi => format!("\n  lưu ý: bản ghi không còn hiệu lực (trạng thái `{state}`): hướng dẫn sẽ không được đưa lên trang"),
                Lang::En => format!("\n  note: the record is no longer in force (state `{state}`): the guide will be left out of the site"),
            });
        }
        s
    }

    fn done(&self, lang: Lang) -> String {
        let (g, r) = (self.guide.display(), self.record.display());
        match (&self.updated, lang) {
            (None, Lang::Vi) => format!(
                "đã tạo {g} (bản nháp) và lưu {r}\n  gợi ý: điền các chỗ `CẦN ĐIỀN`, rồi chạy `camnang check`"
            ),
            (None, Lang::En) => format!(
                "created {g} (a draft) and saved {r}\n  hint: fill in the `CẦN ĐIỀN` placeholders, then run `camnang check`"
            ),
            (Some(k), Lang::Vi) if k.is_empty() => {
                format!("{g} đã khớp với bản ghi, không sửa gì; đã lưu {r}")
            }
            (Some(k), Lang::En) if k.is_empty() => {
                format!("{g} already agrees with the record, nothing changed; saved {r}")
            }
            (Some(k), Lang::Vi) => format!("đã cập nhật {g}: {}; đã lưu {r}", k.join(", ")),
            (Some(k), Lang::En) => format!("updated {g}: {}; saved {r}", k.join(", ")),
        }
    }
}

/// Imports the record file `file` into the content folder `content`: a new draft guide, or
/// with `update` the guide that has the record's code brought up to date. Then saves the
/// record as `records/<code>.json`.
pub fn import(content: &Path, file: &Path, update: bool, lang: Lang) -> Result<Imported, Error> {
    let rec = read_record(file, lang)?;
    let site = load_site(content, lang)?;
    let existing = find_by_code(content, &rec.code);
    let dir = content.join("guides");
    let (guide, updated) = match (update, existing) {
        (false, Some((f, _))) => return Err(has_code(content, &f.rel, &rec.code, file, lang)),
        (false, None) => {
            let slug = slug(&rec);
            refuse_existing(&dir, &slug, lang)
                .map_err(|_| exists(content, &format!("guides/{slug}.yaml"), file, lang))?;
            let path = dir.join(format!("{slug}.yaml"));
            std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
            write_new(&path, &draft::draft(&rec, &site, &slug))?;
            (path, None)
        }
        (true, None) => return Err(no_guide(&rec, lang)),
        (true, Some((f, g))) => {
            let path = content.join(&f.rel);
            let text = files::read_text(content, &f.rel).map_err(|d| diag(content, &d, lang))?;
            let (out, changed) =
                update::update(&f, &text, &g, &rec, &site).map_err(|d| diag(content, &d, lang))?;
            if out != text {
                std::fs::write(&path, out).map_err(|e| Error::io(&path, e))?;
            }
            (path, Some(changed))
        }
    };
    let record = save_record(content, file, &rec)?;
    Ok(Imported {
        guide,
        record,
        updated,
        not_in_force: (!rec.in_force()).then(|| rec.state.clone()),
    })
}

/// The record in `file`, or its problem as the error.
fn read_record(file: &Path, lang: Lang) -> Result<Record, Error> {
    let bytes = std::fs::read(file).map_err(|e| Error::io(file, e))?;
    let name = file.to_string_lossy().replace('\\', "/");
    let parsed = files::decode(&name, &bytes).and_then(|t| record::parse(&t, &name));
    parsed.map_err(|d| diag(Path::new(""), &d, lang))
}

/// A diagnostic as the command's error.
fn diag(root: &Path, d: &Diagnostic, lang: Lang) -> Error {
    Error::Other(d.display(root, lang).to_string())
}

/// The guide file with procedure code `code` and the guide read from it, if any.
fn find_by_code(content: &Path, code: &str) -> Option<(GuideFile, Guide)> {
    let files = files::guide_files(content).ok()?;
    files.into_iter().find_map(|f| {
        let g = guide::load(content, &f).0?;
        (g.code.as_deref() == Some(code)).then_some((f, g))
    })
}

fn exists(content: &Path, rel: &str, file: &Path, lang: Lang) -> Error {
    let path = content.join(rel);
    msg(
        lang,
        format!(
            "{} already exists: nothing was written\n  hint: if it is this procedure, give it `code:` and run `camnang import --update {}`; else rename it",
            path.display(),
            file.display()
        ),
        format!(
            "đã có {}: chưa ghi gì cả\n  gợi ý: nếu đó là thủ tục này, ghi `code:` cho nó rồi chạy `camnang import --update {}`; nếu không, đổi tên tệp đó",
            path.display(),
            file.display()
        ),
    )
}

fn has_code(content: &Path, rel: &str, code: &str, file: &Path, lang: Lang) -> Error {
    let path = content.join(rel);
    msg(
        lang,
        format!(
            "{} already has the procedure code {code}: nothing was written\n  hint: to refresh its official facts from the record, run `camnang import --update {}`",
            path.display(),
            file.display()
        ),
        format!(
            "{} đã có mã thủ tục {code}: chưa ghi gì cả\n  gợi ý: muốn cập nhật thông tin chính thức của nó theo bản ghi, chạy `camnang import --update {}`",
            path.display(),
            file.display()
        ),
    )
}

fn no_guide(rec: &Record, lang: Lang) -> Error {
    msg(
        lang,
        format!(
            "no guide has the procedure code {}: nothing to update\n  hint: run `camnang import` without `--update` to make a draft",
            rec.code
        ),
        format!(
            "không hướng dẫn nào có mã thủ tục {}: không có gì để cập nhật\n  gợi ý: chạy `camnang import` không có `--update` để tạo bản nháp",
            rec.code
        ),
    )
}

/// Writes a new file, refusing to replace one.
fn write_new(path: &Path, text: &str) -> Result<(), Error> {
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| Error::io(path, e))?;
    std::io::Write::write_all(&mut f, text.as_bytes()).map_err(|e| Error::io(path, e))
}

/// Copies the record file as it came to `records/<code>.json` (unless it is that file).
fn save_record(content: &Path, file: &Path, rec: &Record) -> Result<PathBuf, Error> {
    let dir = content.join(RECORDS_DIR);
    std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
    let path = dir.join(format!("{}.json", rec.code));
    let same = match (path.canonicalize(), file.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    };
    if !same {
        std::fs::copy(file, &path).map_err(|e| Error::io(&path, e))?;
    }
    Ok(path)
}

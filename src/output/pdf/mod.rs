//! `build --pdf`: prints every leaflet, poster, category sheet and the booklet to PDF with
//! a locally installed Chromium or Google Chrome. Nothing is downloaded, and nothing else in
//! the build needs a browser.
//!
//! The browser is `CAMNANG_CHROMIUM` if set, else the first of `chromium`,
//! `chromium-browser`, `google-chrome`, `google-chrome-stable` on `PATH`. One headless
//! browser runs for the whole build (`chrome.rs`), driven over the DevTools protocol
//! (`cdp.rs`) with a few pages printing at once (`printing.rs`). The PDFs are printed from the
//! new output while it is still in its temporary folder, so a failed print leaves the
//! previous output as it was. A printable whose HTML, and every file it loads, is the same
//! as in the previous output keeps its previous PDF (`reuse.rs`), so a rebuild prints only
//! what changed.

mod cdp;
mod chrome;
mod errors;
mod printing;
mod reuse;

use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::i18n::Lang;
use crate::progress::Progress;

/// A browser that can print to PDF.
#[derive(Debug, Clone)]
pub struct Browser {
    pub path: PathBuf,
}

const NAMES: &[&str] = &[
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
];

/// Finds the browser, or explains in `lang` what to install.
pub fn find(lang: Lang) -> Result<Browser, Error> {
    if let Some(p) = std::env::var_os("CAMNANG_CHROMIUM").filter(|p| !p.is_empty()) {
        let path = PathBuf::from(&p);
        if is_executable(&path) {
            return Ok(Browser { path });
        }
        return Err(Error::Other(match lang {
            Lang::Vi => format!(
                "không in được PDF: CAMNANG_CHROMIUM={} không phải là chương trình chạy được.\n  \
                 gợi ý: cài Chromium (Debian/Ubuntu: `sudo apt install chromium`) hoặc Google Chrome, \
                 rồi đặt CAMNANG_CHROMIUM là đường dẫn tới nó, hoặc bỏ biến này đi; \
                 thư mục kết quả cũ được giữ nguyên",
                path.display()
            ),
            Lang::En => format!(
                "cannot print PDFs: CAMNANG_CHROMIUM={} is not a program that can be run.\n  \
                 hint: install Chromium (Debian/Ubuntu: `sudo apt install chromium`) or Google Chrome \
                 and point CAMNANG_CHROMIUM at it, or unset it; \
                 the previous output was left as it was",
                path.display()
            ),
        }));
    }
    let path_var = std::env::var_os("PATH").unwrap_or_default();
    for name in NAMES {
        for dir in std::env::split_paths(&path_var) {
            let p = dir.join(name);
            if is_executable(&p) {
                return Ok(Browser { path: p });
            }
        }
    }
    Err(Error::Other(match lang {
        Lang::Vi => "không in được PDF: không tìm thấy Chromium hay Google Chrome (chromium, chromium-browser, google-chrome).\n  \
             gợi ý: cài Chromium (Debian/Ubuntu: `sudo apt install chromium`) hoặc Google Chrome, \
             hoặc đặt CAMNANG_CHROMIUM là đường dẫn tới trình duyệt; bỏ --pdf thì không cần trình duyệt; \
             thư mục kết quả cũ được giữ nguyên"
            .to_string(),
        Lang::En => "cannot print PDFs: no Chromium or Google Chrome found (chromium, chromium-browser, google-chrome).\n  \
             hint: install Chromium (Debian/Ubuntu: `sudo apt install chromium`) or Google Chrome, \
             or set CAMNANG_CHROMIUM to the browser's path; without --pdf no browser is needed; \
             the previous output was left as it was"
            .to_string(),
    }))
}

fn is_executable(p: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(p).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
    }
    #[cfg(not(unix))]
    {
        p.is_file()
    }
}

/// One file to print: the HTML and the PDF, relative to the output folder.
#[derive(Debug, Clone)]
pub struct Job {
    pub html: String,
    pub pdf: String,
}

/// What [`print_all`] did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Printed {
    /// PDFs printed by the browser.
    pub printed: usize,
    /// PDFs taken from the previous output, their printables unchanged.
    pub reused: usize,
}

/// Prints `jobs` inside `dir` (the new output, not yet in place), reusing the PDFs of the
/// previous output `previous` whose printables did not change. The browser is ended and
/// its profile folder removed before this returns, whatever happened.
pub fn print_all(
    browser: &Browser,
    previous: &Path,
    dir: &Path,
    jobs: &[Job],
    lang: Lang,
    progress: &dyn Progress,
) -> Result<Printed, Error> {
    if jobs.is_empty() {
        return Ok(Printed::default());
    }
    let dir = dir.canonicalize().map_err(|e| Error::io(dir, e))?;
    progress.stage("pdf", 0);
    // Printables unchanged since the previous output, with the browser that made each PDF.
    let mut kept = Vec::new();
    let mut to_print = Vec::new();
    for job in jobs {
        match reuse::unchanged(previous, &dir, job) {
            Some(made_by) => kept.push((job, made_by)),
            None => to_print.push(job.clone()),
        }
    }
    // The browser is started when something is to be printed; otherwise its `--version`
    // tells whether the kept PDFs are its own.
    let mut session = None;
    let own = match to_print.is_empty() {
        true => printing::cli_version(browser).and_then(|v| printing::producer(&v)),
        false => None,
    };
    let own = match own {
        Some(p) => p,
        None => {
            let s = printing::Session::start(browser, lang)?;
            let p = s.producer();
            session = Some(s);
            p
        }
    };
    let mut reused = 0;
    for (job, made_by) in kept {
        if made_by == own && reuse::take(previous, &dir, job) {
            reused += 1;
        } else {
            to_print.push(job.clone());
        }
    }
    if !to_print.is_empty() {
        let session = match session.take() {
            Some(s) => s,
            None => printing::Session::start(browser, lang)?,
        };
        // The longest first (the booklet), so that no page is left printing it alone at
        // the end; the size of the HTML stands for the work.
        let size = |j: &Job| std::fs::metadata(dir.join(&j.html)).map_or(0, |m| m.len());
        to_print.sort_by_cached_key(|j| std::cmp::Reverse(size(j)));
        session.print(&dir, &to_print, progress)?;
        session.close();
    }
    if let Some(s) = session {
        s.close();
    }
    Ok(Printed {
        printed: to_print.len(),
        reused,
    })
}

//! `build --pdf`: prints every leaflet, poster, category sheet and the booklet to PDF with
//! a locally installed Chromium or Google Chrome, run headless from its command line
//! (`--print-to-pdf`). Nothing is downloaded, and nothing else in the build needs a browser.
//!
//! The browser is `CAMNANG_CHROMIUM` if set, else the first of `chromium`,
//! `chromium-browser`, `google-chrome`, `google-chrome-stable` on `PATH`. The PDFs are
//! printed from the new output while it is still in its temporary folder, so a failed print
//! leaves the previous output as it was. At most two browsers run at once (each is a
//! handful of processes; the machines this runs on are small).

use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use crate::error::Error;
use crate::i18n::Lang;

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

/// The longest one page may take.
const TIMEOUT: Duration = Duration::from_secs(90);

/// Prints `jobs` inside `dir` (the new output, not yet in place), at most two at a time.
pub fn print_all(browser: &Browser, dir: &Path, jobs: &[Job], lang: Lang) -> Result<(), Error> {
    if jobs.is_empty() {
        return Ok(());
    }
    let dir = dir.canonicalize().map_err(|e| Error::io(dir, e))?;
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 2)
        .min(jobs.len());
    let next = AtomicUsize::new(0);
    let failure: Mutex<Option<Error>> = Mutex::new(None);
    std::thread::scope(|s| {
        for w in 0..workers {
            let (next, failure, dir) = (&next, &failure, &dir);
            s.spawn(move || {
                let profile = match tempfile_dir(w) {
                    Ok(p) => p,
                    Err(e) => {
                        fail(failure, e);
                        return;
                    }
                };
                loop {
                    if failure.lock().map_or(true, |f| f.is_some()) {
                        break;
                    }
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(job) = jobs.get(i) else { break };
                    if let Err(e) = print_one(browser, dir, job, &profile, lang) {
                        fail(failure, e);
                        break;
                    }
                }
                let _ = std::fs::remove_dir_all(&profile);
            });
        }
    });
    match failure.into_inner().ok().flatten() {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

/// Records the first failure.
fn fail(failure: &Mutex<Option<Error>>, e: Error) {
    if let Ok(mut f) = failure.lock()
        && f.is_none()
    {
        *f = Some(e);
    }
}

/// A fresh browser profile folder for worker `w`.
fn tempfile_dir(w: usize) -> Result<PathBuf, Error> {
    let base = std::env::temp_dir().join(format!(
        "camnang-chromium-{}-{w}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos())
    ));
    std::fs::create_dir_all(&base).map_err(|e| Error::io(&base, e))?;
    Ok(base)
}

/// Prints the page `job.html` of the output folder `dir` to `job.pdf` with one run of the
/// browser (profile folder `profile`), then makes the PDF the same on every build.
fn print_one(
    browser: &Browser,
    dir: &Path,
    job: &Job,
    profile: &Path,
    lang: Lang,
) -> Result<(), Error> {
    let html = dir.join(&job.html);
    let pdf = dir.join(&job.pdf);
    let url = url::Url::from_file_path(&html)
        .map_err(|()| Error::Other(format!("{}: not an absolute path", html.display())))?;
    let mut cmd = headless(browser, profile, &pdf, &url);
    let child = cmd.spawn().map_err(|e| {
        Error::Other(match lang {
            Lang::Vi => format!("không chạy được {}: {e}", browser.path.display()),
            Lang::En => format!("cannot run {}: {e}", browser.path.display()),
        })
    })?;
    let (status, err) = wait(child, browser)?;
    let ok =
        status.is_some_and(|s| s.success()) && std::fs::metadata(&pdf).is_ok_and(|m| m.len() > 0);
    if !ok {
        return Err(failed(browser, job, status, &err, lang));
    }
    normalise(&pdf)
}

/// The browser's command line printing `url` to `pdf`, its stderr piped.
fn headless(browser: &Browser, profile: &Path, pdf: &Path, url: &url::Url) -> Command {
    let mut cmd = Command::new(&browser.path);
    cmd.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--no-default-browser-check",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
        "--disable-dev-shm-usage",
        "--mute-audio",
        "--hide-scrollbars",
        "--run-all-compositor-stages-before-draw",
        "--no-pdf-header-footer",
    ])
    .arg(format!("--user-data-dir={}", profile.display()))
    .arg(format!("--print-to-pdf={}", pdf.display()))
    .arg(url.as_str())
    .stdin(Stdio::null())
    .stdout(Stdio::null())
    .stderr(Stdio::piped());
    cmd
}

/// Waits for the browser to end, killing it after [`TIMEOUT`]: its exit status (`None`
/// when killed) and what it wrote on stderr.
fn wait(mut child: Child, browser: &Browser) -> Result<(Option<ExitStatus>, String), Error> {
    let stderr = child.stderr.take();
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        if let Some(mut e) = stderr {
            use std::io::Read;
            let _ = e.read_to_string(&mut s);
        }
        s
    });
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(st)) => break Some(st),
            Ok(None) if started.elapsed() > TIMEOUT => {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(25)),
            Err(e) => return Err(Error::io(&browser.path, e)),
        }
    };
    Ok((status, reader.join().unwrap_or_default()))
}

/// The error for a page that did not print: stopped after [`TIMEOUT`] (`status` `None`),
/// or failed, with the last lines the browser wrote on stderr (`err`).
fn failed(
    browser: &Browser,
    job: &Job,
    status: Option<ExitStatus>,
    err: &str,
    lang: Lang,
) -> Error {
    let tail: Vec<&str> = err.lines().rev().take(5).collect();
    let tail: Vec<&str> = tail.into_iter().rev().collect();
    Error::Other(match (lang, status) {
        (Lang::Vi, None) => format!(
            "in PDF {} quá {} giây, đã dừng; thư mục kết quả cũ được giữ nguyên",
            job.html,
            TIMEOUT.as_secs()
        ),
        (Lang::En, None) => format!(
            "printing {} to PDF took longer than {} s and was stopped; the previous output was left as it was",
            job.html,
            TIMEOUT.as_secs()
        ),
        (Lang::Vi, Some(_)) => format!(
            "{} không in được {} ra PDF; thư mục kết quả cũ được giữ nguyên\n{}",
            browser.path.display(),
            job.html,
            tail.join("\n")
        ),
        (Lang::En, Some(_)) => format!(
            "{} could not print {} to PDF; the previous output was left as it was\n{}",
            browser.path.display(),
            job.html,
            tail.join("\n")
        ),
    })
}

/// Makes the PDF the same on every build: Chromium writes the time of printing as
/// `/CreationDate` and `/ModDate`; they are replaced by a fixed date of the same length.
fn normalise(pdf: &Path) -> Result<(), Error> {
    let mut bytes = std::fs::read(pdf).map_err(|e| Error::io(pdf, e))?;
    let mut changed = false;
    for key in [&b"/CreationDate ("[..], &b"/ModDate ("[..]] {
        let mut from = 0;
        while let Some(i) = find_bytes(&bytes[from..], key) {
            let start = from + i + key.len();
            let Some(len) = bytes[start..].iter().position(|&b| b == b')') else {
                break;
            };
            let fixed = b"D:20000101000000+00'00'";
            for (j, b) in bytes[start..start + len].iter_mut().enumerate() {
                *b = fixed.get(j).copied().unwrap_or(b' ');
            }
            changed = true;
            from = start + len;
        }
    }
    if changed {
        std::fs::write(pdf, bytes).map_err(|e| Error::io(pdf, e))?;
    }
    Ok(())
}

fn find_bytes(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

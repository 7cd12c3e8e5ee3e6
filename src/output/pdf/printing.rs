//! Printing with one browser: a [`Session`] starts it, opens a few pages (tabs), each with
//! its own DevTools connection, and prints the jobs on them, at most [`PAGES`] at once.
//! Each page loads a printable from the staging folder, waits for its load event and its
//! fonts, and prints it with `Page.printToPDF`; the PDF is then made the same on every
//! build ([`normalise`]).

use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use data_encoding::BASE64;
use serde_json::{Value, json};

use super::cdp::{CdpError, Conn};
use super::chrome::Chrome;
use super::errors::{failed, launch_failed};
use super::{Browser, Job};
use crate::error::Error;
use crate::i18n::Lang;
use crate::progress::Progress;

/// Pages printing at once. Printing is mostly the browser's work (layout, raster of the
/// SVG screenshots, PDF writing), spread over its renderer processes: on 2 cores, 3 pages
/// keep both busy while one page waits for its load.
pub const PAGES: usize = 3;
/// The longest the browser may take to start and open DevTools, and the longest one
/// DevTools call outside printing may take (open a page, version, close).
pub const LAUNCH: Duration = Duration::from_secs(30);
/// The longest one page may take to load and print.
const TIMEOUT: Duration = Duration::from_secs(90);

/// `CAMNANG_PDF_TIMEOUT` (seconds) if set, for every wait on the browser; else `default`.
pub fn limit(default: Duration) -> Duration {
    std::env::var("CAMNANG_PDF_TIMEOUT")
        .ok()
        .and_then(|v| v.trim().parse::<f64>().ok())
        .filter(|s| *s > 0.0 && s.is_finite())
        .map_or(default, Duration::from_secs_f64)
}

/// One running browser and its DevTools connection.
pub struct Session<'a> {
    browser: &'a Browser,
    lang: Lang,
    chrome: Chrome,
    conn: Mutex<Conn>,
    /// The browser's version, `HeadlessChrome/156.0.8078.114`.
    product: String,
}

impl<'a> Session<'a> {
    /// Starts the browser and connects to it.
    pub fn start(browser: &'a Browser, lang: Lang) -> Result<Session<'a>, Error> {
        let chrome = Chrome::launch(&browser.path, Instant::now() + limit(LAUNCH))
            .map_err(|e| launch_failed(browser, e, lang))?;
        let fail = |chrome: &Chrome, e: CdpError| {
            failed(browser, None, &e, limit(LAUNCH), &chrome.tail(), lang)
        };
        let mut conn = match Conn::open(&chrome.ws, Instant::now() + limit(LAUNCH)) {
            Ok(c) => c,
            Err(e) => return Err(fail(&chrome, e)),
        };
        let version = match conn.call(
            "Browser.getVersion",
            json!({}),
            Instant::now() + limit(LAUNCH),
        ) {
            Ok(v) => v,
            Err(e) => return Err(fail(&chrome, e)),
        };
        let product = version["product"].as_str().unwrap_or_default().to_string();
        Ok(Session {
            browser,
            lang,
            chrome,
            conn: Mutex::new(conn),
            product,
        })
    }

    /// What the browser writes as the PDF's `/Producer` (`Skia/PDF m156`).
    pub fn producer(&self) -> String {
        producer(&self.product).unwrap_or_else(|| "?".into())
    }

    /// Prints `jobs` inside `dir`, [`PAGES`] at a time; the first failure (in the order of
    /// `jobs`) is the error.
    pub fn print(&self, dir: &Path, jobs: &[Job], progress: &dyn Progress) -> Result<(), Error> {
        let pages = PAGES.min(jobs.len());
        let next = AtomicUsize::new(0);
        let failures: Mutex<Vec<(usize, Error)>> = Mutex::new(Vec::new());
        std::thread::scope(|s| {
            for _ in 0..pages {
                s.spawn(|| self.worker(dir, jobs, &next, &failures, progress));
            }
        });
        let mut failures = failures.into_inner().unwrap_or_else(|e| e.into_inner());
        failures.sort_by_key(|(i, _)| *i);
        match failures.into_iter().next() {
            Some((_, e)) => Err(e),
            None => Ok(()),
        }
    }

    /// One page: takes the next job until none is left or one failed.
    fn worker(
        &self,
        dir: &Path,
        jobs: &[Job],
        next: &AtomicUsize,
        failures: &Mutex<Vec<(usize, Error)>>,
        progress: &dyn Progress,
    ) {
        let failed_yet = || !failures.lock().map_or(true, |f| f.is_empty());
        let mut page = None;
        loop {
            if failed_yet() {
                return;
            }
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(job) = jobs.get(i) else { return };
            let res = match &mut page {
                Some(p) => print_one(p, dir, job),
                None => self.open_page().and_then(|mut p| {
                    let r = print_one(&mut p, dir, job);
                    page = Some(p);
                    r
                }),
            };
            match res {
                Ok(()) => progress.tick(),
                Err(e) => {
                    let e = match e {
                        Failure::Cdp(e) => failed(
                            self.browser,
                            Some(&job.html),
                            &e,
                            limit(TIMEOUT),
                            &self.chrome.tail(),
                            self.lang,
                        ),
                        Failure::Write(e) => e,
                    };
                    if let Ok(mut f) = failures.lock() {
                        f.push((i, e));
                    }
                    return;
                }
            }
        }
    }

    /// A new page (tab) with its own DevTools connection.
    fn open_page(&self) -> Result<Conn, Failure> {
        let deadline = Instant::now() + limit(LAUNCH);
        let target = {
            let mut conn = self.conn.lock().unwrap_or_else(|e| e.into_inner());
            conn.call(
                "Target.createTarget",
                json!({ "url": "about:blank" }),
                deadline,
            )?
        };
        let id = target["targetId"].as_str().unwrap_or_default();
        // `ws://127.0.0.1:PORT/devtools/browser/…` → `…/devtools/page/ID`.
        let base = self
            .chrome
            .ws
            .split("/devtools/")
            .next()
            .unwrap_or_default();
        let mut page = Conn::open(&format!("{base}/devtools/page/{id}"), deadline)?;
        page.call("Page.enable", json!({}), deadline)?;
        Ok(page)
    }

    /// Asks the browser to end, and ends it if it does not (the profile folder goes too).
    pub fn close(self) {
        let Session {
            conn, mut chrome, ..
        } = self;
        let mut conn = conn.into_inner().unwrap_or_else(|e| e.into_inner());
        if conn
            .call(
                "Browser.close",
                json!({}),
                Instant::now() + Duration::from_secs(2),
            )
            .is_ok()
        {
            chrome.wait_exit(Duration::from_secs(2));
        }
        drop(chrome);
    }
}

/// The `/Producer` of the PDFs of a browser of version `version` (`HeadlessChrome/156.0.…`
/// or `Chromium 156.0.… built on …`): `Skia/PDF m156`.
pub fn producer(version: &str) -> Option<String> {
    let number = version
        .split(|c: char| c.is_whitespace() || c == '/')
        .find(|t| t.starts_with(|c: char| c.is_ascii_digit()) && t.contains('.'))?;
    let major = number.split('.').next()?;
    Some(format!("Skia/PDF m{major}"))
}

/// What `browser --version` prints (without starting a browser), if it answers in time.
pub fn cli_version(browser: &Browser) -> Option<String> {
    let mut child = Command::new(&browser.path)
        .arg("--version")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let until = Instant::now() + limit(LAUNCH);
    loop {
        match child.try_wait() {
            Ok(Some(st)) if st.success() => break,
            Ok(None) if Instant::now() < until => std::thread::sleep(Duration::from_millis(5)),
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                return None;
            }
        }
    }
    let mut out = String::new();
    child.stdout.take()?.read_to_string(&mut out).ok()?;
    Some(out)
}

/// Why a page did not print.
enum Failure {
    Cdp(CdpError),
    Write(Error),
}

impl From<CdpError> for Failure {
    fn from(e: CdpError) -> Self {
        Failure::Cdp(e)
    }
}

/// Prints `job` on `page` and writes its PDF into `dir`.
fn print_one(page: &mut Conn, dir: &Path, job: &Job) -> Result<(), Failure> {
    let deadline = Instant::now() + limit(TIMEOUT);
    let html = dir.join(&job.html);
    let url = url::Url::from_file_path(&html).map_err(|()| {
        Failure::Cdp(CdpError::Io(format!(
            "{}: not an absolute path",
            html.display()
        )))
    })?;
    page.clear_events();
    let nav = page.call("Page.navigate", json!({ "url": url.as_str() }), deadline)?;
    if let Some(err) = nav["errorText"].as_str() {
        return Err(CdpError::Failed("Page.navigate".into(), err.into()).into());
    }
    page.event("Page.loadEventFired", deadline)?;
    page.call(
        "Runtime.evaluate",
        json!({
            "expression": "document.fonts.ready.then(() => true)",
            "awaitPromise": true,
            "returnByValue": true,
        }),
        deadline,
    )?;
    let pdf = page.call("Page.printToPDF", print_params(), deadline)?;
    let data = pdf["data"].as_str().unwrap_or_default();
    let mut bytes = BASE64
        .decode(data.as_bytes())
        .map_err(|e| CdpError::Io(format!("Page.printToPDF: {e}")))?;
    if !bytes.starts_with(b"%PDF") {
        return Err(CdpError::Failed("Page.printToPDF".into(), "no PDF".into()).into());
    }
    normalise(&mut bytes);
    let target = dir.join(&job.pdf);
    std::fs::write(&target, bytes).map_err(|e| Failure::Write(Error::io(&target, e)))
}

/// The print settings: the page size and margins come from `print.css` (`@page`), as with
/// `--print-to-pdf`; no header or footer.
fn print_params() -> Value {
    json!({
        "displayHeaderFooter": false,
        "printBackground": false,
        "preferCSSPageSize": true,
        "transferMode": "ReturnAsBase64",
    })
}

/// Makes the PDF the same on every build: Chromium writes the time of printing as
/// `/CreationDate` and `/ModDate`; they are replaced by a fixed date of the same length
/// (so the offsets of the cross-reference table stay right).
pub fn normalise(bytes: &mut [u8]) {
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
            from = start + len;
        }
    }
}

pub fn find_bytes(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn producer_from_either_version_text() {
        for v in [
            "HeadlessChrome/156.0.8078.114",
            "Chromium 156.0.8078.114 built on Debian GNU/Linux 12 (bookworm)\n",
        ] {
            assert_eq!(producer(v).as_deref(), Some("Skia/PDF m156"), "{v}");
        }
        assert_eq!(
            producer("Google Chrome 120.0.6099.109 \n").as_deref(),
            Some("Skia/PDF m120")
        );
        assert_eq!(producer("sh: 1: oops"), None);
    }
}

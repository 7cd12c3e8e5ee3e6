//! The errors of printing, in the language of the messages. Each says that the previous
//! output was left as it was (the PDFs are printed before the new output replaces it).

use std::time::Duration;

use super::Browser;
use super::cdp::CdpError;
use super::chrome::LaunchError;
use super::printing::{LAUNCH, limit};
use crate::error::Error;
use crate::i18n::Lang;

/// The error for a browser that did not start.
pub fn launch_failed(browser: &Browser, e: LaunchError, lang: Lang) -> Error {
    let path = browser.path.display();
    let wait = secs(limit(LAUNCH));
    Error::Other(match (e, lang) {
        (LaunchError::Spawn(e), Lang::Vi) => {
            format!("không chạy được {path}: {e}; thư mục kết quả cũ được giữ nguyên")
        }
        (LaunchError::Spawn(e), Lang::En) => {
            format!("cannot run {path}: {e}; the previous output was left as it was")
        }
        (LaunchError::Profile(p, e), _) => Error::io(&p, e).to_string(),
        (LaunchError::NoDevTools(true, tail), Lang::Vi) => with_tail(
            format!(
                "{path} không sẵn sàng in PDF sau {wait} giây, đã dừng; \
                 đặt CAMNANG_PDF_TIMEOUT (giây) để chờ lâu hơn; thư mục kết quả cũ được giữ nguyên"
            ),
            &tail,
        ),
        (LaunchError::NoDevTools(true, tail), Lang::En) => with_tail(
            format!(
                "{path} was not ready to print PDFs after {wait} s and was stopped; \
                 set CAMNANG_PDF_TIMEOUT (seconds) to wait longer; the previous output was left as it was"
            ),
            &tail,
        ),
        (LaunchError::NoDevTools(false, tail), Lang::Vi) => with_tail(
            format!("{path} đã dừng trước khi sẵn sàng in PDF; thư mục kết quả cũ được giữ nguyên"),
            &tail,
        ),
        (LaunchError::NoDevTools(false, tail), Lang::En) => with_tail(
            format!(
                "{path} ended before it was ready to print PDFs; the previous output was left as it was"
            ),
            &tail,
        ),
    })
}

/// The error for a page that did not print (`what`, `None` for the browser's own
/// calls): stopped after `limit`, or failed, with the last lines the browser wrote on
/// stderr (`tail`).
pub fn failed(
    browser: &Browser,
    what: Option<&str>,
    e: &CdpError,
    limit: Duration,
    tail: &str,
    lang: Lang,
) -> Error {
    let path = browser.path.display();
    let limit = secs(limit);
    Error::Other(match (lang, e, what) {
        (Lang::Vi, CdpError::Timeout(m), Some(what)) => format!(
            "in {what} ra PDF quá {limit} giây, đã dừng (chờ {m}); \
             đặt CAMNANG_PDF_TIMEOUT (giây) để chờ lâu hơn; thư mục kết quả cũ được giữ nguyên"
        ),
        (Lang::En, CdpError::Timeout(m), Some(what)) => format!(
            "printing {what} to PDF took longer than {limit} s and was stopped (waiting for {m}); \
             set CAMNANG_PDF_TIMEOUT (seconds) to wait longer; the previous output was left as it was"
        ),
        (Lang::Vi, CdpError::Timeout(m), None) => format!(
            "{path} không trả lời trong {limit} giây, đã dừng (chờ {m}); \
             đặt CAMNANG_PDF_TIMEOUT (giây) để chờ lâu hơn; thư mục kết quả cũ được giữ nguyên"
        ),
        (Lang::En, CdpError::Timeout(m), None) => format!(
            "{path} did not answer within {limit} s and was stopped (waiting for {m}); \
             set CAMNANG_PDF_TIMEOUT (seconds) to wait longer; the previous output was left as it was"
        ),
        (Lang::Vi, _, what) => with_tail(
            format!(
                "{path} không in được {} ra PDF ({e}); thư mục kết quả cũ được giữ nguyên",
                what.unwrap_or("trang")
            ),
            tail,
        ),
        (Lang::En, _, what) => with_tail(
            format!(
                "{path} could not print {} to PDF ({e}); the previous output was left as it was",
                what.unwrap_or("pages")
            ),
            tail,
        ),
    })
}

/// `msg`, then the browser's last lines if it wrote any.
fn with_tail(msg: String, tail: &str) -> String {
    if tail.trim().is_empty() {
        msg
    } else {
        format!("{msg}\n{tail}")
    }
}

/// A duration in seconds as people write it (`90`, `0.5`).
fn secs(d: Duration) -> String {
    format!("{}", d.as_secs_f64())
}

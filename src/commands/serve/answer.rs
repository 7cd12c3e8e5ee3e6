//! What each request gets: the site's files (HTML pages with the reload script added),
//! the error pages in their place, `/__camnang/status`, or the reload events (written on
//! the connection by `http`).
//!
//! Every answer but the event stream has a `Content-Length` (never chunked), and a `HEAD`
//! gets the head its `GET` would have, length included.

use http_body_util::Full;
use hyper::body::Bytes;
use hyper::header::{self, HeaderName, HeaderValue};
use hyper::{Method, Response, StatusCode};

use crate::commands::serve::page::{error_page, not_found_body};
use crate::commands::serve::session::SWITCHER;
use crate::commands::serve::state::{Shared, View};
use crate::commands::serve::{EVENTS, STATUS};
use crate::i18n::Lang;

const TEXT: &str = "text/plain; charset=utf-8";

/// An answer with its length.
pub(super) type Answer = Response<Full<Bytes>>;

/// What a request gets.
pub(super) enum Reply {
    Answer(Answer),
    /// The reload events: a stream without length, written by `http` on the connection.
    Events,
}

/// What the request `method target` gets (`target` as sent).
pub(super) fn reply(method: &Method, target: &str, shared: &Shared) -> Reply {
    let head = match *method {
        Method::GET => false,
        Method::HEAD => true,
        _ => {
            let allow = (header::ALLOW, HeaderValue::from_static("GET, HEAD"));
            let body = &b"only GET and HEAD\n"[..];
            return Reply::Answer(send(
                false,
                StatusCode::METHOD_NOT_ALLOWED,
                TEXT,
                body,
                Some(allow),
            ));
        }
    };
    let Some(path) = decode_path(target) else {
        let msg = match shared.lang {
            Lang::Vi => "đường dẫn không hợp lệ\n",
            Lang::En => "invalid path\n",
        };
        return Reply::Answer(send(head, StatusCode::FORBIDDEN, TEXT, msg, None));
    };
    if path == EVENTS && !head {
        Reply::Events
    } else if path == STATUS {
        Reply::Answer(status(head, shared))
    } else {
        Reply::Answer(file(head, target, &path, shared))
    }
}

/// `/__camnang/status`.
fn status(head: bool, shared: &Shared) -> Answer {
    let s = shared.lock();
    let body = serde_json::json!({
        "generation": s.generation,
        "rebuilds": s.rebuilds,
        "pending": s.pending,
        "ok": matches!(&*s.view, View::Site(_)),
    })
    .to_string();
    drop(s);
    send(head, StatusCode::OK, "application/json", body, None)
}

/// Answers with the site's file at `path` (decoded from `target`), or the page in its
/// place.
fn file(head: bool, target: &str, path: &str, shared: &Shared) -> Answer {
    let lang = shared.lang;
    let (generation, view) = shared.snapshot();
    let mut key = path.trim_start_matches('/').to_string();
    if key.is_empty() || key.ends_with('/') {
        key.push_str("index.html");
    }
    let is_html = key.ends_with(".html") || key.ends_with(".htm");
    let page = |status: StatusCode, body: &str| {
        let page = inject(error_page(body, lang).as_bytes(), generation);
        send(head, status, "text/html; charset=utf-8", page, None)
    };
    let files = match &*view {
        View::Site(f) => Some(f),
        View::Failed { body, .. } if is_html => {
            return page(StatusCode::INTERNAL_SERVER_ERROR, body);
        }
        View::Failed { last, .. } => last.as_ref(),
    };
    let Some(data) = files.and_then(|f| f.get(&key)) else {
        if files.is_some_and(|f| f.contains_key(&format!("{key}/index.html"))) {
            // The target as sent (hyper only takes targets of visible ASCII).
            let sent = target.split(['?', '#']).next().unwrap_or("");
            let location = format!("{}/", sent.trim_end_matches('/'));
            let location = HeaderValue::try_from(location).ok();
            let location = location.map(|v| (header::LOCATION, v));
            return send(
                head,
                StatusCode::MOVED_PERMANENTLY,
                TEXT,
                Bytes::new(),
                location,
            );
        }
        return page(StatusCode::NOT_FOUND, &not_found_body(path, lang));
    };
    let Ok(bytes) = crate::render::sink::read(data) else {
        return send(head, StatusCode::NOT_FOUND, TEXT, &b"not found\n"[..], None);
    };
    let ctype = content_type(&key);
    if is_html {
        let bar = files.and_then(|f| f.get(SWITCHER));
        let bar = bar.and_then(|b| b.in_memory()).unwrap_or_default();
        send(
            head,
            StatusCode::OK,
            ctype,
            after_body_open(&inject(&bytes, generation), bar),
            None,
        )
    } else {
        send(head, StatusCode::OK, ctype, bytes.into_owned(), None)
    }
}

/// An answer with `body` (not sent to a `HEAD`, its length is), and `extra` if any.
fn send(
    head: bool,
    status: StatusCode,
    ctype: &'static str,
    body: impl Into<Bytes>,
    extra: Option<(HeaderName, HeaderValue)>,
) -> Answer {
    let body: Bytes = body.into();
    let length = body.len();
    let mut answer = Response::new(Full::new(if head { Bytes::new() } else { body }));
    *answer.status_mut() = status;
    let headers = answer.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(ctype));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    if let Some((name, value)) = extra {
        headers.insert(name, value);
    }
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(length));
    answer
}

/// The request target's path, decoded; `None` when it tries to leave the site.
pub fn decode_path(target: &str) -> Option<String> {
    let path = target.split(['?', '#']).next().unwrap_or("");
    if !path.starts_with('/') {
        return None;
    }
    let bytes: Vec<u8> = percent_encoding::percent_decode_str(path).collect();
    let s = String::from_utf8(bytes).ok()?;
    if s.contains(['\\', '\0']) || s.split('/').any(|seg| seg == ".." || seg == ".") {
        return None;
    }
    Some(s)
}

/// Content type by file name.
pub fn content_type(path: &str) -> &'static str {
    let ext = path.rsplit_once('.').map_or("", |(_, e)| e);
    match ext.to_ascii_lowercase().as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "pdf" => "application/pdf",
        "zip" => "application/zip",
        "txt" => TEXT,
        "webmanifest" => "application/manifest+json",
        "xml" => "application/xml",
        _ => "application/octet-stream",
    }
}

/// The reload script for a page served at `generation`.
fn reload_script(generation: u64) -> String {
    format!(
        "<script>/* camnang serve: live reload */(function(){{var g=\"{generation}\";var s=new EventSource(\"{EVENTS}\");s.onmessage=function(e){{if(e.data!==g){{s.close();location.reload();}}}};}})();</script>"
    )
}

/// Adds `bar` (the offices' switcher) at the start of the page's body, after its skip link
/// when it starts with one (the skip link stays the first thing a keyboard reaches).
fn after_body_open(html: &[u8], bar: &[u8]) -> Vec<u8> {
    if bar.is_empty() {
        return html.to_vec();
    }
    let lower = html.to_ascii_lowercase();
    let mut at = lower
        .windows(5)
        .position(|w| w == b"<body")
        .and_then(|i| html[i..].iter().position(|&b| b == b'>').map(|j| i + j + 1))
        .unwrap_or(0);
    let next = at
        + lower[at..]
            .iter()
            .take_while(|b| b.is_ascii_whitespace())
            .count();
    if lower[next..].starts_with(b"<a class=\"skip\"")
        && let Some(end) = lower[next..].windows(4).position(|w| w == b"</a>")
    {
        at = next + end + 4;
    }
    let mut out = Vec::with_capacity(html.len() + bar.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(bar);
    out.extend_from_slice(&html[at..]);
    out
}

/// Adds the reload script before the last `</body>` (or at the end).
pub fn inject(html: &[u8], generation: u64) -> Vec<u8> {
    let script = reload_script(generation);
    let lower = html.to_ascii_lowercase();
    let at = lower
        .windows(7)
        .rposition(|w| w == b"</body>")
        .unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + script.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(script.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_switcher_comes_after_the_skip_link() {
        let bar = b"<nav>BAR</nav>";
        let page = b"<html><body class=\"x\">\n<a class=\"skip\" href=\"#main\">Skip</a><main>";
        assert_eq!(
            after_body_open(page, bar),
            b"<html><body class=\"x\">\n<a class=\"skip\" href=\"#main\">Skip</a><nav>BAR</nav><main>"
        );
        assert_eq!(
            after_body_open(b"<body><main>", bar),
            b"<body><nav>BAR</nav><main>"
        );
        assert_eq!(after_body_open(b"<body><main>", b""), b"<body><main>");
    }

    #[test]
    fn traversal_is_refused() {
        for bad in [
            "/../Cargo.toml",
            "/guides/../../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/%2E%2E%2fetc%2fpasswd",
            "/..%5c..%5cwin.ini",
            "/./index.html",
            "/a%00b",
            "relative",
            "/%ff%fe",
        ] {
            assert_eq!(decode_path(bad), None, "{bad}");
        }
        assert_eq!(
            decode_path("/guides/dang-ky-khai-sinh/index.html?x=1").as_deref(),
            Some("/guides/dang-ky-khai-sinh/index.html")
        );
        assert_eq!(
            decode_path("/media/images/%C4%91%E1%BA%A5t.png").as_deref(),
            Some("/media/images/đất.png")
        );
    }

    #[test]
    fn content_types() {
        assert_eq!(content_type("assets/fonts/a.woff2"), "font/woff2");
        assert_eq!(content_type("x.svg"), "image/svg+xml");
        assert_eq!(
            content_type("assets/search.js"),
            "text/javascript; charset=utf-8"
        );
        assert_eq!(content_type("index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("assets/style.css"), "text/css; charset=utf-8");
    }

    #[test]
    fn script_goes_before_the_last_body_end() {
        let out = inject(b"<html><body><p>x</p></BODY></html>", 7);
        let s = String::from_utf8(out).unwrap();
        assert!(s.contains("var g=\"7\""));
        assert!(s.ends_with("</script></BODY></html>"), "{s}");
        let out = String::from_utf8(inject(b"plain", 1)).unwrap();
        assert!(out.starts_with("plain<script>"));
    }
}

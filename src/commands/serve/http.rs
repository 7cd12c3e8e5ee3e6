//! Answering requests, on `tiny_http`: the site's files (HTML pages with the reload script
//! added), the error pages in their place, `/__camnang/status` and the reload events.
//!
//! `tiny_http` reads the requests (one thread per open connection); each request is then
//! answered on a thread of its own, at most [`MAX_CONNECTIONS`] at once (event streams
//! included), and `503` beyond. Every answer but the event stream has a `Content-Length`
//! (never chunked unless the client asks for it), so a `HEAD` gets the length its `GET`
//! would have.
//!
//! What `tiny_http` 0.12 does not let us do: bound the connections it keeps open (idle
//! ones and keep-alive ones, a thread each), time out a client that sends nothing, or
//! limit the size of a request head. Fine on this computer; with `--bind`, only on a
//! trusted network (as `serve` warns).

use std::io::{self, Write};
use std::net::TcpListener;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use tiny_http::{Header, Method, Request, Response, Server, StatusCode};

use crate::commands::serve::page::{error_page, not_found_body};
use crate::commands::serve::state::{Shared, View};
use crate::commands::serve::{EVENTS, MAX_CONNECTIONS, STATUS};
use crate::i18n::Lang;

const TEXT: &str = "text/plain; charset=utf-8";

/// Starts answering the requests that come to `listener`.
pub(super) fn spawn(listener: TcpListener, shared: Arc<Shared>) -> Result<(), String> {
    let server = Server::from_listener(listener, None).map_err(|e| e.to_string())?;
    std::thread::Builder::new()
        .name("http".into())
        .spawn(move || dispatch(&server, &shared))
        .map(drop)
        .map_err(|e| e.to_string())
}

/// Hands each request to a thread of its own; answers `503` when [`MAX_CONNECTIONS`]
/// are being answered already.
fn dispatch(server: &Server, shared: &Arc<Shared>) {
    let busy = Arc::new(AtomicUsize::new(0));
    loop {
        let request = match server.recv() {
            Ok(r) => r,
            Err(e) => {
                // Only a failed `accept` ends up here: tiny_http has stopped listening.
                match shared.lang {
                    Lang::Vi => eprintln!("bản xem trước ngừng nhận kết nối: {e}"),
                    Lang::En => eprintln!("the preview stopped taking connections: {e}"),
                }
                return;
            }
        };
        if busy.load(Ordering::Relaxed) >= MAX_CONNECTIONS {
            send(request, 503, TEXT, b"busy\n", None);
            continue;
        }
        busy.fetch_add(1, Ordering::Relaxed);
        let (s, b) = (shared.clone(), busy.clone());
        let spawned = std::thread::Builder::new()
            .name("conn".into())
            .spawn(move || {
                answer(request, &s);
                b.fetch_sub(1, Ordering::Relaxed);
            });
        if spawned.is_err() {
            // The request was dropped with the thread's closure: tiny_http answered 500.
            busy.fetch_sub(1, Ordering::Relaxed);
        }
    }
}

fn answer(request: Request, shared: &Shared) {
    let get = match request.method() {
        Method::Get => true,
        Method::Head => false,
        _ => {
            let allow = Header::from_bytes("Allow", "GET, HEAD").ok();
            return send(request, 405, TEXT, b"only GET and HEAD\n", allow);
        }
    };
    let Some(path) = decode_path(request.url()) else {
        let msg = match shared.lang {
            Lang::Vi => "đường dẫn không hợp lệ\n",
            Lang::En => "invalid path\n",
        };
        return send(request, 403, TEXT, msg.as_bytes(), None);
    };
    if path == EVENTS && get {
        events(request, shared);
    } else if path == STATUS {
        let s = shared.lock();
        let body = serde_json::json!({
            "generation": s.generation,
            "rebuilds": s.rebuilds,
            "pending": s.pending,
            "ok": matches!(&*s.view, View::Site(_)),
        })
        .to_string();
        drop(s);
        send(request, 200, "application/json", body.as_bytes(), None);
    } else {
        file(request, &path, shared);
    }
}

/// Answers with the site's file at `path` (decoded), or the page in its place.
fn file(request: Request, path: &str, shared: &Shared) {
    let lang = shared.lang;
    let (generation, view) = shared.snapshot();
    let mut key = path.trim_start_matches('/').to_string();
    if key.is_empty() || key.ends_with('/') {
        key.push_str("index.html");
    }
    let is_html = key.ends_with(".html") || key.ends_with(".htm");
    let page = |request: Request, status: u16, body: &str| {
        let page = inject(error_page(body, lang).as_bytes(), generation);
        send(request, status, "text/html; charset=utf-8", &page, None);
    };
    let files = match &*view {
        View::Site(f) => Some(f),
        View::Failed { body, .. } if is_html => return page(request, 500, body),
        View::Failed { last, .. } => last.as_ref(),
    };
    let Some(data) = files.and_then(|f| f.get(&key)) else {
        if files.is_some_and(|f| f.contains_key(&format!("{key}/index.html"))) {
            // The target as sent (a header is ASCII; tiny_http only takes ASCII requests).
            let sent = request.url().split(['?', '#']).next().unwrap_or("");
            let location = format!("{}/", sent.trim_end_matches('/'));
            let location = Header::from_bytes("Location", location).ok();
            return send(request, 301, TEXT, b"", location);
        }
        return page(request, 404, &not_found_body(path, lang));
    };
    let Ok(bytes) = crate::render::sink::read(data) else {
        return send(request, 404, TEXT, b"not found\n", None);
    };
    let ctype = content_type(&key);
    if is_html {
        send(request, 200, ctype, &inject(&bytes, generation), None);
    } else {
        send(request, 200, ctype, &bytes, None);
    }
}

/// Answers with `body` (not sent to a `HEAD`, its length is), and `extra` if any.
fn send(request: Request, status: u16, ctype: &str, body: &[u8], extra: Option<Header>) {
    let headers = [
        ("Content-Type", ctype),
        ("Cache-Control", "no-store"),
        ("X-Content-Type-Options", "nosniff"),
    ];
    let headers = headers
        .into_iter()
        .filter_map(|(k, v)| Header::from_bytes(k, v).ok())
        .chain(extra)
        .collect();
    let response = Response::new(StatusCode(status), headers, body, Some(body.len()), None)
        // A `Content-Length` whatever the size (tiny_http chunks from 32 KiB by default).
        .with_chunked_threshold(usize::MAX);
    // The client may be gone: nothing to do about it.
    let _ = request.respond(response);
}

/// Server-Sent Events: the current generation at once, then each new one. The stream
/// has no length, so it is written as is on the connection (tiny_http would chunk it,
/// and its chunks are only sent when 8 KiB are full).
fn events(request: Request, shared: &Shared) {
    let mut w = request.into_writer();
    let _ = stream_events(&mut *w, shared);
}

fn stream_events(w: &mut dyn Write, shared: &Shared) -> io::Result<()> {
    w.write_all(
        b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: close\r\n\r\nretry: 500\n\n",
    )?;
    let mut last = u64::MAX;
    loop {
        let generation = shared.wait_for_change(last, Duration::from_secs(15));
        if generation != last {
            w.write_all(format!("data: {generation}\n\n").as_bytes())?;
            last = generation;
        } else {
            w.write_all(b": ping\n\n")?;
        }
        w.flush()?;
    }
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

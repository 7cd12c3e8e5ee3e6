//! `camnang serve`: a live preview on this computer.
//!
//! - The site is built in memory by an [`session::Session`] and served from there
//!   (nothing is written to `public/`).
//! - A watcher reports changed files; changes arriving close together (an editor's atomic
//!   save, a `git checkout`, 100 writes in a second) are gathered into one rebuild.
//! - Every served HTML page gets a small script that listens to `/__camnang/events`
//!   (Server-Sent Events, same origin) and reloads the page when a new build is out. The
//!   script is added by the server only: `camnang build` output never contains it.
//! - A failed build replaces every page by an error page listing the problems
//!   (`file:line:col: key: message` and hint, as `camnang check` prints them); fixing the
//!   file brings the page back by itself.
//! - The content folder may disappear (renamed, deleted, a USB stick pulled out) and
//!   come back: the preview says so and recovers.
//! - HTTP is a small server on `std::net`, one thread per connection, `GET`/`HEAD` only,
//!   paths decoded once and refused when they contain `..`, `.`, `\` or NUL.
//!
//! `/__camnang/status` answers `{"generation":…,"rebuilds":…,"ok":…,"pending":…}` for
//! tests and scripts.

pub mod session;

use std::collections::HashSet;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{IpAddr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use notify::{EventKind, RecursiveMode, Watcher};

use crate::commands::serve::session::{Files, Session};
use crate::error::{Diagnostics, Error, Severity};
use crate::i18n::{Lang, count_en};
use crate::render::theme::escape_html;

/// The default port of `camnang serve`.
pub const DEFAULT_PORT: u16 = 8008;

/// Path of the reload event stream.
pub const EVENTS: &str = "/__camnang/events";
/// Path of the build status (JSON).
pub const STATUS: &str = "/__camnang/status";

/// Changes closer together than this belong to the same rebuild. An editor's save
/// (write a temporary file, rename it over the guide) gives its events within a few
/// milliseconds; bursts of many changes get the longer [`BURST_QUIET`].
pub const QUIET: Duration = Duration::from_millis(30);
/// Within a burst of changes (the previous change less than [`BURST`] ago), the quiet
/// window is longer, so a burst interrupted by a busy machine still makes few rebuilds.
pub const BURST_QUIET: Duration = Duration::from_millis(250);
/// Changes closer together than this are a burst (see [`BURST_QUIET`]).
pub const BURST: Duration = Duration::from_millis(500);
/// A rebuild starts at the latest this long after the first change, even if changes go on.
const MAX_WAIT: Duration = Duration::from_secs(2);
/// How often the content folder's presence is checked.
const POLL: Duration = Duration::from_millis(300);
/// Connections served at once (event streams included).
const MAX_CONNECTIONS: usize = 128;
/// Largest request head accepted.
const MAX_HEAD: usize = 16 * 1024;

/// What to serve, and where.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The content folder, as typed (used in messages).
    pub content: PathBuf,
    pub bind: IpAddr,
    /// 0 picks a free port.
    pub port: u16,
    /// Overrides the site's language for the pages (`--lang`).
    pub lang: Option<Lang>,
    /// Language of the messages and the error page.
    pub messages: Lang,
    pub quiet: bool,
    pub verbose: bool,
}

/// What is being served now.
enum View {
    Site(Arc<Files>),
    /// The build failed: the error page body, and the last good site for images and CSS.
    Failed {
        body: String,
        last: Option<Arc<Files>>,
    },
}

struct State {
    /// Changes with every published build (the pages' reload signal).
    generation: u64,
    /// Rebuilds after the first build.
    rebuilds: u64,
    /// Changes seen but not yet built.
    pending: bool,
    view: Arc<View>,
}

struct Shared {
    state: Mutex<State>,
    published: Condvar,
    lang: Lang,
    connections: AtomicUsize,
}

impl Shared {
    fn snapshot(&self) -> (u64, Arc<View>) {
        let s = self.state.lock().unwrap_or_else(|e| e.into_inner());
        (s.generation, s.view.clone())
    }

    fn publish(&self, view: View, rebuild: bool) {
        let mut s = self.state.lock().unwrap_or_else(|e| e.into_inner());
        s.generation += 1;
        if rebuild {
            s.rebuilds += 1;
        }
        s.pending = false;
        s.view = Arc::new(view);
        drop(s);
        self.published.notify_all();
    }

    fn set_pending(&self) {
        self.state.lock().unwrap_or_else(|e| e.into_inner()).pending = true;
    }
}

/// Runs the preview until the process is stopped. Returns only on a setup error (port
/// in use, no file watcher), as a message in `opts.messages`.
pub fn run(opts: &ServeOptions) -> Result<(), String> {
    let lang = opts.messages;
    let root = std::path::absolute(&opts.content).unwrap_or_else(|_| opts.content.clone());
    let listener = TcpListener::bind(SocketAddr::new(opts.bind, opts.port)).map_err(|e| {
        match lang {
            Lang::Vi => format!(
                "không mở được cổng {}:{}: {e}\n  gợi ý: chọn cổng khác bằng --port, hoặc --port 0 để tự chọn cổng trống",
                opts.bind, opts.port
            ),
            Lang::En => format!(
                "cannot listen on {}:{}: {e}\n  hint: choose another port with --port, or --port 0 for any free port",
                opts.bind, opts.port
            ),
        }
    })?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let shared = Arc::new(Shared {
        state: Mutex::new(State {
            generation: 0,
            rebuilds: 0,
            pending: true,
            view: Arc::new(View::Failed {
                body: String::new(),
                last: None,
            }),
        }),
        published: Condvar::new(),
        lang,
        connections: AtomicUsize::new(0),
    });

    // The watcher starts before the first build, so no change falls between the two.
    let (tx, rx) = mpsc::channel::<notify::Result<notify::Event>>();
    let mut watcher: Option<(Box<dyn Watcher + Send>, Option<u64>)> = None;
    if let Some(id) = folder_id(&root) {
        watcher = watch(&root, &tx, lang).map(|w| (w, Some(id)));
    }
    let started = Instant::now();
    let mut session = Session::new(&root, opts.lang);
    // Warnings printed last time: the same ones are not printed again on every save.
    let mut shown: Vec<crate::error::Diagnostic> = Vec::new();
    let mut present = root.is_dir();
    let view = if present {
        view_of(&session, opts)
    } else {
        missing_view(opts, None)
    };
    shared.publish(view, false);
    report(&session, opts, present, 0, started, &mut shown);

    let url = match addr.ip() {
        IpAddr::V6(ip) => format!("http://[{ip}]:{}/", addr.port()),
        IpAddr::V4(ip) => format!("http://{ip}:{}/", addr.port()),
    };
    match lang {
        Lang::Vi => eprintln!("Đang xem trước tại {url} (nhấn Ctrl+C để dừng)"),
        Lang::En => eprintln!("Serving a preview at {url} (press Ctrl+C to stop)"),
    }
    if !opts.bind.is_loopback() {
        match lang {
            Lang::Vi => eprintln!(
                "cảnh báo: đang mở cho các máy khác trong mạng ({}); chỉ dùng trên mạng tin cậy",
                opts.bind
            ),
            Lang::En => eprintln!(
                "warning: other computers on the network can see the preview ({}); use only on a trusted network",
                opts.bind
            ),
        }
    }

    {
        let shared = shared.clone();
        std::thread::Builder::new()
            .name("http".into())
            .spawn(move || accept(listener, shared))
            .map_err(|e| e.to_string())?;
    }

    // The build loop: watch, gather changes, rebuild, publish.
    let mut last_change: Option<Instant> = None;
    loop {
        let ino = folder_id(&root);
        match (ino, &watcher) {
            (None, _) if present || watcher.is_some() => {
                watcher = None;
                present = false;
                let last = last_good(&shared);
                shared.publish(missing_view(opts, last), false);
                match lang {
                    Lang::Vi => eprintln!(
                        "không thấy thư mục nội dung {} nữa; đang chờ thư mục trở lại…",
                        opts.content.display()
                    ),
                    Lang::En => eprintln!(
                        "the content folder {} is gone; waiting for it to come back…",
                        opts.content.display()
                    ),
                }
            }
            (Some(id), w) if w.as_ref().is_none_or(|(_, old)| *old != Some(id)) => {
                watcher = None;
                let w = watch(&root, &tx, lang);
                if let Some(w) = w {
                    watcher = Some((w, Some(id)));
                    let t = Instant::now();
                    present = true;
                    session.full_rebuild();
                    let n = bump(&shared, &session, opts);
                    report(&session, opts, true, n, t, &mut shown);
                }
            }
            _ => {}
        }

        let first = match rx.recv_timeout(POLL) {
            Ok(e) => e,
            Err(RecvTimeoutError::Timeout) => continue,
            Err(RecvTimeoutError::Disconnected) => return Ok(()),
        };
        let t0 = Instant::now();
        let mut paths: HashSet<PathBuf> = HashSet::new();
        let quiet = if last_change.is_some_and(|t| t.elapsed() < BURST) {
            BURST_QUIET
        } else {
            QUIET
        };
        if collect(first, &mut paths) {
            shared.set_pending();
            last_change = Some(Instant::now());
        }
        loop {
            if t0.elapsed() >= MAX_WAIT {
                break;
            }
            match rx.recv_timeout(quiet) {
                Ok(e) => {
                    if collect(e, &mut paths) {
                        shared.set_pending();
                        last_change = Some(Instant::now());
                    }
                }
                Err(_) => break,
            }
        }
        if paths.is_empty() {
            continue;
        }
        if folder_id(&root).is_none() {
            continue; // reported at the top of the loop
        }
        let t = Instant::now();
        let mut changed: Vec<PathBuf> = paths.into_iter().collect();
        changed.sort();
        session.update(&changed);
        let n = bump(&shared, &session, opts);
        report(&session, opts, true, n, t, &mut shown);
    }
}

/// A recursive watcher on `root`; `None` when the folder cannot be watched (yet).
/// Without inotify (or out of inotify watches, or with `CAMNANG_SERVE_POLL` set) the
/// folder is scanned every half second instead.
fn watch(
    root: &Path,
    tx: &mpsc::Sender<notify::Result<notify::Event>>,
    lang: Lang,
) -> Option<Box<dyn Watcher + Send>> {
    if std::env::var_os("CAMNANG_SERVE_POLL").is_none() {
        let tx = tx.clone();
        if let Ok(mut w) = notify::recommended_watcher(move |e| {
            let _ = tx.send(e);
        }) && w.watch(root, RecursiveMode::Recursive).is_ok()
        {
            return Some(Box::new(w));
        }
    }
    let tx = tx.clone();
    // Contents are compared: modification times are in whole seconds there.
    let config = notify::Config::default()
        .with_poll_interval(Duration::from_millis(500))
        .with_compare_contents(true);
    let mut w = notify::PollWatcher::new(
        move |e| {
            let _ = tx.send(e);
        },
        config,
    )
    .ok()?;
    w.watch(root, RecursiveMode::Recursive).ok()?;
    match lang {
        Lang::Vi => eprintln!("(dò thay đổi của tệp mỗi nửa giây)"),
        Lang::En => eprintln!("(checking files for changes every half second)"),
    }
    Some(Box::new(w))
}

/// Publishes the session's result as a rebuild; returns the rebuild number.
fn bump(shared: &Shared, session: &Session, opts: &ServeOptions) -> u64 {
    shared.publish(view_of(session, opts), true);
    shared
        .state
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .rebuilds
}

fn last_good(shared: &Shared) -> Option<Arc<Files>> {
    match &*shared.snapshot().1 {
        View::Site(f) => Some(f.clone()),
        View::Failed { last, .. } => last.clone(),
    }
}

/// Identity of the content folder (its inode), or `None` when it is not there.
fn folder_id(root: &Path) -> Option<u64> {
    let m = std::fs::metadata(root).ok().filter(|m| m.is_dir())?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        Some(m.ino())
    }
    #[cfg(not(unix))]
    {
        let _ = m;
        Some(0)
    }
}

/// Adds the paths of an event that may change the site (reads, including the build's
/// own, and editor temporaries left out). Returns whether it added any.
fn collect(e: notify::Result<notify::Event>, paths: &mut HashSet<PathBuf>) -> bool {
    let Ok(e) = e else {
        // The watcher lost track (queue overflow…): check everything.
        paths.insert(PathBuf::new());
        return true;
    };
    match e.kind {
        EventKind::Access(notify::event::AccessKind::Close(notify::event::AccessMode::Write)) => {}
        EventKind::Access(_) => return false,
        _ => {}
    }
    let mut added = false;
    if e.need_rescan() {
        paths.insert(PathBuf::new());
        added = true;
    }
    for p in e.paths {
        let name = p.file_name().map(|n| n.to_string_lossy().into_owned());
        if name.is_some_and(|n| crate::content::files::is_ignored(&n)) {
            continue;
        }
        paths.insert(p);
        added = true;
    }
    added
}

fn view_of(session: &Session, opts: &ServeOptions) -> View {
    match session.result() {
        Ok(built) => View::Site(built.files.clone()),
        Err(e) => View::Failed {
            body: error_body(e, &opts.content, opts.messages),
            last: None,
        },
    }
}

fn missing_view(opts: &ServeOptions, last: Option<Arc<Files>>) -> View {
    let dir = escape_html(&opts.content.display().to_string());
    let body = match opts.messages {
        Lang::Vi => format!(
            "<h1>Không thấy thư mục nội dung</h1><p>Thư mục <code>{dir}</code> không còn ở đó (đã đổi tên, xoá hoặc rút USB?).</p><p>Khi thư mục trở lại, trang này sẽ tự tải lại.</p>"
        ),
        Lang::En => format!(
            "<h1>The content folder is missing</h1><p>The folder <code>{dir}</code> is not there any more (renamed, deleted, USB stick removed?).</p><p>This page reloads by itself when the folder is back.</p>"
        ),
    };
    View::Failed { body, last }
}

/// The error page's body: every problem as `camnang check` prints it.
fn error_body(e: &Error, content: &Path, lang: Lang) -> String {
    let (title, help) = match lang {
        Lang::Vi => (
            "Chưa dựng được trang",
            "Sửa các lỗi dưới đây rồi lưu tệp: trang sẽ tự tải lại.",
        ),
        Lang::En => (
            "The site could not be built",
            "Fix the problems below and save: this page reloads by itself.",
        ),
    };
    let mut out = format!("<h1>{title}</h1><p>{help}</p>");
    match e {
        Error::Content(d) => {
            let d = Diagnostics(
                d.0.iter()
                    .filter(|x| x.severity == Severity::Error)
                    .cloned()
                    .collect(),
            );
            let summary = match lang {
                Lang::Vi => format!("{} lỗi", d.errors()),
                Lang::En => count_en(d.errors(), "error", "errors"),
            };
            out.push_str(&format!("<p class=\"summary\">{summary}</p>"));
            for x in &d.0 {
                out.push_str("<pre class=\"diag\">");
                out.push_str(&escape_html(&x.display(content, lang).to_string()));
                out.push_str("</pre>");
            }
        }
        other => {
            out.push_str("<pre class=\"diag\">");
            out.push_str(&escape_html(&other.to_string()));
            out.push_str("</pre>");
        }
    }
    out
}

fn error_page(body: &str, lang: Lang) -> String {
    format!(
        "<!doctype html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>camnang serve</title><style>body{{font:18px/1.5 system-ui,sans-serif;margin:1.5rem auto;max-width:60rem;padding:0 1rem;color:#1a1a1a;background:#fff}}h1{{color:#a30000;font-size:1.6rem}}pre.diag{{white-space:pre-wrap;overflow-wrap:anywhere;font:17px/1.5 system-ui,\"Noto Sans\",sans-serif;background:#fff3f3;border-left:6px solid #c00;padding:.75rem 1rem;margin:1rem 0}}.summary{{font-weight:bold}}</style></head><body>\n{body}\n</body></html>\n",
        lang.code()
    )
}

fn report(
    session: &Session,
    opts: &ServeOptions,
    present: bool,
    n: u64,
    t: Instant,
    shown: &mut Vec<crate::error::Diagnostic>,
) {
    let lang = opts.messages;
    if !present {
        return;
    }
    let ms = t.elapsed().as_millis();
    if opts.verbose
        && let Err(e) = session.result()
    {
        let errors = match e {
            Error::Content(d) => d.errors(),
            _ => 1,
        };
        match lang {
            Lang::Vi => eprintln!("dựng lại #{n}: {errors} lỗi, {ms} ms"),
            Lang::En => eprintln!(
                "rebuild #{n}: {}, {ms} ms",
                count_en(errors, "error", "errors")
            ),
        }
    }
    match session.result() {
        Ok(built) => {
            if opts.verbose {
                let s = session.stats();
                match lang {
                    Lang::Vi => eprintln!(
                        "dựng lại #{n}: {} hướng dẫn ({} đọc lại), {} trang tạo lại, {} dùng lại, {ms} ms",
                        built.guides, s.reloaded, s.rendered, s.reused_pages
                    ),
                    Lang::En => eprintln!(
                        "rebuild #{n}: {} ({} re-read), {} rendered, {} reused, {ms} ms",
                        count_en(built.guides, "guide", "guides"),
                        s.reloaded,
                        count_en(s.rendered, "page", "pages"),
                        s.reused_pages
                    ),
                }
            } else if n > 0 && !opts.quiet {
                match lang {
                    Lang::Vi => eprintln!("đã cập nhật ({} hướng dẫn)", built.guides),
                    Lang::En => {
                        eprintln!("updated ({})", count_en(built.guides, "guide", "guides"))
                    }
                }
            }
            if !opts.quiet && built.warnings.0 != *shown {
                for w in &built.warnings.0 {
                    eprintln!("{}", w.display(&opts.content, lang));
                }
            }
            shown.clone_from(&built.warnings.0);
        }
        Err(Error::Content(d)) => {
            shown.clear();
            for x in &d.0 {
                eprintln!("{}", x.display(&opts.content, lang));
            }
            match lang {
                Lang::Vi => eprintln!(
                    "{} lỗi; trang xem trước hiển thị lỗi cho tới khi được sửa",
                    d.errors()
                ),
                Lang::En => eprintln!(
                    "{}; the preview shows them until they are fixed",
                    count_en(d.errors(), "error", "errors")
                ),
            }
        }
        Err(e) => eprintln!("{e}"),
    }
}

// ---------------------------------------------------------------------------------------
// HTTP

fn accept(listener: TcpListener, shared: Arc<Shared>) {
    for stream in listener.incoming() {
        let Ok(stream) = stream else { continue };
        if shared.connections.load(Ordering::Relaxed) >= MAX_CONNECTIONS {
            let mut stream = stream;
            let _ = respond(
                &mut stream,
                "503 Service Unavailable",
                "text/plain; charset=utf-8",
                b"busy\n",
                false,
            );
            continue;
        }
        shared.connections.fetch_add(1, Ordering::Relaxed);
        let s = shared.clone();
        let spawned = std::thread::Builder::new()
            .name("conn".into())
            .spawn(move || {
                let _ = handle(stream, &s);
                s.connections.fetch_sub(1, Ordering::Relaxed);
            });
        if spawned.is_err() {
            shared.connections.fetch_sub(1, Ordering::Relaxed);
        }
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
        "txt" => "text/plain; charset=utf-8",
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

fn respond(
    stream: &mut TcpStream,
    status: &str,
    ctype: &str,
    body: &[u8],
    head_only: bool,
) -> io::Result<()> {
    respond_with(stream, status, ctype, body, head_only, "")
}

fn respond_with(
    stream: &mut TcpStream,
    status: &str,
    ctype: &str,
    body: &[u8],
    head_only: bool,
    extra: &str,
) -> io::Result<()> {
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n{extra}\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes())?;
    if !head_only {
        stream.write_all(body)?;
    }
    stream.flush()
}

fn read_head(stream: &TcpStream) -> io::Result<Option<(String, String)>> {
    let mut reader = BufReader::new(stream.take(MAX_HEAD as u64));
    let mut line = String::new();
    if reader.read_line(&mut line)? == 0 {
        return Ok(None);
    }
    let mut parts = line.split_whitespace();
    let (Some(method), Some(target)) = (parts.next(), parts.next()) else {
        return Ok(Some((String::new(), String::new())));
    };
    let (method, target) = (method.to_string(), target.to_string());
    // Read (and ignore) the headers up to the blank line.
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h)? == 0 || h == "\r\n" || h == "\n" {
            break;
        }
    }
    Ok(Some((method, target)))
}

fn handle(mut stream: TcpStream, shared: &Shared) -> io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    stream.set_write_timeout(Some(Duration::from_secs(10)))?;
    let Some((method, target)) = read_head(&stream)? else {
        return Ok(());
    };
    let lang = shared.lang;
    let head_only = method == "HEAD";
    if method.is_empty() {
        return respond(
            &mut stream,
            "400 Bad Request",
            "text/plain; charset=utf-8",
            b"bad request\n",
            false,
        );
    }
    if method != "GET" && !head_only {
        return respond_with(
            &mut stream,
            "405 Method Not Allowed",
            "text/plain; charset=utf-8",
            b"only GET and HEAD\n",
            false,
            "Allow: GET, HEAD\r\n",
        );
    }
    let Some(path) = decode_path(&target) else {
        let msg = match lang {
            Lang::Vi => "đường dẫn không hợp lệ\n",
            Lang::En => "invalid path\n",
        };
        return respond(
            &mut stream,
            "403 Forbidden",
            "text/plain; charset=utf-8",
            msg.as_bytes(),
            head_only,
        );
    };
    if path == EVENTS && !head_only {
        return events(stream, shared);
    }
    let (generation, view) = shared.snapshot();
    if path == STATUS {
        let s = shared.state.lock().unwrap_or_else(|e| e.into_inner());
        let body = serde_json::json!({
            "generation": s.generation,
            "rebuilds": s.rebuilds,
            "pending": s.pending,
            "ok": matches!(&*s.view, View::Site(_)),
        })
        .to_string();
        drop(s);
        return respond(
            &mut stream,
            "200 OK",
            "application/json",
            body.as_bytes(),
            head_only,
        );
    }
    let mut key = path.trim_start_matches('/').to_string();
    if key.is_empty() || key.ends_with('/') {
        key.push_str("index.html");
    }
    let is_html = key.ends_with(".html") || key.ends_with(".htm");
    let files = match &*view {
        View::Site(f) => Some(f),
        View::Failed { body, last } => {
            if is_html {
                let page = inject(error_page(body, lang).as_bytes(), generation);
                return respond(
                    &mut stream,
                    "500 Internal Server Error",
                    "text/html; charset=utf-8",
                    &page,
                    head_only,
                );
            }
            last.as_ref()
        }
    };
    let found = files.and_then(|f| f.get(&key));
    let Some(data) = found else {
        let dir = format!("{key}/index.html");
        if files.is_some_and(|f| f.contains_key(&dir)) {
            let location = format!("Location: {}/\r\n", path.trim_end_matches('/'));
            return respond_with(
                &mut stream,
                "301 Moved Permanently",
                "text/plain; charset=utf-8",
                b"",
                head_only,
                &location,
            );
        }
        let body = match lang {
            Lang::Vi => format!(
                "<h1>Không có trang này</h1><p><code>{}</code> không có trong trang web. <a href=\"/index.html\">Về trang chủ</a></p>",
                escape_html(&path)
            ),
            Lang::En => format!(
                "<h1>No such page</h1><p><code>{}</code> is not part of the site. <a href=\"/index.html\">Back to the start page</a></p>",
                escape_html(&path)
            ),
        };
        let page = inject(error_page(&body, lang).as_bytes(), generation);
        return respond(
            &mut stream,
            "404 Not Found",
            "text/html; charset=utf-8",
            &page,
            head_only,
        );
    };
    let bytes = match crate::render::sink::read(data) {
        Ok(b) => b,
        Err(_) => {
            return respond(
                &mut stream,
                "404 Not Found",
                "text/plain; charset=utf-8",
                b"not found\n",
                head_only,
            );
        }
    };
    let ctype = content_type(&key);
    if is_html {
        let page = inject(&bytes, generation);
        respond(&mut stream, "200 OK", ctype, &page, head_only)
    } else {
        respond(&mut stream, "200 OK", ctype, &bytes, head_only)
    }
}

/// Server-Sent Events: the current generation at once, then each new one.
fn events(mut stream: TcpStream, shared: &Shared) -> io::Result<()> {
    stream.set_write_timeout(Some(Duration::from_secs(30)))?;
    stream.write_all(
        b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: close\r\n\r\nretry: 500\n\n",
    )?;
    let mut last = u64::MAX;
    loop {
        let generation = {
            let s = shared.state.lock().unwrap_or_else(|e| e.into_inner());
            let (s, _) = shared
                .published
                .wait_timeout_while(s, Duration::from_secs(15), |s| s.generation == last)
                .unwrap_or_else(|e| e.into_inner());
            s.generation
        };
        if generation != last {
            stream.write_all(format!("data: {generation}\n\n").as_bytes())?;
            last = generation;
        } else {
            stream.write_all(b": ping\n\n")?;
        }
        stream.flush()?;
    }
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

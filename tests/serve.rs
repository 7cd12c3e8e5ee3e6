//! `camnang serve`: real processes, real HTTP over 127.0.0.1. Nothing here measures time:
//! every wait polls until the expected state, with a generous limit for a busy machine.

mod common;

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use camnang::commands::serve::session::Session;
use common::*;

const LIMIT: Duration = Duration::from_secs(90);
const GUIDE: &str = "guides/dang-ky-khai-tu.yaml";
const PAGE: &str = "/guides/dang-ky-khai-tu/index.html";

/// A running `camnang serve`; killed on drop.
struct Server {
    child: Child,
    addr: SocketAddr,
    log: Arc<Mutex<Vec<String>>>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(dir: &Path, args: &[&str]) -> Server {
    serve_env(dir, args, &[])
}

fn serve_env(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_camnang"))
        .current_dir(dir)
        .envs(env.iter().copied())
        .arg("serve")
        .args(args)
        .env("CAMNANG_TODAY", "2026-11-22")
        .env_remove("CAMNANG_LANG")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start camnang serve");
    let log = Arc::new(Mutex::new(Vec::new()));
    let (tx, rx) = std::sync::mpsc::channel();
    let stderr = child.stderr.take().unwrap();
    {
        let log = log.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                if let Some(i) = line.find("http://") {
                    let url = line[i + 7..].split('/').next().unwrap_or("").to_string();
                    let _ = tx.send(url);
                }
                log.lock().unwrap().push(line);
            }
        });
    }
    let addr = rx
        .recv_timeout(LIMIT)
        .unwrap_or_else(|_| panic!("no URL on stderr: {:?}", log.lock().unwrap()));
    Server {
        child,
        addr: addr.parse().expect("address"),
        log,
    }
}

struct Response {
    status: u16,
    headers: String,
    body: Vec<u8>,
}

impl Response {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
    fn header(&self, name: &str) -> Option<String> {
        self.headers.lines().find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case(name).then(|| v.trim().to_string())
        })
    }
}

/// One raw HTTP/1.1 request (the target is sent exactly as given).
fn request(addr: SocketAddr, method: &str, target: &str) -> Response {
    let head = format!("{method} {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    send_raw(addr, head.as_bytes())
}

/// Sends `bytes` on a new connection and reads the answer until the server closes.
fn send_raw(addr: SocketAddr, bytes: &[u8]) -> Response {
    let mut s = TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(LIMIT)).unwrap();
    s.write_all(bytes).unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("response head");
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let status = head.split_whitespace().nth(1).unwrap().parse().unwrap();
    Response {
        status,
        headers: head,
        body: raw[split + 4..].to_vec(),
    }
}

fn get(addr: SocketAddr, target: &str) -> Response {
    request(addr, "GET", target)
}

#[derive(Debug, Clone, Copy)]
struct Status {
    generation: u64,
    rebuilds: u64,
    pending: bool,
    ok: bool,
}

fn status(addr: SocketAddr) -> Status {
    let v: serde_json::Value =
        serde_json::from_slice(&get(addr, "/__camnang/status").body).unwrap();
    Status {
        generation: v["generation"].as_u64().unwrap(),
        rebuilds: v["rebuilds"].as_u64().unwrap(),
        pending: v["pending"].as_bool().unwrap(),
        ok: v["ok"].as_bool().unwrap(),
    }
}

/// Polls `f` until it returns `Some`, or panics with `what` after [`LIMIT`].
fn wait_for<T>(what: &str, server: &Server, mut f: impl FnMut() -> Option<T>) -> T {
    let start = Instant::now();
    loop {
        if let Some(x) = f() {
            return x;
        }
        if start.elapsed() > LIMIT {
            panic!(
                "timed out waiting for {what}; log: {:#?}",
                server.log.lock().unwrap()
            );
        }
        std::thread::sleep(Duration::from_millis(40));
    }
}

/// Waits until the page at `target` answers `status` and its body contains `needle`.
fn wait_page(server: &Server, target: &str, status: u16, needle: &str) -> Response {
    wait_for(
        &format!("{target} → {status} with {needle:?}"),
        server,
        || {
            let r = get(server.addr, target);
            (r.status == status && r.text().contains(needle)).then_some(r)
        },
    )
}

/// Waits until no change is waiting to be built.
fn settle(server: &Server) -> Status {
    wait_for("the server to be idle", server, || {
        let s = status(server.addr);
        (!s.pending).then_some(s)
    })
}

fn site_copy() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let content = tmp.path().join("content");
    bundled_single_office(&content);
    (tmp, content)
}

/// The page without the live-reload script the server adds.
fn strip_script(html: &[u8]) -> Vec<u8> {
    let s = String::from_utf8_lossy(html);
    let Some(start) = s.find("<script>/* camnang serve: live reload */") else {
        return html.to_vec();
    };
    let end = s[start..].find("</script>").unwrap() + start + "</script>".len();
    format!("{}{}", &s[..start], &s[end..]).into_bytes()
}

fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    site_files(dir)
        .into_iter()
        // The build's bookkeeping (the marker, file list, manifests and parse cache of
        // `build`) is not served.
        .filter(|(rel, _)| {
            rel != camnang::output::staging::MARKER
                && rel != camnang::output::staging::FILES
                && rel != camnang::render::manifest::PATH
                && !rel.ends_with(&format!("/{}", camnang::render::manifest::PATH))
                && !rel.starts_with(&format!("{}/", camnang::content::parse_cache::PATH))
        })
        .collect()
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{from:?} not in {}", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn serves_the_bundled_site_exactly_as_built_plus_the_reload_script() {
    let (tmp, _content) = site_copy();
    let out = tmp.path().join("public");
    let built = camnang(tmp.path(), &["build", "content", "-o", "public", "-q"]);
    assert!(built.status.success(), "{}", stderr(&built));
    let server = serve(tmp.path(), &["content", "--port", "0"]);
    let files = tree(&out);
    assert!(files.len() > 20);
    for (rel, bytes) in &files {
        let r = get(server.addr, &format!("/{}", percent(rel)));
        assert_eq!(r.status, 200, "{rel}");
        assert_eq!(
            r.header("content-length").unwrap(),
            r.body.len().to_string()
        );
        if rel.ends_with(".html") {
            let page = r.text();
            assert!(
                page.contains("new EventSource(\"/__camnang/events\")"),
                "{rel}"
            );
            assert!(
                !String::from_utf8_lossy(bytes).contains("__camnang"),
                "build output of {rel} has the script"
            );
            assert_eq!(&strip_script(&r.body), bytes, "{rel}");
            assert_eq!(
                r.header("content-type").unwrap(),
                "text/html; charset=utf-8"
            );
        } else {
            assert_eq!(&r.body, bytes, "{rel}");
        }
    }
    let svg = files.keys().find(|k| k.ends_with(".svg")).unwrap();
    assert_eq!(
        get(server.addr, &format!("/{svg}"))
            .header("content-type")
            .unwrap(),
        "image/svg+xml"
    );
    let font = files.keys().find(|k| k.ends_with(".woff2")).unwrap();
    assert_eq!(
        get(server.addr, &format!("/{font}"))
            .header("content-type")
            .unwrap(),
        "font/woff2"
    );
    assert_eq!(
        get(server.addr, "/assets/style.css")
            .header("content-type")
            .unwrap(),
        "text/css; charset=utf-8"
    );
    let index = get(server.addr, "/");
    assert_eq!(index.status, 200);
    assert_eq!(strip_script(&index.body), files["index.html"]);
    let head = request(server.addr, "HEAD", "/index.html");
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    assert_eq!(
        head.header("content-length").unwrap(),
        index.body.len().to_string()
    );
    let missing = get(server.addr, "/guides/khong-co/index.html");
    assert_eq!(missing.status, 404);
    assert!(
        missing.text().contains("Không có trang này"),
        "{}",
        missing.text()
    );
    assert!(missing.text().contains("__camnang/events"));
    let dir = get(server.addr, "/guides/dang-ky-khai-tu");
    assert_eq!(dir.status, 301);
    assert_eq!(dir.header("location").unwrap(), "/guides/dang-ky-khai-tu/");
    assert_eq!(request(server.addr, "POST", "/").status, 405);
    // Vietnamese messages by default.
    let log = server.log.lock().unwrap().join("\n");
    assert!(
        log.contains("Đang xem trước tại http://127.0.0.1:"),
        "{log}"
    );
    drop(tmp);
}

fn percent(rel: &str) -> String {
    percent_encoding::utf8_percent_encode(rel, percent_encoding::NON_ALPHANUMERIC)
        .to_string()
        .replace("%2F", "/")
        .replace("%2E", ".")
        .replace("%2D", "-")
        .replace("%5F", "_")
}

/// Reads Server-Sent Events `data:` values from a stream.
struct Events(BufReader<TcpStream>);

impl Events {
    fn open(addr: SocketAddr) -> Events {
        let mut s = TcpStream::connect(addr).unwrap();
        s.set_read_timeout(Some(LIMIT)).unwrap();
        write!(s, "GET /__camnang/events HTTP/1.1\r\nHost: {addr}\r\n\r\n").unwrap();
        let mut r = BufReader::new(s);
        let mut line = String::new();
        r.read_line(&mut line).unwrap();
        assert!(line.starts_with("HTTP/1.1 200"), "{line}");
        loop {
            line.clear();
            r.read_line(&mut line).unwrap();
            if line.to_ascii_lowercase().starts_with("content-type:") {
                assert!(line.contains("text/event-stream"), "{line}");
            }
            if line == "\r\n" {
                break;
            }
        }
        Events(r)
    }
    fn next(&mut self) -> u64 {
        let mut line = String::new();
        loop {
            line.clear();
            assert!(
                self.0.read_line(&mut line).unwrap() > 0,
                "event stream closed"
            );
            if let Some(d) = line.strip_prefix("data: ") {
                return d.trim().parse().unwrap();
            }
        }
    }
}

#[test]
fn editing_a_guide_changes_the_page_and_fires_the_reload_event() {
    let (tmp, content) = site_copy();
    let server = serve(
        tmp.path(),
        &["content", "--port", "0", "--lang", "en", "-v"],
    );
    let mut events = Events::open(server.addr);
    let first = events.next();
    assert_eq!(first, status(server.addr).generation);
    let before = get(server.addr, PAGE);
    assert!(before.text().contains(&format!("var g=\"{first}\"")));
    edit(
        &content.join(GUIDE),
        "title: Đăng ký khai tử",
        "title: Đăng ký khai tử SỬA LẦN MỘT",
    );
    let page = wait_page(&server, PAGE, 200, "SỬA LẦN MỘT");
    let next = events.next();
    assert!(next > first, "{next} > {first}");
    assert!(
        page.text()
            .contains(&format!("var g=\"{}\"", status(server.addr).generation))
    );
    // The index lists the new title too.
    wait_page(&server, "/index.html", 200, "SỬA LẦN MỘT");
    // -v logs each rebuild, and the edit re-read one guide only.
    let log = wait_for("a rebuild line", &server, || {
        let log = server.log.lock().unwrap().join("\n");
        log.contains("rebuild #1:").then_some(log)
    });
    assert!(log.contains("(1 re-read)"), "{log}");
    // What is served after the edit is what a fresh build of the edited content makes.
    let built = camnang(
        tmp.path(),
        &["build", "content", "-o", "public", "-q", "--lang", "en"],
    );
    assert!(built.status.success(), "{}", stderr(&built));
    for (rel, bytes) in tree(&tmp.path().join("public")) {
        let r = get(server.addr, &format!("/{}", percent(&rel)));
        assert_eq!(r.status, 200, "{rel}");
        assert_eq!(strip_script(&r.body), bytes, "{rel}");
    }
}

#[test]
fn a_yaml_error_shows_in_the_page_with_its_position_and_goes_away_when_fixed() {
    let (tmp, content) = site_copy();
    let server = serve(tmp.path(), &["content", "--port", "0", "--lang", "en"]);
    let guide = content.join(GUIDE);
    let good = std::fs::read_to_string(&guide).unwrap();
    edit(
        &guide,
        "code: \"1.000656\"",
        "code: \"1.000656\nsummary: [<b>",
    );
    // What `camnang check` says about it is what the page shows, HTML-escaped.
    let check = camnang(tmp.path(), &["check", "content", "--lang", "en"]);
    let said = stderr(&check);
    let first = said.lines().next().unwrap();
    assert!(
        first.starts_with("content/guides/dang-ky-khai-tu.yaml:"),
        "{said}"
    );
    let diag: String = said
        .lines()
        .take_while(|l| !l.contains(" error"))
        .collect::<Vec<_>>()
        .join("\n");
    let page = wait_page(&server, PAGE, 500, "could not be built");
    let text = page.text();
    let escaped = camnang::render::theme::escape_html(&diag);
    assert!(text.contains(&escaped), "page:\n{text}\nwanted:\n{escaped}");
    assert!(
        text.contains("__camnang/events"),
        "the error page reloads by itself"
    );
    // Every page shows the error, not a stale copy.
    assert_eq!(get(server.addr, "/index.html").status, 500);
    assert!(!status(server.addr).ok);
    std::fs::write(&guide, &good).unwrap();
    let back = wait_page(&server, PAGE, 200, "Đăng ký khai tử");
    assert!(!back.text().contains("could not be built"));
    assert!(status(server.addr).ok);
}

#[test]
fn an_editors_atomic_save_is_picked_up() {
    let (tmp, content) = site_copy();
    let server = serve(tmp.path(), &["content", "--port", "0"]);
    let guide = content.join(GUIDE);
    let text = std::fs::read_to_string(&guide).unwrap().replacen(
        "title: Đăng ký khai tử",
        "title: Đăng ký khai tử LƯU NGUYÊN TỬ",
        1,
    );
    // As vim / VS Code / gedit do: write a temporary file next to it, then rename.
    let temp = content.join("guides/.dang-ky-khai-tu.yaml.swp");
    std::fs::write(&temp, &text).unwrap();
    std::fs::rename(&temp, &guide).unwrap();
    wait_page(&server, PAGE, 200, "LƯU NGUYÊN TỬ");
    // And once more with a backup file (`x~`) left behind.
    let backup = content.join("guides/dang-ky-khai-tu.yaml~");
    std::fs::rename(&guide, &backup).unwrap();
    std::fs::write(&guide, text.replace("LƯU NGUYÊN TỬ", "LẦN HAI")).unwrap();
    wait_page(&server, PAGE, 200, "LẦN HAI");
}

#[test]
fn a_burst_of_a_hundred_writes_is_one_rebuild() {
    let (tmp, content) = site_copy();
    let server = serve(tmp.path(), &["content", "--port", "0"]);
    let before = settle(&server);
    let guide = content.join(GUIDE);
    let text = std::fs::read_to_string(&guide).unwrap();
    for i in 0..100 {
        std::fs::write(
            &guide,
            text.replacen(
                "title: Đăng ký khai tử",
                &format!("title: Đăng ký khai tử BẢN {i:03}"),
                1,
            ),
        )
        .unwrap();
    }
    wait_page(&server, PAGE, 200, "BẢN 099");
    // Let any last event arrive, then count.
    std::thread::sleep(Duration::from_millis(500));
    let after = settle(&server);
    let rebuilds = after.rebuilds - before.rebuilds;
    assert!(
        (1..=2).contains(&rebuilds),
        "{rebuilds} rebuilds for 100 writes"
    );
}

#[test]
fn survives_the_content_folder_being_renamed_or_deleted() {
    let (tmp, content) = site_copy();
    let server = serve(tmp.path(), &["content", "--port", "0", "--lang", "en"]);
    let moved = tmp.path().join("content-moved");
    std::fs::rename(&content, &moved).unwrap();
    let page = wait_page(&server, PAGE, 500, "The content folder is missing");
    assert!(page.text().contains("<code>content</code>"));
    std::fs::rename(&moved, &content).unwrap();
    wait_page(&server, PAGE, 200, "Đăng ký khai tử");
    // Changes after the return are still seen.
    edit(
        &content.join(GUIDE),
        "title: Đăng ký khai tử",
        "title: Đăng ký khai tử SAU KHI VỀ",
    );
    wait_page(&server, PAGE, 200, "SAU KHI VỀ");

    std::fs::remove_dir_all(&content).unwrap();
    wait_page(&server, PAGE, 500, "The content folder is missing");
    bundled_single_office(&content);
    wait_page(&server, PAGE, 200, "Đăng ký khai tử");
    edit(
        &content.join(GUIDE),
        "title: Đăng ký khai tử",
        "title: Đăng ký khai tử THƯ MỤC MỚI",
    );
    wait_page(&server, PAGE, 200, "THƯ MỤC MỚI");
}

#[test]
fn requests_leaving_the_site_are_refused() {
    let (tmp, _content) = site_copy();
    std::fs::write(tmp.path().join("secret.txt"), "BÍ MẬT").unwrap();
    let server = serve(tmp.path(), &["content", "--port", "0"]);
    for target in [
        "/../secret.txt",
        "/../../../../etc/passwd",
        "/guides/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E%2Fsecret.txt",
        "/..%2fsecret.txt",
        "/..%5csecret.txt",
        "/.%2e/secret.txt",
        "/assets/%00",
        "secret.txt",
    ] {
        let r = get(server.addr, target);
        assert_eq!(r.status, 403, "{target}");
        assert!(!r.text().contains("BÍ MẬT"));
    }
    // Encoded once more it is just a strange name.
    assert_eq!(get(server.addr, "/%252e%252e/secret.txt").status, 404);
    assert_eq!(get(server.addr, "/secret.txt").status, 404);
}

#[test]
fn beyond_max_connections_it_answers_busy_and_recovers() {
    let (tmp, content) = site_copy();
    let server = serve(tmp.path(), &["content", "--port", "0"]);
    let max = camnang::commands::serve::MAX_CONNECTIONS;
    // Event streams stay open: each one holds its place.
    let mut streams: Vec<Events> = (0..max).map(|_| Events::open(server.addr)).collect();
    let busy = get(server.addr, "/");
    assert_eq!(busy.status, 503);
    assert_eq!(busy.text(), "busy\n");
    // A stream's place is given back when writing to it fails: the first event after the
    // client is gone reaches a closed socket, the second one fails.
    streams.pop();
    let guide = content.join(GUIDE);
    let first = streams[0].next();
    edit(
        &guide,
        "title: Đăng ký khai tử",
        "title: Đăng ký khai tử MỘT",
    );
    while streams[0].next() == first {}
    edit(
        &guide,
        "title: Đăng ký khai tử MỘT",
        "title: Đăng ký khai tử HAI",
    );
    wait_page(&server, PAGE, 200, "HAI");
    drop(streams);
}

#[test]
fn idle_connections_are_bounded_and_closed_after_a_while() {
    let (tmp, _content) = site_copy();
    let server = serve(tmp.path(), &["content", "--port", "0"]);
    let max = camnang::commands::serve::MAX_CONNECTIONS;
    // Connections that send nothing hold their place...
    let idle: Vec<TcpStream> = (0..max)
        .map(|_| TcpStream::connect(server.addr).unwrap())
        .collect();
    let busy = get(server.addr, "/");
    assert_eq!(busy.status, 503);
    assert_eq!(busy.text(), "busy\n");
    // ...until the server closes them for their silence (after 10 s), without a word.
    for mut s in idle {
        s.set_read_timeout(Some(LIMIT)).unwrap();
        let mut got = Vec::new();
        s.read_to_end(&mut got).expect("closed by the server");
        assert!(got.is_empty(), "{}", String::from_utf8_lossy(&got));
    }
    assert_eq!(get(server.addr, "/").status, 200);
}

#[test]
fn a_request_head_over_16_kib_is_refused_with_431() {
    let (tmp, _content) = site_copy();
    let server = serve(tmp.path(), &["content", "--port", "0"]);
    let head = |size: usize| {
        let filler = "a".repeat(size);
        format!("GET / HTTP/1.1\r\nHost: x\r\nX-Filler: {filler}\r\nConnection: close\r\n\r\n")
    };
    // 12 KiB is taken...
    assert_eq!(
        send_raw(server.addr, head(12 * 1024).as_bytes()).status,
        200
    );
    // ...20 KiB (or 1 MiB) is refused, and the server goes on.
    for size in [20 * 1024, 1024 * 1024] {
        let refused = send_raw(server.addr, head(size).as_bytes());
        assert_eq!(refused.status, 431);
        assert_eq!(refused.header("Content-Length").as_deref(), Some("0"));
    }
    assert_eq!(get(server.addr, "/").status, 200);
}

#[test]
fn listens_on_127_0_0_1_only_unless_told_otherwise() {
    let (tmp, _content) = site_copy();
    let server = serve(tmp.path(), &["content", "--port", "0"]);
    assert_eq!(server.addr.ip().to_string(), "127.0.0.1");
    assert_eq!(get(server.addr, "/").status, 200);
    // Another address of this machine (all of 127/8 is loopback on Linux) gets nothing.
    let other: SocketAddr = format!("127.0.0.2:{}", server.addr.port()).parse().unwrap();
    assert!(TcpStream::connect_timeout(&other, Duration::from_secs(5)).is_err());
    drop(server);

    let open = serve(tmp.path(), &["content", "--port", "0", "--bind", "0.0.0.0"]);
    assert_eq!(open.addr.ip().to_string(), "0.0.0.0");
    let other: SocketAddr = format!("127.0.0.2:{}", open.addr.port()).parse().unwrap();
    assert_eq!(get(other, "/").status, 200);
    wait_for("the warning about other computers", &open, || {
        let log = open.log.lock().unwrap().join("\n");
        log.contains("cảnh báo: đang mở cho các máy khác trong mạng")
            .then_some(())
    });
}

#[test]
fn a_port_in_use_is_a_clear_error() {
    let (tmp, _content) = site_copy();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let o = camnang(
        tmp.path(),
        &["serve", "content", "--port", &port, "--lang", "en"],
    );
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains(&format!("cannot listen on 127.0.0.1:{port}")),
        "{err}"
    );
    assert!(err.contains("--port 0"), "{err}");
}

// ---------------------------------------------------------------------------------------
// The incremental API, in process.

fn session_files(s: &Session) -> BTreeMap<String, Vec<u8>> {
    let built = s.result().unwrap_or_else(|e| panic!("{e}"));
    built
        .files
        .iter()
        .map(|(p, d)| {
            (
                p.clone(),
                camnang::render::sink::read(d).unwrap().into_owned(),
            )
        })
        .collect()
}

fn full_build(content: &Path, out: &Path) -> BTreeMap<String, Vec<u8>> {
    let opts = camnang::BuildOptions::new(content, out);
    camnang::build(&opts, &camnang::progress::Quiet).unwrap_or_else(|e| panic!("{e}"));
    tree(out)
}

#[test]
fn incremental_updates_equal_a_full_build() {
    let (tmp, content) = site_copy();
    let mut s = Session::new(&content, None);
    assert!(s.stats().full);
    let initial = session_files(&s);
    assert_eq!(initial, full_build(&content, &tmp.path().join("out0")));
    let pages = s.stats().rendered;

    // One guide's step text: one guide re-read, its page re-rendered, the rest reused.
    let guide = content.join(GUIDE);
    edit(
        &guide,
        "Nhận trích lục khai tử",
        "Nhận trích lục khai tử (bản giấy)",
    );
    let st = s.update(std::slice::from_ref(&guide)).clone();
    assert!(!st.full);
    assert_eq!(st.reloaded, 1, "{st:?}");
    assert_eq!(st.reused_guides, 20, "{st:?}");
    assert!(
        st.rendered >= 1 && st.rendered < pages / 2,
        "{st:?} of {pages}"
    );
    let now = session_files(&s);
    assert_eq!(now, full_build(&content, &tmp.path().join("out1")));
    let changed: Vec<&String> = now
        .keys()
        .filter(|k| initial.get(*k) != now.get(*k))
        .collect();
    assert!(
        changed.contains(&&"guides/dang-ky-khai-tu/index.html".to_string()),
        "{changed:?}"
    );
    assert!(
        !changed
            .iter()
            .any(|k| k.starts_with("guides/dang-ky-khai-sinh/")),
        "{changed:?}"
    );

    // Its title: the lists change too.
    edit(
        &guide,
        "title: Đăng ký khai tử",
        "title: Khai tử cho người thân",
    );
    s.update(std::slice::from_ref(&guide));
    assert_eq!(
        session_files(&s),
        full_build(&content, &tmp.path().join("out2"))
    );

    // A new guide, then a deleted one.
    let new = content.join("guides/ban-sao-moi.yaml");
    std::fs::copy(&guide, &new).unwrap();
    edit(&new, "code: \"1.000656\"", "code: \"1.000999\"");
    edit(&new, "title: Khai tử cho người thân", "title: Bản sao mới");
    s.update(std::slice::from_ref(&new));
    assert_eq!(s.result().unwrap().guides, 22);
    assert_eq!(
        session_files(&s),
        full_build(&content, &tmp.path().join("out3"))
    );
    std::fs::remove_file(&new).unwrap();
    s.update(std::slice::from_ref(&new));
    assert_eq!(s.result().unwrap().guides, 21);
    assert_eq!(
        session_files(&s),
        full_build(&content, &tmp.path().join("out4"))
    );

    // An error, then fixed.
    let good = std::fs::read_to_string(&guide).unwrap();
    std::fs::write(&guide, "title: [").unwrap();
    s.update(std::slice::from_ref(&guide));
    assert!(s.result().is_err());
    std::fs::write(&guide, &good).unwrap();
    s.update(std::slice::from_ref(&guide));
    assert_eq!(
        session_files(&s),
        full_build(&content, &tmp.path().join("out5"))
    );

    // site.yaml: everything again.
    let site = content.join("site.yaml");
    edit(
        &site,
        "title: Cẩm nang thủ tục hành chính",
        "title: Cẩm nang phường",
    );
    let st = s.update(std::slice::from_ref(&site)).clone();
    assert!(st.full);
    assert_eq!(st.reloaded, 21);
    assert_eq!(
        session_files(&s),
        full_build(&content, &tmp.path().join("out6"))
    );

    // A change the session was not told about is still found by size and time.
    edit(
        &guide,
        "title: Khai tử cho người thân",
        "title: Khai tử (không báo)",
    );
    s.update(&[]);
    assert_eq!(
        session_files(&s),
        full_build(&content, &tmp.path().join("out7"))
    );
}

#[test]
fn site_yaml_and_theme_changes_are_picked_up() {
    let (tmp, content) = site_copy();
    let server = serve(
        tmp.path(),
        &["content", "--port", "0", "-v", "--lang", "en"],
    );
    edit(
        &content.join("site.yaml"),
        "title: Cẩm nang thủ tục hành chính",
        "title: Cẩm nang phường Thử",
    );
    wait_page(&server, PAGE, 200, "Cẩm nang phường Thử");
    std::fs::create_dir_all(content.join("theme/static")).unwrap();
    std::fs::write(
        content.join("theme/static/style.css"),
        "body { color: #123456 }\n",
    )
    .unwrap();
    let css = wait_page(&server, "/assets/style.css", 200, "#123456");
    assert_eq!(
        css.header("content-type").unwrap(),
        "text/css; charset=utf-8"
    );
    // A site.yaml change is a full rebuild: every guide re-read (the first build's
    // line is `rebuild #0`).
    wait_for("a full rebuild after the first build", &server, || {
        let log = server.log.lock().unwrap().join("\n");
        log.contains("rebuild #1: 21 guides (21 re-read)")
            .then_some(())
    });
}

#[test]
fn without_inotify_it_polls() {
    let (tmp, content) = site_copy();
    let server = serve_env(
        tmp.path(),
        &["content", "--port", "0", "--lang", "en"],
        &[("CAMNANG_SERVE_POLL", "1")],
    );
    wait_for("the polling notice", &server, || {
        let log = server.log.lock().unwrap().join("\n");
        log.contains("checking files for changes every half second")
            .then_some(())
    });
    edit(
        &content.join(GUIDE),
        "title: Đăng ký khai tử",
        "title: Đăng ký khai tử DÒ",
    );
    wait_page(&server, PAGE, 200, "DÒ");
    let moved = tmp.path().join("away");
    std::fs::rename(&content, &moved).unwrap();
    wait_page(&server, PAGE, 500, "The content folder is missing");
    std::fs::rename(&moved, &content).unwrap();
    edit(
        &content.join(GUIDE),
        "title: Đăng ký khai tử DÒ",
        "title: Đăng ký khai tử DÒ LẠI",
    );
    wait_page(&server, PAGE, 200, "DÒ LẠI");
}

/// Inside the folder `init` made, `camnang serve` needs no argument.
#[test]
fn serve_inside_the_project_folder_needs_no_argument() {
    let w = tempfile::tempdir().unwrap();
    let out = camnang(w.path(), &["init", "phuong"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let server = serve(&w.path().join("phuong"), &["--port", "0"]);
    let r = request(server.addr, "GET", "/guides/dang-ky-khai-sinh/index.html");
    assert_eq!(r.status, 200, "{}", r.text());
    assert!(r.text().contains("<h1>Đăng ký khai sinh</h1>"));
}

/// With offices, the preview serves every office's site and the province index, with a bar
/// to switch between them (never in `build` output).
#[test]
fn offices_are_previewed_with_a_switcher() {
    let w = tempfile::tempdir().unwrap();
    copy_dir(&fixtures().join("ok"), &w.path().join("content"));
    copy_dir(&fixtures().join("offices"), &w.path().join("content"));
    let server = serve(w.path(), &["content", "--port", "0"]);
    let index = request(server.addr, "GET", "/index.html");
    assert_eq!(index.status, 200);
    assert!(
        index.text().contains("href=\"le-chan/index.html\""),
        "{}",
        index.text()
    );
    let page = request(
        server.addr,
        "GET",
        "/pleiku/guides/chung-thuc-ban-sao/index.html",
    );
    assert_eq!(page.status, 200, "{}", page.text());
    let text = page.text();
    let bar = "<nav aria-label=\"Xem trước\"";
    assert!(text.contains(bar), "{text}");
    for link in [
        "href=\"/index.html\">Tất cả phường, xã</a>",
        "href=\"/le-chan/index.html\">UBND phường Lê Chân</a>",
        "href=\"/pleiku/index.html\">UBND phường Pleiku</a>",
    ] {
        assert!(text.contains(link), "{link} in {text}");
    }
    // The bar comes right after <body …>, before the page's own header.
    assert!(text.find(bar) < text.find("<header"), "{text}");
    assert!(text.contains("0269 3 333 333") && !text.contains("0225 3 111 111"));
}

/// With offices, each office's preview goes through its own plan (kept in memory): after
/// a guide's text, its title and a province's fee are edited, every preview equals a full
/// build.
#[test]
fn office_previews_after_edits_equal_a_full_build() {
    let tmp = tempfile::tempdir().unwrap();
    let content = tmp.path().join("content");
    copy_dir(&fixtures().join("ok"), &content);
    copy_dir(&fixtures().join("offices"), &content);
    let preview = |s: &Session| {
        let mut files = session_files(s);
        assert!(
            files
                .remove(camnang::commands::serve::session::SWITCHER)
                .is_some()
        );
        files
    };
    let mut s = Session::new(&content, None);
    assert_eq!(preview(&s), full_build(&content, &tmp.path().join("out0")));
    let guide = content.join("guides/dang-ky-khai-sinh.yaml");
    let edits = [
        (
            guide.clone(),
            "Mở **dichvucong.gov.vn**",
            "Mở **dichvucong.gov.vn** (sửa)",
        ),
        (guide.clone(), "title: ", "title: Sửa — "),
        (
            content.join("provinces/hai-phong.yaml"),
            "3.000 đồng/trang",
            "4.000 đồng/trang",
        ),
    ];
    for (n, (file, from, to)) in edits.iter().enumerate() {
        edit(file, from, to);
        let st = s.update(std::slice::from_ref(file)).clone();
        assert!(s.result().is_ok(), "{:?}", s.result().err());
        assert_eq!(
            preview(&s),
            full_build(&content, &tmp.path().join(format!("out{}", n + 1))),
            "after edit {n} ({st:?})"
        );
    }
    // An office removed, then back: its preview is made again, as a full build makes it.
    let office = content.join("offices/pleiku.yaml");
    let text = std::fs::read_to_string(&office).unwrap();
    std::fs::remove_file(&office).unwrap();
    s.update(std::slice::from_ref(&office));
    assert!(!preview(&s).keys().any(|k| k.starts_with("pleiku/")));
    std::fs::write(&office, text).unwrap();
    s.update(std::slice::from_ref(&office));
    assert!(s.result().is_ok(), "{:?}", s.result().err());
    assert_eq!(
        preview(&s),
        full_build(&content, &tmp.path().join("out-back"))
    );
}

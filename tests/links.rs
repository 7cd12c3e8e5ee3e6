//! `camnang links` against servers on 127.0.0.1 started by the test (no test touches the
//! internet): 200, 404, a redirect to a host outside the allowlist, a redirect loop, a
//! server that never answers; `links.yaml`, the table, the exit code; a proxy from the
//! environment; the old file kept when nothing answers; `check` warnings and the date
//! printed under the QR codes.
//!
//! The guides' QR links are real portal URLs (`https://dichvucong.gov.vn/…`: the allowlist
//! rule, https and an exact host, is the production one). `--map-origin` sends their
//! requests to the test server; redirect targets are mapped back before they are checked.

mod common;

use std::path::Path;
use std::process::Output;

use common::server::{Reply, Server, closed_port, redirect, status};
use common::*;

const SITE: &str = "language: vi
title: Thử liên kết
office:
  name: UBND phường Thử
  address: Số 1
  phone: \"0225\"
  hours: [\"7:30–17:00\"]
portal:
  detail_url: \"https://dichvucong.gov.vn/thu-tuc/{formality_id}\"
  search_url: \"https://dichvucong.gov.vn/tim?keyword={code}\"
  allowed_hosts: [dichvucong.gov.vn, lienthong.dichvucong.gov.vn]
categories:
  - id: ho-tich
    title: Hộ tịch
";

/// Writes a guide `slug` whose QR link is `https://dichvucong.gov.vn{path}`, citing `sources`.
fn guide(content: &Path, slug: &str, code: &str, path: &str, sources: &[&str]) {
    let mut src = String::new();
    if !sources.is_empty() {
        src.push_str("sources:\n");
        for s in sources {
            src.push_str(&format!("  - title: Nguồn\n    url: \"{s}\"\n"));
        }
    }
    let text = format!(
        "---\ntitle: Thủ tục {slug}\ncode: \"{code}\"\ncategory: ho-tich\nsummary: Tóm tắt.\naudience: Mọi người.\nonline_level: partial\nagency: UBND\nfee: Miễn phí.\nprocessing_time: Trong ngày.\nresult: Giấy.\nreviewed: 2026-11-20\nportal:\n  url: \"https://dichvucong.gov.vn{path}\"\ndocuments:\n  - name: Tờ khai\n{src}---\n## Nộp hồ sơ\nNộp tại phường.\n"
    );
    std::fs::write(content.join(format!("guides/{slug}.md")), text).unwrap();
}

/// The portal stand-in on 127.0.0.1 (port `other`: the foreign host on `localhost`).
fn portal(other: u16) -> Server {
    Server::start(move |r| match r.target() {
        "/ok" => status(200),
        "/missing" => status(404),
        "/gone" => status(410),
        "/to-other" => redirect(302, &format!("http://localhost:{other}/landing")),
        "/src-moved" => redirect(302, &format!("http://localhost:{other}/landing")),
        "/moved" => redirect(301, "/ok"),
        "/loop-a" => redirect(302, "/loop-b"),
        "/loop-b" => redirect(302, "/loop-a"),
        "/hang" => Reply::Hang,
        _ => status(500),
    })
}

/// A site of six guides: every case of the module's doc, sources on the server itself.
fn site(port: u16) -> tempfile::TempDir {
    let work = tempfile::tempdir().unwrap();
    let c = work.path().join("content");
    std::fs::create_dir_all(c.join("guides")).unwrap();
    std::fs::write(c.join("site.yaml"), SITE).unwrap();
    let local = |p: &str| format!("http://127.0.0.1:{port}{p}");
    guide(&c, "a-ok", "1.000001", "/ok", &[&local("/ok")]);
    guide(&c, "b-missing", "1.000002", "/missing", &[&local("/gone")]);
    guide(&c, "c-other-host", "1.000003", "/to-other", &[]);
    guide(&c, "d-loop", "1.000004", "/loop-a", &[]);
    guide(&c, "e-hang", "1.000005", "/hang", &[]);
    guide(&c, "f-moved", "1.000006", "/moved", &[&local("/src-moved")]);
    work
}

/// Runs camnang in `dir` with no proxy variables but `env`.
fn run(dir: &Path, args: &[&str], env: &[(&str, String)]) -> Output {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_camnang"));
    cmd.current_dir(dir)
        .args(args)
        .env("CAMNANG_TODAY", "2026-11-22")
        .env_remove("CAMNANG_LANG");
    for v in ["HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY"] {
        cmd.env_remove(v).env_remove(v.to_ascii_lowercase());
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

fn links(dir: &Path, portal: u16, other: u16, extra: &[&str]) -> Output {
    let a = format!("https://dichvucong.gov.vn=http://127.0.0.1:{portal}");
    let b = format!("https://cong-gia.example=http://localhost:{other}");
    let mut args = vec![
        "links",
        "content",
        "--timeout",
        "0.5",
        "--map-origin",
        &a,
        "--map-origin",
        &b,
    ];
    args.extend(extra);
    run(dir, &args, &[])
}

#[test]
fn every_kind_of_answer_is_recorded_and_failures_shown() {
    let other = Server::start(|_| status(200));
    let p = portal(other.port);
    let work = site(p.port);
    let out = links(work.path(), p.port, other.port, &["--lang", "en"]);
    let port = p.port;
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        format!(
            "\
Kind    Status  Link                                Guide                   Problem
QR      —       https://dichvucong.gov.vn/hang      guides/e-hang.md        no answer within 0.5 s
QR      302     https://dichvucong.gov.vn/loop-a    guides/d-loop.md        redirect loop: back to https://dichvucong.gov.vn/loop-a
QR      404     https://dichvucong.gov.vn/missing   guides/b-missing.md     the page answered 404 Not Found
QR      302     https://dichvucong.gov.vn/to-other  guides/c-other-host.md  redirected to https://cong-gia.example/landing: host `cong-gia.example` is not an allowed portal host (dichvucong.gov.vn, lienthong.dichvucong.gov.vn)
source  410     http://127.0.0.1:{port}/gone         guides/b-missing.md     the page answered 410 Gone
"
        )
    );
    assert_eq!(
        stderr(&out),
        "Checking links online, 4 requests at a time…\n\
         Checked 9 links (6 QR codes): 4 ok, 5 failed (4 QR codes). Results written to content/links.yaml.\n"
    );
    let yaml = std::fs::read_to_string(work.path().join("content/links.yaml")).unwrap();
    assert_eq!(
        yaml,
        format!(
            r#"# Kết quả `camnang links` gần nhất cho mỗi liên kết (mã QR và nguồn). Tệp do máy ghi.
links:
  - url: "http://127.0.0.1:{port}/gone"
    status: 410
    checked: 2026-11-22
    error: "trang trả lời mã 410 Gone"
  - url: "http://127.0.0.1:{port}/ok"
    status: 200
    checked: 2026-11-22
  - url: "http://127.0.0.1:{port}/src-moved"
    status: 200
    final_url: "https://cong-gia.example/landing"
    checked: 2026-11-22
  - url: "https://dichvucong.gov.vn/hang"
    checked: 2026-11-22
    error: "không có trả lời trong 0.5 giây"
  - url: "https://dichvucong.gov.vn/loop-a"
    status: 302
    checked: 2026-11-22
    error: "chuyển hướng vòng lặp: quay lại https://dichvucong.gov.vn/loop-a"
  - url: "https://dichvucong.gov.vn/missing"
    status: 404
    checked: 2026-11-22
    error: "trang trả lời mã 404 Not Found"
  - url: "https://dichvucong.gov.vn/moved"
    status: 200
    final_url: "https://dichvucong.gov.vn/ok"
    checked: 2026-11-22
  - url: "https://dichvucong.gov.vn/ok"
    status: 200
    checked: 2026-11-22
  - url: "https://dichvucong.gov.vn/to-other"
    status: 302
    final_url: "https://cong-gia.example/landing"
    checked: 2026-11-22
    error: "bị chuyển hướng tới https://cong-gia.example/landing: tên miền `cong-gia.example` không nằm trong danh sách cổng được phép (dichvucong.gov.vn, lienthong.dichvucong.gov.vn)"
"#
        )
    );
    // Every hop was asked once, the loop stopped where it closed, and the foreign host
    // of a QR redirect was never asked (the source redirected there was).
    assert_eq!(
        p.targets(),
        [
            "/gone",
            "/hang",
            "/loop-a",
            "/loop-b",
            "/missing",
            "/moved",
            "/ok",
            "/ok",
            "/ok",
            "/src-moved",
            "/to-other"
        ]
    );
    assert_eq!(other.targets(), ["/landing"]);
    for r in p.requests() {
        assert_eq!(
            r.header("user-agent"),
            Some(env!("CARGO_PKG_VERSION")).map(|_| concat!("camnang/", env!("CARGO_PKG_VERSION")))
        );
        assert_eq!(r.header("host"), Some(format!("127.0.0.1:{port}").as_str()));
    }
}

#[test]
fn the_table_is_vietnamese_by_default_and_sources_alone_do_not_fail() {
    let p = portal(closed_port());
    let work = tempfile::tempdir().unwrap();
    let c = work.path().join("content");
    std::fs::create_dir_all(c.join("guides")).unwrap();
    std::fs::write(c.join("site.yaml"), SITE).unwrap();
    let gone = format!("http://127.0.0.1:{}/gone", p.port);
    guide(&c, "a-ok", "1.000001", "/ok", &[&gone]);
    let out = links(work.path(), p.port, closed_port(), &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        format!(
            "Loại   Mã   Liên kết                     Hướng dẫn       Lỗi\n\
             nguồn  410  {gone}  guides/a-ok.md  trang trả lời mã 410 Gone\n"
        )
    );
    assert_eq!(
        stderr(&out),
        "Kiểm tra liên kết qua mạng, 4 yêu cầu một lúc…\n\
         Đã kiểm tra 2 liên kết (1 mã QR): 1 tốt, 1 lỗi (0 mã QR). Kết quả ghi vào content/links.yaml.\n"
    );
}

#[test]
fn nothing_answering_keeps_the_old_file() {
    let dead = closed_port();
    let work = site(dead);
    let file = work.path().join("content/links.yaml");
    let old = "links:\n  - url: \"https://dichvucong.gov.vn/ok\"\n    status: 200\n    checked: 2026-11-01\n";
    std::fs::write(&file, old).unwrap();
    let out = links(work.path(), dead, dead, &["--lang", "en", "-q"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out),
        "No link answered (is the network down?); content/links.yaml was left as it was.\n"
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), old);
    let names: Vec<String> = std::fs::read_dir(work.path().join("content"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(!names.iter().any(|n| n.contains("tmp")), "{names:?}");
}

#[test]
fn proxies_come_from_the_environment() {
    let direct = Server::start(|_| status(200));
    // The proxy opens tunnels to port 80 (and answers what comes through them), not to 443.
    let proxy = Server::start(|r| {
        if r.line.starts_with("CONNECT nguon.invalid:80 ") {
            Reply::Tunnel
        } else if r.line.starts_with("CONNECT ") {
            status(403)
        } else {
            status(200)
        }
    });
    let work = tempfile::tempdir().unwrap();
    let c = work.path().join("content");
    std::fs::create_dir_all(c.join("guides")).unwrap();
    std::fs::write(c.join("site.yaml"), SITE).unwrap();
    let local = format!("http://127.0.0.1:{}/direct", direct.port);
    guide(
        &c,
        "a-ok",
        "1.000001",
        "/ok",
        &["http://nguon.invalid/luat", &local],
    );
    let proxy_url = format!("http://127.0.0.1:{}", proxy.port);
    let out = run(
        work.path(),
        &["links", "content", "--lang", "en", "--timeout", "5"],
        &[
            ("HTTPS_PROXY", proxy_url.clone()),
            ("http_proxy", proxy_url),
            ("NO_PROXY", "localhost,127.0.0.1".into()),
        ],
    );
    // Both links went to the proxy as tunnels (ureq tunnels http:// too): the one to
    // port 443 was refused, the http:// source was answered through its tunnel; the
    // source on a NO_PROXY host went direct.
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let mut lines: Vec<String> = proxy.requests().iter().map(|r| r.line.clone()).collect();
    lines.sort();
    assert_eq!(
        lines,
        [
            "CONNECT dichvucong.gov.vn:443 HTTP/1.1",
            "CONNECT nguon.invalid:80 HTTP/1.1",
            "GET /luat HTTP/1.1"
        ]
    );
    let tunnelled = proxy
        .requests()
        .into_iter()
        .find(|r| r.line.starts_with("GET"))
        .unwrap();
    assert_eq!(tunnelled.header("host"), Some("nguon.invalid"));
    assert_eq!(direct.targets(), ["/direct"]);
    assert_eq!(
        stdout(&out),
        "Kind  Status  Link                          Guide           Problem\n\
         QR    —       https://dichvucong.gov.vn/ok  guides/a-ok.md  the proxy refused the connection (proxy server responded 403/403)\n"
    );
}

/// `links.yaml` as `camnang links` would write it, for `(path, checked, error)`.
fn results(content: &Path, entries: &[(&str, &str, Option<&str>)]) {
    let mut text = String::from("links:\n");
    for (path, day, error) in entries {
        text.push_str(&format!(
            "  - url: \"https://dichvucong.gov.vn{path}\"\n    status: 200\n    checked: {day}\n"
        ));
        if let Some(e) = error {
            text.push_str(&format!("    error: \"{e}\"\n"));
        }
    }
    std::fs::write(content.join("links.yaml"), text).unwrap();
}

fn link_warnings(work: &Path) -> String {
    let out = run(work, &["check", "content", "--lang", "en"], &[]);
    stderr(&out)
        .lines()
        .filter(|l| {
            l.contains("QR link") || l.contains("links.yaml") || l.contains("camnang links")
        })
        .map(|l| format!("{l}\n"))
        .collect()
}

#[test]
fn check_warns_about_qr_links_not_checked_lately() {
    let work = site(closed_port());
    let c = work.path().join("content");
    // Without links.yaml the site does not check its links: no warning.
    assert_eq!(link_warnings(work.path()), "");
    results(
        &c,
        &[
            ("/ok", "2026-11-20", None),
            (
                "/missing",
                "2026-11-20",
                Some("the page answered 404 Not Found"),
            ),
            ("/to-other", "2026-08-23", None),
            ("/loop-a", "2026-08-24", None),
            ("/hang", "2026-12-01", None),
        ],
    );
    // Today is 2026-11-22: 2026-08-23 is 91 days ago, 2026-08-24 90. /moved was never checked.
    assert_eq!(
        link_warnings(work.path()),
        "\
content/guides/b-missing.md:14:8: warning: portal.url: the QR link https://dichvucong.gov.vn/missing failed when checked on 20/11/2026: the page answered 404 Not Found
  hint: correct the guide's portal link (or the templates in site.yaml), then run `camnang links` again
content/guides/c-other-host.md:14:8: warning: portal.url: the QR link https://dichvucong.gov.vn/to-other was last checked on 23/08/2026, more than 90 days ago
  hint: run `camnang links` (it needs the Internet) to check it
content/guides/f-moved.md:14:8: warning: portal.url: the QR link https://dichvucong.gov.vn/moved has never been checked
  hint: run `camnang links` (it needs the Internet) to check it
"
    );
    // `links.max_age_days` moves the limit; Vietnamese by default.
    let site_yaml = std::fs::read_to_string(c.join("site.yaml")).unwrap();
    std::fs::write(
        c.join("site.yaml"),
        format!("{site_yaml}links:\n  max_age_days: 89\n"),
    )
    .unwrap();
    let out = run(work.path(), &["check", "content"], &[]);
    let text = stderr(&out);
    assert!(
        text.contains("content/guides/d-loop.md:14:8: cảnh báo: portal.url: liên kết của mã QR https://dichvucong.gov.vn/loop-a được kiểm tra lần cuối ngày 24/08/2026, đã hơn 89 ngày\n"),
        "{text}"
    );
    assert!(text.contains("0 lỗi, 7 cảnh báo"), "{text}");
}

#[test]
fn a_broken_links_file_is_a_warning_and_is_rewritten() {
    let p = portal(closed_port());
    let work = site(p.port);
    let c = work.path().join("content");
    std::fs::write(
        c.join("links.yaml"),
        "links:\n  - url: \"https://dichvucong.gov.vn/ok\"\n    checked: hôm qua\n",
    )
    .unwrap();
    let out = run(work.path(), &["check", "content", "--lang", "en"], &[]);
    assert_eq!(out.status.code(), Some(0));
    assert!(
        stderr(&out).contains("content/links.yaml:3:14: warning: links[1].checked: `checked` is not a date\n  hint: run `camnang links` again to rewrite the file\n"),
        "{}",
        stderr(&out)
    );
    let out = links(work.path(), p.port, closed_port(), &["-q"]);
    assert_eq!(out.status.code(), Some(1));
    let text = std::fs::read_to_string(c.join("links.yaml")).unwrap();
    assert!(
        text.contains(
            "  - url: \"https://dichvucong.gov.vn/ok\"\n    status: 200\n    checked: 2026-11-22\n"
        ),
        "{text}"
    );
}

#[test]
fn pages_and_leaflets_print_the_day_the_qr_link_was_checked() {
    let work = site(closed_port());
    let c = work.path().join("content");
    results(
        &c,
        &[
            ("/ok", "2026-11-20", None),
            ("/missing", "2026-11-20", Some("404")),
        ],
    );
    let out = run(
        work.path(),
        &["build", "content", "-o", "public", "-q"],
        &[],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let read = |p: &str| std::fs::read_to_string(work.path().join("public").join(p)).unwrap();
    let page = read("guides/a-ok/index.html");
    assert!(
        page.contains("<p class=\"qr-checked\">Liên kết đã kiểm tra ngày 20/11/2026</p>"),
        "{page}"
    );
    for sheet in ["a4", "a5", "poster"] {
        let html = read(&format!("print/a-ok/{sheet}.html"));
        assert!(
            html.contains("<span class=\"p-checked\">Liên kết đã kiểm tra ngày 20/11/2026</span>"),
            "{sheet}: {html}"
        );
    }
    // A link that failed its last check, or was never checked, prints no date.
    for p in [
        "guides/b-missing/index.html",
        "print/b-missing/a4.html",
        "guides/f-moved/index.html",
    ] {
        assert!(!read(p).contains("đã kiểm tra ngày"), "{p}");
    }
    // In English.
    let out = run(
        work.path(),
        &["build", "content", "-o", "en", "-q", "--lang", "en"],
        &[],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let page = std::fs::read_to_string(work.path().join("en/guides/a-ok/index.html")).unwrap();
    assert!(
        page.contains("<p class=\"qr-checked\">Link checked on 20/11/2026</p>"),
        "{page}"
    );
}

/// The client itself: a limit on redirects, a few requests at a time, bodies up to a limit.
mod client {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
    use std::time::Duration;

    use camnang::commands::online::{Client, Options, ProxyEnv};
    use url::Url;

    use super::common::server::{Reply, Server, redirect, status};

    fn client(port: u16, opts: Options) -> (Client, impl Fn(&str) -> Url) {
        let map = (
            Url::parse("https://dichvucong.gov.vn").unwrap(),
            Url::parse(&format!("http://127.0.0.1:{port}")).unwrap(),
        );
        let opts = Options {
            map: vec![map],
            timeout: Duration::from_secs(5),
            ..opts
        };
        let c = Client::with_env(opts, ProxyEnv::default());
        (c, |p: &str| {
            Url::parse(&format!("https://dichvucong.gov.vn{p}")).unwrap()
        })
    }

    #[test]
    fn redirects_stop_at_the_limit() {
        let s = Server::start(|r| {
            let n: u32 = r.target().trim_start_matches("/r").parse().unwrap_or(0);
            redirect(302, &format!("/r{}", n + 1))
        });
        let opts = Options {
            max_redirects: 3,
            ..Options::default()
        };
        let (c, url) = client(s.port, opts);
        let f = c.follow(&url("/r0"), 0, &|_| Ok(()));
        assert_eq!(f.stopped.as_ref().unwrap().en, "more than 3 redirects");
        assert_eq!(f.hops.len(), 4);
        assert_eq!(f.last().as_str(), "https://dichvucong.gov.vn/r3");
        assert_eq!(f.next.unwrap().as_str(), "https://dichvucong.gov.vn/r4");
        assert_eq!(s.targets(), ["/r0", "/r1", "/r2", "/r3"]);
    }

    #[test]
    fn a_few_requests_at_a_time_and_bodies_up_to_a_limit() {
        let now = Arc::new(AtomicUsize::new(0));
        let most = Arc::new(AtomicUsize::new(0));
        let (n, m) = (now.clone(), most.clone());
        let s = Server::start(move |r| {
            let in_flight = n.fetch_add(1, SeqCst) + 1;
            m.fetch_max(in_flight, SeqCst);
            std::thread::sleep(Duration::from_millis(100));
            n.fetch_sub(1, SeqCst);
            if r.target() == "/big" {
                Reply::Answer(200, Vec::new(), "x".repeat(100))
            } else {
                status(200)
            }
        });
        let opts = Options {
            jobs: 2,
            ..Options::default()
        };
        let (c, url) = client(s.port, opts);
        let paths: Vec<String> = (0..6).map(|i| format!("/p{i}")).collect();
        let got = c.each(&paths, |p| (p.clone(), c.get(&url(p), 0).unwrap().status));
        assert_eq!(got.len(), 6);
        assert!(
            got.iter()
                .zip(&paths)
                .all(|((p, s), q)| p == q && *s == 200)
        );
        assert!(most.load(SeqCst) <= 2, "{} at once", most.load(SeqCst));
        assert_eq!(c.get(&url("/big"), 100).unwrap().body.len(), 100);
        let e = c.get(&url("/big"), 99).unwrap_err();
        assert_eq!(e.text.en, "the answer is larger than 99 bytes");
        assert!(!e.network);
    }
}

#[test]
fn https_proxy_is_for_https_links_only() {
    // ureq alone would send every link through the first proxy variable it finds.
    let direct = Server::start(|_| status(200));
    let proxy = Server::start(|_| status(403));
    let work = tempfile::tempdir().unwrap();
    let c = work.path().join("content");
    std::fs::create_dir_all(c.join("guides")).unwrap();
    std::fs::write(c.join("site.yaml"), SITE).unwrap();
    let local = format!("http://127.0.0.1:{}/direct", direct.port);
    guide(&c, "a-ok", "1.000001", "/ok", &[&local]);
    let out = run(
        work.path(),
        &["links", "content", "-q"],
        &[("https_proxy", format!("http://127.0.0.1:{}", proxy.port))],
    );
    assert_eq!(out.status.code(), Some(1));
    let lines: Vec<String> = proxy.requests().iter().map(|r| r.line.clone()).collect();
    assert_eq!(lines, ["CONNECT dichvucong.gov.vn:443 HTTP/1.1"]);
    assert_eq!(direct.targets(), ["/direct"]);
    // `-q`: the table, no progress or summary line.
    assert_eq!(stderr(&out), "");
    assert_eq!(
        stdout(&out),
        "Loại  Mã  Liên kết                      Hướng dẫn       Lỗi\n\
         QR    —   https://dichvucong.gov.vn/ok  guides/a-ok.md  proxy từ chối kết nối (proxy server responded 403/403)\n"
    );
}

#[test]
fn content_errors_stop_before_any_request() {
    let p = portal(closed_port());
    let work = site(p.port);
    let c = work.path().join("content");
    std::fs::write(c.join("guides/g-bad.md"), "---\ntitle: [\n---\n").unwrap();
    let out = links(work.path(), p.port, closed_port(), &["--lang", "en"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out),
        "Checking links online, 4 requests at a time…\n\
         content/guides/g-bad.md:3:1: error: invalid YAML: did not find expected node content\n\
         \x20 hint: a quote `\"` or bracket `[` `{` opened above is probably not closed\n\
         1 error, 0 warnings\n"
    );
    assert!(p.requests().is_empty());
    assert!(!c.join("links.yaml").exists());
}

//! `camnang links` against servers on 127.0.0.1 started by the test (no test touches the
//! internet): 200, 404, a redirect to a host outside the allowlist, a redirect loop, a
//! server that never answers; `links.yaml`, the table, the exit code; a proxy from the
//! environment; the old file kept when nothing answers; `check` warnings and the date
//! printed under the QR codes (`offline.rs`), and the client's limits (`client.rs`).
//!
//! The guides' QR links are real portal URLs (`https://dichvucong.gov.vn/…`: the allowlist
//! rule, https and an exact host, is the production one). `--map-origin` sends their
//! requests to the test server; redirect targets are mapped back before they are checked.

mod client;
#[path = "../common/mod.rs"]
mod common;
mod offline;

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

//! `camnang records fetch` against a real HTTP server on 127.0.0.1 (no test touches the
//! internet): the portal's API is mapped to it with the hidden `--map-origin`.

mod common;

use std::path::Path;

use common::server::{Reply, Request, Server, closed_port, status};
use common::*;

const ID: &str = "0a1b2c3d-0000-7000-8000-000000000656";
const API: &str = "/api/v1/configuring/formality/get-formality-by-citizen";
const SAVED: &str = "content/records/1.000656.json";

/// The records fixture site, its death-registration guide pointing at the record's id.
fn site() -> tempfile::TempDir {
    let w = tempfile::tempdir().unwrap();
    copy_dir(&fixtures().join("records/site"), &w.path().join("content"));
    let g = w.path().join("content/guides/dang-ky-khai-tu.yaml");
    let text = std::fs::read_to_string(&g).unwrap();
    std::fs::write(&g, text.replace("0a1b2c3d-0000-7000-8000-000000000000", ID)).unwrap();
    w
}

fn record(name: &str) -> String {
    std::fs::read_to_string(fixtures().join("records").join(name)).unwrap()
}

fn json(body: String) -> Reply {
    Reply::Answer(
        200,
        vec![("Content-Type".into(), "application/json".into())],
        body,
    )
}

fn fetch(
    w: &Path,
    port: u16,
    extra: &[&str],
    env: &[(&str, &str)],
) -> (Option<i32>, String, String) {
    let map = format!("https://dichvucong.gov.vn=http://127.0.0.1:{port}");
    let mut args = vec!["records", "fetch", "--lang", "en", "--map-origin", &map];
    args.extend_from_slice(extra);
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_camnang"))
        .current_dir(w)
        .args(&args)
        .env("CAMNANG_TODAY", "2026-11-22")
        .env_remove("CAMNANG_LANG")
        .env_remove("HTTP_PROXY")
        .env_remove("HTTPS_PROXY")
        .env_remove("ALL_PROXY")
        .envs(env.iter().copied())
        .output()
        .unwrap();
    (o.status.code(), stdout(&o), stderr(&o))
}

/// The portal: the new death-registration record for its id, nothing else.
fn portal(req: &Request) -> Reply {
    if req.line.starts_with(&format!("POST {API} ")) && req.body == format!("{{\"id\":\"{ID}\"}}") {
        json(record("khai-tu-moi.json"))
    } else {
        status(404)
    }
}

#[test]
fn a_newer_record_replaces_the_saved_one_and_the_changes_are_listed() {
    let w = site();
    let server = Server::start(portal);
    let (code, out, err) = fetch(w.path(), server.port, &[], &[]);
    assert_eq!(code, Some(0), "{out}{err}");
    assert_eq!(
        out,
        "1.000656 guides/dang-ky-khai-tu.yaml: updated, what changed:
  - document added: Bản sao trích lục khai sinh của người chết (nếu có).
  - fee: Nộp trực tiếp, nộp trực tuyến: miễn phí; nộp qua bưu chính: 5.000 đồng/lần → Nộp trực tiếp, nộp trực tuyến: miễn phí; nộp qua bưu chính: 8.000 đồng/lần
  - processing time: Nộp trực tiếp, nộp trực tuyến: 1 ngày làm việc; nộp qua bưu chính: 3 ngày làm việc → Nộp trực tiếp, nộp trực tuyến: 1 ngày làm việc; nộp qua bưu chính: 2 ngày làm việc
  - legal basis added: 07/2025/NĐ-CP
"
    );
    assert_eq!(
        std::fs::read_to_string(w.path().join(SAVED)).unwrap(),
        record("khai-tu-moi.json")
    );
    let reqs = server.requests();
    assert_eq!(reqs.len(), 1);
    assert_eq!(reqs[0].header("content-type"), Some("application/json"));
    assert!(
        reqs[0]
            .header("user-agent")
            .unwrap()
            .starts_with("camnang/")
    );
    // Again: the same record, nothing to do.
    let (code, out, _) = fetch(w.path(), server.port, &[], &[]);
    assert_eq!(
        (code, out.as_str()),
        (Some(0), "1.000656 guides/dang-ky-khai-tu.yaml: unchanged\n")
    );
}

#[test]
fn bad_answers_never_replace_the_saved_record() {
    let w = site();
    let before = std::fs::read(w.path().join(SAVED)).unwrap();
    let good = record("khai-tu-moi.json");
    let truncated = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{}",
        good.len(),
        &good[..good.len() / 2]
    );
    let cut = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n{}",
        &good[..good.len() / 2]
    );
    let cases: Vec<(Reply, &str)> = vec![
        (
            status(500),
            "FAILED: the portal answered 500 Internal Server Error; the saved record is kept",
        ),
        (
            Reply::Answer(
                200,
                vec![("Content-Type".into(), "text/html".into())],
                "<!doctype html><html><body>Bảo trì</body></html>".into(),
            ),
            "FAILED: the answer is not a record (the record is not valid JSON: expected value); the saved record is kept",
        ),
        // The body ends before its Content-Length, or (without one) in the middle of the JSON.
        (
            Reply::Raw(truncated.into_bytes()),
            "FAILED: connection error: Peer disconnected; the saved record is kept",
        ),
        (
            Reply::Raw(cut.into_bytes()),
            "FAILED: the answer is not a record (the record is not valid JSON: EOF while parsing a string); the saved record is kept",
        ),
        (
            json(record("chung-thuc.json")),
            "FAILED: the answer is the record of 2.000815 (0a1b2c3d-0000-7000-8000-000000000815), not of 1.000656 (0a1b2c3d-0000-7000-8000-000000000656); the saved record is kept",
        ),
    ];
    for (reply, want) in cases {
        let reply = std::sync::Mutex::new(Some(reply));
        let server = Server::start(move |_| reply.lock().unwrap().take().unwrap_or(status(404)));
        let (code, out, err) = fetch(w.path(), server.port, &[], &[]);
        assert_eq!(code, Some(1), "{out}{err}");
        assert!(
            out.starts_with(&format!("1.000656 guides/dang-ky-khai-tu.yaml: {want}")),
            "{out}"
        );
        assert_eq!(
            std::fs::read(w.path().join(SAVED)).unwrap(),
            before,
            "{want}"
        );
        let left: Vec<_> = std::fs::read_dir(w.path().join("content/records"))
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(left.len(), 3, "nothing else written: {left:?}");
    }
}

#[test]
fn a_portal_that_never_answers_times_out_and_a_proxy_is_used() {
    let w = site();
    let server = Server::start(|_| Reply::Hang);
    let (code, out, _) = fetch(w.path(), server.port, &["--timeout", "0.5"], &[]);
    assert_eq!(code, Some(1));
    assert_eq!(
        out,
        "1.000656 guides/dang-ky-khai-tu.yaml: FAILED: no answer within 0.5 s; the saved record is kept\n"
    );
    // HTTP_PROXY (the mapped API is plain http here) is where the request goes.
    let portal = Server::start(portal);
    let proxy = format!("http://127.0.0.1:{}", closed_port());
    let (code, out, _) = fetch(w.path(), portal.port, &[], &[("HTTP_PROXY", &proxy)]);
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("FAILED: "), "{out}");
    assert!(
        portal.requests().is_empty(),
        "the request bypassed the proxy"
    );
}

#[test]
fn only_the_codes_asked_and_an_unknown_code_is_refused() {
    let w = site();
    let server = Server::start(portal);
    let (code, out, err) = fetch(w.path(), server.port, &["1.000111"], &[]);
    assert_eq!(code, Some(1), "{out}{err}");
    assert_eq!(
        out,
        "1.000111 guides/bai-bo.yaml: FAILED: the guide has no `portal.formality_id`: the portal gives a record by that id; the saved record is kept\n"
    );
    assert!(server.requests().is_empty());
    let (code, out, err) = fetch(w.path(), server.port, &["9.999999"], &[]);
    assert_eq!((code, out.as_str()), (Some(1), ""));
    assert_eq!(
        err,
        "no guide has the procedure code 9.999999\n  hint: the codes of the guides are in their `code:` key, e.g. `camnang records fetch 1.001193`\n"
    );
}

//! Benchmark: with 5,000 guides (issue #16; `SERVE_GUIDES=N` for another size), the time
//! from saving one guide to `camnang serve` answering with the rebuilt page (target: under
//! 200 ms on 2 cores).
//!
//! `cargo bench --bench serve` (release). A synthetic corpus is generated, the real
//! binary is started on a free port, one guide is saved several times and the page is
//! polled over HTTP until it shows the change. Also reports the in-process
//! `commands::serve::session::Session::update` time (no file watcher, no debounce).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use camnang::commands::serve::session::Session;

const SAVES: usize = 11;

fn get(addr: SocketAddr, target: &str) -> String {
    let mut s = TcpStream::connect(addr).unwrap();
    write!(
        s,
        "GET {target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut body = String::new();
    s.read_to_string(&mut body).unwrap();
    body
}

fn median(mut v: Vec<f64>) -> (f64, f64, f64) {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    (v[v.len() / 2], v[0], v[v.len() - 1])
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let n: usize = std::env::var("SERVE_GUIDES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5_000);
    let tmp = tempfile::tempdir().unwrap();
    let content = tmp.path().join("content");
    camnang::corpus::write(&content, n).unwrap();
    let guide = content.join("guides/thu-tuc-00500.yaml");
    let original = std::fs::read_to_string(&guide).unwrap();
    let page = "/guides/thu-tuc-00500/index.html";

    // In process: Session::update after one save.
    let mut session = Session::new(&content, None);
    let mut lib = Vec::new();
    for i in 0..SAVES {
        std::fs::write(
            &guide,
            original.replacen(
                "fee: Miễn lệ phí.",
                &format!("fee: Miễn lệ phí (lần {i})."),
                1,
            ),
        )
        .unwrap();
        let t = Instant::now();
        let st = session.update(std::slice::from_ref(&guide));
        lib.push(t.elapsed().as_secs_f64() * 1000.0);
        assert_eq!(st.reloaded, 1);
    }
    let pages = session.result().unwrap().files.len();
    let (m, lo, hi) = median(lib);
    println!(
        "Session::update, {n} guides ({pages} files): median {m:.1} ms  min {lo:.1}  max {hi:.1}  ({SAVES} saves)"
    );
    drop(session);
    std::fs::write(&guide, &original).unwrap();

    // The real server: save → page served.
    let mut child = Command::new(env!("CARGO_BIN_EXE_camnang"))
        .args(["serve", "--port", "0", "-q"])
        .arg(&content)
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let mut lines = BufReader::new(stderr).lines();
    let addr: SocketAddr = loop {
        let line = lines.next().expect("serve exited").unwrap();
        if let Some(i) = line.find("http://") {
            break line[i + 7..].split('/').next().unwrap().parse().unwrap();
        }
    };
    std::thread::spawn(move || for _ in lines {});
    assert!(get(addr, page).contains("200 OK"));
    let mut times = Vec::new();
    for i in 0..SAVES {
        let marker = format!("Miễn lệ phí (lần {i}).");
        let text = original.replacen("fee: Miễn lệ phí.", &format!("fee: {marker}"), 1);
        // Like a person saving now and then (a save less than 0.5 s after the previous one
        // counts as a burst and waits longer for quiet).
        std::thread::sleep(Duration::from_millis(1000));
        let t = Instant::now();
        std::fs::write(&guide, text).unwrap();
        loop {
            if get(addr, page).contains(&marker) {
                break;
            }
            assert!(t.elapsed() < Duration::from_secs(60), "no rebuild");
            std::thread::sleep(Duration::from_millis(2));
        }
        times.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    let _ = child.kill();
    let _ = child.wait();
    let (m, lo, hi) = median(times);
    println!(
        "serve, {n} guides: save → rebuilt page served: median {m:.1} ms  min {lo:.1}  max {hi:.1}  ({SAVES} saves, includes the {} ms quiet window)",
        camnang::commands::serve::QUIET.as_millis()
    );
}

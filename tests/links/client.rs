//! The client itself: a limit on redirects, a few requests at a time, bodies up to a limit.

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

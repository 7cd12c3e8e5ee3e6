//! The HTTP client of the online commands (`camnang links`; `records fetch` builds on it).
//! `build`, `check` and `serve` never use it: `tests/layers.rs` fails when anything but the
//! online commands names this module or `ureq`.
//!
//! - blocking requests with [`ureq`] over rustls, a connect timeout and an overall one per
//!   request ([`Options`]);
//! - proxies from `HTTPS_PROXY` / `HTTP_PROXY` / `ALL_PROXY` and `NO_PROXY` ([`proxy`]);
//! - redirects followed one hop at a time by [`Client::follow`], so the caller can check
//!   every host before it is asked, with a limit and loop detection;
//! - a few requests at a time ([`Client::each`], `jobs` threads);
//! - `User-Agent: camnang/<version>`.
//!
//! For tests (and a mirror of the portal), [`Options::map`] sends the requests meant for
//! one origin to another (`https://dichvucong.gov.vn` → `http://127.0.0.1:PORT`); URLs
//! are reported and checked as they were written, only the connection differs.

pub mod proxy;
mod redirect;

use std::sync::Mutex;
use std::time::Duration;

use ureq::Agent;
use url::{Position, Url};

use crate::i18n::Text;
use crate::tx;

pub use proxy::ProxyEnv;
pub use redirect::Followed;

/// The `User-Agent` of every request.
pub const USER_AGENT: &str = concat!("camnang/", env!("CARGO_PKG_VERSION"));

/// How the client behaves.
#[derive(Debug, Clone)]
pub struct Options {
    /// Time to open a connection (proxy and TLS included).
    pub connect_timeout: Duration,
    /// Time for one whole request, from connecting to the end of the answer.
    pub timeout: Duration,
    /// Redirects followed by [`Client::follow`] before giving up.
    pub max_redirects: usize,
    /// Requests under way at the same time in [`Client::each`].
    pub jobs: usize,
    /// Origins whose requests go to another origin: `(written, actual)`.
    pub map: Vec<(Url, Url)>,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(30),
            max_redirects: 10,
            jobs: 4,
            map: Vec::new(),
        }
    }
}

/// An answer to one request (redirects not followed).
#[derive(Debug, Clone, Default)]
pub struct Answer {
    pub status: u16,
    /// The `Location` header, as sent.
    pub location: Option<String>,
    pub content_type: Option<String>,
    /// The body, up to the limit the caller asked for.
    pub body: Vec<u8>,
}

impl Answer {
    pub fn is_redirect(&self) -> bool {
        matches!(self.status, 301 | 302 | 303 | 307 | 308)
    }
}

/// Why a request got no answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Failure {
    pub text: Text,
    /// No answer at all came back (no connection, timeout, DNS, proxy refused): the
    /// network may be down rather than the link broken.
    pub network: bool,
}

impl Failure {
    fn link(text: Text) -> Failure {
        Failure {
            text,
            network: false,
        }
    }
}

/// The client: agents for direct and proxied requests, and the options.
pub struct Client {
    opts: Options,
    env: ProxyEnv,
    direct: Agent,
    /// Agents for each proxy URL met so far.
    proxied: Mutex<Vec<(String, Agent)>>,
}

impl Client {
    /// A client reading its proxies from the process environment.
    pub fn new(opts: Options) -> Client {
        Client::with_env(opts, ProxyEnv::read(&|n| std::env::var(n).ok()))
    }

    /// A client with the proxies of `env`.
    pub fn with_env(opts: Options, env: ProxyEnv) -> Client {
        let direct = agent(&opts, None);
        Client {
            opts,
            env,
            direct,
            proxied: Mutex::new(Vec::new()),
        }
    }

    pub fn options(&self) -> &Options {
        &self.opts
    }

    /// One `GET` of `url` (mapped by [`Options::map`]), redirects not followed; the body is
    /// read up to `max_body` bytes (a longer one is an error).
    pub fn get(&self, url: &Url, max_body: usize) -> Result<Answer, Failure> {
        let wire = self.on_wire(url);
        let agent = self.agent_for(&wire)?;
        let mut resp = agent
            .get(wire.as_str())
            .header("Accept", "*/*")
            .call()
            .map_err(|e| failure(&e, &self.opts))?;
        let header = |name: &str| {
            resp.headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        let mut answer = Answer {
            status: resp.status().as_u16(),
            location: header("location"),
            content_type: header("content-type"),
            body: Vec::new(),
        };
        if max_body > 0 {
            answer.body = resp
                .body_mut()
                .with_config()
                .limit(max_body as u64)
                .read_to_vec()
                .map_err(|e| failure(&e, &self.opts))?;
        }
        Ok(answer)
    }

    /// One `POST` of the JSON text `json` to `url` (mapped by [`Options::map`]), redirects
    /// not followed; the body is read up to `max_body` bytes (a longer one is an error).
    pub fn post_json(&self, url: &Url, json: &str, max_body: usize) -> Result<Answer, Failure> {
        let wire = self.on_wire(url);
        let agent = self.agent_for(&wire)?;
        let mut resp = agent
            .post(wire.as_str())
            .header("Accept", "application/json")
            .header("Content-Type", "application/json")
            .send(json)
            .map_err(|e| failure(&e, &self.opts))?;
        let content_type = resp
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let body = resp
            .body_mut()
            .with_config()
            .limit(max_body as u64)
            .read_to_vec()
            .map_err(|e| failure(&e, &self.opts))?;
        Ok(Answer {
            status: resp.status().as_u16(),
            location: None,
            content_type,
            body,
        })
    }

    /// Runs `f` on every item, [`Options::jobs`] at a time; results in the items' order.
    pub fn each<T: Sync, R: Send>(&self, items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
        let next = Mutex::new(0usize);
        let out: Vec<Mutex<Option<R>>> = items.iter().map(|_| Mutex::new(None)).collect();
        std::thread::scope(|s| {
            for _ in 0..self.opts.jobs.clamp(1, items.len().max(1)) {
                s.spawn(|| {
                    loop {
                        let i = {
                            let mut n = next.lock().unwrap_or_else(|e| e.into_inner());
                            let i = *n;
                            *n += 1;
                            i
                        };
                        let Some(item) = items.get(i) else { break };
                        let r = f(item);
                        *out[i].lock().unwrap_or_else(|e| e.into_inner()) = Some(r);
                    }
                });
            }
        });
        out.into_iter()
            .filter_map(|m| m.into_inner().unwrap_or_else(|e| e.into_inner()))
            .collect()
    }

    /// The URL the request for `url` really goes to.
    fn on_wire(&self, url: &Url) -> Url {
        remap(url, self.opts.map.iter().map(|(a, b)| (a, b)))
    }

    /// The URL as written for a `wire` URL (a redirect target), see [`Options::map`].
    fn as_written(&self, wire: &Url) -> Url {
        remap(wire, self.opts.map.iter().map(|(a, b)| (b, a)))
    }

    /// The agent for a request to `wire`: direct, or through its proxy.
    fn agent_for(&self, wire: &Url) -> Result<Agent, Failure> {
        let host = wire.host_str().unwrap_or_default();
        let Some(proxy) = self.env.for_url(wire.scheme(), host) else {
            return Ok(self.direct.clone());
        };
        let mut known = self.proxied.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((_, a)) = known.iter().find(|(p, _)| p == proxy) {
            return Ok(a.clone());
        }
        let parsed = ureq::Proxy::new(proxy).map_err(|_| {
            Failure::link(tx!(
                "the proxy address `{}` is not valid",
                "địa chỉ proxy `{}` không hợp lệ",
                proxy
            ))
        })?;
        let a = agent(&self.opts, Some(parsed));
        known.push((proxy.to_string(), a.clone()));
        Ok(a)
    }
}

/// `url` with its origin replaced when it is the first of a pair.
fn remap<'a>(url: &Url, pairs: impl Iterator<Item = (&'a Url, &'a Url)>) -> Url {
    for (from, to) in pairs {
        if url.origin() == from.origin() {
            let to = to.origin().ascii_serialization();
            if let Ok(u) = Url::parse(&format!("{to}{}", &url[Position::BeforePath..])) {
                return u;
            }
        }
    }
    url.clone()
}

/// `404 Not Found`, or the bare number for an unusual status.
pub fn status_text(status: u16) -> String {
    match ureq::http::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
    {
        Some(reason) => format!("{status} {reason}"),
        None => status.to_string(),
    }
}

/// An agent that follows no redirect and returns every status as an answer, going
/// through `proxy` or direct (never through a proxy of its own choosing).
fn agent(opts: &Options, proxy: Option<ureq::Proxy>) -> Agent {
    let config = Agent::config_builder()
        .proxy(proxy)
        .max_redirects(0)
        .max_redirects_will_error(false)
        .http_status_as_error(false)
        .user_agent(USER_AGENT)
        .timeout_connect(Some(opts.connect_timeout))
        .timeout_global(Some(opts.timeout))
        .build();
    Agent::new_with_config(config)
}

/// A request's error in words.
fn failure(e: &ureq::Error, opts: &Options) -> Failure {
    use ureq::Error as E;
    let network = |text| Failure {
        text,
        network: true,
    };
    match e {
        E::Timeout(ureq::Timeout::Connect) => network(tx!(
            "no connection within {} s",
            "không kết nối được trong {} giây",
            opts.connect_timeout.as_secs_f64()
        )),
        E::Timeout(_) => network(tx!(
            "no answer within {} s",
            "không có trả lời trong {} giây",
            opts.timeout.as_secs_f64()
        )),
        E::HostNotFound => network(tx!("host not found", "không tìm thấy tên miền")),
        E::ConnectionFailed => network(tx!("connection refused", "không kết nối được")),
        E::Io(io) => network(tx!("connection error: {}", "lỗi kết nối: {}", io)),
        E::ConnectProxyFailed(why) => network(tx!(
            "the proxy refused the connection ({})",
            "proxy từ chối kết nối ({})",
            why
        )),
        E::Tls(why) => Failure::link(tx!("TLS error: {}", "lỗi TLS: {}", why)),
        E::BodyExceedsLimit(n) => Failure::link(tx!(
            "the answer is larger than {} bytes",
            "câu trả lời lớn hơn {} byte",
            n
        )),
        other => network(tx!("request failed: {}", "yêu cầu thất bại: {}", other)),
    }
}

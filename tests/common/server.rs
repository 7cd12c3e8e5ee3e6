//! A tiny HTTP/1.1 server on 127.0.0.1 for tests of the online commands: each request is
//! logged and answered by a route function (or left hanging). No test touches the
//! internet; point the commands at this with `--map-origin` or a proxy variable.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};

/// A request as received: its first line and headers (names in lower case).
#[derive(Debug, Clone)]
pub struct Request {
    pub line: String,
    pub headers: Vec<(String, String)>,
    /// The body (read up to `Content-Length`), as text.
    pub body: String,
}

impl Request {
    /// The path (or, through a proxy, the whole URL) of the request line.
    pub fn target(&self) -> &str {
        self.line.split(' ').nth(1).unwrap_or("")
    }
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// How to answer.
pub enum Reply {
    /// Status, extra headers, body.
    Answer(u16, Vec<(String, String)>, String),
    /// Read the request, never answer (until the test process ends).
    Hang,
    /// Accept a `CONNECT` (as a proxy) and answer the requests sent through the tunnel.
    Tunnel,
    /// These bytes as they are (e.g. a head promising more body than follows), then close.
    Raw(Vec<u8>),
}

pub fn status(code: u16) -> Reply {
    Reply::Answer(code, Vec::new(), String::new())
}

pub fn redirect(code: u16, location: &str) -> Reply {
    Reply::Answer(
        code,
        vec![("Location".into(), location.into())],
        String::new(),
    )
}

pub struct Server {
    pub port: u16,
    log: Arc<Mutex<Vec<Request>>>,
}

impl Server {
    /// Starts a server on 127.0.0.1 (any free port) answering with `route`.
    pub fn start(route: impl Fn(&Request) -> Reply + Send + Sync + 'static) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let log = Arc::new(Mutex::new(Vec::new()));
        let route = Arc::new(route);
        let l = log.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (l, route) = (l.clone(), route.clone());
                std::thread::spawn(move || serve(stream, &l, &*route));
            }
        });
        Server { port, log }
    }

    /// The requests received so far.
    pub fn requests(&self) -> Vec<Request> {
        self.log.lock().unwrap().clone()
    }

    /// The request targets received so far, sorted.
    pub fn targets(&self) -> Vec<String> {
        let mut t: Vec<String> = self
            .requests()
            .iter()
            .map(|r| r.target().to_string())
            .collect();
        t.sort();
        t
    }
}

/// A port nothing listens on (bound, then closed).
pub fn closed_port() -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().port()
}

fn serve(stream: TcpStream, log: &Mutex<Vec<Request>>, route: &dyn Fn(&Request) -> Reply) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut stream = stream;
    while let Some(req) = read_request(&mut reader) {
        log.lock().unwrap().push(req.clone());
        match route(&req) {
            Reply::Hang => std::thread::sleep(std::time::Duration::from_secs(120)),
            Reply::Tunnel => {
                let _ = stream.write_all(b"HTTP/1.1 200 Connection established\r\n\r\n");
                continue;
            }
            Reply::Raw(bytes) => {
                let _ = stream.write_all(&bytes);
            }
            Reply::Answer(code, extra, body) => {
                let mut out = format!(
                    "HTTP/1.1 {code} X\r\nContent-Length: {}\r\nConnection: close\r\n",
                    body.len()
                );
                for (n, v) in extra {
                    out.push_str(&format!("{n}: {v}\r\n"));
                }
                out.push_str("\r\n");
                out.push_str(&body);
                let _ = stream.write_all(out.as_bytes());
            }
        }
        return;
    }
}

/// The request line, headers and body (by `Content-Length`) of the next request.
fn read_request(reader: &mut BufReader<TcpStream>) -> Option<Request> {
    let mut line = String::new();
    if reader.read_line(&mut line).unwrap_or(0) == 0 {
        return None;
    }
    let mut headers = Vec::new();
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).unwrap_or(0) == 0 || h.trim().is_empty() {
            break;
        }
        if let Some((n, v)) = h.split_once(':') {
            headers.push((n.trim().to_ascii_lowercase(), v.trim().to_string()));
        }
    }
    let len: usize = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0; len];
    if len > 0 && std::io::Read::read_exact(reader, &mut body).is_err() {
        return None;
    }
    Some(Request {
        line: line.trim_end().to_string(),
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    })
}

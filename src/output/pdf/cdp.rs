//! A small client of the Chrome DevTools protocol: JSON messages over one WebSocket
//! (`tungstenite`, blocking, on a local TCP stream), a call waits for the answer with its
//! id, an awaited event is picked from the messages in between. Every wait has a deadline;
//! a browser that stops answering is an error, never a hang.

use std::collections::VecDeque;
use std::io::ErrorKind;
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tungstenite::protocol::WebSocketConfig;
use tungstenite::{Message, WebSocket};

/// Why a DevTools call failed.
#[derive(Debug)]
pub enum CdpError {
    /// No answer before the deadline; what was awaited.
    Timeout(String),
    /// The browser answered with an error (method, message).
    Failed(String, String),
    /// The connection broke or could not be made.
    Io(String),
}

impl std::fmt::Display for CdpError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CdpError::Timeout(what) => write!(f, "no answer to {what}"),
            CdpError::Failed(method, msg) => write!(f, "{method}: {msg}"),
            CdpError::Io(msg) => write!(f, "DevTools connection: {msg}"),
        }
    }
}

/// One DevTools connection (to the browser, or to one page).
pub struct Conn {
    ws: WebSocket<TcpStream>,
    next_id: u64,
    /// Events read while waiting for an answer, in the order they came.
    events: VecDeque<Value>,
}

impl Conn {
    /// Connects to `url` (`ws://127.0.0.1:PORT/devtools/…`) before `deadline`.
    pub fn open(url: &str, deadline: Instant) -> Result<Conn, CdpError> {
        let io = |e: &dyn std::fmt::Display| CdpError::Io(format!("{url}: {e}"));
        let parsed = url::Url::parse(url).map_err(|e| io(&e))?;
        let addr: SocketAddr = parsed
            .socket_addrs(|| None)
            .map_err(|e| io(&e))?
            .into_iter()
            .next()
            .ok_or_else(|| io(&"no address"))?;
        let stream = TcpStream::connect_timeout(&addr, left(deadline, url)?).map_err(|e| io(&e))?;
        stream.set_nodelay(true).map_err(|e| io(&e))?;
        stream
            .set_read_timeout(Some(left(deadline, url)?))
            .map_err(|e| io(&e))?;
        stream
            .set_write_timeout(Some(left(deadline, url)?))
            .map_err(|e| io(&e))?;
        // A PDF comes back base64-encoded in one message (the booklet: a few MB).
        let config = WebSocketConfig::default()
            .max_message_size(Some(1 << 30))
            .max_frame_size(Some(1 << 30));
        let (ws, _) = tungstenite::client::client_with_config(url, stream, Some(config)).map_err(
            |e| match e {
                tungstenite::HandshakeError::Failure(e) => ws_error(e, "DevTools"),
                tungstenite::HandshakeError::Interrupted(_) => CdpError::Timeout("DevTools".into()),
            },
        )?;
        Ok(Conn {
            ws,
            next_id: 0,
            events: VecDeque::new(),
        })
    }

    /// Calls `method` and returns its result, waiting until `deadline` at most.
    pub fn call(
        &mut self,
        method: &str,
        params: Value,
        deadline: Instant,
    ) -> Result<Value, CdpError> {
        self.next_id += 1;
        let id = self.next_id;
        let msg = json!({ "id": id, "method": method, "params": params });
        self.ws
            .get_mut()
            .set_write_timeout(Some(left(deadline, method)?))
            .map_err(|e| CdpError::Io(e.to_string()))?;
        self.ws
            .send(Message::text(msg.to_string()))
            .map_err(|e| ws_error(e, method))?;
        loop {
            let mut m = self.read(deadline, method)?;
            if m.get("id").and_then(Value::as_u64) == Some(id) {
                if let Some(err) = m.get("error") {
                    let text = err
                        .get("message")
                        .and_then(Value::as_str)
                        .unwrap_or("error");
                    return Err(CdpError::Failed(method.to_string(), text.to_string()));
                }
                return Ok(m.get_mut("result").map(Value::take).unwrap_or(Value::Null));
            }
            if m.get("method").is_some() {
                self.events.push_back(m);
            }
        }
    }

    /// Waits until `deadline` for the event `method` (one already read included) and
    /// returns its parameters.
    pub fn event(&mut self, method: &str, deadline: Instant) -> Result<Value, CdpError> {
        if let Some(i) = self.events.iter().position(|e| is_event(e, method)) {
            let mut e = self.events.remove(i).unwrap_or(Value::Null);
            return Ok(e.get_mut("params").map(Value::take).unwrap_or(Value::Null));
        }
        loop {
            let mut m = self.read(deadline, method)?;
            if is_event(&m, method) {
                return Ok(m.get_mut("params").map(Value::take).unwrap_or(Value::Null));
            }
        }
    }

    /// Forgets the events read so far.
    pub fn clear_events(&mut self) {
        self.events.clear();
    }

    /// The next JSON message, before `deadline`.
    fn read(&mut self, deadline: Instant, what: &str) -> Result<Value, CdpError> {
        loop {
            let wait = left(deadline, what)?;
            self.ws
                .get_mut()
                .set_read_timeout(Some(wait))
                .map_err(|e| CdpError::Io(e.to_string()))?;
            match self.ws.read().map_err(|e| ws_error(e, what))? {
                Message::Text(t) => {
                    return serde_json::from_str(t.as_str())
                        .map_err(|e| CdpError::Io(format!("not JSON: {e}")));
                }
                Message::Close(_) => return Err(CdpError::Io("closed by the browser".into())),
                _ => continue,
            }
        }
    }
}

fn is_event(m: &Value, method: &str) -> bool {
    m.get("method").and_then(Value::as_str) == Some(method)
}

/// The time left until `deadline` (at least 1 ms), or a timeout naming `what`.
fn left(deadline: Instant, what: &str) -> Result<Duration, CdpError> {
    let now = Instant::now();
    if now >= deadline {
        return Err(CdpError::Timeout(what.to_string()));
    }
    Ok((deadline - now).max(Duration::from_millis(1)))
}

fn ws_error(e: tungstenite::Error, what: &str) -> CdpError {
    match e {
        tungstenite::Error::Io(io)
            if matches!(io.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) =>
        {
            CdpError::Timeout(what.to_string())
        }
        e => CdpError::Io(e.to_string()),
    }
}

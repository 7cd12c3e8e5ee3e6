//! The preview's HTTP server: `hyper` (HTTP/1) on a small tokio runtime of its own, on
//! one thread; the build loop, the watcher and the session stay on theirs. `answer` says
//! what each request gets (run on tokio's blocking pool, since it may read a file from the
//! content folder); this file takes the connections and bounds what a client can
//! hold:
//!
//! - at most [`MAX_CONNECTIONS`] open connections (idle ones, keep-alive ones and event
//!   streams alike): a place is taken when a connection is accepted and given back when
//!   it is closed. Beyond them a connection is answered `503 Service Unavailable`, `busy`,
//!   and closed once the client has read it (at most [`MAX_CONNECTIONS`] of those at
//!   once, each within [`IDLE`] + [`LINGER`]; beyond, `busy` is written if the socket
//!   takes it at once, and the connection closed);
//! - a request head must come within [`HEAD_TIMEOUT`] and hold at most [`MAX_HEAD`]
//!   bytes: beyond, hyper answers `431 Request Header Fields Too Large` (and `400 Bad
//!   Request` to a head it cannot read) and closes the connection;
//! - a connection on which nothing moves for [`IDLE`] is closed: a client that sends
//!   nothing, a keep-alive connection left unused, a client that stops reading its answer;
//! - on the event stream (which has no length: it is written here, on the connection
//!   hyper read its request from), each write must go through within [`EVENTS_WRITE`].
//!
//! A failed `accept` (no file descriptor left) is tried again after a pause: the preview
//! never stops listening. Fine on this computer; with `--bind`, only on a trusted network
//! (as `serve` warns).

use std::convert::Infallible;
use std::future::{Future, poll_fn};
use std::io;
use std::sync::Arc;
use std::task::Poll;
use std::time::Duration;

use http_body_util::Full;
use hyper::body::Bytes;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Notify, OwnedSemaphorePermit, Semaphore};
use tokio::time::timeout;

use crate::commands::serve::MAX_CONNECTIONS;
use crate::commands::serve::answer::{Answer, Reply, reply};
use crate::commands::serve::idle::Idle;
use crate::commands::serve::state::Shared;

/// Time a client has to send a whole request head.
const HEAD_TIMEOUT: Duration = Duration::from_secs(10);
/// Largest request head taken (hyper's read buffer).
const MAX_HEAD: usize = 16 * 1024;
/// A connection on which nothing moves this long is closed.
const IDLE: Duration = Duration::from_secs(10);
/// Time each write of the event stream has to go through.
const EVENTS_WRITE: Duration = Duration::from_secs(30);
/// The event stream sends a comment this often when nothing happens (so a client gone
/// is noticed).
const PING: Duration = Duration::from_secs(15);
/// How long a closing connection reads what the client still sends.
const LINGER: Duration = Duration::from_secs(2);
/// Pause before taking connections again after a failed `accept`.
const ACCEPT_PAUSE: Duration = Duration::from_millis(100);

/// The answer to a connection beyond [`MAX_CONNECTIONS`].
const BUSY: &[u8] = b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 5\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\nbusy\n";
/// The head of the event stream, and the reconnection delay it asks for.
const EVENTS_HEAD: &[u8] = b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: close\r\n\r\nretry: 500\n\n";

/// Starts answering the requests that come to `listener`, on a thread of its own.
pub(super) fn spawn(listener: std::net::TcpListener, shared: Arc<Shared>) -> Result<(), String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .enable_time()
        .build()
        .map_err(|e| e.to_string())?;
    listener.set_nonblocking(true).map_err(|e| e.to_string())?;
    let listener = {
        let _in = runtime.enter();
        TcpListener::from_std(listener).map_err(|e| e.to_string())?
    };
    std::thread::Builder::new()
        .name("http".into())
        .spawn(move || runtime.block_on(accept(listener, shared)))
        .map(drop)
        .map_err(|e| e.to_string())
}

/// Takes the connections: each one gets a place of [`MAX_CONNECTIONS`], or `busy`.
async fn accept(listener: TcpListener, shared: Arc<Shared>) {
    let places = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    let refusals = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            Err(_) => {
                // Out of file descriptors, most likely: they come back as connections
                // close (at the latest after `IDLE`).
                tokio::time::sleep(ACCEPT_PAUSE).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        if let Ok(place) = places.clone().try_acquire_owned() {
            tokio::spawn(connection(stream, shared.clone(), place));
        } else if let Ok(place) = refusals.clone().try_acquire_owned() {
            tokio::spawn(busy(stream, place));
        } else {
            busy_now(&stream);
        }
    }
}

/// Answers `503 busy` if it can without waiting (the connection is then closed).
fn busy_now(stream: &TcpStream) {
    let mut sink = [0; 4096];
    while matches!(stream.try_read(&mut sink), Ok(n) if n > 0) {}
    let _ = stream.try_write(BUSY);
}

/// Answers `503 busy` and closes.
async fn busy(mut stream: TcpStream, _place: OwnedSemaphorePermit) {
    if let Ok(Ok(())) = timeout(IDLE, stream.write_all(BUSY)).await {
        close(stream).await;
    }
}

/// Serves the requests of one connection, holding `_place` until it is closed. An event
/// stream request takes the connection from hyper (which would chunk the stream).
async fn connection(stream: TcpStream, shared: Arc<Shared>, _place: OwnedSemaphorePermit) {
    let wants_events = Arc::new(Notify::new());
    let service = {
        let (shared, wants_events) = (shared.clone(), wants_events.clone());
        service_fn(move |request: Request<Incoming>| {
            let (shared, wants_events) = (shared.clone(), wants_events.clone());
            let (method, target) = (request.method().clone(), request.uri().to_string());
            Box::pin(async move {
                // Answers read files (copies come from the content folder): off the
                // runtime's one thread, so a slow disk holds up no other connection.
                let answer = tokio::task::spawn_blocking(move || reply(&method, &target, &shared));
                match answer.await {
                    Ok(Reply::Answer(answer)) => Ok::<_, Infallible>(answer),
                    // Never answered here: the connection is taken for the event stream.
                    Ok(Reply::Events) => {
                        wants_events.notify_one();
                        std::future::pending().await
                    }
                    Err(_) => Ok(internal_error()),
                }
            })
        })
    };
    let mut conn = http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(HEAD_TIMEOUT)
        .max_buf_size(MAX_HEAD)
        .title_case_headers(true)
        .serve_connection(TokioIo::new(Idle::new(stream, IDLE)), service);
    let mut notified = std::pin::pin!(wants_events.notified());
    let events = poll_fn(|cx| {
        if notified.as_mut().poll(cx).is_ready() {
            return Poll::Ready(true);
        }
        conn.poll_without_shutdown(cx).map(|_| false)
    })
    .await;
    let stream = conn.into_parts().io.into_inner().into_inner();
    if events {
        let _ = stream_events(stream, &shared).await;
    } else {
        close(stream).await;
    }
}

/// Server-Sent Events: the current generation at once, then each new one, and a comment
/// when nothing happened for [`PING`]. Ends when a write fails (the client is gone).
async fn stream_events(mut stream: TcpStream, shared: &Shared) -> io::Result<()> {
    let mut generations = shared.subscribe();
    let mut generation = *generations.borrow_and_update();
    write(&mut stream, EVENTS_HEAD).await?;
    loop {
        write(&mut stream, format!("data: {generation}\n\n").as_bytes()).await?;
        loop {
            match timeout(PING, generations.changed()).await {
                Ok(Ok(())) => break,
                Ok(Err(_)) => return Ok(()),
                Err(_) => write(&mut stream, b": ping\n\n").await?,
            }
        }
        generation = *generations.borrow_and_update();
    }
}

/// Writes `bytes` within [`EVENTS_WRITE`].
async fn write(stream: &mut TcpStream, bytes: &[u8]) -> io::Result<()> {
    match timeout(EVENTS_WRITE, stream.write_all(bytes)).await {
        Ok(written) => written,
        Err(_) => Err(io::ErrorKind::TimedOut.into()),
    }
}

/// Closes a connection whose answers are written: our side first, then what the client
/// still sends is read, for at most [`LINGER`] (closing with bytes unread would reset the
/// connection, and the client could lose the answer).
async fn close(mut stream: TcpStream) {
    let _ = timeout(LINGER, async {
        stream.shutdown().await?;
        let mut sink = [0; 4096];
        while stream.read(&mut sink).await? > 0 {}
        io::Result::Ok(())
    })
    .await;
}

/// The answer when answering a request failed (a panic in [`reply`]).
fn internal_error() -> Answer {
    let mut answer = Answer::new(Full::new(Bytes::from_static(b"internal error\n")));
    *answer.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
    answer
}

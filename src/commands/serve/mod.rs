//! `camnang serve`: a live preview on this computer.
//!
//! - The site is built in memory by an [`session::Session`] and served from there
//!   (nothing is written to `public/`).
//! - A watcher reports changed files; changes arriving close together (an editor's atomic
//!   save, a `git checkout`, 100 writes in a second) are gathered into one rebuild.
//! - Every served HTML page gets a small script that listens to `/__camnang/events`
//!   (Server-Sent Events, same origin) and reloads the page when a new build is out. The
//!   script is added by the server only: `camnang build` output never contains it.
//! - A failed build replaces every page by an error page listing the problems
//!   (`file:line:col: key: message` and hint, as `camnang check` prints them); fixing the
//!   file brings the page back by itself.
//! - The content folder may disappear (renamed, deleted, a USB stick pulled out) and
//!   come back: the preview says so and recovers.
//! - HTTP is served by `hyper` on a thread of its own, at most [`MAX_CONNECTIONS`] open
//!   connections at once, each closed when nothing moves on it for 10 s; `GET`/`HEAD`
//!   only, paths decoded once and refused when they contain `..`, `.`, `\` or NUL.
//!
//! `/__camnang/status` answers `{"generation":…,"rebuilds":…,"ok":…,"pending":…}` for
//! tests and scripts.
//!
//! Rooms: this file runs the build loop; `watch` gathers the watcher's events into
//! rebuilds, [`session`] rebuilds, `state` holds what is served, `http` takes the
//! connections (and `idle` times them out), `answer` answers requests, `page` makes the
//! error pages and `report` prints to the terminal.

mod answer;
mod http;
mod idle;
mod page;
mod report;
pub mod session;
mod state;
mod watch;

use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use notify::Watcher;

use crate::commands::serve::session::Session;
use crate::commands::serve::state::Shared;
use crate::commands::serve::watch::{Changes, folder_id};
use crate::error::Diagnostic;
use crate::i18n::Lang;

pub use answer::{content_type, decode_path, inject};

/// The default port of `camnang serve`.
pub const DEFAULT_PORT: u16 = 8008;

/// Path of the reload event stream.
pub const EVENTS: &str = "/__camnang/events";
/// Path of the build status (JSON).
pub const STATUS: &str = "/__camnang/status";

/// Changes closer together than this belong to the same rebuild. An editor's save
/// (write a temporary file, rename it over the guide) gives its events within a few
/// milliseconds; bursts of many changes get the longer [`BURST_QUIET`].
pub const QUIET: Duration = Duration::from_millis(30);
/// Within a burst of changes (the previous change less than [`BURST`] ago), the quiet
/// window is longer, so a burst interrupted by a busy machine still makes few rebuilds.
pub const BURST_QUIET: Duration = Duration::from_millis(250);
/// Changes closer together than this are a burst (see [`BURST_QUIET`]).
pub const BURST: Duration = Duration::from_millis(500);
/// Connections open at once (idle ones and event streams included); more get
/// `503 Service Unavailable`.
pub const MAX_CONNECTIONS: usize = 128;

/// What to serve, and where.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The content folder, as typed (used in messages).
    pub content: PathBuf,
    pub bind: IpAddr,
    /// 0 picks a free port.
    pub port: u16,
    /// Overrides the site's language for the pages (`--lang`).
    pub lang: Option<Lang>,
    /// Language of the messages and the error page.
    pub messages: Lang,
    pub quiet: bool,
    pub verbose: bool,
}

/// Runs the preview until the process is stopped. Returns only on a setup error (port
/// in use), as a message in `opts.messages`.
pub fn run(opts: &ServeOptions) -> Result<(), String> {
    let root = std::path::absolute(&opts.content).unwrap_or_else(|_| opts.content.clone());
    let listener = TcpListener::bind(SocketAddr::new(opts.bind, opts.port))
        .map_err(|e| report::cannot_listen(opts, &e))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let shared = Arc::new(Shared::new(opts.messages));
    let mut changes = Changes::new();
    let mut preview = Preview::start(opts, root, shared.clone(), &changes);
    report::listening(addr, opts);
    http::spawn(listener, shared.clone())?;

    // The build loop: watch, gather changes, rebuild, publish.
    loop {
        preview.check_folder(&changes);
        let changed = changes.next(&|| shared.set_pending());
        // (A folder gone is reported by `check_folder`.)
        if !changed.is_empty() && folder_id(&preview.root).is_some() {
            preview.update(&changed);
        }
    }
}

/// The build side of the preview.
struct Preview<'a> {
    opts: &'a ServeOptions,
    /// The content folder, absolute.
    root: PathBuf,
    shared: Arc<Shared>,
    session: Session,
    /// The watcher, and the identity of the folder it watches.
    watcher: Option<(Box<dyn Watcher + Send>, u64)>,
    /// Whether the content folder was there at the last look.
    present: bool,
    /// Warnings printed last time: the same ones are not printed again on every save.
    shown: Vec<Diagnostic>,
}

impl<'a> Preview<'a> {
    /// Watches the content folder, builds it and publishes the result (the watcher starts
    /// before the first build, so no change falls between the two).
    fn start(
        opts: &'a ServeOptions,
        root: PathBuf,
        shared: Arc<Shared>,
        changes: &Changes,
    ) -> Preview<'a> {
        let watcher =
            folder_id(&root).and_then(|id| Some((changes.watch(&root, opts.messages)?, id)));
        let started = Instant::now();
        let session = Session::new(&root, opts.lang);
        let present = root.is_dir();
        let mut p = Preview {
            opts,
            root,
            shared,
            session,
            watcher,
            present,
            shown: Vec::new(),
        };
        if present {
            p.shared.publish(page::view_of(&p.session, opts), false);
            report::build(&p.session, opts, 0, started, &mut p.shown);
        } else {
            p.shared.publish(page::missing_view(opts, None), false);
        }
        p
    }

    /// Looks whether the content folder went away, or came back (or was replaced by
    /// another folder of the same name): says so, watches it again and rebuilds.
    fn check_folder(&mut self, changes: &Changes) {
        let id = folder_id(&self.root);
        match (id, &self.watcher) {
            (None, _) if self.present || self.watcher.is_some() => {
                self.watcher = None;
                self.present = false;
                let last = self.shared.last_good();
                self.shared
                    .publish(page::missing_view(self.opts, last), false);
                report::folder_gone(self.opts);
            }
            (Some(id), w) if w.as_ref().is_none_or(|(_, old)| *old != id) => {
                self.watcher = None;
                if let Some(w) = changes.watch(&self.root, self.opts.messages) {
                    self.watcher = Some((w, id));
                    self.present = true;
                    let t = Instant::now();
                    self.session.full_rebuild();
                    self.publish(t);
                }
            }
            _ => {}
        }
    }

    /// Rebuilds after `changed` and publishes the result.
    fn update(&mut self, changed: &[PathBuf]) {
        let t = Instant::now();
        self.session.update(changed);
        self.publish(t);
    }

    /// Publishes the session's result as a rebuild started at `t`, and reports it.
    fn publish(&mut self, t: Instant) {
        let view = page::view_of(&self.session, self.opts);
        let n = self.shared.publish(view, true);
        report::build(&self.session, self.opts, n, t, &mut self.shown);
    }
}

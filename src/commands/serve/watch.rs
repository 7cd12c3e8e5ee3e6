//! Watching the content folder: the file watcher, the paths it reports, and the quiet
//! windows that gather changes arriving close together into one rebuild.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, Sender};
use std::time::{Duration, Instant};

use notify::{EventKind, RecursiveMode, Watcher};

use crate::commands::serve::{BURST, BURST_QUIET, QUIET};
use crate::i18n::Lang;

/// A rebuild starts at the latest this long after the first change, even if changes go on.
const MAX_WAIT: Duration = Duration::from_secs(2);
/// How long to wait for a change before looking whether the content folder is still there.
pub(super) const POLL: Duration = Duration::from_millis(300);

type Event = notify::Result<notify::Event>;

/// The events of the watchers, gathered into sets of changed paths.
pub(super) struct Changes {
    tx: Sender<Event>,
    rx: Receiver<Event>,
    /// When the last change was seen (a change soon after it is part of a burst).
    last: Option<Instant>,
}

impl Changes {
    pub fn new() -> Changes {
        let (tx, rx) = mpsc::channel();
        Changes { tx, rx, last: None }
    }

    /// A recursive watcher on `root` reporting here; `None` when the folder cannot be
    /// watched (yet). Without inotify (or out of inotify watches, or with
    /// `CAMNANG_SERVE_POLL` set) the folder is scanned every half second instead.
    pub fn watch(&self, root: &Path, lang: Lang) -> Option<Box<dyn Watcher + Send>> {
        if std::env::var_os("CAMNANG_SERVE_POLL").is_none() {
            let tx = self.tx.clone();
            if let Ok(mut w) = notify::recommended_watcher(move |e| {
                let _ = tx.send(e);
            }) && w.watch(root, RecursiveMode::Recursive).is_ok()
            {
                return Some(Box::new(w));
            }
        }
        let tx = self.tx.clone();
        // Contents are compared: modification times are in whole seconds there.
        let config = notify::Config::default()
            .with_poll_interval(Duration::from_millis(500))
            .with_compare_contents(true);
        let mut w = notify::PollWatcher::new(
            move |e| {
                let _ = tx.send(e);
            },
            config,
        )
        .ok()?;
        w.watch(root, RecursiveMode::Recursive).ok()?;
        match lang {
            Lang::Vi => eprintln!("(dò thay đổi của tệp mỗi nửa giây)"),
            Lang::En => eprintln!("(checking files for changes every half second)"),
        }
        Some(Box::new(w))
    }

    /// Waits up to [`POLL`] for a change, then gathers the changes that follow until a
    /// quiet window ([`QUIET`], or [`BURST_QUIET`] within a burst) passes without one,
    /// or [`MAX_WAIT`] after the first. Returns the changed paths, sorted (empty when
    /// nothing that matters changed; `""` stands for "anything may have changed").
    /// `seen` is called for every event that changes something, as soon as it arrives.
    pub fn next(&mut self, seen: &dyn Fn()) -> Vec<PathBuf> {
        // `self` holds a sender: the channel is never disconnected.
        let Ok(first) = self.rx.recv_timeout(POLL) else {
            return Vec::new();
        };
        let t0 = Instant::now();
        let quiet = if self.last.is_some_and(|t| t.elapsed() < BURST) {
            BURST_QUIET
        } else {
            QUIET
        };
        let mut paths = HashSet::new();
        let mut event = Ok(first);
        while let Ok(e) = event {
            if collect(e, &mut paths) {
                seen();
                self.last = Some(Instant::now());
            }
            if t0.elapsed() >= MAX_WAIT {
                break;
            }
            event = self.rx.recv_timeout(quiet);
        }
        let mut changed: Vec<PathBuf> = paths.into_iter().collect();
        changed.sort();
        changed
    }
}

/// Identity of the content folder (its inode), or `None` when it is not there.
pub(super) fn folder_id(root: &Path) -> Option<u64> {
    let m = std::fs::metadata(root).ok().filter(|m| m.is_dir())?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        Some(m.ino())
    }
    #[cfg(not(unix))]
    {
        let _ = m;
        Some(0)
    }
}

/// Adds the paths of an event that may change the site (reads, including the build's
/// own, and editor temporaries left out). Returns whether it added any.
fn collect(e: Event, paths: &mut HashSet<PathBuf>) -> bool {
    let Ok(e) = e else {
        // The watcher lost track (queue overflow…): check everything.
        paths.insert(PathBuf::new());
        return true;
    };
    match e.kind {
        EventKind::Access(notify::event::AccessKind::Close(notify::event::AccessMode::Write)) => {}
        EventKind::Access(_) => return false,
        _ => {}
    }
    let mut added = false;
    if e.need_rescan() {
        paths.insert(PathBuf::new());
        added = true;
    }
    for p in e.paths {
        let name = p.file_name().map(|n| n.to_string_lossy().into_owned());
        if name.is_some_and(|n| crate::content::files::is_ignored(&n)) {
            continue;
        }
        paths.insert(p);
        added = true;
    }
    added
}

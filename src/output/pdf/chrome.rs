//! One headless browser process for a build: started with a fresh profile folder and the
//! DevTools protocol on a free local port, ended (and its profile folder removed) when the
//! [`Chrome`] is dropped: after the PDFs, and also on every error or panic on the way.

use std::collections::VecDeque;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

/// A running headless browser.
pub struct Chrome {
    child: Child,
    profile: PathBuf,
    /// The last lines the browser wrote on stderr (for error messages).
    tail: Arc<Mutex<VecDeque<String>>>,
    /// The browser's DevTools WebSocket (`ws://127.0.0.1:PORT/devtools/browser/…`).
    pub ws: String,
}

/// Why the browser did not start.
pub enum LaunchError {
    /// It could not be run at all.
    Spawn(std::io::Error),
    /// It ended, or did not open DevTools in time (`true`: timed out), with its last lines.
    NoDevTools(bool, String),
    /// The profile folder could not be made.
    Profile(PathBuf, std::io::Error),
}

/// How many stderr lines are kept.
const TAIL: usize = 8;

impl Chrome {
    /// Starts `path` headless and waits for its DevTools address until `deadline`.
    pub fn launch(path: &Path, deadline: Instant) -> Result<Chrome, LaunchError> {
        let profile = profile_dir().map_err(|(p, e)| LaunchError::Profile(p, e))?;
        let mut cmd = Command::new(path);
        cmd.args(FLAGS)
            .arg(format!("--user-data-dir={}", profile.display()))
            .arg("about:blank")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        let mut child = match cmd.spawn() {
            Ok(c) => c,
            Err(e) => {
                let _ = std::fs::remove_dir_all(&profile);
                return Err(LaunchError::Spawn(e));
            }
        };
        let tail = Arc::new(Mutex::new(VecDeque::new()));
        let (tx, rx) = mpsc::channel();
        if let Some(err) = child.stderr.take() {
            let tail = Arc::clone(&tail);
            // Reads stderr until the browser ends (so its pipe never fills up).
            std::thread::spawn(move || read_stderr(err, &tail, tx));
        }
        let mut chrome = Chrome {
            child,
            profile,
            tail,
            ws: String::new(),
        };
        let wait = deadline.saturating_duration_since(Instant::now());
        match rx.recv_timeout(wait) {
            Ok(ws) => {
                chrome.ws = ws;
                Ok(chrome)
            }
            Err(e) => {
                let timed_out = matches!(e, mpsc::RecvTimeoutError::Timeout);
                // Let the last lines arrive before the browser is stopped.
                if !timed_out {
                    let _ = chrome.child.wait();
                }
                Err(LaunchError::NoDevTools(timed_out, chrome.tail()))
            }
        }
    }

    /// The last lines the browser wrote on stderr.
    pub fn tail(&self) -> String {
        let t = self.tail.lock().unwrap_or_else(|e| e.into_inner());
        t.iter().cloned().collect::<Vec<_>>().join("\n")
    }

    /// Waits up to `grace` for the browser to end by itself (after `Browser.close`).
    pub fn wait_exit(&mut self, grace: Duration) {
        let until = Instant::now() + grace;
        while Instant::now() < until {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

impl Drop for Chrome {
    fn drop(&mut self) {
        if !matches!(self.child.try_wait(), Ok(Some(_))) {
            let _ = self.child.kill();
        }
        let _ = self.child.wait();
        // Helper processes may still be writing into the profile for a moment.
        for _ in 0..20 {
            if std::fs::remove_dir_all(&self.profile).is_ok() || !self.profile.exists() {
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

/// The browser's command line: headless, nothing from the network, DevTools on a free port.
const FLAGS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-dev-shm-usage",
    "--mute-audio",
    "--hide-scrollbars",
    "--run-all-compositor-stages-before-draw",
    "--remote-debugging-address=127.0.0.1",
    "--remote-debugging-port=0",
];

fn read_stderr(
    err: std::process::ChildStderr,
    tail: &Mutex<VecDeque<String>>,
    tx: mpsc::Sender<String>,
) {
    let mut tx = Some(tx);
    for line in BufReader::new(err).lines() {
        let Ok(line) = line else { break };
        if let Some(ws) = line.strip_prefix("DevTools listening on ") {
            if let Some(tx) = tx.take() {
                let _ = tx.send(ws.trim().to_string());
            }
            continue;
        }
        let mut t = tail.lock().unwrap_or_else(|e| e.into_inner());
        if t.len() == TAIL {
            t.pop_front();
        }
        t.push_back(line);
    }
}

/// A fresh, empty profile folder for the browser.
fn profile_dir() -> Result<PathBuf, (PathBuf, std::io::Error)> {
    let base = std::env::temp_dir().join(format!(
        "camnang-chromium-{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos())
    ));
    std::fs::create_dir_all(&base).map_err(|e| (base.clone(), e))?;
    Ok(base)
}

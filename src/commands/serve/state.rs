//! What the build loop publishes and the HTTP side reads: the site being served (or the
//! error page in its place), its generation (the pages' reload signal) and the counters
//! of `/__camnang/status`.

use std::sync::{Arc, Mutex, MutexGuard};

use tokio::sync::watch;

use crate::commands::serve::session::Files;
use crate::i18n::Lang;

/// What is being served now.
pub(super) enum View {
    Site(Arc<Files>),
    /// The build failed: the error page body, and the last good site for images and CSS.
    Failed {
        body: String,
        last: Option<Arc<Files>>,
    },
}

pub(super) struct State {
    /// Changes with every published build (the pages' reload signal).
    pub generation: u64,
    /// Rebuilds after the first build.
    pub rebuilds: u64,
    /// Changes seen but not yet built.
    pub pending: bool,
    pub view: Arc<View>,
}

/// The state, shared by the build loop and the request threads.
pub(super) struct Shared {
    state: Mutex<State>,
    /// The generation, for the event streams (sent with every publish).
    published: watch::Sender<u64>,
    /// Language of the messages and error pages.
    pub lang: Lang,
}

impl Shared {
    /// Nothing built yet: a change is pending and nothing can be served.
    pub fn new(lang: Lang) -> Shared {
        Shared {
            state: Mutex::new(State {
                generation: 0,
                rebuilds: 0,
                pending: true,
                view: Arc::new(View::Failed {
                    body: String::new(),
                    last: None,
                }),
            }),
            published: watch::Sender::new(0),
            lang,
        }
    }

    pub fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The generation and what is served at it.
    pub fn snapshot(&self) -> (u64, Arc<View>) {
        let s = self.lock();
        (s.generation, s.view.clone())
    }

    /// Serves `view` from now on as a new generation; returns the number of rebuilds.
    pub fn publish(&self, view: View, rebuild: bool) -> u64 {
        let mut s = self.lock();
        s.generation += 1;
        if rebuild {
            s.rebuilds += 1;
        }
        s.pending = false;
        s.view = Arc::new(view);
        // Under the lock: a page served at this generation never hears of an older one.
        self.published.send_replace(s.generation);
        s.rebuilds
    }

    pub fn set_pending(&self) {
        self.lock().pending = true;
    }

    /// The generation now, and each new one as it is published.
    pub fn subscribe(&self) -> watch::Receiver<u64> {
        self.published.subscribe()
    }

    /// The site served now, or the last one that built.
    pub fn last_good(&self) -> Option<Arc<Files>> {
        match &*self.snapshot().1 {
            View::Site(f) => Some(f.clone()),
            View::Failed { last, .. } => last.clone(),
        }
    }
}

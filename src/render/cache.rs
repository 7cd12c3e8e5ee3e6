//! The page cache of `camnang serve`: pages, QR codes, Markdown, search terms and the
//! theme of earlier renders, shared by the render threads. A page whose template context
//! is the same as in the previous render is reused; entries not used for a generation
//! are dropped (see [`PageCache::start`]).

use std::collections::HashMap;
use std::convert::Infallible;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use serde::Serialize;

use crate::content::portal::Ecc;
use crate::i18n::Lang;
use crate::render::qr;
use crate::render::qr::Qr;

/// A cache map: key → (value, once made; generation it was last used in).
type Memo<K, V> = Mutex<HashMap<K, (Arc<Mutex<Option<V>>>, u64)>>;

/// Key of a rendered page: a 64-bit hash of its template, root and serialised context,
/// and the context's length.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PageKey(u128, usize);

/// Pages and QR codes of earlier renders, shared by the render threads.
#[derive(Default)]
pub struct PageCache {
    /// Key → (HTML, generation it was last used in).
    pages: Mutex<HashMap<PageKey, (Arc<str>, u64)>>,
    qrs: Memo<(String, String, String), Qr>,
    /// Markdown text (inline or block) → HTML.
    markdown: Memo<(bool, String), Arc<str>>,
    /// Hash of a guide's searchable text → its search terms.
    terms: Memo<u128, Arc<crate::render::search::DocTerms>>,
    /// Hash of a guide as read and of the site → how its A4 leaflet fits.
    fits: Memo<u128, crate::render::print::Fit>,
    /// The theme as loaded for (content folder, language): templates are parsed once per
    /// session, again only after a full rebuild (a change under `theme/` or `site.yaml`).
    theme: Mutex<Option<(PathBuf, Lang, Arc<crate::render::theme::Theme>)>>,
    generation: AtomicU64,
    hits: AtomicUsize,
    misses: AtomicUsize,
    /// QR codes encoded, Markdown texts rendered and search terms made since the cache
    /// was created (see [`PageCache::work`]).
    made: [AtomicUsize; 4],
    /// Made by [`PageCache::shared_only`]: only a guide's own pages are kept.
    no_pages: bool,
    /// The bytes of the pages kept.
    page_bytes: AtomicUsize,
}

/// A build's cache keeps pages up to this many bytes: a province of a hundred offices
/// with sixty guides each keeps a few megabytes, and an office of thousands of guides
/// shares only those that fit rather than holding every page of a large site.
const BUILD_PAGE_BYTES: usize = 96 << 20;

/// How much shared work a [`PageCache`] has done since it was created: a site of several
/// offices encodes each QR code, renders each Markdown text and makes each guide's search
/// terms once, however many offices serve the guide.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Work {
    pub qr_codes: usize,
    pub markdown: usize,
    pub search_terms: usize,
    /// Pages rendered for the cache (kept, unless a build's cache is full). In a build's
    /// cache ([`PageCache::shared_only`]) these are a guide's own pages: each once for all
    /// the offices whose view of it is the same.
    pub pages: usize,
}

impl PageCache {
    /// A cache for one build of a site with offices: the offices share QR codes, Markdown,
    /// search terms, the theme and a guide's own pages (its page, leaflets, poster, booklet
    /// chapter and kiosk part, keyed by the hash of the guide's view: an office whose view
    /// of the guide is the same takes them as rendered for the office before it, and puts
    /// in its own contacts, see [`crate::render::context`]). Site-wide pages are not kept
    /// or keyed: they list an office's guides, and hashing every page's context for its
    /// key was several per cent of a province build.
    pub fn shared_only() -> Self {
        PageCache {
            no_pages: true,
            ..PageCache::default()
        }
    }

    /// Whether every page is kept (and keyed): not in a cache made by
    /// [`PageCache::shared_only`], which keeps a guide's own pages only.
    pub fn keeps_pages(&self) -> bool {
        !self.no_pages
    }

    /// The key of what every page of one render shares (the site-wide values of its
    /// context): hashed once per render, it stands for them in [`PageCache::key`].
    pub fn base_key<S: Serialize>(&self, site: &S) -> PageKey {
        self.hash(&[], site)
    }

    /// The key of `template` rendered at `root` with the site-wide values of `base` (see
    /// [`PageCache::base_key`]) and the page's own `page`.
    pub fn key<T: Serialize>(
        &self,
        template: &str,
        root: &str,
        base: PageKey,
        page: &T,
    ) -> PageKey {
        let mut prefix = Vec::with_capacity(template.len() + root.len() + 18);
        prefix.extend_from_slice(template.as_bytes());
        prefix.push(0);
        prefix.extend_from_slice(root.as_bytes());
        prefix.push(0);
        prefix.extend_from_slice(&base.0.to_le_bytes());
        prefix.extend_from_slice(&(base.1 as u64).to_le_bytes());
        self.hash(&prefix, page)
    }

    /// A 128-bit hash of `value` as JSON: pages that show one guide are keyed by the hash
    /// of its view, computed once per render instead of once per page.
    pub fn hash_value<T: Serialize>(value: &T) -> u128 {
        let mut buf = Vec::with_capacity(16 * 1024);
        serde_json::to_writer(&mut buf, value).ok();
        xxhash_rust::xxh3::xxh3_128(&buf)
    }

    fn hash<T: Serialize>(&self, prefix: &[u8], value: &T) -> PageKey {
        // The context as JSON, hashed in one go with a 128-bit XXH3 (hashing the
        // serialiser's many small writes one by one was most of the cost of an update).
        let mut buf = Vec::with_capacity(16 * 1024);
        buf.extend_from_slice(prefix);
        // A context that cannot be serialised fails in tera too; the key is then unused.
        serde_json::to_writer(&mut buf, value).ok();
        PageKey(xxhash_rust::xxh3::xxh3_128(&buf), buf.len())
    }

    /// A page rendered before with the same key.
    pub fn get(&self, key: PageKey) -> Option<Arc<str>> {
        let generation = self.generation.load(Ordering::Relaxed);
        let mut pages = self.pages.lock().ok()?;
        let entry = pages.get_mut(&key)?;
        entry.1 = generation;
        self.hits.fetch_add(1, Ordering::Relaxed);
        Some(entry.0.clone())
    }

    /// Keeps `html` under `key`, and gives it back shared.
    pub fn put(&self, key: PageKey, html: String) -> Arc<str> {
        self.misses.fetch_add(1, Ordering::Relaxed);
        self.made[3].fetch_add(1, Ordering::Relaxed);
        let generation = self.generation.load(Ordering::Relaxed);
        let html: Arc<str> = Arc::from(html);
        let bytes = self.page_bytes.load(Ordering::Relaxed);
        if self.no_pages && bytes + html.len() > BUILD_PAGE_BYTES {
            return html;
        }
        if let Ok(mut pages) = self.pages.lock()
            && pages.insert(key, (html.clone(), generation)).is_none()
        {
            self.page_bytes.fetch_add(html.len(), Ordering::Relaxed);
        }
        html
    }

    /// The value of `key` in `memo`, made by `make` (and kept) when it is not there; marks
    /// it as used by this render. Made once: a thread that asks for a value another thread
    /// is making waits for it (the offices render in parallel and share these values).
    /// `make` must not use rayon (a thread waiting inside it could take up a task that asks
    /// for the same value).
    fn memo<K: Eq + std::hash::Hash, V: Clone, E>(
        &self,
        memo: &Memo<K, V>,
        key: K,
        make: impl FnOnce() -> Result<V, E>,
    ) -> Result<V, E> {
        let generation = self.generation.load(Ordering::Relaxed);
        let slot = match memo.lock() {
            Ok(mut m) => {
                let entry = m.entry(key).or_default();
                entry.1 = generation;
                entry.0.clone()
            }
            Err(_) => return make(),
        };
        let Ok(mut value) = slot.lock() else {
            return make();
        };
        if let Some(v) = &*value {
            return Ok(v.clone());
        }
        let made = make()?;
        *value = Some(made.clone());
        Ok(made)
    }

    /// [`qr::encode`], reusing a code encoded before.
    pub fn qr(&self, data: &str, ecc: Ecc, label: &str) -> Result<Qr, String> {
        let key = (data.to_string(), format!("{ecc:?}"), label.to_string());
        self.memo(&self.qrs, key, || {
            self.made[0].fetch_add(1, Ordering::Relaxed);
            qr::encode(data, ecc, label)
        })
    }

    /// The HTML of a Markdown text of a guide, rendered by `render` when new.
    pub fn markdown(&self, inline: bool, text: &str, render: impl FnOnce() -> String) -> String {
        let key = (inline, text.to_string());
        let html = self.memo(&self.markdown, key, || {
            self.made[1].fetch_add(1, Ordering::Relaxed);
            Ok::<_, Infallible>(Arc::<str>::from(render()))
        });
        match html {
            Ok(html) => html.to_string(),
            Err(never) => match never {},
        }
    }

    /// The search terms of a guide whose searchable text hashes to `key`, made by `make`
    /// when new.
    pub fn terms(
        &self,
        key: u128,
        make: impl FnOnce() -> crate::render::search::DocTerms,
    ) -> Arc<crate::render::search::DocTerms> {
        let make = || {
            self.made[2].fetch_add(1, Ordering::Relaxed);
            Ok::<_, Infallible>(Arc::new(make()))
        };
        match self.memo(&self.terms, key, make) {
            Ok(terms) => terms,
            Err(never) => match never {},
        }
    }

    /// How the leaflet of a guide fits, for key `key` (the hashes of the guide as read and
    /// of the site, see [`crate::render::print::fit`]), estimated by `make` when new.
    pub fn fit(
        &self,
        key: u128,
        make: impl FnOnce() -> crate::render::print::Fit,
    ) -> crate::render::print::Fit {
        match self.memo(&self.fits, key, || Ok::<_, Infallible>(make())) {
            Ok(fit) => fit,
            Err(never) => match never {},
        }
    }

    /// [`crate::render::theme::load`], reusing the theme loaded before for the same folder and
    /// language.
    pub fn theme(
        &self,
        root: &Path,
        lang: Lang,
    ) -> Result<Arc<crate::render::theme::Theme>, Vec<crate::error::Diagnostic>> {
        if let Ok(t) = self.theme.lock()
            && let Some((r, l, theme)) = &*t
            && r == root
            && *l == lang
        {
            return Ok(theme.clone());
        }
        let theme = Arc::new(crate::render::theme::load(root, lang)?);
        if let Ok(mut t) = self.theme.lock() {
            *t = Some((root.to_path_buf(), lang, theme.clone()));
        }
        Ok(theme)
    }

    /// Starts a render: a new generation, counters to zero. Called by the cache's owner
    /// (`serve`'s session) once per render, before it, as [`PageCache::end`] after it: a
    /// render of several offices is one generation, so what one office used stays for the
    /// others, which render at the same time.
    pub fn start(&self) {
        self.generation.fetch_add(1, Ordering::Relaxed);
        self.hits.store(0, Ordering::Relaxed);
        self.misses.store(0, Ordering::Relaxed);
    }

    /// The shared work done since the cache was created.
    pub fn work(&self) -> Work {
        let n = |i: usize| self.made[i].load(Ordering::Relaxed);
        Work {
            qr_codes: n(0),
            markdown: n(1),
            search_terms: n(2),
            pages: n(3),
        }
    }

    /// Pages found in the cache since the last [`PageCache::start`].
    pub fn hits(&self) -> usize {
        self.hits.load(Ordering::Relaxed)
    }

    /// Pages rendered since the last [`PageCache::start`].
    pub fn misses(&self) -> usize {
        self.misses.load(Ordering::Relaxed)
    }

    /// Ends a render: forgets what it did not use, so memory follows the site's size.
    pub fn end(&self) {
        let generation = self.generation.load(Ordering::Relaxed);
        if let Ok(mut pages) = self.pages.lock() {
            pages.retain(|_, (_, g)| *g == generation);
            let bytes = pages.values().map(|(p, _)| p.len()).sum();
            self.page_bytes.store(bytes, Ordering::Relaxed);
        }
        if let Ok(mut qrs) = self.qrs.lock() {
            qrs.retain(|_, (_, g)| *g == generation);
        }
        if let Ok(mut md) = self.markdown.lock() {
            md.retain(|_, (_, g)| *g == generation);
        }
        if let Ok(mut t) = self.terms.lock() {
            t.retain(|_, (_, g)| *g == generation);
        }
        if let Ok(mut f) = self.fits.lock() {
            f.retain(|_, (_, g)| *g == generation);
        }
    }

    /// Forgets everything (a full rebuild: `site.yaml` or the theme changed).
    pub fn clear(&self) {
        if let Ok(mut pages) = self.pages.lock() {
            pages.clear();
            self.page_bytes.store(0, Ordering::Relaxed);
        }
        if let Ok(mut qrs) = self.qrs.lock() {
            qrs.clear();
        }
        if let Ok(mut md) = self.markdown.lock() {
            md.clear();
        }
        if let Ok(mut t) = self.terms.lock() {
            t.clear();
        }
        if let Ok(mut f) = self.fits.lock() {
            f.clear();
        }
        if let Ok(mut t) = self.theme.lock() {
            *t = None;
        }
    }
}

//! Incremental rebuilds for `camnang serve`: a [`Session`] keeps the loaded guides and the
//! rendered pages in memory and, given the paths that changed, rebuilds only what depends
//! on them.
//!
//! - A guide file is read and parsed again only when it changed (its path was reported,
//!   or its size or modification time differ); every other guide is reused as loaded.
//! - The cross-file checks and the guide views run over all guides (cheap), and every
//!   page is rendered through a [`PageCache`]: a page whose template context is the same
//!   as in the previous build is reused, so after editing one guide only the pages that
//!   show something of it are rendered again (its page and printables, the lists it is
//!   in, the pages that link to it by title). The dependencies are the data itself: no
//!   hand-kept list can go stale when a template starts showing a new field.
//! - `site.yaml` or anything under `theme/` changed → everything is loaded and rendered
//!   again. Any other file (a screenshot) → all guides are read again (their screenshot
//!   checks read image files), pages are still reused when their context is unchanged.
//!
//! The result is the same as a full [`crate::site::build`] of the same content: same
//! paths, same bytes (`tests/serve.rs` checks this).

use std::collections::{BTreeMap, HashMap};
use std::convert::Infallible;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use serde::Serialize;

use crate::error::{Diagnostics, Error};
use crate::guide;
use crate::i18n::Lang;
use crate::load::GuideFile;
use crate::qr::{self, Ecc, Qr};
use crate::render;
use crate::site::{self, Loaded, Quiet};
use crate::write::Data;

/// A cache map: key → (value, generation it was last used in).
type Memo<K, V> = Mutex<HashMap<K, (V, u64)>>;

/// A guide file's stamp when read, and what reading it gave.
type Entry = (Option<Stamp>, Loaded);

/// Key of a rendered page: a 64-bit hash of its template, root and serialised context,
/// and the context's length.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PageKey(u128, usize);

/// Pages and QR codes of earlier renders, shared by the render threads.
#[derive(Default)]
pub struct PageCache {
    /// Key of the site-wide values of the current render: (generation, address, key).
    base: Mutex<Option<(u64, usize, PageKey)>>,
    /// Key → (HTML, generation it was last used in).
    pages: Mutex<HashMap<PageKey, (Arc<str>, u64)>>,
    qrs: Memo<(String, String, String), Qr>,
    /// Markdown text (inline or block) → HTML.
    markdown: Memo<(bool, String), Arc<str>>,
    /// Hash of a guide's searchable text → its search terms.
    terms: Memo<u128, Arc<crate::search::DocTerms>>,
    /// The theme as loaded for (content folder, language): templates are parsed once per
    /// session, again only after a full rebuild (a change under `theme/` or `site.yaml`).
    theme: Mutex<Option<(PathBuf, Lang, Arc<crate::theme::Theme>)>>,
    generation: AtomicU64,
    hits: AtomicUsize,
    misses: AtomicUsize,
}

impl PageCache {
    /// The key of `template` rendered at `root` with the site-wide values `site` and
    /// `strings` and the page's own `page`. The site-wide part is the same for every page
    /// of one render, so it is hashed once per render (known by the address of `site`,
    /// which lives as long as the render).
    pub fn key<T: Serialize>(
        &self,
        template: &str,
        root: &str,
        site: &render::SiteView<'_>,
        strings: &BTreeMap<String, String>,
        page: &T,
    ) -> PageKey {
        let generation = self.generation.load(Ordering::Relaxed);
        let addr = site as *const render::SiteView<'_> as usize;
        let memo = self.base.lock().ok().and_then(|m| *m);
        let base = match memo {
            Some((g, a, key)) if g == generation && a == addr => key,
            _ => {
                let key = self.hash(&[], &(site, strings));
                if let Ok(mut m) = self.base.lock() {
                    *m = Some((generation, addr, key));
                }
                key
            }
        };
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
        let generation = self.generation.load(Ordering::Relaxed);
        let html: Arc<str> = Arc::from(html);
        if let Ok(mut pages) = self.pages.lock() {
            pages.insert(key, (html.clone(), generation));
        }
        html
    }

    /// The value of `key` in `memo`, made by `make` (and kept) when it is not there; marks
    /// it as used by this render.
    fn memo<K: Eq + std::hash::Hash, V: Clone, E>(
        &self,
        memo: &Memo<K, V>,
        key: K,
        make: impl FnOnce() -> Result<V, E>,
    ) -> Result<V, E> {
        let generation = self.generation.load(Ordering::Relaxed);
        if let Ok(mut m) = memo.lock()
            && let Some(entry) = m.get_mut(&key)
        {
            entry.1 = generation;
            return Ok(entry.0.clone());
        }
        let value = make()?;
        if let Ok(mut m) = memo.lock() {
            m.insert(key, (value.clone(), generation));
        }
        Ok(value)
    }

    /// [`qr::encode`], reusing a code encoded before.
    pub fn qr(&self, data: &str, ecc: Ecc, label: &str) -> Result<Qr, String> {
        let key = (data.to_string(), format!("{ecc:?}"), label.to_string());
        self.memo(&self.qrs, key, || qr::encode(data, ecc, label))
    }

    /// The HTML of a Markdown text of a guide, rendered by `render` when new.
    pub fn markdown(&self, inline: bool, text: &str, render: impl FnOnce() -> String) -> String {
        let key = (inline, text.to_string());
        let html = self.memo(&self.markdown, key, || {
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
        make: impl FnOnce() -> crate::search::DocTerms,
    ) -> Arc<crate::search::DocTerms> {
        match self.memo(&self.terms, key, || Ok::<_, Infallible>(Arc::new(make()))) {
            Ok(terms) => terms,
            Err(never) => match never {},
        }
    }

    /// [`crate::theme::load`], reusing the theme loaded before for the same folder and
    /// language.
    pub fn theme(
        &self,
        root: &Path,
        lang: Lang,
    ) -> Result<Arc<crate::theme::Theme>, Vec<crate::error::Diagnostic>> {
        if let Ok(t) = self.theme.lock()
            && let Some((r, l, theme)) = &*t
            && r == root
            && *l == lang
        {
            return Ok(theme.clone());
        }
        let theme = Arc::new(crate::theme::load(root, lang)?);
        if let Ok(mut t) = self.theme.lock() {
            *t = Some((root.to_path_buf(), lang, theme.clone()));
        }
        Ok(theme)
    }

    /// Starts a render (called by [`render::site_with`]): a new generation, counters to
    /// zero. Site-wide keys of an earlier render are never reused.
    pub fn start(&self) {
        self.generation.fetch_add(1, Ordering::Relaxed);
        self.hits.store(0, Ordering::Relaxed);
        self.misses.store(0, Ordering::Relaxed);
    }

    /// Ends a render: forgets what it did not use, so memory follows the site's size.
    fn end(&self) {
        let generation = self.generation.load(Ordering::Relaxed);
        if let Ok(mut pages) = self.pages.lock() {
            pages.retain(|_, (_, g)| *g == generation);
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
    }

    fn clear(&self) {
        if let Ok(mut pages) = self.pages.lock() {
            pages.clear();
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
        if let Ok(mut t) = self.theme.lock() {
            *t = None;
        }
    }
}

/// Size and modification time: a file whose stamp is unchanged is not read again (unless
/// its path was reported as changed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stamp(u64, Option<SystemTime>);

fn stamp(path: &Path) -> Option<Stamp> {
    let m = std::fs::metadata(path).ok()?;
    Some(Stamp(m.len(), m.modified().ok()))
}

/// The generated site, in memory: output path → contents.
pub type Files = BTreeMap<String, Data>;

/// What an update did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stats {
    /// Everything was loaded and rendered again (`site.yaml`, theme, first build).
    pub full: bool,
    /// Guide files read and parsed again.
    pub reloaded: usize,
    /// Guide files reused as loaded before.
    pub reused_guides: usize,
    /// Pages rendered by the templates.
    pub rendered: usize,
    /// Pages reused from the previous build.
    pub reused_pages: usize,
}

/// A content folder kept built in memory.
pub struct Session {
    root: PathBuf,
    lang: Option<Lang>,
    guides: HashMap<String, Entry>,
    cache: PageCache,
    result: Result<Built, Error>,
    stats: Stats,
}

/// A successful build.
pub struct Built {
    pub files: Arc<Files>,
    pub guides: usize,
    /// Warnings of the content and of rendering, sorted.
    pub warnings: Diagnostics,
}

impl Session {
    /// Loads and renders `root` (the content folder); `lang` overrides the site's language
    /// as `--lang` does for `build`.
    pub fn new(root: impl Into<PathBuf>, lang: Option<Lang>) -> Session {
        let mut s = Session {
            root: root.into(),
            lang,
            guides: HashMap::new(),
            cache: PageCache::default(),
            result: Err(Error::Content(Diagnostics::default())),
            stats: Stats::default(),
        };
        s.rebuild(&Default::default(), true);
        s
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The last build: the site, or why it failed.
    pub fn result(&self) -> Result<&Built, &Error> {
        self.result.as_ref()
    }

    /// What the last update did.
    pub fn stats(&self) -> &Stats {
        &self.stats
    }

    /// Rebuilds after `changed` (absolute, or relative to the working directory as `root`
    /// is). An empty list means "something may have changed": every file is checked by
    /// its size and modification time.
    pub fn update(&mut self, changed: &[PathBuf]) -> &Stats {
        let mut full = false;
        let mut forced = std::collections::HashSet::new();
        for p in changed {
            match self.classify(p) {
                Change::Site => full = true,
                Change::Guide(rel) => {
                    forced.insert(rel);
                }
                Change::Other => self.guides.clear(),
            }
        }
        self.rebuild(&forced, full);
        &self.stats
    }

    /// Loads and renders everything again, as after a change of `site.yaml`.
    pub fn full_rebuild(&mut self) -> &Stats {
        self.rebuild(&Default::default(), true);
        &self.stats
    }

    fn classify(&self, p: &Path) -> Change {
        let rel = match p.strip_prefix(&self.root) {
            Ok(r) => Some(crate::load::rel_string(r)),
            Err(_) => (|| {
                let root = self.root.canonicalize().ok()?;
                let parent = p.parent()?.canonicalize().ok()?;
                let rel = parent.strip_prefix(&root).ok()?.join(p.file_name()?);
                Some(crate::load::rel_string(&rel))
            })(),
        };
        let Some(rel) = rel else {
            // Outside the content folder (the folder itself renamed): check everything.
            return Change::Site;
        };
        if rel.is_empty() || rel == "site.yaml" || rel == "theme" || rel.starts_with("theme/") {
            return Change::Site;
        }
        let name = p
            .file_name()
            .map(|n| n.to_string_lossy())
            .unwrap_or_default();
        if crate::load::is_ignored(&name) {
            return Change::Guide(String::new());
        }
        if rel.starts_with("guides/") {
            let ext = Path::new(&*name).extension().and_then(|e| e.to_str());
            if matches!(ext, Some("yaml" | "yml" | "md" | "markdown")) {
                return Change::Guide(rel);
            }
            // Anything else there (a folder, an editor's temporary file) needs no reload:
            // files of a new folder are not cached yet, those of a gone one are not listed.
            return Change::Guide(String::new());
        }
        Change::Other
    }

    fn rebuild(&mut self, forced: &std::collections::HashSet<String>, full: bool) {
        let mut stats = Stats {
            full,
            ..Stats::default()
        };
        if full {
            self.guides.clear();
            self.cache.clear();
        }
        let root = self.root.clone();
        let mut old = std::mem::take(&mut self.guides);
        let fresh: Mutex<Vec<(String, Entry)>> = Mutex::new(Vec::new());
        let kept: Mutex<Vec<String>> = Mutex::new(Vec::new());
        let reloaded = AtomicUsize::new(0);
        let reused = AtomicUsize::new(0);
        let loader = |f: &GuideFile| -> Loaded {
            let now = stamp(&root.join(&f.rel));
            if !forced.contains(&f.rel)
                && let Some((Some(st), loaded)) = old.get(&f.rel)
                && Some(*st) == now
            {
                reused.fetch_add(1, Ordering::Relaxed);
                if let Ok(mut v) = kept.lock() {
                    v.push(f.rel.clone());
                }
                return loaded.clone();
            }
            reloaded.fetch_add(1, Ordering::Relaxed);
            let loaded = guide::load(&root, f);
            if let Ok(mut v) = fresh.lock() {
                v.push((f.rel.clone(), (now, loaded.clone())));
            }
            loaded
        };
        let content = site::load_content_with(&root, &loader);
        // Still listed and unchanged: kept as loaded; read again: the new entry.
        let mut guides: HashMap<String, Entry> = HashMap::new();
        for rel in kept.into_inner().unwrap_or_default() {
            if let Some(entry) = old.remove(&rel) {
                guides.insert(rel, entry);
            }
        }
        guides.extend(fresh.into_inner().unwrap_or_default());
        self.guides = guides;
        stats.reloaded = reloaded.into_inner();
        stats.reused_guides = reused.into_inner();
        let mut garbage: Vec<Box<dyn Send>> = Vec::new();
        let result = match content {
            Err(d) => Err(Error::Content(d)),
            Ok(mut content) => {
                if let Some(l) = self.lang {
                    content.site.language = l;
                }
                let out = render::site_with(&content, &Quiet, Some(&self.cache));
                stats.rendered = self.cache.misses.load(Ordering::Relaxed);
                stats.reused_pages = self.cache.hits.load(Ordering::Relaxed);
                match out {
                    Ok(out) => {
                        self.cache.end();
                        let mut warnings = content.warnings.clone();
                        warnings.extend(out.warnings);
                        warnings.sort();
                        let built = Built {
                            files: Arc::new(
                                out.files.into_iter().map(|f| (f.path, f.data)).collect(),
                            ),
                            guides: content.guides.len(),
                            warnings,
                        };
                        // Freeing thousands of guides and pages takes tens of ms: not
                        // on the way to the answer.
                        garbage.push(Box::new(content));
                        Ok(built)
                    }
                    Err(e) => Err(e),
                }
            }
        };
        garbage.push(Box::new(std::mem::replace(&mut self.result, result)));
        // (If no thread can be started, the closure and its garbage are dropped here.)
        let _ = std::thread::Builder::new()
            .name("camnang-free".into())
            .spawn(move || drop(garbage));
        self.stats = stats;
    }
}

enum Change {
    Site,
    /// A guide file (relative path), or `""` for a file that no build reads.
    Guide(String),
    Other,
}

/// The bytes of an output file (copies are read from the content folder).
pub fn read(data: &Data) -> io::Result<std::borrow::Cow<'_, [u8]>> {
    match data {
        Data::Copy(p) => std::fs::read(p).map(std::borrow::Cow::Owned),
        d => Ok(std::borrow::Cow::Borrowed(
            d.in_memory().unwrap_or_default(),
        )),
    }
}

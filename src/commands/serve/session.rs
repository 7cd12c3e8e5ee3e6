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
//! The result is the same as a full [`crate::commands::build::build`] of the same content: same
//! paths, same bytes (`tests/serve.rs` checks this).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use crate::commands::offices;
use crate::content::files::GuideFile;
use crate::content::guide;
use crate::content::{Content, Loaded};
use crate::error::{Diagnostics, Error};
use crate::i18n::Lang;
use crate::progress::Quiet;
use crate::render::cache::PageCache;
use crate::render::offices::Manifests;
use crate::render::sink::{Data, Reusing};
/// A guide file's stamp when read, and what reading it gave.
type Entry = (Option<Stamp>, Lent);

/// What reading a guide file gave, kept between updates. A guide is lent to the content
/// of a build (moved, not copied: copying 5,000 guides took a sixth of an update) and
/// taken back after rendering; its file's messages stay here.
// An entry holds its guide in place (one per file); boxing would add an allocation each.
#[allow(clippy::large_enum_variant)]
enum Lent {
    /// The guide (if the file gave one) and the file's messages.
    Home(Loaded),
    /// The file's guide is in the content being built; it has no messages (a file with
    /// messages is not lent, see [`Lent::lend`]).
    Out,
}

impl Lent {
    /// The guide and messages, for a build: a guide without messages is moved out (to be
    /// taken back), anything else copied. `None` if it is lent out already.
    fn lend(&mut self) -> Option<Loaded> {
        match self {
            Lent::Out => None,
            Lent::Home((Some(_), d)) if d.is_empty() => match std::mem::replace(self, Lent::Out) {
                Lent::Home(l) => Some(l),
                Lent::Out => None,
            },
            Lent::Home(l) => Some(l.clone()),
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

/// With offices, the preview's bar for switching between them (added to every page by the
/// server, never to `build` output).
pub const SWITCHER: &str = "__camnang/switcher.html";

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
    /// Each guide file's entry with the number of the last update whose content listed the
    /// file, behind its own lock (the parallel loader takes the guide out of it, see
    /// [`Lent`]). The map stays from update to update: rebuilding it each time (5,000 paths
    /// hashed four times, and as many copied) was about a third of an update.
    guides: HashMap<String, Mutex<(Entry, u64)>>,
    /// The number of the current update (see `guides`).
    update: u64,
    cache: PageCache,
    /// The manifests of the last successful render (see [`crate::render::manifest`]):
    /// the next one keeps the files of every kiosk group and site-wide unit whose guides
    /// did not change, without making their views.
    manifests: Manifests,
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
            update: 0,
            cache: PageCache::default(),
            manifests: Manifests::new(),
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
        let mut forced = HashSet::new();
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
            Ok(r) => Some(crate::content::files::rel_string(r)),
            Err(_) => (|| {
                let root = self.root.canonicalize().ok()?;
                let parent = p.parent()?.canonicalize().ok()?;
                let rel = parent.strip_prefix(&root).ok()?.join(p.file_name()?);
                Some(crate::content::files::rel_string(&rel))
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
        if crate::content::files::is_ignored(&name) {
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

    fn rebuild(&mut self, forced: &HashSet<String>, full: bool) {
        if full {
            self.guides.clear();
            self.cache.clear();
            self.manifests.clear();
        }
        let mut stats = Stats {
            full,
            ..Stats::default()
        };
        let content = self.load(forced, &mut stats);
        let mut garbage: Vec<Box<dyn Send>> = Vec::new();
        let result = match content {
            Err(d) => Err(Error::Content(d)),
            Ok(mut content) => {
                if let Some(l) = self.lang {
                    content.site.language = l;
                }
                let built = self.render(&content, &mut stats);
                // The guides were lent to the content (not copied): they go back to the
                // entries they came from, for the next update.
                self.take_back(&mut content);
                // Freeing thousands of pages takes tens of ms: not on the way to the answer.
                garbage.push(Box::new(content));
                built
            }
        };
        garbage.push(Box::new(std::mem::replace(&mut self.result, result)));
        // (If no thread can be started, the closure and its garbage are dropped here.)
        let _ = std::thread::Builder::new()
            .name("camnang-free".into())
            .spawn(move || drop(garbage));
        self.stats = stats;
    }

    /// Puts the guides of `content` back into the entries of their files. An entry whose
    /// guide is not found (a build that failed, a guide left out) has none, so its file is
    /// read again next time.
    fn take_back(&mut self, content: &mut Content) {
        let guides = std::mem::take(&mut content.guides)
            .into_iter()
            .chain(std::mem::take(&mut content.withheld));
        for g in guides {
            if let Some(m) = self.guides.get_mut(&g.file)
                && let Ok(((_, slot @ Lent::Out), _)) = m.get_mut()
            {
                *slot = Lent::Home((Some(g), Vec::new()));
            }
        }
        // Entries still lent out lost their guide: read the file again next time.
        self.guides
            .retain(|_, m| m.get_mut().is_ok_and(|((_, l), _)| !matches!(l, Lent::Out)));
    }

    /// Loads the content, reading again only the guide files in `forced` and those whose
    /// stamp changed; keeps what was read for the next time. Counts the guide files read
    /// again and reused.
    fn load(
        &mut self,
        forced: &HashSet<String>,
        stats: &mut Stats,
    ) -> Result<Content, Diagnostics> {
        let root = self.root.clone();
        self.update += 1;
        let update = self.update;
        let old = &self.guides;
        let fresh: Mutex<Vec<(String, Entry)>> = Mutex::new(Vec::new());
        let reloaded = AtomicUsize::new(0);
        let reused = AtomicUsize::new(0);
        let loader = |f: &GuideFile| -> Loaded {
            let now = stamp(&root.join(&f.rel));
            if let Some(slot) = old.get(&f.rel)
                && let Ok(mut entry) = slot.lock()
            {
                entry.1 = update;
                if !forced.contains(&f.rel)
                    && entry.0.0.is_some()
                    && entry.0.0 == now
                    && let Some(loaded) = entry.0.1.lend()
                {
                    reused.fetch_add(1, Ordering::Relaxed);
                    return loaded;
                }
            }
            reloaded.fetch_add(1, Ordering::Relaxed);
            let loaded = guide::load(&root, f);
            // A guide without messages is lent (as by `Lent::lend`); anything else copied.
            let entry = match &loaded {
                (Some(_), d) if d.is_empty() => Lent::Out,
                _ => Lent::Home(loaded.clone()),
            };
            if let Ok(mut v) = fresh.lock() {
                v.push((f.rel.clone(), (now, entry)));
            }
            loaded
        };
        let content = crate::content::load_content_with(&root, &loader);
        // Files no longer listed go; those read again get their new entry.
        self.guides
            .retain(|_, m| m.get_mut().is_ok_and(|(_, seen)| *seen == update));
        for (rel, entry) in fresh.into_inner().unwrap_or_default() {
            self.guides.insert(rel, Mutex::new((entry, update)));
        }
        stats.reloaded = reloaded.into_inner();
        stats.reused_guides = reused.into_inner();
        content
    }

    /// Renders the site through the page cache; counts the pages rendered and reused.
    fn render(&mut self, content: &Content, stats: &mut Stats) -> Result<Built, Error> {
        // The files of the last successful render, which the manifests describe.
        let previous = self.result.as_ref().ok().map(|b| b.files.clone());
        let mut plans = std::mem::take(&mut self.manifests);
        let empty = Files::new();
        let previous: &Files = previous.as_deref().unwrap_or(&empty);
        for (id, m) in plans.iter_mut() {
            let prefix = match id.is_empty() {
                true => String::new(),
                false => format!("{id}/"),
            };
            m.check(|p| previous.contains_key(&format!("{prefix}{p}")));
        }
        let sink = Reusing::new(previous);
        self.cache.start();
        let out =
            offices::render_planned(content, &Quiet, Some(&self.cache), Some(&mut plans), &sink);
        stats.rendered = self.cache.misses();
        stats.reused_pages = self.cache.hits() + sink.kept();
        let rendered = out?;
        self.manifests = plans;
        self.cache.end();
        let mut warnings = content.warnings.clone();
        warnings.extend(rendered);
        warnings.sort();
        let mut files: Files = sink
            .collect
            .into_files()
            .into_iter()
            .map(|f| (f.path, f.data))
            .collect();
        if let Some(bar) = offices::switcher(content) {
            files.insert(SWITCHER.into(), Data::Bytes(bar.into_bytes()));
        }
        Ok(Built {
            files: Arc::new(files),
            guides: content.guides.len(),
            warnings,
        })
    }
}

enum Change {
    Site,
    /// A guide file (relative path), or `""` for a file that no build reads.
    Guide(String),
    Other,
}

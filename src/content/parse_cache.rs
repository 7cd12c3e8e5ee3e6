//! The parse cache of `camnang build` (issue #16): what reading each guide file gave (the
//! guide and its problems), kept in the output as [`PATH`], so that a rebuild reads and
//! hashes the guide files but parses again only those that changed.
//!
//! One line per guide file (its path, the hash of its bytes and its entry as JSON,
//! separated by tabs: `→` below), after a first line with the format and the binary's key (a new
//! camnang parses everything again):
//!
//! ```text
//! {"format":1,"binary":"…"}
//! guides/a.yaml → 5f… → {"rel":"guides/a.yaml","hash":"5f…","deps":[["images/a.png","…"]],"loaded":[…]}
//! ```
//!
//! A guide's entry is used when the file's bytes hash to `hash` and each of `deps` (the
//! screenshots it shows, the only other files reading a guide looks at: their paths
//! checked, sizes and pixel sizes read) still resolves inside the content folder to
//! bytes of the same hash. Reading a guide is a function of those bytes and its path, so
//! the entry is what reading the file again would give, its warnings included. Files whose
//! reading found errors are not kept (a build with errors writes nothing anyway), nor
//! guides left out of the site (abolished or not in force: nothing of them is written).

use std::collections::HashMap;
use std::ops::Range;
use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::content::files::{self, GuideFile};
use crate::content::{Loaded, guide};
use crate::error::Severity;

/// Where the cache is, relative to the output folder.
pub const PATH: &str = ".camnang-guides.jsonl";

/// The cache's format; another number is a foreign cache.
const FORMAT: u32 = 1;

#[derive(Serialize, Deserialize)]
struct Head {
    format: u32,
    binary: String,
}

/// One guide file's entry.
#[derive(Serialize, Deserialize)]
struct Entry {
    rel: String,
    hash: String,
    /// The screenshots the guide shows (path as written, hash of the bytes).
    deps: Vec<(String, String)>,
    loaded: Loaded,
}

/// The previous build's entries (by path) and this build's, as guide files are read.
pub struct ParseCache {
    root: std::path::PathBuf,
    /// The previous cache file's bytes (when of this format and binary; each entry's JSON
    /// is checked as it is parsed, so the whole file need not be checked as UTF-8 first) …
    text: Vec<u8>,
    /// … and the hash and line (a range of `text`) of each path.
    old: HashMap<String, (String, Range<usize>)>,
    new: Mutex<Vec<(String, Line)>>,
    binary: String,
    parsed: AtomicUsize,
    /// The hash of each screenshot's bytes, once per build (many guides show the same).
    deps: Mutex<HashMap<String, Option<String>>>,
}

/// A line of the new cache file: one of the previous file, or new.
enum Line {
    Old(Range<usize>),
    New(String),
}

impl ParseCache {
    /// The cache of content folder `root` for a binary with key `binary`, with the
    /// entries of `previous` (the cache file of the previous build, if any) when it is of
    /// this format and binary.
    pub fn new(root: &Path, previous: Option<Vec<u8>>, binary: String) -> ParseCache {
        let text = previous
            .filter(|text| {
                let head = text.split(|b| *b == b'\n').next().unwrap_or_default();
                serde_json::from_slice::<Head>(head)
                    .is_ok_and(|h| h.format == FORMAT && h.binary == binary)
            })
            .unwrap_or_default();
        let mut old = HashMap::new();
        let mut at = 0;
        let ends = memchr::memchr_iter(b'\n', &text).chain([text.len()]);
        for end in ends {
            let line = &text[at..end];
            let range = at..end;
            at = end + 1;
            let mut tabs = memchr::memchr_iter(b'\t', line);
            if let (Some(a), Some(b)) = (tabs.next(), tabs.next())
                && let (Ok(rel), Ok(hash)) = (
                    std::str::from_utf8(&line[..a]),
                    std::str::from_utf8(&line[a + 1..b]),
                )
            {
                old.insert(rel.to_string(), (hash.to_string(), range));
            }
        }
        ParseCache {
            root: root.to_path_buf(),
            text,
            old,
            new: Mutex::new(Vec::new()),
            binary,
            parsed: AtomicUsize::new(0),
            deps: Mutex::new(HashMap::new()),
        }
    }

    /// Reads guide file `f` as [`guide::load`] does, from the cache when its entry holds.
    pub fn load(&self, f: &GuideFile) -> Loaded {
        let bytes = std::fs::read(self.root.join(&f.rel)).ok();
        let hash = bytes.as_deref().map(hash_hex);
        if let (Some(hash), Some((old_hash, range))) = (&hash, self.old.get(&f.rel))
            && hash == old_hash
            && let Some(line) = self.text.get(range.clone())
            && let Some(json) = line.splitn(3, |b| *b == b'\t').nth(2)
            && let Ok(e) = serde_json::from_slice::<Entry>(json)
            && (e.rel == f.rel && &e.hash == hash)
            && e.deps
                .iter()
                .all(|(p, h)| self.dep_hash(p).as_ref() == Some(h))
        {
            self.keep(&f.rel, Line::Old(range.clone()));
            return known(e);
        }
        self.parsed.fetch_add(1, Ordering::Relaxed);
        let loaded = guide::load(&self.root, f);
        let errors = loaded.1.iter().any(|d| d.severity == Severity::Error);
        if let (Some(hash), Some(g), false) = (hash, &loaded.0, errors) {
            let deps = g
                .steps
                .iter()
                .filter_map(|s| s.screenshot.as_ref())
                .map(|s| (s.src.clone(), self.dep_hash(&s.src)))
                .collect::<Vec<_>>();
            if let Some(deps) = deps
                .into_iter()
                .map(|(p, h)| h.map(|h| (p, h)))
                .collect::<Option<Vec<_>>>()
            {
                let e = Entry {
                    rel: f.rel.clone(),
                    hash,
                    deps,
                    loaded,
                };
                if let Ok(json) = serde_json::to_string(&e) {
                    let line = format!("{}\t{}\t{json}", e.rel, e.hash);
                    self.keep(&f.rel, Line::New(line));
                }
                return known(e);
            }
        }
        loaded
    }

    /// The hash of the bytes of content file `rel`, if it resolves inside the content
    /// folder (read once per build).
    fn dep_hash(&self, rel: &str) -> Option<String> {
        if let Some(h) = self.deps.lock().ok().and_then(|d| d.get(rel).cloned()) {
            return h;
        }
        let h = files::resolve_in(&self.root, rel)
            .ok()
            .and_then(|p| std::fs::read(p).ok())
            .map(|b| hash_hex(&b));
        if let Ok(mut d) = self.deps.lock() {
            d.insert(rel.to_string(), h.clone());
        }
        h
    }

    fn keep(&self, rel: &str, line: Line) {
        if let Ok(mut new) = self.new.lock() {
            new.push((rel.to_string(), line));
        }
    }

    /// Guide files parsed so far (the others were taken from the cache).
    pub fn parsed(&self) -> usize {
        self.parsed.load(Ordering::Relaxed)
    }

    /// The new cache file: this build's entries, by path, but those of the guide files
    /// `left_out` (guides left out of the site: nothing of them goes into the output).
    pub fn finish(self, left_out: &[&str]) -> Vec<u8> {
        let mut entries = self.new.into_inner().unwrap_or_default();
        entries.retain(|(rel, _)| !left_out.contains(&rel.as_str()));
        entries.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let head = Head {
            format: FORMAT,
            binary: self.binary,
        };
        let mut out = serde_json::to_vec(&head).unwrap_or_default();
        out.push(b'\n');
        for (_, line) in entries {
            let line = match &line {
                Line::Old(range) => self.text.get(range.clone()).unwrap_or_default(),
                Line::New(line) => line.as_bytes(),
            };
            out.extend_from_slice(line);
            out.push(b'\n');
        }
        out
    }
}

/// The guide of entry `e`, its hash as read (see [`crate::content::guide::Memo`]) known
/// already: reading is a function of the file's path and bytes and of its screenshots'
/// bytes, so their hashes stand for the guide (hashing the guide as JSON was a tenth of a
/// rebuild that changed nothing). Parsed or taken from the cache, the same file has the
/// same hash.
fn known(e: Entry) -> Loaded {
    let (guide, diags) = e.loaded;
    if let Some(g) = &guide {
        let mut h = xxhash_rust::xxh3::Xxh3::new();
        for part in [e.rel.as_str(), e.hash.as_str()]
            .into_iter()
            .chain(e.deps.iter().flat_map(|(p, h)| [p.as_str(), h.as_str()]))
        {
            h.update(part.as_bytes());
            h.update(&[0]);
        }
        g.hash.get_or(|| h.digest128());
    }
    (guide, diags)
}

fn hash_hex(bytes: &[u8]) -> String {
    format!("{:032x}", xxhash_rust::xxh3::xxh3_128(bytes))
}

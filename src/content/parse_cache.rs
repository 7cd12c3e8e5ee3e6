//! The parse cache of `camnang build` (issue #16): what reading each guide file gave (the
//! guide and its problems), kept in the output in the folder [`PATH`], so that a rebuild
//! reads and hashes the guide files but parses again only those that changed.
//!
//! The guide files are spread over [`SHARDS`] files by the hash of their path
//! (`.camnang-guides/0.bin` … `f.bin`; a shard without guides has no file), so that an edit
//! writes one sixteenth of the cache (23 MB at 5,000 guides: writing it was a tenth of a
//! rebuild after one edit). Each file: a first line with the format and the binary's key as
//! JSON (a new camnang parses everything again), then one record per guide file: its length (4 bytes, little endian),
//! then the file's path and the hash of its bytes, each followed by a tab, then its entry
//! in [postcard](https://docs.rs/postcard) (a binary form that decodes several times
//! faster than JSON: decoding was most of a rebuild that changed nothing):
//!
//! ```text
//! {"format":2,"binary":"…"}
//! [len] guides/a.yaml → 5f… → {rel, hash, deps: [(images/a.png, …)], guide, problems}
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

use crate::content::Loaded;
use crate::content::files::{self, GuideFile};
use crate::content::guide::{self, Guide};
use crate::error::{Diagnostic, Severity};

/// The folder of the cache, relative to the output folder.
pub const PATH: &str = ".camnang-guides";

/// How many files the cache is spread over.
pub const SHARDS: usize = 16;

/// The file of shard `i`, relative to the output folder.
pub fn shard_path(i: usize) -> String {
    format!("{PATH}/{i:x}.bin")
}

/// The shard of guide file `rel`.
fn shard_of(rel: &str) -> usize {
    (xxhash_rust::xxh3::xxh3_64(rel.as_bytes()) % SHARDS as u64) as usize
}

/// The cache files of the build in `out`: each shard's bytes (empty when there is none).
pub fn read(out: &Path) -> Vec<Vec<u8>> {
    (0..SHARDS)
        .into_par_iter()
        .map(|i| std::fs::read(out.join(shard_path(i))).unwrap_or_default())
        .collect()
}

/// The cache's format; another number is a foreign cache.
const FORMAT: u32 = 2;

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
    guide: Option<Guide>,
    /// Its problems (warnings) as JSON: postcard has no `#[serde(flatten)]`, which
    /// [`Diagnostic`] uses for its position (most guides have none: `[]`).
    problems: String,
}

/// The previous build's entries (by path) and this build's, as guide files are read.
pub struct ParseCache {
    root: std::path::PathBuf,
    /// The previous cache files' bytes, by shard (those of this format and binary) …
    text: Vec<Vec<u8>>,
    /// … and the hash and record (a range of its shard's `text`) of each path.
    old: HashMap<String, (String, Range<usize>)>,
    new: Mutex<Vec<(String, Line)>>,
    binary: String,
    parsed: AtomicUsize,
    /// The hash of each screenshot's bytes, once per build (many guides show the same).
    deps: Mutex<HashMap<String, Option<String>>>,
}

/// A record of the new cache file: one of the previous file, or new.
enum Line {
    Old(Range<usize>),
    New(Vec<u8>),
}

impl ParseCache {
    /// The cache of content folder `root` for a binary with key `binary`, with the
    /// entries of `previous` (the cache files of the previous build by shard, see
    /// [`read`]) of this format and binary.
    pub fn new(root: &Path, previous: Vec<Vec<u8>>, binary: String) -> ParseCache {
        let mut text = previous;
        text.resize(SHARDS, Vec::new());
        let mut old = HashMap::new();
        for (i, t) in text.iter_mut().enumerate() {
            let head = t.split(|b| *b == b'\n').next().unwrap_or_default();
            let ours = serde_json::from_slice::<Head>(head)
                .is_ok_and(|h| h.format == FORMAT && h.binary == binary);
            if !ours {
                t.clear();
            }
            let head = memchr::memchr(b'\n', t).map_or(t.len(), |n| n + 1);
            // (A path in the wrong shard is not this cache's.)
            old.extend(
                records(t, head)
                    .into_iter()
                    .filter(|(rel, _)| shard_of(rel) == i),
            );
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
            && let Some(record) = self.text[shard_of(&f.rel)].get(range.clone())
            && let Some(bytes) = record
                .get(4..)
                .and_then(|r| r.splitn(3, |b| *b == b'\t').nth(2))
            && let Ok(e) = postcard::from_bytes::<Entry>(bytes)
            && (e.rel == f.rel && &e.hash == hash)
            && e.deps
                .iter()
                .all(|(p, h)| self.dep_hash(p).as_ref() == Some(h))
            && let Ok(diags) = serde_json::from_str::<Vec<Diagnostic>>(&e.problems)
        {
            self.keep(&f.rel, Line::Old(range.clone()));
            return known(e, diags);
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
                && let Ok(problems) = serde_json::to_string(&loaded.1)
            {
                let (guide, diags) = loaded;
                let e = Entry {
                    rel: f.rel.clone(),
                    hash,
                    deps,
                    guide,
                    problems,
                };
                if let Some(r) = record(&e) {
                    self.keep(&f.rel, Line::New(r));
                }
                return known(e, diags);
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

    /// The new cache files: this build's entries, by shard and path, but those of the
    /// guide files `left_out` (guides left out of the site: nothing of them goes into the
    /// output); each with its shard (see [`shard_path`]), [`Finished::Same`] when it is
    /// the previous file byte for byte. Shards without entries have no file.
    pub fn finish(self, left_out: &[&str]) -> Vec<(usize, Finished)> {
        let mut entries = self.new.into_inner().unwrap_or_default();
        entries.retain(|(rel, _)| !left_out.contains(&rel.as_str()));
        let mut shards: Vec<Vec<(String, Line)>> = (0..SHARDS).map(|_| Vec::new()).collect();
        for (rel, line) in entries {
            shards[shard_of(&rel)].push((rel, line));
        }
        let head = Head {
            format: FORMAT,
            binary: self.binary,
        };
        let mut head = serde_json::to_vec(&head).unwrap_or_default();
        head.push(b'\n');
        shards
            .into_par_iter()
            .zip(self.text)
            .enumerate()
            .filter(|(_, (entries, _))| !entries.is_empty())
            .map(|(i, (mut entries, old))| {
                entries.sort_unstable_by(|a, b| a.0.cmp(&b.0));
                (i, shard(&head, entries, old))
            })
            .collect()
    }
}

/// A cache file: first line `head`, then `entries` (sorted); the previous file `old` when
/// they are its records, all of them, in order, or make the same bytes.
fn shard(head: &[u8], entries: Vec<(String, Line)>, old: Vec<u8>) -> Finished {
    let mut at = head.len();
    let same = old.starts_with(head)
        && entries.iter().all(|(_, line)| match line {
            Line::Old(r) if r.start == at => {
                at = r.end;
                true
            }
            _ => false,
        })
        && at == old.len();
    if same {
        return Finished::Same(old);
    }
    let mut out = head.to_vec();
    for (_, line) in entries {
        let line = match &line {
            Line::Old(range) => old.get(range.clone()).unwrap_or_default(),
            Line::New(line) => line,
        };
        out.extend_from_slice(line);
    }
    match out == old {
        true => Finished::Same(old),
        false => Finished::New(out),
    }
}

/// The cache file a build leaves (see [`ParseCache::finish`]).
pub enum Finished {
    /// The previous build's, unchanged: its bytes.
    Same(Vec<u8>),
    /// A new one (not the previous file's bytes), these bytes.
    New(Vec<u8>),
}

/// The guide of entry `e`, its hash as read (see [`crate::content::guide::Memo`]) known
/// already: reading is a function of the file's path and bytes and of its screenshots'
/// bytes, so their hashes stand for the guide (hashing the guide as JSON was a tenth of a
/// rebuild that changed nothing). Parsed or taken from the cache, the same file has the
/// same hash.
fn known(e: Entry, diags: Vec<Diagnostic>) -> Loaded {
    let guide = e.guide;
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

/// The records of cache file `text` from byte `at` on: each path's hash and record.
fn records(text: &[u8], mut at: usize) -> HashMap<String, (String, Range<usize>)> {
    let mut old = HashMap::new();
    while let Some(len) = text.get(at..at + 4) {
        let len = u32::from_le_bytes([len[0], len[1], len[2], len[3]]) as usize;
        let range = at..at + 4 + len;
        let Some(record) = text.get(at + 4..range.end) else {
            break;
        };
        at = range.end;
        let mut tabs = memchr::memchr_iter(b'\t', record);
        if let (Some(a), Some(b)) = (tabs.next(), tabs.next())
            && let (Ok(rel), Ok(hash)) = (
                std::str::from_utf8(&record[..a]),
                std::str::from_utf8(&record[a + 1..b]),
            )
        {
            old.insert(rel.to_string(), (hash.to_string(), range));
        }
    }
    old
}

/// Entry `e` as a record of the cache file.
fn record(e: &Entry) -> Option<Vec<u8>> {
    let mut r = vec![0; 4];
    r.extend_from_slice(format!("{}\t{}\t", e.rel, e.hash).as_bytes());
    let mut r = postcard::to_extend(e, r).ok()?;
    let len = u32::try_from(r.len() - 4).ok()?;
    r[..4].copy_from_slice(&len.to_le_bytes());
    // (Kept until the cache file is written: without the room it grew by.)
    r.shrink_to_fit();
    Some(r)
}

fn hash_hex(bytes: &[u8]) -> String {
    format!("{:032x}", xxhash_rust::xxh3::xxh3_128(bytes))
}

//! The build manifest (issue #16): what each guide's files in the output were made from,
//! so that a rebuild renders only the guides whose inputs changed.
//!
//! `camnang build` writes it as the last file of the site, [`PATH`]. It holds:
//!
//! - the binary's key: its version, the embedded templates and the executable's size and
//!   time (a new camnang renders everything again);
//! - the site's key: `site.yaml` as read, the site-wide view every page sees (title,
//!   office, categories with their counts, number of guides), the UI strings, the theme's
//!   static files and every file under `content/theme/`;
//! - for each kiosk group (the guides of one file `kiosk/guides/<n>.js`, see
//!   [`crate::render::kiosk::GROUP`]): each member's slug and key ([`guide_key`]: the hash
//!   of what its [`GuideView`](crate::render::view::GuideView) is made from, the guide as
//!   read and what it takes from other files: related guides' titles, its portal URL, the
//!   day it applies from, the last link check; and its leaflet's fit level), and the files
//!   the group's render wrote;
//! - for each site-wide unit (the index and category pages, each category's card sheet,
//!   the booklet with the print packs and the print index, the search index): its name, the
//!   key of what it shows (the keys of the guides it lists) and its files.
//!
//! A rebuild whose binary and site keys are those of the manifest keeps every group whose
//! members (slugs and keys, in order) are the same and whose files are all still there,
//! and every unit whose key is the same and whose files are there: they are neither
//! rendered nor read back; the staging is told to keep them
//! ([`Sink::keep`](crate::render::sink::Sink::keep)), and the guides only they show need
//! no view with Markdown and QR code. Everything else is rendered as in a full build. A
//! missing, unreadable or foreign manifest means a full build.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use serde::{Deserialize, Serialize};

use crate::content::Content;
use crate::content::guide::Guide;
use crate::render::kiosk;
use crate::render::print::{a4_url, a5_url, poster_url};
use crate::render::theme::{TEMPLATES, Theme};
use crate::render::view::{SiteView, guide_url};

/// Where the manifest is, relative to the output folder.
pub const PATH: &str = ".camnang-manifest.json";

/// The manifest's format; another number is a foreign manifest.
const FORMAT: u32 = 2;

/// What a build's guide files were made from (see the module documentation).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    format: u32,
    binary: String,
    site: String,
    groups: Vec<GroupEntry>,
    units: Vec<UnitEntry>,
}

/// One site-wide unit of a manifest: files that show many guides.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitEntry {
    name: String,
    key: String,
    outputs: Vec<String>,
    /// Not written: whether every output was found on disk (see [`Manifest::check`]).
    #[serde(skip)]
    present: bool,
}

/// One kiosk group of a manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupEntry {
    /// Each member's slug and key, in site order.
    guides: Vec<(String, String)>,
    /// The files its render wrote (its guides' pages and printables, the kiosk file).
    outputs: Vec<String>,
    /// Not written: whether every output was found on disk (see [`Manifest::check`]).
    #[serde(skip)]
    present: bool,
}

impl Manifest {
    /// The manifest in `bytes`, or `None` when it is not one of this format.
    pub fn parse(bytes: &[u8]) -> Option<Manifest> {
        let m: Manifest = serde_json::from_slice(bytes).ok()?;
        (m.format == FORMAT).then_some(m)
    }

    /// Marks the groups whose every output `exists` (a file someone removed from the
    /// output folder is rendered again). Groups not marked are rendered.
    pub fn check(&mut self, exists: impl Fn(&str) -> bool + Sync) {
        use rayon::prelude::*;
        self.groups
            .par_iter_mut()
            .for_each(|g| g.present = g.outputs.iter().all(|p| exists(p)));
        for u in &mut self.units {
            u.present = u.outputs.iter().all(|p| exists(p));
        }
    }

    /// The manifest as written to [`PATH`].
    pub fn to_json(&self) -> Vec<u8> {
        let mut json = serde_json::to_vec(self).unwrap_or_default();
        json.push(b'\n');
        json
    }

    /// The guides listed, of every group.
    pub fn guides(&self) -> usize {
        self.groups.iter().map(|g| g.guides.len()).sum()
    }
}

/// The files of kiosk group `n` with guides `slugs` (each with whether it has printables:
/// not when it applies only from a later day): each one's page and printables, and the
/// group's kiosk file (as written by the site render).
pub fn group_outputs<'s>(n: usize, slugs: impl Iterator<Item = (&'s str, bool)>) -> Vec<String> {
    let mut out = vec![kiosk::group_url(n)];
    for (s, printables) in slugs {
        out.push(guide_url(s));
        if printables {
            out.extend([a4_url(s), a5_url(s), poster_url(s)]);
        }
    }
    out.sort();
    out
}

/// The key of one guide's files: the hash of what its view is made from (see
/// [`view_input`]) and its leaflet's fit level.
pub fn guide_key(input: u128, level: u8) -> String {
    format!("{input:032x}-{level}")
}

/// The hash of everything guide `g`'s [`GuideView`](crate::render::view::GuideView) is
/// made from besides the site (which is in the site key): the guide as read (all of it,
/// as JSON: a field added to [`Guide`] is in it without further ado), its portal URL,
/// the titles of its related guides (`titles`: every guide's by slug), the day it
/// applies from when that is still to come, and the day `camnang links` last found its
/// portal URL working. Cheaper than the view: no Markdown, no QR code.
pub fn view_input(
    c: &Content,
    titles: &std::collections::BTreeMap<&str, &str>,
    g: &Guide,
    portal_url: &str,
) -> u128 {
    let pending = g.effective_from.filter(|_| c.pending(g));
    let related: Vec<Option<&&str>> = g
        .related
        .iter()
        .map(|(slug, _)| titles.get(slug.as_str()))
        .collect();
    let checked = c.links.checked_ok(portal_url);
    let own = guide_hash(g);
    let mut buf = Vec::with_capacity(256);
    let _ = serde_json::to_writer(&mut buf, &(own, portal_url, related, pending, checked));
    xxhash_rust::xxh3::xxh3_128(&buf)
}

/// The hash of guide `g` as read (all of it, as JSON), worked out once per guide
/// (`serve` lends the same guides to each update). The JSON is hashed in one go: hashing
/// the serialiser's many small writes one by one took twice as long.
pub fn guide_hash(g: &Guide) -> u128 {
    g.hash.get_or(|| {
        let mut buf = Vec::with_capacity(8 * 1024);
        let _ = serde_json::to_writer(&mut buf, g);
        xxhash_rust::xxh3::xxh3_128(&buf)
    })
}

/// The key of a site-wide unit that shows the guides of `keys` (their guide keys).
pub fn unit_key<'k>(keys: impl Iterator<Item = &'k str>) -> String {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    for k in keys {
        h.update(k.as_bytes());
        h.update(b"\0");
    }
    format!("{:032x}", h.digest128())
}

/// The key of a site-wide unit made from `value`: what it shows of its guides.
pub fn value_key<T: Serialize>(value: &T) -> String {
    let json = serde_json::to_vec(value).unwrap_or_default();
    format!("{:032x}", xxhash_rust::xxh3::xxh3_128(&json))
}

/// The binary's key: its version, its templates and the executable itself (size and
/// modification time, so that a rebuilt camnang does not trust an older one's output).
pub fn binary_key() -> String {
    let mut buf = Vec::new();
    for (name, text) in TEMPLATES {
        buf.extend_from_slice(name.as_bytes());
        buf.push(0);
        buf.extend_from_slice(text.as_bytes());
        buf.push(0);
    }
    let exe = std::env::current_exe()
        .and_then(std::fs::metadata)
        .map(|m| {
            let t = m
                .modified()
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_nanos());
            format!("{}-{t}", m.len())
        })
        .unwrap_or_default();
    format!(
        "{}-{:032x}-{exe}",
        env!("CARGO_PKG_VERSION"),
        xxhash_rust::xxh3::xxh3_128(&buf)
    )
}

/// The site's key: everything every page is made with besides its own guide (see the
/// module documentation).
pub fn site_key(c: &Content, theme: &Theme, site: &SiteView<'_>) -> String {
    let mut buf = serde_json::to_vec(&(&c.site, site, &theme.strings)).unwrap_or_default();
    for (name, bytes) in &theme.statics {
        push_file(&mut buf, name, bytes);
    }
    // Every file of the theme's overrides (templates, static files, strings).
    let dir = c.root.join("theme");
    for e in walkdir::WalkDir::new(&dir).sort_by_file_name() {
        let Ok(e) = e else { continue };
        if e.file_type().is_file() {
            let name = e.path().strip_prefix(&dir).unwrap_or(e.path());
            let bytes = std::fs::read(e.path()).unwrap_or_default();
            push_file(&mut buf, &name.to_string_lossy(), &bytes);
        }
    }
    format!("{:032x}", xxhash_rust::xxh3::xxh3_128(&buf))
}

fn push_file(buf: &mut Vec<u8>, name: &str, bytes: &[u8]) {
    buf.extend_from_slice(name.as_bytes());
    buf.push(0);
    buf.extend_from_slice(&(bytes.len() as u64).to_le_bytes());
    buf.extend_from_slice(bytes);
}

/// One build's use of the manifest: the previous one (when it matches this build's
/// binary and site) and the new one, filled in as groups are rendered or kept.
pub struct Plan {
    previous: Option<Manifest>,
    binary: String,
    site: String,
    groups: Mutex<Vec<Option<GroupEntry>>>,
    units: Mutex<Vec<UnitEntry>>,
    rendered: AtomicUsize,
}

impl Plan {
    /// A plan for a build with keys `binary` and `site` of `groups` kiosk groups;
    /// `previous` is used only when its keys are the same.
    pub fn new(previous: Option<Manifest>, binary: String, site: String, groups: usize) -> Plan {
        let previous = previous.filter(|m| m.binary == binary && m.site == site);
        Plan {
            previous,
            binary,
            site,
            groups: Mutex::new(vec![None; groups]),
            units: Mutex::new(Vec::new()),
            rendered: AtomicUsize::new(0),
        }
    }

    /// Whether group `n` with `guides` (slug and key of each) may be kept as the previous
    /// build wrote it; then its outputs. Records the group in the new manifest either way
    /// (when rendered, with `outputs`: its files, see [`group_outputs`]).
    pub fn group(
        &self,
        n: usize,
        guides: Vec<(String, String)>,
        outputs: Vec<String>,
    ) -> Option<Vec<String>> {
        let kept = self
            .previous
            .as_ref()
            .and_then(|m| m.groups.get(n))
            .filter(|g| g.present && g.guides == guides)
            .map(|g| g.outputs.clone());
        let outputs = match &kept {
            Some(o) => o.clone(),
            None => {
                self.rendered.fetch_add(guides.len(), Ordering::Relaxed);
                outputs
            }
        };
        if let Ok(mut groups) = self.groups.lock()
            && let Some(slot) = groups.get_mut(n)
        {
            *slot = Some(GroupEntry {
                guides,
                outputs,
                present: true,
            });
        }
        kept
    }

    /// Whether the site-wide unit `name` with `key` may be kept as the previous build wrote
    /// it (then its outputs), else `None`: it is to be rendered, into `outputs`. Records
    /// the unit in the new manifest either way (units are listed in the order recorded).
    pub fn unit(&self, name: &str, key: String, outputs: Vec<String>) -> Option<Vec<String>> {
        let kept = self
            .previous
            .as_ref()
            .and_then(|m| m.units.iter().find(|u| u.name == name))
            .filter(|u| u.present && u.key == key)
            .map(|u| u.outputs.clone());
        if let Ok(mut units) = self.units.lock() {
            units.push(UnitEntry {
                name: name.to_string(),
                key,
                outputs: kept.clone().unwrap_or(outputs),
                present: true,
            });
        }
        kept
    }

    /// Guides rendered so far (the others were kept).
    pub fn rendered(&self) -> usize {
        self.rendered.load(Ordering::Relaxed)
    }

    /// The new manifest, as JSON.
    pub fn finish(&self) -> Vec<u8> {
        self.manifest().to_json()
    }

    /// The new manifest (`serve` keeps it in memory for the next update).
    pub fn manifest(&self) -> Manifest {
        // Every group is recorded by a finished render; should one be missing, the
        // manifest lists none (the next build is a full one).
        let groups = self
            .groups
            .lock()
            .ok()
            .and_then(|g| g.iter().cloned().collect::<Option<Vec<_>>>())
            .unwrap_or_default();
        let units = self.units.lock().map(|u| u.clone()).unwrap_or_default();
        Manifest {
            format: FORMAT,
            binary: self.binary.clone(),
            site: self.site.clone(),
            groups,
            units,
        }
    }
}

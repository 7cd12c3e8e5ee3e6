//! The parts of the site-wide printables that each guide's pass can make from what it has
//! at hand ([`Parts`]): its sheet in the leaflet and poster packs (its A4 leaflet's and
//! poster's body, rendered in the pass anyway) and its booklet chapter (rendered with the
//! pass's template context, which holds the guide already). The packs and the booklet take
//! them instead of rendering every guide again; a guide whose pass did not run (its files
//! were kept by a rebuild) is rendered there as before. The bytes are the same either way.

use std::collections::BTreeSet;
use std::sync::Mutex;

use crate::render::context::Ctx;
use crate::render::print::BOOKLET_MAX;

/// What the passes left for the packs and the booklet, per guide (site order).
pub struct Parts<'a> {
    /// Each guide's chapter number in the booklet (printable guides only); all `None`
    /// when the site has no booklet and packs.
    numbers: Vec<Option<usize>>,
    /// The booklet's guides, for its links between chapters.
    pub(super) slugs: BTreeSet<&'a str>,
    /// Whether the passes make the booklet's chapters: not with a cache of pages
    /// (`serve`), which keeps each chapter under its own key.
    pub(super) chapters: bool,
    kept: Vec<Mutex<Part>>,
}

/// One guide's parts.
#[derive(Default)]
pub(super) struct Part {
    /// Its sheet in the leaflet pack.
    pub leaflet: Option<String>,
    /// Its sheet in the poster pack.
    pub poster: Option<String>,
    /// Its booklet chapter, ids made unique.
    pub chapter: Option<String>,
}

impl<'a> Parts<'a> {
    /// The parts of the guides of `ctx`: kept only when the site has the packs and the
    /// booklet (up to [`BOOKLET_MAX`] printable guides).
    pub fn new(ctx: &Ctx<'a>) -> Self {
        let count = ctx.printable().count();
        let mut n = 0;
        let numbers = ctx
            .guides
            .iter()
            .map(|v| {
                (count <= BOOKLET_MAX && v.applies_from.is_none()).then(|| {
                    n += 1;
                    n
                })
            })
            .collect();
        let slugs = match count <= BOOKLET_MAX {
            true => ctx.printable().map(|v| v.slug).collect(),
            false => BTreeSet::new(),
        };
        Parts {
            numbers,
            slugs,
            chapters: ctx.cache.is_none_or(|c| !c.keeps_pages()),
            kept: ctx.guides.iter().map(|_| Mutex::default()).collect(),
        }
    }

    /// Guide `i`'s chapter number in the booklet, when its parts are wanted.
    pub(super) fn number(&self, i: usize) -> Option<usize> {
        self.numbers.get(i).copied().flatten()
    }

    /// Keeps guide `i`'s parts.
    pub(super) fn put(&self, i: usize, part: Part) {
        if let Some(m) = self.kept.get(i) {
            *m.lock().unwrap_or_else(|e| e.into_inner()) = part;
        }
    }

    /// Takes one of guide `i`'s parts (`which` picks it), if its pass made it.
    pub(super) fn take(
        &self,
        i: usize,
        which: fn(&mut Part) -> &mut Option<String>,
    ) -> Option<String> {
        let m = self.kept.get(i)?;
        which(&mut m.lock().unwrap_or_else(|e| e.into_inner())).take()
    }
}

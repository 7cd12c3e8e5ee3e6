//! What a rebuild keeps: the decisions of a build made through a [`Plan`] (see
//! [`crate::render::manifest`]), taken before any view is made, so that the guides whose
//! files are all kept need only the outline of their view (no Markdown, no QR code).

use std::collections::BTreeMap;

use rayon::prelude::*;

use crate::content::Content;
use crate::render::kiosk::{self, GROUP, SEARCH_INDEX_URL};
use crate::render::manifest::{self, Plan};
use crate::render::print::{self, BOOKLET_MAX, Fit, LEAFLETS_URL, POSTERS_URL};
use crate::render::view::SiteView;

/// Outputs kept from the previous build (`Some`: their paths) or to render (`None`).
pub type Kept = Option<Vec<String>>;

/// What a build through a plan renders and keeps.
pub struct Decided {
    /// Each kiosk group (its guides' pages, printables and kiosk file).
    pub groups: Vec<Kept>,
    /// The index page and the category pages.
    pub lists: Kept,
    /// Each category's card sheet, by category id.
    pub sheets: BTreeMap<String, Kept>,
    /// The booklet, the print packs and the print index.
    pub rest: Kept,
    /// The search index.
    pub search: Kept,
    /// Per guide (site order): whether something rendered shows its full view.
    pub full: Vec<bool>,
}

impl Decided {
    /// Whether the card sheet of category `id` is rendered.
    pub fn sheet(&self, id: &str) -> bool {
        self.sheets.get(id).is_none_or(|k| k.is_none())
    }

    /// Every file of a kept site-wide unit.
    pub fn kept_units(&self) -> impl Iterator<Item = &String> {
        [&self.lists, &self.rest, &self.search]
            .into_iter()
            .chain(self.sheets.values())
            .flatten()
            .flatten()
    }
}

/// Decides, for the site of `c` (with site view `sv`, every guide's title by slug
/// `titles` and leaflet fits `fits`), what `plan` keeps; records every group and unit
/// in the new manifest.
pub fn decide(
    c: &Content,
    sv: &SiteView<'_>,
    plan: &Plan,
    titles: &BTreeMap<&str, &str>,
    fits: &[Fit],
) -> Decided {
    let keys: Vec<String> = c
        .guides
        .par_iter()
        .zip(c.portal_urls.par_iter())
        .zip(fits.par_iter())
        .map(|((g, url), f)| {
            manifest::guide_key(manifest::view_input(c, titles, g, url), f.level())
        })
        .collect();
    let groups: Vec<Kept> = c
        .guides
        .chunks(GROUP)
        .zip(keys.chunks(GROUP))
        .enumerate()
        .map(|(n, (gs, ks))| {
            let members = gs.iter().zip(ks).map(|(g, k)| (g.slug.clone(), k.clone()));
            let outputs =
                manifest::group_outputs(n, gs.iter().map(|g| (g.slug.as_str(), !c.pending(g))));
            plan.group(n, members.collect(), outputs)
        })
        .collect();
    // The lists, the print index, the booklet and packs and the search index show every
    // guide: any change of one renders them again.
    let all = manifest::unit_key(keys.iter().map(String::as_str));
    let mut lists = vec!["index.html".to_string()];
    lists.extend(sv.categories.iter().map(|cat| cat.url.clone()));
    let lists = plan.unit("lists", all.clone(), lists);
    let sheets: BTreeMap<String, Kept> = sv
        .categories
        .iter()
        .map(|cat| {
            let members = || (0..c.guides.len()).filter(|&i| c.guides[i].category == cat.id);
            let key = manifest::unit_key(members().map(|i| keys[i].as_str()));
            let outputs = match members().any(|i| !c.pending(&c.guides[i])) {
                true => vec![print::cards_url(cat.id)],
                false => Vec::new(),
            };
            let kept = plan.unit(&format!("cards {}", cat.id), key, outputs);
            (cat.id.to_string(), kept)
        })
        .collect();
    let booklet = c.guides.iter().filter(|g| !c.pending(g)).count() <= BOOKLET_MAX;
    let mut rest = vec![print::INDEX_URL.to_string()];
    if booklet {
        rest.extend([print::BOOKLET_URL, LEAFLETS_URL, POSTERS_URL].map(String::from));
    }
    let rest = plan.unit("print", all.clone(), rest);
    let search = plan.unit("search", all, vec![SEARCH_INDEX_URL.to_string()]);
    let full = c
        .guides
        .iter()
        .enumerate()
        .map(|(i, g)| {
            groups[i / kiosk::GROUP].is_none()
                || (!c.pending(g) && sheets.get(&g.category).is_none_or(|k| k.is_none()))
                || (booklet && rest.is_none())
        })
        .collect();
    Decided {
        groups,
        lists,
        sheets,
        rest,
        search,
        full,
    }
}

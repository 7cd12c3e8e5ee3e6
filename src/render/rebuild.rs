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

/// Whether `plan` keeps the search index of the site of `c` (then its files), recorded
/// in the new manifest. The index is made from the guides as read and the site only (not
/// their views or fits), so this is known before anything else is (and the index can be
/// made alongside).
pub fn search(c: &Content, plan: &Plan) -> Kept {
    let hashes: Vec<u128> = c.guides.par_iter().map(manifest::guide_hash).collect();
    let key = manifest::value_key(&hashes);
    plan.unit("search", key, vec![SEARCH_INDEX_URL.to_string()])
}

/// Decides, for the site of `c` (with site view `sv`, every guide's title by slug
/// `titles` and leaflet fits `fits`), what `plan` keeps; records every group and unit
/// but the search index in the new manifest (`search`: what [`search`] decided).
pub fn decide(
    c: &Content,
    sv: &SiteView<'_>,
    plan: &Plan,
    titles: &BTreeMap<&str, &str>,
    fits: &[Fit],
    search: Kept,
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
    // The print index, the booklet and packs show every guide: any change of one renders
    // them again.
    let all = manifest::unit_key(keys.iter().map(String::as_str));
    let lists = lists(c, sv, plan);
    let sheets = sheets(c, sv, plan);
    let booklet = c.guides.iter().filter(|g| !c.pending(g)).count() <= BOOKLET_MAX;
    let mut rest = vec![print::INDEX_URL.to_string()];
    if booklet {
        rest.extend([print::BOOKLET_URL, LEAFLETS_URL, POSTERS_URL].map(String::from));
    }
    let rest = plan.unit("print", all, rest);
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

/// Whether `plan` keeps the index and category pages. They show each guide's link (see
/// `Ctx::links`): only a change of one renders them again.
fn lists(c: &Content, sv: &SiteView<'_>, plan: &Plan) -> Kept {
    let links: Vec<_> = c
        .guides
        .iter()
        .map(|g| {
            let link = (&g.title, &g.question, &g.summary, &g.code, g.online_level);
            (&g.slug, &g.category, link)
        })
        .collect();
    let mut lists = vec!["index.html".to_string()];
    lists.extend(sv.categories.iter().map(|cat| cat.url.clone()));
    plan.unit("lists", manifest::value_key(&links), lists)
}

/// Whether `plan` keeps each category's QR card sheet, by category id. A card shows the
/// guide's title, question and QR code (of its portal URL), when it has printables (see
/// `print::render_only`): only a change of those renders the sheet again.
fn sheets(c: &Content, sv: &SiteView<'_>, plan: &Plan) -> BTreeMap<String, Kept> {
    sv.categories
        .iter()
        .map(|cat| {
            let members = || (0..c.guides.len()).filter(|&i| c.guides[i].category == cat.id);
            let cards: Vec<_> = members()
                .map(|i| {
                    let g = &c.guides[i];
                    let url = c.portal_urls.get(i);
                    (&g.slug, &g.title, &g.question, url, c.pending(g))
                })
                .collect();
            let key = manifest::value_key(&cards);
            let outputs = match members().any(|i| !c.pending(&c.guides[i])) {
                true => vec![print::cards_url(cat.id)],
                false => Vec::new(),
            };
            let kept = plan.unit(&format!("cards {}", cat.id), key, outputs);
            (cat.id.to_string(), kept)
        })
        .collect()
}

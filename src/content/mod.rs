//! The content stage: files → checked data. Reading files (UTF-8, NFC, paths) is in
//! [`files`], YAML in [`yaml`] (the only module that touches `serde_yaml`), the typed
//! reading of YAML nodes in [`schema`], guides in [`guide`], `site.yaml` in [`config`],
//! portal URLs and the allowlist in [`portal`], cross-file checks in [`validate`], the
//! authoring warnings in [`review`] and the results of `camnang links` in [`links`].
//!
//! ```text
//! site.yaml ──► config::load ─┐
//! guides/*  ──► guide::load ──┼─► validate (cross-file) ─► Content
//!             (parallel)      │    slugs, codes, categories,
//!                             │    links, portal allowlist
//! ```
//!
//! Nothing here imports from rendering, output or commands.

pub mod config;
pub mod files;
pub mod guide;
pub mod links;
pub mod markdown;
pub mod offices;
pub mod parse_cache;
pub mod portal;
pub mod record;
pub mod review;
pub mod schema;
mod status;
pub mod validate;
pub mod yaml;

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::content::config::Site;
use crate::content::guide::{Date, Guide};
use crate::content::offices::Offices;
use crate::content::record::Record;
use crate::error::{Diagnostic, Diagnostics, Pos};
use crate::tx;

/// Everything read and checked from a content folder.
#[derive(Debug)]
pub struct Content {
    pub root: PathBuf,
    pub site: Site,
    /// Sorted by category order, then Vietnamese title order.
    pub guides: Vec<Guide>,
    /// The checked portal URL of each guide (same order as `guides`).
    pub portal_urls: Vec<String>,
    /// The provinces and offices (`offices/`, `provinces/`); empty for a one-office site.
    pub offices: Offices,
    /// The office whose content this is ([`Content::for_office`]); `None` for the whole
    /// content folder.
    pub office: Option<String>,
    /// The last results of `camnang links` (`links.yaml`; empty when there is none).
    pub links: links::Links,
    /// Warnings (errors make [`load_content`] fail).
    pub warnings: Diagnostics,
    /// Guides left out of the site, kiosk, search and printables: marked `status: abolished`
    /// or whose official record is no longer in force (see [`record`]).
    pub withheld: Vec<Guide>,
    /// The saved official records (`records/*.json`) by procedure code.
    pub records: std::collections::BTreeMap<String, Record>,
    /// The day the site is built for: a guide whose `effective_from` is after it is shown
    /// with that date and kept off the printables. Today, unless a command sets it (`--today`).
    pub today: Date,
}

impl Content {
    /// Whether guide `g` applies only from a day after [`Content::today`]: then its page
    /// says so and it has no printables.
    pub fn pending(&self, g: &Guide) -> bool {
        g.effective_from.is_some_and(|d| d > self.today)
    }
}

/// Reads and checks the whole content folder. All problems of all files are collected.
pub fn load_content(root: &Path) -> Result<Content, Diagnostics> {
    load_content_with(root, &|f| guide::load(root, f))
}

/// One guide file read and checked: the guide (if it could be built) and its problems.
pub type Loaded = (Option<Guide>, Vec<Diagnostic>);

/// [`load_content`] with a custom per-file loader, so `serve` can reuse the guides it
/// loaded before (see [`crate::commands::serve::session`]). `load` must behave like [`guide::load`].
pub fn load_content_with(
    root: &Path,
    load: &(dyn Fn(&files::GuideFile) -> Loaded + Sync),
) -> Result<Content, Diagnostics> {
    let mut diags = Diagnostics::default();
    let site = match config::load(root) {
        Ok(s) => Some(s),
        Err(d) => {
            diags.extend(d);
            None
        }
    };
    let offices = offices::load(root, &mut diags);
    let files = match files::guide_files(root) {
        Ok(f) => f,
        Err(d) => {
            diags.push(d);
            Vec::new()
        }
    };
    let parsed: Vec<Loaded> = files.par_iter().map(load).collect();
    let mut guides = Vec::with_capacity(parsed.len());
    for (g, d) in parsed {
        diags.extend(d);
        guides.extend(g);
    }
    let Some(site) = site else {
        diags.sort();
        return Err(diags);
    };
    if guides.is_empty() && files.is_empty() && !diags.has_errors() {
        diags.push(no_guides());
    }
    let mut portal_urls = validate_all(root, &site, &offices, &guides, &mut diags);
    let (records, record_diags) = record::load_all(root);
    diags.extend(record_diags);
    let withheld = status::compare(&mut guides, &mut portal_urls, &records, &mut diags);
    let (links, link_diags) = links::load(root);
    diags.extend(link_diags);
    diags.sort();
    if diags.has_errors() {
        return Err(diags);
    }
    let cat_index = |g: &Guide| site.categories.iter().position(|c| c.id == g.category);
    let mut keys: Vec<_> = guides
        .par_iter()
        .enumerate()
        .map(|(i, g)| (cat_index(g), crate::vn::sort_key(&g.title), i))
        .collect();
    keys.par_sort_unstable();
    let order: Vec<usize> = keys.into_iter().map(|k| k.2).collect();
    let mut slots: Vec<Option<Guide>> = guides.into_iter().map(Some).collect();
    let guides: Vec<Guide> = order.iter().filter_map(|&i| slots[i].take()).collect();
    let portal_urls = order.iter().map(|&i| portal_urls[i].clone()).collect();
    Ok(Content {
        root: root.to_path_buf(),
        site,
        guides,
        portal_urls,
        offices,
        office: None,
        links,
        warnings: diags,
        withheld,
        records,
        today: Date::today(),
    })
}

/// The error of a content folder without guides.
fn no_guides() -> Diagnostic {
    Diagnostic::error(
        "guides",
        Pos::default(),
        "",
        tx!(
            "there are no guides in `guides/`",
            "thư mục `guides/` chưa có hướng dẫn nào"
        ),
    )
    .hint(tx!(
        "create one with `camnang new SLUG`",
        "tạo hướng dẫn mới bằng `camnang new TÊN`"
    ))
}

/// The checks that need every file ([`validate`], [`offices::check`]); the portal URL
/// of each guide. QR links are checked once against every host some province allows, each
/// office's against its own province's.
fn validate_all(
    root: &Path,
    site: &Site,
    offices: &Offices,
    guides: &[Guide],
    diags: &mut Diagnostics,
) -> Vec<String> {
    let mut checked = site.clone();
    checked
        .portal
        .allowed_hosts
        .extend(offices.all_hosts().cloned());
    let portal_urls = validate::validate(root, &checked, guides, diags);
    offices::check(offices, site, guides, &portal_urls, diags);
    portal_urls
}

impl Content {
    /// The content of office `id` (see [`offices`]), if there is such an office.
    pub fn for_office(&self, id: &str) -> Option<Content> {
        self.offices
            .office(id)
            .map(|o| offices::layer::apply(self, o))
    }
}

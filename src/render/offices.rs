//! A content folder with offices (issue #15): one complete site per office in its own
//! folder `<id>/` (each works alone, e.g. copied to a USB stick), and at the top a province
//! index listing the offices. Work shared by the offices is done once: every office renders
//! with the same [`PageCache`], which keeps Markdown, QR codes, search terms, the theme and
//! the pages of a guide that offices see the same (see [`crate::render::context`]).

use rayon::prelude::*;
use serde::Serialize;

use crate::content::Content;
use crate::content::offices::OfficeSite;
use crate::error::{Diagnostic, Diagnostics, Error};
use crate::progress::{Progress, Quiet};
use crate::render::cache::PageCache;
use crate::render::context::{base_context, tmpl_err};
use crate::render::manifest::Manifest;
use crate::render::sink::{OutputFile, Prefixed, Sink};
use crate::render::site::{site_into, site_planned};
use crate::render::view::site_view;

#[derive(Serialize)]
struct ProvinceView<'a> {
    id: &'a str,
    name: &'a str,
    hotline: Option<&'a str>,
    offices: Vec<OfficeLink<'a>>,
}

#[derive(Serialize)]
struct OfficeLink<'a> {
    id: &'a str,
    name: &'a str,
    address: &'a str,
    phone: &'a str,
    guides: usize,
}

/// Renders the site of every office (or only `only`) and the province index into `sink`;
/// returns the warnings of rendering (each once). `cache` may be shared with an earlier
/// render (`serve`).
pub fn offices_into(
    c: &Content,
    only: Option<&str>,
    progress: &dyn Progress,
    cache: &PageCache,
    sink: &dyn Sink,
) -> Result<Vec<Diagnostic>, Error> {
    offices_planned(c, only, progress, cache, None, sink)
}

/// Each office's manifest by office id (see [`crate::render::manifest`]), or the site's
/// under `""` when it has no offices: `serve` keeps them between updates.
pub type Manifests = std::collections::BTreeMap<String, Manifest>;

/// [`offices_into`]; with `plans` (`serve`, whose sink keeps files from its previous
/// render), each office renders through a plan made with its manifest in `plans`, which
/// then holds its new one.
///
/// The offices render in parallel (two at a time on two cores): most of an office's work
/// is its own site-wide pages, print packs and files, which one office does one after the
/// other. The progress counts offices.
pub fn offices_planned(
    c: &Content,
    only: Option<&str>,
    progress: &dyn Progress,
    cache: &PageCache,
    mut plans: Option<&mut Manifests>,
    sink: &dyn Sink,
) -> Result<Vec<Diagnostic>, Error> {
    let offices: Vec<&OfficeSite> = c
        .offices
        .offices
        .iter()
        .filter(|o| only.is_none_or(|id| id == o.id))
        .collect();
    // Each office's previous manifest, taken out for its render (`None`: no plans).
    let previous: Vec<Option<Option<Manifest>>> = offices
        .iter()
        .map(|o| plans.as_deref_mut().map(|p| p.remove(&o.id)))
        .collect();
    progress.stage("render", offices.len());
    let done = offices
        .into_par_iter()
        .zip(previous)
        .map(|(o, previous)| {
            let done = office(c, o, previous, cache, sink);
            progress.tick();
            done
        })
        .collect::<Result<Vec<_>, Error>>()?;
    let mut warnings = Vec::new();
    let mut counts = Vec::new();
    for (id, guides, w, manifest) in done.into_iter().flatten() {
        warnings.extend(w);
        counts.push((id, guides));
        if let (Some(plans), Some(m)) = (plans.as_deref_mut(), manifest) {
            plans.insert(id.to_string(), m);
        }
    }
    if only.is_none() {
        province_index(c, &counts, cache, sink)?;
    }
    // The same guide's warning (e.g. a long leaflet) once, not once per office.
    let mut seen = std::collections::HashSet::new();
    warnings.retain(|d| seen.insert(format!("{}:{:?}:{}:{:?}", d.file, d.pos, d.key, d.message)));
    Ok(warnings)
}

/// What one office's render gives back: its id, its number of guides, the warnings and,
/// through a plan, its new manifest.
type Done<'c> = (&'c str, usize, Vec<Diagnostic>, Option<Manifest>);

/// Renders office `o`'s site into its folder of `sink`; with `previous` (`Some`, even of
/// `None`), through a plan made with that manifest.
fn office<'c>(
    c: &Content,
    o: &'c OfficeSite,
    previous: Option<Option<Manifest>>,
    cache: &PageCache,
    sink: &dyn Sink,
) -> Result<Option<Done<'c>>, Error> {
    let Some(oc) = c.for_office(&o.id) else {
        return Ok(None);
    };
    let inner = Prefixed {
        prefix: format!("{}/", o.id),
        inner: sink,
    };
    let (warnings, manifest) = match previous {
        Some(previous) => {
            let (w, plan) = site_planned(&oc, &Quiet, Some(cache), previous, &inner)?;
            (w, Some(plan.manifest()))
        }
        None => (site_into(&oc, &Quiet, Some(cache), &inner)?, None),
    };
    Ok(Some((&o.id, oc.guides.len(), warnings, manifest)))
}

/// Renders the site of `c` into `sink` ([`site_into`]); with `plans`, through the plan
/// made with its manifest under `key` there ([`site_planned`]), which then holds the new one.
pub fn site_keyed(
    c: &Content,
    progress: &dyn Progress,
    cache: Option<&PageCache>,
    plans: Option<&mut Manifests>,
    key: &str,
    sink: &dyn Sink,
) -> Result<Vec<Diagnostic>, Error> {
    let Some(plans) = plans else {
        return site_into(c, progress, cache, sink);
    };
    let previous = plans.remove(key);
    let (warnings, plan) = site_planned(c, progress, cache, previous, sink)?;
    plans.insert(key.to_string(), plan.manifest());
    Ok(warnings)
}

/// The page at the top of the output, listing the offices by province, with the theme's
/// files it needs.
/// The theme is the one the offices' sites were rendered with (kept by `cache`).
fn province_index(
    c: &Content,
    counts: &[(&str, usize)],
    cache: &PageCache,
    sink: &dyn Sink,
) -> Result<(), Error> {
    let theme = cache
        .theme(&c.root, c.site.language)
        .map_err(|d| Error::Content(Diagnostics(d)))?;
    let provinces: Vec<ProvinceView<'_>> = c
        .offices
        .provinces
        .iter()
        .map(|p| ProvinceView {
            id: &p.id,
            name: &p.name,
            hotline: p.hotline.as_deref(),
            offices: c
                .offices
                .offices
                .iter()
                .filter(|o| o.province == p.id)
                .map(|o| OfficeLink {
                    id: &o.id,
                    name: &o.office.name,
                    address: &o.office.address,
                    phone: &o.office.phone,
                    guides: counts.iter().find(|(id, _)| *id == o.id).map_or(0, |x| x.1),
                })
                .collect(),
        })
        .filter(|p| !p.offices.is_empty())
        .collect();
    let sv = site_view(c);
    let mut tc = base_context(&sv, &theme.strings)?;
    tc.insert("root", "");
    tc.insert("provinces", &provinces);
    let (html, parts) = theme
        .render("offices.html", &tc)
        .map_err(|e| tmpl_err(&e))?;
    if parts > 0 {
        return Err(tmpl_err(&tera::Error::msg(
            "offices.html lists every office: it cannot print one office's part, office(…)",
        )));
    }
    sink.put(OutputFile::bytes("index.html", html))?;
    for (name, bytes) in &theme.statics {
        if name.ends_with(".css") || name.starts_with("fonts/") {
            sink.put(OutputFile::bytes(format!("assets/{name}"), bytes.clone()))?;
        }
    }
    Ok(())
}

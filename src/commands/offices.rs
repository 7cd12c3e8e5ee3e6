//! How `build` handles a content folder with offices (see [`crate::content::offices`]):
//! `--office ID` picks one office's site, otherwise every office is built into its own
//! folder with the province index at the top.

use std::path::PathBuf;

use crate::commands::build::BuildOptions;
use crate::content::Content;
use crate::error::{Diagnostic, Error, closest};
use crate::output::staging;
use crate::progress::Progress;
use crate::render::cache::PageCache;
use crate::render::offices::Manifests;
use crate::render::sink::{OutputFile, Sink};
use crate::render::{self, print};
use crate::tx;

/// The content and output folder of a build: with `--office ID`, that office's content
/// and `out/<id>/`; else everything and `out`.
pub fn select(content: Content, opts: &BuildOptions) -> Result<(Content, PathBuf), Error> {
    let Some(id) = &opts.office else {
        return Ok((content, opts.out.clone()));
    };
    let lang = opts.lang.unwrap_or(content.site.language);
    if content.offices.is_empty() {
        let text = tx!(
            "--office {}: {} has no offices (no `offices/` folder)\n  hint: leave out --office to build the site",
            "--office {}: {} không có phường, xã nào (không có thư mục `offices/`)\n  gợi ý: bỏ --office để dựng trang",
            id,
            opts.content.display()
        );
        return Err(Error::Other(text.get(lang).to_string()));
    }
    let Some(mut one) = content.for_office(id) else {
        let ids: Vec<&str> = content
            .offices
            .offices
            .iter()
            .map(|o| o.id.as_str())
            .collect();
        let hint = match closest(id, ids.iter().copied()) {
            Some(c) => tx!("did you mean `{}`?", "có phải ý bạn là `{}`?", c),
            None => tx!(
                "the offices are: {}",
                "các phường, xã có: {}",
                ids.join(", ")
            ),
        };
        let text = tx!(
            "--office {}: there is no file offices/{}.yaml\n  hint: {}",
            "--office {}: không có tệp offices/{}.yaml\n  gợi ý: {}",
            id,
            id,
            hint.get(lang)
        );
        return Err(Error::Other(text.get(lang).to_string()));
    };
    one.warnings = content.warnings;
    let out = opts.out.join(id);
    let lang = opts.lang.unwrap_or(one.site.language);
    staging::check_target(&opts.out, &opts.content, lang)?;
    staging::check_target(&out, &opts.content, lang)?;
    // A new output folder is camnang's, so a later build of every office may replace it.
    let new = std::fs::read_dir(&opts.out).map_or(true, |mut d| d.next().is_none());
    if new {
        std::fs::create_dir_all(&opts.out).map_err(|e| Error::io(&opts.out, e))?;
        let marker = opts.out.join(staging::MARKER);
        std::fs::write(&marker, staging::MARKER_TEXT).map_err(|e| Error::io(&marker, e))?;
    }
    Ok((one, out))
}

/// Renders the site into `sink`: one site, or each office's in its folder and the
/// province index. Returns the warnings of rendering. `cache`: pages and shared work of an
/// earlier render (`serve`). With `plans` (`build` and `serve`), through the manifests of
/// the previous render (see [`render::offices::site_keyed`]), which are replaced by the new
/// ones: those of offices no longer there (or of the site, once it has offices) go.
pub fn render_planned(
    c: &Content,
    progress: &dyn Progress,
    cache: Option<&PageCache>,
    mut plans: Option<&mut Manifests>,
    sink: &dyn Sink,
) -> Result<Vec<Diagnostic>, Error> {
    if let Some(plans) = plans.as_deref_mut() {
        let ids: Vec<&str> = c.offices.offices.iter().map(|o| o.id.as_str()).collect();
        plans.retain(|k, _| match ids.is_empty() {
            true => k.is_empty(),
            false => ids.contains(&k.as_str()),
        });
    }
    if c.offices.is_empty() {
        return render::offices::site_keyed(c, progress, cache, plans, "", sink);
    }
    // A build's own cache shares work and a guide's own pages between the offices.
    let own = PageCache::shared_only();
    let cache = cache.unwrap_or(&own);
    let warnings = render::offices::offices_planned(c, None, progress, cache, plans, sink)?;
    // Each office's folder is an output of its own for `build --office`.
    for o in &c.offices.offices {
        sink.put(OutputFile::bytes(
            format!("{}/{}", o.id, staging::MARKER),
            staging::MARKER_TEXT,
        ))?;
    }
    Ok(warnings)
}

/// `serve`'s bar for switching between the offices' previews (none without offices): a
/// link to the province index and one to each office's site.
pub fn switcher(c: &Content) -> Option<String> {
    if c.offices.is_empty() {
        return None;
    }
    let esc = crate::render::theme::escape_html;
    let (label, all) = match c.site.language {
        crate::i18n::Lang::Vi => ("Xem trước", "Tất cả phường, xã"),
        crate::i18n::Lang::En => ("Preview", "All offices"),
    };
    let mut html = format!(
        "<nav aria-label=\"{label}\" style=\"position:sticky;top:0;z-index:99;background:#222;color:#fff;font:16px/1.6 system-ui,sans-serif;padding:.3rem .8rem\">{label}: <a style=\"color:#fff\" href=\"/index.html\">{all}</a>"
    );
    for o in &c.offices.offices {
        html.push_str(&format!(
            " · <a style=\"color:#fff\" href=\"/{}/index.html\">{}</a>",
            o.id,
            esc(&o.office.name)
        ));
    }
    html.push_str("</nav>");
    Some(html)
}

/// The folders (ending in `/`, or empty) that hold a complete site: the output itself, or
/// each office's folder.
pub fn folders(c: &Content) -> Vec<String> {
    if c.offices.is_empty() {
        return vec![String::new()];
    }
    c.offices
        .offices
        .iter()
        .map(|o| format!("{}/", o.id))
        .collect()
}

/// The PDF of printable `html` (a path of the output), also inside an office's folder.
pub fn pdf_path(c: &Content, html: &str) -> Option<String> {
    if c.offices.is_empty() {
        return print::pdf_path(html);
    }
    let (id, rest) = html.split_once('/')?;
    c.offices.office(id)?;
    print::pdf_path(rest).map(|p| format!("{id}/{p}"))
}

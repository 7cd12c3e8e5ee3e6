//! `camnang build`: load → check → render → write (see the crate documentation).

use std::path::{Path, PathBuf};

use crate::commands::offices;
use crate::content::guide::Date;
use crate::content::parse_cache::{self, ParseCache};
use crate::content::{config, load_content_with};
use crate::error::{Diagnostics, Error, Severity};
use crate::i18n::Lang;
use crate::output::{pdf, staging, zip};
use crate::progress::Progress;
use crate::render;
use crate::render::manifest::{self, Manifest};
use crate::render::sink::Sink;

/// What to build, and how.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub content: PathBuf,
    pub out: PathBuf,
    /// Overrides `site.yaml`'s language for the generated pages.
    pub lang: Option<Lang>,
    /// Warnings fail the build.
    pub strict: bool,
    /// Also print every leaflet, poster and the booklet to PDF with a local Chromium (issue #4).
    pub pdf: bool,
    /// Also write the kiosk folder as a zip for a USB stick (issue #5).
    pub zip: bool,
    /// With offices (`offices/`): build only this office's site, into `out/<id>/`.
    pub office: Option<String>,
    /// Build as if on this day (`--today`; default: today): it decides which guides apply
    /// already (`effective_from`).
    pub today: Option<Date>,
    /// Set (by a signal handler) to stop the build before it changes the output.
    pub stop: staging::StopFlag,
}

impl BuildOptions {
    /// Options with defaults for everything but the folders.
    pub fn new(content: impl Into<PathBuf>, out: impl Into<PathBuf>) -> Self {
        BuildOptions {
            content: content.into(),
            out: out.into(),
            lang: None,
            strict: false,
            pdf: false,
            zip: false,
            office: None,
            today: None,
            stop: staging::StopFlag::default(),
        }
    }
}

/// What a successful build made.
#[derive(Debug, Clone)]
pub struct Report {
    pub guides: usize,
    /// Offices built, each into its own folder (0: one site, also with `--office`).
    pub offices: usize,
    /// Guides rendered: all of them, but in a rebuild whose manifest says which did not
    /// change (see [`crate::render::manifest`]). With offices, always the number of guides
    /// (each office's rebuild goes through its own manifest, but is not counted here).
    pub rendered: usize,
    /// Guide files parsed: all of them, but in a rebuild whose parse cache holds the
    /// unchanged ones (see [`crate::content::parse_cache`]).
    pub parsed: usize,
    /// Files of the site.
    pub files: usize,
    /// Files written because they are new or changed (the others were left as they were).
    pub changed: usize,
    /// Files of the previous output that the site no longer has, removed.
    pub removed: usize,
    /// With `--pdf`: how many PDFs were printed, and how many kept from the previous output.
    pub pdfs: Option<pdf::Printed>,
    pub warnings: Diagnostics,
}

/// Builds the site into `opts.out`. On any error the previous output stays as it was.
pub fn build(opts: &BuildOptions, progress: &dyn Progress) -> Result<Report, Error> {
    let lang = opts
        .lang
        .unwrap_or_else(|| config::peek_language(&opts.content).unwrap_or_default());
    staging::check_target(&opts.out, &opts.content, lang)?;
    // Finishes or removes what killed builds left beside the output, before anything else.
    staging::repair(&opts.out)?;
    progress.stage("load", 0);
    let cache = open_cache(opts);
    let content = load_content_with(&opts.content, &|f| cache.load(f)).map_err(Error::Content)?;
    let parsed = cache.parsed();
    // `--office ID`: that office's content, built as a site of its own into `out/<id>/`.
    let (mut content, out) = offices::select(content, opts)?;
    let opts = &BuildOptions {
        out,
        ..opts.clone()
    };
    if let Some(l) = opts.lang {
        content.site.language = l;
    }
    if let Some(t) = opts.today {
        content.today = t;
    }
    // `--pdf` needs a browser: look for it before doing any work.
    let browser = if opts.pdf {
        content.site.pdf = true;
        Some(pdf::find(opts.lang.unwrap_or(content.site.language))?)
    } else {
        None
    };
    let mut warnings = content.warnings.clone();
    warnings.extend(crate::content::review::warnings(&content));
    warnings.sort();
    // Warnings known before rendering fail a strict build before anything is written.
    strict_check(opts, &warnings)?;
    // Files stream into the staging area as they are rendered.
    let staging = staging::Staging::new(&opts.out, opts.pdf || opts.zip, opts.stop.clone())?;
    let mut site = render_site(&content, opts, progress, &staging, cache)?;
    let (rendered_guides, manifest_file) = (site.rendered, site.manifest);
    warnings.extend(std::mem::take(&mut site.warnings));
    warnings.sort();
    strict_check(opts, &warnings)?;
    if opts.zip {
        for dir in offices::folders(&content) {
            let mut z = zip::zip(&staging.dir().join(&dir))?;
            z.path.insert_str(0, &dir);
            Sink::put(&staging, z)?;
        }
    }
    let pdfs = match &browser {
        Some(b) => Some(print_pdfs(b, &content, opts, &staging, progress)?),
        None => None,
    };
    progress.stage("write", 0);
    // A new manifest: the old one goes before any file moves, so that a build stopped
    // halfway through the commit leaves no manifest that vouches for files it replaced
    // (the next build is then a full one).
    if staging.in_place() {
        for stale in &site.stale {
            let _ = std::fs::remove_file(opts.out.join(stale));
        }
    }
    let written = staging.commit()?;
    let guides = content.guides.len();
    let offices = content.offices.offices.len();
    // Freeing 5,000 guides took a tenth of a rebuild that changed nothing: not waited
    // for (where no thread can be started, freed here).
    let _ = std::thread::Builder::new().spawn(move || drop(content));
    Ok(Report {
        guides,
        offices,
        rendered: rendered_guides,
        parsed,
        files: written.files - manifest_file.0,
        changed: written.changed - manifest_file.1,
        removed: written.removed,
        pdfs,
        warnings,
    })
}

/// The parse cache of the content: guide files read as the previous build in `opts.out`
/// read them are taken from it.
fn open_cache(opts: &BuildOptions) -> ParseCache {
    let previous = parse_cache::read(&opts.out);
    ParseCache::new(&opts.content, previous, manifest::binary_key())
}

/// Prints every printable of the staged site to PDF (`--pdf`).
fn print_pdfs(
    browser: &pdf::Browser,
    content: &crate::content::Content,
    opts: &BuildOptions,
    staging: &staging::Staging,
    progress: &dyn Progress,
) -> Result<pdf::Printed, Error> {
    let jobs: Vec<pdf::Job> = walkdir::WalkDir::new(staging.dir())
        .sort_by_file_name()
        .into_iter()
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let rel = e.path().strip_prefix(staging.dir()).ok()?;
            let rel = rel.to_string_lossy().replace('\\', "/");
            offices::pdf_path(content, &rel).map(|pdf| pdf::Job { html: rel, pdf })
        })
        .collect();
    let lang = opts.lang.unwrap_or(content.site.language);
    pdf::print_all(browser, &opts.out, staging.dir(), &jobs, lang, progress)
}

/// What [`render_site`] did.
struct SiteRender {
    warnings: Vec<crate::error::Diagnostic>,
    /// Guides rendered.
    rendered: usize,
    /// The build's bookkeeping files (the manifest and the parse cache's files with one
    /// site, else none) and how many of them were written.
    manifest: (usize, usize),
    /// The manifests written that differ from the previous ones (relative to the output).
    stale: Vec<String>,
}

/// Renders the site into the staging. One site renders through the manifest of the previous build (see
/// [`crate::render::manifest`]); a site of several offices in full.
fn render_site(
    content: &crate::content::Content,
    opts: &BuildOptions,
    progress: &dyn Progress,
    staging: &staging::Staging,
    cache: ParseCache,
) -> Result<SiteRender, Error> {
    if !content.offices.is_empty() {
        return render_offices(content, opts, progress, staging);
    }
    let old = match staging.in_place() {
        true => std::fs::read(opts.out.join(manifest::PATH)).ok(),
        false => None,
    };
    let previous = old.as_deref().and_then(|b| previous_manifest(&opts.out, b));
    let withheld: Vec<&str> = content.withheld.iter().map(|g| g.file.as_str()).collect();
    // The parse cache: each file kept as it is when it is the previous one (the same guide
    // files, all taken from it), else written.
    let shards = cache.finish(&withheld);
    let files = shards.len();
    let mut parsed_changed = 0;
    for (i, file) in shards {
        let path = parse_cache::shard_path(i);
        match file {
            parse_cache::Finished::Same(_) if staging.in_place() => Sink::keep(staging, &path)?,
            parse_cache::Finished::Same(bytes) => {
                Sink::put(staging, render::sink::OutputFile::bytes(path, bytes))?;
            }
            parse_cache::Finished::New(bytes) => {
                parsed_changed += 1;
                Sink::put(staging, render::sink::OutputFile::bytes(path, bytes))?;
            }
        }
    }
    let built = render::site_build(content, progress, previous, staging)?;
    // The manifest and the parse cache are the build's bookkeeping, as the marker: not
    // counted as files of the site.
    let manifest_changed = old.as_ref() != Some(&built.manifest);
    let written = usize::from(manifest_changed) + parsed_changed;
    let stale = match manifest_changed {
        true => vec![manifest::PATH.to_string()],
        false => Vec::new(),
    };
    Ok(SiteRender {
        warnings: built.warnings,
        rendered: built.rendered,
        manifest: (1 + files, written),
        stale,
    })
}

/// Renders a site of several offices, each through the manifest its folder holds from the
/// previous build (`<id>/.camnang-manifest.json`, as a build of that office alone writes it:
/// the same render), and writes the new ones.
fn render_offices(
    content: &crate::content::Content,
    opts: &BuildOptions,
    progress: &dyn Progress,
    staging: &staging::Staging,
) -> Result<SiteRender, Error> {
    let path = |id: &str| format!("{id}/{}", manifest::PATH);
    let mut old = std::collections::BTreeMap::new();
    let mut plans = render::offices::Manifests::new();
    let offices = match staging.in_place() {
        true => content.offices.offices.as_slice(),
        false => &[],
    };
    for o in offices {
        if let Ok(bytes) = std::fs::read(opts.out.join(path(&o.id))) {
            if let Some(m) = previous_manifest(&opts.out.join(&o.id), &bytes) {
                plans.insert(o.id.clone(), m);
            }
            old.insert(o.id.clone(), bytes);
        }
    }
    let warnings = offices::render_planned(content, progress, None, Some(&mut plans), staging)?;
    let mut stale = Vec::new();
    for (id, m) in &plans {
        let json = m.to_json();
        if old.get(id) != Some(&json) {
            stale.push(path(id));
        }
        Sink::put(staging, render::sink::OutputFile::bytes(path(id), json))?;
    }
    Ok(SiteRender {
        warnings,
        rendered: content.guides.len(),
        manifest: (plans.len(), stale.len()),
        stale,
    })
}

/// The manifest of the build in `out` (`bytes`), with the groups whose files are all
/// still there marked; `None` when it cannot be read (a full build follows).
fn previous_manifest(out: &Path, bytes: &[u8]) -> Option<Manifest> {
    let mut m = Manifest::parse(bytes)?;
    m.check(|p| out.join(p).is_file());
    Some(m)
}

/// With `--strict`, warnings fail the build (reported as errors).
fn strict_check(opts: &BuildOptions, warnings: &Diagnostics) -> Result<(), Error> {
    if opts.strict && warnings.0.iter().any(|d| d.severity == Severity::Warning) {
        let mut as_errors = warnings.clone();
        for d in &mut as_errors.0 {
            d.severity = Severity::Error;
        }
        return Err(Error::Content(as_errors));
    }
    Ok(())
}

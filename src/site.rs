//! The pipeline in one page: load → parse → validate → render → write.
//!
//! ```text
//! site.yaml ──► config::load ─┐
//! guides/*  ──► guide::load ──┼─► validate (cross-file) ─► render::site_into ─► write::Staging
//!             (parallel)      │    slugs, codes, categories,   (pages,            (staging dir,
//!                             │    links, portal allowlist      leaflets,          changed files)
//!                             │                                 QR, kiosk)
//! ```

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::config::{self, Site};
use crate::error::{Diagnostic, Diagnostics, Error, Pos, Severity, closest};
use crate::guide::{self, Guide};
use crate::i18n::Lang;
use crate::load;
use crate::markdown::{self, Target};
use crate::portal;
use crate::render;
use crate::tx;
use crate::write;

/// Everything read and checked from a content folder.
#[derive(Debug)]
pub struct Content {
    pub root: PathBuf,
    pub site: Site,
    /// Sorted by category order, then Vietnamese title order.
    pub guides: Vec<Guide>,
    /// The checked portal URL of each guide (same order as `guides`).
    pub portal_urls: Vec<String>,
    /// Warnings (errors make [`load_content`] fail).
    pub warnings: Diagnostics,
}

/// Reads and checks the whole content folder. All problems of all files are collected.
pub fn load_content(root: &Path) -> Result<Content, Diagnostics> {
    load_content_with(root, &|f| guide::load(root, f))
}

/// One guide file read and checked: the guide (if it could be built) and its problems.
pub type Loaded = (Option<Guide>, Vec<Diagnostic>);

/// [`load_content`] with a custom per-file loader, so `serve` can reuse the guides it
/// loaded before (see [`crate::incremental`]). `load` must behave like [`guide::load`].
pub fn load_content_with(
    root: &Path,
    load: &(dyn Fn(&load::GuideFile) -> Loaded + Sync),
) -> Result<Content, Diagnostics> {
    let mut diags = Diagnostics::default();
    let site = match config::load(root) {
        Ok(s) => Some(s),
        Err(d) => {
            diags.extend(d);
            None
        }
    };
    let files = match load::guide_files(root) {
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
        diags.push(
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
            )),
        );
    }
    let portal_urls = validate(root, &site, &guides, &mut diags);
    diags.sort();
    if diags.has_errors() {
        return Err(diags);
    }
    let mut order: Vec<usize> = (0..guides.len()).collect();
    let cat_index = |g: &Guide| site.categories.iter().position(|c| c.id == g.category);
    order.sort_by_cached_key(|&i| {
        (
            cat_index(&guides[i]),
            crate::vn::sort_key(&guides[i].title),
            i,
        )
    });
    let mut slots: Vec<Option<Guide>> = guides.into_iter().map(Some).collect();
    let guides: Vec<Guide> = order.iter().filter_map(|&i| slots[i].take()).collect();
    let portal_urls = order.iter().map(|&i| portal_urls[i].clone()).collect();
    Ok(Content {
        root: root.to_path_buf(),
        site,
        guides,
        portal_urls,
        warnings: diags,
    })
}

/// Checks that need all guides, and resolves each guide's portal URL.
fn validate(root: &Path, site: &Site, guides: &[Guide], diags: &mut Diagnostics) -> Vec<String> {
    let mut slugs: HashMap<&str, &Guide> = HashMap::new();
    let mut codes: HashMap<&str, &Guide> = HashMap::new();
    for g in guides {
        if let Some(first) = slugs.insert(&g.slug, g) {
            diags.push(
                Diagnostic::error(
                    &g.file,
                    Pos::default(),
                    "",
                    tx!(
                        "slug `{}` is already used by {}",
                        "địa chỉ `{}` đã được dùng bởi {}",
                        g.slug,
                        first.file
                    ),
                )
                .hint(tx!(
                    "rename one of the two files",
                    "đổi tên một trong hai tệp"
                )),
            );
        }
        if let Some(code) = &g.code
            && let Some(first) = codes.insert(code, g)
        {
            diags.push(
                Diagnostic::error(
                    &g.file,
                    g.code_pos,
                    "code",
                    tx!(
                        "procedure code {} is already used by {}",
                        "mã thủ tục {} đã có trong {}",
                        code,
                        first.file
                    ),
                )
                .hint(tx!(
                    "one guide per procedure: merge the two, or correct the code",
                    "mỗi thủ tục một hướng dẫn: gộp hai tệp, hoặc sửa lại mã"
                )),
            );
        }
        if !g.category.is_empty() && site.category(&g.category).is_none() {
            let hint = match closest(&g.category, site.categories.iter().map(|c| c.id.as_str())) {
                Some(c) => tx!("did you mean `{}`?", "có phải ý bạn là `{}`?", c),
                None => {
                    let ids: Vec<&str> = site.categories.iter().map(|c| c.id.as_str()).collect();
                    tx!(
                        "categories in site.yaml: {}",
                        "các danh mục trong site.yaml: {}",
                        ids.join(", ")
                    )
                }
            };
            diags.push(
                Diagnostic::error(
                    &g.file,
                    g.category_pos,
                    "category",
                    tx!(
                        "unknown category `{}`",
                        "danh mục không tồn tại `{}`",
                        g.category
                    ),
                )
                .hint(hint),
            );
        }
    }
    let known: HashSet<&str> = slugs.keys().copied().collect();
    for g in guides {
        for (slug, pos) in &g.related {
            if !known.contains(slug.as_str()) {
                diags.push(broken_guide_link(g, *pos, "related", slug, &known));
            }
        }
        check_md_refs(root, site, g, &known, diags);
    }
    guides.iter().map(|g| portal_url(site, g, diags)).collect()
}

fn broken_guide_link(
    g: &Guide,
    pos: Pos,
    key: &str,
    slug: &str,
    known: &HashSet<&str>,
) -> Diagnostic {
    let hint = match closest(slug, known.iter().copied()) {
        Some(c) => tx!("did you mean `{}`?", "có phải ý bạn là `{}`?", c),
        None => tx!(
            "link to a guide by its file name, e.g. `dang-ky-ket-hon.yaml`",
            "liên kết tới hướng dẫn bằng tên tệp, ví dụ `dang-ky-ket-hon.yaml`"
        ),
    };
    Diagnostic::error(
        &g.file,
        pos,
        key,
        tx!(
            "no guide `{}`: broken link",
            "không có hướng dẫn `{}`: liên kết hỏng",
            slug
        ),
    )
    .hint(hint)
}

fn check_md_refs(
    root: &Path,
    site: &Site,
    g: &Guide,
    known: &HashSet<&str>,
    diags: &mut Diagnostics,
) {
    for r in &g.md_refs {
        match markdown::classify(&r.target) {
            Target::Anchor | Target::Contact => {}
            Target::Guide(slug) if !r.image => {
                if !known.contains(slug.as_str()) {
                    diags.push(broken_guide_link(g, r.pos, &r.key, &slug, known));
                }
            }
            Target::External if !r.image => {
                let cited = g.sources.iter().any(|s| s.url == r.target);
                if !cited && portal::check(&r.target, &site.portal.allowed_hosts).is_err() {
                    diags.push(
                        Diagnostic::error(
                            &g.file,
                            r.pos,
                            &r.key,
                            tx!(
                                "link to `{}` is neither a portal page nor a cited source",
                                "liên kết `{}` không phải trang của cổng dịch vụ công, cũng không phải nguồn đã trích dẫn",
                                r.target
                            ),
                        )
                        .hint(tx!(
                            "add it to `sources:` (title + url), or remove the link",
                            "thêm địa chỉ này vào `sources:` (title + url), hoặc bỏ liên kết"
                        )),
                    );
                }
            }
            Target::File(path) if r.image => {
                if let Err(p) = load::resolve_in(root, &path) {
                    let (msg, hint) = guide::path_problem_text(&path, p);
                    diags.push(Diagnostic::error(&g.file, r.pos, &r.key, msg).hint(hint));
                }
            }
            _ => {
                diags.push(
                    Diagnostic::error(
                        &g.file,
                        r.pos,
                        &r.key,
                        if r.image {
                            tx!(
                                "image `{}` must be a file in the content folder",
                                "ảnh `{}` phải là tệp trong thư mục nội dung",
                                r.target
                            )
                        } else {
                            tx!("link `{}` is not allowed", "liên kết `{}` không được phép", r.target)
                        },
                    )
                    .hint(if r.image {
                        tx!(
                            "copy the image into the content folder and write its path, e.g. `images/khai-sinh/buoc-1.png`: pages may not load anything from outside",
                            "chép ảnh vào thư mục nội dung và ghi đường dẫn, ví dụ `images/khai-sinh/buoc-1.png`: trang không được tải gì từ bên ngoài"
                        )
                    } else {
                        tx!(
                            "link to another guide (`ten-tep.yaml`), a cited source (https://…), a phone number (`tel:`) or a section (`#…`)",
                            "chỉ liên kết tới hướng dẫn khác (`ten-tep.yaml`), nguồn đã trích dẫn (https://…), số điện thoại (`tel:`) hoặc mục (`#…`)"
                        )
                    }),
                );
            }
        }
    }
}

/// The guide's portal URL (explicit, from its formality id, or from its code), checked
/// against the allowlist. Returns "" after recording an error.
fn portal_url(site: &Site, g: &Guide, diags: &mut Diagnostics) -> String {
    let hosts = &site.portal.allowed_hosts;
    let (url, key, pos) = if let Some((u, pos)) = &g.portal.url {
        (u.clone(), "portal.url", *pos)
    } else if let Some((id, pos)) = &g.portal.formality_id {
        let code = g.code.as_deref().unwrap_or("");
        match portal::fill(
            &site.portal.detail_url,
            &[("formality_id", id), ("code", code)],
        ) {
            Ok(u) => (u, "portal.formality_id", *pos),
            Err(_) => return String::new(), // reported on site.yaml
        }
    } else if let Some(code) = &g.code {
        match portal::fill(
            &site.portal.search_url,
            &[("code", code), ("formality_id", "")],
        ) {
            Ok(u) => (u, "code", g.code_pos),
            Err(_) => return String::new(),
        }
    } else {
        diags.push(
            Diagnostic::error(
                &g.file,
                Pos::START,
                "portal",
                tx!(
                    "the guide has no portal link: no `code`, `portal.formality_id` or `portal.url`",
                    "hướng dẫn chưa có liên kết tới cổng: thiếu `code`, `portal.formality_id` hoặc `portal.url`"
                ),
            )
            .hint(tx!(
                "add the procedure code, e.g. `code: \"1.001193\"`",
                "thêm mã thủ tục, ví dụ `code: \"1.001193\"`"
            )),
        );
        return String::new();
    };
    match portal::check(&url, hosts) {
        Ok(u) => u.to_string(),
        Err(why) => {
            diags.push(Diagnostic::error(&g.file, pos, key, why).hint(tx!(
                "QR codes may only lead to the official portal: an https address on {}",
                "mã QR chỉ được dẫn tới cổng chính thức: địa chỉ https trên {}",
                hosts.join(", ")
            )));
            String::new()
        }
    }
}

/// How a build goes (for progress output).
pub trait Progress: Sync {
    /// A stage starts; `total` is the number of items when known.
    fn stage(&self, name: &str, total: usize);
    /// One item of the current stage is done.
    fn tick(&self);
}

/// No progress output.
pub struct Quiet;
impl Progress for Quiet {
    fn stage(&self, _: &str, _: usize) {}
    fn tick(&self) {}
}

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
        }
    }
}

/// What a successful build made.
#[derive(Debug, Clone)]
pub struct Report {
    pub guides: usize,
    /// Files of the site.
    pub files: usize,
    /// Files written because they are new or changed (the others were left as they were).
    pub changed: usize,
    /// Files of the previous output that the site no longer has, removed.
    pub removed: usize,
    pub warnings: Diagnostics,
}

/// Builds the site into `opts.out`. On any error the previous output stays as it was.
pub fn build(opts: &BuildOptions, progress: &dyn Progress) -> Result<Report, Error> {
    write::check_target(&opts.out, &opts.content)?;
    progress.stage("load", 0);
    let mut content = load_content(&opts.content).map_err(Error::Content)?;
    if let Some(l) = opts.lang {
        content.site.language = l;
    }
    // `--pdf` needs a browser: look for it before doing any work.
    let browser = if opts.pdf {
        content.site.pdf = true;
        Some(crate::pdf::find(
            opts.lang.unwrap_or(content.site.language),
        )?)
    } else {
        None
    };
    let mut warnings = content.warnings.clone();
    warnings.extend(crate::check::warnings(&content));
    warnings.sort();
    // Warnings known before rendering fail a strict build before anything is written.
    strict_check(opts, &warnings)?;
    // Files stream into the staging area as they are rendered.
    let staging = write::Staging::new(&opts.out, opts.pdf || opts.zip)?;
    let rendered = render::site_into(&content, progress, None, &staging)?;
    warnings.extend(rendered);
    warnings.sort();
    strict_check(opts, &warnings)?;
    if opts.zip {
        let z = crate::kiosk::zip(staging.dir())?;
        write::Sink::put(&staging, z)?;
    }
    if let Some(b) = &browser {
        let jobs: Vec<crate::pdf::Job> = walkdir::WalkDir::new(staging.dir())
            .sort_by_file_name()
            .into_iter()
            .filter_map(|e| e.ok())
            .filter_map(|e| {
                let rel = e.path().strip_prefix(staging.dir()).ok()?;
                let rel = rel.to_string_lossy().replace('\\', "/");
                crate::print::pdf_path(&rel).map(|pdf| crate::pdf::Job { html: rel, pdf })
            })
            .collect();
        let lang = opts.lang.unwrap_or(content.site.language);
        progress.stage("pdf", jobs.len());
        crate::pdf::print_all(b, staging.dir(), &jobs, lang)?;
    }
    progress.stage("write", 0);
    let written = staging.commit()?;
    Ok(Report {
        guides: content.guides.len(),
        files: written.files,
        changed: written.changed,
        removed: written.removed,
        warnings,
    })
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

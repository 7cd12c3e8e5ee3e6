//! Checks that need all guides: unique slugs and codes, known categories, links between
//! guides and to files, and each guide's portal URL against the allowlist.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use crate::content::config::Site;
use crate::content::files;
use crate::content::guide;
use crate::content::guide::Guide;
use crate::content::markdown;
use crate::content::markdown::Target;
use crate::content::portal;
use crate::error::{Diagnostic, Diagnostics, Pos, closest};
use crate::tx;

/// Checks that need all guides, and resolves each guide's portal URL.
pub(crate) fn validate(
    root: &Path,
    site: &Site,
    guides: &[Guide],
    diags: &mut Diagnostics,
) -> Vec<String> {
    let mut slugs: HashMap<&str, &Guide> = HashMap::new();
    let mut codes: HashMap<&str, &Guide> = HashMap::new();
    for g in guides {
        check_unique(g, &mut slugs, &mut codes, diags);
        check_category(site, g, diags);
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

/// A slug (file name) and a procedure code belong to one guide only: records `g`'s in
/// `slugs` and `codes`, and reports it when an earlier guide has it.
fn check_unique<'a>(
    g: &'a Guide,
    slugs: &mut HashMap<&'a str, &'a Guide>,
    codes: &mut HashMap<&'a str, &'a Guide>,
    diags: &mut Diagnostics,
) {
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
}

/// The guide's category must be one of `site.yaml`.
fn check_category(site: &Site, g: &Guide, diags: &mut Diagnostics) {
    if g.category.is_empty() || site.category(&g.category).is_some() {
        return;
    }
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

/// A link to a guide that does not exist, with the closest slug as a hint.
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

/// The links and images written in the guide's Markdown: to known guides, cited sources or
/// the portal, files inside the content folder.
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
                if let Err(p) = files::resolve_in(root, &path) {
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

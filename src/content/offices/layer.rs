//! The layers checked and applied: national guide → province → office.

use std::collections::HashSet;

use crate::content::Content;
use crate::content::config::Site;
use crate::content::guide::Guide;
use crate::content::markdown::{self, Target};
use crate::content::offices::{OfficeSite, Offices};
use crate::content::portal;
use crate::error::{Diagnostic, Diagnostics, Pos, closest};
use crate::i18n::Text;
use crate::tx;

/// Checks every name the provinces and offices use against the guides, categories and
/// provinces, and each office's QR links against its province's allowed hosts.
pub fn check(o: &Offices, site: &Site, guides: &[Guide], urls: &[String], diags: &mut Diagnostics) {
    let slugs: Vec<&str> = guides.iter().map(|g| g.slug.as_str()).collect();
    let known = |s: &str| slugs.contains(&s);
    for p in &o.provinces {
        for x in &p.overrides {
            if !known(&x.slug) {
                diags.push(unknown_guide(
                    &p.file,
                    x.pos,
                    &format!("guides.{}", x.slug),
                    &x.slug,
                    &slugs,
                ));
            }
        }
    }
    let provinces: Vec<&str> = o.provinces.iter().map(|p| p.id.as_str()).collect();
    for office in &o.offices {
        if !office.province.is_empty() && o.province(&office.province).is_none() {
            diags.push(unknown_province(office, &provinces));
        }
        for (s, pos) in &office.skip {
            if !known(s) && site.category(s).is_none() {
                let mut names = slugs.clone();
                names.extend(site.categories.iter().map(|c| c.id.as_str()));
                diags.push(unknown_guide(&office.file, *pos, "skip", s, &names).hint(
                    match closest(s, names.iter().copied()) {
                        Some(c) => tx!("did you mean `{}`?", "có phải ý bạn là `{}`?", c),
                        None => tx!(
                            "list guide file names (without `.yaml`) or category ids",
                            "ghi tên tệp hướng dẫn (bỏ `.yaml`) hoặc mã danh mục"
                        ),
                    },
                ));
            }
        }
        for (s, pos) in &office.extra {
            if !known(s) {
                diags.push(unknown_guide(&office.file, *pos, "extra", s, &slugs));
            }
        }
        for (s, pos, _) in &office.notes {
            if !known(s) {
                diags.push(unknown_guide(
                    &office.file,
                    *pos,
                    &format!("notes.{s}"),
                    s,
                    &slugs,
                ));
            }
        }
        if !guides.iter().any(|g| serves(o, office, g)) {
            diags.push(
                Diagnostic::warning(&office.file, Pos::START, "skip", tx!(
                    "office `{}` serves no guide: its site will be empty",
                    "phường `{}` không còn thủ tục nào: trang của phường sẽ trống",
                    office.id
                ))
                .hint(tx!(
                    "check `skip`; a guide another office lists under `extra` is that office's only",
                    "xem lại `skip`; hướng dẫn một phường khác ghi trong `extra` chỉ thuộc phường đó"
                )),
            );
        }
        check_hosts(o, office, site, guides, urls, diags);
        check_links(o, office, guides, diags);
    }
}

/// A guide an office serves that links (in its text) to a guide the office does not serve
/// would show a dead link on that office's site.
fn check_links(o: &Offices, office: &OfficeSite, guides: &[Guide], diags: &mut Diagnostics) {
    let served: HashSet<&str> = guides
        .iter()
        .filter(|g| serves(o, office, g))
        .map(|g| g.slug.as_str())
        .collect();
    for g in guides.iter().filter(|g| served.contains(g.slug.as_str())) {
        for r in g.md_refs.iter().filter(|r| !r.image) {
            if let Target::Guide(slug) = markdown::classify(&r.target)
                && !served.contains(slug.as_str())
                && guides.iter().any(|x| x.slug == slug)
            {
                diags.push(
                    Diagnostic::warning(&g.file, r.pos, &r.key, tx!(
                        "office `{}` does not serve `{}`: this link is dead on its site",
                        "phường `{}` không phục vụ `{}`: liên kết này hỏng trên trang của phường",
                        office.id, slug
                    ))
                    .hint(match o.offices.iter().find(|x| x.extra.iter().any(|(s, _)| *s == slug)) {
                        Some(owner) => tx!(
                            "remove the link: `{}` is listed under `extra` in {}, so only that office serves it",
                            "bỏ liên kết: `{}` nằm trong `extra` của {}, nên chỉ phường đó có",
                            slug, owner.file
                        ),
                        None => tx!(
                            "remove the link, or take `{}` out of `skip` in {}",
                            "bỏ liên kết, hoặc bỏ `{}` khỏi `skip` trong {}",
                            slug, office.file
                        ),
                    }),
                );
            }
        }
    }
}

/// Each QR link an office serves must be on a host its province allows.
fn check_hosts(
    o: &Offices,
    office: &OfficeSite,
    site: &Site,
    guides: &[Guide],
    urls: &[String],
    diags: &mut Diagnostics,
) {
    let hosts = hosts_of(o, office, site);
    for (g, url) in guides.iter().zip(urls) {
        if url.is_empty() || !serves(o, office, g) || portal::check(url, &hosts).is_ok() {
            continue;
        }
        let host = url::Url::parse(url)
            .ok()
            .and_then(|u| u.host_str().map(str::to_string))
            .unwrap_or_default();
        diags.push(
            Diagnostic::error(&office.file, office.province_pos, "province", tx!(
                "{} serves {}, whose QR link goes to {}, which province `{}` does not allow",
                "{} phục vụ {}, có mã QR dẫn tới {}, nhưng tỉnh `{}` không cho phép tên miền này",
                office.id, g.file, host, office.province
            ))
            .hint(tx!(
                "add `{}` to `allowed_hosts` in provinces/{}.yaml, or add `{}` to this office's `skip`",
                "thêm `{}` vào `allowed_hosts` của provinces/{}.yaml, hoặc thêm `{}` vào `skip` của phường này",
                host, office.province, g.slug
            )),
        );
    }
}

/// The hosts allowed for an office's QR codes: `site.yaml`'s and its province's.
pub(crate) fn hosts_of(o: &Offices, office: &OfficeSite, site: &Site) -> Vec<String> {
    let mut hosts = site.portal.allowed_hosts.clone();
    if let Some(p) = o.province(&office.province) {
        hosts.extend(p.allowed_hosts.iter().cloned());
    }
    hosts
}

/// Whether `office` serves guide `g`: not skipped (by slug or category), and not another
/// office's own guide.
pub(crate) fn serves(o: &Offices, office: &OfficeSite, g: &Guide) -> bool {
    let skipped = office
        .skip
        .iter()
        .any(|(s, _)| *s == g.slug || *s == g.category);
    let own = office.extra.iter().any(|(s, _)| *s == g.slug);
    own || (!skipped && !o.is_local(&g.slug))
}

fn unknown_guide(file: &str, pos: Pos, key: &str, name: &str, names: &[&str]) -> Diagnostic {
    let hint = match closest(name, names.iter().copied()) {
        Some(c) => tx!("did you mean `{}`?", "có phải ý bạn là `{}`?", c),
        None => tx!(
            "use the file name of a guide in `guides/`, without `.yaml`",
            "dùng tên tệp của một hướng dẫn trong `guides/`, bỏ `.yaml`"
        ),
    };
    Diagnostic::error(
        file,
        pos,
        key,
        tx!("there is no guide `{}`", "không có hướng dẫn `{}`", name),
    )
    .hint(hint)
}

fn unknown_province(office: &OfficeSite, provinces: &[&str]) -> Diagnostic {
    let hint: Text = match closest(&office.province, provinces.iter().copied()) {
        Some(c) => tx!("did you mean `{}`?", "có phải ý bạn là `{}`?", c),
        None if provinces.is_empty() => tx!(
            "add the file provinces/{}.yaml with the province's `name`",
            "thêm tệp provinces/{}.yaml có `name` của tỉnh",
            office.province
        ),
        None => tx!(
            "known provinces: {}",
            "các tỉnh đã có: {}",
            provinces.join(", ")
        ),
    };
    Diagnostic::error(
        &office.file,
        office.province_pos,
        "province",
        tx!(
            "there is no province `{}` in `provinces/`",
            "không có tỉnh `{}` trong `provinces/`",
            office.province
        ),
    )
    .hint(hint)
}

/// The content of one office: its contacts and province, the guides it serves with the
/// province's texts and its notes, links to guides it does not serve dropped.
pub fn apply(c: &Content, office: &OfficeSite) -> Content {
    let o = &c.offices;
    let province = o.province(&office.province);
    let mut site = c.site.clone();
    site.office = office.office.clone();
    site.office.province = province.map(|p| p.name.clone());
    site.office.hotline = province.and_then(|p| p.hotline.clone());
    site.portal.allowed_hosts = hosts_of(o, office, &c.site);
    let mut guides = Vec::new();
    let mut portal_urls = Vec::new();
    for (g, url) in c.guides.iter().zip(&c.portal_urls) {
        if !serves(o, office, g) {
            continue;
        }
        let mut g = g.clone();
        if let Some(x) = province.and_then(|p| p.overrides.iter().find(|x| x.slug == g.slug)) {
            if let Some(fee) = &x.fee {
                g.fee = fee.clone();
            }
            if let Some(t) = &x.processing_time {
                g.processing_time = t.clone();
            }
        }
        g.local_notes = office
            .notes
            .iter()
            .filter(|(s, _, _)| *s == g.slug)
            .map(|(_, _, t)| t.clone())
            .collect();
        guides.push(g);
        portal_urls.push(url.clone());
    }
    let served: HashSet<String> = guides.iter().map(|g| g.slug.clone()).collect();
    for g in &mut guides {
        g.related.retain(|(s, _)| served.contains(s));
    }
    Content {
        root: c.root.clone(),
        site,
        guides,
        portal_urls,
        offices: Offices::default(),
        office: Some(office.id.clone()),
        links: c.links.clone(),
        warnings: Diagnostics::default(),
        // Withheld guides stay out of every office's site; the build's day is the same.
        withheld: Vec::new(),
        records: c.records.clone(),
        today: c.today,
    }
}

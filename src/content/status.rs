//! Guides and their official records: the drift warnings of each guide that has a saved
//! record ([`record::drift`]), and the guides to leave out of the site (marked
//! `status: abolished`, or whose record is no longer in force), each listed by a warning.

use std::collections::BTreeMap;

use crate::content::guide::{Guide, Status};
use crate::content::markdown::{self, Target};
use crate::content::record::{self, Record};
use crate::error::{Diagnostic, Diagnostics};
use crate::tx;

/// Adds the drift warnings of every guide with a record to `diags`, and takes the guides
/// that are not in force out of `guides` (with their `portal_urls`), returning them.
pub fn compare(
    guides: &mut Vec<Guide>,
    portal_urls: &mut Vec<String>,
    records: &BTreeMap<String, Record>,
    diags: &mut Diagnostics,
) -> Vec<Guide> {
    let mut keep = Vec::with_capacity(guides.len());
    let mut urls = Vec::with_capacity(guides.len());
    let mut withheld = Vec::new();
    let pairs = std::mem::take(guides).into_iter().zip(
        std::mem::take(portal_urls)
            .into_iter()
            .chain(std::iter::repeat(String::new())),
    );
    for (g, url) in pairs {
        let rec = g.code.as_ref().and_then(|c| records.get(c));
        if let Some(rec) = rec.filter(|r| r.in_force() && g.status == Status::Current) {
            diags.extend(record::drift::drift(&g, rec));
        }
        match withheld_warning(&g, rec) {
            Some(d) => {
                diags.push(d);
                withheld.push(g);
            }
            None => {
                keep.push(g);
                urls.push(url);
            }
        }
    }
    for g in &keep {
        links_to_withheld(g, &withheld, diags);
    }
    *guides = keep;
    *portal_urls = urls;
    withheld
}

/// Warns about the links of `g` (Markdown links and `related:`) to guides left out of the
/// site: those would lead nowhere.
fn links_to_withheld(g: &Guide, withheld: &[Guide], diags: &mut Diagnostics) {
    let gone = |slug: &str| withheld.iter().any(|w| w.slug == slug);
    let links = g
        .md_refs
        .iter()
        .filter(|r| !r.image)
        .filter_map(|r| match markdown::classify(&r.target) {
            Target::Guide(slug) => Some((slug, r.pos, r.key.clone())),
            _ => None,
        })
        .chain(
            g.related
                .iter()
                .map(|(s, pos)| (s.clone(), *pos, "related".to_string())),
        );
    for (slug, pos, key) in links.filter(|(s, _, _)| gone(s)) {
        diags.push(
            Diagnostic::warning(
                &g.file,
                pos,
                &key,
                tx!(
                    "links to `{}`, which is left out of the site (abolished or not in force)",
                    "liên kết tới `{}`, hướng dẫn không được đưa lên trang (đã bãi bỏ hoặc hết hiệu lực)",
                    slug
                ),
            )
            .hint(tx!(
                "remove the link, or link to the procedure that replaces it",
                "bỏ liên kết, hoặc liên kết tới thủ tục thay thế"
            )),
        );
    }
}

/// The warning that lists a guide left out of the site, or `None` when it is in force.
fn withheld_warning(g: &Guide, rec: Option<&Record>) -> Option<Diagnostic> {
    if g.status == Status::Abolished {
        return Some(
            Diagnostic::warning(
                &g.file,
                g.pos_of("status"),
                "status",
                tx!(
                    "the procedure is marked abolished: the guide is left out of the site, kiosk, search and printables",
                    "thủ tục được đánh dấu đã bãi bỏ: hướng dẫn không được đưa lên trang, kiosk, tìm kiếm và bản in"
                ),
            )
            .hint(tx!(
                "delete the file when it is no longer needed, or remove `status: abolished` if the procedure still applies",
                "xóa tệp khi không cần nữa, hoặc bỏ dòng `status: abolished` nếu thủ tục vẫn còn áp dụng"
            )),
        );
    }
    let rec = rec.filter(|r| !r.in_force())?;
    Some(
        Diagnostic::warning(
            &g.file,
            g.pos_of("code"),
            "code",
            tx!(
                "the official record {} is no longer in force (state `{}`): the guide is left out of the site, kiosk, search and printables",
                "bản ghi chính thức {} không còn hiệu lực (trạng thái `{}`): hướng dẫn không được đưa lên trang, kiosk, tìm kiếm và bản in",
                rec.file,
                rec.state
            ),
        )
        .hint(tx!(
            "find the procedure that replaces it on the portal; write `status: abolished` in the guide to say so",
            "tìm thủ tục thay thế trên Cổng Dịch vụ công; ghi `status: abolished` vào hướng dẫn để ghi nhận"
        )),
    )
}

//! The search index of the kiosk and the site, built here and searched by `static/search.js`
//! (shared by the kiosk's `kiosk/kiosk.js` and the site's `site-search.js`).
//!
//! Text is cut into *terms* the same way on both sides ([`terms`] here, `terms()` in the
//! JavaScript; `tests/search.rs` runs both on tricky strings): [`vn::fold`] (lower case,
//! tone marks stripped, `đ` → `d`, NFC/NFD-proof), split on anything that is not a letter
//! or digit, and `y` → `i` at the end of a syllable whose only vowel it is (`ký` = `kí`,
//! `lý` = `lí`, but `huy`, `y` stay).
//!
//! The index is a `.js` file (a page opened from `file://` cannot fetch JSON):
//!
//! ```text
//! CamnangSearch.index({
//!   cats:  [category id, …],             // site order
//!   docs:  [[slug, title, question, summary, category index, title term count], …],
//!   terms: ["bao", "dang", …],            // sorted
//!   post:  [[d0*3+f0, (d1-d0)*3+f1, …], …] // per term: delta-coded doc, best field
//!   syn:   [["bhyt", "bao hiem y te"], …], // groups of folded phrases
//! })
//! ```
//!
//! Fields: 0 = title, 1 = question and summary, 2 = everything else. The JavaScript
//! ranks title above summary above body.

use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::BuildHasherDefault;
use std::sync::Arc;

use serde::Serialize;

use crate::content::guide::Guide;
use crate::vn;

/// Built-in synonyms and abbreviations: each line is one group of phrases that mean the
/// same thing to a resident. A query containing one phrase also finds the others.
pub const SYNONYMS: &[&[&str]] = &[
    &["bhyt", "bảo hiểm y tế", "thẻ bảo hiểm"],
    &["bhxh", "bảo hiểm xã hội"],
    &[
        "cccd",
        "căn cước",
        "căn cước công dân",
        "cmnd",
        "chứng minh nhân dân",
        "chứng minh thư",
    ],
    &[
        "đăng ký khai sinh",
        "làm giấy khai sinh",
        "làm khai sinh",
        "giấy khai sinh",
        "khai sinh cho con",
    ],
    &[
        "đăng ký kết hôn",
        "làm giấy kết hôn",
        "giấy chứng nhận kết hôn",
        "đăng ký cưới",
    ],
    &[
        "đăng ký khai tử",
        "làm giấy khai tử",
        "báo tử",
        "giấy chứng tử",
    ],
    &[
        "xác nhận tình trạng hôn nhân",
        "xác nhận độc thân",
        "giấy độc thân",
    ],
    &["thường trú", "hộ khẩu", "nhập hộ khẩu"],
    &["tạm trú", "khai báo tạm trú", "đăng ký ở trọ"],
    // "Sao y" is copying a paper (sao y bản chính): a certified copy, not every chứng thực.
    &[
        "chứng thực bản sao",
        "sao y",
        "sao y bản chính",
        "công chứng bản sao",
    ],
    &["chứng thực", "công chứng"],
    &["hộ kinh doanh", "giấy phép kinh doanh", "mở cửa hàng"],
    &["vneid", "định danh điện tử", "tài khoản định danh"],
    &["ubnd", "ủy ban nhân dân"],
    &["dvc", "dịch vụ công"],
    &["trích lục", "bản sao"],
];

/// How the index file starts: a call of `static/search.js`'s `index`, so that the index is
/// a script that a page loads with `<script>`, from `file://` too.
pub const INDEX_CALL: &str = "CamnangSearch.index(";

/// The search terms of a text: folded, split, `y` → `i` (see the module docs).
pub fn terms(s: &str) -> Vec<String> {
    words(&vn::fold(s))
        .map(|w| normalize_y(w).into_owned())
        .collect()
}

/// The words of a folded text: runs of letters and digits.
fn words(folded: &str) -> impl Iterator<Item = &str> {
    folded
        .split(|c: char| !(c.is_alphabetic() || c.is_numeric()))
        .filter(|w| !w.is_empty())
}

/// `ky` → `ki`, `ly` → `li`, `quy` stays: a final `y` preceded only by consonants.
fn normalize_y(w: &str) -> Cow<'_, str> {
    if let Some(head) = w.strip_suffix('y')
        && !head.is_empty()
        && head
            .bytes()
            .all(|c| c.is_ascii_lowercase() && !b"aeiouy".contains(&c))
    {
        return Cow::Owned(format!("{head}i"));
    }
    Cow::Borrowed(w)
}

#[derive(Serialize)]
struct Index<'a> {
    cats: &'a [&'a str],
    docs: Vec<(&'a str, &'a str, &'a str, &'a str, usize, usize)>,
    terms: Vec<&'a str>,
    post: Vec<&'a Vec<u64>>,
    syn: Vec<Vec<String>>,
}

/// The text of a guide by field (title; question + summary; the rest).
fn fields(g: &Guide) -> [String; 3] {
    let mut body = String::with_capacity(2048);
    let mut add = |s: &str| {
        body.push_str(s);
        body.push('\n');
    };
    for s in [
        &g.audience,
        &g.agency,
        &g.fee,
        &g.processing_time,
        &g.result,
    ] {
        add(s);
    }
    if let Some(c) = &g.code {
        add(c);
    }
    if let Some(i) = &g.intro {
        add(i);
    }
    for d in &g.documents {
        add(&d.name);
        if let Some(n) = &d.note {
            add(n);
        }
    }
    for f in &g.fields {
        add(&f.label);
    }
    for s in &g.steps {
        add(&s.title);
        add(&s.text);
    }
    for t in g.tips.iter().chain(&g.warnings) {
        add(t);
    }
    let mut summary = g.question.clone().unwrap_or_default();
    summary.push('\n');
    summary.push_str(&g.summary);
    [g.title.clone(), summary, body]
}

/// Each term of a guide with the best field it occurs in and the term's hash (see
/// `term_hash`), and the number of title terms.
pub type DocTerms = (Vec<(String, u8, u64)>, usize);

/// The hash a term is merged into the postings by: made once with the guide's terms (and
/// kept with them by `serve`), so that merging 5,000 guides' terms hashes no string.
fn term_hash(t: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(t.as_bytes())
}

/// A hasher for keys that are hashes already ([`term_hash`]).
#[derive(Default)]
struct Prehashed(u64);

impl std::hash::Hasher for Prehashed {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 << 8) | u64::from(*b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// [`DocTerms`] of guide `g`; with `cache` (`serve`), reused while the guide's text is the
/// same (folding and splitting every guide was most of the index's cost in an update).
/// The hash of the text is kept with the guide (see [`Guide::text_hash`]).
fn doc_terms(g: &Guide, cache: Option<&crate::render::cache::PageCache>) -> Arc<DocTerms> {
    let Some(c) = cache else {
        return Arc::new(terms_of(fields(g)));
    };
    let mut texts = None;
    let key = g.text_hash.get_or(|| {
        let t = texts.insert(fields(g));
        let mut h = xxhash_rust::xxh3::Xxh3::new();
        for t in t.iter() {
            h.update(t.as_bytes());
            h.update(&[0]);
        }
        h.digest128()
    });
    c.terms(key, || terms_of(texts.unwrap_or_else(|| fields(g))))
}

fn terms_of(texts: [String; 3]) -> DocTerms {
    let folded = texts.map(|t| vn::fold(&t));
    // Each term once, by its hash (two terms of the same hash: the second by its text).
    let mut best: HashMap<u64, (Cow<'_, str>, u8), BuildHasherDefault<Prehashed>> =
        HashMap::with_capacity_and_hasher(128, Default::default());
    let mut collided: Vec<(Cow<'_, str>, u8, u64)> = Vec::new();
    let mut title_len = 0;
    for (f, text) in folded.iter().enumerate() {
        for w in words(text) {
            if f == 0 {
                title_len += 1;
            }
            let t = normalize_y(w);
            let h = term_hash(&t);
            match best.get(&h) {
                None => {
                    best.insert(h, (t, f as u8));
                }
                Some((seen, _)) if *seen == t => {}
                Some(_) if collided.iter().any(|c| c.0 == t) => {}
                Some(_) => collided.push((t, f as u8, h)),
            }
        }
    }
    let mut v: Vec<(String, u8, u64)> = best
        .into_iter()
        .map(|(h, (t, f))| (t.into_owned(), f, h))
        .chain(collided.into_iter().map(|(t, f, h)| (t.into_owned(), f, h)))
        .collect();
    v.sort_unstable();
    (v, title_len)
}

/// Each term's postings with the last guide it was found in, found by the term's hash (a
/// term whose hash another term has already goes by its text).
#[derive(Default)]
struct Postings {
    table: Vec<(String, u64, Vec<u64>)>,
    by_hash: HashMap<u64, usize, BuildHasherDefault<Prehashed>>,
    collided: HashMap<String, usize>,
}

impl Postings {
    /// Term `t` (of hash `h`) is in guide `d` (guides come in order), best in field `f`.
    fn add(&mut self, d: u64, t: &str, f: u8, h: u64) {
        let slot = match self.by_hash.get(&h) {
            Some(&k) if self.table[k].0 == t => Some(k),
            Some(_) => self.collided.get(t).copied(),
            None => None,
        };
        match slot {
            Some(k) => {
                let (_, last, p) = &mut self.table[k];
                p.push((d - *last) * 3 + f as u64);
                *last = d;
            }
            None => {
                let k = self.table.len();
                match self.by_hash.contains_key(&h) {
                    true => self.collided.insert(t.to_string(), k),
                    false => self.by_hash.insert(h, k),
                };
                self.table.push((t.to_string(), d, vec![d * 3 + f as u64]));
            }
        }
    }

    /// The terms with their postings, sorted by term.
    fn sorted(self) -> Vec<(String, u64, Vec<u64>)> {
        let mut table = self.table;
        table.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        table
    }
}

/// The index as JavaScript. `categories` maps a category id to its position on the home
/// screen; `extra` adds site synonym groups to the built-in ones.
pub fn index_js(guides: &[Guide], categories: &[&str], extra: &[Vec<String>]) -> String {
    index_js_with(guides, categories, extra, None)
}

/// [`index_js`], taking each guide's terms from `cache` when its text did not change.
pub fn index_js_with(
    guides: &[Guide],
    categories: &[&str],
    extra: &[Vec<String>],
    cache: Option<&crate::render::cache::PageCache>,
) -> String {
    // Terms of a few hundred guides at a time (in parallel), merged into the postings
    // right away: the index of 5,000 guides never holds every guide's terms at once.
    let mut postings = Postings::default();
    let mut title_lens = Vec::with_capacity(guides.len());
    for (c, chunk) in guides.chunks(256).enumerate() {
        let per_doc: Vec<Arc<DocTerms>> = {
            use rayon::prelude::*;
            chunk.par_iter().map(|g| doc_terms(g, cache)).collect()
        };
        for (i, terms) in per_doc.iter().enumerate() {
            let (best, title_len) = &**terms;
            let d = (c * 256 + i) as u64;
            title_lens.push(*title_len);
            for (t, f, h) in best {
                postings.add(d, t, *f, *h);
            }
        }
    }
    let table = postings.sorted();
    let mut syn: Vec<Vec<String>> = SYNONYMS
        .iter()
        .map(|g| g.iter().map(|p| terms(p).join(" ")).collect())
        .collect();
    syn.extend(
        extra
            .iter()
            .map(|g| g.iter().map(|p| terms(p).join(" ")).collect()),
    );
    let docs = guides
        .iter()
        .zip(&title_lens)
        .map(|(g, tl)| {
            let cat = categories
                .iter()
                .position(|c| *c == g.category)
                .unwrap_or(0);
            (
                g.slug.as_str(),
                g.title.as_str(),
                g.question.as_deref().unwrap_or(""),
                g.summary.as_str(),
                cat,
                *tl,
            )
        })
        .collect();
    let (terms, post): (Vec<&str>, Vec<&Vec<u64>>) =
        table.iter().map(|(t, _, p)| (t.as_str(), p)).unzip();
    let idx = Index {
        cats: categories,
        docs,
        terms,
        post,
        syn,
    };
    let json = serde_json::to_string(&idx)
        .unwrap_or_else(|_| "{}".into())
        .replace("://", ":\\/\\/");
    format!("{INDEX_CALL}{json});\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_fold_split_and_y() {
        assert_eq!(terms("Đăng KÝ kết-hôn!"), ["dang", "ki", "ket", "hon"]);
        assert_eq!(
            terms("Kĩ thuật; Quý; Huy; y tế"),
            ["ki", "thuat", "quy", "huy", "y", "te"]
        );
        assert_eq!(terms("Lý lịch 2026"), ["li", "lich", "2026"]);
    }
}

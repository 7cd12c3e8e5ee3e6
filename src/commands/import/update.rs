//! `import --update`: the official keys of an existing guide brought in line with a newer
//! record by editing the file's text, key by key, so every other byte (hand-written keys,
//! comments, the Markdown body) stays as it was. A key is rewritten only where it disagrees
//! with the record (what the drift check warns about); a document or act the guide already
//! has keeps its wording, note and comments.

use std::collections::BTreeSet;

use crate::commands::import::draft::{document, set_official, source};
use crate::commands::scaffold::yaml::{document_item, scalar, text_items};
use crate::content::config::Site;
use crate::content::files::{GuideFile, Kind};
use crate::content::guide::{Guide, OnlineLevel};
use crate::content::record::drift::{SAME_DOCUMENT, drift, likeness};
use crate::content::record::{Record, legal_code};
use crate::content::yaml::{self, Entry, Node, Value};
use crate::error::Diagnostic;

/// A replacement of lines `from..to` (1-based, `to` excluded; `from == to` inserts).
struct Edit {
    from: usize,
    to: usize,
    text: String,
}

/// The guide's text with its official keys refreshed from `rec`, and the keys changed.
pub fn update(
    f: &GuideFile,
    text: &str,
    g: &Guide,
    rec: &Record,
    site: &Site,
) -> Result<(String, Vec<String>), Diagnostic> {
    let (yaml_src, first_line, end_line) = region(f, text);
    let node = yaml::parse(yaml_src, &f.rel, first_line - 1)?;
    let Value::Map(entries) = &node.value else {
        return Ok((text.to_string(), Vec::new()));
    };
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let doc = Doc {
        lines: &lines,
        entries,
        end: end_line,
    };
    let mut new = g.clone();
    set_official(&mut new, rec);
    let drifted: BTreeSet<String> = drift(g, rec)
        .into_iter()
        .map(|d| d.key.split('[').next().unwrap_or("").to_string())
        .collect();
    let mut edits = Vec::new();
    let mut changed = Vec::new();
    let unlike = |a: &str, b: &str| likeness(a, b) < SAME_DOCUMENT;
    for (key, value, stale) in [
        ("title", &new.title, unlike(&g.title, &new.title)),
        ("agency", &new.agency, unlike(&g.agency, &new.agency)),
        ("result", &new.result, unlike(&g.result, &new.result)),
        ("fee", &new.fee, drifted.contains("fee")),
        (
            "processing_time",
            &new.processing_time,
            drifted.contains("processing_time"),
        ),
    ] {
        if stale {
            edits.push(doc.replace(key, format!("{key}: {}\n", scalar(value, 0))));
            changed.push(key.to_string());
        }
    }
    if g.online_level != new.online_level {
        let level = match new.online_level {
            OnlineLevel::Full => "full",
            OnlineLevel::Partial => "partial",
        };
        edits.push(doc.replace("online_level", format!("online_level: {level}\n")));
        changed.push("online_level".into());
    }
    if drifted.contains("documents") {
        edits.push(doc.replace("documents", documents(&doc, rec)));
        changed.push("documents".into());
    }
    if drifted.contains("legal_basis") {
        edits.push(doc.replace("legal_basis", legal_basis(&doc, rec)));
        changed.push("legal_basis".into());
    }
    if drifted.contains("portal.formality_id") {
        edits.push(doc.formality_id(&rec.formality_id));
        changed.push("portal.formality_id".into());
    }
    if let Some(e) = doc.source_title(rec, site) {
        edits.push(e);
        changed.push("sources".into());
    }
    let out = apply(&lines, edits);
    // What was written must still read as YAML.
    let (src, first, _) = region(f, &out);
    yaml::parse(src, &f.rel, first - 1)?;
    Ok((out, changed))
}

/// The YAML of a guide file, the line it starts on and the line after it (the closing
/// `---` of front matter, or one past the end).
fn region<'a>(f: &GuideFile, text: &'a str) -> (&'a str, usize, usize) {
    let total = text.split_inclusive('\n').count();
    if f.kind == Kind::Markdown
        && let Some(Ok(fm)) = yaml::split_front_matter(text)
    {
        return (fm.yaml, fm.yaml_line, fm.body_line - 1);
    }
    (text, 1, total + 1)
}

/// The file's lines and its top-level keys.
struct Doc<'a> {
    lines: &'a [&'a str],
    entries: &'a [Entry],
    /// The line after the YAML.
    end: usize,
}

impl Doc<'_> {
    fn entry(&self, key: &str) -> Option<(usize, &Entry)> {
        self.entries.iter().enumerate().find(|(_, e)| e.key == key)
    }

    /// The lines of the top-level entry `i`: from its key to the last line of its value
    /// (indented lines and `- ` items; a comment or key at column 1 ends it), without
    /// the blank lines after it.
    fn span(&self, i: usize) -> (usize, usize) {
        let from = self.entries[i].key_pos.line;
        let limit = self.entries.get(i + 1).map_or(self.end, |e| e.key_pos.line);
        let mut to = from + 1;
        let mut last = from + 1;
        while to < limit {
            let l = self.lines.get(to - 1).copied().unwrap_or("");
            let blank = l.trim().is_empty();
            if !blank && !l.starts_with([' ', '\t', '-']) {
                break;
            }
            to += 1;
            if !blank {
                last = to;
            }
        }
        (from, last)
    }

    /// The edit that makes the top-level `key` read `text`: in its place, or at the end
    /// of the YAML when it is missing.
    fn replace(&self, key: &str, text: String) -> Edit {
        match self.entry(key) {
            Some((i, _)) => {
                let (from, to) = self.span(i);
                Edit { from, to, text }
            }
            None => {
                let needs_newline = self
                    .lines
                    .get(self.end.saturating_sub(2))
                    .is_some_and(|l| !l.ends_with('\n'));
                let text = if needs_newline {
                    format!("\n{text}")
                } else {
                    text
                };
                Edit {
                    from: self.end,
                    to: self.end,
                    text,
                }
            }
        }
    }

    /// The text of lines `from..to`.
    fn text(&self, from: usize, to: usize) -> String {
        self.lines[from - 1..to - 1].concat()
    }

    /// The text of each item of the list under top-level entry `i` (from its `- ` line to
    /// the next item), with the node it holds.
    fn items(&self, i: usize) -> Vec<(String, &Node)> {
        let (_, end) = self.span(i);
        let Value::Seq(items) = &self.entries[i].value.value else {
            return Vec::new();
        };
        // A list written on the key's line (`[a, b]`) has no item lines to keep.
        if items
            .iter()
            .any(|n| n.pos.line <= self.entries[i].key_pos.line)
        {
            return Vec::new();
        }
        items
            .iter()
            .enumerate()
            .map(|(j, n)| {
                let next = items.get(j + 1).map_or(end, |m| m.pos.line);
                (self.text(n.pos.line, next.max(n.pos.line + 1)), n)
            })
            .collect()
    }

    /// `portal.formality_id` set to `id`, the rest of `portal:` kept.
    fn formality_id(&self, id: &str) -> Edit {
        let Some((i, e)) = self.entry("portal") else {
            return self.replace("portal", format!("portal:\n  formality_id: {id}\n"));
        };
        let Value::Map(children) = &e.value.value else {
            let (from, to) = self.span(i);
            return Edit {
                from,
                to,
                text: format!("portal:\n  formality_id: {id}\n"),
            };
        };
        let indent = children.first().map_or(2, |c| c.key_pos.col - 1);
        let line = format!("{}formality_id: {id}\n", " ".repeat(indent));
        match children.iter().find(|c| c.key == "formality_id") {
            Some(c) => Edit {
                from: c.key_pos.line,
                to: c.key_pos.line + 1,
                text: line,
            },
            None => Edit {
                from: e.key_pos.line + 1,
                to: e.key_pos.line + 1,
                text: line,
            },
        }
    }

    /// The title of the source that cites the record's portal page, when its date is old.
    fn source_title(&self, rec: &Record, site: &Site) -> Option<Edit> {
        let cite = source(rec, site);
        let (_, e) = self.entry("sources")?;
        let Value::Seq(items) = &e.value.value else {
            return None;
        };
        items.iter().find_map(|n| {
            let Value::Map(keys) = &n.value else {
                return None;
            };
            let has_url = keys
                .iter()
                .any(|k| k.key == "url" && k.value.value == Value::Str(cite.url.clone()));
            let t = keys.iter().find(|k| k.key == "title")?;
            if !has_url || t.value.value == Value::Str(cite.title.clone()) {
                return None;
            }
            let line = self.lines.get(t.key_pos.line - 1)?;
            let prefix = &line[..line.find("title:")?];
            Some(Edit {
                from: t.key_pos.line,
                to: t.key_pos.line + 1,
                text: format!(
                    "{prefix}title: {}\n",
                    scalar(&cite.title, t.key_pos.col - 1)
                ),
            })
        })
    }
}

/// The `name:` of a list item.
fn item_name(n: &Node) -> Option<&str> {
    let Value::Map(keys) = &n.value else {
        return None;
    };
    keys.iter()
        .find_map(|k| match (&k.key[..], &k.value.value) {
            ("name", Value::Str(s)) => Some(s.as_str()),
            _ => None,
        })
}

/// `documents:` with the record's documents: those the guide has keep their text.
fn documents(doc: &Doc<'_>, rec: &Record) -> String {
    let old = doc
        .entry("documents")
        .map(|(i, _)| doc.items(i))
        .unwrap_or_default();
    let mut out = String::from("documents:\n");
    for d in &rec.documents {
        let kept = old
            .iter()
            .filter_map(|(text, n)| Some((likeness(item_name(n)?, &d.name), text)))
            .filter(|(l, _)| *l >= SAME_DOCUMENT)
            .max_by(|a, b| a.0.total_cmp(&b.0));
        match kept {
            Some((_, text)) if !out.contains(text.as_str()) => out.push_str(text),
            _ => out.push_str(&document_item(&document(d))),
        }
    }
    out
}

/// `legal_basis:` with the record's acts: lines naming an act of the record, or no act,
/// keep their text; lines naming an act the record does not have are dropped.
fn legal_basis(doc: &Doc<'_>, rec: &Record) -> String {
    let old = doc
        .entry("legal_basis")
        .map(|(i, _)| doc.items(i))
        .unwrap_or_default();
    let key = |c: &str| crate::vn::fold(c).trim_start_matches('0').to_string();
    let official: Vec<String> = rec.legal_basis.iter().map(|a| key(&a.code)).collect();
    let mut out = String::from("legal_basis:\n");
    let mut have = Vec::new();
    for (text, n) in &old {
        let Value::Str(s) = &n.value else { continue };
        let codes: Vec<String> = s
            .split_whitespace()
            .filter_map(legal_code)
            .map(|c| key(&c))
            .collect();
        if codes.is_empty() || codes.iter().any(|c| official.contains(c)) {
            out.push_str(text);
            have.extend(codes);
        }
    }
    let missing: Vec<String> = rec
        .legal_basis
        .iter()
        .filter(|a| !have.contains(&key(&a.code)))
        .map(crate::content::record::Act::text)
        .collect();
    out.push_str(&text_items(&missing));
    out
}

/// `lines` with the edits made (they do not overlap).
fn apply(lines: &[&str], mut edits: Vec<Edit>) -> String {
    edits.sort_by_key(|e| std::cmp::Reverse((e.from, e.to)));
    let mut out: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
    for e in edits {
        let from = (e.from - 1).min(out.len());
        let to = (e.to - 1).min(out.len()).max(from);
        out.splice(from..to, [e.text]);
    }
    out.concat()
}

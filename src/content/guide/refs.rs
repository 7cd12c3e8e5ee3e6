//! The Markdown references (links and images) of a guide, collected with the key and
//! position they are written at, to be checked once all guides are known.

use crate::content::guide::{Guide, MdRef};
use crate::content::markdown;
use crate::content::schema::item;
use crate::content::yaml;
use crate::content::yaml::Node;
use crate::error::Pos;

/// Positions of the Markdown-bearing keys, for reporting problems in Markdown text.
pub(super) fn o_positions(node: &Node) -> impl Fn(&str) -> Pos + '_ {
    move |key: &str| {
        let mut cur = node;
        for part in key.split('.') {
            let (name, idx) = match part.split_once('[') {
                Some((n, rest)) => (n, rest.trim_end_matches(']').parse::<usize>().ok()),
                None => (part, None),
            };
            let next = match &cur.value {
                yaml::Value::Map(es) => es.iter().find(|e| e.key == name).map(|e| &e.value),
                _ => None,
            };
            let Some(mut n) = next else { return cur.pos };
            if let (Some(i), yaml::Value::Seq(items)) = (idx, &n.value) {
                match items.get(i.saturating_sub(1)) {
                    Some(it) => n = it,
                    None => return n.pos,
                }
            }
            cur = n;
        }
        cur.pos
    }
}

/// Fills `g.md_refs` from the intro, the steps, the tips and the warnings.
pub(super) fn collect_md_refs(g: &mut Guide, pos_of: &dyn Fn(&str) -> Pos) {
    let mut texts: Vec<(String, Pos, &str)> = Vec::new();
    if let Some(t) = &g.intro {
        texts.push(("(body)".into(), Pos::START, t));
    }
    for (i, s) in g.steps.iter().enumerate() {
        let key = format!("{}.text", item("steps", i));
        let pos = if s.pos.line > 0 { s.pos } else { pos_of(&key) };
        texts.push((key, pos, &s.text));
    }
    for (i, t) in g.tips.iter().enumerate() {
        let key = item("tips", i);
        texts.push((key.clone(), pos_of(&key), t));
    }
    for (i, t) in g.warnings.iter().enumerate() {
        let key = item("warnings", i);
        texts.push((key.clone(), pos_of(&key), t));
    }
    let mut refs = Vec::new();
    for (key, pos, text) in texts {
        for (target, image) in markdown::refs(text) {
            refs.push(MdRef {
                key: key.clone(),
                pos,
                target,
                image,
            });
        }
    }
    g.md_refs = refs;
}

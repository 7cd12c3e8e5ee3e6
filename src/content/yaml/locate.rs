//! The locator: where keys and items stand in block-style YAML, found from the source
//! text by indentation (`serde_yaml` gives the values but not their positions).

use crate::error::Pos;

/// A non-blank, non-comment line; `indent` and `text` may be "virtual" for the first line
/// of a sequence item (`- key: v` is seen as `  key: v`).
#[derive(Debug, Clone, Copy)]
pub(super) struct Line<'a> {
    no: usize,
    indent: usize,
    text: &'a str,
}

impl<'a> Line<'a> {
    /// The lines of `src` that hold something.
    pub(super) fn split(src: &'a str) -> Vec<Line<'a>> {
        src.lines()
            .enumerate()
            .filter_map(|(i, l)| {
                let trimmed = l.trim_start_matches(' ');
                let t = trimmed.trim_end();
                if t.is_empty() || t.starts_with('#') || t == "---" {
                    return None;
                }
                Some(Line {
                    no: i + 1,
                    indent: l.chars().count() - trimmed.chars().count(),
                    text: t,
                })
            })
            .collect()
    }
    /// Where the line's text starts.
    pub(super) fn pos(&self) -> Pos {
        Pos::new(self.no, self.indent + 1)
    }
    /// A `- ` sequence item line.
    fn is_item(&self) -> bool {
        self.text == "-" || self.text.starts_with("- ")
    }
}

/// Splits `key: rest` at the first `:` that ends a plain or quoted key.
fn split_key(text: &str) -> Option<(String, &str)> {
    let (key, rest) = if let Some(q) = text.chars().next().filter(|c| *c == '"' || *c == '\'') {
        let end = text[1..].find(q)? + 1;
        let rest = text[end + 1..].strip_prefix(':')?;
        (text[1..end].to_string(), rest)
    } else {
        let mut idx = None;
        for (i, c) in text.char_indices() {
            if c == ':' {
                let next = text[i + 1..].chars().next();
                if next.is_none() || next == Some(' ') || next == Some('\t') {
                    idx = Some(i);
                    break;
                }
            }
            if c == '#' && i > 0 && text[..i].ends_with(' ') {
                return None;
            }
        }
        let i = idx?;
        (text[..i].trim_end().to_string(), &text[i + 1..])
    };
    if !rest.is_empty() && !rest.starts_with([' ', '\t']) {
        return None;
    }
    Some((key, rest))
}

/// The text of a plain scalar written after `key:` on the same line (comment removed).
fn inline_raw(rest: &str) -> Option<String> {
    let t = rest.trim_start();
    let t = match t.find(" #") {
        Some(i) => &t[..i],
        None => t,
    };
    let t = t.trim_end();
    (!t.is_empty()).then(|| t.to_string())
}

/// One key of a block mapping: where it and its inline value are, the value's text as
/// written, and the lines of its block value.
pub(super) struct Located<'a> {
    pub(super) key: String,
    pub(super) key_pos: Pos,
    pub(super) value_pos: Option<Pos>,
    pub(super) raw: Option<String>,
    pub(super) block: Vec<Line<'a>>,
}

/// The entries of a block mapping whose lines are `lines` (all at or below the first
/// line's indent).
pub(super) fn locate_map<'a>(lines: &[Line<'a>]) -> Vec<Located<'a>> {
    let Some(first) = lines.first() else {
        return Vec::new();
    };
    let base = first.indent;
    let mut out: Vec<Located<'a>> = Vec::new();
    for line in lines {
        if line.indent == base
            && !line.is_item()
            && let Some((key, rest)) = split_key(line.text)
        {
            let after = rest.trim_start();
            let value_pos = (!after.is_empty() && !after.starts_with('#')).then(|| {
                let col = line.indent + line.text.chars().count() - rest.chars().count()
                    + (rest.chars().count() - after.chars().count());
                Pos::new(line.no, col + 1)
            });
            out.push(Located {
                key,
                key_pos: line.pos(),
                value_pos,
                raw: inline_raw(rest),
                block: Vec::new(),
            });
            continue;
        }
        // A deeper line, or a `- item` at the key's own indent, belongs to the last key.
        if let Some(last) = out.last_mut()
            && (line.indent > base || line.is_item())
        {
            last.block.push(*line);
        }
    }
    out
}

/// The items of a block sequence: each item's position and its lines, the first one made
/// virtual (`- a: 1` → `  a: 1`).
pub(super) fn locate_seq<'a>(lines: &[Line<'a>]) -> Vec<(Pos, Vec<Line<'a>>)> {
    let Some(first) = lines.first() else {
        return Vec::new();
    };
    let base = first.indent;
    let mut out: Vec<(Pos, Vec<Line<'a>>)> = Vec::new();
    for line in lines {
        if line.indent == base && line.is_item() {
            let rest = &line.text[1..];
            let content = rest.trim_start();
            let extra = rest.len() - content.len();
            let mut block = Vec::new();
            let pos = if content.is_empty() {
                Pos::new(line.no, line.indent + 1)
            } else {
                let v = Line {
                    no: line.no,
                    indent: line.indent + 1 + extra,
                    text: content,
                };
                block.push(v);
                v.pos()
            };
            out.push((pos, block));
        } else if line.indent > base
            && let Some(last) = out.last_mut()
        {
            last.1.push(*line);
        }
    }
    out
}

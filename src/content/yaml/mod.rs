//! The only module that parses YAML (with `serde_yaml`, deprecated upstream: a swap touches
//! this folder alone).
//!
//! `serde_yaml` checks the syntax (with its limits against alias bombs and deep nesting)
//! and gives the values; a small indentation-aware locator over the source text (`locate`)
//! then gives every key and value its `line:col`, so validation can report all problems of
//! a file at once with file-relative positions, also inside front matter. Syntax errors
//! become diagnostics in `errors`.

mod errors;
mod locate;

use crate::error::{Diagnostic, Pos};
use crate::tx;

use errors::syntax_error;
use locate::{Line, locate_map, locate_seq};

/// A YAML value with the position where it starts.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub value: Value,
    pub pos: Pos,
    /// For plain scalars that are not strings (numbers, booleans): the text as written, when
    /// the locator found it, e.g. `1.000650` for a procedure code written without quotes.
    pub raw: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Number(String),
    Str(String),
    Seq(Vec<Node>),
    Map(Vec<Entry>),
}

/// A mapping entry: the key (with its position) and its value.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub key: String,
    pub key_pos: Pos,
    pub value: Node,
}

impl Value {
    /// A word for the kind of value, for "expected X, found Y" messages (en, vi).
    pub fn kind(&self) -> (&'static str, &'static str) {
        match self {
            Value::Null => ("nothing", "giá trị rỗng"),
            Value::Bool(_) => ("true/false", "true/false"),
            Value::Number(_) => ("a number", "một số"),
            Value::Str(_) => ("text", "văn bản"),
            Value::Seq(_) => ("a list", "một danh sách"),
            Value::Map(_) => ("a group of keys", "một nhóm khóa"),
        }
    }
}

/// A Markdown file's front matter and body, with the lines where each starts.
#[derive(Debug, Clone, PartialEq)]
pub struct FrontMatter<'a> {
    /// The YAML text between the `---` lines.
    pub yaml: &'a str,
    /// 1-based line of the file where `yaml` starts.
    pub yaml_line: usize,
    pub body: &'a str,
    /// 1-based line of the file where `body` starts.
    pub body_line: usize,
}

/// Splits `---\nYAML\n---\nBODY`. Returns `None` when the file does not start with a `---`
/// line, and `Err` (with the position of the opening line) when it is never closed.
pub fn split_front_matter<'a>(text: &'a str) -> Option<Result<FrontMatter<'a>, Pos>> {
    let first_end = text.find('\n').map_or(text.len(), |i| i + 1);
    if text[..first_end].trim_end() != "---" {
        return None;
    }
    let mut offset = first_end;
    let mut line = 2;
    while offset < text.len() {
        let end = text[offset..]
            .find('\n')
            .map_or(text.len(), |i| offset + i + 1);
        let l = text[offset..end].trim_end();
        if l == "---" || l == "..." {
            return Some(Ok(FrontMatter {
                yaml: &text[first_end..offset],
                yaml_line: 2,
                body: &text[end..],
                body_line: line + 1,
            }));
        }
        offset = end;
        line += 1;
    }
    Some(Err(Pos::START))
}

/// Parses one YAML document. `line_offset` is added to every line (for front matter:
/// the file line where the YAML starts, minus one).
pub fn parse(src: &str, file: &str, line_offset: usize) -> Result<Node, Diagnostic> {
    let value: serde_yaml::Value = match serde_yaml::from_str(src) {
        Ok(v) => v,
        Err(e) => return Err(syntax_error(&e, file, line_offset, src)),
    };
    let lines = Line::split(src);
    let view: Vec<Line<'_>> = lines.clone();
    let mut out = convert(&value, &view, Pos::START, file)?;
    shift(&mut out, line_offset);
    if out.pos.line == 0 {
        out.pos = Pos::new(line_offset + 1, 1);
    }
    Ok(out)
}

/// Adds `by` to the line of every position in `node`.
fn shift(node: &mut Node, by: usize) {
    node.pos.line += by;
    match &mut node.value {
        Value::Seq(items) => items.iter_mut().for_each(|n| shift(n, by)),
        Value::Map(entries) => {
            for e in entries {
                e.key_pos.line += by;
                shift(&mut e.value, by);
            }
        }
        _ => {}
    }
}

/// A mapping key as text (keys that are not strings written as YAML would print them).
fn key_string(k: &serde_yaml::Value) -> String {
    match k {
        serde_yaml::Value::String(s) => s.clone(),
        serde_yaml::Value::Number(n) => n.to_string(),
        serde_yaml::Value::Bool(b) => b.to_string(),
        serde_yaml::Value::Null => "null".to_string(),
        _ => "?".to_string(),
    }
}

/// Turns `serde_yaml`'s value into a [`Node`] tree, each node placed by the locator over
/// `lines` (the lines of its block); `pos` is where the value starts.
fn convert(
    v: &serde_yaml::Value,
    lines: &[Line<'_>],
    pos: Pos,
    file: &str,
) -> Result<Node, Diagnostic> {
    let node = |value| Node {
        value,
        pos,
        raw: None,
    };
    Ok(match v {
        serde_yaml::Value::Null => node(Value::Null),
        serde_yaml::Value::Bool(b) => node(Value::Bool(*b)),
        serde_yaml::Value::Number(n) => node(Value::Number(n.to_string())),
        serde_yaml::Value::String(s) => node(Value::Str(s.clone())),
        serde_yaml::Value::Sequence(items) => {
            let located = locate_seq(lines);
            let mut out = Vec::with_capacity(items.len());
            for (i, item) in items.iter().enumerate() {
                let (p, block) = match located.get(i) {
                    Some((p, b)) => (*p, b.as_slice()),
                    None => (pos, &[][..]),
                };
                out.push(convert(item, block, p, file)?);
            }
            node(Value::Seq(out))
        }
        serde_yaml::Value::Mapping(map) => {
            let mut located = locate_map(lines);
            let mut out = Vec::with_capacity(map.len());
            for (k, val) in map {
                let key = key_string(k);
                let found = located.iter().position(|l| l.key == key);
                let (key_pos, vpos, raw, block) = match found {
                    Some(i) => {
                        let l = located.remove(i);
                        let vpos = l
                            .value_pos
                            .or_else(|| l.block.first().map(|b| b.pos()))
                            .unwrap_or(l.key_pos);
                        (l.key_pos, vpos, l.raw, l.block)
                    }
                    None => (pos, pos, None, Vec::new()),
                };
                let mut child = convert(val, &block, vpos, file)?;
                if matches!(child.value, Value::Number(_) | Value::Bool(_)) {
                    child.raw = raw;
                }
                out.push(Entry {
                    key,
                    key_pos,
                    value: child,
                });
            }
            node(Value::Map(out))
        }
        serde_yaml::Value::Tagged(t) => {
            return Err(Diagnostic::error(
                file,
                pos,
                "",
                tx!(
                    "YAML tags such as `{}` are not supported",
                    "không hỗ trợ thẻ YAML như `{}`",
                    t.tag
                ),
            )
            .hint(tx!(
                "remove the `!tag` and write a plain value",
                "bỏ `!thẻ` và viết giá trị bình thường"
            )));
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn find<'a>(n: &'a Node, path: &[&str]) -> &'a Node {
        let mut cur = n;
        for p in path {
            cur = match (&cur.value, p.parse::<usize>()) {
                (Value::Seq(items), Ok(i)) => &items[i],
                (Value::Map(es), _) => &es.iter().find(|e| e.key == *p).unwrap().value,
                _ => panic!("bad path"),
            };
        }
        cur
    }

    #[test]
    fn locates_nested_keys_and_items() {
        let src = "title: A\n# comment\nsteps:\n  - title: one\n    text: |\n      body\n      key: no\n  - title: two\n    screenshot:\n      src: x.png\n      alt: y\nlist:\n- a\n- b\n";
        let n = parse(src, "f.yaml", 0).unwrap();
        assert_eq!(find(&n, &["title"]).pos, Pos::new(1, 8));
        assert_eq!(find(&n, &["steps", "0"]).pos, Pos::new(4, 5));
        assert_eq!(find(&n, &["steps", "1", "title"]).pos, Pos::new(8, 12));
        assert_eq!(
            find(&n, &["steps", "1", "screenshot", "alt"]).pos,
            Pos::new(11, 12)
        );
        assert_eq!(find(&n, &["list", "1"]).pos, Pos::new(14, 3));
        let Value::Map(es) = &find(&n, &["steps", "1", "screenshot"]).value else {
            panic!()
        };
        assert_eq!(es[1].key_pos, Pos::new(11, 7));
    }

    #[test]
    fn front_matter_offsets_positions() {
        let text = "---\ntitle: A\ncode: 1.000650\n---\nBody\n";
        let fm = split_front_matter(text).unwrap().unwrap();
        assert_eq!(fm.body, "Body\n");
        assert_eq!(fm.body_line, 5);
        let n = parse(fm.yaml, "g.md", fm.yaml_line - 1).unwrap();
        let code = find(&n, &["code"]);
        assert_eq!(code.pos, Pos::new(3, 7));
        assert_eq!(code.raw.as_deref(), Some("1.000650"));
    }

    #[test]
    fn unclosed_front_matter_is_reported() {
        assert_eq!(split_front_matter("---\ntitle: A\n"), Some(Err(Pos::START)));
        assert_eq!(split_front_matter("title: A\n"), None);
    }

    #[test]
    fn syntax_errors_carry_file_relative_positions() {
        let d = parse("a: 1\nb: [\n", "x.yaml", 10).unwrap_err();
        assert!(d.pos.line >= 11, "{d:?}");
    }

    #[test]
    fn alias_bomb_is_refused() {
        let mut src = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..10 {
            let p = i - 1;
            src.push_str(&format!(
                "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
            ));
        }
        let d = parse(&src, "bomb.yaml", 0).unwrap_err();
        assert!(d.message.en.contains("expands too much"), "{d:?}");
    }
}

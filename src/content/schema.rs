//! Reading typed values out of a located YAML tree, collecting every problem.
//!
//! Validation never stops at the first problem: each getter records a diagnostic and
//! returns `None`, so a clerk sees every typo of a file in one run.

use crate::content::yaml::{Entry, Node, Value};
use crate::error::{Diagnostic, Pos, closest};
use crate::i18n::Text;
use crate::tx;

/// Collects the diagnostics of one file.
pub struct Reader {
    pub file: String,
    pub diags: Vec<Diagnostic>,
}

impl Reader {
    pub fn new(file: &str) -> Self {
        Reader {
            file: file.to_string(),
            diags: Vec::new(),
        }
    }

    pub fn error(&mut self, pos: Pos, key: &str, msg: Text, hint: Text) {
        self.diags
            .push(Diagnostic::error(&self.file, pos, key, msg).hint(hint));
    }

    pub fn warning(&mut self, pos: Pos, key: &str, msg: Text, hint: Text) {
        self.diags
            .push(Diagnostic::warning(&self.file, pos, key, msg).hint(hint));
    }

    /// Opens `node` as a group of keys, or reports that it is not one.
    pub fn obj<'n>(&mut self, node: &'n Node, path: &str) -> Option<Obj<'n>> {
        match &node.value {
            Value::Map(entries) => Some(Obj {
                path: path.to_string(),
                pos: node.pos,
                entries,
                used: vec![false; entries.len()],
                missing: Vec::new(),
            }),
            other => {
                let (en, vi) = other.kind();
                self.error(
                    node.pos,
                    path,
                    Text::new(
                        format!("expected a group of `key: value` lines, found {en}"),
                        format!("cần một nhóm dòng `khóa: giá trị`, nhưng thấy {vi}"),
                    ),
                    tx!(
                        "write one `key: value` per line, indented under the key",
                        "viết mỗi dòng một `khóa: giá trị`, thụt lề dưới khóa cha"
                    ),
                );
                None
            }
        }
    }

    /// Items of a list node, or a report that it is not a list.
    pub fn list<'n>(&mut self, node: &'n Node, path: &str) -> Option<&'n [Node]> {
        match &node.value {
            Value::Seq(items) => Some(items),
            Value::Null => Some(&[]),
            other => {
                let (en, vi) = other.kind();
                self.error(
                    node.pos,
                    path,
                    Text::new(
                        format!("expected a list, found {en}"),
                        format!("cần một danh sách, nhưng thấy {vi}"),
                    ),
                    tx!(
                        "write each item on its own line starting with `- `",
                        "viết mỗi mục trên một dòng, bắt đầu bằng `- `"
                    ),
                );
                None
            }
        }
    }

    /// A text value (numbers are taken as written, so `code: 1.000650` keeps its zeros).
    pub fn text(&mut self, node: &Node, path: &str) -> Option<String> {
        match &node.value {
            Value::Str(s) => Some(s.trim().to_string()),
            Value::Number(n) => Some(node.raw.clone().unwrap_or_else(|| n.clone())),
            other => {
                let (en, vi) = other.kind();
                self.error(
                    node.pos,
                    path,
                    Text::new(format!("expected text, found {en}"), format!("cần văn bản, nhưng thấy {vi}")),
                    tx!(
                        "write the text after the key on the same line, or use `|` for several lines",
                        "viết văn bản ngay sau khóa trên cùng dòng, hoặc dùng `|` cho nhiều dòng"
                    ),
                );
                None
            }
        }
    }
}

/// A group of keys being read. Call [`Obj::finish`] at the end to report unknown keys.
pub struct Obj<'n> {
    pub path: String,
    pub pos: Pos,
    entries: &'n [Entry],
    used: Vec<bool>,
    /// Required keys found missing, with the index of their diagnostic in the reader.
    missing: Vec<(String, usize)>,
}

impl<'n> Obj<'n> {
    /// The key path of a child, e.g. `steps[2].screenshot`.
    pub fn child(&self, key: &str) -> String {
        if self.path.is_empty() {
            key.to_string()
        } else {
            format!("{}.{key}", self.path)
        }
    }

    /// The value of `key`, if present (and marks it as known).
    pub fn get(&mut self, key: &str) -> Option<&'n Node> {
        let i = self.entries.iter().position(|e| e.key == key)?;
        self.used[i] = true;
        Some(&self.entries[i].value)
    }

    /// Every entry, all marked as known (for groups whose keys are names, such as guide
    /// slugs; the caller checks them).
    pub fn all(&mut self) -> &'n [Entry] {
        self.used.iter_mut().for_each(|u| *u = true);
        self.entries
    }

    pub fn has(&self, key: &str) -> bool {
        self.entries.iter().any(|e| e.key == key)
    }

    /// Position of the value of `key`, or of the group when it is absent.
    pub fn pos_of(&self, key: &str) -> Pos {
        self.entries
            .iter()
            .find(|e| e.key == key)
            .map_or(self.pos, |e| e.value.pos)
    }

    /// `key` must be present.
    pub fn required(&mut self, r: &mut Reader, key: &str) -> Option<&'n Node> {
        match self.get(key) {
            Some(n) if n.value != Value::Null => Some(n),
            found => {
                let pos = found.map_or(self.pos, |n| n.pos);
                if found.is_none() {
                    self.missing.push((key.to_string(), r.diags.len()));
                }
                r.error(
                    pos,
                    &self.child(key),
                    tx!("missing required key `{}`", "thiếu khóa bắt buộc `{}`", key),
                    tx!("add a line `{}: …`", "thêm một dòng `{}: …`", key),
                );
                None
            }
        }
    }

    /// Required, non-empty text.
    pub fn req_text(&mut self, r: &mut Reader, key: &str) -> Option<String> {
        let node = self.required(r, key)?;
        let path = self.child(key);
        let s = r.text(node, &path)?;
        if s.is_empty() {
            r.error(
                node.pos,
                &path,
                tx!("`{}` is empty", "`{}` đang để trống", key),
                tx!("write a value after `{}:`", "viết giá trị sau `{}:`", key),
            );
            return None;
        }
        Some(s)
    }

    /// Optional text (empty counts as absent).
    pub fn opt_text(&mut self, r: &mut Reader, key: &str) -> Option<String> {
        let node = self.get(key)?;
        if node.value == Value::Null {
            return None;
        }
        let path = self.child(key);
        r.text(node, &path).filter(|s| !s.is_empty())
    }

    pub fn bool_or(&mut self, r: &mut Reader, key: &str, default: bool) -> bool {
        let Some(node) = self.get(key) else {
            return default;
        };
        match &node.value {
            Value::Bool(b) => *b,
            Value::Null => default,
            other => {
                let (en, vi) = other.kind();
                r.error(
                    node.pos,
                    &self.child(key),
                    Text::new(
                        format!("expected true or false, found {en}"),
                        format!("cần true hoặc false, nhưng thấy {vi}"),
                    ),
                    tx!(
                        "write `{}: true` or `{}: false`",
                        "viết `{}: true` hoặc `{}: false`",
                        key,
                        key
                    ),
                );
                default
            }
        }
    }

    /// A number in `min..=max` (default when absent).
    pub fn number_or(
        &mut self,
        r: &mut Reader,
        key: &str,
        default: f64,
        min: f64,
        max: f64,
    ) -> f64 {
        let Some(node) = self.get(key) else {
            return default;
        };
        let value = match &node.value {
            Value::Number(n) => n.parse::<f64>().ok(),
            Value::Null => return default,
            _ => None,
        };
        match value {
            Some(v) if (min..=max).contains(&v) => v,
            _ => {
                r.error(
                    node.pos,
                    &self.child(key),
                    tx!(
                        "expected a number from {} to {}",
                        "cần một số từ {} đến {}",
                        min,
                        max
                    ),
                    tx!("write e.g. `{}: {}`", "ví dụ: `{}: {}`", key, default),
                );
                default
            }
        }
    }

    /// An optional list (absent = empty).
    pub fn list(&mut self, r: &mut Reader, key: &str) -> &'n [Node] {
        match self.get(key) {
            Some(n) => r.list(n, &self.child(key)).unwrap_or(&[]),
            None => &[],
        }
    }

    /// A required list with at least one item.
    pub fn req_list(&mut self, r: &mut Reader, key: &str) -> Option<&'n [Node]> {
        let node = self.required(r, key)?;
        let items = r.list(node, &self.child(key))?;
        if items.is_empty() {
            r.error(
                node.pos,
                &self.child(key),
                tx!(
                    "`{}` needs at least one item",
                    "`{}` cần ít nhất một mục",
                    key
                ),
                tx!(
                    "add a line `- …` under `{}:`",
                    "thêm một dòng `- …` dưới `{}:`",
                    key
                ),
            );
            return None;
        }
        Some(items)
    }

    /// A list of texts.
    pub fn text_list(&mut self, r: &mut Reader, key: &str) -> Vec<String> {
        let path = self.child(key);
        self.list(r, key)
            .iter()
            .enumerate()
            .filter_map(|(i, n)| r.text(n, &format!("{path}[{}]", i + 1)))
            .filter(|s| !s.is_empty())
            .collect()
    }

    /// Reports every key that is not in `known`, with the closest known key as a hint.
    /// A key that is both unknown and the likely typo of a missing required key is
    /// reported once, as the typo.
    pub fn finish(self, r: &mut Reader, known: &[&str]) {
        let mut drop = Vec::new();
        for (e, used) in self.entries.iter().zip(&self.used) {
            if *used || known.contains(&e.key.as_str()) {
                continue;
            }
            let suggestion = closest(&e.key, known.iter().copied());
            if let Some(&(_, i)) = self
                .missing
                .iter()
                .find(|(k, _)| Some(k.as_str()) == suggestion)
            {
                drop.push(i);
            }
            let hint = match suggestion {
                Some(k) => tx!("did you mean `{}`?", "có phải ý bạn là `{}`?", k),
                None => tx!(
                    "known keys here: {}",
                    "các khóa hợp lệ ở đây: {}",
                    known.join(", ")
                ),
            };
            let key = if self.path.is_empty() {
                e.key.clone()
            } else {
                format!("{}.{}", self.path, e.key)
            };
            r.error(
                e.key_pos,
                &key,
                tx!("unknown key `{}`", "khóa không hợp lệ `{}`", e.key),
                hint,
            );
        }
        drop.sort_unstable();
        for i in drop.into_iter().rev() {
            r.diags.remove(i);
        }
    }
}

/// Key path of a list item (1-based, as people count): `steps[2]`.
pub fn item(path: &str, i: usize) -> String {
    format!("{path}[{}]", i + 1)
}

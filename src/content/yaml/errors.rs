//! `serde_yaml`'s syntax errors as diagnostics, with file-relative positions. Clearer
//! messages for the mistakes writers make most: a tab used for indentation, a key written
//! twice, a value starting with `*` or `&`, an invisible control character, a number too
//! large, nesting too deep; a generic wording by kind of error for the rest.

use crate::error::{Diagnostic, Pos};
use crate::tx;

/// The diagnostic for a syntax error of `serde_yaml` in `src`, which starts after line
/// `line_offset` of `file`: a specific one when [`refine`] knows the mistake, else a
/// wording by kind of error.
pub(super) fn syntax_error(
    e: &serde_yaml::Error,
    file: &str,
    line_offset: usize,
    src: &str,
) -> Diagnostic {
    let pos = e.location().map_or(Pos::new(line_offset + 1, 1), |l| {
        Pos::new(l.line() + line_offset, l.column())
    });
    let raw = e.to_string();
    // serde_yaml appends " at line L column C" to its messages: the position is printed
    // in front already.
    let msg = match raw.find(" at line ") {
        Some(i) => raw[..i].to_string(),
        None => raw.clone(),
    };
    if let Some(d) = refine(&msg, pos, line_offset, src, file) {
        return d;
    }
    let (text, hint) = if msg.contains("repetition limit") || msg.contains("recursion limit") {
        (
            tx!(
                "the YAML expands too much (aliases or nesting): {}",
                "YAML lồng nhau hoặc dùng bí danh (alias) quá nhiều: {}",
                msg
            ),
            tx!(
                "write the values out instead of using `&anchor`/`*alias` many times",
                "viết thẳng giá trị ra, đừng dùng `&anchor`/`*alias` lặp lại nhiều lần"
            ),
        )
    } else if msg.contains("duplicate entry") {
        (
            tx!("{}", "khóa bị lặp lại: {}", msg),
            tx!(
                "each key may appear once; remove or rename one of them",
                "mỗi khóa chỉ được viết một lần; xóa hoặc đổi tên một khóa"
            ),
        )
    } else if msg.contains("more than one document") {
        (
            tx!(
                "the file holds more than one YAML document",
                "tệp có nhiều hơn một tài liệu YAML"
            ),
            tx!("remove the extra `---` line", "xóa dòng `---` thừa"),
        )
    } else if msg.contains("end of stream") || msg.contains("did not find expected") {
        (
            tx!("invalid YAML: {}", "YAML không hợp lệ: {}", msg),
            tx!(
                "a quote `\"` or bracket `[` `{{` opened above is probably not closed",
                "có thể một dấu ngoặc kép `\"` hoặc ngoặc `[` `{{` mở ở phía trên chưa được đóng"
            ),
        )
    } else {
        (
            tx!("invalid YAML: {}", "YAML không hợp lệ: {}", msg),
            tx!(
                "check the indentation (spaces, not tabs) and that text containing `: ` or `#` is in quotes",
                "kiểm tra thụt lề (dùng dấu cách, không dùng tab) và đặt văn bản có `: ` hoặc `#` trong dấu ngoặc kép"
            ),
        )
    };
    Diagnostic::error(file, pos, "", text).hint(hint)
}

/// The YAML text an error is in: its file, its lines and where it starts in the file.
struct Source<'a> {
    file: &'a str,
    src: &'a str,
    lines: Vec<&'a str>,
    line_offset: usize,
}

impl<'a> Source<'a> {
    /// The text of file line `file_line` (1-based), if it is in the YAML.
    fn line_at(&self, file_line: usize) -> Option<&'a str> {
        file_line
            .checked_sub(self.line_offset + 1)
            .and_then(|i| self.lines.get(i))
            .copied()
    }
}

/// A specific diagnostic for `msg` (serde_yaml's message without its position), if one
/// applies. `pos` is file-relative; `line_offset` is where `src` starts in the file.
fn refine(msg: &str, pos: Pos, line_offset: usize, src: &str, file: &str) -> Option<Diagnostic> {
    let s = Source {
        file,
        src,
        lines: src.lines().collect(),
        line_offset,
    };
    if let Some(d) = tab_indent(&s, pos) {
        return Some(d);
    }
    let (path, rest) = split_path(msg);
    if let Some(key) = rest
        .strip_prefix("duplicate entry with key \"")
        .and_then(|k| k.strip_suffix('"'))
    {
        return Some(duplicate_key(&s, pos, &path, key));
    }
    if rest == "unknown anchor" {
        return Some(unknown_anchor(&s, pos, &path));
    }
    if let Some(at) = rest.strip_prefix("control characters are not allowed at position ") {
        return control_character(&s, at);
    }
    if let Some(num) = rest
        .strip_prefix("invalid type: integer `")
        .and_then(|r| r.split('`').next())
    {
        return Some(number_too_large(&s, pos, &path, num));
    }
    if rest.starts_with("recursion limit exceeded") {
        return Some(nested_too_deep(&s, pos, &path));
    }
    None
}

/// A tab in the indentation of the line of the error (or the line before it).
fn tab_indent(s: &Source<'_>, pos: Pos) -> Option<Diagnostic> {
    for l in [pos.line, pos.line.saturating_sub(1)] {
        let Some(text) = s.line_at(l) else { continue };
        let lead: &str = &text[..text.len() - text.trim_start().len()];
        if let Some(i) = lead.find('\t') {
            return Some(
                Diagnostic::error(
                    s.file,
                    Pos::new(l, lead[..i].chars().count() + 1),
                    "",
                    tx!(
                        "a tab is used for indentation",
                        "dòng này thụt lề bằng phím Tab"
                    ),
                )
                .hint(tx!(
                    "YAML allows only spaces for indentation: replace the tab with spaces (most editors can insert spaces when Tab is pressed)",
                    "YAML chỉ cho phép thụt lề bằng dấu cách: thay Tab bằng dấu cách (hầu hết trình soạn thảo có thể chèn dấu cách khi bấm Tab)"
                )),
            );
        }
    }
    None
}

/// A key written twice in one mapping: reported at the second, naming the line of the first.
fn duplicate_key(s: &Source<'_>, pos: Pos, path: &str, key: &str) -> Diagnostic {
    let line_offset = s.line_offset;
    let (first, second) = duplicate_lines(&s.lines, pos.line.saturating_sub(line_offset), key);
    let pos = second.map_or(pos, |(l, c)| Pos::new(l + line_offset, c));
    let full = if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    };
    let first = first.map_or(String::new(), |(l, _)| (l + line_offset).to_string());
    Diagnostic::error(
        s.file,
        pos,
        &full,
        tx!(
            "the key `{}` is written twice",
            "khóa `{}` được viết hai lần",
            key
        ),
    )
    .hint(if first.is_empty() {
        tx!(
            "each key may appear once: remove or rename one of them",
            "mỗi khóa chỉ được viết một lần: xóa hoặc đổi tên một khóa"
        )
    } else {
        tx!(
            "each key may appear once (the first is on line {}): remove or rename one of them",
            "mỗi khóa chỉ được viết một lần (lần đầu ở dòng {}): xóa hoặc đổi tên một khóa",
            first
        )
    })
}

/// A `*name` that is no alias: usually text starting with `*` that needs quotes.
fn unknown_anchor(s: &Source<'_>, pos: Pos, path: &str) -> Diagnostic {
    let name = s
        .line_at(pos.line)
        .and_then(|t| t.get(t.char_indices().nth(pos.col.saturating_sub(1))?.0..))
        .map(|t| {
            t.split(|c: char| c.is_whitespace() || c == ',' || c == ']' || c == '}')
                .next()
                .unwrap_or("")
                .to_string()
        })
        .unwrap_or_default();
    Diagnostic::error(
        s.file,
        pos,
        path,
        tx!(
            "`{}` refers to an anchor that does not exist",
            "`{}` trỏ tới một neo (anchor) không có",
            name
        ),
    )
    .hint(tx!(
        "text that starts with `*` or `&` must be in quotes, e.g. `\"{}\"`",
        "văn bản bắt đầu bằng `*` hoặc `&` phải để trong dấu ngoặc kép, ví dụ `\"{}\"`",
        name
    ))
}

/// An invisible control character, at the byte offset `at` (as serde_yaml writes it) of
/// the YAML text.
fn control_character(s: &Source<'_>, at: &str) -> Option<Diagnostic> {
    let offset: usize = at.trim().parse().ok()?;
    let before = s.src.get(..offset)?;
    let line = before.matches('\n').count() + 1 + s.line_offset;
    let col = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    let c = s.src.get(offset..)?.chars().next()?;
    Some(
        Diagnostic::error(
            s.file,
            Pos::new(line, col),
            "",
            tx!(
                "an invisible control character (U+{:04X}) is in the text",
                "có một ký tự điều khiển vô hình (U+{:04X}) trong văn bản",
                c as u32
            ),
        )
        .hint(tx!(
            "delete it and retype the text around it (it often comes from copying out of a PDF or Word)",
            "xóa ký tự đó và gõ lại đoạn chữ quanh nó (thường do chép từ PDF hoặc Word)"
        )),
    )
}

/// An integer too large for a number: usually an id or phone number that needs quotes.
fn number_too_large(s: &Source<'_>, pos: Pos, path: &str, num: &str) -> Diagnostic {
    Diagnostic::error(
        s.file,
        pos,
        path,
        tx!("the number `{}` is too large", "số `{}` quá lớn", num),
    )
    .hint(tx!(
        "if it is text (an id, a phone number), put it in quotes: `\"{}\"`",
        "nếu đây là chữ (mã số, số điện thoại), hãy để trong dấu ngoặc kép: `\"{}\"`",
        num
    ))
}

/// Nesting deeper than serde_yaml's recursion limit.
fn nested_too_deep(s: &Source<'_>, pos: Pos, path: &str) -> Diagnostic {
    Diagnostic::error(
        s.file,
        pos,
        path,
        tx!(
            "the YAML is nested too deeply",
            "YAML lồng nhau quá nhiều tầng"
        ),
    )
    .hint(tx!(
        "a guide needs at most a few levels (steps → screenshot → highlight); check for stray `[`, `{{` or `- `",
        "hướng dẫn chỉ cần vài tầng (steps → screenshot → highlight); kiểm tra các dấu `[`, `{{` hoặc `- ` thừa"
    ))
}

/// Splits serde_yaml's `steps[0].text: message` into the key path (with 1-based
/// indexes, as in all other diagnostics) and the message.
fn split_path(msg: &str) -> (String, &str) {
    if let Some((p, rest)) = msg.split_once(": ")
        && !p.is_empty()
        && !p.contains(' ')
        && p.chars()
            .all(|c| c.is_alphanumeric() || "_-.[]".contains(c))
    {
        let mut out = String::new();
        let mut num = String::new();
        let mut in_idx = false;
        for c in p.chars() {
            match c {
                '[' => {
                    in_idx = true;
                    out.push('[');
                }
                ']' if in_idx => {
                    in_idx = false;
                    match num.parse::<usize>() {
                        Ok(n) => out.push_str(&(n + 1).to_string()),
                        Err(_) => out.push_str(&num),
                    }
                    num.clear();
                    out.push(']');
                }
                c if in_idx => num.push(c),
                c => out.push(c),
            }
        }
        return (out, rest);
    }
    (String::new(), msg)
}

/// The (line, column) of the first two lines, from `from` (1-based, in `lines`) on, that
/// write `key:` at the same indentation.
type At = Option<(usize, usize)>;
fn duplicate_lines(lines: &[&str], from: usize, key: &str) -> (At, At) {
    let mut first: Option<(usize, usize, usize)> = None;
    for (i, l) in lines.iter().enumerate().skip(from.saturating_sub(1)) {
        let t = l.trim_start();
        let mut col = l.len() - t.len();
        let t = match t.strip_prefix("- ") {
            Some(r) => {
                col += 2;
                r
            }
            None => t,
        };
        let k = t.strip_prefix(key).filter(|r| r.starts_with(':'));
        let quoted = t
            .strip_prefix(&format!("\"{key}\""))
            .filter(|r| r.starts_with(':'));
        if k.is_none() && quoted.is_none() {
            continue;
        }
        let c = l[..col].chars().count() + 1;
        match first {
            None => first = Some((i + 1, c, col)),
            Some((fl, fc, fcol)) if fcol == col => return (Some((fl, fc)), Some((i + 1, c))),
            _ => {}
        }
    }
    (first.map(|(l, c, _)| (l, c)), None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serde_paths_become_one_based() {
        assert_eq!(
            split_path("steps[0].text: x"),
            ("steps[1].text".into(), "x")
        );
        assert_eq!(split_path("a[9][0]: y"), ("a[10][1]".into(), "y"));
        assert_eq!(
            split_path("unknown anchor"),
            (String::new(), "unknown anchor")
        );
        assert_eq!(split_path("two words: x"), (String::new(), "two words: x"));
    }
}

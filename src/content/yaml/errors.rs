//! Clearer messages for the YAML syntax errors writers make most: a tab used for
//! indentation, a key written twice, a value starting with `*` or `&`, an invisible
//! control character, a number too large, nesting too deep. Called by
//! [`crate::content::yaml::parse`] before its generic wording.

use crate::error::{Diagnostic, Pos};
use crate::tx;

/// A specific diagnostic for `msg` (serde_yaml's message without its position), if one
/// applies. `pos` is file-relative; `line_offset` is where `src` starts in the file.
pub(crate) fn refine(
    msg: &str,
    pos: Pos,
    line_offset: usize,
    src: &str,
    file: &str,
) -> Option<Diagnostic> {
    let lines: Vec<&str> = src.lines().collect();
    let line_at = |file_line: usize| {
        file_line
            .checked_sub(line_offset + 1)
            .and_then(|i| lines.get(i))
            .copied()
    };
    // A tab in the indentation of the line of the error (or the line before it).
    for l in [pos.line, pos.line.saturating_sub(1)] {
        let Some(text) = line_at(l) else { continue };
        let lead: &str = &text[..text.len() - text.trim_start().len()];
        if let Some(i) = lead.find('\t') {
            return Some(
                Diagnostic::error(
                    file,
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
    let (path, rest) = split_path(msg);
    if let Some(key) = rest
        .strip_prefix("duplicate entry with key \"")
        .and_then(|k| k.strip_suffix('"'))
    {
        let (first, second) = duplicate_lines(&lines, pos.line.saturating_sub(line_offset), key);
        let pos = second.map_or(pos, |(l, c)| Pos::new(l + line_offset, c));
        let full = if path.is_empty() {
            key.to_string()
        } else {
            format!("{path}.{key}")
        };
        let first = first.map_or(String::new(), |(l, _)| (l + line_offset).to_string());
        return Some(
            Diagnostic::error(
                file,
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
            }),
        );
    }
    if rest == "unknown anchor" {
        let name = line_at(pos.line)
            .and_then(|t| t.get(t.char_indices().nth(pos.col.saturating_sub(1))?.0..))
            .map(|t| {
                t.split(|c: char| c.is_whitespace() || c == ',' || c == ']' || c == '}')
                    .next()
                    .unwrap_or("")
                    .to_string()
            })
            .unwrap_or_default();
        return Some(
            Diagnostic::error(
                file,
                pos,
                &path,
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
            )),
        );
    }
    if let Some(at) = rest.strip_prefix("control characters are not allowed at position ") {
        let offset: usize = at.trim().parse().ok()?;
        let before = src.get(..offset)?;
        let line = before.matches('\n').count() + 1 + line_offset;
        let col = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
        let c = src.get(offset..)?.chars().next()?;
        return Some(
            Diagnostic::error(
                file,
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
        );
    }
    if let Some(num) = rest
        .strip_prefix("invalid type: integer `")
        .and_then(|r| r.split('`').next())
    {
        return Some(
            Diagnostic::error(
                file,
                pos,
                &path,
                tx!("the number `{}` is too large", "số `{}` quá lớn", num),
            )
            .hint(tx!(
                "if it is text (an id, a phone number), put it in quotes: `\"{}\"`",
                "nếu đây là chữ (mã số, số điện thoại), hãy để trong dấu ngoặc kép: `\"{}\"`",
                num
            )),
        );
    }
    if rest.starts_with("recursion limit exceeded") {
        return Some(
            Diagnostic::error(
                file,
                pos,
                &path,
                tx!(
                    "the YAML is nested too deeply",
                    "YAML lồng nhau quá nhiều tầng"
                ),
            )
            .hint(tx!(
                "a guide needs at most a few levels (steps → screenshot → highlight); check for stray `[`, `{{` or `- `",
                "hướng dẫn chỉ cần vài tầng (steps → screenshot → highlight); kiểm tra các dấu `[`, `{{` hoặc `- ` thừa"
            )),
        );
    }
    None
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

//! Reading the content folder: which files are guides, their text (UTF-8, BOM dropped,
//! CRLF made LF, normalised to NFC), and content paths that may not leave the folder.

use std::path::{Component, Path, PathBuf};

use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

use crate::error::{Diagnostic, Pos};
use crate::tx;

/// Largest text file accepted (guides are a few kilobytes).
pub const MAX_TEXT_BYTES: u64 = 1024 * 1024;

/// What kind of guide file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Yaml,
    Markdown,
}

/// A guide file found under `guides/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GuideFile {
    /// Path relative to the content folder, `/`-separated.
    pub rel: String,
    pub kind: Kind,
}

/// Lists the guide files under `root/guides`, sorted, skipping hidden files, editor
/// temporaries and other extensions.
pub fn guide_files(root: &Path) -> Result<Vec<GuideFile>, Diagnostic> {
    let dir = root.join("guides");
    if !dir.is_dir() {
        return Err(Diagnostic::error(
            "guides",
            Pos::default(),
            "",
            tx!("the folder `guides/` is missing", "thiếu thư mục `guides/`"),
        )
        .hint(tx!(
            "put one file per guide in `guides/` (see `camnang init`)",
            "đặt mỗi hướng dẫn một tệp trong `guides/` (xem `camnang init`)"
        )));
    }
    let mut out = Vec::new();
    let walker = walkdir::WalkDir::new(&dir)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored(&e.file_name().to_string_lossy()));
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let rel = e
                    .path()
                    .and_then(|p| p.strip_prefix(root).ok())
                    .map_or_else(|| "guides".to_string(), rel_string);
                return Err(Diagnostic::error(
                    &rel,
                    Pos::default(),
                    "",
                    tx!("cannot read: {}", "không đọc được: {}", e),
                ));
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let name = entry.file_name().to_string_lossy();
        let kind = match Path::new(&*name).extension().and_then(|e| e.to_str()) {
            Some("yaml" | "yml") => Kind::Yaml,
            Some("md" | "markdown") => Kind::Markdown,
            _ => continue,
        };
        let rel = rel_string(entry.path().strip_prefix(root).unwrap_or(entry.path()));
        out.push(GuideFile { rel, kind });
    }
    Ok(out)
}

/// Hidden files, editor backups and temporaries (`.x`, `x~`, `#x#`, `x.swp`, `x.tmp`).
pub fn is_ignored(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
}

/// `/`-separated form of a relative path.
pub fn rel_string(p: &Path) -> String {
    p.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Reads a text file of the content folder: size limit, UTF-8, BOM, CRLF, NFC.
pub fn read_text(root: &Path, rel: &str) -> Result<String, Diagnostic> {
    let path = root.join(rel);
    let meta = std::fs::metadata(&path).map_err(|e| io_diag(rel, &e))?;
    if meta.len() > MAX_TEXT_BYTES {
        return Err(Diagnostic::error(
            rel,
            Pos::default(),
            "",
            tx!(
                "the file is too large ({} KiB; at most {} KiB)",
                "tệp quá lớn ({} KiB; tối đa {} KiB)",
                meta.len() / 1024,
                MAX_TEXT_BYTES / 1024
            ),
        )
        .hint(tx!(
            "a guide is a few pages of text; split it or remove pasted data",
            "một hướng dẫn chỉ vài trang chữ; hãy tách ra hoặc xóa dữ liệu dán nhầm"
        )));
    }
    let bytes = std::fs::read(&path).map_err(|e| io_diag(rel, &e))?;
    decode(rel, &bytes)
}

fn io_diag(rel: &str, e: &std::io::Error) -> Diagnostic {
    Diagnostic::error(
        rel,
        Pos::default(),
        "",
        tx!("cannot read the file: {}", "không đọc được tệp: {}", e),
    )
}

/// Decodes file bytes: UTF-8 required (BOM allowed), CRLF/CR → LF, NFC.
pub fn decode(rel: &str, bytes: &[u8]) -> Result<String, Diagnostic> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let valid = std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or("");
            let line = valid.matches('\n').count() + 1;
            let col = valid.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            return Err(Diagnostic::error(
                rel,
                Pos::new(line, col),
                "",
                tx!(
                    "the file is not UTF-8 text (invalid byte 0x{:02X})",
                    "tệp không phải văn bản UTF-8 (byte không hợp lệ 0x{:02X})",
                    bytes[e.valid_up_to()]
                ),
            )
            .hint(tx!(
                "save the file as UTF-8 in your editor (e.g. \"Save with encoding: UTF-8\")",
                "lưu lại tệp với bảng mã UTF-8 trong trình soạn thảo (ví dụ \"Save with encoding: UTF-8\")"
            )));
        }
    };
    if text.trim().is_empty() {
        return Err(
            Diagnostic::error(rel, Pos::START, "", tx!("the file is empty", "tệp trống")).hint(
                tx!(
                    "write the guide's keys (see `camnang new`), or delete the file",
                    "viết các khóa của hướng dẫn (xem `camnang new`), hoặc xóa tệp"
                ),
            ),
        );
    }
    if text.contains('\0') {
        return Err(Diagnostic::error(
            rel,
            Pos::START,
            "",
            tx!(
                "the file contains NUL bytes: it is not text",
                "tệp chứa byte NUL: không phải văn bản"
            ),
        ));
    }
    if let Some(i) = text.find(|c| ('\u{FDD0}'..='\u{FDEF}').contains(&c)) {
        let line = text[..i].matches('\n').count() + 1;
        let col = text[..i]
            .rsplit('\n')
            .next()
            .map_or(0, |l| l.chars().count())
            + 1;
        return Err(Diagnostic::error(
            rel,
            Pos::new(line, col),
            "",
            tx!(
                "the file contains U+{:04X}, a character Unicode keeps for programs' own use (camnang marks office details with it)",
                "tệp chứa ký tự U+{:04X}, ký tự Unicode dành riêng cho chương trình (camnang dùng nó để đánh dấu thông tin phường)",
                text[i..].chars().next().map_or(0, u32::from)
            ),
        )
        .hint(tx!(
            "delete the character (it shows as nothing or as a box in most editors)",
            "xóa ký tự này (đa số trình soạn thảo hiện nó là ô trống hoặc không hiện gì)"
        )));
    }
    let text = if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text.to_string()
    };
    Ok(nfc(text))
}

/// Normalises to NFC (cheaply when it already is).
pub fn nfc(s: String) -> String {
    if is_nfc_quick(s.chars()) == IsNormalized::Yes {
        s
    } else {
        s.nfc().collect()
    }
}

/// Why a content path was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathProblem {
    Absolute,
    Escapes,
    Missing,
    NotAFile,
    OutsideViaLink,
}

/// Checks that `rel` (as written in content) names a file inside the content folder, and
/// returns its canonical path. Refuses absolute paths, `..`, backslashes and links that
/// lead outside.
pub fn resolve_in(root: &Path, rel: &str) -> Result<PathBuf, PathProblem> {
    if rel.starts_with('/') || rel.starts_with('\\') || rel.contains(':') {
        return Err(PathProblem::Absolute);
    }
    if rel.contains('\\') {
        return Err(PathProblem::Escapes);
    }
    let p = Path::new(rel);
    for c in p.components() {
        match c {
            Component::Normal(_) | Component::CurDir => {}
            Component::ParentDir => return Err(PathProblem::Escapes),
            Component::RootDir | Component::Prefix(_) => return Err(PathProblem::Absolute),
        }
    }
    let full = root.join(p);
    let canon_root = root.canonicalize().map_err(|_| PathProblem::Missing)?;
    let canon = match full.canonicalize() {
        Ok(c) => c,
        Err(_) => {
            // A dangling link is "missing" only if it is not a link out of the folder.
            return Err(PathProblem::Missing);
        }
    };
    if !canon.starts_with(&canon_root) {
        return Err(PathProblem::OutsideViaLink);
    }
    if !canon.is_file() {
        return Err(PathProblem::NotAFile);
    }
    Ok(canon)
}

/// For a content path that does not exist: the existing file it most likely means (the
/// same name in other case, or one or two letters off), e.g. `images/Buoc-1.PNG` for
/// `images/buoc-1.png`. Only looks inside the content folder.
pub fn near_miss(root: &Path, rel: &str) -> Option<String> {
    let mut dir = root.to_path_buf();
    let mut out: Vec<String> = Vec::new();
    let parts: Vec<&str> = rel
        .split('/')
        .filter(|p| !p.is_empty() && *p != ".")
        .collect();
    for (i, part) in parts.iter().enumerate() {
        if *part == ".." {
            return None;
        }
        let last = i + 1 == parts.len();
        let exact = dir.join(part);
        let name = if exact.exists() && (!last || exact.is_file()) {
            part.to_string()
        } else {
            let want = crate::vn::fold(part);
            let names: Vec<String> = std::fs::read_dir(&dir)
                .ok()?
                .filter_map(Result::ok)
                .filter(|e| {
                    e.file_type()
                        .is_ok_and(|t| if last { t.is_file() } else { t.is_dir() })
                })
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| !is_ignored(n))
                .collect();
            names
                .iter()
                .map(|n| (strsim::damerau_levenshtein(&want, &crate::vn::fold(n)), n))
                .filter(|(d, _)| *d <= 2)
                .min_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(b.1)))
                .map(|(_, n)| n.clone())?
        };
        dir.push(&name);
        out.push(name);
    }
    let found = out.join("/");
    (found != rel && resolve_in(root, &found).is_ok()).then_some(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode_refuses_the_character_that_marks_office_details() {
        let d = decode(
            "guides/a.yaml",
            "title: a\nsummary: Lê \u{FDD0}Chân\n".as_bytes(),
        )
        .unwrap_err();
        assert_eq!((d.file.as_str(), d.pos), ("guides/a.yaml", Pos::new(2, 13)));
        assert!(d.message.en.contains("U+FDD0"), "{:?}", d.message);
    }

    #[test]
    fn decode_accepts_bom_crlf_and_nfd() {
        let nfd = "Ðăng ky\u{301}\r\n".nfd().collect::<String>();
        let mut bytes = b"\xEF\xBB\xBF".to_vec();
        bytes.extend(nfd.as_bytes());
        let t = decode("a.yaml", &bytes).unwrap();
        assert_eq!(t, "Ðăng ký\n");
    }

    #[test]
    fn decode_reports_first_invalid_byte() {
        let d = decode("a.yaml", b"title: ok\nsummary: caf\xE9\n").unwrap_err();
        assert_eq!(d.pos, Pos::new(2, 13));
        assert!(d.message.en.contains("0xE9"));
    }

    #[test]
    fn paths_cannot_escape() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.png"), b"x").unwrap();
        assert!(resolve_in(dir.path(), "a.png").is_ok());
        assert_eq!(
            resolve_in(dir.path(), "../a.png"),
            Err(PathProblem::Escapes)
        );
        assert_eq!(
            resolve_in(dir.path(), "x/../../a.png"),
            Err(PathProblem::Escapes)
        );
        assert_eq!(
            resolve_in(dir.path(), "/etc/passwd"),
            Err(PathProblem::Absolute)
        );
        assert_eq!(
            resolve_in(dir.path(), "C:/x.png"),
            Err(PathProblem::Absolute)
        );
        assert_eq!(resolve_in(dir.path(), "b.png"), Err(PathProblem::Missing));
    }
}

//! Which folder is the content folder when the command line does not name one.
//!
//! As with mdBook, Zola and Hugo, the commands work from inside the project: `camnang init
//! cam-nang-phuong && cd cam-nang-phuong && camnang build` builds that folder. With no
//! CONTENT argument the content folder is `./content` if it holds a `site.yaml`, else the
//! current folder if it holds one, else `./content` (whose missing `site.yaml` is then
//! reported with a hint).

use std::path::{Path, PathBuf};

use crate::content::config::SITE_FILE;
use crate::i18n::Lang;

/// The folder used when no CONTENT argument is given and neither candidate has a `site.yaml`.
pub const DEFAULT_CONTENT: &str = "content";

/// How the content folder was chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Found {
    /// Named on the command line.
    Given,
    /// `./content`, which holds a `site.yaml`.
    Subfolder,
    /// The current folder, which holds a `site.yaml`.
    Here,
    /// Neither holds a `site.yaml`: `./content`, to report what is missing.
    Missing,
}

/// The content folder for `arg` (the CONTENT argument, if any), looking in `cwd`.
/// The path returned is relative when `cwd` is the process's current folder (`.`).
pub fn content_folder(arg: Option<&Path>, cwd: &Path) -> (PathBuf, Found) {
    if let Some(a) = arg {
        return (a.to_path_buf(), Found::Given);
    }
    let rel = |p: &str| -> PathBuf {
        if cwd == Path::new(".") {
            PathBuf::from(p)
        } else {
            cwd.join(p)
        }
    };
    if cwd.join(DEFAULT_CONTENT).join(SITE_FILE).is_file() {
        (rel(DEFAULT_CONTENT), Found::Subfolder)
    } else if cwd.join(SITE_FILE).is_file() {
        (rel("."), Found::Here)
    } else {
        (rel(DEFAULT_CONTENT), Found::Missing)
    }
}

/// The `-v` line saying which content folder a command uses, and why.
pub fn describe(path: &Path, found: Found, lang: Lang) -> String {
    let p = path.display();
    match (found, lang) {
        (Found::Given, Lang::Vi) => format!("thư mục nội dung: {p} (theo dòng lệnh)"),
        (Found::Given, Lang::En) => format!("content folder: {p} (from the command line)"),
        (Found::Subfolder, Lang::Vi) => format!("thư mục nội dung: {p} (có {SITE_FILE})"),
        (Found::Subfolder, Lang::En) => format!("content folder: {p} (it has {SITE_FILE})"),
        (Found::Here, Lang::Vi) => {
            format!(
                "thư mục nội dung: thư mục hiện tại (có {SITE_FILE}; không có content/{SITE_FILE})"
            )
        }
        (Found::Here, Lang::En) => format!(
            "content folder: the current folder (it has {SITE_FILE}; there is no content/{SITE_FILE})"
        ),
        (Found::Missing, Lang::Vi) => format!(
            "thư mục nội dung: {p} (không thấy {SITE_FILE} ở content/ hay ở thư mục hiện tại)"
        ),
        (Found::Missing, Lang::En) => {
            format!("content folder: {p} (no {SITE_FILE} in content/ nor in the current folder)")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(dir: &Path) {
        std::fs::create_dir_all(dir).unwrap();
        std::fs::write(dir.join(SITE_FILE), "title: x\n").unwrap();
    }

    #[test]
    fn a_named_folder_wins() {
        let t = tempfile::tempdir().unwrap();
        site(&t.path().join("content"));
        let (p, f) = content_folder(Some(Path::new("other")), t.path());
        assert_eq!((p, f), (PathBuf::from("other"), Found::Given));
    }

    #[test]
    fn content_subfolder_with_site_yaml_comes_first() {
        let t = tempfile::tempdir().unwrap();
        site(t.path());
        site(&t.path().join("content"));
        assert_eq!(
            content_folder(None, t.path()),
            (t.path().join("content"), Found::Subfolder)
        );
    }

    #[test]
    fn the_current_folder_when_it_is_the_project() {
        let t = tempfile::tempdir().unwrap();
        site(t.path());
        // A `content/` without site.yaml (e.g. someone's notes) does not count.
        std::fs::create_dir_all(t.path().join("content")).unwrap();
        assert_eq!(
            content_folder(None, t.path()),
            (t.path().join("."), Found::Here)
        );
    }

    #[test]
    fn neither_falls_back_to_content_to_report_it() {
        let t = tempfile::tempdir().unwrap();
        assert_eq!(
            content_folder(None, t.path()),
            (t.path().join("content"), Found::Missing)
        );
    }
}

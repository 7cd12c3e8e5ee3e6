//! `camnang init` (a new site) and `camnang new` (a new guide).
//!
//! The texts of a new site are files under `src/commands/scaffold/`, embedded in the binary. A new
//! guide is written by [`guide_yaml`], which puts every key in the file, each with a
//! Vietnamese comment; values still to be written contain [`PLACEHOLDER`], which `check`
//! reports as a warning (so `check --strict` fails until they are all filled in).
//!
//! `new SLUG --from CODE` copies the guide whose procedure code is `CODE` (a variant of a
//! procedure usually shares the office, fee, documents and steps) into the new file with
//! every key commented; its `code` and `title` become placeholders again and its portal
//! link is dropped, since the new guide is about another procedure.

use std::path::{Path, PathBuf};

use crate::content::config;
use crate::content::config::Site;
use crate::content::files;
use crate::content::guide;
use crate::content::guide::Guide;
use crate::content::guide::PLACEHOLDER;
use crate::error::Error;
use crate::i18n::Lang;
use crate::vn::suggest_slug;

mod placeholder;
pub(crate) mod yaml;

pub(crate) use placeholder::placeholder;
pub use yaml::guide_yaml;

/// The files of a new site: path relative to the site folder, content.
pub const SITE_FILES: &[(&str, &str)] = &[
    ("site.yaml", include_str!("scaffold/site.yaml")),
    ("README.md", include_str!("scaffold/README.md")),
    (".gitignore", include_str!("scaffold/gitignore")),
    (
        "guides/dang-ky-khai-sinh.yaml",
        include_str!("scaffold/dang-ky-khai-sinh.yaml"),
    ),
    (
        "images/dang-ky-khai-sinh/dang-nhap.svg",
        include_str!("scaffold/dang-nhap.svg"),
    ),
    (
        "images/dang-ky-khai-sinh/chon-co-quan.svg",
        include_str!("scaffold/chon-co-quan.svg"),
    ),
    (
        "images/dang-ky-khai-sinh/to-khai.svg",
        include_str!("scaffold/to-khai.svg"),
    ),
    (
        "images/dang-ky-khai-sinh/gui-ho-so.svg",
        include_str!("scaffold/gui-ho-so.svg"),
    ),
];

pub(crate) fn msg(lang: Lang, en: String, vi: String) -> Error {
    Error::Other(match lang {
        Lang::En => en,
        Lang::Vi => vi,
    })
}

/// Creates a new site in `dir` (created if missing; refused if it has anything in it).
/// Returns the files written, in order.
pub fn init(dir: &Path, lang: Lang) -> Result<Vec<PathBuf>, Error> {
    if dir.exists() {
        let mut entries = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
        if entries.next().is_some() {
            return Err(msg(
                lang,
                format!(
                    "{} is not empty: nothing was written\n  hint: give a new folder name, e.g. `camnang init cam-nang-phuong`",
                    dir.display()
                ),
                format!(
                    "thư mục {} không trống: chưa ghi gì cả\n  gợi ý: đặt tên một thư mục mới, ví dụ `camnang init cam-nang-phuong`",
                    dir.display()
                ),
            ));
        }
    }
    let mut written = Vec::new();
    for (rel, text) in SITE_FILES {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        std::fs::write(&path, text).map_err(|e| Error::io(&path, e))?;
        written.push(path);
    }
    Ok(written)
}

/// Writes `content/guides/SLUG.yaml`, a new guide with every key (see the module docs for
/// `from`). Refuses an invalid slug and an existing guide of that slug.
pub fn new_guide(
    content: &Path,
    slug: &str,
    from: Option<&str>,
    lang: Lang,
) -> Result<PathBuf, Error> {
    check_slug(slug, lang)?;
    let site = load_site(content, lang)?;
    let dir = content.join("guides");
    refuse_existing(&dir, slug, lang)?;
    let text = match from {
        None => guide_yaml(&placeholder(&site, slug), &site, false),
        Some(code) => guide_yaml(&copied(content, &dir, slug, code, lang)?, &site, true),
    };
    std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
    let path = dir.join(format!("{slug}.yaml"));
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .map_err(|e| Error::io(&path, e))?;
    std::io::Write::write_all(&mut f, text.as_bytes()).map_err(|e| Error::io(&path, e))?;
    Ok(path)
}

/// Refuses a slug that cannot be a file and page name, suggesting one made from it.
fn check_slug(slug: &str, lang: Lang) -> Result<(), Error> {
    if config::is_slug(slug) {
        return Ok(());
    }
    let s = suggest_slug(slug);
    let (hint_en, hint_vi) = if s.is_empty() {
        (
            "use lower-case letters without marks, digits and `-`, e.g. `dang-ky-ket-hon`"
                .to_string(),
            "dùng chữ thường không dấu, số và `-`, ví dụ `dang-ky-ket-hon`".to_string(),
        )
    } else {
        (
            format!("try `camnang new {s}`"),
            format!("thử `camnang new {s}`"),
        )
    };
    Err(msg(
        lang,
        format!(
            "`{slug}` cannot be a guide's name: only lower-case letters without marks, digits and `-` (it becomes the page address)\n  hint: {hint_en}"
        ),
        format!(
            "`{slug}` không dùng làm tên hướng dẫn được: chỉ gồm chữ thường không dấu, số và `-` (tên là địa chỉ trang)\n  gợi ý: {hint_vi}"
        ),
    ))
}

/// The site's `site.yaml` (for the category ids), or its first problem as the error.
pub(crate) fn load_site(content: &Path, lang: Lang) -> Result<Site, Error> {
    config::load(content).map_err(|d| {
        let first = d
            .first()
            .map(|d| d.display(content, lang).to_string())
            .unwrap_or_default();
        msg(
            lang,
            format!("{first}\n(fix site.yaml first: `camnang check`)"),
            format!("{first}\n(hãy sửa site.yaml trước: `camnang check`)"),
        )
    })
}

/// Refuses a slug that a guide in `dir` already has, in any of the guide file types.
pub(crate) fn refuse_existing(dir: &Path, slug: &str, lang: Lang) -> Result<(), Error> {
    for ext in ["yaml", "yml", "md", "markdown"] {
        let existing = dir.join(format!("{slug}.{ext}"));
        if existing.exists() {
            return Err(msg(
                lang,
                format!(
                    "{} already exists: nothing was written\n  hint: choose another name, or edit that file",
                    existing.display()
                ),
                format!(
                    "đã có tệp {}: chưa ghi gì cả\n  gợi ý: chọn tên khác, hoặc sửa tệp đó",
                    existing.display()
                ),
            ));
        }
    }
    Ok(())
}

/// The guide with procedure code `code`, as the start of the guide `slug`: its code and
/// title placeholders again, its portal link dropped.
fn copied(content: &Path, dir: &Path, slug: &str, code: &str, lang: Lang) -> Result<Guide, Error> {
    let mut g = find_by_code(content, code).ok_or_else(|| {
        msg(
            lang,
            format!("no guide in {} has the procedure code {code}\n  hint: the code is the `code:` of an existing guide, e.g. 1.001193", dir.display()),
            format!("không hướng dẫn nào trong {} có mã thủ tục {code}\n  gợi ý: mã là giá trị `code:` của một hướng dẫn đã có, ví dụ 1.001193", dir.display()),
        )
    })?;
    g.slug = slug.to_string();
    g.title = format!("{PLACEHOLDER}: tên thủ tục (chép từ: {})", g.title);
    g.code = Some(format!("{PLACEHOLDER}: mã thủ tục (thủ tục gốc: {code})"));
    g.portal = Default::default();
    Ok(g)
}

/// The first guide (in file order) whose `code` is `code`, read without the checks that
/// need the whole site.
fn find_by_code(content: &Path, code: &str) -> Option<Guide> {
    let files = files::guide_files(content).ok()?;
    files
        .iter()
        .filter_map(|f| guide::load(content, f).0)
        .find(|g| g.code.as_deref() == Some(code.trim()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_suggested_from_titles() {
        assert_eq!(suggest_slug("Đăng ký kết hôn"), "dang-ky-ket-hon");
        assert_eq!(
            suggest_slug("  Xác_nhận -- tình trạng!  "),
            "xac-nhan-tinh-trang"
        );
        assert_eq!(suggest_slug("Khai sinh 2026"), "khai-sinh-2026");
        assert_eq!(suggest_slug("../.."), "");
        assert!(config::is_slug(&suggest_slug("Giấy phép lái xe (đổi)")));
    }
}

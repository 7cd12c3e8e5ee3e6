//! The authoring warnings about loaded content, shown by `check` and `build`:
//! - a guide not reviewed for more than `review.max_age_months` months (default 12), or
//!   reviewed "in the future";
//! - a guide without `sources:`;
//! - a screenshot over 1 MiB, of an odd shape (width:height outside 1:2.5 … 2.5:1) or whose
//!   size cannot be read (a damaged file, or a JPEG saved as `.png`);
//! - an image under `images/` that no guide uses;
//! - placeholder text left by `camnang new` ([`PLACEHOLDER`]).
//!
//! The leaflet-length warning needs the print layout and is made by rendering.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::content::Content;
use crate::content::files;
use crate::content::guide::{Date, Guide, IMAGE_EXTENSIONS, PLACEHOLDER, Screenshot};
use crate::content::markdown::{self, Target};
use crate::content::schema::item;
use crate::error::{Diagnostic, Pos};
use crate::tx;

/// Screenshots larger than this are reported (kiosks and phones load every picture).
pub const MAX_SCREENSHOT_BYTES: u64 = 1024 * 1024;

/// Screenshots whose width:height is outside `1:MAX_ASPECT … MAX_ASPECT:1` are reported.
pub const MAX_ASPECT: f64 = 2.5;

/// The authoring warnings about loaded content (all but the leaflet length, which the
/// printables report themselves). Called by `check` and by `build`.
pub fn warnings(c: &Content) -> Vec<Diagnostic> {
    let today = c.today;
    let mut out: Vec<Diagnostic> = c
        .guides
        .par_iter()
        .flat_map_iter(|g| {
            let mut d = Vec::new();
            review(g, today, c.site.review_months, &mut d);
            if g.sources.is_empty() {
                d.push(
                    Diagnostic::warning(
                        &g.file,
                        Pos::START,
                        "sources",
                        tx!(
                            "the guide cites no sources",
                            "hướng dẫn chưa trích dẫn nguồn nào"
                        ),
                    )
                    .hint(tx!(
                        "add at least one `sources:` entry (title + url): the law or the portal page the facts come from",
                        "thêm ít nhất một nguồn trong `sources:` (title + url): văn bản pháp luật hoặc trang cổng mà thông tin được lấy từ đó"
                    )),
                );
            }
            screenshots(g, &mut d);
            placeholders(&c.root, g, &mut d);
            d
        })
        .collect();
    out.extend(unused_images(c));
    out
}

fn review(g: &Guide, today: Date, max: u32, out: &mut Vec<Diagnostic>) {
    if g.reviewed > today {
        out.push(
            Diagnostic::warning(
                &g.file,
                g.reviewed_pos,
                "reviewed",
                tx!(
                    "the review date {} is in the future",
                    "ngày kiểm tra {} nằm ở tương lai",
                    g.reviewed.vn()
                ),
            )
            .hint(tx!(
                "write the day the facts were last checked, as YYYY-MM-DD",
                "ghi ngày thông tin được kiểm tra lần cuối, dạng NĂM-THÁNG-NGÀY"
            )),
        );
        return;
    }
    let months = g.reviewed.months_until(today);
    if months > max as i32 {
        out.push(
            Diagnostic::warning(
                &g.file,
                g.reviewed_pos,
                "reviewed",
                tx!(
                    "not reviewed for {} months (last on {}; at most {} months)",
                    "đã {} tháng chưa kiểm tra lại (lần cuối {}; tối đa {} tháng)",
                    months,
                    g.reviewed.vn(),
                    max
                ),
            )
            .hint(tx!(
                "check the facts against the portal and the cited sources, then update `reviewed:`",
                "đối chiếu lại với Cổng Dịch vụ công và các nguồn đã trích dẫn, rồi sửa ngày `reviewed:`"
            )),
        );
    }
}

fn screenshots(g: &Guide, out: &mut Vec<Diagnostic>) {
    for (i, step) in g.steps.iter().enumerate() {
        let Some(s) = &step.screenshot else { continue };
        let key = format!("{}.screenshot.src", item("steps", i));
        if s.bytes > MAX_SCREENSHOT_BYTES {
            out.push(
                Diagnostic::warning(
                    &g.file,
                    s.pos,
                    &key,
                    tx!(
                        "`{}` is {} KiB (more than {} KiB)",
                        "ảnh `{}` nặng {} KiB (quá {} KiB)",
                        s.src,
                        s.bytes.div_ceil(1024),
                        MAX_SCREENSHOT_BYTES / 1024
                    ),
                )
                .hint(tx!(
                    "save it smaller (e.g. PNG 1080 px wide, or JPEG): kiosks and phones load every picture",
                    "lưu ảnh nhỏ hơn (ví dụ PNG rộng 1080 px, hoặc JPEG): máy kiosk và điện thoại phải tải từng ảnh"
                )),
            );
        }
        match (s.width, s.height) {
            (Some(w), Some(h)) if w == 0 || h == 0 => out.push(unreadable(g, s, &key)),
            (Some(w), Some(h)) => {
                let ratio = f64::from(w) / f64::from(h);
                if !(1.0 / MAX_ASPECT..=MAX_ASPECT).contains(&ratio) {
                    let (en, vi) = if ratio < 1.0 {
                        ("too tall", "quá cao")
                    } else {
                        ("too wide", "quá rộng")
                    };
                    out.push(
                        Diagnostic::warning(
                            &g.file,
                            s.pos,
                            &key,
                            crate::i18n::Text::new(
                                format!(
                                    "`{}` is {w}×{h} px: {en} to read on a page (width:height outside 1:2.5 … 2.5:1)",
                                    s.src
                                ),
                                format!(
                                    "ảnh `{}` cỡ {w}×{h} px: {vi}, khó đọc trên trang (tỉ lệ rộng:cao ngoài khoảng 1:2,5 … 2,5:1)",
                                    s.src
                                ),
                            ),
                        )
                        .hint(tx!(
                            "crop it to the part of the screen the step is about",
                            "cắt ảnh, chỉ giữ phần màn hình mà bước này nói tới"
                        )),
                    );
                }
            }
            _ if !s.src.to_ascii_lowercase().ends_with(".svg") => {
                out.push(unreadable(g, s, &key));
            }
            _ => {}
        }
    }
}

fn unreadable(g: &Guide, s: &Screenshot, key: &str) -> Diagnostic {
    let ext = Path::new(&s.src)
        .extension()
        .map(|e| e.to_string_lossy().to_uppercase())
        .unwrap_or_default();
    Diagnostic::warning(
        &g.file,
        s.pos,
        key,
        tx!(
            "cannot read the size of `{}`: the file may be damaged or not really a {} image",
            "không đọc được kích thước ảnh `{}`: tệp có thể bị hỏng hoặc không thật sự là ảnh {}",
            s.src,
            ext
        ),
    )
    .hint(tx!(
        "open it in an image viewer and save it again as PNG or JPEG",
        "mở ảnh bằng trình xem ảnh rồi lưu lại dạng PNG hoặc JPEG"
    ))
}

/// Every line of the guide file where the placeholder of `camnang new` is still there
/// (outside comments).
fn placeholders(root: &Path, g: &Guide, out: &mut Vec<Diagnostic>) {
    // Known when the file was read: most files need not be read again.
    if !g.placeholder {
        return;
    }
    let Ok(text) = files::read_text(root, &g.file) else {
        return;
    };
    if !text.contains(PLACEHOLDER) {
        return;
    }
    let mut top = "";
    for (n, line) in text.lines().enumerate() {
        if !line.starts_with([' ', '-', '#'])
            && let Some((k, _)) = line.split_once(':')
        {
            top = k;
        }
        let Some(col) = line.find(PLACEHOLDER) else {
            continue;
        };
        if line.trim_start().starts_with('#') {
            continue;
        }
        let trimmed = line.trim_start().trim_start_matches("- ");
        let key = match trimmed.split_once(':') {
            Some((k, _)) if !k.is_empty() && !k.contains(' ') && !k.contains('"') => k,
            _ => top,
        };
        out.push(
            Diagnostic::warning(
                &g.file,
                Pos::new(n + 1, line[..col].chars().count() + 1),
                key,
                tx!(
                    "placeholder text from `camnang new` is still here",
                    "vẫn còn chữ mẫu của `camnang new`"
                ),
            )
            .hint(tx!(
                "replace `{}: …` with the real text",
                "thay `{}: …` bằng nội dung thật",
                PLACEHOLDER
            )),
        );
    }
}

/// Images under `images/` that no screenshot and no Markdown image uses.
fn unused_images(c: &Content) -> Vec<Diagnostic> {
    let dir = c.root.join("images");
    if !dir.is_dir() {
        return Vec::new();
    }
    // Each path as written once (many guides show the same picture), resolved in parallel.
    let mut written: HashSet<String> = HashSet::new();
    for g in &c.guides {
        for s in g.steps.iter().filter_map(|s| s.screenshot.as_ref()) {
            if !written.contains(&s.src) {
                written.insert(s.src.clone());
            }
        }
        for r in g.md_refs.iter().filter(|r| r.image) {
            if let Target::File(path) = markdown::classify(&r.target) {
                written.insert(path.to_string());
            }
        }
    }
    let used: HashSet<PathBuf> = written
        .par_iter()
        .filter_map(|p| files::resolve_in(&c.root, p).ok())
        .collect();
    let mut out = Vec::new();
    let walker = walkdir::WalkDir::new(&dir)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !files::is_ignored(&e.file_name().to_string_lossy()));
    for e in walker.flatten() {
        if !e.file_type().is_file() {
            continue;
        }
        let ext = e
            .path()
            .extension()
            .map(|x| x.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_default();
        if !IMAGE_EXTENSIONS.contains(&ext.as_str()) {
            continue;
        }
        let Ok(canon) = e.path().canonicalize() else {
            continue;
        };
        if used.contains(&canon) {
            continue;
        }
        let rel = files::rel_string(e.path().strip_prefix(&c.root).unwrap_or(e.path()));
        out.push(
            Diagnostic::warning(
                &rel,
                Pos::default(),
                "",
                tx!(
                    "the image is not used by any guide",
                    "ảnh không được hướng dẫn nào dùng"
                ),
            )
            .hint(tx!(
                "delete it, or use it in a step's `screenshot.src`",
                "xóa ảnh, hoặc dùng nó trong `screenshot.src` của một bước"
            )),
        );
    }
    out
}

//! Output folders a build refuses, checked before anything is created.

use std::path::Path;

use crate::error::Error;
use crate::i18n::Lang;

use super::MARKER;

/// Refuses output folders that would destroy something: a file (or a path through a
/// file), the content folder itself or a folder containing it, or an existing non-empty
/// folder that camnang did not make. Messages are in `lang`.
pub fn check_target(out: &Path, content: &Path, lang: Lang) -> Result<(), Error> {
    if let Some(file) = file_in_the_way(out) {
        return Err(Error::Other(is_a_file(out, file, lang)));
    }
    if let (Ok(o), Ok(c)) = (out.canonicalize(), content.canonicalize())
        && c.starts_with(&o)
    {
        let (out, content) = (out.display(), content.display());
        return Err(Error::Other(match lang {
            Lang::Vi => format!(
                "thư mục kết quả {out} chứa thư mục nội dung {content}: hãy chọn thư mục kết quả khác (-o)"
            ),
            Lang::En => format!(
                "the output folder {out} contains the content folder {content}: choose another output folder (-o)"
            ),
        }));
    }
    if out.is_dir() && !out.join(MARKER).exists() {
        let empty = std::fs::read_dir(out)
            .map_err(|e| Error::io(out, e))?
            .next()
            .is_none();
        if !empty {
            let out = out.display();
            return Err(Error::Other(match lang {
                Lang::Vi => format!(
                    "{out} đã có và không do camnang tạo ra; hãy chọn thư mục kết quả khác (-o) hoặc làm trống nó trước"
                ),
                Lang::En => format!(
                    "{out} exists and was not made by camnang; choose another output folder (-o) or empty it first"
                ),
            }));
        }
    }
    Ok(())
}

/// `out` itself or the first of its parents that is a file (not a folder).
fn file_in_the_way(out: &Path) -> Option<&Path> {
    out.ancestors()
        .filter(|p| !p.as_os_str().is_empty())
        .find(|p| std::fs::metadata(p).is_ok_and(|m| !m.is_dir()))
}

fn is_a_file(out: &Path, file: &Path, lang: Lang) -> String {
    let (o, f) = (out.display(), file.display());
    match (lang, out == file) {
        (Lang::Vi, true) => format!(
            "{o} là một tệp, không phải thư mục: hãy chọn thư mục kết quả khác (-o) hoặc chuyển tệp đó đi"
        ),
        (Lang::En, true) => format!(
            "{o} is a file, not a folder: choose another output folder (-o) or move the file away"
        ),
        (Lang::Vi, false) => format!(
            "không tạo được thư mục kết quả {o}: {f} là một tệp, không phải thư mục; hãy chọn thư mục kết quả khác (-o)"
        ),
        (Lang::En, false) => format!(
            "cannot make the output folder {o}: {f} is a file, not a folder; choose another output folder (-o)"
        ),
    }
}

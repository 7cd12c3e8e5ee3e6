//! Paths written in guides: checking that they stay inside the content folder and exist,
//! and the wording of each kind of path problem.

use std::path::Path;

use crate::content::files;
use crate::content::files::PathProblem;
use crate::content::schema::Reader;
use crate::error::Pos;
use crate::tx;

/// Checks that a path written in content stays inside the content folder and exists.
pub fn check_content_path(
    root: &Path,
    r: &mut Reader,
    rel: &str,
    pos: Pos,
    key: &str,
) -> Option<std::path::PathBuf> {
    match files::resolve_in(root, rel) {
        Ok(p) => Some(p),
        Err(problem) => {
            let (msg, mut hint) = path_problem_text(rel, problem);
            if problem == PathProblem::Missing
                && let Some(near) = crate::content::files::near_miss(root, rel)
            {
                hint = tx!(
                    "did you mean `{}`? (names are case-sensitive)",
                    "có phải ý bạn là `{}`? (tên tệp phân biệt chữ hoa, thường)",
                    near
                );
            }
            r.error(pos, key, msg, hint);
            None
        }
    }
}

/// The message and hint for a path `rel` that has `problem`.
pub fn path_problem_text(
    rel: &str,
    problem: PathProblem,
) -> (crate::i18n::Text, crate::i18n::Text) {
    let inside = tx!(
        "write the path from the content folder, e.g. `images/khai-sinh/buoc-1.png`",
        "viết đường dẫn tính từ thư mục nội dung, ví dụ `images/khai-sinh/buoc-1.png`"
    );
    match problem {
        PathProblem::Absolute => (
            tx!(
                "`{}` is an absolute path",
                "`{}` là đường dẫn tuyệt đối",
                rel
            ),
            inside,
        ),
        PathProblem::Escapes => (
            tx!(
                "`{}` leaves the content folder",
                "`{}` đi ra ngoài thư mục nội dung",
                rel
            ),
            inside,
        ),
        PathProblem::OutsideViaLink => (
            tx!(
                "`{}` is a link to a file outside the content folder",
                "`{}` là liên kết tới tệp nằm ngoài thư mục nội dung",
                rel
            ),
            tx!(
                "copy the file into the content folder instead of linking to it",
                "chép tệp vào thư mục nội dung thay vì tạo liên kết"
            ),
        ),
        PathProblem::Missing => (
            tx!("file `{}` not found", "không tìm thấy tệp `{}`", rel),
            tx!(
                "check the spelling and that the file is in the content folder (names are case-sensitive)",
                "kiểm tra chính tả và tệp có nằm trong thư mục nội dung không (phân biệt chữ hoa, thường)"
            ),
        ),
        PathProblem::NotAFile => (
            tx!(
                "`{}` is a folder, not a file",
                "`{}` là thư mục, không phải tệp",
                rel
            ),
            inside,
        ),
    }
}

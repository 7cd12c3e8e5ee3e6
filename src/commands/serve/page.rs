//! The pages the preview shows instead of the site: the build's errors, the content folder
//! gone, a page that is not there. Each is a small standalone HTML page in the language
//! of the messages; the server adds the reload script, so each goes away by itself.

use std::path::Path;
use std::sync::Arc;

use crate::commands::serve::ServeOptions;
use crate::commands::serve::session::{Files, Session};
use crate::commands::serve::state::View;
use crate::error::{Diagnostics, Error, Severity};
use crate::i18n::{Lang, count_en};
use crate::render::theme::escape_html;

/// What to serve after a build: the site, or the error page.
pub(super) fn view_of(session: &Session, opts: &ServeOptions) -> View {
    match session.result() {
        Ok(built) => View::Site(built.files.clone()),
        Err(e) => View::Failed {
            body: error_body(e, &opts.content, opts.messages),
            last: None,
        },
    }
}

/// What to serve while the content folder is gone (`last`: the last good site, for
/// images and CSS).
pub(super) fn missing_view(opts: &ServeOptions, last: Option<Arc<Files>>) -> View {
    let dir = escape_html(&opts.content.display().to_string());
    let body = match opts.messages {
        Lang::Vi => format!(
            "<h1>Không thấy thư mục nội dung</h1><p>Thư mục <code>{dir}</code> không còn ở đó (đã đổi tên, xoá hoặc rút USB?).</p><p>Khi thư mục trở lại, trang này sẽ tự tải lại.</p>"
        ),
        Lang::En => format!(
            "<h1>The content folder is missing</h1><p>The folder <code>{dir}</code> is not there any more (renamed, deleted, USB stick removed?).</p><p>This page reloads by itself when the folder is back.</p>"
        ),
    };
    View::Failed { body, last }
}

/// The error page's body: every problem as `camnang check` prints it.
fn error_body(e: &Error, content: &Path, lang: Lang) -> String {
    let (title, help) = match lang {
        Lang::Vi => (
            "Chưa dựng được trang",
            "Sửa các lỗi dưới đây rồi lưu tệp: trang sẽ tự tải lại.",
        ),
        Lang::En => (
            "The site could not be built",
            "Fix the problems below and save: this page reloads by itself.",
        ),
    };
    let mut out = format!("<h1>{title}</h1><p>{help}</p>");
    match e {
        Error::Content(d) => {
            let d = Diagnostics(
                d.0.iter()
                    .filter(|x| x.severity == Severity::Error)
                    .cloned()
                    .collect(),
            );
            let summary = match lang {
                Lang::Vi => format!("{} lỗi", d.errors()),
                Lang::En => count_en(d.errors(), "error", "errors"),
            };
            out.push_str(&format!("<p class=\"summary\">{summary}</p>"));
            for x in &d.0 {
                out.push_str("<pre class=\"diag\">");
                out.push_str(&escape_html(&x.display(content, lang).to_string()));
                out.push_str("</pre>");
            }
        }
        other => {
            out.push_str("<pre class=\"diag\">");
            out.push_str(&escape_html(&other.to_string()));
            out.push_str("</pre>");
        }
    }
    out
}

/// The body of the 404 page for `path` (as decoded).
pub(super) fn not_found_body(path: &str, lang: Lang) -> String {
    match lang {
        Lang::Vi => format!(
            "<h1>Không có trang này</h1><p><code>{}</code> không có trong trang web. <a href=\"/index.html\">Về trang chủ</a></p>",
            escape_html(path)
        ),
        Lang::En => format!(
            "<h1>No such page</h1><p><code>{}</code> is not part of the site. <a href=\"/index.html\">Back to the start page</a></p>",
            escape_html(path)
        ),
    }
}

/// A whole page around `body`.
pub(super) fn error_page(body: &str, lang: Lang) -> String {
    format!(
        "<!doctype html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>camnang serve</title><style>body{{font:18px/1.5 system-ui,sans-serif;margin:1.5rem auto;max-width:60rem;padding:0 1rem;color:#1a1a1a;background:#fff}}h1{{color:#a30000;font-size:1.6rem}}pre.diag{{white-space:pre-wrap;overflow-wrap:anywhere;font:17px/1.5 system-ui,\"Noto Sans\",sans-serif;background:#fff3f3;border-left:6px solid #c00;padding:.75rem 1rem;margin:1rem 0}}.summary{{font-weight:bold}}</style></head><body>\n{body}\n</body></html>\n",
        lang.code()
    )
}

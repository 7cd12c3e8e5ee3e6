//! What `camnang serve` says on the terminal: where it listens, each build's result, the
//! content folder going away.

use std::net::SocketAddr;
use std::time::Instant;

use crate::commands::serve::ServeOptions;
use crate::commands::serve::session::{Built, Session};
use crate::error::{Diagnostic, Error};
use crate::i18n::{Lang, count_en};

/// The message when the port cannot be opened.
pub(super) fn cannot_listen(opts: &ServeOptions, e: &std::io::Error) -> String {
    match opts.messages {
        Lang::Vi => format!(
            "không mở được cổng {}:{}: {e}\n  gợi ý: chọn cổng khác bằng --port, hoặc --port 0 để tự chọn cổng trống",
            opts.bind, opts.port
        ),
        Lang::En => format!(
            "cannot listen on {}:{}: {e}\n  hint: choose another port with --port, or --port 0 for any free port",
            opts.bind, opts.port
        ),
    }
}

/// The address to open, and a warning when other computers can see it.
pub(super) fn listening(addr: SocketAddr, opts: &ServeOptions) {
    let url = format!("http://{addr}/");
    match opts.messages {
        Lang::Vi => eprintln!("Đang xem trước tại {url} (nhấn Ctrl+C để dừng)"),
        Lang::En => eprintln!("Serving a preview at {url} (press Ctrl+C to stop)"),
    }
    if !opts.bind.is_loopback() {
        match opts.messages {
            Lang::Vi => eprintln!(
                "cảnh báo: đang mở cho các máy khác trong mạng ({}); chỉ dùng trên mạng tin cậy",
                opts.bind
            ),
            Lang::En => eprintln!(
                "warning: other computers on the network can see the preview ({}); use only on a trusted network",
                opts.bind
            ),
        }
    }
}

pub(super) fn folder_gone(opts: &ServeOptions) {
    match opts.messages {
        Lang::Vi => eprintln!(
            "không thấy thư mục nội dung {} nữa; đang chờ thư mục trở lại…",
            opts.content.display()
        ),
        Lang::En => eprintln!(
            "the content folder {} is gone; waiting for it to come back…",
            opts.content.display()
        ),
    }
}

/// Prints the result of build number `n` (0: the first), started at `t`. `shown`: the
/// warnings printed last time, not printed again while they stay the same.
pub(super) fn build(
    session: &Session,
    opts: &ServeOptions,
    n: u64,
    t: Instant,
    shown: &mut Vec<Diagnostic>,
) {
    let lang = opts.messages;
    let ms = t.elapsed().as_millis();
    match session.result() {
        Ok(built) => {
            built_line(session, built, opts, n, ms);
            if !opts.quiet && built.warnings.0 != *shown {
                for w in &built.warnings.0 {
                    eprintln!("{}", w.display(&opts.content, lang));
                }
            }
            shown.clone_from(&built.warnings.0);
        }
        Err(e) => {
            if opts.verbose {
                let errors = match e {
                    Error::Content(d) => d.errors(),
                    _ => 1,
                };
                match lang {
                    Lang::Vi => eprintln!("dựng lại #{n}: {errors} lỗi, {ms} ms"),
                    Lang::En => eprintln!(
                        "rebuild #{n}: {}, {ms} ms",
                        count_en(errors, "error", "errors")
                    ),
                }
            }
            failed(e, opts, shown);
        }
    }
}

/// The line of a build that worked: its numbers with `-v`, "updated" after a change.
fn built_line(session: &Session, built: &Built, opts: &ServeOptions, n: u64, ms: u128) {
    if opts.verbose {
        let s = session.stats();
        match opts.messages {
            Lang::Vi => eprintln!(
                "dựng lại #{n}: {} hướng dẫn ({} đọc lại), {} trang tạo lại, {} dùng lại, {ms} ms",
                built.guides, s.reloaded, s.rendered, s.reused_pages
            ),
            Lang::En => eprintln!(
                "rebuild #{n}: {} ({} re-read), {} rendered, {} reused, {ms} ms",
                count_en(built.guides, "guide", "guides"),
                s.reloaded,
                count_en(s.rendered, "page", "pages"),
                s.reused_pages
            ),
        }
    } else if n > 0 && !opts.quiet {
        match opts.messages {
            Lang::Vi => eprintln!("đã cập nhật ({} hướng dẫn)", built.guides),
            Lang::En => eprintln!("updated ({})", count_en(built.guides, "guide", "guides")),
        }
    }
}

/// Every problem of a failed build, as `camnang check` prints them.
fn failed(e: &Error, opts: &ServeOptions, shown: &mut Vec<Diagnostic>) {
    let Error::Content(d) = e else {
        eprintln!("{e}");
        return;
    };
    shown.clear();
    let lang = opts.messages;
    for x in &d.0 {
        eprintln!("{}", x.display(&opts.content, lang));
    }
    match lang {
        Lang::Vi => eprintln!(
            "{} lỗi; trang xem trước hiển thị lỗi cho tới khi được sửa",
            d.errors()
        ),
        Lang::En => eprintln!(
            "{}; the preview shows them until they are fixed",
            count_en(d.errors(), "error", "errors")
        ),
    }
}

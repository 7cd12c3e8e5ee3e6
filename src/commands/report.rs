//! What the commands print on stderr for a person: the progress lines of `build`, the
//! diagnostics with their summary line, and the closing lines of each command, in the
//! language of the messages. `main.rs` calls these after the command ran.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering::Relaxed};
use std::time::Instant;

use crate::commands::build::Report;
use crate::commands::check::{Checked, to_json};
use crate::commands::cli::Format;
use crate::content::guide::PLACEHOLDER;
use crate::error::{Diagnostics, Severity};
use crate::i18n::{Lang, count_en};
use crate::progress::{Progress, Quiet};

/// Plain progress lines on stderr (a bar when stderr is a terminal).
pub struct Lines {
    tty: bool,
    lang: Lang,
    /// With `-v`: how long each stage took.
    timings: bool,
    started: Mutex<Option<(String, Instant)>>,
    total: AtomicUsize,
    done: AtomicUsize,
    /// A bar is drawn on the current line (not ended by a newline yet).
    open: AtomicBool,
}

impl Lines {
    /// Progress lines in `lang`; with `timings` (`-v`), how long each stage took.
    pub fn new(lang: Lang, timings: bool) -> Lines {
        Lines {
            tty: std::io::stderr().is_terminal(),
            lang,
            timings,
            started: Default::default(),
            total: Default::default(),
            done: Default::default(),
            open: Default::default(),
        }
    }

    /// The progress to report to: nothing with `quiet`, nor without `-v` when stderr is not
    /// a terminal; these lines otherwise.
    pub fn unless_quiet(&self, quiet: bool) -> &dyn Progress {
        if quiet || !self.timings && !self.tty {
            &Quiet
        } else {
            self
        }
    }
}

impl Progress for Lines {
    fn stage(&self, name: &str, total: usize) {
        if self.tty && self.open.swap(false, Relaxed) {
            eprintln!();
        }
        self.total.store(total, Relaxed);
        self.done.store(0, Relaxed);
        if let Ok(mut started) = self.started.lock() {
            if let (true, Some((prev, t))) = (self.timings, started.take()) {
                eprintln!("  {prev}: {:.3} s", t.elapsed().as_secs_f64());
            }
            *started = Some((name.to_string(), Instant::now()));
        }
        let label = match (self.lang, name) {
            (Lang::Vi, "load") => "Đọc nội dung…",
            (Lang::Vi, "render") => "Tạo trang",
            (Lang::Vi, "write") => "Ghi tệp",
            (Lang::Vi, "pdf") => "In ra PDF bằng Chromium",
            (Lang::En, "load") => "Reading content…",
            (Lang::En, "render") => "Rendering pages",
            (Lang::En, "write") => "Writing files",
            (Lang::En, "pdf") => "Printing PDFs with Chromium",
            (_, "done") => return,
            (_, other) => other,
        };
        if total > 0 {
            eprintln!("{label} ({total})");
        } else {
            eprintln!("{label}");
        }
    }
    fn tick(&self) {
        let done = self.done.fetch_add(1, Relaxed) + 1;
        let total = self.total.load(Relaxed);
        if self.tty && total >= 200 && (done.is_multiple_of(50) || done == total) {
            let width = 30;
            let filled = done * width / total.max(1);
            eprint!(
                "\r[{}{}] {done}/{total}",
                "#".repeat(filled),
                " ".repeat(width - filled.min(width))
            );
            if done == total {
                eprintln!();
                self.open.store(false, Relaxed);
            } else {
                self.open.store(true, Relaxed);
            }
        }
    }
}

/// Prints each diagnostic, paths relative to `root`; with `quiet`, the errors only.
pub fn print_diags(d: &Diagnostics, root: &Path, lang: Lang, quiet: bool) {
    for x in &d.0 {
        if quiet && x.severity == Severity::Warning {
            continue;
        }
        eprintln!("{}", x.display(root, lang));
    }
}

/// "N errors, M warnings".
pub fn summary(d: &Diagnostics, lang: Lang) -> String {
    match lang {
        Lang::Vi => format!("{} lỗi, {} cảnh báo", d.errors(), d.warnings()),
        Lang::En => format!(
            "{}, {}",
            count_en(d.errors(), "error", "errors"),
            count_en(d.warnings(), "warning", "warnings")
        ),
    }
}

/// After a build into `out`: its warnings, with `verbose` the files changed and removed,
/// and (unless `quiet`) what was built.
pub fn built(report: &Report, content: &Path, out: &Path, lang: Lang, verbose: bool, quiet: bool) {
    print_diags(&report.warnings, content, lang, quiet);
    if verbose {
        match lang {
            Lang::Vi => eprintln!(
                "  {} tệp mới hoặc thay đổi, {} tệp cũ đã xóa, còn lại giữ nguyên",
                report.changed, report.removed
            ),
            Lang::En => eprintln!(
                "  {} files new or changed, {} old files removed, the rest left as it was",
                report.changed, report.removed
            ),
        }
    }
    if let (false, Some(p)) = (quiet, report.pdfs) {
        match lang {
            Lang::Vi => eprintln!(
                "PDF: in {} tệp, dùng lại {} tệp không đổi từ lần dựng trước",
                p.printed, p.reused
            ),
            Lang::En => eprintln!(
                "PDFs: {} printed, {} kept from the previous build (unchanged)",
                p.printed, p.reused
            ),
        }
    }
    if !quiet {
        match lang {
            Lang::Vi => eprintln!(
                "Đã dựng {} hướng dẫn{}, {} tệp vào {} ({})",
                report.guides,
                match report.offices {
                    0 => String::new(),
                    n => format!(" cho {n} phường/xã"),
                },
                report.files,
                out.display(),
                summary(&report.warnings, lang)
            ),
            Lang::En => eprintln!(
                "Built {}{}, {} into {} ({})",
                count_en(report.guides, "guide", "guides"),
                match report.offices {
                    0 => String::new(),
                    n => format!(" for {}", count_en(n, "office", "offices")),
                },
                count_en(report.files, "file", "files"),
                out.display(),
                summary(&report.warnings, lang)
            ),
        }
    }
}

/// After a build that stopped on problems in the content: all of them, and that the
/// previous output is untouched.
pub fn not_built(d: &Diagnostics, content: &Path, lang: Lang) {
    print_diags(d, content, lang, false);
    let kept = match lang {
        Lang::Vi => "thư mục kết quả cũ được giữ nguyên",
        Lang::En => "the previous output was left as it was",
    };
    eprintln!("{}; {kept}", summary(d, lang));
}

/// After a build stopped by Ctrl-C or a signal: one line saying what the output is now.
/// `committed`: the move phase had begun, and was finished; `had_output`: an output
/// folder exists (from before the build).
pub fn stopped(committed: bool, had_output: bool, lang: Lang) {
    let line = match (lang, committed, had_output) {
        (Lang::Vi, true, _) => "đã dừng, sau khi đặt xong thư mục kết quả mới",
        (Lang::En, true, _) => "stopped after the new output was put in place",
        (Lang::Vi, false, true) => "đã dừng; thư mục kết quả cũ được giữ nguyên",
        (Lang::En, false, true) => "stopped; the previous output was left as it was",
        (Lang::Vi, false, false) => "đã dừng; chưa ghi thư mục kết quả nào",
        (Lang::En, false, false) => "stopped; no output was written",
    };
    eprintln!("{line}");
}

/// After `check`: the JSON document on stdout, or the diagnostics and (unless `quiet`)
/// their summary on stderr.
pub fn checked(checked: &Checked, content: &Path, lang: Lang, format: Format, quiet: bool) {
    let diags = &checked.diagnostics;
    match format {
        Format::Json => {
            let out = to_json(checked, content, lang);
            println!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
        }
        Format::Text => {
            print_diags(diags, content, lang, quiet);
            if !quiet {
                eprintln!("{}", summary(diags, lang));
            }
        }
    }
}

/// After `init DIR`: the files written and what to do next.
pub fn site_created(files: &[PathBuf], dir: &Path, lang: Lang) {
    for f in files {
        eprintln!("  {}", f.display());
    }
    let d = dir.display();
    let port = crate::commands::serve::DEFAULT_PORT;
    match lang {
        Lang::Vi => eprintln!(
            "Đã tạo trang mới trong {d}. Tiếp theo:\n  cd {d}\n  camnang serve      xem trước tại http://127.0.0.1:{port}/, tự tải lại khi lưu tệp\nSửa site.yaml (tên, địa chỉ, số điện thoại của phường) và guides/; `camnang build` dựng trang vào public/."
        ),
        Lang::En => eprintln!(
            "Created a new site in {d}. Next:\n  cd {d}\n  camnang serve      preview at http://127.0.0.1:{port}/, reloads when you save\nEdit site.yaml (the office's name, address, phone) and guides/; `camnang build` builds the site into public/."
        ),
    }
}

/// After `new`: the file written and what to do next.
pub fn guide_created(path: &Path, content: &Path, lang: Lang) {
    // Inside the project folder (`.`), say `guides/x.yaml` and `camnang check`.
    let p = path.strip_prefix(".").unwrap_or(path).display();
    let check = if content == Path::new(".") {
        "camnang check".to_string()
    } else {
        format!("camnang check {}", content.display())
    };
    match lang {
        Lang::Vi => eprintln!(
            "Đã tạo {p}. Thay mọi chỗ \"{PLACEHOLDER}\" bằng nội dung thật, rồi chạy `{check}`."
        ),
        Lang::En => eprintln!(
            "Created {p}. Replace every \"{PLACEHOLDER}\" with the real text, then run `{check}`."
        ),
    }
}

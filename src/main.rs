//! The `camnang` binary: parse arguments, call the library, print, exit.
//! Exit codes: 0 ok, 1 problems in the content or output, 2 usage.

use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;

use camnang::commands::build::BuildOptions;
use camnang::commands::cli::{Cli, Command, Format};
use camnang::content::config;
use camnang::error::Severity;
use camnang::i18n::{Lang, count_en};
use camnang::progress::{Progress, Quiet};
use camnang::{Diagnostics, Error};
use clap::FromArgMatches;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let help_lang =
        camnang::commands::help::detect(&args, std::env::var("CAMNANG_LANG").ok().as_deref())
            .unwrap_or_default();
    // Usage errors exit with 2 (clap's default), `--help` with 0.
    let matches = camnang::commands::help::command(help_lang).get_matches();
    if let Some(code) = camnang::commands::help::help_subcommand(&matches, help_lang) {
        return code;
    }
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(c) => c,
        Err(e) => e.exit(),
    };
    match run(&cli) {
        Ok(code) => code,
        Err(msg) => {
            eprintln!("{msg}");
            ExitCode::from(1)
        }
    }
}

/// The language for messages: `--lang`, else the site's, else Vietnamese.
fn message_lang(cli: &Cli, content: &Path) -> Lang {
    cli.lang
        .unwrap_or_else(|| config::peek_language(content).unwrap_or_default())
}

fn print_diags(d: &Diagnostics, root: &Path, lang: Lang, quiet: bool) {
    for x in &d.0 {
        if quiet && x.severity == Severity::Warning {
            continue;
        }
        eprintln!("{}", x.display(root, lang));
    }
}

fn summary(d: &Diagnostics, lang: Lang) -> String {
    match lang {
        Lang::Vi => format!("{} lỗi, {} cảnh báo", d.errors(), d.warnings()),
        Lang::En => format!(
            "{}, {}",
            count_en(d.errors(), "error", "errors"),
            count_en(d.warnings(), "warning", "warnings")
        ),
    }
}

/// Plain progress lines on stderr (a bar when stderr is a terminal).
struct Lines {
    tty: bool,
    lang: Lang,
    /// With `-v`: how long each stage took.
    timings: bool,
    started: std::sync::Mutex<Option<(String, std::time::Instant)>>,
    total: std::sync::atomic::AtomicUsize,
    done: std::sync::atomic::AtomicUsize,
    /// A bar is drawn on the current line (not ended by a newline yet).
    open: std::sync::atomic::AtomicBool,
}

impl Progress for Lines {
    fn stage(&self, name: &str, total: usize) {
        use std::sync::atomic::Ordering::Relaxed;
        if self.tty && self.open.swap(false, Relaxed) {
            eprintln!();
        }
        self.total.store(total, Relaxed);
        self.done.store(0, Relaxed);
        if let Ok(mut started) = self.started.lock() {
            if let (true, Some((prev, t))) = (self.timings, started.take()) {
                eprintln!("  {prev}: {:.3} s", t.elapsed().as_secs_f64());
            }
            *started = Some((name.to_string(), std::time::Instant::now()));
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
        use std::sync::atomic::Ordering::Relaxed;
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

fn run(cli: &Cli) -> Result<ExitCode, String> {
    match &cli.command {
        Command::Build {
            content,
            out,
            strict,
            pdf,
            zip,
        } => {
            let lang = message_lang(cli, content);
            let opts = BuildOptions {
                content: content.clone(),
                out: out.clone(),
                lang: cli.lang,
                strict: *strict,
                pdf: *pdf,
                zip: *zip,
            };
            let lines = Lines {
                tty: std::io::stderr().is_terminal(),
                lang,
                timings: cli.verbose,
                started: Default::default(),
                total: Default::default(),
                done: Default::default(),
                open: Default::default(),
            };
            let progress: &dyn Progress = if cli.quiet || !cli.verbose && !lines.tty {
                &Quiet
            } else {
                &lines
            };
            let result = camnang::build(&opts, progress);
            progress.stage("done", 0);
            match result {
                Ok(report) => {
                    print_diags(&report.warnings, content, lang, cli.quiet);
                    if cli.verbose {
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
                    if !cli.quiet {
                        match lang {
                            Lang::Vi => eprintln!(
                                "Đã dựng {} hướng dẫn, {} tệp vào {} ({})",
                                report.guides,
                                report.files,
                                out.display(),
                                summary(&report.warnings, lang)
                            ),
                            Lang::En => eprintln!(
                                "Built {}, {} into {} ({})",
                                count_en(report.guides, "guide", "guides"),
                                count_en(report.files, "file", "files"),
                                out.display(),
                                summary(&report.warnings, lang)
                            ),
                        }
                    }
                    Ok(ExitCode::SUCCESS)
                }
                Err(Error::Content(d)) => {
                    print_diags(&d, content, lang, false);
                    let kept = match lang {
                        Lang::Vi => "thư mục kết quả cũ được giữ nguyên",
                        Lang::En => "the previous output was left as it was",
                    };
                    eprintln!("{}; {kept}", summary(&d, lang));
                    Ok(ExitCode::from(1))
                }
                Err(e) => Err(e.to_string()),
            }
        }
        Command::Check {
            content,
            strict,
            format,
        } => {
            let lang = message_lang(cli, content);
            let checked = camnang::commands::check::run(content, *strict);
            let diags = &checked.diagnostics;
            match format {
                Format::Json => {
                    let out = camnang::commands::check::to_json(&checked, content, lang);
                    println!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
                }
                Format::Text => {
                    print_diags(diags, content, lang, cli.quiet);
                    if !cli.quiet {
                        eprintln!("{}", summary(diags, lang));
                    }
                }
            }
            Ok(if checked.ok() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
        Command::Init { dir } => {
            let lang = cli.lang.unwrap_or_default();
            let files = camnang::commands::scaffold::init(dir, lang).map_err(|e| e.to_string())?;
            if !cli.quiet {
                for f in &files {
                    eprintln!("  {}", f.display());
                }
                let d = dir.display();
                match lang {
                    Lang::Vi => eprintln!(
                        "Đã tạo trang mới trong {d}. Tiếp theo: sửa {d}/site.yaml, rồi chạy `camnang check {d}` và `camnang build {d}`."
                    ),
                    Lang::En => eprintln!(
                        "Created a new site in {d}. Next: edit {d}/site.yaml, then run `camnang check {d}` and `camnang build {d}`."
                    ),
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::New {
            slug,
            from,
            content,
        } => {
            let lang = message_lang(cli, content);
            let path = camnang::commands::scaffold::new_guide(content, slug, from.as_deref(), lang)
                .map_err(|e| e.to_string())?;
            if !cli.quiet {
                let p = path.display();
                match lang {
                    Lang::Vi => eprintln!(
                        "Đã tạo {p}. Thay mọi chỗ \"{}\" bằng nội dung thật, rồi chạy `camnang check {}`.",
                        camnang::content::guide::PLACEHOLDER,
                        content.display()
                    ),
                    Lang::En => eprintln!(
                        "Created {p}. Replace every \"{}\" with the real text, then run `camnang check {}`.",
                        camnang::content::guide::PLACEHOLDER,
                        content.display()
                    ),
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Serve {
            content,
            port,
            bind,
        } => {
            let opts = camnang::commands::serve::ServeOptions {
                content: content.clone(),
                bind: *bind,
                port: *port,
                lang: cli.lang,
                messages: message_lang(cli, content),
                quiet: cli.quiet,
                verbose: cli.verbose,
            };
            camnang::commands::serve::run(&opts).map(|()| ExitCode::SUCCESS)
        }
    }
}

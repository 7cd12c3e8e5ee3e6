//! The `camnang` binary: parse arguments, call the library, print, exit.
//! Exit codes: 0 ok, 1 problems in the content or output, 2 usage.

use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;

use camnang::cli::{Cli, Command, Format};
use camnang::error::Severity;
use camnang::i18n::Lang;
use camnang::site::{BuildOptions, Progress, Quiet};
use camnang::{Diagnostics, Error, config};
use clap::Parser;

fn main() -> ExitCode {
    let cli = Cli::parse();
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
        Lang::En => format!("{} error(s), {} warning(s)", d.errors(), d.warnings()),
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
}

impl Progress for Lines {
    fn stage(&self, name: &str, total: usize) {
        use std::sync::atomic::Ordering::Relaxed;
        if self.tty && self.total.load(Relaxed) > 0 {
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
            (Lang::En, "load") => "Reading content…",
            (Lang::En, "render") => "Rendering pages",
            (Lang::En, "write") => "Writing files",
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
                                "Built {} guides, {} files into {} ({})",
                                report.guides,
                                report.files,
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
            let (mut diags, guides) = match camnang::load_content(content) {
                Ok(c) => {
                    let mut w = c.warnings.clone();
                    w.extend(camnang::print::estimate(&c));
                    w.sort();
                    (w, c.guides.len())
                }
                Err(d) => (d, 0),
            };
            if *strict {
                for d in &mut diags.0 {
                    d.severity = Severity::Error;
                }
            }
            match format {
                Format::Json => {
                    let out = serde_json::json!({
                        "guides": guides,
                        "errors": diags.errors(),
                        "warnings": diags.warnings(),
                        "diagnostics": diags.0.iter().map(|d| serde_json::json!({
                            "severity": d.severity,
                            "file": camnang::error::display_path(content, &d.file),
                            "line": d.pos.line,
                            "column": d.pos.col,
                            "key": d.key,
                            "message": d.message.get(lang),
                            "hint": d.hint.get(lang),
                        })).collect::<Vec<_>>(),
                    });
                    println!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
                }
                Format::Text => {
                    print_diags(&diags, content, lang, cli.quiet);
                    if !cli.quiet {
                        eprintln!("{}", summary(&diags, lang));
                    }
                }
            }
            Ok(if diags.is_empty() || !diags.has_errors() && !*strict {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
    }
}

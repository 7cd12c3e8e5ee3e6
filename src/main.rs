//! The `camnang` binary: parse arguments, call the library, print, exit.
//! Exit codes: 0 ok, 1 problems in the content or output, 2 usage.
//!
//! What is printed for a person is in [`camnang::commands::report`].

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use camnang::Error;
use camnang::commands::build::BuildOptions;
use camnang::commands::cli::{Cli, Command, Format, NetArgs, RecordsAction};
use camnang::commands::report::{self, Lines};
use camnang::commands::{check, help, import, links, online, project, records, scaffold, serve};
use camnang::content::config;
use camnang::content::guide::Date;
use camnang::i18n::Lang;
use camnang::output::staging::StopFlag;
use camnang::progress::Progress;
use clap::FromArgMatches;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let help_lang =
        help::detect(&args, std::env::var("CAMNANG_LANG").ok().as_deref()).unwrap_or_default();
    // Usage errors exit with 2 (clap's default), `--help` with 0.
    let matches = help::command(help_lang).get_matches();
    if let Some(code) = help::help_subcommand(&matches, help_lang) {
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

/// The content folder: the CONTENT argument, else `./content` or the current folder,
/// whichever holds a `site.yaml` (see [`project`]); `-v` says which was chosen.
fn content_folder(cli: &Cli, arg: &Option<std::path::PathBuf>) -> std::path::PathBuf {
    let (path, found) = project::content_folder(arg.as_deref(), Path::new("."));
    if cli.verbose && !cli.quiet && found != project::Found::Given {
        eprintln!(
            "{}",
            project::describe(&path, found, message_lang(cli, &path))
        );
    }
    path
}

/// Runs the command; `Err` is a message for stderr (exit code 1).
fn run(cli: &Cli) -> Result<ExitCode, String> {
    match &cli.command {
        Command::Build {
            content,
            out,
            strict,
            pdf,
            zip,
            office,
            today,
        } => {
            let opts = BuildOptions {
                lang: cli.lang,
                strict: *strict,
                pdf: *pdf,
                zip: *zip,
                office: office.clone(),
                today: *today,
                ..BuildOptions::new(content_folder(cli, content), out)
            };
            build(cli, &opts)
        }
        Command::Check {
            content,
            strict,
            format,
            today,
        } => {
            let content = content_folder(cli, content);
            Ok(check(cli, &content, *strict, *format, *today))
        }
        Command::Import {
            records,
            content,
            update,
        } => import(cli, &content_folder(cli, content), records, *update),
        Command::Init { dir } => init(cli, dir),
        Command::New {
            slug,
            from,
            content,
        } => new(cli, &content_folder(cli, content), slug, from.as_deref()),
        Command::Links { content, net } => Ok(check_links(
            cli,
            &content_folder(cli, content),
            net_options(net),
        )),
        Command::Records {
            action:
                RecordsAction::Fetch {
                    codes,
                    content,
                    net,
                },
        } => Ok(fetch_records(
            cli,
            &content_folder(cli, content),
            codes,
            net_options(net),
        )),
        Command::Serve {
            content,
            port,
            bind,
        } => {
            let content = &content_folder(cli, content);
            let opts = serve::ServeOptions {
                content: content.clone(),
                bind: *bind,
                port: *port,
                lang: cli.lang,
                messages: message_lang(cli, content),
                quiet: cli.quiet,
                verbose: cli.verbose,
            };
            serve::run(&opts).map(|()| ExitCode::SUCCESS)
        }
    }
}

/// `camnang build`: 1 when the content has errors (the previous output is kept).
fn build(cli: &Cli, opts: &BuildOptions) -> Result<ExitCode, String> {
    let opts = &BuildOptions {
        stop: stop_on_signals(),
        ..opts.clone()
    };
    let lang = message_lang(cli, &opts.content);
    let lines = Lines::new(lang, cli.verbose);
    let progress: &dyn Progress = lines.unless_quiet(cli.quiet);
    let result = camnang::build(opts, progress);
    progress.stage("done", 0);
    let signal = opts.stop.load(Ordering::SeqCst);
    if signal != 0 {
        // Stopped before the move phase: whatever is in `out` was there before.
        report::stopped(result.is_ok(), opts.out.exists(), lang);
        return Ok(ExitCode::from(128 + (signal as u8 & 0x7f)));
    }
    match result {
        Ok(r) => {
            report::built(&r, &opts.content, &opts.out, lang, cli.verbose, cli.quiet);
            Ok(ExitCode::SUCCESS)
        }
        Err(Error::Content(d)) => {
            report::not_built(&d, &opts.content, lang);
            Ok(ExitCode::from(1))
        }
        Err(e) => Err(e.to_string()),
    }
}

/// A flag set to the signal's number on Ctrl-C (SIGINT), SIGTERM or SIGHUP, so the build
/// stops cleanly; a second Ctrl-C ends the process at once (the next build repairs what
/// it leaves).
fn stop_on_signals() -> StopFlag {
    use signal_hook::consts::{SIGINT, SIGTERM};
    let stop = StopFlag::default();
    let again = Arc::new(AtomicBool::new(false));
    #[cfg(unix)]
    let signals = [SIGINT, SIGTERM, signal_hook::consts::SIGHUP];
    #[cfg(not(unix))]
    let signals = [SIGINT, SIGTERM];
    for sig in signals {
        let code = 128 + sig;
        // Registration fails only for signals that cannot be caught: then the default stays.
        let _ = signal_hook::flag::register_conditional_shutdown(sig, code, again.clone());
        let _ = signal_hook::flag::register_usize(sig, stop.clone(), sig as usize);
        let _ = signal_hook::flag::register(sig, again.clone());
    }
    stop
}

/// `camnang check`: 1 when anything fails.
fn check(cli: &Cli, content: &Path, strict: bool, format: Format, today: Option<Date>) -> ExitCode {
    let lang = message_lang(cli, content);
    let checked = check::run_on(content, strict, today);
    report::checked(&checked, content, lang, format, cli.quiet);
    if checked.ok() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

/// `camnang import RECORD.json… [--update]`: 1 when a record could not be imported (the
/// others are).
fn import(
    cli: &Cli,
    content: &Path,
    records: &[PathBuf],
    update: bool,
) -> Result<ExitCode, String> {
    let lang = message_lang(cli, content);
    let mut ok = true;
    for r in records {
        match import::import(content, r, update, lang) {
            Ok(done) => {
                if !cli.quiet {
                    eprintln!("{}", done.describe(lang));
                }
            }
            Err(e) => {
                eprintln!("{e}");
                ok = false;
            }
        }
    }
    Ok(if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// The online client's options from the command line.
fn net_options(n: &NetArgs) -> online::Options {
    online::Options {
        timeout: n.timeout,
        connect_timeout: n.connect_timeout,
        jobs: usize::from(n.jobs),
        map: n.map_origin.clone(),
        ..online::Options::default()
    }
}

/// `camnang records fetch`: 1 when a record could not be fetched or the content has errors.
fn fetch_records(cli: &Cli, content: &Path, codes: &[String], opts: online::Options) -> ExitCode {
    let lang = message_lang(cli, content);
    match records::run(content, codes, opts) {
        Ok(all) => {
            for f in &all {
                println!("{}", records::describe(f, lang));
            }
            let failed = all
                .iter()
                .filter(|f| matches!(f.outcome, records::Outcome::Failed(_)))
                .count();
            ExitCode::from(u8::from(failed > 0))
        }
        Err(e) => not_run(e, content, lang),
    }
}

/// An online command that could not run: the content's problems or the error, exit 1.
fn not_run(e: Error, content: &Path, lang: Lang) -> ExitCode {
    match e {
        Error::Content(d) => {
            report::print_diags(&d, content, lang, false);
            eprintln!("{}", report::summary(&d, lang));
        }
        e => eprintln!("{e}"),
    }
    ExitCode::from(1)
}

/// `camnang links`: 1 when a QR link fails, nothing answered, or the content has errors.
fn check_links(cli: &Cli, content: &Path, opts: online::Options) -> ExitCode {
    let lang = message_lang(cli, content);
    if !cli.quiet {
        match lang {
            Lang::Vi => eprintln!("Kiểm tra liên kết qua mạng, {} yêu cầu một lúc…", opts.jobs),
            Lang::En => eprintln!("Checking links online, {} requests at a time…", opts.jobs),
        }
    }
    match links::run(content, opts) {
        Ok(o) => {
            print!("{}", links::table::failures(&o.rows, lang));
            if !cli.quiet || o.written.is_none() {
                let file = content.join(camnang::content::links::LINKS_FILE);
                eprintln!("{}", links::table::summary(&o, &file, lang));
            }
            ExitCode::from(u8::from(o.failed()))
        }
        Err(e) => not_run(e, content, lang),
    }
}

/// `camnang init DIR`.
fn init(cli: &Cli, dir: &Path) -> Result<ExitCode, String> {
    let lang = cli.lang.unwrap_or_default();
    let files = scaffold::init(dir, lang).map_err(|e| e.to_string())?;
    if !cli.quiet {
        report::site_created(&files, dir, lang);
    }
    Ok(ExitCode::SUCCESS)
}

/// `camnang new SLUG [--from CODE]`.
fn new(cli: &Cli, content: &Path, slug: &str, from: Option<&str>) -> Result<ExitCode, String> {
    let lang = message_lang(cli, content);
    let path = scaffold::new_guide(content, slug, from, lang).map_err(|e| e.to_string())?;
    if !cli.quiet {
        report::guide_created(&path, content, lang);
    }
    Ok(ExitCode::SUCCESS)
}

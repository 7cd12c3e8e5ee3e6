//! The `camnang` binary: parse arguments, call the library, print, exit.
//! Exit codes: 0 ok, 1 problems in the content or output, 2 usage.
//!
//! What is printed for a person is in [`camnang::commands::report`].

use std::path::Path;
use std::process::ExitCode;

use camnang::Error;
use camnang::commands::build::BuildOptions;
use camnang::commands::cli::{Cli, Command, Format};
use camnang::commands::report::{self, Lines};
use camnang::commands::{check, help, links, online, project, scaffold, serve};
use camnang::content::config;
use camnang::i18n::Lang;
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
        } => {
            let opts = BuildOptions {
                content: content_folder(cli, content),
                out: out.clone(),
                lang: cli.lang,
                strict: *strict,
                pdf: *pdf,
                zip: *zip,
                office: office.clone(),
            };
            build(cli, &opts)
        }
        Command::Check {
            content,
            strict,
            format,
        } => Ok(check(cli, &content_folder(cli, content), *strict, *format)),
        Command::Init { dir } => init(cli, dir),
        Command::New {
            slug,
            from,
            content,
        } => new(cli, &content_folder(cli, content), slug, from.as_deref()),
        Command::Links {
            content,
            timeout,
            connect_timeout,
            jobs,
            map_origin,
        } => {
            let opts = online::Options {
                timeout: *timeout,
                connect_timeout: *connect_timeout,
                jobs: usize::from(*jobs),
                map: map_origin.clone(),
                ..online::Options::default()
            };
            Ok(check_links(cli, &content_folder(cli, content), opts))
        }
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
    let lang = message_lang(cli, &opts.content);
    let lines = Lines::new(lang, cli.verbose);
    let progress: &dyn Progress = lines.unless_quiet(cli.quiet);
    let result = camnang::build(opts, progress);
    progress.stage("done", 0);
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

/// `camnang check`: 1 when anything fails.
fn check(cli: &Cli, content: &Path, strict: bool, format: Format) -> ExitCode {
    let lang = message_lang(cli, content);
    let checked = check::run(content, strict);
    report::checked(&checked, content, lang, format, cli.quiet);
    if checked.ok() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
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
        Err(Error::Content(d)) => {
            report::print_diags(&d, content, lang, false);
            eprintln!("{}", report::summary(&d, lang));
            ExitCode::from(1)
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::from(1)
        }
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

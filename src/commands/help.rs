//! `--help` in one language: the help texts of [`crate::commands::cli`] are written
//! "tiếng Việt (English)"; [`command`] keeps the part of the chosen language and puts the
//! headings and examples in that language too.
//!
//! The language of the help is `--lang` (anywhere on the command line), else the
//! `CAMNANG_LANG` environment variable, else Vietnamese.

use clap::{Arg, ArgAction, Command, CommandFactory};

use crate::commands::cli::{Cli, EXAMPLES_EN, EXAMPLES_VI};
use crate::i18n::Lang;

/// The language asked for on the command line (`--lang en`, `--lang=en`) or in
/// `CAMNANG_LANG`, before the arguments are parsed.
pub fn detect(args: &[String], env: Option<&str>) -> Option<Lang> {
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if a == "--lang" {
            return it.next().and_then(|v| v.parse().ok());
        }
        if let Some(v) = a.strip_prefix("--lang=") {
            return v.parse().ok();
        }
    }
    env.and_then(|v| v.parse().ok())
}

/// One language of a "tiếng Việt (English)" text. A text without an English part in
/// parentheses at its end is returned as it is.
pub fn pick(text: &str, lang: Lang) -> String {
    let t = text.trim();
    if let Some(body) = t.strip_suffix(')')
        && let Some(open) = body.rfind(" (")
    {
        let (vi, en) = (&body[..open], &body[open + 2..]);
        let vi = vi.trim_end_matches(['.', ' ']);
        return match lang {
            Lang::Vi => vi.to_string(),
            Lang::En => {
                let en = en.trim_end_matches('.');
                let mut c = en.chars();
                c.next()
                    .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
                    .unwrap_or_default()
            }
        };
    }
    t.to_string()
}

/// The words clap prints itself (headings, `--help`, `--version`), in one language.
struct Words {
    help_cmd: &'static str,
    help_arg: &'static str,
    usage: &'static str,
    options: &'static str,
    arguments: &'static str,
    commands: &'static str,
    help: &'static str,
    version: &'static str,
}

fn words(lang: Lang) -> Words {
    match lang {
        Lang::Vi => Words {
            help_cmd: "In trợ giúp, hoặc trợ giúp của một lệnh",
            help_arg: "Lệnh cần xem trợ giúp",
            usage: "Cách dùng:",
            options: "Tùy chọn",
            arguments: "Tham số",
            commands: "Lệnh",
            help: "In trợ giúp này",
            version: "In số phiên bản",
        },
        Lang::En => Words {
            help_cmd: "Print this help, or the help of a command",
            help_arg: "The command to show the help of",
            usage: "Usage:",
            options: "Options",
            arguments: "Arguments",
            commands: "Commands",
            help: "Print help",
            version: "Print version",
        },
    }
}

/// `cmd` and its subcommands in `lang`; `top`: `cmd` is camnang itself, which also gets
/// `--version`, the examples and the `help` command.
fn localize(cmd: Command, lang: Lang, top: bool) -> Command {
    let w = words(lang);
    let mut cmd = own_texts(cmd, lang, &w);
    if top {
        cmd = top_texts(cmd, lang, &w);
    }
    let names: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    for n in names {
        cmd = cmd.mut_subcommand(n, |s| localize(s, lang, false));
    }
    if top {
        cmd = cmd.subcommand(help_command(lang, &w));
    }
    cmd
}

/// The texts of `cmd` itself in `lang`: about, argument helps, headings, `--help`.
fn own_texts(cmd: Command, lang: Lang, w: &Words) -> Command {
    let mut cmd = cmd;
    if let Some(about) = cmd.get_about().map(|a| pick(&a.to_string(), lang)) {
        cmd = cmd.about(about);
    }
    if cmd.get_name() == "serve" {
        cmd = cmd.after_help(match lang {
            Lang::Vi => crate::commands::cli::SERVE_HELP,
            Lang::En => crate::commands::cli::SERVE_HELP_EN,
        });
    }
    let after = match (cmd.get_name(), lang) {
        ("links", Lang::Vi) => Some(crate::commands::cli::LINKS_HELP),
        ("links", Lang::En) => Some(crate::commands::cli::LINKS_HELP_EN),
        ("fetch", Lang::Vi) => Some(crate::commands::cli::FETCH_HELP),
        ("fetch", Lang::En) => Some(crate::commands::cli::FETCH_HELP_EN),
        _ => None,
    };
    if let Some(text) = after {
        cmd = cmd.after_help(text);
    }
    cmd.mut_args(|a| {
        let a = match a.get_help().map(|h| pick(&h.to_string(), lang)) {
            Some(h) => a.help(h),
            None => a,
        };
        if a.is_positional() {
            a.help_heading(w.arguments)
        } else {
            a.help_heading(w.options)
        }
    })
    .help_template(format!(
        "{{about-with-newline}}\n{} {{usage}}\n\n{{all-args}}{{after-help}}",
        w.usage
    ))
    .subcommand_help_heading(w.commands)
    .disable_help_flag(true)
    .arg(
        Arg::new("help")
            .short('h')
            .long("help")
            .action(ArgAction::Help)
            .help(w.help)
            .help_heading(w.options),
    )
}

/// What only camnang itself has: `--version` and the examples after the help.
fn top_texts(cmd: Command, lang: Lang, w: &Words) -> Command {
    cmd.disable_help_subcommand(true)
        .disable_version_flag(true)
        .arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help(w.version)
                .help_heading(w.options),
        )
        .after_help(match lang {
            Lang::Vi => EXAMPLES_VI,
            Lang::En => EXAMPLES_EN,
        })
}

/// The `help [COMMAND]` command in `lang` (clap's own is turned off to have it localized).
fn help_command(lang: Lang, w: &Words) -> Command {
    Command::new("help")
        .about(w.help_cmd)
        .help_template(format!(
            "{{about-with-newline}}\n{} {{usage}}\n\n{{all-args}}",
            w.usage
        ))
        .disable_help_flag(true)
        .arg(
            Arg::new("command")
                .value_name(match lang {
                    Lang::Vi => "LỆNH",
                    Lang::En => "COMMAND",
                })
                .help(w.help_arg)
                .help_heading(w.arguments),
        )
}

/// `camnang help [COMMAND]`: prints the help of `COMMAND` (or of camnang) in `lang` and
/// returns the exit code; `None` for any other command.
pub fn help_subcommand(m: &clap::ArgMatches, lang: Lang) -> Option<std::process::ExitCode> {
    let ("help", sub) = m.subcommand()? else {
        return None;
    };
    let mut cmd = command(lang).bin_name("camnang");
    cmd.build();
    let name = sub.get_one::<String>("command");
    let text = match name {
        None => cmd.render_help(),
        Some(n) => match cmd.find_subcommand_mut(n) {
            Some(s) if n != "help" => s.render_help(),
            _ => {
                eprintln!(
                    "{}",
                    match lang {
                        Lang::Vi => format!("không có lệnh `{n}`; xem `camnang --help`"),
                        Lang::En => format!("no command `{n}`; see `camnang --help`"),
                    }
                );
                return Some(std::process::ExitCode::from(2));
            }
        },
    };
    // A closed pipe (`camnang help | head`) is not an error.
    let _ = std::io::Write::write_all(&mut std::io::stdout(), text.to_string().as_bytes());
    Some(std::process::ExitCode::SUCCESS)
}

/// The command line of `camnang` with its help in `lang`.
pub fn command(lang: Lang) -> Command {
    localize(Cli::command(), lang, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_one_language() {
        let t = "Ngôn ngữ: vi (mặc định) hoặc en (language of messages and pages)";
        assert_eq!(pick(t, Lang::Vi), "Ngôn ngữ: vi (mặc định) hoặc en");
        assert_eq!(pick(t, Lang::En), "Language of messages and pages");
        assert_eq!(pick("Chỉ một thứ tiếng", Lang::En), "Chỉ một thứ tiếng");
    }

    #[test]
    fn language_from_arguments_then_environment() {
        let args = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            detect(&args(&["camnang", "--lang", "en"]), None),
            Some(Lang::En)
        );
        assert_eq!(
            detect(&args(&["camnang", "--lang=en"]), Some("vi")),
            Some(Lang::En)
        );
        assert_eq!(
            detect(&args(&["camnang", "check"]), Some("en")),
            Some(Lang::En)
        );
        assert_eq!(detect(&args(&["camnang"]), None), None);
        assert_eq!(detect(&args(&["camnang"]), Some("fr")), None);
    }

    #[test]
    fn every_help_text_has_both_languages() {
        fn walk(cmd: &Command, out: &mut Vec<String>) {
            if let Some(a) = cmd.get_about() {
                out.push(a.to_string());
            }
            for a in cmd.get_arguments() {
                if let Some(h) = a.get_help() {
                    out.push(h.to_string());
                }
            }
            for s in cmd.get_subcommands() {
                walk(s, out);
            }
        }
        let mut texts = Vec::new();
        walk(&Cli::command(), &mut texts);
        for t in texts {
            assert_ne!(pick(&t, Lang::Vi), pick(&t, Lang::En), "{t}");
        }
    }
}

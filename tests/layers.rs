//! The house rules of `docs/architecture.md`, checked on the source itself:
//! - imports point one way: commands → output → render → content → basics;
//! - rooms stay small: no source file over 500 lines, no function over 80.
//!
//! The checks read `src/` as text (every `crate::…` path outside comments, `use` trees
//! included), so they need no compiler support and name the file and line at fault.

use std::path::{Path, PathBuf};

/// The stages, lowest first. A file may import from its own stage and the ones below.
const LAYERS: &[&str] = &["basics", "content", "render", "output", "commands"];

/// Largest source file (lines, tests included) and function (lines, `fn` to `}`).
const MAX_FILE_LINES: usize = 500;
const MAX_FN_LINES: usize = 80;

/// What `crate::NAME` can start with, and its stage: the modules `lib.rs` declares (a
/// stage folder, or a basic), the items it re-exports (`crate::build` is the build
/// command's), and the macros exported from a file (`crate::tx!`, from `i18n.rs`).
/// Read from the source, so a new module or re-export cannot slip past unclassified.
type Roots = std::collections::HashMap<String, usize>;

fn stage_of_module(name: &str) -> usize {
    LAYERS.iter().position(|l| *l == name).unwrap_or(0)
}

fn roots(lib_rs: &str, files: &[(String, String)]) -> Roots {
    let mut roots = Roots::new();
    for line in lib_rs.lines().map(str::trim) {
        let line = line.trim_start_matches("pub ");
        if let Some(m) = line.strip_prefix("mod ").and_then(|m| m.strip_suffix(';')) {
            roots.insert(m.to_string(), stage_of_module(m));
        } else if let Some(path) = line.strip_prefix("use ").and_then(|p| p.strip_suffix(';')) {
            // `use a::b::{X, y};` or `use a::b::X;`: each name gets the stage of `a`.
            let stage = stage_of_module(path.split("::").next().unwrap_or(""));
            let names = match path.split_once('{') {
                Some((_, group)) => group.trim_end_matches('}').to_string(),
                None => path.rsplit("::").next().unwrap_or("").to_string(),
            };
            for name in names.split(',').map(str::trim).filter(|n| !n.is_empty()) {
                roots.insert(name.to_string(), stage);
            }
        }
    }
    for (rel, src) in files {
        let stage = stage_of_file(rel, &roots);
        let mut exported = false;
        for line in src.lines().map(str::trim) {
            if exported && let Some(name) = line.strip_prefix("macro_rules! ") {
                roots.insert(name.trim_end_matches(" {").to_string(), stage.unwrap_or(0));
            }
            exported = line == "#[macro_export]";
        }
    }
    roots
}

/// The stage of a source file, from its path under `src/` (`None`: lib.rs and main.rs,
/// which sit above every stage).
fn stage_of_file(rel: &str, roots: &Roots) -> Option<usize> {
    if matches!(rel, "lib.rs" | "main.rs") {
        return None;
    }
    let first = rel.split('/').next()?.trim_end_matches(".rs");
    Some(roots.get(first).copied().unwrap_or(0))
}

/// Every `crate::a…` path in `src` outside comments, as (line, first segment). Grouped
/// imports (`use crate::{a::X, b};`, over several lines too) give one entry per member.
fn crate_paths(src: &str) -> Vec<(usize, String)> {
    // The code without comments, lines kept (so positions stay right).
    let code: String = src
        .lines()
        .map(|l| l.split("//").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n");
    let ident = |c: char| c.is_alphanumeric() || c == '_';
    let line_at = |i: usize| code[..i].matches('\n').count() + 1;
    let mut out = Vec::new();
    for (at, _) in code.match_indices("crate::") {
        if code[..at]
            .chars()
            .next_back()
            .is_some_and(|c| ident(c) || c == '$')
        {
            continue;
        }
        let rest = &code[at + "crate::".len()..];
        let Some(group) = rest.strip_prefix('{') else {
            let name: String = rest.chars().take_while(|c| ident(*c)).collect();
            out.push((line_at(at), name));
            continue;
        };
        // A group: the first word of each member at depth 1 is a module (or an item).
        let (mut depth, mut start, mut word) = (1usize, true, String::new());
        let base = at + "crate::{".len();
        for (i, c) in group.char_indices() {
            if ident(c) {
                word.push(c);
                continue;
            }
            if !word.is_empty() {
                if start && depth == 1 {
                    out.push((line_at(base + i), std::mem::take(&mut word)));
                }
                word.clear();
                start = false;
            }
            match c {
                '{' => depth += 1,
                '}' => depth -= 1,
                ',' if depth == 1 => start = true,
                _ => {}
            }
            if depth == 0 {
                break;
            }
        }
    }
    out
}

/// The imports of one file that point up a stage, or start with a name `lib.rs` does not
/// declare: "file:line: `crate::x` (stage x) from stage y".
fn back_imports(rel: &str, src: &str, roots: &Roots) -> Vec<String> {
    let Some(mine) = stage_of_file(rel, roots) else {
        return Vec::new();
    };
    crate_paths(src)
        .into_iter()
        .filter_map(|(line, first)| match roots.get(&first) {
            None => Some(format!(
                "src/{rel}:{line}: `crate::{first}` is no module, re-export or macro of lib.rs \
                 (declare it and give it a stage)"
            )),
            Some(&theirs) => (theirs > mine).then(|| {
                format!(
                    "src/{rel}:{line}: imports `crate::{first}` ({} stage) from the {} stage",
                    LAYERS[theirs], LAYERS[mine]
                )
            }),
        })
        .collect()
}

fn sources() -> Vec<(String, String)> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files: Vec<PathBuf> = Vec::new();
    let mut dirs = vec![src.clone()];
    while let Some(d) = dirs.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                dirs.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                files.push(p);
            }
        }
    }
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let rel = p
                .strip_prefix(&src)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            (rel, std::fs::read_to_string(&p).unwrap())
        })
        .collect()
}

/// Functions longer than [`MAX_FN_LINES`], as rustfmt lays them out: from the `fn` line
/// to the `}` at the same indentation.
fn long_functions(rel: &str, src: &str) -> Vec<String> {
    let lines: Vec<&str> = src.lines().collect();
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let t = line.trim_start();
        let indent = &line[..line.len() - t.len()];
        let t = t
            .trim_start_matches("pub(crate) ")
            .trim_start_matches("pub ")
            .trim_start_matches("const ")
            .trim_start_matches("async ");
        let Some(name) = t.strip_prefix("fn ") else {
            continue;
        };
        let name: String = name
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        // The signature ends at the first line ending in `{` (a body) or `;` (none).
        let Some(open) = (i..lines.len())
            .find(|&j| lines[j].trim_end().ends_with('{') || lines[j].trim_end().ends_with(';'))
        else {
            continue;
        };
        if lines[open].trim_end().ends_with(';') {
            continue;
        }
        let close = format!("{indent}}}");
        if let Some(end) = (open + 1..lines.len()).find(|&j| lines[j] == close) {
            let n = end - i + 1;
            if n > MAX_FN_LINES {
                out.push(format!("src/{rel}:{}: fn {name} has {n} lines", i + 1));
            }
        }
    }
    out
}

#[test]
fn imports_point_down_the_stages() {
    let files = sources();
    let lib_rs = &files.iter().find(|(rel, _)| rel == "lib.rs").unwrap().1;
    let roots = roots(lib_rs, &files);
    // The classification itself: the stages and the re-exported build command.
    assert_eq!(roots.get("render"), Some(&2), "{roots:?}");
    assert_eq!(roots.get("build"), Some(&4), "{roots:?}");
    assert_eq!(roots.get("tx"), Some(&0), "{roots:?}");
    let bad: Vec<String> = files
        .iter()
        .flat_map(|(rel, src)| back_imports(rel, src, &roots))
        .collect();
    assert!(
        bad.is_empty(),
        "imports must point commands → output → render → content → basics \
         (docs/architecture.md):\n{}",
        bad.join("\n")
    );
}

#[test]
fn the_layering_check_finds_back_imports() {
    let lib_rs = "pub mod commands;\npub mod content;\npub mod error;\nmod output;\n\
                  pub mod render;\npub mod vn;\n\
                  pub use commands::build::{BuildOptions, build};\npub use error::Error;\n";
    let i18n = "#[macro_export]\nmacro_rules! tx {\n";
    let roots = roots(lib_rs, &[("vn.rs".into(), i18n.into())]);
    // A content file reaching up into rendering, in every way an import is written: a
    // path, a group, a group over lines, a path in code, a re-export at the crate root.
    let src = "//! doc: crate::render is fine in a comment\n\
               use crate::error::Error;\n\
               use crate::render::print;\n\
               use crate::{tx, commands::build, vn};\n\
               use crate::{\n    error::Pos,\n    output::staging,\n};\n\
               fn f() { crate::render::qr::encode(); let _ = crate::vn::fold(\"\"); }\n\
               fn g() { crate::build(); crate::Error::Other; crate::records::x(); }\n";
    assert_eq!(
        back_imports("content/guide/read.rs", src, &roots),
        vec![
            "src/content/guide/read.rs:3: imports `crate::render` (render stage) from the content stage",
            "src/content/guide/read.rs:4: imports `crate::commands` (commands stage) from the content stage",
            "src/content/guide/read.rs:7: imports `crate::output` (output stage) from the content stage",
            "src/content/guide/read.rs:9: imports `crate::render` (render stage) from the content stage",
            "src/content/guide/read.rs:10: imports `crate::build` (commands stage) from the content stage",
            "src/content/guide/read.rs:10: `crate::records` is no module, re-export or macro of lib.rs (declare it and give it a stage)",
        ]
    );
    // The same lines are fine one stage up (but for the undeclared name), and the basics
    // may import only basics.
    assert_eq!(back_imports("commands/build.rs", src, &roots).len(), 1);
    assert_eq!(
        back_imports("vn.rs", "use crate::content::Content;\n", &roots).len(),
        1
    );
    assert!(back_imports("lib.rs", src, &roots).is_empty());
}

#[test]
fn source_files_stay_small() {
    let big: Vec<String> = sources()
        .iter()
        .filter(|(_, src)| src.lines().count() > MAX_FILE_LINES)
        .map(|(rel, src)| format!("src/{rel}: {} lines", src.lines().count()))
        .collect();
    assert!(
        big.is_empty(),
        "source files over {MAX_FILE_LINES} lines (split by what the code does):\n{}",
        big.join("\n")
    );
}

#[test]
fn functions_stay_short() {
    let long: Vec<String> = sources()
        .iter()
        .flat_map(|(rel, src)| long_functions(rel, src))
        .collect();
    assert!(
        long.is_empty(),
        "functions over {MAX_FN_LINES} lines:\n{}",
        long.join("\n")
    );
}

#[test]
fn the_size_checks_measure_what_they_say() {
    let body = "    x();\n".repeat(MAX_FN_LINES - 2);
    let ok = format!("pub fn short(\n    a: u8,\n) {{\n{}}}\n", &body[18..]);
    assert!(long_functions("a.rs", &ok).is_empty(), "{ok}");
    let long = format!("    fn long() {{\n{body}{body}    }}\n");
    assert_eq!(
        long_functions("a.rs", &long),
        vec![format!(
            "src/a.rs:1: fn long has {} lines",
            2 * (MAX_FN_LINES - 2) + 2
        )]
    );
    assert!(long_functions("a.rs", "trait T {\n    fn f(&self);\n}\n").is_empty());
}

/// Where the network may be used: the online client and the online commands. `build`,
/// `check`, `serve` and every stage below the commands stay offline.
const ONLINE: &[&str] = &["commands/online/", "commands/links/", "commands/records"];

/// Lines of an offline file that reach the network: `ureq` anywhere but in the client,
/// and the client or an online command named outside them.
fn network_uses(rel: &str, src: &str) -> Vec<String> {
    if matches!(rel, "lib.rs" | "main.rs" | "commands/mod.rs") {
        return Vec::new();
    }
    let online = ONLINE.iter().any(|p| rel.starts_with(p));
    let in_client = rel.starts_with("commands/online/");
    let mut out = Vec::new();
    for (i, line) in src.lines().enumerate() {
        let code = line.split("//").next().unwrap_or("");
        let words = code.replace(
            |c: char| !(c.is_alphanumeric() || c == '_' || c == ':'),
            " ",
        );
        for w in words.split_whitespace() {
            let ureq = w == "ureq" || w.starts_with("ureq::");
            let named = [
                "commands::online",
                "commands::links",
                "commands::records",
                "online::",
            ]
            .iter()
            .any(|p| w.starts_with(p) || w.contains(&format!("::{p}")));
            if (ureq && !in_client) || (named && !online) {
                out.push(format!("src/{rel}:{}: `{w}`", i + 1));
            }
        }
    }
    out
}

#[test]
fn only_the_online_commands_reach_the_network() {
    let bad: Vec<String> = sources()
        .iter()
        .flat_map(|(rel, src)| network_uses(rel, src))
        .collect();
    assert!(
        bad.is_empty(),
        "the HTTP client (ureq) lives in commands/online/ and only the online commands \
         ({ONLINE:?}) use it; build, check, serve and the stages stay offline:\n{}",
        bad.join("\n")
    );
    // The check itself finds what it should.
    assert_eq!(
        network_uses(
            "commands/build.rs",
            "use crate::commands::online::Client;\n// ureq\n"
        ),
        vec!["src/commands/build.rs:1: `crate::commands::online::Client`"]
    );
    assert_eq!(
        network_uses("render/site.rs", "fn f() { let _ = ureq::get(\"x\"); }\n").len(),
        1
    );
    assert_eq!(
        network_uses("commands/links/mod.rs", "use ureq::Agent;\n"),
        vec!["src/commands/links/mod.rs:1: `ureq::Agent`"]
    );
    assert!(
        network_uses(
            "commands/links/mod.rs",
            "use crate::commands::online::Client;\n"
        )
        .is_empty()
    );
    assert!(network_uses("content/links.rs", "use crate::content::links::Links;\n").is_empty());
}

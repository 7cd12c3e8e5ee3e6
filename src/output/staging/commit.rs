//! The move phase: the journal that describes it, and applying it. The same code moves
//! a finished build into place and rolls forward the move phase of a build that was
//! killed during it, so both end with the same output. Every step is a rename or a
//! removal, and each can be applied again: files are never rewritten in the output, so
//! none is ever left cut short.

use std::collections::HashSet;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::Error;

use super::{FILES, MARKER};

/// What the move phase does; written (and flushed to the disk) before it begins.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "commit", rename_all = "kebab-case")]
pub(super) enum Journal {
    /// The staging folder is the complete new site and replaces the output folder.
    Swap,
    /// Files of the output to remove, then files of the staging folder to move into
    /// the output (paths relative to both, with `/`).
    InPlace {
        remove: Vec<String>,
        moves: Vec<String>,
    },
}

/// The folders of one build.
#[derive(Debug, Clone)]
pub(super) struct Places {
    pub out: PathBuf,
    pub tmp: PathBuf,
    /// The previous site during a swap.
    pub old: PathBuf,
}

/// Writes the list of the new site's files (`paths`) into the staging folder of `p`, as
/// [`FILES`], unless (`in_place`) the output folder keeps that list already: the next
/// in-place commit
/// takes the old site's files from it instead of walking the output folder (which took a
/// sixth of a rebuild that changed nothing).
pub(super) fn write_list(
    p: &Places,
    in_place: bool,
    paths: &[(String, bool)],
) -> Result<(), Error> {
    let mut list: Vec<&str> = paths.iter().map(|(p, _)| p.as_str()).collect();
    list.sort_unstable();
    let mut text = String::with_capacity(list.len() * 40);
    for p in list {
        text.push_str(p);
        text.push('\n');
    }
    if in_place && std::fs::read(p.out.join(FILES)).is_ok_and(|old| old == text.as_bytes()) {
        return Ok(());
    }
    let path = p.tmp.join(FILES);
    std::fs::write(&path, text).map_err(|e| Error::io(&path, e))
}

/// The files listed in the output folder's [`FILES`], if it is there and every line is a
/// plain relative path (no `..`, nothing absolute: a damaged or doctored list means a
/// walk of the folder, never a removal outside it).
fn old_list(out: &Path) -> Option<Vec<String>> {
    let text = std::fs::read_to_string(out.join(FILES)).ok()?;
    text.lines()
        .map(|l| {
            let plain = !l.is_empty()
                && Path::new(l)
                    .components()
                    .all(|c| matches!(c, std::path::Component::Normal(_)));
            plain.then(|| l.to_string())
        })
        .collect()
}

/// The journal of an in-place commit: `paths` are the new site's files and whether each
/// was staged. The list of the new site's files is moved too when [`write_list`] wrote
/// one (a changed list).
pub(super) fn in_place_journal(p: &Places, paths: &[(String, bool)]) -> Journal {
    let out = &p.out;
    let keep: HashSet<&str> = paths.iter().map(|(p, _)| p.as_str()).collect();
    let list = p.tmp.join(FILES).is_file().then(|| FILES.to_string());
    let moves = paths
        .iter()
        .filter(|(_, staged)| *staged)
        .map(|(p, _)| p.clone())
        .chain(list)
        .collect();
    // Files of the old site that the new one does not have: from the list the previous
    // build left, else by walking the output folder (which also finds anything in the way
    // of a new file's folder, and files put there by hand).
    if let Some(old) = old_list(out) {
        let remove = old
            .into_iter()
            .filter(|p| !keep.contains(p.as_str()) && p != MARKER && p != FILES)
            .collect();
        return Journal::InPlace { remove, moves };
    }
    let mut remove = Vec::new();
    for e in walkdir::WalkDir::new(out).min_depth(1).sort_by_file_name() {
        let Ok(e) = e else { continue };
        let Ok(rel) = e.path().strip_prefix(out) else {
            continue;
        };
        let rel = rel.to_string_lossy().replace('\\', "/");
        if !e.file_type().is_dir() && rel != MARKER && rel != FILES && !keep.contains(rel.as_str())
        {
            remove.push(rel);
        }
    }
    Journal::InPlace { remove, moves }
}

/// Applies `journal`: the first time, or again after a kill (steps already done are
/// skipped). The staging folder and the old site are left for the caller to remove.
pub(super) fn apply(journal: &Journal, p: &Places, steps: &mut Steps) -> Result<(), Error> {
    steps.start();
    match journal {
        Journal::Swap => swap(p, steps),
        Journal::InPlace { remove, moves } => in_place(remove, moves, p, steps),
    }
}

fn in_place(
    remove: &[String],
    moves: &[String],
    p: &Places,
    steps: &mut Steps,
) -> Result<(), Error> {
    for rel in remove {
        let path = p.out.join(rel);
        match std::fs::remove_file(&path) {
            Ok(()) => steps.step(),
            Err(e) if e.kind() == ErrorKind::NotFound => {}
            Err(e) => return Err(Error::io(&path, e)),
        }
    }
    for rel in moves {
        let from = p.tmp.join(rel);
        if std::fs::symlink_metadata(&from).is_err() {
            continue; // moved before the kill
        }
        let target = p.out.join(rel);
        if target.is_dir() {
            std::fs::remove_dir_all(&target).map_err(|e| Error::io(&target, e))?;
        }
        if let Some(dir) = target.parent() {
            make_dir(&p.out, dir)?;
        }
        std::fs::rename(&from, &target).map_err(|e| Error::io(&target, e))?;
        steps.step();
    }
    // Folders the removals left empty, children before their parents (only theirs: trying
    // every folder of a large site took longer than the rest of a rebuild's commit).
    let mut dirs: Vec<&Path> = remove
        .iter()
        .flat_map(|rel| Path::new(rel).ancestors().skip(1))
        .filter(|d| !d.as_os_str().is_empty())
        .collect();
    dirs.sort_unstable_by(|a, b| {
        let depth = |p: &Path| p.components().count();
        depth(b).cmp(&depth(a)).then(a.cmp(b))
    });
    dirs.dedup();
    for d in dirs {
        let _ = std::fs::remove_dir(p.out.join(d));
    }
    Ok(())
}

/// Replaces the output with the complete site in the staging folder: the output becomes
/// the old site, the staging folder the output.
fn swap(p: &Places, steps: &mut Steps) -> Result<(), Error> {
    let exists = |d: &Path| std::fs::symlink_metadata(d).is_ok();
    if exists(&p.tmp) {
        if exists(&p.out) {
            if exists(&p.old) {
                remove_tree(&p.old);
            }
            std::fs::rename(&p.out, &p.old).map_err(|e| Error::io(&p.out, e))?;
            steps.step();
        }
        if let Err(e) = std::fs::rename(&p.tmp, &p.out) {
            // Put the old output back.
            let _ = std::fs::rename(&p.old, &p.out);
            return Err(Error::io(&p.out, e));
        }
        steps.step();
    } else if !exists(&p.out) && exists(&p.old) {
        // Not this build's doing, but never lose the previous site.
        std::fs::rename(&p.old, &p.out).map_err(|e| Error::io(&p.out, e))?;
    }
    Ok(())
}

/// Flushes a folder's entries to the disk (where the system allows opening a folder).
pub(super) fn sync_dir(dir: &Path) {
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
}

/// Creates `dir` inside `root`, removing a file that stands where a folder must be.
fn make_dir(root: &Path, dir: &Path) -> Result<(), Error> {
    if dir.is_dir() {
        return Ok(());
    }
    let mut p = dir;
    while p != root {
        if p.is_file() {
            std::fs::remove_file(p).map_err(|e| Error::io(p, e))?;
            break;
        }
        match p.parent() {
            Some(up) => p = up,
            None => break,
        }
    }
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))
}

/// Removes a folder tree, its top-level subtrees in parallel (a site has thousands of
/// small files; this is most of the time of replacing the previous output).
pub(super) fn remove_tree(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut subdirs = Vec::new();
    for e in entries.flatten() {
        let p = e.path();
        match e.file_type() {
            Ok(t) if t.is_dir() => {
                // One level further down, where the per-guide folders are.
                if let Ok(inner) = std::fs::read_dir(&p) {
                    subdirs.extend(inner.flatten().map(|i| i.path()))
                }
                subdirs.push(p);
            }
            _ => {
                let _ = std::fs::remove_file(&p);
            }
        }
    }
    // Children first, then their parents.
    let (leaves, parents): (Vec<_>, Vec<_>) =
        subdirs.into_iter().partition(|p| p.parent() != Some(dir));
    leaves.par_iter().for_each(|p| {
        if p.is_dir() {
            let _ = std::fs::remove_dir_all(p);
        } else {
            let _ = std::fs::remove_file(p);
        }
    });
    parents.par_iter().for_each(|p| {
        let _ = std::fs::remove_dir_all(p);
    });
    let _ = std::fs::remove_dir_all(dir);
}

/// A hidden hook for tests: with `CAMNANG_TEST_KILL_AFTER_MOVES=N` in the environment,
/// the build kills itself (SIGKILL where there is one) after N steps of its move phase,
/// as a power loss or `kill -9` would, to test that the next build finishes the job.
/// `N:int` sends itself SIGINT (Ctrl-C) there instead.
pub(super) struct Steps {
    left: Option<u64>,
    ctrl_c: bool,
}

impl Steps {
    /// The hook as the environment sets it.
    pub(super) fn from_env() -> Steps {
        let var = std::env::var("CAMNANG_TEST_KILL_AFTER_MOVES").unwrap_or_default();
        let (n, ctrl_c) = match var.strip_suffix(":int") {
            Some(n) => (n, true),
            None => (var.as_str(), false),
        };
        Steps {
            left: n.parse().ok(),
            ctrl_c,
        }
    }

    /// No hook (rolling forward another build's journal).
    pub(super) fn none() -> Steps {
        Steps {
            left: None,
            ctrl_c: false,
        }
    }

    fn start(&mut self) {
        if self.left == Some(0) {
            self.fire();
        }
    }

    fn step(&mut self) {
        if let Some(n) = &mut self.left {
            *n = n.saturating_sub(1);
            if *n == 0 {
                self.fire();
            }
        }
    }

    fn fire(&mut self) {
        self.left = None;
        #[cfg(unix)]
        {
            use signal_hook::consts::{SIGINT, SIGKILL};
            let _ = signal_hook::low_level::raise(if self.ctrl_c { SIGINT } else { SIGKILL });
        }
        if !self.ctrl_c {
            std::process::abort();
        }
    }
}

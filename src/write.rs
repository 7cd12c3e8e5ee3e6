//! Writing the output atomically: everything goes into a temporary folder next to the
//! output folder, which replaces the old one only when all files are written. A failed
//! build leaves the previous output as it was.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::error::Error;
use crate::site::Progress;

/// Marks a folder as camnang output, so a rebuild may replace it.
pub const MARKER: &str = ".camnang-output";

/// What one output file contains.
#[derive(Debug, Clone)]
pub enum Data {
    Bytes(Vec<u8>),
    /// Copy of a (checked) file of the content folder or theme.
    Copy(PathBuf),
}

/// A file of the generated site.
#[derive(Debug, Clone)]
pub struct OutputFile {
    /// Relative to the output folder, `/`-separated.
    pub path: String,
    pub data: Data,
}

impl OutputFile {
    pub fn bytes(path: impl Into<String>, data: impl Into<Vec<u8>>) -> Self {
        OutputFile {
            path: path.into(),
            data: Data::Bytes(data.into()),
        }
    }
}

/// Refuses output folders that would destroy something: the content folder itself or a
/// folder containing it, or an existing non-empty folder that camnang did not make.
pub fn check_target(out: &Path, content: &Path) -> Result<(), Error> {
    if let (Ok(o), Ok(c)) = (out.canonicalize(), content.canonicalize())
        && c.starts_with(&o)
    {
        return Err(Error::Other(format!(
            "the output folder {} contains the content folder {}: choose another output folder (-o)",
            out.display(),
            content.display()
        )));
    }
    if out.is_dir() && !out.join(MARKER).exists() {
        let empty = std::fs::read_dir(out)
            .map_err(|e| Error::io(out, e))?
            .next()
            .is_none();
        if !empty {
            return Err(Error::Other(format!(
                "{} exists and was not made by camnang; choose another output folder (-o) or empty it first",
                out.display()
            )));
        }
    }
    Ok(())
}

/// Writes `files` as the new content of `out`.
pub fn atomic(out: &Path, files: &[OutputFile], progress: &dyn Progress) -> Result<(), Error> {
    atomic_with(out, files, progress, |_| Ok(()))
}

/// Like [`atomic`], and runs `finish` on the complete temporary folder before it replaces
/// `out` (e.g. printing PDFs from it); if `finish` fails, `out` is left as it was.
pub fn atomic_with(
    out: &Path,
    files: &[OutputFile],
    progress: &dyn Progress,
    finish: impl FnOnce(&Path) -> Result<(), Error>,
) -> Result<(), Error> {
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into());
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent).map_err(|e| Error::io(&parent, e))?;
    let pid = std::process::id();
    let tmp = parent.join(format!(".{name}.camnang-tmp-{pid}"));
    if tmp.exists() {
        std::fs::remove_dir_all(&tmp).map_err(|e| Error::io(&tmp, e))?;
    }
    let result = write_all(&tmp, files, progress).and_then(|()| finish(&tmp));
    if let Err(e) = result {
        let _ = std::fs::remove_dir_all(&tmp);
        return Err(e);
    }
    if out.exists() {
        let old = parent.join(format!(".{name}.camnang-old-{pid}"));
        if old.exists() {
            let _ = std::fs::remove_dir_all(&old);
        }
        std::fs::rename(out, &old).map_err(|e| {
            let _ = std::fs::remove_dir_all(&tmp);
            Error::io(out, e)
        })?;
        if let Err(e) = std::fs::rename(&tmp, out) {
            // Put the old output back.
            let _ = std::fs::rename(&old, out);
            let _ = std::fs::remove_dir_all(&tmp);
            return Err(Error::io(out, e));
        }
        remove_tree(&old);
    } else {
        std::fs::rename(&tmp, out).map_err(|e| Error::io(out, e))?;
    }
    Ok(())
}

/// Removes a folder tree, its top-level subtrees in parallel (a site has thousands of
/// small files; this is most of the time of replacing the previous output).
fn remove_tree(dir: &Path) {
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

fn write_all(dir: &Path, files: &[OutputFile], progress: &dyn Progress) -> Result<(), Error> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let dirs: BTreeSet<&str> = files
        .iter()
        .filter_map(|f| f.path.rsplit_once('/').map(|(d, _)| d))
        .collect();
    for d in dirs {
        let p = dir.join(d);
        std::fs::create_dir_all(&p).map_err(|e| Error::io(&p, e))?;
    }
    files.par_iter().try_for_each(|f| {
        let target = dir.join(&f.path);
        match &f.data {
            Data::Bytes(b) => std::fs::write(&target, b).map_err(|e| Error::io(&target, e))?,
            Data::Copy(src) => {
                std::fs::copy(src, &target).map_err(|e| Error::io(src, e))?;
            }
        }
        progress.tick();
        Ok::<(), Error>(())
    })?;
    std::fs::write(
        dir.join(MARKER),
        b"generated by camnang; this folder is replaced on each build\n",
    )
    .map_err(|e| Error::io(dir.join(MARKER), e))
}

//! What a build keeps beside the output folder while it runs, and how a later build
//! finishes or removes what a killed one left there.
//!
//! A build of `public` (pid 4242) uses, in the folder holding `public`:
//!
//! - `.public.camnang-tmp-4242.lock`: created and locked first, held until the build
//!   ends (the operating system releases it when the process dies, however it dies);
//!   before the move phase the commit journal is written into it;
//! - `.public.camnang-tmp-4242`: the staging folder;
//! - `.public.camnang-tmp-4242-old`: the previous site, briefly, while a whole-site swap
//!   replaces it.
//!
//! A later build of the same output takes the lock of every such name it finds. A lock
//! it cannot take belongs to a build still running, which it leaves alone. A lock it can
//! take (or a folder without a lock file) belongs to a build that is gone: its journal, if
//! it holds one, is rolled forward (the output ends as that build would have left it),
//! then its folders and lock file are removed. Other names are never touched.

use std::collections::BTreeSet;
use std::fs::{File, OpenOptions, TryLockError};
use std::io::{ErrorKind, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use crate::error::Error;

use super::commit::{self, Journal, Places};

/// The names beside one output folder.
#[derive(Debug, Clone)]
pub(super) struct Names {
    parent: PathBuf,
    name: String,
    out: PathBuf,
}

impl Names {
    pub(super) fn new(out: &Path) -> Self {
        let name = out
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "public".into());
        let parent = match out.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        Names {
            parent,
            name,
            out: out.to_path_buf(),
        }
    }

    pub(super) fn parent(&self) -> &Path {
        &self.parent
    }

    fn prefix(&self) -> String {
        format!(".{}.camnang-tmp-", self.name)
    }

    fn named(&self, pid: u32, suffix: &str) -> PathBuf {
        self.parent.join(format!("{}{pid}{suffix}", self.prefix()))
    }

    /// Where the files of build `pid` are (the staging folder, the old site, the output).
    pub(super) fn places(&self, pid: u32) -> Places {
        Places {
            out: self.out.clone(),
            tmp: self.named(pid, ""),
            old: self.named(pid, "-old"),
        }
    }

    fn lock(&self, pid: u32) -> PathBuf {
        self.named(pid, ".lock")
    }

    /// The pid in `file_name` if it is one of the three names above, exactly.
    fn pid_of(&self, file_name: &str) -> Option<u32> {
        let rest = file_name.strip_prefix(&self.prefix())?;
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        let (pid, suffix) = rest.split_at(digits);
        if digits == 0 || !matches!(suffix, "" | "-old" | ".lock") {
            return None;
        }
        pid.parse().ok()
    }
}

/// The lock file of this build (see the module documentation). Dropping it removes the
/// file, unless [`Lock::keep`] was called.
pub(super) struct Lock {
    file: File,
    path: PathBuf,
    keep: bool,
}

impl Lock {
    /// Creates and locks this build's lock file. A file of the same name was left by a
    /// dead build that had the same pid: it is finished first.
    pub(super) fn acquire(names: &Names, pid: u32) -> Result<Lock, Error> {
        let path = names.lock(pid);
        let io = |e| Error::io(&path, e);
        for attempt in 0.. {
            let mut file = OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .open(&path)
                .map_err(io)?;
            file.lock().map_err(io)?;
            // Another build may have removed the file while we waited for its lock.
            if !same_file(&file, &path) && attempt < 10 {
                continue;
            }
            let journal = read_journal(&mut file);
            finish(&names.places(pid), journal.as_ref())?;
            file.set_len(0).map_err(io)?;
            return Ok(Lock {
                file,
                path,
                keep: false,
            });
        }
        unreachable!("the loop returns")
    }

    /// Writes the journal of the move phase and makes sure it is on the disk.
    pub(super) fn write_journal(&mut self, journal: &Journal) -> Result<(), Error> {
        let bytes = serde_json::to_vec(journal).unwrap_or_default();
        let f = &mut self.file;
        f.set_len(0)
            .and_then(|()| f.seek(SeekFrom::Start(0)).map(drop))
            .and_then(|()| f.write_all(&bytes))
            .and_then(|()| f.sync_all())
            .map_err(|e| Error::io(&self.path, e))?;
        commit::sync_dir(self.path.parent().unwrap_or(Path::new(".")));
        Ok(())
    }

    /// Leaves the lock file (and its journal) for the next build to roll forward.
    pub(super) fn keep(&mut self) {
        self.keep = true;
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        if !self.keep {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

/// Finishes or removes what earlier builds of the same output left beside it, except
/// those of builds still running (and this build, `own`).
pub(super) fn recover(names: &Names, own: u32) -> Result<(), Error> {
    let Ok(entries) = std::fs::read_dir(&names.parent) else {
        return Ok(());
    };
    let pids: BTreeSet<u32> = entries
        .flatten()
        .filter_map(|e| names.pid_of(&e.file_name().to_string_lossy()))
        .filter(|&p| p != own)
        .collect();
    for pid in pids {
        recover_one(names, pid)?;
    }
    Ok(())
}

fn recover_one(names: &Names, pid: u32) -> Result<(), Error> {
    let path = names.lock(pid);
    let places = names.places(pid);
    match OpenOptions::new().read(true).write(true).open(&path) {
        Ok(mut file) => match file.try_lock() {
            Ok(()) => {
                let journal = read_journal(&mut file);
                finish(&places, journal.as_ref())?;
                // Removed while still locked, so no build can take it meanwhile.
                std::fs::remove_file(&path).map_err(|e| Error::io(&path, e))?;
                Ok(())
            }
            // A build that is still running.
            Err(TryLockError::WouldBlock) => Ok(()),
            Err(TryLockError::Error(e)) => Err(Error::io(&path, e)),
        },
        // Folders without a lock file: the lock is made before them and removed after.
        Err(e) if e.kind() == ErrorKind::NotFound => finish(&places, None),
        Err(e) => Err(Error::io(&path, e)),
    }
}

/// Rolls forward the move phase a dead build had begun, then removes its folders.
fn finish(places: &Places, journal: Option<&Journal>) -> Result<(), Error> {
    if let Some(j) = journal {
        commit::apply(j, places, &mut commit::Steps::none())?;
    }
    commit::remove_tree(&places.tmp);
    commit::remove_tree(&places.old);
    for dir in [&places.tmp, &places.old] {
        if std::fs::symlink_metadata(dir).is_ok() {
            std::fs::remove_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        }
    }
    Ok(())
}

/// The journal in a lock file; `None` when there is none or it was cut short (a build
/// killed while writing it had not begun to move anything).
fn read_journal(file: &mut File) -> Option<Journal> {
    let mut bytes = Vec::new();
    file.seek(SeekFrom::Start(0)).ok()?;
    file.read_to_end(&mut bytes).ok()?;
    if bytes.is_empty() {
        return None;
    }
    serde_json::from_slice(&bytes).ok()
}

#[cfg(unix)]
fn same_file(file: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), std::fs::metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn same_file(_: &File, path: &Path) -> bool {
    path.exists()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_its_own_kind_of_name_is_recognised() {
        let n = Names::new(Path::new("x/public"));
        assert_eq!(n.pid_of(".public.camnang-tmp-42"), Some(42));
        assert_eq!(n.pid_of(".public.camnang-tmp-42-old"), Some(42));
        assert_eq!(n.pid_of(".public.camnang-tmp-42.lock"), Some(42));
        for other in [
            ".public.camnang-tmp-",
            ".public.camnang-tmp-42-older",
            ".public.camnang-tmp-42.lock2",
            ".public.camnang-tmp-x42",
            ".public2.camnang-tmp-42",
            ".other.camnang-tmp-42",
            "public.camnang-tmp-42",
            ".public.camnang-tmp-99999999999",
        ] {
            assert_eq!(n.pid_of(other), None, "{other}");
        }
    }
}

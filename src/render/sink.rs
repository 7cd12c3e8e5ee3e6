//! What rendering produces: output files (bytes, text shared with the page cache, or a
//! copy of a content file) and the [`Sink`] they are handed to as they are rendered.
//! The output stage's [`crate::output::staging::Staging`] is the sink of a build;
//! [`Collect`] keeps them in memory (`serve`, tests).

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use crate::error::Error;

/// What one output file contains.
#[derive(Debug, Clone)]
pub enum Data {
    Bytes(Vec<u8>),
    /// Text shared with a cache (`serve` keeps rendered pages; no copy per build).
    Shared(Arc<str>),
    /// Copy of a (checked) file of the content folder or theme.
    Copy(PathBuf),
}

impl Data {
    /// The bytes, when they are in memory (not for [`Data::Copy`]).
    pub fn in_memory(&self) -> Option<&[u8]> {
        match self {
            Data::Bytes(b) => Some(b),
            Data::Shared(s) => Some(s.as_bytes()),
            Data::Copy(_) => None,
        }
    }
}

/// A file of the generated site.
#[derive(Debug, Clone)]
pub struct OutputFile {
    /// Relative to the output folder, `/`-separated.
    pub path: String,
    pub data: Data,
}

impl OutputFile {
    /// A file whose text is shared (see [`Data::Shared`]).
    pub fn shared(path: impl Into<String>, text: Arc<str>) -> Self {
        OutputFile {
            path: path.into(),
            data: Data::Shared(text),
        }
    }

    pub fn bytes(path: impl Into<String>, data: impl Into<Vec<u8>>) -> Self {
        OutputFile {
            path: path.into(),
            data: Data::Bytes(data.into()),
        }
    }
}

/// Where rendered files go, one at a time, from many threads.
pub trait Sink: Sync {
    fn put(&self, file: OutputFile) -> Result<(), Error>;

    /// Declares that output file `path` is the same as in the output folder already (an
    /// unchanged guide of a rebuild, see [`crate::render::manifest`]): it stays, neither
    /// written nor read. Only a sink that writes over an earlier output can keep files.
    fn keep(&self, path: &str) -> Result<(), Error> {
        Err(Error::Other(format!(
            "internal error: {path} cannot be kept from an earlier build here"
        )))
    }
}

/// Keeps the files in memory (`camnang serve`, tests).
#[derive(Default)]
pub struct Collect(Mutex<Vec<OutputFile>>);

impl Collect {
    /// The files, sorted by path.
    pub fn into_files(self) -> Vec<OutputFile> {
        let mut v = self.0.into_inner().unwrap_or_else(|e| e.into_inner());
        v.sort_by(|a, b| a.path.cmp(&b.path));
        v
    }
}

impl Sink for Collect {
    fn put(&self, file: OutputFile) -> Result<(), Error> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).push(file);
        Ok(())
    }
}

/// Keeps the files in memory like [`Collect`], over the files of an earlier render kept in
/// memory (`serve`): a file kept (see [`Sink::keep`]) is taken from `previous`.
pub struct Reusing<'a> {
    previous: &'a std::collections::BTreeMap<String, Data>,
    pub collect: Collect,
    kept: std::sync::atomic::AtomicUsize,
}

impl<'a> Reusing<'a> {
    pub fn new(previous: &'a std::collections::BTreeMap<String, Data>) -> Self {
        Reusing {
            previous,
            collect: Collect::default(),
            kept: Default::default(),
        }
    }

    /// How many files were kept.
    pub fn kept(&self) -> usize {
        self.kept.load(std::sync::atomic::Ordering::Relaxed)
    }
}

impl Sink for Reusing<'_> {
    fn put(&self, file: OutputFile) -> Result<(), Error> {
        self.collect.put(file)
    }

    fn keep(&self, path: &str) -> Result<(), Error> {
        let data = self.previous.get(path).cloned().ok_or_else(|| {
            Error::Other(format!(
                "internal error: {path} is not in the previous render"
            ))
        })?;
        self.kept.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        self.collect.put(OutputFile {
            path: path.to_string(),
            data,
        })
    }
}

/// The bytes of an output file (copies are read from the content folder).
pub fn read(data: &Data) -> std::io::Result<std::borrow::Cow<'_, [u8]>> {
    match data {
        Data::Copy(p) => std::fs::read(p).map(std::borrow::Cow::Owned),
        d => Ok(std::borrow::Cow::Borrowed(
            d.in_memory().unwrap_or_default(),
        )),
    }
}

/// Puts every file under `prefix` (a folder, ending in `/`) of another sink: each office's
/// site goes to its own folder.
pub struct Prefixed<'a> {
    pub prefix: String,
    pub inner: &'a dyn Sink,
}

impl Sink for Prefixed<'_> {
    fn put(&self, mut file: OutputFile) -> Result<(), Error> {
        file.path.insert_str(0, &self.prefix);
        self.inner.put(file)
    }

    fn keep(&self, path: &str) -> Result<(), Error> {
        self.inner.keep(&format!("{}{path}", self.prefix))
    }
}

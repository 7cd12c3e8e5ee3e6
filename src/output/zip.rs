//! `kiosk.zip` for a USB stick (`build --zip`).

use std::io::Write;
use std::path::Path;

use rayon::prelude::*;

use crate::error::Error;
use crate::render::kiosk::DIR;
use crate::render::sink::OutputFile;

/// `kiosk.zip`: the kiosk folder (`kiosk/…` entries of `files`) as a zip archive with
/// sorted entries and fixed timestamps, so the bytes are the same on every build.
pub fn zip(site: &Path) -> Result<OutputFile, Error> {
    use zip::write::SimpleFileOptions;
    let dir = site.join(DIR);
    let mut paths: Vec<String> = Vec::new();
    for e in walkdir::WalkDir::new(&dir).sort_by_file_name() {
        let e = e.map_err(|e| Error::Other(format!("cannot read {}: {e}", dir.display())))?;
        if e.file_type().is_file()
            && let Ok(rel) = e.path().strip_prefix(site)
        {
            paths.push(rel.to_string_lossy().replace('\\', "/"));
        }
    }
    paths.sort();
    // Read in parallel, then stored in order.
    let contents: Vec<(&str, Vec<u8>)> = paths
        .par_iter()
        .map(|p| {
            let full = site.join(p);
            let bytes = std::fs::read(&full).map_err(|e| Error::io(&full, e))?;
            Ok((p.as_str(), bytes))
        })
        .collect::<Result<_, Error>>()?;
    let opts = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default())
        .unix_permissions(0o644);
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let zerr = |e: &dyn std::fmt::Display| Error::Other(format!("cannot write kiosk.zip: {e}"));
    for (path, bytes) in &contents {
        // Already-compressed formats are stored as they are.
        let stored = [".woff2", ".png", ".jpg", ".jpeg", ".webp", ".gif"]
            .iter()
            .any(|x| path.ends_with(x));
        let o = if stored {
            opts.compression_method(zip::CompressionMethod::Stored)
        } else {
            opts
        };
        w.start_file(*path, o).map_err(|e| zerr(&e))?;
        w.write_all(bytes).map_err(|e| zerr(&e))?;
    }
    let cur = w.finish().map_err(|e| zerr(&e))?;
    Ok(OutputFile::bytes("kiosk.zip", cur.into_inner()))
}

//! `camnang links` (online, opt-in): checks the URL of every QR code and every cited
//! source with the [online client](crate::commands::online), following redirects (a QR
//! link that leads to a host outside `portal.allowed_hosts` fails), and writes the
//! results to `links.yaml` ([`crate::content::links`]). What failed is shown as a table
//! ([`table`]).
//!
//! The file is replaced atomically, and not at all when no link got any answer (no
//! network): good earlier results are never replaced by nothing.

pub mod table;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use url::Url;

use crate::commands::online::{Client, Followed, Options, status_text};
use crate::content::guide::Date;
use crate::content::links::{Checked, LINKS_FILE, to_yaml};
use crate::content::{Content, load_content, portal};
use crate::error::Error;
use crate::i18n::{Lang, Text};
use crate::tx;

/// One link of the guides and its result.
#[derive(Debug, Clone)]
pub struct Row {
    /// It is a guide's QR link (else only a cited source).
    pub qr: bool,
    /// The guide files that use it.
    pub guides: Vec<String>,
    pub result: Checked,
    /// Why it failed, in both languages.
    pub problem: Option<Text>,
    /// No answer came at all (the network may be down rather than the link broken).
    pub network: bool,
}

/// What `camnang links` did.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// Every link, sorted by URL.
    pub rows: Vec<Row>,
    /// The file written; `None` when it was left as it was (no link answered).
    pub written: Option<PathBuf>,
}

impl Outcome {
    /// A QR link failed, or nothing could be checked.
    pub fn failed(&self) -> bool {
        self.written.is_none() || self.rows.iter().any(|r| r.qr && r.problem.is_some())
    }
}

/// Checks every link of the content folder `root` and writes `root/links.yaml`.
pub fn run(root: &Path, opts: Options) -> Result<Outcome, Error> {
    let content = load_content(root).map_err(Error::Content)?;
    let targets = targets(&content);
    let client = Client::new(opts);
    let today = Date::today();
    let hosts = &content.site.portal.allowed_hosts;
    let rows = client.each(&targets, |(url, qr, guides)| {
        let (result, problem, network) = check_one(&client, url, *qr, hosts, today);
        Row {
            qr: *qr,
            guides: guides.clone(),
            result,
            problem: problem.clone(),
            network,
        }
    });
    let written = if !rows.is_empty() && rows.iter().all(|r| r.network) {
        None
    } else {
        let lang = content.site.language;
        let entries: BTreeMap<String, Checked> = rows
            .iter()
            .map(|r| {
                let mut c = r.result.clone();
                c.error = r.problem.as_ref().map(|p| p.get(lang).to_string());
                (c.url.clone(), c)
            })
            .collect();
        let path = root.join(LINKS_FILE);
        write_atomically(&path, &to_yaml(&entries, lang))?;
        Some(path)
    };
    Ok(Outcome { rows, written })
}

/// The links to check, by URL: (URL, is a QR link, the guide files using it).
fn targets(c: &Content) -> Vec<(String, bool, Vec<String>)> {
    let mut by_url: BTreeMap<&str, (bool, Vec<String>)> = BTreeMap::new();
    for (g, url) in c.guides.iter().zip(&c.portal_urls) {
        let e = by_url.entry(url).or_default();
        e.0 = true;
        e.1.push(g.file.clone());
        for s in &g.sources {
            let e = by_url.entry(&s.url).or_default();
            if !e.1.contains(&g.file) {
                e.1.push(g.file.clone());
            }
        }
    }
    by_url
        .into_iter()
        .filter(|(url, _)| !url.is_empty())
        .map(|(url, (qr, mut guides))| {
            guides.sort();
            (url.to_string(), qr, guides)
        })
        .collect()
}

/// Checks one URL: its result, why it failed, and whether no answer came at all.
fn check_one(
    client: &Client,
    url: &str,
    qr: bool,
    hosts: &[String],
    today: Date,
) -> (Checked, Option<Text>, bool) {
    let mut result = Checked {
        url: url.to_string(),
        status: None,
        final_url: None,
        checked: today,
        error: None,
    };
    let start = match Url::parse(url) {
        Ok(u) if matches!(u.scheme(), "http" | "https") => u,
        _ => {
            let why = tx!("not a web address", "không phải địa chỉ web");
            return (result, Some(why), false);
        }
    };
    let allow = |next: &Url| -> Result<(), Text> {
        if qr {
            portal::check(next.as_str(), hosts).map(|_| ())
        } else {
            Ok(())
        }
    };
    let f: Followed = client.follow(&start, 0, &allow);
    let last = f.next.as_ref().unwrap_or(f.last());
    if last != &start {
        result.final_url = Some(last.to_string());
    }
    match f.answer {
        Err(e) => (result, Some(e.text), e.network),
        Ok(a) => {
            result.status = Some(a.status);
            let problem = f.stopped.or_else(|| {
                (!(200..300).contains(&a.status)).then(|| {
                    tx!(
                        "the page answered {}",
                        "trang trả lời mã {}",
                        status_text(a.status)
                    )
                })
            });
            (result, problem, false)
        }
    }
}

/// Writes `text` to `path` through a temporary file in the same folder and a rename.
pub(crate) fn write_atomically(path: &Path, text: &str) -> Result<(), Error> {
    use std::io::Write;
    let tmp = path.with_extension(format!("yaml.tmp-{}", std::process::id()));
    std::fs::File::create(&tmp)
        .and_then(|mut f| f.write_all(text.as_bytes()).and_then(|()| f.sync_all()))
        .and_then(|()| std::fs::rename(&tmp, path))
        .map_err(|e| {
            let _ = std::fs::remove_file(&tmp);
            Error::io(path, e)
        })
}

/// The message language's name of a failed check's kind.
pub fn kind(qr: bool, lang: Lang) -> &'static str {
    match (qr, lang) {
        (true, _) => "QR",
        (false, Lang::Vi) => "nguồn",
        (false, Lang::En) => "source",
    }
}

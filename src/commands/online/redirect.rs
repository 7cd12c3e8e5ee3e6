//! Following redirects one hop at a time, so each new URL is checked before it is asked.

use url::Url;

use super::{Answer, Client, Failure};
use crate::i18n::Text;
use crate::tx;

/// Where [`Client::follow`] ended.
#[derive(Debug, Clone)]
pub struct Followed {
    /// The URLs asked, the first one first (as written: see [`super::Options::map`]).
    pub hops: Vec<Url>,
    /// The last answer (a redirect when the chain was cut), or why there was none.
    pub answer: Result<Answer, Failure>,
    /// Why the chain was cut: a redirect refused by the caller, without a target, in a
    /// loop, or past the limit.
    pub stopped: Option<Text>,
    /// The refused or unreachable next URL, when the chain was cut at a redirect.
    pub next: Option<Url>,
}

impl Followed {
    /// The last URL asked.
    pub fn last(&self) -> &Url {
        self.hops.last().expect("at least the first URL")
    }
}

impl Client {
    /// `GET url`, following redirects while `allow` accepts the next URL (as written), at
    /// most [`super::Options::max_redirects`] of them, never visiting a URL twice.
    pub fn follow(
        &self,
        url: &Url,
        max_body: usize,
        allow: &dyn Fn(&Url) -> Result<(), Text>,
    ) -> Followed {
        let mut hops = vec![url.clone()];
        loop {
            let current = hops.last().expect("not empty").clone();
            let answer = self.get(&current, max_body);
            let redirect = match &answer {
                Ok(a) if a.is_redirect() => a.location.clone(),
                _ => return done(hops, answer, None, None),
            };
            let wire = self.on_wire(&current);
            let Some(next) = redirect.and_then(|l| wire.join(&l).ok()) else {
                let why = tx!(
                    "a redirect without a valid `Location`",
                    "chuyển hướng không có địa chỉ `Location` hợp lệ"
                );
                return done(hops, answer, Some(why), None);
            };
            let next = self.as_written(&next);
            let cut = if hops.contains(&next) {
                Some(tx!(
                    "redirect loop: back to {}",
                    "chuyển hướng vòng lặp: quay lại {}",
                    next
                ))
            } else if hops.len() > self.opts.max_redirects {
                Some(tx!(
                    "more than {} redirects",
                    "quá {} lần chuyển hướng",
                    self.opts.max_redirects
                ))
            } else if !matches!(next.scheme(), "http" | "https") {
                Some(tx!(
                    "redirected to a `{}:` address",
                    "bị chuyển hướng tới địa chỉ `{}:`",
                    next.scheme()
                ))
            } else {
                allow(&next).err().map(|why| {
                    Text::new(
                        format!("redirected to {next}: {}", why.en),
                        format!("bị chuyển hướng tới {next}: {}", why.vi),
                    )
                })
            };
            if cut.is_some() {
                return done(hops, answer, cut, Some(next));
            }
            hops.push(next);
        }
    }
}

fn done(
    hops: Vec<Url>,
    answer: Result<Answer, Failure>,
    stopped: Option<Text>,
    next: Option<Url>,
) -> Followed {
    Followed {
        hops,
        answer,
        stopped,
        next,
    }
}

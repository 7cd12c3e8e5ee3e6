//! Which proxy a request goes through, from the environment as curl reads it:
//! `https://` URLs use `HTTPS_PROXY`, `http://` URLs `HTTP_PROXY` (each also in lower
//! case), both fall back to `ALL_PROXY`; a host listed in `NO_PROXY` goes direct.
//!
//! ureq's own reading of the environment takes the first of `ALL_PROXY`, `HTTPS_PROXY`,
//! `HTTP_PROXY` for every scheme, so the choice is made here and each agent is given its
//! proxy explicitly.

/// The proxies of the environment.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProxyEnv {
    /// For `http://` URLs.
    pub http: Option<String>,
    /// For `https://` URLs.
    pub https: Option<String>,
    /// `NO_PROXY` entries, lower case.
    pub no_proxy: Vec<String>,
}

impl ProxyEnv {
    /// Reads the variables through `var` (`std::env::var` in the binary).
    pub fn read(var: &dyn Fn(&str) -> Option<String>) -> ProxyEnv {
        let first = |names: &[&str]| {
            names
                .iter()
                .filter_map(|n| var(n))
                .map(|v| v.trim().to_string())
                .find(|v| !v.is_empty())
        };
        let all = first(&["ALL_PROXY", "all_proxy"]);
        ProxyEnv {
            http: first(&["HTTP_PROXY", "http_proxy"]).or_else(|| all.clone()),
            https: first(&["HTTPS_PROXY", "https_proxy"]).or(all),
            no_proxy: first(&["NO_PROXY", "no_proxy"])
                .unwrap_or_default()
                .split(',')
                .map(|s| s.trim().to_ascii_lowercase())
                .filter(|s| !s.is_empty())
                .collect(),
        }
    }

    /// The proxy for a request to `host` over `scheme`, `None` to go direct.
    pub fn for_url(&self, scheme: &str, host: &str) -> Option<&str> {
        if self.bypass(host) {
            return None;
        }
        match scheme {
            "https" => self.https.as_deref(),
            "http" => self.http.as_deref(),
            _ => None,
        }
    }

    /// `host` matches a `NO_PROXY` entry: `*`, the host itself, or a domain it is under
    /// (`example.org`, `.example.org` and `*.example.org` all cover `a.example.org`).
    fn bypass(&self, host: &str) -> bool {
        let host = host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_ascii_lowercase();
        self.no_proxy.iter().any(|entry| {
            let entry = entry.trim_start_matches('*').trim_start_matches('.');
            entry.is_empty() || host == entry || host.ends_with(&format!(".{entry}"))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> ProxyEnv {
        let pairs: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        ProxyEnv::read(&move |n| pairs.iter().find(|(k, _)| k == n).map(|(_, v)| v.clone()))
    }

    #[test]
    fn each_scheme_has_its_variable() {
        let e = env(&[
            ("HTTPS_PROXY", "http://secure:3128"),
            ("http_proxy", "http://plain:3128"),
        ]);
        assert_eq!(
            e.for_url("https", "dichvucong.gov.vn"),
            Some("http://secure:3128")
        );
        assert_eq!(e.for_url("http", "vbpl.vn"), Some("http://plain:3128"));
        let e = env(&[("HTTPS_PROXY", "http://secure:3128")]);
        assert_eq!(e.for_url("http", "vbpl.vn"), None);
        let e = env(&[("ALL_PROXY", "http://all:1"), ("HTTP_PROXY", "http://p:2")]);
        assert_eq!(e.for_url("https", "a.vn"), Some("http://all:1"));
        assert_eq!(e.for_url("http", "a.vn"), Some("http://p:2"));
    }

    #[test]
    fn no_proxy_covers_hosts_and_domains() {
        let e = env(&[
            ("HTTPS_PROXY", "http://p:1"),
            ("NO_PROXY", "localhost, .gov.vn,*.example.org,127.0.0.1"),
        ]);
        for direct in [
            "localhost",
            "dichvucong.gov.vn",
            "a.example.org",
            "127.0.0.1",
        ] {
            assert_eq!(e.for_url("https", direct), None, "{direct}");
        }
        for proxied in ["vbpl.vn", "notgov.vn", "example.org.evil", "127.0.0.2"] {
            assert_eq!(e.for_url("https", proxied), Some("http://p:1"), "{proxied}");
        }
        let all = env(&[("HTTPS_PROXY", "http://p:1"), ("no_proxy", "*")]);
        assert_eq!(all.for_url("https", "vbpl.vn"), None);
    }
}

//! Portal links: building a guide's URL from the site's templates, and the allowlist check
//! every link must pass before it becomes a QR code or a link.
//!
//! No route of the portal is written in this code: the templates live in `site.yaml`
//! because the portal has changed its URL scheme before.

use url::{Host, Url};

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use crate::i18n::Text;

/// Characters kept as they are in a filled placeholder (RFC 3986 unreserved).
const KEEP: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');
use crate::tx;

/// The hosts allowed by default: the national portal and its combined-filing subdomain.
pub const DEFAULT_HOSTS: &[&str] = &["dichvucong.gov.vn", "lienthong.dichvucong.gov.vn"];

/// Checks `raw` against the allowlist and returns the URL as it will be printed and
/// encoded. The host must *equal* an allowed host: no suffix, prefix or lookalike match.
pub fn check(raw: &str, allowed: &[String]) -> Result<Url, Text> {
    if raw.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(tx!(
            "the URL contains spaces or control characters",
            "URL có dấu cách hoặc ký tự điều khiển"
        ));
    }
    let url =
        Url::parse(raw).map_err(|e| tx!("not a valid URL ({})", "URL không hợp lệ ({})", e))?;
    if url.scheme() != "https" {
        return Err(tx!(
            "only https:// links are allowed, not {}://",
            "chỉ cho phép liên kết https://, không dùng {}://",
            url.scheme()
        ));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(tx!(
            "the URL has a user name before `@`: the real host is after it",
            "URL có tên người dùng trước dấu `@`: tên miền thật nằm sau dấu đó"
        ));
    }
    let host = match url.host() {
        Some(Host::Domain(d)) => d.to_string(),
        Some(Host::Ipv4(_) | Host::Ipv6(_)) => {
            return Err(tx!(
                "the URL uses an IP address instead of the portal's name",
                "URL dùng địa chỉ IP thay cho tên miền của cổng"
            ));
        }
        None => return Err(tx!("the URL has no host", "URL không có tên miền")),
    };
    if url.port().is_some() {
        return Err(tx!(
            "the URL names a port (`:{}`); portal links use the default one",
            "URL có cổng (`:{}`); liên kết tới cổng dịch vụ công dùng cổng mặc định",
            url.port().unwrap_or_default()
        ));
    }
    if !allowed.iter().any(|a| a.eq_ignore_ascii_case(&host)) {
        let list = allowed.join(", ");
        let lookalike = host.split('.').any(|label| label.starts_with("xn--"));
        return Err(if lookalike {
            tx!(
                "host `{}` is not an allowed portal host ({}): it uses international letters that imitate Latin ones",
                "tên miền `{}` không nằm trong danh sách cổng được phép ({}): có chữ quốc tế giả dạng chữ La-tinh",
                host,
                list
            )
        } else {
            tx!(
                "host `{}` is not an allowed portal host ({})",
                "tên miền `{}` không nằm trong danh sách cổng được phép ({})",
                host,
                list
            )
        });
    }
    Ok(url)
}

/// Fills `{name}` placeholders of a URL template with percent-encoded values. Unknown
/// placeholders are returned as an error (the name).
pub fn fill(template: &str, values: &[(&str, &str)]) -> Result<String, String> {
    let mut out = String::with_capacity(template.len() + 40);
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        let Some(end) = after.find('}') else {
            return Err(after.to_string());
        };
        let name = &after[..end];
        let Some((_, v)) = values.iter().find(|(k, _)| *k == name) else {
            return Err(name.to_string());
        };
        out.extend(utf8_percent_encode(v, KEEP));
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

/// Error-correction level of the printed codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub enum Ecc {
    M,
    #[default]
    Q,
    H,
}

impl Ecc {
    pub fn parse(s: &str) -> Option<Ecc> {
        match s.trim().to_ascii_uppercase().as_str() {
            "M" => Some(Ecc::M),
            "Q" => Some(Ecc::Q),
            "H" => Some(Ecc::H),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hosts() -> Vec<String> {
        DEFAULT_HOSTS.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn accepts_exact_hosts() {
        let u = check(
            "https://dichvucong.gov.vn/thu-tuc-hanh-chinh/019d",
            &hosts(),
        )
        .unwrap();
        assert_eq!(
            u.as_str(),
            "https://dichvucong.gov.vn/thu-tuc-hanh-chinh/019d"
        );
        assert!(
            check(
                "https://lienthong.dichvucong.gov.vn/#/ke-khai/2.000986",
                &hosts()
            )
            .is_ok()
        );
        assert!(check("https://DICHVUCONG.gov.vn/", &hosts()).is_ok());
        assert!(check("https://dichvucong.gov.vn:443/", &hosts()).is_ok());
    }

    #[test]
    fn rejects_tricks() {
        for bad in [
            "http://dichvucong.gov.vn/x",
            "https://dichvucong.gov.vn.evil.example/x",
            "https://evil.example/dichvucong.gov.vn",
            "https://dichvucong-gov.vn/x",
            "https://dichvucong.gov.vn@evil.example/",
            "https://user:pw@dichvucong.gov.vn/",
            "https://xn--dichvucng-58a.gov.vn/",
            "https://dichvucоng.gov.vn/", // Cyrillic о
            "https://dichvucong.gov.vn./",
            "https://sub.dichvucong.gov.vn/",
            "https://dichvucong.gov.vn:8443/",
            "https://203.0.113.5/",
            "https://[2001:db8::1]/",
            "javascript:alert(1)",
            "https://dichvucong.gov.vn/ x",
            "//dichvucong.gov.vn/",
        ] {
            assert!(check(bad, &hosts()).is_err(), "{bad} was accepted");
        }
    }

    #[test]
    fn fill_encodes_values() {
        assert_eq!(
            fill("https://h/s?keyword={code}", &[("code", "1.001193")]).unwrap(),
            "https://h/s?keyword=1.001193"
        );
        assert_eq!(
            fill("https://h/s?k={code}", &[("code", "a b&c")]).unwrap(),
            "https://h/s?k=a%20b%26c"
        );
        assert_eq!(fill("https://h/{nope}", &[]).unwrap_err(), "nope");
    }
}

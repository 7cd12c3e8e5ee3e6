//! The kiosk's search: the JavaScript folds text exactly like `camnang::vn::fold` and cuts
//! it into the same terms as `camnang::render::search::terms` (run under node), and queries
//! typed the way residents type them find the expected guides first.
//!
//! Needs `node` (no npm packages).

mod common;

use std::io::Write as _;
use std::process::{Command, Stdio};

use common::*;
use unicode_normalization::UnicodeNormalization;

fn node(args: &[&str], stdin: &str) -> String {
    let mut child = Command::new("node")
        .arg(repo().join("tests/browser/search.cjs"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("`node` is needed for the kiosk search tests (install Node.js 20+)");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "node failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn js_fold_and_terms_equal_rust() {
    let mut cases: Vec<String> = [
        "Đăng ký khai sinh",
        "ĐĂNG KÝ KẾT HÔN",
        "đăng ký kết hôn",
        "Bảo hiểm y tế (BHYT)",
        "Căn cước công dân – CCCD",
        "Giấy xác nhận tình trạng hôn nhân",
        "Thủy, Thuỷ, thuỷ điện",
        "Ủy quyền / uỷ quyền",
        "Kỹ thuật, kĩ thuật, Lý lịch, lí do, Mỹ Tho, quý, quí, huy, y tế, Ý kiến",
        "Người Ơ Đu; ƯỚC; ươm",
        "số 1.001193, 2.000815; 01/7/2026",
        "A\u{0301}  B\u{0323}\u{0302}",
        "ΟΔΟΣ Σίσυφος",
        "Straße STRASSE ẞ",
        "İstanbul ı",
        "ＡＢＣ ｄｅｆ",
        "ﬁle ǅ ǈ",
        "tab\tnew\nline\u{00a0}nbsp\u{2028}ls",
        "emoji 👍🏽 ok",
        "Ǻ ǻ Ṩ ḉ",
        "",
        "   ",
        "x-y_z.w",
        "Ⅻ ½ ²",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    // Every case also in NFD, as some keyboards and editors produce it.
    let nfd: Vec<String> = cases.iter().map(|s| s.nfd().collect()).collect();
    cases.extend(nfd);
    let json = serde_json::to_string(&cases).unwrap();
    let got: Vec<(String, Vec<String>)> = serde_json::from_str(&node(&["fold"], &json)).unwrap();
    assert_eq!(got.len(), cases.len());
    for (s, (fold, terms)) in cases.iter().zip(got) {
        assert_eq!(fold, camnang::vn::fold(s), "fold of {s:?}");
        assert_eq!(terms, camnang::render::search::terms(s), "terms of {s:?}");
    }
    // NFC and NFD give the same.
    assert_eq!(
        camnang::render::search::terms("Đăng ký"),
        camnang::render::search::terms(&"Đăng ký".nfd().collect::<String>())
    );
}

#[test]
fn queries_find_the_expected_guides_first() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let o = camnang(
        &repo(),
        &["build", "-q", "content", "-o", out.to_str().unwrap()],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let nfd: String = "giấy khai sinh".nfd().collect();
    let queries = [
        "khai sinh",
        "KHAI SINH",
        "Khai Sinh ",
        "dang ky ket hon",
        "đăng ký kết hôn",
        "dang ki ket hon",
        "bhyt",
        "bảo hiểm y tế",
        "giay khai sinh",
        nfd.as_str(),
        "làm giấy khai sinh",
        "ket h",
        "thuogn tru",
        "ho khau",
        "vneid",
        "sao y",
        "zzzz",
    ];
    let json = serde_json::to_string(&queries).unwrap();
    let res: std::collections::BTreeMap<String, Vec<String>> = serde_json::from_str(&node(
        &["query", out.join(OFFICE).join("kiosk").to_str().unwrap()],
        &json,
    ))
    .unwrap();
    let first = |q: &str| res[q].first().map(String::as_str).unwrap_or("(nothing)");
    for q in ["khai sinh", "KHAI SINH", "Khai Sinh "] {
        assert_eq!(first(q), "dang-ky-khai-sinh", "{q}: {:?}", res[q]);
    }
    for q in [
        "dang ky ket hon",
        "đăng ký kết hôn",
        "dang ki ket hon",
        "ket h",
    ] {
        assert_eq!(first(q), "dang-ky-ket-hon", "{q}: {:?}", res[q]);
    }
    for q in ["bhyt", "bảo hiểm y tế"] {
        assert_eq!(first(q), "gia-han-bhyt-ho-gia-dinh", "{q}: {:?}", res[q]);
        assert!(res[q][..3].contains(&"lien-thong-khai-sinh".to_string()));
    }
    for q in ["giay khai sinh", nfd.as_str(), "làm giấy khai sinh"] {
        assert_eq!(first(q), "dang-ky-khai-sinh", "{q}: {:?}", res[q]);
        // Four bundled guides are about birth certificates (register, re-register, with a
        // foreign parent, copy): the copy is among them.
        assert!(
            res[q][..4].contains(&"ban-sao-trich-luc-ho-tich".to_string()),
            "{q}: {:?}",
            res[q]
        );
    }
    assert_eq!(first("thuogn tru"), "dang-ky-thuong-tru", "one typo");
    assert_eq!(first("ho khau"), "dang-ky-thuong-tru", "synonym");
    assert_eq!(first("vneid"), "kich-hoat-vneid-muc-2");
    // "sao y" (copying a paper) means a certified copy: that guide first, not the other
    // chứng thực guides (signatures, contracts).
    assert_eq!(
        first("sao y"),
        "chung-thuc-ban-sao",
        "sao y: {:?}",
        res["sao y"]
    );
    assert!(res["zzzz"].is_empty());
}

//! The bundled example (issue #15): `content/` is three example offices from the places of
//! the seed articles (Trúc Bạch in Hà Nội, Phường 6 of Gò Vấp in Thành phố Hồ Chí Minh,
//! Hội Thương in Gia Lai), each with its province, sharing the bundled guides. One build
//! with `--pdf` is checked as a resident and a print shop would see it.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::*;

/// (office, its phone, its province's name, guides it serves)
const OFFICES: &[(&str, &str, &str, usize)] = &[
    ("truc-bach", "024 0000 1111", "Thành phố Hà Nội", 21),
    ("go-vap", "028 0000 2222", "Thành phố Hồ Chí Minh", 21),
    ("hoi-thuong", "0269 000 3333", "Tỉnh Gia Lai", 20),
];

fn text_files(dir: &Path) -> BTreeMap<String, String> {
    site_files(dir)
        .into_iter()
        .filter(|(p, _)| [".html", ".js", ".css"].iter().any(|e| p.ends_with(e)))
        .map(|(p, b)| (p, String::from_utf8(b).unwrap()))
        .collect()
}

#[test]
fn the_bundled_example_is_three_offices_each_with_its_own_contacts_fees_and_print_packs() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let o = camnang(
        &repo(),
        &[
            "build",
            "content",
            "-o",
            out.to_str().unwrap(),
            "--pdf",
            "--today",
            "2026-12-04",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("(0 lỗi, 0 cảnh báo)"),
        "the example builds without warnings:\n{}",
        stderr(&o)
    );

    // The province index lists the three offices under their provinces, as example data.
    let index = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(
        index.contains("class=\"example-notice"),
        "marked as example data"
    );
    for (id, phone, province, guides) in OFFICES {
        assert!(index.contains(&format!(">{province}</h2>")), "{province}");
        assert!(index.contains(&format!("href=\"{id}/index.html\"")), "{id}");
        assert!(index.contains(&format!(
            "{phone}</span><span class=\"tile-count\">{guides} "
        )));
    }

    let files: Vec<(&str, BTreeMap<String, String>)> = OFFICES
        .iter()
        .map(|(id, ..)| (*id, text_files(&out.join(id))))
        .collect();
    // Each office's phone is on its own pages, leaflets and kiosk, and on no other office's.
    for (id, phone, ..) in OFFICES {
        for (other, f) in &files {
            let with: Vec<&String> = f.keys().filter(|p| f[*p].contains(phone)).collect();
            if other == id {
                for must in [
                    "index.html",
                    "kiosk/index.html",
                    "print/dang-ky-ket-hon/a4.html",
                ] {
                    assert!(
                        with.contains(&&must.to_string()),
                        "{id}: {must} lacks {phone}"
                    );
                }
            } else {
                assert!(with.is_empty(), "{other} has {id}'s phone in {with:?}");
            }
        }
    }
    // A province's fee text (late birth registration) is on its offices' leaflets only.
    for (id, _, province, _) in OFFICES {
        let council = province
            .replace("Thành phố", "HĐND Thành phố")
            .replace("Tỉnh", "HĐND tỉnh");
        for (other, f) in &files {
            let a4 = &f["print/dang-ky-khai-sinh/a4.html"];
            assert_eq!(a4.contains(&council), other == id, "{other}: {council}");
        }
    }
    // Hội Thương does not handle `bao-hiem`: no page, no leaflet, nothing in its kiosk.
    let hoi_thuong = &files[2].1;
    assert!(!hoi_thuong.keys().any(|p| p.contains("gia-han-bhyt")));
    assert!(!hoi_thuong["kiosk/search-index.js"].contains("gia-han-bhyt"));
    assert!(files[0].1["print/gia-han-bhyt-ho-gia-dinh/a4.html"].contains("Đội cơ động"));

    // Print packs: every leaflet and poster on exactly one sheet.
    for (id, _, _, guides) in OFFICES {
        let print = out.join(id).join("print");
        assert_eq!(
            pdfinfo(&print.join("leaflets/leaflets-a4.pdf")).0,
            *guides,
            "{id}"
        );
        assert_eq!(
            pdfinfo(&print.join("posters/posters.pdf")).0,
            *guides,
            "{id}"
        );
    }
}

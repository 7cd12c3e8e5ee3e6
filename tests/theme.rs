//! The theme's contract for offices: a guide's own pages (page, leaflets, poster, booklet
//! chapter, kiosk part) are shared by every office, so they print the office only through
//! `{{ office(name="…") }}`, which puts in the template `office/<name>.html` for each
//! office. Mistakes in a theme get a clear error and no output.

mod common;

use std::path::Path;

use common::*;

/// The `ok` fixture with the example province of `fixtures/offices` laid over it, and
/// `templates` (name, text) in `theme/templates/`.
fn province_with(templates: &[(&str, &str)]) -> tempfile::TempDir {
    let w = tempfile::tempdir().unwrap();
    copy_dir(&fixtures().join("ok"), &w.path().join("content"));
    copy_dir(&fixtures().join("offices"), &w.path().join("content"));
    for (name, text) in templates {
        let path = w.path().join("content/theme/templates").join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    w
}

fn build(w: &Path) -> (Option<i32>, String) {
    let o = camnang(w, &["build", "content", "-o", "out", "--lang", "en"]);
    (o.status.code(), stderr(&o))
}

/// Builds the content of `w`, which must fail with `message` in the output and write
/// nothing; returns the output.
fn refused(w: &Path, message: &str) -> String {
    let (code, err) = build(w);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains(message), "no {message:?} in: {err}");
    assert!(!w.join("out").exists(), "nothing is written");
    err
}

/// The built-in `name` with `from` replaced by `to` (which must be there).
fn builtin_with(name: &str, from: &str, to: &str) -> String {
    let (_, text) = camnang::render::theme::TEMPLATES
        .iter()
        .find(|(n, _)| *n == name)
        .unwrap();
    assert!(text.contains(from), "{name} has no {from}");
    text.replacen(from, to, 1)
}

const HEADER: &str = r#"<span class="office-name">{{ office(name="name") }}</span>"#;

#[test]
fn an_office_part_of_the_theme_is_put_in_each_offices_guide_pages() {
    let base = builtin_with(
        "base.html",
        HEADER,
        r#"{{ office(name="hours") }}<span class="office-name">{{ office(name="name") }}</span>"#,
    );
    let hours = r#"<p class="my-hours">{{ office.phone }} · {{ t.hours }} · {{ root }}</p>"#;
    let w = province_with(&[("base.html", &base), ("office/hours.html", hours)]);
    let (code, err) = build(w.path());
    assert_eq!(code, Some(0), "{err}");
    for (id, phone) in [("le-chan", "0225 3 111 111"), ("pleiku", "0269 3 333 333")] {
        let page = w
            .path()
            .join(format!("out/{id}/guides/chung-thuc-ban-sao/index.html"));
        let html = std::fs::read_to_string(&page).unwrap_or_default();
        let mine = format!(r#"<p class="my-hours">{phone} · Opening hours · ../../</p>"#);
        assert!(html.contains(&mine), "{id}: no {mine}");
        assert_eq!(html.matches("my-hours").count(), 1, "{id}");
        // The index is a site-wide page at the top: the same part, at its own root.
        let index = std::fs::read_to_string(w.path().join(format!("out/{id}/index.html")))
            .unwrap_or_default();
        assert!(
            index.contains(&format!(r#"{phone} · Opening hours · </p>"#)),
            "{id}"
        );
    }
}

#[test]
fn site_office_on_a_guides_page_is_an_error_that_says_what_to_use() {
    let guide = builtin_with(
        "guide.html",
        "<h1>{{ guide.title }}</h1>",
        "<h1>{{ guide.title }} · {{ site.office.name }}</h1>",
    );
    let w = province_with(&[("guide.html", &guide)]);
    let err = refused(
        w.path(),
        r#"print it with {{ office(name="contact") }}, which puts in templates/office/contact.html"#,
    );
    assert!(err.contains("site.office"), "{err}");
}

#[test]
fn an_office_part_in_a_test_or_a_variable_is_an_error() {
    for bad in [
        r#"{% if office(name="name") != "" %}x{% endif %}"#,
        r#"{% set n = office(name="name") %}{{ n }}{{ n }}"#,
        r#"{{ office(name="name") | length }}"#,
    ] {
        let base = builtin_with("base.html", HEADER, bad);
        let w = province_with(&[("base.html", &base)]);
        refused(
            w.path(),
            "office(name=…) is the office's part, put in after the page is rendered: print it as it is",
        );
    }
}

#[test]
fn an_unknown_office_part_names_the_parts_there_are() {
    let base = builtin_with("base.html", HEADER, r#"{{ office(name="phone") }}"#);
    let w = province_with(&[("base.html", &base)]);
    refused(
        w.path(),
        r#"office(name="phone"): there is no template office/phone.html; there are: contact, name, print-contact, print-contact-short"#,
    );
}

#[test]
fn an_office_part_cannot_print_an_office_part() {
    let w = province_with(&[("office/name.html", r#"{{ office(name="contact") }}"#)]);
    refused(
        w.path(),
        "office/name.html: an office part cannot print office(…)",
    );
}

#[test]
fn the_province_index_cannot_print_one_offices_part() {
    let index = builtin_with(
        "offices.html",
        "<title>",
        r#"{{ office(name="name") }}<title>"#,
    );
    let w = province_with(&[("offices.html", &index)]);
    refused(
        w.path(),
        "offices.html lists every office: it cannot print one office's part, office(…)",
    );
}

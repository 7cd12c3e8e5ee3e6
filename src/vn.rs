//! Vietnamese text: folding for search (tone marks stripped, `đ` → `d`) and sorting in
//! Vietnamese alphabetical order (a ă â b c d đ e ê …, tones after the base letter in the
//! order ngang, huyền, hỏi, ngã, sắc, nặng).
//!
//! The kiosk's JavaScript folds queries the same way; `tests/search.rs` keeps the two in step.

use std::cmp::Ordering;

/// Lower-case, marks stripped, `đ` → `d`: "Đăng ký" → "dang ky".
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let table = folded_letters();
    for c in s.chars() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
            continue;
        }
        match (c as usize)
            .checked_sub(FOLDED_FROM)
            .and_then(|i| table.get(i))
        {
            Some(&f) if f != '\0' => out.push(f),
            _ => fold_char(c, &mut out),
        }
    }
    out
}

/// [`fold`] of one character, pushed onto `out`.
fn fold_char(c: char, out: &mut String) {
    // Each character on its own: the marks are dropped, so their order does not matter.
    unicode_normalization::char::decompose_canonical(c, |d| match d {
        '\u{0300}'..='\u{036f}' => {}
        'đ' | 'Đ' => out.push('d'),
        d => out.extend(d.to_lowercase()),
    });
}

/// The first character of [`folded_letters`]' table: `À`; it ends with `ỹ` (U+1EF9), so it
/// holds every Vietnamese letter with its marks.
const FOLDED_FROM: usize = 0xC0;

/// What [`fold_char`] gives each character from `À` to `ỹ` when that is one character
/// (`'\0'` when not), worked out once: looking up each letter's decomposition was most of
/// folding 5,000 guides for the search index.
fn folded_letters() -> &'static [char] {
    static TABLE: std::sync::OnceLock<Vec<char>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        (FOLDED_FROM as u32..=0x1EF9)
            .map(|u| {
                let Some(c) = char::from_u32(u) else {
                    return '\0';
                };
                let mut f = String::new();
                fold_char(c, &mut f);
                let mut chars = f.chars();
                match (chars.next(), chars.next()) {
                    (Some(one), None) => one,
                    _ => '\0',
                }
            })
            .collect()
    })
}

/// The Vietnamese alphabet's order (with f, j, w, z where the Latin alphabet has them), as
/// [`position`] gives it.
#[cfg(test)]
const ALPHABET: &str = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz";

/// Tone rank of a combining mark (0 = none).
fn tone(c: char) -> Option<u8> {
    Some(match c {
        '\u{0300}' => 1, // huyền
        '\u{0309}' => 2, // hỏi
        '\u{0303}' => 3, // ngã
        '\u{0301}' => 4, // sắc
        '\u{0323}' => 5, // nặng
        _ => return None,
    })
}

/// The position of `letter` in the Vietnamese alphabet `aăâbcdđeêfghijklmnoôơpqrstuưvwxyz`
/// (a match: scanning the alphabet for each letter was most of sorting 5,000 titles).
fn position(letter: char) -> Option<u32> {
    Some(match letter {
        'a' => 0,
        'ă' => 1,
        'â' => 2,
        'b' => 3,
        'c' => 4,
        'd' => 5,
        'đ' => 6,
        'e' => 7,
        'ê' => 8,
        'f'..='o' => 9 + (letter as u32 - 'f' as u32),
        'ô' => 19,
        'ơ' => 20,
        'p'..='u' => 21 + (letter as u32 - 'p' as u32),
        'ư' => 27,
        'v'..='z' => 28 + (letter as u32 - 'v' as u32),
        _ => return None,
    })
}

/// A key that sorts strings in Vietnamese dictionary order (case-insensitive).
pub fn sort_key(s: &str) -> (Vec<u32>, Vec<u8>) {
    let mut primary = Vec::with_capacity(s.len());
    let mut tones = Vec::with_capacity(s.len());
    // Decomposed and lower-cased, letter by letter (ASCII as it is: running the whole text
    // through NFD was most of sorting 5,000 titles). The marks after a letter are read in
    // any order below, so NFD's reordering of marks is not needed.
    let mut decomposed = Vec::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c.is_ascii() {
            true => decomposed.push(c.to_ascii_lowercase()),
            false => unicode_normalization::char::decompose_canonical(c, |d| {
                decomposed.extend(d.to_lowercase())
            }),
        }
    }
    let mut chars = decomposed.into_iter().peekable();
    while let Some(c) = chars.next() {
        let mut letter = c;
        let mut t = 0u8;
        while let Some(&m) = chars.peek() {
            match (letter, m) {
                ('a', '\u{0306}') => letter = 'ă',
                ('a', '\u{0302}') => letter = 'â',
                ('e', '\u{0302}') => letter = 'ê',
                ('o', '\u{0302}') => letter = 'ô',
                ('o', '\u{031b}') => letter = 'ơ',
                ('u', '\u{031b}') => letter = 'ư',
                _ => match tone(m) {
                    Some(v) => t = v,
                    None if ('\u{0300}'..='\u{036f}').contains(&m) => {}
                    None => break,
                },
            }
            chars.next();
        }
        let rank = match position(letter) {
            Some(p) => 0x1_0000 + p,
            None if letter.is_ascii_digit() => 0x100 + letter as u32,
            None => 0x2_0000 + letter as u32,
        };
        primary.push(rank);
        tones.push(t);
    }
    (primary, tones)
}

/// Compares two strings in Vietnamese order.
pub fn compare(a: &str, b: &str) -> Ordering {
    sort_key(a).cmp(&sort_key(b)).then_with(|| a.cmp(b))
}

/// The slug suggested for a title or a mistyped slug: "Đăng ký kết hôn" → `dang-ky-ket-hon`.
pub fn suggest_slug(s: &str) -> String {
    let folded = fold(s);
    let mut out = String::new();
    for c in folded.chars() {
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_normalization::UnicodeNormalization;

    #[test]
    fn sort_key_is_that_of_the_whole_text_in_nfd() {
        let nfd = |s: &str| -> String { s.nfd().flat_map(char::to_lowercase).collect() };
        for s in [
            "Đăng ký KẾT HÔN",
            "Thủ tục số 12",
            "ỦY QUYỀN, ủy quyền",
            "A\u{0306}\u{0301}n",
            "Quý Huy ĐƯỜNG ơn Ư",
            "Straße 1–2",
        ] {
            assert_eq!(sort_key(s), sort_key(&nfd(s)), "{s}");
        }
    }

    #[test]
    fn fold_by_table_is_fold_by_decomposition() {
        for u in 0x80..=0x2000 {
            let Some(c) = char::from_u32(u) else { continue };
            let mut slow = String::new();
            fold_char(c, &mut slow);
            assert_eq!(fold(&c.to_string()), slow, "U+{u:04X}");
        }
        assert_eq!(
            fold("Đăng KÝ Ngữ Ưu Ờ ĐƯỜNG Straße"),
            "dang ky ngu uu o duong straße"
        );
    }

    #[test]
    fn position_is_that_in_the_alphabet() {
        for (i, c) in ALPHABET.chars().enumerate() {
            assert_eq!(position(c), Some(i as u32), "{c}");
        }
        assert_eq!(position('1'), None);
        assert_eq!(position('ß'), None);
    }

    #[test]
    fn folds_marks_and_d() {
        assert_eq!(fold("Đăng ký KHAI SINH"), "dang ky khai sinh");
        assert_eq!(fold("Bảo hiểm y tế"), "bao hiem y te");
        let nfd: String = "Giấy xác nhận".nfd().collect();
        assert_eq!(fold(&nfd), "giay xac nhan");
    }

    #[test]
    fn vietnamese_order() {
        let mut v = vec![
            "Đăng ký",
            "Dân cư",
            "Ăn",
            "Bảo hiểm",
            "An",
            "Âm",
            "Chứng thực",
            "Cấp",
        ];
        v.sort_by(|a, b| compare(a, b));
        assert_eq!(
            v,
            [
                "An",
                "Ăn",
                "Âm",
                "Bảo hiểm",
                "Cấp",
                "Chứng thực",
                "Dân cư",
                "Đăng ký"
            ]
        );
        let mut t = vec!["má", "mà", "ma", "mạ", "mã", "mả"];
        t.sort_by(|a, b| compare(a, b));
        assert_eq!(t, ["ma", "mà", "mả", "mã", "má", "mạ"]);
    }
}

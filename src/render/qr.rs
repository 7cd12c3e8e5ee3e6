//! QR codes as inline SVG. The `qrcode` crate (default features off: no `image`) does the
//! encoding and error correction; the SVG is written here (see [`encode`]).
//!
//! The SVG is sized by its `viewBox` (one unit per module, 4-module quiet zone included),
//! so CSS sets its printed size in millimetres.

use std::sync::{Arc, Mutex};

use crate::content::portal::Ecc;
use qrcode::canvas::{Canvas, MaskPattern, Module};
use qrcode::{Color, EcLevel, Version, bits, ec};

/// The `qrcode` crate's level for an [`Ecc`].
fn level(e: Ecc) -> EcLevel {
    match e {
        Ecc::M => EcLevel::M,
        Ecc::Q => EcLevel::Q,
        Ecc::H => EcLevel::H,
    }
}

/// A QR code ready to inline.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Qr {
    /// `<svg …>…</svg>` without an XML declaration.
    pub svg: String,
    /// Modules per side, quiet zone included.
    pub modules: usize,
}

/// Encodes `data` (a checked portal URL). Fails only for data too long for any QR version.
///
/// The `qrcode` crate does the encoding and error correction; the mask is chosen here with
/// a fast scorer of the four ISO/IEC 18004 penalty rules (the crate's own scoring took
/// ~1 ms a code, the largest cost of a 5,000-guide build), and the SVG path merges each
/// row's dark runs, which makes the inline SVG about four times smaller.
pub fn encode(data: &str, ecc: Ecc, label: &str) -> Result<Qr, String> {
    let (width, dark) = matrix(data, ecc)?;
    let modules = width + 8;
    let mut path = String::with_capacity(width * width / 2);
    for y in 0..width {
        let row = &dark[y * width..(y + 1) * width];
        let mut x = 0;
        while x < width {
            if !row[x] {
                x += 1;
                continue;
            }
            let start = x;
            while x < width && row[x] {
                x += 1;
            }
            // `M{x} {y}h{n}v1h-{n}z`, without the formatting machinery (hot: ~40 runs a
            // row, 5,000 codes a build).
            let n = x - start;
            path.push('M');
            push_num(&mut path, start + 4);
            path.push(' ');
            push_num(&mut path, y + 4);
            path.push('h');
            push_num(&mut path, n);
            path.push_str("v1h-");
            push_num(&mut path, n);
            path.push('z');
        }
    }
    let label = crate::render::theme::escape_html(label);
    let svg = format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" class="qr" viewBox="0 0 {modules} {modules}" shape-rendering="crispEdges" role="img" aria-label="{label}"><rect width="{modules}" height="{modules}" fill="#fff"/><path fill="#000" d="{path}"/></svg>"##
    );
    Ok(Qr { svg, modules })
}

/// The module matrix (row-major, `true` = dark) and its width, without quiet zone.
pub fn matrix(data: &str, ecc: Ecc) -> Result<(usize, Vec<bool>), String> {
    let level = level(ecc);
    let bits = bits::encode_auto(data.as_bytes(), level).map_err(|e| e.to_string())?;
    let version = bits.version();
    let (codewords, ec) =
        ec::construct_codewords(&bits.into_bytes(), version, level).map_err(|e| e.to_string())?;
    let mut base = Canvas::new(version, level);
    base.draw_all_functional_patterns();
    base.draw_data(&codewords, &ec);
    let width = version.width() as usize;
    if width <= 64 {
        return Ok((width, best_mask_bits(&base, version, ecc, width)));
    }
    Ok((width, best_mask_canvas(&base, width)))
}

/// The masked symbol with the lowest penalty: the canvas masked eight times.
fn best_mask_canvas(base: &Canvas, width: usize) -> Vec<bool> {
    MASKS
        .iter()
        .map(|&p| {
            let mut c = base.clone();
            c.apply_mask(p);
            let dark: Vec<bool> = c
                .into_colors()
                .into_iter()
                .map(|c| c == Color::Dark)
                .collect();
            (penalty(&dark, width), dark)
        })
        .min_by_key(|(score, _)| *score)
        .map(|(_, dark)| dark)
        .unwrap_or_default()
}

/// Rows of 64 bits (bit `x` = module `x`), one per row of a symbol up to 64 modules wide.
type Rows = [u64; 64];

/// One [`Rows`] per mask pattern, in the order of [`MASKS`].
type Masks = [Rows; 8];

/// For one version and error-correction level, each mask's symbol without data: the
/// function patterns, the format information of that mask, and the mask's own dark
/// modules over the data area. XOR with the data bits gives the masked symbol, exactly
/// as `Canvas::apply_mask` draws it. Made once per (version, level) and kept.
fn mask_templates(version: Version, ecc: Ecc, width: usize) -> Arc<Masks> {
    static CACHE: Mutex<Vec<(Version, Ecc, Arc<Masks>)>> = Mutex::new(Vec::new());
    let mut cache = CACHE.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((_, _, t)) = cache.iter().find(|(v, e, _)| *v == version && *e == ecc) {
        return t.clone();
    }
    let mut base = Canvas::new(version, level(ecc));
    base.draw_all_functional_patterns();
    let mut templates = [[0u64; 64]; 8];
    for (t, &p) in templates.iter_mut().zip(&MASKS) {
        let mut c = base.clone();
        c.apply_mask(p);
        *t = rows_of(&c.into_colors(), width, |c| *c == Color::Dark);
    }
    let t = Arc::new(templates);
    cache.push((version, ecc, t.clone()));
    t
}

fn rows_of<T>(modules: &[T], width: usize, dark: impl Fn(&T) -> bool) -> Rows {
    let mut rows = [0u64; 64];
    for (y, row) in modules.chunks(width).enumerate() {
        for (x, m) in row.iter().enumerate() {
            if dark(m) {
                rows[y] |= 1 << x;
            }
        }
    }
    rows
}

/// The masked symbol with the lowest penalty, for symbols up to 64 modules wide: the
/// same choice as masking a copy of the canvas eight times, on bit rows.
fn best_mask_bits(base: &Canvas, version: Version, ecc: Ecc, width: usize) -> Vec<bool> {
    let mut data = [0u64; 64];
    for (y, row) in data[..width].iter_mut().enumerate() {
        for x in 0..width {
            if base.get(x as i16, y as i16) == Module::Unmasked(Color::Dark) {
                *row |= 1 << x;
            }
        }
    }
    let templates = mask_templates(version, ecc, width);
    let mut best: Option<(u32, Rows)> = None;
    for t in templates.iter() {
        let mut rows = [0u64; 64];
        for y in 0..width {
            rows[y] = t[y] ^ data[y];
        }
        let score = penalty_rows(&rows, width);
        if best.as_ref().is_none_or(|(s, _)| score < *s) {
            best = Some((score, rows));
        }
    }
    let rows = best.map(|(_, r)| r).unwrap_or([0; 64]);
    let mut dark = Vec::with_capacity(width * width);
    for row in &rows[..width] {
        dark.extend((0..width).map(|x| row >> x & 1 == 1));
    }
    dark
}

const MASKS: [MaskPattern; 8] = [
    MaskPattern::Checkerboard,
    MaskPattern::HorizontalLines,
    MaskPattern::VerticalLines,
    MaskPattern::DiagonalLines,
    MaskPattern::LargeCheckerboard,
    MaskPattern::Fields,
    MaskPattern::Diamonds,
    MaskPattern::Meadow,
];

/// The ISO/IEC 18004 mask penalty: runs of 5+ (N1), 2×2 blocks (N2), finder-like
/// 1:1:3:1:1 patterns next to 4 light modules (N3), and dark/light balance (N4).
fn penalty(m: &[bool], w: usize) -> u32 {
    if w <= 64 {
        return penalty_rows(&rows_of(m, w, |d| *d), w);
    }
    let mut score = 0;
    let mut column = vec![false; w];
    for i in 0..w {
        score += line_penalty(&m[i * w..(i + 1) * w]);
        for (y, c) in column.iter_mut().enumerate() {
            *c = m[y * w + i];
        }
        score += line_penalty(&column);
    }
    for y in 0..w - 1 {
        let (row, next) = (&m[y * w..(y + 1) * w], &m[(y + 1) * w..(y + 2) * w]);
        for x in 0..w - 1 {
            let c = row[x];
            if row[x + 1] == c && next[x] == c && next[x + 1] == c {
                score += 3;
            }
        }
    }
    let dark = m.iter().filter(|d| **d).count();
    let deviation = (dark * 100 / m.len()).abs_diff(50) as u32;
    score + (deviation / 5) * 10
}

/// [`penalty`] on 64-bit rows (bit `x` = module `x`), for symbols up to 64 modules wide.
fn penalty_rows(rows: &Rows, w: usize) -> u32 {
    let full = if w == 64 { u64::MAX } else { (1u64 << w) - 1 };
    let mut cols = [0u64; 64];
    for (y, &row) in rows[..w].iter().enumerate() {
        let mut r = row;
        while r != 0 {
            let x = r.trailing_zeros() as usize;
            cols[x] |= 1 << y;
            r &= r - 1;
        }
    }
    let mut score = 0;
    for l in rows[..w].iter().chain(&cols[..w]) {
        score += bits_line_penalty(*l, w, full);
    }
    // N2: a module equal to its right, lower and lower-right neighbours.
    let pairs = full >> 1;
    for y in 0..w - 1 {
        let (a, b) = (rows[y], rows[y + 1]);
        let same_h = !(a ^ (a >> 1));
        let same_v = !(a ^ b);
        score += 3 * (same_h & same_v & (same_v >> 1) & pairs).count_ones();
    }
    let dark: u32 = rows[..w].iter().map(|r| r.count_ones()).sum();
    let deviation = ((dark as usize) * 100 / (w * w)).abs_diff(50) as u32;
    score + (deviation / 5) * 10
}

fn bits_line_penalty(l: u64, w: usize, full: u64) -> u32 {
    // N1 without walking the runs: `five` marks the first module of every 5 equal modules
    // in a row, so a run of k ≥ 5 has k − 4 marks, and its first mark is one whose left
    // neighbour is unmarked; the run scores k − 2 = (k − 4) + 2.
    let mut score = 0;
    for bits in [l & full, !l & full] {
        let five = bits & (bits >> 1) & (bits >> 2) & (bits >> 3) & (bits >> 4);
        let runs = five & !(five << 1);
        score += five.count_ones() + 2 * runs.count_ones();
    }
    let starts = if w >= 7 { full >> 6 } else { 0 };
    let core = l & !(l >> 1) & (l >> 2) & (l >> 3) & (l >> 4) & !(l >> 5) & (l >> 6) & starts;
    let dark_before = (l << 1) | (l << 2) | (l << 3) | (l << 4);
    let dark_after = (l >> 7) | (l >> 8) | (l >> 9) | (l >> 10);
    score + 40 * (core & !(dark_before & dark_after)).count_ones()
}

/// N1 and N3 of one row or column.
fn line_penalty(line: &[bool]) -> u32 {
    let w = line.len();
    let mut score = 0;
    let mut run = 1;
    for b in 1..w {
        if line[b] == line[b - 1] {
            run += 1;
        } else {
            if run >= 5 {
                score += run - 2;
            }
            run = 1;
        }
    }
    if run >= 5 {
        score += run - 2;
    }
    let light = |r: std::ops::Range<usize>| line[r].iter().all(|d| !d);
    for j in 0..w.saturating_sub(6) {
        if line[j]
            && !line[j + 1]
            && line[j + 2]
            && line[j + 3]
            && line[j + 4]
            && !line[j + 5]
            && line[j + 6]
        {
            // Outside the symbol counts as light.
            let before = light(j.saturating_sub(4)..j);
            let after = light((j + 7).min(w)..(j + 11).min(w));
            if before || after {
                score += 40;
            }
        }
    }
    score as u32
}

/// Appends `n` in decimal.
fn push_num(s: &mut String, mut n: usize) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    s.extend(buf[i..].iter().map(|&b| char::from(b)));
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Decodes a module matrix with rqrr (4-module quiet zone, 4 px a module).
    fn decode(width: usize, dark: &[bool]) -> String {
        let scale = 4;
        let size = (width + 8) * scale;
        let mut img = rqrr::PreparedImage::prepare_from_greyscale(size, size, |x, y| {
            let (mx, my) = ((x / scale) as isize - 4, (y / scale) as isize - 4);
            let inside = mx >= 0 && my >= 0 && (mx as usize) < width && (my as usize) < width;
            if inside && dark[my as usize * width + mx as usize] {
                0
            } else {
                255
            }
        });
        let grids = img.detect_grids();
        assert_eq!(grids.len(), 1);
        grids[0].decode().unwrap().1
    }

    #[test]
    fn codes_decode_and_masks_match_the_crate() {
        for i in 0..12 {
            let url = format!(
                "https://dichvucong.gov.vn/thu-tuc-hanh-chinh/019d2bfd-{i:04x}-70ac-b9d6-5e9e20d6eef{}",
                i % 10
            );
            for ecc in [Ecc::M, Ecc::Q, Ecc::H] {
                let (w, dark) = matrix(&url, ecc).unwrap();
                assert_eq!(decode(w, &dark), url);
                let theirs =
                    qrcode::QrCode::with_error_correction_level(url.as_bytes(), level(ecc))
                        .unwrap();
                let theirs: Vec<bool> = theirs
                    .to_colors()
                    .into_iter()
                    .map(|c| c == Color::Dark)
                    .collect();
                assert!(
                    theirs == dark,
                    "mask differs from the qrcode crate's choice for {url} {ecc:?}"
                );
            }
        }
    }

    /// The bit-row masking gives the same symbol as masking the canvas, over versions
    /// 1–11 (all that fit in 64 bits) and all three levels.
    #[test]
    fn bit_rows_mask_like_the_canvas_across_versions() {
        let mut versions = std::collections::BTreeSet::new();
        for len in 1..260 {
            let url = format!("https://{}", "x9".repeat(len / 2));
            for ecc in [Ecc::M, Ecc::Q, Ecc::H] {
                let level = level(ecc);
                let bits = bits::encode_auto(url.as_bytes(), level).unwrap();
                let version = bits.version();
                let (cw, ec) = ec::construct_codewords(&bits.into_bytes(), version, level).unwrap();
                let mut base = Canvas::new(version, level);
                base.draw_all_functional_patterns();
                base.draw_data(&cw, &ec);
                let width = version.width() as usize;
                if width > 64 {
                    continue;
                }
                versions.insert(width);
                assert!(
                    best_mask_bits(&base, version, ecc, width) == best_mask_canvas(&base, width),
                    "differs for {} bytes, {ecc:?}",
                    url.len()
                );
            }
        }
        assert_eq!(versions.len(), 11, "versions covered: {versions:?}");
    }

    #[test]
    fn numbers_are_written_in_decimal() {
        let mut s = String::new();
        for n in [0, 7, 10, 99, 185, 1000, 123456] {
            push_num(&mut s, n);
            s.push(',');
        }
        assert_eq!(s, "0,7,10,99,185,1000,123456,");
    }

    #[test]
    fn bitboard_penalty_equals_the_plain_one() {
        for i in 0..20 {
            let url = format!("https://dichvucong.gov.vn/x/{i}{}", "a".repeat(i * 3));
            let (w, dark) = matrix(&url, Ecc::Q).unwrap();
            let mut plain = 0;
            let mut column = vec![false; w];
            for r in 0..w {
                plain += line_penalty(&dark[r * w..(r + 1) * w]);
                for (y, c) in column.iter_mut().enumerate() {
                    *c = dark[y * w + r];
                }
                plain += line_penalty(&column);
            }
            let full = (1u64 << w) - 1;
            let mut bits = 0;
            for r in 0..w {
                let row = (0..w)
                    .filter(|x| dark[r * w + x])
                    .fold(0u64, |a, x| a | 1 << x);
                let col = (0..w)
                    .filter(|y| dark[y * w + r])
                    .fold(0u64, |a, y| a | 1 << y);
                bits += bits_line_penalty(row, w, full) + bits_line_penalty(col, w, full);
            }
            assert_eq!(plain, bits, "{url}");
        }
    }

    #[test]
    fn svg_has_viewbox_and_no_declaration() {
        let q = encode("https://dichvucong.gov.vn/", Ecc::Q, "QR \"x\"").unwrap();
        assert!(q.svg.starts_with("<svg "));
        assert!(
            q.svg
                .contains(&format!("viewBox=\"0 0 {0} {0}\"", q.modules))
        );
        assert!(q.svg.contains("aria-label=\"QR &quot;x&quot;\""));
        assert!(q.svg.ends_with("</svg>"));
    }
}

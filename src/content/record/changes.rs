//! What changed between two copies of one record (`camnang records fetch` prints it for
//! each guide whose saved record it replaces).

use crate::content::record::Record;
use crate::content::record::drift::{fee_text, time_text};
use crate::i18n::Text;
use crate::tx;
use crate::vn::fold;

/// The changes from `old` to `new`, in words; empty when their official facts agree.
pub fn changes(old: &Record, new: &Record) -> Vec<Text> {
    let mut out = Vec::new();
    if old.state != new.state {
        out.push(if new.in_force() {
            tx!(
                "state: {} → {}",
                "trạng thái: {} → {}",
                old.state,
                new.state
            )
        } else {
            tx!(
                "state: {} → {} (no longer in force)",
                "trạng thái: {} → {} (không còn hiệu lực)",
                old.state,
                new.state
            )
        });
    }
    if old.name != new.name {
        out.push(tx!(
            "name: “{}” → “{}”",
            "tên: “{}” → “{}”",
            old.name,
            new.name
        ));
    }
    let names = |r: &Record| -> Vec<(String, String)> {
        r.documents
            .iter()
            .map(|d| (fold(&d.name), d.name.clone()))
            .collect()
    };
    let (before, after) = (names(old), names(new));
    for (key, name) in &after {
        if !before.iter().any(|(k, _)| k == key) {
            out.push(tx!("document added: {}", "thêm giấy tờ: {}", name));
        }
    }
    for (key, name) in &before {
        if !after.iter().any(|(k, _)| k == key) {
            out.push(tx!("document removed: {}", "bỏ giấy tờ: {}", name));
        }
    }
    let (f0, f1) = (fee_text(old), fee_text(new));
    if f0 != f1 {
        out.push(tx!("fee: {} → {}", "lệ phí: {} → {}", f0, f1));
    }
    let (t0, t1) = (time_text(old), time_text(new));
    if t0 != t1 {
        out.push(tx!("processing time: {} → {}", "thời hạn: {} → {}", t0, t1));
    }
    let acts =
        |r: &Record| -> Vec<String> { r.legal_basis.iter().map(|a| a.code.clone()).collect() };
    let (a0, a1) = (acts(old), acts(new));
    for a in a1.iter().filter(|a| !a0.contains(a)) {
        out.push(tx!("legal basis added: {}", "thêm căn cứ pháp lý: {}", a));
    }
    for a in a0.iter().filter(|a| !a1.contains(a)) {
        out.push(tx!("legal basis removed: {}", "bỏ căn cứ pháp lý: {}", a));
    }
    out
}

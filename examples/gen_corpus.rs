//! Writes a synthetic content folder: `cargo run --release --example gen_corpus -- DIR N`
//! for a site of N guides, or `… -- DIR N OFFICES` for a province of OFFICES offices
//! sharing N guides (the `province` benchmark's is 60 guides, 126 offices).
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (dir, n) = (std::path::Path::new(&args[1]), args[2].parse().expect("N"));
    match args.get(3).map(|o| o.parse().expect("OFFICES")) {
        Some(offices) => camnang::corpus::write_province(dir, offices, n),
        None => camnang::corpus::write(dir, n),
    }
    .expect("write corpus");
}

//! Writes a synthetic content folder: `cargo run --release --example gen_corpus -- DIR N`.
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (dir, n) = (&args[1], args[2].parse().expect("N"));
    camnang::corpus::write(std::path::Path::new(dir), n).expect("write corpus");
}

fn main() {
    let a: Vec<String> = std::env::args().collect();
    camnang::corpus::write(std::path::Path::new(&a[1]), a[2].parse().unwrap()).unwrap();
}

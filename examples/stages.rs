use rayon::prelude::*;
use std::collections::BTreeMap;
use std::time::Instant;
fn main() {
    let a: Vec<String> = std::env::args().collect();
    let t = Instant::now();
    let c = camnang::load_content(std::path::Path::new(&a[1])).unwrap();
    println!("load {:.3}", t.elapsed().as_secs_f64());
    let t = Instant::now();
    let titles: BTreeMap<&str, &str> = c.guides.iter().map(|x| (x.slug.as_str(), x.title.as_str())).collect();
    let views: Vec<_> = c.guides.par_iter().zip(c.portal_urls.par_iter()).map(|(g, u)| camnang::render::guide_view(&c, &titles, g, u).unwrap()).collect();
    println!("views {:.3}", t.elapsed().as_secs_f64());
    let t = Instant::now();
    let h: Vec<u128> = views.par_iter().map(camnang::render::cache::PageCache::hash_value).collect();
    println!("hash {:.3} {}", t.elapsed().as_secs_f64(), h.len());
    let t = Instant::now();
    let f: Vec<_> = c.guides.par_iter().map(|g| camnang::render::print::fit(&c, g)).collect();
    println!("fits {:.3} {}", t.elapsed().as_secs_f64(), f.len());
    let t = Instant::now();
    let _ = camnang::render::kiosk::index_js(&c, None);
    println!("search index {:.3}", t.elapsed().as_secs_f64());
    let t = Instant::now();
    let _ = camnang::content::review::warnings(&c);
    println!("review {:.3}", t.elapsed().as_secs_f64());
}

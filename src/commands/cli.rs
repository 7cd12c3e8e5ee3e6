//! Command-line interface: subcommands and flags, no logic.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::content::guide::Date;
use crate::i18n::Lang;

/// A `YYYY-MM-DD` argument (`--today`).
fn parse_date(s: &str) -> Result<Date, String> {
    Date::parse(s).ok_or_else(|| format!("`{s}`: YYYY-MM-DD"))
}

/// Examples shown under `--help` (Vietnamese).
pub const EXAMPLES_VI: &str = "\
Ví dụ:
  camnang init cam-nang-phuong       tạo trang mới, có sẵn một hướng dẫn mẫu
  cd cam-nang-phuong && camnang serve
                                     làm việc ngay trong thư mục đó: xem trước, tự tải lại
  camnang new dang-ky-ket-hon        tạo hướng dẫn mới content/guides/dang-ky-ket-hon.yaml
  camnang new khai-sinh-lien-thong --from 1.001193
                                     chép từ hướng dẫn có mã thủ tục 1.001193
  camnang check                      kiểm tra nội dung, không ghi gì
  camnang check --strict --format json
                                     coi cảnh báo là lỗi, kết quả JSON cho máy đọc
  camnang build                      dựng trang vào public/ (nội dung: ./content nếu có
                                     site.yaml, không thì thư mục hiện tại)
  camnang build content -o /media/usb/camnang
  camnang serve                      xem trước tại http://127.0.0.1:8008/, tự tải lại khi sửa
  camnang import 1.001193.json       bản nháp hướng dẫn từ bản ghi chính thức của Cổng
  camnang import --update records/1.001193.json
                                     cập nhật phần thông tin chính thức, giữ phần viết tay
  camnang links                      kiểm tra liên kết QR và nguồn qua mạng, ghi links.yaml
  camnang --lang en --help           trợ giúp bằng tiếng Anh (hoặc CAMNANG_LANG=en)

Mã thoát: 0 ổn, 1 có lỗi trong nội dung, 2 dùng sai lệnh.";

/// Examples shown under `--help` (English).
pub const EXAMPLES_EN: &str = "\
Examples:
  camnang init cam-nang-phuong       create a new site with one example guide
  cd cam-nang-phuong && camnang serve
                                     work inside that folder: preview, reloads on save
  camnang new dang-ky-ket-hon        create content/guides/dang-ky-ket-hon.yaml
  camnang new khai-sinh-lien-thong --from 1.001193
                                     copy the guide whose procedure code is 1.001193
  camnang check                      check the content, write nothing
  camnang check --strict --format json
                                     warnings fail; JSON report for machines
  camnang build                      build into public/ (content: ./content if it has
                                     site.yaml, else the current folder)
  camnang build content -o /media/usb/camnang
  camnang serve                      preview at http://127.0.0.1:8008/, reloads on save
  camnang import 1.001193.json       a guide draft from the portal's official record
  camnang import --update records/1.001193.json
                                     refresh the official facts, keep what was written by hand
  camnang links                      check QR and source links online, write links.yaml
  camnang --lang vi --help           help in Vietnamese (or CAMNANG_LANG=vi)

Exit codes: 0 ok, 1 problems in the content, 2 usage.";

const AFTER_HELP: &str = EXAMPLES_VI;

/// camnang — cẩm nang thủ tục: hướng dẫn thủ tục → trang web ngoại tuyến, tờ rơi in và mã QR tới
/// Cổng Dịch vụ công. (Procedure guides → offline website, printable leaflets and portal QR codes.)
#[derive(Debug, Parser)]
#[command(name = "camnang", version, after_help = AFTER_HELP)]
pub struct Cli {
    /// Ngôn ngữ thông báo và trang: vi (mặc định) hoặc en (language of messages and pages)
    #[arg(long, global = true, value_name = "vi|en")]
    pub lang: Option<Lang>,
    /// Chỉ in lỗi (only print errors)
    #[arg(short, long, global = true)]
    pub quiet: bool,
    /// In chi tiết hơn (more detail)
    #[arg(short, long, global = true)]
    pub verbose: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Dựng trang web ngoại tuyến (build the offline site)
    Build {
        /// Thư mục nội dung; mặc định ./content nếu có site.yaml, không thì thư mục hiện tại
        /// (content folder; default ./content if it has site.yaml, else the current folder)
        #[arg(value_name = "CONTENT")]
        content: Option<PathBuf>,
        /// Thư mục kết quả (output folder)
        #[arg(short, long, default_value = "public")]
        out: PathBuf,
        /// Coi cảnh báo là lỗi (warnings are errors)
        #[arg(long)]
        strict: bool,
        /// In thêm tờ rơi, áp phích và sổ tay ra PDF bằng Chromium cài sẵn (also print PDFs with a local Chromium)
        #[arg(long)]
        pdf: bool,
        /// Đóng gói thư mục kiosk thành tệp zip để chép vào USB (also zip the kiosk folder for a USB stick)
        #[arg(long)]
        zip: bool,
        /// Chỉ dựng trang của một phường, xã (offices/ID.yaml) vào OUT/ID/ (build one office's site)
        #[arg(long, value_name = "ID")]
        office: Option<String>,
        /// Dựng như vào ngày này, NĂM-THÁNG-NGÀY (build as on this day, YYYY-MM-DD)
        #[arg(long, value_name = "DATE", value_parser = parse_date)]
        today: Option<Date>,
    },
    /// Kiểm tra nội dung, không ghi gì (check the content without writing anything)
    Check {
        /// Thư mục nội dung; mặc định ./content nếu có site.yaml, không thì thư mục hiện tại
        /// (content folder; default ./content if it has site.yaml, else the current folder)
        #[arg(value_name = "CONTENT")]
        content: Option<PathBuf>,
        /// Coi cảnh báo là lỗi (warnings are errors)
        #[arg(long)]
        strict: bool,
        /// Định dạng kết quả: text, hoặc json cho máy đọc (output format; json for machines)
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
        /// Kiểm tra như vào ngày này, NĂM-THÁNG-NGÀY (check as on this day, YYYY-MM-DD)
        #[arg(long, value_name = "DATE", value_parser = parse_date)]
        today: Option<Date>,
    },
    /// Tạo bản nháp hướng dẫn từ bản ghi thủ tục chính thức của Cổng (a guide draft from the
    /// portal's official procedure record)
    Import {
        /// Tệp bản ghi JSON của Cổng (the portal's record files, JSON)
        #[arg(value_name = "BẢN_GHI.json", required = true)]
        records: Vec<PathBuf>,
        /// Thư mục nội dung; mặc định ./content nếu có site.yaml, không thì thư mục hiện tại
        /// (content folder; default ./content if it has site.yaml, else the current folder)
        #[arg(long, value_name = "CONTENT")]
        content: Option<PathBuf>,
        /// Cập nhật phần thông tin chính thức của hướng dẫn đã có, giữ phần viết tay (refresh
        /// the official facts of an existing guide, keeping what was written by hand)
        #[arg(long)]
        update: bool,
    },
    /// Tạo một trang cẩm nang mới trong THƯ_MỤC (create a new site in DIR)
    Init {
        /// Thư mục mới hoặc trống (a new or empty folder)
        #[arg(value_name = "THƯ_MỤC")]
        dir: PathBuf,
    },
    /// Tạo hướng dẫn mới guides/TÊN.yaml, đủ mọi khóa có chú thích (a new guide with every key)
    New {
        /// Tên tệp: chữ thường không dấu, số và - (file name: a-z, 0-9 and -)
        #[arg(value_name = "TÊN")]
        slug: String,
        /// Chép từ hướng dẫn có mã thủ tục này (copy the guide with this procedure code)
        #[arg(long, value_name = "MÃ")]
        from: Option<String>,
        /// Thư mục nội dung; mặc định ./content nếu có site.yaml, không thì thư mục hiện tại
        /// (content folder; default ./content if it has site.yaml, else the current folder)
        #[arg(long, value_name = "CONTENT")]
        content: Option<PathBuf>,
    },
    /// Kiểm tra liên kết của mọi mã QR và nguồn trích dẫn qua mạng, ghi kết quả vào links.yaml
    /// (check every QR and source link online; results go to links.yaml)
    #[command(after_help = LINKS_HELP)]
    Links {
        /// Thư mục nội dung; mặc định ./content nếu có site.yaml, không thì thư mục hiện tại
        /// (content folder; default ./content if it has site.yaml, else the current folder)
        #[arg(value_name = "CONTENT")]
        content: Option<PathBuf>,
        #[command(flatten)]
        net: NetArgs,
    },
    /// Bản ghi chính thức của thủ tục trên Cổng Dịch vụ công (official procedure records)
    Records {
        #[command(subcommand)]
        action: RecordsAction,
    },
    /// Xem trước trên máy này, tự dựng lại và tải lại trang khi tệp thay đổi (preview on this
    /// computer; rebuilds and reloads the page when files change)
    #[command(after_help = SERVE_HELP)]
    Serve {
        /// Thư mục nội dung; mặc định ./content nếu có site.yaml, không thì thư mục hiện tại
        /// (content folder; default ./content if it has site.yaml, else the current folder)
        #[arg(value_name = "CONTENT")]
        content: Option<PathBuf>,
        /// Cổng; 0 = tự chọn cổng trống (port; 0 picks a free one)
        #[arg(short, long, default_value_t = crate::commands::serve::DEFAULT_PORT)]
        port: u16,
        /// Địa chỉ lắng nghe; mặc định chỉ máy này. 0.0.0.0 cho mọi máy trong mạng (address to
        /// listen on; default this computer only, 0.0.0.0 for the whole network)
        #[arg(long, default_value = "127.0.0.1", value_name = "ADDR")]
        bind: std::net::IpAddr,
    },
}

/// `camnang records …`.
#[derive(Debug, Subcommand)]
pub enum RecordsAction {
    /// Tải bản ghi mới nhất của từng thủ tục (có portal.formality_id) vào records/ qua mạng, và
    /// cho biết điều gì đã đổi (download each procedure's current record into records/ and say
    /// what changed)
    #[command(after_help = FETCH_HELP)]
    Fetch {
        /// Chỉ các thủ tục có mã này (only the procedures with these codes)
        #[arg(value_name = "MÃ")]
        codes: Vec<String>,
        /// Thư mục nội dung; mặc định ./content nếu có site.yaml, không thì thư mục hiện tại
        /// (content folder; default ./content if it has site.yaml, else the current folder)
        #[arg(long, value_name = "CONTENT")]
        content: Option<PathBuf>,
        #[command(flatten)]
        net: NetArgs,
    },
}

/// Shown under `camnang records fetch --help`.
pub const FETCH_HELP: &str = "\
Dùng mạng (build, check không bao giờ dùng). Theo HTTPS_PROXY, HTTP_PROXY, NO_PROXY. Câu trả lời
hỏng (lỗi HTTP, HTML, JSON bị cắt, bản ghi của thủ tục khác) không bao giờ ghi đè bản ghi đã lưu.
Địa chỉ API: records.api_url trong site.yaml. Mã thoát 1 khi có thủ tục tải lỗi.

Ví dụ:
  camnang records fetch              mọi thủ tục có portal.formality_id
  camnang records fetch 1.001193     chỉ thủ tục này";

/// Shown under `camnang records fetch --help` (English).
pub const FETCH_HELP_EN: &str = "\
Uses the network (build and check never do). Honours HTTPS_PROXY, HTTP_PROXY, NO_PROXY. A bad
answer (an HTTP error, HTML, truncated JSON, another procedure's record) never replaces a saved
record. The API address: records.api_url in site.yaml. Exit code 1 when a record failed.

Examples:
  camnang records fetch              every procedure with a portal.formality_id
  camnang records fetch 1.001193     only this procedure";

/// How the online commands reach the network.
#[derive(Debug, clap::Args)]
pub struct NetArgs {
    /// Số giây chờ mỗi yêu cầu, kể cả lúc kết nối (seconds to wait for each request)
    #[arg(long, default_value = "30", value_name = "GIÂY", value_parser = seconds)]
    pub timeout: std::time::Duration,
    /// Số giây chờ kết nối (seconds to wait for a connection)
    #[arg(long, default_value = "10", value_name = "GIÂY", value_parser = seconds)]
    pub connect_timeout: std::time::Duration,
    /// Số yêu cầu cùng lúc (requests at the same time)
    #[arg(long, default_value_t = 4, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=16))]
    pub jobs: u16,
    /// Gửi yêu cầu tới nguồn FROM sang TO, cho thử nghiệm hoặc bản sao của cổng (send the
    /// requests for origin FROM to TO, for tests or a mirror of the portal)
    #[arg(long, hide = true, value_name = "FROM=TO", value_parser = parse_map)]
    pub map_origin: Vec<(url::Url, url::Url)>,
}

/// Shown under `camnang links --help` (Vietnamese).
pub const LINKS_HELP: &str = "\
Lệnh duy nhất dùng mạng (build, check, serve không bao giờ dùng). Theo HTTPS_PROXY, HTTP_PROXY,
NO_PROXY. Mã QR bị chuyển hướng ra ngoài portal.allowed_hosts là lỗi. Mã thoát 1 khi có mã QR lỗi.

Ví dụ:
  camnang links                      kiểm tra thư mục nội dung, ghi links.yaml vào đó
  camnang links --timeout 60         chờ mỗi trang tới 60 giây (mạng chậm)
  camnang links --lang en            bảng lỗi bằng tiếng Anh";

/// Shown under `camnang links --help` (English).
pub const LINKS_HELP_EN: &str = "\
The only command that uses the network (build, check and serve never do). Honours HTTPS_PROXY,
HTTP_PROXY and NO_PROXY. A QR link redirected outside portal.allowed_hosts fails. Exit code 1 when
a QR link fails.

Examples:
  camnang links                      check the content folder, write links.yaml into it
  camnang links --timeout 60         wait up to 60 s for each page (slow network)
  camnang links --lang vi            the table in Vietnamese";

/// Parses `FROM=TO` of `--map-origin` into two origins.
pub fn parse_map(s: &str) -> Result<(url::Url, url::Url), String> {
    let (from, to) = s.split_once('=').ok_or_else(|| {
        format!("expected FROM=TO, e.g. https://dichvucong.gov.vn=http://127.0.0.1:8080, not `{s}`")
    })?;
    let parse = |u: &str| url::Url::parse(u).map_err(|e| format!("`{u}`: {e}"));
    Ok((parse(from)?, parse(to)?))
}

/// A number of seconds above 0 (`--timeout 0.5`).
fn seconds(s: &str) -> Result<std::time::Duration, String> {
    match s.trim().parse::<f64>() {
        Ok(v) if v > 0.0 && v <= 3600.0 => Ok(std::time::Duration::from_secs_f64(v)),
        _ => Err("cần số giây từ 0 đến 3600, ví dụ 10 (seconds from 0 to 3600, e.g. 10)".into()),
    }
}

/// Shown under `camnang serve --help` (Vietnamese).
pub const SERVE_HELP: &str = "\
Trang xem trước chỉ nằm trong bộ nhớ, không ghi vào public/; lỗi nội dung hiện ngay trên trang.

Ví dụ:
  camnang serve                      xem trước thư mục nội dung tại http://127.0.0.1:8008/
  camnang serve content --port 0     chọn một cổng trống bất kỳ
  camnang serve --bind 0.0.0.0       cho máy khác trong mạng cùng xem
  camnang serve -v                   ghi ra từng lần dựng lại";

/// Shown under `camnang serve --help` (English).
pub const SERVE_HELP_EN: &str = "\
The preview lives in memory, nothing is written to public/; content errors show in the page.

Examples:
  camnang serve                      preview the content folder at http://127.0.0.1:8008/
  camnang serve content --port 0     any free port
  camnang serve --bind 0.0.0.0       let other computers on the network see it
  camnang serve -v                   log each rebuild";

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
}

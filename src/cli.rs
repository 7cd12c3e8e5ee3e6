//! Command-line interface: subcommands and flags, no logic.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::i18n::Lang;

const AFTER_HELP: &str = "\
Ví dụ / Examples:
  camnang build                      dựng trang từ content/ vào public/ (build content/ into public/)
  camnang build content -o /media/usb/camnang
  camnang check --strict             kiểm tra nội dung, coi cảnh báo là lỗi (warnings fail)
  camnang build --lang en            trang và thông báo bằng tiếng Anh (English pages and messages)";

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
        /// Thư mục nội dung (content folder)
        #[arg(default_value = "content")]
        content: PathBuf,
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
    },
    /// Kiểm tra nội dung, không ghi gì (check the content without writing anything)
    Check {
        /// Thư mục nội dung (content folder)
        #[arg(default_value = "content")]
        content: PathBuf,
        /// Coi cảnh báo là lỗi (warnings are errors)
        #[arg(long)]
        strict: bool,
        /// Định dạng kết quả (output format)
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
    /// Xem trước trên máy này, tự dựng lại và tải lại trang khi tệp thay đổi (preview on this
    /// computer; rebuilds and reloads the page when files change)
    #[command(after_help = SERVE_HELP)]
    Serve {
        /// Thư mục nội dung (content folder)
        #[arg(default_value = "content")]
        content: PathBuf,
        /// Cổng; 0 = tự chọn cổng trống (port; 0 picks a free one)
        #[arg(short, long, default_value_t = crate::serve::DEFAULT_PORT)]
        port: u16,
        /// Địa chỉ lắng nghe; mặc định chỉ máy này. 0.0.0.0 cho mọi máy trong mạng (address to
        /// listen on; default this computer only, 0.0.0.0 for the whole network)
        #[arg(long, default_value = "127.0.0.1", value_name = "ADDR")]
        bind: std::net::IpAddr,
    },
}

const SERVE_HELP: &str = "\
Trang xem trước chỉ nằm trong bộ nhớ, không ghi vào public/; lỗi nội dung hiện ngay trên trang.
(The preview lives in memory, nothing is written to public/; content errors show in the page.)

Ví dụ / Examples:
  camnang serve                      xem trước content/ tại http://127.0.0.1:8008/
  camnang serve content --port 0     cổng trống bất kỳ (any free port)
  camnang serve --bind 0.0.0.0       cho máy khác trong mạng xem (let other computers see it)
  camnang serve -v --lang en         ghi từng lần dựng lại (log rebuilds)";

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
}

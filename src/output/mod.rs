//! The output stage: rendered files → disk. [`staging`] writes a build beside the output
//! folder and swaps it in (nothing changes on a failed build), [`pdf`] prints the
//! printables with a local Chromium, [`zip`] packs the kiosk for a USB stick.

pub mod pdf;
pub mod staging;
pub mod zip;

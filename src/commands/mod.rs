//! The commands: each one drives the stages below it. `main.rs` parses the arguments
//! ([`cli`], [`help`]) and calls one of these.

pub mod build;
pub mod check;
pub mod cli;
pub mod help;
pub mod import;
pub mod links;
pub mod offices;
pub mod online;
pub mod project;
pub mod records;
pub mod report;
pub mod scaffold;
pub mod serve;

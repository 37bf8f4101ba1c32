//! Integration tests: the real `tm` binary on real files, and the library on the same files.
//!
//! One test binary with topic modules (it links once, which matters on two cores).

mod support;

mod align;
mod bad_input;
mod browser;
mod concurrency;
mod config;
mod damaged;
mod disk_full;
mod edit;
mod files;
mod import_export;
mod install;
mod matching;
mod names;
mod props;
mod serve;
mod translit;
mod upkeep;
mod xliff;

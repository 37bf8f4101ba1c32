//! `tm`: a translation memory for people who translate Arabic media into English.
//!
//! The library holds everything; the `tm` binary is a thin layer over [`run`], the command line, which
//! is private, with what only it needs (how right-to-left text is shown in a terminal, where an output
//! file goes without harming the user's files): what other programs build on is the modules below.
//!
//! - [`align`]: sentence alignment of a document with its translation.
//! - [`unit`](mod@unit): the translation unit every format reads into and the store keeps.
//! - [`formats`]: TMX 1.4b, TSV and CSV readers and writers.
//! - [`store`]: the SQLite memory: open, import in one transaction from files or any stream, add, walk.
//! - [`text`]: the bottom layer: folding and the one word rule (stored text never changes).
//! - [`fuzzy`]: fuzzy lookup with diffs and suggestions.
//! - [`names`]: the name authority, the check of translations against it, transliteration.
//! - [`segment`]: sentence splitting.
//!
//! ARCHITECTURE.md is the map of how these fit together; `examples/` shows each in use.

// Every public item says what it is for: the library is used without the command line.
#![warn(missing_docs)]

pub mod align;
mod cli;
mod commands;
mod config;
mod display;
pub mod formats;
pub mod fuzzy;
pub mod names;
mod output;
mod serve;
pub mod segment;
pub mod store;
pub mod text;
pub mod unit;

pub use cli::run;

/// What the benchmarks measure that is not the library's API, in one place: no promise that it stays.
#[doc(hidden)]
pub mod internals {
    pub use crate::fuzzy::search::{exhaustive, Query};
    pub use crate::names::translit::{allah_compounds, learned_text};
}

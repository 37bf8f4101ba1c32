//! `tm`: a translation memory for people who translate Arabic media into English.
//!
//! The library holds everything; the `tm` binary is a thin layer over [`run`], the command line, which
//! is private, with what only it needs (how right-to-left text is shown in a terminal, where an output
//! file goes without harming the user's files): what other programs build on is the modules below.
//!
//! - [`align`]: sentence alignment of a document with its translation.
//! - [`unit`](mod@unit): the translation unit every format reads into and the store keeps.
//! - [`formats`]: TMX 1.4b, TSV and CSV readers and writers.
//! - [`store`]: the SQLite memory: schema, import in one transaction, upkeep.
//! - [`text`]: the bottom layer: folding, words, clitics, skeletons (stored text never changes).
//! - [`fuzzy`]: fuzzy lookup, concordance, suggestions.
//! - [`segment`]: sentence splitting.

pub mod align;
mod cli;
mod commands;
mod display;
pub mod formats;
pub mod fuzzy;
pub mod names;
mod output;
pub mod segment;
pub mod store;
pub mod text;
pub mod unit;

pub use cli::run;

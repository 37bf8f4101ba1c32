//! `tm`: a translation memory for people who translate Arabic media into English.
//!
//! The library holds everything; the `tm` binary is a thin layer over [`cli::run`].
//!
//! - [`align`]: sentence alignment of a document with its translation.
//! - [`unit`]: the translation unit every format reads into and the store keeps.
//! - [`formats`]: TMX 1.4b, TSV and CSV readers and writers.
//! - [`store`]: the SQLite memory: schema, import in one transaction, upkeep.
//! - [`text`]: the bottom layer: folding, words, clitics, skeletons (stored text never changes).
//! - [`fuzzy`]: fuzzy lookup, concordance, suggestions.
//! - [`segment`]: sentence splitting.
//! - [`display`]: right-to-left text in terminals, tables.
//! - [`output`]: where a command's output file goes, without harming the user's files.
//! - [`cli`] and [`commands`]: the command line.

pub mod align;
pub mod cli;
pub mod commands;
pub mod display;
pub mod formats;
pub mod fuzzy;
pub mod names;
pub mod output;
pub mod segment;
pub mod store;
pub mod text;
pub mod unit;

//! Two things done once at build time rather than at every start of `tm`.
//!
//! Aligning a folder of articles runs `tm align` once per document pair, so a process's start-up is
//! part of the alignment speed (BENCHMARKS.md, "Start-up").
//!
//! - The `tm` binary is linked as a position-dependent executable on Linux. A position-independent
//!   `tm` spends about a quarter of a millisecond of every start relocating some 19,000 pointers
//!   (SQLite's, encoding_rs's and Rust's tables) and copying the pages they sit in. The objects stay
//!   position-independent code; only the executable is placed at a fixed address. Shared libraries,
//!   heap and stack are still randomised; tm reads local files and opens no sockets.
//! - The first word of every Arabic form of the shipped names (`tm/names.tsv`), folded and cut by the
//!   text layer (`src/text`, compiled into this script as it stands), is
//!   written out as a table with each line's place in the file: one `tm align` reads only the names
//!   whose first word its document has, and normalizing the 600 forms to find out took as long as
//!   aligning a short document.

// The text layer as it stands, so that the shipped names are folded and cut exactly as `tm` folds and
// cuts text at run time. It uses nothing of `tm` but itself (its module doc says so) and no crate but
// unicode-normalization, which is why it can be compiled here on its own.
#[allow(dead_code, unused_imports)]
#[path = "src/text/mod.rs"]
mod text;

use std::fmt::Write as _;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=src/text");
    println!("cargo:rerun-if-changed=tm/names.tsv");
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
    shipped_first_words();
}

/// `$OUT_DIR/shipped_first_words.rs`: for each line of `tm/names.tsv` (as `str::lines` cuts them), its
/// byte range and the first word of each form of its Arabic cell, `None` for a form with no word, and
/// after it the first word the form has when its words are typed joined (حزبالله), if it has one.
fn shipped_first_words() {
    let names = std::fs::read_to_string("tm/names.tsv").expect("tm/names.tsv is readable");
    let mut table = String::from("&[\n");
    let mut start = 0;
    for piece in names.split_inclusive('\n') {
        let line = piece.strip_suffix('\n').unwrap_or(piece);
        let line = line.strip_suffix('\r').unwrap_or(line);
        let arabic = line.split('\t').next().unwrap_or("");
        write!(table, "    ({start}, {}, &[", start + line.len()).unwrap();
        for form in arabic.split('|') {
            match text::first_word(form) {
                Some(word) => write!(table, "Some({word:?}), ").unwrap(),
                None => table.push_str("None, "),
            }
            if let Some(joined) = text::joined_first_word(form) {
                write!(table, "Some({joined:?}), ").unwrap();
            }
        }
        table.push_str("]),\n");
        start += piece.len();
    }
    table.push_str("]\n");
    let out = std::path::Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"))
        .join("shipped_first_words.rs");
    std::fs::write(out, table).expect("OUT_DIR is writable");
}

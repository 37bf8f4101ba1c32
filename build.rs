//! Links the `tm` binary as a position-dependent executable on Linux.
//!
//! Aligning a folder of articles runs `tm align` once per document pair, so a process's start-up is
//! part of the alignment speed. A position-independent `tm` spends about a quarter of a millisecond of
//! every start relocating some 19,000 pointers (SQLite's, encoding_rs's and Rust's tables) and copying
//! the pages they sit in: a fifth of `tm --version`, and as much as aligning a short document takes
//! (BENCHMARKS.md, "Start-up"). The objects stay position-independent code; only the executable is
//! placed at a fixed address. Shared libraries, heap and stack are still randomised; tm reads local
//! files and opens no sockets.
fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
}

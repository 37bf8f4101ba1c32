//! What the file-reading targets share: the input goes to a file, because the readers take paths (and the
//! encoding sniffing and transcoding are part of what is fuzzed).

use std::path::PathBuf;

/// A file of this process's own in a RAM-backed folder when there is one, rewritten for every input.
pub fn input_file(name: &str, data: &[u8]) -> PathBuf {
    let dir = ["/dev/shm", "/tmp"]
        .iter()
        .map(PathBuf::from)
        .find(|d| d.is_dir())
        .unwrap_or_else(std::env::temp_dir);
    let path = dir.join(format!("tm-fuzz-{}-{name}", std::process::id()));
    std::fs::write(&path, data).expect("write the input file");
    path
}

//! Realistic bulk data for benchmarks, generated in the benchmark itself.
//!
//! Words and sentence lengths come from the real Arabic–English news in `../shared/data/parallel/ntrex`
//! (unigram sampling: frequent words come up as often as in real text). Without `../shared`, the words of
//! `tm/sample.tmx` are used instead, and the benchmark says so.

#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

/// A deterministic pseudo-random stream (SplitMix64): benchmark data must be the same on every run.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }
}

/// Word streams and sentence lengths of real text in both languages.
pub struct Corpus {
    pub arabic_words: Vec<String>,
    pub english_words: Vec<String>,
    /// (Arabic words, English words) of each real sentence pair.
    pub lengths: Vec<(usize, usize)>,
    pub source: String,
}

pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

impl Corpus {
    pub fn load() -> Corpus {
        let ntrex = repo_root().join("../shared/data/parallel/ntrex");
        let ar = std::fs::read_to_string(ntrex.join("newstest2019-ref.arb.txt"));
        let en = std::fs::read_to_string(ntrex.join("newstest2019-src.eng.txt"));
        if let (Ok(ar), Ok(en)) = (ar, en) {
            return Corpus::from_lines(
                ar.lines().collect(),
                en.lines().collect(),
                format!("{} (NTREX-128 word statistics)", ntrex.display()),
            );
        }
        eprintln!(
            "note: {} is missing; generating from the words of tm/sample.tmx instead \
             (figures are not comparable with BENCHMARKS.md)",
            ntrex.display()
        );
        let units = tm::formats::open_units(
            &repo_root().join("tm/sample.tmx"),
            tm::formats::Format::Tmx,
            &tm::formats::ReadOptions::new("ar", "en"),
        )
        .expect("tm/sample.tmx")
        .map(|u| u.expect("sample unit"))
        .collect::<Vec<_>>();
        let ar: Vec<&str> = units.iter().map(|u| u.source.text.as_str()).collect();
        let en: Vec<&str> = units.iter().map(|u| u.target.text.as_str()).collect();
        Corpus::from_lines(ar, en, "tm/sample.tmx".into())
    }

    fn from_lines(ar: Vec<&str>, en: Vec<&str>, source: String) -> Corpus {
        let words = |lines: &[&str]| -> Vec<String> {
            lines
                .iter()
                .flat_map(|l| l.split_whitespace())
                .map(str::to_string)
                .collect()
        };
        let lengths = ar
            .iter()
            .zip(&en)
            .map(|(a, e)| {
                (
                    a.split_whitespace().count().max(1),
                    e.split_whitespace().count().max(1),
                )
            })
            .collect();
        Corpus {
            arabic_words: words(&ar),
            english_words: words(&en),
            lengths,
            source,
        }
    }

    /// A sentence of `n` words drawn from `words`.
    pub fn sentence(words: &[String], n: usize, rng: &mut Rng) -> String {
        let mut s = String::with_capacity(n * 7);
        for i in 0..n {
            if i > 0 {
                s.push(' ');
            }
            s.push_str(&words[rng.below(words.len())]);
        }
        s
    }

    /// The i-th generated pair: real sentence lengths, words drawn by frequency.
    pub fn pair(&self, rng: &mut Rng) -> (String, String) {
        let (a, e) = self.lengths[rng.below(self.lengths.len())];
        (
            Corpus::sentence(&self.arabic_words, a, rng),
            Corpus::sentence(&self.english_words, e, rng),
        )
    }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Writes a TMX of `units` generated pairs (as a CAT tool would: dates, tuid, one prop) unless it exists.
pub fn generate_tmx(path: &Path, units: usize, corpus: &Corpus) -> std::io::Result<()> {
    if path.exists() {
        return Ok(());
    }
    let tmp = path.with_extension("partial");
    let mut out = std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(&tmp)?);
    writeln!(
        out,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<tmx version=\"1.4\">"
    )?;
    writeln!(out, "<header creationtool=\"bench\" creationtoolversion=\"1\" segtype=\"sentence\" o-tmf=\"bench\" adminlang=\"en\" srclang=\"ar\" datatype=\"plaintext\"/>\n<body>")?;
    let mut rng = Rng::new(13);
    for i in 0..units {
        let (ar, en) = corpus.pair(&mut rng);
        writeln!(
            out,
            "<tu tuid=\"{i}\" creationdate=\"20240925T101500Z\" creationid=\"bench\">\n  <prop type=\"x-origin\">doc-{}</prop>\n  <tuv xml:lang=\"ar\"><seg>{}</seg></tuv>\n  <tuv xml:lang=\"en\"><seg>{}</seg></tuv>\n</tu>",
            i / 40,
            escape(&ar),
            escape(&en)
        )?;
    }
    writeln!(out, "</body>\n</tmx>")?;
    out.flush()?;
    drop(out);
    std::fs::rename(tmp, path)
}

/// The `units`-unit TMX of [`generate_tmx`] (made once, under `target/bench-data`) imported fresh,
/// with its word index, by the real binary `tm` into `target/bench-data/{name}-{units}.db`: the
/// memory's path and the import's time in seconds.
pub fn imported_memory(tm: &str, name: &str, units: usize, corpus: &Corpus) -> (PathBuf, f64) {
    let data = repo_root().join("target/bench-data");
    std::fs::create_dir_all(&data).unwrap();
    let tmx = data.join(format!("units-{units}.tmx"));
    generate_tmx(&tmx, units, corpus).unwrap();
    let db = data.join(format!("{name}-{units}.db"));
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
    }
    let started = Instant::now();
    let status = Command::new(tm)
        .arg("--db")
        .arg(&db)
        .arg("import")
        .arg(&tmx)
        .stdout(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    (db, started.elapsed().as_secs_f64())
}

/// `text` percent-encoded for a URL's query: every byte but unreserved ASCII.
pub fn percent_encode(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// Writes the same units as [`generate_tmx`] as an XLIFF 1.2 file a CAT tool could have written: one
/// `<file>` per document of 40 segments (its `original` the origin), every target `translated`.
pub fn generate_xliff(path: &Path, units: usize, corpus: &Corpus) -> std::io::Result<()> {
    if path.exists() {
        return Ok(());
    }
    let tmp = path.with_extension("partial");
    let mut out = std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(&tmp)?);
    writeln!(
        out,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<xliff version=\"1.2\" xmlns=\"urn:oasis:names:tc:xliff:document:1.2\">"
    )?;
    let mut rng = Rng::new(13);
    for i in 0..units {
        if i % 40 == 0 {
            if i > 0 {
                writeln!(out, "</body></file>")?;
            }
            writeln!(out, "<file original=\"doc-{}\" source-language=\"ar\" target-language=\"en\" datatype=\"plaintext\"><body>", i / 40)?;
        }
        let (ar, en) = corpus.pair(&mut rng);
        writeln!(
            out,
            "<trans-unit id=\"{i}\">\n  <source>{}</source>\n  <target state=\"translated\">{}</target>\n</trans-unit>",
            escape(&ar),
            escape(&en)
        )?;
    }
    if units > 0 {
        writeln!(out, "</body></file>")?;
    }
    writeln!(out, "</xliff>")?;
    out.flush()?;
    drop(out);
    std::fs::rename(tmp, path)
}

/// A stored segment with `edits` word edits (a word replaced by a corpus word, dropped, inserted, or
/// a conjunction glued on): the queries of the lookup and serve benchmarks.
pub fn edit(text: &str, edits: usize, corpus: &Corpus, rng: &mut Rng) -> String {
    let mut words: Vec<String> = text.split_whitespace().map(str::to_string).collect();
    for _ in 0..edits {
        if words.is_empty() {
            break;
        }
        let i = rng.below(words.len());
        match rng.below(4) {
            0 => words[i] = corpus.arabic_words[rng.below(corpus.arabic_words.len())].clone(),
            1 if words.len() > 2 => {
                words.remove(i);
            }
            2 => words.insert(
                i,
                corpus.arabic_words[rng.below(corpus.arabic_words.len())].clone(),
            ),
            _ => words[i] = format!("و{}", words[i]),
        }
    }
    words.join(" ")
}

/// A whole number from the environment (`TM_BENCH_UNITS`), else `default`.
pub fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Median of a list of seconds.
pub fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(|a, b| a.total_cmp(b));
    xs[xs.len() / 2]
}

/// Runs a command to completion and returns (seconds, peak resident memory in MiB).
pub fn measure(cmd: &mut Command) -> (f64, f64) {
    measure_exiting(cmd, &[0])
}

/// [`measure`] for a command whose exit status may be any of `ok` (`tm check` exits 1 when it finds
/// something).
pub fn measure_exiting(cmd: &mut Command, ok: &[i32]) -> (f64, f64) {
    let started = Instant::now();
    // Reaped by wait4 below: std's wait cannot report the child's peak memory.
    #[allow(clippy::zombie_processes)]
    let child = cmd.spawn().expect("spawn tm");
    let mut status = 0;
    // SAFETY: an all-zero rusage is a valid value, and wait4 only writes into it.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: waiting on our own child's pid; the pointers are to live locals.
    let pid = unsafe { libc::wait4(child.id() as libc::pid_t, &mut status, 0, &mut usage) };
    let secs = started.elapsed().as_secs_f64();
    assert!(
        pid > 0 && libc::WIFEXITED(status) && ok.contains(&libc::WEXITSTATUS(status)),
        "tm failed: {cmd:?}"
    );
    (secs, usage.ru_maxrss as f64 / 1024.0)
}

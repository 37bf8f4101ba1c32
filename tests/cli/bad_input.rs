//! Broken and hostile input: a clear error naming file, line and column, exit code 2, memory unchanged.

use predicates::str::contains;

use crate::support::{fixture, fixture_str, Sandbox};
#[cfg(unix)]
use crate::support::{give_to_nobody, Unprivileged};

/// A sandbox whose memory already holds the sample, to show that failures leave it as it was.
fn with_sample() -> Sandbox {
    let s = Sandbox::new();
    s.ok(&["import", &fixture_str("tm/sample.tmx")]);
    s
}

#[test]
fn each_bad_file_fails_with_its_position_and_changes_nothing() {
    let cases = [
        ("truncated.tmx", "truncated.tmx:7:79: the file ends inside <seg> (truncated?)"),
        ("not_xml.tmx", "not_xml.tmx:1:1: not a TMX file"),
        ("empty.tmx", "empty.tmx:1:1: the file is empty"),
        ("empty_segment.tmx", "empty_segment.tmx:8:1: unit \"empty-arabic\" has an empty ar segment"),
        ("other_languages.tmx", "other_languages.tmx: no unit has both ar and en (units have en+fr); --src and --tgt pick the pair"),
        ("billion_laughs.tmx", "billion_laughs.tmx:12:29: entity &lol9; is not one of XML's five"),
        ("external_entity.tmx", "external_entity.tmx:8:29: entity &secret; is not one of XML's five"),
        ("cp1256_undeclared.tmx", "cp1256_undeclared.tmx:5:29: not valid UTF-8"),
        ("cp1256.tsv", "cp1256.tsv:1:1: not valid UTF-8 (if this is a legacy Arabic file, pass --encoding windows-1256"),
        ("ragged.tsv", "ragged.tsv:2:1: the row has one column"),
        ("unclosed.tmx", "unclosed.tmx:6:89: not well-formed XML: expected `</tuv>`, but `</tu>` was found"),
        ("nul.tmx", "nul.tmx:5:32: a NUL character (U+0000): this is not a text file, or it is UTF-16 without a byte-order mark"),
        ("nul.tsv", "nul.tsv:3:16: a NUL character (U+0000)"),
        ("invalid_utf8.tsv", "invalid_utf8.tsv:3:5: not valid UTF-8"),
        ("empty.tsv", "empty.tsv:1:1: the file is empty"),
        ("blank.csv", "blank.csv:1:1: the file has only blank lines"),
        ("quoted_tab.tsv", "quoted_tab.tsv:3:1: the row looks like a quoted field with a tab in it; TSV has no quoting"),
    ];
    let s = with_sample();
    let before = s.units();
    for (file, message) in cases {
        s.run(&[
            "import",
            &fixture_str(&format!("tests/fixtures/bad/{file}")),
        ])
        .stderr_has("error: ")
        .fails_with(message);
        assert_eq!(s.units(), before, "{file} changed the memory");
    }
}

#[test]
fn a_bad_second_file_rolls_back_the_first() {
    let s = with_sample();
    let tico = fixture_str("tests/fixtures/tico19/all.en-ar.tmx");
    s.fails_with(
        &[
            "import",
            &tico,
            &fixture_str("tests/fixtures/bad/truncated.tmx"),
        ],
        "truncated.tmx:7:79",
    );
    assert_eq!(
        s.segments(),
        133,
        "TICO-19 units were kept although the import failed"
    );
}

#[test]
fn skip_invalid_imports_the_good_units_and_says_where_the_bad_ones_were() {
    let s = Sandbox::new();
    let report = s.json(&[
        "import",
        &fixture_str("tests/fixtures/bad/empty_segment.tmx"),
        "--skip-invalid",
        "--json",
    ]);
    assert_eq!(report["added"], 3);
    assert_eq!(report["skipped"], 1);
    assert_eq!(report["skipped_units"][0]["line"], 8);
    assert_eq!(report["skipped_units"][0]["col"], 1);
    let s = Sandbox::new();
    s.run(&[
        "import",
        &fixture_str("tests/fixtures/bad/ragged.tsv"),
        "--skip-invalid",
    ])
    .stdout_has("imported 2 units")
    .stdout_has("1 skipped")
    .stderr_has("skipped: ")
    .stderr_has("ragged.tsv:2:1")
    .ok();
    // The unnamed third column is kept as a property, not dropped.
    let units = s.units();
    assert_eq!(units[1].meta.annotations[0].attr("type"), Some("column3"));
}

#[test]
fn entities_are_neither_expanded_nor_read() {
    let s = Sandbox::new();
    // Refused at the first use of a declared entity, by name: nothing was expanded (an expansion of
    // 10^9 "lol"s would have run out of memory instead of reaching this message).
    let stderr = s
        .run(&[
            "import",
            &fixture_str("tests/fixtures/bad/billion_laughs.tmx"),
            "--skip-invalid",
        ])
        .fails();
    assert!(
        stderr.contains("billion_laughs.tmx:12:29") && stderr.contains("&lol9;"),
        "{stderr}"
    );
    assert!(!s.db().exists() || s.segments() == 0);
    s.fails_with(
        &[
            "import",
            &fixture_str("tests/fixtures/bad/external_entity.tmx"),
            "--skip-invalid",
        ],
        "&secret;",
    );
}

#[test]
fn windows_1256_is_decoded_when_declared_or_given() {
    let s = Sandbox::new();
    s.ok(&[
        "import",
        &fixture_str("tests/fixtures/bad/cp1256_declared.tmx"),
    ]);
    assert_eq!(s.units()[0].source.text, "مزارع الميادين");
    let s = Sandbox::new();
    s.ok(&[
        "import",
        &fixture_str("tests/fixtures/bad/cp1256_undeclared.tmx"),
        "--encoding",
        "windows-1256",
    ]);
    s.ok(&[
        "import",
        &fixture_str("tests/fixtures/bad/cp1256.tsv"),
        "--encoding",
        "cp1256",
    ]);
    let texts: Vec<String> = s.units().into_iter().map(|u| u.source.text).collect();
    assert_eq!(texts, ["مزارع الميادين", "عصائب أهل الحق"]);
    let err = s.run(&["import", "x.tsv", "--encoding", "klingon"]).fails();
    assert!(err.contains("x.tsv") || err.contains("klingon"), "{err}");
}

#[test]
fn utf16_tsv_without_bom_is_read() {
    let s = Sandbox::new();
    let path = s.path("utf16.tsv");
    let bytes: Vec<u8> = "البوكمال\tAl-Bukamal\n"
        .encode_utf16()
        .flat_map(|u| u.to_le_bytes())
        .collect();
    std::fs::write(&path, bytes).unwrap();
    s.ok(&["import", path.to_str().unwrap()]);
    assert_eq!(s.units()[0].target.text, "Al-Bukamal");
}

#[test]
fn a_file_that_is_not_a_memory_is_named() {
    let s = Sandbox::new();
    std::fs::write(s.db(), "حزب الله\tHizbullah\n".repeat(200)).unwrap();
    s.fails_with(&["stats"], "is not a tm memory");
    s.fails_with(
        &["import", &fixture_str("tm/sample.tmx")],
        "is not a tm memory",
    );
}

#[test]
fn a_memory_from_a_newer_tm_is_refused() {
    let s = with_sample();
    let conn = rusqlite::Connection::open(s.db()).unwrap();
    conn.pragma_update(None, "user_version", 99).unwrap();
    drop(conn);
    for args in [
        vec!["stats"],
        vec!["add", "--source", "القائم", "--target", "Al-Qa'im"],
    ] {
        s.fails_with(&args, "written by a newer tm (schema version 99");
    }
}

#[test]
fn unknown_extension_asks_for_format() {
    let s = Sandbox::new();
    let path = s.path("memory.docx");
    std::fs::write(&path, "x").unwrap();
    s.fails_with(
        &["import", path.to_str().unwrap()],
        "memory.docx: cannot tell the format",
    );
}

#[test]
fn a_failed_first_import_leaves_no_memory_behind() {
    let s = Sandbox::new();
    s.run(&["import", &fixture_str("tests/fixtures/bad/truncated.tmx")])
        .fails();
    assert!(!s.db().exists(), "an empty memory was left behind");
}

#[test]
fn another_programs_sqlite_file_is_neither_used_nor_changed() {
    let s = Sandbox::new();
    let conn = rusqlite::Connection::open(s.db()).unwrap();
    conn.execute_batch("CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('mine');")
        .unwrap();
    drop(conn);
    let before = std::fs::read(s.db()).unwrap();
    for args in [vec!["stats"], vec!["import", &fixture_str("tm/sample.tmx")]] {
        s.fails_with(&args, "is not a tm memory");
    }
    assert_eq!(std::fs::read(s.db()).unwrap(), before);
    assert!(!s.path("memory.db-wal").exists());
}

#[test]
fn malformed_utf16_is_located_at_the_bad_character() {
    let s = Sandbox::new();
    let text = "<?xml version=\"1.0\"?>\n<tmx version=\"1.4\"><header/><body>\n<tu><tuv xml:lang=\"ar\"><seg>ab";
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(text.encode_utf16().flat_map(|u| u.to_le_bytes()));
    bytes.extend([0x00, 0xD8]); // a lone high surrogate
    bytes.extend(
        "c</seg></tuv></tu></body></tmx>"
            .encode_utf16()
            .flat_map(|u| u.to_le_bytes()),
    );
    let path = s.path("surrogate.tmx");
    std::fs::write(&path, bytes).unwrap();
    s.fails_with(
        &["import", path.to_str().unwrap()],
        "surrogate.tmx:3:31: malformed UTF-16LE",
    );
}

#[test]
fn units_with_foreign_markup_are_refused_and_a_second_body_is_an_error() {
    let s = Sandbox::new();
    let path = s.path("odd.tmx");
    std::fs::write(
        &path,
        "<tmx version=\"1.4\"><header/><body>\n<tu><tuv xml:lang=\"ar\"><seg>حزب <b>الله</b></seg></tuv><tuv xml:lang=\"en\"><seg>Hizbullah</seg></tuv></tu>\n<tu><tuv xml:lang=\"ar\"><seg>القائم</seg></tuv><tuv xml:lang=\"en\"><seg>Al-Qa'im</seg></tuv></tu>\n</body></tmx>",
    )
    .unwrap();
    s.fails_with(
        &["import", path.to_str().unwrap()],
        "odd.tmx:2:5: unit: <b> in a segment is not TMX inline markup",
    );
    s.ok(&["import", path.to_str().unwrap(), "--skip-invalid"]);
    assert_eq!(s.units().len(), 1, "the next unit is read whole");

    let two = s.path("two.tmx");
    std::fs::write(
        &two,
        "<tmx version=\"1.4\"><header/><body></body>\n<body><tu><tuv xml:lang=\"ar\"><seg>القائم</seg></tuv><tuv xml:lang=\"en\"><seg>Al-Qa'im</seg></tuv></tu></body></tmx>",
    )
    .unwrap();
    s.fails_with(
        &["import", two.to_str().unwrap()],
        "two.tmx:2:1: <body> after </body>",
    );
}

#[test]
fn a_huge_usage_count_does_not_break_the_memory() {
    let s = Sandbox::new();
    let path = s.path("count.tmx");
    std::fs::write(
        &path,
        "<tmx version=\"1.4\"><header/><body><tu usagecount=\"4294967295\"><tuv xml:lang=\"ar\"><seg>القائم</seg></tuv><tuv xml:lang=\"en\"><seg>Al-Qa'im</seg></tuv></tu></body></tmx>",
    )
    .unwrap();
    for _ in 0..2 {
        s.ok(&["import", path.to_str().unwrap()]);
    }
    s.run(&["export", "-"])
        .stdout_has("usagecount=\"4294967295\"")
        .ok();
}

#[test]
fn csv_with_a_broken_quote_names_it() {
    let s = Sandbox::new();
    let path = s.path("broken.csv");
    std::fs::write(&path, "ar,en\nالقائم,Al-Qa'im\nحزب,\"unterminated\nc,d\n").unwrap();
    s.fails_with(
        &["import", path.to_str().unwrap()],
        "broken.csv:3:5: the quote opened here (record of line 3) is never closed",
    );
    assert!(!s.db().exists());
}

#[test]
fn utf16_tmx_without_bom_or_declaration_is_read() {
    let tmx =
        "<tmx version=\"1.4\"><header/><body><tu><tuv xml:lang=\"ar\"><seg>حزب الله</seg></tuv>\
               <tuv xml:lang=\"en\"><seg>Hizbullah</seg></tuv></tu></body></tmx>";
    for (name, bytes) in [
        (
            "le.tmx",
            tmx.encode_utf16()
                .flat_map(u16::to_le_bytes)
                .collect::<Vec<u8>>(),
        ),
        (
            "be.tmx",
            tmx.encode_utf16().flat_map(u16::to_be_bytes).collect(),
        ),
    ] {
        let s = Sandbox::new();
        let path = s.path(name);
        std::fs::write(&path, bytes).unwrap();
        s.ok(&["import", path.to_str().unwrap()]);
        assert_eq!(s.units()[0].source.text, "حزب الله", "{name}");
    }
}

/// External entities are neither expanded nor even opened: the entity names a FIFO, whose opening for
/// reading would block until a writer comes (none does), and a file whose content must appear nowhere.
#[cfg(unix)]
#[test]
fn external_entities_are_never_opened_wherever_they_are_used() {
    let s = with_sample();
    let before = s.units();
    let secret = s.path("secret.txt");
    std::fs::write(&secret, "TOPSECRET-4711").unwrap();
    let fifo = s.path("fifo");
    let c_path = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    assert_eq!(unsafe { libc::mkfifo(c_path.as_ptr(), 0o600) }, 0);
    let unit = |ar: &str, tu_attr: &str, note: &str| {
        format!(
            "<tu{tu_attr}>{note}<tuv xml:lang=\"ar\"><seg>{ar}</seg></tuv><tuv xml:lang=\"en\"><seg>x</seg></tuv></tu>"
        )
    };
    let uses = [
        ("segment", unit("&secret;&pipe;", "", ""), "<header/>"),
        (
            "attribute",
            unit("حزب", " tuid=\"&secret;&pipe;\"", ""),
            "<header/>",
        ),
        (
            "note",
            unit("حزب", "", "<note>&secret;&pipe;</note>"),
            "<header/>",
        ),
        (
            "header",
            unit("حزب", "", ""),
            "<header><note>&secret;&pipe;</note></header>",
        ),
        ("parameter entity", unit("حزب", "", ""), "<header/>"),
    ];
    for (case, body, header) in uses {
        let path = s.path("entities.tmx");
        std::fs::write(
            &path,
            format!(
                "<?xml version=\"1.0\"?>\n<!DOCTYPE tmx [\n<!ENTITY secret SYSTEM \"{}\">\n\
                 <!ENTITY pipe SYSTEM \"file://{}\">\n<!ENTITY % param SYSTEM \"{}\"> %param;\n]>\n\
                 <tmx version=\"1.4\">{header}<body>\n{body}\n</body></tmx>\n",
                secret.display(),
                fifo.display(),
                fifo.display()
            ),
        )
        .unwrap();
        for extra in [None, Some("--skip-invalid")] {
            let mut args = vec!["import", path.to_str().unwrap()];
            args.extend(extra);
            let out = s
                .tm(&args)
                .timeout(std::time::Duration::from_secs(60))
                .output()
                .unwrap();
            assert!(out.status.code().is_some(), "{case}: hung opening the FIFO");
            let all = [out.stdout, out.stderr].concat();
            assert!(
                !String::from_utf8_lossy(&all).contains("TOPSECRET"),
                "{case}"
            );
        }
        let exported = s.stdout(&["export", "-"]);
        assert!(
            !String::from_utf8_lossy(&exported).contains("TOPSECRET"),
            "{case}"
        );
    }
    // Entities in a segment or an attribute are refused; in a header or a DOCTYPE they are ignored.
    assert!(s.units().len() <= before.len() + 3);
    assert!(s
        .units()
        .iter()
        .all(|u| !u.source.text.contains("TOPSECRET")));
}

/// One segment of 10 MB of Arabic words (a million words, most of them distinct): imported, exported and
/// looked up without a blow-up. Import was quadratic in the distinct words of a segment (it did not
/// finish in two minutes), and a lookup of a long segment never found it, not even identical.
#[test]
fn a_ten_megabyte_segment_goes_in_and_out() {
    let s = with_sample();
    let mut seed = 0x9E37_79B9_7F4A_7C15u64;
    let mut words = Vec::new();
    let mut bytes = 0;
    while bytes < 10_000_000 {
        let len = 3 + (seed % 5) as usize;
        let word: String = (0..len)
            .map(|_| {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                char::from_u32(0x0628 + (seed % 18) as u32).unwrap()
            })
            .collect();
        bytes += word.len() + 1;
        words.push(word);
    }
    let long = words.join(" ");
    let path = s.path("long.tsv");
    std::fs::write(&path, format!("ar\ten\n{long}\tOne very long segment\n")).unwrap();
    let started = std::time::Instant::now();
    s.run(&["import", path.to_str().unwrap()])
        .timeout(std::time::Duration::from_secs(120))
        .ok();
    let exported = s.path("out.tsv");
    s.ok(&["export", exported.to_str().unwrap(), "--format", "tsv"]);
    let text = std::fs::read_to_string(&exported).unwrap();
    assert!(text.contains(&format!("{long}\tOne very long segment\n")));
    s.run(&["lookup", "--json", &words[..3].join(" ")])
        .timeout(std::time::Duration::from_secs(60))
        .ok();
    // A segment of 50,000 words, looked up as it is: found, exactly.
    let medium = words[..50_000].join(" ");
    let path = s.path("medium.tsv");
    std::fs::write(&path, format!("ar\ten\n{medium}\tA long segment\n")).unwrap();
    s.ok(&["import", path.to_str().unwrap()]);
    let found = s
        .run(&["lookup", "--json", "-"])
        .stdin(medium.clone())
        .timeout(std::time::Duration::from_secs(120))
        .ok();
    let found: serde_json::Value = serde_json::from_str(&found).unwrap();
    assert_eq!(found["matches"][0]["kind"], "exact");
    assert_eq!(found["matches"][0]["target"], "A long segment");
    eprintln!(
        "10 MB segment: import, export, lookups in {:?}",
        started.elapsed()
    );
}

/// A large file with one bad unit at its very end: nothing is stored, and the error names the line.
fn one_bad_unit_at_the_end(units: usize) {
    let s = with_sample();
    let before = s.units();
    let unit = |i: usize| {
        format!(
            "<tu><tuv xml:lang=\"ar\"><seg>أعلنت كتائب حزب الله استهداف الموقع رقم {i}</seg></tuv>\
             <tuv xml:lang=\"en\"><seg>Hizbullah Brigades announced they targeted position {i}</seg></tuv></tu>\n"
        )
    };
    let mut tmx = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<tmx version=\"1.4\">\n<header srclang=\"ar\"/>\n<body>\n");
    let mut tsv = String::from("ar\ten\n");
    for i in 0..units {
        tmx.push_str(&unit(i));
        tsv.push_str(&format!(
            "أعلنت كتائب حزب الله استهداف الموقع رقم {i}\tHizbullah Brigades announced they targeted position {i}\n"
        ));
    }
    tmx.push_str("<tu><tuv xml:lang=\"ar\"><seg> </seg></tuv><tuv xml:lang=\"en\"><seg>an English segment alone</seg></tuv></tu>\n</body>\n</tmx>\n");
    tsv.push_str("a source without its target\n");
    let (tmx_line, tsv_line) = (units + 5, units + 2);
    for (name, content, message) in [
        (
            "big.tmx",
            tmx,
            format!("big.tmx:{tmx_line}:5: unit has an empty ar segment"),
        ),
        (
            "big.tsv",
            tsv,
            format!("big.tsv:{tsv_line}:1: the row has one column"),
        ),
    ] {
        let path = s.path(name);
        std::fs::write(&path, content).unwrap();
        s.run(&["import", path.to_str().unwrap()])
            .timeout(std::time::Duration::from_secs(600))
            .fails_with(message);
        assert_eq!(s.units(), before, "{name} left units behind");
    }
}

#[test]
fn one_bad_unit_after_200_000_good_ones_stores_nothing() {
    one_bad_unit_at_the_end(200_000);
}

/// The million-unit file. `cargo test --test cli million -- --ignored`.
#[test]
#[ignore]
fn one_bad_unit_after_a_million_good_ones_stores_nothing() {
    one_bad_unit_at_the_end(1_000_000);
}

/// Another process holds the memory's write lock: a writer waits for it (the busy timeout,
/// `TM_BUSY_TIMEOUT`), and says the memory is busy when it does not come free in time. Writers used to
/// fail at once. Nothing here waits out a timeout: the lock is freed once the writer is seen waiting, or
/// held until the writer has given up.
#[test]
fn a_locked_memory_is_waited_for_then_reported_busy() {
    let s = with_sample();
    // In WAL mode, as every memory is once a command has written it (a first import leaves a rollback
    // journal), the lock keeps out writers only: a writer reads, then waits for the lock to write.
    // Writers that began with a read could not wait for it and failed at once.
    let lock = || {
        let conn = rusqlite::Connection::open(s.db()).unwrap();
        conn.pragma_update_and_check(None, "journal_mode", "WAL", |_| Ok(()))
            .unwrap();
        conn.execute_batch("BEGIN EXCLUSIVE").unwrap();
        conn
    };
    let unlock = |conn: rusqlite::Connection| conn.execute_batch("COMMIT").unwrap();

    #[cfg(target_os = "linux")]
    {
        // Freed while the writer waits for it: the writer goes on.
        let mut held = Some(lock());
        let add = ["add", "--source", "القائم", "--target", "Al-Qa'im"];
        let (status, err, waited) = watch(&s, &add, "1m", || unlock(held.take().unwrap()));
        if let Some(conn) = held {
            unlock(conn); // never seen waiting
        }
        assert!(waited, "the writer was never seen waiting: {err}");
        assert!(status.success(), "{err}");
        assert!(s.units().iter().any(|u| u.target.text == "Al-Qa'im"));

        // TM_BUSY_TIMEOUT=0: no wait at all.
        let held = lock();
        let add = ["add", "--source", "البوكمال", "--target", "Al-Bukamal"];
        let (status, err, waited) = watch(&s, &add, "0", || {});
        unlock(held);
        assert!(!waited, "the writer waited: {err}");
        assert!(
            status.code() == Some(2) && err.contains("memory.db is busy"),
            "{err}"
        );
    }
    #[cfg(not(target_os = "linux"))]
    eprintln!("skipped: seeing that a writer waits for the lock needs Linux's /proc");

    // Held until the writer gives up: it says the memory is busy, and changes nothing.
    let before = s.units();
    let held = lock();
    s.run(&[
        "import",
        &fixture_str("tests/fixtures/tico19/all.en-ar.tmx"),
        "--src",
        "ar",
        "--tgt",
        "en",
    ])
    .env("TM_BUSY_TIMEOUT", "100ms")
    .fails_with("memory.db is busy");
    unlock(held);
    assert_eq!(s.units(), before);
}

/// Runs `tm ARGS` with `TM_BUSY_TIMEOUT` to the end, watching it through Linux's /proc: `on_wait` runs
/// the first time it is seen waiting for a lock. Returns its exit status, its stderr, and whether it was
/// seen waiting.
#[cfg(target_os = "linux")]
fn watch(
    s: &Sandbox,
    args: &[&str],
    busy_timeout: &str,
    on_wait: impl FnOnce(),
) -> (std::process::ExitStatus, String, bool) {
    // Output to files, not pipes: a process blocked on a full pipe would look like one that waits.
    let (out, err) = (s.path("watched.out"), s.path("watched.err"));
    let mut child = s
        .process(args)
        .env("TM_BUSY_TIMEOUT", busy_timeout)
        .stdout(std::fs::File::create(&out).unwrap())
        .stderr(std::fs::File::create(&err).unwrap())
        .spawn()
        .unwrap();
    let db = s.db().canonicalize().unwrap();
    let mut on_wait = Some(on_wait);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if on_wait.is_some() && waits_for_a_lock(child.id(), &db) {
            on_wait.take().unwrap()();
        }
        std::thread::sleep(std::time::Duration::from_millis(1));
    };
    let stderr = std::fs::read_to_string(&err).unwrap();
    (status, stderr, on_wait.is_none())
}

/// Whether process `pid` is asleep with the memory `db` open. Once a `tm` process has the memory open it
/// sleeps nowhere but in SQLite's busy handler, waiting for a lock.
#[cfg(target_os = "linux")]
fn waits_for_a_lock(pid: u32, db: &std::path::Path) -> bool {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // The state follows the command's name, in parentheses.
    let asleep = stat
        .rsplit_once(')')
        .is_some_and(|(_, rest)| rest.trim_start().starts_with('S'));
    asleep
        && std::fs::read_dir(format!("/proc/{pid}/fd"))
            .into_iter()
            .flatten()
            .flatten()
            .any(|fd| std::fs::read_link(fd.path()).is_ok_and(|file| file == db))
}

/// A `TM_BUSY_TIMEOUT` that is not a duration is an error that names it, before anything is done.
#[test]
fn a_busy_timeout_that_is_not_a_duration_is_named() {
    let s = with_sample();
    for bad in ["ten", "1.5s", "-1", "2h"] {
        s.run(&["add", "--source", "القائم", "--target", "Al-Qa'im"])
            .env("TM_BUSY_TIMEOUT", bad)
            .fails_with(format!("TM_BUSY_TIMEOUT=\"{bad}\" is not a duration"));
    }
    assert_eq!(s.segments(), 133);
    s.run(&["add", "--source", "القائم", "--target", "Al-Qa'im"])
        .env("TM_BUSY_TIMEOUT", "0")
        .ok();
}

/// A memory the user may read but not write: reading works, writing says so, and nothing changes.
#[cfg(unix)]
#[test]
fn a_read_only_memory_can_be_read_and_says_it_cannot_be_written() {
    use std::os::unix::fs::PermissionsExt;
    let s = with_sample();
    let db = s.db();
    let Some(user) = Unprivileged::new(&s) else {
        return;
    };
    // The file to import is in the sandbox too: the clone may be out of the user's reach.
    let sample = s.path("sample.tmx");
    std::fs::copy(fixture("tm/sample.tmx"), &sample).unwrap();
    give_to_nobody(&[s.dir.path(), &db, &sample]);
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o444)).unwrap();
    let before = std::fs::read(&db).unwrap();
    let run = |args: &[&str]| user.tm(&db).args(args).output().unwrap();
    let stats = run(&["stats", "--json"]);
    assert!(
        stats.status.success(),
        "{}",
        String::from_utf8_lossy(&stats.stderr)
    );
    assert!(run(&["lookup", "حزب الله"]).status.success());
    for args in [
        vec!["add", "--source", "القائم", "--target", "Al-Qa'im"],
        vec!["import", sample.to_str().unwrap()],
        vec!["delete", "--all"],
    ] {
        let out = run(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("memory.db cannot be written"),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert_eq!(std::fs::read(&db).unwrap(), before);
}

/// Endless input (`/dev/zero`, a file with no line break) is refused as it streams, under a memory
/// limit a whole-file read would break, with an error naming the file and position; the memory is left
/// as it was.
#[cfg(unix)]
#[test]
fn endless_input_is_refused_as_it_streams() {
    let s = with_sample();
    let before = s.units();
    let tm = env!("CARGO_BIN_EXE_tm");
    // 1 GiB of address space: reading /dev/zero whole would fail with an allocation error instead.
    let limited = |args: &str| {
        std::process::Command::new("sh")
            .arg("-c")
            .arg(format!("ulimit -v 1048576; exec \"$0\" --db \"$1\" {args}"))
            .arg(tm)
            .arg(s.db())
            .current_dir(s.dir.path())
            .env_remove("TM_DB")
            .output()
            .unwrap()
    };
    std::fs::write(s.path("en.txt"), "A convoy entered.\n").unwrap();
    for (args, says) in [
        (
            "import /dev/zero --format tsv",
            "/dev/zero:1:1: a NUL character",
        ),
        (
            "import /dev/zero --format tmx",
            "/dev/zero:1:1: a NUL character",
        ),
        (
            "import /dev/zero --format csv",
            "/dev/zero:1:1: a NUL character",
        ),
        ("align /dev/zero en.txt", "/dev/zero: larger than 64 MiB"),
        ("pretranslate /dev/zero", "/dev/zero: larger than 64 MiB"),
        ("analyze /dev/zero", "/dev/zero: larger than 64 MiB"),
        ("names import /dev/zero", "/dev/zero: larger than 64 MiB"),
    ] {
        let out = limited(args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args}: {err}");
        assert!(err.contains(says), "{args}: {err}");
    }
    // A line or a text run longer than --max-segment.
    let long = "ب".repeat(700_000);
    std::fs::write(s.path("long.tsv"), format!("{long}\tx\n")).unwrap();
    std::fs::write(
        s.path("long.tmx"),
        format!("<?xml version=\"1.0\"?>\n<tmx version=\"1.4\"><header srclang=\"ar\"/><body>\n<tu><tuv xml:lang=\"ar\"><seg>{long}</seg></tuv><tuv xml:lang=\"en\"><seg>x</seg></tuv></tu></body></tmx>\n"),
    )
    .unwrap();
    for file in ["long.tsv", "long.tmx"] {
        let out = limited(&format!("import {file} --max-segment 1"));
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{file}: {err}");
        assert!(
            err.contains(&format!("{file}:"))
                && err.contains("more than 1 MiB without a line break or tag"),
            "{file}: {err}"
        );
        // The same file under the default limit is a real segment.
        let out = limited(&format!("import {file}"));
        assert!(
            out.status.success(),
            "{file}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        s.ok(&["delete", "--origin", file]);
    }
    assert_eq!(s.units(), before);
}

/// Issue 16, item 8: a folder named in `--db` that does not exist is an error, not a new folder (a
/// mistyped path would put the memory out of sight); nothing is made.
#[test]
fn a_memory_in_a_folder_that_does_not_exist_is_an_error() {
    let s = Sandbox::new();
    let missing = s.path("no/such/folder/m.db");
    let tsv = s.path("a.tsv");
    std::fs::write(&tsv, "ar\ten\nوصل الوفد\tThe delegation arrived\n").unwrap();
    for args in [
        vec!["import", tsv.to_str().unwrap()],
        vec!["add", "--source", "قال", "--target", "said"],
    ] {
        let mut cmd = assert_cmd::Command::cargo_bin("tm").unwrap();
        cmd.env_remove("TM_DB")
            .arg("--db")
            .arg(&missing)
            .args(&args);
        cmd.assert().code(2).stderr(contains("does not exist"));
    }
    assert!(!s.path("no").exists(), "no folder was made");
}

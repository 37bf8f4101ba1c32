//! Broken and hostile input: a clear error naming file, line and column, exit code 2, memory unchanged.

use predicates::prelude::*;
use predicates::str::contains;

use crate::support::{fixture_str, Sandbox};

/// A sandbox whose memory already holds the sample, to show that failures leave it as it was.
fn with_sample() -> Sandbox {
    let s = Sandbox::new();
    s.tm(&["import", &fixture_str("tm/sample.tmx")])
        .assert()
        .success();
    s
}

#[test]
fn each_bad_file_fails_with_its_position_and_changes_nothing() {
    let cases = [
        ("truncated.tmx", "truncated.tmx:7:79: the file ends inside <seg> (truncated?)"),
        ("not_xml.tmx", "not_xml.tmx:1:1: not a TMX file"),
        ("empty.tmx", "empty.tmx:1:1: the file is empty"),
        ("missing_language.tmx", "missing_language.tmx:7:1: unit \"no-arabic\" has no ar segment (it has en, fr)"),
        ("billion_laughs.tmx", "billion_laughs.tmx:12:29: entity &lol9; is not one of XML's five"),
        ("external_entity.tmx", "external_entity.tmx:8:29: entity &secret; is not one of XML's five"),
        ("cp1256_undeclared.tmx", "cp1256_undeclared.tmx:5:29: not valid UTF-8"),
        ("cp1256.tsv", "cp1256.tsv:1:1: not valid UTF-8 (if this is a legacy Arabic file, pass --encoding windows-1256"),
        ("ragged.tsv", "ragged.tsv:2:1: the row has one column"),
    ];
    let s = with_sample();
    let before = s.units();
    for (file, message) in cases {
        s.tm(&[
            "import",
            &fixture_str(&format!("tests/fixtures/bad/{file}")),
        ])
        .assert()
        .code(2)
        .stderr(contains("error: ").and(contains(message)));
        assert_eq!(s.units(), before, "{file} changed the memory");
    }
}

#[test]
fn a_bad_second_file_rolls_back_the_first() {
    let s = with_sample();
    let tico = fixture_str("tests/fixtures/tico19/all.en-ar.tmx");
    s.tm(&[
        "import",
        &tico,
        &fixture_str("tests/fixtures/bad/truncated.tmx"),
    ])
    .assert()
    .code(2)
    .stderr(contains("truncated.tmx:7:79"));
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
        &fixture_str("tests/fixtures/bad/missing_language.tmx"),
        "--skip-invalid",
        "--json",
    ]);
    assert_eq!(report["added"], 3);
    assert_eq!(report["skipped"], 1);
    assert_eq!(report["skipped_units"][0]["line"], 7);
    assert_eq!(report["skipped_units"][0]["col"], 1);
    let s = Sandbox::new();
    s.tm(&[
        "import",
        &fixture_str("tests/fixtures/bad/ragged.tsv"),
        "--skip-invalid",
    ])
    .assert()
    .success()
    .stdout(contains("imported 2 units").and(contains("1 skipped")))
    .stderr(contains("skipped: ").and(contains("ragged.tsv:2:1")));
    // The unnamed third column is kept as a property, not dropped.
    let units = s.units();
    assert_eq!(units[1].meta.annotations[0].attr("type"), Some("column3"));
}

#[test]
fn entities_are_neither_expanded_nor_read() {
    let s = Sandbox::new();
    let started = std::time::Instant::now();
    s.tm(&[
        "import",
        &fixture_str("tests/fixtures/bad/billion_laughs.tmx"),
        "--skip-invalid",
    ])
    .assert()
    .code(2);
    // Not a timing assertion on our speed: an expansion of 10^9 "lol"s would take minutes and gigabytes.
    assert!(started.elapsed().as_secs() < 30);
    assert!(!s.db().exists() || s.segments() == 0);
    s.tm(&[
        "import",
        &fixture_str("tests/fixtures/bad/external_entity.tmx"),
        "--skip-invalid",
    ])
    .assert()
    .code(2)
    .stderr(contains("&secret;"));
}

#[test]
fn windows_1256_is_decoded_when_declared_or_given() {
    let s = Sandbox::new();
    s.tm(&[
        "import",
        &fixture_str("tests/fixtures/bad/cp1256_declared.tmx"),
    ])
    .assert()
    .success();
    assert_eq!(s.units()[0].source.text, "مزارع الميادين");
    let s = Sandbox::new();
    s.tm(&[
        "import",
        &fixture_str("tests/fixtures/bad/cp1256_undeclared.tmx"),
        "--encoding",
        "windows-1256",
    ])
    .assert()
    .success();
    s.tm(&[
        "import",
        &fixture_str("tests/fixtures/bad/cp1256.tsv"),
        "--encoding",
        "cp1256",
    ])
    .assert()
    .success();
    let texts: Vec<String> = s.units().into_iter().map(|u| u.source.text).collect();
    assert_eq!(texts, ["مزارع الميادين", "عصائب أهل الحق"]);
    s.tm(&["import", "x.tsv", "--encoding", "klingon"])
        .assert()
        .code(2)
        .stderr(contains("x.tsv").or(contains("klingon")));
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
    s.tm(&["import", path.to_str().unwrap()]).assert().success();
    assert_eq!(s.units()[0].target.text, "Al-Bukamal");
}

#[test]
fn a_file_that_is_not_a_memory_is_named() {
    let s = Sandbox::new();
    std::fs::write(s.db(), "حزب الله\tHizbullah\n".repeat(200)).unwrap();
    s.tm(&["stats"])
        .assert()
        .code(2)
        .stderr(contains("is not a tm memory"));
    s.tm(&["import", &fixture_str("tm/sample.tmx")])
        .assert()
        .code(2)
        .stderr(contains("is not a tm memory"));
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
        s.tm(&args)
            .assert()
            .code(2)
            .stderr(contains("written by a newer tm (schema version 99"));
    }
}

#[test]
fn unknown_extension_asks_for_format() {
    let s = Sandbox::new();
    let path = s.path("memory.xlf");
    std::fs::write(&path, "x").unwrap();
    s.tm(&["import", path.to_str().unwrap()])
        .assert()
        .code(2)
        .stderr(contains("memory.xlf: cannot tell the format"));
}

#[test]
fn a_failed_first_import_leaves_no_memory_behind() {
    let s = Sandbox::new();
    s.tm(&["import", &fixture_str("tests/fixtures/bad/truncated.tmx")])
        .assert()
        .code(2);
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
        s.tm(&args)
            .assert()
            .code(2)
            .stderr(contains("is not a tm memory"));
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
    s.tm(&["import", path.to_str().unwrap()])
        .assert()
        .code(2)
        .stderr(contains("surrogate.tmx:3:31: malformed UTF-16LE"));
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
    s.tm(&["import", path.to_str().unwrap()])
        .assert()
        .code(2)
        .stderr(contains(
            "odd.tmx:2:5: unit: <b> in a segment is not TMX inline markup",
        ));
    s.tm(&["import", path.to_str().unwrap(), "--skip-invalid"])
        .assert()
        .success();
    assert_eq!(s.units().len(), 1, "the next unit is read whole");

    let two = s.path("two.tmx");
    std::fs::write(
        &two,
        "<tmx version=\"1.4\"><header/><body></body>\n<body><tu><tuv xml:lang=\"ar\"><seg>القائم</seg></tuv><tuv xml:lang=\"en\"><seg>Al-Qa'im</seg></tuv></tu></body></tmx>",
    )
    .unwrap();
    s.tm(&["import", two.to_str().unwrap()])
        .assert()
        .code(2)
        .stderr(contains("two.tmx:2:1: <body> after </body>"));
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
        s.tm(&["import", path.to_str().unwrap()]).assert().success();
    }
    s.tm(&["export", "-"])
        .assert()
        .success()
        .stdout(contains("usagecount=\"4294967295\""));
}

#[test]
fn csv_with_a_broken_quote_names_it() {
    let s = Sandbox::new();
    let path = s.path("broken.csv");
    std::fs::write(&path, "ar,en\nالقائم,Al-Qa'im\nحزب,\"unterminated\nc,d\n").unwrap();
    s.tm(&["import", path.to_str().unwrap()])
        .assert()
        .code(2)
        .stderr(contains(
            "broken.csv:3:5: the quote opened here (record of line 3) is never closed",
        ));
    assert!(!s.db().exists());
}

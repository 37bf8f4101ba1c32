//! Import and export through the binary, on the TMX standard's compliance kit, TICO-19 and our sample.

use predicates::prelude::*;
use predicates::str::contains;

use crate::support::{fixture, fixture_str, units_of, Sandbox};

#[test]
fn sample_memory_imports_and_stats_reports_it() {
    let s = Sandbox::new();
    s.tm(&["import", &fixture_str("tm/sample.tmx")])
        .assert()
        .success()
        .stdout(contains("imported 133 units"));
    let json = s.json(&["stats", "--json"]);
    assert_eq!(json["segments"], 133);
    assert_eq!(json["pairs"][0]["src"], "ar");
    assert_eq!(json["pairs"][0]["tgt"], "en");
}

/// Every import file of the LISA kit, with the language pair it holds and the units it yields.
const KIT: &[(&str, &str, &str, usize)] = &[
    ("ImportTest1A.tmx", "en-us", "fr-ca", 2), // UTF-16LE, tabs and spaces in segments
    ("ImportTest1B.tmx", "en-us", "fr-ca", 1), // odd whitespace and quoting, mixed-case tags
    ("ImportTest1C.tmx", "ja", "es", 3),       // five languages in varying order
    ("ImportTest1D.tmx", "en-us", "en-gb", 3), // UTF-8 with BOM, character references
    ("ImportTest1E.tmx", "en-us", "en-gb", 3), // UTF-8 without BOM
    ("ImportTest1F.tmx", "en-us", "en-gb", 3), // UTF-16LE
    ("ImportTest1G.tmx", "en-us", "en-gb", 3), // UTF-16BE
    ("ImportTest1H.tmx", "en-us", "en-gb", 3), // US-ASCII with references
    ("ImportTest1I.tmx", "en", "ja", 1),       // ideographic spaces
    ("ImportTest1J.tmx", "en", "en-gb", 2),    // a bare and a regional tag of one language
    ("ImportTest1K.tmx", "en", "de", 1),       // units with their own srclang (one lacks de)
    ("ImportTest1L.tmx", "en", "fr", 1),       // header and unit notes, props, ude, comments
    ("ImportTest2A.tmx", "en", "fr", 7),       // inline markup, UTF-16
    ("ImportTest2A-0index.tmx", "en", "fr", 7),
    ("ImportTest2B.tmx", "en", "fr", 7),
    ("ImportTest2C.tmx", "en", "fr", 1),
    ("ExportTest2A.tmx", "en", "fr", 6), // two units differ only in their inline tags
];

#[test]
fn compliance_kit_imports_and_round_trips_without_loss() {
    for &(file, src, tgt, expected) in KIT {
        let s = Sandbox::new();
        let path = fixture_str(&format!("tests/fixtures/lisa/{file}"));
        s.tm(&[
            "import",
            &path,
            "--src",
            src,
            "--tgt",
            tgt,
            "--skip-invalid",
        ])
        .assert()
        .success();
        let first = s.units();
        assert_eq!(first.len(), expected, "{file}: units imported");

        let exported = s.path("out.tmx");
        s.tm(&["export", exported.to_str().unwrap()])
            .assert()
            .success();
        let again = Sandbox::new();
        again
            .tm(&[
                "import",
                exported.to_str().unwrap(),
                "--src",
                src,
                "--tgt",
                tgt,
            ])
            .assert()
            .success();
        assert_eq!(
            again.units(),
            first,
            "{file}: import → export → import changed units"
        );
    }
}

/// Imports one file of the LISA kit with its language pair.
fn import_kit_file(s: &Sandbox, file: &str, src: &str, tgt: &str) {
    s.tm(&[
        "import",
        &fixture_str(&format!("tests/fixtures/lisa/{file}")),
        "--src",
        src,
        "--tgt",
        tgt,
    ])
    .assert()
    .success();
}

#[test]
fn kit_segments_keep_whitespace_references_and_markup_exactly() {
    let s = Sandbox::new();
    for (file, src, tgt) in [
        ("ImportTest1A.tmx", "en-us", "fr-ca"),
        ("ImportTest1H.tmx", "en-us", "en-gb"),
        ("ImportTest2B.tmx", "en", "fr"),
        ("ImportTest1L.tmx", "en", "fr"),
    ] {
        import_kit_file(&s, file, src, tgt);
    }
    let units = s.units();
    let texts: Vec<&str> = units.iter().map(|u| u.source.text.as_str()).collect();
    assert!(texts.contains(&"First segment with [\t\t   ]"), "{texts:?}");
    assert!(
        texts.contains(&"\u{e0}=agrave, \u{e9}=eacute, \u{e6}=aelig"),
        "{texts:?}"
    );
    let bold = units
        .iter()
        .find(|u| u.source.text == "The big black cat sleeps.")
        .expect("2B unit 1, text without native codes");
    assert_eq!(
        bold.source.markup.as_deref(),
        Some(
            r#"The big <bpt i="1" x="1" type="bold">{\b </bpt>black<ept i="1">}</ept> <bpt i="2" x="2" type="ulined">{\ul </bpt>cat<ept i="2">}</ept> sleeps."#
        )
    );
    let noted = units
        .iter()
        .find(|u| u.tuid.as_deref() == Some("tu001"))
        .expect("1L unit");
    assert_eq!(noted.usage_count, Some(100));
    assert_eq!(
        noted.meta.annotations.len(),
        3,
        "two notes and a prop on the unit"
    );
    assert_eq!(noted.meta.source.annotations.len(), 3);
    assert_eq!(noted.meta.target.annotations.len(), 4);

    let out = s.path("all.tmx");
    s.tm(&["export", out.to_str().unwrap()]).assert().success();
    let xml = std::fs::read_to_string(&out).unwrap();
    assert!(xml.contains(r#"<seg>The big <bpt i="1" x="1" type="bold">{\b </bpt>black"#));
    assert!(
        xml.contains(r#"<note o-encoding="iso-8859-1" xml:lang="en-us">Text of tu note 1</note>"#)
    );
}

#[test]
fn tico19_arabic_english_imports_and_round_trips() {
    let s = Sandbox::new();
    let tico = fixture_str("tests/fixtures/tico19/all.en-ar.tmx");
    let report = s.json(&["import", &tico, "--src", "ar", "--tgt", "en", "--json"]);
    assert_eq!(report["units"], 3071);
    // One pair occurs twice in TICO-19 and is stored once.
    assert_eq!(report["added"], 3070);
    assert_eq!(report["merged"], 1);
    let first = s.units();
    assert!(
        first[0].source.text.starts_with("منذ متى"),
        "{}",
        first[0].source.text
    );
    assert_eq!(first[0].src_lang, "ar");

    for format in ["tmx", "tsv"] {
        let exported = s.path(&format!("tico.{format}"));
        s.tm(&["export", exported.to_str().unwrap()])
            .assert()
            .success();
        let again = Sandbox::new();
        again
            .tm(&["import", exported.to_str().unwrap()])
            .assert()
            .success();
        let units = again.units();
        assert_eq!(units.len(), first.len(), "{format}");
        for (a, b) in first.iter().zip(&units) {
            assert_eq!(
                (&a.source.text, &a.target.text),
                (&b.source.text, &b.target.text)
            );
        }
        if format == "tmx" {
            assert_eq!(units, first, "TMX keeps everything");
        }
    }
}

/// Exports validate against the TMX 1.4b DTD (xmllint, with the DTD from ../shared/data).
#[test]
fn exports_validate_against_the_tmx_dtd() {
    let dtd = fixture("../shared/data/tmx/tmx14.dtd");
    let have_xmllint = std::process::Command::new("xmllint")
        .arg("--version")
        .output()
        .is_ok();
    if !dtd.exists() || !have_xmllint {
        assert!(
            std::env::var_os("TM_REQUIRE_XMLLINT").is_none(),
            "TM_REQUIRE_XMLLINT is set but xmllint or {} is missing",
            dtd.display()
        );
        eprintln!("skipped: needs xmllint and {} (CI has both)", dtd.display());
        return;
    }
    let s = Sandbox::new();
    s.tm(&["import", &fixture_str("tm/sample.tmx")])
        .assert()
        .success();
    s.tm(&[
        "import",
        &fixture_str("tests/fixtures/tico19/all.en-ar.tmx"),
    ])
    .assert()
    .success();
    for (file, src, tgt) in [
        ("ImportTest1L.tmx", "en", "fr"),
        ("ImportTest2B.tmx", "en", "fr"),
    ] {
        import_kit_file(&s, file, src, tgt);
    }
    let out = s.path("all.tmx");
    s.tm(&["export", out.to_str().unwrap()]).assert().success();
    let status = std::process::Command::new("xmllint")
        .args(["--noout", "--nonet", "--dtdvalid"])
        .arg(&dtd)
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
}

#[test]
fn reading_commands_never_create_a_memory() {
    let s = Sandbox::new();
    for args in [
        vec!["stats"],
        vec!["list"],
        vec!["export", "-"],
        vec!["delete", "--all", "--dry-run"],
        vec!["dedupe", "--dry-run"],
    ] {
        s.tm(&args)
            .assert()
            .code(2)
            .stderr(contains("no memory at").and(contains("memory.db")));
        assert!(!s.db().exists(), "{args:?} created the memory");
    }
}

#[test]
fn tsv_with_header_keeps_named_columns_and_exports_to_stdout() {
    let s = Sandbox::new();
    let tsv = s.path("names.tsv");
    std::fs::write(
        &tsv,
        "ar\ten\tnote\tdomain\nكتائب حزب الله\tHizbullah Brigades\tnot Kataib Hezbollah\tarmed groups\n\
         حركة النجباء\tAl-Nujaba Movement\t\tarmed groups\n",
    )
    .unwrap();
    s.tm(&["import", tsv.to_str().unwrap()])
        .assert()
        .success()
        .stdout(contains("imported 2 units"));
    let units = s.units();
    assert_eq!(units[0].meta.annotations[0].text, "not Kataib Hezbollah");
    assert_eq!(units[0].meta.annotations[1].attr("type"), Some("domain"));
    s.tm(&["export", "-", "--format", "tsv"])
        .assert()
        .success()
        .stdout("ar\ten\nكتائب حزب الله\tHizbullah Brigades\nحركة النجباء\tAl-Nujaba Movement\n");
    let csv = s.path("out.csv");
    s.tm(&["export", csv.to_str().unwrap()]).assert().success();
    let again = Sandbox::new();
    again
        .tm(&["import", csv.to_str().unwrap()])
        .assert()
        .success();
    assert_eq!(again.units().len(), 2);
}

#[test]
fn one_memory_holds_other_language_pairs() {
    let s = Sandbox::new();
    s.tm(&["add", "--source", "حزب الله", "--target", "Hizbullah"])
        .assert()
        .success();
    s.tm(&[
        "add",
        "--source",
        "حزب‌الله",
        "--target",
        "Hizbullah",
        "--src",
        "fa",
    ])
    .assert()
    .success();
    let json = s.json(&["stats", "--json"]);
    assert_eq!(json["segments"], 2);
    assert_eq!(json["pairs"].as_array().unwrap().len(), 2);
    let fa = s.path("fa.tmx");
    s.tm(&["export", fa.to_str().unwrap(), "--src", "fa"])
        .assert()
        .success();
    assert_eq!(units_of_file(&fa, "fa"), 1);
}

fn units_of_file(path: &std::path::Path, src: &str) -> usize {
    let s = Sandbox::new();
    s.tm(&["import", path.to_str().unwrap(), "--src", src])
        .assert()
        .success();
    units_of(&s.db()).len()
}

#[test]
fn tsv_and_csv_exports_carry_their_languages_and_read_back_whole() {
    let s = Sandbox::new();
    // A first source without Arabic must not be taken for a header on re-import.
    s.tm(&["add", "--source", "BBC", "--target", "BBC"])
        .assert()
        .success();
    s.tm(&["add", "--source", "حزب الله", "--target", "Hizbullah"])
        .assert()
        .success();
    for ext in ["tsv", "csv"] {
        let out = s.path(&format!("out.{ext}"));
        s.tm(&["export", out.to_str().unwrap()]).assert().success();
        let again = Sandbox::new();
        again
            .tm(&["import", out.to_str().unwrap()])
            .assert()
            .success();
        assert_eq!(again.units().len(), 2, "{ext}");
    }
    let fa = Sandbox::new();
    fa.tm(&[
        "add",
        "--source",
        "حزب‌الله",
        "--target",
        "Hizbullah",
        "--src",
        "fa",
    ])
    .assert()
    .success();
    let out = fa.path("fa.tsv");
    fa.tm(&["export", out.to_str().unwrap()]).assert().success();
    let again = Sandbox::new();
    again
        .tm(&["import", out.to_str().unwrap()])
        .assert()
        .code(2)
        .stderr(contains("pass --src fa"));
    again
        .tm(&["import", out.to_str().unwrap(), "--src", "fa"])
        .assert()
        .success();
    assert_eq!(again.units()[0].src_lang, "fa");
}

#[test]
fn exports_keep_to_the_dtd_whatever_was_imported() {
    let s = Sandbox::new();
    let path = s.path("extra.tmx");
    std::fs::write(
        &path,
        "<tmx version=\"1.4\"><header/><body><tu x-foo=\"1\"><prop>untyped</prop><tuv xml:lang=\"ar\" x-bar=\"2\"><seg>القائم</seg></tuv><tuv xml:lang=\"en\"><seg>Al-Qa'im</seg></tuv></tu></body></tmx>",
    )
    .unwrap();
    s.tm(&["import", path.to_str().unwrap()]).assert().success();
    let out = s.stdout(&["export", "-"]);
    let xml = String::from_utf8(out).unwrap();
    assert!(!xml.contains("x-foo") && !xml.contains("x-bar"), "{xml}");
    assert!(
        xml.contains("<prop type=\"x-untyped\">untyped</prop>"),
        "{xml}"
    );
}

/// Lines that end in a lone CR (old Mac files) are rows, not one row with the rest as extra columns.
#[test]
fn cr_only_line_endings_are_lines() {
    let s = Sandbox::new();
    let tsv = s.path("cr.tsv");
    std::fs::write(&tsv, "مرحبا\thello\rسلام\tpeace\rكتاب\tbook\r").unwrap();
    let csv = s.path("cr.csv");
    std::fs::write(&csv, "قلم,pen\rباب,door\r").unwrap();
    s.tm(&["import", tsv.to_str().unwrap(), csv.to_str().unwrap()])
        .assert()
        .success();
    let mut pairs: Vec<(String, String)> = s
        .units()
        .into_iter()
        .map(|u| {
            assert!(u.meta.annotations.is_empty(), "no extra columns: {u:?}");
            (u.source.text, u.target.text)
        })
        .collect();
    pairs.sort();
    let mut want: Vec<(String, String)> = [
        ("باب", "door"),
        ("سلام", "peace"),
        ("قلم", "pen"),
        ("كتاب", "book"),
        ("مرحبا", "hello"),
    ]
    .map(|(a, e)| (a.to_string(), e.to_string()))
    .to_vec();
    want.sort();
    assert_eq!(pairs, want);
}

/// Control characters in the memory (a Word line break U+000B, ESC, U+0001) never make pretranslate's
/// XLIFF or TMX invalid XML: they are left out, with a warning.
#[test]
fn pretranslated_xml_is_well_formed_whatever_the_memory_holds() {
    let s = Sandbox::new();
    let tsv = s.path("m.tsv");
    std::fs::write(
        &tsv,
        "ar\ten\nدخلت قافلة إلى مدينة البوكمال\tA convoy\u{b}entered\u{1b} Al-Bukamal\u{1}\n",
    )
    .unwrap();
    s.tm(&["import", tsv.to_str().unwrap()]).assert().success();
    std::fs::write(s.path("doc.txt"), "دخلت قافلة إلى مدينة البوكمال\n").unwrap();
    for format in ["xliff", "tmx"] {
        let out = s.path(&format!("out.{format}"));
        s.tm(&[
            "pretranslate",
            s.path("doc.txt").to_str().unwrap(),
            "--format",
            format,
            "-o",
            out.to_str().unwrap(),
        ])
        .assert()
        .success()
        .stderr(contains(
            "3 control character(s) that XML 1.0 cannot represent were left out",
        ));
        let xml = std::fs::read_to_string(&out).unwrap();
        assert!(xml.contains("A convoyentered Al-Bukamal"), "{xml}");
        let mut reader = quick_xml::Reader::from_str(&xml);
        loop {
            match reader.read_event() {
                Ok(quick_xml::events::Event::Eof) => break,
                Ok(quick_xml::events::Event::Text(t)) => {
                    assert!(t
                        .xml10_content()
                        .unwrap()
                        .chars()
                        .all(|c| c >= ' ' || "\t\n\r".contains(c)))
                }
                Ok(_) => {}
                Err(e) => panic!("{format}: {e}"),
            }
        }
    }
}

/// `tm import -` reads standard input in the format --format names, as it would a file: its errors
/// name `<stdin>`, which is also its units' origin.
#[test]
fn import_dash_reads_standard_input() {
    let s = Sandbox::new();
    s.tm(&["import", "-", "--format", "tsv", "--json"])
        .write_stdin("ar\ten\nحزب الله\tHizbullah\n")
        .assert()
        .success()
        .stdout(contains(r#""format":"tsv""#));
    let mut utf16 = vec![0xFF, 0xFE];
    let tmx = r#"<tmx version="1.4"><header/><body><tu><prop type="x-origin">memri</prop><tuv xml:lang="ar"><seg>البوكمال</seg></tuv><tuv xml:lang="en"><seg>Al-Bukamal</seg></tuv></tu></body></tmx>"#;
    utf16.extend(tmx.encode_utf16().flat_map(|u| u.to_le_bytes()));
    s.tm(&["import", "-", "--format", "tmx"])
        .write_stdin(utf16)
        .assert()
        .success()
        .stdout(contains("imported 1 units"));
    let units = s.units();
    let got: Vec<(&str, Option<&str>)> = units
        .iter()
        .map(|u| (u.target.text.as_str(), u.origin.as_deref()))
        .collect();
    assert_eq!(
        got,
        [
            ("Hizbullah", Some("<stdin>")),
            ("Al-Bukamal", Some("memri"))
        ]
    );

    s.tm(&["import", "-", "--format", "tmx"])
        .write_stdin("<tmx version=\"1.4\"><header/><body>\n<tu>\n<seg>x</tuv>")
        .assert()
        .code(2)
        .stderr(contains("error: <stdin>:3:7: not well-formed XML"));
    s.tm(&["import", "-"])
        .write_stdin("ar\ten\n")
        .assert()
        .code(2)
        .stderr(contains("-: cannot tell the format"));
    let sample = fixture_str("tm/sample.tmx");
    s.tm(&["import", "--format", "tmx", "-", &sample])
        .assert()
        .code(2)
        .stderr(contains("standard input is imported on its own"));
    assert_eq!(s.segments(), 2, "failed imports stored nothing");
}

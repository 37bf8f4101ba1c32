//! Import and export through the binary, on the TMX standard's compliance kit, TICO-19 and our sample.

use std::path::Path;

use crate::support::{fixture, fixture_str, have_xmllint, units_of, Sandbox};

#[test]
fn sample_memory_imports_and_stats_reports_it() {
    let s = Sandbox::new();
    s.run(&["import", &fixture_str("tm/sample.tmx")])
        .stdout_has("imported 133 units")
        .ok();
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
        s.ok(&["import", &path, "--src", src, "--tgt", tgt]);
        let first = s.units();
        assert_eq!(first.len(), expected, "{file}: units imported");

        let exported = s.path("out.tmx");
        s.ok(&["export", exported.to_str().unwrap()]);
        let again = Sandbox::new();
        again.ok(&[
            "import",
            exported.to_str().unwrap(),
            "--src",
            src,
            "--tgt",
            tgt,
        ]);
        assert_eq!(
            again.units(),
            first,
            "{file}: import → export → import changed units"
        );
    }
}

/// Imports one file of the LISA kit with its language pair.
fn import_kit_file(s: &Sandbox, file: &str, src: &str, tgt: &str) {
    s.ok(&[
        "import",
        &fixture_str(&format!("tests/fixtures/lisa/{file}")),
        "--src",
        src,
        "--tgt",
        tgt,
    ]);
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
    s.ok(&["export", out.to_str().unwrap()]);
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
        s.ok(&["export", exported.to_str().unwrap()]);
        let again = Sandbox::new();
        again.ok(&["import", exported.to_str().unwrap()]);
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

/// The TMX 1.4b DTD, kept in the repository with its notice (`tests/fixtures/tmx/NOTICE.md`).
const TMX_DTD: &str = "tests/fixtures/tmx/tmx14.dtd";

/// What xmllint says of `file` against the TMX 1.4b DTD: `Ok` when valid, else its complaints.
///
/// The DTD is copied beside `file` and named relatively: xmllint cannot open a DTD whose path has a
/// space or Arabic letters in it (CI runs the tests again in a clone under such a path), and the
/// export's own `<!DOCTYPE tmx SYSTEM "tmx14.dtd">` then finds it too.
pub(crate) fn tmx_dtd_check(file: &Path) -> Result<(), String> {
    let dtd = fixture(TMX_DTD);
    assert!(dtd.is_file(), "{} is missing", dtd.display());
    let folder = file.parent().expect("a file in a folder");
    std::fs::copy(&dtd, folder.join("tmx14.dtd")).expect("copy the DTD beside the file");
    let out = std::process::Command::new("xmllint")
        .current_dir(folder)
        .args(["--noout", "--nonet", "--dtdvalid", "tmx14.dtd"])
        .arg(file.file_name().expect("a file name"))
        .output()
        .expect("run xmllint");
    if out.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    }
}

/// Exports validate against the TMX 1.4b DTD (xmllint).
#[test]
fn exports_validate_against_the_tmx_dtd() {
    if !have_xmllint() {
        return;
    }
    let s = Sandbox::new();
    s.ok(&["import", &fixture_str("tm/sample.tmx")]);
    s.ok(&[
        "import",
        &fixture_str("tests/fixtures/tico19/all.en-ar.tmx"),
    ]);
    for (file, src, tgt) in [
        ("ImportTest1L.tmx", "en", "fr"),
        ("ImportTest2B.tmx", "en", "fr"),
    ] {
        import_kit_file(&s, file, src, tgt);
    }
    let out = s.path("all.tmx");
    s.ok(&["export", out.to_str().unwrap()]);
    if let Err(complaints) = tmx_dtd_check(&out) {
        panic!("{complaints}");
    }
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
        s.run(&args)
            .stderr_has("memory.db")
            .fails_with("no memory at");
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
    s.run(&["import", tsv.to_str().unwrap()])
        .stdout_has("imported 2 units")
        .ok();
    let units = s.units();
    assert_eq!(units[0].meta.annotations[0].text, "not Kataib Hezbollah");
    assert_eq!(units[0].meta.annotations[1].attr("type"), Some("domain"));
    s.run(&["export", "-", "--format", "tsv"])
        .stdout_is("ar\ten\nكتائب حزب الله\tHizbullah Brigades\nحركة النجباء\tAl-Nujaba Movement\n")
        .ok();
    let csv = s.path("out.csv");
    s.ok(&["export", csv.to_str().unwrap()]);
    let again = Sandbox::new();
    again.ok(&["import", csv.to_str().unwrap()]);
    assert_eq!(again.units().len(), 2);
}

#[test]
fn one_memory_holds_other_language_pairs() {
    let s = Sandbox::new();
    s.ok(&["add", "--source", "حزب الله", "--target", "Hizbullah"]);
    s.ok(&[
        "add",
        "--source",
        "حزب‌الله",
        "--target",
        "Hizbullah",
        "--src",
        "fa",
    ]);
    let json = s.json(&["stats", "--json"]);
    assert_eq!(json["segments"], 2);
    assert_eq!(json["pairs"].as_array().unwrap().len(), 2);
    let fa = s.path("fa.tmx");
    s.ok(&["export", fa.to_str().unwrap(), "--src", "fa"]);
    assert_eq!(units_of_file(&fa, "fa"), 1);
}

fn units_of_file(path: &std::path::Path, src: &str) -> usize {
    let s = Sandbox::new();
    s.ok(&["import", path.to_str().unwrap(), "--src", src]);
    units_of(&s.db()).len()
}

#[test]
fn tsv_and_csv_exports_carry_their_languages_and_read_back_whole() {
    let s = Sandbox::new();
    // A first source without Arabic must not be taken for a header on re-import.
    s.ok(&["add", "--source", "BBC", "--target", "BBC"]);
    s.ok(&["add", "--source", "حزب الله", "--target", "Hizbullah"]);
    for ext in ["tsv", "csv"] {
        let out = s.path(&format!("out.{ext}"));
        s.ok(&["export", out.to_str().unwrap()]);
        let again = Sandbox::new();
        again.ok(&["import", out.to_str().unwrap()]);
        assert_eq!(again.units().len(), 2, "{ext}");
    }
    let fa = Sandbox::new();
    fa.ok(&[
        "add",
        "--source",
        "حزب‌الله",
        "--target",
        "Hizbullah",
        "--src",
        "fa",
    ]);
    let out = fa.path("fa.tsv");
    fa.ok(&["export", out.to_str().unwrap()]);
    let again = Sandbox::new();
    again.fails_with(&["import", out.to_str().unwrap()], "pass --src fa");
    again.ok(&["import", out.to_str().unwrap(), "--src", "fa"]);
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
    s.ok(&["import", path.to_str().unwrap()]);
    let out = s.stdout(&["export", "-"]);
    let xml = String::from_utf8(out).unwrap();
    assert!(!xml.contains("x-foo") && !xml.contains("x-bar"), "{xml}");
    assert!(
        xml.contains("<prop type=\"x-untyped\">untyped</prop>"),
        "{xml}"
    );
    if have_xmllint() {
        let exported = s.path("out.tmx");
        std::fs::write(&exported, &xml).unwrap();
        if let Err(complaints) = tmx_dtd_check(&exported) {
            panic!("{complaints}\n{xml}");
        }
        // And the check can fail: the same export with the attribute put back is refused.
        let with_bar = s.path("with-bar.tmx");
        std::fs::write(&with_bar, xml.replacen("<tuv ", "<tuv x-bar=\"2\" ", 1)).unwrap();
        assert!(
            tmx_dtd_check(&with_bar).is_err(),
            "the DTD let x-bar through"
        );
    }
}

/// Lines that end in a lone CR (old Mac files) are rows, not one row with the rest as extra columns.
#[test]
fn cr_only_line_endings_are_lines() {
    let s = Sandbox::new();
    let tsv = s.path("cr.tsv");
    std::fs::write(&tsv, "مرحبا\thello\rسلام\tpeace\rكتاب\tbook\r").unwrap();
    let csv = s.path("cr.csv");
    std::fs::write(&csv, "قلم,pen\rباب,door\r").unwrap();
    s.ok(&["import", tsv.to_str().unwrap(), csv.to_str().unwrap()]);
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
    s.ok(&["import", tsv.to_str().unwrap()]);
    std::fs::write(s.path("doc.txt"), "دخلت قافلة إلى مدينة البوكمال\n").unwrap();
    for format in ["xliff", "tmx"] {
        let out = s.path(&format!("out.{format}"));
        s.run(&[
            "pretranslate",
            s.path("doc.txt").to_str().unwrap(),
            "--format",
            format,
            "-o",
            out.to_str().unwrap(),
        ])
        .stderr_has("3 control character(s) that XML 1.0 cannot represent were left out")
        .ok();
        let xml = std::fs::read_to_string(&out).unwrap();
        assert!(xml.contains("A convoyentered Al-Bukamal"), "{xml}");
        if format == "tmx" && have_xmllint() {
            if let Err(complaints) = tmx_dtd_check(&out) {
                panic!("{complaints}\n{xml}");
            }
        }
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
    s.run(&["import", "-", "--format", "tsv", "--json"])
        .stdin("ar\ten\nحزب الله\tHizbullah\n")
        .stdout_has(r#""format":"tsv""#)
        .ok();
    let mut utf16 = vec![0xFF, 0xFE];
    let tmx = r#"<tmx version="1.4"><header/><body><tu><prop type="x-origin">memri</prop><tuv xml:lang="ar"><seg>البوكمال</seg></tuv><tuv xml:lang="en"><seg>Al-Bukamal</seg></tuv></tu></body></tmx>"#;
    utf16.extend(tmx.encode_utf16().flat_map(|u| u.to_le_bytes()));
    s.run(&["import", "-", "--format", "tmx"])
        .stdin(utf16)
        .stdout_has("imported 1 units")
        .ok();
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

    s.run(&["import", "-", "--format", "tmx"])
        .stdin("<tmx version=\"1.4\"><header/><body>\n<tu>\n<seg>x</tuv>")
        .fails_with("error: <stdin>:3:7: not well-formed XML");
    s.run(&["import", "-"])
        .stdin("ar\ten\n")
        .fails_with("-: cannot tell the format");
    let sample = fixture_str("tm/sample.tmx");
    s.fails_with(
        &["import", "--format", "tmx", "-", &sample],
        "standard input is imported on its own",
    );
    assert_eq!(s.segments(), 2, "failed imports stored nothing");
}

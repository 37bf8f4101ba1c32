//! Bilingual XLIFF from CAT tools into the memory: files written by real tools (Okapi, XTM, MadCap
//! Lingo, Trados, memoQ, Memsource), the loop with `tm pretranslate`, and multilingual TMX.

use crate::support::{fixture_str, Sandbox};

/// The files in `tests/fixtures/xliff/` (see SOURCES.md there), their pair, and the segments that go in
/// with `--state all` and by default (confirmed only), counted independently of tm (SOURCES.md).
const FILES: &[(&str, &str, &str, u64, u64)] = &[
    (
        "xliff12-xtm-ImplementationPlan.docx.xlf",
        "en-US",
        "fr-FR",
        91,
        11,
    ),
    ("xliff12-xtm-StatusSample.docx.xlf", "en-US", "pl-PL", 3, 3),
    (
        "xliff12-madcap-lingo-about_the.htm.xlf",
        "en-us",
        "zh-cn",
        10,
        0,
    ),
    (
        "xliff12-okapi-rainbow-extended-code-type.xlf",
        "en-US",
        "fr",
        10,
        0,
    ),
    ("xliff11-okapi-RB-11-Test01.xlf", "en", "fr", 2, 1),
    ("xliff12-matecat-all-states.xliff", "en", "it", 10, 3),
    (
        "sdlxliff-trados-all-conf-it-en.sdlxliff",
        "it-IT",
        "en-US",
        7,
        3,
    ),
    (
        "sdlxliff-trados-test.txt_en-US_fr-FR.sdlxliff",
        "en-US",
        "fr-FR",
        5,
        4,
    ),
    (
        "sdlxliff-trados-home_links.sdlxliff",
        "en-US",
        "es-ES",
        0,
        0,
    ),
    ("mqxliff-memoq-sampe_sch.xliff", "en-us", "zh-cn", 1, 0),
    ("xliff2-memsource-en-ar.xliff", "ar", "en-us", 11, 11),
    ("xliff2-okapi-toJoin.xlf", "en", "fr", 5, 3),
    ("xliff2-okapi-allExtensions.xlf", "en", "fr", 1, 0),
];

#[test]
fn real_xliff_files_import_their_segments_and_round_trip_through_tmx() {
    for &(file, src, tgt, all, confirmed) in FILES {
        let path = fixture_str(&format!("tests/fixtures/xliff/{file}"));
        let import = |s: &Sandbox, state: &str| {
            let args = [
                "import", &path, "--src", src, "--tgt", tgt, "--state", state,
            ];
            s.json(&[&args[..], &["--json"]].concat())
        };
        let s = Sandbox::new();
        let report = import(&s, "confirmed");
        assert_eq!(report["units"], confirmed, "{file}: confirmed segments");
        let s = Sandbox::new();
        let report = import(&s, "all");
        assert_eq!(report["units"], all, "{file}: translated segments");
        let left_out = &report["left_out"]["reasons"];
        if all == 0 {
            continue;
        }
        let first = s.units();
        assert_eq!(
            first.len() as u64,
            all - report["merged"].as_u64().unwrap(),
            "{file}: {left_out}"
        );

        // Export as TMX and import that: the same units, inline codes and all.
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
            "{file}: XLIFF → TMX → memory changed units"
        );
    }
}

#[test]
fn inline_codes_of_each_kind_survive_the_round_trip() {
    let s = Sandbox::new();
    let rainbow = fixture_str("tests/fixtures/xliff/xliff12-okapi-rainbow-extended-code-type.xlf");
    let join = fixture_str("tests/fixtures/xliff/xliff2-okapi-toJoin.xlf");
    let madcap = fixture_str("tests/fixtures/xliff/xliff12-madcap-lingo-about_the.htm.xlf");
    for (path, src, tgt) in [
        (&rainbow, "en", "fr"),
        (&join, "en", "fr"),
        (&madcap, "en", "zh"),
    ] {
        s.ok(&["import", path, "--src", src, "--tgt", tgt, "--state", "all"]);
    }
    let units = s.units();
    let markup: Vec<&str> = (units.iter())
        .filter_map(|u| u.source.markup.as_deref())
        .collect();
    for code in [
        "<bpt i=\"1\" x=\"1\"",   // g (Okapi) and XLIFF 1.2 bpt (MadCap)
        "<it pos=\"begin\" x=\"", // bx, and an sc whose ec is in the next segment
        "<it pos=\"end\" x=\"",   // ex, and that ec
        "<ph x=\"",               // ph with its native code
        "<sub",                   // a sub-flow inside a code (MadCap)
    ] {
        assert!(
            markup.iter().any(|m| m.contains(code)),
            "no {code} in {markup:#?}"
        );
    }
    // Codes leave no text behind; the text inside a pair is the segment's.
    assert!(units
        .iter()
        .any(|u| u.source.text == "This is the first paragraph."));
    let tmx = s.path("out.tmx");
    s.ok(&["export", tmx.to_str().unwrap()]);
    let again = Sandbox::new();
    again.ok(&[
        "import",
        tmx.to_str().unwrap(),
        "--src",
        "en",
        "--tgt",
        "fr",
    ]);
    again.ok(&[
        "import",
        tmx.to_str().unwrap(),
        "--src",
        "en",
        "--tgt",
        "zh",
    ]);
    let mut back = again.units();
    let mut first = units;
    back.sort_by(|a, b| a.source.text.cmp(&b.source.text));
    first.sort_by(|a, b| a.source.text.cmp(&b.source.text));
    assert_eq!(back, first);
}

/// Four sentences of a news report, and how a translator rendered them.
const REPORT: [(&str, &str); 4] = [
    (
        "أعلنت حركة النجباء أنها استهدفت قاعدة عين الأسد بطائرة مسيرة.",
        "The Al-Nujaba Movement announced that it targeted the Ain Al-Asad base with a drone.",
    ),
    (
        "وقال المتحدث باسم الحركة إن الهجوم جاء ردا على الغارات الأمريكية في البوكمال.",
        "The movement's spokesman said the attack came in response to the American strikes in Al-Bukamal.",
    ),
    (
        "ولم تعلق القيادة المركزية الأمريكية على البيان حتى الآن.",
        "U.S. Central Command has not yet commented on the statement.",
    ),
    (
        "وكان قيس الخزعلي قد هدد القوات الأمريكية الأسبوع الماضي.",
        "Qais Al-Khazali had threatened U.S. forces last week.",
    ),
];

/// What a CAT tool does to `tm pretranslate`'s XLIFF when the translator has finished: each
/// segment gets its target with a state (the last one left for review), and the file is written back.
fn translate_as_a_cat_tool(xliff: &str) -> String {
    let mut out = String::new();
    for (i, unit) in xliff.split_inclusive("</trans-unit>").enumerate() {
        let Some(&(arabic, english)) = REPORT.get(i) else {
            out.push_str(unit);
            continue;
        };
        assert!(
            unit.contains(arabic),
            "segment {i} is not the document's: {unit}"
        );
        let state = if i == 3 {
            "needs-review-translation"
        } else {
            "translated"
        };
        // Any suggestion tm wrote (target and note) gives way to the translator's target.
        let head = &unit[..unit.find("</source>").unwrap() + "</source>".len()];
        out.push_str(&format!(
            "{head}\n        <target xml:lang=\"en\" state=\"{state}\">{english}</target>\n      </trans-unit>"
        ));
    }
    out
}

#[test]
fn a_pretranslated_document_translated_in_a_cat_tool_comes_back_and_gives_context_matches() {
    let s = Sandbox::new();
    s.ok(&["import", &fixture_str("tm/sample.tmx")]);
    let doc = s.path("report.txt");
    let arabic: Vec<&str> = REPORT.iter().map(|(ar, _)| *ar).collect();
    std::fs::write(&doc, arabic.join("\n") + "\n").unwrap();
    let xlf = s.path("report.xlf");
    s.ok(&[
        "pretranslate",
        doc.to_str().unwrap(),
        "--format",
        "xliff",
        "-o",
        xlf.to_str().unwrap(),
    ]);
    let translated = translate_as_a_cat_tool(&std::fs::read_to_string(&xlf).unwrap());
    std::fs::write(&xlf, translated).unwrap();

    s.run(&["import", xlf.to_str().unwrap()])
        .stdout_has("imported 3 units")
        .stdout_has("left out 1: 1 not confirmed (needs-review-translation 1; --state all")
        .ok();
    let units = s.units();
    let stored = units.iter().find(|u| u.source.text == REPORT[1].0).unwrap();
    assert_eq!(stored.target.text, REPORT[1].1);
    assert_eq!(
        stored.origin.as_deref(),
        Some("report.txt"),
        "the document's name"
    );

    // Next time, the middle sentences are context matches: the document's order was kept.
    let json =
        String::from_utf8(s.stdout(&["pretranslate", doc.to_str().unwrap(), "--json"])).unwrap();
    let kinds: Vec<String> = json
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            v["match"]["kind"].as_str().unwrap_or("new").to_string()
        })
        .collect();
    assert_eq!(kinds[1], "context", "{json}");
}

#[test]
fn a_multilingual_memory_imports_the_pair_asked_for_and_counts_the_rest() {
    for (file, src, tgt, units, other) in [
        ("ImportTest1K.tmx", "en", "de", 1, 1),
        ("ImportTest1J_many.tmx", "en-us", "en-gb", 2, 1),
    ] {
        let s = Sandbox::new();
        let path = fixture_str(&format!("tests/fixtures/lisa/{file}"));
        let report = s.json(&["import", &path, "--src", src, "--tgt", tgt, "--json"]);
        assert_eq!(report["units"], units, "{file}");
        assert_eq!(report["left_out"]["reasons"]["other_pair"], other, "{file}");
        s.run(&["import", &path, "--src", src, "--tgt", tgt])
            .stdout_has(format!("left out {other}: {other} of other languages"))
            .ok();
    }
    // No unit of the pair at all: the pair asked for is wrong.
    let s = Sandbox::new();
    s.fails_with(
        &[
            "import",
            &fixture_str("tests/fixtures/lisa/ImportTest1K.tmx"),
            "--src",
            "ar",
            "--tgt",
            "en",
        ],
        "ImportTest1K.tmx: no unit has both ar and en",
    );
    assert!(!s.db().exists(), "a failed first import leaves no memory");
}

#[test]
fn export_refuses_xliff_and_says_where_it_comes_from() {
    let s = Sandbox::new();
    s.ok(&["import", &fixture_str("tm/sample.tmx")]);
    let out = s.path("memory.xlf");
    s.fails_with(&["export", out.to_str().unwrap()], "tm pretranslate");
    assert!(!out.exists());
}

#[test]
fn pretranslation_groups_paragraphs_in_xliff_1_2_and_2_1() {
    let s = Sandbox::new();
    s.ok(&["import", &fixture_str("tm/sample.tmx")]);
    let stored = s
        .units()
        .into_iter()
        .find(|u| u.tuid.as_deref() == Some("sample-005"))
        .unwrap();
    let doc = s.path("news.txt");
    std::fs::write(
        &doc,
        format!(
            "{} {}\n\n{}\n",
            REPORT[0].0, REPORT[1].0, stored.source.text
        ),
    )
    .unwrap();
    let write = |format: &str, name: &str| {
        let out = s.path(name);
        s.ok(&[
            "pretranslate",
            doc.to_str().unwrap(),
            "--format",
            format,
            "-o",
            out.to_str().unwrap(),
        ]);
        std::fs::read_to_string(out).unwrap()
    };
    let v12 = write("xliff", "news.xlf");
    assert_eq!(v12.matches("<group ").count(), 2, "{v12}");
    assert_eq!(v12.matches("<trans-unit ").count(), 3, "{v12}");
    let v21 = write("xliff2", "news2.xlf");
    assert!(
        v21.contains(r#"version="2.1" srcLang="ar" trgLang="en""#),
        "{v21}"
    );
    assert_eq!(
        v21.matches("<unit ").count(),
        2,
        "a unit a paragraph: {v21}"
    );
    assert_eq!(v21.matches("<segment ").count(), 3, "{v21}");
    assert_eq!(
        v21.matches("<ignorable>").count(),
        1,
        "the space between two sentences"
    );
    assert_eq!(v21.matches(r#"state="translated""#).count(), 1, "{v21}");
    assert_eq!(v21.matches(r#"state="initial""#).count(), 2, "{v21}");
    // Both read back through tm's own reader: the one translated segment, whose target is the
    // stored English.
    for name in ["news.xlf", "news2.xlf"] {
        let again = Sandbox::new();
        let report = again.json(&["import", s.path(name).to_str().unwrap(), "--json"]);
        assert_eq!(report["units"], 1, "{name}: {report}");
        assert_eq!(report["left_out"]["reasons"]["untranslated"], 2, "{name}");
        assert_eq!(again.units()[0].target.text, stored.target.text);
    }
}

/// Found in review: the last segment of one `<file>` and the first of the next were stored as
/// neighbours, so they gave context matches across two documents.
#[test]
fn segments_of_two_documents_are_not_each_others_context() {
    let s = Sandbox::new();
    let (a, b) = (REPORT[0], REPORT[1]);
    let file = |name: &str, (ar, en): (&str, &str)| {
        format!(
            r#"<file original="{name}" source-language="ar" target-language="en"><body><trans-unit id="1" approved="yes"><source>{ar}</source><target>{en}</target></trans-unit></body></file>"#
        )
    };
    let two = format!(
        r#"<xliff version="1.2">{}{}</xliff>"#,
        file("one.txt", a),
        file("two.txt", b)
    );
    let one = format!(r#"<xliff version="1.2">{}{}</xliff>"#, file("one.txt", a), "")
        .replace("</body></file>", &format!(
            r#"<trans-unit id="2" approved="yes"><source>{}</source><target>{}</target></trans-unit></body></file>"#,
            b.0, b.1
        ));
    let doc = s.path("doc.txt");
    std::fs::write(&doc, format!("{}\n{}\n", a.0, b.0)).unwrap();
    let mut kinds = Vec::new();
    for (name, xml) in [("two.xlf", two), ("one.xlf", one)] {
        let memory = Sandbox::new();
        let path = memory.path(name);
        std::fs::write(&path, xml).unwrap();
        memory.ok(&["import", path.to_str().unwrap()]);
        let out = memory.ok(&["pretranslate", doc.to_str().unwrap(), "--lines", "--json"]);
        let first: serde_json::Value = serde_json::from_str(out.lines().next().unwrap()).unwrap();
        kinds.push(first["match"]["kind"].as_str().unwrap().to_string());
    }
    assert_eq!(kinds, ["exact", "context"], "two documents, then one");
}

/// `pretranslate --format xliff2` is valid XLIFF 2 by the OASIS core schema (xmllint, no network); the
/// schema is copied beside the file because xmllint cannot open one under a path with spaces or Arabic.
#[test]
fn pretranslated_xliff_2_validates_against_the_oasis_schema() {
    if !crate::support::have_xmllint() {
        return;
    }
    let s = Sandbox::new();
    s.ok(&["import", &fixture_str("tm/sample.tmx")]);
    let sample = s.units();
    let doc = s.path("doc.txt");
    std::fs::write(
        &doc,
        format!(
            "{} {}\n\n{} & <{}>\n",
            sample[4].source.text, REPORT[0].0, sample[5].source.text, REPORT[1].0
        ),
    )
    .unwrap();
    let out = s.path("doc.xlf");
    s.ok(&[
        "pretranslate",
        doc.to_str().unwrap(),
        "--format",
        "xliff2",
        "-o",
        out.to_str().unwrap(),
    ]);
    let schema = crate::support::fixture("tests/fixtures/xliff-schema");
    let w3c = s
        .dir
        .path()
        .join("informativeCopiesOf3rdPartySchemas")
        .join("w3c");
    std::fs::create_dir_all(&w3c).unwrap();
    std::fs::copy(
        schema.join("xliff_core_2.0.xsd"),
        s.path("xliff_core_2.0.xsd"),
    )
    .unwrap();
    std::fs::copy(
        schema.join("informativeCopiesOf3rdPartySchemas/w3c/xml.xsd"),
        w3c.join("xml.xsd"),
    )
    .unwrap();
    let check = |name: &str| {
        std::process::Command::new("xmllint")
            .current_dir(s.dir.path())
            .args(["--noout", "--nonet", "--schema", "xliff_core_2.0.xsd", name])
            .output()
            .expect("run xmllint")
    };
    let result = check("doc.xlf");
    assert!(
        result.status.success(),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
    // The check can fail: a state XLIFF 2 does not have is refused.
    let text = std::fs::read_to_string(&out).unwrap();
    std::fs::write(
        s.path("bad.xlf"),
        text.replacen("state=\"initial\"", "state=\"fuzzy\"", 1),
    )
    .unwrap();
    assert!(!check("bad.xlf").status.success());
}

/// `pretranslate --format xliff` (1.2, the default) is valid by the OASIS XLIFF 1.2 strict schema.
#[test]
fn pretranslated_xliff_1_2_validates_against_the_oasis_strict_schema() {
    if !crate::support::have_xmllint() {
        return;
    }
    let s = Sandbox::new();
    s.ok(&["import", &fixture_str("tm/sample.tmx")]);
    let sample = s.units();
    let doc = s.path("doc.txt");
    // Context, fuzzy and new segments, and text that needs escaping.
    std::fs::write(
        &doc,
        format!(
            "{} {} {}\n\n{} & <{}>\n",
            sample[3].source.text,
            sample[4].source.text,
            REPORT[0].0,
            sample[5].source.text,
            REPORT[1].0
        ),
    )
    .unwrap();
    let out = s.path("doc.xlf");
    s.ok(&[
        "pretranslate",
        doc.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    let schema = crate::support::fixture("tests/fixtures/xliff-schema");
    std::fs::copy(
        schema.join("xliff-core-1.2-strict.xsd"),
        s.path("xliff-core-1.2-strict.xsd"),
    )
    .unwrap();
    std::fs::copy(
        schema.join("informativeCopiesOf3rdPartySchemas/w3c/xml.xsd"),
        s.path("xml.xsd"),
    )
    .unwrap();
    let check = |name: &str| {
        std::process::Command::new("xmllint")
            .current_dir(s.dir.path())
            .args([
                "--noout",
                "--nonet",
                "--schema",
                "xliff-core-1.2-strict.xsd",
                name,
            ])
            .output()
            .expect("run xmllint")
    };
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.contains("approved=\"yes\""), "{text}");
    assert!(text.contains("<group"), "{text}");
    let result = check("doc.xlf");
    assert!(
        result.status.success(),
        "{}\n{text}",
        String::from_utf8_lossy(&result.stderr)
    );
    // The check can fail: a state XLIFF 1.2 does not have is refused.
    std::fs::write(
        s.path("bad.xlf"),
        text.replacen("approved=\"yes\"", "approved=\"maybe\"", 1),
    )
    .unwrap();
    assert!(!check("bad.xlf").status.success());
}

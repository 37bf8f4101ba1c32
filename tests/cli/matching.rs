//! lookup, concordance, pretranslate and analyze through the binary.

use crate::support::{fixture_str, Sandbox};

fn with_sample() -> Sandbox {
    let s = Sandbox::new();
    s.ok(&["import", &fixture_str("tm/sample.tmx")]);
    s
}

fn json_lines(out: &[u8]) -> Vec<serde_json::Value> {
    String::from_utf8_lossy(out)
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect()
}

#[test]
fn lookup_json_has_the_fields_other_tools_script_against() {
    let s = with_sample();
    let out = s.stdout(&[
        "lookup",
        "--json",
        "دخلت قافلة من 17 شاحنة محملة بالأسلحة إلى مدينة البوكمال",
    ]);
    let answers = json_lines(&out);
    assert_eq!(answers.len(), 1);
    let m = &answers[0]["matches"][0];
    for field in [
        "score",
        "kind",
        "source",
        "target",
        "suggestion",
        "origin",
        "diff",
    ] {
        assert!(m.get(field).is_some(), "missing {field}: {m}");
    }
    // Only the number differs (the stored source also has a shadda): kind and suggestion say so.
    assert_eq!(m["kind"], "numbers");
    assert_eq!(m["score"], 95);
    assert!(m["suggestion"]
        .as_str()
        .unwrap()
        .starts_with("A convoy of 17 trucks"));
    let diff = &m["diff"][0];
    assert_eq!(diff["op"], "variant");
    let number = diff["text"].as_str().unwrap();
    assert!(number == "12" || number == "١٥", "{number}");
}

/// A query word the stored source lacks is given as the query has it, harakat and all (a web page or
/// a CAT tool shows it to the translator), at the place it would go.
#[test]
fn a_missing_word_is_given_as_the_query_wrote_it() {
    let s = with_sample();
    let out = s.stdout(&[
        "lookup",
        "--json",
        "دخلت قافلة كبيرةٌ من 17 شاحنة محملة بالأسلحة إلى مدينة البوكمال",
    ]);
    let m = &json_lines(&out)[0]["matches"][0];
    let missing: Vec<&serde_json::Value> = m["diff"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["op"] == "missing")
        .collect();
    assert_eq!(missing.len(), 1, "{m}");
    assert_eq!(missing[0]["text"], "كبيرةٌ");
    assert_eq!(missing[0]["start"], missing[0]["end"]);
    // After "دخلت قافلة" (10 characters) in the stored source.
    assert_eq!(missing[0]["start"], 10);
}

#[test]
fn normalized_and_exact_matches_score_100_and_say_which() {
    let s = with_sample();
    let out = s.stdout(&["lookup", "--json", "حزب الله"]);
    let m = &json_lines(&out)[0]["matches"][0];
    assert_eq!(
        (m["score"].as_u64(), m["kind"].as_str()),
        (Some(100), Some("exact"))
    );
    // Harakat and a tatweel added: the same segment after normalization.
    let out = s.stdout(&["lookup", "--json", "حِزبُ اللـه"]);
    let m = &json_lines(&out)[0]["matches"][0];
    assert_eq!(
        (m["score"].as_u64(), m["kind"].as_str()),
        (Some(100), Some("normalized"))
    );
    assert_eq!(m["target"], "Hizbullah");
}

#[test]
fn batch_lookup_answers_each_line_in_order_and_min_filters() {
    let s = with_sample();
    let out = s
        .run(&["lookup", "-", "--json", "--min", "90"])
        .stdin("حزب الله\n\nكلمات لا توجد في الذاكرة أبدا\nالبوكمال\n")
        .ok();
    let answers = json_lines(out.as_bytes());
    assert_eq!(answers.len(), 4, "every line is answered, a blank one too");
    assert_eq!(answers[0]["query"], "حزب الله");
    assert_eq!(
        (
            answers[1]["query"].as_str(),
            answers[1]["matches"].as_array().map(Vec::len)
        ),
        (Some(""), Some(0))
    );
    assert_eq!(answers[2]["matches"].as_array().unwrap().len(), 0);
    assert_eq!(answers[3]["matches"][0]["target"], "Al-Bukamal");
    for a in &answers {
        for m in a["matches"].as_array().unwrap() {
            assert!(m["score"].as_u64().unwrap() >= 90);
        }
    }
}

#[test]
fn lookup_reads_a_memory_file_without_importing_it() {
    let s = Sandbox::new();
    s.run(&[
        "lookup",
        "--memory",
        &fixture_str("tm/sample.tmx"),
        "وحزب الله",
    ])
    .stdout_has("75")
    .stdout_has("Hizbullah")
    .stdout_has("[[حزب]]")
    .ok();
    assert!(!s.db().exists());
}

#[test]
fn lookup_in_a_missing_memory_is_a_clear_error() {
    let s = Sandbox::new();
    s.fails_with(&["lookup", "حزب الله"], "no memory at");
    s.fails_with(
        &["lookup", "--memory", "nowhere.tmx", "حزب الله"],
        "nowhere.tmx",
    );
}

#[test]
fn concordance_finds_arabic_through_clitics_and_english_by_word() {
    let s = with_sample();
    let json = s.json(&["concordance", "--json", "المقاومة"]);
    let hits = json["hits"].as_array().unwrap();
    assert!(hits.len() >= 5);
    let texts: Vec<String> = hits
        .iter()
        .map(|h| {
            let source = h["source"].as_str().unwrap();
            let span = &h["spans"][0];
            let (a, b) = (
                span["start"].as_u64().unwrap() as usize,
                span["end"].as_u64().unwrap() as usize,
            );
            source.chars().skip(a).take(b - a).collect()
        })
        .collect();
    assert!(
        texts
            .iter()
            .any(|t| t == "والمقاومة" || t == "للمقاومة" || t == "بالمقاومة"),
        "{texts:?}"
    );
    s.run(&["concordance", "Hizbullah Brigades", "--limit", "3"])
        .stdout_has("[[Hizbullah Brigades]]")
        .ok();
}

#[test]
fn pretranslate_writes_tsv_tmx_and_xliff_with_context_matches() {
    let s = with_sample();
    // Three segments that follow each other in the sample memory: the middle one is a context match.
    let units = s.units();
    let i = units
        .iter()
        .position(|u| u.tuid.as_deref() == Some("sample-005"))
        .unwrap();
    let doc = s.path("doc.txt");
    std::fs::write(
        &doc,
        format!(
            "{}\n{}\n{}\nجملة لا مثيل لها في الذاكرة\n",
            units[i - 1].source.text,
            units[i].source.text,
            units[i + 1].source.text
        ),
    )
    .unwrap();
    let out = s.stdout(&["pretranslate", doc.to_str().unwrap()]);
    let tsv = String::from_utf8(out).unwrap();
    let rows: Vec<Vec<&str>> = tsv.lines().map(|l| l.split('\t').collect()).collect();
    assert_eq!(rows[0], ["ar", "en", "score", "kind"]);
    assert_eq!(rows[2][3], "context", "{tsv}");
    assert_eq!(rows[2][1], units[i].target.text);
    assert_eq!(rows[4][3], "new");

    let xlf = s.path("doc.xlf");
    s.ok(&[
        "pretranslate",
        doc.to_str().unwrap(),
        "--format",
        "xliff",
        "-o",
        xlf.to_str().unwrap(),
    ]);
    let xliff = std::fs::read_to_string(&xlf).unwrap();
    assert_eq!(xliff.matches("<trans-unit ").count(), 4);
    assert_eq!(xliff.matches("<target ").count(), 3);
    // The three context matches are the translation: approved, as CAT tools and pocount count them.
    assert_eq!(xliff.matches(r#"approved="yes""#).count(), 3, "{xliff}");

    let tmx = s.path("doc.tmx");
    s.ok(&[
        "pretranslate",
        doc.to_str().unwrap(),
        "--format",
        "tmx",
        "-o",
        tmx.to_str().unwrap(),
    ]);
    let again = Sandbox::new();
    again.ok(&["import", tmx.to_str().unwrap()]);
    assert_eq!(again.units().len(), 3);
}

#[test]
fn analyze_counts_bands_and_repetitions() {
    let s = with_sample();
    let doc = s.path("doc.txt");
    std::fs::write(
        &doc,
        "حزب الله\nحزبُ الله\nدخلت قافلة من 17 شاحنة محملة بالأسلحة إلى مدينة البوكمال\nجملة لا مثيل لها في الذاكرة\n",
    )
    .unwrap();
    let json = s.json(&["analyze", "--json", doc.to_str().unwrap()]);
    assert_eq!(json["segments"], 4);
    let band = |name: &str| {
        json["bands"]
            .as_array()
            .unwrap()
            .iter()
            .find(|b| b["band"] == name)
            .map(|b| b["segments"].as_u64().unwrap())
            .unwrap()
    };
    assert_eq!(band("100"), 1);
    assert_eq!(band("repetition"), 1);
    assert_eq!(band("95-99"), 1);
    assert_eq!(band("new"), 1);
    s.run(&["analyze", doc.to_str().unwrap()])
        .stdout_has("repetition")
        .stdout_has("total")
        .ok();
}

/// Documents as translators receive them: several at once, in Windows-1256, saved by Notepad as UTF-16
/// with a BOM, or piped in. A segment repeated from an earlier document is a repetition.
#[test]
fn analyze_and_pretranslate_read_any_encoding_several_files_and_stdin() {
    let s = with_sample();
    let first = s.path("first.txt");
    let second = s.path("second.txt");
    let notepad = s.path("notepad.txt");
    let (cp1256, _, _) = encoding_rs::WINDOWS_1256.encode("حزب الله\nجملة لا مثيل لها في الذاكرة\n");
    std::fs::write(&first, &cp1256).unwrap();
    let (cp1256, _, _) = encoding_rs::WINDOWS_1256.encode("جملة لا مثيل لها في الذاكرة\n");
    std::fs::write(&second, &cp1256).unwrap();
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend("حزب الله\n".encode_utf16().flat_map(|u| u.to_le_bytes()));
    std::fs::write(&notepad, &utf16).unwrap();
    let [first, second, notepad] =
        [&first, &second, &notepad].map(|p| p.to_str().unwrap().to_string());

    s.fails_with(
        &["analyze", "--lines", &first],
        "first.txt:1:1: not valid UTF-8",
    );
    let out = s.ok(&[
        "analyze",
        "--lines",
        "--json",
        "--encoding",
        "windows-1256",
        &first,
        &second,
        &notepad,
    ]);
    let reports: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(reports.len(), 4, "{out}");
    let band = |r: &serde_json::Value, name: &str| {
        (r["bands"].as_array().unwrap().iter())
            .find(|b| b["band"] == name)
            .map(|b| b["segments"].as_u64().unwrap())
            .unwrap()
    };
    assert_eq!(reports[0]["file"], first.as_str());
    assert_eq!((band(&reports[0], "100"), band(&reports[0], "new")), (1, 1));
    // The second document's sentence and the UTF-16 file's name were met before: repetitions.
    assert_eq!(band(&reports[1], "repetition"), 1);
    assert_eq!(
        band(&reports[2], "repetition"),
        1,
        "the BOM wins over --encoding"
    );
    assert_eq!(reports[3]["file"], serde_json::Value::Null);
    assert_eq!(reports[3]["files"], 3);
    assert_eq!(reports[3]["segments"], 4);
    assert_eq!(band(&reports[3], "repetition"), 2);

    // Standard input, in the encoding named, alone.
    let piped = std::fs::read(&first).unwrap();
    s.run(&["pretranslate", "-", "--lines", "--encoding", "cp1256"])
        .stdin(piped.clone())
        .stdout_has("حزب الله\tHizbullah")
        .ok();
    s.run(&["analyze", "-", "--lines", "--encoding", "cp1256"])
        .stdin(piped)
        .stdout_has("new")
        .ok();
    s.fails_with(
        &["analyze", "-", &first],
        "standard input is read on its own",
    );
    s.fails_with(
        &["pretranslate", &first, "--encoding", "klingon"],
        "--encoding klingon: not an encoding tm knows",
    );
}

#[test]
fn pretranslate_splits_plain_text_into_sentences_unless_told_lines() {
    let s = with_sample();
    let doc = s.path("article.txt");
    std::fs::write(&doc, "حزب الله. القائم؟ قال د. أحمد إن البوكمال هادئة.\n").unwrap();
    let out = s.stdout(&["pretranslate", doc.to_str().unwrap()]);
    let tsv = String::from_utf8(out).unwrap();
    let sources: Vec<&str> = tsv
        .lines()
        .skip(1)
        .map(|l| l.split('\t').next().unwrap())
        .collect();
    assert_eq!(
        sources,
        ["حزب الله.", "القائم؟", "قال د. أحمد إن البوكمال هادئة."]
    );
    let out = s.stdout(&["pretranslate", "--lines", doc.to_str().unwrap()]);
    assert_eq!(
        String::from_utf8(out).unwrap().lines().count(),
        2,
        "one line, one segment"
    );
}

/// Issue 16, item 1, as reported: a stored segment with three numbers, a query with two. No suggestion
/// may hold a number the query lacks: lookup, pretranslate's TSV, XLIFF and TMX keep the stored English,
/// say the numbers are unresolved, and never call the match `numbers`; the TMX, which pairs the new
/// Arabic with its English, leaves it out.
#[test]
fn numbers_that_do_not_pair_are_never_put_into_a_suggestion() {
    let s = Sandbox::new();
    let stored_en =
        "On September 23 and 24, 2024, two Arab media sources published reports on the attack.";
    s.ok(&[
        "add",
        "--source",
        "في 23 و24 سبتمبر 2024، نشر مصدران إعلاميان عربيان تقارير عن الهجوم.",
        "--target",
        stored_en,
    ]);
    let query = "في 30 أكتوبر 2025، نشر مصدران إعلاميان عربيان تقارير عن الهجوم.";
    let out = s.stdout(&["lookup", "--json", query]);
    let m = &json_lines(&out)[0]["matches"][0];
    assert_eq!(m["target"], stored_en, "{m}");
    assert!(m["suggestion"].is_null(), "{m}");
    assert_eq!(m["numbers"], "unresolved");
    assert_eq!(m["kind"], "fuzzy");
    let text = String::from_utf8(s.stdout(&["lookup", query])).unwrap();
    assert!(text.contains("could not be put in: check them"), "{text}");
    assert!(!text.contains("October 23"), "{text}");

    let doc = s.path("doc.txt");
    std::fs::write(&doc, format!("{query}\n")).unwrap();
    let tsv =
        String::from_utf8(s.stdout(&["pretranslate", doc.to_str().unwrap(), "--lines"])).unwrap();
    let row: Vec<&str> = tsv.lines().nth(1).unwrap().split('\t').collect();
    assert_eq!((row[1], row[3]), (stored_en, "fuzzy"), "{tsv}");
    for format in ["xliff", "tmx"] {
        let path = s.path(&format!("doc.{format}"));
        s.ok(&[
            "pretranslate",
            doc.to_str().unwrap(),
            "--lines",
            "--format",
            format,
            "-o",
            path.to_str().unwrap(),
        ]);
        let written = std::fs::read_to_string(&path).unwrap();
        assert!(
            !written.contains("October 23") && !written.contains("and 30"),
            "{written}"
        );
        if format == "tmx" {
            assert!(
                !written.contains("<tu"),
                "a fuzzy match is not the new segment's translation"
            );
        } else {
            assert!(written.contains("numbers unresolved"), "{written}");
        }
    }
}

/// Issue 16, item 4: a regional query finds units stored with the bare language, and the reverse, in
/// lookup, pretranslate, analyze and concordance; at equal scores the same region comes first.
#[test]
fn a_regional_query_finds_the_bare_language_and_prefers_its_own_region() {
    let s = Sandbox::new();
    let source = "أطلقت المقاومة الإسلامية في العراق طائرة مسيرة";
    s.ok(&[
        "add",
        "--source",
        source,
        "--target",
        "Bare: a drone was launched",
    ]);
    let regional = ["--src", "ar-IQ", "--tgt", "en-US"];
    let first_target = |args: &[&str]| {
        let out = s.stdout(&[&["lookup", "--json"], args, &[source]].concat());
        json_lines(&out)[0]["matches"][0]["target"].clone()
    };
    assert_eq!(first_target(&regional), "Bare: a drone was launched");
    let doc = s.path("doc.txt");
    std::fs::write(&doc, format!("{source}\n")).unwrap();
    let tsv = String::from_utf8(
        s.stdout(
            &[
                &["pretranslate", doc.to_str().unwrap(), "--lines"][..],
                &regional,
            ]
            .concat(),
        ),
    )
    .unwrap();
    assert!(tsv.contains("Bare: a drone was launched"), "{tsv}");
    let analysis = String::from_utf8(
        s.stdout(&[&["analyze", "--json", doc.to_str().unwrap()][..], &regional].concat()),
    )
    .unwrap();
    assert!(
        !analysis.contains("\"new\":1") && analysis.contains("100"),
        "{analysis}"
    );
    let hits = s.stdout(&[&["concordance", "--json", "المقاومة"][..], &regional].concat());
    assert_eq!(json_lines(&hits).len(), 1);

    // The same segment stored for Iraq and the U.S.: a regional query gets it first though it is
    // older; a bare query still gets the newer, bare one.
    s.ok(&[
        &[
            "add",
            "--source",
            source,
            "--target",
            "Regional: a drone was launched",
        ][..],
        &regional,
    ]
    .concat());
    s.ok(&[
        "add",
        "--source",
        source,
        "--target",
        "Bare again: a drone was launched",
    ]);
    assert_eq!(first_target(&regional), "Regional: a drone was launched");
    assert_eq!(first_target(&[]), "Bare again: a drone was launched");
    // A bare memory query reaches regional units too.
    let out = s.stdout(&["lookup", "--json", "--src", "ar", source]);
    assert_eq!(json_lines(&out)[0]["matches"].as_array().unwrap().len(), 3);
}

/// Issue 16, item 5: every command answers `--json` with JSON on standard output: here the ones that
/// printed text or nothing (pretranslate, align --import and --batch, names add/remove/import/export).
#[test]
fn commands_that_printed_text_answer_json() {
    let s = with_sample();
    let doc = s.path("doc.txt");
    std::fs::write(&doc, "وصل الوفد إلى البوكمال\nجملة لا مثيل لها\n").unwrap();
    let lines =
        json_lines(&s.stdout(&["--json", "pretranslate", doc.to_str().unwrap(), "--lines"]));
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["segment"], "وصل الوفد إلى البوكمال");
    assert!(lines[1]["match"].is_null());
    let xlf = s.path("doc.xlf");
    let out = s.json(&[
        "--json",
        "pretranslate",
        doc.to_str().unwrap(),
        "--lines",
        "--format",
        "xliff",
        "-o",
        xlf.to_str().unwrap(),
    ]);
    assert_eq!(
        (out["segments"].as_u64(), out["output"].as_str()),
        (Some(2), xlf.to_str())
    );

    let (ar, en) = (s.path("ar.txt"), s.path("en.txt"));
    std::fs::write(&ar, "وصل الوفد إلى البوكمال.\n").unwrap();
    std::fs::write(&en, "The delegation reached Al-Bukamal.\n").unwrap();
    let out = s.json(&[
        "--json",
        "align",
        ar.to_str().unwrap(),
        en.to_str().unwrap(),
        "--import",
    ]);
    assert_eq!(
        (out["imported"].as_u64(), out["document_pairs"].as_u64()),
        (Some(1), Some(1))
    );
    let list = s.path("list.tsv");
    std::fs::write(&list, "ar.txt\ten.txt\tpairs.tsv\n").unwrap();
    let out = s.json(&["--json", "align", "--batch", list.to_str().unwrap()]);
    assert_eq!(
        (out["aligned"].as_u64(), out["pairs"].as_u64()),
        (Some(1), Some(1))
    );

    let out = s.json(&[
        "--json",
        "names",
        "add",
        "--arabic",
        "جاسم",
        "--english",
        "Jasim",
        "--kind",
        "person",
    ]);
    assert_eq!(out["added"]["english"], "Jasim");
    let names = s.path("names.tsv");
    let out = s.json(&[
        "--json",
        "names",
        "export",
        "--user",
        names.to_str().unwrap(),
    ]);
    assert_eq!(out["exported"], 1);
    let out = s.json(&["--json", "names", "remove", "جاسم"]);
    assert_eq!(out["removed"], "جاسم");
    let out = s.json(&["--json", "names", "import", names.to_str().unwrap()]);
    assert_eq!(out["imported"], 1);
}

/// Issue 16, item 8: `--min 0` is taken as the help says, `--top 0` is refused rather than answered
/// with "no match".
#[test]
fn min_zero_is_taken_and_top_zero_is_refused() {
    let s = with_sample();
    s.ok(&["lookup", "--min", "0", "حزب الله"]);
    s.fails_with(&["lookup", "--top", "0", "حزب الله"], "0 shows nothing");
}

/// Issue 16, item 8: `--color always` colours the differing words even into a pipe (for `less -R`);
/// by default a pipe gets `[[ ]]` marks and no escapes, and JSON never has colour.
#[test]
fn color_is_the_users_choice_but_never_in_data() {
    let s = with_sample();
    let query = "دخلت قافلة من 17 شاحنة محملة بالذخيرة إلى مدينة البوكمال";
    let piped = String::from_utf8(s.stdout(&["lookup", query])).unwrap();
    assert!(!piped.contains('\u{1b}') && piped.contains("[["), "{piped}");
    let always = String::from_utf8(s.stdout(&["lookup", "--color", "always", query])).unwrap();
    assert!(always.contains("\u{1b}["), "{always}");
    let json =
        String::from_utf8(s.stdout(&["lookup", "--json", "--color", "always", query])).unwrap();
    assert!(!json.contains('\u{1b}'), "{json}");
    s.run(&["lookup", "--color", "sometimes", query]).fails();
}

/// بأن, لأن, فإن, وإن against أن/إن: the particle with a proclitic is a variant (half a word), not
/// another word; كأن stays كان ("was").
#[test]
fn a_particle_with_a_proclitic_is_a_variant() {
    let s = Sandbox::new();
    s.ok(&[
        "add",
        "--source",
        "وأكد المصدر أن القافلة دخلت المدينة",
        "--target",
        "The source stressed that the convoy entered the city",
    ]);
    for query in [
        "وأكد المصدر بأن القافلة دخلت المدينة",
        "وأكد المصدر لأن القافلة دخلت المدينة",
        "وأكد المصدر فإن القافلة دخلت المدينة",
        "وأكد المصدر وإن القافلة دخلت المدينة",
    ] {
        let json = s.json(&["lookup", "--json", query]);
        let m = &json["matches"][0];
        assert_eq!(m["score"], 91, "0.5 over 6 words: {json}");
        assert_eq!(m["diff"][0]["op"], "variant", "{json}");
    }
    let json = s.json(&[
        "lookup",
        "--json",
        "--min",
        "50",
        "وأكد المصدر كأن القافلة دخلت المدينة",
    ]);
    assert_eq!(json["matches"][0]["diff"][0]["op"], "replace", "{json}");
}

/// Several documents: a file each in the folder -o names, or JSON lines that say whose; never one
/// stream where a CAT tool could not tell them apart.
#[test]
fn pretranslate_writes_several_documents_a_file_each() {
    let s = with_sample();
    let (first, second) = (s.path("first.txt"), s.path("second.txt"));
    std::fs::write(&first, "حزب الله\nجملة لا مثيل لها في الذاكرة\n").unwrap();
    std::fs::write(&second, "حزب الله\n").unwrap();
    let (first, second) = (first.to_str().unwrap(), second.to_str().unwrap());
    let out = s.path("out");
    std::fs::create_dir(&out).unwrap();
    s.run(&[
        "pretranslate",
        "--lines",
        "--format",
        "xliff",
        "-o",
        out.to_str().unwrap(),
        first,
        second,
    ])
    .stderr_has("first.txt: 1 of 2 segments")
    .stderr_has("second.txt: 1 of 1 segments")
    .ok();
    let xliff = std::fs::read_to_string(out.join("first.xlf")).unwrap();
    assert_eq!(xliff.matches("<trans-unit ").count(), 2);
    assert!(
        xliff.contains("original=\"") && xliff.contains("first.txt"),
        "{xliff}"
    );
    let xliff = std::fs::read_to_string(out.join("second.xlf")).unwrap();
    assert_eq!(xliff.matches("<trans-unit ").count(), 1);
    // A dotted name keeps its dots: report.v2.txt and report.v3.txt are two outputs, not one.
    let (v2, v3) = (s.path("report.v2.txt"), s.path("report.v3.txt"));
    std::fs::write(&v2, "حزب الله\n").unwrap();
    std::fs::write(&v3, "حزب الله\n").unwrap();
    let (v2, v3) = (v2.to_str().unwrap(), v3.to_str().unwrap());
    s.ok(&[
        "pretranslate",
        "--lines",
        "-o",
        out.to_str().unwrap(),
        v2,
        v3,
    ]);
    assert!(out.join("report.v2.tsv").is_file() && out.join("report.v3.tsv").is_file());

    let lines: Vec<serde_json::Value> = s
        .ok(&["pretranslate", "--lines", "--json", first, second])
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let files: Vec<&str> = lines.iter().map(|l| l["file"].as_str().unwrap()).collect();
    assert_eq!(files, [first, first, second]);
    assert_eq!(lines[2]["match"]["target"], "Hizbullah");

    s.fails_with(
        &["pretranslate", first, second],
        "several documents need -o FOLDER",
    );
    s.fails_with(
        &["pretranslate", first, second, "-o", first],
        "several documents are written a file each into a folder",
    );
}

#[test]
fn a_penalized_origin_scores_lower_and_is_never_taken_as_the_translation() {
    let s = Sandbox::new();
    let source = "أعلنت حركة النجباء استهداف قاعدة عين الأسد بطائرة مسيرة";
    for (target, origin) in [
        (
            "Al-Nujaba Movement announced it targeted Ain Al-Asad base with a drone",
            "aligned",
        ),
        (
            "The Al-Nujaba Movement announced that it targeted the Ain Al-Asad base with a drone",
            "desk",
        ),
    ] {
        s.ok(&[
            "add", "--source", source, "--target", target, "--origin", origin,
        ]);
    }
    let json = s.json(&["lookup", source, "--json", "--penalty", "aligned=10"]);
    let m = &json["matches"];
    assert_eq!(
        (m[0]["origin"].as_str(), m[0]["score"].as_u64()),
        (Some("desk"), Some(100))
    );
    assert_eq!(m[0].get("penalty"), None);
    assert_eq!(
        (m[1]["origin"].as_str(), m[1]["score"].as_u64()),
        (Some("aligned"), Some(90))
    );
    assert_eq!(m[1]["penalty"], 10);
    // Below --min after the penalty: not shown.
    let json = s.json(&[
        "lookup",
        source,
        "--json",
        "--penalty",
        "aligned=10",
        "--min",
        "95",
    ]);
    assert_eq!(json["matches"].as_array().unwrap().len(), 1);
    s.fails_with(
        &["lookup", source, "--penalty", "aligned"],
        "a penalty is ORIGIN=N",
    );

    // Pretranslation with every origin penalized: the exact match is offered, never approved, and
    // kept out of the TMX of certain translations.
    let doc = s.path("doc.txt");
    std::fs::write(&doc, format!("{source}\n")).unwrap();
    let penalties = ["--penalty", "aligned=10", "--penalty", "desk=5", "--lines"];
    let xlf = s.path("doc.xlf");
    let args = [
        "pretranslate",
        doc.to_str().unwrap(),
        "--format",
        "xliff",
        "-o",
        xlf.to_str().unwrap(),
    ];
    s.ok(&[&args[..], &penalties[..]].concat());
    let xliff = std::fs::read_to_string(&xlf).unwrap();
    assert!(!xliff.contains("approved=\"yes\""), "{xliff}");
    assert!(
        xliff.contains("state=\"needs-review-translation\""),
        "{xliff}"
    );
    assert!(
        xliff.contains("95 context, 5 points off for its origin"),
        "{xliff}"
    );
    let tmx = s.path("doc.tmx");
    let args = [
        "pretranslate",
        doc.to_str().unwrap(),
        "--format",
        "tmx",
        "-o",
        tmx.to_str().unwrap(),
    ];
    s.ok(&[&args[..], &penalties[..]].concat());
    assert!(!std::fs::read_to_string(&tmx).unwrap().contains("<tu"));
}

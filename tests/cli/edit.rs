//! Maintaining a memory: `tm edit`, `tm replace`, `tm list` filters; and the word index staying right
//! through them (the lookups after a change are those a `tm reindex` gives).

use crate::support::{fixture_str, Sandbox};

fn with_sample() -> Sandbox {
    let s = Sandbox::new();
    s.ok(&["import", &fixture_str("tm/sample.tmx")]);
    s
}

/// The sample's unit with this tuid, and its id.
fn unit_with_tuid(s: &Sandbox, tuid: &str) -> (i64, tm::unit::Unit) {
    let json = s.ok(&["list", "--limit", "1000", "--json"]);
    let units = s.units();
    let i = units
        .iter()
        .position(|u| u.tuid.as_deref() == Some(tuid))
        .unwrap();
    let line = json.lines().nth(i).unwrap();
    let row: serde_json::Value = serde_json::from_str(line).unwrap();
    (row["id"].as_i64().unwrap(), units[i].clone())
}

/// Every sample source and a few changed ones, looked up at a low threshold: what the index finds.
fn lookups(s: &Sandbox, extra: &[&str]) -> String {
    let mut queries: Vec<String> = s.units().into_iter().map(|u| u.source.text).collect();
    queries.extend(extra.iter().map(|q| q.to_string()));
    s.run(&["lookup", "-", "--json", "--min", "40", "--top", "5"])
        .stdin(queries.join("\n") + "\n")
        .ok()
}

#[test]
fn edit_changes_one_unit_in_place_with_its_date_and_user() {
    let s = with_sample();
    let (id, before) = unit_with_tuid(&s, "sample-005");
    let id_s = id.to_string();
    let new_source = "قال قيس الخزعلي إن الفصائل سترد على أي هجوم جديد في جرف الصخر.";
    let json = s.json(&[
        "edit",
        "--id",
        &id_s,
        "--source",
        new_source,
        "--note",
        "checked by the desk",
        "--json",
    ]);
    assert_eq!(json["id"], id);
    assert_eq!(json["merged_into"], serde_json::Value::Null);
    assert_eq!(json["source"], new_source);
    assert_eq!(json["target"], before.target.text.as_str());
    assert_eq!(json["changed_by"], "tester");
    let after = unit_with_tuid(&s, "sample-005").1;
    assert!(after.changed > before.changed, "the change date moves on");
    assert_eq!(after.created, before.created);
    assert_eq!(
        after.meta.annotations.last().unwrap().text,
        "checked by the desk"
    );
    // The new source is found at once, as an exact match, under the same id.
    let found = s.json(&["lookup", new_source, "--json"]);
    assert_eq!(found["matches"][0]["score"], 100);
    assert_eq!(found["matches"][0]["target"], before.target.text.as_str());
    // The old source is no longer an exact match.
    let old = s.json(&["lookup", &before.source.text, "--json", "--min", "95"]);
    assert_eq!(old["matches"].as_array().unwrap().len(), 0, "{old}");

    s.fails_with(
        &["edit", "--id", "99999", "--target", "x"],
        "no unit has id 99999",
    );
    s.fails_with(&["edit", "--id", &id_s], "say what to change");
    s.fails_with(
        &["edit", "--id", &id_s, "--target", " "],
        "--target is empty",
    );
}

#[test]
fn replace_previews_then_changes_every_unit_in_one_go() {
    let s = with_sample();
    let before = s.units();
    let with = before
        .iter()
        .filter(|u| u.target.text.contains("Hizbullah"))
        .count();
    assert!(with > 10, "the sample speaks of Hizbullah");
    // A dry run shows every change and counts it, and changes nothing.
    let preview = s.ok(&["replace", "Hizbullah", "Hezbollah", "--target", "--dry-run"]);
    assert!(preview.contains("  - "), "{preview}");
    assert!(
        preview.contains("[[Hizbullah]]"),
        "the match is marked: {preview}"
    );
    assert!(
        preview.contains(&format!("in {with} units (dry run")),
        "{preview}"
    );
    assert_eq!(s.units(), before);

    let report = s.json(&["replace", "Hizbullah", "Hezbollah", "--target", "--json"]);
    assert_eq!(report["units"], with);
    assert_eq!(report["changes"][0]["side"], "target");
    let after = s.units();
    assert_eq!(after.len(), before.len());
    for (b, a) in before.iter().zip(&after) {
        assert_eq!(
            a.target.text,
            b.target.text.replace("Hizbullah", "Hezbollah")
        );
        assert_eq!(a.source, b.source, "--target leaves sources alone");
    }
    // Whole words, and groups with --regex: "Hezbollah's" is not "Hezbollah" as a word once the
    // word boundary comes before the apostrophe... it is; so look at a case that differs.
    s.ok(&["replace", "Hezb", "X", "--word", "--target"]);
    assert_eq!(s.units(), after, "--word finds no whole word Hezb");
    s.ok(&[
        "replace",
        r"(\w+) Brigades",
        "Brigades of $1",
        "--regex",
        "--target",
    ]);
    assert!(s
        .units()
        .iter()
        .any(|u| u.target.text.contains("Brigades of Hezbollah")));
    s.fails_with(&["replace", "(", "x", "--regex"], "is not a valid pattern");
}

#[test]
fn replace_keeps_inline_codes_and_leaves_a_match_across_a_code_alone() {
    let s = Sandbox::new();
    let tmx = s.path("tags.tmx");
    std::fs::write(
        &tmx,
        r#"<?xml version="1.0"?><tmx version="1.4"><header srclang="ar"/><body>
<tu><tuv xml:lang="ar"><seg>بيان <bpt i="1">&lt;b&gt;</bpt>حزب الله<ept i="1">&lt;/b&gt;</ept></seg></tuv><tuv xml:lang="en"><seg>A <bpt i="1">&lt;b&gt;</bpt>Hezbollah<ept i="1">&lt;/b&gt;</ept> statement</seg></tuv></tu>
<tu><tuv xml:lang="ar"><seg>بيان آخر</seg></tuv><tuv xml:lang="en"><seg>Another Hez<ph x="1"/>bollah statement</seg></tuv></tu>
</body></tmx>"#,
    )
    .unwrap();
    s.ok(&["import", tmx.to_str().unwrap()]);
    let out = s.ok(&["replace", "Hezbollah", "Hizbullah", "--target"]);
    assert!(out.contains("replaced 1 occurrence in 1 unit"), "{out}");
    let units = s.units();
    assert_eq!(units[0].target.text, "A Hizbullah statement");
    assert_eq!(
        units[0].target.markup.as_deref(),
        Some(r#"A <bpt i="1">&lt;b&gt;</bpt>Hizbullah<ept i="1">&lt;/b&gt;</ept> statement"#)
    );
    // The plain text of the second has "Hezbollah", but a placeholder sits inside the word.
    assert!(
        out.contains("left alone: 1 unit where a match crosses an inline code"),
        "{out}"
    );
    assert_eq!(units[1].target.text, "Another Hezbollah statement");
}

#[test]
fn a_changed_memory_gives_the_lookups_a_reindex_gives() {
    let s = with_sample();
    // Sources replaced in many units, one edited to something shorter, one made identical to another
    // (merged), and the newest unit deleted so that its id comes back for the next one added.
    s.ok(&["replace", "حزب الله", "حزبالله", "--source"]);
    let (id, _) = unit_with_tuid(&s, "sample-010");
    let short = "أعلن حزبالله استهداف القاعدة";
    s.ok(&["edit", "--id", &id.to_string(), "--source", short]);
    let units = s.units();
    let (last, _) = unit_with_tuid(&s, units.last().unwrap().tuid.as_deref().unwrap());
    s.ok(&["delete", "--id", &last.to_string()]);
    s.run(&[
        "add",
        "--source",
        "عاجل: انفجارات",
        "--target",
        "Breaking: explosions",
    ])
    .stdout_has(format!("added as unit {last}"))
    .ok();
    let extra = [short, "عاجل: انفجارات", "عاجل: دوي انفجارات في محيط قاعدة"];
    let before = lookups(&s, &extra);
    s.ok(&["reindex"]);
    let after = lookups(&s, &extra);
    assert_eq!(before, after);
    // And the edited unit is found by its new text.
    let found = s.json(&["lookup", short, "--json"]);
    assert_eq!(found["matches"][0]["score"], 100, "{found}");
    let found = s.json(&["lookup", "عاجل: انفجارات", "--json"]);
    assert_eq!(
        found["matches"][0]["target"], "Breaking: explosions",
        "{found}"
    );
}

#[test]
fn list_filters_by_text_date_user_and_origin() {
    let s = with_sample();
    s.ok(&[
        "add",
        "--source",
        "قَيسُ الخزعلي",
        "--target",
        "Qais Al-Khazali",
        "--user",
        "huda",
    ]);
    // Text in matching form: no harakat in the query finds the unit that has them; case too.
    let found = s.ok(&["list", "--search", "قيس الخزعلي", "--json"]);
    assert!(found.contains("قَيسُ الخزعلي"), "{found}");
    let found = s.ok(&["list", "--search", "QAIS AL-KHAZALI", "--json"]);
    assert!(found.lines().count() >= 1, "{found}");
    let by_user = s.ok(&["list", "--user", "huda", "--json"]);
    assert_eq!(by_user.lines().count(), 1, "{by_user}");
    // The sample's dates are in 2024; the unit added now is the only one since 2026-01-01.
    let since = s.ok(&["list", "--since", "2026-01-01", "--json"]);
    assert_eq!(since.lines().count(), 1, "{since}");
    let none = s.ok(&["list", "--since", "20990101T000000Z", "--json"]);
    assert_eq!(none, "");
    s.fails_with(&["list", "--since", "yesterday"], "is not a date");
}

/// Found by comparing lookups with those after a reindex on random memories: an edited unit's old
/// postings (its old length) made lookups pass it over, where a reindexed memory finds it.
#[test]
fn an_edited_unit_is_not_passed_over_for_its_old_length() {
    let s = Sandbox::new();
    let units = [
        "قاعدة قصف النجباء قاعدة الزور قصف صواريخ مسيرة حزب الله",
        "البوكمال الصخر قصف",
        "دير بيان مسيرة",
        "جرف البوكمال غارة الصخر مسيرة مسيرة الزور جرف مسيرة النجباء كتائب الزور الصخر مسيرة دير",
        "الأسد النجباء النجباء دير صواريخ عين قصف الأسد كتائب الأسد",
        "بيان قاعدة صواريخ غارة مسيرة مسيرة البوكمال النجباء الأسد بيان جرف كتائب حزب",
        "حزب صواريخ مسيرة الأسد مسيرة الأسد النجباء حزب الله الله النجباء عين حزب الزور",
        "الله الله الزور حزب الأسد غارة البوكمال قصف الصخر قاعدة حزب جرف كتائب دير حزب الأسد",
        "عين غارة الله صواريخ الصخر",
        "جرف الصخر بيان الصخر حزب",
        "عين كتائب بيان الصخر مسيرة الله بيان مسيرة النجباء غارة النجباء",
        "عين مسيرة الله صواريخ مسيرة دير حزب بيان",
    ];
    let tsv: String = (units.iter().enumerate())
        .map(|(i, u)| format!("{u}\tE{i}\n"))
        .collect();
    s.run(&["import", "-", "--format", "tsv", "--no-header"])
        .stdin(tsv)
        .ok();
    for (id, source) in [
        ("7", "الأسد غارة قصف دير"),
        (
            "7",
            "الزور قاعدة بيان جرف دير الله البوكمال الصخر الصخر البوكمال غارة الزور",
        ),
        ("11", "غارة غارة الله البوكمال الله البوكمال النجباء"),
        ("1", "النجباء الصخر بيان"),
    ] {
        s.ok(&["edit", "--id", id, "--source", source]);
    }
    let query = "مسيرة الصخر كتائب كتائب بيان";
    let look = || s.json(&["lookup", query, "--json", "--min", "40"]);
    let before = look();
    assert_eq!(before["matches"][0]["target"], "E0", "{before}");
    s.ok(&["reindex"]);
    assert_eq!(look(), before);
}

/// Found in review: the highest id left drops after a second delete, and SQLite gives a deleted id
/// again; the new unit must not be judged by the deleted one's postings.
#[test]
fn a_deleted_id_given_again_is_judged_by_its_new_text() {
    let s = Sandbox::new();
    let words = "قال وزير الخارجية العراقي إن الحكومة ستعقد اجتماعا طارئا غدا";
    let w: Vec<&str> = words.split(' ').collect();
    let tsv = format!(
        "{} الأسبوع المقبل\tEIGHTY\n{} في بغداد لبحث الأزمة الحالية\told\nكلمة أخرى تماما هنا\tthird\n",
        w[..8].join(" "),
        w[..9].join(" ")
    );
    s.run(&["import", "-", "--format", "tsv", "--no-header"])
        .stdin(tsv)
        .ok();
    s.ok(&["delete", "--id", "2"]);
    s.ok(&["delete", "--id", "3"]);
    s.run(&["import", "-", "--format", "tsv", "--no-header"])
        .stdin(format!("{} أمس\tNINETY\n", w[..9].join(" ")))
        .ok();
    let best =
        || s.json(&["lookup", words, "--json", "--top", "1"])["matches"][0]["target"].clone();
    assert_eq!(best(), "NINETY");
    s.ok(&["reindex"]);
    assert_eq!(best(), "NINETY");
}

/// Found in review: a replacement that contains what it replaces, over two translations of one
/// source, merged one unit into the other's text before that one was changed, and lost a translation;
/// and a replacement with nothing left a unit without text, which no export could carry.
#[test]
fn replace_merges_only_what_ends_identical_and_never_empties_a_side() {
    let s = Sandbox::new();
    let tsv = "قال حزب الله\tHizbullah said\nقال حزب الله\tHizbullah (Lebanon) said\nالبوكمال\tAl-Bukamal\n";
    s.run(&["import", "-", "--format", "tsv", "--no-header"])
        .stdin(tsv)
        .ok();
    s.ok(&["replace", "Hizbullah", "Hizbullah (Lebanon)", "--target"]);
    let targets: Vec<String> = s.units().into_iter().map(|u| u.target.text).collect();
    assert_eq!(
        targets,
        [
            "Hizbullah (Lebanon) said",
            "Hizbullah (Lebanon) (Lebanon) said",
            "Al-Bukamal"
        ]
    );
    // Two translations made identical are one unit afterwards, its use count both of theirs.
    s.ok(&["replace", " (Lebanon) (Lebanon)", " (Lebanon)", "--target"]);
    let units = s.units();
    assert_eq!(units.len(), 2);
    assert_eq!(units[0].usage_count, Some(2));
    let out = s.ok(&["replace", "Al-Bukamal", "", "--target"]);
    assert!(
        out.contains("left alone: 1 unit whose text would be empty"),
        "{out}"
    );
    assert_eq!(s.units(), units);
}

/// Found in review: a note given with an edit that merges the unit into an identical one was lost.
#[test]
fn an_edit_that_merges_keeps_its_note() {
    let s = Sandbox::new();
    let tsv = "قال حزب الله\tHezbollah said\nقال حزب الله\tHizbullah said\n";
    s.run(&["import", "-", "--format", "tsv", "--no-header"])
        .stdin(tsv)
        .ok();
    let json = s.json(&[
        "edit",
        "--id",
        "1",
        "--target",
        "Hizbullah said",
        "--note",
        "house spelling",
        "--json",
    ]);
    assert_eq!(json["merged_into"], 2);
    let units = s.units();
    assert_eq!(units.len(), 1);
    assert_eq!(units[0].meta.annotations[0].text, "house spelling");
}

//! add, list, delete and dedupe.

use crate::support::Sandbox;

#[test]
fn adding_the_same_pair_twice_stores_it_once_with_a_use_count() {
    let s = Sandbox::new();
    let args = [
        "add",
        "--source",
        "قيس الخزعلي",
        "--target",
        "Qais Al-Khazali",
        "--origin",
        "memri",
    ];
    s.run(&args).stdout_is("added as unit 1\n").ok();
    s.run(&args).stdout_is("already stored as unit 1\n").ok();
    s.run(&[
        "add",
        "--source",
        "قيس الخزعلي",
        "--target",
        "Qais al-Khazali",
        "--json",
    ])
    .stdout_is("{\"id\":2,\"new\":true}\n")
    .ok();
    let units = s.units();
    assert_eq!(units.len(), 2, "one source, two translations");
    assert_eq!(units[0].usage_count, Some(2));
    assert_eq!(units[0].created_by.as_deref(), Some("tester"));
    s.run(&["add", "--source", " ", "--target", "x"]).fails();
}

#[test]
fn delete_needs_a_criterion_and_can_dry_run() {
    let s = Sandbox::new();
    for (ar, en, origin) in [
        ("البوكمال", "Al-Bukamal", "a"),
        ("القائم", "Al-Qa'im", "a"),
        ("دير الزور", "Deir Al-Zour", "b"),
    ] {
        s.ok(&["add", "--source", ar, "--target", en, "--origin", origin]);
    }
    s.fails_with(&["delete"], "say which units to delete");
    s.run(&["delete", "--origin", "a", "--dry-run"])
        .stdout_is("would delete 2 units\n")
        .ok();
    assert_eq!(s.segments(), 3);
    s.run(&["delete", "--origin", "a"])
        .stdout_is("deleted 2 units\n")
        .ok();
    s.run(&["delete", "--id", "3", "--json"])
        .stdout_is("{\"deleted\":1,\"dry_run\":false}\n")
        .ok();
    assert_eq!(s.segments(), 0);
}

#[test]
fn list_prints_a_table_and_json_lines() {
    let s = Sandbox::new();
    s.ok(&[
        "add",
        "--source",
        "حركة النجباء",
        "--target",
        "Al-Nujaba Movement",
    ]);
    s.ok(&[
        "add",
        "--source",
        "عصائب أهل الحق",
        "--target",
        "Asa'ib Ahl Al-Haq",
    ]);
    // Not a terminal: logical order, no marks, so the output can be piped.
    let out = s.stdout(&["list"]);
    let text = String::from_utf8(out).unwrap();
    assert!(text.contains("حركة النجباء"), "{text}");
    assert!(!text.contains('\u{200e}'));
    s.run(&["list", "--json", "--limit", "1"])
        .stdout_has("\"source\":\"عصائب أهل الحق\"")
        .stdout_has("\"id\":2")
        .ok();
    // Forced visual order reverses the Arabic for terminals that do not.
    s.run(&["list", "--bidi", "visual", "--limit", "1"])
        .stdout_has("قحلا لهأ بئاصع")
        .ok();
}

#[test]
fn dedupe_merges_units_that_differ_in_harakat_and_spacing() {
    let s = Sandbox::new();
    s.ok(&["add", "--source", "حزبُ اللهِ", "--target", "Hizbullah"]);
    s.ok(&["add", "--source", "حزب الله", "--target", "Hizbullah "]);
    s.ok(&["add", "--source", "حزب الله", "--target", "Hezbollah"]);
    s.run(&["dedupe", "--dry-run"])
        .stdout_has("would remove 1 duplicate units in 1 groups")
        .ok();
    assert_eq!(s.segments(), 3);
    s.run(&["dedupe"])
        .stdout_has("removed 1 duplicate units")
        .ok();
    assert_eq!(s.segments(), 2);
}

#[test]
fn origins_lists_what_stats_counts() {
    let s = Sandbox::new();
    let sample = crate::support::fixture_str("tm/sample.tmx");
    s.ok(&["import", &sample, "--origin", "سبتمبر 2024"]);
    s.ok(&[
        "add",
        "--source",
        "معبر السكك",
        "--target",
        "the Al-Sikak crossing",
    ]);
    s.ok(&[
        "add",
        "--source",
        "قرية الهري الحدودية",
        "--target",
        "the border village of Al-Hari",
        "--origin",
        "desk",
    ]);
    let stats = s.json(&["stats", "--json"]);
    assert_eq!(stats["origins"], 2, "{stats}");

    let lines: Vec<serde_json::Value> = s
        .ok(&["origins", "--json"])
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON object a line"))
        .collect();
    let listed: Vec<(Option<&str>, u64)> = (lines.iter())
        .map(|o| (o["origin"].as_str(), o["units"].as_u64().unwrap()))
        .collect();
    assert_eq!(
        listed,
        [(Some("سبتمبر 2024"), 133), (None, 1), (Some("desk"), 1)]
    );
    // Each listed origin is what --origin selects.
    assert_eq!(
        s.ok(&["list", "--origin", "desk", "--json"])
            .lines()
            .count(),
        1
    );

    let text = s.ok(&["origins", "--bidi", "logical"]);
    assert!(
        text.contains("سبتمبر 2024") && text.contains("(none)"),
        "{text}"
    );
}

/// A memory from before the word rule and the particles (schema version 4) gets its word index
/// rebuilt when a command first opens it, and answers at once: here its postings are emptied, as an
/// index filed under other keys would answer nothing, and the upgrade fills them again.
#[test]
fn an_older_memory_gets_its_word_index_rebuilt() {
    let s = Sandbox::new();
    s.ok(&[
        "add",
        "--source",
        "وأكد المصدر بأن القافلة دخلت المدينة",
        "--target",
        "The source stressed that the convoy entered the city",
    ]);
    {
        let conn = rusqlite::Connection::open(s.db()).unwrap();
        // What version 4 lacked: the tables of version 6, and the postings (filed under other keys).
        conn.execute_batch(
            "DROP TABLE stale; DROP TABLE deleted; DELETE FROM postings; PRAGMA user_version = 4;",
        )
        .unwrap();
    }
    let json = s.json(&["lookup", "--json", "وأكد المصدر أن القافلة دخلت المدينة"]);
    assert_eq!(json["matches"][0]["score"], 91, "{json}");
    assert_eq!(s.json(&["stats", "--json"])["schema_version"], 7);
}

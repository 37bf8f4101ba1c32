//! add, list, delete and dedupe.

use predicates::prelude::*;
use predicates::str::contains;

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
    s.tm(&args).assert().success().stdout("added as unit 1\n");
    s.tm(&args)
        .assert()
        .success()
        .stdout("already stored as unit 1\n");
    s.tm(&[
        "add",
        "--source",
        "قيس الخزعلي",
        "--target",
        "Qais al-Khazali",
        "--json",
    ])
    .assert()
    .success()
    .stdout("{\"id\":2,\"new\":true}\n");
    let units = s.units();
    assert_eq!(units.len(), 2, "one source, two translations");
    assert_eq!(units[0].usage_count, Some(2));
    assert_eq!(units[0].created_by.as_deref(), Some("tester"));
    s.tm(&["add", "--source", " ", "--target", "x"])
        .assert()
        .code(2);
}

#[test]
fn delete_needs_a_criterion_and_can_dry_run() {
    let s = Sandbox::new();
    for (ar, en, origin) in [
        ("البوكمال", "Al-Bukamal", "a"),
        ("القائم", "Al-Qa'im", "a"),
        ("دير الزور", "Deir Al-Zour", "b"),
    ] {
        s.tm(&["add", "--source", ar, "--target", en, "--origin", origin])
            .assert()
            .success();
    }
    s.tm(&["delete"])
        .assert()
        .code(2)
        .stderr(contains("say which units to delete"));
    s.tm(&["delete", "--origin", "a", "--dry-run"])
        .assert()
        .success()
        .stdout("would delete 2 units\n");
    assert_eq!(s.segments(), 3);
    s.tm(&["delete", "--origin", "a"])
        .assert()
        .success()
        .stdout("deleted 2 units\n");
    s.tm(&["delete", "--id", "3", "--json"])
        .assert()
        .success()
        .stdout("{\"deleted\":1,\"dry_run\":false}\n");
    assert_eq!(s.segments(), 0);
}

#[test]
fn list_prints_a_table_and_json_lines() {
    let s = Sandbox::new();
    s.tm(&[
        "add",
        "--source",
        "حركة النجباء",
        "--target",
        "Al-Nujaba Movement",
    ])
    .assert()
    .success();
    s.tm(&[
        "add",
        "--source",
        "عصائب أهل الحق",
        "--target",
        "Asa'ib Ahl Al-Haq",
    ])
    .assert()
    .success();
    // Not a terminal: logical order, no marks, so the output can be piped.
    let out = s.stdout(&["list"]);
    let text = String::from_utf8(out).unwrap();
    assert!(text.contains("حركة النجباء"), "{text}");
    assert!(!text.contains('\u{200e}'));
    s.tm(&["list", "--json", "--limit", "1"])
        .assert()
        .success()
        .stdout(contains("\"source\":\"عصائب أهل الحق\"").and(contains("\"id\":2")));
    // Forced visual order reverses the Arabic for terminals that do not.
    s.tm(&["list", "--bidi", "visual", "--limit", "1"])
        .assert()
        .success()
        .stdout(contains("قحلا لهأ بئاصع"));
}

#[test]
fn dedupe_merges_units_that_differ_in_harakat_and_spacing() {
    let s = Sandbox::new();
    s.tm(&["add", "--source", "حزبُ اللهِ", "--target", "Hizbullah"])
        .assert()
        .success();
    s.tm(&["add", "--source", "حزب الله", "--target", "Hizbullah "])
        .assert()
        .success();
    s.tm(&["add", "--source", "حزب الله", "--target", "Hezbollah"])
        .assert()
        .success();
    s.tm(&["dedupe", "--dry-run"])
        .assert()
        .success()
        .stdout(contains("would remove 1 duplicate units in 1 groups"));
    assert_eq!(s.segments(), 3);
    s.tm(&["dedupe"])
        .assert()
        .success()
        .stdout(contains("removed 1 duplicate units"));
    assert_eq!(s.segments(), 2);
}

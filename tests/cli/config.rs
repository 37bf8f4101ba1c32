//! Settings that stay: the config file, flags that win over it, and `tm config` saying where each
//! setting came from.

use crate::support::{fixture_str, Sandbox};

/// Writes the sandbox's config file where `tm` looks by default (its config folder is the sandbox's).
fn write_config(s: &Sandbox, text: &str) -> std::path::PathBuf {
    let dir = s.dir.path().join("config").join("tm");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("config.toml");
    std::fs::write(&path, text).unwrap();
    path
}

const SOURCE: &str = "أعلنت حركة النجباء استهداف قاعدة عين الأسد بطائرة مسيرة";

#[test]
fn the_config_file_sets_defaults_and_flags_win() {
    let s = Sandbox::new();
    s.ok(&[
        "add", "--source", SOURCE, "--target", "checked", "--origin", "desk",
    ]);
    s.ok(&[
        "add", "--source", SOURCE, "--target", "aligned", "--origin", "aligned",
    ]);
    let query = "أعلنت حركة النجباء استهداف قاعدة بطائرة مسيرة";
    let scores = |args: &[&str]| -> Vec<u64> {
        let json = s.json(&[&["lookup", query, "--json"][..], args].concat());
        (json["matches"].as_array().unwrap().iter())
            .map(|m| m["score"].as_u64().unwrap())
            .collect()
    };
    let plain = scores(&[]);
    assert_eq!(plain.len(), 2, "{plain:?}");
    let fuzzy = plain[0];
    write_config(
        &s,
        &format!(
            "[lookup]\nmin = {}\ntop = 1\n\n[penalties]\naligned = 10\n",
            fuzzy - 5
        ),
    );
    // top = 1 from the file; the aligned unit 10 points lower, below min.
    assert_eq!(scores(&[]), [fuzzy]);
    let json = s.json(&["lookup", query, "--json", "--top", "5", "--min", "1"]);
    let m = &json["matches"];
    assert_eq!(m[1]["origin"], "aligned");
    assert_eq!(
        m[1]["penalty"], 10,
        "the file's penalty holds beside the flags"
    );
    // A flag's penalty for the same origin wins over the file's.
    let json = s.json(&[
        "lookup",
        query,
        "--json",
        "--min",
        "1",
        "--penalty",
        "aligned=30",
    ]);
    assert_eq!(json["matches"][1]["penalty"], 30);

    let settings = s.json(&["config", "--json"]);
    let find = |key: &str| {
        settings["settings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["key"] == key)
            .cloned()
            .unwrap()
    };
    assert_eq!(find("lookup.top")["value"], "1");
    assert!(find("lookup.top")["from"]
        .as_str()
        .unwrap()
        .starts_with("config file"));
    assert_eq!(find("pretranslate.min")["from"], "default");
    assert_eq!(find("penalties.aligned")["value"], "10");
    assert_eq!(find("memory")["from"], "--db");
}

#[test]
fn the_memory_and_the_user_come_from_the_file() {
    let s = Sandbox::new();
    write_config(&s, "memory = \"../newsroom.db\"\nuser = \"huda\"\n");
    // Without --db and without $TM_USER: both from the file (the memory relative to the file's folder).
    let run = |args: &[&str]| {
        let mut cmd = assert_cmd::Command::cargo_bin("tm").unwrap();
        cmd.env_remove("TM_DB")
            .env_remove("TM_USER")
            .env_remove("TM_CONFIG")
            .env("XDG_CONFIG_HOME", s.dir.path().join("config"))
            .args(args);
        cmd.assert().success().get_output().stdout.clone()
    };
    run(&["import", &fixture_str("tm/sample.tmx")]);
    let db = s.dir.path().join("config").join("newsroom.db");
    assert!(db.exists(), "the memory the file names");
    run(&["add", "--source", SOURCE, "--target", "x"]);
    let units = crate::support::units_of(&db);
    assert_eq!(units.last().unwrap().created_by.as_deref(), Some("huda"));
    let text = String::from_utf8(run(&["config"])).unwrap();
    assert!(text.contains("newsroom.db"), "{text}");
    assert!(text.contains("huda"), "{text}");
}

#[test]
fn a_bad_config_file_is_an_error_naming_its_line() {
    let s = Sandbox::new();
    let path = write_config(&s, "user = \"huda\"\n\n[lookup]\nmin = 80\nthreshold = 3\n");
    s.fails_with(&["stats"], "config.toml:5:1: unknown field `threshold`");
    std::fs::write(&path, "color = \"sometimes\"\n").unwrap();
    s.fails_with(
        &["stats"],
        "color = \"sometimes\": it is one of auto, always, never",
    );
    // A file the user names must exist.
    std::fs::remove_file(&path).unwrap();
    s.fails_with(&["--config", "nowhere.toml", "stats"], "nowhere.toml");
}

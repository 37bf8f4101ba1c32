//! `tm man` and `tm completions`: what a user installs so that `man tm` and tab completion work.

use crate::support::Sandbox;

#[test]
fn the_man_page_is_tms_own_with_every_command() {
    let s = Sandbox::new();
    let page = s.ok(&["man"]);
    assert!(page.contains(".TH tm 1"), "{page}");
    assert!(
        page.contains("tm \\- A translation memory for Arabic"),
        "{page}"
    );
    for command in [
        "import",
        "lookup",
        "pretranslate",
        "names",
        "align",
        "completions",
    ] {
        assert!(page.contains(&format!("tm\\-{command}(1)")), "{command}");
    }
    // A command's own page has its flags, which are defined only when that command runs.
    let lookup = s.ok(&["man", "lookup"]);
    assert!(lookup.contains(".TH tm-lookup 1"), "{lookup}");
    assert!(lookup.contains("\\-\\-min"), "{lookup}");
    s.fails_with(
        &["man", "lokup"],
        "tm has no command \"lokup\"; its commands: import",
    );
}

#[test]
fn completions_know_every_commands_flags() {
    let s = Sandbox::new();
    let bash = s.ok(&["completions", "bash"]);
    assert!(
        bash.contains("--skip-invalid") && bash.contains("--min"),
        "{bash}"
    );
    if let Ok(status) = std::process::Command::new("bash")
        .args(["-n", "-c", &bash])
        .status()
    {
        assert!(status.success(), "bash -n rejects the script");
    }
    assert!(s.ok(&["completions", "zsh"]).starts_with("#compdef tm"));
    assert!(s.ok(&["completions", "fish"]).contains("complete -c tm"));
    assert!(s
        .ok(&["completions", "powershell"])
        .contains("Register-ArgumentCompleter"));
    s.fails_with(&["completions", "tcsh"], "invalid value 'tcsh'");
}

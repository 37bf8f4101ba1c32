//! Outputs never harm the user's files: the memory and a command's own inputs are refused as outputs,
//! devices, FIFOs and links are written in place, files get the umask's permissions, a read-only file is
//! not replaced, and an interrupted command leaves no temporary file behind.

use std::path::Path;

use crate::support::{fixture_str, Sandbox};

/// A sandbox with the sample memory, an Arabic document and its English.
fn sandbox() -> Sandbox {
    let s = Sandbox::new();
    s.ok(&["import", &fixture_str("tm/sample.tmx")]);
    std::fs::write(
        s.path("ar.txt"),
        "دخلت قافلة من 17 شاحنة إلى مدينة البوكمال.\nوقال المصدر إن حزب الله أرسل تعزيزات.\n",
    )
    .unwrap();
    std::fs::write(
        s.path("en.txt"),
        "A convoy of 17 trucks entered the city of Al-Bukamal.\nThe source said Hizbullah sent reinforcements.\n",
    )
    .unwrap();
    s
}

/// The files of the sandbox's folder, sorted, to see that nothing was left behind.
fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn no_command_writes_its_output_over_the_memory() {
    let s = sandbox();
    let before = s.units();
    let db = s.db();
    let db = db.to_str().unwrap();
    let wal = format!("{db}-wal");
    std::fs::write(s.path("list.tsv"), format!("ar.txt\ten.txt\t{db}\n")).unwrap();
    let list = s.path("list.tsv");
    let cases: Vec<Vec<&str>> = vec![
        vec!["export", db],
        vec!["export", &wal],
        vec!["export", "--format", "tsv", db],
        vec!["names", "export", db],
        vec!["pretranslate", "ar.txt", "-o", db],
        vec!["align", "ar.txt", "en.txt", "-o", db],
        vec![
            "align",
            "--batch",
            list.to_str().unwrap(),
            "--allow-outside",
        ],
    ];
    for args in cases {
        let err = s.run(&args).current_dir(s.dir.path()).fails();
        assert!(
            err.contains("memory") && err.contains("destroy it")
                || err.contains("OUT") && err.contains("is the memory"),
            "{args:?}: {err}"
        );
        assert_eq!(s.units(), before, "{args:?}");
    }
    // Through a link and a relative path, too.
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(s.db(), s.path("link.db")).unwrap();
        for path in ["link.db", "./memory.db"] {
            s.run(&["export", path])
                .current_dir(s.dir.path())
                .fails_with("writing the output there would destroy it");
        }
        assert_eq!(s.units(), before);
    }
}

#[test]
fn a_command_does_not_write_over_its_own_input() {
    let s = sandbox();
    for (args, input) in [
        (vec!["align", "ar.txt", "en.txt", "-o", "en.txt"], "en.txt"),
        (
            vec!["align", "ar.txt", "en.txt", "-o", "./ar.txt"],
            "ar.txt",
        ),
        (vec!["pretranslate", "ar.txt", "-o", "ar.txt"], "ar.txt"),
    ] {
        let before = std::fs::read(s.path(input)).unwrap();
        s.run(&args)
            .current_dir(s.dir.path())
            .stderr_has("document")
            .fails_with("would destroy it");
        assert_eq!(std::fs::read(s.path(input)).unwrap(), before, "{args:?}");
    }
    assert_eq!(
        listing(s.dir.path()),
        [
            "ar.txt",
            "en.txt",
            "memory.db",
            "memory.db-shm",
            "memory.db-wal"
        ]
        .iter()
        .filter(|n| s.path(n).exists())
        .map(|n| n.to_string())
        .collect::<Vec<_>>()
    );
}

#[cfg(unix)]
#[test]
fn devices_fifos_and_links_are_written_in_place() {
    use std::os::unix::fs::FileTypeExt;
    let s = sandbox();
    // A device: /dev/null takes it and stays a device; /dev/full says the disk is full.
    s.ok(&["export", "/dev/null"]);
    assert!(std::fs::metadata("/dev/null")
        .unwrap()
        .file_type()
        .is_char_device());
    if Path::new("/dev/full").exists() {
        s.fails_with(&["export", "/dev/full"], "/dev/full");
        assert!(std::fs::metadata("/dev/full")
            .unwrap()
            .file_type()
            .is_char_device());
    }
    // A FIFO: the program reading it gets the whole export, and it stays a FIFO.
    let fifo = s.path("pipe");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    if made.is_ok_and(|st| st.success()) {
        let reader = {
            let fifo = fifo.clone();
            std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
        };
        s.ok(&["export", "--format", "tsv", fifo.to_str().unwrap()]);
        let got = reader.join().unwrap();
        assert_eq!(got.lines().count(), 134, "a header and 133 units");
        assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo());
    }
    // A link: its target gets the export, the link stays a link.
    let target = s.path("real.tmx");
    std::fs::write(&target, "old").unwrap();
    let link = s.path("link.tmx");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    s.ok(&["names", "export", link.to_str().unwrap()]);
    assert!(std::fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    assert!(std::fs::read_to_string(&target)
        .unwrap()
        .contains("Hizbullah"));
}

#[cfg(unix)]
#[test]
fn outputs_get_the_umasks_permissions_and_keep_their_own() {
    use std::os::unix::fs::PermissionsExt;
    let s = sandbox();
    let mode = |name: &str| {
        std::fs::metadata(s.path(name))
            .unwrap()
            .permissions()
            .mode()
            & 0o777
    };
    let tm = env!("CARGO_BIN_EXE_tm");
    let db = s.db();
    let run = |args: &str| {
        let status = std::process::Command::new("sh")
            .arg("-c")
            .arg(format!("umask 022; exec \"$0\" --db \"$1\" {args}"))
            .arg(tm)
            .arg(&db)
            .current_dir(s.dir.path())
            .env_remove("TM_DB")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
            .unwrap();
        assert!(status.success(), "{args}");
    };
    run("export out.tmx");
    assert_eq!(mode("out.tmx"), 0o644);
    run("align ar.txt en.txt -o aligned.tsv");
    assert_eq!(mode("aligned.tsv"), 0o644);
    run("pretranslate ar.txt -o pre.xlf --format xliff");
    assert_eq!(mode("pre.xlf"), 0o644);
    run("names export names.tsv");
    assert_eq!(mode("names.tsv"), 0o644);
    std::fs::set_permissions(s.path("out.tmx"), std::fs::Permissions::from_mode(0o664)).unwrap();
    run("export out.tmx");
    assert_eq!(mode("out.tmx"), 0o664);
}

#[test]
fn a_read_only_file_is_not_replaced() {
    let s = sandbox();
    let path = s.path("ro.tmx");
    std::fs::write(&path, "keep me").unwrap();
    let mut perms = std::fs::metadata(&path).unwrap().permissions();
    perms.set_readonly(true);
    std::fs::set_permissions(&path, perms).unwrap();
    s.fails_with(
        &["export", path.to_str().unwrap()],
        "ro.tmx: the file is read-only, so it is not replaced",
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "keep me");
}

#[test]
fn a_missing_folder_is_an_error_and_is_not_created() {
    let s = sandbox();
    let path = s.path("no/such/out.tmx");
    s.fails_with(&["export", path.to_str().unwrap()], "does not exist");
    assert!(!s.path("no").exists());
}

/// SIGINT or SIGTERM while an output is being written: the temporary file is removed, the old output
/// is untouched, and the process dies of the signal. `tm align` opens its output first and then blocks
/// reading its Arabic document from a FIFO nobody writes, so the signal always comes mid-command.
#[cfg(unix)]
#[test]
fn an_interrupted_command_leaves_no_temporary_file() {
    use std::os::unix::process::ExitStatusExt;
    let s = sandbox();
    let fifo = s.path("ar.fifo");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|st| st.success()) {
        eprintln!("skipped: mkfifo is not available");
        return;
    }
    std::fs::write(s.path("out.tsv"), "the old output").unwrap();
    for signal in [libc::SIGINT, libc::SIGTERM] {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_tm"))
            .env_remove("TM_DB")
            .arg("--db")
            .arg(s.db())
            .args(["align", "ar.fifo", "en.txt", "-o", "out.tsv"])
            .current_dir(s.dir.path())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        // Wait for the temporary file: the command is then blocked on the FIFO.
        let temporary = loop {
            if let Some(name) = listing(s.dir.path())
                .into_iter()
                .find(|n| n.starts_with(".out.tsv.tm-"))
            {
                break name;
            }
            if let Some(status) = child.try_wait().unwrap() {
                panic!("tm ended before it was interrupted: {status}");
            }
            std::thread::sleep(std::time::Duration::from_millis(1));
        };
        assert!(s.path(&temporary).exists());
        unsafe { libc::kill(child.id() as libc::pid_t, signal) };
        let status = child.wait().unwrap();
        assert_eq!(status.signal(), Some(signal), "{status}");
        assert!(
            !listing(s.dir.path()).iter().any(|n| n.contains(".tm-")),
            "{:?}",
            listing(s.dir.path())
        );
        assert_eq!(
            std::fs::read_to_string(s.path("out.tsv")).unwrap(),
            "the old output"
        );
    }
}

/// What a hostile memory holds: a clipboard write (OSC 52), a screen clear, a window title, a link
/// (OSC 8), a CSI in its 8-bit form, and a right-to-left override.
const HOSTILE: &str = "\u{1b}]52;c;cm0gLXJmIH4=\u{7}\u{1b}[2J\u{1b}]0;pwned\u{7}\u{1b}]8;;http://x\u{1b}\\link\u{1b}]8;;\u{1b}\\\u{9b}31m\u{202e}";

fn assert_clean(what: &str, out: &[u8]) {
    let text = String::from_utf8_lossy(out);
    for bad in ['\u{1b}', '\u{7}', '\u{9b}', '\u{202e}'] {
        assert!(
            !text.contains(bad),
            "{what}: {bad:?} reached the terminal: {text:?}"
        );
    }
}

#[test]
fn text_from_data_never_drives_the_terminal() {
    let s = Sandbox::new();
    let tsv = s.path("hostile.tsv");
    std::fs::write(
        &tsv,
        format!("ar\ten\nدخلت قافلة إلى مدينة البوكمال\tA convoy entered Al-Bukamal{HOSTILE}\n"),
    )
    .unwrap();
    s.ok(&[
        "import",
        tsv.to_str().unwrap(),
        "--origin",
        &format!("feed{HOSTILE}"),
    ]);
    s.ok(&[
        "names",
        "add",
        "--arabic",
        "قافلة",
        "--english",
        &format!("Qafila{HOSTILE}"),
    ]);
    std::fs::write(s.path("doc.txt"), "دخلت قافلة إلى مدينة البوكمال\n").unwrap();
    std::fs::write(s.path("en.txt"), format!("A convoy{HOSTILE} entered.\n")).unwrap();
    for args in [
        vec!["lookup", "دخلت قافلة إلى مدينة البوكمال"],
        vec!["concordance", "البوكمال"],
        vec!["concordance", "convoy"],
        vec!["translit", "قافلة"],
        vec!["names", "list", "--user"],
        vec!["list"],
        vec!["check"],
    ] {
        let out = s.tm(&args).current_dir(s.dir.path()).output().unwrap();
        assert_clean(&format!("{args:?}"), &out.stdout);
    }
    // JSON keeps the exact text.
    let json = s.json(&["--json", "lookup", "دخلت قافلة إلى مدينة البوكمال"]);
    assert!(json["matches"][0]["target"]
        .as_str()
        .unwrap()
        .ends_with(HOSTILE));
    // Data formats on a terminal (a pseudo-terminal made by script(1)) are cleaned too; piped, exact.
    let script = Path::new("/usr/bin/script");
    if !script.exists() {
        eprintln!("skipped the terminal half: no /usr/bin/script to make a pseudo-terminal");
        return;
    }
    let tm = env!("CARGO_BIN_EXE_tm");
    for args in ["pretranslate doc.txt", "align doc.txt en.txt"] {
        let command = format!("'{tm}' --db '{}' {args}", s.db().display());
        let out = std::process::Command::new(script)
            .args(["-qec", &command, "/dev/null"])
            .current_dir(s.dir.path())
            .env_remove("TM_DB")
            .output()
            .unwrap();
        assert!(out.status.success(), "{args}");
        assert!(
            String::from_utf8_lossy(&out.stdout).contains("convoy"),
            "{args}: {:?} {:?}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert_clean(args, &out.stdout);
        let piped = s
            .tm(&args.split(' ').collect::<Vec<_>>())
            .current_dir(s.dir.path())
            .output()
            .unwrap();
        // (TSV doubles the backslash of the link's terminator: compare a part without one.)
        let exact = "\u{1b}]52;c;cm0gLXJmIH4=\u{7}\u{1b}[2J";
        assert!(
            String::from_utf8_lossy(&piped.stdout).contains(exact),
            "{args}"
        );
    }
}

/// A batch list from someone else reaches nothing outside its folder and replaces no file, unless the
/// user says so.
#[test]
fn a_batch_list_stays_in_its_folder_and_replaces_nothing_unasked() {
    let s = sandbox();
    let docs = s.path("docs");
    std::fs::create_dir(&docs).unwrap();
    std::fs::copy(s.path("ar.txt"), docs.join("ar.txt")).unwrap();
    std::fs::copy(s.path("en.txt"), docs.join("en.txt")).unwrap();
    let victim = s.path("bashrc");
    std::fs::write(&victim, "keep").unwrap();
    let list = docs.join("list.tsv");
    let run = |line: &str, extra: &[&str]| {
        std::fs::write(&list, format!("{line}\n")).unwrap();
        let mut args = vec!["align", "--batch", list.to_str().unwrap()];
        args.extend_from_slice(extra);
        s.tm(&args).output().unwrap()
    };
    let secret = s.path("secret.txt");
    std::fs::write(&secret, "a secret").unwrap();
    for (line, says) in [
        (
            "../secret.txt\ten.txt\tout.tsv",
            "AR_FILE ../secret.txt is outside the list's folder",
        ),
        (
            &format!("ar.txt\t{}\tout.tsv", secret.display()),
            "is outside the list's folder",
        ),
        (
            "ar.txt\ten.txt\t../bashrc",
            "OUT ../bashrc is outside the list's folder",
        ),
        (
            &format!("ar.txt\ten.txt\t{}", victim.display()),
            "is outside the list's folder",
        ),
    ] {
        let out = run(line, &[]);
        assert_eq!(out.status.code(), Some(2), "{line}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("list.tsv:1: ") && err.contains(says),
            "{line}: {err}"
        );
        assert!(!docs.join("out.tsv").exists());
    }
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep");
    // Inside the folder, `..` that stays inside is fine; an existing OUT needs --force.
    std::fs::create_dir(docs.join("sub")).unwrap();
    let out = run("ar.txt\ten.txt\tsub/../out.tsv", &[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let first = std::fs::read_to_string(docs.join("out.tsv")).unwrap();
    std::fs::write(docs.join("out.tsv"), "edited by hand").unwrap();
    let out = run("ar.txt\ten.txt\tout.tsv", &[]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("list.tsv:1: OUT ")
            && err.contains("out.tsv already exists: nothing was aligned (--force replaces it)"),
        "{err}"
    );
    assert_eq!(
        std::fs::read_to_string(docs.join("out.tsv")).unwrap(),
        "edited by hand"
    );
    let out = run("ar.txt\ten.txt\tout.tsv", &["--force"]);
    assert!(out.status.success());
    assert_eq!(
        std::fs::read_to_string(docs.join("out.tsv")).unwrap(),
        first
    );
    // --allow-outside lets the user's own list reach elsewhere.
    let out = run(
        "../ar.txt\t../en.txt\t../elsewhere.tsv",
        &["--allow-outside"],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(s.path("elsewhere.tsv").exists());
}

//! Helpers shared by the topic modules.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::str::contains;
use tm::store::{OpenMode, Store, UnitFilter};
use tm::unit::Unit;

/// A scratch folder with a memory file in it.
pub struct Sandbox {
    pub dir: tempfile::TempDir,
}

impl Sandbox {
    pub fn new() -> Sandbox {
        Sandbox {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub fn db(&self) -> PathBuf {
        self.dir.path().join("memory.db")
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// `tm --db <sandbox db> ARGS...`, with no stray environment.
    pub fn tm(&self, args: &[&str]) -> Command {
        Command::from_std(self.process(args))
    }

    /// [`Sandbox::tm`] as a plain process, for a test that spawns it and watches it run.
    pub fn process(&self, args: &[&str]) -> std::process::Command {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_tm"));
        // No settings of the machine's own: a config file in the sandbox's config folder, if a test
        // writes one.
        cmd.env_remove("TM_DB")
            .env_remove("TM_BUSY_TIMEOUT")
            .env_remove("TM_CONFIG")
            .env("XDG_CONFIG_HOME", self.dir.path().join("config"))
            .env("TM_USER", "tester")
            .arg("--db")
            .arg(self.db())
            .args(args);
        cmd
    }

    /// `tm ARGS...` with what it must print, checked when it runs (in the manner of just's test
    /// builder): `s.run(&["delete", "--all"]).stdout_is("deleted 3 units\n").ok();`
    pub fn run(&self, args: &[&str]) -> Run {
        Run {
            cmd: self.tm(args),
            stdout: Vec::new(),
            stderr: Vec::new(),
        }
    }

    /// Runs `tm ARGS...`, expects success, and returns its standard output: `s.run(args).ok()`.
    pub fn ok(&self, args: &[&str]) -> String {
        self.run(args).ok()
    }

    /// Runs `tm ARGS...`, expects it to fail (exit status 2) saying `message` on stderr, and returns
    /// its stderr: `s.run(args).fails_with(message)`.
    pub fn fails_with(&self, args: &[&str], message: impl Into<String>) -> String {
        self.run(args).fails_with(message)
    }

    /// Runs `tm ARGS...`, expects success, and returns its standard output as bytes.
    pub fn stdout(&self, args: &[&str]) -> Vec<u8> {
        self.tm(args).assert().success().get_output().stdout.clone()
    }

    /// Runs `tm ARGS... --json`-style commands and parses their single JSON object.
    pub fn json(&self, args: &[&str]) -> serde_json::Value {
        serde_json::from_slice(&self.stdout(args)).expect("one JSON object")
    }

    /// Every unit in the memory, in order.
    pub fn units(&self) -> Vec<Unit> {
        units_of(&self.db())
    }

    pub fn segments(&self) -> u64 {
        Store::open(&self.db(), OpenMode::ReadOnly)
            .expect("open memory")
            .stats()
            .expect("stats")
            .segments
    }
}

/// What a command's output must be: all of it, or a part of it.
enum Expect {
    Is(String),
    Has(String),
}

/// A `tm` command with the output expected of it, run by one of `ok`, `fails`, `fails_with` and
/// `exits`, which check its exit status and then every expectation; a failed check prints the command
/// and everything it printed.
#[must_use = "nothing runs until .ok(), .fails(), .fails_with() or .exits()"]
pub struct Run {
    cmd: Command,
    stdout: Vec<Expect>,
    stderr: Vec<Expect>,
}

impl Run {
    /// Its standard input.
    pub fn stdin(mut self, input: impl Into<Vec<u8>>) -> Run {
        self.cmd.write_stdin(input);
        self
    }

    pub fn env(mut self, key: &str, value: impl AsRef<OsStr>) -> Run {
        self.cmd.env(key, value);
        self
    }

    pub fn current_dir(mut self, dir: impl AsRef<Path>) -> Run {
        self.cmd.current_dir(dir);
        self
    }

    /// Kills it after `limit` (a hang fails the test instead of stalling the suite).
    pub fn timeout(mut self, limit: std::time::Duration) -> Run {
        self.cmd.timeout(limit);
        self
    }

    /// Standard output must be exactly `text`.
    pub fn stdout_is(mut self, text: impl Into<String>) -> Run {
        self.stdout.push(Expect::Is(text.into()));
        self
    }

    /// Standard output must contain `text`.
    pub fn stdout_has(mut self, text: impl Into<String>) -> Run {
        self.stdout.push(Expect::Has(text.into()));
        self
    }

    /// Standard error must contain `text`.
    pub fn stderr_has(mut self, text: impl Into<String>) -> Run {
        self.stderr.push(Expect::Has(text.into()));
        self
    }

    /// Runs it, expects success, and returns its standard output.
    pub fn ok(self) -> String {
        let out = self.check(|a| a.success());
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Runs it, expects it to fail (exit status 2, every error of tm's), and returns its stderr.
    pub fn fails(self) -> String {
        let out = self.check(|a| a.code(2));
        String::from_utf8_lossy(&out.stderr).into_owned()
    }

    /// Runs it, expects it to fail (exit status 2) saying `message`, and returns its stderr.
    pub fn fails_with(self, message: impl Into<String>) -> String {
        self.stderr_has(message).fails()
    }

    /// Runs it, expects exit status `code`, and returns all it printed.
    pub fn exits(self, code: i32) -> std::process::Output {
        self.check(|a| a.code(code))
    }

    fn check(
        mut self,
        status: impl FnOnce(assert_cmd::assert::Assert) -> assert_cmd::assert::Assert,
    ) -> std::process::Output {
        let mut assert = status(self.cmd.assert());
        for expect in self.stdout {
            assert = match expect {
                Expect::Is(text) => assert.stdout(text),
                Expect::Has(text) => assert.stdout(contains(text)),
            };
        }
        for expect in self.stderr {
            assert = match expect {
                Expect::Is(text) => assert.stderr(text),
                Expect::Has(text) => assert.stderr(contains(text)),
            };
        }
        assert.get_output().clone()
    }
}

pub fn units_of(db: &Path) -> Vec<Unit> {
    let store = Store::open(db, OpenMode::ReadOnly).expect("open memory");
    let mut units = Vec::new();
    store
        .for_each_unit(&UnitFilter::default(), |_, u| {
            units.push(u);
            Ok::<(), tm::store::Error>(())
        })
        .expect("read units");
    units
}

/// A file in `tests/fixtures/` (or the repository, for `tm/`).
pub fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

pub fn fixture_str(rel: &str) -> String {
    fixture(rel).to_string_lossy().into_owned()
}

/// `tm` as a user without privileges, so that file permissions apply: directly when the tests run as
/// an ordinary user, through `setpriv` as `nobody` when they run as root (root ignores permissions).
///
/// As root, the binary is copied into the sandbox, because the build folder may sit in a folder that
/// `nobody` cannot enter (a clone in `/root` or in a `mktemp -d` folder). Files the command must reach
/// have to be in the sandbox and handed over with [`give_to_nobody`].
#[cfg(unix)]
pub struct Unprivileged {
    exe: PathBuf,
    setpriv: Option<&'static str>,
}

#[cfg(unix)]
impl Unprivileged {
    /// `None`, with the exact reason on stderr, where no unprivileged run can be arranged: root without
    /// setpriv, or a sandbox inside a folder that other users cannot enter.
    pub fn new(s: &Sandbox) -> Option<Unprivileged> {
        use std::os::unix::fs::PermissionsExt;
        if unsafe { libc::geteuid() } != 0 {
            return Some(Unprivileged {
                exe: PathBuf::from(env!("CARGO_BIN_EXE_tm")),
                setpriv: None,
            });
        }
        let Some(setpriv) = ["/usr/bin/setpriv", "/bin/setpriv"]
            .into_iter()
            .find(|p| Path::new(p).exists())
        else {
            eprintln!("skipped: running as root without setpriv to drop the privilege");
            return None;
        };
        // Every folder above the sandbox must let others through (the sandbox itself is handed over).
        for folder in s.dir.path().ancestors().skip(1) {
            let mode = std::fs::metadata(folder).map(|m| m.permissions().mode());
            if mode.map_or(true, |m| m & 0o001 == 0) {
                eprintln!(
                    "skipped: the sandbox {} is inside {}, which other users cannot enter (set \
                     TMPDIR to a folder they can)",
                    s.dir.path().display(),
                    folder.display()
                );
                return None;
            }
        }
        let bin = s.path("bin");
        std::fs::create_dir_all(&bin).unwrap();
        let exe = bin.join("tm");
        // Copied by another process: a copy written from here holds a writable descriptor that a
        // test running beside this one can inherit when it forks, and executing the copy then fails
        // with "Text file busy" (ETXTBSY) until that child has exec'd.
        let copied = std::process::Command::new("cp")
            .arg(env!("CARGO_BIN_EXE_tm"))
            .arg(&exe)
            .status()
            .expect("cp runs");
        assert!(copied.success(), "cp of the tm binary failed");
        for p in [&bin, &exe] {
            std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
        Some(Unprivileged {
            exe,
            setpriv: Some(setpriv),
        })
    }

    /// `tm --db DB` as that user.
    pub fn tm(&self, db: &Path) -> std::process::Command {
        let mut cmd = match self.setpriv {
            Some(setpriv) => {
                let mut c = std::process::Command::new(setpriv);
                c.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
                    .arg(&self.exe);
                c
            }
            None => std::process::Command::new(&self.exe),
        };
        cmd.env_remove("TM_DB")
            .env_remove("TM_BUSY_TIMEOUT")
            .env_remove("TM_CONFIG")
            .arg("--db")
            .arg(db);
        cmd
    }
}

/// When running as root, hands `paths` to `nobody` (see [`Unprivileged`]).
#[cfg(unix)]
pub fn give_to_nobody(paths: &[&Path]) {
    if unsafe { libc::geteuid() } == 0 {
        for p in paths {
            std::os::unix::fs::chown(p, Some(65534), Some(65534)).unwrap();
        }
    }
}

/// Whether xmllint can be run. Without it the DTD and schema checks are skipped, saying so, unless
/// `TM_REQUIRE_XMLLINT` is set (CI sets it wherever xmllint is installed): then its absence fails.
pub fn have_xmllint() -> bool {
    let found = std::process::Command::new("xmllint")
        .arg("--version")
        .output()
        .is_ok();
    if !found {
        assert!(
            std::env::var_os("TM_REQUIRE_XMLLINT").is_none(),
            "TM_REQUIRE_XMLLINT is set but xmllint cannot be run"
        );
        eprintln!("skipped: the DTD or schema check needs xmllint (libxml2-utils; CI has it)");
    }
    found
}

/// A `tm serve` process on a free loopback port, for the server's tests; killed when dropped.
pub struct Server {
    child: std::process::Child,
    client: Client,
    log: std::sync::Arc<std::sync::Mutex<String>>,
    log_thread: Option<std::thread::JoinHandle<()>>,
}

/// Talks HTTP to a server; each has its own connections.
pub struct Client {
    /// `http://127.0.0.1:PORT`, without a slash at the end.
    pub base: String,
    agent: ureq::Agent,
}

impl std::ops::Deref for Server {
    type Target = Client;
    fn deref(&self) -> &Client {
        &self.client
    }
}

impl Sandbox {
    /// Starts `tm --db <sandbox db> serve --addr 127.0.0.1:0 ARGS...` and waits until it listens
    /// (its "listening on" line: a signal, not a sleep).
    pub fn serve(&self, args: &[&str]) -> Server {
        self.try_serve(args)
            .unwrap_or_else(|log| panic!("tm serve did not start:\n{log}"))
    }

    /// [`Sandbox::serve`], or what the server printed when it stopped without listening.
    pub fn try_serve(&self, args: &[&str]) -> Result<Server, String> {
        use std::io::BufRead;
        let mut all = vec!["serve"];
        if !args.contains(&"--addr") {
            all.extend(["--addr", "127.0.0.1:0"]);
        }
        all.extend_from_slice(args);
        let mut child = self
            .process(&all)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("spawn tm serve");
        let stderr = child.stderr.take().unwrap();
        let log = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
        let (found, listening) = std::sync::mpsc::channel::<Option<String>>();
        let log_thread = {
            let log = log.clone();
            std::thread::spawn(move || {
                let mut found = Some(found);
                for line in std::io::BufReader::new(stderr).lines() {
                    let Ok(line) = line else { break };
                    if let Some(at) = line.find("listening on http://") {
                        let rest = &line[at + "listening on ".len()..];
                        let base = rest.split('/').take(3).collect::<Vec<_>>().join("/");
                        if let Some(found) = found.take() {
                            let _ = found.send(Some(base));
                        }
                    }
                    let mut log = log.lock().unwrap();
                    log.push_str(&line);
                    log.push('\n');
                }
                if let Some(found) = found.take() {
                    let _ = found.send(None);
                }
            })
        };
        // The timeout only keeps a broken build from hanging the suite; the wait ends on the line.
        match listening.recv_timeout(std::time::Duration::from_secs(300)) {
            Ok(Some(base)) => Ok(Server {
                child,
                client: Client::new(&base),
                log,
                log_thread: Some(log_thread),
            }),
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                let _ = log_thread.join();
                let log = log.lock().unwrap().clone();
                Err(log)
            }
        }
    }
}

/// An answer from the server: its status, its headers and its body as text.
pub struct Reply {
    pub status: u16,
    pub headers: ureq::http::HeaderMap,
    pub body: String,
}

impl Reply {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {:?}", self.body))
    }

    pub fn header(&self, name: &str) -> Option<String> {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    }
}

impl Client {
    pub fn new(base: &str) -> Client {
        Client {
            base: base.to_string(),
            agent: ureq::Agent::config_builder()
                .http_status_as_error(false)
                .build()
                .into(),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    fn reply(response: Result<ureq::http::Response<ureq::Body>, ureq::Error>) -> Reply {
        let mut response = response.expect("the server answers");
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let body = response
            .body_mut()
            .with_config()
            .limit(1 << 30)
            .read_to_string()
            .unwrap_or_default();
        Reply {
            status,
            headers,
            body,
        }
    }

    /// `GET path` with these headers.
    pub fn get_with(&self, path: &str, headers: &[(&str, &str)]) -> Reply {
        let mut request = self.agent.get(&self.url(path));
        for (k, v) in headers {
            request = request.header(*k, *v);
        }
        Self::reply(request.call())
    }

    pub fn get(&self, path: &str) -> Reply {
        self.get_with(path, &[])
    }

    /// A request with a JSON body: `method` is POST, PATCH or DELETE; `token` for writes.
    pub fn send(
        &self,
        method: &str,
        path: &str,
        body: &serde_json::Value,
        token: Option<&str>,
    ) -> Reply {
        let url = self.url(path);
        let auth = token.map(|t| format!("Bearer {t}"));
        macro_rules! with_auth {
            ($r:expr) => {{
                let mut r = $r;
                if let Some(a) = &auth {
                    r = r.header("Authorization", a);
                }
                r
            }};
        }
        Self::reply(match method {
            "POST" => with_auth!(self.agent.post(&url)).send_json(body),
            "PATCH" => with_auth!(self.agent.patch(&url)).send_json(body),
            "DELETE" => with_auth!(self.agent.delete(&url)).call(),
            other => panic!("no such method here: {other}"),
        })
    }
}

impl Server {
    /// What the server printed so far (the start line, the access log).
    pub fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }

    /// Sends SIGTERM and waits for the server to exit; returns its exit status and log.
    pub fn stop(mut self) -> (std::process::ExitStatus, String) {
        unsafe { libc::kill(self.child.id() as libc::pid_t, libc::SIGTERM) };
        let status = self.child.wait().unwrap();
        // The log thread ends with the pipe: after it, the log is whole.
        if let Some(thread) = self.log_thread.take() {
            let _ = thread.join();
        }
        (status, self.log())
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A token file in the sandbox: (its path, the token).
pub fn token_file(s: &Sandbox) -> (PathBuf, String) {
    let token = "s3cret-token-for-the-newsroom-0123456789".to_string();
    let path = s.path("token");
    std::fs::write(&path, format!("{token}\n")).unwrap();
    (path, token)
}

/// `text` percent-encoded for a URL's path or query, every byte but unreserved ASCII (as Okapi's
/// client encodes, with spaces as %20).
pub fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

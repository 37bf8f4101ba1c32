//! The web page at `/` in a real browser: Debian's chromium, driven through chromedriver (WebDriver)
//! with fantoccini, against a real `tm serve`.
//!
//! Where chromium or chromedriver is missing, each test says it was skipped, unless
//! `TM_REQUIRE_BROWSER` is set (CI sets it wherever it could install them): then it fails. The tests
//! wait on the page's state (`data-state` on each result region, CSS `:focus`), never for a fixed
//! time; the one deadline is generous and only keeps a broken browser from hanging the suite.
//! Screenshots for review go to `target/screenshots/serve-*.png`.

use std::future::Future;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use fantoccini::key::Key;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{json, Value};

use crate::support::{fixture_str, Sandbox};

/// How long anything in a browser test may take: only a broken browser or build comes near it.
const PATIENCE: Duration = Duration::from_secs(120);

/// The query of the issue: harakat on the first two words, a number the memory has otherwise.
const QUERY: &str = "دَخَلَتْ قافلةٌ من 17 شاحنة محملة بالأسلحة إلى مدينة البوكمال";

/// The page's title, which a script smuggled into the memory must not be able to change.
const TITLE: &str = "tm: translation memory";

/// One browser at a time: two cores, and chromium is the heaviest thing in the suite.
static ONE_BROWSER: Mutex<()> = Mutex::new(());

/// The browser's programs, found on PATH.
struct Browser {
    chromium: PathBuf,
    chromedriver: PathBuf,
}

impl Browser {
    /// Both programs, or `None` after saying the test was skipped; fails instead where
    /// `TM_REQUIRE_BROWSER` is set.
    fn find() -> Option<Browser> {
        let found = program("chromium").zip(program("chromedriver"));
        match found {
            Some((chromium, chromedriver)) => Some(Browser {
                chromium,
                chromedriver,
            }),
            None => {
                assert!(
                    std::env::var_os("TM_REQUIRE_BROWSER").is_none(),
                    "TM_REQUIRE_BROWSER is set but chromium and chromedriver are not both on PATH \
                     (Debian: apt-get install chromium chromium-driver)"
                );
                eprintln!("skipped: needs chromium and chromedriver");
                None
            }
        }
    }

    /// Runs `body` with a fresh browser session of a `width` × `height` viewport (CSS pixels); the
    /// session and chromedriver end afterwards, also when `body` panics.
    fn run<F, Fut>(&self, s: &Sandbox, width: u32, height: u32, body: F)
    where
        F: FnOnce(Client) -> Fut,
        Fut: Future<Output = ()> + Send + 'static,
    {
        let _one = ONE_BROWSER.lock().unwrap_or_else(|e| e.into_inner());
        let driver = Driver::start(&self.chromedriver, s);
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("tokio runtime");
        runtime.block_on(async {
            let mut caps = serde_json::Map::new();
            caps.insert("browserName".into(), json!("chrome"));
            caps.insert(
                "goog:chromeOptions".into(),
                json!({
                    "binary": self.chromium,
                    "args": [
                        "--headless=new",
                        "--no-sandbox",
                        "--disable-gpu",
                        "--disable-dev-shm-usage",
                        "--no-first-run",
                        "--lang=en-US",
                        format!("--window-size={width},{height}"),
                        format!("--user-data-dir={}", s.path("chromium-profile").display()),
                    ],
                }),
            );
            if width < 500 {
                // A phone: the viewport itself is this size, whatever the window around it (360 px
                // is below the smallest window chromium makes).
                caps["goog:chromeOptions"]["mobileEmulation"] = json!({
                    "deviceMetrics": {"width": width, "height": height, "pixelRatio": 1.0}
                });
            }
            let client =
                ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
                    .capabilities(caps)
                    .connect(&driver.url)
                    .await
                    .unwrap_or_else(|e| {
                        panic!(
                            "no browser session from chromedriver: {e}\n{}",
                            driver.log()
                        )
                    });
            let outcome = tokio::spawn(body(client.clone())).await;
            let _ = client.close().await;
            if let Err(e) = outcome {
                match e.try_into_panic() {
                    Ok(panic) => std::panic::resume_unwind(panic),
                    Err(e) => panic!("the browser test did not finish: {e}"),
                }
            }
        });
    }
}

/// `name` on PATH, as a file.
fn program(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
}

/// A chromedriver process on a free loopback port; killed when dropped.
struct Driver {
    child: Child,
    url: String,
    log: PathBuf,
}

impl Driver {
    /// Starts chromedriver and waits until its `/status` says it is ready. chromedriver cannot take
    /// port 0, so a free port is found first; if another process takes it in between, chromedriver
    /// exits and another port is tried.
    fn start(chromedriver: &Path, s: &Sandbox) -> Driver {
        let deadline = Instant::now() + PATIENCE;
        let log = s.path("chromedriver.log");
        for _attempt in 0..5 {
            let port = std::net::TcpListener::bind("127.0.0.1:0")
                .and_then(|l| l.local_addr())
                .expect("a free port")
                .port();
            let child = Command::new(chromedriver)
                .arg(format!("--port={port}"))
                .arg(format!("--log-path={}", log.display()))
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("start chromedriver");
            let mut driver = Driver {
                child,
                url: format!("http://127.0.0.1:{port}"),
                log: log.clone(),
            };
            let agent: ureq::Agent = ureq::Agent::config_builder()
                .http_status_as_error(false)
                .timeout_global(Some(Duration::from_secs(10)))
                .build()
                .into();
            loop {
                if let Ok(Some(_)) = driver.child.try_wait() {
                    break; // exited: most likely the port was taken; try another
                }
                let ready = agent
                    .get(&format!("{}/status", driver.url))
                    .call()
                    .ok()
                    .and_then(|mut r| r.body_mut().read_json::<Value>().ok())
                    .is_some_and(|v| v["value"]["ready"] == json!(true));
                if ready {
                    return driver;
                }
                assert!(
                    Instant::now() < deadline,
                    "chromedriver was not ready within {PATIENCE:?}:\n{}",
                    driver.log()
                );
                // Polling a readiness signal: the pause only spares the CPU between polls.
                std::thread::sleep(Duration::from_millis(50));
            }
        }
        panic!(
            "chromedriver did not start:\n{}",
            std::fs::read_to_string(&log).unwrap_or_default()
        );
    }

    fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A sandbox whose memory is the sample memory.
fn sample() -> Sandbox {
    let s = Sandbox::new();
    s.ok(&["import", &fixture_str("tm/sample.tmx")]);
    s
}

/// Where screenshots go: `screenshots/` in the build folder (`CARGO_TARGET_DIR`, else `target`).
fn screenshot_dir() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("target"));
    manifest.join(target).join("screenshots")
}

/// A screenshot of the page scrolled to the element `css` (a section).
async fn screenshot(c: &Client, name: &str, css: &str) {
    c.execute(
        "document.querySelector(arguments[0]).scrollIntoView({block: 'start'})",
        vec![json!(css)],
    )
    .await
    .expect("scroll");
    let png = c.screenshot().await.expect("screenshot");
    let dir = screenshot_dir();
    std::fs::create_dir_all(&dir).expect("screenshot folder");
    let path = dir.join(format!("serve-{name}.png"));
    std::fs::write(&path, png).expect("write screenshot");
    eprintln!("screenshot: {}", path.display());
}

/// The element matching `css`, once the page has it.
async fn wait_for(c: &Client, css: &str) -> fantoccini::elements::Element {
    match c
        .wait()
        .at_most(PATIENCE)
        .for_element(Locator::Css(css))
        .await
    {
        Ok(element) => element,
        Err(e) => {
            let out = c
                .execute("return document.querySelector('main').innerText", vec![])
                .await
                .unwrap_or_default();
            panic!("the page never had {css}: {e}\nthe page says:\n{out}")
        }
    }
}

/// Waits until the form's request has been answered (its result region is no longer busy) and
/// returns the region; fails with the page's message if the answer was an error.
async fn answered(c: &Client, region: &str) -> fantoccini::elements::Element {
    let out = wait_for(
        c,
        &format!("#{region}[data-state=\"done\"], #{region}[data-state=\"error\"]"),
    )
    .await;
    if out.attr("data-state").await.unwrap().as_deref() == Some("error") {
        panic!("#{region} shows an error: {}", out.text().await.unwrap());
    }
    out
}

/// What a script returns.
async fn eval(c: &Client, script: &str) -> Value {
    c.execute(script, vec![]).await.expect("script runs")
}

async fn texts(c: &Client, css: &str) -> Vec<String> {
    let mut all = Vec::new();
    for e in c.find_all(Locator::Css(css)).await.unwrap() {
        all.push(e.text().await.unwrap());
    }
    all
}

/// The page holds no script or style of its own: the Content-Security-Policy allows only the files.
#[test]
fn page_has_no_inline_script_or_style() {
    let page = include_str!("../../src/serve/web/index.html");
    let script = include_str!("../../src/serve/web/app.js");
    assert!(!page.contains("<style"), "a <style> block in index.html");
    assert!(!page.contains(" style="), "a style attribute in index.html");
    for tag in page.split("<script").skip(1) {
        let head = &tag[..tag.find('>').unwrap()];
        assert!(head.contains("src="), "an inline <script> in index.html");
    }
    let handler = page.split(" on").skip(1).find(|rest| {
        let name: String = rest.chars().take_while(char::is_ascii_lowercase).collect();
        !name.is_empty() && rest[name.len()..].starts_with('=')
    });
    assert!(
        handler.is_none(),
        "an event handler attribute in index.html: on{handler:?}"
    );
    for sink in [
        "innerHTML",
        "outerHTML",
        "insertAdjacentHTML",
        "document.write",
        "eval(",
    ] {
        assert!(
            !script.contains(sink),
            "app.js uses {sink}: data must go in as text"
        );
    }
}

/// The issue's query, typed with the keyboard only (the search box has the focus when the page
/// opens; Enter searches): the stored sentence without harakat is found with its English, the
/// suggestion has the query's 17, the Arabic is laid out right to left, and the number that differs
/// is marked.
#[test]
fn lookup_by_keyboard_shows_the_match_right_to_left() {
    let Some(browser) = Browser::find() else {
        return;
    };
    let s = sample();
    let server = s.serve(&[]);
    let base = server.base.clone();
    browser.run(&s, 1024, 900, |c| async move {
        c.goto(&format!("{base}/")).await.unwrap();
        assert_eq!(c.title().await.unwrap(), TITLE);
        wait_for(&c, "#lookup-q:focus").await;
        c.active_element()
            .await
            .unwrap()
            .send_keys(&format!("{QUERY}{}", Key::Enter))
            .await
            .unwrap();
        answered(&c, "lookup-out").await;

        let targets = texts(&c, "#lookup-out li.match .target").await;
        let first = targets
            .iter()
            .position(|t| t.contains("Al-Bukamal"))
            .unwrap_or_else(|| panic!("no match with Al-Bukamal: {targets:?}"));
        let matches = c
            .find_all(Locator::Css("#lookup-out li.match"))
            .await
            .unwrap();
        let m = &matches[first];
        let suggestion = m.find(Locator::Css(".suggestion")).await.unwrap();
        assert_eq!(
            suggestion.text().await.unwrap(),
            "A convoy of 17 trucks loaded with weapons entered the city of Al-Bukamal."
        );
        let score = m.find(Locator::Css(".score")).await.unwrap();
        assert_eq!(score.text().await.unwrap(), "95%");
        let kind = m.find(Locator::Css(".kind")).await.unwrap();
        assert_eq!(
            kind.attr("data-kind").await.unwrap().as_deref(),
            Some("numbers")
        );

        // The stored sentence, as stored (no harakat), laid out right to left by the browser.
        let source = m.find(Locator::Css(".source")).await.unwrap();
        let source_text = source.text().await.unwrap();
        assert!(source_text.starts_with("دخلت قافلة من"), "{source_text}");
        assert_eq!(
            c.execute(
                "return getComputedStyle(arguments[0]).direction",
                vec![serde_json::to_value(&source).unwrap()]
            )
            .await
            .unwrap(),
            json!("rtl")
        );
        // The stored number that differs from the query's 17 is marked.
        let mark = source.find(Locator::Css("mark")).await.unwrap();
        assert_eq!(
            mark.attr("class").await.unwrap().as_deref(),
            Some("op-variant")
        );
        let number = mark.text().await.unwrap();
        assert!(["١٥", "12"].contains(&number.as_str()), "marked {number:?}");
        // The query is echoed with its harakat.
        let status = wait_for(&c, "#lookup-out .status bdi").await;
        assert_eq!(status.text().await.unwrap(), QUERY);

        // Keyboard only: Tab goes on to the next control, and the focus can be seen.
        c.active_element()
            .await
            .unwrap()
            .send_keys(&Key::Tab.to_string())
            .await
            .unwrap();
        wait_for(&c, "#lookup-min:focus").await;
        assert_ne!(
            eval(
                &c,
                "return getComputedStyle(document.activeElement).outlineStyle"
            )
            .await,
            json!("none")
        );
        // On past the Search button and the first match's stored English to its suggestion, whose
        // Copy button takes it (to the clipboard, or selected for Ctrl+C where there is none).
        for focused in [
            "#lookup-form button[type=submit]:focus",
            "#lookup-out li.match:first-child .copyable:has(.target) button.copy:focus",
            "#lookup-out li.match:first-child .copyable:has(.suggestion) button.copy:focus",
        ] {
            c.active_element()
                .await
                .unwrap()
                .send_keys(&Key::Tab.to_string())
                .await
                .unwrap();
            wait_for(&c, focused).await;
        }
        c.active_element()
            .await
            .unwrap()
            .send_keys(&Key::Enter.to_string())
            .await
            .unwrap();
        let copy = wait_for(&c, "button.copy:focus[data-copied]").await;
        if copy.attr("data-copied").await.unwrap().as_deref() == Some("selection") {
            assert_eq!(
                eval(&c, "return window.getSelection().toString()").await,
                json!("A convoy of 17 trucks loaded with weapons entered the city of Al-Bukamal.")
            );
        }
        screenshot(&c, "lookup", "#lookup").await;
    });
}

/// A fuzzy match marks each kind of difference: the query's word the stored sentence lacks where it
/// would go, and the stored word in place of the query's.
#[test]
fn fuzzy_match_marks_the_words_that_differ() {
    let Some(browser) = Browser::find() else {
        return;
    };
    let s = sample();
    let server = s.serve(&[]);
    let base = server.base.clone();
    browser.run(&s, 1024, 900, |c| async move {
        c.goto(&format!("{base}/")).await.unwrap();
        wait_for(&c, "#lookup-min")
            .await
            .send_keys("30")
            .await
            .unwrap();
        wait_for(&c, "#lookup-q")
            .await
            .send_keys(&format!(
                "دخلت قافلة كبيرة من 15 شاحنة محملة بالذخيرة إلى مدينة البوكمال{}",
                Key::Enter
            ))
            .await
            .unwrap();
        answered(&c, "lookup-out").await;
        let source = wait_for(&c, "#lookup-out li.match:first-child .source").await;
        let missing = source.find(Locator::Css("mark.op-missing")).await.unwrap();
        // As typed: the query's own word, not its matching form (كبيره).
        assert_eq!(missing.text().await.unwrap(), "كبيرة");
        let replaced = source.find(Locator::Css("mark.op-replace")).await.unwrap();
        assert_eq!(replaced.text().await.unwrap(), "بالأسلحة");
        // The missing word sits between the words it came between, spaced like them.
        let text = source.text().await.unwrap();
        assert!(text.starts_with("دخلت قافلة كبيرة من"), "{text}");
        screenshot(&c, "fuzzy", "#lookup").await;
    });
}

/// A concordance of حزب الله lists the units that have it, the phrase marked; an empty phrase
/// shows the server's error in the page.
#[test]
fn concordance_shows_hits_and_errors() {
    let Some(browser) = Browser::find() else {
        return;
    };
    let s = sample();
    let server = s.serve(&[]);
    let base = server.base.clone();
    browser.run(&s, 1024, 900, |c| async move {
        c.goto(&format!("{base}/")).await.unwrap();
        let input = wait_for(&c, "#concordance-q").await;
        input
            .send_keys(&format!("حزب الله{}", Key::Enter))
            .await
            .unwrap();
        answered(&c, "concordance-out").await;
        let hits = c
            .find_all(Locator::Css("#concordance-out li.hit"))
            .await
            .unwrap();
        assert!(hits.len() >= 2, "{} hits", hits.len());
        let marks = texts(&c, "#concordance-out li.hit .source mark").await;
        assert!(!marks.is_empty(), "no phrase marked");
        for m in &marks {
            assert!(m.contains("حزب الله"), "marked {m:?}");
        }
        let english = texts(&c, "#concordance-out li.hit .target").await;
        assert!(
            english.iter().any(|e| e.contains("Hizbullah")),
            "{english:?}"
        );
        screenshot(&c, "concordance", "#concordance").await;

        // Only spaces: the server refuses, and the page says what it said.
        input.clear().await.unwrap();
        input
            .send_keys(&format!("   {}", Key::Enter))
            .await
            .unwrap();
        let error = wait_for(
            &c,
            "#concordance-out[data-state=\"error\"] [role=\"alert\"]",
        )
        .await;
        let message = error.text().await.unwrap();
        assert!(
            message.contains("400") && message.contains("q is empty"),
            "{message}"
        );
    });
}

/// A pasted pair whose English spells Hezbollah: the page names the house spelling, Hizbullah.
#[test]
fn name_check_of_a_pair_shows_the_house_spelling() {
    let Some(browser) = Browser::find() else {
        return;
    };
    let s = sample();
    let server = s.serve(&[]);
    let base = server.base.clone();
    browser.run(&s, 1024, 900, |c| async move {
        c.goto(&format!("{base}/")).await.unwrap();
        wait_for(&c, "#check-arabic")
            .await
            .send_keys("قال حزب الله إن المقاومة جاهزة")
            .await
            .unwrap();
        wait_for(&c, "#check-english")
            .await
            .send_keys(&format!(
                "Hezbollah said the resistance was ready{}",
                Key::Enter
            ))
            .await
            .unwrap();
        answered(&c, "check-out").await;
        let finding = wait_for(&c, "#check-out li.finding").await;
        let arabic = finding.find(Locator::Css("bdi")).await.unwrap();
        assert_eq!(arabic.text().await.unwrap(), "حزب الله");
        let expected = finding.find(Locator::Css(".expected")).await.unwrap();
        assert_eq!(expected.text().await.unwrap(), "Hizbullah");
        let found = finding.find(Locator::Css(".found")).await.unwrap();
        assert_eq!(found.text().await.unwrap(), "Hezbollah");
        screenshot(&c, "check", "#check").await;
    });
}

/// The translit of a name in the house list is the house's spelling.
#[test]
fn translit_of_a_name() {
    let Some(browser) = Browser::find() else {
        return;
    };
    let s = sample();
    let server = s.serve(&[]);
    let base = server.base.clone();
    browser.run(&s, 1024, 900, |c| async move {
        c.goto(&format!("{base}/")).await.unwrap();
        wait_for(&c, "#translit-q")
            .await
            .send_keys(&format!("حركة النجباء{}", Key::Enter))
            .await
            .unwrap();
        answered(&c, "translit-out").await;
        let output = wait_for(&c, "#translit-out .translit-output").await;
        assert_eq!(output.text().await.unwrap(), "Al-Nujaba Movement");
        screenshot(&c, "translit", "#translit").await;
    });
}

/// On a phone's 360 px the page, with matches and concordance lines in it, does not scroll
/// sideways.
#[test]
fn fits_360_pixels() {
    let Some(browser) = Browser::find() else {
        return;
    };
    let s = sample();
    let server = s.serve(&[]);
    let base = server.base.clone();
    browser.run(&s, 360, 740, |c| async move {
        c.goto(&format!("{base}/")).await.unwrap();
        assert_eq!(
            eval(&c, "return document.documentElement.clientWidth").await,
            json!(360)
        );
        wait_for(&c, "#lookup-q")
            .await
            .send_keys(&format!("{QUERY}{}", Key::Enter))
            .await
            .unwrap();
        answered(&c, "lookup-out").await;
        wait_for(&c, "#lookup-out li.match").await;
        wait_for(&c, "#concordance-q")
            .await
            .send_keys(&format!("Hizbullah{}", Key::Enter))
            .await
            .unwrap();
        answered(&c, "concordance-out").await;
        wait_for(&c, "#concordance-out li.hit").await;
        let width = eval(&c, "return document.documentElement.scrollWidth").await;
        assert!(
            width.as_u64().is_some_and(|w| w <= 360),
            "the page is {width} px wide at 360"
        );
        screenshot(&c, "narrow", "#lookup").await;
    });
}

/// A stored unit whose English and origin look like markup are shown as that text: nothing of it
/// becomes an element, and its script does not run.
#[test]
fn stored_markup_shows_as_text() {
    let Some(browser) = Browser::find() else {
        return;
    };
    let s = sample();
    let target = r#"<b>bold</b><img src=x onerror="document.title='pwned'">"#;
    let origin = r#"<svg onload="document.title='pwned'"></svg>"#;
    s.ok(&[
        "add",
        "--source",
        "وصل وفد المراسلين إلى المطار صباحا",
        "--target",
        target,
        "--origin",
        origin,
    ]);
    let server = s.serve(&[]);
    let base = server.base.clone();
    browser.run(&s, 1024, 900, |c| async move {
        c.goto(&format!("{base}/")).await.unwrap();
        wait_for(&c, "#lookup-q")
            .await
            .send_keys(&format!("وصل وفد المراسلين إلى المطار صباحا{}", Key::Enter))
            .await
            .unwrap();
        answered(&c, "lookup-out").await;
        let shown = wait_for(&c, "#lookup-out li.match .target").await;
        assert_eq!(shown.text().await.unwrap(), target);
        let meta = texts(&c, "#lookup-out li.match .meta").await;
        assert!(meta.iter().any(|m| m.contains(origin)), "{meta:?}");

        wait_for(&c, "#concordance-q")
            .await
            .send_keys(&format!("bold{}", Key::Enter))
            .await
            .unwrap();
        answered(&c, "concordance-out").await;
        let hit = wait_for(&c, "#concordance-out li.hit .target").await;
        assert_eq!(hit.text().await.unwrap(), target);

        assert_eq!(
            eval(
                &c,
                "return document.querySelectorAll('main b, main img, main svg').length"
            )
            .await,
            json!(0)
        );
        assert_eq!(c.title().await.unwrap(), TITLE);
        screenshot(&c, "markup", "#lookup").await;
    });
}

/// Off loopback with a token, the page loads without it, asks for it at the first 401, and searches
/// with it once given.
#[test]
fn a_server_that_wants_its_token_gets_it_from_the_page() {
    let Some(browser) = Browser::find() else {
        return;
    };
    let s = sample();
    let (token_path, token) = crate::support::token_file(&s);
    // 0.0.0.0 listens on loopback too; the server treats it as off loopback.
    let server = s.serve(&[
        "--addr",
        "0.0.0.0:0",
        "--token-file",
        token_path.to_str().unwrap(),
    ]);
    let port = server.base.rsplit(':').next().unwrap().to_string();
    let base = format!("http://127.0.0.1:{port}");
    browser.run(&s, 1024, 900, |c| async move {
        c.goto(&format!("{base}/")).await.unwrap();
        assert_eq!(c.title().await.unwrap(), TITLE);
        let access = c.find(Locator::Css("#access")).await.unwrap();
        assert!(!access.is_displayed().await.unwrap());
        wait_for(&c, "#lookup-q:focus")
            .await
            .send_keys(&format!("{QUERY}{}", Key::Enter))
            .await
            .unwrap();
        let out = wait_for(&c, "#lookup-out[data-state=\"error\"]").await;
        assert!(out.text().await.unwrap().contains("401"));
        assert!(access.is_displayed().await.unwrap());
        wait_for(&c, "#access-token")
            .await
            .send_keys(&format!("{token}{}", Key::Enter))
            .await
            .unwrap();
        wait_for(&c, "#lookup-q:focus")
            .await
            .send_keys(&format!("{}", Key::Enter))
            .await
            .unwrap();
        answered(&c, "lookup-out").await;
        let targets = texts(&c, "#lookup-out li.match .target").await;
        assert!(
            targets.iter().any(|t| t.contains("Al-Bukamal")),
            "{targets:?}"
        );
        screenshot(&c, "token", "main").await;
    });
}

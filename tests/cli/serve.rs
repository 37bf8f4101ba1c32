//! `tm serve`: the real binary on a loopback port, talked to over HTTP as CAT tools, scripts and
//! Weblate or Okapi talk to it.

use std::io::{Read, Write};
use std::net::TcpStream;

use serde_json::{json, Value};

use crate::support::{encode, fixture, have_xmllint, token_file, Client, Sandbox};

/// A sandbox whose memory holds the sample memory.
fn with_sample() -> Sandbox {
    let s = Sandbox::new();
    s.ok(&["import", fixture("tm/sample.tmx").to_str().unwrap()]);
    s
}

/// The sample's convoy segment, with harakat and tatweel the stored one does not have.
const QUERY: &str = "دَخَلَتْ قافلةٌ من 17 شاحنـــة محملة بالأسلحة إلى مدينة البوكمال";

#[test]
fn lookup_answers_with_the_json_of_lookup_json() {
    let s = with_sample();
    let cli = s.json(&["lookup", "--json", QUERY]);
    let server = s.serve(&[]);
    let reply = server.get(&format!("/api/v1/lookup?q={}", encode(QUERY)));
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(
        reply.header("content-type").as_deref(),
        Some("application/json")
    );
    assert_eq!(reply.json(), cli);
    let best = &cli["matches"][0];
    assert!(
        best["target"].as_str().unwrap().contains("Al-Bukamal"),
        "{cli}"
    );
    assert!(best["suggestion"].as_str().unwrap().contains("17"));

    // min, top and the languages as the flags take them.
    let reply = server.get(&format!(
        "/api/v1/lookup?q={}&min=100&top=1&src=ar-IQ&tgt=en",
        encode(QUERY)
    ));
    assert_eq!(
        reply.json(),
        s.json(&["lookup", "--json", "--min", "100", "--top", "1", "--src", "ar-IQ", QUERY])
    );
}

#[test]
fn concordance_translit_and_stats_answer_as_their_commands_do() {
    let s = with_sample();
    let server = s.serve(&[]);
    let reply = server.get(&format!("/api/v1/concordance?q={}", encode("حزب الله")));
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(reply.json(), s.json(&["concordance", "--json", "حزب الله"]));
    assert!(!reply.json()["hits"].as_array().unwrap().is_empty());

    let reply = server.get(&format!("/api/v1/translit?q={}", encode("حركة النجباء")));
    assert_eq!(
        reply.json(),
        s.json(&["translit", "--json", "حركة النجباء"])
    );
    assert_eq!(reply.json()["output"], "Al-Nujaba Movement");

    let mut stats = s.json(&["stats", "--json"]);
    // The server names its file, not the folders it is in.
    stats["path"] = json!("memory.db");
    let mut served = server.get("/api/v1/stats").json();
    // The write-ahead log grows while the server reads; the rest is the same.
    served["size_bytes"] = stats["size_bytes"].clone();
    assert_eq!(served, stats);
}

#[test]
fn batch_lookup_answers_in_order_and_finds_context_matches() {
    let s = with_sample();
    let units = s.units();
    let i = units
        .iter()
        .position(|u| u.tuid.as_deref() == Some("sample-005"))
        .unwrap();
    let texts: Vec<&str> = (i - 1..=i + 1)
        .map(|j| units[j].source.text.as_str())
        .collect();
    let server = s.serve(&[]);
    // As one document: the middle segment has the neighbours it had in the memory.
    let reply = server.send(
        "POST",
        "/api/v1/lookup",
        &json!({"queries": texts, "document": true}),
        None,
    );
    assert_eq!(reply.status, 200, "{}", reply.body);
    let answers = reply.json();
    let answers = answers.as_array().unwrap();
    assert_eq!(answers.len(), 3);
    for (answer, text) in answers.iter().zip(&texts) {
        assert_eq!(answer["query"], *text);
    }
    assert_eq!(answers[1]["matches"][0]["kind"], "context", "{answers:?}");
    // The same with the context given per query.
    let reply = server.send(
        "POST",
        "/api/v1/lookup",
        &json!({"queries": [{"text": texts[1], "prev": texts[0], "next": texts[2]}], "top": 1}),
        None,
    );
    assert_eq!(reply.json()[0]["matches"][0]["kind"], "context");
    // Without context, the same segment is an exact match.
    let reply = server.send(
        "POST",
        "/api/v1/lookup",
        &json!({"queries": [texts[1]]}),
        None,
    );
    assert_eq!(reply.json()[0]["matches"][0]["kind"], "exact");
}

#[test]
fn check_finds_the_spellings_that_stray_from_the_house_style() {
    let s = with_sample();
    let server = s.serve(&[]);
    let reply = server.send(
        "POST",
        "/api/v1/check",
        &json!({"pairs": [
            {"arabic": "قال الأمين العام لحزب الله إن المقاومة مستمرة.",
             "english": "The Secretary-General of Hezbollah said the resistance would go on."},
            {"arabic": "وصلت تعزيزات إلى مدينة البوكمال.",
             "english": "Reinforcements arrived in the city of Al-Bukamal."}
        ]}),
        None,
    );
    assert_eq!(reply.status, 200, "{}", reply.body);
    let findings = reply.json()["findings"].as_array().unwrap().clone();
    assert_eq!(findings.len(), 1, "{findings:?}");
    assert_eq!(findings[0]["record"], 1);
    assert_eq!(findings[0]["expected"], "Hizbullah");
    assert_eq!(findings[0]["found"], "Hezbollah");
}

#[test]
fn writes_need_the_token_and_change_nothing_without_it() {
    let s = with_sample();
    let (token_path, token) = token_file(&s);
    let server = s.serve(&["--token-file", token_path.to_str().unwrap()]);
    let before = s.segments();
    let unit = json!({"source": "وصل وفد من حركة النجباء إلى بغداد", "target": "A delegation of the Al-Nujaba Movement arrived in Baghdad"});
    for token in [None, Some("wrong-token-of-the-same-kind-0123456789")] {
        let reply = server.send("POST", "/api/v1/units", &unit, token);
        assert_eq!(reply.status, 401, "{}", reply.body);
        assert!(reply.json()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("token"));
        assert_eq!(
            server
                .send("DELETE", "/api/v1/units/1", &json!(null), token)
                .status,
            401
        );
        assert_eq!(
            server
                .send("PATCH", "/api/v1/units/1", &json!({"target": "x"}), token)
                .status,
            401
        );
        let name = json!({"arabic": "قيس", "english": "Qays"});
        assert_eq!(
            server.send("POST", "/api/v1/names", &name, token).status,
            401
        );
    }
    assert_eq!(s.segments(), before);
    assert_eq!(s.ok(&["names", "list", "--user", "--json"]), "");

    // With the token: added, seen by the command line, edited, deleted.
    let reply = server.send("POST", "/api/v1/units", &unit, Some(&token));
    assert_eq!(reply.status, 201, "{}", reply.body);
    let id = reply.json()["id"].as_i64().unwrap();
    assert_eq!(reply.json(), json!({"id": id, "new": true}));
    assert_eq!(s.segments(), before + 1);
    let listed = s.json(&["list", "--json", "--limit", "1"]);
    assert_eq!(listed["id"], id);
    let reply = server.send(
        "PATCH",
        &format!("/api/v1/units/{id}"),
        &json!({"target": "A delegation of the Al-Nujaba Movement arrived in Baghdad on Monday"}),
        Some(&token),
    );
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(reply.json()["changed_by"], "tester");
    assert!(s
        .ok(&["list", "--json", "--limit", "1"])
        .contains("on Monday"));
    let reply = server.send(
        "PATCH",
        "/api/v1/units/999999",
        &json!({"target": "x"}),
        Some(&token),
    );
    assert_eq!(reply.status, 404);
    let reply = server.send(
        "PATCH",
        &format!("/api/v1/units/{id}"),
        &json!({"target": " "}),
        Some(&token),
    );
    assert_eq!(reply.status, 400, "{}", reply.body);
    let reply = server.send(
        "DELETE",
        &format!("/api/v1/units/{id}"),
        &json!(null),
        Some(&token),
    );
    assert_eq!(reply.json(), json!({"deleted": 1, "dry_run": false}));
    assert_eq!(s.segments(), before);

    // A name of the user's: listed, and used by translit.
    let reply = server.send(
        "POST",
        "/api/v1/names",
        &json!({"arabic": "قيس", "english": "Qays", "kind": "person"}),
        Some(&token),
    );
    assert_eq!(reply.status, 201, "{}", reply.body);
    let names = server.get("/api/v1/names?user=true").json();
    assert_eq!(names[0]["english"], "Qays");
    assert_eq!(
        server
            .get(&format!("/api/v1/translit?q={}", encode("قيس")))
            .json()["output"],
        "Qays"
    );
}

#[test]
fn an_import_beside_the_server_is_in_the_next_answer() {
    let s = Sandbox::new();
    s.ok(&[
        "add",
        "--source",
        "عاجل: دوي انفجارات في محيط قاعدة عين الأسد",
        "--target",
        "Breaking: Explosions near Ain Al-Asad Base",
    ]);
    let server = s.serve(&[]);
    let q = format!("/api/v1/lookup?q={}", encode(QUERY));
    assert_eq!(server.get(&q).json()["matches"], json!([]));
    s.ok(&["import", fixture("tm/sample.tmx").to_str().unwrap()]);
    assert!(!server.get(&q).json()["matches"]
        .as_array()
        .unwrap()
        .is_empty());
}

#[test]
fn export_tmx_has_an_etag_and_answers_304_while_nothing_changed() {
    let s = with_sample();
    let server = s.serve(&[]);
    let first = server.get("/api/v1/export.tmx");
    assert_eq!(first.status, 200);
    let etag = first.header("etag").expect("an ETag");
    assert!(first.body.contains("<tmx version=\"1.4\">"));
    assert_eq!(
        first.body.matches("<tu ").count() + first.body.matches("<tu>").count(),
        133
    );
    let again = server.get_with("/api/v1/export.tmx", &[("If-None-Match", &etag)]);
    assert_eq!(again.status, 304);
    assert!(again.body.is_empty());
    // The file is what `tm export` writes (its date aside), and valid TMX.
    let exported = s.path("cli.tmx");
    s.ok(&["export", exported.to_str().unwrap()]);
    let without_date = |t: &str| {
        t.lines()
            .filter(|l| !l.contains("<header "))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(
        without_date(&first.body),
        without_date(&std::fs::read_to_string(&exported).unwrap())
    );
    if have_xmllint() {
        let served = s.path("served.tmx");
        std::fs::write(&served, &first.body).unwrap();
        crate::import_export::tmx_dtd_check(&served).unwrap();
    }
    // One origin only.
    let one = server.get("/api/v1/export.tmx?origin=syria-news-2024-09");
    assert_ne!(one.header("etag"), Some(etag.clone()));
    assert!(one.body.matches("<tu").count() < 133);
    // A change from the command line: a new version, the whole file again.
    s.ok(&["add", "--source", "مرحبا", "--target", "Hello"]);
    let changed = server.get_with("/api/v1/export.tmx", &[("If-None-Match", &etag)]);
    assert_eq!(changed.status, 200);
    assert_ne!(changed.header("etag"), Some(etag));
    assert!(changed.body.contains("Hello"));
}

#[test]
fn tmserver_answers_as_amagama_does_to_weblate_and_okapi() {
    let s = with_sample();
    let server = s.serve(&[]);
    let languages = server.get("/tmserver/languages/");
    assert_eq!(languages.status, 200);
    assert_eq!(
        languages.json(),
        json!({"sourceLanguages": ["ar"], "targetLanguages": ["en"]})
    );
    // Okapi: POSIX locale codes, the text in the path with spaces as %20.
    let reply = server.get(&format!("/tmserver/ar/en_US/unit/{}", encode(QUERY)));
    assert_eq!(reply.status, 200, "{}", reply.body);
    let candidates = reply.json();
    let candidates = candidates.as_array().unwrap();
    assert!(!candidates.is_empty());
    for c in candidates {
        let keys: Vec<&String> = c.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["quality", "rank", "source", "target"]);
        // Okapi reads quality as a Double: a number with a fraction in the JSON.
        assert!(c["quality"].is_f64(), "{c}");
        assert!(c["rank"].is_f64(), "{c}");
    }
    let qualities: Vec<f64> = candidates
        .iter()
        .map(|c| c["quality"].as_f64().unwrap())
        .collect();
    assert!(qualities.windows(2).all(|w| w[0] >= w[1]), "{qualities:?}");
    assert!(candidates[0]["target"]
        .as_str()
        .unwrap()
        .contains("Al-Bukamal"));
    // Weblate: lowercased codes, the text in the path; max_candidates and min_similarity.
    let reply = server.get(&format!(
        "/tmserver/ar/en_us/unit/{}?max_candidates=1&min_similarity=30",
        encode(QUERY)
    ));
    assert_eq!(reply.json().as_array().unwrap().len(), 1);
    let reply = server.get(&format!(
        "/tmserver/ar/en/unit/{}?min_similarity=100",
        encode("نص لا يشبه شيئا في الذاكرة أبدا")
    ));
    assert_eq!(reply.json(), json!([]));
    // amaGama's other form: the text as ?source=.
    let reply = server.get(&format!("/tmserver/ar/en/unit/?source={}", encode(QUERY)));
    assert_eq!(reply.json()[0], candidates[0]);
    // amaGama's address today, Okapi's default: the same under /api/v1/.
    let reply = server.get(&format!("/api/v1/ar/en_US/unit/{}", encode(QUERY)));
    assert_eq!(reply.json(), json!(candidates));
    assert_eq!(server.get("/api/v1/languages/").json(), languages.json());
    // A language the memory does not have, or the same on both sides: 404, as amaGama.
    assert_eq!(server.get("/tmserver/fr/en/unit/bonjour").status, 404);
    assert_eq!(server.get("/tmserver/ar/ar/unit/x").status, 404);
}

#[test]
fn bad_requests_get_clear_json_errors() {
    let s = with_sample();
    let (token_path, token) = token_file(&s);
    let server = s.serve(&["--token-file", token_path.to_str().unwrap()]);
    let error = |reply: &crate::support::Reply, status: u16, says: &str| {
        assert_eq!(reply.status, status, "{}", reply.body);
        let message = reply.json()["error"]["message"]
            .as_str()
            .unwrap()
            .to_string();
        assert!(message.contains(says), "{message:?} should say {says:?}");
    };
    error(&server.get("/api/v1/nowhere"), 404, "not found");
    error(&server.get("/api/v1/lookup"), 400, "q");
    error(&server.get("/api/v1/lookup?q=x&min=101"), 400, "min");
    error(&server.get("/api/v1/lookup?q=x&top=0"), 400, "top");
    error(&server.get("/api/v1/lookup?q=x&src=../../etc"), 400, "src");
    let long = "ب".repeat(6000);
    error(
        &server.get(&format!("/api/v1/lookup?q={}", encode(&long))),
        413,
        "characters",
    );
    let many: Vec<&str> = vec!["مرحبا"; 1001];
    error(
        &server.send("POST", "/api/v1/lookup", &json!({ "queries": many }), None),
        413,
        "1000",
    );
    // A body over the limit is refused from its announced length, before it is read (through a raw
    // socket: a client still sending when the answer comes may see the connection close instead).
    let addr = server.base.trim_start_matches("http://").to_string();
    let mut raw = TcpStream::connect(&addr).unwrap();
    raw.write_all(
        b"POST /api/v1/lookup HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2000000\r\nConnection: close\r\n\r\n{\"queries\": [",
    )
    .unwrap();
    let mut answer = String::new();
    raw.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert!(answer.contains("\"status\":413"), "{answer}");
    error(
        &server.send("POST", "/api/v1/lookup", &json!({"quries": []}), None),
        422,
        "quries",
    );
    error(
        &server.send(
            "POST",
            "/api/v1/units",
            &json!({"source": "x"}),
            Some(&token),
        ),
        422,
        "target",
    );
    error(
        &server.send(
            "POST",
            "/api/v1/names",
            &json!({"arabic": "قيس", "english": "Qays", "kind": "planet"}),
            Some(&token),
        ),
        400,
        "planet",
    );
    // The access log: one JSON line per request, without the query's text.
    let (status, log) = server.stop();
    assert!(status.success());
    let lines: Vec<Value> = log
        .lines()
        .filter(|l| l.starts_with('{'))
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(lines
        .iter()
        .any(|l| l["path"] == "/api/v1/nowhere" && l["status"] == 404));
    assert!(!log.contains("ب"), "the log has a query's text");
}

#[test]
fn start_up_says_what_is_wrong() {
    let s = Sandbox::new();
    let log = s.try_serve(&[]).err().expect("no memory, no server");
    assert!(log.contains("no memory at"), "{log}");
    assert!(log.contains("tm import"), "{log}");
    s.ok(&["add", "--source", "مرحبا", "--target", "Hello"]);
    let log = s
        .try_serve(&["--addr", "0.0.0.0:0"])
        .err()
        .expect("off loopback without a token");
    assert!(log.contains("--token-file"), "{log}");
    std::fs::write(s.path("short"), "abc\n").unwrap();
    let log = s
        .try_serve(&["--token-file", s.path("short").to_str().unwrap()])
        .err()
        .expect("a short token");
    assert!(log.contains("at least 16"), "{log}");
    let log = s
        .try_serve(&["--addr", "localhost"])
        .err()
        .expect("no port");
    assert!(log.contains("--addr"), "{log}");
}

#[test]
fn off_loopback_reads_need_the_token_unless_public_read() {
    let s = with_sample();
    let (token_path, token) = token_file(&s);
    // 0.0.0.0 listens on loopback too, so the test reaches it there.
    let server = s.serve(&[
        "--addr",
        "0.0.0.0:0",
        "--token-file",
        token_path.to_str().unwrap(),
    ]);
    let port = server.base.rsplit(':').next().unwrap().to_string();
    let reach = |path: &str, token: Option<&str>| -> u16 {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .build()
            .into();
        let mut request = agent.get(&format!("http://127.0.0.1:{port}{path}"));
        if let Some(t) = token {
            request = request.header("Authorization", &format!("Bearer {t}"));
        }
        request.call().unwrap().status().as_u16()
    };
    assert_eq!(reach("/api/v1/stats", None), 401);
    // The page itself holds no data: it loads, then asks for the token.
    assert_eq!(reach("/", None), 200);
    assert_eq!(reach("/app.js", None), 200);
    assert_eq!(reach("/api/v1/stats", Some(&token)), 200);
    drop(server);
    let server = s.serve(&["--addr", "0.0.0.0:0", "--public-read"]);
    assert_eq!(server.get("/api/v1/stats").status, 200);
    let reply = server.send(
        "POST",
        "/api/v1/units",
        &json!({"source": "مرحبا", "target": "Hello"}),
        Some(&token),
    );
    assert_eq!(reply.status, 401, "no token file: no writes at all");
}

#[test]
fn read_only_takes_no_writes() {
    let s = with_sample();
    let (token_path, token) = token_file(&s);
    let server = s.serve(&["--read-only", "--token-file", token_path.to_str().unwrap()]);
    let reply = server.send(
        "POST",
        "/api/v1/units",
        &json!({"source": "مرحبا", "target": "Hello"}),
        Some(&token),
    );
    assert_eq!(reply.status, 403, "{}", reply.body);
    assert!(reply.body.contains("read-only"));
    assert_eq!(server.get("/api/v1/stats").status, 200);
}

/// Adds units one after another until the server stops answering; returns the ids it acknowledged
/// and how many it was sent.
fn add_until_refused(server: &Client, token: &str, tag: &str) -> (Vec<i64>, usize) {
    let mut acknowledged = Vec::new();
    let mut sent = 0;
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    loop {
        sent += 1;
        let unit = json!({
            "source": format!("وصلت الدفعة رقم {sent} من المساعدات إلى دير الزور {tag}"),
            "target": format!("Aid batch number {sent} arrived in Deir Al-Zour {tag}"),
        });
        let reply = agent
            .post(&server.url("/api/v1/units"))
            .header("Authorization", &format!("Bearer {token}"))
            .send_json(&unit);
        match reply {
            Ok(mut r) if r.status() == 201 => {
                let v: Value =
                    serde_json::from_str(&r.body_mut().read_to_string().unwrap()).unwrap();
                acknowledged.push(v["id"].as_i64().unwrap());
            }
            _ => return (acknowledged, sent),
        }
    }
}

#[test]
fn sigterm_finishes_the_writes_under_way_and_loses_none() {
    let s = with_sample();
    let (token_path, token) = token_file(&s);
    let server = s.serve(&["--token-file", token_path.to_str().unwrap()]);
    let writers: Vec<_> = (0..4)
        .map(|w| {
            let server_url = server.base.clone();
            let token = token.clone();
            std::thread::spawn(move || {
                // Each writer has its own connection to the same server.
                let client = Client::new(&server_url);
                add_until_refused(&client, &token, &format!("w{w}"))
            })
        })
        .collect();
    // Let the writers get going: wait until the memory has grown (a signal from the store itself),
    // or the writers have stopped (then the assertions below say why).
    while s.segments() < 133 + 20 && !writers.iter().all(|w| w.is_finished()) {
        std::thread::yield_now();
    }
    let (status, log) = server.stop();
    assert!(status.success(), "{log}");
    assert!(log.contains("stopped"), "{log}");
    let mut acknowledged = 0;
    let mut sent = 0;
    for w in writers {
        let (ids, n) = w.join().unwrap();
        acknowledged += ids.len();
        sent += n;
    }
    let stored = s.segments() as usize - 133;
    // Every acknowledged write is stored; a write that was cut off with the connection may be too.
    assert!(
        stored >= acknowledged,
        "{stored} stored, {acknowledged} acknowledged"
    );
    assert!(stored <= sent, "{stored} stored, {sent} sent");
    assert!(s.ok(&["doctor"]).contains("whole"));
}

#[test]
fn sigkill_during_writes_leaves_the_memory_whole() {
    let s = with_sample();
    let (token_path, token) = token_file(&s);
    for round in 0..3 {
        let server = s.serve(&["--token-file", token_path.to_str().unwrap()]);
        let base = server.base.clone();
        let t = token.clone();
        let writer = std::thread::spawn(move || {
            add_until_refused(&Client::new(&base), &t, &format!("round{round}"))
        });
        let before = s.segments();
        while s.segments() < before + 5 + round * 7 && !writer.is_finished() {
            std::thread::yield_now();
        }
        let pid = server.pid();
        unsafe { libc::kill(pid as libc::pid_t, libc::SIGKILL) };
        drop(server);
        let (ids, _) = writer.join().unwrap();
        let doctor = s.run(&["doctor"]).ok();
        assert!(doctor.contains("whole"), "{doctor}");
        let stored: std::collections::HashSet<i64> = s
            .ok(&["list", "--json", "--limit", "1000000"])
            .lines()
            .map(|l| {
                serde_json::from_str::<Value>(l).unwrap()["id"]
                    .as_i64()
                    .unwrap()
            })
            .collect();
        for id in &ids {
            assert!(
                stored.contains(id),
                "acknowledged unit {id} is gone (round {round})"
            );
        }
    }
}

#[test]
fn a_client_that_stalls_or_leaves_does_not_hold_up_the_others() {
    let s = with_sample();
    let server = s.serve(&[]);
    let addr = server.base.trim_start_matches("http://").to_string();
    // One sends half a request head and waits; one promises a body and sends a little of it; one
    // asks and hangs up at once.
    let mut half_head = TcpStream::connect(&addr).unwrap();
    half_head
        .write_all(b"GET /api/v1/stats HTTP/1.1\r\nHost: x\r\n")
        .unwrap();
    let mut half_body = TcpStream::connect(&addr).unwrap();
    half_body
        .write_all(
            b"POST /api/v1/lookup HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"queries\": [",
        )
        .unwrap();
    {
        let mut gone = TcpStream::connect(&addr).unwrap();
        gone.write_all(
            format!(
                "GET /api/v1/lookup?q={} HTTP/1.1\r\nHost: x\r\n\r\n",
                encode(QUERY)
            )
            .as_bytes(),
        )
        .unwrap();
    }
    for _ in 0..20 {
        let reply = server.get(&format!("/api/v1/lookup?q={}", encode(QUERY)));
        assert_eq!(reply.status, 200);
    }
    // The stalled ones are still waiting, not answered wrongly.
    half_head.set_nonblocking(true).unwrap();
    let mut buf = [0u8; 16];
    assert!(half_head.read(&mut buf).is_err() || buf.starts_with(b"HTTP/1.1 408"));
    drop(half_body);
}

#[test]
fn the_openapi_file_describes_every_route() {
    let s = with_sample();
    let server = s.serve(&[]);
    let spec = server.get("/api/v1/openapi.json");
    assert_eq!(spec.status, 200);
    let paths = spec.json()["paths"].as_object().unwrap().clone();
    for path in [
        "/api/v1/lookup",
        "/api/v1/concordance",
        "/api/v1/translit",
        "/api/v1/check",
        "/api/v1/stats",
        "/api/v1/units",
        "/api/v1/units/{id}",
        "/api/v1/names",
        "/api/v1/export.tmx",
        "/tmserver/{src}/{tgt}/unit/{text}",
        "/tmserver/languages/",
    ] {
        assert!(paths.contains_key(path), "{path} is not in openapi.json");
        // And the route answers something other than "no such route".
        let concrete = path
            .replace("{id}", "1")
            .replace("{src}", "ar")
            .replace("{tgt}", "en")
            .replace("{text}", "x");
        let reply = server.get(&concrete);
        assert!(
            reply.status != 404 || reply.body.contains("unit") || reply.body.contains("id"),
            "{concrete}: {}",
            reply.body
        );
    }
}

/// The server keeps what lookups read of the word index between requests (as a batch lookup does
/// between queries); a unit added since, by the command line or the server, is found all the same.
#[test]
fn a_unit_added_after_a_lookup_is_found_by_the_next_one() {
    let s = with_sample();
    let (token_path, token) = token_file(&s);
    let server = s.serve(&["--token-file", token_path.to_str().unwrap()]);
    let query = "دخلت قافلة من 40 شاحنة محملة بالوقود إلى مدينة البوكمال";
    let path = format!("/api/v1/lookup?q={}", encode(query));
    let before = server.get(&path).json();
    assert!(
        before["matches"][0]["score"].as_u64().unwrap() < 100,
        "{before}"
    );
    // Its words are all in the memory already: the new unit is found only if the postings read for
    // the first lookup are read again.
    s.ok(&[
        "add",
        "--source",
        query,
        "--target",
        "A convoy of 40 fuel trucks entered the city of Al-Bukamal",
    ]);
    let after = server.get(&path).json();
    assert_eq!(after["matches"][0]["score"], 100, "{after}");
    // Through the server's own writer too.
    let second = "دخلت قافلة من 41 شاحنة محملة بالوقود إلى مدينة البوكمال";
    let path = format!("/api/v1/lookup?q={}", encode(second));
    assert!(
        server.get(&path).json()["matches"][0]["score"]
            .as_u64()
            .unwrap()
            < 100
    );
    let added = server.send(
        "POST",
        "/api/v1/units",
        &json!({"source": second, "target": "A convoy of 41 fuel trucks entered the city of Al-Bukamal"}),
        Some(&token),
    );
    assert_eq!(added.status, 201);
    assert_eq!(server.get(&path).json()["matches"][0]["score"], 100);
    // Many adds (the index merges its small segments), an edit, a delete and a rebuilt index: after
    // each, the server answers as the command line does.
    let same_as_cli = |what: &str| {
        for q in [query, second, QUERY] {
            let served = server
                .get(&format!("/api/v1/lookup?q={}", encode(q)))
                .json();
            assert_eq!(
                served,
                s.json(&["lookup", "--json", q]),
                "after {what}: {q}"
            );
        }
    };
    for i in 0..12 {
        s.ok(&[
            "add",
            "--source",
            &format!(
                "دخلت قافلة من {} شاحنة محملة بالوقود إلى مدينة البوكمال",
                50 + i
            ),
            "--target",
            &format!(
                "A convoy of {} fuel trucks entered the city of Al-Bukamal",
                50 + i
            ),
        ]);
        same_as_cli("adds");
    }
    let id = added.json()["id"].as_i64().unwrap().to_string();
    s.ok(&[
        "edit",
        "--id",
        &id,
        "--source",
        "وصل وفد من حركة النجباء إلى مدينة البوكمال",
    ]);
    same_as_cli("an edit");
    s.ok(&["delete", "--id", &id]);
    same_as_cli("a delete");
    // The units that brought the first words into the vocabulary go: rebuilt, the index gives most
    // words other ids than the server read.
    let first = s.units()[0].origin.clone().unwrap();
    s.ok(&["delete", "--origin", &first]);
    same_as_cli("deleting an origin");
    s.ok(&["reindex"]);
    same_as_cli("a reindex");
}

/// The read connections share one cache of what lookups read of the word index, each bringing it up
/// to date when it sees a commit: lookups on several connections at once, between adds that make the
/// index merge its small segments, answer as the command line does.
#[test]
fn lookups_at_once_on_several_connections_answer_as_the_command_line_does() {
    let s = with_sample();
    let (token_path, token) = token_file(&s);
    let server = s.serve(&["--token-file", token_path.to_str().unwrap()]);
    let queries = [
        "دخلت قافلة من 40 شاحنة محملة بالوقود إلى مدينة البوكمال",
        "وصلت قافلة مساعدات إلى مدينة البوكمال",
        QUERY,
    ];
    for i in 0..12 {
        let added = server.send(
            "POST",
            "/api/v1/units",
            &json!({
                "source": format!("دخلت قافلة من {} شاحنة محملة بالوقود إلى مدينة البوكمال", 60 + i),
                "target": format!("A convoy of {} fuel trucks entered the city of Al-Bukamal", 60 + i),
            }),
            Some(&token),
        );
        assert_eq!(added.status, 201, "{}", added.body);
        let served: Vec<(&str, Value)> = std::thread::scope(|scope| {
            let lookups: Vec<_> = (0..8)
                .map(|k| {
                    let (q, server) = (queries[k % queries.len()], &server);
                    scope.spawn(move || {
                        let path = format!("/api/v1/lookup?q={}", encode(q));
                        (q, server.get(&path).json())
                    })
                })
                .collect();
            lookups.into_iter().map(|l| l.join().unwrap()).collect()
        });
        for (q, answer) in served {
            assert_eq!(
                answer,
                s.json(&["lookup", "--json", q]),
                "after add {i}: {q}"
            );
        }
    }
}

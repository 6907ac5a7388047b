//! The `drun` binary as a process, against servers on loopback: the bearer
//! header, every page, TLS options, dry runs, checks before sending, bodies
//! from files and stdin, exit codes, and the key in no output at all.

use std::io::Write as _;
use std::process::{Command, Output, Stdio};
use std::sync::Arc;

use serde_json::{Value, json};
use wiremock::matchers::{body_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

mod common;

use common::{KEY, drun_command};

const USER: &str = "/apis/ghippo.io/v1alpha1/users/u1";
const USERS: &str = "/apis/ghippo.io/v1alpha1/users";

/// Runs `drun` with the key in the environment; asserts that the key
/// shows in neither its output nor its errors, whatever happened.
fn drun(base_url: &str, args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = drun_command(base_url)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("drun starts");
    let mut input = child.stdin.take().expect("stdin");
    if let Some(bytes) = stdin {
        input.write_all(bytes).expect("stdin written");
    }
    drop(input);
    let output = child.wait_with_output().expect("drun ends");
    for (name, stream) in [("stdout", &output.stdout), ("stderr", &output.stderr)] {
        assert!(!String::from_utf8_lossy(stream).contains(KEY), "the key is in {name}: {output:?}");
    }
    output
}

fn code(output: &Output) -> i32 {
    output.status.code().expect("an exit code")
}

fn stdout_json(output: &Output) -> Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {output:?}"))
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// In a blocking thread, so the mock server keeps serving.
async fn run(base_url: &str, args: &[&str], stdin: Option<&[u8]>) -> Output {
    let (base_url, stdin) = (base_url.to_owned(), stdin.map(<[u8]>::to_vec));
    let args: Vec<String> = args.iter().map(|a| (*a).to_owned()).collect();
    tokio::task::spawn_blocking(move || {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        drun(&base_url, &args, stdin.as_deref())
    })
    .await
    .expect("drun ran")
}

#[tokio::test(flavor = "multi_thread")]
async fn a_call_sends_the_bearer_key_and_prints_the_answer_as_sent() {
    let server = MockServer::start().await;
    let user = json!({"id": "u1", "name": "alice", "unknownField": {"kept": true}, "createdAt": "2026-01-01"});
    Mock::given(method("GET"))
        .and(path(USER))
        .and(header("authorization", format!("Bearer {KEY}").as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_json(&user))
        .expect(2)
        .mount(&server)
        .await;
    let output = run(&server.uri(), &["ghippo", "users", "get-user", "u1"], None).await;
    assert_eq!(code(&output), 0, "{output:?}");
    // Piped: compact, fields in the server's order, unknown ones kept.
    assert_eq!(String::from_utf8_lossy(&output.stdout).trim(), serde_json::to_string(&user).unwrap());
    let output = run(&server.uri(), &["ghippo", "users", "get-user", "u1", "--verbose"], None).await;
    assert_eq!(code(&output), 0, "{output:?}");
    assert!(stderr(&output).contains(&format!("> GET {}{USER}", server.uri())), "{output:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn all_follows_every_page_until_an_empty_one() {
    let server = MockServer::start().await;
    for (page, names) in [("1", vec!["a", "b"]), ("2", vec!["c"]), ("3", vec![])] {
        let items: Vec<Value> = names.iter().map(|n| json!({"id": n, "name": n})).collect();
        Mock::given(method("GET"))
            .and(path(USERS))
            .and(query_param("page", page))
            .and(query_param("pageSize", "2"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({"items": items, "pagination": {}})))
            .expect(2)
            .mount(&server)
            .await;
    }
    let args = ["ghippo", "users", "list-users", "--all", "--page-size", "2"];
    let output = run(&server.uri(), &args, None).await;
    assert_eq!(code(&output), 0, "{output:?}");
    let ids: Vec<Value> = stdout_json(&output).as_array().expect("an array").iter().map(|u| u["id"].clone()).collect();
    assert_eq!(ids, [json!("a"), json!("b"), json!("c")]);
    let output = run(&server.uri(), &[&args[..], &["--output", "ndjson"]].concat(), None).await;
    let lines: Vec<&str> = std::str::from_utf8(&output.stdout).unwrap().lines().collect();
    assert_eq!(lines, [r#"{"id":"a","name":"a"}"#, r#"{"id":"b","name":"b"}"#, r#"{"id":"c","name":"c"}"#]);
}

#[tokio::test(flavor = "multi_thread")]
async fn jq_keeps_what_the_query_gives_of_an_answer_and_of_each_item() {
    let server = MockServer::start().await;
    for (page, names) in [("1", vec!["a", "b"]), ("2", vec!["c"]), ("3", vec![])] {
        let items: Vec<Value> =
            names.iter().map(|n| json!({"id": n, "name": format!("user {n}"), "email": "e"})).collect();
        Mock::given(method("GET"))
            .and(path(USERS))
            .and(query_param("page", page))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({"items": items, "pagination": {"total": 3}})))
            .mount(&server)
            .await;
    }
    let list = ["ghippo", "users", "list-users", "--page", "1"];
    let output = run(&server.uri(), &[&list[..], &["--jq", ".pagination.total"]].concat(), None).await;
    assert_eq!(code(&output), 0, "{output:?}");
    assert_eq!(stdout_json(&output), json!(3));
    let output = run(&server.uri(), &[&list[..], &["--jq", ".items[].id", "-o", "ndjson"]].concat(), None).await;
    assert_eq!(String::from_utf8_lossy(&output.stdout), "\"a\"\n\"b\"\n");
    let all = ["ghippo", "users", "list-users", "--all", "--page-size", "2"];
    let output = run(&server.uri(), &[&all[..], &["--jq", "{id, name}", "-o", "ndjson"]].concat(), None).await;
    let lines: Vec<&str> = std::str::from_utf8(&output.stdout).unwrap().lines().collect();
    assert_eq!(
        lines,
        [r#"{"id":"a","name":"user a"}"#, r#"{"id":"b","name":"user b"}"#, r#"{"id":"c","name":"user c"}"#]
    );
    let output =
        run(&server.uri(), &[&all[..], &["--jq", "select(.id != \"b\") | {name}", "-o", "table"]].concat(), None).await;
    let text = String::from_utf8_lossy(&output.stdout);
    let rows: Vec<String> = text.lines().map(|l| l.split_whitespace().collect::<Vec<_>>().join(" ")).collect();
    assert_eq!(rows, ["NAME", "user a", "user c"], "{text}");
    // A query that is not jq is refused before anything is sent.
    let before = server.received_requests().await.unwrap_or_default().len();
    let output = run(&server.uri(), &[&list[..], &["--jq", ".items["]].concat(), None).await;
    assert_eq!(code(&output), 2, "{output:?}");
    assert_eq!(server.received_requests().await.unwrap_or_default().len(), before);
}

#[tokio::test(flavor = "multi_thread")]
async fn all_stops_at_the_total_and_tables_show_the_items() {
    let server = MockServer::start().await;
    // Raw text, so the fields come in this order whatever `serde_json`'s
    // features are (a workspace build turns on `preserve_order`).
    let page =
        r#"{"items": [{"id": "1", "name": "alice", "roles": ["r"], "email": "a@x"}], "pagination": {"total": 1}}"#;
    Mock::given(method("GET"))
        .and(path(USERS))
        .and(query_param("page", "1"))
        .and(query_param("pageSize", "100"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(page, "application/json"))
        .expect(1)
        .mount(&server)
        .await;
    let output = run(&server.uri(), &["ghippo", "users", "list-users", "--all", "-o", "table"], None).await;
    assert_eq!(code(&output), 0, "{output:?}");
    let text = String::from_utf8_lossy(&output.stdout);
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    // The scalar fields, in the order the server sent them; the array
    // `roles` is left out.
    assert_eq!(lines[0].split_whitespace().collect::<Vec<_>>(), ["ID", "NAME", "EMAIL"], "{text}");
    assert_eq!(lines[1].split_whitespace().collect::<Vec<_>>(), ["1", "alice", "a@x"], "{text}");
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_values_are_refused_before_anything_is_sent() {
    let server = MockServer::start().await;
    let refused: [(&[&str], &str); 6] = [
        (&["ghippo", "users", "list-users", "--page", "two"], "--page"),
        (&["ghippo", "users", "list-users", "--page", "3000000000"], "--page"),
        (&["ghippo", "audit", "list-audits", "--status", "maybe"], "succeeded"),
        (&["ghippo", "users", "get-user", ".."], "<id>"),
        (&["ghippo", "users", "get-user", ""], "<id>"),
        (&["ghippo", "users", "create-user", "--body", r#"{"name": 5}"#], "at `name`"),
    ];
    for (args, named) in refused {
        let output = run(&server.uri(), args, None).await;
        assert_eq!(code(&output), 2, "{args:?}: {output:?}");
        assert!(stderr(&output).contains(named), "{args:?} should name {named}: {}", stderr(&output));
    }
    let output = run(&server.uri(), &["ghippo", "users", "create-user"], None).await;
    assert_eq!(code(&output), 2);
    assert!(stderr(&output).contains("--body"), "{}", stderr(&output));
    assert!(server.received_requests().await.unwrap_or_default().is_empty(), "a refused call reached the server");
}

#[tokio::test(flavor = "multi_thread")]
async fn unknown_body_fields_are_refused_at_any_depth_and_raw_bodies_sent_as_given() {
    let server = MockServer::start().await;
    let refused: [(&[&str], &str); 4] = [
        (
            &["ghippo", "users", "create-user", "--body", r#"{"nmae": "alice"}"#],
            "--body: at `nmae`: no such field in CreateUserRequest; did you mean `name`?",
        ),
        (
            &["ghippo", "users", "create-user", "--body", r#"{"enabled": "yes"}"#],
            "--body: at `enabled`: no such field in CreateUserRequest; its fields are",
        ),
        (
            &[
                "ghippo",
                "role",
                "create-role",
                "--body",
                r#"{"name": "r", "perms": [{"action": "get"}, {"resourceTyp": "x"}]}"#,
            ],
            "--body: at `perms[1].resourceTyp`: no such field in",
        ),
        (
            &["ghippo", "users", "create-user", "--body", r#"{"name": "a", "temporary": "yes"}"#],
            "at `temporary`: expected `true` or `false`",
        ),
    ];
    for (args, said) in refused {
        let output = run(&server.uri(), args, None).await;
        assert_eq!(code(&output), 2, "{args:?}: {output:?}");
        assert!(stderr(&output).contains(said), "{args:?} should say {said}: {}", stderr(&output));
    }
    assert!(server.received_requests().await.unwrap_or_default().is_empty(), "a refused body reached the server");

    // On purpose, a field the document does not know: sent byte for byte.
    let raw = r#"{"name": "bob",  "newerField": {"x": 1}}"#;
    Mock::given(method("POST"))
        .and(path(USERS))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "u3"})))
        .expect(1)
        .mount(&server)
        .await;
    let output = run(&server.uri(), &["ghippo", "users", "create-user", "--raw-body", raw], None).await;
    assert_eq!(code(&output), 0, "{output:?}");
    let received = server.received_requests().await.unwrap_or_default();
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].body, raw.as_bytes());
    let output = run(&server.uri(), &["ghippo", "users", "create-user", "--raw-body", "{oops"], None).await;
    assert_eq!(code(&output), 2, "a raw body must still be JSON: {output:?}");
    let output =
        run(&server.uri(), &["ghippo", "users", "create-user", "--body", "{}", "--raw-body", "{}"], None).await;
    assert_eq!(code(&output), 2, "--body and --raw-body together: {output:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn set_flags_build_a_body_over_body_and_templates_show_every_field() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/apis/ghippo.io/v1alpha1/roles"))
        .and(body_json(json!({"name": "r", "description": "d", "perms": [{"action": "get"}, {"action": "list"}]})))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .expect(1)
        .mount(&server)
        .await;
    let args = [
        "ghippo",
        "role",
        "create-role",
        "--body",
        r#"{"name": "r", "description": "old"}"#,
        "--set",
        "description=d",
        "--set",
        "perms[0].action=get",
        "--set",
        "perms[1].action=list",
    ];
    let output = run(&server.uri(), &args, None).await;
    assert_eq!(code(&output), 0, "{output:?}");
    let refused = run(&server.uri(), &["ghippo", "role", "create-role", "--set", "perms[0].actoin=get"], None).await;
    assert_eq!(code(&refused), 2, "{refused:?}");
    assert!(stderr(&refused).contains("at `perms[0].actoin`: no such field"), "{}", stderr(&refused));

    let output = run(&server.uri(), &["ghippo", "users", "create-user", "--body-template"], None).await;
    assert_eq!(code(&output), 0, "{output:?}");
    let skeleton = stdout_json(&output);
    for field in ["name", "password", "description", "temporary"] {
        assert!(skeleton.get(field).is_some(), "{field} missing from {skeleton}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn bodies_come_from_files_and_stdin_checked_and_sent_as_the_type() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(USERS))
        .and(body_json(json!({"name": "bob", "password": "pw"})))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "u2"})))
        .expect(2)
        .mount(&server)
        .await;
    let dir = std::env::temp_dir().join(format!("drun-body-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("user.json");
    // Zero values are not sent, as the client does not send them.
    std::fs::write(&file, r#"{"name": "bob", "password": "pw", "temporary": false}"#).unwrap();
    let from_file = format!("@{}", file.display());
    let output = run(&server.uri(), &["ghippo", "users", "create-user", "--body", &from_file], None).await;
    assert_eq!(code(&output), 0, "{output:?}");
    let body = br#"{"name": "bob", "password": "pw"}"#;
    let output = run(&server.uri(), &["ghippo", "users", "create-user", "--body", "-"], Some(body)).await;
    assert_eq!(code(&output), 0, "{output:?}");
    assert_eq!(stdout_json(&output), json!({"id": "u2"}));
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test(flavor = "multi_thread")]
async fn every_failure_has_its_exit_code_and_one_line() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/apis/ghippo.io/v1alpha1/users/missing"))
        .respond_with(
            ResponseTemplate::new(404)
                .insert_header("x-request-id", "req-42")
                .set_body_json(json!({"code": 5, "message": "user missing not found", "details": []})),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/apis/ghippo.io/v1alpha1/users/badshape"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": {"not": "a string"}})))
        .mount(&server)
        .await;
    let output = run(&server.uri(), &["ghippo", "users", "get-user", "missing"], None).await;
    assert_eq!(code(&output), 3, "{output:?}");
    let line = stderr(&output);
    assert_eq!(line.lines().count(), 1, "{line}");
    for part in ["ghippo users get-user", "404", "user missing not found", "req-42"] {
        assert!(line.contains(part), "{part} missing from: {line}");
    }
    let output = run(&server.uri(), &["ghippo", "users", "get-user", "badshape"], None).await;
    assert_eq!(code(&output), 5, "{output:?}");
    // A closed port: nothing listens there once the listener is dropped.
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}", listener.local_addr().unwrap())
    };
    let output = run(&closed, &["ghippo", "users", "get-user", "u1"], None).await;
    assert_eq!(code(&output), 4, "{output:?}");
    assert!(stderr(&output).contains("connection refused"), "{}", stderr(&output));
    let output = Command::new(env!("CARGO_BIN_EXE_drun"))
        .args(["ghippo", "users", "get-user", "u1"])
        .env_remove("DRUN_ACCESS_KEY")
        .env("DRUN_CONFIG", "/nonexistent/drun/config.toml")
        .output()
        .unwrap();
    assert_eq!(code(&output), 1, "{output:?}");
    assert!(stderr(&output).contains("DRUN_ACCESS_KEY"));
    let output = run(&server.uri(), &["ghippo", "users", "no-such-operation"], None).await;
    assert_eq!(code(&output), 2, "{output:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_dry_run_sends_nothing_and_its_curl_line_gets_the_same_answer() {
    let server = MockServer::start().await;
    let page = json!({"items": [{"id": "u1", "name": "alice"}], "pagination": {"total": 1}});
    Mock::given(method("GET"))
        .and(path(USERS))
        .and(query_param("page", "1"))
        .and(query_param("pageSize", "2"))
        .and(header("authorization", format!("Bearer {KEY}").as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_json(&page))
        .mount(&server)
        .await;
    let args = ["ghippo", "users", "list-users", "--page", "1", "--page-size", "2", "--dry-run"];
    let output = run(&server.uri(), &args, None).await;
    assert_eq!(code(&output), 0, "{output:?}");
    let line = String::from_utf8_lossy(&output.stdout).trim().to_owned();
    assert!(line.starts_with("curl -X GET "), "{line}");
    assert!(line.contains("$DRUN_ACCESS_KEY"), "{line}");
    assert!(server.received_requests().await.unwrap_or_default().is_empty(), "a dry run sent a request");
    if Command::new("curl").arg("--version").output().is_err() {
        eprintln!("curl is not installed: the dry run's line is not run");
        return;
    }
    // The line, run by a shell with the key in its environment, gets the
    // answer the stand-in gives only to the key, path and query.
    let via_curl = tokio::task::spawn_blocking(move || {
        Command::new("sh").args(["-c", &format!("{line} --silent")]).env("DRUN_ACCESS_KEY", KEY).output()
    })
    .await
    .unwrap()
    .expect("sh runs");
    let answer: Value = serde_json::from_slice(&via_curl.stdout).unwrap_or_else(|e| panic!("{e}: {via_curl:?}"));
    assert_eq!(answer, page);
}

/// A self-signed certificate for 127.0.0.1 with the CA flag, as `openssl
/// req -x509` makes one, and a TLS server on loopback that answers every request with a
/// user.
async fn https_server() -> (String, String) {
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
    let key = rcgen::KeyPair::generate().expect("key");
    let mut params = rcgen::CertificateParams::new(vec!["127.0.0.1".to_owned()]).expect("params");
    params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    let certificate = params.self_signed(&key).expect("certificate");
    let provider = Arc::new(tokio_rustls::rustls::crypto::ring::default_provider());
    let config = tokio_rustls::rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("protocol versions")
        .with_no_client_auth()
        .with_single_cert(
            vec![certificate.der().clone()],
            tokio_rustls::rustls::pki_types::PrivateKeyDer::Pkcs8(key.serialize_der().into()),
        )
        .expect("server config");
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("https://127.0.0.1:{}", listener.local_addr().unwrap().port());
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let Ok(mut tls) = acceptor.accept(stream).await else { return };
                let mut request = Vec::new();
                let mut buf = [0u8; 4096];
                while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                    match tls.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => request.extend_from_slice(&buf[..n]),
                    }
                }
                let body = r#"{"id":"u1","name":"alice"}"#;
                let answer = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = tls.write_all(answer.as_bytes()).await;
                let _ = tls.shutdown().await;
            });
        }
    });
    (url, certificate.pem())
}

#[tokio::test(flavor = "multi_thread")]
async fn tls_options_trust_a_given_ca_file_or_nothing_at_all() {
    let (url, pem) = https_server().await;
    let output = run(&url, &["ghippo", "users", "get-user", "u1"], None).await;
    assert_eq!(code(&output), 4, "an untrusted certificate must be refused: {output:?}");
    // The shell's advice is the flag, not the library's builder method.
    assert!(stderr(&output).contains("TLS") && stderr(&output).contains("--cacert FILE"), "{}", stderr(&output));
    assert!(!stderr(&output).contains("ClientBuilder"), "{}", stderr(&output));
    let output = run(&url, &["ghippo", "users", "get-user", "u1", "--insecure"], None).await;
    assert_eq!(code(&output), 0, "{output:?}");
    assert!(stderr(&output).contains("warning: --insecure"), "{}", stderr(&output));
    assert_eq!(stdout_json(&output)["name"], "alice");
    // The server's own self-signed certificate, with the CA flag as
    // `openssl req -x509` sets it, is what --cacert is given.
    let dir = std::env::temp_dir().join(format!("drun-tls-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let cacert = dir.join("server.pem");
    std::fs::write(&cacert, pem).unwrap();
    let cacert = cacert.display().to_string();
    let output = run(&url, &["ghippo", "users", "get-user", "u1", "--cacert", &cacert], None).await;
    assert_eq!(code(&output), 0, "{output:?}");
    assert_eq!(stdout_json(&output)["id"], "u1");
    // The same file from the environment, as a CI job gives it.
    let output = with_env(&url, &["ghippo", "users", "get-user", "u1"], &[("DRUN_CA_BUNDLE", &cacert)]).await;
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(code(&output), 0, "{output:?}");
    assert_eq!(stdout_json(&output)["id"], "u1");
}

/// `drun` with more of the environment set, in a blocking thread.
async fn with_env(base_url: &str, args: &[&str], vars: &[(&str, &str)]) -> Output {
    let mut command = drun_command(base_url);
    command.args(args).stdin(Stdio::null());
    for (name, value) in vars {
        command.env(name, value);
    }
    let output = tokio::task::spawn_blocking(move || command.output()).await.expect("ran").expect("drun starts");
    assert!(!String::from_utf8_lossy(&output.stderr).contains(KEY), "the key leaked: {output:?}");
    output
}

#[tokio::test(flavor = "multi_thread")]
async fn a_proxy_from_the_environment_is_used_and_no_proxy_bypasses_it() {
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
    // A proxy that refuses every tunnel, and counts the requests for one.
    let proxy = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let proxy_url = format!("http://{}", proxy.local_addr().unwrap());
    let asked = Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let seen = asked.clone();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = proxy.accept().await {
            let mut head = [0u8; 512];
            let n = socket.read(&mut head).await.unwrap_or(0);
            seen.lock().unwrap().push(String::from_utf8_lossy(&head[..n]).lines().next().unwrap_or("").to_owned());
            let _ = socket.write_all(b"HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\n\r\n").await;
        }
    });
    let (url, _pem) = https_server().await;
    let through = [("HTTPS_PROXY", proxy_url.as_str()), ("NO_PROXY", ""), ("no_proxy", "")];
    let output = with_env(&url, &["ghippo", "users", "get-user", "u1", "--insecure"], &through).await;
    assert_eq!(code(&output), 4, "{output:?}");
    assert!(stderr(&output).contains("HTTPS_PROXY") && stderr(&output).contains("NO_PROXY"), "{}", stderr(&output));
    let host = url.trim_start_matches("https://").trim_end_matches('/').to_owned();
    assert!(asked.lock().unwrap().iter().all(|line| *line == format!("CONNECT {host} HTTP/1.1")), "{asked:?}");
    assert!(!asked.lock().unwrap().is_empty());
    // The server's host in NO_PROXY: reached directly.
    let bypass = [("HTTPS_PROXY", proxy_url.as_str()), ("NO_PROXY", "127.0.0.1"), ("no_proxy", "127.0.0.1")];
    let before = asked.lock().unwrap().len();
    let output = with_env(&url, &["ghippo", "users", "get-user", "u1", "--insecure"], &bypass).await;
    assert_eq!(code(&output), 0, "{output:?}");
    assert_eq!(asked.lock().unwrap().len(), before, "the proxy was asked");
}

#[test]
fn help_comes_from_the_document() {
    let help = Command::new(env!("CARGO_BIN_EXE_drun")).arg("--help").output().unwrap();
    let help = String::from_utf8_lossy(&help.stdout);
    assert!(help.contains("Global Management (全局管理)"), "{help}");
    let help =
        Command::new(env!("CARGO_BIN_EXE_drun")).args(["ghippo", "audit", "list-audits", "--help"]).output().unwrap();
    let help = String::from_utf8_lossy(&help.stdout);
    for part in ["GET /apis/ghippo.io/v1alpha3/audits", "Audit_ListAudits", "--status", "succeeded", "--page-size"] {
        assert!(help.contains(part), "{part} missing from:\n{help}");
    }
}

/// What bash offers after sourcing `drun completions bash` and pressing
/// Tab at the end of `line`.
fn bash_completes(line: &str) -> Vec<String> {
    let bin = std::path::Path::new(env!("CARGO_BIN_EXE_drun"));
    let path = format!("{}:{}", bin.parent().unwrap().display(), std::env::var("PATH").unwrap_or_default());
    let words: Vec<&str> = line.split(' ').collect();
    let (current, previous) = (words[words.len() - 1], words[words.len() - 2]);
    let script = format!(
        "source <(drun completions bash)\nCOMP_WORDS=({line})\nCOMP_CWORD={}\nCOMP_TYPE=9\n\
         _clap_complete_drun drun '{current}' '{previous}'\nprintf '%s\\n' \"${{COMPREPLY[@]}}\"",
        words.len() - 1
    );
    let output = Command::new("bash").arg("-c").arg(script).env("PATH", path).output().unwrap();
    assert!(output.status.success(), "{output:?}");
    String::from_utf8_lossy(&output.stdout).lines().map(|l| l.trim().to_owned()).filter(|l| !l.is_empty()).collect()
}

#[test]
fn completions_are_a_small_script_that_asks_drun() {
    let script = Command::new(env!("CARGO_BIN_EXE_drun")).args(["completions", "bash"]).output().unwrap();
    assert!(script.status.success());
    // The whole tree is not in the script: drun answers each Tab.
    assert!(script.stdout.len() < 4096, "{} bytes", script.stdout.len());
    for shell in ["zsh", "fish", "elvish", "powershell"] {
        let script = Command::new(env!("CARGO_BIN_EXE_drun")).args(["completions", shell]).output().unwrap();
        assert!(
            script.status.success() && String::from_utf8_lossy(&script.stdout).contains("DRUN_COMPLETE"),
            "{shell}"
        );
    }
    assert!(bash_completes("drun mcamel-k").contains(&"mcamel-kafka".to_owned()));
    assert_eq!(bash_completes("drun ghippo us"), ["users"]);
    assert!(bash_completes("drun ghippo users list-u").contains(&"list-users".to_owned()));
    assert!(bash_completes("drun ghippo users list-users --page-").contains(&"--page-size".to_owned()));
    // A body's fields for --set, by the body's schema.
    assert_eq!(bash_completes("drun ghippo users create-user --set na"), ["name="]);
}

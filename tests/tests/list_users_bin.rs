//! The `list-users` example program, run as a user would, against a local
//! server that only answers requests carrying the right bearer token.

use std::process::Command;

use serde_json::json;
use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// The access key the server accepts.
const KEY: &str = "test-access-key-0123";

fn list_users(base_url: &str, key: &str) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_list-users"))
        .env("DRUN_BASE_URL", base_url)
        .env("DRUN_ACCESS_KEY", key)
        .output()
        .expect("list-users runs")
}

async fn server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/apis/ghippo.io/v1alpha1/users"))
        .and(query_param("page", "1"))
        .and(query_param("pageSize", "10"))
        .and(header("authorization", format!("Bearer {}", KEY).as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "items": [
                {"id": "u-1", "name": "admin", "email": "admin@example.com", "source": "builtin", "enabled": true},
                {"id": "u-2", "name": "bob", "email": "bob@example.com", "source": "ldap"}
            ],
            "pagination": {"page": 1, "pageSize": 10, "total": 2}
        })))
        .mount(&server)
        .await;
    // Anything else, including a missing or wrong token, is refused.
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({"code": 16, "message": "unauthenticated"})))
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn prints_the_users_as_a_table_and_the_pagination_line() {
    let server = server().await;
    let out = list_users(&server.uri(), KEY);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines[0].split_whitespace().collect::<Vec<_>>(), ["ID", "NAME", "EMAIL", "SOURCE", "ENABLED"]);
    assert_eq!(
        lines[1].split_whitespace().collect::<Vec<_>>(),
        ["u-1", "admin", "admin@example.com", "builtin", "true"]
    );
    assert_eq!(lines[2].split_whitespace().collect::<Vec<_>>(), ["u-2", "bob", "bob@example.com", "ldap", "false"]);
    assert_eq!(lines[3], "page 1 of size 10, 2 users in total");
}

#[tokio::test]
async fn a_wrong_key_exits_non_zero_with_the_reason() {
    let server = server().await;
    let out = list_users(&server.uri(), "wrong-key");
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("HTTP 401") && stderr.contains("unauthenticated"), "{stderr}");
    assert!(!stderr.contains("wrong-key"), "the key must not be printed: {stderr}");
}

#[test]
fn missing_settings_are_named() {
    let out = Command::new(env!("CARGO_BIN_EXE_list-users"))
        .env_remove("DRUN_BASE_URL")
        .env_remove("DRUN_ACCESS_KEY")
        .output()
        .expect("list-users runs");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("DRUN_BASE_URL"));
}

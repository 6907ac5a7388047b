//! The feature snapshots (`tests/features/`) on the wire, where a snapshot
//! showed a shape the family's documents never have: a paged list whose
//! fields may be absent (no protojson zero values), and secrets in `Debug`.

use fixture_feature_pagination::{Client, PaginationExt as _};
use wiremock::matchers::query_param;
use wiremock::{Mock, ResponseTemplate};

async fn page(server: &wiremock::MockServer, number: &str, body: serde_json::Value) {
    Mock::given(query_param("page", number))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .expect(1)
        .mount(server)
        .await;
}

#[tokio::test]
async fn pages_whose_fields_may_be_absent_are_walked_to_the_total() {
    let server = wiremock::MockServer::start().await;
    let user = |id: &str| serde_json::json!({"id": id});
    page(&server, "1", serde_json::json!({"items": [user("a"), user("b")], "pagination": {"total": 3}})).await;
    page(&server, "2", serde_json::json!({"items": [user("c")], "pagination": {"total": 3}})).await;
    let client = Client::builder(server.uri()).build().expect("client");
    let params = fixture_feature_pagination::apis::users::ListUsersParams::default().set_page_size(2);
    let users = client.pagination().users().list_users_pages(&params).collect().await.expect("all pages");
    let ids: Vec<String> = users.into_iter().filter_map(|u| u.id).collect();
    assert_eq!(ids, ["a", "b", "c"]);
}

#[tokio::test]
async fn a_page_without_items_or_total_ends_the_walk() {
    let server = wiremock::MockServer::start().await;
    page(&server, "1", serde_json::json!({})).await;
    let client = Client::builder(server.uri()).build().expect("client");
    let params = fixture_feature_pagination::apis::users::ListUsersParams::default();
    let users = client.pagination().users().list_users_pages(&params).collect().await.expect("one page");
    assert!(users.is_empty());
}

#[test]
fn secrets_are_redacted_in_debug_and_kept_in_the_value() {
    use fixture_feature_secrets::models::{Key, KeyRequest};
    // A key is only received: read from the wire, as a client gets it.
    let key: Key = serde_json::from_value(serde_json::json!({
        "id": "k1", "secretKey": "s3cr3t", "accessToken": "t0k3n", "tokenCount": 2,
    }))
    .expect("a key");
    let shown = format!("{key:?}");
    assert!(!shown.contains("s3cr3t") && !shown.contains("t0k3n"), "{shown}");
    assert!(shown.contains("k1") && shown.contains("token_count: Some(2)"), "a count is no secret: {shown}");
    assert_eq!(key.secret_key.as_deref(), Some("s3cr3t"));
    let request = KeyRequest::default().set_name("ci").set_passphrase("hunter2");
    assert!(!format!("{request:?}").contains("hunter2"), "format: password is a secret");
}

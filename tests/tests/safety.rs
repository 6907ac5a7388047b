//! What the client refuses to send, what it reads leniently, and what it
//! never shows: against real HTTP servers on loopback.

mod common;

use drun_client::prelude::*;
use std::time::Duration;

use drun_client::{Client, Error};
use drun_ghippo::models::{
    Any, CreateUserAccessTokenBody, CreateUserAccessTokenResponse, GetRoleResponse, GroupInfo, KeycloakEventRequest,
    ListUsersResponse, Pagination, RoleType, User,
};
use proptest::prelude::*;
use serde_json::json;
use wiremock::matchers::any as every_request;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A server that answers every request with `{}` and records it.
async fn recording_server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(every_request()).respond_with(ResponseTemplate::new(200).set_body_json(json!({}))).mount(&server).await;
    server
}

const REFUSED: [&str; 9] = ["", ".", "..", "%2e", "%2E", "%2e%2e", ".%2e", "%2E.", "%2e%2E"];

#[tokio::test]
async fn empty_and_dot_segment_path_parameters_are_refused_before_anything_is_sent() {
    let server = recording_server().await;
    let client = common::client(&server);
    for value in REFUSED {
        let error = client.ghippo().users().get_user(value).await.expect_err(value);
        let Error::InvalidRequest { operation, message } = &error else { panic!("{value:?}: {error:?}") };
        assert_eq!(*operation, "Users_GetUser");
        assert!(message.contains("path parameter `id`"), "{message}");

        // The DELETE that would otherwise land on `/accesstokens/k1`.
        let error = client.ghippo().users().delete_user_access_token(value, "k1").await.expect_err(value);
        assert!(error.to_string().contains("path parameter `id`"), "{error}");
        let error = client.ghippo().users().delete_user_access_token("u1", value).await.expect_err(value);
        assert!(error.to_string().contains("path parameter `aid`"), "{error}");
        let error = client.ghippo().users().delete_user(value).await.expect_err(value);
        assert!(matches!(error, Error::InvalidRequest { operation: "Users_DeleteUser", .. }), "{error:?}");
    }
    let received = server.received_requests().await.expect("recording");
    assert!(received.is_empty(), "sent: {:?}", received.iter().map(|r| r.url.path().to_owned()).collect::<Vec<_>>());
}

#[tokio::test]
async fn values_that_only_look_like_dots_reach_the_named_route_as_one_segment() {
    let server = recording_server().await;
    let client = common::client(&server);
    for (value, sent) in [("...", "..."), ("a/../b", "a%2F..%2Fb"), ("%2e%2e%2e", "%252e%252e%252e"), (" ", "%20")] {
        client.ghippo().users().delete_user_access_token(value, "k1").await.expect(value);
        let received = server.received_requests().await.expect("recording");
        let path = received.last().expect("one request").url.path().to_owned();
        assert_eq!(path, format!("/apis/ghippo.io/v1alpha1/users/{sent}/accesstokens/k1"));
    }
}

fn percent_decode(bytes: &[u8]) -> String {
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
        if let (b'%', Some(byte)) = (bytes[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            out.push(byte);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Whatever the value, either nothing is sent, or the request reaches
    /// `DELETE /users/{id}/accesstokens/k1` with the value as exactly the
    /// `{id}` segment.
    #[test]
    fn any_value_reaches_the_template_with_itself_in_its_place(value in prop_oneof![any::<String>(), "[./%2eE]{0,6}", "[a-z./%?#]{0,8}"]) {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
        runtime.block_on(async {
            let server = recording_server().await;
            let client = common::client(&server);
            let result = client.ghippo().users().delete_user_access_token(&value, "k1").await;
            let received = server.received_requests().await.expect("recording");
            match result {
                Err(Error::InvalidRequest { .. }) => {
                    let decoded = percent_decode(value.as_bytes());
                    prop_assert!(value.is_empty() || decoded == "." || decoded == "..", "refused {value:?}");
                    prop_assert!(received.is_empty());
                }
                Ok(_) => {
                    prop_assert_eq!(received.len(), 1);
                    let request = &received[0];
                    prop_assert_eq!(request.method.as_str(), "DELETE");
                    let path = request.url.path();
                    let segments: Vec<&str> = path.split('/').collect();
                    prop_assert_eq!(&segments[..5], &["", "apis", "ghippo.io", "v1alpha1", "users"]);
                    prop_assert_eq!(segments.len(), 8, "{}", path);
                    prop_assert_eq!(&segments[6..], &["accesstokens", "k1"]);
                    prop_assert_eq!(percent_decode(segments[5].as_bytes()), value);
                }
                Err(other) => prop_assert!(false, "{other}"),
            }
            Ok(())
        })?;
    }
}

#[test]
fn null_reads_as_the_default_for_every_kind_of_field() {
    // strings and bools
    let user: User = serde_json::from_value(json!({"id": null, "name": "alice", "enabled": null})).expect("user");
    assert_eq!((user.id.as_str(), user.name.as_str(), user.enabled), ("", "alice", false));
    // lists and messages
    let list: ListUsersResponse = serde_json::from_value(json!({"items": null, "pagination": null})).expect("list");
    assert_eq!(list, ListUsersResponse::default());
    // 32-bit numbers
    let page: Pagination = serde_json::from_value(json!({"page": null, "pageSize": 10, "total": null})).expect("page");
    assert_eq!((page.page, page.page_size, page.total), (0, 10, 0));
    // int64, next to both of its spellings
    for count in [json!(null), json!("7"), json!(7)] {
        let group: GroupInfo = serde_json::from_value(json!({"id": "g", "userCount": count.clone()})).expect("group");
        assert_eq!(group.user_count, if count.is_null() { 0 } else { 7 });
    }
    // enums
    let role: GetRoleResponse = serde_json::from_value(json!({"name": "r", "type": null})).expect("role");
    assert_eq!(role.type_, RoleType::default());
    // maps
    let event: KeycloakEventRequest =
        serde_json::from_value(json!({"details": null, "authDetails": null})).expect("event");
    assert!(event.details.is_empty() && event.auth_details.is_none());
    // Any: its type, and free-form values, which keep their null
    let any: Any = serde_json::from_value(json!({"@type": null, "extra": null})).expect("any");
    assert_eq!(any.type_, "");
    assert_eq!(any.additional_properties["extra"], serde_json::Value::Null);
}

#[tokio::test]
async fn null_in_a_real_answer_decodes() {
    let server = MockServer::start().await;
    Mock::given(every_request())
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"items": [{"id": null, "name": "alice"}], "pagination": null})),
        )
        .mount(&server)
        .await;
    let page = common::client(&server).ghippo().users().list_users(&Default::default()).await.expect("decodes");
    assert_eq!(page.items[0].name, "alice");
    assert!(page.pagination.is_none());
}

#[tokio::test]
async fn a_refused_connection_says_so_and_never_shows_the_token() {
    // Port 1 on loopback: privileged, and nothing listens there (a port
    // bound then released could be taken by another test's server).
    let client = Client::builder("http://127.0.0.1:1").bearer_token(common::KEY).build().expect("client");
    let error = client.ghippo().users().get_user("u1").await.expect_err("nothing listens");
    let text = error.to_string();
    assert!(text.starts_with("Users_GetUser: request failed: connection refused"), "{text}");
    assert!(error.is_connect() && !error.is_timeout(), "{error:?}");
    assert_eq!(error.status(), None);
    assert!(!text.contains(common::KEY) && !format!("{error:?}").contains(common::KEY), "{text}");
}

#[tokio::test]
async fn a_timeout_says_so() {
    let server = MockServer::start().await;
    Mock::given(every_request())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})).set_delay(Duration::from_secs(5)))
        .mount(&server)
        .await;
    let client = Client::builder(server.uri())
        .bearer_token(common::KEY)
        .timeout(Duration::from_millis(200))
        .build()
        .expect("client");
    let error = client.ghippo().users().get_user("u1").await.expect_err("times out");
    let text = error.to_string();
    assert!(text.starts_with("Users_GetUser: request failed: timed out"), "{text}");
    assert!(error.is_timeout(), "{error:?}");
    assert!(!text.contains(common::KEY), "{text}");
}

#[tokio::test]
async fn error_bodies_are_a_status_only_when_they_hold_one() {
    let server = MockServer::start().await;
    let client = common::client(&server);
    for (body, is_status) in [
        (json!({"error": "upstream timeout"}), false),
        (json!([1, 2]), false),
        (json!({"code": 5, "message": "user not found"}), true),
        (json!({"details": []}), true),
    ] {
        server.reset().await;
        Mock::given(every_request())
            .respond_with(ResponseTemplate::new(404).set_body_json(body.clone()))
            .mount(&server)
            .await;
        let error = client.ghippo().users().get_user("u1").await.expect_err("404");
        assert_eq!(error.status(), Some(drun_client::reqwest::StatusCode::NOT_FOUND));
        let api = error.as_api().expect("an API error");
        assert_eq!(api.body.is_some(), is_status, "{body}");
        assert_eq!(serde_json::from_str::<serde_json::Value>(&api.text).expect("text kept"), body);
    }
}

#[tokio::test]
async fn debug_of_an_access_token_response_does_not_show_the_token() {
    let server = MockServer::start().await;
    let token = "ak-0123456789abcdef-SECRET";
    Mock::given(every_request())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "t1", "token": token})))
        .mount(&server)
        .await;
    let created: CreateUserAccessTokenResponse = common::client(&server)
        .ghippo()
        .users()
        .create_user_access_token("u1", &CreateUserAccessTokenBody::default())
        .await
        .expect("created");
    assert_eq!(created.token, token, "the value itself is intact");
    let shown = format!("{created:?} {created:#?}");
    assert!(!shown.contains(token), "{shown}");
    assert!(shown.contains("t1") && shown.contains("<redacted>"), "{shown}");
    // Serialisation is unchanged.
    assert_eq!(serde_json::to_value(&created).expect("encodes")["token"], json!(token));
}

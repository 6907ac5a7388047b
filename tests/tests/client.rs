//! The generated client against a real HTTP server on loopback (wiremock).

mod common;

use drun_client::prelude::*;
use drun_client::{Client, Error};
use drun_ghippo::apis::users::ListUsersParams;
use drun_ghippo::models::CreateUserRequest;
use serde_json::json;
use wiremock::matchers::{body_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// The response documented for `GET /apis/ghippo.io/v1alpha1/users`.
fn documented_users() -> serde_json::Value {
    json!({
        "items": [
            {
                "id": "4b9d6d3e-1f4e-4c1a-9d2b-0a8f2d1c7e11",
                "name": "admin",
                "email": "admin@example.com",
                "description": "platform administrator",
                "firstname": "Ada",
                "lastname": "Admin",
                "source": "builtin",
                "enabled": true,
                "createdAt": "2024-01-02T03:04:05Z",
                "updatedAt": "2024-02-03T04:05:06Z",
                "lastLoginAt": "2024-03-04T05:06:07Z",
                "canAuthorize": true
            },
            {"id": "u-2", "name": "bob", "email": "bob@example.com", "source": "ldap", "enabled": false}
        ],
        "pagination": {"page": 1, "pageSize": 10, "total": 2}
    })
}

#[tokio::test]
async fn list_users_sends_query_and_bearer_and_decodes_the_documented_response() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/apis/ghippo.io/v1alpha1/users"))
        .and(query_param("page", "1"))
        .and(query_param("pageSize", "10"))
        .and(header("authorization", format!("Bearer {}", common::KEY).as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_json(documented_users()))
        .expect(1)
        .mount(&server)
        .await;

    let page = common::client(&server)
        .ghippo()
        .users()
        .list_users(&ListUsersParams::default().set_page(1).set_page_size(10))
        .await
        .expect("list_users succeeds");

    assert_eq!(page.items.len(), 2);
    let admin = &page.items[0];
    assert_eq!(admin.name, "admin");
    assert_eq!(admin.email, "admin@example.com");
    assert!(admin.enabled && admin.can_authorize);
    assert_eq!(admin.last_login_at, "2024-03-04T05:06:07Z");
    assert!(!page.items[1].enabled);
    let p = page.pagination.expect("pagination present");
    assert_eq!((p.page, p.page_size, p.total), (1, 10, 2));

    // Only the set parameters were sent: no `search=`.
    let received = server.received_requests().await.expect("recording on");
    assert_eq!(received[0].url.query(), Some("pageSize=10&page=1"));
}

#[tokio::test]
async fn post_sends_only_the_fields_that_were_set_as_json() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/apis/ghippo.io/v1alpha1/users"))
        .and(header("content-type", "application/json"))
        .and(body_json(json!({"name": "alice", "password": "s3cret"})))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "u-42"})))
        .expect(1)
        .mount(&server)
        .await;

    let body = CreateUserRequest::default().set_name("alice").set_password("s3cret");
    let created = common::client(&server).ghippo().users().create_user(&body).await.expect("create_user succeeds");
    assert_eq!(created.id, "u-42");
}

#[tokio::test]
async fn path_parameters_are_one_percent_encoded_segment() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(|req: &Request| req.url.path() == "/apis/ghippo.io/v1alpha1/users/a%2Fb%20c%3Fd%23e")
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "a/b c?d#e", "name": "odd"})))
        .expect(1)
        .mount(&server)
        .await;

    let user = common::client(&server).ghippo().users().get_user("a/b c?d#e").await.expect("get_user succeeds");
    assert_eq!(user.id, "a/b c?d#e");
    let received = server.received_requests().await.expect("recording on");
    assert_eq!(received[0].url.query(), None, "nothing leaked into the query");
}

#[tokio::test]
async fn not_found_with_a_status_body_is_a_typed_api_error() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({
            "code": 5,
            "message": "user nobody not found",
            "details": [{"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "USER_NOT_FOUND"}]
        })))
        .mount(&server)
        .await;

    let err = common::client(&server).ghippo().users().get_user("nobody").await.expect_err("404 is an error");
    let api = err.as_api().expect("an API error");
    assert_eq!(api.status.as_u16(), 404);
    assert_eq!(api.operation, "Users_GetUser");
    let status = api.body.as_ref().expect("the status body parsed");
    assert_eq!(status.code, 5);
    assert_eq!(status.message, "user nobody not found");
    assert_eq!(status.details[0].type_url, "type.googleapis.com/google.rpc.ErrorInfo");
    assert_eq!(status.details[0].fields["reason"], "USER_NOT_FOUND");
    assert!(err.to_string().contains("HTTP 404"), "{err}");
}

#[tokio::test]
async fn bad_gateway_with_html_is_an_api_error_carrying_the_text() {
    let server = MockServer::start().await;
    let html = "<html><body><h1>502 Bad Gateway</h1></body></html>";
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(502).set_body_raw(html, "text/html"))
        .mount(&server)
        .await;

    let err = common::client(&server)
        .ghippo()
        .users()
        .list_users(&ListUsersParams::default())
        .await
        .expect_err("502 is an error");
    let Error::Api(api) = &err else { panic!("expected an API error, got {err:?}") };
    assert_eq!(api.status.as_u16(), 502);
    assert!(api.body.is_none());
    assert_eq!(api.text, html);
}

#[tokio::test]
async fn a_success_body_of_the_wrong_shape_is_a_decode_error() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_raw("<html>login</html>", "text/html"))
        .mount(&server)
        .await;
    let err = common::client(&server).ghippo().users().get_user("x").await.expect_err("not JSON");
    match &err {
        Error::Decode { operation, body, .. } => {
            assert_eq!(*operation, "Users_GetUser");
            assert_eq!(body, "<html>login</html>");
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
}

#[tokio::test]
async fn the_token_never_shows_in_debug_or_errors() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(401).set_body_string("unauthorized"))
        .mount(&server)
        .await;
    let builder = Client::builder(server.uri()).bearer_token(common::KEY);
    assert!(!format!("{builder:?}").contains(common::KEY));
    let client = builder.build().expect("client builds");
    assert!(!format!("{client:?}").contains(common::KEY));
    let err = client.ghippo().users().get_user("x").await.expect_err("401");
    assert!(!format!("{err} {err:?}").contains(common::KEY));
    let auth = drun_client::BearerAuth::new(common::KEY).expect("valid token");
    assert!(!format!("{auth:?}").contains(common::KEY));
}

/// Records the `Authorization` header each request carries when it reaches
/// this middleware.
struct Recorder(std::sync::Arc<std::sync::Mutex<Vec<Option<String>>>>);

#[async_trait::async_trait]
impl drun_client::reqwest_middleware::Middleware for Recorder {
    async fn handle(
        &self,
        request: drun_client::reqwest::Request,
        extensions: &mut http::Extensions,
        next: drun_client::reqwest_middleware::Next<'_>,
    ) -> drun_client::reqwest_middleware::Result<drun_client::reqwest::Response> {
        let auth = request.headers().get("authorization").map(|v| v.to_str().unwrap_or_default().to_owned());
        self.0.lock().expect("not poisoned").push(auth);
        next.run(request, extensions).await
    }
}

#[tokio::test]
async fn user_middlewares_run_in_the_chain_after_authentication() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200).set_body_json(json!({}))).mount(&server).await;
    let seen = std::sync::Arc::default();
    let client = Client::builder(server.uri())
        .bearer_token(common::KEY)
        .with(Recorder(std::sync::Arc::clone(&seen)))
        .build()
        .expect("client builds");
    client.ghippo().users().get_user("x").await.expect("succeeds");
    let seen = seen.lock().expect("not poisoned");
    assert_eq!(*seen, vec![Some(format!("Bearer {}", common::KEY))]);
}

#[test]
fn bad_configuration_is_an_error_not_a_panic() {
    assert!(matches!(Client::builder("not a url").build(), Err(Error::Config(_))));
    let err = Client::builder("http://127.0.0.1:1").bearer_token("line\nbreak").build().expect_err("bad header");
    assert!(!err.to_string().contains("line"), "{err}");
}

#[tokio::test]
async fn a_call_is_sent_when_awaited_and_borrows_only_the_client() {
    fn send<T: Send>(value: T) -> T {
        value
    }
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/apis/ghippo.io/v1alpha1/users"))
        .and(query_param("page", "2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(documented_users()))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder(server.uri()).build().expect("client");
    // Never awaited: nothing is sent.
    drop(client.ghippo().users().list_users(&ListUsersParams::default().set_page(1)));
    // The parameters and the tag's handle are gone before the call runs.
    let call = {
        let params = ListUsersParams::default().set_page(2);
        send(client.ghippo().users().list_users(&params))
    };
    let page = call.await.expect("succeeds");
    assert_eq!(page.items.len(), 2);
}

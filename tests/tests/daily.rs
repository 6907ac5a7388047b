//! What users reach for every day, on the wire: pagination, retries,
//! timeouts, operation identity for middlewares, response metadata.

mod common;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use drun_client::futures_util::StreamExt;
use drun_client::prelude::*;
use drun_client::{Client, Error, Operation, RetryPolicy};
use drun_ghippo::apis::users::ListUsersParams;
use drun_ghippo::models::CreateUserRequest;
use serde_json::json;
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

const USERS: &str = "/apis/ghippo.io/v1alpha1/users";

/// Serves `pages[n - 1]` for `page=n` (an empty page past the end), with
/// `total` as the pagination total, and records the query of each request.
struct PagedUsers {
    pages: Vec<Vec<&'static str>>,
    total: i32,
    fail_page: Option<usize>,
}

impl Respond for PagedUsers {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let query: std::collections::HashMap<String, String> = request.url.query_pairs().into_owned().collect();
        let page: usize = query.get("page").and_then(|p| p.parse().ok()).unwrap_or(0);
        if Some(page) == self.fail_page {
            return ResponseTemplate::new(500).set_body_json(json!({"code": 13, "message": "page failed"}));
        }
        let names = self.pages.get(page.wrapping_sub(1)).cloned().unwrap_or_default();
        let items: Vec<_> = names.iter().map(|n| json!({"id": format!("id-{n}"), "name": n})).collect();
        ResponseTemplate::new(200).set_body_json(json!({
            "items": items,
            "pagination": {"page": page, "pageSize": query.get("pageSize").and_then(|s| s.parse::<i32>().ok()), "total": self.total},
        }))
    }
}

async fn paged(pages: Vec<Vec<&'static str>>, total: i32, fail_page: Option<usize>) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(USERS))
        .respond_with(PagedUsers { pages, total, fail_page })
        .mount(&server)
        .await;
    server
}

/// The `page` values the server was asked for, in order.
async fn pages_asked(server: &MockServer) -> Vec<String> {
    let received = server.received_requests().await.expect("recording");
    received
        .iter()
        .map(|r| r.url.query_pairs().find(|(k, _)| k == "page").map(|(_, v)| v.into_owned()).unwrap_or_default())
        .collect()
}

#[tokio::test]
async fn every_user_over_several_pages_with_a_short_last_page() {
    let server = paged(vec![vec!["a", "b"], vec!["c", "d"], vec!["e"]], 5, None).await;
    let client = common::client(&server);
    let params = ListUsersParams::default().set_page_size(2).set_search("x");
    let names: Vec<String> =
        client.ghippo().users().list_users_pages(&params).items().map(|u| u.expect("user").name).collect().await;
    assert_eq!(names, ["a", "b", "c", "d", "e"]);
    // Starts at 1, stops at the total: no fourth request.
    assert_eq!(pages_asked(&server).await, ["1", "2", "3"]);
    // The caller's other parameters travel with every page.
    for request in server.received_requests().await.expect("recording") {
        let query: Vec<(String, String)> = request.url.query_pairs().into_owned().collect();
        assert!(query.contains(&("search".to_owned(), "x".to_owned())), "{query:?}");
        assert!(query.contains(&("pageSize".to_owned(), "2".to_owned())), "{query:?}");
    }
}

#[tokio::test]
async fn a_server_that_overstates_the_total_stops_at_the_first_empty_page() {
    let server = paged(vec![vec!["a", "b"], vec!["c"]], 1000, None).await;
    let client = common::client(&server);
    let all = client.ghippo().users().list_users_pages(&ListUsersParams::default()).collect().await.expect("all");
    assert_eq!(all.len(), 3);
    assert_eq!(pages_asked(&server).await, ["1", "2", "3"]);
    // Without a page size, the helper asks for pages of 100.
    let first = &server.received_requests().await.expect("recording")[0];
    assert!(first.url.query_pairs().any(|(k, v)| k == "pageSize" && v == "100"), "{}", first.url);
}

#[tokio::test]
async fn an_empty_list_is_one_empty_page() {
    let server = paged(vec![], 0, None).await;
    let client = common::client(&server);
    let mut pages = client.ghippo().users().list_users_pages(&ListUsersParams::default());
    let page = pages.next_page().await.expect("one page").expect("ok");
    assert!(page.items.is_empty());
    assert!(pages.next_page().await.is_none());
    assert_eq!(pages_asked(&server).await, ["1"]);
}

#[tokio::test]
async fn a_failing_page_reaches_the_caller_after_the_items_before_it() {
    let server = paged(vec![vec!["a", "b"], vec!["c", "d"], vec!["e"]], 5, Some(2)).await;
    let client = common::client(&server).clone();
    let client = Client::clone(&client);
    let api = client.ghippo().users();
    let results: Vec<Result<String, Error>> = api
        .list_users_pages(&ListUsersParams::default().set_page_size(2))
        .items()
        .map(|r| r.map(|u| u.name))
        .collect()
        .await;
    assert_eq!(results.len(), 3, "{results:?}");
    assert_eq!(results[0].as_deref().ok(), Some("a"));
    assert_eq!(results[1].as_deref().ok(), Some("b"));
    let error = results[2].as_ref().expect_err("page 2 failed");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(500));
    // Nothing after the failure is asked for (page 2 is retried by nobody:
    // 500 is not a transient status).
    assert_eq!(pages_asked(&server).await, ["1", "2"]);
    let collected =
        client.ghippo().users().list_users_pages(&ListUsersParams::default().set_page_size(2)).collect().await;
    assert!(collected.is_err());
}

/// Answers with `statuses` in turn (the last one for ever after), with
/// `Retry-After` when given.
struct Sequence {
    statuses: Vec<u16>,
    retry_after: Option<&'static str>,
    seen: Mutex<usize>,
}

impl Respond for Sequence {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let mut seen = self.seen.lock().expect("lock");
        let status = self.statuses[(*seen).min(self.statuses.len() - 1)];
        *seen += 1;
        let mut answer = ResponseTemplate::new(status).set_body_json(json!({"id": "u1", "name": "alice"}));
        if let (Some(after), true) = (self.retry_after, status != 200) {
            answer = answer.insert_header("retry-after", after);
        }
        answer
    }
}

async fn answering(statuses: &[u16], retry_after: Option<&'static str>) -> MockServer {
    let server = MockServer::start().await;
    let sequence = Sequence { statuses: statuses.to_vec(), retry_after, seen: Mutex::new(0) };
    Mock::given(wiremock::matchers::any()).respond_with(sequence).mount(&server).await;
    server
}

fn quick_retries() -> RetryPolicy {
    RetryPolicy::default().backoff(Duration::from_millis(10), Duration::from_millis(50))
}

fn retrying_client(server: &MockServer) -> Client {
    Client::builder(server.uri()).bearer_token(common::KEY).retry(quick_retries()).build().expect("client")
}

#[tokio::test]
async fn a_get_is_retried_after_a_503_and_succeeds() {
    let server = answering(&[503, 200], None).await;
    let user = retrying_client(&server).ghippo().users().get_user("u1").await.expect("second attempt succeeds");
    assert_eq!(user.name, "alice");
    assert_eq!(server.received_requests().await.expect("recording").len(), 2);
}

#[tokio::test]
async fn a_post_is_not_resent_unless_the_call_opts_in() {
    let server = answering(&[503, 200], None).await;
    let client = retrying_client(&server);
    let error = client.ghippo().users().create_user(&CreateUserRequest::default()).await.expect_err("503");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(server.received_requests().await.expect("recording").len(), 1);
    // Opting in for this one call.
    client
        .ghippo()
        .users()
        .create_user(&CreateUserRequest::default())
        .retry(quick_retries().retry_non_idempotent(true))
        .await
        .expect("retried");
    assert_eq!(server.received_requests().await.expect("recording").len(), 2);
}

#[tokio::test]
async fn retry_after_is_waited_for() {
    let server = answering(&[429, 200], Some("1")).await;
    let started = Instant::now();
    retrying_client(&server).ghippo().users().get_user("u1").await.expect("succeeds");
    let waited = started.elapsed();
    assert!(waited >= Duration::from_millis(950), "waited {waited:?}");
    assert!(waited < Duration::from_secs(5), "waited {waited:?}");
}

#[tokio::test]
async fn retry_after_is_capped() {
    let server = answering(&[503, 200], Some("3600")).await;
    let policy = quick_retries().max_retry_after(Duration::from_millis(100));
    let started = Instant::now();
    let client = Client::builder(server.uri()).retry(policy).build().expect("client");
    client.ghippo().users().get_user("u1").await.expect("succeeds");
    assert!(started.elapsed() < Duration::from_secs(3), "{:?}", started.elapsed());
}

#[tokio::test]
async fn attempts_stop_at_the_limit_and_retries_can_be_turned_off() {
    let server = answering(&[502], None).await;
    let client = Client::builder(server.uri()).retry(quick_retries().max_retries(2)).build().expect("client");
    let error = client.ghippo().users().get_user("u1").await.expect_err("always 502");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(502));
    assert_eq!(server.received_requests().await.expect("recording").len(), 3, "1 attempt + 2 retries");

    server.reset().await;
    let server = answering(&[502], None).await;
    let client = Client::builder(server.uri()).retry(RetryPolicy::none()).build().expect("client");
    client.ghippo().users().get_user("u1").await.expect_err("502");
    assert_eq!(server.received_requests().await.expect("recording").len(), 1);
    // And per call.
    let client = retrying_client(&server);
    client.ghippo().users().get_user("u1").retry(RetryPolicy::none()).await.expect_err("502");
    assert_eq!(server.received_requests().await.expect("recording").len(), 2);
}

#[tokio::test]
async fn a_refused_connection_is_retried_then_reported() {
    // Port 1 on loopback: privileged, and nothing listens there.
    let client = Client::builder("http://127.0.0.1:1").retry(quick_retries().max_retries(2)).build().expect("client");
    let started = Instant::now();
    let error = client.ghippo().users().get_user("u1").await.expect_err("nothing listens");
    assert!(error.is_connect(), "{error}");
    // Bounded jitter waits at least half the lower bound (10 ms) each time.
    assert!(started.elapsed() >= Duration::from_millis(10), "two waits of at least 5 ms");
}

#[tokio::test]
async fn a_call_can_set_its_own_timeout() {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})).set_delay(Duration::from_millis(800)))
        .mount(&server)
        .await;
    let client = Client::builder(server.uri()).retry(RetryPolicy::none()).build().expect("client");
    let error =
        client.ghippo().users().get_user("u1").timeout(Duration::from_millis(100)).await.expect_err("times out");
    assert!(error.is_timeout(), "{error}");
    client.ghippo().users().get_user("u1").await.expect("the client's 60 s default is enough");
    // The client-wide timeout holds with a caller's own reqwest::Client too.
    let own = Client::builder(server.uri())
        .http_client(drun_client::reqwest::Client::new())
        .timeout(Duration::from_millis(100))
        .retry(RetryPolicy::none())
        .build()
        .expect("client");
    assert!(own.ghippo().users().get_user("u1").await.expect_err("times out").is_timeout());
    // Connection settings cannot be applied to it, and say so.
    let refused = Client::builder(server.uri())
        .http_client(drun_client::reqwest::Client::new())
        .connect_timeout(Duration::from_secs(1))
        .build()
        .expect_err("refused");
    assert!(matches!(refused, Error::Config(_)), "{refused}");
}

/// Records the operation of every request it sees.
#[derive(Clone, Default)]
struct Labels(Arc<Mutex<Vec<Operation>>>);

#[async_trait::async_trait]
impl drun_client::reqwest_middleware::Middleware for Labels {
    async fn handle(
        &self,
        request: drun_client::reqwest::Request,
        extensions: &mut http::Extensions,
        next: drun_client::reqwest_middleware::Next<'_>,
    ) -> drun_client::reqwest_middleware::Result<drun_client::reqwest::Response> {
        self.0.lock().expect("lock").extend(extensions.get::<Operation>().copied());
        next.run(request, extensions).await
    }
}

#[tokio::test]
async fn middlewares_see_which_operation_a_request_belongs_to() {
    let server = answering(&[200], None).await;
    let labels = Labels::default();
    let client = Client::builder(server.uri()).with(labels.clone()).build().expect("client");
    client.ghippo().users().get_user("u1").await.expect("ok");
    client.ghippo().users().list_users(&ListUsersParams::default()).await.expect("ok");
    let seen = labels.0.lock().expect("lock").clone();
    assert_eq!(
        seen,
        [Operation { id: "Users_GetUser", tag: "Users" }, Operation { id: "Users_ListUsers", tag: "Users" }]
    );
}

#[tokio::test]
async fn status_and_headers_come_with_the_body_on_request() {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"id": "u1", "name": "alice"}))
                .insert_header("x-request-id", "req-42"),
        )
        .mount(&server)
        .await;
    let response = common::client(&server).ghippo().users().get_user("u1").with_metadata().await.expect("ok");
    assert_eq!(response.status.as_u16(), 200);
    assert_eq!(response.request_id(), Some("req-42"));
    assert_eq!(response.body.name, "alice");
}

#[tokio::test]
async fn list_users_pages_are_paginated_with_query_params() {
    // The helper is the operation's own request, page after page.
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(USERS))
        .and(query_param("page", "1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"items": [], "pagination": {"total": 0}})))
        .expect(1)
        .mount(&server)
        .await;
    let all = common::client(&server).ghippo().users().list_users_pages(&ListUsersParams::default()).collect().await;
    assert!(all.expect("empty").is_empty());
}

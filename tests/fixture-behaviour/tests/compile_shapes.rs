//! The shapes that once did not compile clean, on the wire; and
//! server-sent events read as a stream (comments, multi-line data, CRLF,
//! an error event, `[DONE]`, text events), also from the typed mocks.

use fixture_compile_shapes::apis::search::SearchParams;
use fixture_compile_shapes::futures_util::StreamExt as _;
use fixture_compile_shapes::mocks::{self, MockServer};
use fixture_compile_shapes::{Client, CompileShapesExt as _, Error, Status};
use wiremock::matchers::any;
use wiremock::{Mock, ResponseTemplate};

async fn serving(content_type: &str, body: &'static str) -> (wiremock::MockServer, Client) {
    let server = wiremock::MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(200).insert_header("content-type", content_type).set_body_raw(body, content_type),
        )
        .mount(&server)
        .await;
    let client = Client::builder(server.uri()).build().expect("client");
    (server, client)
}

#[tokio::test]
async fn a_binary_json_body_is_sent_as_the_bytes_given() {
    let (server, client) = serving("application/json", r#"{"size": 3}"#).await;
    let upload = client.compile_shapes().uploads().upload_blob(vec![1u8, 2, 255]).await.expect("ok");
    assert_eq!(upload.size, Some(3));
    let request = server.received_requests().await.expect("recording").pop().expect("a request");
    assert_eq!(request.body, [1, 2, 255]);
    assert_eq!(request.headers.get("content-type").map(|v| v.to_str().unwrap_or_default()), Some("application/json"));
}

#[tokio::test]
async fn a_comma_joined_list_parameter_is_one_pair() {
    let (server, client) = serving("application/json", r#"["x"]"#).await;
    let params = SearchParams::default().set_tags([1, 2]);
    client.compile_shapes().search().search(&["a".to_owned(), "b c".to_owned()], &params).await.expect("ok");
    let request = server.received_requests().await.expect("recording").pop().expect("a request");
    assert_eq!(request.url.query(), Some("ids=a%2Cb+c&tags=1%2C2"));
}

#[tokio::test]
async fn nested_maps_of_lists_of_maps_decode() {
    let (_server, client) =
        serving("application/json", r#"{"grid": {"row": [{"cells": [{"a": 1}, {"b": 2}]}]}}"#).await;
    let layout = client.compile_shapes().layouts().get_layout().await.expect("ok");
    let grid = layout.grid.expect("a grid");
    assert_eq!(grid["row"][0]["cells"][1]["b"], 2);
}

#[tokio::test]
async fn a_tag_named_models_works_as_any_other() {
    let (_server, client) = serving("application/json", r#"{"models": [{"id": "m1"}], "total": 1}"#).await;
    let listed = client.compile_shapes().models().list_models().await.expect("ok");
    let models = listed.models.expect("models");
    assert_eq!((models[0].id.as_deref(), listed.total), (Some("m1"), Some(1)));
}

#[tokio::test]
async fn server_sent_events_are_read_as_the_specification_says() {
    let body = ": a comment, ignored\r\n\
                retry: 1000\r\n\
                data: {\"n\": 1,\r\n\
                data:  \"at\": \"one\"}\r\n\
                \r\n\
                event: tick\n\
                id: 2\n\
                data: {\"n\": 2}\n\
                \n\
                \n\
                data: [DONE]\n\
                \n\
                data: {\"n\": 3}\n\n";
    let (server, client) = serving("text/event-stream", body).await;
    let ticks: Vec<_> = client.compile_shapes().events().follow_events().collect().await;
    let ticks: Vec<(Option<i64>, Option<String>)> =
        ticks.into_iter().map(|t| t.expect("a tick")).map(|t| (t.n, t.at)).collect();
    // Multi-line data joined with a line break; `[DONE]` ends the stream.
    assert_eq!(ticks, [(Some(1), Some("one".to_owned())), (Some(2), None)]);
    let request = server.received_requests().await.expect("recording").pop().expect("a request");
    assert_eq!(request.headers.get("accept").map(|v| v.to_str().unwrap_or_default()), Some("text/event-stream"));
}

#[tokio::test]
async fn an_error_event_ends_the_stream_as_an_api_error() {
    let (_server, client) = serving(
        "text/event-stream",
        "data: {\"n\": 1}\n\nevent: error\ndata: {\"code\": 8, \"message\": \"slow down\"}\n\ndata: {\"n\": 2}\n\n",
    )
    .await;
    let mut ticks = std::pin::pin!(client.compile_shapes().events().follow_events());
    assert_eq!(ticks.next().await.expect("a tick").expect("ok").n, Some(1));
    match ticks.next().await {
        Some(Err(Error::Api(error))) => assert_eq!(error.body.as_ref().map(|s| s.message.as_str()), Some("slow down")),
        other => panic!("wanted the error event, got {other:?}"),
    }
    assert!(ticks.next().await.is_none());
}

#[tokio::test]
async fn events_without_a_schema_are_text() {
    let (_server, client) = serving("text/event-stream", "data: line one\ndata: line two\n\ndata: done\n\n").await;
    let lines: Vec<String> = client.compile_shapes().events().follow_log().map(|l| l.expect("text")).collect().await;
    assert_eq!(lines, ["line one\nline two", "done"]);
}

#[tokio::test]
async fn an_event_cut_off_is_an_error() {
    let (_server, client) = serving("text/event-stream", "data: {\"n\": 1}\n\ndata: {\"n\"").await;
    let ticks: Vec<_> = client.compile_shapes().events().follow_events().collect().await;
    assert!(matches!(ticks.as_slice(), [Ok(_), Err(Error::Stream { .. })]), "{ticks:?}");
}

#[tokio::test]
async fn the_typed_mocks_answer_a_stream_with_messages_then_an_error_or_a_cut() {
    use fixture_compile_shapes::models::Tick;
    let server = MockServer::start().await;
    let client = server.client_builder().build().expect("client");
    let ticks = mocks::Messages::new([Tick::default().set_n(1), Tick::default().set_n(2)]);
    server
        .expect(mocks::events::follow_events().respond(ticks.clone().then_error(Status::new(14, "gone"))).times(1))
        .await;
    let got: Vec<_> = client.compile_shapes().events().follow_events().collect().await;
    assert!(
        matches!(got.as_slice(), [Ok(a), Ok(b), Err(Error::Api(_))] if a.n == Some(1) && b.n == Some(2)),
        "{got:?}"
    );
    server.expect(mocks::events::follow_events().respond(ticks.then_cut_off()).times(1)).await;
    let got: Vec<_> = client.compile_shapes().events().follow_events().collect().await;
    assert!(matches!(got.as_slice(), [Ok(_), Ok(_), Err(Error::Stream { .. })]), "{got:?}");
}

#[tokio::test]
async fn paced_mock_messages_arrive_apart_on_an_open_stream() {
    use fixture_compile_shapes::models::Tick;
    use std::time::{Duration, Instant};
    let server = MockServer::start().await;
    let client = server.client_builder().build().expect("client");
    let ticks = mocks::Messages::new((1..=3).map(|n| Tick::default().set_n(n))).paced(Duration::from_millis(300));
    server.expect(mocks::events::follow_events().respond(ticks).times(2)).await;
    let started = Instant::now();
    let mut stream = std::pin::pin!(client.compile_shapes().events().follow_events());
    assert_eq!(stream.next().await.expect("a tick").expect("ok").n, Some(1));
    let first = started.elapsed();
    let rest: Vec<_> = stream.collect().await;
    assert_eq!(rest.len(), 2, "{rest:?}");
    assert!(first < Duration::from_millis(250), "the first tick waited: {first:?}");
    assert!(started.elapsed() >= Duration::from_millis(600), "{:?}", started.elapsed());
    // A client that will not wait that long ends the stream at its idle timeout.
    let impatient = client.compile_shapes().events().follow_events().idle_timeout(Some(Duration::from_millis(100)));
    let got: Vec<_> = impatient.collect().await;
    assert!(matches!(got.as_slice(), [Ok(_), Err(e)] if e.is_timeout()), "{got:?}");
}

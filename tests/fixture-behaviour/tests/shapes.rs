//! The parameter and response shapes that once did not compile, on the
//! wire: the path and query the server receives.

use fixture_shapes::models::{Color, Filter, GetThingIdOrName, Holder, IdOrName};
use fixture_shapes::{Client, ShapesExt};
use serde_json::json;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn server(body: serde_json::Value) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(ResponseTemplate::new(200).set_body_json(body)).mount(&server).await;
    server
}

async fn last_url(server: &MockServer) -> wiremock::http::Url {
    server.received_requests().await.expect("recording").last().expect("a request").url.clone()
}

#[tokio::test]
async fn array_path_parameters_are_joined_with_each_item_encoded() {
    let server = server(json!({"key": 7})).await;
    let client = Client::builder(server.uri()).build().expect("client");
    let names = ["a,b".to_owned(), "c/d".to_owned()];
    let holder = client.shapes().shapes().get_ports(&[80, 443], &names).await.expect("ok");
    assert_eq!(last_url(&server).await.path(), "/ports/80,443/names/a%2Cb,c%2Fd");
    // A union inside a struct with a default; read as its first fitting variant.
    assert_eq!(holder.key, IdOrName::I64(7));
    assert_eq!(Holder::default().key, IdOrName::I64(0));
}

#[tokio::test]
async fn unions_enums_and_objects_as_parameters_are_written_as_the_document_says() {
    let server = server(json!({"key": "x"})).await;
    let client = Client::builder(server.uri()).build().expect("client");
    let filter = Filter::default().set_name("n").set_size(3).set_tags(["t1", "t2"]);
    let params = fixture_shapes::apis::shapes::GetThingParams::default()
        .set_shade(Color::DarkGreen)
        .set_filter(filter.clone())
        .set_deep(filter);
    client
        .shapes()
        .shapes()
        .get_thing(&GetThingIdOrName::String("by name".into()), &Color::Red, &params)
        .await
        .expect("ok");
    let url = last_url(&server).await;
    assert_eq!(url.path(), "/things/by%20name");
    let query: Vec<(String, String)> = url.query_pairs().into_owned().collect();
    let expected: Vec<(String, String)> = [
        ("color", "red"),
        ("shade", "dark green"),
        ("name", "n"),
        ("size", "3"),
        ("tags", "t1"),
        ("tags", "t2"),
        ("deep[name]", "n"),
        ("deep[size]", "3"),
        ("deep[tags]", "t1"),
        ("deep[tags]", "t2"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    assert_eq!(query, expected);
    client.shapes().shapes().get_thing(&GetThingIdOrName::I64(42), &Color::Red, &Default::default()).await.expect("ok");
    assert_eq!(last_url(&server).await.path(), "/things/42");
}

#[tokio::test]
async fn parameters_named_after_the_methods_locals_reach_the_wire() {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(ResponseTemplate::new(204)).mount(&server).await;
    let client = Client::builder(server.uri()).build().expect("client");
    let params = fixture_shapes::apis::shapes::ShadowLocalsParams::default().set_body2("b");
    client
        .shapes()
        .shapes()
        .shadow_locals("r", "c", "a", "f", "p", "s", "t", &Holder::default(), &params)
        .await
        .expect("ok");
    let request = server.received_requests().await.expect("recording").pop().expect("a request");
    assert_eq!(request.url.path(), "/locals/r");
    let query: Vec<(String, String)> = request.url.query_pairs().into_owned().collect();
    let names: Vec<&str> = query.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(names, ["client", "api", "form", "params", "self"]);
    assert_eq!(request.headers.get("type").and_then(|v| v.to_str().ok()), Some("t"));
    assert_eq!(request.headers.get("body").and_then(|v| v.to_str().ok()), Some("b"));
}

#[tokio::test]
async fn binary_answers_declared_as_json_are_bytes() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_bytes(vec![0u8, 159, 146, 150]))
        .mount(&server)
        .await;
    let client = Client::builder(server.uri()).build().expect("client");
    let bytes = client.shapes().shapes().download("f1").await.expect("bytes");
    assert_eq!(&bytes[..], &[0u8, 159, 146, 150]);
}

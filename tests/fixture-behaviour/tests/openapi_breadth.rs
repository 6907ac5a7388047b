//! The client generated from `openapi_breadth.yaml` on the wire.

use fixture_openapi_breadth::apis::shapes::{GetShapeParams, SearchParams};
use fixture_openapi_breadth::models::{AnyShape, LoginBody, Shape, UploadImageBody};
use fixture_openapi_breadth::{Client, DEFAULT_BASE_URL, OpenapiBreadthExt};
use serde_json::json;
use wiremock::matchers::{body_string, header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn discriminated_one_of_decodes_by_its_tag() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/shapes/s1"))
        .and(header("authorization", "Bearer tok"))
        .and(query_param("verbose", "true"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"kind": "square", "side": 2.0})))
        .mount(&server)
        .await;
    let client = Client::builder(server.uri()).bearer_token("tok").build().expect("client");
    let shape = client
        .openapi_breadth()
        .shapes()
        .get_shape("s1", &GetShapeParams::default().set_verbose(true))
        .await
        .expect("shape");
    let Shape::Square(square) = shape else { panic!("expected a square, got {shape:?}") };
    assert_eq!(square.side, 2.0);
}

#[tokio::test]
async fn untagged_any_of_tries_each_alternative() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/search"))
        .and(query_param("q", "round"))
        .and(query_param("key", "k"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([{"kind": "circle", "radius": 1.5}, "a label"])))
        .mount(&server)
        .await;
    let client = Client::builder(server.uri()).api_key_query("key", "k").build().expect("client");
    let found = client.openapi_breadth().shapes().search("round", &SearchParams::default()).await.expect("search");
    let AnyShape::Circle(circle) = &found[0] else { panic!("a circle: {:?}", found[0]) };
    assert_eq!((circle.kind.as_str(), circle.radius), ("circle", 1.5));
    assert_eq!(found[1], AnyShape::String("a label".into()));
}

#[tokio::test]
async fn multipart_and_form_request_bodies() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/shapes/s1/image"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/login"))
        .and(body_string("user=ada&password=p%40ss"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"token": "t", "expires": null})))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder(server.uri()).build().expect("client");
    let image = UploadImageBody::default().set_image([1, 2, 3]);
    client.openapi_breadth().shapes().upload_image("s1", &image).await.expect("upload");
    let login = client
        .openapi_breadth()
        .auth()
        .login(&LoginBody::default().set_user("ada").set_password("p@ss"))
        .await
        .expect("login");
    assert_eq!(login.token.as_deref(), Some("t"));
    assert_eq!(login.expires, None);
    assert_eq!(DEFAULT_BASE_URL, "https://shapes.example.com/api");
}

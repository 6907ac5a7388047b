//! The client generated from `swagger_breadth.yaml` on the wire.

use fixture_swagger_breadth::apis::items::GetItemParams;
use fixture_swagger_breadth::models::{GetItemType, Item, RenameItemBody, Status, UploadItemBody};
use fixture_swagger_breadth::{Client, Error, SwaggerBreadthExt};
use serde_json::json;
use wiremock::matchers::{body_string, body_string_contains, header, method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

fn client(server: &MockServer) -> Client {
    Client::builder(server.uri()).api_key_header("X-Api-Key", "k-123").build().expect("client")
}

#[tokio::test]
async fn query_header_and_collection_formats_are_written_as_declared() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/items/a%20b"))
        .and(header("X-Request-Id", "r-1"))
        .and(header("X-Trace", "t"))
        .and(header("X-Api-Key", "k-123"))
        .and(query_param("payload.name", "n"))
        .and(query_param("page-size", "5"))
        .and(query_param("type", "small"))
        .and(query_param("csv", "a,b"))
        .and(query_param("ssv", "1 2"))
        .and(query_param("pipes", "x|y"))
        .and(|r: &Request| r.url.query_pairs().filter(|(k, _)| k == "multi").count() == 2)
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "a b", "status": "sold-out", "size": 7})))
        .expect(1)
        .mount(&server)
        .await;
    let params = GetItemParams::default()
        .set_payload_name("n")
        .set_page_size(5)
        .set_type(GetItemType::Small)
        .set_x_trace("t")
        .set_csv(["a", "b"])
        .set_ssv([1i64, 2])
        .set_pipes(["x", "y"])
        .set_multi(["m1", "m2"]);
    let item = client(&server).swagger_breadth().items().get_item("a b", "r-1", &params).await.expect("get_item");
    assert_eq!(item.id, "a b");
    assert_eq!(item.status, Some(Status::SoldOut));
    assert_eq!(item.size, Some(7));
}

#[tokio::test]
async fn multipart_upload_carries_the_file_and_fields() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/items/i1/file"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "i1"})))
        .mount(&server)
        .await;
    let body = UploadItemBody::default().set_file(b"\x00binary\xff".to_vec()).set_note("hello").set_tags(["a", "b"]);
    client(&server).swagger_breadth().items().upload_item("i1", &body).await.expect("upload");
    let received = &server.received_requests().await.expect("recorded")[0];
    let content_type = received.headers["content-type"].to_str().expect("ascii");
    let boundary = content_type.strip_prefix("multipart/form-data; boundary=").expect("multipart");
    let text = String::from_utf8_lossy(&received.body);
    assert!(text.contains("name=\"file\"; filename=\"file\""), "{text}");
    assert!(received.body.windows(8).any(|w| w == b"\x00binary\xff"), "the file bytes arrive unchanged");
    assert!(text.contains("name=\"note\"\r\n\r\nhello\r\n"), "{text}");
    assert_eq!(text.matches("name=\"tags\"").count(), 2);
    assert!(text.ends_with(&format!("--{boundary}--\r\n")));
}

#[tokio::test]
async fn form_bodies_are_url_encoded() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/items/i1/rename"))
        .and(header("content-type", "application/x-www-form-urlencoded"))
        .and(body_string("name=new+name%26more&force=true"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "i1", "name": "new name&more"})))
        .expect(1)
        .mount(&server)
        .await;
    let body = RenameItemBody::default().set_name("new name&more").set_force(true);
    let item = client(&server).swagger_breadth().items().rename_item("i1", &body).await.expect("rename");
    assert_eq!(item.name.as_deref(), Some("new name&more"));
}

#[tokio::test]
async fn files_text_and_empty_responses() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/items/i1/file"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(vec![0u8, 1, 2, 255], "application/octet-stream"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/health"))
        .respond_with(ResponseTemplate::new(200).set_body_raw("ok", "text/plain"))
        .mount(&server)
        .await;
    Mock::given(method("DELETE")).and(path("/items/i1")).respond_with(ResponseTemplate::new(204)).mount(&server).await;
    let c = client(&server);
    assert_eq!(&c.swagger_breadth().items().download_item("i1").await.expect("download")[..], &[0u8, 1, 2, 255]);
    assert_eq!(c.swagger_breadth().default().get_health().await.expect("health"), "ok");
    c.swagger_breadth().items().delete_items_by_item_id("i1").await.expect("204 is success");
}

#[tokio::test]
async fn read_only_fields_are_not_sent_and_unknown_enum_values_kept() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/items"))
        .and(body_string_contains("\"name\":\"n\""))
        .and(|r: &Request| !String::from_utf8_lossy(&r.body).contains("\"id\""))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "new", "status": "backordered"})))
        .expect(1)
        .mount(&server)
        .await;
    let item = Item::default().set_id("client-side").set_name("n");
    let created = client(&server).swagger_breadth().items().create_item(&item).await.expect("create");
    assert_eq!(created.status, Some(Status::UnknownValue("backordered".into())));
}

#[tokio::test]
async fn the_documented_error_body_is_decoded() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(409).set_body_json(json!({"message": "busy"})))
        .mount(&server)
        .await;
    let err = client(&server).swagger_breadth().items().download_item("i1").await.expect_err("409");
    let Error::Api(api) = err else { panic!("api error") };
    // It has a `message`, so it also reads as a status; the document's own
    // error schema reads the text as well.
    assert_eq!(api.body.as_ref().map(|s| s.message.as_str()), Some("busy"));
    let body: fixture_swagger_breadth::ErrorBody = api.body_as().expect("the document's error body");
    assert_eq!(body.message.as_deref(), Some("busy"));
}

#[test]
fn a_missing_required_property_is_an_error_naming_it() {
    let err = serde_json::from_value::<Item>(json!({"name": "n"})).expect_err("id is required");
    assert!(err.to_string().contains("missing field `id`"), "{err}");
    let item: Item =
        serde_json::from_value(json!({"id": "i", "id": "j", "unknown": [1, {"a": null}]})).expect("decodes");
    assert_eq!(item.id, "j", "a repeated property keeps its last value");
}

#[test]
fn models_round_trip_with_their_extra_properties() {
    let wire = json!({
        "name": "n",
        "description": null,
        "size": 9007199254740993_i64,
        "status": "sold-out",
        "labels": {"a": "b"},
        "dimensions": {"width": 1.5, "unit": "cm"},
        "children": [{"id": "c", "name": "child"}],
        "parent": {"id": "p"}
    });
    let mut received = wire.clone();
    received["id"] = json!("i");
    let item: Item = serde_json::from_value(received).expect("decodes");
    let dimensions = item.dimensions.as_ref().expect("dimensions");
    assert_eq!(dimensions.width, Some(1.5));
    assert_eq!(dimensions.additional_properties["unit"], "cm");
    assert_eq!(item.size, Some(9007199254740993));
    assert_eq!(item.children.as_ref().map(|c| c[0].id.as_str()), Some("c"));
    // Sent back: readOnly `id`s left out, absent options left out, extra
    // properties written beside the declared ones.
    let mut expected = wire;
    expected.as_object_mut().expect("object").remove("description");
    expected["children"] = json!([{"name": "child"}]);
    expected["parent"] = json!({});
    assert_eq!(serde_json::to_value(&item).expect("encodes"), expected);
}

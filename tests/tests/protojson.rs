//! protojson on the wire: what grpc-gateway really sends decodes, and what
//! the client sends is what protojson would send.

use drun_client::prelude::*;
use drun_ghippo::apis::group::ListGroupsParams;
use drun_ghippo::models::{Any, GetRoleResponse, GroupInfo, ListGroupsResponse, RoleType, StatusType, User};
use serde_json::json;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

#[test]
fn int64_decodes_from_a_string_or_a_number_and_encodes_as_a_string() {
    let g: GroupInfo = serde_json::from_value(json!({"id": "g", "userCount": "12"})).expect("string form");
    assert_eq!(g.user_count, 12);
    let g: GroupInfo = serde_json::from_value(json!({"id": "g", "userCount": 12})).expect("number form");
    assert_eq!(g.user_count, 12);
    let big: GroupInfo = serde_json::from_value(json!({"userCount": "9007199254740993"})).expect("beyond f64");
    assert_eq!(big.user_count, 9_007_199_254_740_993);
    assert_eq!(serde_json::to_value(&big).expect("encodes")["userCount"], json!("9007199254740993"));
    assert!(serde_json::from_value::<GroupInfo>(json!({"userCount": "twelve"})).is_err());
}

#[test]
fn omitted_fields_decode_as_zero_values() {
    let u: User = serde_json::from_value(json!({})).expect("empty object");
    assert_eq!(u, User::default());
    let u: User = serde_json::from_value(json!({"name": "only"})).expect("one field");
    assert_eq!(u.name, "only");
    assert!(!u.enabled);
    assert_eq!(u.email, "");
}

#[test]
fn unknown_fields_are_ignored() {
    let u: User =
        serde_json::from_value(json!({"name": "n", "addedInV2": {"deep": [1, 2]}, "another": 5})).expect("decodes");
    assert_eq!(u.name, "n");
}

#[test]
fn unknown_enum_values_are_kept_and_round_trip() {
    let r: GetRoleResponse =
        serde_json::from_value(json!({"name": "r", "type": "platform_admin_v9"})).expect("decodes");
    assert_eq!(r.type_, RoleType::Unknown("platform_admin_v9".to_owned()));
    assert_eq!(serde_json::to_value(&r).expect("encodes")["type"], json!("platform_admin_v9"));
    let known: StatusType = serde_json::from_value(json!("succeeded")).expect("known name");
    assert_eq!(known, StatusType::Succeeded);
    assert_eq!(known.as_str(), "succeeded");
    // A server that writes enum numbers does not fail the response either.
    let numeric: StatusType = serde_json::from_value(json!(2)).expect("number");
    assert_eq!(numeric, StatusType::Unknown("2".to_owned()));
}

#[test]
fn any_keeps_its_type_and_every_other_field() {
    let value =
        json!({"@type": "type.googleapis.com/google.rpc.BadRequest", "fieldViolations": [{"field": "name"}], "n": 1});
    let any: Any = serde_json::from_value(value.clone()).expect("decodes");
    assert_eq!(any.type_, "type.googleapis.com/google.rpc.BadRequest");
    assert_eq!(any.additional_properties["n"], json!(1));
    assert_eq!(serde_json::to_value(&any).expect("encodes"), value);
}

#[test]
fn request_bodies_carry_only_what_was_set() {
    let mut role = GetRoleResponse::default();
    role.name = "viewer".into();
    assert_eq!(serde_json::to_value(&role).expect("encodes"), json!({"name": "viewer"}));
}

#[tokio::test]
async fn a_protojson_response_decodes_through_the_client() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "items": [{"id": "g1", "name": "ops", "userCount": "12", "futureField": true}, {"id": "g2"}],
            "pagination": {"total": 2}
        })))
        .mount(&server)
        .await;
    let client = drun_client::Client::builder(server.uri()).build().expect("client builds");
    let page: ListGroupsResponse =
        client.ghippo().group().list_groups(&ListGroupsParams::default()).await.expect("decodes");
    assert_eq!(page.items[0].user_count, 12);
    assert_eq!(page.items[1].user_count, 0);
    assert_eq!(page.pagination.expect("present").page_size, 0);
}

//! Shapes published documents use that the generator once refused or got
//! wrong, on the wire: the path, query and body the server receives, and
//! what the client makes of the answer.

use fixture_published_shapes::apis::items::ListItemsParams;
use fixture_published_shapes::models::{
    Condition, FieldCondition, Filter, GetProjectProject, Kind, Nested, PasswordGrant, PasswordGrantGrantType,
    RefreshGrant, RefreshGrantGrantType, TokenBody,
};
use fixture_published_shapes::{Client, PublishedShapesExt};
use serde_json::{Value, json};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn server(status: u16, body: Value) -> (MockServer, Client) {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(ResponseTemplate::new(status).set_body_json(body)).mount(&server).await;
    let client = Client::builder(server.uri()).build().expect("client");
    (server, client)
}

async fn last(server: &MockServer) -> wiremock::Request {
    server.received_requests().await.expect("recording").pop().expect("a request")
}

fn pairs(url: &wiremock::http::Url) -> Vec<(String, String)> {
    url.query_pairs().into_owned().collect()
}

#[tokio::test]
async fn one_or_many_query_parameters_are_lists_sent_one_pair_per_value() {
    let (server, client) = server(200, json!([{"id": "i1", "name": "alpha"}])).await;
    let params = ListItemsParams::default().set_tag(["a", "b c"]).set_kind([Kind::Large]).set_owner(["ann"]);
    let items = client.published_shapes().items().list_items(&params).await.expect("ok");
    assert_eq!(items[0].name.as_deref(), Some("alpha"));
    let request = last(&server).await;
    assert_eq!(request.url.path(), "/items");
    let expected: Vec<(String, String)> = [("tag", "a"), ("tag", "b c"), ("kind", "large"), ("owner", "ann")]
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    assert_eq!(pairs(&request.url), expected);
    // None given: nothing sent.
    client.published_shapes().items().list_items(&ListItemsParams::default()).await.expect("ok");
    assert_eq!(last(&server).await.url.query(), None);
}

#[tokio::test]
async fn id_or_name_path_parameters_wrapped_in_all_of_are_a_union_of_their_types() {
    let (server, client) = server(200, json!({"id": "p1"})).await;
    let projects = client.published_shapes().projects();
    projects.get_project(&GetProjectProject::Id("0b7e6c1e-2f4b-4a63-9d2e-1c4f5a6b7c8d".to_owned())).await.expect("ok");
    assert_eq!(last(&server).await.url.path(), "/projects/0b7e6c1e-2f4b-4a63-9d2e-1c4f5a6b7c8d");
    projects.get_project(&GetProjectProject::Name("my project".to_owned())).await.expect("ok");
    assert_eq!(last(&server).await.url.path(), "/projects/my%20project");
    // A value that would leave its segment is refused before sending.
    let error = projects.get_project(&GetProjectProject::Name("..".to_owned())).await.expect_err("dot segment");
    assert!(error.to_string().contains("project"), "{error}");
    assert_eq!(server.received_requests().await.expect("recording").len(), 2);
}

#[tokio::test]
async fn recursive_types_through_unions_are_boxed_and_round_trip() {
    let (server, client) = server(200, json!([])).await;
    let inner = Filter::default().set_must([Condition::FieldCondition(FieldCondition::default().set_key("k"))]);
    let filter = Filter::default()
        .set_must([Condition::FieldCondition(FieldCondition::default().set_key("color").set_match("red"))])
        .set_should(Condition::Nested(Nested::default().set_nested(inner)));
    client.published_shapes().items().search(&filter).await.expect("ok");
    let body: Value = serde_json::from_slice(&last(&server).await.body).expect("JSON body");
    assert_eq!(
        body,
        json!({
            "must": [{"key": "color", "match": "red"}],
            "should": {"nested": {"must": [{"key": "k"}]}}
        })
    );
}

#[tokio::test]
async fn path_variables_the_operation_does_not_declare_are_required_strings() {
    let (server, client) = server(204, Value::Null).await;
    client.published_shapes().apps().delete_app("app/1").await.expect("ok");
    let request = last(&server).await;
    assert_eq!((request.method.as_str(), request.url.path()), ("DELETE", "/apps/app%2F1"));
}

#[tokio::test]
async fn an_operation_without_responses_answers_unit_whatever_the_body() {
    let (server, client) = server(200, json!({"restarted": true})).await;
    let answer: () = client.published_shapes().apps().restart_app("a1").await.expect("ok");
    assert_eq!(answer, ());
    let request = last(&server).await;
    assert_eq!((request.method.as_str(), request.url.path()), ("POST", "/apps/a1/restart"));
}

#[tokio::test]
async fn tuples_are_served_as_json_values() {
    let (_server, client) = server(200, json!({"id": "p", "position": [1.5, -2], "label": ["x", {"any": 1}]})).await;
    let point = client.published_shapes().items().get_point().await.expect("ok");
    assert_eq!(point.position, Some(json!([1.5, -2])));
    assert_eq!(point.label, Some(json!(["x", {"any": 1}])));
}

#[tokio::test]
async fn a_form_body_that_is_a_union_of_objects_sends_the_chosen_form() {
    let (server, client) = server(200, json!({"access_token": "t"})).await;
    let auth = client.published_shapes().auth();
    let password = PasswordGrant::default()
        .set_grant_type(PasswordGrantGrantType::Password)
        .set_username("ann")
        .set_password("p&ss word");
    let token = auth.token(&TokenBody::PasswordGrant(password)).await.expect("ok");
    assert_eq!(token.access_token.as_deref(), Some("t"));
    let request = last(&server).await;
    assert_eq!(
        request.headers.get("content-type").map(|v| v.to_str().unwrap()),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(String::from_utf8_lossy(&request.body), "grant_type=password&username=ann&password=p%26ss+word");

    let refresh = RefreshGrant::default().set_grant_type(RefreshGrantGrantType::RefreshToken).set_refresh_token("r1");
    auth.token(&TokenBody::RefreshGrant(refresh)).await.expect("ok");
    assert_eq!(String::from_utf8_lossy(&last(&server).await.body), "grant_type=refresh_token&refresh_token=r1");
}

#[tokio::test]
async fn a_document_without_models_makes_a_client_that_works() {
    use fixture_no_models::NoModelsExt;
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(ResponseTemplate::new(204)).mount(&server).await;
    let client = fixture_no_models::Client::builder(server.uri()).build().expect("client");
    let params = fixture_no_models::apis::default::PingParams::default().set_n(3);
    client.no_models().default().ping(&params).await.expect("ok");
    let request = last(&server).await;
    assert_eq!((request.url.path(), request.url.query()), ("/ping", Some("n=3")));
}

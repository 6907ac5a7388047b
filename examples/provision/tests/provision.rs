//! The example application's tests: d.run is the typed mocks alone. Each
//! expectation is typed by its operation, so a test that no longer fits
//! the API stops compiling instead of passing in silence.

use drun_client::baize::models::{CreateNotebookBody, Notebook, NotebookType};
use drun_client::ghippo::models::{CreateWorkspaceRequest, CreateWorkspaceResponse};
use drun_client::kpanda::apis::cluster::ListClustersParams;
use drun_client::kpanda::models::{Cluster, ClusterPhase, ClusterStatus, ListClustersResponse, ObjectMeta, Pagination};
use drun_client::mock::{Arg, Body, MockServer};
use drun_client::prelude::*;
use drun_client::{Status, baize, ghippo, kpanda};
use drun_example_provision::{ProvisionError, provision};

fn cluster(name: &str, phase: ClusterPhase) -> Cluster {
    Cluster::default()
        .set_metadata(ObjectMeta::default().set_name(name))
        .set_status(ClusterStatus::default().set_phase(phase))
}

/// Page `page` of a list of `total` clusters.
fn clusters(items: Vec<Cluster>, page: i32, total: i32) -> ListClustersResponse {
    ListClustersResponse::default()
        .set_items(items)
        .set_pagination(Pagination::default().set_page(page).set_page_size(100).set_total(total))
}

/// The workspace `team-a` in folder 3 gets id 7.
async fn expect_workspace(server: &MockServer) {
    let request = CreateWorkspaceRequest::default().set_alias("team-a").set_parent_folder_id(3);
    let created = CreateWorkspaceResponse::default().set_workspace_id(7);
    server.expect(ghippo::mocks::workspace::create_workspace(request).respond(created)).await;
}

/// A notebook `team-a-notebook` of type Jupyter on `cluster`.
async fn expect_notebook(server: &MockServer, cluster: &str) {
    let notebook = Notebook::default().set_name("team-a-notebook").set_cluster(cluster).set_workspace(7);
    let body = Body::matching(|b: &CreateNotebookBody| b.name == "team-a-notebook" && b.type_ == NotebookType::Jupyter);
    server.expect(baize::mocks::notebook_service::create_notebook(7, cluster, "team-a", body).respond(notebook)).await;
}

#[tokio::test]
async fn provisions_a_workspace_and_a_notebook_on_the_first_running_cluster() {
    let server = MockServer::start().await;
    expect_workspace(&server).await;
    let page = clusters(vec![cluster("c1", ClusterPhase::Creating), cluster("c2", ClusterPhase::Running)], 1, 2);
    server.expect(kpanda::mocks::cluster::list_clusters(Arg::Any).respond(page)).await;
    expect_notebook(&server, "c2").await;

    let client = server.client_builder().build().expect("client");
    let done = provision(&client, "team-a", 3).await.expect("provisioned");
    assert_eq!((done.workspace_id, done.cluster.as_str()), (7, "c2"));
    assert_eq!(done.notebook.name, "team-a-notebook");
    server.verify().await;
}

#[tokio::test]
async fn an_api_error_reaches_the_caller_with_its_status() {
    let server = MockServer::start().await;
    let taken = Status::new(6, "workspace team-a already exists");
    server.expect(ghippo::mocks::workspace::create_workspace(Arg::Any).respond_error(409, taken)).await;

    let client = server.client_builder().build().expect("client");
    let Err(ProvisionError::Api(error)) = provision(&client, "team-a", 3).await else {
        panic!("a conflict must fail the provisioning");
    };
    assert_eq!(error.status().map(|s| s.as_u16()), Some(409));
    let drun_client::Error::Api(api) = &error else { panic!("an API error, not {error:?}") };
    let status = api.body.as_ref().expect("a google.rpc.Status body");
    assert_eq!((status.code, status.message.as_str()), (6, "workspace team-a already exists"));
}

#[tokio::test]
async fn pages_through_three_pages_to_find_a_running_cluster() {
    let server = MockServer::start().await;
    expect_workspace(&server).await;
    for (page, names) in [(1, ["c1", "c2"]), (2, ["c3", "c4"]), (3, ["c5", "c6"])] {
        let phase = |name| if name == "c6" { ClusterPhase::Running } else { ClusterPhase::Creating };
        let items = names.iter().map(|n| cluster(n, phase(*n))).collect();
        // The pages helper asks for 100 a page unless told otherwise.
        let params = ListClustersParams::default().set_page(page).set_page_size(100);
        server.expect(kpanda::mocks::cluster::list_clusters(params).respond(clusters(items, page, 6)).times(1)).await;
    }
    expect_notebook(&server, "c6").await;

    let client = server.client_builder().build().expect("client");
    let done = provision(&client, "team-a", 3).await.expect("provisioned");
    assert_eq!(done.cluster, "c6");
    server.verify().await;
}

#[tokio::test]
async fn a_503_is_retried_and_the_second_answer_used() {
    let server = MockServer::start().await;
    expect_workspace(&server).await;
    let unavailable = Status::new(14, "kpanda is restarting");
    let page = clusters(vec![cluster("c2", ClusterPhase::Running)], 1, 1);
    let list = kpanda::mocks::cluster::list_clusters(Arg::Any).respond_error(503, unavailable).respond(page).times(2);
    server.expect(list).await;
    expect_notebook(&server, "c2").await;

    let client = server.client_builder().build().expect("client");
    let done = provision(&client, "team-a", 3).await.expect("provisioned after one retry");
    assert_eq!(done.cluster, "c2");
    server.verify().await;
}

#[tokio::test]
async fn no_running_cluster_fails_before_any_notebook_is_asked_for() {
    let server = MockServer::start().await;
    expect_workspace(&server).await;
    let page = clusters(vec![cluster("c1", ClusterPhase::Creating)], 1, 1);
    server.expect(kpanda::mocks::cluster::list_clusters(Arg::Any).respond(page)).await;

    let client = server.client_builder().build().expect("client");
    let outcome = provision(&client, "team-a", 3).await;
    assert!(matches!(outcome, Err(ProvisionError::NoRunningCluster)), "{outcome:?}");
    server.verify().await;
}

#[tokio::test]
#[should_panic(expected = "1 request(s) matched no expectation")]
async fn a_request_no_expectation_matches_fails_the_test_and_says_why() {
    let server = MockServer::start().await;
    expect_workspace(&server).await;
    let page = clusters(vec![cluster("c2", ClusterPhase::Running)], 1, 1);
    server.expect(kpanda::mocks::cluster::list_clusters(Arg::Any).respond(page)).await;
    // The test expects the notebook on another cluster than the one the
    // application picks.
    expect_notebook(&server, "c9").await;

    let client = server.client_builder().build().expect("client");
    let outcome = provision(&client, "team-a", 3).await;
    let Err(ProvisionError::Api(error)) = outcome else { panic!("the unmatched call must fail: {outcome:?}") };
    assert_eq!(error.status().map(|s| s.as_u16()), Some(404));
    let unexpected = server.unexpected_requests();
    assert_eq!(unexpected.len(), 1, "{unexpected:#?}");
    let report = &unexpected[0];
    assert!(
        report.contains("POST /apis/baize.io/v1alpha1/workspaces/7/clusters/c2/namespaces/team-a/notebooks"),
        "{report}"
    );
    assert!(report.contains("expectations declared for its operation"), "{report}");
    assert!(report.contains("cluster=\"c9\""), "{report}");
    // Dropping the server fails the test, naming the request.
}

#[tokio::test]
async fn a_call_with_metadata_sees_the_answers_status_and_headers() {
    let server = MockServer::start().await;
    let created = CreateWorkspaceResponse::default().set_workspace_id(7);
    let create = ghippo::mocks::workspace::create_workspace(Arg::Any).respond(created).header("x-request-id", "req-42");
    server.expect(create).await;
    let client = server.client_builder().build().expect("client");
    let request = CreateWorkspaceRequest::default().set_alias("team-a");
    let response = client.ghippo().workspace().create_workspace(&request).with_metadata().await.expect("created");
    assert_eq!((response.status.as_u16(), response.request_id()), (200, Some("req-42")));
    assert_eq!(response.body.workspace_id, 7);
}

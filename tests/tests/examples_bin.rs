//! The example programs (`all-users`, `list-clusters`, `list-notebooks`,
//! `list-instances`, `list-alerts`),
//! run as a user would, against a local stand-in server that serves
//! several pages and only answers the right access key.

use std::process::Command;

use serde_json::json;
use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const KEY: &str = "test-access-key-0123";

fn run(bin: &str, base_url: &str, args: &[&str]) -> std::process::Output {
    Command::new(bin)
        .args(args)
        .env("DRUN_BASE_URL", base_url)
        .env("DRUN_ACCESS_KEY", KEY)
        .output()
        .expect("the example runs")
}

async fn page(server: &MockServer, route: &str, page_param: &str, page: u32, body: serde_json::Value) {
    Mock::given(method("GET"))
        .and(path(route))
        .and(query_param(page_param, page.to_string().as_str()))
        .and(header("authorization", format!("Bearer {KEY}").as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .expect(1)
        .mount(server)
        .await;
}

#[tokio::test]
async fn all_users_prints_every_user_of_every_page_one_line_each() {
    let server = MockServer::start().await;
    let users = "/apis/ghippo.io/v1alpha1/users";
    let user =
        |n: u32| json!({"id": format!("u-{n}"), "name": format!("user{n}"), "email": format!("user{n}@example.com")});
    page(
        &server,
        users,
        "page",
        1,
        json!({"items": (1..=100).map(user).collect::<Vec<_>>(), "pagination": {"total": 205}}),
    )
    .await;
    page(
        &server,
        users,
        "page",
        2,
        json!({"items": (101..=200).map(user).collect::<Vec<_>>(), "pagination": {"total": 205}}),
    )
    .await;
    page(
        &server,
        users,
        "page",
        3,
        json!({"items": (201..=205).map(user).collect::<Vec<_>>(), "pagination": {"total": 205}}),
    )
    .await;
    let out = run(env!("CARGO_BIN_EXE_all-users"), &server.uri(), &[]);
    assert!(out.status.success(), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let names: Vec<&str> = stdout.lines().map(|l| l.split('\t').next().unwrap_or_default()).collect();
    assert_eq!(names.len(), 205);
    assert_eq!((names[0], names[204]), ("user1", "user205"));
    assert!(stdout.lines().next().unwrap_or_default().starts_with("user1\tuser1@example.com\tu-1"));
}

#[tokio::test]
async fn list_clusters_prints_every_cluster() {
    let server = MockServer::start().await;
    let route = "/apis/kpanda.io/v1alpha1/clusters";
    let cluster = |name: &str, phase: &str| json!({"metadata": {"name": name}, "status": {"phase": phase, "kubernetesVersion": "v1.30.2"}});
    page(&server, route, "page", 1, json!({"items": [cluster("c1", "Running")], "pagination": {"total": 2}})).await;
    page(&server, route, "page", 2, json!({"items": [cluster("c2", "Creating")], "pagination": {"total": 2}})).await;
    let out = run(env!("CARGO_BIN_EXE_list-clusters"), &server.uri(), &[]);
    assert!(out.status.success(), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<Vec<&str>> = stdout.lines().map(|l| l.split_whitespace().collect()).collect();
    assert_eq!(lines[0], ["NAME", "PHASE", "KUBERNETES"]);
    assert_eq!(lines[1], ["c1", "Running", "v1.30.2"]);
    assert_eq!(lines[2], ["c2", "Creating", "v1.30.2"]);
    assert_eq!(lines[3], ["2", "clusters"]);
}

#[tokio::test]
async fn list_notebooks_prints_the_notebooks_of_a_workspace() {
    let server = MockServer::start().await;
    let route = "/apis/baize.io/v1alpha1/workspaces/7/notebooks";
    let body =
        json!({"items": [{"name": "nb1", "cluster": "gpu-a", "type": "JUPYTER", "status": {"phase": "RUNNING"}}]});
    page(&server, route, "page.page", 1, body).await;
    let out = run(env!("CARGO_BIN_EXE_list-notebooks"), &server.uri(), &["7"]);
    assert!(out.status.success(), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<Vec<&str>> = stdout.lines().map(|l| l.split_whitespace().collect()).collect();
    assert_eq!(lines[0], ["NAME", "CLUSTER", "PHASE", "TYPE"]);
    assert_eq!(lines[1], ["nb1", "gpu-a", "RUNNING", "JUPYTER"]);
    let usage = run(env!("CARGO_BIN_EXE_list-notebooks"), &server.uri(), &[]);
    assert!(!usage.status.success());
    assert!(String::from_utf8_lossy(&usage.stderr).contains("usage"));
}

#[tokio::test]
async fn list_instances_prints_every_instance_of_a_region_through_the_pages() {
    let server = MockServer::start().await;
    let route = "/apis/zestu.io/v1/region/bj1/containerinstances";
    let instance = |n: u32, status: &str| json!({"instanceName": format!("box{n}"), "instanceId": format!("ci-{n}"), "status": status, "regionId": "bj1"});
    let first: Vec<_> = (1..=100).map(|n| instance(n, "RUNNING")).collect();
    page(&server, route, "page", 1, json!({"items": first, "pagination": {"total": 101}})).await;
    page(&server, route, "page", 2, json!({"items": [instance(101, "STOPPED")], "pagination": {"total": 101}})).await;
    let out = run(env!("CARGO_BIN_EXE_list-instances"), &server.uri(), &["bj1"]);
    assert!(out.status.success(), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<Vec<&str>> = stdout.lines().map(|l| l.split_whitespace().collect()).collect();
    assert_eq!(lines[0], ["NAME", "STATUS", "ID"]);
    assert_eq!(lines[1], ["box1", "RUNNING", "ci-1"]);
    assert_eq!(lines[101], ["box101", "STOPPED", "ci-101"]);
    assert_eq!(lines[102], ["101", "instances", "in", "bj1"]);
    let usage = run(env!("CARGO_BIN_EXE_list-instances"), &server.uri(), &[]);
    assert!(!usage.status.success());
    assert!(String::from_utf8_lossy(&usage.stderr).contains("usage"));
}

#[tokio::test]
async fn list_alerts_asks_for_firing_alerts_and_prints_the_most_severe_first() {
    let server = MockServer::start().await;
    let alert = |rule: &str, severity: &str| json!({"ruleName": rule, "clusterName": "prod", "target": "node-1", "severity": severity, "description": "d"});
    // Only a request for unresolved alerts is answered.
    Mock::given(method("GET"))
        .and(path("/apis/insight.io/v1alpha1/alert/alerts"))
        .and(query_param("resolved", "false"))
        .and(query_param("page", "1"))
        .and(header("authorization", format!("Bearer {KEY}").as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "items": [alert("disk", "WARNING"), alert("down", "CRITICAL"), alert("note", "INFO")],
            "pagination": {"total": 3}
        })))
        .expect(1)
        .mount(&server)
        .await;
    let out = run(env!("CARGO_BIN_EXE_list-alerts"), &server.uri(), &[]);
    assert!(out.status.success(), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<Vec<&str>> = stdout.lines().map(|l| l.split_whitespace().collect()).collect();
    assert_eq!(lines[0], ["SEVERITY", "RULE", "CLUSTER", "TARGET", "DESCRIPTION"]);
    assert_eq!(lines[1], ["CRITICAL", "down", "prod", "node-1", "d"]);
    assert_eq!(lines[2], ["WARNING", "disk", "prod", "node-1", "d"]);
    assert_eq!(lines[3], ["INFO", "note", "prod", "node-1", "d"]);
    assert_eq!(lines[4], ["3", "alerts", "firing"]);
}

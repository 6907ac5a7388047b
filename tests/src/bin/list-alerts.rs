//! Lists the alerts that are firing now (observability, `insight`), every
//! page of them, most severe first.
//!
//! ```text
//! DRUN_BASE_URL=https://console.d.run DRUN_ACCESS_KEY=... cargo run -p drun-e2e --bin list-alerts
//! ```
//!
//! Prints a table (severity, rule, cluster, target, description) and the
//! count; exits non-zero with a message on any error.

use std::process::ExitCode;

use drun_client::futures_util::StreamExt;
use drun_client::insight::apis::alert::ListAlertsParams;
use drun_client::prelude::*;

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    drun_e2e::exit_code("list-alerts", run().await)
}

async fn run() -> Result<(), String> {
    let client = drun_e2e::client_from_env()?;
    let firing = ListAlertsParams::default().set_resolved(false);
    let mut alerts = client.insight().alert().list_alerts_pages(&firing).items();
    let mut found = Vec::new();
    while let Some(alert) = alerts.next().await {
        found.push(alert.map_err(|e| e.to_string())?);
    }
    // The document lists severities from the most severe down.
    found.sort_by_key(|a| severity_rank(a.severity.as_str()));
    let rows: Vec<[String; 5]> = found
        .into_iter()
        .map(|a| [a.severity.as_str().to_owned(), a.rule_name, a.cluster_name, a.target, a.description])
        .collect();
    print!("{}", drun_e2e::table(&["SEVERITY", "RULE", "CLUSTER", "TARGET", "DESCRIPTION"], &rows));
    println!("{} alerts firing", rows.len());
    Ok(())
}

fn severity_rank(severity: &str) -> u8 {
    match severity {
        "CRITICAL" => 0,
        "WARNING" => 1,
        "INFO" => 2,
        _ => 3,
    }
}

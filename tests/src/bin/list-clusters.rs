//! Lists the clusters of a d.run account (containers, `kpanda`), every
//! page of them.
//!
//! ```text
//! DRUN_BASE_URL=https://console.d.run DRUN_ACCESS_KEY=... cargo run -p drun-e2e --bin list-clusters
//! ```
//!
//! Prints one line per cluster (name, phase, Kubernetes version) and the
//! total; exits non-zero with a message on any error.

use std::process::ExitCode;

use drun_client::kpanda::apis::cluster::ListClustersParams;
use drun_client::prelude::*;

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    drun_e2e::exit_code("list-clusters", run().await)
}

async fn run() -> Result<(), String> {
    let client = drun_e2e::client_from_env()?;
    let mut rows = Vec::new();
    // Pages start at 1; stop at the total, or on an empty page.
    for page in 1.. {
        let params = ListClustersParams::default().set_page(page).set_page_size(50);
        let answer = client.kpanda().cluster().list_clusters(&params).await.map_err(|e| e.to_string())?;
        let total = answer.pagination.as_ref().map_or(0, |p| p.total);
        let empty = answer.items.is_empty();
        for cluster in answer.items {
            let name = cluster.metadata.map(|m| m.name).unwrap_or_default();
            let status = cluster.status.unwrap_or_default();
            rows.push([name, status.phase.to_string(), status.kubernetes_version]);
        }
        if empty || rows.len() as i64 >= i64::from(total) {
            break;
        }
    }
    print!("{}", drun_e2e::table(&["NAME", "PHASE", "KUBERNETES"], &rows));
    println!("{} clusters", rows.len());
    Ok(())
}

//! Lists the notebooks of a workspace in AI Lab (`baize`).
//!
//! ```text
//! DRUN_BASE_URL=https://console.d.run DRUN_ACCESS_KEY=... cargo run -p drun-e2e --bin list-notebooks -- WORKSPACE_ID
//! ```
//!
//! Prints one line per notebook (name, cluster, phase, type) and the
//! count; exits non-zero with a message on any error.

use std::process::ExitCode;

use drun_client::baize::apis::notebook_service::ListNotebooksParams;
use drun_client::prelude::*;

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    drun_e2e::exit_code("list-notebooks", run().await)
}

async fn run() -> Result<(), String> {
    let workspace: i32 =
        std::env::args().nth(1).and_then(|a| a.parse().ok()).ok_or("usage: list-notebooks WORKSPACE_ID (a number)")?;
    let client = drun_e2e::client_from_env()?;
    let params = ListNotebooksParams::default().set_page_page(1).set_page_page_size(100);
    let answer =
        client.baize().notebook_service().list_notebooks(workspace, &params).await.map_err(|e| e.to_string())?;
    let rows: Vec<[String; 4]> = answer
        .items
        .into_iter()
        .map(|n| {
            let phase = n.status.map(|s| s.phase.to_string()).unwrap_or_default();
            [n.name, n.cluster, phase, n.type_.to_string()]
        })
        .collect();
    print!("{}", drun_e2e::table(&["NAME", "CLUSTER", "PHASE", "TYPE"], &rows));
    println!("{} notebooks in workspace {workspace}", rows.len());
    Ok(())
}

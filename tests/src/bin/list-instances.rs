//! Lists the container instances of one region of the d.run compute cloud
//! (`zestu`), every page of them, through the pagination helper.
//!
//! ```text
//! DRUN_BASE_URL=https://console.d.run DRUN_ACCESS_KEY=... cargo run -p drun-e2e --bin list-instances -- bj1
//! ```
//!
//! Prints a table (name, status, instance id) and the count; exits
//! non-zero with a message on any error.

use std::process::ExitCode;

use drun_client::futures_util::StreamExt;
use drun_client::prelude::*;
use drun_client::zestu::apis::container_instance::ListContainerInstancesParams;

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    drun_e2e::exit_code("list-instances", run().await)
}

async fn run() -> Result<(), String> {
    let region = std::env::args().nth(1).ok_or("usage: list-instances <region id, e.g. bj1>")?;
    let client = drun_e2e::client_from_env()?;
    let api = client.zestu().container_instance();
    let mut instances = api.list_container_instances_pages(&region, &ListContainerInstancesParams::default()).items();
    let mut rows = Vec::new();
    while let Some(instance) = instances.next().await {
        let instance = instance.map_err(|e| e.to_string())?;
        rows.push([instance.instance_name, instance.status.as_str().to_owned(), instance.instance_id]);
    }
    print!("{}", drun_e2e::table(&["NAME", "STATUS", "ID"], &rows));
    println!("{} instances in {region}", rows.len());
    Ok(())
}

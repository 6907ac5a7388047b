//! Lists the first ten users of a d.run account.
//!
//! ```text
//! DRUN_BASE_URL=https://console.d.run DRUN_ACCESS_KEY=... cargo run -p drun-e2e --bin list-users
//! ```
//!
//! Prints the users as a table and the pagination line; exits non-zero with a
//! message on any error.

use drun_client::prelude::*;
use std::process::ExitCode;

use drun_ghippo::apis::users::ListUsersParams;

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    drun_e2e::exit_code("list-users", run().await)
}

async fn run() -> Result<(), String> {
    let client = drun_e2e::client_from_env()?;
    let page = client
        .ghippo()
        .users()
        .list_users(&ListUsersParams::default().set_page(1).set_page_size(10))
        .await
        .map_err(|e| e.to_string())?;
    let rows: Vec<[String; 5]> = page
        .items
        .iter()
        .map(|u| [u.id.clone(), u.name.clone(), u.email.clone(), u.source.clone(), u.enabled.to_string()])
        .collect();
    print!("{}", drun_e2e::table(&["ID", "NAME", "EMAIL", "SOURCE", "ENABLED"], &rows));
    let p = page.pagination.unwrap_or_default();
    println!("page {} of size {}, {} users in total", p.page, p.page_size, p.total);
    Ok(())
}

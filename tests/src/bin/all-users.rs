//! Prints every user of a d.run account, one line each, through the
//! pagination helper (`list_users_pages`): pages 1, 2, 3... until the total.
//!
//! ```text
//! DRUN_BASE_URL=https://console.d.run DRUN_ACCESS_KEY=... cargo run -p drun-e2e --bin all-users
//! ```
//!
//! Each line starts with the user's name, then the email and id, separated
//! by tabs; exits non-zero with a message on any error (after printing the
//! users read before it).

use std::process::ExitCode;

use drun_client::futures_util::StreamExt;
use drun_client::ghippo::apis::users::ListUsersParams;
use drun_client::prelude::*;

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    drun_e2e::exit_code("all-users", run().await)
}

async fn run() -> Result<(), String> {
    let client = drun_e2e::client_from_env()?;
    let mut users = client.ghippo().users().list_users_pages(&ListUsersParams::default()).items();
    let mut count = 0;
    while let Some(user) = users.next().await {
        let user = user.map_err(|e| e.to_string())?;
        println!("{}\t{}\t{}", user.name, user.email, user.id);
        count += 1;
    }
    eprintln!("{count} users");
    Ok(())
}

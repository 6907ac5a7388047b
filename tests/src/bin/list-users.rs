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

use drun_client::Client;
use drun_ghippo::apis::users::ListUsersParams;
use drun_ghippo::models::User;

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("list-users: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), String> {
    let base_url = env("DRUN_BASE_URL")?;
    let access_key = env("DRUN_ACCESS_KEY")?;
    let client = Client::builder(base_url)
        .bearer_token(access_key)
        .timeout(std::time::Duration::from_secs(30))
        .build()
        .map_err(|e| e.to_string())?;
    let page = client
        .ghippo()
        .users()
        .list_users(&ListUsersParams::default().page(1).page_size(10))
        .await
        .map_err(|e| e.to_string())?;
    print!("{}", table(&page.items));
    let p = page.pagination.unwrap_or_default();
    println!("page {} of size {}, {} users in total", p.page, p.page_size, p.total);
    Ok(())
}

fn env(name: &str) -> Result<String, String> {
    std::env::var(name).map_err(|_| format!("set {name} (see README.md)"))
}

/// The users as an aligned text table.
fn table(users: &[User]) -> String {
    let header = ["ID", "NAME", "EMAIL", "SOURCE", "ENABLED"];
    let rows: Vec<[String; 5]> = users
        .iter()
        .map(|u| [u.id.clone(), u.name.clone(), u.email.clone(), u.source.clone(), u.enabled.to_string()])
        .collect();
    let mut widths = header.map(|h| h.chars().count());
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    let mut line = |cells: &[&str]| {
        let padded: Vec<String> = cells.iter().zip(widths).map(|(c, w)| format!("{c:<w$}")).collect();
        out.push_str(padded.join("  ").trim_end());
        out.push('\n');
    };
    line(&header);
    for row in &rows {
        line(&row.each_ref().map(String::as_str));
    }
    out
}

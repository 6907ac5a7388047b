//! End-to-end tests of the generated clients live in `tests/`; the example
//! programs in `src/bin/`. This library holds what the examples share, and
//! compiles the Rust examples of the README and of `docs/client.md` as
//! doctests, so they cannot rot.
#![doc = include_str!("../../README.md")]

/// `docs/client.md`, compiled: its examples are doctests.
#[doc = include_str!("../../docs/client.md")]
pub mod client_guide {}

use drun_client::Client;

/// A client for `DRUN_BASE_URL` with the access key `DRUN_ACCESS_KEY`.
pub fn client_from_env() -> Result<Client, String> {
    let env = |name: &str| std::env::var(name).map_err(|_| format!("set {name} (see README.md)"));
    Client::builder(env("DRUN_BASE_URL")?)
        .bearer_token(env("DRUN_ACCESS_KEY")?)
        .timeout(std::time::Duration::from_secs(30))
        .build()
        .map_err(|e| e.to_string())
}

/// The exit status of an example program: success, or the reason on
/// standard error after the program's name.
pub fn exit_code(program: &str, result: Result<(), String>) -> std::process::ExitCode {
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{program}: {message}");
            std::process::ExitCode::FAILURE
        }
    }
}

/// Rows as an aligned text table under `header`.
pub fn table<const N: usize>(header: &[&str; N], rows: &[[String; N]]) -> String {
    let mut widths = header.map(|h| h.chars().count());
    for row in rows {
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
    line(header);
    for row in rows {
        line(&row.each_ref().map(String::as_str));
    }
    out
}

//! What the process tests of `drun` share: the binary, run with a key in
//! its environment, the base URL given, and no configuration file or
//! profile of the machine it runs on.

use std::process::Command;

/// The access key the tests give `drun`; no output may show it.
pub const KEY: &str = "k-secret-0123456789";

/// `drun` aimed at `base_url` with [`KEY`], isolated from the machine's
/// own configuration.
pub fn drun_command(base_url: &str) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_drun"));
    command
        .env("DRUN_BASE_URL", base_url)
        .env("DRUN_ACCESS_KEY", KEY)
        .env("DRUN_CONFIG", "/nonexistent/drun/config.toml")
        .env_remove("DRUN_PROFILE");
    command
}

//! Shell completion that costs nothing at start-up: the script a shell
//! sources is a few lines that run `drun` on each Tab, and `drun` answers
//! from the branch of the command tree the words so far name (clap's
//! `CompleteEnv`), with a body's field names for `--set`.

use std::ffi::OsString;
use std::io::Write as _;

use clap_complete::engine::{ArgValueCompleter, CompletionCandidate};
use clap_complete::env::{EnvCompleter, Shells};

use crate::commands::{self, Build};
use crate::fail::Failure;
use crate::fields;
use crate::table::{Body, ModuleTable};

/// The environment variable the scripts set when they ask for candidates.
const VAR: &str = "DRUN_COMPLETE";

/// The shells there are scripts for.
pub const SHELLS: [&str; 5] = ["bash", "zsh", "fish", "elvish", "powershell"];

/// How deep `--set` offers a body's fields: deep enough for
/// `spec.template.spec.replicas`, short of listing a Kubernetes object.
const FIELD_DEPTH: usize = 4;

/// If a completion script is asking (`DRUN_COMPLETE` set), prints the
/// candidates for the words after `--` and returns `true`.
pub fn answer(args: &[OsString]) -> bool {
    if std::env::var_os(VAR).is_none_or(|v| v.is_empty() || v == "0") {
        return false;
    }
    // `drun -- drun ghippo us`: the words being completed follow `--`.
    let typed: Vec<OsString> = args.iter().skip_while(|a| *a != "--").skip(1).cloned().collect();
    let words = commands::named_words(&typed);
    let completing = clap_complete::CompleteEnv::with_factory(|| commands::root(Build::Named(&words)))
        .var(VAR)
        .try_complete(args.iter().cloned(), std::env::current_dir().ok().as_deref());
    // A shell waiting on a Tab shows nothing rather than an error.
    completing.unwrap_or(true)
}

/// The script `shell` sources: it names `drun` on the `PATH`, so it does
/// not change when drun is updated in place.
pub fn script(shell: &str) -> Result<(), Failure> {
    let shells = Shells::builtins();
    let completer: &dyn EnvCompleter = shells
        .completer(shell)
        .ok_or_else(|| Failure::usage(format!("no completions for `{shell}`; the shells are {}", SHELLS.join(", "))))?;
    let mut out = Vec::new();
    completer
        .write_registration(VAR, "drun", "drun", "drun", &mut out)
        .and_then(|()| std::io::stdout().write_all(&out))
        .map_err(|e| Failure::config(format!("writing the script: {e}")))
}

/// Completes `--set`'s `PATH=` from the body's schema.
pub fn body_fields(module: &'static ModuleTable, body: &'static Body) -> ArgValueCompleter {
    ArgValueCompleter::new(move |current: &std::ffi::OsStr| {
        let current = current.to_string_lossy();
        if current.contains('=') {
            return Vec::new();
        }
        fields::paths(&module.schemas, &body.schema, FIELD_DEPTH)
            .into_iter()
            .filter(|(path, _)| path.starts_with(current.as_ref()))
            .map(|(path, kind)| CompletionCandidate::new(format!("{path}=")).help(Some(kind.into())))
            .collect()
    })
}

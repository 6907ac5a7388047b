//! `drun`: every operation of every d.run API module from the shell.
//!
//! The command tree comes from the generated table of operations
//! (`operations/`, one file per module, written by `cargo xtask generate`);
//! requests are built and sent by the same runtime as the Rust clients, and
//! answers checked against the same types. The rest is here:
//! `commands` (the clap tree), `access` (keys, profiles), `request` (values
//! to a request), `values` (what a value may be), `call` (sending, pages,
//! dry runs), `output` (formats), `fail` (errors and exit codes), `mcp`
//! and `search` (the MCP server for agents).

mod access;
mod body;
mod call;
mod commands;
mod fail;
mod mcp;
// Generated and laid out by the generator; the drift check compares it
// byte for byte.
#[rustfmt::skip]
mod operations;
mod output;
mod request;
mod search;
mod table;
mod values;

use std::ffi::OsString;
use std::process::ExitCode;

use clap::ArgMatches;

use crate::access::AccessFlags;
use crate::fail::Failure;

fn main() -> ExitCode {
    let args: Vec<OsString> = std::env::args_os().collect();
    let words = commands::named_words(&args);
    let matches = match commands::root(commands::Build::Named(&words)).try_get_matches_from(&args) {
        Ok(matches) => matches,
        Err(error) => {
            // Help and version go to stdout with 0; usage errors to
            // stderr with 2.
            let _ = error.print();
            return ExitCode::from(u8::try_from(error.exit_code()).unwrap_or(2));
        }
    };
    match run(&matches) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => failure.report(),
    }
}

fn run(matches: &ArgMatches) -> Result<(), Failure> {
    let flags = AccessFlags {
        profile: matches.get_one::<String>("profile").cloned(),
        base_url: matches.get_one::<String>("base-url").cloned(),
        cacert: matches.get_one::<std::path::PathBuf>("cacert").cloned(),
        insecure: matches.get_flag("insecure"),
    };
    let Some((name, sub)) = matches.subcommand() else { return Err(Failure::usage("no command")) };
    match name {
        "completions" => {
            let shell = *sub.get_one::<clap_complete::Shell>("shell").ok_or_else(|| Failure::usage("no shell"))?;
            let mut tree = commands::root(commands::Build::Everything);
            clap_complete::generate(shell, &mut tree, "drun", &mut std::io::stdout());
            Ok(())
        }
        "configure" => call::configure(&flags, sub),
        "mcp" => {
            let settings = mcp::Settings {
                allow_writes: sub.get_flag("allow-writes"),
                modules: sub.get_many::<String>("module").map(|m| m.cloned().collect()).unwrap_or_default(),
            };
            mcp::run(&access::resolve(&flags)?, settings)
        }
        module => {
            let module = table::module(module).ok_or_else(|| Failure::usage(format!("no module `{module}`")))?;
            let (tag_name, tag_matches) = sub.subcommand().ok_or_else(|| Failure::usage("no tag"))?;
            let tag = module.tags.iter().find(|t| t.name == tag_name).ok_or_else(|| Failure::usage("no such tag"))?;
            let (op_name, op_matches) = tag_matches.subcommand().ok_or_else(|| Failure::usage("no operation"))?;
            let op =
                tag.operations.iter().find(|o| o.name == op_name).ok_or_else(|| Failure::usage("no such operation"))?;
            let command = format!("{} {} {}", module.name, tag.name, op.name);
            let options = call::Options {
                access: flags,
                format: output::Format::parse(matches.get_one::<String>("output").map(String::as_str)),
                columns: matches.get_many::<String>("columns").map(|c| c.cloned().collect()).unwrap_or_default(),
                dry_run: matches.get_flag("dry-run"),
                verbose: matches.get_flag("verbose"),
                all: op.paging.is_some() && op_matches.get_flag("all"),
            };
            let inputs = request::Inputs::read(op, op_matches)?;
            call::run(&command, tag.title, op, &inputs, &options)
        }
    }
}

//! The command tree, `drun <module> <tag> <operation>`, built with clap from
//! the table of operations.
//!
//! Only the branch the command line names is built in full: the modules
//! are listed, but only the named module's tags, the named tag's
//! operations and the named operation's arguments are made. Building all
//! 3,385 operations' commands would cost every start-up several
//! milliseconds for nothing; completions, too, build only the branch typed so far.

use std::ffi::OsString;
use std::fmt::Write as _;

use clap::builder::{PossibleValuesParser, TypedValueParser as _};
use clap::{Arg, ArgAction, Command};

use crate::complete;
use crate::table::{self, Kind, Location, ModuleTable, Operation, Param};

/// The options every command takes. Values of those that take one are
/// skipped when the command line is scanned for the module, tag and
/// operation it names.
pub const GLOBAL_WITH_VALUE: &[&str] = &["--profile", "--base-url", "--cacert", "--output", "-o", "--columns", "--jq"];

/// How output is written.
pub const OUTPUT_FORMATS: [&str; 4] = ["json", "yaml", "table", "ndjson"];

/// Which branch of the tree to build.
#[derive(Debug, Clone, Copy)]
pub enum Build<'a> {
    /// The words the command line names (module, tag, operation).
    Named(&'a [String]),
    /// Every command, for the tree's own check.
    #[cfg(test)]
    Everything,
}

/// The words before the first option that are not values of global
/// options: `["ghippo", "users", "list-users"]`.
pub fn named_words(args: &[OsString]) -> Vec<String> {
    let mut words = Vec::new();
    let mut iter = args.iter().skip(1).map(|a| a.to_string_lossy());
    while let Some(arg) = iter.next() {
        if arg == "--" {
            break;
        }
        if GLOBAL_WITH_VALUE.contains(&arg.as_ref()) {
            iter.next();
            continue;
        }
        if arg.starts_with('-') {
            continue;
        }
        words.push(arg.into_owned());
        if words.len() == 3 {
            break;
        }
    }
    words
}

/// The root command, with the branch `build` asks for.
pub fn root(build: Build<'_>) -> Command {
    let named = |level: usize| match build {
        Build::Named(words) => words.get(level).map(String::as_str),
        #[cfg(test)]
        Build::Everything => None,
    };
    #[cfg(test)]
    let everything = matches!(build, Build::Everything);
    #[cfg(not(test))]
    let everything = false;
    let mut root = Command::new("drun")
        .version(env!("CARGO_PKG_VERSION"))
        .about("Every operation of every d.run API module, from the shell")
        .long_about(LONG_ABOUT)
        .after_help(AFTER_HELP)
        .subcommand_required(true)
        .arg_required_else_help(true)
        .args(global_args())
        .subcommand(configure())
        .subcommand(completions())
        .subcommand(mcp());
    for entry in table::entries() {
        let mut command = Command::new(entry.name)
            .about(entry.about())
            .subcommand_required(true)
            .arg_required_else_help(true)
            .subcommand_value_name("TAG")
            .subcommand_help_heading("Tags");
        if everything || named(0) == Some(entry.name) {
            for tag in &entry.module().tags {
                let mut tag_command = Command::new(tag.name.as_str())
                    .about(if tag.about.is_empty() { tag.title.as_str() } else { tag.about.as_str() })
                    .subcommand_required(true)
                    .arg_required_else_help(true)
                    .subcommand_value_name("OPERATION")
                    .subcommand_help_heading("Operations");
                if everything || named(1) == Some(tag.name.as_str()) {
                    for op in &tag.operations {
                        let full = everything || named(2) == Some(op.name.as_str());
                        tag_command = tag_command.subcommand(operation(entry.module(), op, full));
                    }
                }
                command = command.subcommand(tag_command);
            }
        }
        root = root.subcommand(command);
    }
    root
}

const LONG_ABOUT: &str = "Every operation of every d.run API module, from the shell.\n\n\
Commands are `drun <module> <tag> <operation>`, named as the Rust client's methods are, \
in kebab case: `drun ghippo users list-users --page-size 10`. Path parameters are \
positional, in the order of the path; query and header parameters are flags; a request \
body is `--body '<json>'`, `--body @file.json` or `--body -` (standard input), checked field by field \
against the document before it is sent; `--raw-body` sends it as given, for fields newer than the document.";

const AFTER_HELP: &str = "Access: DRUN_ACCESS_KEY and DRUN_BASE_URL, or a profile written by `drun configure` \
(--profile NAME).\nExit codes: 0 success, 1 configuration, 2 usage (nothing sent), 3 API error, \
4 transport (connection, TLS, timeout), 5 an answer not of the documented shape.";

fn global_args() -> Vec<Arg> {
    let args = vec![
        Arg::new("profile")
            .long("profile")
            .global(true)
            .value_name("NAME")
            .help("Use this profile of the configuration file (see `drun configure`)"),
        Arg::new("base-url")
            .long("base-url")
            .global(true)
            .value_name("URL")
            .help("The d.run console's URL [default: DRUN_BASE_URL, the profile's, or https://console.d.run]"),
        Arg::new("cacert")
            .long("cacert")
            .global(true)
            .value_name("FILE")
            .value_parser(clap::value_parser!(std::path::PathBuf))
            .help(
                "Trust the certificates in this PEM file: a private CA, or the server's own self-signed certificate \
                 [default: DRUN_CA_BUNDLE, or the profile's]",
            ),
        Arg::new("insecure")
            .long("insecure")
            .short('k')
            .global(true)
            .action(ArgAction::SetTrue)
            .help("Accept any server certificate, as `curl -k` does (dangerous: prefer --cacert)"),
        Arg::new("output")
            .long("output")
            .short('o')
            .global(true)
            .value_name("FORMAT")
            .value_parser(PossibleValuesParser::new(OUTPUT_FORMATS))
            .help("How to write the answer [default: json, pretty on a terminal, compact otherwise]"),
        Arg::new("columns")
            .long("columns")
            .global(true)
            .value_name("NAMES")
            .value_delimiter(',')
            .help("With --output table: the columns, by field name (`name,email`)"),
        Arg::new("jq").long("jq").global(true).value_name("EXPR").help(
            "Keep what this jq expression gives of the answer (of each item with --all); works with every --output",
        ),
        Arg::new("dry-run")
            .long("dry-run")
            .global(true)
            .action(ArgAction::SetTrue)
            .help("Print the request as a curl command (the key as $DRUN_ACCESS_KEY) and send nothing"),
        Arg::new("verbose")
            .long("verbose")
            .short('v')
            .global(true)
            .action(ArgAction::SetTrue)
            .help("Print the request line and the answer's status on stderr (never the key)"),
    ];
    args.into_iter().map(|a| a.help_heading("Global options")).collect()
}

fn configure() -> Command {
    Command::new("configure")
        .about("Write a profile (base URL and access key) to the configuration file")
        .long_about(
            "Write a profile (base URL and access key) to the configuration file, readable by its owner only: \
             DRUN_CONFIG, or $XDG_CONFIG_HOME/drun/config.toml, or ~/.config/drun/config.toml. The access key is \
             read from standard input (a prompt on a terminal, without echo), never from an argument, so it stays \
             out of shell history.",
        )
        .arg(
            Arg::new("cacert-file")
                .long("profile-cacert")
                .value_name("FILE")
                .help("A PEM file of certificates this profile trusts"),
        )
        .arg(
            Arg::new("profile-insecure")
                .long("profile-insecure")
                .action(ArgAction::SetTrue)
                .help("This profile accepts any certificate (curl -k)"),
        )
}

fn mcp() -> Command {
    Command::new("mcp")
        .about("Serve the API to agents over the Model Context Protocol (stdio); read-only unless --allow-writes")
        .arg(
            Arg::new("allow-writes")
                .long("allow-writes")
                .action(ArgAction::SetTrue)
                .help("Also call operations that change data (POST, PUT, PATCH, DELETE)"),
        )
        .arg(
            Arg::new("module")
                .long("module")
                .value_name("MODULE")
                .action(ArgAction::Append)
                .help("Serve only this module (repeat for several; default: all)"),
        )
        .arg(
            Arg::new("max-result-bytes")
                .long("max-result-bytes")
                .value_name("BYTES")
                .value_parser(clap::value_parser!(usize))
                .help("Cap on a call's result, in bytes of JSON (default 16384, at most 1 MiB): longer lists are cut, with a note"),
        )
}

fn completions() -> Command {
    Command::new("completions")
        .about("Print a shell completion script: a few lines that ask drun for candidates on each Tab")
        .arg(
            Arg::new("shell")
                .required(true)
                .value_parser(PossibleValuesParser::new(complete::SHELLS))
                .help("The shell: bash, zsh, fish, elvish or powershell"),
        )
}

/// An operation's command; `full`: with its arguments and help.
fn operation(module: &'static ModuleTable, op: &'static Operation, full: bool) -> Command {
    let about = if op.summary.is_empty() { op.id.as_str() } else { op.summary.as_str() };
    let mut command = Command::new(op.name.as_str()).about(about);
    if op.deprecated {
        command = command.about(format!("[deprecated] {about}"));
    }
    if !full {
        return command;
    }
    let mut long = String::new();
    if !op.summary.is_empty() {
        long.push_str(&op.summary);
        long.push_str("\n\n");
    }
    if !op.description.is_empty() && op.description != op.summary {
        long.push_str(&op.description);
        long.push_str("\n\n");
    }
    let _ = write!(long, "{} {}  (operation {})", op.method.as_str(), op.path, op.id);
    if op.deprecated {
        long.push_str("\nDeprecated in the document.");
    }
    command = command.long_about(long).after_help(after_help(op));
    for p in op.path_params() {
        command = command.arg(path_arg(p));
    }
    for p in op.flags() {
        command = command.arg(flag_arg(p));
    }
    if let Some(body) = &op.body {
        command = command
            .arg(Arg::new("body").long("body").required_unless_present_any(["raw-body", "set", "body-template"]).value_name("JSON|@FILE|-").help(format!(
                "The request body, a {} ({}): JSON text, @file, or - for stdin; checked field by field before it is sent",
                body.type_name, body.media_type
            )))
            .arg(
                Arg::new("raw-body")
                    .long("raw-body")
                    .value_name("JSON|@FILE|-")
                    .conflicts_with_all(["body", "set"])
                    .help("Instead of --body: send the body exactly as given, unchecked (fields the document does not know)"),
            )
            .arg(
                Arg::new("set")
                    .long("set")
                    .value_name("PATH=VALUE")
                    .action(ArgAction::Append)
                    .help("Set one body field, typed by the body's schema, over --body: `spec.replicas=3`, `labels.team=a`, `tags[]=x`, `ports[0].port=80`")
                    .add(complete::body_fields(module, body)),
            )
            .arg(
                Arg::new("body-template")
                    .long("body-template")
                    .action(ArgAction::SetTrue)
                    .help("Print a skeleton of the body (every field at its zero value) to edit, and send nothing"),
            );
    }
    if let table::Answer::Stream { .. } = op.answer {
        command = command
            .arg(
                Arg::new("max-messages")
                    .long("max-messages")
                    .value_name("N")
                    .value_parser(clap::value_parser!(u64).range(1..))
                    .help("Stop after N messages (the stream's messages are printed one per line as each arrives)"),
            )
            .arg(
                Arg::new("idle-timeout")
                    .long("idle-timeout")
                    .value_name("SECONDS")
                    .value_parser(clap::value_parser!(u64))
                    .help("Stop with an error after SECONDS without a message; 0: wait for ever (default: the request timeout, 60)"),
            );
    }
    if op.paging.is_some() {
        command = command.arg(
            Arg::new("all")
                .long("all")
                .action(ArgAction::SetTrue)
                .help("Follow every page and print all items (a JSON array; one per line with --output ndjson)"),
        );
    }
    command
}

fn after_help(op: &Operation) -> String {
    let answer = match &op.answer {
        table::Answer::Json { type_name, .. } => format!("Answers with a {type_name} (JSON)."),
        table::Answer::Text => "Answers with text.".to_owned(),
        table::Answer::Bytes => "Answers with a file (bytes, written to stdout as they come).".to_owned(),
        table::Answer::Empty => "Answers with nothing.".to_owned(),
        table::Answer::Stream { .. } => "Answers with a stream of messages: each is printed as one line of JSON as it \
            arrives, until the server ends the stream, --max-messages, or Ctrl-C (exit code 130)."
            .to_owned(),
    };
    match &op.paging {
        Some(p) => {
            format!("{answer} A paged list: --all follows `{}` from 1 ({} 100 unless set).", p.page, p.page_size)
        }
        None => answer,
    }
}

fn path_arg(p: &'static Param) -> Arg {
    Arg::new(p.flag.as_str())
        .value_name(p.name.as_str())
        .required(true)
        .help(param_help(p, true))
        .value_parser(clap::builder::StringValueParser::new().try_map(move |text| crate::values::check(p, &text)))
}

fn flag_arg(p: &'static Param) -> Arg {
    let mut arg = Arg::new(p.flag.as_str())
        .long(p.flag.as_str())
        .value_name(kind_name(p.kind))
        .required(p.required)
        .help(param_help(p, false));
    if p.list.is_some() {
        arg = arg.action(ArgAction::Append);
    }
    if !p.values.is_empty() {
        return arg.value_parser(PossibleValuesParser::new(p.values.iter().map(String::as_str)));
    }
    if p.kind == Kind::Bool {
        return arg.value_parser(PossibleValuesParser::new(["true", "false"]));
    }
    arg.value_parser(clap::builder::StringValueParser::new().try_map(move |text| crate::values::check(p, &text)))
}

fn param_help(p: &Param, positional: bool) -> String {
    let mut help = p.description.clone();
    let mut facts = Vec::new();
    if !positional {
        let place = if p.location == Location::Header { "header" } else { "query" };
        facts.push(format!("{place} `{}`", p.name));
    }
    facts.push(kind_name(p.kind).to_ascii_lowercase());
    match p.list {
        Some(table::List::Repeat) if !positional => facts.push("repeat the flag for several".to_owned()),
        Some(_) => facts.push("several joined by commas".to_owned()),
        None => {}
    }
    if !help.is_empty() {
        help.push(' ');
    }
    help.push('[');
    help.push_str(&facts.join(", "));
    help.push(']');
    help
}

/// The value name that says what a value is.
pub fn kind_name(kind: Kind) -> &'static str {
    match kind {
        Kind::Text => "TEXT",
        Kind::Bool => "BOOL",
        Kind::I32 => "INT32",
        Kind::I64 => "INT64",
        Kind::U32 => "UINT32",
        Kind::U64 => "UINT64",
        Kind::Float => "NUMBER",
        Kind::Object | Kind::DeepObject => "JSON",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_flag_is_clear_of_the_global_options() {
        let global: Vec<String> = global_args()
            .iter()
            .filter_map(|a| a.get_long().map(str::to_owned))
            .chain(["help", "version", "body", "raw-body", "set", "body-template", "all"].map(str::to_owned))
            .collect();
        for module in table::all_modules() {
            for tag in &module.tags {
                for op in &tag.operations {
                    for p in op.flags() {
                        assert!(!global.contains(&p.flag), "{} {} {}: --{}", module.name, tag.name, op.name, p.flag);
                    }
                }
            }
        }
    }

    #[test]
    fn the_whole_tree_is_a_valid_clap_command() {
        // clap's own checks: unique names, unique flags, positional order.
        root(Build::Everything).debug_assert();
    }

    #[test]
    fn named_words_skip_global_values() {
        let args: Vec<OsString> =
            ["drun", "--profile", "p", "-o", "table", "ghippo", "--verbose", "users", "list-users", "--page", "1"]
                .map(OsString::from)
                .to_vec();
        assert_eq!(named_words(&args), ["ghippo", "users", "list-users"]);
    }
}

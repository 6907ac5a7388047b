//! Why a command failed, as one line on stderr, and its exit code.

use std::fmt::Write as _;
use std::process::ExitCode;

/// The exit codes, one per kind of failure (the README lists them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Configuration or local I/O: a missing key, an unreadable file.
    Config = 1,
    /// The command line is wrong: a bad flag value, a missing parameter,
    /// a body that does not fit its type. Nothing was sent.
    Usage = 2,
    /// The server answered with an error status.
    Api = 3,
    /// The request did not complete: connection, TLS, timeout.
    Transport = 4,
    /// The server's answer does not have the documented shape.
    Decode = 5,
    /// Stopped by Ctrl-C (128 + SIGINT, as shells report it).
    Interrupted = 130,
}

/// A failure to report.
#[derive(Debug)]
pub struct Failure {
    /// Its exit code.
    pub exit: Exit,
    /// One line, without the `drun: ` prefix.
    pub message: String,
    /// For a body field its type does not have: the type's fields (the
    /// MCP server lists them, so that an agent can correct itself).
    pub known_fields: Vec<String>,
}

impl Failure {
    /// A configuration or I/O failure.
    pub fn config(message: impl Into<String>) -> Self {
        Self { exit: Exit::Config, message: message.into(), known_fields: Vec::new() }
    }

    /// Stopped by Ctrl-C while reading a stream, after `seen` messages.
    pub fn interrupted(command: &str, seen: u64) -> Self {
        let message = format!("{command}: interrupted after {seen} messages");
        Self { exit: Exit::Interrupted, message, known_fields: Vec::new() }
    }

    /// A usage error: nothing was sent.
    pub fn usage(message: impl Into<String>) -> Self {
        Self { exit: Exit::Usage, message: message.into(), known_fields: Vec::new() }
    }

    /// A body that does not fit its type (`flag` is `--body` or
    /// `--raw-body`): a usage error, nothing was sent.
    pub fn body(flag: &str, type_name: &str, mismatch: crate::schema::Mismatch) -> Self {
        let message = if mismatch.path.is_empty() {
            format!("{flag} is not a {type_name}: {}", mismatch.message)
        } else {
            format!("{flag}: {mismatch}")
        };
        Self { exit: Exit::Usage, message, known_fields: mismatch.known }
    }

    /// A client error, in one line led by the command that failed
    /// (`ghippo users get-user`): the HTTP status, the server's message and
    /// the request id for API errors, the cause in plain words for the rest.
    pub fn from_client(command: &str, error: &drun_runtime::Error) -> Self {
        use drun_runtime::Error as E;
        let (exit, message) = match error {
            E::Api(api) => {
                let mut line = format!("{command}: HTTP {}", api.status);
                let said = api
                    .body
                    .as_ref()
                    .map(|s| s.message.trim())
                    .filter(|m| !m.is_empty())
                    .map_or_else(|| one_line(&api.text), str::to_owned);
                if !said.is_empty() {
                    line.push_str(": ");
                    line.push_str(&said);
                }
                if let Some(id) = api.request_id() {
                    let _ = write!(line, " (request id {id})");
                }
                (Exit::Api, line)
            }
            E::Transport { .. } | E::Stream { .. } => {
                (Exit::Transport, format!("{command}: {}", for_the_shell(&strip_operation(error))))
            }
            E::Decode { .. } => (Exit::Decode, format!("{command}: {}", strip_operation(error))),
            E::InvalidRequest { .. } | E::Encode { .. } => {
                (Exit::Usage, format!("{command}: {}", strip_operation(error)))
            }
            _ => (Exit::Config, format!("{command}: {error}")),
        };
        Self { exit, message, known_fields: Vec::new() }
    }

    /// Prints the line and gives the exit code.
    pub fn report(&self) -> ExitCode {
        eprintln!("drun: {}", self.message);
        ExitCode::from(self.exit as u8)
    }
}

/// The runtime's message without its leading `<operation id>: `, which the
/// command replaces.
/// The runtime's advice names the builder methods a program calls; at the
/// shell the same trust is a flag.
fn for_the_shell(message: &str) -> String {
    message
        .replace(
            "trust exactly that certificate with `ClientBuilder::trust_server_certificate_pem`",
            "pass that certificate with `--cacert FILE`",
        )
        .replace(
            "add its CA with `ClientBuilder::add_root_certificate_pem`, or trust a self-signed server certificate with \
             `ClientBuilder::trust_server_certificate_pem`",
            "pass its CA's certificate, or the server's own self-signed one, with `--cacert FILE` \
             (`openssl s_client -showcerts -connect HOST:443` prints it)",
        )
}

fn strip_operation(error: &drun_runtime::Error) -> String {
    let text = error.to_string();
    text.split_once(": ").map_or(text.clone(), |(_, rest)| rest.to_owned())
}

/// At most 200 characters of `text`, on one line.
fn one_line(text: &str) -> String {
    let mut out = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if let Some((cut, _)) = out.char_indices().nth(200) {
        out.truncate(cut);
        out.push('…');
    }
    out
}

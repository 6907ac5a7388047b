//! `drun-generate`: a typed Rust client crate from any Swagger 2.0 or
//! `OpenAPI` 3.0/3.1 document, the crate `cargo xtask generate --spec DOC
//! --out DIR` writes, byte for byte, for the same arguments.
//!
//! ```text
//! drun-generate --spec petstore.yaml --out petstore-client [--crate-name NAME]
//!               [--config generator.yaml] [--runtime-path PATH] [--check]
//! ```

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use drun_generator::workflow::{self, Mode, Repository};
use drun_generator::{Config, Previous};

const USAGE: &str = "usage: drun-generate --spec DOCUMENT --out FOLDER [--crate-name NAME] [--config CONFIG.yaml] \
[--runtime-path PATH] [--check]

Writes a Rust client crate for the API DOCUMENT (Swagger 2.0 or OpenAPI 3.0/3.1, JSON or YAML) into FOLDER.
  --crate-name NAME     the crate's package name (default: the configuration's, or `api-client`)
  --config FILE         generator settings (YAML): crate name, description, renames, secrets, pagination...
  --runtime-path PATH   depend on drun-runtime at this path instead of by version from crates.io
  --check               write nothing; exit 1 with a diff when FOLDER is not what would be written";

/// The command line, read by hand: six flags need no parser crate.
#[derive(Default)]
struct Args {
    spec: Option<PathBuf>,
    out: Option<PathBuf>,
    crate_name: Option<String>,
    config: Option<PathBuf>,
    runtime_path: Option<String>,
    check: bool,
}

fn parse(mut args: impl Iterator<Item = String>) -> Result<Args, String> {
    let mut parsed = Args::default();
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or_else(|| format!("{name} needs a value"));
        match arg.as_str() {
            "--spec" => parsed.spec = Some(value("--spec")?.into()),
            "--out" => parsed.out = Some(value("--out")?.into()),
            "--crate-name" => parsed.crate_name = Some(value("--crate-name")?),
            "--config" => parsed.config = Some(value("--config")?.into()),
            "--runtime-path" => parsed.runtime_path = Some(value("--runtime-path")?),
            "--check" => parsed.check = true,
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    Ok(parsed)
}

fn run(args: Args) -> Result<bool, String> {
    let (mut config, config_dir) = match &args.config {
        Some(path) => {
            let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            let config = Config::from_yaml(&text).map_err(|e| e.in_file(&path.display().to_string()).to_string())?;
            (config, path.parent().map(Path::to_path_buf).unwrap_or_default())
        }
        None => (Config::default(), PathBuf::from(".")),
    };
    if let Some(name) = args.crate_name {
        config.crate_name = name;
    }
    if args.runtime_path.is_some() {
        config.runtime_path = args.runtime_path;
    }
    let spec = args.spec.or_else(|| config.spec_path(&config_dir)).ok_or("no document: pass --spec")?;
    let out = args.out.or_else(|| config.out_path(&config_dir)).ok_or("no output folder: pass --out")?;
    let bytes = std::fs::read(&spec).map_err(|e| format!("cannot read {}: {e}", spec.display()))?;
    let here = std::env::current_dir().map_err(|e| format!("no current folder: {e}"))?;
    let repo = Repository::without_history(&here);
    let display_path =
        repo.relative(&spec).or_else(|| spec.file_name().map(|f| f.to_string_lossy().into_owned())).unwrap_or_default();
    let previous = Previous::read(&out);
    let module = drun_generator::vendored::VendoredModule { config, display_path, bytes, out, previous };
    let mode = if args.check { Mode::Check } else { Mode::Write };
    let run = workflow::generate_module(&repo, module, mode).map_err(|e| e.to_string())?;
    print!("{}", run.summary());
    for line in run.problems() {
        eprintln!("{line}");
    }
    Ok(run.is_clean())
}

fn main() -> ExitCode {
    let args = match parse(std::env::args().skip(1)) {
        Ok(args) => args,
        Err(why) if why.is_empty() => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(why) => {
            eprintln!("drun-generate: {why}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match run(args) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(why) => {
            eprintln!("drun-generate: {why}");
            ExitCode::FAILURE
        }
    }
}

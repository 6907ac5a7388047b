//! Prism, the request-validating mock server of the conformance suite:
//! installed from the pinned `tools/prism` lockfile, started on a free
//! loopback port, and stopped when its handle is dropped, including when a
//! test fails or the task errors out.

use std::fs;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result, anyhow, bail};
use serde_json::Value;

/// A running Prism; killed on drop.
pub struct Prism {
    child: Child,
    /// `http://127.0.0.1:<port>`.
    pub url: String,
}

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Installs Prism with `npm ci` unless the pinned version is already there;
/// returns the path of its executable.
pub fn install(root: &Path) -> Result<PathBuf> {
    let dir = root.join("tools/prism");
    let bin = dir.join("node_modules/.bin/prism");
    let installed = dir.join("node_modules/@stoplight/prism-cli/package.json");
    let pinned = fs::read_to_string(dir.join("package.json")).context("tools/prism/package.json")?;
    let wanted = serde_json::from_str::<Value>(&pinned)
        .ok()
        .and_then(|v| v["dependencies"]["@stoplight/prism-cli"].as_str().map(str::to_owned))
        .context("tools/prism/package.json does not pin @stoplight/prism-cli")?;
    let have = fs::read_to_string(&installed)
        .ok()
        .and_then(|t| serde_json::from_str::<Value>(&t).ok())
        .and_then(|v| v["version"].as_str().map(str::to_owned));
    if have.as_deref() != Some(wanted.as_str()) || !bin.exists() {
        eprintln!("==> installing Prism {wanted} (npm ci in tools/prism)");
        npm_ci(root, "tools/prism")?;
    }
    Ok(bin)
}

/// `npm ci` in `dir` (relative to the repository), quietly; for tools
/// pinned by a lockfile.
pub fn npm_ci(root: &Path, dir: &str) -> Result<()> {
    let status = Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
        // Prism's packages would otherwise report installs to a third party.
        .env("SCARF_ANALYTICS", "false")
        .current_dir(root.join(dir))
        .status()
        .context("cannot run npm (is Node.js installed?)")?;
    if status.success() { Ok(()) } else { Err(anyhow!("npm ci in {dir} failed ({status})")) }
}

/// A copy of the document for Prism to serve, adapted where the document
/// and the grpc-gateway wire disagree, or where Prism cannot follow it:
/// 64-bit integers (`type: integer` or `string`, `format: int64`) are
/// strings of digits on the wire, so they become `type: string` with a
/// digits `pattern` (Prism's faker would otherwise answer with words, and
/// its validator reject the strings protojson sends); `format: date-time`
/// and `date` are dropped, as the suite's sample strings are not dates.
/// And a `required` list in a schema without `properties` (a map, or a
/// scalar: protoc-gen-openapiv2 copies a field's own name into it) is
/// dropped, as no property can satisfy it.
/// Nothing else changes, and the vendored file is not touched.
pub fn prepare_spec(spec: &Path, out_dir: &Path) -> Result<PathBuf> {
    let text = fs::read_to_string(spec).with_context(|| format!("cannot read {}", spec.display()))?;
    let mut doc: Value = serde_json::from_str(&text).with_context(|| format!("invalid JSON in {}", spec.display()))?;
    adapt_for_prism(&mut doc);
    fs::create_dir_all(out_dir).with_context(|| format!("cannot create {}", out_dir.display()))?;
    let path = out_dir.join("spec-for-prism.json");
    fs::write(&path, doc.to_string()).with_context(|| format!("cannot write {}", path.display()))?;
    Ok(path)
}

fn adapt_for_prism(v: &mut Value) {
    match v {
        Value::Object(m) => {
            // `required` names properties; a map or a scalar has none.
            let scalar =
                matches!(m.get("type").and_then(Value::as_str), Some("string" | "integer" | "number" | "boolean"));
            let map = m.contains_key("additionalProperties") && !m.contains_key("properties");
            if (scalar || map) && m.get("required").is_some_and(Value::is_array) {
                m.remove("required");
            }
            let int64 = matches!(m.get("format").and_then(Value::as_str), Some("int64" | "uint64"));
            match m.get("type").and_then(Value::as_str) {
                // grpc-gateway reads and writes 64-bit integers as strings,
                // whatever type the document gives them.
                Some("string" | "integer") if int64 => {
                    m.insert("type".to_owned(), Value::String("string".to_owned()));
                    m.entry("pattern").or_insert_with(|| Value::String("^[1-9][0-9]{0,14}$".to_owned()));
                }
                // The suite's sample strings are not dates; the client sends
                // whatever text the caller gives.
                Some("string") if matches!(m.get("format").and_then(Value::as_str), Some("date-time" | "date")) => {
                    m.remove("format");
                }
                _ => {}
            }
            m.values_mut().for_each(adapt_for_prism);
        }
        Value::Array(a) => a.iter_mut().for_each(adapt_for_prism),
        _ => {}
    }
}

/// Starts `prism mock --dynamic --seed <seed>` on a free loopback port and
/// waits until it accepts connections.
pub fn start(bin: &Path, spec: &Path, seed: u32, log_dir: &Path) -> Result<Prism> {
    let port =
        TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).context("no free port")?;
    let log_path = log_dir.join(format!("prism-seed-{seed}.log"));
    let log = fs::File::create(&log_path).with_context(|| format!("cannot create {}", log_path.display()))?;
    let err_log = log.try_clone()?;
    let child = Command::new(bin)
        .args(["mock", "--dynamic", "--seed", &seed.to_string(), "--host", "127.0.0.1", "--port", &port.to_string()])
        .arg(spec)
        .env("SCARF_ANALYTICS", "false")
        .stdin(Stdio::null())
        .stdout(log)
        .stderr(err_log)
        .spawn()
        .context("cannot start Prism")?;
    let mut prism = Prism { child, url: format!("http://127.0.0.1:{port}") };
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(120) {
        if let Ok(Some(status)) = prism.child.try_wait() {
            let log = fs::read_to_string(&log_path).unwrap_or_default();
            bail!("Prism exited ({status}) before listening:\n{log}");
        }
        if TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_ok() {
            eprintln!(
                "==> Prism (seed {seed}) listening on {} after {:.1} s",
                prism.url,
                started.elapsed().as_secs_f64()
            );
            return Ok(prism);
        }
        std::thread::sleep(Duration::from_millis(250));
    }
    let _ = prism.child.kill();
    Err(anyhow!("Prism did not listen on port {port} within 120 s; see {}", log_path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn int64_schemas_become_digit_strings() {
        let mut doc = serde_json::json!({"a": {"type": "string", "format": "int64"}, "b": {"type": "integer", "format": "int64"}, "c": {"type": "string"}, "d": {"type": "integer", "format": "int32"}});
        adapt_for_prism(&mut doc);
        assert!(doc["a"]["pattern"].is_string());
        assert_eq!(doc["b"]["type"], "string");
        assert!(doc["b"]["pattern"].is_string());
        assert!(doc["c"].get("pattern").is_none());
        assert_eq!(doc["d"]["type"], "integer");
    }

    #[test]
    fn required_lists_are_dropped_only_where_no_property_can_satisfy_them() {
        let mut doc = serde_json::json!({
            "map": {"type": "object", "additionalProperties": {"type": "string"}, "required": ["m"]},
            "scalar": {"type": "string", "format": "int64", "required": ["scalar"]},
            "object": {"type": "object", "properties": {"a": {"type": "string"}}, "required": ["a"]}
        });
        adapt_for_prism(&mut doc);
        assert!(doc["map"].get("required").is_none());
        assert!(doc["scalar"].get("required").is_none());
        assert_eq!(doc["object"]["required"], serde_json::json!(["a"]));
    }
}

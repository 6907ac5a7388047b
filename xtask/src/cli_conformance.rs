//! The command line's conformance suite: every operation of every module
//! run through the built `drun` binary, as a process, against the Prism
//! servers of the client suite, with the same sample values. Prism must
//! accept each request (it answers 422 with `sl-violations` when a request
//! breaks the document), `drun` must succeed, and what it prints must be
//! the JSON Prism sent: a recording proxy between the two keeps Prism's
//! answer to compare with.
//!
//! Then the MCP server, `drun mcp`, driven by the official MCP Python SDK
//! (`tools/mcp-client`, installed here in a virtual environment) over
//! every `GET` operation of three modules.

use std::collections::BTreeMap;
use std::io::{BufReader, Write as _};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use anyhow::{Context as _, Result, bail};

/// How many `drun` processes run at once.
const WORKERS: usize = 6;

/// Runs the suite for the modules served at `urls` (module -> Prism URL).
pub fn run(root: &Path, urls: &BTreeMap<String, String>) -> Result<()> {
    let started = Instant::now();
    let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
        // The command line's own tests need `target/debug/drun`: building
        // them builds it, with the features the conformance suite used.
        .args(crate::test::WORKSPACE_WITH_CONFORMANCE)
        .args(["--no-run", "--test", "behaviour"])
        .current_dir(root)
        .status()
        .context("cannot run cargo")?;
    if !status.success() {
        bail!("cannot build drun");
    }
    let drun = root.join("target/debug/drun");
    let mut jobs = Vec::new();
    let mut mcp_plans = Vec::new();
    for module in drun_generator::vendored::load_all(&root.join(crate::FAMILY))? {
        let Some(url) = urls.get(&module.name()) else { continue };
        let calls = drun_generator::conformance::cli_calls(&module.source(), &module.config, &module.previous)?;
        let module = module.name();
        if MCP_MODULES.contains(&module.as_str()) {
            let plan: Vec<serde_json::Value> = calls
                .iter()
                .map(|c| serde_json::json!({"operation": c.operation, "method": c.method, "mcp": c.mcp}))
                .collect();
            mcp_plans.push(serde_json::json!({"module": module, "url": url, "calls": plan}));
        }
        jobs.extend(calls.into_iter().map(|call| (module.clone(), url.clone(), call)));
    }
    let total = jobs.len();
    let queue = Arc::new(Mutex::new(jobs));
    let failures = Arc::new(Mutex::new(Vec::<String>::new()));
    std::thread::scope(|scope| {
        for _ in 0..WORKERS {
            let (queue, failures, drun) = (Arc::clone(&queue), Arc::clone(&failures), &drun);
            scope.spawn(move || {
                let Ok(proxy) = Proxy::start() else {
                    failures
                        .lock()
                        .unwrap_or_else(std::sync::PoisonError::into_inner)
                        .push("cannot start a proxy".to_owned());
                    return;
                };
                loop {
                    let job = queue.lock().unwrap_or_else(std::sync::PoisonError::into_inner).pop();
                    let Some((module, url, call)) = job else { break };
                    if let Err(why) = check(drun, &proxy, &url, &call.args, call.stream) {
                        let line = format!("FAIL {module} {}: {why}", call.operation);
                        failures.lock().unwrap_or_else(std::sync::PoisonError::into_inner).push(line);
                    }
                }
            });
        }
    });
    let mut failures = std::mem::take(&mut *failures.lock().unwrap_or_else(std::sync::PoisonError::into_inner));
    failures.sort();
    for line in &failures {
        println!("{line}");
    }
    let conform = total - failures.len();
    println!("cli conformance: {conform} of {total} operations conform");
    eprintln!("==> cli conformance in {:.1} s", started.elapsed().as_secs_f64());
    if !failures.is_empty() {
        bail!("{} operations do not conform through drun", failures.len());
    }
    if mcp_plans.is_empty() {
        return Ok(());
    }
    mcp(root, &drun, &mcp_plans)
}

/// The modules whose every `GET` operation the MCP suite calls.
const MCP_MODULES: [&str; 3] = ["ghippo", "kpanda", "baize"];

/// Runs `tools/mcp-client/check.py` (the official MCP Python SDK, pinned)
/// against `drun mcp`, for each module planned.
fn mcp(root: &Path, drun: &Path, plans: &[serde_json::Value]) -> Result<()> {
    let started = Instant::now();
    let venv = root.join("target/tools/mcp-venv");
    let python = venv.join("bin/python");
    let requirements = root.join("tools/mcp-client/requirements.txt");
    let installed = venv.join("installed-requirements.txt");
    let wanted = std::fs::read_to_string(&requirements).context("cannot read tools/mcp-client/requirements.txt")?;
    if std::fs::read_to_string(&installed).ok().as_deref() != Some(wanted.as_str()) {
        eprintln!("==> installing the MCP Python SDK ({}) in target/tools/mcp-venv", wanted.trim());
        let created =
            Command::new("python3").arg("-m").arg("venv").arg(&venv).status().context("cannot run python3")?;
        let pip = Command::new(venv.join("bin/pip"))
            .args(["install", "--quiet", "--disable-pip-version-check", "-r"])
            .arg(&requirements)
            .status()
            .context("cannot run pip")?;
        if !created.success() || !pip.success() {
            bail!("cannot install the MCP Python SDK");
        }
        std::fs::write(&installed, &wanted).context("cannot record the installed SDK")?;
    }
    let plan = root.join("target/conformance/mcp-plan.json");
    std::fs::create_dir_all(root.join("target/conformance")).context("cannot create target/conformance")?;
    std::fs::write(&plan, serde_json::to_vec(plans)?).context("cannot write the MCP plan")?;
    eprintln!("==> MCP: drun mcp through the MCP Python SDK (tools/mcp-client/check.py)");
    let status = Command::new(&python)
        .arg(root.join("tools/mcp-client/check.py"))
        .arg(drun)
        .arg(&plan)
        .status()
        .context("cannot run the MCP check")?;
    if !status.success() {
        bail!("drun mcp failed its checks ({status})");
    }
    eprintln!("==> MCP checks passed in {:.1} s", started.elapsed().as_secs_f64());
    Ok(())
}

/// Runs one call through the proxy; compares drun's output with what
/// Prism sent (for a stream, Prism's one message's `result`).
fn check(drun: &Path, proxy: &Proxy, prism: &str, args: &[String], stream: bool) -> Result<(), String> {
    proxy.target(prism);
    let output = Command::new(drun)
        .args(args)
        .env("DRUN_BASE_URL", format!("http://{}", proxy.address))
        .env("DRUN_ACCESS_KEY", "conformance-key")
        .env("DRUN_CONFIG", "/nonexistent/drun-config.toml")
        .output()
        .map_err(|e| format!("cannot run drun: {e}"))?;
    let Some(exchange) = proxy.take() else {
        return Err(format!("drun sent nothing: {}", String::from_utf8_lossy(&output.stderr).trim()));
    };
    if exchange.status == 422 {
        return Err(format!("Prism refused the request: {}", exchange.violations));
    }
    if !output.status.success() {
        return Err(format!("drun failed ({}): {}", output.status, String::from_utf8_lossy(&output.stderr).trim()));
    }
    let printed: serde_json::Value = serde_json::from_slice(&output.stdout)
        .map_err(|e| format!("drun's output is not JSON ({e}): {}", String::from_utf8_lossy(&output.stdout)))?;
    let mut sent: serde_json::Value =
        serde_json::from_slice(&exchange.body).map_err(|e| format!("Prism's answer is not JSON: {e}"))?;
    if stream {
        sent = sent.get("result").cloned().ok_or_else(|| format!("Prism's stream message has no result: {sent}"))?;
    }
    if printed != sent {
        return Err(format!("drun printed {printed} where Prism sent {sent}"));
    }
    Ok(())
}

/// What Prism answered to the last request.
struct Exchange {
    status: u16,
    violations: String,
    body: Vec<u8>,
}

/// A one-request-at-a-time HTTP/1.1 proxy on loopback that keeps the last
/// answer it passed on: each worker has its own, and runs one `drun` at a
/// time, so the answer is that process's.
struct Proxy {
    address: std::net::SocketAddr,
    upstream: Arc<Mutex<String>>,
    last: Arc<Mutex<Option<Exchange>>>,
}

impl Proxy {
    fn start() -> std::io::Result<Self> {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let address = listener.local_addr()?;
        let upstream = Arc::new(Mutex::new(String::new()));
        let last = Arc::new(Mutex::new(None));
        let (up, recorded) = (Arc::clone(&upstream), Arc::clone(&last));
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let target = up.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clone();
                let _ = forward(stream, &target, |exchange| {
                    *recorded.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = Some(exchange);
                });
            }
        });
        Ok(Self { address, upstream, last })
    }

    fn target(&self, url: &str) {
        let host = url.trim_start_matches("http://").trim_end_matches('/');
        host.clone_into(&mut self.upstream.lock().unwrap_or_else(std::sync::PoisonError::into_inner));
        self.last.lock().unwrap_or_else(std::sync::PoisonError::into_inner).take();
    }

    fn take(&self) -> Option<Exchange> {
        self.last.lock().unwrap_or_else(std::sync::PoisonError::into_inner).take()
    }
}

/// Passes one request on to `upstream` (`host:port`) with `Connection:
/// close`, and its answer back, recording the answer first (drun may exit
/// as soon as it has read it).
fn forward(client: TcpStream, upstream: &str, record: impl FnOnce(Exchange)) -> std::io::Result<()> {
    let mut reader = BufReader::new(client.try_clone()?);
    let (head, body) = read_message(&mut reader, true)?;
    let mut server = TcpStream::connect(upstream)?;
    server.write_all(&rewrite_head(&head, Some(upstream)))?;
    server.write_all(&body)?;
    let mut server_reader = BufReader::new(server);
    let (head, body) = read_message(&mut server_reader, false)?;
    let text = head.join("\n");
    let status = text.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    let violations = text
        .lines()
        .find(|l| l.to_ascii_lowercase().starts_with("sl-violations:"))
        .map(|l| l["sl-violations:".len()..].trim().to_owned())
        .unwrap_or_default();
    record(Exchange { status, violations, body: body.clone() });
    let mut client = client;
    client.write_all(&rewrite_head(&head, None))?;
    client.write_all(&body)?;
    client.flush()
}

/// A message's head (start line and headers, without `Content-Length`,
/// `Transfer-Encoding` and `Connection`) and its whole body.
fn read_message(reader: &mut impl std::io::BufRead, request: bool) -> std::io::Result<(Vec<String>, Vec<u8>)> {
    let mut head = Vec::new();
    let mut length = None;
    let mut chunked = false;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 {
            break;
        }
        let line = line.trim_end().to_owned();
        if line.is_empty() {
            break;
        }
        let lower = line.to_ascii_lowercase();
        if let Some(v) = lower.strip_prefix("content-length:") {
            length = v.trim().parse::<usize>().ok();
        } else if lower.starts_with("transfer-encoding:") {
            chunked = lower.contains("chunked");
        } else if !lower.starts_with("connection:") && !lower.starts_with("keep-alive:") {
            head.push(line);
        }
    }
    let mut body = Vec::new();
    if chunked {
        loop {
            let mut size = String::new();
            reader.read_line(&mut size)?;
            let size = usize::from_str_radix(size.trim().split(';').next().unwrap_or("0"), 16).unwrap_or(0);
            if size == 0 {
                let mut end = String::new();
                reader.read_line(&mut end)?;
                break;
            }
            let mut chunk = vec![0; size + 2];
            reader.read_exact(&mut chunk)?;
            body.extend_from_slice(&chunk[..size]);
        }
    } else if let Some(n) = length {
        body.resize(n, 0);
        reader.read_exact(&mut body)?;
    } else if !request {
        reader.read_to_end(&mut body)?;
    }
    head.push(format!("Content-Length: {}", body.len()));
    Ok((head, body))
}

/// The head as bytes, with `Connection: close` (and the upstream's `Host`
/// for a request).
fn rewrite_head(head: &[String], host: Option<&str>) -> Vec<u8> {
    let mut out = String::new();
    for line in head {
        if host.is_some() && line.to_ascii_lowercase().starts_with("host:") {
            continue;
        }
        out.push_str(line);
        out.push_str("\r\n");
    }
    if let Some(host) = host {
        out.push_str("Host: ");
        out.push_str(host);
        out.push_str("\r\n");
    }
    out.push_str("Connection: close\r\n\r\n");
    out.into_bytes()
}

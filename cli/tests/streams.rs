//! `drun` on d.run's streaming operation (mspider's sidecar upgrade)
//! against a loopback server that sends messages when the test says: each
//! message is printed as it arrives, `--max-messages` stops early, Ctrl-C
//! stops cleanly with 130.

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};

mod common;

use common::{KEY, drun_command};
use std::sync::mpsc;

const MESSAGE: &str = "{\"result\":{\"progress\":0.5,\"message\":\"upgrading\"}}\n";

/// A server that, for each connection, writes the head of a chunked
/// answer and then one message per `()` received on the returned sender;
/// dropping the sender ends the body.
fn server() -> (String, mpsc::Sender<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("address"));
    let (send, receive) = mpsc::channel::<()>();
    std::thread::spawn(move || {
        let Ok((mut socket, _)) = listener.accept() else { return };
        read_head(&mut socket);
        let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n";
        if socket.write_all(head.as_bytes()).is_err() {
            return;
        }
        while receive.recv().is_ok() {
            let chunk = format!("{:x}\r\n{MESSAGE}\r\n", MESSAGE.len());
            if socket.write_all(chunk.as_bytes()).and_then(|()| socket.flush()).is_err() {
                return;
            }
        }
        let _ = socket.write_all(b"0\r\n\r\n");
    });
    (url, send)
}

fn read_head(socket: &mut TcpStream) {
    let mut data = Vec::new();
    let mut buf = [0u8; 4096];
    while !data.windows(4).any(|w| w == b"\r\n\r\n") {
        match socket.read(&mut buf) {
            Ok(0) | Err(_) => return,
            Ok(n) => data.extend_from_slice(&buf[..n]),
        }
    }
}

fn upgrade(url: &str, extra: &[&str]) -> Child {
    drun_command(url)
        .args(["mspider", "sidecar-management-service", "upgrade-sidecars", "mesh-1", "--body", "{}"])
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("drun starts")
}

/// Reads one line of `child`'s stdout.
fn line(reader: &mut BufReader<std::process::ChildStdout>) -> String {
    let mut line = String::new();
    reader.read_line(&mut line).expect("a line");
    line
}

#[test]
fn each_message_is_printed_as_it_arrives_until_the_stream_ends() {
    let (url, send) = server();
    let mut child = upgrade(&url, &[]);
    let mut out = BufReader::new(child.stdout.take().expect("stdout"));
    for _ in 0..3 {
        // The next message is sent only once the last one was printed.
        send.send(()).expect("send");
        let printed: serde_json::Value = serde_json::from_str(&line(&mut out)).expect("a line of JSON");
        assert_eq!(printed, serde_json::json!({"progress": 0.5, "message": "upgrading"}));
    }
    drop(send);
    let status = child.wait().expect("drun ends");
    assert_eq!(status.code(), Some(0));
}

#[test]
fn max_messages_stops_after_that_many() {
    let (url, send) = server();
    let mut child = upgrade(&url, &["--max-messages", "2"]);
    for _ in 0..2 {
        send.send(()).expect("send");
    }
    let status = child.wait().expect("drun ends");
    let mut printed = String::new();
    child.stdout.take().expect("stdout").read_to_string(&mut printed).expect("stdout");
    assert_eq!((status.code(), printed.lines().count()), (Some(0), 2), "{printed}");
    drop(send);
}

#[test]
fn ctrl_c_stops_cleanly_with_130() {
    let (url, send) = server();
    let mut child = upgrade(&url, &[]);
    let mut out = BufReader::new(child.stdout.take().expect("stdout"));
    send.send(()).expect("send");
    line(&mut out);
    let interrupted = Command::new("kill").args(["-INT", &child.id().to_string()]).status().expect("kill");
    assert!(interrupted.success());
    let status = child.wait().expect("drun ends");
    let mut stderr = String::new();
    child.stderr.take().expect("stderr").read_to_string(&mut stderr).expect("stderr");
    assert_eq!(status.code(), Some(130), "{stderr}");
    assert!(stderr.contains("interrupted after 1 messages"), "{stderr}");
    drop(send);
}

#[test]
fn a_dry_run_of_a_stream_sends_nothing() {
    let output = drun_command("http://127.0.0.1:9")
        .args(["mspider", "sidecar-management-service", "upgrade-sidecars", "mesh-1", "--body", "{}", "--dry-run"])
        .output()
        .expect("drun runs");
    let printed = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success() && printed.starts_with("curl") && printed.contains("/upgrader"), "{output:?}");
    assert!(!printed.contains(KEY), "the key is in the dry run's line");
}

#[test]
fn mcp_returns_a_streams_messages_up_to_max_messages_and_says_it_was_cut() {
    let (url, send) = server();
    for _ in 0..3 {
        send.send(()).expect("send");
    }
    let mut child = drun_command(&url)
        .args(["mcp", "--allow-writes", "--module", "mspider"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("drun mcp starts");
    let mut input = child.stdin.take().expect("stdin");
    let requests = [
        serde_json::json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
            "protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "test", "version": "0"}}}),
        serde_json::json!({"jsonrpc": "2.0", "method": "notifications/initialized"}),
        serde_json::json!({"jsonrpc": "2.0", "id": 2, "method": "tools/call", "params": {"name": "call_operation", "arguments": {
            "operation": "mspider/sidecar-management-service/upgrade-sidecars",
            "arguments": {"meshId": "mesh-1"}, "body": {}, "max_messages": 2}}}),
    ];
    for request in requests {
        writeln!(input, "{request}").expect("a request");
    }
    let mut out = BufReader::new(child.stdout.take().expect("stdout"));
    let answer = loop {
        let reply: serde_json::Value = serde_json::from_str(&line(&mut out)).expect("a JSON-RPC line");
        if reply["id"] == 2 {
            break reply;
        }
    };
    drop(input);
    let _ = child.kill();
    let _ = child.wait();
    let text = answer["result"]["content"][0]["text"].as_str().expect("a text result");
    let result: serde_json::Value = serde_json::from_str(text).expect("the result is JSON");
    assert_eq!(result["messages"].as_array().map(Vec::len), Some(2), "{result}");
    assert_eq!(result["messages"][0], serde_json::json!({"progress": 0.5, "message": "upgrading"}));
    assert_eq!(result["stream"], "cut");
    assert!(result["why"].as_str().is_some_and(|w| w.contains("max_messages")), "{result}");
    drop(send);
}

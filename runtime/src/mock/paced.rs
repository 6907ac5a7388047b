//! The loopback server that streams a mocked stream's messages with
//! pauses between them (the mock server writes a body whole, so a paced
//! answer redirects here). One for the process, on its own thread, with a
//! thread per connection; each script is kept, so an answer can repeat.

use std::collections::HashMap;
use std::io::{Read as _, Write as _};
use std::net::{TcpListener, TcpStream};
use std::sync::{Mutex, OnceLock, PoisonError};
use std::time::Duration;

struct Script {
    parts: Vec<Vec<u8>>,
    pause: Duration,
    content_type: &'static str,
}

struct Server {
    base: String,
    scripts: Mutex<HashMap<usize, std::sync::Arc<Script>>>,
}

fn server() -> &'static Server {
    static SERVER: OnceLock<Server> = OnceLock::new();
    SERVER.get_or_init(|| {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port for paced mock streams");
        let base = format!("http://{}", listener.local_addr().expect("its address"));
        std::thread::spawn(move || {
            for socket in listener.incoming().flatten() {
                std::thread::spawn(move || stream(socket));
            }
        });
        Server { base, scripts: Mutex::new(HashMap::new()) }
    })
}

/// Registers `parts` (sent `pause` apart) and returns the URL that streams
/// them.
pub(super) fn serve(parts: Vec<Vec<u8>>, pause: Duration, content_type: &'static str) -> String {
    let server = server();
    let mut scripts = server.scripts.lock().unwrap_or_else(PoisonError::into_inner);
    let id = scripts.len();
    scripts.insert(id, std::sync::Arc::new(Script { parts, pause, content_type }));
    format!("{}/paced/{id}", server.base)
}

fn stream(mut socket: TcpStream) {
    let Some(path) = read_request(&mut socket) else { return };
    let id = path.strip_prefix("/paced/").and_then(|id| id.parse::<usize>().ok());
    let script = id.and_then(|id| server().scripts.lock().unwrap_or_else(PoisonError::into_inner).get(&id).cloned());
    let Some(script) = script else {
        let _ = socket.write_all(b"HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\nconnection: close\r\n\r\n");
        return;
    };
    let head = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: {}\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\n",
        script.content_type
    );
    if socket.write_all(head.as_bytes()).is_err() {
        return;
    }
    for (i, part) in script.parts.iter().enumerate() {
        if i > 0 {
            std::thread::sleep(script.pause);
        }
        let mut chunk = format!("{:x}\r\n", part.len()).into_bytes();
        chunk.extend_from_slice(part);
        chunk.extend_from_slice(b"\r\n");
        if socket.write_all(&chunk).and_then(|()| socket.flush()).is_err() {
            return;
        }
    }
    let _ = socket.write_all(b"0\r\n\r\n");
}

/// Reads a request's head and body; returns its path.
fn read_request(socket: &mut TcpStream) -> Option<String> {
    let mut data = Vec::new();
    let mut buf = [0u8; 4096];
    let end = loop {
        let n = socket.read(&mut buf).ok().filter(|n| *n > 0)?;
        data.extend_from_slice(&buf[..n]);
        if let Some(end) = data.windows(4).position(|w| w == b"\r\n\r\n") {
            break end;
        }
    };
    let head = String::from_utf8_lossy(&data[..end]).into_owned();
    let length: usize = head
        .lines()
        .find_map(|l| l.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().parse().unwrap_or(0)))
        .unwrap_or(0);
    while data.len() < end + 4 + length {
        let n = socket.read(&mut buf).ok().filter(|n| *n > 0)?;
        data.extend_from_slice(&buf[..n]);
    }
    head.lines().next()?.split(' ').nth(1).map(str::to_owned)
}

//! Server streaming over real HTTP on loopback: d.run's streaming
//! operation (mspider's sidecar upgrade, whose progress is streamed in
//! grpc-gateway's framing) against a hand-written server that controls how
//! the body is cut into network writes and when each arrives.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use drun_client::futures_util::StreamExt as _;
use drun_client::mspider::models::UpgradeSidecarsBody;
use drun_client::prelude::*;
use drun_client::{Client, Error, RetryPolicy};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::{TcpListener, TcpStream};

/// What the server does, in order, once it has read a request.
#[derive(Clone)]
enum Step {
    /// Writes these bytes as one chunk of the body.
    Send(&'static str),
    /// Waits.
    Wait(u64),
    /// Answers the whole request with this status and no stream.
    Status(u16),
}

/// A loopback server that answers the n-th connection with `scripts[n]`
/// (the last one repeating), as a chunked body that ends cleanly after the
/// last step; it counts requests and whether each asked for gzip.
struct Server {
    url: String,
    requests: Arc<AtomicUsize>,
    gzip_asked: Arc<AtomicUsize>,
}

async fn serve(scripts: Vec<Vec<Step>>, gzip: bool) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("address"));
    let requests = Arc::new(AtomicUsize::new(0));
    let gzip_asked = Arc::new(AtomicUsize::new(0));
    let (count, asked) = (requests.clone(), gzip_asked.clone());
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            let n = count.fetch_add(1, Ordering::SeqCst);
            let script = scripts[n.min(scripts.len() - 1)].clone();
            let asked = asked.clone();
            tokio::spawn(async move { answer(socket, script, gzip, &asked).await });
        }
    });
    Server { url, requests, gzip_asked }
}

async fn answer(mut socket: TcpStream, script: Vec<Step>, gzip: bool, asked: &AtomicUsize) {
    let head = read_request(&mut socket).await;
    let wants_gzip = head.lines().any(|l| l.to_ascii_lowercase().starts_with("accept-encoding:") && l.contains("gzip"));
    if wants_gzip {
        asked.fetch_add(1, Ordering::SeqCst);
    }
    let compress = gzip && wants_gzip;
    if let Some(Step::Status(status)) = script.first() {
        let body = r#"{"code":14,"message":"try again"}"#;
        let reply = format!(
            "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
            body.len()
        );
        let _ = socket.write_all(reply.as_bytes()).await;
        return;
    }
    let encoding = if compress { "content-encoding: gzip\r\n" } else { "" };
    let head = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nx-request-id: req-7\r\n{encoding}transfer-encoding: chunked\r\n\r\n"
    );
    if socket.write_all(head.as_bytes()).await.is_err() {
        return;
    }
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    for step in script {
        match step {
            Step::Send(text) => {
                let bytes = if compress {
                    use std::io::Write as _;
                    // Flushed per message, as a streaming server must.
                    encoder.write_all(text.as_bytes()).expect("compress");
                    encoder.flush().expect("flush");
                    std::mem::take(encoder.get_mut())
                } else {
                    text.as_bytes().to_vec()
                };
                let mut chunk = format!("{:x}\r\n", bytes.len()).into_bytes();
                chunk.extend_from_slice(&bytes);
                chunk.extend_from_slice(b"\r\n");
                if socket.write_all(&chunk).await.is_err() {
                    return;
                }
            }
            Step::Wait(ms) => tokio::time::sleep(Duration::from_millis(ms)).await,
            Step::Status(_) => {}
        }
    }
    if compress {
        let rest = encoder.finish().expect("finish");
        let mut chunk = format!("{:x}\r\n", rest.len()).into_bytes();
        chunk.extend_from_slice(&rest);
        chunk.extend_from_slice(b"\r\n");
        let _ = socket.write_all(&chunk).await;
    }
    let _ = socket.write_all(b"0\r\n\r\n").await;
}

/// Reads a request's head and its body (by its length).
async fn read_request(socket: &mut TcpStream) -> String {
    let mut data = Vec::new();
    let mut buf = [0u8; 4096];
    while let Ok(n) = socket.read(&mut buf).await {
        if n == 0 {
            break;
        }
        data.extend_from_slice(&buf[..n]);
        if let Some(end) = data.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&data[..end]).into_owned();
            let length: usize = head
                .lines()
                .find_map(|l| {
                    l.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().parse().unwrap_or(0))
                })
                .unwrap_or(0);
            while data.len() < end + 4 + length {
                let Ok(n) = socket.read(&mut buf).await else { break };
                if n == 0 {
                    break;
                }
                data.extend_from_slice(&buf[..n]);
            }
            return head;
        }
    }
    String::new()
}

fn client(server: &Server) -> Client {
    Client::builder(&server.url).bearer_token("key").build().expect("client")
}

const FIRST: &str = "{\"result\":{\"progress\":0.25,\"message\":\"first\"}}\n";
const SECOND: &str = "{\"result\":{\"progress\":0.5,\"message\":\"second\"}}\n";

fn upgrade(client: &Client) -> drun_client::Stream<'_, drun_client::mspider::models::SidecarUpgraderProcess> {
    client.mspider().sidecar_management_service().upgrade_sidecars("mesh-1", &UpgradeSidecarsBody::default())
}

#[tokio::test]
async fn a_message_split_across_network_reads_is_read_whole() {
    let server = serve(
        vec![vec![
            Step::Send("{\"result\":{\"progr"),
            Step::Wait(50),
            Step::Send("ess\":0.25,\"message\":\"fi"),
            Step::Wait(50),
            Step::Send("rst\"}}\n"),
            Step::Send(SECOND),
        ]],
        false,
    )
    .await;
    let client = client(&server);
    let messages: Vec<_> = upgrade(&client).collect().await;
    let messages: Vec<_> = messages.into_iter().map(|m| m.expect("a message")).collect();
    assert_eq!(
        messages.iter().map(|m| (m.message.as_str(), m.progress)).collect::<Vec<_>>(),
        [("first", 0.25), ("second", 0.5)]
    );
}

#[tokio::test]
async fn an_error_message_mid_stream_ends_it_as_the_api_error_a_unary_call_gives() {
    let server = serve(
        vec![vec![
            Step::Send(FIRST),
            Step::Send("{\"error\":{\"code\":5,\"message\":\"mesh mesh-1 is gone\",\"details\":[]}}\n"),
            Step::Send(SECOND),
        ]],
        false,
    )
    .await;
    let client = client(&server);
    let mut stream = std::pin::pin!(upgrade(&client));
    assert_eq!(stream.status(), None, "no answer before the first poll");
    assert_eq!(stream.next().await.expect("a message").expect("first").message, "first");
    // The answer's metadata, as `with_metadata` gives a unary call's.
    assert_eq!((stream.status().map(|s| s.as_u16()), stream.request_id()), (Some(200), Some("req-7")));
    match stream.next().await {
        Some(Err(Error::Api(error))) => {
            assert_eq!(error.status.as_u16(), 404);
            let status = error.body.as_ref().expect("a status");
            assert_eq!((status.code, status.message.as_str()), (5, "mesh mesh-1 is gone"));
        }
        other => panic!("wanted the error, got {other:?}"),
    }
    assert!(stream.next().await.is_none(), "nothing after the error");
    assert_eq!(stream.request_id(), Some("req-7"), "kept when the stream ends");
}

#[tokio::test]
async fn a_body_cut_in_the_middle_of_a_message_is_an_error_not_an_end() {
    let server = serve(vec![vec![Step::Send(FIRST), Step::Send("{\"result\":{\"progress\":0.5,")]], false).await;
    let client = client(&server);
    let mut stream = std::pin::pin!(upgrade(&client));
    assert!(stream.next().await.expect("a message").is_ok());
    match stream.next().await {
        Some(Err(error @ Error::Stream { idle: false, .. })) => {
            assert!(error.to_string().contains("in the middle of a message"), "{error}");
        }
        other => panic!("wanted a cut-off error, got {other:?}"),
    }
}

#[tokio::test]
async fn a_silent_stream_ends_at_its_idle_timeout() {
    let server = serve(vec![vec![Step::Send(FIRST), Step::Wait(5_000), Step::Send(SECOND)]], false).await;
    let client = client(&server);
    let started = Instant::now();
    let mut stream = std::pin::pin!(upgrade(&client).idle_timeout(Some(Duration::from_millis(300))));
    assert!(stream.next().await.expect("a message").is_ok());
    match stream.next().await {
        Some(Err(error)) => assert!(error.is_timeout() && error.to_string().contains("idle timeout"), "{error}"),
        other => panic!("wanted the idle timeout, got {other:?}"),
    }
    assert!(started.elapsed() < Duration::from_secs(4), "ended by the idle timeout, not by the server");
}

#[tokio::test]
async fn a_stream_that_keeps_talking_outlives_the_request_timeout() {
    // Five messages 150 ms apart: 750 ms in all, over a 300 ms request
    // timeout; no gap is longer than the idle timeout (the same 300 ms).
    let mut script = Vec::new();
    for _ in 0..5 {
        script.extend([Step::Send(FIRST), Step::Wait(150)]);
    }
    let server = serve(vec![script], false).await;
    let client = Client::builder(&server.url).timeout(Duration::from_millis(300)).build().expect("client");
    let started = Instant::now();
    let messages: Vec<_> = upgrade(&client).collect().await;
    assert_eq!(messages.len(), 5, "{messages:?}");
    assert!(messages.iter().all(Result::is_ok), "{messages:?}");
    assert!(started.elapsed() >= Duration::from_millis(600));
}

#[tokio::test]
async fn retries_happen_before_the_first_message_never_after() {
    // The first attempt is refused with 503; the second streams.
    let server = serve(vec![vec![Step::Status(503)], vec![Step::Send(FIRST), Step::Send(SECOND)]], false).await;
    let client = Client::builder(&server.url)
        .retry(RetryPolicy::default().backoff(Duration::from_millis(1), Duration::from_millis(5)))
        .build()
        .expect("client");
    let policy =
        RetryPolicy::default().backoff(Duration::from_millis(1), Duration::from_millis(5)).retry_non_idempotent(true);
    let messages: Vec<_> = upgrade(&client).retry(policy.clone()).collect().await;
    assert_eq!(messages.len(), 2);
    assert_eq!(server.requests.load(Ordering::SeqCst), 2);
    // A stream cut after a message is not sent again.
    let cut = serve(vec![vec![Step::Send(FIRST), Step::Send("{\"res")]], false).await;
    let client = Client::builder(&cut.url).build().expect("client");
    let messages: Vec<_> = upgrade(&client).retry(policy).collect().await;
    assert!(matches!(messages.as_slice(), [Ok(_), Err(Error::Stream { .. })]), "{messages:?}");
    assert_eq!(cut.requests.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_gzip_stream_is_asked_for_decoded_and_still_a_stream() {
    // The server compresses only when asked, flushing per message; the
    // second message comes 2 s after the first, which must be read at once.
    let server = serve(vec![vec![Step::Send(FIRST), Step::Wait(2_000), Step::Send(SECOND)]], true).await;
    let client = client(&server);
    let started = Instant::now();
    let mut stream = std::pin::pin!(upgrade(&client));
    assert_eq!(stream.next().await.expect("a message").expect("first").message, "first");
    assert!(
        started.elapsed() < Duration::from_millis(1_500),
        "the first message waited for the body: {:?}",
        started.elapsed()
    );
    assert_eq!(stream.next().await.expect("a message").expect("second").message, "second");
    assert!(stream.next().await.is_none());
    assert_eq!(server.gzip_asked.load(Ordering::SeqCst), 1, "the client asks for gzip");
}

#[tokio::test]
async fn a_unary_answer_is_asked_for_as_gzip_and_decoded() {
    let server = serve(
        vec![vec![Step::Send("{\"items\":[{\"id\":\"u1\",\"name\":\"ann\"}],\"pagination\":{\"total\":1}}")]],
        true,
    )
    .await;
    let client = client(&server);
    let users = client
        .ghippo()
        .users()
        .list_users(&drun_client::ghippo::apis::users::ListUsersParams::default())
        .await
        .expect("users");
    assert_eq!(users.items[0].name, "ann");
    assert_eq!(server.gzip_asked.load(Ordering::SeqCst), 1);
}

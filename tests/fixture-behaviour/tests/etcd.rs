//! Server streaming against a real grpc-gateway server: etcd 3.4 (Debian's
//! `etcd-server`, which `.ci/run` installs), with the client generated
//! from etcd's own published document. Each test starts its own etcd on
//! free loopback ports with a fresh data folder.

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fixture_etcd_v3_4_23::futures_util::StreamExt as _;
use fixture_etcd_v3_4_23::models::{
    CompactionRequest, LeaseGrantRequest, LeaseKeepAliveRequest, PutRequest, WatchCreateRequest, WatchRequest,
};
use fixture_etcd_v3_4_23::{Client, Error, EtcdV3423Ext as _};

/// One etcd server, stopped and its data removed when dropped.
struct Etcd {
    child: Child,
    url: String,
    data: std::path::PathBuf,
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("a free port")
}

impl Etcd {
    async fn start() -> Self {
        let (client_port, peer_port) = (free_port(), free_port());
        let data = std::env::temp_dir().join(format!("etcd-test-{}-{client_port}", std::process::id()));
        let url = format!("http://127.0.0.1:{client_port}");
        let peer = format!("http://127.0.0.1:{peer_port}");
        let child = Command::new("etcd")
            .args(["--data-dir", &data.display().to_string(), "--name", "test"])
            .args(["--listen-client-urls", &url, "--advertise-client-urls", &url])
            .args(["--listen-peer-urls", &peer, "--initial-advertise-peer-urls", &peer])
            .args(["--initial-cluster", &format!("test={peer}")])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("etcd is not installed: `apt-get install etcd-server` (`.ci/run` does)");
        let etcd = Self { child, url, data };
        // Building a client installs the TLS crypto provider, which
        // `reqwest::get` (for the metrics) needs too.
        etcd.client();
        for _ in 0..100 {
            if etcd.metric("etcd_server_has_leader").await == Some(1.0) {
                return etcd;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("etcd did not start on {}", etcd.url);
    }

    fn client(&self) -> Client {
        Client::builder(&self.url).build().expect("client")
    }

    /// A gauge of the server's `/metrics`.
    async fn metric(&self, name: &str) -> Option<f64> {
        let text = fixture_etcd_v3_4_23::reqwest::get(format!("{}/metrics", self.url)).await.ok()?.text().await.ok()?;
        text.lines().find_map(|line| line.strip_prefix(name)?.strip_prefix(' ')?.trim().parse().ok())
    }

    /// Stops the server as an operator would (SIGTERM), so that it ends
    /// its streams itself.
    fn terminate(&self) {
        let _ = Command::new("kill").args(["-TERM", &self.child.id().to_string()]).status();
    }
}

impl Drop for Etcd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.data);
    }
}

/// etcd's keys and values are bytes, base64 in JSON.
fn b64(text: &str) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let bytes = text.as_bytes();
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, b)| n | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn watch_of(key: &str) -> WatchRequest {
    WatchRequest::default().set_create_request(WatchCreateRequest::default().set_key(b64(key)))
}

async fn put(client: &Client, key: &str, value: &str) -> i64 {
    let put = PutRequest::default().set_key(b64(key)).set_value(b64(value));
    let answer = client.etcd_v3_4_23().kv().put(&put).await.expect("put");
    answer.header.expect("a header").revision
}

#[tokio::test]
async fn a_watch_receives_its_creation_then_each_put_in_order_while_it_stays_open() {
    let etcd = Etcd::start().await;
    let client = etcd.client();
    let mut watch = std::pin::pin!(client.etcd_v3_4_23().watch().watch(&watch_of("foo")).idle_timeout(None));
    let created = watch.next().await.expect("a message").expect("the creation");
    assert!(created.created, "{created:?}");
    for value in ["one", "two", "three"] {
        let revision = put(&client, "foo", value).await;
        // Each event arrives while the stream is open, not when it ends.
        let message = tokio::time::timeout(Duration::from_secs(10), watch.next())
            .await
            .expect("the event within 10 s")
            .expect("a message")
            .expect("an event");
        let kv = message.events[0].kv.as_ref().expect("a key-value");
        assert_eq!(
            (kv.key.as_str(), kv.value.as_str(), kv.mod_revision),
            (b64("foo").as_str(), b64(value).as_str(), revision)
        );
    }
    assert_eq!(etcd.metric("etcd_debugging_mvcc_watch_stream_total").await, Some(1.0));
}

#[tokio::test]
async fn dropping_a_watch_closes_its_connection() {
    let etcd = Etcd::start().await;
    let client = etcd.client();
    let mut watch = Box::pin(client.etcd_v3_4_23().watch().watch(&watch_of("foo")));
    assert!(watch.next().await.expect("a message").expect("the creation").created);
    assert_eq!(etcd.metric("etcd_debugging_mvcc_watch_stream_total").await, Some(1.0));
    drop(watch);
    // The server sees the connection close and ends the watch.
    for _ in 0..50 {
        if etcd.metric("etcd_debugging_mvcc_watch_stream_total").await == Some(0.0) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("etcd still counts the watch stream 5 s after it was dropped");
}

#[tokio::test]
async fn the_servers_error_message_ends_the_stream_as_an_api_error() {
    let etcd = Etcd::start().await;
    let client = etcd.client();
    let mut watch = std::pin::pin!(client.etcd_v3_4_23().watch().watch(&watch_of("foo")).idle_timeout(None));
    assert!(watch.next().await.expect("a message").expect("the creation").created);
    // Shutting down, etcd ends its open streams with an error message:
    // `{"error": {"grpc_code": 14, "http_code": 503, "message": "transport
    // is closing", ...}}` (or 1 and 408, "the client connection is
    // closing", depending on which side closes first).
    etcd.terminate();
    let ended = tokio::time::timeout(Duration::from_secs(10), watch.next()).await.expect("the end within 10 s");
    match ended {
        Some(Err(Error::Api(error))) => {
            let sent: serde_json::Value = serde_json::from_str(&error.text).expect("the error message as sent");
            assert_eq!(u64::from(error.status.as_u16()), sent["http_code"].as_u64().expect("http_code"), "{error:?}");
            let status = error.body.as_ref().expect("a status");
            assert_eq!(i64::from(status.code), sent["grpc_code"].as_i64().expect("grpc_code"), "{status:?}");
            assert!([1, 14].contains(&status.code) && status.message.contains("closing"), "{status:?}");
        }
        other => panic!("wanted the server's error, got {other:?}"),
    }
    assert!(watch.next().await.is_none(), "an error ends the stream");
}

#[tokio::test]
async fn a_watch_from_a_compacted_revision_is_cancelled_with_the_compaction() {
    let etcd = Etcd::start().await;
    let client = etcd.client();
    for value in ["a", "b", "c"] {
        put(&client, "foo", value).await;
    }
    let compacted = put(&client, "foo", "d").await - 1;
    client.etcd_v3_4_23().kv().compact(&CompactionRequest::default().set_revision(compacted)).await.expect("compact");
    let from_start = WatchRequest::default()
        .set_create_request(WatchCreateRequest::default().set_key(b64("foo")).set_start_revision(1));
    let mut watch = std::pin::pin!(client.etcd_v3_4_23().watch().watch(&from_start));
    assert!(watch.next().await.expect("a message").expect("the creation").created);
    // etcd reports a compacted start as a message, not an error.
    let cancelled = watch.next().await.expect("a message").expect("the cancellation");
    assert!(cancelled.canceled, "{cancelled:?}");
    assert_eq!(cancelled.compact_revision, compacted);
}

#[tokio::test]
async fn lease_keep_alive_round_trips() {
    let etcd = Etcd::start().await;
    let client = etcd.client();
    let lease =
        client.etcd_v3_4_23().lease().lease_grant(&LeaseGrantRequest::default().set_ttl(60)).await.expect("grant");
    assert!(lease.id != 0 && lease.ttl == 60, "{lease:?}");
    let keep_alive = LeaseKeepAliveRequest::default().set_id(lease.id);
    let mut alive = std::pin::pin!(client.etcd_v3_4_23().lease().lease_keep_alive(&keep_alive));
    let first = alive.next().await.expect("a message").expect("a keep-alive");
    assert_eq!((first.id, first.ttl), (lease.id, 60));
}

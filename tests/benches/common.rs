//! What the benchmarks share: a `list_users` body of many users, and a
//! minimal loopback HTTP server that serves it.
// Each bench uses only part of this module.
#![allow(dead_code)]

use drun_client::prelude::*;
use std::io::{BufRead, BufReader, Write};

use serde_json::json;

/// The body of a `list_users` page holding `n` users, every field set.
pub fn users_body(n: usize) -> Vec<u8> {
    let items: Vec<_> = (0..n)
        .map(|i| {
            json!({
                "id": format!("4b9d6d3e-1f4e-4c1a-9d2b-{i:012}"),
                "name": format!("user-{i}"),
                "email": format!("user-{i}@example.com"),
                "description": "a user of the platform",
                "firstname": "Ada",
                "lastname": "Lovelace",
                "source": if i % 3 == 0 { "ldap" } else { "builtin" },
                "enabled": i % 7 != 0,
                "createdAt": "2024-01-02T03:04:05Z",
                "updatedAt": "2024-02-03T04:05:06Z",
                "lastLoginAt": "2024-03-04T05:06:07Z",
                "canAuthorize": i % 2 == 0
            })
        })
        .collect();
    serde_json::to_vec(&json!({"items": items, "pagination": {"page": 1, "pageSize": n, "total": n}}))
        .expect("serialises")
}

/// Serves `body` to every GET on every connection, keep-alive, from its own
/// threads, so that the server's work is small and the same for every
/// client measured; returns the base URL.
pub fn serve(body: Vec<u8>) -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    let mut response =
        format!("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n", body.len())
            .into_bytes();
    response.extend_from_slice(&body);
    std::thread::spawn(move || {
        for stream in listener.incoming().map_while(Result::ok) {
            let response = response.clone();
            std::thread::spawn(move || {
                let _ = stream.set_nodelay(true);
                let mut writer = stream.try_clone().expect("clone");
                let mut reader = BufReader::new(stream);
                let mut line = String::new();
                loop {
                    // Requests here are GETs: the head is all there is.
                    loop {
                        line.clear();
                        if reader.read_line(&mut line).unwrap_or(0) == 0 {
                            return;
                        }
                        if line == "\r\n" {
                            break;
                        }
                    }
                    if writer.write_all(&response).is_err() {
                        return;
                    }
                }
            });
        }
    });
    format!("http://{addr}")
}

/// The two ways of making the same `list_users` call that the request
/// benches compare, against one `serve`d page of 10 users.
pub struct Calls {
    client: drun_client::Client,
    params: drun_ghippo::apis::users::ListUsersParams,
    http: drun_client::reqwest::Client,
    url: String,
}

impl Calls {
    /// Starts the server and builds both clients.
    pub fn start() -> Self {
        let base = serve(users_body(10));
        Calls {
            client: drun_client::Client::builder(&base).bearer_token(KEY).build().expect("client"),
            params: drun_ghippo::apis::users::ListUsersParams::default().set_page(1).set_page_size(10),
            http: drun_client::reqwest::Client::new(),
            url: format!("{base}/apis/ghippo.io/v1alpha1/users"),
        }
    }

    /// Through the generated client.
    pub async fn generated(&self) {
        let page = self.client.ghippo().users().list_users(&self.params).await.expect("succeeds");
        assert_eq!(page.items.len(), 10);
    }

    /// Makes both calls, the generated one first or second, and returns
    /// how long each took (generated, hand-written). Alternating the order
    /// from one round to the next cancels what the first call of a round
    /// pays for the server switching connections.
    pub async fn both(&self, generated_first: bool) -> (std::time::Duration, std::time::Duration) {
        let mut took = [std::time::Duration::ZERO; 2];
        for generated in [generated_first, !generated_first] {
            let t = std::time::Instant::now();
            if generated {
                self.generated().await;
            } else {
                self.hand_written().await;
            }
            took[usize::from(!generated)] = t.elapsed();
        }
        (took[0], took[1])
    }

    /// The same request and decode, written by hand with `reqwest`.
    pub async fn hand_written(&self) {
        let mut u = drun_client::reqwest::Url::parse(&self.url).expect("url");
        u.query_pairs_mut().append_pair("pageSize", "10").append_pair("page", "1");
        let response = self.http.get(u).bearer_auth(KEY).send().await.expect("sends");
        assert!(response.status().is_success());
        let body = response.bytes().await.expect("body");
        let page: drun_ghippo::models::ListUsersResponse = serde_json::from_slice(&body).expect("decodes");
        assert_eq!(page.items.len(), 10);
    }
}

/// The access key both calls send.
const KEY: &str = "bench-key";

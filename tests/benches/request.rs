//! One `list_users` call against an in-process HTTP server on loopback:
//! the generated client beside a hand-written `reqwest` call doing the same
//! request (same URL, query, bearer header) and the same decode.
//!
//! The server is `common::serve`, a minimal keep-alive responder. Each
//! measured call is paired with an unmeasured call of the other kind, so
//! both are timed under the same conditions (on a small shared machine, the
//! order of two separately measured functions alone moved results by 30%).
//!
//! `cargo bench -p drun-e2e --bench request`

mod common;

use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use drun_client::Client;
use drun_client::apis::users::ListUsersParams;
use drun_client::models::ListUsersResponse;

const KEY: &str = "bench-key";


struct Calls {
    client: Client,
    params: ListUsersParams,
    http: drun_client::reqwest::Client,
    url: String,
}

impl Calls {
    async fn generated(&self) {
        let page = self.client.users().list_users(&self.params).await.expect("succeeds");
        assert_eq!(page.items.len(), 10);
    }

    async fn hand_written(&self) {
        let mut u = drun_client::reqwest::Url::parse(&self.url).expect("url");
        u.query_pairs_mut().append_pair("pageSize", "10").append_pair("page", "1");
        let response = self.http.get(u).bearer_auth(KEY).send().await.expect("sends");
        assert!(response.status().is_success());
        let body = response.bytes().await.expect("body");
        let page: ListUsersResponse = serde_json::from_slice(&body).expect("decodes");
        assert_eq!(page.items.len(), 10);
    }
}

fn request(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    let base = common::serve(common::users_body(10));
    let calls = Calls {
        client: Client::builder(&base).bearer_token(KEY).build().expect("client"),
        params: ListUsersParams::default().page(1).page_size(10),
        http: drun_client::reqwest::Client::new(),
        url: format!("{base}/apis/ghippo.io/v1alpha1/users"),
    };

    let mut group = c.benchmark_group("list_users_loopback");
    group.warm_up_time(Duration::from_secs(3)).measurement_time(Duration::from_secs(10));
    group.bench_function("generated_client", |b| {
        b.iter_custom(|iters| {
            runtime.block_on(async {
                let mut measured = Duration::ZERO;
                for _ in 0..iters {
                    let t = Instant::now();
                    calls.generated().await;
                    measured += t.elapsed();
                    calls.hand_written().await;
                }
                measured
            })
        })
    });
    group.bench_function("hand_written_reqwest", |b| {
        b.iter_custom(|iters| {
            runtime.block_on(async {
                let mut measured = Duration::ZERO;
                for _ in 0..iters {
                    calls.generated().await;
                    let t = Instant::now();
                    calls.hand_written().await;
                    measured += t.elapsed();
                }
                measured
            })
        })
    });
    group.finish();
}

criterion_group!(benches, request);
criterion_main!(benches);

//! `list_users` over loopback, generated client vs hand-written `reqwest`,
//! measured call by call and interleaved (generated, hand-written,
//! generated...), so that both see the same machine at the same moment; the
//! medians of the per-call times and their ratio are printed. On a small
//! shared machine this is steadier than two separately measured criterion
//! functions (see `request.rs`).
//!
//! `cargo bench -p drun-e2e --bench request_pairs`

mod common;

use std::time::{Duration, Instant};

use drun_client::Client;
use drun_client::apis::users::ListUsersParams;
use drun_client::models::ListUsersResponse;

const PAIRS: usize = 5_000;
const WARM_UP: usize = 500;


fn median(mut v: Vec<Duration>) -> Duration {
    v.sort_unstable();
    v[v.len() / 2]
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    let base = common::serve(common::users_body(10));
    let client = Client::builder(&base).bearer_token("bench-key").build().expect("client");
    let params = ListUsersParams::default().page(1).page_size(10);
    let http = drun_client::reqwest::Client::new();
    let url = format!("{base}/apis/ghippo.io/v1alpha1/users");
    let (generated, hand_written) = runtime.block_on(async {
        let (mut a, mut b) = (Vec::with_capacity(PAIRS), Vec::with_capacity(PAIRS));
        for i in 0..WARM_UP + PAIRS {
            let t = Instant::now();
            let page = client.users().list_users(&params).await.expect("succeeds");
            let ta = t.elapsed();
            assert_eq!(page.items.len(), 10);

            let t = Instant::now();
            let mut u = drun_client::reqwest::Url::parse(&url).expect("url");
            u.query_pairs_mut().append_pair("pageSize", "10").append_pair("page", "1");
            let response = http.get(u).bearer_auth("bench-key").send().await.expect("sends");
            let body = response.bytes().await.expect("body");
            let page: ListUsersResponse = serde_json::from_slice(&body).expect("decodes");
            let tb = t.elapsed();
            assert_eq!(page.items.len(), 10);
            if i >= WARM_UP {
                a.push(ta);
                b.push(tb);
            }
        }
        (median(a), median(b))
    });
    println!(
        "list_users_pairs: generated_client median {:.1} µs, hand_written_reqwest median {:.1} µs, ratio {:.3}x ({PAIRS} interleaved pairs)",
        generated.as_secs_f64() * 1e6,
        hand_written.as_secs_f64() * 1e6,
        generated.as_secs_f64() / hand_written.as_secs_f64()
    );
}

//! The CPU work of one `list_users` call, generated client vs hand-written
//! `reqwest`, counted in instructions rather than timed: loopback timings on
//! a small shared machine swing by tens of percent from run to run, while
//! an instruction count is the same from run to run.
//!
//! This binary only makes the calls: `cargo xtask bench` runs it under
//! `valgrind --tool=callgrind` for each client at two call counts, so that
//! the set-up (runtime, server, first connection) cancels out, and prints
//! instructions per call for both and their ratio. By hand:
//!
//! ```text
//! valgrind --tool=callgrind <bench binary> generated 1000
//! ```

mod common;

use drun_client::Client;
use drun_client::apis::users::ListUsersParams;
use drun_client::models::ListUsersResponse;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    // `cargo bench` runs every bench binary with `--bench`: nothing to do.
    let (Some(which), Some(calls)) = (args.get(1), args.get(2).and_then(|n| n.parse::<usize>().ok())) else {
        return;
    };
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    let base = common::serve(common::users_body(10));
    let client = Client::builder(&base).bearer_token("bench-key").build().expect("client");
    let params = ListUsersParams::default().page(1).page_size(10);
    let http = drun_client::reqwest::Client::new();
    let url = format!("{base}/apis/ghippo.io/v1alpha1/users");
    runtime.block_on(async {
        for _ in 0..calls {
            let page = if which == "generated" {
                client.users().list_users(&params).await.expect("succeeds")
            } else {
                let mut u = drun_client::reqwest::Url::parse(&url).expect("url");
                u.query_pairs_mut().append_pair("pageSize", "10").append_pair("page", "1");
                let response = http.get(u).bearer_auth("bench-key").send().await.expect("sends");
                assert!(response.status().is_success());
                let body = response.bytes().await.expect("body");
                serde_json::from_slice::<ListUsersResponse>(&body).expect("decodes")
            };
            assert_eq!(page.items.len(), 10);
        }
    });
}

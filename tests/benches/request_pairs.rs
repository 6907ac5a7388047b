//! `list_users` over loopback, generated client vs hand-written `reqwest`,
//! measured call by call and interleaved (generated then hand-written, then
//! the other way round...), so that both see the same machine at the same
//! moment, in either position; the medians of the per-call times and their
//! ratio are printed. On a small shared machine this is steadier than two
//! separately measured criterion functions (see `request.rs`).
//!
//! `cargo bench -p drun-e2e --bench request_pairs`

mod common;

use std::time::Duration;

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
    let calls = common::Calls::start();
    let (generated, hand_written) = runtime.block_on(async {
        let (mut a, mut b) = (Vec::with_capacity(PAIRS), Vec::with_capacity(PAIRS));
        for i in 0..WARM_UP + PAIRS {
            let (ta, tb) = calls.both(i % 2 == 0).await;
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

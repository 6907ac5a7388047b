//! One `list_users` call against an in-process HTTP server on loopback:
//! the generated client beside a hand-written `reqwest` call doing the same
//! request (same URL, query, bearer header) and the same decode.
//!
//! The server is `common::serve`, a minimal keep-alive responder. Each
//! measured call is paired with an unmeasured call of the other kind, in
//! alternating order, so both are timed under the same conditions (on a
//! small shared machine, the order of two separately measured functions
//! alone moved results by 30%).
//!
//! `cargo bench -p drun-e2e --bench request`

mod common;

use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};

fn request(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    let calls = common::Calls::start();

    let mut group = c.benchmark_group("list_users_loopback");
    group.warm_up_time(Duration::from_secs(3)).measurement_time(Duration::from_secs(10));
    for (name, generated) in [("generated_client", true), ("hand_written_reqwest", false)] {
        group.bench_function(name, |b| {
            b.iter_custom(|iters| {
                runtime.block_on(async {
                    let mut measured = Duration::ZERO;
                    for i in 0..iters {
                        let (g, h) = calls.both(i % 2 == 0).await;
                        measured += if generated { g } else { h };
                    }
                    measured
                })
            });
        });
    }
    group.finish();
}

criterion_group!(benches, request);
criterion_main!(benches);

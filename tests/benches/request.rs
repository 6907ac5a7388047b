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

fn request(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    let calls = common::Calls::start();

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

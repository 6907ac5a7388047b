//! Decoding a `list_users` response of 10,000 users: the client's decode
//! path (`drun_ghippo::protojson::decode`, which every operation calls on a
//! JSON success body) beside plain `serde_json::from_slice` into the same
//! struct. Each measured decode is paired with an unmeasured decode of the
//! other kind, so that both are timed under the same conditions.
//!
//! `cargo bench -p drun-e2e --bench decode`

mod common;

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use drun_ghippo::models::ListUsersResponse;

fn client_path(body: &[u8]) -> ListUsersResponse {
    drun_ghippo::protojson::decode(black_box(body)).expect("decodes")
}

fn plain(body: &[u8]) -> ListUsersResponse {
    serde_json::from_slice(black_box(body)).expect("decodes")
}

fn decode(c: &mut Criterion) {
    let body = common::users_body(10_000);
    let mut group = c.benchmark_group("decode_list_users_10k");
    group.throughput(Throughput::Bytes(body.len() as u64));
    group.warm_up_time(Duration::from_secs(3)).measurement_time(Duration::from_secs(15));
    for (name, measured, other) in [
        ("client_decode_path", client_path as fn(&[u8]) -> ListUsersResponse, plain as fn(&[u8]) -> ListUsersResponse),
        ("serde_json_from_slice", plain, client_path),
    ] {
        group.bench_function(name, |b| {
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    let t = Instant::now();
                    let page = measured(&body);
                    total += t.elapsed();
                    assert_eq!(page.items.len(), 10_000);
                    drop(page);
                    black_box(other(&body));
                }
                total
            });
        });
    }
    group.finish();
}

criterion_group!(benches, decode);
criterion_main!(benches);

//! Decoding a `list_users` response of 10,000 users: the client's decode
//! path (`drun_client::protojson::decode`, which every operation calls on a
//! JSON success body) beside plain `serde_json::from_slice` into the same
//! struct.
//!
//! `cargo bench -p drun-e2e --bench decode`

mod common;

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use drun_client::models::ListUsersResponse;

fn decode(c: &mut Criterion) {
    let body = common::users_body(10_000);
    let mut group = c.benchmark_group("decode_list_users_10k");
    group.throughput(Throughput::Bytes(body.len() as u64));
    group.bench_function("client_decode_path", |b| {
        b.iter(|| {
            let page: ListUsersResponse = drun_client::protojson::decode(black_box(&body)).expect("decodes");
            assert_eq!(page.items.len(), 10_000);
            page
        })
    });
    group.bench_function("serde_json_from_slice", |b| {
        b.iter(|| {
            let page: ListUsersResponse = serde_json::from_slice(black_box(&body)).expect("decodes");
            assert_eq!(page.items.len(), 10_000);
            page
        })
    });
    group.finish();
}

criterion_group!(benches, decode);
criterion_main!(benches);

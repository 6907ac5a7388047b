//! Conformance of every operation of every module against Prism, a mock
//! server that validates requests against the module's document and answers
//! with random data generated from its response schemas.
//!
//! `cargo xtask test` installs Prism, starts it for every module and runs
//! this target (feature `conformance`) with `PRISM_URLS` set to
//! `module=url[;url...],...`. A module Prism could not serve is listed in
//! `PRISM_UNSERVED` as `module=reason,...` and reported, not skipped in
//! silence. `CONFORMANCE_MODULES` (`cargo xtask conformance --module M`)
//! limits the run to the modules it names.

use std::collections::{BTreeMap, BTreeSet};

use drun_client::{Client, Error};

include!(concat!(env!("OUT_DIR"), "/conformance_calls.rs"));

/// Why a call did not conform, in words.
fn explain(err: &Error) -> String {
    match err {
        Error::Api(api) if api.status.as_u16() == 422 => {
            let violations = api.headers.get("sl-violations").and_then(|v| v.to_str().ok()).unwrap_or("");
            format!("request rejected by Prism (422): {violations} {}", api.text)
        }
        other => other.to_string(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_operation_of_every_module_conforms_to_its_document() {
    let urls = std::env::var("PRISM_URLS").expect("PRISM_URLS is set by `cargo xtask test`");
    let urls: BTreeMap<&str, Vec<&str>> = urls
        .split(',')
        .filter_map(|entry| entry.split_once('='))
        .map(|(module, urls)| (module, urls.split(';').collect()))
        .collect();
    let unserved_text = std::env::var("PRISM_UNSERVED").unwrap_or_default();
    let unserved: BTreeMap<&str, &str> = unserved_text.split(',').filter_map(|e| e.split_once('=')).collect();
    // `cargo xtask conformance --module M` checks only the modules named.
    let only_text = std::env::var("CONFORMANCE_MODULES").unwrap_or_default();
    let only: BTreeSet<&str> = only_text.split(',').filter(|m| !m.is_empty()).collect();
    let (mut total, mut conforming) = (0, 0);
    let mut failed_modules = Vec::new();
    let mut unexpected = Vec::new();
    let mut trips_total = 0;
    for (module, spec, calls, round_trips) in
        MODULES.iter().filter(|(module, ..)| only.is_empty() || only.contains(module))
    {
        let mut failures: BTreeMap<&str, Vec<String>> = BTreeMap::new();
        let mut operations = BTreeSet::new();
        let mut calls_per_seed = 0;
        let Some(module_urls) = urls.get(module) else {
            let count = calls(&Client::builder("http://127.0.0.1:9").build().expect("client")).len();
            total += count;
            let why = unserved.get(module).copied().unwrap_or("no Prism was started for it");
            println!("{module}: 0 of {count} operations checked: Prism cannot serve specs/{spec}: {why}");
            unexpected.push(format!("{module}: all {count} operations (Prism cannot serve it: {why})"));
            failed_modules.push(*module);
            continue;
        };
        for url in module_urls {
            let client = Client::builder(*url).bearer_token("conformance-key").build().expect("client builds");
            let module_calls = calls(&client);
            calls_per_seed = module_calls.len();
            for (id, call) in module_calls {
                operations.insert(id);
                if let Err(e) = call.await {
                    failures.entry(id).or_default().push(format!("[{url}] {}", explain(&e)));
                }
            }
        }
        // The typed mocks answer as the server does: what Prism's answer
        // decoded to, answered by the mock, decodes to the same value.
        if let Some(url) = module_urls.first() {
            let prism = Client::builder(*url).bearer_token("conformance-key").build().expect("client builds");
            let server = drun_client::mock::MockServer::start().await;
            let mocked = server.client_builder().build().expect("client builds");
            let trips = round_trips(&prism, &mocked, &server);
            let count = trips.len();
            let mut agreeing = 0;
            for (id, trip) in trips {
                match trip.await {
                    Ok(()) => agreeing += 1,
                    Err(why) => failures.entry(id).or_default().push(format!("mock round trip: {why}")),
                }
            }
            println!("{module}: {agreeing} of {count} mock round trips decode as from Prism");
            trips_total += count;
            assert!(count > 0, "{module}: no operation answers JSON for a mock round trip");
        }
        for (id, why) in &failures {
            for w in why {
                println!("FAIL {module} {id}: {w}");
            }
            unexpected.push(format!("{module} {id}"));
        }
        // Operation ids can repeat in a document: count calls, not ids.
        let failing_calls = failures.len().min(calls_per_seed);
        println!(
            "{module}: {} of {calls_per_seed} operations conform ({} ids, {} seeds)",
            calls_per_seed - failing_calls,
            operations.len(),
            module_urls.len()
        );
        total += calls_per_seed;
        conforming += calls_per_seed - failing_calls;
        if !failures.is_empty() {
            failed_modules.push(*module);
        }
    }
    println!("conformance: {conforming} of {total} operations conform; {trips_total} mock round trips");
    if !failed_modules.is_empty() {
        println!("modules with non-conforming operations: {failed_modules:?}");
    }
    assert!(total > 0, "the documents have operations");
    assert!(unexpected.is_empty(), "operations that do not conform: {unexpected:#?}");
}

//! Conformance of every operation against Prism, a mock server that
//! validates requests against the document and answers with random data
//! generated from its response schemas.
//!
//! `cargo xtask test` installs Prism, starts it (once per seed) and runs this
//! target (feature `conformance`) with `PRISM_URLS` set.

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
async fn every_operation_conforms_to_the_document() {
    let urls = std::env::var("PRISM_URLS").expect("PRISM_URLS is set by `cargo xtask test`");
    let mut failures: std::collections::BTreeMap<&str, Vec<String>> = std::collections::BTreeMap::new();
    let mut operations = std::collections::BTreeSet::new();
    for url in urls.split(',') {
        let client = Client::builder(url).bearer_token("conformance-key").build().expect("client builds");
        for (id, call) in calls(&client) {
            operations.insert(id);
            if let Err(e) = call.await {
                failures.entry(id).or_default().push(format!("[{url}] {}", explain(&e)));
            }
        }
    }
    for (id, why) in &failures {
        for w in why {
            println!("FAIL {id}: {w}");
        }
    }
    let total = operations.len();
    println!(
        "conformance: {} of {total} operations conform ({} seeds)",
        total - failures.len(),
        urls.split(',').count()
    );
    assert!(total > 0, "the document has operations");
    assert!(failures.is_empty(), "{} operations do not conform", failures.len());
}

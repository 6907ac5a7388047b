//! Arbitrary bytes as the answer to every operation: read as each success
//! type through the client's own decode path, and as an error response.
//! No input may panic, abort (a stack overflow included), or take longer
//! than 100 ms.
#![no_main]

use std::time::{Duration, Instant};

use drun_ghippo::ApiError;
use drun_ghippo::reqwest::StatusCode;
use drun_ghippo::reqwest::header::HeaderMap;
use libfuzzer_sys::fuzz_target;

include!(concat!(env!("OUT_DIR"), "/decoders.rs"));

const SLOWEST: Duration = Duration::from_millis(100);

fuzz_target!(|body: &[u8]| {
    let start = Instant::now();
    decode_all(body);
    let error = ApiError::new("Fuzz_Operation", StatusCode::BAD_GATEWAY, HeaderMap::new(), body);
    let _ = format!("{error} {error:?}");
    let elapsed = start.elapsed();
    assert!(elapsed < SLOWEST, "{} bytes took {elapsed:?} ({DECODED_TYPES} types)", body.len());
});

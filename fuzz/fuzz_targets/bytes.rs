//! Arbitrary bytes through the whole generator: an error is fine, a panic is
//! a bug. Seeded with the fixture documents (generator/tests/fixtures).
#![no_main]

use drun_generator::{Config, Source};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = drun_generator::generate(&Source { display_path: "fuzz", bytes: data }, &Config::default());
});

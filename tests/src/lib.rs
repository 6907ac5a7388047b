//! End-to-end tests of the generated client live in `tests/`; the
//! `list-users` example in `src/bin/`. This library only compiles the
//! README's Rust examples as doctests, so they cannot rot.
#![doc = include_str!("../../README.md")]

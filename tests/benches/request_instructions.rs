//! The CPU work of one `list_users` call, generated client vs hand-written
//! `reqwest`, counted in instructions rather than timed: loopback timings on
//! a small shared machine swing by tens of percent from run to run, while
//! an instruction count is the same from run to run.
//!
//! This binary only makes the calls: `cargo xtask bench` runs it under
//! `valgrind --tool=callgrind` for each client at two call counts, so that
//! the set-up (runtime, server, first connection) cancels out, and prints
//! instructions per call for both and their ratio. By hand:
//!
//! ```text
//! valgrind --tool=callgrind <bench binary> generated 1000
//! ```

mod common;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    // `cargo bench` runs every bench binary with `--bench`: nothing to do.
    let (Some(which), Some(count)) = (args.get(1), args.get(2).and_then(|n| n.parse::<usize>().ok())) else {
        return;
    };
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    let calls = common::Calls::start();
    runtime.block_on(async {
        for _ in 0..count {
            if which == "generated" { calls.generated().await } else { calls.hand_written().await }
        }
    });
}

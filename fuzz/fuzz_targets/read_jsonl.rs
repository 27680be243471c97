#![no_main]
//! Fuzz target `read_jsonl`: see `fuzz/checks.rs` for what it exercises and checks.

#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::read_jsonl(data));

#![no_main]
//! Fuzz target `dictionary`: see `fuzz/checks.rs` for what it exercises and checks.

#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::dictionary(data));

//! Replays the fuzz targets' seeds and every crash case kept from fuzzing
//! (fuzz/regressions/<target>/) through the same check functions the
//! libFuzzer binaries run (fuzz/checks.rs), so a fixed crash stays fixed
//! under plain `cargo test`, without libFuzzer or cargo-fuzz.

#[path = "../fuzz/checks.rs"]
mod checks;

use std::fs;
use std::path::Path;

fn replay(target: &str, check: fn(&[u8])) -> usize {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut n = 0;
    for dir in ["seeds", "regressions"] {
        let Ok(entries) = fs::read_dir(root.join(dir).join(target)) else { continue };
        let mut paths: Vec<_> = entries.map(|e| e.unwrap().path()).collect();
        paths.sort();
        for path in paths {
            let data = fs::read(&path).unwrap();
            let outcome = std::panic::catch_unwind(|| check(&data));
            assert!(outcome.is_ok(), "fuzz case {} panicked", path.display());
            n += 1;
        }
    }
    n
}

macro_rules! replay_tests {
    ($($target:ident),*) => {$(
        #[test]
        fn $target() {
            let n = replay(stringify!($target), checks::$target);
            assert!(n > 0, "no seeds or regression cases for {}", stringify!($target));
        }
    )*};
}

replay_tests!(text, read_delimited, read_jsonl, read_stream, lexicon, dictionary, model);

//! `slant lexicon export` through the real binary: the compiled-in lexicons,
//! byte for byte, in a file that `--lexicon` / `--sides` read back.

use assert_cmd::Command;
use std::fs;
use std::path::PathBuf;

fn slant() -> Command {
    Command::cargo_bin("slant").unwrap()
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn exported_lexicons_are_the_shipped_files_and_score_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let (framing, sides) = (dir.path().join("framing.tsv"), dir.path().join("sides.tsv"));
    slant().args(["lexicon", "export", "-o"]).arg(&framing).assert().success();
    slant().args(["lexicon", "export", "sides", "-o"]).arg(&sides).assert().success();
    assert_eq!(fs::read(&framing).unwrap(), fs::read(root().join("models/lexicons/framing.tsv")).unwrap());
    assert_eq!(fs::read(&sides).unwrap(), fs::read(root().join("models/lexicons/sides.tsv")).unwrap());
    let stdout = slant().args(["lexicon", "export", "framing"]).assert().success().get_output().stdout.clone();
    assert_eq!(stdout, fs::read(&framing).unwrap());

    let text = "Critics argue the plan may fail, officials reportedly said on Monday.";
    // The scores on standard output, then the matches (one output per stream).
    let matches = dir.path().join("m.csv");
    let score = |extra: &[&std::ffi::OsStr]| {
        let out = slant()
            .args(["score", "-", "-q", "--matches"])
            .arg(&matches)
            .args(extra)
            .write_stdin(text)
            .assert()
            .success();
        let mut both = out.get_output().stdout.clone();
        both.extend(fs::read(&matches).unwrap());
        both
    };
    let builtin = score(&[]);
    let exported = score(&["--lexicon".as_ref(), framing.as_os_str(), "--sides".as_ref(), sides.as_os_str()]);
    assert!(!builtin.is_empty());
    // Identical but for where the rule_line column says each rule came from.
    let exported = String::from_utf8_lossy(&exported)
        .replace(&format!("{}:", framing.display()), "builtin:framing.tsv:")
        .replace(&format!("{}:", sides.display()), "builtin:sides.tsv:");
    assert_eq!(String::from_utf8_lossy(&builtin), exported);
}

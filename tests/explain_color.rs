//! `slant explain --color`: styles through anstyle/anstream, the plain
//! `[text]{category/subcategory}` form when colour is off.

use assert_cmd::Command;

const TEXT: &str = "Officials said the plan may fail.\n";

/// `explain -` on `text` with `args`, with the colour variables of the
/// environment removed unless set in `env`.
fn explain(args: &[&str], env: &[(&str, &str)], text: &str) -> String {
    let mut cmd = Command::cargo_bin("slant").unwrap();
    cmd.args(["explain", "-", "-q"]).args(args);
    for v in ["NO_COLOR", "CLICOLOR", "CLICOLOR_FORCE"] {
        cmd.env_remove(v);
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.write_stdin(text).assert().success().get_output().stdout.clone();
    String::from_utf8(out).unwrap()
}

#[test]
fn never_and_piped_auto_are_plain() {
    let never = explain(&["--color", "never"], &[], TEXT);
    assert!(!never.contains('\x1b'), "{never:?}");
    assert!(never.contains("the plan [may]{hedge/modal} fail."), "{never}");
    assert!(!never.contains("legend:"));
    // Standard output is a pipe here: auto means no colour.
    assert_eq!(explain(&[], &[], TEXT), never);
    assert_eq!(explain(&["--color", "auto"], &[("NO_COLOR", "1")], TEXT), never);
}

#[test]
fn always_styles_matches_and_prints_the_legend() {
    let always = explain(&["--color", "always"], &[], TEXT);
    // hedge is the first category: bold yellow; the reset closes each mark.
    assert!(always.contains("the plan \x1b[1m\x1b[33mmay\x1b[0m fail."), "{always:?}");
    assert!(always.starts_with("legend: \x1b[1m\x1b[33mhedge\x1b[0m "), "{always:?}");
    assert!(always.contains(" \x1b[7mside mention\x1b[0m\n"), "{always:?}");
    assert!(!always.contains("]{"), "no plain marks with colour: {always:?}");
    // The flag wins over NO_COLOR, as before.
    assert_eq!(explain(&["--color", "always"], &[("NO_COLOR", "1")], TEXT), always);
    // anstream's auto also honours CLICOLOR_FORCE.
    assert_eq!(explain(&["--color", "auto"], &[("CLICOLOR_FORCE", "1")], TEXT), always);
}

/// With colour off everything goes through anstream's stripping writer, so
/// escape sequences in a document's own text do not reach the terminal.
#[test]
fn plain_output_carries_no_escape_sequences_from_the_text() {
    let out = explain(&["--color", "never"], &[], "Officials said it may \x1b[31mfail\x07 badly.\n");
    assert!(!out.contains('\x1b') && !out.contains('\x07'), "{out:?}");
    assert!(out.contains("[may]{hedge/modal} fail badly."), "{out}");
}

//! Inputs researchers have (#14 item 5): semicolon CSVs (`--delimiter`),
//! files that are not UTF-8 (`--encoding`), and JSON arrays or
//! pretty-printed JSON read as records with the JSON Lines field handling;
//! errors still name the file and the record. Through the real binary, on
//! text written here.

use assert_cmd::Command;
use std::fs;
use std::io::Write;
use std::path::Path;

fn slant() -> Command {
    Command::cargo_bin("slant").unwrap()
}

/// Score `args`, returning (exit code, rows as (doc_id, kept..., n_words), stderr).
fn score(args: &[&str], input: &Path) -> (i32, Vec<Vec<String>>, String) {
    let out = slant().arg("score").arg(input).args(args).args(["-o", "-"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let mut r = csv::Reader::from_reader(&out.stdout[..]);
    let header: Vec<String> = r.headers().map(|h| h.iter().map(String::from).collect()).unwrap_or_default();
    let want: Vec<usize> = header
        .iter()
        .enumerate()
        .filter(|(_, h)| ["doc_id", "outlet", "n_words", "hedge_n"].contains(&h.as_str()))
        .map(|(i, _)| i)
        .collect();
    let rows = r.records().map(|row| want.iter().map(|&i| row.as_ref().unwrap()[i].to_string()).collect()).collect();
    (out.status.code().unwrap_or(-1), rows, stderr)
}

fn row(cells: &[&str]) -> Vec<String> {
    cells.iter().map(|c| c.to_string()).collect()
}

#[test]
fn a_semicolon_csv_is_read_with_delimiter_and_without_it_the_columns_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("export.csv");
    fs::write(&input, "id;outlet;text\na1;Nord;\"Prices may rise; or not, said one.\"\na2;Sud;Two words\n").unwrap();
    let (code, rows, err) = score(&["--delimiter", ";", "--keep-cols", "outlet", "-q"], &input);
    assert_eq!(code, 0, "{err}");
    assert_eq!(rows, vec![row(&["a1", "Nord", "7", "1"]), row(&["a2", "Sud", "2", "0"])]);
    // Without it: one column named 'id;outlet;text', and the message shows it.
    let (code, _, err) = score(&["--keep-cols", "outlet"], &input);
    assert_eq!(code, 4);
    assert!(err.contains("id;outlet;text"), "{err}");
    // `tab` and a TSV under --delimiter; a bad value is a usage error.
    let tsv = dir.path().join("t.csv");
    fs::write(&tsv, "id\ttext\nb1\tIt may rain.\n").unwrap();
    let (code, rows, _) = score(&["--delimiter", "tab", "-q"], &tsv);
    assert_eq!((code, rows), (0, vec![row(&["b1", "3", "1"])]));
    let (code, _, err) = score(&["--delimiter", ";;"], &input);
    assert_eq!(code, 2);
    assert!(err.contains("not one character"), "{err}");
}

#[test]
fn windows_1252_and_latin1_text_is_transcoded_and_offsets_count_its_characters() {
    let dir = tempfile::tempdir().unwrap();
    // "Café owners may object — perhaps." in windows-1252: é = E9, em dash = 97.
    let bytes = b"Caf\xe9 owners may object \x97 perhaps.".to_vec();
    let folder = dir.path().join("texts");
    fs::create_dir(&folder).unwrap();
    fs::write(folder.join("a.txt"), &bytes).unwrap();
    let matches = dir.path().join("m.csv");
    let out = slant()
        .arg("score")
        .arg(&folder)
        .args(["--encoding", "windows-1252", "-o", "-", "--matches"])
        .arg(&matches)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(!String::from_utf8_lossy(&out.stderr).contains("invalid UTF-8"));
    let evidence = fs::read_to_string(&matches).unwrap();
    // "perhaps" starts at character 25: é and — are one character each.
    assert!(evidence.contains(",25,32,") && evidence.contains("perhaps"), "{evidence}");
    // Without --encoding the bytes are invalid UTF-8: repaired with a warning.
    let (code, _, err) = score(&[], &folder);
    assert_eq!(code, 0);
    assert!(err.contains("invalid UTF-8"), "{err}");
    // A latin-1 CSV (gzip-compressed too): kept columns and text transcoded.
    let csv_path = dir.path().join("l.csv.gz");
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(b"id,outlet,text\nx,Le Monde \xe0 Paris,\"Il est peut-\xeatre vrai.\"\n").unwrap();
    fs::write(&csv_path, enc.finish().unwrap()).unwrap();
    let (code, rows, err) = score(&["--encoding", "latin1", "--keep-cols", "outlet", "-q"], &csv_path);
    assert_eq!(code, 0, "{err}");
    assert_eq!(rows[0][..2], row(&["x", "Le Monde à Paris"])[..]);
    let (code, _, err) = score(&["--encoding", "klingon"], &csv_path);
    assert_eq!(code, 2);
    assert!(err.contains("unknown encoding 'klingon'"), "{err}");
}

const ARRAY: &str = r#"[{"id": "j1", "outlet": "Alpha", "body": "The plan may work."},
 {"id": "j2", "outlet": "Beta", "body": "Officials [said] \"yes\", {clearly}."}]"#;

#[test]
fn a_json_array_is_read_as_records_with_the_field_options() {
    let dir = tempfile::tempdir().unwrap();
    let one_line = dir.path().join("a.json");
    fs::write(&one_line, ARRAY.replace('\n', "")).unwrap();
    let pretty = dir.path().join("p.json");
    fs::write(&pretty, "[\n  {\n    \"id\": \"j1\",\n    \"outlet\": \"Alpha\",\n    \"body\": \"The plan may work.\"\n  },\n  {\n    \"id\": \"j2\", \"outlet\": \"Beta\",\n    \"body\": \"Officials [said] \\\"yes\\\", {clearly}.\"\n  }\n]\n").unwrap();
    // What `jq . records.jsonl` writes: objects one after another, pretty-printed.
    let stream = dir.path().join("s.json");
    fs::write(&stream, "{\n  \"id\": \"j1\",\n  \"outlet\": \"Alpha\",\n  \"body\": \"The plan may work.\"\n}\n{\n  \"id\": \"j2\",\n  \"outlet\": \"Beta\",\n  \"body\": \"Officials [said] \\\"yes\\\", {clearly}.\"\n}\n").unwrap();
    let gz = dir.path().join("a.json.gz");
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(ARRAY.as_bytes()).unwrap();
    fs::write(&gz, enc.finish().unwrap()).unwrap();
    for input in [&one_line, &pretty, &stream, &gz] {
        let (code, rows, err) = score(&["--text-field", "body", "--keep-cols", "outlet", "-q"], input);
        assert_eq!(code, 0, "{}: {err}", input.display());
        assert_eq!(rows, vec![row(&["j1", "Alpha", "4", "1"]), row(&["j2", "Beta", "4", "0"])], "{}", input.display());
    }
    // A field none of the records has: nothing usable, the fields listed.
    let (code, _, err) = score(&["--text-field", "content"], &one_line);
    assert_eq!(code, 4);
    assert!(err.contains("no text field 'content'") && err.contains("'body'"), "{err}");
    // From standard input with --input-format jsonl.
    let out = slant()
        .args(["score", "-", "--input-format", "jsonl", "--text-field", "body", "-q", "-o", "-"])
        .write_stdin(ARRAY)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 3);
}

#[test]
fn a_bad_record_of_an_array_is_skipped_with_its_line_and_number_and_a_cut_array_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("bad.json");
    fs::write(
        &input,
        "[\n{\"id\": \"k1\", \"text\": \"It may rain.\"},\n{\"id\": \"k2\", \"text\": 42},\n\"just a string\",\n{\"id\": \"k4\", \"text\": \"Fine.\"}\n]\n",
    )
    .unwrap();
    let errors = dir.path().join("errors.csv");
    let out = slant().arg("score").arg(&input).args(["-o", "-", "--errors"]).arg(&errors).output().unwrap();
    assert_eq!(out.status.code(), Some(3));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bad.json:3 (record 2)") && err.contains("not a string"), "{err}");
    assert!(err.contains("bad.json:4 (record 3)") && err.contains("expected a JSON object"), "{err}");
    let ids: Vec<String> =
        csv::Reader::from_reader(&out.stdout[..]).records().map(|r| r.unwrap()[0].to_string()).collect();
    assert_eq!(ids, ["k1", "k4"]);
    assert_eq!(fs::read_to_string(&errors).unwrap().lines().count(), 3);
    // A download cut inside a record: the records before it are scored.
    let cut = dir.path().join("cut.json");
    fs::write(&cut, "[{\"id\": \"c1\", \"text\": \"One.\"}, {\"id\": \"c2\", \"text\": \"Tw").unwrap();
    let (code, rows, err) = score(&[], &cut);
    assert_eq!(code, 3);
    assert_eq!(rows.len(), 1);
    assert!(err.contains("cut.json:1 (record 2)") && err.contains("truncated"), "{err}");
}

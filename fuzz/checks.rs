//! The fuzz targets' bodies, one function per target. Shared by the
//! libFuzzer binaries (fuzz/fuzz_targets/*.rs) and by `cargo test`
//! (tests/fuzz_regressions.rs replays the seeds and every crash case kept in
//! fuzz/regressions/<target>/ through the same functions). Each returns
//! normally on any input slant must handle; a panic is a finding.
#![allow(dead_code)]

use slant::engine::score_document;
use slant::models::artifact::ModelFile;
use slant::output::columns::{document_schema, match_schema, sentence_schema};
use slant::read::Document;
use slant::read::{decode, documents, Format, ReadOptions};
use slant::signals::dict::{DictFormat, Dictionary};
use slant::signals::lexicon::{Lexicon, Sides};
use slant::signals::{SignalSet, Worker};
use slant::text::normalize::normalize_bytes;
use slant::text::token::Span;
use std::sync::OnceLock;

fn check_span(text: &str, span: &Span, what: &str) {
    assert!(span.start <= span.end && span.end <= text.len(), "{what} span {span:?} outside text");
    assert!(text.is_char_boundary(span.start) && text.is_char_boundary(span.end), "{what} span {span:?} splits a char");
    assert_eq!(text[..span.start].chars().count(), span.char_start, "{what} char_start of {span:?}");
    assert_eq!(span.char_start + text[span.start..span.end].chars().count(), span.char_end, "{what} char_end");
}

const TEXT_LEXICON: &str = "Officials said the plan may fail, critics argue. \"It is a disaster,\" Smith said. \
Democrats and Republicans reportedly disagree; some say it is clearly wrong.";

const TEXT_DICTIONARY: &str =
    "The reform may help, officials said. \"It is a disgrace,\" critics argue; some say 3 % is enough.";

/// Tokenizer, sentence splitter, quotation finder and the whole signal
/// pass on arbitrary bytes, plus every output row built from the result.
/// Besides "no panic", it checks the invariants the evidence file relies on:
/// every span lies on character boundaries inside the text, char offsets
/// agree with byte offsets, and tokens and sentences come in text order.
pub fn text(data: &[u8]) {
    static SET: OnceLock<SignalSet> = OnceLock::new();
    let set = SET.get_or_init(SignalSet::builtin);
    let (text, _) = normalize_bytes(data);
    let doc =
        Document { id: "fuzz".into(), text: text.clone(), kept: vec![], location: "fuzz".into(), warnings: vec![] };
    let scored = score_document(set, &mut Worker::default(), doc);
    let a = &scored.signals.analyzed;
    let mut last = 0;
    for t in &a.tokens {
        check_span(&text, &t.span, "token");
        assert!(t.span.start >= last, "tokens out of order");
        assert!((t.sentence as usize) < a.sentences.len().max(1), "token sentence index");
        last = t.span.end;
    }
    let mut last = 0;
    for s in &a.sentences {
        check_span(&text, &s.span, "sentence");
        assert!(s.span.start >= last, "sentences overlap");
        last = s.span.end;
    }
    for q in &a.quotes {
        check_span(&text, &q.span, "quote");
    }
    for m in &scored.signals.matches {
        check_span(&text, &m.span, "match");
        assert!(m.tok_start < m.tok_end && m.tok_end <= a.tokens.len(), "match token range");
    }
    let mut cells = Vec::new();
    document_schema(set, &[], &[]).row(&scored, 0, &mut cells);
    let sentences = sentence_schema(set, &[]);
    for i in 0..a.sentences.len() {
        sentences.row(&scored, i, &mut cells);
    }
    let matches = match_schema(set);
    for i in 0..scored.signals.matches.len() {
        matches.row(&scored, i, &mut cells);
    }
}

/// The CSV/TSV reader on arbitrary bytes: the first byte picks the
/// delimiter and whether to pass column options; the rest is the file.
pub fn read_delimited(data: &[u8]) {
    let Some((&mode, body)) = data.split_first() else { return };
    let format = if mode & 1 == 0 { Format::Csv } else { Format::Tsv };
    let options = if mode & 2 == 0 {
        ReadOptions::default()
    } else {
        ReadOptions {
            format: Some(format),
            id_col: Some("1".into()),
            text_col: Some("2".into()),
            keep_cols: vec!["3".into(), "id".into()],
            max_doc_bytes: Some(200),
            ..ReadOptions::default()
        }
    };
    let reader = Box::new(std::io::Cursor::new(body.to_vec()));
    if let Ok(docs) = documents(reader, format, "fuzz".into(), "fuzz".into(), &options) {
        for d in docs.take(10_000).flatten() {
            assert_eq!(d.kept.len(), options.keep_cols.len());
        }
    }
}

/// The JSON Lines reader on arbitrary bytes (first byte: column options).
pub fn read_jsonl(data: &[u8]) {
    let Some((&mode, body)) = data.split_first() else { return };
    let options = if mode & 1 == 0 {
        ReadOptions::default()
    } else {
        ReadOptions {
            format: Some(Format::Jsonl),
            id_col: Some("id".into()),
            text_col: Some("body".into()),
            keep_cols: vec!["outlet".into()],
            max_doc_bytes: Some(200),
            ..ReadOptions::default()
        }
    };
    let reader = Box::new(std::io::Cursor::new(body.to_vec()));
    if let Ok(docs) = documents(reader, Format::Jsonl, "fuzz".into(), "fuzz".into(), &options) {
        for d in docs.take(10_000).flatten() {
            assert_eq!(d.kept.len(), options.keep_cols.len());
        }
    }
}

/// The byte layer every input goes through (gzip sniffing and inflating,
/// UTF-16 and UTF-8 BOMs) and then a plain-text document, or a CSV file when
/// the first byte is odd: truncated and corrupt .gz streams land here.
pub fn read_stream(data: &[u8]) {
    let Some((&mode, body)) = data.split_first() else { return };
    let format = if mode & 1 == 0 { Format::Txt } else { Format::Csv };
    let Ok(reader) = decode(Box::new(std::io::Cursor::new(body.to_vec()))) else { return };
    if let Ok(docs) = documents(reader, format, "fuzz".into(), "fuzz".into(), &ReadOptions::default()) {
        for d in docs.take(10_000) {
            let _ = d;
        }
    }
}

/// The lexicon and sides table parsers, then compiling them into matchers
/// and scoring a short text with the result (first byte: which table).
pub fn lexicon(data: &[u8]) {
    let Some((&mode, body)) = data.split_first() else { return };
    let Ok(table) = std::str::from_utf8(body) else { return };
    let set = if mode & 1 == 0 {
        let Ok(lexicon) = Lexicon::parse("fuzz.tsv", table) else { return };
        SignalSet::new(lexicon, Sides::builtin())
    } else {
        let Ok(sides) = Sides::parse("fuzz.tsv", table) else { return };
        SignalSet::new(Lexicon::builtin(), sides)
    };
    if let Ok(set) = set {
        let signals = set.analyze(TEXT_LEXICON, &mut Worker::default());
        let _ = slant::signals::stats::count(&set, &signals);
    }
}

/// User dictionaries (LIWC .dic, YAML, CSV; first byte picks the format),
/// then adding a clean one to the built-in lexicon and scoring a text.
pub fn dictionary(data: &[u8]) {
    let Some((&mode, body)) = data.split_first() else { return };
    let Ok(text) = std::str::from_utf8(body) else { return };
    let format = match mode % 3 {
        0 => DictFormat::Liwc,
        1 => DictFormat::Yaml,
        _ => DictFormat::Csv,
    };
    let dict = Dictionary::parse_as(format, "fuzz.dic", text);
    if dict.errors().next().is_some() {
        return;
    }
    let mut lexicon = Lexicon::builtin();
    if lexicon.add_dictionary(&dict).is_err() {
        return;
    }
    if let Ok(set) = SignalSet::new(lexicon, Sides::builtin()) {
        let signals = set.analyze(TEXT_DICTIONARY, &mut Worker::default());
        let _ = slant::signals::stats::count(&set, &signals);
    }
}

/// The model loader on arbitrary bytes: parse, version and shape checks,
/// and, for a file that passes them, featurising and predicting a text,
/// which must give finite probabilities. A mutated byte of a binary body
/// nearly always fails the CRC check and stops there, so the same bytes are
/// also loaded with the header's CRC made to match the body: that is what
/// reaches the body's decoders.
pub fn model(data: &[u8]) {
    model_once(data);
    if let Some(matching) = with_matching_crc(data) {
        model_once(&matching);
    }
}

/// `data` with the header's `"crc32"` replaced by the CRC of the bytes
/// after its first line break, when it differs.
fn with_matching_crc(data: &[u8]) -> Option<Vec<u8>> {
    const KEY: &str = "\"crc32\":\"";
    let line_end = data.iter().position(|&b| b == b'\n')?;
    let header = std::str::from_utf8(&data[..line_end]).ok()?;
    let at = header.find(KEY)? + KEY.len();
    let old = header.get(at..at + 8)?;
    let new = slant::models::body::BodyInfo::of(&data[line_end + 1..]).crc32;
    if old == new {
        return None;
    }
    let mut out = Vec::with_capacity(data.len());
    out.extend_from_slice(&data[..at]);
    out.extend_from_slice(new.as_bytes());
    out.extend_from_slice(&data[at + 8..line_end]);
    out.extend_from_slice(&data[line_end..]);
    Some(out)
}

fn model_once(data: &[u8]) {
    let Ok(file) = ModelFile::from_slice(data) else { return };
    let Ok(model) = file.into_runtime() else { return };
    // A model that loads has stacked models that fit their columns.
    let p = model
        .predict_texts(&["Officials said the plan may fail.", ""], &mut Worker::default())
        .unwrap_or_else(|e| panic!("a model that loads must predict: {e}"));
    assert_eq!(p.ncols(), model.file.labels.len());
    for v in p.iter() {
        assert!(v.is_finite() && (-1e-9..=1.0 + 1e-9).contains(v), "probability {v}");
    }
}

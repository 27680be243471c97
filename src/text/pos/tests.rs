//! Tests of the model file checks, the shipped model, and training on a
//! small treebank written for these tests.

use super::train::{self, align, parse_conllu, TrainData, TrainSettings};
use super::*;

/// (FORM, UPOS, XPOS, HEAD) of one treebank word.
type ToyWord = (&'static str, &'static str, &'static str, u32);

/// A tiny CoNLL-U treebank (our own sentences): "duck" and "saw" are a
/// noun or a verb depending on their neighbours.
fn toy_treebank(copies: usize) -> String {
    let sentences: [(&str, &[ToyWord]); 4] = [
        (
            "They saw a duck .",
            &[
                ("They", "PRON", "PRP", 2),
                ("saw", "VERB", "VBD", 0),
                ("a", "DET", "DT", 4),
                ("duck", "NOUN", "NN", 2),
                (".", "PUNCT", ".", 2),
            ],
        ),
        (
            "We duck under a saw .",
            &[
                ("We", "PRON", "PRP", 2),
                ("duck", "VERB", "VBP", 0),
                ("under", "ADP", "IN", 5),
                ("a", "DET", "DT", 5),
                ("saw", "NOUN", "NN", 2),
                (".", "PUNCT", ".", 2),
            ],
        ),
        (
            "Anna saw the saw .",
            &[
                ("Anna", "PROPN", "NNP", 2),
                ("saw", "VERB", "VBD", 0),
                ("the", "DET", "DT", 4),
                ("saw", "NOUN", "NN", 2),
                (".", "PUNCT", ".", 2),
            ],
        ),
        (
            "The duck saw Anna .",
            &[
                ("The", "DET", "DT", 2),
                ("duck", "NOUN", "NN", 3),
                ("saw", "VERB", "VBD", 0),
                ("Anna", "PROPN", "NNP", 3),
                (".", "PUNCT", ".", 3),
            ],
        ),
    ];
    let mut out = String::new();
    for c in 0..copies {
        for (k, (text, words)) in sentences.iter().enumerate() {
            out.push_str(&format!("# sent_id = toy-{c}-{k}\n# text = {text}\n"));
            for (i, (form, upos, xpos, head)) in words.iter().enumerate() {
                out.push_str(&format!("{}\t{form}\t_\t{upos}\t{xpos}\t_\t{head}\t_\t_\t_\n", i + 1));
            }
            out.push('\n');
        }
    }
    out
}

fn toy_data(copies: usize) -> TrainData {
    let sents = parse_conllu(&toy_treebank(copies), "toy").unwrap();
    let a = align(&sents, train::Tokenization::Slant);
    assert!(a.skipped.is_empty());
    TrainData { sentences: a.sentences, files: Vec::new(), skipped: 0 }
}

fn toy_settings() -> TrainSettings {
    let mut s = TrainSettings { iterations: 5, min_label_count: 1, tagdict_min_count: 1000, ..Default::default() };
    s.templates.extend([
        Template::Ambig,
        Template::PrevAmbig,
        Template::NextAmbig,
        Template::Next2Ambig,
        Template::Flags,
    ]);
    s.ambiguity_min_count = 3;
    s
}

fn upos_of(t: &Tagger, words: &[&str]) -> Vec<Upos> {
    let mut sc = Scratch::new();
    let mut out = Vec::new();
    t.tag(words, &mut sc, &mut out);
    out.iter().map(|p| p.upos).collect()
}

#[test]
fn training_learns_the_toy_treebank_and_records_ambiguity_classes() {
    let data = toy_data(10);
    let t = train::train(&data, &toy_settings(), None, Vec::new(), |_| {}).unwrap();
    use Upos::*;
    assert_eq!(upos_of(&t, &["They", "saw", "a", "duck", "."]), [Pron, Verb, Det, Noun, Punct]);
    assert_eq!(upos_of(&t, &["We", "duck", "under", "a", "saw", "."]), [Pron, Verb, Adp, Det, Noun, Punct]);
    // "saw" was a noun and a verb, "a" only a determiner.
    let class = |w: &str| t.header().ambiguity.iter().find(|(x, _)| x == w).map(|&(_, m)| m);
    assert_eq!(class("saw"), Some(1 << Noun as u32 | 1 << Verb as u32));
    assert_eq!(class("a"), Some(1 << Det as u32));
    assert!(t.header().ambiguity.windows(2).all(|w| w[0].0 < w[1].0));
}

#[test]
fn a_trained_model_round_trips_and_tags_the_same_after_loading() {
    let t = train::train(&toy_data(5), &toy_settings(), None, Vec::new(), |_| {}).unwrap();
    let json = t.to_json();
    let back = Tagger::from_json(&json).unwrap();
    assert_eq!(back.to_json(), json);
    let words = ["Anna", "saw", "the", "duck", "."];
    assert_eq!(upos_of(&back, &words), upos_of(&t, &words));
}

#[test]
fn rare_word_training_leaves_identity_features_out() {
    // With every word "rare", no word-identity weight can be learned, so the
    // model is smaller than the one trained with them.
    let data = toy_data(5);
    let full = train::train(&data, &toy_settings(), None, Vec::new(), |_| {}).unwrap();
    let anon =
        train::train(&data, &TrainSettings { rare_word_max: u32::MAX, ..toy_settings() }, None, Vec::new(), |_| {})
            .unwrap();
    assert!(anon.header().weights.n_tw_words == 0);
    assert!(full.header().weights.n_tw_words > 0);
}

#[test]
fn the_shipped_model_loads_and_round_trips() {
    let t = Tagger::builtin();
    assert_eq!(t.header().version, VERSION);
    assert_eq!(t.to_json(), BUILTIN_MODEL);
    use Upos::*;
    assert_eq!(
        upos_of(t, &["The", "officials", "said", "it", "may", "rain", "."]),
        [Det, Noun, Verb, Pron, Aux, Verb, Punct]
    );
}

/// The shipped model's text with `from` replaced by `to` (once).
fn edited(from: &str, to: &str) -> Vec<u8> {
    let s = std::str::from_utf8(BUILTIN_MODEL).unwrap();
    assert!(s.contains(from), "{from:?} not in the model file");
    s.replacen(from, to, 1).into_bytes()
}

#[test]
fn wrong_version_format_truncation_and_corruption_are_reported() {
    let v = format!("\"version\": {VERSION},");
    let e = Tagger::from_json(&edited(&v, "\"version\": 999,")).unwrap_err();
    assert!(matches!(e, PosError::Version { found: 999, .. }), "{e}");
    let e = Tagger::from_json(&edited("\"slant-pos-tagger\"", "\"other\"")).unwrap_err();
    assert!(matches!(e, PosError::WrongFormat { .. }), "{e}");
    let e = Tagger::from_json(&BUILTIN_MODEL[..BUILTIN_MODEL.len() / 2]).unwrap_err();
    assert!(matches!(e, PosError::Truncated { .. }), "{e}");
    let e = Tagger::from_json(&edited("\"data\": \"", "\"data\": \"AAAA")).unwrap_err();
    assert!(matches!(e, PosError::Corrupt(_)), "{e}");
}

#[test]
fn bad_ambiguity_classes_are_rejected() {
    let s = std::str::from_utf8(BUILTIN_MODEL).unwrap();
    let v: serde_json::Value = serde_json::from_str(s).unwrap();
    let classes = v["ambiguity"].as_array().unwrap().clone();
    assert!(classes.len() > 2, "the shipped model has ambiguity classes");
    let with = |classes: Vec<serde_json::Value>| {
        let mut v = v.clone();
        v["ambiguity"] = serde_json::Value::Array(classes);
        Tagger::from_json(&serde_json::to_vec(&v).unwrap()).unwrap_err()
    };
    // Out of order.
    let mut swapped = classes.clone();
    swapped.swap(0, 1);
    assert!(matches!(with(swapped), PosError::Shape(_)));
    // Not a set of UPOS tags.
    let mut bad = classes.clone();
    bad[0][1] = serde_json::json!(1u32 << 20);
    assert!(matches!(with(bad.clone()), PosError::Shape(_)));
    bad[0][1] = serde_json::json!(0);
    assert!(matches!(with(bad), PosError::Shape(_)));
}

#[test]
fn the_word_cache_gives_the_same_tags_across_evictions() {
    // Far more distinct unseen words than the cache holds, some recurring
    // (they survive evictions), tagged with one scratch and with a fresh
    // one per sentence: the tags must not depend on what the cache held.
    let t = Tagger::builtin();
    let mut shared = Scratch::new();
    let (mut a, mut b) = (Vec::new(), Vec::new());
    for i in 0..6000 {
        let words = [
            format!("Zorbel{}", i % 37),
            "said".to_string(),
            format!("quindle{i}s"),
            format!("brastic{i}"),
            format!("vormed{}", i % 501),
            ".".to_string(),
        ];
        let refs: Vec<&str> = words.iter().map(String::as_str).collect();
        t.tag(&refs, &mut shared, &mut a);
        t.tag(&refs, &mut Scratch::new(), &mut b);
        assert_eq!(a, b, "sentence {i}");
    }
}

#[test]
fn base64_round_trips_and_stays_strict() {
    use super::model::{base64_decode, base64_encode};
    let bytes: Vec<u8> = (0..=255u8).rev().chain(0..=255u8).collect();
    for len in 0..40 {
        let enc = base64_encode(&bytes[..len]);
        assert_eq!(base64_decode(&enc).as_deref(), Some(&bytes[..len]), "length {len}");
    }
    assert_eq!(base64_decode("aGk="), Some(b"hi".to_vec()));
    for bad in ["aGk", "aG=k", "a=Gk", "aGk*", "aGl=", "aGk=aGk=", "aGk= ", "====", "aG\u{e9}="] {
        assert_eq!(base64_decode(bad), None, "{bad:?}");
    }
}

//! The model file: one JSON document. A readable header says what the model
//! is (format name and version, tag sets, label order, feature templates and
//! hash, training settings and data hashes, accuracy), and `weights.data`
//! holds the quantised sparse weights as base64 of a little-endian binary
//! body. The body is binary because a JSON array of a million numbers is
//! several times larger and slower to parse than the weights are to use.
//!
//! Loading checks everything the tagger relies on and fails with a typed
//! [`PosError`]: wrong format or version, unknown tags, truncated or corrupt
//! body (length and checksum), inconsistent shapes. Saving a loaded model
//! reproduces the file byte for byte.

use super::features::{Template, FEATURE_HASH};
use super::tagger::{Body, Tagger};
use super::tags::{PosTag, Upos, Xpos};
use super::train::{Evaluation, TrainSettings};
use super::PosError;
use serde::{Deserialize, Serialize};
use std::path::Path;
use std::sync::OnceLock;

pub const FORMAT: &str = "slant-pos-tagger";
/// Bumped whenever the layout or meaning of anything in the file changes
/// (including the feature hash and template ids). Version 2 added the
/// ambiguity classes and templates 23 to 29.
pub const VERSION: u32 = 2;

const ENCODING: &str = "base64 (RFC 4648, padded) of little-endian arrays, in order: features u64[n_features], \
tw_words u64[n_tw_words], tw_word_end u32[n_tw_words], tw_tag u8[n_tw_rows], row_end u32[n_features+n_tw_rows], \
cell_class u8[n_cells], cell_value i16[n_cells]";
const QUANTISATION: &str = "weight = cell_value * scale (i16, scale = max |averaged weight| / 32767)";
const CHECKSUM: &str = "slant-mix64-1";

/// Everything in the file but the weights themselves.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelHeader {
    pub format: String,
    pub version: u32,
    pub name: String,
    pub description: String,
    pub slant_version: String,
    pub created: String,
    /// The tokenization the model expects its input in.
    pub tokenizer: String,
    /// Class order: `UPOS|XPOS` pairs. Class indices in the weights, the tag
    /// dictionary and the tag-history features refer to this list.
    pub labels: Vec<String>,
    pub upos_tags: Vec<String>,
    pub xpos_tags: Vec<String>,
    pub features: FeatureInfo,
    pub settings: TrainSettings,
    pub training: TrainingInfo,
    pub accuracy: Vec<AccuracyReport>,
    /// Surfaces tagged without scoring: (exact surface, class index).
    pub tagdict: Vec<(String, u8)>,
    /// Ambiguity classes: (normalised word, bit mask of the UPOS tags it
    /// had in training, bit i = the i-th of `upos_tags`), words in
    /// increasing order; empty unless an `*_ambig` template is used.
    pub ambiguity: Vec<(String, u32)>,
    /// Surfaces whose score vectors are built at load time (the frequent
    /// training surfaces); others are built on first sight.
    pub cache_words: Vec<String>,
    pub weights: WeightsInfo,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeatureInfo {
    pub hash: String,
    pub templates: Vec<Template>,
    pub word_normalisation: String,
    pub shape: String,
}

impl FeatureInfo {
    pub fn new(templates: Vec<Template>) -> Self {
        FeatureInfo {
            hash: FEATURE_HASH.into(),
            templates,
            word_normalisation: "lowercase, U+2019 as '; a word starting with a digit is !YEAR (4 digits) or !DIGITS; \
                                 affixes by characters of the lowercase form"
                .into(),
            shape: "upper X, lower x, digit d, caseless letter a, other characters kept; runs cut at 2".into(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WeightsInfo {
    pub encoding: String,
    pub quantisation: String,
    pub scale: f32,
    pub n_features: usize,
    pub n_tw_words: usize,
    pub n_tw_rows: usize,
    pub n_cells: usize,
    pub checksum_algorithm: String,
    /// Of the decoded body, hex.
    pub checksum: String,
    pub data: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrainingInfo {
    pub files: Vec<DataFile>,
    /// How gold tags were given to slant's tokens.
    pub alignment: String,
    pub sentences: usize,
    pub tokens: usize,
    /// Share of training tokens aligned one-to-one with a treebank token.
    pub one_to_one: f64,
    pub seconds: f64,
    pub command: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DataFile {
    pub name: String,
    /// SHA-256 of the file as read (the gzip bytes).
    pub sha256: String,
    pub sentences: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccuracyReport {
    /// e.g. "dev" or "test".
    pub split: String,
    /// Which model was measured (this one, or the train-only model that
    /// chose the settings).
    pub model: String,
    pub metrics: Evaluation,
}

impl ModelHeader {
    pub(crate) fn parse_labels(&self) -> Result<Vec<PosTag>, PosError> {
        let upos: Vec<&str> = Upos::ALL.iter().map(|u| u.as_str()).collect();
        if self.upos_tags != upos {
            return Err(PosError::Shape(format!("UPOS tag set {:?} is not the UD set {:?}", self.upos_tags, upos)));
        }
        for x in &self.xpos_tags {
            if Xpos::from_name(x).is_none() {
                return Err(PosError::UnknownTag(x.clone()));
            }
        }
        self.labels
            .iter()
            .map(|l| {
                let t = PosTag::parse_pair(l).ok_or_else(|| PosError::UnknownTag(l.clone()))?;
                if !self.xpos_tags.iter().any(|x| x == t.xpos.as_str()) {
                    return Err(PosError::UnknownTag(l.clone()));
                }
                Ok(t)
            })
            .collect()
    }
}

/// Just enough of the header to say why a file that is not a model fails.
#[derive(Deserialize)]
struct Probe {
    format: String,
    version: u32,
}

impl Tagger {
    /// Read and check a model file.
    pub fn load(path: &Path) -> Result<Tagger, PosError> {
        let bytes = std::fs::read(path).map_err(|source| PosError::Io { path: path.to_path_buf(), source })?;
        Tagger::from_json(&bytes)
    }

    /// Parse and check a model file's contents.
    pub fn from_json(bytes: &[u8]) -> Result<Tagger, PosError> {
        let mut header: ModelHeader = match serde_json::from_slice(bytes) {
            Ok(h) => h,
            Err(e) => return Err(explain_parse_error(bytes, e)),
        };
        check_format(&header.format, header.version)?;
        let data = std::mem::take(&mut header.weights.data);
        let body = decode_body(&header.weights, &data)?;
        Tagger::from_parts(header, body)
    }

    /// The model file's contents (pretty JSON; the header stays readable).
    pub fn to_json(&self) -> Vec<u8> {
        let mut header = self.header.clone();
        header.weights = weights_info(&self.body);
        // A header serialises infallibly: strings, numbers, and a finite scale.
        let mut out = serde_json::to_vec_pretty(&header).expect("serialising a model header");
        out.push(b'\n');
        out
    }

    /// Write the model file (via a temporary file renamed into place, so a
    /// failed write never leaves a half model behind).
    pub fn save(&self, path: &Path) -> Result<(), PosError> {
        let io = |source| PosError::Io { path: path.to_path_buf(), source };
        let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(io)?;
        std::io::Write::write_all(&mut tmp, &self.to_json()).map_err(io)?;
        tmp.persist(path).map_err(|e| io(e.error))?;
        Ok(())
    }

    /// The model shipped with slant (UD English EWT, see
    /// `models/pos/en_ewt.card.md`), parsed on first use, once per process.
    pub fn builtin() -> &'static Tagger {
        static BUILTIN: OnceLock<Tagger> = OnceLock::new();
        BUILTIN.get_or_init(|| {
            // The tests load the embedded file, so this cannot fail in a
            // tested build.
            Tagger::from_json(BUILTIN_MODEL).expect("the embedded POS model is valid")
        })
    }
}

/// The shipped model file, compiled into the binary.
pub const BUILTIN_MODEL: &[u8] = include_bytes!("../../../models/pos/en_ewt.json");

fn check_format(format: &str, version: u32) -> Result<(), PosError> {
    if format != FORMAT {
        return Err(PosError::WrongFormat { found: format.to_string(), expected: FORMAT });
    }
    if version != VERSION {
        return Err(PosError::Version { found: version, supported: VERSION });
    }
    Ok(())
}

/// A header that does not parse: say it is truncated, not a model, of
/// another version, or else what serde found.
fn explain_parse_error(bytes: &[u8], e: serde_json::Error) -> PosError {
    if e.classify() == serde_json::error::Category::Eof {
        return PosError::Truncated { line: e.line(), column: e.column() };
    }
    if let Ok(p) = serde_json::from_slice::<Probe>(bytes) {
        if let Err(fe) = check_format(&p.format, p.version) {
            return fe;
        }
    }
    PosError::Json(e)
}

pub(crate) fn weights_info(body: &Body) -> WeightsInfo {
    let raw = encode_raw(body);
    WeightsInfo {
        encoding: ENCODING.into(),
        quantisation: QUANTISATION.into(),
        scale: body.scale,
        n_features: body.features.len(),
        n_tw_words: body.tw_words.len(),
        n_tw_rows: body.tw_tag.len(),
        n_cells: body.cell_class.len(),
        checksum_algorithm: CHECKSUM.into(),
        checksum: format!("{:016x}", checksum(&raw)),
        data: base64_encode(&raw),
    }
}

fn encode_raw(b: &Body) -> Vec<u8> {
    let mut out =
        Vec::with_capacity(b.features.len() * 12 + b.tw_words.len() * 12 + b.tw_tag.len() * 5 + b.cell_class.len() * 3);
    b.features.iter().for_each(|v| out.extend_from_slice(&v.to_le_bytes()));
    b.tw_words.iter().for_each(|v| out.extend_from_slice(&v.to_le_bytes()));
    b.tw_word_end.iter().for_each(|v| out.extend_from_slice(&v.to_le_bytes()));
    out.extend_from_slice(&b.tw_tag);
    b.row_end.iter().for_each(|v| out.extend_from_slice(&v.to_le_bytes()));
    out.extend_from_slice(&b.cell_class);
    b.cell_value.iter().for_each(|v| out.extend_from_slice(&v.to_le_bytes()));
    out
}

fn decode_body(info: &WeightsInfo, data: &str) -> Result<Body, PosError> {
    let raw = base64_decode(data).ok_or_else(|| PosError::Corrupt("weights.data is not valid base64".into()))?;
    let (nf, nw, nt, nc) = (info.n_features, info.n_tw_words, info.n_tw_rows, info.n_cells);
    let expected = nf
        .checked_mul(8 + 4)
        .and_then(|a| a.checked_add(nw.checked_mul(8 + 4)?))
        .and_then(|a| a.checked_add(nt.checked_mul(1 + 4)?))
        .and_then(|a| a.checked_add(nc.checked_mul(1 + 2)?));
    if expected != Some(raw.len()) {
        return Err(PosError::Corrupt(format!(
            "the weights are {} bytes, the header's counts need {} (truncated or mismatched)",
            raw.len(),
            expected.map_or("more than fit in memory".to_string(), |e| e.to_string())
        )));
    }
    let sum = format!("{:016x}", checksum(&raw));
    if info.checksum_algorithm != CHECKSUM || sum != info.checksum {
        return Err(PosError::Corrupt(format!(
            "checksum {sum} ({CHECKSUM}) does not match the header's {} ({})",
            info.checksum, info.checksum_algorithm
        )));
    }
    let mut rest = raw.as_slice();
    let mut take = |n: usize| {
        let (a, b) = rest.split_at(n);
        rest = b;
        a
    };
    let u64s = |b: &[u8]| b.chunks_exact(8).map(|c| u64::from_le_bytes(c.try_into().unwrap())).collect::<Vec<_>>();
    let u32s = |b: &[u8]| b.chunks_exact(4).map(|c| u32::from_le_bytes(c.try_into().unwrap())).collect::<Vec<_>>();
    let features = u64s(take(nf * 8));
    let tw_words = u64s(take(nw * 8));
    let tw_word_end = u32s(take(nw * 4));
    let tw_tag = take(nt).to_vec();
    let row_end = u32s(take((nf + nt) * 4));
    let cell_class = take(nc).to_vec();
    let cell_value = take(nc * 2).chunks_exact(2).map(|c| i16::from_le_bytes([c[0], c[1]])).collect();
    Ok(Body { scale: info.scale, features, tw_words, tw_word_end, tw_tag, row_end, cell_class, cell_value })
}

/// A fast 64-bit checksum (corruption, not tampering: the file is data).
fn checksum(bytes: &[u8]) -> u64 {
    let mut h = super::features::mix64(bytes.len() as u64);
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        h = super::features::mix64(h ^ u64::from_le_bytes(c.try_into().unwrap()));
    }
    let mut last = [0u8; 8];
    last[..chunks.remainder().len()].copy_from_slice(chunks.remainder());
    super::features::mix64(h ^ u64::from_le_bytes(last))
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

pub(crate) fn base64_encode(bytes: &[u8]) -> String {
    let mut out = Vec::with_capacity(bytes.len().div_ceil(3) * 4);
    for c in bytes.chunks(3) {
        let n = (c[0] as u32) << 16 | (*c.get(1).unwrap_or(&0) as u32) << 8 | *c.get(2).unwrap_or(&0) as u32;
        out.push(B64[(n >> 18) as usize & 63]);
        out.push(B64[(n >> 12) as usize & 63]);
        out.push(if c.len() > 1 { B64[(n >> 6) as usize & 63] } else { b'=' });
        out.push(if c.len() > 2 { B64[n as usize & 63] } else { b'=' });
    }
    String::from_utf8(out).expect("base64 is ASCII")
}

/// Value of each base64 character, 255 for a byte that is not one.
const B64_VALUE: [u8; 256] = {
    let mut t = [255u8; 256];
    let mut i = 0;
    while i < 64 {
        t[B64[i] as usize] = i as u8;
        i += 1;
    }
    t
};

/// Strict decoding: padded, no whitespace, no stray bits (so encoding what
/// was decoded gives the same text). The tagger's body is 3.4 MB of base64
/// decoded at every start, so the quads before the last one take a short
/// path: four table lookups, three bytes out, and one validity test for the
/// whole body at the end (a value is at most 63, the marker 255 sets the top
/// bit of the running OR).
pub(crate) fn base64_decode(s: &str) -> Option<Vec<u8>> {
    let b = s.as_bytes();
    if b.len() % 4 != 0 {
        return None;
    }
    let Some(last_at) = b.len().checked_sub(4) else {
        return Some(Vec::new());
    };
    let (body, last) = b.split_at(last_at);
    let mut out = vec![0u8; body.len() / 4 * 3];
    let mut bad = 0u8;
    for (q, o) in body.chunks_exact(4).zip(out.chunks_exact_mut(3)) {
        let v =
            [B64_VALUE[q[0] as usize], B64_VALUE[q[1] as usize], B64_VALUE[q[2] as usize], B64_VALUE[q[3] as usize]];
        bad |= v[0] | v[1] | v[2] | v[3];
        let n = (v[0] as u32) << 18 | (v[1] as u32) << 12 | (v[2] as u32) << 6 | v[3] as u32;
        o.copy_from_slice(&[(n >> 16) as u8, (n >> 8) as u8, n as u8]);
    }
    if bad & 0x80 != 0 {
        return None;
    }
    let pad = last.iter().rev().take_while(|&&c| c == b'=').count();
    if pad > 2 {
        return None;
    }
    let mut n = 0u32;
    for &c in &last[..4 - pad] {
        let v = B64_VALUE[c as usize];
        if v & 0x80 != 0 {
            return None;
        }
        n = n << 6 | v as u32;
    }
    n <<= 6 * pad as u32;
    if pad > 0 && (n & ((1 << (8 * pad)) - 1)) != 0 {
        return None;
    }
    out.extend_from_slice(&[(n >> 16) as u8, (n >> 8) as u8, n as u8][..3 - pad]);
    Some(out)
}

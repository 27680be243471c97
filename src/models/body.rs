//! The binary body of a model file (schema version 3).
//!
//! Parsing the numbers and terms of a model from JSON text was most of
//! `score --model`'s start-up (about a third of its instructions; a float
//! written as text costs ~100 instructions to read back exactly). So the
//! large arrays (estimator weights, idf weights, the vocabulary) are stored
//! after the JSON header as raw little-endian values, and the header holds a
//! reference in their place: `{"body":"f64","offset":O,"bytes":B,"count":N}`.
//! The embedded lexicon and boilerplate texts (long strings of tabs and line
//! breaks, escapes in JSON) are stored there as their UTF-8 bytes
//! (`{"body":"utf8",...,"count":1}`). Everything else, and what the arrays
//! and texts are, stays readable JSON.
//!
//! The fields that may live in the body are marked
//! `#[serde(with = "crate::models::body::f64s")]` (or `f32s`, `strings`, `text`).
//! They write a reference only while [`collect`] gathers a body, so a model
//! serialised any other way (`serde_json::to_string`) is plain JSON; and
//! they read either form, so JSON-only files (schema versions 1 and 2, or
//! `model convert --json`) load unchanged.
//!
//! Layout of the body: the arrays one after another, each starting at a
//! multiple of 8 bytes (zero padding); `f64` and `f32` values as IEEE 754
//! little-endian (the exact bits, so a converted model scores identically);
//! a string array as, per string, its UTF-8 length (u32 little-endian)
//! followed by its bytes; a text as its UTF-8 bytes.

use serde::de::{self, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::cell::RefCell;
use std::fmt;
use std::ops::Range;
use std::rc::Rc;

/// What the header says about the body, checked before any array is read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BodyInfo {
    /// Length of the body in bytes (everything after the header's line end).
    pub bytes: u64,
    /// CRC-32 (IEEE) of the body, 8 hex digits.
    pub crc32: String,
}

impl BodyInfo {
    pub fn of(body: &[u8]) -> Self {
        BodyInfo { bytes: body.len() as u64, crc32: format!("{:08x}", crc32fast::hash(body)) }
    }

    /// The body as found in a file against what the header says it is.
    pub fn check(&self, body: &[u8]) -> Result<(), BodyError> {
        let found = body.len() as u64;
        if found < self.bytes {
            return Err(BodyError::Truncated { expected: self.bytes, found });
        }
        if found > self.bytes {
            return Err(BodyError::TrailingBytes { expected: self.bytes, found });
        }
        let crc = format!("{:08x}", crc32fast::hash(body));
        // Hex digits in either case (a header written by another tool).
        if !crc.eq_ignore_ascii_case(&self.crc32) {
            return Err(BodyError::Corrupt { expected: self.crc32.clone(), found: crc });
        }
        Ok(())
    }
}

/// Why a model file's binary body cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BodyError {
    #[error("the file is truncated: its binary body has {found} of the {expected} bytes the header announces")]
    Truncated { expected: u64, found: u64 },
    #[error("the binary body has {found} bytes where the header announces {expected} (bytes appended to the file?)")]
    TrailingBytes { expected: u64, found: u64 },
    #[error("the binary body is corrupt (CRC-32 {found}, the header says {expected})")]
    Corrupt { expected: String, found: String },
    #[error("the header does not end in a line break before the binary body")]
    NoSeparator,
    /// The header's references do not lay the arrays out one after
    /// another as they are written: a damaged offset would otherwise read
    /// another array's bytes (the CRC covers the body, not the header).
    #[error("the header's array references are damaged: {0}")]
    Layout(String),
}

/// A model file's bytes, the range of its binary body, and the (offset,
/// bytes) of every reference resolved so far.
type FileBody = (Rc<Vec<u8>>, Range<usize>, Vec<(u64, u64)>);

thread_local! {
    /// The body being written by [`collect`] on this thread.
    static WRITING: RefCell<Option<Vec<u8>>> = const { RefCell::new(None) };
    /// The file whose header is being read by [`reading`] on this thread,
    /// and the range of its body.
    static READING: RefCell<Option<FileBody>> = const { RefCell::new(None) };
}

/// Run `f` (a serialisation) with the marked arrays written to a body
/// instead of the JSON; returns `f`'s result and the body.
pub fn collect<R>(f: impl FnOnce() -> R) -> (R, Vec<u8>) {
    let previous = WRITING.with(|w| w.replace(Some(Vec::new())));
    let r = f();
    let body = WRITING.with(|w| std::mem::replace(&mut *w.borrow_mut(), previous)).unwrap_or_default();
    (r, body)
}

/// Run `f` (a deserialisation of the header of `file`) with references
/// resolved against `file[body]`; also returns whether the references
/// resolved tile the body as [`collect`] writes it (see [`check_layout`]).
pub fn reading<R>(file: Rc<Vec<u8>>, body: Range<usize>, f: impl FnOnce() -> R) -> (R, Result<(), BodyError>) {
    let body_len = body.len() as u64;
    let previous = READING.with(|r| r.replace(Some((file, body, Vec::new()))));
    let out = f();
    let state = READING.with(|r| std::mem::replace(&mut *r.borrow_mut(), previous));
    let resolved = state.map(|(_, _, resolved)| resolved).unwrap_or_default();
    (out, check_layout(resolved, body_len))
}

/// The arrays of a body lie one after another, each at the next multiple
/// of 8 bytes, the last ending at the body's end (the layout [`append`]
/// writes). Checked on the set of references resolved, in offset order, so
/// the order in which serde resolves them does not matter. A header edited
/// or damaged to point one array elsewhere leaves a gap or an overlap.
fn check_layout(mut resolved: Vec<(u64, u64)>, body_len: u64) -> Result<(), BodyError> {
    resolved.sort_unstable();
    resolved.dedup();
    let mut end = 0u64;
    for (offset, bytes) in resolved {
        let expected = end.next_multiple_of(8);
        if offset != expected {
            return Err(BodyError::Layout(format!(
                "an array starts at byte {offset} of the body where the previous one ends at {end} (expected {expected})"
            )));
        }
        end = offset.saturating_add(bytes);
    }
    if end != body_len {
        return Err(BodyError::Layout(format!("the arrays end at byte {end} of a body of {body_len} bytes")));
    }
    Ok(())
}

/// A reference to an array in the body, as the header stores it.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct BodyRef {
    /// Element type: `f64`, `f32` or `str`.
    body: String,
    offset: u64,
    bytes: u64,
    count: u64,
}

/// Append `write`'s bytes to the body being collected (8-byte aligned) and
/// return the reference, or None when no body is being collected.
fn append(kind: &str, count: usize, write: impl FnOnce(&mut Vec<u8>)) -> Option<BodyRef> {
    WRITING.with(|w| {
        let mut w = w.borrow_mut();
        let body = w.as_mut()?;
        body.resize(body.len().next_multiple_of(8), 0);
        let offset = body.len();
        write(body);
        Some(BodyRef {
            body: kind.to_string(),
            offset: offset as u64,
            bytes: (body.len() - offset) as u64,
            count: count as u64,
        })
    })
}

/// The bytes a reference points to, checked against the body's bounds.
fn resolve<T>(r: &BodyRef, kind: &str, decode: impl FnOnce(&[u8]) -> Result<T, String>) -> Result<T, String> {
    if r.body != kind {
        return Err(format!("an array of {kind} refers to body values of type {:?}", r.body));
    }
    READING.with(|state| {
        let mut state = state.borrow_mut();
        let Some((file, range, resolved)) = state.as_mut() else {
            return Err("an array refers to a binary body, but the file has none (was its body cut off?)".into());
        };
        let body = &file[range.clone()];
        let end = r.offset.checked_add(r.bytes).filter(|&e| e <= body.len() as u64).ok_or_else(|| {
            format!("an array at bytes {}..+{} lies outside the binary body of {} bytes", r.offset, r.bytes, body.len())
        })?;
        resolved.push((r.offset, r.bytes));
        decode(&body[r.offset as usize..end as usize])
    })
}

/// Arrays of fixed-size numbers: their body encoding and a JSON visitor.
trait Number: Copy + for<'de> Deserialize<'de> + Serialize {
    const KIND: &'static str;
    const SIZE: usize;
    fn put(self, out: &mut Vec<u8>);
    fn get(bytes: &[u8]) -> Self;
}

impl Number for f64 {
    const KIND: &'static str = "f64";
    const SIZE: usize = 8;
    fn put(self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.to_le_bytes());
    }
    fn get(bytes: &[u8]) -> Self {
        f64::from_le_bytes(bytes.try_into().expect("chunks of SIZE bytes"))
    }
}

impl Number for f32 {
    const KIND: &'static str = "f32";
    const SIZE: usize = 4;
    fn put(self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.to_le_bytes());
    }
    fn get(bytes: &[u8]) -> Self {
        f32::from_le_bytes(bytes.try_into().expect("chunks of SIZE bytes"))
    }
}

fn serialize_numbers<T: Number, S: Serializer>(v: &[T], s: S) -> Result<S::Ok, S::Error> {
    match append(T::KIND, v.len(), |out| v.iter().for_each(|x| x.put(out))) {
        Some(r) => r.serialize(s),
        None => v.serialize(s),
    }
}

/// An array written inline as JSON (a JSON-only file): read as it is. The
/// capacity hint is capped, since a hint is not yet data.
fn plain_array<'de, T: Deserialize<'de>, A: SeqAccess<'de>>(mut seq: A) -> Result<Vec<T>, A::Error> {
    let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1 << 20));
    while let Some(x) = seq.next_element()? {
        out.push(x);
    }
    Ok(out)
}

struct NumbersVisitor<T>(std::marker::PhantomData<T>);

impl<'de, T: Number> Visitor<'de> for NumbersVisitor<T> {
    type Value = Vec<T>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "an array of numbers or a reference to {} values in the binary body", T::KIND)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Vec<T>, A::Error> {
        plain_array(seq)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Vec<T>, A::Error> {
        let r = BodyRef::deserialize(de::value::MapAccessDeserializer::new(map))?;
        resolve(&r, T::KIND, |bytes| {
            if r.bytes != r.count.saturating_mul(T::SIZE as u64) {
                return Err(format!("{} {} values cannot take {} bytes", r.count, T::KIND, r.bytes));
            }
            Ok(bytes.chunks_exact(T::SIZE).map(T::get).collect())
        })
        .map_err(de::Error::custom)
    }
}

fn deserialize_numbers<'de, T: Number, D: Deserializer<'de>>(d: D) -> Result<Vec<T>, D::Error> {
    d.deserialize_any(NumbersVisitor::<T>(std::marker::PhantomData))
}

/// `#[serde(with)]` for a `Vec<f64>` that may live in the body.
pub mod f64s {
    use super::*;
    pub fn serialize<S: Serializer>(v: &[f64], s: S) -> Result<S::Ok, S::Error> {
        serialize_numbers(v, s)
    }
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<f64>, D::Error> {
        deserialize_numbers(d)
    }
}

/// `#[serde(with)]` for a `Vec<f32>` that may live in the body.
pub mod f32s {
    use super::*;
    pub fn serialize<S: Serializer>(v: &[f32], s: S) -> Result<S::Ok, S::Error> {
        serialize_numbers(v, s)
    }
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<f32>, D::Error> {
        deserialize_numbers(d)
    }
}

/// `#[serde(with)]` for a `Vec<String>` that may live in the body.
pub mod strings {
    use super::*;

    pub fn serialize<S: Serializer>(v: &[String], s: S) -> Result<S::Ok, S::Error> {
        let r = append("str", v.len(), |out| {
            for t in v {
                out.extend_from_slice(&(t.len() as u32).to_le_bytes());
                out.extend_from_slice(t.as_bytes());
            }
        });
        match r {
            Some(r) => r.serialize(s),
            None => v.serialize(s),
        }
    }

    struct StringsVisitor;

    impl<'de> Visitor<'de> for StringsVisitor {
        type Value = Vec<String>;

        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("an array of strings or a reference to strings in the binary body")
        }

        fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Vec<String>, A::Error> {
            plain_array(seq)
        }

        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Vec<String>, A::Error> {
            let r = BodyRef::deserialize(de::value::MapAccessDeserializer::new(map))?;
            resolve(&r, "str", |mut bytes| {
                let mut out = Vec::with_capacity(r.count.min(bytes.len() as u64 / 4) as usize);
                for i in 0..r.count {
                    let bad = || format!("string {i} of {} runs past its array in the binary body", r.count);
                    let (len, rest) = bytes.split_first_chunk::<4>().ok_or_else(bad)?;
                    let len = u32::from_le_bytes(*len) as usize;
                    let text = rest.get(..len).ok_or_else(bad)?;
                    let text = std::str::from_utf8(text).map_err(|e| format!("string {i} is not UTF-8: {e}"))?;
                    out.push(text.to_string());
                    bytes = &rest[len..];
                }
                if !bytes.is_empty() {
                    return Err(format!("{} bytes left after the {} strings of an array", bytes.len(), r.count));
                }
                Ok(out)
            })
            .map_err(de::Error::custom)
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
        d.deserialize_any(StringsVisitor)
    }
}

/// `#[serde(with)]` for a long `String` (an embedded lexicon) that may live
/// in the body as its UTF-8 bytes: read from JSON, such a text is mostly
/// escapes (tabs, line breaks) to decode, and it is read twice (the header's
/// identifying fields are found by skipping over it first).
pub mod text {
    use super::*;

    pub fn serialize<S: Serializer>(v: &str, s: S) -> Result<S::Ok, S::Error> {
        match append("utf8", 1, |out| out.extend_from_slice(v.as_bytes())) {
            Some(r) => r.serialize(s),
            None => v.serialize(s),
        }
    }

    struct TextVisitor;

    impl<'de> Visitor<'de> for TextVisitor {
        type Value = String;

        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a string or a reference to a text in the binary body")
        }

        fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
            Ok(v.to_string())
        }

        fn visit_string<E: de::Error>(self, v: String) -> Result<String, E> {
            Ok(v)
        }

        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<String, A::Error> {
            let r = BodyRef::deserialize(de::value::MapAccessDeserializer::new(map))?;
            resolve(&r, "utf8", |bytes| {
                if r.count != 1 {
                    return Err(format!("a text reference counts {} texts", r.count));
                }
                std::str::from_utf8(bytes).map(str::to_string).map_err(|e| format!("a text is not UTF-8: {e}"))
            })
            .map_err(de::Error::custom)
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
        d.deserialize_any(TextVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Arrays {
        #[serde(with = "f64s")]
        a: Vec<f64>,
        #[serde(with = "f32s")]
        b: Vec<f32>,
        #[serde(with = "strings")]
        c: Vec<String>,
        #[serde(with = "text")]
        d: String,
    }

    fn sample() -> Arrays {
        Arrays {
            a: vec![0.1, -2.5e-300, f64::MAX, 1.0 / 3.0],
            b: vec![1.05086, 8.07581, f32::MIN_POSITIVE],
            c: vec!["#num".into(), "new york".into(), String::new(), "naïve".into()],
            d: "# a lexicon\nhedge\tmay\n".into(),
        }
    }

    #[test]
    fn arrays_round_trip_through_the_body_bit_for_bit_and_plain_json_still_reads() {
        let x = sample();
        let (json, body) = collect(|| serde_json::to_vec(&x).unwrap());
        let header = String::from_utf8(json.clone()).unwrap();
        assert!(header.contains(r#""a":{"body":"f64","offset":0,"bytes":32,"count":4}"#), "{header}");
        // Each array starts at a multiple of 8 bytes.
        assert!(header.contains(r#""b":{"body":"f32","offset":32,"bytes":12,"count":3}"#), "{header}");
        assert!(header.contains(r#""c":{"body":"str","offset":48,"#), "{header}");
        assert!(header.contains(r#""d":{"body":"utf8","offset":88,"bytes":22,"count":1}"#), "{header}");
        let n = body.len();
        let (back, layout): (Arrays, _) = reading(Rc::new(body), 0..n, || serde_json::from_slice(&json).unwrap());
        assert_eq!(back, x);
        assert_eq!(layout, Ok(()));
        assert!(back.a.iter().zip(&x.a).all(|(p, q)| p.to_bits() == q.to_bits()));
        // Without a body being collected the same fields are plain JSON, and read back as such.
        let plain = serde_json::to_string(&x).unwrap();
        assert!(plain.starts_with(r#"{"a":[0.1,"#), "{plain}");
        assert_eq!(serde_json::from_str::<Arrays>(&plain).unwrap(), x);
    }

    #[test]
    fn references_outside_the_body_or_of_another_type_are_errors() {
        let (json, body) = collect(|| serde_json::to_vec(&sample()).unwrap());
        let short = body.len() - 1;
        let err = reading(Rc::new(body.clone()), 0..short, || serde_json::from_slice::<Arrays>(&json).unwrap_err()).0;
        assert!(err.to_string().contains("outside the binary body"), "{err}");
        let err = serde_json::from_slice::<Arrays>(&json).unwrap_err();
        assert!(err.to_string().contains("the file has none"), "{err}");
        let json = String::from_utf8(json).unwrap();
        let n = body.len();
        let body = Rc::new(body);
        let swapped = json.replacen(r#""body":"f32""#, r#""body":"f64""#, 1);
        let err = reading(body.clone(), 0..n, || serde_json::from_str::<Arrays>(&swapped).unwrap_err()).0;
        assert!(err.to_string().contains("an array of f32 refers to body values of type \"f64\""), "{err}");
        let miscounted = json.replacen(r#""bytes":12,"count":3"#, r#""bytes":12,"count":4"#, 1);
        let err = reading(body, 0..n, || serde_json::from_str::<Arrays>(&miscounted).unwrap_err()).0;
        assert!(err.to_string().contains("4 f32 values cannot take 12 bytes"), "{err}");
    }

    #[test]
    fn a_reference_moved_in_the_header_breaks_the_layout() {
        let (json, body) = collect(|| serde_json::to_vec(&sample()).unwrap());
        let json = String::from_utf8(json).unwrap();
        let (n, body) = (body.len(), Rc::new(body));
        // "b" moved one 8-byte slot on: its bytes are still inside the body
        // and decode as f32 values, so only the layout can tell.
        let moved = json.replacen(r#""offset":32,"#, r#""offset":40,"#, 1);
        let (parsed, layout) = reading(body.clone(), 0..n, || serde_json::from_str::<Arrays>(&moved));
        assert!(parsed.is_ok());
        assert!(matches!(layout, Err(BodyError::Layout(ref m)) if m.contains("starts at byte 40")), "{layout:?}");
        // A body longer than its arrays (a reference dropped from the header).
        let (_, layout) = reading(Rc::new([&body[..], &[0u8; 8]].concat()), 0..n + 8, || {
            serde_json::from_str::<Arrays>(&json).unwrap()
        });
        assert!(matches!(layout, Err(BodyError::Layout(ref m)) if m.contains("end at byte")), "{layout:?}");
        // Plain JSON with an empty body resolves nothing: a valid layout.
        let plain = serde_json::to_string(&sample()).unwrap();
        let (_, layout) = reading(Rc::new(Vec::new()), 0..0, || serde_json::from_str::<Arrays>(&plain).unwrap());
        assert_eq!(layout, Ok(()));
    }

    #[test]
    fn the_body_check_tells_truncation_from_corruption() {
        let body = vec![7u8; 100];
        let info = BodyInfo::of(&body);
        assert_eq!(info.check(&body), Ok(()));
        assert!(matches!(info.check(&body[..60]), Err(BodyError::Truncated { expected: 100, found: 60 })));
        let mut longer = body.clone();
        longer.push(0);
        assert!(matches!(info.check(&longer), Err(BodyError::TrailingBytes { .. })));
        let capitals = BodyInfo { crc32: info.crc32.to_uppercase(), ..info.clone() };
        assert_eq!(capitals.check(&body), Ok(()), "hex digits in either case");
        let mut flipped = body;
        flipped[50] ^= 1;
        assert!(matches!(info.check(&flipped), Err(BodyError::Corrupt { .. })));
    }
}

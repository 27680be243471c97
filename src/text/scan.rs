//! Finding the next byte of a small set, eight bytes at a time: the
//! sentence splitter and the quotation finder look only at a few bytes
//! (line breaks, terminal and quotation marks) and skip the rest.

const LO: u64 = 0x0101_0101_0101_0101;
const HI: u64 = 0x8080_8080_8080_8080;

/// The index of the first byte of `bytes` that is in `set`, if any.
///
/// Each eight bytes are read as one `u64`; XOR with a set byte repeated
/// turns the bytes equal to it into zero, and `(y - LO) & !y & HI` flags
/// zero bytes. A borrow can flag a byte above a zero byte too, never one
/// below the first, so the lowest flag is exactly the first match.
#[inline]
pub(crate) fn position_of_any<const N: usize>(bytes: &[u8], set: [u8; N]) -> Option<usize> {
    let mut chunks = bytes.chunks_exact(8);
    let mut at = 0;
    for c in &mut chunks {
        let x = u64::from_le_bytes(c.try_into().expect("eight bytes"));
        let mut hit = 0;
        for b in set {
            let y = x ^ (LO * b as u64);
            hit |= y.wrapping_sub(LO) & !y & HI;
        }
        if hit != 0 {
            return Some(at + (hit.trailing_zeros() / 8) as usize);
        }
        at += 8;
    }
    chunks.remainder().iter().position(|b| set.contains(b)).map(|k| at + k)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The same answer as a byte-by-byte search, on every suffix of texts
    /// where set bytes sit next to each other, next to 0x00/0x01/0x80/0xFF
    /// (the bytes that make the borrow tricks go wrong) and at every offset.
    #[test]
    fn finds_what_a_plain_search_finds() {
        let set = [b'\n', b'.', b'!', b'?', 0xE2];
        let mut state = 11u64;
        let mut texts: Vec<Vec<u8>> = vec![b"".to_vec(), b"no marks at all in this one".to_vec()];
        let pool = [b'a', b' ', b'\n', b'.', b'!', b'?', 0xE2, 0x00, 0x01, 0x80, 0xFF, 0x0B, b'/', b'>', 0xE3, 0xE1];
        for len in 0..80 {
            for _ in 0..20 {
                let t = (0..len)
                    .map(|_| {
                        // xorshift64
                        state ^= state << 13;
                        state ^= state >> 7;
                        state ^= state << 17;
                        // Mostly letters, so matches are spread out.
                        if state % 4 == 0 {
                            pool[(state >> 8) as usize % pool.len()]
                        } else {
                            b'a' + (state >> 16) as u8 % 26
                        }
                    })
                    .collect();
                texts.push(t);
            }
        }
        for t in &texts {
            for start in 0..=t.len() {
                let s = &t[start..];
                assert_eq!(position_of_any(s, set), s.iter().position(|b| set.contains(b)), "{s:?}");
            }
        }
    }
}

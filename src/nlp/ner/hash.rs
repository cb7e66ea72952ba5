//! Stable 64-bit hashing of token strings and feature keys.
//!
//! Feature keys are stored in the model file, so the hash must never change with a
//! dependency upgrade: it is defined here (FNV-1a over bytes, finished with a
//! splitmix64 avalanche) rather than borrowed from a hasher crate.

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

/// Streaming hasher over bytes/chars; no allocation.
#[derive(Clone, Copy, Debug)]
pub struct StrHasher(u64);

impl Default for StrHasher {
    fn default() -> Self {
        StrHasher(FNV_OFFSET)
    }
}

impl StrHasher {
    #[inline]
    pub fn byte(&mut self, b: u8) {
        self.0 = (self.0 ^ b as u64).wrapping_mul(FNV_PRIME);
    }

    #[inline]
    pub fn bytes(&mut self, bs: &[u8]) {
        for &b in bs {
            self.byte(b);
        }
    }

    #[inline]
    pub fn char(&mut self, c: char) {
        let mut buf = [0u8; 4];
        self.bytes(c.encode_utf8(&mut buf).as_bytes());
    }

    #[inline]
    pub fn finish(&self) -> u64 {
        mix(self.0)
    }
}

/// splitmix64 finaliser: spreads FNV's weak low bits.
#[inline]
pub fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

#[inline]
pub fn hash_str(s: &str) -> u64 {
    let mut h = StrHasher::default();
    h.bytes(s.as_bytes());
    h.finish()
}

/// Hash of the lowercased string, without allocating the lowercase copy.
#[inline]
pub fn hash_lower(s: &str) -> u64 {
    let mut h = StrHasher::default();
    s.chars().for_each(|c| push_lower(&mut h, c));
    h.finish()
}

#[inline]
fn push_lower(h: &mut StrHasher, c: char) {
    if c.is_ascii() {
        h.byte(c.to_ascii_lowercase() as u8);
    } else {
        for l in c.to_lowercase() {
            h.char(l);
        }
    }
}

/// Hash of the title-cased string ("LONDON" -> "London"), used to find cluster ids
/// for ALL-CAPS headline words.
#[inline]
pub fn hash_title(s: &str) -> u64 {
    let mut h = StrHasher::default();
    let mut first = true;
    for c in s.chars() {
        if first {
            for u in c.to_uppercase() {
                h.char(u);
            }
            first = false;
        } else {
            push_lower(&mut h, c);
        }
    }
    h.finish()
}

/// Combines two hashes (order-sensitive): feature key = combine(template, value).
#[inline]
pub fn combine(a: u64, b: u64) -> u64 {
    mix(a.rotate_left(23) ^ b.wrapping_mul(0x9e37_79b9_7f4a_7c15))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lower_and_title_agree_with_std() {
        for s in ["LONDON", "Jean-Claude", "ÉCOLE", "straße", "İstanbul"] {
            assert_eq!(hash_lower(s), hash_str(&s.to_lowercase()));
        }
        assert_eq!(hash_title("LONDON"), hash_str("London"));
        // pinned so the model file format cannot drift silently
        assert_eq!(hash_str("a"), mix(0xaf63_dc4c_8601_ec8c));
    }
}

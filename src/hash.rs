//! A fast, non-cryptographic hash for the few keys the client hashes on every request: the
//! operation's name (`operation::find`) and the print of a request's URL (`client::send`).
//!
//! FNV-1a's constants, eight bytes a step instead of one. Byte by byte (the `fnv` crate), the
//! two cost 136 instructions more per request (callgrind, `GET /user_account` in the bench
//! `request_overhead`: the request loop 401 → 292, `operation::find` 135 → 108). Each step
//! is one-to-one in the hash so far, so two inputs of one length that differ in a single word
//! always hash differently. The steps carry a change only upwards, so the hash ends with
//! MurmurHash3's finaliser (`fmix64`, also one-to-one), which brings every input bit down into
//! the low bits a `HashMap` picks its bucket by: without it, over the 231 operation names, 161
//! of 512 buckets were used (names differing only in a word's upper bytes shared one); with it,
//! 184, as byte-by-byte FNV's 187. Nothing here is hashed from input chosen to collide: the keys
//! are names fixed at build time and URLs the client built.
//!
//! It stays rather than `foldhash` (a fast hasher in the build's tree, but only through the
//! generator's dependencies): with `foldhash::fast::FixedState` in its place the client cost no
//! fewer instructions per request (callgrind, medians of seven runs: 86 655 against 85 173 here,
//! inside the runs' spread of ±4 k; benches/README.md), and this keeps a dependency out of every
//! user's build.

use std::hash::{BuildHasherDefault, Hasher};

const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const PRIME: u64 = 0x0000_0100_0000_01b3;

/// The hasher; see the module's doc.
#[derive(Clone, Copy)]
pub(crate) struct WordHasher(u64);

/// For `HashMap`s keyed by the names of operations.
pub(crate) type BuildWordHasher = BuildHasherDefault<WordHasher>;

impl Default for WordHasher {
    fn default() -> Self {
        WordHasher(OFFSET)
    }
}

impl Hasher for WordHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut words = bytes.chunks_exact(8);
        for word in &mut words {
            let mut w = [0u8; 8];
            w.copy_from_slice(word);
            self.0 = (self.0 ^ u64::from_le_bytes(w)).wrapping_mul(PRIME);
        }
        let rest = words.remainder();
        if !rest.is_empty() {
            let mut w = [0u8; 8];
            w[..rest.len()].copy_from_slice(rest);
            self.0 = (self.0 ^ u64::from_le_bytes(w)).wrapping_mul(PRIME);
        }
    }

    fn write_u8(&mut self, byte: u8) {
        self.0 = (self.0 ^ u64::from(byte)).wrapping_mul(PRIME);
    }

    fn finish(&self) -> u64 {
        let mut h = self.0;
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^= h >> 33;
        h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
        h ^ (h >> 33)
    }
}

/// The hash of `bytes` alone.
pub fn of(bytes: &[u8]) -> u64 {
    let mut hasher = WordHasher::default();
    hasher.write(bytes);
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inputs_of_one_length_that_differ_anywhere_hash_differently() {
        let url = b"https://api.pinterest.com/v5/pins/1234567890?ad_account_id=5";
        let own = of(url);
        for i in 0..url.len() {
            let mut other = *url;
            other[i] ^= 1;
            assert_ne!(of(&other), own, "a change at byte {i}");
            // And in the low bits, where a `HashMap` picks the bucket.
            assert_ne!(of(&other) & 0xffff, own & 0xffff, "a change at byte {i}");
        }
        // The last, partial word counts as much as the others.
        assert_ne!(of(b"/v5/pins/1"), of(b"/v5/pins/2"));
        assert_eq!(of(url), own);
    }
}

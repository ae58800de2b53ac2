//! The ChaCha20 keystream of RFC 8439 (20 rounds, 32-bit block counter, 96-bit nonce), written
//! from the RFC so that the assignment draw never depends on a general-purpose random number
//! generator whose output could change between library versions. Only the keystream is needed:
//! nothing is encrypted. Checked against the RFC's test vectors (sections 2.3.2 and 2.4.2).

/// A keystream reader: 64-byte blocks from counter 0 upwards, consumed 4 bytes at a time.
pub struct KeyStream {
    key: [u32; 8],
    nonce: [u32; 3],
    counter: u32,
    block: [u8; 64],
    used: usize,
}

const CONSTANTS: [u32; 4] = [0x6170_7865, 0x3320_646e, 0x7962_2d32, 0x6b20_6574];

fn quarter(s: &mut [u32; 16], a: usize, b: usize, c: usize, d: usize) {
    s[a] = s[a].wrapping_add(s[b]);
    s[d] = (s[d] ^ s[a]).rotate_left(16);
    s[c] = s[c].wrapping_add(s[d]);
    s[b] = (s[b] ^ s[c]).rotate_left(12);
    s[a] = s[a].wrapping_add(s[b]);
    s[d] = (s[d] ^ s[a]).rotate_left(8);
    s[c] = s[c].wrapping_add(s[d]);
    s[b] = (s[b] ^ s[c]).rotate_left(7);
}

/// The ChaCha20 block function (RFC 8439 §2.3): 64 bytes of keystream for one counter value.
pub fn block(key: &[u32; 8], counter: u32, nonce: &[u32; 3]) -> [u8; 64] {
    let mut init = [0u32; 16];
    init[..4].copy_from_slice(&CONSTANTS);
    init[4..12].copy_from_slice(key);
    init[12] = counter;
    init[13..].copy_from_slice(nonce);
    let mut s = init;
    for _ in 0..10 {
        quarter(&mut s, 0, 4, 8, 12);
        quarter(&mut s, 1, 5, 9, 13);
        quarter(&mut s, 2, 6, 10, 14);
        quarter(&mut s, 3, 7, 11, 15);
        quarter(&mut s, 0, 5, 10, 15);
        quarter(&mut s, 1, 6, 11, 12);
        quarter(&mut s, 2, 7, 8, 13);
        quarter(&mut s, 3, 4, 9, 14);
    }
    let mut out = [0u8; 64];
    for (i, (w, i0)) in s.iter().zip(init.iter()).enumerate() {
        out[i * 4..i * 4 + 4].copy_from_slice(&w.wrapping_add(*i0).to_le_bytes());
    }
    out
}

fn words<const N: usize>(bytes: &[u8]) -> [u32; N] {
    let mut w = [0u32; N];
    for (i, chunk) in bytes.chunks_exact(4).enumerate().take(N) {
        w[i] = u32::from_le_bytes([chunk[0], chunk[1], chunk[2], chunk[3]]);
    }
    w
}

impl KeyStream {
    /// The keystream of `key` with a zero nonce, from block counter 0 (what the draw uses).
    pub fn new(key: &[u8; 32]) -> Self {
        Self::with_nonce(key, &[0; 12], 0)
    }

    /// The keystream of `key` and `nonce` from block `counter` (for the RFC's test vectors).
    pub fn with_nonce(key: &[u8; 32], nonce: &[u8; 12], counter: u32) -> Self {
        KeyStream {
            key: words(key),
            nonce: words(nonce),
            counter,
            block: [0; 64],
            used: 64,
        }
    }

    /// The next keystream byte.
    pub fn next_byte(&mut self) -> u8 {
        if self.used == 64 {
            self.block = block(&self.key, self.counter, &self.nonce);
            self.counter = self.counter.wrapping_add(1);
            self.used = 0;
        }
        let b = self.block[self.used];
        self.used += 1;
        b
    }

    /// The next four keystream bytes as a little-endian integer.
    pub fn next_u32(&mut self) -> u32 {
        u32::from_le_bytes([
            self.next_byte(),
            self.next_byte(),
            self.next_byte(),
            self.next_byte(),
        ])
    }

    /// A uniform integer in `0..n` (`n >= 1`) by rejection sampling: a 32-bit draw is kept only
    /// below the largest multiple of `n` that fits, then reduced modulo `n`.
    pub fn below(&mut self, n: u32) -> u32 {
        assert!(n >= 1, "below(0)");
        let zone = (1u64 << 32) - ((1u64 << 32) % u64::from(n));
        loop {
            let x = u64::from(self.next_u32());
            if x < zone {
                return (x % u64::from(n)) as u32;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key_0_to_31() -> [u8; 32] {
        std::array::from_fn(|i| i as u8)
    }

    #[test]
    fn rfc8439_block_function_vector() {
        // RFC 8439 §2.3.2: key 00..1f, nonce 00000009 0000004a 00000000, counter 1.
        let nonce = [0, 0, 0, 9, 0, 0, 0, 0x4a, 0, 0, 0, 0];
        let mut ks = KeyStream::with_nonce(&key_0_to_31(), &nonce, 1);
        let got: Vec<u8> = (0..64).map(|_| ks.next_byte()).collect();
        assert_eq!(
            hex::encode(got),
            "10f1e7e4d13b5915500fdd1fa32071c4c7d1f4c733c068030422aa9ac3d46c4e\
             d2826446079faa0914c2d705d98b02a2b5129cd1de164eb9cbd083e8a2503c4e"
        );
    }

    #[test]
    fn rfc8439_keystream_of_the_encryption_example() {
        // RFC 8439 §2.4.2: key 00..1f, nonce 00000000 0000004a 00000000, initial counter 1;
        // the keystream is plaintext XOR ciphertext. First block's first 16 bytes:
        let nonce = [0, 0, 0, 0, 0, 0, 0, 0x4a, 0, 0, 0, 0];
        let mut ks = KeyStream::with_nonce(&key_0_to_31(), &nonce, 1);
        let plain = b"Ladies and Gentl";
        let cipher = hex::decode("6e2e359a2568f98041ba0728dd0d6981").unwrap();
        for (p, c) in plain.iter().zip(cipher) {
            assert_eq!(p ^ ks.next_byte(), c);
        }
    }

    #[test]
    fn zero_key_zero_nonce_block_zero() {
        // RFC 8439 appendix A.1, test vector #1.
        let mut ks = KeyStream::new(&[0; 32]);
        let got: Vec<u8> = (0..32).map(|_| ks.next_byte()).collect();
        assert_eq!(
            hex::encode(got),
            "76b8e0ada0f13d90405d6ae55386bd28bdd219b8a08ded1aa836efcc8b770dc7"
        );
    }

    #[test]
    fn below_stays_in_range_and_covers_it() {
        let mut ks = KeyStream::new(&[7; 32]);
        let mut seen = [false; 7];
        for _ in 0..500 {
            let x = ks.below(7);
            seen[x as usize] = true;
        }
        assert!(seen.iter().all(|s| *s));
        assert_eq!(KeyStream::new(&[1; 32]).below(1), 0);
    }
}

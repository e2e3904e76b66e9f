//! The demo's own pseudo-random numbers: xoshiro256** seeded through SplitMix64.
//!
//! Written here (no `rand` dependency) so that a seed means the same account on
//! every run, platform and dependency version. Only integer arithmetic and IEEE
//! basic operations (+, −, ×, ÷, which are exactly rounded) are used — no `ln`,
//! `exp` or `cos`, whose last bits differ between C libraries.

/// SplitMix64's output function: a bijection on `u64` that mixes every bit.
pub fn mix64(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// xoshiro256** (Blackman & Vigna), a small fast generator with a 2^256 period.
#[derive(Debug, Clone)]
pub struct Rng {
    state: [u64; 4],
}

impl Rng {
    /// A generator whose four state words come from SplitMix64 started at `seed`
    /// (never all zero, as xoshiro requires).
    pub fn new(seed: u64) -> Rng {
        let mut sm = seed;
        let mut next = || {
            let out = mix64(sm);
            sm = sm.wrapping_add(0x9E37_79B9_7F4A_7C15);
            out
        };
        Rng { state: [next(), next(), next(), next()] }
    }

    /// An independent stream for one thing (a replica, a kind of resource, an index):
    /// adding resources of one kind never changes the numbers of another.
    pub fn stream(seed: u64, path: &[u64]) -> Rng {
        let mut h = mix64(seed);
        for part in path {
            h = mix64(h ^ mix64(*part));
        }
        Rng::new(h)
    }

    pub fn next_u64(&mut self) -> u64 {
        let s = &mut self.state;
        let result = s[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = s[3].rotate_left(45);
        result
    }

    /// Uniform in [0, 1), 53 random bits.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Uniform in [lo, hi).
    pub fn uniform(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.unit()
    }

    /// Uniform integer in [0, n); 0 when n is 0.
    pub fn below(&mut self, n: u64) -> u64 {
        ((self.next_u64() as u128 * n as u128) >> 64) as u64
    }

    /// Uniform integer in [lo, hi] (inclusive); `lo` when the range is empty.
    pub fn int(&mut self, lo: i64, hi: i64) -> i64 {
        if hi <= lo {
            return lo;
        }
        lo + self.below((hi - lo) as u64 + 1) as i64
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// Approximately standard normal (mean 0, standard deviation 1): the sum of four
    /// uniforms, centred and scaled (Irwin–Hall). Bounded by ±3.46, which suits
    /// metric noise: no absurd outliers.
    pub fn gauss(&mut self) -> f64 {
        let sum = self.unit() + self.unit() + self.unit() + self.unit();
        // Var(sum of 4 uniforms) = 4/12; scale by sqrt(3) to get variance 1.
        (sum - 2.0) * 1.732_050_807_568_877_2
    }

    /// One index drawn with the given relative weights (all ≥ 0, not all zero).
    pub fn weighted(&mut self, weights: &[f64]) -> usize {
        let total: f64 = weights.iter().sum();
        let mut x = self.unit() * total;
        for (i, w) in weights.iter().enumerate() {
            if x < *w {
                return i;
            }
            x -= w;
        }
        weights.len().saturating_sub(1)
    }

    /// `n` lowercase hexadecimal digits.
    pub fn hex(&mut self, n: usize) -> String {
        const DIGITS: &[u8; 16] = b"0123456789abcdef";
        (0..n).map(|_| DIGITS[self.below(16) as usize] as char).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splitmix_matches_the_reference_sequence() {
        // SplitMix64 started at 0: the first output of the reference implementation.
        assert_eq!(mix64(0), 0xE220_A839_7B1D_CDAF);
    }

    #[test]
    fn same_seed_same_numbers_different_seed_different_numbers() {
        let a: Vec<u64> = (0..8).scan(Rng::new(42), |r, _| Some(r.next_u64())).collect();
        let b: Vec<u64> = (0..8).scan(Rng::new(42), |r, _| Some(r.next_u64())).collect();
        let c: Vec<u64> = (0..8).scan(Rng::new(43), |r, _| Some(r.next_u64())).collect();
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert_ne!(Rng::stream(42, &[1, 2]).next_u64(), Rng::stream(42, &[2, 1]).next_u64());
    }

    #[test]
    fn output_is_pinned() {
        // Guards the account against accidental changes to the generator: the
        // committed fixtures/demo snapshot depends on these exact numbers.
        let mut r = Rng::new(42);
        let first: Vec<u64> = (0..3).map(|_| r.next_u64()).collect();
        assert_eq!(first, PINNED_SEED_42);
    }

    const PINNED_SEED_42: [u64; 3] = [1_546_998_764_402_558_742, 6_990_951_692_964_543_102, 12_544_586_762_248_559_009];

    #[test]
    fn ranges_hold_and_moments_are_right() {
        let mut r = Rng::new(7);
        let n = 100_000;
        let (mut sum, mut sq) = (0.0, 0.0);
        for _ in 0..n {
            let u = r.unit();
            assert!((0.0..1.0).contains(&u));
            let k = r.int(3, 5);
            assert!((3..=5).contains(&k));
            let g = r.gauss();
            assert!(g.abs() <= 3.47);
            sum += g;
            sq += g * g;
        }
        let mean = sum / n as f64;
        let var = sq / n as f64 - mean * mean;
        assert!(mean.abs() < 0.02, "mean {mean}");
        assert!((var - 1.0).abs() < 0.03, "variance {var}");
        assert_eq!(r.below(0), 0);
        assert_eq!(r.int(5, 5), 5);
        let picks: Vec<usize> = (0..1000).map(|_| r.weighted(&[0.0, 1.0, 3.0])).collect();
        assert!(picks.iter().all(|&i| i != 0));
        assert!(picks.iter().filter(|&&i| i == 2).count() > 650);
    }
}

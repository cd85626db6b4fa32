//! Bounded distinct-value counting for detector state.
//!
//! [`Distinct`] keeps the first few distinct values exactly (they are the sample a finding shows)
//! and, once that small sample is full, switches to a HyperLogLog sketch for the count. Memory is
//! therefore bounded (a few dozen values plus 512 one-byte registers) whatever the input, and the
//! common case (a source that touches one or two hosts) needs no heap allocation at all.
//!
//! Counts are exact up to [`DistinctKey::EXACT`] values (1,024 ports, 512 targets, 256
//! addresses) and estimates (about ±5 %) beyond; memory per set is bounded by that many values
//! plus 512 one-byte registers.

use std::hash::Hash;

use rustc_hash::FxHashSet;
use smallvec::SmallVec;

/// How many distinct values are kept exactly (and shown as the sample).
pub const EXACT_LIMIT: usize = 32;

/// Above this many exact values, membership is answered by a hash set beside the sample rather
/// than by scanning it (a scan of 1,024 ports per packet would dominate a vertical scan's cost).
const INDEX_FROM: usize = 128;

/// Number of HyperLogLog registers (a power of two): 512 gives about 5 % standard error, and
/// linear counting keeps small counts (a few hundred) within a few percent.
const REGISTERS: usize = 512;
const REGISTER_BITS: u32 = 9;

/// A value that can be counted: it must hash to 64 well-mixed bits.
pub trait DistinctKey: Copy + Eq + Hash {
    /// How many distinct values of this type are kept exactly before the sketch takes over
    /// (ports are small, so a scanner's ports are counted exactly far beyond any sample).
    const EXACT: usize = EXACT_LIMIT;
    fn mixed_hash(self) -> u64;
}

/// The 64-bit finaliser of MurmurHash3 (a bijective bit mixer).
#[inline]
pub fn mix64(mut x: u64) -> u64 {
    x ^= x >> 33;
    x = x.wrapping_mul(0xff51_afd7_ed55_8ccd);
    x ^= x >> 33;
    x = x.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    x ^ (x >> 33)
}

impl DistinctKey for u16 {
    const EXACT: usize = 1024;
    #[inline]
    fn mixed_hash(self) -> u64 {
        mix64(u64::from(self) ^ 0x9e37_79b9_7f4a_7c15)
    }
}

impl DistinctKey for u64 {
    const EXACT: usize = 512;
    #[inline]
    fn mixed_hash(self) -> u64 {
        mix64(self ^ 0x2545_f491_4f6c_dd1d)
    }
}

/// A source address key in a set that may hold very many (the sources of one port): exact for a
/// small sample only, so that one set per port stays small.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct SourceKey(pub u128);

impl DistinctKey for SourceKey {
    const EXACT: usize = EXACT_LIMIT;
    #[inline]
    fn mixed_hash(self) -> u64 {
        self.0.mixed_hash()
    }
}

impl DistinctKey for u128 {
    const EXACT: usize = 256;
    #[inline]
    fn mixed_hash(self) -> u64 {
        mix64((self as u64) ^ mix64((self >> 64) as u64))
    }
}

/// A HyperLogLog sketch.
#[derive(Clone, Debug)]
struct Sketch {
    registers: [u8; REGISTERS],
}

impl Sketch {
    fn new() -> Sketch {
        Sketch {
            registers: [0; REGISTERS],
        }
    }

    #[inline]
    fn insert(&mut self, hash: u64) {
        let index = (hash & (REGISTERS as u64 - 1)) as usize;
        let rest = hash >> REGISTER_BITS;
        let rank = (rest.trailing_zeros().min(64 - REGISTER_BITS) + 1) as u8;
        if rank > self.registers[index] {
            self.registers[index] = rank;
        }
    }

    fn merge(&mut self, other: &Sketch) {
        for (mine, theirs) in self.registers.iter_mut().zip(other.registers.iter()) {
            *mine = (*mine).max(*theirs);
        }
    }

    fn estimate(&self) -> u64 {
        let m = REGISTERS as f64;
        let alpha = 0.7213 / (1.0 + 1.079 / m);
        let mut sum = 0.0;
        let mut zeros = 0usize;
        for &r in &self.registers {
            sum += 1.0 / f64::from(1u32 << r.min(31));
            if r == 0 {
                zeros += 1;
            }
        }
        let raw = alpha * m * m / sum;
        if raw <= 2.5 * m && zeros > 0 {
            // Small-range correction: linear counting on the empty registers.
            (m * (m / zeros as f64).ln()).round() as u64
        } else {
            raw.round() as u64
        }
    }
}

/// A set that counts distinct values with bounded memory (see the module header).
#[derive(Clone, Debug)]
pub struct Distinct<T: DistinctKey, const INLINE: usize> {
    sample: SmallVec<[T; INLINE]>,
    /// What a set keeps beyond its sample, boxed so that a small set stays small.
    beyond: Option<Box<Beyond<T>>>,
}

/// A large set's extra state (always boxed, so the variants' sizes do not matter).
#[derive(Clone, Debug)]
#[allow(clippy::large_enum_variant)]
enum Beyond<T: DistinctKey> {
    /// The sample's values, once it holds more than [`INDEX_FROM`]: membership without a scan.
    Index(FxHashSet<T>),
    /// Past the exact limit: the count's sketch (the sample is no longer added to).
    Sketch(Sketch),
}

impl<T: DistinctKey, const INLINE: usize> Default for Distinct<T, INLINE>
where
    [T; INLINE]: smallvec::Array<Item = T>,
{
    fn default() -> Self {
        Distinct {
            sample: SmallVec::new(),
            beyond: None,
        }
    }
}

impl<T: DistinctKey, const INLINE: usize> Distinct<T, INLINE>
where
    [T; INLINE]: smallvec::Array<Item = T>,
{
    /// Adds a value.
    #[inline]
    pub fn insert(&mut self, value: T) {
        match self.beyond.as_deref_mut() {
            Some(Beyond::Sketch(sketch)) => {
                sketch.insert(value.mixed_hash());
                return;
            }
            Some(Beyond::Index(index)) => {
                if !index.insert(value) {
                    return;
                }
            }
            None => {
                if self.sample.contains(&value) {
                    return;
                }
            }
        }
        if self.sample.len() < T::EXACT {
            self.sample.push(value);
            if self.beyond.is_none() && self.sample.len() > INDEX_FROM && T::EXACT > INDEX_FROM {
                let index = self.sample.iter().copied().collect();
                self.beyond = Some(Box::new(Beyond::Index(index)));
            }
            return;
        }
        self.beyond = Some(Box::new(Beyond::Sketch(self.sketch_of_sample())));
        self.insert(value);
    }

    /// A sketch holding the sample's values.
    fn sketch_of_sample(&self) -> Sketch {
        let mut sketch = Sketch::new();
        for &v in &self.sample {
            sketch.insert(v.mixed_hash());
        }
        sketch
    }

    fn sketch(&self) -> Option<&Sketch> {
        match self.beyond.as_deref() {
            Some(Beyond::Sketch(sketch)) => Some(sketch),
            _ => None,
        }
    }

    /// The number of distinct values (exact up to the type's [`DistinctKey::EXACT`],
    /// estimated beyond).
    pub fn count(&self) -> u64 {
        match self.sketch() {
            None => self.sample.len() as u64,
            Some(sketch) => sketch.estimate().max(T::EXACT as u64 + 1),
        }
    }

    /// True when the count is an estimate.
    pub fn is_estimate(&self) -> bool {
        self.sketch().is_some()
    }

    /// The first distinct values seen, in arrival order (at most [`DistinctKey::EXACT`]).
    pub fn sample(&self) -> &[T] {
        &self.sample
    }

    pub fn is_empty(&self) -> bool {
        self.sample.is_empty()
    }

    pub fn contains_exactly(&self, value: T) -> bool {
        match self.beyond.as_deref() {
            Some(Beyond::Index(index)) => index.contains(&value),
            _ => self.sample.contains(&value),
        }
    }

    /// The same set with a different inline capacity.
    pub fn convert<const OTHER: usize>(&self) -> Distinct<T, OTHER>
    where
        [T; OTHER]: smallvec::Array<Item = T>,
    {
        Distinct {
            sample: self.sample.iter().copied().collect(),
            beyond: self.beyond.clone(),
        }
    }

    /// Adds every value of `other` (the sketches are merged, so the count stays an estimate of
    /// the union).
    pub fn merge(&mut self, other: &Distinct<T, INLINE>) {
        for &v in other.sample.iter() {
            self.insert(v);
        }
        if let Some(theirs) = other.sketch() {
            if self.sketch().is_none() {
                self.beyond = Some(Box::new(Beyond::Sketch(self.sketch_of_sample())));
            }
            if let Some(Beyond::Sketch(mine)) = self.beyond.as_deref_mut() {
                mine.merge(theirs);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_below_the_limit() {
        let mut set: Distinct<u16, 4> = Distinct::default();
        for port in [1u16, 2, 2, 3, 1, 30] {
            set.insert(port);
        }
        assert_eq!(set.count(), 4);
        assert!(!set.is_estimate());
        assert_eq!(set.sample(), &[1, 2, 3, 30]);
    }

    #[test]
    fn estimate_within_twenty_percent() {
        let mut set: Distinct<u128, 2> = Distinct::default();
        for n in 0..10_000u128 {
            set.insert(n * 7919);
            set.insert(n * 7919);
        }
        let count = set.count() as f64;
        assert!((8_000.0..12_000.0).contains(&count), "estimate {count}");
        assert_eq!(set.sample().len(), <u128 as DistinctKey>::EXACT);
    }

    #[test]
    fn indexed_sample_stays_exact_and_ordered() {
        // Past INDEX_FROM values membership comes from the index: repeats must still be
        // recognised, the sample keep arrival order, and the count stay exact to the limit.
        let mut set: Distinct<u128, 2> = Distinct::default();
        for round in 0..3 {
            for n in 0..(INDEX_FROM as u128 + 50) {
                set.insert(n * 31 + 7);
            }
            assert_eq!(set.count(), INDEX_FROM as u64 + 50, "round {round}");
        }
        assert!(matches!(set.beyond.as_deref(), Some(Beyond::Index(_))));
        assert!(set.contains_exactly(7 + 31 * (INDEX_FROM as u128 + 10)));
        assert!(!set.contains_exactly(8));
        let expected: Vec<u128> = (0..(INDEX_FROM as u128 + 50)).map(|n| n * 31 + 7).collect();
        assert_eq!(set.sample(), expected.as_slice());
        // At the exact limit the sketch takes over and the index is dropped.
        for n in 0..2000u128 {
            set.insert(n * 31 + 7);
        }
        assert!(set.is_estimate());
        assert!(matches!(set.beyond.as_deref(), Some(Beyond::Sketch(_))));
        assert_eq!(set.sample().len(), <u128 as DistinctKey>::EXACT);
    }

    #[test]
    fn merge_counts_the_union() {
        let mut a: Distinct<u16, 4> = Distinct::default();
        let mut b: Distinct<u16, 4> = Distinct::default();
        for p in 0..20u16 {
            a.insert(p);
        }
        for p in 10..30u16 {
            b.insert(p);
        }
        a.merge(&b);
        assert_eq!(a.count(), 30);
        let mut big: Distinct<u16, 4> = Distinct::default();
        for p in 0..1000u16 {
            big.insert(p);
        }
        a.merge(&big);
        let count = a.count() as f64;
        assert!((800.0..1200.0).contains(&count), "estimate {count}");
    }
}

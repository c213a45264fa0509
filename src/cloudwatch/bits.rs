//! The common alarm in O(1): a period of one bucket on one-minute data. Each published bucket
//! is read once, when it is published, and becomes one bit of "breaching" and one of "has
//! data"; a minute's tally over the evaluation range is then a few bit operations instead of a
//! walk over the datapoints. Up to 64 periods of range (N + the room for late data): longer
//! alarms take the general path.

use super::alarm::Tally;

/// The newest published one-bucket datapoints of one alarm, as bits: bit 0 is the newest
/// bucket read, bit j the one j buckets older.
#[derive(Debug, Clone, Default)]
pub(super) struct BitWindow {
    /// Breaching datapoints.
    breach: u64,
    /// Datapoints with data (a missing one has neither bit).
    present: u64,
    /// The next bucket to read: every bucket before it has been read.
    next: u64,
    /// The newest bucket with data and its value.
    newest: Option<(u64, f64)>,
}

/// The most periods a [`BitWindow`] holds.
pub(super) const MAX_RANGE: u64 = 64;

impl BitWindow {
    /// The next bucket to read.
    pub(super) fn next(&self) -> u64 {
        self.next
    }

    /// Reads the next bucket: its value, or `None` for missing data, and whether it breaches.
    pub(super) fn push(&mut self, value: Option<f64>, breaching: bool) {
        self.breach <<= 1;
        self.present <<= 1;
        if let Some(v) = value {
            self.present |= 1;
            self.breach |= u64::from(breaching);
            self.newest = Some((self.next, v));
        }
        self.next += 1;
    }

    /// The tally of the windows whose stops lie in `[lo, hi]` at `now_index` (a window's stop
    /// is one past its bucket; `hi` is the next bucket to read, so every window there has been
    /// read), with `n` evaluation periods; and the newest datapoint's value and its age k in
    /// periods (0 = the window ending now). Exactly what walking the windows newest first
    /// with [`Tally::add`] gives.
    pub(super) fn tally(
        &self,
        (lo, hi): (u64, u64),
        now_index: u64,
        n: usize,
    ) -> (Tally, Option<(f64, u64)>) {
        debug_assert_eq!(hi, self.next);
        if lo > hi {
            return (Tally::default(), None);
        }
        let count = hi - lo + 1;
        debug_assert!(count <= MAX_RANGE);
        let mask = if count == 64 {
            u64::MAX
        } else {
            (1u64 << count) - 1
        };
        let present = self.present & mask;
        let breach = self.breach & mask;
        // Most minutes nothing is missing and nothing breaches: no bit counting then (a
        // software popcount on a baseline x86-64 build is a dozen instructions).
        let full = present == mask;
        let real = if full {
            count as usize
        } else {
            present.count_ones() as usize
        };
        let breaching = if breach == 0 {
            0
        } else {
            breach.count_ones() as usize
        };
        // The newest n real points: the n lowest set bits of `present`.
        let breaching_newest_n = if breach == 0 || real <= n {
            breaching
        } else if full {
            (breach & ((1u64 << n) - 1)).count_ones() as usize
        } else {
            let mut rest = present;
            for _ in 0..n {
                rest &= rest - 1;
            }
            (breach & present & !rest).count_ones() as usize
        };
        let oldest_breach_age = if breach == 0 {
            0
        } else {
            // Bit q is the bucket hi − 1 − q; its window (stop hi − q) is now − stop + 1
            // periods old.
            let q = u64::from(63 - breach.leading_zeros());
            (now_index - (hi - q) + 1) as usize
        };
        let tally = Tally {
            real,
            breaching,
            breaching_newest_n,
            oldest_breach_age,
        };
        let newest = self
            .newest
            .filter(|(bucket, _)| *bucket + 1 >= lo)
            .map(|(bucket, v)| (v, now_index - (bucket + 1)));
        (tally, newest)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The bits give the tally of the walk: newest first, missing skipped.
    #[test]
    fn tally_matches_a_walk_of_the_points() {
        // Buckets 0..6: X 0 - X X 0 (oldest first); read through bucket 5.
        let points = [
            Some(true),
            Some(false),
            None,
            Some(true),
            Some(true),
            Some(false),
        ];
        let mut bits = BitWindow::default();
        for p in points {
            bits.push(p.map(|b| if b { 90.0 } else { 10.0 }), p == Some(true));
        }
        // At now_index 8 with a range of 5 periods: stops 4..=8, of which 4..=6 are read.
        let (lo, now) = (4, 8);
        let (tally, newest) = bits.tally((lo, 6), now, 2);
        let mut walk = Tally::default();
        for stop in (lo..=6).rev() {
            let k = now - stop;
            walk.add(points[(stop - 1) as usize], (k + 1) as usize, 2);
        }
        assert_eq!(tally, walk);
        assert_eq!(
            newest,
            Some((10.0, 2)),
            "bucket 5, its window ends 2 periods ago"
        );
        assert_eq!(
            tally.oldest_breach_age, 5,
            "bucket 3: its window ended at stop 4"
        );
    }
}

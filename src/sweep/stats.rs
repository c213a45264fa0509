//! Means and 95% confidence intervals over the seeds of a point.
//!
//! The interval is Student's t interval for the mean: mean ± t(0.975, n − 1) · s / √n, with s
//! the sample standard deviation (n − 1 in the denominator). It assumes the runs of a point
//! are independent draws of a roughly normal figure; with one seed there is no interval.

/// t(0.975, ν) for ν = 1..=30 (two-sided 95%).
const T_975: [f64; 30] = [
    12.706_204_7,
    4.302_652_7,
    3.182_446_3,
    2.776_445_1,
    2.570_581_8,
    2.446_911_9,
    2.364_624_3,
    2.306_004_1,
    2.262_157_2,
    2.228_138_9,
    2.200_985_2,
    2.178_812_8,
    2.160_368_7,
    2.144_786_7,
    2.131_449_5,
    2.119_905_3,
    2.109_815_5,
    2.100_922_0,
    2.093_024_1,
    2.085_963_4,
    2.079_613_8,
    2.073_873_1,
    2.068_657_6,
    2.063_898_6,
    2.059_538_6,
    2.055_529_4,
    2.051_831_1,
    2.048_407_1,
    2.045_229_6,
    2.042_272_5,
];

/// The 0.975 quantile of the standard normal distribution.
const Z_975: f64 = 1.959_963_984_540_054;

/// t(0.975, ν): the table up to 30 degrees of freedom, then the Cornish–Fisher expansion of
/// the t quantile around the normal one (error below 1e-6 there).
pub fn t_975(df: u64) -> f64 {
    if df == 0 {
        return f64::NAN;
    }
    if let Some(t) = T_975.get(df as usize - 1) {
        return *t;
    }
    let z = Z_975;
    let v = df as f64;
    let (z3, z5, z7, z9) = (z.powi(3), z.powi(5), z.powi(7), z.powi(9));
    let g1 = (z3 + z) / 4.0;
    let g2 = (5.0 * z5 + 16.0 * z3 + 3.0 * z) / 96.0;
    let g3 = (3.0 * z7 + 19.0 * z5 + 17.0 * z3 - 15.0 * z) / 384.0;
    let g4 = (79.0 * z9 + 776.0 * z7 + 1482.0 * z5 - 1920.0 * z3 - 945.0 * z) / 92_160.0;
    z + g1 / v + g2 / v.powi(2) + g3 / v.powi(3) + g4 / v.powi(4)
}

/// Mean and 95% interval of some values.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Estimate {
    /// How many values.
    pub n: usize,
    /// Their mean.
    pub mean: f64,
    /// The 95% interval of the mean (Student's t), `None` for a single value.
    pub interval: Option<(f64, f64)>,
}

/// The [`Estimate`] of `values`; `None` when there are none.
pub fn estimate(values: &[f64]) -> Option<Estimate> {
    let n = values.len();
    if n == 0 {
        return None;
    }
    let mean = values.iter().sum::<f64>() / n as f64;
    let interval = (n > 1).then(|| {
        let ss: f64 = values.iter().map(|x| (x - mean).powi(2)).sum();
        let s = (ss / (n - 1) as f64).sqrt();
        let half = t_975(n as u64 - 1) * s / (n as f64).sqrt();
        (mean - half, mean + half)
    });
    Some(Estimate { n, mean, interval })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn t_quantiles_match_published_tables() {
        assert_eq!(t_975(4), 2.776_445_1);
        for (df, t) in [
            (31, 2.039_513_4),
            (40, 2.021_075_4),
            (60, 2.000_297_8),
            (120, 1.979_930_4),
        ] {
            assert!((t_975(df) - t).abs() < 2e-6, "df {df}: {}", t_975(df));
        }
        assert!((t_975(1_000_000) - Z_975).abs() < 1e-5);
    }

    /// 2, 4, 6, 8, 10: mean 6, s = √10, half-width t(4) · √10 / √5 = 2.7764451 · √2.
    #[test]
    fn the_interval_by_hand() {
        let e = estimate(&[2.0, 4.0, 6.0, 8.0, 10.0]).unwrap();
        assert_eq!((e.n, e.mean), (5, 6.0));
        let half = 2.776_445_1 * 2f64.sqrt();
        let (lo, hi) = e.interval.unwrap();
        assert!((lo - (6.0 - half)).abs() < 1e-12 && (hi - (6.0 + half)).abs() < 1e-12);
        assert_eq!(estimate(&[3.0]).unwrap().interval, None);
        assert_eq!(estimate(&[]), None);
        assert_eq!(estimate(&[1.5, 1.5]).unwrap().interval, Some((1.5, 1.5)));
    }
}

//! Predictive scaling, simplified (UG: ec2-auto-scaling-predictive-scaling): an hourly forecast of the load
//! metric from its history, turned into capacity by dividing by the target.
//!
//! The forecast of an hour blends the same hour on the previous days (weights halving with
//! each day back, up to 7 days) with the same hour of the previous weeks (up to 2), once a week
//! of history exists, half and half. It needs 24 hours of history and uses at most 14 days.

/// Hours of history needed before anything is forecast.
pub const MIN_HISTORY_HOURS: usize = 24;
/// Hours of history used at most (14 days).
pub const MAX_HISTORY_HOURS: usize = 14 * 24;
/// Hours forecast ahead.
pub const HORIZON_HOURS: usize = 48;

/// Forecasts `HORIZON_HOURS` hourly values following `history` (oldest first, one value per
/// completed hour). `None` with less than a day of history.
pub fn forecast_hours(history: &[f64]) -> Option<Vec<f64>> {
    let n = history.len();
    if n < MIN_HISTORY_HOURS {
        return None;
    }
    let history = &history[n.saturating_sub(MAX_HISTORY_HOURS)..];
    let n = history.len();
    let mut extended = history.to_vec();
    for _ in 0..HORIZON_HOURS {
        let h = extended.len();
        let daily = blend(&extended, h, 24, 7, n);
        let weekly = blend(&extended, h, 168, 2, n);
        let value = match weekly {
            Some(w) => 0.5 * daily.unwrap_or(w) + 0.5 * w,
            None => daily.unwrap_or(0.0),
        };
        extended.push(value);
    }
    Some(extended.split_off(n))
}

/// Weighted mean of `values\[h − k·stride\]` for k = 1..=count, weights halving, only over real
/// history (indices below `history_len`), so forecasts are not built on forecasts.
fn blend(values: &[f64], h: usize, stride: usize, count: usize, history_len: usize) -> Option<f64> {
    let (mut sum, mut weight, mut w) = (0.0, 0.0, 1.0);
    for k in 1..=count {
        let Some(i) = h.checked_sub(k * stride) else {
            break;
        };
        if i < history_len {
            sum += w * values[i];
            weight += w;
        }
        w *= 0.5;
    }
    (weight > 0.0).then(|| sum / weight)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn needs_a_day_and_repeats_a_daily_shape() {
        assert!(forecast_hours(&[1.0; 23]).is_none());
        let day: Vec<f64> = (0..24).map(|h| h as f64).collect();
        let two_days: Vec<f64> = day.iter().chain(day.iter()).copied().collect();
        let f = forecast_hours(&two_days).unwrap();
        assert_eq!(f.len(), HORIZON_HOURS);
        assert_eq!(&f[..24], &day[..]);
        assert_eq!(&f[24..], &day[..]);
    }

    #[test]
    fn weeks_count_once_available() {
        // 8 days: hour 0 of each day is 10, but on the same weekday a week ago it was 30.
        let mut hist = vec![10.0; 8 * 24];
        hist[24] = 30.0;
        let f = forecast_hours(&hist).unwrap();
        // Next hour 0 is index 192. Daily: 7 days back with weights 1, 1/2, …, 1/64, the
        // last (index 24) being 30; weekly: hist[24] = 30. Half and half.
        let weights: f64 = (0..7).map(|k| 0.5f64.powi(k)).sum();
        let daily = (10.0 * (weights - 1.0 / 64.0) + 30.0 / 64.0) / weights;
        assert!((f[0] - (0.5 * daily + 0.5 * 30.0)).abs() < 1e-9, "{}", f[0]);
    }
}

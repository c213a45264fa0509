//! Load traces (temporary stand-in until the trace module lands).
use crate::time::SimTime;
/// Trace.
#[derive(Debug, Clone)]
pub struct Trace {
    times_ms: Vec<SimTime>,
    rates_rps: Vec<f64>,
}
impl Trace {
    /// From points.
    pub fn from_points(times_ms: Vec<SimTime>, rates_rps: Vec<f64>) -> Result<Trace, String> {
        Ok(Trace {
            times_ms,
            rates_rps,
        })
    }
    /// Cursor.
    pub fn cursor(&self) -> TraceCursor<'_> {
        TraceCursor { trace: self, i: 0 }
    }
}
/// Cursor.
#[derive(Debug)]
pub struct TraceCursor<'a> {
    trace: &'a Trace,
    i: usize,
}
impl TraceCursor<'_> {
    /// Segment.
    pub fn segment_at(&mut self, t_ms: SimTime) -> (f64, SimTime) {
        let tr = self.trace;
        while self.i + 1 < tr.times_ms.len() && tr.times_ms[self.i + 1] <= t_ms {
            self.i += 1;
        }
        let end = tr.times_ms.get(self.i + 1).copied().unwrap_or(SimTime::MAX);
        (tr.rates_rps[self.i], end)
    }
}

//! An extra column of a trace, kept for a customized metric (a queue depth, say): one value a
//! row, piecewise constant like the rate, and stored only when asked for.

use super::{Trace, TraceCursor, TraceError};
use crate::time::SimTime;

/// The values of one extra trace column, one per row of the trace.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct ExtraColumn {
    /// The column's name, as in the header (trimmed).
    pub(super) name: String,
    /// One value a row, finite and ≥ 0, in the column's own unit.
    pub(super) values: Vec<f64>,
}

impl Trace {
    /// Adds a named column of values, one per row, each finite and ≥ 0 (in the column's own
    /// unit), replacing any column the trace had. `scale` and noise never apply to it.
    ///
    /// # Errors
    ///
    /// [`TraceError::Invalid`] if the count differs from [`Trace::len`] or a value is negative,
    /// NaN or infinite.
    pub fn with_column(mut self, name: &str, values: Vec<f64>) -> Result<Trace, TraceError> {
        let invalid = |reason: String| Err(TraceError::Invalid { reason });
        if values.len() != self.len() {
            return invalid(format!(
                "{} values of column {name} for {} rows; give one value per row",
                values.len(),
                self.len()
            ));
        }
        if let Some((i, v)) = values
            .iter()
            .enumerate()
            .find(|(_, v)| !(v.is_finite() && **v >= 0.0))
        {
            return invalid(format!(
                "value {v} of column {name} at index {i} is not finite and ≥ 0"
            ));
        }
        self.column = Some(ExtraColumn {
            name: name.to_string(),
            values,
        });
        Ok(self)
    }

    /// The name of the extra column the trace keeps, if it was read with one.
    pub fn column_name(&self) -> Option<&str> {
        self.column.as_ref().map(|c| c.name.as_str())
    }

    /// The extra column's values, one per row in time order, if the trace keeps one.
    pub fn column_values(&self) -> Option<&[f64]> {
        self.column.as_ref().map(|c| c.values.as_slice())
    }

    /// The extra column's value in force at `t_ms` (0 when the trace has no column).
    pub fn column_at(&self, t_ms: SimTime) -> f64 {
        self.column
            .as_ref()
            .map_or(0.0, |c| c.values[self.index_at(t_ms)])
    }
}

impl TraceCursor<'_> {
    /// Rate of the segment holding `t_ms` \[req/s\], the extra column's value there (0 when the
    /// trace has no column), and the end of that segment \[ms\] (`SimTime::MAX` when it holds
    /// forever). The column changes only where the rate's rows start, so one segment covers
    /// both. Amortized O(1) for non-decreasing `t_ms`, like [`TraceCursor::segment_at`].
    pub fn segment_with_column(&mut self, t_ms: SimTime) -> (f64, f64, SimTime) {
        let (rate, end_ms) = self.segment_at(t_ms);
        let value = match &self.trace.column {
            Some(column) => column.values[self.index],
            None => 0.0,
        };
        (rate, value, end_ms)
    }

    /// The extra column's value in the segment holding `t_ms` (0 when the trace has no
    /// column). Amortized O(1) for non-decreasing `t_ms`.
    pub fn column_at(&mut self, t_ms: SimTime) -> f64 {
        self.segment_with_column(t_ms).1
    }
}

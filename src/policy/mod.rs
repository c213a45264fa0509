//! Scaling policies: each turns what the group sees into a new desired capacity.

mod adjustment;
mod simple;

pub use adjustment::{adjusted_capacity, clamp_capacity, percent_change};
pub use simple::{SimpleGate, SimpleOutcome};

//! The generic event queue of the discrete-event engine.

mod queue;

pub use queue::{EventKey, EventQueue};

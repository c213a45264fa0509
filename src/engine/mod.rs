//! The generic discrete-event engine: the event queue, and the trait through which a
//! component schedules its own events without knowing the run's event type.

mod queue;

pub use queue::EventQueue;

use crate::time::SimTime;

/// Where a component schedules its events. The run implements it by wrapping the component's
/// event in its own event type; a test implements it with a `Vec`, to see what was scheduled.
pub trait Scheduler<E> {
    /// Schedules `event` at `at_ms`.
    fn schedule(&mut self, at_ms: SimTime, event: E);
}

impl<E> Scheduler<E> for Vec<(SimTime, E)> {
    fn schedule(&mut self, at_ms: SimTime, event: E) {
        self.push((at_ms, event));
    }
}

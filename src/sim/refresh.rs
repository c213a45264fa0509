//! Instance refresh (asg-semantics.md §10).

use crate::recorder::Recorder;
use crate::scenario::InstanceRefreshConfig;

use super::Simulation;

impl<R: Recorder> Simulation<'_, R> {
    /// Starts an instance refresh.
    pub(super) fn start_refresh(&mut self, _refresh: &InstanceRefreshConfig) {}
}

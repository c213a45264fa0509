//! Writers and plots of one run's output.

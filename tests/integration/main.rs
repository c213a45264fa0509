//! One integration test binary: the CLI end to end, AWS's worked examples, properties.

mod common;
mod scenario_props;

//! One integration test binary: the CLI end to end, AWS's worked examples, properties.

mod aws_examples;
mod cloudwatch_tables;
mod cli;
mod common;
mod invariants;

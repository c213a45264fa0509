//! One integration test binary: the CLI end to end, AWS's worked examples, properties.

mod aws_departures;
mod aws_examples;
mod az_recovery;
mod backtest;
mod basic_monitoring;
mod cli;
mod cloudwatch_tables;
mod common;
mod explain_snapshots;
mod health;
mod import_aws;
mod import_metrics;
mod imported_example;
mod invariants;
mod plot_stories;
mod policy_examples;
mod recorders;
mod refresh_pool;
mod scenario_props;
mod scheduled;
mod suspend;
mod sweep;
mod teaching;
mod trace_props;

//! One integration test binary: the CLI end to end, AWS's worked examples, properties.

mod aws_examples;
mod az_recovery;
mod basic_monitoring;
mod cli;
mod cloudwatch_tables;
mod common;
mod health;
mod invariants;
mod outputs;
mod plot_stories;
mod policy_examples;
mod refresh_pool;
mod report_browser;
mod scenario_props;
mod scheduled;
mod suspend;
mod sweep;
mod teaching;
mod trace_props;
mod webdriver;

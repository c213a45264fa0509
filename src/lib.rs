//! # asgsim: a discrete-event simulator of Amazon EC2 Auto Scaling groups
//!
//! asgsim replays a load trace against a modelled Auto Scaling group (instances, min/max/desired
//! capacity, CloudWatch alarms, scaling policies, termination policies) and reports what the
//! group would have done and what it would have cost.
//!
//! ## Lifecycle of a run
//!
//! 1. [`scenario::parse_scenario`] turns TOML text (plus `--set` overrides) into a validated
//!    [`scenario::Scenario`], collecting every problem with its key path.
//! 2. [`trace::load`] builds the load: a CSV trace or a synthetic pattern, scaled, with noise.
//! 3. [`sim::run`] runs the pure core: it takes the scenario, the trace and a seed and hands
//!    timeline rows, activities, instances and explanations to a [`records::Recorder`].
//! 4. [`report`] writes the files and plots of one run.
//!
//! Live, [`serve`] is a playground on 127.0.0.1: a scenario's report view with a control per
//! main setting, run again on each change (`asgsim serve`).
//!
//! To bring a real group in, [`import`] turns the AWS CLI's JSON and Terraform files into a
//! scenario and CloudWatch metrics into a trace; [`calibrate`] fits the instance model to the
//! group's metrics, and [`backtest`] sets a run beside what the group did (with the AWS-shaped
//! output of [`aws_json`] as the other side when testing).
//!
//! In batch, [`compare`] sets several scenarios side by side, and [`sweep`] runs a grid of
//! variants of one scenario × seeds in parallel (summary-only recorder, one CSV row per run
//! streamed to a journal), with sharding, resume, merged results, per-point confidence
//! intervals, fixed-group and oracle baselines, an objective and plots.
//!
//! The core modules (`time`, `engine`, `asg`, `cloudwatch`, `policy`, `workload`, `sim`) never
//! print, read files or read the clock: the same scenario, trace and seed always give the same
//! records.
#![warn(missing_docs, missing_debug_implementations, unreachable_pub)]

/// The version and the commit it was built from: `0.1.0 (1e36fd5dcc6a 2025-12-06)`, or
/// just `0.1.0` when built without git (see `build.rs`).
pub const VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), env!("ASGSIM_VERSION_SUFFIX"));

pub mod asg;
pub mod aws_json;
pub mod backtest;
pub mod calibrate;
pub mod cli;
pub mod cloudwatch;
pub mod compare;
pub(crate) mod diagnostic;
pub mod elasticity;
pub mod engine;
pub mod import;
pub mod policy;
pub mod records;
pub mod report;
pub mod rng;
pub mod run;
pub mod scenario;
pub mod schedule;
pub mod serve;
pub mod sim;
pub mod stdin;
pub(crate) mod suggest;
pub mod sweep;
pub mod time;
pub mod trace;
pub mod workload;

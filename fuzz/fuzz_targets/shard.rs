//! `--shard I/N` and the array-job environment (Kubernetes, AWS Batch, Slurm): the first line
//! is the flag's text, the others `NAME=VALUE` variables. The fuzzer found the index overflow
//! of issue 14 (defect 2) here. A resolved shard must lie within its count.
#![no_main]

use std::collections::HashMap;

use asgsim::sweep::shard::{Shard, resolve};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut lines = text.lines();
    let flag = lines.next().and_then(|l| l.parse::<Shard>().ok());
    let env: HashMap<String, String> = lines
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let shards = env.get("--shards").and_then(|n| n.parse().ok());
    if let Ok(Some((shard, _))) = resolve(flag, shards, |k| env.get(k).cloned()) {
        assert!(shard.index >= 1 && shard.index <= shard.count);
        let total = 1000;
        assert_eq!(shard.runs(total).count() as u64, shard.len(total));
    }
});

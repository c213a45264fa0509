//! Shares of a sweep for several machines: shard I of N runs the runs r with
//! (r − 1) mod N = I − 1 (round robin, so that every shard gets a similar mix of points).
//!
//! Without `--shard I/N`, the share is read from the environment of an array job:
//!
//! | scheduler | index | count |
//! |---|---|---|
//! | Kubernetes Indexed Job | `JOB_COMPLETION_INDEX` (from 0) | `--shards N` or `ASGSIM_SHARDS` |
//! | AWS Batch array job | `AWS_BATCH_JOB_ARRAY_INDEX` (from 0) | `AWS_BATCH_JOB_ARRAY_SIZE`, else `--shards N` / `ASGSIM_SHARDS` |
//! | Slurm job array | `SLURM_ARRAY_TASK_ID` − `SLURM_ARRAY_TASK_MIN` | `SLURM_ARRAY_TASK_COUNT` |
//!
//! checked in that order; the first scheduler whose index variable is set decides.

use std::fmt;
use std::str::FromStr;

/// Shard `index` of `count` (1 ≤ index ≤ count).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// Which share, from 1.
    pub index: u64,
    /// How many shares.
    pub count: u64,
}

impl Shard {
    /// A shard, checked.
    ///
    /// # Errors
    ///
    /// When `count` is 0 or `index` is not in 1..=count.
    pub fn new(index: u64, count: u64) -> Result<Self, String> {
        if count == 0 || index == 0 || index > count {
            return Err(format!(
                "shard {index}/{count} does not exist; write I/N with 1 ≤ I ≤ N, such as 2/3"
            ));
        }
        Ok(Self { index, count })
    }

    /// Whether run `run` (from 1) belongs to this shard.
    pub fn contains(&self, run: u64) -> bool {
        (run - 1) % self.count == self.index - 1
    }

    /// The runs of this shard out of `total`, in order.
    pub fn runs(&self, total: u64) -> impl Iterator<Item = u64> + use<> {
        (self.index..=total).step_by(self.count as usize)
    }

    /// The number of runs of this shard out of `total`.
    pub fn len(&self, total: u64) -> u64 {
        if total < self.index {
            0
        } else {
            (total - self.index) / self.count + 1
        }
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

impl FromStr for Shard {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        let bad = || format!("`{text}` is not a shard; write I/N with 1 ≤ I ≤ N, such as 2/3");
        let (i, n) = text.split_once('/').ok_or_else(bad)?;
        let i: u64 = i.trim().parse().map_err(|_| bad())?;
        let n: u64 = n.trim().parse().map_err(|_| bad())?;
        Self::new(i, n)
    }
}

/// Where a shard came from, for messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShardSource {
    /// `--shard I/N`.
    Flag,
    /// A Kubernetes Indexed Job.
    Kubernetes,
    /// An AWS Batch array job.
    AwsBatch,
    /// A Slurm job array.
    Slurm,
}

impl ShardSource {
    /// A name for messages.
    pub fn name(self) -> &'static str {
        match self {
            Self::Flag => "--shard",
            Self::Kubernetes => "Kubernetes (JOB_COMPLETION_INDEX)",
            Self::AwsBatch => "AWS Batch (AWS_BATCH_JOB_ARRAY_INDEX)",
            Self::Slurm => "Slurm (SLURM_ARRAY_TASK_ID)",
        }
    }
}

/// The shard of this process: `flag` if given, else from the environment through `var` (see
/// the module docs); `shards` is `--shards N`. `None` when nothing says to shard.
///
/// # Errors
///
/// A message naming the variable when an index or count is malformed or a count is missing.
pub fn resolve(
    flag: Option<Shard>,
    shards: Option<u64>,
    var: impl Fn(&str) -> Option<String>,
) -> Result<Option<(Shard, ShardSource)>, String> {
    if let Some(shard) = flag {
        return Ok(Some((shard, ShardSource::Flag)));
    }
    let number = |name: &str| -> Result<Option<u64>, String> {
        match var(name) {
            None => Ok(None),
            Some(text) => text
                .trim()
                .parse()
                .map(Some)
                .map_err(|_| format!("{name}={text:?} is not a whole number ≥ 0")),
        }
    };
    let count_of = |env_count: Option<u64>, needed: &str| -> Result<u64, String> {
        env_count
            .or(shards)
            .or(number("ASGSIM_SHARDS")?)
            .ok_or_else(|| {
                format!("{needed}: give the number of shards with --shards N or ASGSIM_SHARDS")
            })
    };
    let make = |zero_based: u64, count: u64, source: ShardSource| {
        Shard::new(zero_based + 1, count)
            .map(|s| Some((s, source)))
            .map_err(|e| format!("{}: {e}", source.name()))
    };
    if let Some(index) = number("JOB_COMPLETION_INDEX")? {
        let count = count_of(None, "JOB_COMPLETION_INDEX is set")?;
        return make(index, count, ShardSource::Kubernetes);
    }
    if let Some(index) = number("AWS_BATCH_JOB_ARRAY_INDEX")? {
        let env_count = number("AWS_BATCH_JOB_ARRAY_SIZE")?;
        let count = count_of(env_count, "AWS_BATCH_JOB_ARRAY_INDEX is set")?;
        return make(index, count, ShardSource::AwsBatch);
    }
    if let Some(id) = number("SLURM_ARRAY_TASK_ID")? {
        let count = number("SLURM_ARRAY_TASK_COUNT")?
            .ok_or("SLURM_ARRAY_TASK_ID is set but SLURM_ARRAY_TASK_COUNT is not")?;
        let min = number("SLURM_ARRAY_TASK_MIN")?.unwrap_or(0);
        let index = id.checked_sub(min).ok_or_else(|| {
            format!("SLURM_ARRAY_TASK_ID {id} is below SLURM_ARRAY_TASK_MIN {min}")
        })?;
        return make(index, count, ShardSource::Slurm);
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |name| map.get(name).cloned()
    }

    #[test]
    fn shards_split_the_runs_round_robin() {
        let shards: Vec<Shard> = (1..=3).map(|i| Shard::new(i, 3).unwrap()).collect();
        let runs: Vec<Vec<u64>> = shards.iter().map(|s| s.runs(8).collect()).collect();
        assert_eq!(runs, [vec![1, 4, 7], vec![2, 5, 8], vec![3, 6]]);
        for s in &shards {
            assert_eq!(s.len(8), s.runs(8).count() as u64);
            assert!(s.runs(8).all(|r| s.contains(r)));
        }
        assert_eq!(Shard::new(3, 3).unwrap().len(2), 0);
        assert_eq!("2/3".parse::<Shard>(), Ok(Shard::new(2, 3).unwrap()));
        assert!("0/3".parse::<Shard>().is_err());
        assert!("4/3".parse::<Shard>().is_err());
        assert!("x".parse::<Shard>().is_err());
    }

    #[test]
    fn the_environment_of_array_jobs_gives_the_shard() {
        let s = |i, n| Shard::new(i, n).unwrap();
        let k8s = env(&[("JOB_COMPLETION_INDEX", "0")]);
        assert_eq!(
            resolve(None, Some(4), &k8s),
            Ok(Some((s(1, 4), ShardSource::Kubernetes)))
        );
        assert!(
            resolve(None, None, &k8s)
                .unwrap_err()
                .contains("--shards N")
        );
        let k8s_env = env(&[("JOB_COMPLETION_INDEX", "2"), ("ASGSIM_SHARDS", "3")]);
        assert_eq!(resolve(None, None, &k8s_env).unwrap().unwrap().0, s(3, 3));
        let batch = env(&[
            ("AWS_BATCH_JOB_ARRAY_INDEX", "1"),
            ("AWS_BATCH_JOB_ARRAY_SIZE", "2"),
        ]);
        assert_eq!(
            resolve(None, None, &batch),
            Ok(Some((s(2, 2), ShardSource::AwsBatch)))
        );
        let slurm = env(&[
            ("SLURM_ARRAY_TASK_ID", "3"),
            ("SLURM_ARRAY_TASK_COUNT", "3"),
            ("SLURM_ARRAY_TASK_MIN", "1"),
        ]);
        assert_eq!(
            resolve(None, None, &slurm),
            Ok(Some((s(3, 3), ShardSource::Slurm)))
        );
        assert_eq!(
            resolve(Some(s(1, 2)), None, &slurm),
            Ok(Some((s(1, 2), ShardSource::Flag)))
        );
        assert_eq!(resolve(None, None, env(&[])), Ok(None));
        let out_of_range = env(&[("JOB_COMPLETION_INDEX", "5"), ("ASGSIM_SHARDS", "3")]);
        assert!(
            resolve(None, None, &out_of_range)
                .unwrap_err()
                .contains("Kubernetes")
        );
        let bad = env(&[("SLURM_ARRAY_TASK_ID", "x")]);
        assert!(
            resolve(None, None, &bad)
                .unwrap_err()
                .contains("SLURM_ARRAY_TASK_ID")
        );
    }
}

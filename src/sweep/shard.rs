//! Shares of a sweep for several machines: shard I of N runs the runs r with
//! (r − 1) mod N = I − 1 (round robin, so that every shard gets a similar mix of points).
//!
//! Without `--shard I/N`, the share is read from the environment of an array job:
//!
//! | scheduler | index | count |
//! |---|---|---|
//! | Kubernetes Indexed Job | `JOB_COMPLETION_INDEX` (from 0) | `--shards N` or `ASGSIM_SHARDS` |
//! | AWS Batch array job | `AWS_BATCH_JOB_ARRAY_INDEX` (from 0) | `AWS_BATCH_JOB_ARRAY_SIZE`, else `--shards N` / `ASGSIM_SHARDS` |
//! | Slurm job array | (`SLURM_ARRAY_TASK_ID` − `SLURM_ARRAY_TASK_MIN`) / `SLURM_ARRAY_TASK_STEP` | `SLURM_ARRAY_TASK_COUNT` |
//!
//! checked in that order; the first scheduler whose index variable is set decides. A Slurm
//! array must be evenly spaced (`--array=A-B` or `A-B:S`): the task counts that Slurm gives
//! must agree with its minimum, maximum and step, or the shard is refused, since a list such
//! as `--array=1,2,7` leaves no way to number the tasks 1 to N.

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
        run >= 1 && (run - 1) % self.count == self.index - 1
    }

    /// The runs of this shard out of `total`, in order.
    pub fn runs(&self, total: u64) -> impl Iterator<Item = u64> + use<> {
        let step = usize::try_from(self.count).unwrap_or(usize::MAX);
        (self.index..=total).step_by(step)
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
        // An index of u64::MAX has no successor: checked, it is refused as out of range.
        let index = zero_based.checked_add(1).unwrap_or(0);
        Shard::new(index, count)
            .map(|s| Some((s, source)))
            .map_err(|_| {
                format!(
                    "{}: index {zero_based} (from 0) is not below the number of shards {count}; shards are numbered 0 to {} here",
                    source.name(),
                    count.saturating_sub(1)
                )
            })
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
        let slurm = SlurmArray {
            id,
            count: number("SLURM_ARRAY_TASK_COUNT")?
                .ok_or("SLURM_ARRAY_TASK_ID is set but SLURM_ARRAY_TASK_COUNT is not")?,
            min: number("SLURM_ARRAY_TASK_MIN")?.unwrap_or(0),
            max: number("SLURM_ARRAY_TASK_MAX")?,
            step: number("SLURM_ARRAY_TASK_STEP")?.unwrap_or(1),
        };
        return make(slurm.index()?, slurm.count, ShardSource::Slurm);
    }
    Ok(None)
}

/// What Slurm says of one task of a job array.
#[derive(Debug, Clone, Copy)]
struct SlurmArray {
    id: u64,
    count: u64,
    min: u64,
    max: Option<u64>,
    step: u64,
}

impl SlurmArray {
    /// The task's place in the array, from 0: (id − min) / step, for an evenly spaced array.
    fn index(&self) -> Result<u64, String> {
        let Self {
            id,
            count,
            min,
            max,
            step,
        } = *self;
        let array = match max {
            Some(max) if step > 1 => format!("{min}-{max}:{step}"),
            Some(max) => format!("{min}-{max}"),
            None => format!("from {min} in steps of {step}"),
        };
        let uneven = |why: String| {
            format!(
                "Slurm array {array} ({count} tasks): {why}; asgsim numbers shards by (SLURM_ARRAY_TASK_ID − SLURM_ARRAY_TASK_MIN) / SLURM_ARRAY_TASK_STEP, so submit an evenly spaced array (--array=A-B or --array=A-B:S) or pass --shard I/N yourself"
            )
        };
        if step == 0 {
            return Err(uneven("SLURM_ARRAY_TASK_STEP is 0".to_string()));
        }
        let offset = id.checked_sub(min).ok_or_else(|| {
            format!("SLURM_ARRAY_TASK_ID {id} is below SLURM_ARRAY_TASK_MIN {min}")
        })?;
        if let Some(max) = max {
            let spaced = max
                .checked_sub(min)
                .filter(|span| span % step == 0)
                .map(|span| span / step + 1);
            if spaced != Some(count) {
                return Err(uneven(format!(
                    "its tasks are not every {step} from {min} to {max} (a list such as 1,2,7?)"
                )));
            }
        }
        if offset % step != 0 {
            return Err(uneven(format!(
                "task {id} is not on the step {step} from {min}"
            )));
        }
        Ok(offset / step)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> + use<> {
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

    #[test]
    fn regression_shard_index_overflow() {
        // The fuzzer's crash: index + 1 overflowed (a panic in debug, shard 0 in release).
        let max = u64::MAX.to_string();
        for (index_var, count_var) in [
            ("AWS_BATCH_JOB_ARRAY_INDEX", "AWS_BATCH_JOB_ARRAY_SIZE"),
            ("JOB_COMPLETION_INDEX", "ASGSIM_SHARDS"),
        ] {
            let vars = env(&[(index_var, max.as_str()), (count_var, "3")]);
            let e = resolve(None, None, &vars).unwrap_err();
            assert!(e.contains(&format!("index {max} (from 0)")), "{e}");
            assert!(e.contains("numbered 0 to 2"), "{e}");
        }
        let slurm = env(&[
            ("SLURM_ARRAY_TASK_ID", max.as_str()),
            ("SLURM_ARRAY_TASK_COUNT", max.as_str()),
        ]);
        assert!(resolve(None, None, &slurm).is_err());
        let too_big = env(&[("AWS_BATCH_JOB_ARRAY_INDEX", "18446744073709551616")]);
        let e = resolve(None, None, &too_big).unwrap_err();
        assert!(e.contains("AWS_BATCH_JOB_ARRAY_INDEX"), "{e}");
        let s = Shard::new(u64::MAX, u64::MAX).unwrap();
        assert!(s.contains(u64::MAX) && !s.contains(0) && !s.contains(1));
        assert_eq!(s.runs(u64::MAX).collect::<Vec<_>>(), [u64::MAX]);
    }

    #[test]
    fn stepped_slurm_arrays_number_their_tasks_by_the_step() {
        // sbatch --array=0-8:4: tasks 0, 4, 8 are shards 1, 2, 3 of 3.
        for (id, shard) in [("0", 1), ("4", 2), ("8", 3)] {
            let vars = env(&[
                ("SLURM_ARRAY_TASK_ID", id),
                ("SLURM_ARRAY_TASK_COUNT", "3"),
                ("SLURM_ARRAY_TASK_MIN", "0"),
                ("SLURM_ARRAY_TASK_MAX", "8"),
                ("SLURM_ARRAY_TASK_STEP", "4"),
            ]);
            let got = resolve(None, None, &vars).unwrap().unwrap();
            assert_eq!(got, (Shard::new(shard, 3).unwrap(), ShardSource::Slurm));
        }
        // --array=1,2,7: three tasks, not evenly spaced: refused, saying why and what to do.
        let list = env(&[
            ("SLURM_ARRAY_TASK_ID", "7"),
            ("SLURM_ARRAY_TASK_COUNT", "3"),
            ("SLURM_ARRAY_TASK_MIN", "1"),
            ("SLURM_ARRAY_TASK_MAX", "7"),
            ("SLURM_ARRAY_TASK_STEP", "1"),
        ]);
        let e = resolve(None, None, &list).unwrap_err();
        assert!(e.contains("Slurm array 1-7 (3 tasks)"), "{e}");
        assert!(
            e.contains("--array=A-B:S") && e.contains("--shard I/N"),
            "{e}"
        );
        // A task off the step, and a step of 0.
        let off = env(&[
            ("SLURM_ARRAY_TASK_ID", "5"),
            ("SLURM_ARRAY_TASK_COUNT", "3"),
            ("SLURM_ARRAY_TASK_MIN", "0"),
            ("SLURM_ARRAY_TASK_STEP", "4"),
        ]);
        assert!(
            resolve(None, None, &off)
                .unwrap_err()
                .contains("not on the step 4")
        );
        let zero = env(&[
            ("SLURM_ARRAY_TASK_ID", "0"),
            ("SLURM_ARRAY_TASK_COUNT", "1"),
            ("SLURM_ARRAY_TASK_STEP", "0"),
        ]);
        assert!(
            resolve(None, None, &zero)
                .unwrap_err()
                .contains("STEP is 0")
        );
    }
}

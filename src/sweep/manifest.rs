//! `sweep.json`: what a sweep output folder holds, for `--resume` and `asgsim merge`.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::SweepError;
use super::shard::Shard;
use super::spec::SweepSpec;

/// Name of the manifest in the output folder.
pub const MANIFEST_FILE: &str = "sweep.json";

/// The manifest of one sweep output folder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// The sweep file as given.
    pub sweep: String,
    /// FNV-1a hash of the sweep file, the scenario file and the fixed overrides (hex): two
    /// folders with the same fingerprint come from the same sweep.
    pub fingerprint: String,
    /// Runs of the whole sweep.
    pub total_runs: u64,
    /// Parameter points of the whole sweep.
    pub points: u64,
    /// The seeds of every point.
    pub seeds: Vec<u64>,
    /// The swept keys, in column order.
    pub parameters: Vec<String>,
    /// This folder's shard index, from 1 (1 when not sharded).
    pub shard_index: u64,
    /// How many shards the sweep was split into (1 when not sharded).
    pub shard_count: u64,
    /// The objective of the sweep, if any.
    pub objective: Option<String>,
}

impl Manifest {
    /// The manifest of `spec` run as `shard` (`None`: all runs) with `objective`;
    /// `scenario_text` is the base scenario's text.
    pub fn new(
        spec: &SweepSpec,
        scenario_text: &str,
        shard: Option<Shard>,
        objective: Option<&str>,
    ) -> Self {
        let mut hash = Fnv::default();
        hash.write(spec.text.as_bytes());
        hash.write(&[0]);
        hash.write(scenario_text.as_bytes());
        for o in &spec.fixed {
            hash.write(&[0]);
            hash.write(o.as_bytes());
        }
        let shard = shard.unwrap_or(Shard { index: 1, count: 1 });
        Self {
            sweep: spec.path.display().to_string(),
            fingerprint: format!("{:016x}", hash.0),
            total_runs: spec.total_runs(),
            points: spec.points(),
            seeds: spec.seeds.clone(),
            parameters: spec.parameters.iter().map(|p| p.key.clone()).collect(),
            shard_index: shard.index,
            shard_count: shard.count,
            objective: objective.map(str::to_string),
        }
    }

    /// This folder's shard.
    pub fn shard(&self) -> Shard {
        Shard {
            index: self.shard_index,
            count: self.shard_count,
        }
    }

    /// Whether the two describe the same sweep split the same way (all but the shard index).
    pub fn same_sweep(&self, other: &Manifest) -> bool {
        self.fingerprint == other.fingerprint
            && self.total_runs == other.total_runs
            && self.seeds == other.seeds
            && self.parameters == other.parameters
            && self.shard_count == other.shard_count
    }

    /// Writes the manifest into `dir`.
    ///
    /// # Errors
    ///
    /// [`SweepError::Failed`] when it cannot be written.
    pub fn write(&self, dir: &Path) -> Result<(), SweepError> {
        let path = dir.join(MANIFEST_FILE);
        let mut bytes = serde_json::to_vec_pretty(self).unwrap_or_default();
        bytes.push(b'\n');
        crate::report::write_atomic(&path, &bytes)
            .map_err(|e| SweepError::io("cannot write", &path, e))
    }

    /// Reads the manifest of `dir`, `None` when there is none.
    ///
    /// # Errors
    ///
    /// [`SweepError::Input`] when it is there but cannot be read.
    pub fn read(dir: &Path) -> Result<Option<Self>, SweepError> {
        let path = dir.join(MANIFEST_FILE);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(SweepError::Input(format!("{}: {e}", path.display()))),
        };
        serde_json::from_str(&text).map(Some).map_err(|e| {
            SweepError::Input(format!("{}: not a sweep manifest: {e}", path.display()))
        })
    }
}

/// 64-bit FNV-1a: a small, fixed hash (the standard library's may change between versions).
#[derive(Debug)]
struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Self(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv {
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= u64::from(*b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv_matches_its_reference_values() {
        let hash = |s: &str| {
            let mut h = Fnv::default();
            h.write(s.as_bytes());
            h.0
        };
        assert_eq!(hash(""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(hash("a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(hash("foobar"), 0x8594_4171_f739_67e8);
    }

    #[test]
    fn manifests_round_trip() {
        let spec = SweepSpec::parse(
            "scenario = \"s.toml\"\nseeds = 2\n[parameters]\na = [1, 2]\n",
            Path::new("sw.toml"),
            &[],
        )
        .unwrap();
        let m = Manifest::new(&spec, "text", Some(Shard::new(2, 3).unwrap()), None);
        assert_eq!((m.total_runs, m.points, m.shard().index), (4, 2, 2));
        let dir = tempfile::tempdir().unwrap();
        m.write(dir.path()).unwrap();
        assert_eq!(Manifest::read(dir.path()).unwrap(), Some(m.clone()));
        let other = Manifest::new(&spec, "changed", None, None);
        assert!(!m.same_sweep(&other));
        assert_eq!(Manifest::read(&dir.path().join("x")).unwrap(), None);
    }
}

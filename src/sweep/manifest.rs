//! `sweep.json`: what a sweep output folder holds, for `--resume` and `asgsim merge`.
//!
//! It names the asgsim version and every input file with its SHA-256 (the sweep file, the
//! scenario, each trace any point loads), and a fingerprint over them and the overrides, so that
//! shards or journals computed on another trace, another scenario or another asgsim are
//! refused with a message naming what differs, instead of merging silently.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::SweepError;
use super::shard::Shard;
use super::spec::SweepSpec;
use crate::report::{hex, sha256_hex};

/// Name of the manifest in the output folder.
pub const MANIFEST_FILE: &str = "sweep.json";

/// One input file of a sweep.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InputFile {
    /// What it is: `sweep`, `scenario` or `trace`.
    pub role: String,
    /// Its name: the file name of the sweep and the scenario, a trace's path relative to the
    /// scenario's folder (so that shards run from other folders compare equal).
    pub name: String,
    /// The SHA-256 of its contents, lowercase hex.
    pub sha256: String,
}

impl InputFile {
    /// An input named `name` with `bytes` as contents.
    pub fn new(role: &str, name: &str, bytes: &[u8]) -> Self {
        Self {
            role: role.to_string(),
            name: name.to_string(),
            sha256: sha256_hex(bytes),
        }
    }
}

/// The manifest of one sweep output folder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// The sweep file as given.
    pub sweep: String,
    /// SHA-256 (hex) of the asgsim version, every input file and the fixed overrides: two
    /// folders with the same fingerprint come from the same sweep on the same inputs.
    pub fingerprint: String,
    /// The asgsim version that computed the runs, with the commit it was built from when known
    /// (as `asgsim --version` says it; empty in folders of older versions).
    #[serde(default)]
    pub asgsim_version: String,
    /// Every input file, with its hash: the sweep file, the scenario, then the traces.
    #[serde(default)]
    pub inputs: Vec<InputFile>,
    /// The fixed overrides of every run (the sweep's `\[set\]`, then `--set`).
    #[serde(default)]
    pub overrides: Vec<String>,
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
    /// The manifest of `spec` run as `shard` (`None`: all runs) with `objective`; `inputs` are
    /// the sweep file, the scenario and the traces (see [`InputFile`]).
    pub fn new(
        spec: &SweepSpec,
        inputs: Vec<InputFile>,
        shard: Option<Shard>,
        objective: Option<&str>,
    ) -> Self {
        let version = crate::VERSION;
        let mut text = format!("asgsim {version}\n");
        for input in &inputs {
            text.push_str(&format!("{} {} {}\n", input.role, input.name, input.sha256));
        }
        for o in &spec.fixed {
            text.push_str(&format!("set {}\n", hex(o.as_bytes())));
        }
        let shard = shard.unwrap_or(Shard { index: 1, count: 1 });
        Self {
            sweep: spec.path.display().to_string(),
            fingerprint: sha256_hex(text.as_bytes()),
            asgsim_version: version.to_string(),
            inputs,
            overrides: spec.fixed.clone(),
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
        self.differences(other, "", "").is_empty()
    }

    /// What differs between this manifest (of folder `mine`) and `other` (of folder
    /// `theirs`), all but the shard index, as sentences naming both; empty when they
    /// describe the same sweep on the same inputs, split the same way.
    pub fn differences(&self, other: &Manifest, mine: &str, theirs: &str) -> Vec<String> {
        let mut out = Vec::new();
        let version = |v: &str| {
            if v.is_empty() {
                "an asgsim older than 0.1 (no version recorded)".to_string()
            } else {
                format!("asgsim {v}")
            }
        };
        if self.asgsim_version != other.asgsim_version {
            out.push(format!(
                "computed by {} in {mine} but by {} in {theirs}",
                version(&self.asgsim_version),
                version(&other.asgsim_version)
            ));
        }
        out.extend(input_differences(&self.inputs, &other.inputs, mine, theirs));
        if self.overrides != other.overrides {
            out.push(format!(
                "the overrides differ: [{}] in {mine}, [{}] in {theirs}",
                self.overrides.join(", "),
                other.overrides.join(", ")
            ));
        }
        if self.total_runs != other.total_runs
            || self.seeds != other.seeds
            || self.parameters != other.parameters
        {
            out.push(format!(
                "the grids differ: {} runs over [{}] in {mine}, {} runs over [{}] in {theirs}",
                self.total_runs,
                self.parameters.join(", "),
                other.total_runs,
                other.parameters.join(", ")
            ));
        }
        if self.shard_count != other.shard_count {
            out.push(format!(
                "split into {} shards in {mine} but {} in {theirs}",
                self.shard_count, other.shard_count
            ));
        }
        if out.is_empty() && self.fingerprint != other.fingerprint {
            out.push(format!(
                "the fingerprints differ ({} in {mine}, {} in {theirs})",
                short(&self.fingerprint),
                short(&other.fingerprint)
            ));
        }
        out
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

/// The first 12 hex digits of a hash, for messages.
fn short(hash: &str) -> &str {
    hash.get(..12).unwrap_or(hash)
}

/// The input files that differ between two manifests, as sentences.
fn input_differences(a: &[InputFile], b: &[InputFile], mine: &str, theirs: &str) -> Vec<String> {
    if a.is_empty() != b.is_empty() {
        let (without, with) = if a.is_empty() {
            (mine, theirs)
        } else {
            (theirs, mine)
        };
        return vec![format!(
            "{without} was written by an asgsim that recorded no input hashes, {with} by one that did"
        )];
    }
    let mut out = Vec::new();
    for x in a {
        match b
            .iter()
            .find(|y| y.role == x.role && (y.name == x.name || x.role != "trace"))
        {
            Some(y) if y.sha256 == x.sha256 => {}
            Some(y) => {
                let names = if x.name == y.name {
                    format!("`{}`", x.name)
                } else {
                    format!("`{}` / `{}`", x.name, y.name)
                };
                out.push(format!(
                    "the {} file {names} differs (SHA-256 {}… in {mine}, {}… in {theirs})",
                    x.role,
                    short(&x.sha256),
                    short(&y.sha256)
                ));
            }
            None => out.push(format!(
                "the {} `{}` is an input in {mine} only",
                x.role, x.name
            )),
        }
    }
    for y in b {
        if !a
            .iter()
            .any(|x| x.role == y.role && (x.name == y.name || y.role != "trace"))
        {
            out.push(format!(
                "the {} `{}` is an input in {theirs} only",
                y.role, y.name
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manifests_round_trip_and_name_what_differs() {
        let spec = SweepSpec::parse(
            "scenario = \"s.toml\"\nseeds = 2\n[parameters]\na = [1, 2]\n",
            Path::new("sw.toml"),
            &[],
        )
        .unwrap();
        let inputs = |trace: &[u8]| {
            vec![
                InputFile::new("sweep", "sw.toml", spec.text.as_bytes()),
                InputFile::new("scenario", "s.toml", b"text"),
                InputFile::new("trace", "traces/t.csv", trace),
            ]
        };
        let m = Manifest::new(
            &spec,
            inputs(b"0,1\n"),
            Some(Shard::new(2, 3).unwrap()),
            None,
        );
        assert_eq!((m.total_runs, m.points, m.shard().index), (4, 2, 2));
        assert_eq!(m.asgsim_version, crate::VERSION);
        let dir = tempfile::tempdir().unwrap();
        m.write(dir.path()).unwrap();
        assert_eq!(Manifest::read(dir.path()).unwrap(), Some(m.clone()));
        assert_eq!(Manifest::read(&dir.path().join("x")).unwrap(), None);
        let sibling = Manifest::new(
            &spec,
            inputs(b"0,1\n"),
            Some(Shard::new(1, 3).unwrap()),
            None,
        );
        assert!(m.same_sweep(&sibling), "another shard of the same sweep");

        let other_trace = Manifest::new(
            &spec,
            inputs(b"0,2\n"),
            Some(Shard::new(1, 3).unwrap()),
            None,
        );
        assert_ne!(m.fingerprint, other_trace.fingerprint);
        let why = m.differences(&other_trace, "A", "B");
        assert_eq!(why.len(), 1, "{why:?}");
        assert!(
            why[0].starts_with("the trace file `traces/t.csv` differs (SHA-256 "),
            "{why:?}"
        );
        assert!(
            why[0].contains("in A") && why[0].contains("in B"),
            "{why:?}"
        );

        let mut older = other_trace.clone();
        older.asgsim_version = "0.0.9".to_string();
        older.inputs = inputs(b"0,1\n");
        let why = m.differences(&older, "A", "B");
        let expected = format!(
            "computed by asgsim {} in A but by asgsim 0.0.9 in B",
            crate::VERSION
        );
        assert_eq!(why, [expected]);
        let mut unrecorded = older.clone();
        unrecorded.asgsim_version.clear();
        unrecorded.inputs.clear();
        let why = m.differences(&unrecorded, "A", "B").join("; ");
        assert!(
            why.contains("no version recorded") && why.contains("no input hashes"),
            "{why}"
        );
    }
}

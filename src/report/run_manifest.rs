//! `run.json`: the manifest of one run's output folder, written last.
//!
//! Each file of a run is atomic on its own; the manifest makes the set atomic. A run removes
//! the old manifest before it writes anything and writes the new one after every other file,
//! naming the run (asgsim's version, the scenario, the seed) and each file's size and SHA-256.
//! A reader that finds no `run.json`, or files that do not match it, knows the folder holds
//! an interrupted run or files of several runs; [`RunManifest::verify`] says which.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::write_atomic;

/// Name of the manifest in a run's output folder.
pub const RUN_MANIFEST_FILE: &str = "run.json";

/// What one run wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunManifest {
    /// The asgsim version that wrote the files, with its commit when known (`asgsim --version`).
    pub asgsim_version: String,
    /// The scenario's name.
    pub scenario: String,
    /// The seed of the run.
    pub seed: u64,
    /// Every file of the run, in the order written.
    pub files: Vec<FileEntry>,
}

/// One file of a run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileEntry {
    /// The file's name in the folder.
    pub name: String,
    /// Its size \[bytes\].
    pub bytes: u64,
    /// The SHA-256 of its contents, lowercase hex (as `sha256sum` prints it).
    pub sha256: String,
}

impl RunManifest {
    /// The manifest of `files` (in one folder) as they are on disk now.
    ///
    /// # Errors
    ///
    /// When a file cannot be read.
    pub fn of_files(scenario: &str, seed: u64, files: &[PathBuf]) -> io::Result<Self> {
        let files = files
            .iter()
            .map(|path| {
                let (bytes, sha256) = file_sha256(path)?;
                Ok(FileEntry {
                    name: file_name(path),
                    bytes,
                    sha256,
                })
            })
            .collect::<io::Result<_>>()?;
        Ok(Self {
            asgsim_version: crate::VERSION.to_string(),
            scenario: scenario.to_string(),
            seed,
            files,
        })
    }

    /// Writes the manifest as `run.json` in `dir`, atomically, and returns its path.
    ///
    /// # Errors
    ///
    /// When it cannot be written.
    pub fn write(&self, dir: &Path) -> io::Result<PathBuf> {
        let path = dir.join(RUN_MANIFEST_FILE);
        let mut bytes = serde_json::to_vec_pretty(self).map_err(io::Error::other)?;
        bytes.push(b'\n');
        write_atomic(&path, &bytes)?;
        Ok(path)
    }

    /// The manifest of `dir`, `None` when there is none (no run finished writing there).
    ///
    /// # Errors
    ///
    /// When it is there but cannot be read or parsed.
    pub fn read(dir: &Path) -> io::Result<Option<Self>> {
        match fs::read(dir.join(RUN_MANIFEST_FILE)) {
            Ok(bytes) => serde_json::from_slice(&bytes)
                .map(Some)
                .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e)),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Every file of `dir`'s manifest that is missing or differs from it, as sentences; empty
    /// when the folder holds exactly the files the manifest names.
    pub fn verify(&self, dir: &Path) -> Vec<String> {
        self.files
            .iter()
            .filter_map(|entry| match file_sha256(&dir.join(&entry.name)) {
                Err(e) => Some(format!("{}: {e}", entry.name)),
                Ok((bytes, _)) if bytes != entry.bytes => Some(format!(
                    "{}: {bytes} bytes, the run wrote {}",
                    entry.name, entry.bytes
                )),
                Ok((_, sha256)) if sha256 != entry.sha256 => Some(format!(
                    "{}: its contents differ from what the run wrote",
                    entry.name
                )),
                Ok(_) => None,
            })
            .collect()
    }
}

/// The SHA-256 of `bytes`, lowercase hex.
pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// The size \[bytes\] and SHA-256 (lowercase hex) of the file at `path`, read in pieces: a
/// year's timeline at one-second rows is gigabytes, and a run's memory stays flat.
pub(crate) fn file_sha256(path: &Path) -> io::Result<(u64, String)> {
    use std::io::Read as _;
    let mut file = fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 1 << 20];
    let mut total = 0u64;
    loop {
        let read = file.read(&mut buffer)?;
        if read == 0 {
            break;
        }
        hasher.update(&buffer[..read]);
        total += read as u64;
    }
    Ok((total, hex(&hasher.finalize())))
}

/// Lowercase hex of `bytes`.
pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_matches_its_reference_values() {
        assert_eq!(
            sha256_hex(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn a_manifest_round_trips_and_tells_changed_files() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        let files = ["a.csv", "b.json"].map(|n| dir.join(n));
        fs::write(&files[0], "x,y\n1,2\n").unwrap();
        fs::write(&files[1], "{}").unwrap();
        let manifest = RunManifest::of_files("demo", 7, &files).unwrap();
        assert_eq!(manifest.files[0].bytes, 8);
        manifest.write(dir).unwrap();
        assert_eq!(RunManifest::read(dir).unwrap(), Some(manifest.clone()));
        assert!(manifest.verify(dir).is_empty());
        fs::write(&files[1], "{\"x\":1}").unwrap();
        fs::write(&files[0], "x,y\n1,3\n").unwrap();
        let problems = manifest.verify(dir);
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems[0].contains("contents differ"), "{problems:?}");
        assert!(
            problems[1].contains("7 bytes, the run wrote 2"),
            "{problems:?}"
        );
        assert_eq!(RunManifest::read(&dir.join("none")).unwrap(), None);
    }
}

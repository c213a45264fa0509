//! An output folder held by one asgsim process: created, checked writable, locked, and
//! cleared of the temporary files of processes that died, before anything is computed.
//!
//! The lock is an advisory lock (`flock`) on the folder itself, so no lock file is left
//! behind, and the operating system releases it when the process ends, however it ends. While
//! a process holds it, every file with asgsim's temporary suffix in the folder belongs to a
//! process that died (a kill, a full disk, a power cut), so it is removed.

use std::fs::{self, File, TryLockError};
use std::io;
use std::path::{Path, PathBuf};

use super::TEMP_SUFFIX;

/// Why an output folder cannot be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum OutputDirError {
    /// The folder cannot be created.
    #[error("cannot create the output folder `{}`: {cause}", path.display())]
    CreateDir {
        /// The folder.
        path: PathBuf,
        /// What the file system said.
        cause: io::Error,
    },
    /// Files cannot be written in the folder.
    #[error("cannot write to the output folder `{}`: {cause}; choose another with --out", path.display())]
    Unwritable {
        /// The folder.
        path: PathBuf,
        /// What the file system said.
        cause: io::Error,
    },
    /// Another asgsim process is writing to the folder.
    #[error(
        "another asgsim process is writing to `{}`; wait for it to finish or choose another folder with --out",
        path.display()
    )]
    Busy {
        /// The folder.
        path: PathBuf,
    },
}

/// An output folder this process holds until the value is dropped.
#[derive(Debug)]
pub struct OutputDir {
    path: PathBuf,
    /// The folder opened and locked; `None` where folders cannot be locked.
    _lock: Option<File>,
}

impl OutputDir {
    /// Creates `path` (and its parents) if needed, checks that files can be written in it,
    /// locks it, and removes temporary files left there by asgsim processes that died.
    ///
    /// # Errors
    ///
    /// [`OutputDirError::CreateDir`] or [`OutputDirError::Unwritable`] when the folder cannot
    /// be created or written in; [`OutputDirError::Busy`] when another process holds it.
    pub fn prepare(path: &Path) -> Result<Self, OutputDirError> {
        let unwritable = |cause| OutputDirError::Unwritable {
            path: path.to_path_buf(),
            cause,
        };
        fs::create_dir_all(path).map_err(|cause| OutputDirError::CreateDir {
            path: path.to_path_buf(),
            cause,
        })?;
        let lock = lock(path)?;
        remove_stale_temp_files(path).map_err(unwritable)?;
        // A file created and removed: a read-only folder is found before any work is done.
        tempfile::Builder::new()
            .prefix(".asgsim-probe.")
            .suffix(TEMP_SUFFIX)
            .tempfile_in(path)
            .map_err(unwritable)?;
        Ok(Self {
            path: path.to_path_buf(),
            _lock: lock,
        })
    }

    /// The folder.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for OutputDir {
    fn drop(&mut self) {
        // Unlocked, not only closed: a child process forked meanwhile (a library user's, a
        // test's) shares the open folder until it execs, and with it the lock.
        if let Some(dir) = &self._lock {
            let _ = dir.unlock();
        }
    }
}

/// The folder opened and locked exclusively without waiting; `None` when this platform or file
/// system cannot lock a folder (the run goes on unlocked).
fn lock(path: &Path) -> Result<Option<File>, OutputDirError> {
    let Ok(dir) = File::open(path) else {
        return Ok(None);
    };
    match dir.try_lock() {
        Ok(()) => Ok(Some(dir)),
        Err(TryLockError::WouldBlock) => Err(OutputDirError::Busy {
            path: path.to_path_buf(),
        }),
        Err(TryLockError::Error(_)) => Ok(None),
    }
}

/// Removes every hidden file of `dir` with asgsim's temporary suffix (or a link so named:
/// the link, never its target).
fn remove_stale_temp_files(dir: &Path) -> io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with('.') && name.ends_with(TEMP_SUFFIX) && !entry.file_type()?.is_dir() {
            match fs::remove_file(entry.path()) {
                Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
                _ => {}
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_holder_is_refused_until_the_first_lets_go() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("out");
        let first = OutputDir::prepare(&dir).unwrap();
        let e = OutputDir::prepare(&dir).unwrap_err();
        assert!(matches!(e, OutputDirError::Busy { .. }), "{e}");
        assert!(e.to_string().contains("another asgsim process"), "{e}");
        drop(first);
        OutputDir::prepare(&dir).unwrap();
    }

    #[test]
    fn stale_temporary_files_are_removed_and_nothing_else() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        let stale = dir.join(format!(".timeline.csv.a1B2c3{TEMP_SUFFIX}"));
        fs::write(&stale, vec![0u8; 4096]).unwrap();
        for keep in ["timeline.csv", ".hidden", "notes.asgsim-tmp"] {
            fs::write(dir.join(keep), "x").unwrap();
        }
        let target = dir.join("target");
        fs::write(&target, "kept").unwrap();
        let link = dir.join(format!(".summary.json.zz{TEMP_SUFFIX}"));
        std::os::unix::fs::symlink(&target, &link).unwrap();
        let held = OutputDir::prepare(dir).unwrap();
        assert_eq!(held.path(), dir);
        assert!(!stale.exists() && fs::symlink_metadata(&link).is_err());
        assert_eq!(fs::read_to_string(&target).unwrap(), "kept");
        for keep in ["timeline.csv", ".hidden", "notes.asgsim-tmp"] {
            assert!(dir.join(keep).exists(), "{keep}");
        }
    }

    #[test]
    fn a_folder_that_cannot_be_created_is_unwritable() {
        let tmp = tempfile::tempdir().unwrap();
        let file = tmp.path().join("a-file");
        fs::write(&file, "").unwrap();
        let e = OutputDir::prepare(&file.join("run")).unwrap_err();
        assert!(matches!(e, OutputDirError::CreateDir { .. }), "{e}");
        assert!(e.to_string().contains("a-file"), "{e}");
    }
}

//! Build script: records the git commit the binary is built from, for `asgsim --version`.
//!
//! `ASGSIM_GIT_COMMIT` (set by hand or by a container build that has no `.git`) wins; else
//! git is asked for HEAD's short hash and commit date. Without git (a tarball, a crate from
//! crates.io) the version simply has no commit: the build never fails for want of git.

use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    println!("cargo::rerun-if-env-changed=ASGSIM_GIT_COMMIT");
    let commit = match std::env::var("ASGSIM_GIT_COMMIT") {
        Ok(given) if !given.trim().is_empty() => Some(given.trim().to_string()),
        _ => from_git(),
    };
    let suffix = commit.map(|c| format!(" ({c})")).unwrap_or_default();
    println!("cargo::rustc-env=ASGSIM_VERSION_SUFFIX={suffix}");
}

/// `1e36fd5dcc6a 2025-12-06`, or `None` when this is not a git checkout or git is missing.
fn from_git() -> Option<String> {
    let manifest_dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR")?);
    let git = |args: &[&str]| -> Option<String> {
        let out = Command::new("git")
            .args(args)
            .current_dir(&manifest_dir)
            .output()
            .ok()?;
        let text = String::from_utf8(out.stdout).ok()?;
        (out.status.success() && !text.trim().is_empty()).then(|| text.trim().to_string())
    };
    let commit = git(&["log", "-1", "--abbrev=12", "--format=%h %cs"])?;
    // Rebuild when HEAD moves: HEAD itself, the branch it points to, packed refs. In a
    // worktree HEAD lives in the worktree's git dir and the refs in the common one.
    let git_dir = absolute(&manifest_dir, git(&["rev-parse", "--git-dir"])?);
    let common = git(&["rev-parse", "--git-common-dir"])
        .map_or_else(|| git_dir.clone(), |c| absolute(&manifest_dir, c));
    watch(&git_dir.join("HEAD"));
    watch(&common.join("packed-refs"));
    if let Some(branch) = git(&["symbolic-ref", "-q", "HEAD"]) {
        watch(&common.join(branch));
    }
    Some(commit)
}

fn absolute(base: &Path, path: String) -> PathBuf {
    let path = PathBuf::from(path);
    if path.is_absolute() {
        path
    } else {
        base.join(path)
    }
}

fn watch(path: &Path) {
    if path.exists() {
        println!("cargo::rerun-if-changed={}", path.display());
    }
}

//! What users of a command-line tool expect of it (issue 17): versions, help, completions,
//! the man page, scripting (`--json`, stdin, `-q`, thread counts, colour) and errors in the
//! editors' `FILE:LINE:COL:` form.

use std::process::Command;

use crate::common::{asgsim, repo_root, texts};

/// `--version` names the version and, in a git checkout, the commit it was built from.
#[test]
fn version_names_the_commit() {
    let out = asgsim(&repo_root(), &["--version"]);
    let (stdout, _) = texts(&out);
    assert!(out.status.success());
    let line = stdout.trim_end();
    let rest = line
        .strip_prefix(&format!("asgsim {}", env!("CARGO_PKG_VERSION")))
        .unwrap_or_else(|| panic!("{line}"));
    let head = Command::new("git")
        .args(["log", "-1", "--abbrev=12", "--format=%h %cs"])
        .current_dir(repo_root())
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string());
    match head {
        // Built from this checkout: the commit and its date.
        Some(head) if std::env::var("ASGSIM_GIT_COMMIT").is_err() => {
            assert_eq!(rest, format!(" ({head})"));
        }
        // No git (a tarball): the version alone, or what the builder passed.
        _ => assert!(rest.is_empty() || rest.starts_with(" ("), "{line}"),
    }
}

//! Which files the playground may read: scenario files under the folder it was given, named
//! by their path relative to it. No path from a request reaches the file system before it
//! has been checked here: relative, plain names only (no `..`, no root, no drive, no
//! backslash, no control character), a `.toml` file, and, once the links are followed, still
//! under the folder.

use std::fs;
use std::path::{Component, Path, PathBuf};

/// Folders below the root that the listing looks into.
const MAX_DEPTH: usize = 3;
/// Files the listing shows at most.
const MAX_LISTED: usize = 500;

/// The folder the playground serves, canonical.
#[derive(Debug, Clone)]
pub(crate) struct ScenarioRoot {
    root: PathBuf,
    /// When the playground was given one file: only that one is served.
    only: Option<PathBuf>,
}

/// Why a scenario name was refused (said to the page as is; it never names a real path).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Refused(pub(crate) String);

impl ScenarioRoot {
    /// The folder `target`, or the folder of the file `target` (then only that file).
    pub(crate) fn new(target: &Path) -> std::io::Result<Self> {
        let canonical = fs::canonicalize(target)?;
        if canonical.is_file() {
            let root = canonical
                .parent()
                .map(Path::to_path_buf)
                .unwrap_or_else(|| canonical.clone());
            return Ok(Self {
                root,
                only: Some(canonical),
            });
        }
        Ok(Self {
            root: canonical,
            only: None,
        })
    }

    /// The canonical folder.
    pub(crate) fn path(&self) -> &Path {
        &self.root
    }

    /// The file a request names by `name`, relative to the root (`seed-workflow.toml`,
    /// `imported/code-api.toml`), once every check has passed.
    pub(crate) fn resolve(&self, name: &str) -> Result<PathBuf, Refused> {
        check_name(name)?;
        let joined = self.root.join(name);
        let canonical = fs::canonicalize(&joined).map_err(|_| {
            Refused(format!(
                "there is no scenario {name:?} in the folder served"
            ))
        })?;
        if !canonical.starts_with(&self.root) {
            return Err(Refused(format!(
                "{name:?} leads out of the folder served (a link to elsewhere); only scenarios under it are served"
            )));
        }
        if !canonical.is_file() {
            return Err(Refused(format!("{name:?} is not a scenario file")));
        }
        if let Some(only) = &self.only
            && only != &canonical
        {
            return Err(Refused(format!(
                "this playground serves one scenario; {name:?} is not it"
            )));
        }
        Ok(canonical)
    }

    /// The scenario files a person may choose, as names relative to the root, sorted.
    pub(crate) fn list(&self) -> Vec<String> {
        let mut found = Vec::new();
        if let Some(only) = &self.only {
            if let Ok(rel) = only.strip_prefix(&self.root) {
                found.push(slashed(rel));
            }
            return found;
        }
        walk(&self.root, &self.root, 0, &mut found);
        found.retain(|name| self.resolve(name).is_ok());
        found.sort();
        found
    }
}

/// A relative path written with `/`, whatever the platform.
fn slashed(rel: &Path) -> String {
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    parts.join("/")
}

/// `.toml` files under `dir` (depth-limited, sweep files left out).
fn walk(root: &Path, dir: &Path, depth: usize, found: &mut Vec<String>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        if found.len() >= MAX_LISTED {
            return;
        }
        let hidden = path
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with('.'));
        if hidden {
            continue;
        }
        if path.is_dir() && depth < MAX_DEPTH {
            walk(root, &path, depth + 1, found);
        } else if path.extension().is_some_and(|e| e == "toml")
            && !is_sweep_file(&path)
            && let Ok(rel) = path.strip_prefix(root)
        {
            found.push(slashed(rel));
        }
    }
}

/// A sweep file names a `scenario` and its `[parameters]`: it is not a scenario to play with.
fn is_sweep_file(path: &Path) -> bool {
    let Ok(text) = fs::read_to_string(path) else {
        return true;
    };
    text.parse::<toml::Table>()
        .is_ok_and(|t| t.contains_key("scenario") && t.contains_key("parameters"))
}

/// The checks made on the name itself, before any file is looked at.
fn check_name(name: &str) -> Result<(), Refused> {
    let refuse = |why: &str| Err(Refused(format!("{name:?} is refused: {why}")));
    if name.is_empty() {
        return refuse("no scenario is named");
    }
    if name.len() > 512 {
        return refuse("the name is too long");
    }
    if name
        .chars()
        .any(|c| c.is_control() || c == '\\' || c == ':')
    {
        return refuse("names are written with / between folders and no control character");
    }
    if !name.ends_with(".toml") {
        return refuse("only scenario files (.toml) are served");
    }
    for component in Path::new(name).components() {
        match component {
            Component::Normal(_) => {}
            Component::ParentDir => return refuse("`..` would leave the folder served"),
            Component::RootDir | Component::Prefix(_) => {
                return refuse("only paths relative to the folder served are accepted");
            }
            Component::CurDir => return refuse("write the name without `.`"),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn root_with_files() -> (tempfile::TempDir, ScenarioRoot) {
        let dir = tempfile::tempdir().unwrap();
        let base = dir.path();
        fs::create_dir_all(base.join("served/sub")).unwrap();
        fs::write(base.join("served/a.toml"), "name = \"a\"\n").unwrap();
        fs::write(base.join("served/sub/b.toml"), "name = \"b\"\n").unwrap();
        fs::write(
            base.join("served/sweep.toml"),
            "scenario = \"a.toml\"\n[parameters]\n",
        )
        .unwrap();
        fs::write(base.join("secret.toml"), "name = \"secret\"\n").unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(base.join("secret.toml"), base.join("served/link.toml"))
            .unwrap();
        let root = ScenarioRoot::new(&base.join("served")).unwrap();
        (dir, root)
    }

    #[test]
    fn names_under_the_root_resolve() {
        let (_dir, root) = root_with_files();
        assert!(root.resolve("a.toml").is_ok());
        assert!(root.resolve("sub/b.toml").is_ok());
        assert_eq!(root.list(), ["a.toml", "sub/b.toml"]);
    }

    #[test]
    fn parents_absolute_paths_and_links_out_are_refused() {
        let (dir, root) = root_with_files();
        let secret = dir.path().join("secret.toml");
        for name in [
            "../secret.toml",
            "../../etc/passwd",
            "sub/../../secret.toml",
            "/etc/passwd",
            secret.to_str().unwrap(),
            "..\\secret.toml",
            "./a.toml",
            "a.toml\0",
            "",
            "C:/x.toml",
            "sub",
        ] {
            assert!(root.resolve(name).is_err(), "{name:?} was accepted");
        }
        #[cfg(unix)]
        assert!(
            root.resolve("link.toml")
                .unwrap_err()
                .0
                .contains("leads out"),
            "a link out of the folder is refused"
        );
    }

    #[test]
    fn one_file_serves_only_itself() {
        let (dir, _) = root_with_files();
        let root = ScenarioRoot::new(&dir.path().join("served/a.toml")).unwrap();
        assert_eq!(root.list(), ["a.toml"]);
        assert!(root.resolve("a.toml").is_ok());
        assert!(root.resolve("sub/b.toml").is_err());
    }
}

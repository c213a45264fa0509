//! Atomic writes and the output folder.

use std::fs;
use std::path::Path;

use crate::report::{
    ACTIVITIES_FILE, CAPACITY_PNG_FILE, CAPACITY_SVG_FILE, INSTANCES_FILE, REPORT_FILE,
    RUN_MANIFEST_FILE, ReportError, RunManifest, SUMMARY_FILE, TIMELINE_FILE, summary_json,
    timeline_csv, write_atomic, write_run,
};

use super::fixtures::diurnal;

fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn write_atomic_replaces_an_existing_file_and_leaves_no_temporary_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("timeline.csv");
    fs::write(&path, "old contents that are longer than the new ones").unwrap();
    write_atomic(&path, b"new").unwrap();
    assert_eq!(fs::read(&path).unwrap(), b"new");
    assert_eq!(names_in(dir.path()), ["timeline.csv"]);
}

#[test]
fn write_atomic_fails_cleanly_when_the_folder_is_missing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("missing").join("summary.json");
    assert!(write_atomic(&path, b"{}").is_err());
    assert!(names_in(dir.path()).is_empty());
}

#[test]
fn write_atomic_leaves_the_old_file_when_the_rename_fails() {
    let dir = tempfile::tempdir().unwrap();
    // A folder cannot be replaced by a file: the rename fails after the write.
    let path = dir.path().join("summary.json");
    fs::create_dir(&path).unwrap();
    fs::write(path.join("keep"), "x").unwrap();
    assert!(write_atomic(&path, b"{}").is_err());
    assert_eq!(names_in(dir.path()), ["summary.json"]);
    assert!(path.join("keep").exists());
}

#[test]
fn write_run_creates_the_folder_the_seven_files_and_their_manifest() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("output").join("diurnal-demo");
    let output = diurnal(24, 60, true);
    let written = write_run(&out, &output).unwrap();
    let expected = [
        TIMELINE_FILE,
        ACTIVITIES_FILE,
        INSTANCES_FILE,
        SUMMARY_FILE,
        CAPACITY_SVG_FILE,
        CAPACITY_PNG_FILE,
        REPORT_FILE,
        RUN_MANIFEST_FILE,
    ];
    assert_eq!(written, expected.map(|name| out.join(name)));
    let mut sorted = expected.map(String::from).to_vec();
    sorted.sort();
    assert_eq!(names_in(&out), sorted);
    assert_eq!(
        fs::read(out.join(TIMELINE_FILE)).unwrap(),
        timeline_csv(&output)
    );
    assert_eq!(
        fs::read(out.join(SUMMARY_FILE)).unwrap(),
        summary_json(&output.summary)
    );
    assert!(
        fs::read_to_string(out.join(CAPACITY_SVG_FILE))
            .unwrap()
            .starts_with("<svg")
    );
    let manifest = RunManifest::read(&out).unwrap().expect("run.json");
    assert_eq!(manifest.scenario, output.summary.scenario);
    let named: Vec<&str> = manifest.files.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(named, expected[..7]);
    assert!(manifest.verify(&out).is_empty());
    // Writing again replaces the files in place.
    write_run(&out, &output).unwrap();
    assert_eq!(names_in(&out), sorted);
}

#[test]
fn write_run_names_the_folder_it_cannot_create() {
    let dir = tempfile::tempdir().unwrap();
    let blocker = dir.path().join("taken");
    fs::write(&blocker, "a file, not a folder").unwrap();
    let err = write_run(&blocker.join("run"), &diurnal(1, 60, false)).unwrap_err();
    assert!(matches!(err, ReportError::CreateDir { .. }));
    let message = err.to_string();
    assert!(message.contains("taken"), "{message}");
    assert!(
        message.starts_with("cannot create the output folder"),
        "{message}"
    );
}

#[test]
fn write_run_names_the_file_it_cannot_write() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join(ACTIVITIES_FILE)).unwrap();
    let err = write_run(dir.path(), &diurnal(1, 60, false)).unwrap_err();
    let message = err.to_string();
    assert!(matches!(err, ReportError::Write { .. }));
    assert!(message.contains(ACTIVITIES_FILE), "{message}");
}

/// Defect 3 of issue 14: a link planted under an output's name, or under a temporary name,
/// is replaced or refused, never written through (for the PNG as for the tables).
#[test]
fn regression_symlinks_in_the_output_folder() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    fs::create_dir(&out).unwrap();
    let victim = dir.path().join("victim.txt");
    fs::write(&victim, "precious").unwrap();
    for name in [TIMELINE_FILE, CAPACITY_PNG_FILE] {
        std::os::unix::fs::symlink(&victim, out.join(name)).unwrap();
    }
    // The temporary names of the old scheme, `.NAME.PID.N.tmp.EXT`, as dangling links.
    let dangling = dir.path().join("created-through-a-link.png");
    for n in 0..64 {
        let name = format!(".{CAPACITY_PNG_FILE}.{}.{n}.tmp.png", std::process::id());
        std::os::unix::fs::symlink(&dangling, out.join(name)).unwrap();
    }
    let output = diurnal(2, 60, false);
    write_run(&out, &output).unwrap();
    assert_eq!(fs::read_to_string(&victim).unwrap(), "precious");
    assert!(!dangling.exists(), "the PNG went through a dangling link");
    for name in [TIMELINE_FILE, CAPACITY_PNG_FILE] {
        let meta = fs::symlink_metadata(out.join(name)).unwrap();
        assert!(meta.file_type().is_file(), "{name} is still a link");
    }
    assert_eq!(
        fs::read(out.join(TIMELINE_FILE)).unwrap(),
        timeline_csv(&output)
    );
}

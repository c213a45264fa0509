//! Atomic writes and the output folder.

use std::fs;
use std::path::Path;

use crate::report::{
    ACTIVITIES_FILE, CAPACITY_PNG_FILE, CAPACITY_SVG_FILE, INSTANCES_FILE, REPORT_FILE,
    ReportError, SUMMARY_FILE, TIMELINE_FILE, summary_json, timeline_csv, write_atomic, write_run,
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
fn write_run_creates_the_folder_and_the_seven_files() {
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

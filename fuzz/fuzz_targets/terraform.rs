//! `asgsim import terraform`: a module's main.tf, then (after a NUL byte) its terraform.tfvars.
//! Any input must give a scenario that asgsim reads back, or an error naming a file (and a
//! line for HCL syntax), never a panic.
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use asgsim::import::terraform::import_terraform;
use libfuzzer_sys::fuzz_target;

/// One module folder for every input (the importer reads a folder).
fn dir() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir =
            std::env::temp_dir().join(format!("asgsim-fuzz-terraform-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    })
}

fuzz_target!(|data: &[u8]| {
    let mut parts = data.splitn(2, |b| *b == 0);
    let main_tf = parts.next().unwrap_or_default();
    std::fs::write(dir().join("main.tf"), main_tf).unwrap();
    let vars = dir().join("terraform.tfvars");
    match parts.next() {
        Some(tfvars) => std::fs::write(&vars, tfvars).unwrap(),
        None => {
            let _ = std::fs::remove_file(&vars);
        }
    }
    match import_terraform(std::slice::from_ref(dir()), None, &[], None) {
        Ok(imported) => {
            let origin = std::path::Path::new("imported.toml");
            asgsim::scenario::parse_scenario(&imported.scenario, origin, &[])
                .expect("an imported scenario reads back");
        }
        Err(e) => assert!(!e.to_string().is_empty()),
    }
});

//! `asgsim import aws`: the AWS CLI's describe-* JSON, one file per part of the input (parts
//! separated by NUL bytes), in any order. Any input must give a scenario that asgsim reads
//! back, or an error naming a file, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let texts: Vec<(String, String)> = text
        .split('\0')
        .enumerate()
        .map(|(i, part)| (format!("fuzz-{i}.json"), part.to_string()))
        .collect();
    match asgsim::import::aws::import_aws_texts(&texts, None, None) {
        Ok(imported) => {
            let origin = std::path::Path::new("imported.toml");
            asgsim::scenario::parse_scenario(&imported.scenario, origin, &[])
                .expect("an imported scenario reads back");
        }
        Err(e) => assert!(!e.to_string().is_empty()),
    }
});

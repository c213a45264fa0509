//! The Dockerfile that the cluster examples build (`docker build` cannot run here): its
//! stages are read and checked. `.ci/run` also lints it with hadolint.

use std::fs;

use crate::common::repo_root;

/// One instruction: its keyword (upper case) and its arguments, continuation lines joined.
#[derive(Debug)]
struct Instruction {
    keyword: String,
    args: String,
}

fn instructions(text: &str) -> Vec<Instruction> {
    let mut out = Vec::new();
    let mut current = String::new();
    for line in text.lines() {
        let trimmed = line.trim();
        if current.is_empty() && (trimmed.is_empty() || trimmed.starts_with('#')) {
            continue;
        }
        if let Some(body) = trimmed.strip_suffix('\\') {
            current.push_str(body);
            current.push(' ');
            continue;
        }
        current.push_str(trimmed);
        let (keyword, args) = current
            .split_once(char::is_whitespace)
            .unwrap_or((&current, ""));
        out.push(Instruction {
            keyword: keyword.to_uppercase(),
            args: args.split_whitespace().collect::<Vec<_>>().join(" "),
        });
        current.clear();
    }
    assert!(current.is_empty(), "a continuation line ends the file");
    out
}

/// The instructions of each stage, after its FROM.
fn stages(all: &[Instruction]) -> Vec<(&Instruction, Vec<&Instruction>)> {
    let mut stages: Vec<(&Instruction, Vec<&Instruction>)> = Vec::new();
    for i in all {
        if i.keyword == "FROM" {
            stages.push((i, Vec::new()));
        } else if let Some((_, body)) = stages.last_mut() {
            body.push(i);
        }
    }
    stages
}

#[test]
fn the_dockerfile_builds_in_one_stage_and_ships_the_binary_alone() {
    let text = fs::read_to_string(repo_root().join("Dockerfile")).unwrap();
    let all = instructions(&text);
    let stages = stages(&all);
    assert_eq!(stages.len(), 2, "a build stage and a final one: {all:?}");

    // The build stage: a pinned Rust image no older than rust-version, a locked release build.
    let (from, build) = &stages[0];
    assert!(from.args.starts_with("rust:${RUST_VERSION}-slim") && from.args.ends_with(" AS build"));
    let rust_version = all
        .iter()
        .find(|i| i.keyword == "ARG" && i.args.starts_with("RUST_VERSION="))
        .map(|i| i.args["RUST_VERSION=".len()..].to_string())
        .expect("ARG RUST_VERSION before the first FROM");
    let manifest = fs::read_to_string(repo_root().join("Cargo.toml")).unwrap();
    let msrv = manifest
        .lines()
        .find_map(|l| l.strip_prefix("rust-version = "))
        .map(|v| v.trim_matches('"').to_string())
        .expect("Cargo.toml declares rust-version");
    let minor = |v: &str| {
        v.split('.')
            .nth(1)
            .and_then(|m| m.parse::<u32>().ok())
            .unwrap()
    };
    assert!(
        minor(&rust_version) >= minor(&msrv),
        "{rust_version} < {msrv}"
    );
    let run = build
        .iter()
        .find(|i| i.keyword == "RUN")
        .expect("a RUN in the build stage");
    assert!(
        run.args
            .contains("cargo build --release --locked --bin asgsim"),
        "{}",
        run.args
    );
    assert!(
        build
            .iter()
            .any(|i| i.keyword == "ARG" && i.args.starts_with("ASGSIM_GIT_COMMIT")),
        "the commit can be passed to build.rs"
    );

    // The final stage: a small image with no toolchain, the binary copied from the build,
    // run as its entry point, not as root.
    let (from, last) = &stages[1];
    assert!(
        from.args
            .starts_with("gcr.io/distroless/cc-debian12:nonroot"),
        "{}",
        from.args
    );
    assert!(
        !last.iter().any(|i| i.keyword == "RUN"),
        "no shell in distroless"
    );
    let copy = last
        .iter()
        .find(|i| i.keyword == "COPY")
        .expect("the binary is copied");
    assert_eq!(
        copy.args,
        "--from=build /usr/local/bin/asgsim /usr/local/bin/asgsim"
    );
    let entry = last.iter().find(|i| i.keyword == "ENTRYPOINT").unwrap();
    assert_eq!(entry.args, "[\"/usr/local/bin/asgsim\"]", "exec form");
    assert!(!last.iter().any(|i| i.keyword == "USER" && i.args == "root"));
}

/// What `docker build` is sent: everything the build needs, not the target folder.
#[test]
fn the_build_context_holds_what_the_build_needs() {
    let ignore = fs::read_to_string(repo_root().join(".dockerignore")).unwrap();
    let rules: Vec<&str> = ignore
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect();
    for excluded in ["target/", ".git/", "output/"] {
        assert!(rules.contains(&excluded), "{excluded} is sent to the build");
    }
    for needed in [
        "Cargo.toml",
        "Cargo.lock",
        "build.rs",
        "src",
        "assets",
        "benches",
        "tests",
    ] {
        assert!(repo_root().join(needed).exists(), "{needed}");
        let top = needed.split('/').next().unwrap();
        assert!(
            !rules.iter().any(|r| r.trim_end_matches('/') == top),
            "{needed} is left out of the build"
        );
    }
}

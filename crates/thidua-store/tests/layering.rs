//! ARCHITECTURE.md: a database is opened in one place, the binary (`crates/thidua`, its
//! `storage.rs`); no library crate above the store depends on a backend or a database driver
//! in its normal dependencies (dev-dependencies, for its own tests, may). This test reads every
//! crate's `Cargo.toml` and holds that.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The backend crates and the database drivers they wrap.
const BACKENDS: &[&str] = &[
    "thidua-store-sqlite",
    "thidua-store-postgres",
    "rusqlite",
    "libsqlite3-sys",
    "postgres",
    "tokio-postgres",
];

/// The crates that may depend on a backend: the backends themselves, the binary, and the
/// dev-only test-support crate (which forges stored rows as an attacker with file access
/// would), never a normal dependency of anything (checked below).
const MAY_OPEN_A_DATABASE: &[&str] = &[
    "thidua",
    "thidua-store-sqlite",
    "thidua-store-postgres",
    "thidua-test-support",
];

fn crates_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("crates/")
        .to_owned()
}

/// The names of the crates in a manifest's normal dependency tables (`[dependencies]`,
/// `[target.….dependencies]`, `[dependencies.NAME]`), renamed ones under their package name.
fn normal_dependencies(manifest: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut in_table = false;
    for line in manifest.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            let header = line.trim_matches(|c| c == '[' || c == ']').trim();
            let (table, name) = match header.rsplit_once("dependencies.") {
                Some((before, name)) if before.is_empty() || before.ends_with('.') => {
                    (format!("{before}dependencies"), Some(name))
                }
                _ => (header.to_owned(), None),
            };
            let normal = table == "dependencies"
                || (table.starts_with("target.") && table.ends_with(".dependencies"));
            in_table = normal && name.is_none();
            if normal {
                if let Some(name) = name {
                    found.push(name.trim_matches('"').to_owned());
                }
            }
            continue;
        }
        if !in_table || line.is_empty() || line.starts_with('#') {
            continue;
        }
        let Some((key, value)) = line.split_once('=') else {
            continue;
        };
        let key = key.trim().trim_matches('"');
        let key = key.strip_suffix(".workspace").unwrap_or(key);
        found.push(key.to_owned());
        if let Some(rest) = value.split("package").nth(1) {
            if let Some(package) = rest.split('"').nth(1) {
                found.push(package.to_owned());
            }
        }
    }
    found
}

/// Every crate of the workspace with its normal dependencies.
fn workspace() -> BTreeMap<String, Vec<String>> {
    let mut crates = BTreeMap::new();
    for dir in std::fs::read_dir(crates_dir()).unwrap() {
        let manifest = dir.unwrap().path().join("Cargo.toml");
        if let Ok(text) = std::fs::read_to_string(&manifest) {
            let name = text
                .lines()
                .find_map(|l| l.trim().strip_prefix("name = "))
                .map(|n| n.trim_matches('"').to_owned())
                .unwrap_or_else(|| panic!("{} names no package", manifest.display()));
            crates.insert(name, normal_dependencies(&text));
        }
    }
    crates
}

#[test]
fn no_library_crate_above_the_store_depends_on_a_backend() {
    let crates = workspace();
    assert!(crates.len() > 10, "the workspace's crates: {crates:?}");
    // The reading is not blind: the binary is found opening both backends.
    for backend in ["thidua-store-sqlite", "thidua-store-postgres"] {
        assert!(crates["thidua"].iter().any(|d| d == backend), "{crates:?}");
    }
    let in_production: Vec<&String> = crates
        .iter()
        .filter(|(_, deps)| deps.iter().any(|d| d == "thidua-test-support"))
        .map(|(name, _)| name)
        .collect();
    assert!(
        in_production.is_empty(),
        "thidua-test-support is for dev-dependencies only: {in_production:?}"
    );
    let offending: Vec<String> = crates
        .iter()
        .filter(|(name, _)| !MAY_OPEN_A_DATABASE.contains(&name.as_str()))
        .flat_map(|(name, deps)| {
            deps.iter()
                .filter(|d| BACKENDS.contains(&d.as_str()))
                .map(move |d| format!("{name} depends on {d}"))
        })
        .collect();
    assert!(
        offending.is_empty(),
        "only the binary opens a database; take the store traits instead: {offending:?}"
    );
}

#[test]
fn the_manifest_reader_sees_every_form_of_dependency() {
    let manifest = r#"
[package]
name = "x"

[dependencies]
thidua-store.workspace = true
renamed = { package = "rusqlite", version = "0.37" }
"quoted" = "1"

[dependencies.postgres]
version = "0.19"

[target.'cfg(unix)'.dependencies]
tokio-postgres = "0.7"

[dev-dependencies]
thidua-store-sqlite.workspace = true

[build-dependencies]
libsqlite3-sys = "0.35"
"#;
    assert_eq!(
        normal_dependencies(manifest),
        [
            "thidua-store",
            "renamed",
            "rusqlite",
            "quoted",
            "postgres",
            "tokio-postgres"
        ]
    );
}

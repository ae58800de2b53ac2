//! Tests that read the project's own sources (every route declared, every error code written):
//! the Rust files under a folder, and the routes an axum router declares in them.

use std::path::{Path, PathBuf};

/// Every `.rs` file under `dir`, recursively.
pub fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    collect(dir, &mut out);
    out.sort();
    out
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// One `.route("PATH", …)` call: its path and the methods its handlers name (`get`, `post`,
/// `put`, `delete`).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Route {
    pub path: String,
    pub methods: Vec<&'static str>,
}

/// The routes declared in the Rust files under `dirs`: each `.route(` call whose first
/// argument is a string literal, with the methods named in its arguments (up to its closing
/// parenthesis).
pub fn routes(dirs: &[PathBuf]) -> Vec<Route> {
    let mut out = Vec::new();
    for file in dirs.iter().flat_map(|d| rust_files(d)) {
        let text = std::fs::read_to_string(&file).unwrap();
        for (at, _) in text.match_indices(".route(") {
            let call = arguments(&text[at + ".route(".len()..]);
            let Some((path, _)) = call
                .trim_start()
                .strip_prefix('"')
                .and_then(|p| p.split_once('"'))
            else {
                continue;
            };
            let methods = ["get", "post", "put", "delete"]
                .into_iter()
                .filter(|m| {
                    call.match_indices(&format!("{m}(")).any(|(i, _)| {
                        !call[..i].ends_with(|c: char| c.is_alphanumeric() || c == '_')
                    })
                })
                .collect();
            out.push(Route {
                path: path.to_owned(),
                methods,
            });
        }
    }
    out.sort();
    out
}

/// The text of a call's arguments: up to the parenthesis that closes the one before `args`.
fn arguments(args: &str) -> &str {
    let mut depth = 1;
    for (i, c) in args.char_indices() {
        depth += match c {
            '(' => 1,
            ')' => -1,
            _ => 0,
        };
        if depth == 0 {
            return &args[..i];
        }
    }
    args
}

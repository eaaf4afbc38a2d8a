//! `cargo xtask tidy`: what reviews keep finding by hand — a path the docs name that does not
//! exist, a published crate without the metadata crates.io and its readers rely on, a patch or
//! merge leftover (`mod.rs.orig`) committed with the source.

use std::path::Path;

/// Top-level folders whose paths the docs cite in backticks.
const CITED_ROOTS: [&str; 9] = [
    "crates/", "docs/", "schemas/", "tests/", "xtask/", "fuzz/", "web/", ".ci/", "scripts/",
];

/// The crates meant for reuse (published), with the manifest fields each must carry.
const PUBLISHED: [&str; 4] = [
    "crates/model/Cargo.toml",
    "crates/import/Cargo.toml",
    "crates/export/Cargo.toml",
    "crates/cli/Cargo.toml",
];
const REQUIRED_FIELDS: [&str; 5] = ["description", "repository", "readme", "keywords", "categories"];

/// Every problem found, one line each.
pub fn problems(root: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut docs = vec![root.join("README.md")];
    if let Ok(entries) = std::fs::read_dir(root.join("docs")) {
        let mut found: Vec<_> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "md"))
            .collect();
        found.sort();
        docs.extend(found);
    }
    for doc in docs {
        let Ok(text) = std::fs::read_to_string(&doc) else {
            out.push(format!("{}: cannot be read", doc.display()));
            continue;
        };
        let name = doc.strip_prefix(root).unwrap_or(&doc).display().to_string();
        for cited in cited_paths(&text) {
            if !root.join(&cited).exists() {
                out.push(format!("{name}: names `{cited}`, which does not exist"));
            }
        }
    }
    for manifest in PUBLISHED {
        let Ok(text) = std::fs::read_to_string(root.join(manifest)) else {
            out.push(format!("{manifest}: cannot be read"));
            continue;
        };
        let package = package_section(&text);
        for field in REQUIRED_FIELDS {
            let present = package.lines().any(|l| {
                let l = l.trim_start();
                l.strip_prefix(field)
                    .is_some_and(|rest| rest.trim_start().starts_with(['=', '.']))
            });
            if !present {
                out.push(format!("{manifest}: [package] has no `{field}`"));
            }
        }
    }
    out.extend(leftovers(&tracked_files(root)));
    out
}

/// The files git tracks (none where git or the repository is missing: the other checks still run).
fn tracked_files(root: &Path) -> Vec<String> {
    std::process::Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["ls-files", "-z"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| {
            String::from_utf8_lossy(&o.stdout)
                .split('\0')
                .filter(|p| !p.is_empty())
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

/// What `patch`, `git merge` and editors leave beside a file, and no one means to commit.
fn leftovers(files: &[String]) -> Vec<String> {
    files
        .iter()
        .filter(|f| [".orig", ".rej", ".bak", "~"].iter().any(|end| f.ends_with(end)))
        .map(|f| format!("{f}: a patch or editor leftover is committed"))
        .collect()
}

/// The `[package]` table of a manifest: from its header to the next table.
fn package_section(manifest: &str) -> String {
    manifest
        .lines()
        .skip_while(|l| l.trim() != "[package]")
        .skip(1)
        .take_while(|l| !l.trim_start().starts_with('['))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Repository paths cited in backticks (`crates/model/src/report.rs`), without a line suffix
/// (`:12`), and not patterns or placeholders.
fn cited_paths(markdown: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (i, part) in markdown.split('`').enumerate() {
        // Odd parts are inside backticks.
        if i % 2 == 0 {
            continue;
        }
        let token = part.split_whitespace().next().unwrap_or_default();
        if !CITED_ROOTS.iter().any(|r| token.starts_with(r)) {
            continue;
        }
        if token.contains(['*', '?', '<', '>', '{', '…', '$', '(']) || token.contains("...") {
            continue;
        }
        let path = token
            .split([':', '#'])
            .next()
            .unwrap_or_default()
            .trim_end_matches([',', '.', ';', '）', ')']);
        if !path.is_empty() {
            out.push(path.to_string());
        }
    }
    out.sort();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cited_paths_are_read_from_backticks() {
        let md = "See `crates/model/src/report.rs:12`, `docs/rules.md#t3` and `tests/**/*.rs`; \
                  `cargo test` and `crates/import/src/text/` too.";
        assert_eq!(
            cited_paths(md),
            vec!["crates/import/src/text/", "crates/model/src/report.rs", "docs/rules.md"]
        );
    }

    #[test]
    fn patch_leftovers_are_named_and_sources_are_not() {
        let files: Vec<String> = [
            "crates/export/src/xlsx_stats/mod.rs.orig",
            "a.rs.rej",
            "notes.md~",
            "src/origin.rs",
            "x.rs",
        ]
        .map(String::from)
        .to_vec();
        let found = leftovers(&files);
        assert_eq!(found.len(), 3, "{found:?}");
        assert!(found[0].starts_with("crates/export/src/xlsx_stats/mod.rs.orig:"));
    }

    #[test]
    fn manifest_fields_are_found_in_the_package_table_only() {
        let m =
            "[package]\nname = \"x\"\ndescription = \"d\"\nrepository.workspace = true\n[dependencies]\nkeywords = 1\n";
        let p = package_section(m);
        assert!(p.contains("description") && p.contains("repository") && !p.contains("keywords"));
    }
}

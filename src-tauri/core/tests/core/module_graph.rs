//! The core's module graph stays a layered one: no import circles between modules at any depth,
//! and a root a newcomer can read (issue 16: the root once held 34 modules side by side, in four
//! circles that spanned 40 files).
//!
//! The graph is read from the source: every `crate::…` path (grouped `use` trees included) in a
//! file, outside comments and `#[cfg(test)]` code, is an edge from the file's module to the
//! module it names. Each depth is checked on its own: at depth 1 the nodes are the root's modules
//! (`crm`, `store`, …), at depth 2 their children (`crm::deals`, …), and so on. A module using its
//! own ancestor or descendant is not an edge (a folder's root file declares its children).

use std::{
    collections::{BTreeMap, BTreeSet},
    path::{Path, PathBuf},
};

fn src_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Every `.rs` file under `dir`, as (module path segments, text without comments and tests).
fn sources(dir: &Path, prefix: &[String], out: &mut Vec<(Vec<String>, String)>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir).expect("read src dir").map(|e| e.expect("entry").path()).collect();
    entries.sort();
    for path in entries {
        let name = path.file_stem().and_then(|s| s.to_str()).expect("utf-8 file name").to_owned();
        if path.is_dir() {
            let mut next = prefix.to_vec();
            next.push(name);
            sources(&path, &next, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(&path).expect("read source");
            let code = text.split("#[cfg(test)]").next().unwrap_or_default();
            let code: String =
                code.lines().filter(|l| !l.trim_start().starts_with("//")).collect::<Vec<_>>().join("\n");
            let mut module = prefix.to_vec();
            if name != "lib" && !name.ends_with("tests") {
                module.push(name);
            } else if name.ends_with("tests") {
                continue;
            }
            out.push((module, code));
        }
    }
}

/// The paths a text names after `crate::`, each as its segments (use trees expanded).
fn crate_paths(code: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let mut rest = code;
    while let Some(at) = rest.find("crate::") {
        let before = rest[..at].chars().last();
        rest = &rest[at + "crate::".len()..];
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$') {
            continue;
        }
        let consumed = tree(rest, &[], &mut out);
        rest = &rest[consumed..];
    }
    out
}

/// Reads one use tree (`a::b`, `a::{b, c::d}`, `{a, b}`) at the start of `text` relative to
/// `base`, pushing every full path; returns how many bytes it read.
fn tree(text: &str, base: &[String], out: &mut Vec<Vec<String>>) -> usize {
    let mut path = base.to_vec();
    let mut i = 0;
    let bytes = text.as_bytes();
    loop {
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        if i < bytes.len() && bytes[i] == b'{' {
            i += 1;
            loop {
                i += tree(&text[i..], &path, out);
                while i < bytes.len() && (bytes[i].is_ascii_whitespace() || bytes[i] == b',') {
                    i += 1;
                }
                if i >= bytes.len() || bytes[i] == b'}' {
                    return (i + 1).min(bytes.len());
                }
            }
        }
        let start = i;
        while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
            i += 1;
        }
        let is_self = &text[start..i] == "self";
        if i > start && !is_self {
            path.push(text[start..i].to_owned());
        }
        if text[i..].starts_with("::") {
            i += 2;
            continue;
        }
        // an item of a group may be followed by `as name`; skip to the group's next separator
        while i < bytes.len() && !matches!(bytes[i], b',' | b'}' | b';' | b'(' | b')' | b'\n') {
            if bytes[i] == b'{' {
                break;
            }
            i += 1;
        }
        if path.len() > base.len() || (is_self && !path.is_empty()) {
            out.push(path);
        }
        return i;
    }
}

/// Circles in the graph at `depth` (strongly connected groups of more than one module).
fn circles(files: &[(Vec<String>, String)], depth: usize) -> Vec<BTreeSet<String>> {
    let nodes: BTreeSet<Vec<String>> =
        files.iter().filter(|(m, _)| !m.is_empty()).map(|(m, _)| m[..m.len().min(depth)].to_vec()).collect();
    let mut edges: BTreeMap<Vec<String>, BTreeSet<Vec<String>>> = BTreeMap::new();
    for (module, code) in files {
        if module.is_empty() {
            continue;
        }
        let from = module[..module.len().min(depth)].to_vec();
        for path in crate_paths(code) {
            let Some(to) = (1..=path.len().min(depth)).rev().map(|k| path[..k].to_vec()).find(|p| nodes.contains(p))
            else {
                continue;
            };
            let related = to.starts_with(&from) || from.starts_with(&to);
            if !related {
                edges.entry(from.clone()).or_default().insert(to);
            }
        }
    }
    // Tarjan's strongly connected components.
    struct State<'a> {
        edges: &'a BTreeMap<Vec<String>, BTreeSet<Vec<String>>>,
        index: BTreeMap<Vec<String>, usize>,
        low: BTreeMap<Vec<String>, usize>,
        stack: Vec<Vec<String>>,
        found: Vec<BTreeSet<String>>,
    }
    fn visit(s: &mut State<'_>, v: &Vec<String>) {
        let n = s.index.len();
        s.index.insert(v.clone(), n);
        s.low.insert(v.clone(), n);
        s.stack.push(v.clone());
        let next: Vec<Vec<String>> = s.edges.get(v).map(|e| e.iter().cloned().collect()).unwrap_or_default();
        for w in &next {
            if !s.index.contains_key(w) {
                visit(s, w);
                let lw = s.low[w];
                let lv = s.low.get_mut(v).expect("visited");
                *lv = (*lv).min(lw);
            } else if s.stack.contains(w) {
                let iw = s.index[w];
                let lv = s.low.get_mut(v).expect("visited");
                *lv = (*lv).min(iw);
            }
        }
        if s.low[v] == s.index[v] {
            let mut group = BTreeSet::new();
            while let Some(w) = s.stack.pop() {
                group.insert(w.join("::"));
                if &w == v {
                    break;
                }
            }
            if group.len() > 1 {
                s.found.push(group);
            }
        }
    }
    let mut state =
        State { edges: &edges, index: BTreeMap::new(), low: BTreeMap::new(), stack: Vec::new(), found: Vec::new() };
    for v in &nodes {
        if !state.index.contains_key(v) {
            visit(&mut state, v);
        }
    }
    state.found
}

fn core_sources() -> Vec<(Vec<String>, String)> {
    let mut files = Vec::new();
    sources(&src_dir(), &[], &mut files);
    files
}

#[test]
fn the_core_has_no_import_circles_at_any_depth() {
    let files = core_sources();
    let deepest = files.iter().map(|(m, _)| m.len()).max().unwrap_or(0);
    for depth in 1..=deepest {
        let found = circles(&files, depth);
        assert!(found.is_empty(), "import circles between the core's modules at depth {depth}: {found:?}");
    }
}

#[test]
fn the_cores_root_holds_at_most_twelve_modules() {
    let lib = std::fs::read_to_string(src_dir().join("lib.rs")).expect("read lib.rs");
    let modules: Vec<&str> = lib
        .lines()
        .filter_map(|l| l.trim().strip_prefix("pub mod ").or_else(|| l.trim().strip_prefix("mod ")))
        .collect();
    assert!(modules.len() <= 12, "the core's root declares {} modules: {modules:?}", modules.len());
}

#[test]
fn the_graph_reader_sees_grouped_use_trees_and_circles() {
    // The checker must be able to fail: a made-up pair of modules naming each other through a
    // grouped use tree is a circle.
    let files = vec![
        (vec!["a".to_owned()], "use crate::{b::{self, X}, c};".to_owned()),
        (vec!["b".to_owned()], "fn f() { crate::a::g(); }".to_owned()),
        (vec!["c".to_owned()], "use crate::store::Ctx;".to_owned()),
    ];
    assert_eq!(
        crate_paths(&files[0].1),
        vec![vec!["b".to_owned()], vec!["b".to_owned(), "X".to_owned()], vec!["c".to_owned()]]
    );
    let found = circles(&files, 1);
    assert_eq!(found, vec![["a".to_owned(), "b".to_owned()].into_iter().collect::<BTreeSet<_>>()]);
}

/// The heavy network dependencies live in `outpost-integrations` (issue 16: "the heavy
/// integrations are outside [the core]"): the core declares ports and must not link the AWS SDK
/// or an HTTP client of its own (reqwest still arrives through `outpost-sync`'s sync client).
const OUTSIDE_THE_CORE: [&str; 3] = ["aws-config", "aws-sdk-s3", "reqwest"];

/// The direct normal dependencies a Cargo manifest declares (`[dependencies]`,
/// `[target.….dependencies]`, `[dependencies.NAME]` tables and `package = "…"` renames); dev- and
/// build-dependencies are not linked into the library and are left out.
fn direct_dependencies(manifest: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    let mut in_dependencies = false;
    for line in manifest.lines() {
        let line = line.split('#').next().unwrap_or_default().trim();
        if let Some(header) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            let header = header.trim();
            let normal = |section: &str| section == "dependencies" || section.ends_with(".dependencies");
            if let Some((_, name)) = header.rsplit_once('.').filter(|(section, _)| normal(section)) {
                names.insert(name.trim_matches('"').to_owned());
                in_dependencies = false;
            } else {
                in_dependencies = normal(header);
            }
            continue;
        }
        if !in_dependencies || line.is_empty() {
            continue;
        }
        if let Some((key, value)) = line.split_once('=') {
            let key = key.trim().split('.').next().unwrap_or_default().trim_matches('"');
            if !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
                names.insert(key.to_owned());
            }
            if let Some(renamed) = value.split("package").nth(1).and_then(|rest| rest.split('"').nth(1)) {
                names.insert(renamed.to_owned());
            }
        }
    }
    names
}

#[test]
fn the_core_links_no_aws_sdk_or_http_client_of_its_own() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml");
    let manifest = std::fs::read_to_string(&path).expect("read the core's Cargo.toml");
    let direct = direct_dependencies(&manifest);
    assert!(direct.contains("rusqlite"), "the manifest reader found no dependencies in {}: {direct:?}", path.display());
    let found: Vec<&str> = OUTSIDE_THE_CORE.iter().copied().filter(|name| direct.contains(*name)).collect();
    assert!(
        found.is_empty(),
        "outpost-core depends directly on {found:?}; network adapters belong in src-tauri/integrations behind a port"
    );
}

#[test]
fn the_manifest_reader_sees_tables_targets_and_renames_but_not_dev_dependencies() {
    // The check above must be able to fail: each way of declaring a dependency is seen.
    let manifest = r#"
[package]
name = "x"

[dependencies]
serde.workspace = true
http = { package = "reqwest", version = "0.13" }  # renamed

[target.'cfg(unix)'.dependencies]
aws-config = "1"

[dependencies.aws-sdk-s3]
version = "1"

[dev-dependencies]
tempfile = "3"
"#;
    let direct = direct_dependencies(manifest);
    for name in ["serde", "http", "reqwest", "aws-config", "aws-sdk-s3"] {
        assert!(direct.contains(name), "{name} not seen in {direct:?}");
    }
    assert!(!direct.contains("tempfile"), "a dev-dependency was counted: {direct:?}");
    assert!(!direct.contains("name"), "a [package] key was counted: {direct:?}");
}

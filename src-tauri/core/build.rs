//! Embeds every `migrations/local/NNNN_name.sql` file at build time, in version order, so adding a
//! migration is a matter of dropping in a file.

use std::{env, fs, path::PathBuf};

fn main() {
    let manifest_dir = PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let dir = manifest_dir.join("../../migrations/local");
    println!("cargo:rerun-if-changed={}", dir.display());

    let mut entries: Vec<(u32, String, PathBuf)> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read migrations folder {}: {e}", dir.display()))
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "sql"))
        .map(|path| {
            let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or_default().to_owned();
            let (number, name) = stem
                .split_once('_')
                .unwrap_or_else(|| panic!("migration {} must be named NNNN_name.sql", path.display()));
            let version: u32 =
                number.parse().unwrap_or_else(|_| panic!("migration {} must start with a number", path.display()));
            println!("cargo:rerun-if-changed={}", path.display());
            (version, name.to_owned(), path)
        })
        .collect();
    entries.sort_by_key(|(version, _, _)| *version);
    for (index, (version, _, path)) in entries.iter().enumerate() {
        assert_eq!(
            *version as usize,
            index + 1,
            "migrations must be numbered 1, 2, 3… without gaps; {} breaks the sequence",
            path.display()
        );
    }

    let mut out =
        String::from("/// Every embedded migration, oldest first.\npub const MIGRATIONS: &[Migration] = &[\n");
    for (version, name, path) in &entries {
        let canonical = path.canonicalize().expect("migration path exists");
        out.push_str(&format!(
            "    Migration {{ version: {version}, name: {name:?}, sql: include_str!({:?}) }},\n",
            canonical.display().to_string()
        ));
    }
    out.push_str("];\n");
    let out_path = PathBuf::from(env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("migrations.rs");
    fs::write(&out_path, out).expect("write generated migrations list");
}

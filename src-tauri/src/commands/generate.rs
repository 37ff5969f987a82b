//! Writes the UI's side of the command table, `ui/src/gen/commands.ts`: the list of commands
//! (with whether each writes), the `GeneratedApi` interface the real api and the UI test double
//! both implement, and the typed `invoke` wrappers. Types are named by ts-rs, like the rest of
//! `ui/src/bindings`. Runs as a test so it fails when the committed file is stale:
//! `make generate` (`OUTPOST_REGENERATE=1`) rewrites it.

use std::{collections::BTreeSet, fmt::Write as _, path::PathBuf};

use ts_rs::{Config, TypeVisitor, TS};

/// One line of `commands/table.rs`, as the generator needs it.
pub struct Command {
    pub name: &'static str,
    /// The `///` lines, each ending in a newline.
    pub doc: &'static str,
    pub writes: bool,
    /// `core`, `shell` or `custom` (no TS wrapper: api.ts writes it by hand).
    pub how: &'static str,
    pub request: Option<TsType>,
    pub response: TsType,
}

/// A Rust type as TypeScript: its name and the `ui/src/bindings` types it needs imported.
pub struct TsType {
    name: String,
    imports: BTreeSet<String>,
}

impl TsType {
    pub fn of<T: TS + 'static>() -> Self {
        let cfg = config();
        let mut imports = Imports { cfg: &cfg, names: BTreeSet::new() };
        imports.visit::<T>();
        TsType { name: T::name(&cfg), imports: imports.names }
    }
}

/// ts-rs names `i64` `bigint`, the type of such fields in `ui/src/bindings`; a bare number that
/// is a command's whole argument or answer travels as a JSON number, so it is `number` here.
fn config() -> Config {
    Config::new().with_large_int("number")
}

/// Collects the exported (named) types a type mentions, looking inside `Vec`, `Option` and the like.
struct Imports<'a> {
    cfg: &'a Config,
    names: BTreeSet<String>,
}

impl TypeVisitor for Imports<'_> {
    fn visit<T: TS + 'static + ?Sized>(&mut self) {
        if T::output_path().is_some() {
            self.names.insert(T::ident(self.cfg));
        } else {
            T::visit_generics(self);
        }
    }
}

/// `list_contacts` → `listContacts`.
fn camel_case(name: &str) -> String {
    let mut out = String::new();
    let mut upper = false;
    for c in name.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

fn js_doc(doc: &str, indent: &str) -> String {
    let lines: Vec<&str> = doc.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    match lines.as_slice() {
        [] => String::new(),
        [one] => format!("{indent}/** {one} */\n"),
        many => {
            let body: String = many.iter().map(|l| format!("{indent} * {l}\n")).collect();
            format!("{indent}/**\n{body}{indent} */\n")
        }
    }
}

/// The TypeScript file for `commands`.
fn typescript(commands: &[Command]) -> String {
    let mut imports = BTreeSet::new();
    for command in commands.iter().filter(|c| c.how != "custom") {
        imports.extend(command.response.imports.iter().cloned());
        if let Some(request) = &command.request {
            imports.extend(request.imports.iter().cloned());
        }
    }
    let mut out = String::from(
        "// Generated from src-tauri/src/commands/table.rs by `make generate`: do not edit by hand.\n\
         // `make lint` and `cargo test -p outpost-desktop` fail when it is stale.\n\
         import { invoke } from \"@tauri-apps/api/core\";\n",
    );
    for name in &imports {
        let _ = writeln!(out, "import type {{ {name} }} from \"../bindings/{name}\";");
    }

    out.push_str(
        "\n/** Every command the desktop app registers and its capability grants, and whether it writes. */\n\
         export const COMMANDS = {\n",
    );
    for command in commands {
        let _ = writeln!(out, "  {}: {{ writes: {} }},", command.name, command.writes);
    }
    out.push_str("} as const;\n\nexport type CommandName = keyof typeof COMMANDS;\n");

    out.push_str(
        "\n/** The commands with a generated wrapper; `Api` in api.ts adds the hand-written (custom) ones. */\n\
         export interface GeneratedApi {\n",
    );
    let generated: Vec<&Command> = commands.iter().filter(|c| c.how != "custom").collect();
    for command in &generated {
        let params = match &command.request {
            Some(request) if request.name != "null" => format!("req: {}", request.name),
            _ => String::new(),
        };
        out.push_str(&js_doc(command.doc, "  "));
        let _ = writeln!(out, "  {}({params}): Promise<{}>;", camel_case(command.name), command.response.name);
    }
    out.push_str(
        "}\n\n/** The invoke-backed wrappers (the real backend). */\nexport const generatedApi: GeneratedApi = {\n",
    );
    for command in &generated {
        let response = &command.response.name;
        let (params, args) = match &command.request {
            None => (String::new(), String::new()),
            // `()`: nothing to pass from TS, but the command still takes `req`.
            Some(request) if request.name == "null" => (String::new(), ", { req: null }".to_owned()),
            Some(request) => (format!("req: {}", request.name), ", { req }".to_owned()),
        };
        let _ = writeln!(
            out,
            "  {}: ({params}) => invoke<{response}>(\"{}\"{args}),",
            camel_case(command.name),
            command.name
        );
    }
    out.push_str("};\n");
    out
}

fn generated_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../ui/src/gen/commands.ts")
}

#[test]
fn command_names_are_unique_snake_case_with_a_known_kind() {
    let commands = super::registry();
    let mut seen = BTreeSet::new();
    for command in &commands {
        assert!(seen.insert(command.name), "{} is in the table twice", command.name);
        assert!(
            command.name.chars().all(|c| c.is_ascii_lowercase() || c == '_'),
            "{}: command names are snake_case",
            command.name
        );
        assert!(
            ["core_sync", "core", "net", "shell", "custom"].contains(&command.how),
            "{}: unknown kind {}",
            command.name,
            command.how
        );
    }
    assert!(seen.contains("board") && seen.contains("run_import"), "the table lost its commands");
}

#[test]
fn generated_ui_commands_are_current() {
    let expected = typescript(&super::registry());
    let path = generated_path();
    let current = std::fs::read_to_string(&path).unwrap_or_default();
    if current == expected {
        return;
    }
    if std::env::var_os("OUTPOST_REGENERATE").is_some() {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).expect("create ui/src/gen");
        }
        std::fs::write(&path, expected).expect("write ui/src/gen/commands.ts");
        return;
    }
    panic!(
        "{} is stale: the command table changed since it was generated. Run `make generate` and commit the result.",
        path.display()
    );
}

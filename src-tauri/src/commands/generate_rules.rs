//! Writes `ui/src/gen/rules.ts`: the check of every field of the CRM write requests and the
//! examples that pin them down, from `outpost_core::crm::request_rules` (whose checks come from
//! the replicated entities' definitions). The UI's test double validates every write through
//! these rules, and `ui/src/test/rules.test.ts` runs the examples against it while the core's
//! `request_rules` tests run the same examples against the real API, so the double cannot drift
//! from the core. Runs as a test so it fails when the committed file is stale: `make generate`
//! (`OUTPOST_REGENERATE=1`) rewrites it.

use std::{fmt::Write as _, path::PathBuf};

use outpost_core::crm::request_rules::{examples, request_rules, Check, Value};

fn js(value: &serde_json::Value) -> String {
    value.to_string()
}

fn check(check: Check) -> String {
    match check {
        Check::Text { max } => format!("{{ kind: \"text\", max: {max} }}"),
        Check::OneOf(values) => {
            let list: Vec<String> = values.iter().map(|v| js(&serde_json::Value::from(*v))).collect();
            format!("{{ kind: \"one_of\", values: [{}] }}", list.join(", "))
        }
        other => format!("{{ kind: \"{}\" }}", other.name()),
    }
}

/// The TypeScript file.
fn typescript() -> String {
    let mut out = String::from(
        "// Generated from src-tauri/core/src/crm/request_rules.rs by `make generate`: do not edit by hand.\n\
         // `make lint` and `cargo test -p outpost-desktop` fail when it is stale.\n\
         import type { CommandName } from \"./commands\";\n\n\
         /** How a field is checked; each kind is one function of the core's `store::validate`. */\n\
         export type Check =\n  \
           | { kind: \"text\"; max: number }\n  \
           | { kind: \"one_of\"; values: readonly string[] }\n  \
           | { kind: \"email\" | \"phone\" | \"money\" | \"currency\" | \"date\" | \"timestamp\" | \"domain\" | \"linkedin_url\" | \"time_zone\" };\n\n\
         /**\n * One checked request field. `required`: given and not blank when creating, never blank when updating;\n \
         * `keep`: an update cannot clear it (blank is refused when updating, means the default when creating).\n */\n\
         export interface FieldRule {\n  field: string;\n  check: Check;\n  required: boolean;\n  keep: boolean;\n}\n\n\
         /** The checked fields of each CRM write request. */\n\
         export const RULES: Partial<Record<CommandName, readonly FieldRule[]>> = {\n",
    );
    for request in request_rules() {
        let _ = writeln!(out, "  {}: [", request.command);
        for rule in &request.fields {
            let _ = writeln!(
                out,
                "    {{ field: \"{}\", check: {}, required: {}, keep: {} }},",
                rule.field,
                check(rule.check),
                rule.required,
                rule.keep
            );
        }
        out.push_str("  ],\n");
    }
    out.push_str(
        "};\n\n\
         /**\n * `field` of `command` set to a value on an otherwise valid request: refused naming the field with a\n \
         * message containing `message`, or accepted when `message` is null. The core runs the same cases.\n */\n\
         export interface Example {\n  command: CommandName;\n  field: string;\n  value: unknown;\n  repeat?: [string, number];\n  message: string | null;\n}\n\n\
         export const EXAMPLES: readonly Example[] = [\n",
    );
    for example in examples() {
        let (value, repeat) = match &example.value {
            Value::Json(v) => (js(v), String::new()),
            Value::Repeat(c, times) => {
                ("null".to_owned(), format!(", repeat: [{}, {times}]", js(&c.to_string().into())))
            }
        };
        let message = example.message.map_or("null".to_owned(), |m| js(&m.into()));
        let _ = writeln!(
            out,
            "  {{ command: \"{}\", field: \"{}\", value: {value}{repeat}, message: {message} }},",
            example.command, example.field
        );
    }
    out.push_str("];\n");
    out
}

fn generated_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../ui/src/gen/rules.ts")
}

#[test]
fn generated_ui_rules_are_current() {
    let expected = typescript();
    let path = generated_path();
    let current = std::fs::read_to_string(&path).unwrap_or_default();
    if current == expected {
        return;
    }
    if std::env::var_os("OUTPOST_REGENERATE").is_some() {
        std::fs::write(&path, expected).expect("write ui/src/gen/rules.ts");
        return;
    }
    panic!(
        "{} is stale: the request rules (outpost_core::crm::request_rules, from the entity definitions) changed since it was generated. Run `make generate` and commit the result.",
        path.display()
    );
}

#[test]
fn every_rule_names_a_write_command() {
    let commands = super::registry();
    for request in request_rules() {
        let command = commands.iter().find(|c| c.name == request.command);
        assert!(command.is_some_and(|c| c.writes), "{} is not a write command of the table", request.command);
    }
}

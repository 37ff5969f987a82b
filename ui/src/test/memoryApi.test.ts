// The UI test double answers exactly the commands of the Rust command table (COMMANDS is
// generated from src-tauri/src/commands/table.rs), so a new command cannot be missing from it.
import { describe, expect, it } from "vitest";
import { COMMANDS } from "../gen/commands";
import { memoryApi } from "./memoryApi";

const camelCase = (name: string) => name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

describe("the in-memory test double", () => {
  it("has a method for every command of the Rust table", () => {
    const api = memoryApi() as unknown as Record<string, unknown>;
    const missing = Object.keys(COMMANDS).filter((name) => typeof api[camelCase(name)] !== "function");
    expect(missing).toEqual([]);
  });
});

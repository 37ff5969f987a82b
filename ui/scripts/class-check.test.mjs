// @vitest-environment node
// The class check against real Vite builds of the real stylesheets: intact, and with the
// missing-brace defect that once unstyled five screens put back in.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "vite";
import { afterAll, describe, expect, it } from "vitest";
import { classesInTsx, missingClasses, usedClasses } from "./class-check.mjs";

const ui = fileURLToPath(new URL("..", import.meta.url));
const SHEETS = ["styles.css", "screens.css", "import.css", "briefs.css"];
const dirs = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** Builds the four stylesheets (optionally edited) the way `npm run build` does; returns the CSS. */
async function builtCss(edit = (_name, text) => text) {
  const root = mkdtempSync(join(tmpdir(), "outpost-class-check-"));
  dirs.push(root);
  for (const name of SHEETS) writeFileSync(join(root, name), edit(name, readFileSync(join(ui, "src", name), "utf8")));
  writeFileSync(join(root, "main.js"), SHEETS.map((n) => `import "./${n}";`).join("\n"));
  writeFileSync(join(root, "index.html"), '<!doctype html><script type="module" src="./main.js"></script>');
  const out = await build({ root, logLevel: "silent", configFile: false, build: { write: false, target: "es2022" } });
  const outputs = (Array.isArray(out) ? out : [out]).flatMap((o) => o.output);
  return outputs.filter((o) => o.fileName.endsWith(".css")).map((o) => String(o.source)).join("\n");
}

describe("class check", () => {
  const { used } = usedClasses(join(ui, "src"), ui);

  it("passes on the stylesheets as they are", async () => {
    expect(missingClasses(await builtCss(), used).map((m) => m.cls)).toEqual([]);
  }, 60000);

  it("class_check_fails_when_a_missing_brace_nests_rules_under_sync_welcome", async () => {
    const css = await builtCss((name, text) => (name === "screens.css" ? text.replace(/(\.sync-welcome \{[^}]*?)\n\}/, "$1") : text));
    const missing = missingClasses(css, used);
    const names = missing.map((m) => m.cls);
    // Everything after the brace: the copilot, alerts, charts and the sidebar badge of briefs.css.
    expect(names).toEqual(expect.arrayContaining(["copilot__card", "alert__open", "chart", "sidebar__badge", "visually-hidden", "row-actions"]));
    expect(missing.find((m) => m.cls === "alert__open")?.mentions.join(" ")).toMatch(/^\.sync-welcome /);
    // Rules before the brace are untouched.
    expect(names).not.toContain("deal-card");
  }, 60000);

  it("reads classes from className strings, templates, conditionals and classList", () => {
    const found = classesInTsx(`
      const a = <div className="one two" />;
      const b = <div className={\`three \${on ? "four" : ""} stage--\${kind}\`} />;
      const c = <div className={x === "y" ? "five" : undefined} />;
      el.classList.add("six");
      const d = <div className={\`badge--\${s ?? "none"}\`} />;
    `);
    expect([...found.classes].sort()).toEqual(["five", "four", "one", "six", "three", "two"]);
    expect([...found.prefixes].sort()).toEqual(["badge--", "stage--"]);
  });
});

// Every class name the components use must be styled by a top-level rule of the BUILT stylesheet.
//
// Why: a missing closing brace in screens.css once made the bundler nest 76 rule groups under
// `.sync-welcome` (`.sync-welcome .alert__open { … }`), so five screens lost their styles while
// type-checks, unit tests and the build all passed. This check reads what actually ships
// (ui/dist/assets/*.css) and fails, listing the classes, when a class used in ui/src/**/*.tsx is
// only reachable through a selector that starts with an unrelated class.
//
// A class counts as defined when some built selector has it in its FIRST compound
// (`.alert__open`, `.alert__open:hover`, `.table .num` defines `table`), or when every class to its
// left belongs to the same BEM block (`.stage--won .stage__name`) or is itself a class the
// components use together with it in one file (`.table .num`, `.facts dt`). Nesting under an
// unrelated rule (the defect above) satisfies neither.
//
// Usage: node scripts/class-check.mjs [dist-dir] [src-dir]   (npm run check:classes)

import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import postcss from "postcss";
import selectorParser from "postcss-selector-parser";
import ts from "typescript";

/**
 * Classes a component may use without a rule of their own: block roots that only scope their
 * elements' rules or name a screen for tests. Keep this list short; style or drop anything else.
 */
export const UNSTYLED_OK = new Set(["brief", "copilot", "calendar-import", "import-preview", "import-result", "import-running", "screen--detail"]);

/** `block__element--modifier` → `block`. */
export const blockOf = (cls) => cls.split("__")[0].split("--")[0];

function walkFiles(dir, suffix, out = []) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walkFiles(path, suffix, out);
    else if (name.endsWith(suffix) && !name.endsWith(`.test${suffix}`)) out.push(path);
  }
  return out;
}

/**
 * Class names used in one TSX source: string literals and the static parts of template literals
 * inside `className=` attributes, and the arguments of `classList.add/remove/toggle/contains`.
 * A word glued to a `${…}` (`stage--${kind}`) is dynamic and returned as a prefix instead.
 */
export function classesInTsx(source, fileName = "file.tsx") {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
  const classes = new Set();
  const prefixes = new Set();
  const words = (text) => text.split(/\s+/).filter(Boolean);
  const addText = (text, dynamicBefore, dynamicAfter) => {
    const parts = text.split(/(\s+)/);
    const tokens = parts.filter((p) => p && !/^\s+$/.test(p));
    tokens.forEach((tok, i) => {
      const gluedAfter = dynamicAfter && i === tokens.length - 1 && !/\s$/.test(text);
      const gluedBefore = dynamicBefore && i === 0 && !/^\s/.test(text);
      if (gluedBefore) return; // `${x}--suffix`: nothing static to check
      if (gluedAfter) prefixes.add(tok);
      else classes.add(tok);
    });
  };
  const collect = (node) => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) {
      for (const w of words(node.text)) classes.add(w);
      return;
    }
    if (ts.isTemplateExpression(node)) {
      addText(node.head.text, false, true);
      node.templateSpans.forEach((span, i) => {
        // `${x ? "a" : ""}` standing alone between spaces yields whole classes; glued to text
        // (`badge--${status ?? "none"}`) its values are only suffixes.
        const before = i === 0 ? node.head.text : node.templateSpans[i - 1].literal.text;
        const after = span.literal.text;
        if ((before === "" || /\s$/.test(before)) && (after === "" || /^\s/.test(after))) collect(span.expression);
        const last = i === node.templateSpans.length - 1;
        addText(span.literal.text, true, !last);
      });
      return;
    }
    // Only the values a className expression can evaluate to, not e.g. comparison operands.
    if (ts.isConditionalExpression(node)) {
      collect(node.whenTrue);
      collect(node.whenFalse);
      return;
    }
    if (ts.isBinaryExpression(node)) {
      const op = node.operatorToken.kind;
      if (op === ts.SyntaxKind.AmpersandAmpersandToken) collect(node.right);
      else if (op === ts.SyntaxKind.BarBarToken || op === ts.SyntaxKind.QuestionQuestionToken || op === ts.SyntaxKind.PlusToken) {
        collect(node.left);
        collect(node.right);
      }
      return;
    }
    if (ts.isParenthesizedExpression(node) || ts.isJsxExpression(node)) {
      if (node.expression) collect(node.expression);
      return;
    }
    if (ts.isArrayLiteralExpression(node)) {
      node.elements.forEach(collect);
      return;
    }
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === "join") {
      collect(node.expression.expression);
      return;
    }
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === "filter") {
      collect(node.expression.expression);
    }
  };
  const visit = (node) => {
    if (ts.isJsxAttribute(node) && node.name.getText(file) === "className" && node.initializer) collect(node.initializer);
    if (
      ts.isCallExpression(node) &&
      ts.isPropertyAccessExpression(node.expression) &&
      ["add", "remove", "toggle", "contains"].includes(node.expression.name.text) &&
      ts.isPropertyAccessExpression(node.expression.expression) &&
      node.expression.expression.name.text === "classList" &&
      node.arguments[0]
    ) {
      collect(node.arguments[0]);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return { classes, prefixes };
}

/** For each class of a stylesheet: the selectors it appears in, split into compounds of class names. */
export function selectorsOf(css) {
  const out = [];
  postcss.parse(css).walkRules((rule) => {
    // Keyframe steps (`from`, `50%`) are not selectors.
    if (rule.parent?.type === "atrule" && /keyframes$/i.test(rule.parent.name)) return;
    selectorParser((root) => {
      root.each((selector) => {
        const compounds = [[]];
        selector.walk((node) => {
          if (node.type === "combinator") compounds.push([]);
          else if (node.type === "class" && node.parent === selector) compounds[compounds.length - 1].push(node.value);
          else if (node.type === "class") compounds[compounds.length - 1].push(node.value);
        });
        out.push({ text: selector.toString().trim(), compounds });
      });
    }).processSync(rule.selector);
  });
  return out;
}

/**
 * Which of `used` (class → files using it) no built selector defines, with the selectors that
 * mention it anyway (the nesting defect shows up there).
 */
export function missingClasses(css, used) {
  const selectors = selectorsOf(css);
  const filesOf = (cls) => used.get(cls) ?? new Set();
  const together = (a, b) => [...filesOf(a)].some((f) => filesOf(b).has(f));
  const missing = [];
  for (const cls of [...used.keys()].sort()) {
    if (UNSTYLED_OK.has(cls)) continue;
    const mentions = selectors.filter((s) => s.compounds.some((c) => c.includes(cls)));
    const defined = mentions.some((s) => {
      const at = s.compounds.findIndex((c) => c.includes(cls));
      const context = s.compounds.slice(0, at).flat();
      return context.every((other) => blockOf(other) === blockOf(cls) || together(other, cls));
    });
    if (!defined) missing.push({ cls, files: [...filesOf(cls)].sort(), mentions: mentions.map((s) => s.text) });
  }
  return missing;
}

/** Dynamic prefixes (`stage--${kind}`) that no built class starts with. */
export function missingPrefixes(css, prefixes) {
  const all = new Set(selectorsOf(css).flatMap((s) => s.compounds.flat()));
  return [...prefixes.keys()].sort().filter((p) => ![...all].some((c) => c.startsWith(p) && c !== p));
}

/** Class → files, and dynamic prefix → files, over every non-test `.tsx` under `srcDir`. */
export function usedClasses(srcDir, relativeTo = srcDir) {
  const used = new Map();
  const prefixes = new Map();
  for (const file of walkFiles(srcDir, ".tsx")) {
    const rel = relative(relativeTo, file);
    const found = classesInTsx(readFileSync(file, "utf8"), file);
    for (const c of found.classes) used.set(c, (used.get(c) ?? new Set()).add(rel));
    for (const p of found.prefixes) prefixes.set(p, (prefixes.get(p) ?? new Set()).add(rel));
  }
  return { used, prefixes };
}

function main() {
  const here = fileURLToPath(new URL("..", import.meta.url));
  const dist = process.argv[2] ?? join(here, "dist");
  const src = process.argv[3] ?? join(here, "src");
  let cssFiles;
  try {
    cssFiles = walkFiles(join(dist, "assets"), ".css");
  } catch (e) {
    console.error(`class check: cannot read ${dist}/assets (${e.code ?? e.message}); run \`npm run build\` first`);
    process.exit(2);
  }
  if (cssFiles.length === 0) {
    console.error(`class check: no CSS in ${dist}/assets; run \`npm run build\` first`);
    process.exit(2);
  }
  const css = cssFiles.map((f) => readFileSync(f, "utf8")).join("\n");
  const { used, prefixes } = usedClasses(src, here);
  const missing = missingClasses(css, used);
  const badPrefixes = missingPrefixes(css, prefixes);
  if (missing.length === 0 && badPrefixes.length === 0) {
    console.log(`class check: all ${used.size} classes used by the components are defined in ${relative(here, dist)}`);
    return;
  }
  console.error(`class check: ${missing.length} class(es) used by the components have no rule of their own in the built CSS:`);
  for (const m of missing) {
    const seen = m.mentions.length ? ` — only inside: ${m.mentions.slice(0, 2).join(", ")}${m.mentions.length > 2 ? ", …" : ""}` : "";
    console.error(`  .${m.cls}  (${m.files.join(", ")})${seen}`);
  }
  for (const p of badPrefixes) console.error(`  .${p}*  (dynamic class prefix; no built class starts with it: ${[...prefixes.get(p)].join(", ")})`);
  process.exit(1);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();

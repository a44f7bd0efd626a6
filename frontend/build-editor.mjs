// Bundle editor.js into one minified IIFE for static/vendor/codemirror/, with a licence banner
// and a LICENSES.txt holding the licence of every npm package that ends up in the bundle.
// Run by scripts/build-frontend.sh after `npm ci`; usage: node build-editor.mjs OUT_DIR [PACKAGES_JSON]
// (PACKAGES_JSON, if given, receives the list of bundled packages for static/vendor/README.md).
import { build } from "esbuild";
import { readFileSync, writeFileSync, mkdirSync, existsSync, readdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const outDir = resolve(process.argv[2] || join(here, "..", "static", "vendor", "codemirror"));
const outFile = join(outDir, "patchwise-editor.js");
mkdirSync(outDir, { recursive: true });

const pkg = (name) => JSON.parse(readFileSync(join(here, "node_modules", name, "package.json"), "utf8"));

// First pass: find which packages the bundle pulls in, to name them in the banner.
const probe = await build({
  entryPoints: [join(here, "editor.js")],
  bundle: true,
  write: false,
  metafile: true,
  format: "iife",
  logLevel: "silent",
});
const names = new Set();
for (const input of Object.keys(probe.metafile.inputs)) {
  const m = input.match(/node_modules\/((?:@[^/]+\/)?[^/]+)\//);
  if (m) names.add(m[1]);
}
const packages = [...names].sort().map((name) => {
  const p = pkg(name);
  return { name, version: p.version, license: p.license };
});

const list = packages.map((p) => `${p.name}@${p.version} (${p.license})`).join(", ");
const banner = `/*! Patchwise editor: CodeMirror 6 with Python, bundled by scripts/build-frontend.sh.
 * Contains ${list}.
 * CodeMirror and Lezer: MIT License, Copyright (C) 2018-2021 by Marijn Haverbeke <marijn@haverbeke.berlin> and others.
 * Full licence texts: LICENSES.txt beside this file. */`;

await build({
  entryPoints: [join(here, "editor.js")],
  outfile: outFile,
  bundle: true,
  format: "iife",
  minify: true,
  target: ["es2020"],
  legalComments: "eof",
  banner: { js: banner },
  logLevel: "warning",
});

// LICENSES.txt: each bundled package's own licence file, verbatim.
const sections = packages.map((p) => {
  const dir = join(here, "node_modules", p.name);
  const file = readdirSync(dir).find((f) => /^licen[cs]e(\.md|\.txt)?$/i.test(f));
  if (!file) throw new Error(`no licence file in ${p.name}`);
  const text = readFileSync(join(dir, file), "utf8").trim();
  return `${"=".repeat(78)}\n${p.name}@${p.version} (${p.license})\n${"=".repeat(78)}\n\n${text}\n`;
});
writeFileSync(
  join(outDir, "LICENSES.txt"),
  `Licences of the npm packages bundled into patchwise-editor.js.\n\n${sections.join("\n")}`,
);
if (process.argv[3]) writeFileSync(process.argv[3], JSON.stringify(packages, null, 2) + "\n");
if (!existsSync(outFile)) throw new Error("esbuild wrote nothing");
console.log(`patchwise-editor.js: ${packages.length} packages bundled`);

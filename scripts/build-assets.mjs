// Builds the front end into carerecruit/static/build/ from npm packages.
// Run by `npm run build` (the Makefile calls it); the output is never committed.
import { compile } from "sass";
import { cpSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "carerecruit", "static", "build");
const nm = join(root, "node_modules");

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

const css = compile(join(root, "carerecruit", "static", "src", "carerecruit.scss"), {
  loadPaths: [root],
  style: "compressed",
  quietDeps: true,
});
writeFileSync(join(out, "carerecruit.css"), css.css);

const copies = [
  ["govuk-frontend/dist/govuk/govuk-frontend.min.js", "govuk-frontend.min.js"],
  ["govuk-frontend/dist/govuk/assets/images", "images"],
  ["govuk-frontend/dist/govuk/assets/manifest.json", "manifest.json"],
  ["htmx.org/dist/htmx.min.js", "htmx.min.js"],
  ["vega/build/vega.min.js", "vega.min.js"],
  ["vega-lite/build/vega-lite.min.js", "vega-lite.min.js"],
  ["vega-embed/build/vega-embed.min.js", "vega-embed.min.js"],
];
for (const [from, to] of copies) {
  cpSync(join(nm, from), join(out, to), { recursive: true });
}
console.log(`assets built in ${out}`);

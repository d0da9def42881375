// `npm run demo`: scan the lockfiles in examples/ with the real CLI, against loopback servers that
// replay the recorded PyPI and RDAP answers in demo/. Works with the network off.
//
//   node scripts/demo.mjs [--out-dir DIR]     (default: demo-output)
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { startDemoServers } from "./demo-servers.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const cli = join(root, "dist", "cli.js");

const { values } = parseArgs({ options: { "out-dir": { type: "string" } } });
const outDir = resolve(process.cwd(), values["out-dir"] ?? "demo-output");
const summaryFile = join(outDir, "summary.md");

console.log(
  "Demo: replaying recorded PyPI and RDAP answers from demo/ on loopback servers (no network needed); a real run asks PyPI and the domain registries' RDAP servers.\n",
);

if (!existsSync(cli)) {
  console.log("dist/cli.js is missing: building it first (npm run build).\n");
  const build = spawnSync(process.platform === "win32" ? "npm.cmd" : "npm", ["run", "build"], {
    cwd: root,
    stdio: "inherit",
    shell: process.platform === "win32",
  });
  if (build.status !== 0 || !existsSync(cli)) {
    console.error("demo: the build failed; see the output above.");
    process.exit(1);
  }
}

const servers = await startDemoServers({ dataDir: join(root, "demo") });
const temp = await mkdtemp(join(tmpdir(), "mdg-demo-"));
let failed = false;
try {
  const bootstrap = await servers.writeBootstrap(temp);
  const common = [
    "--pypi-url",
    servers.pypiUrl,
    "--rdap-bootstrap",
    bootstrap,
    "--dns-server",
    servers.dnsServer,
  ];
  // Asynchronous spawn: the servers live in this process and must keep answering.
  const run = (args) =>
    new Promise((resolveRun, reject) => {
      const child = spawn(process.execPath, [cli, "scan", "examples", ...args, ...common], {
        cwd: root,
        stdio: "inherit",
      });
      child.on("error", reject);
      child.on("exit", (code, signal) => resolveRun(signal ? 128 : (code ?? 1)));
    });

  console.log(`$ maintainer-domain-guard scan examples --format table\n`);
  const code = await run(["--format", "table"]);
  console.log(`\n${describeExit(code)}`);
  if (code !== 0 && code !== 1) failed = true;

  await mkdir(outDir, { recursive: true });
  const markdownCode = await run(["--format", "markdown", "--output", summaryFile]);
  if ((markdownCode === 0 || markdownCode === 1) && existsSync(summaryFile)) {
    console.log(
      `Markdown summary (what the job summary shows) written to ${relative(process.cwd(), summaryFile) || summaryFile}`,
    );
  } else {
    console.error(`demo: the Markdown run failed (${describeExit(markdownCode)})`);
    failed = true;
  }
} finally {
  await servers.close();
  await rm(temp, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);

function describeExit(code) {
  if (code === 1)
    return "exit code 1: findings at or above fail-on high (expected here: the examples are built to have them)";
  if (code === 0) return "exit code 0: no findings at or above fail-on high";
  if (code === 2) return "exit code 2: bad usage, or no lockfile could be read";
  return `exit code ${code}: the scan did not finish`;
}

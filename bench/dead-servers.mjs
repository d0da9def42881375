// Dead servers: how long the built CLI takes to give up when the package index cannot be
// reached, with the default timeout, retries and deadline. 579 packages against a closed port
// (target: exit 3 in under 20 s) and against a server that accepts connections and never answers
// (target: exit 3 in under 45 s). Run by bench/run.mjs, or alone: `node bench/run.mjs --dead-only`.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runMeasured } from "./measure.mjs";

export const DEAD_PACKAGES = 579;
export const DEAD_TARGETS = { "closed port": 20_000, "black-holed port": 45_000 };

async function listen(server) {
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return server.address().port;
}

async function closedPort() {
  const server = createServer();
  const port = await listen(server);
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function blackHole() {
  const sockets = new Set();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on("error", () => {});
    socket.on("close", () => sockets.delete(socket));
    socket.resume();
  });
  const port = await listen(server);
  return {
    port,
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(resolve);
      }),
  };
}

async function scanAgainst(cli, dir, port, label) {
  const base = `http://127.0.0.1:${port}`;
  writeFileSync(
    join(dir, "bootstrap.json"),
    JSON.stringify({ version: "1.0", services: [[["com", "org", "net", "io"], [`${base}/`]]] }),
  );
  const run = await runMeasured(
    process.execPath,
    [
      cli,
      "scan",
      join(dir, "requirements.txt"),
      "--format",
      "json",
      "--pypi-url",
      `${base}/pypi`,
      "--rdap-bootstrap",
      join(dir, "bootstrap.json"),
    ],
    { cwd: dir },
  );
  let coverage;
  try {
    coverage = JSON.parse(run.stdout).coverage;
  } catch {
    coverage = undefined;
  }
  const lines = run.stderr.split("\n").filter((l) => /^warning: .*(unreachable|refused)/.test(l));
  return {
    label,
    code: run.code,
    wallMs: run.wallMs,
    cpuMs: run.cpuMs,
    coverage,
    originLines: lines.length,
    originLine: (lines[0] ?? "").slice(0, 320),
  };
}

/** Both cases, with the CLI's defaults (timeout 15 s, 3 retries, deadline 10 min, 16 in flight). */
export async function runDeadServers(cli) {
  const dir = mkdtempSync(join(tmpdir(), "mdg-bench-dead-"));
  try {
    writeFileSync(
      join(dir, "requirements.txt"),
      Array.from({ length: DEAD_PACKAGES }, (_, i) => `dead-bench-${i}==1.0.0`).join("\n") + "\n",
    );
    const results = [await scanAgainst(cli, dir, await closedPort(), "closed port")];
    const hole = await blackHole();
    try {
      results.push(await scanAgainst(cli, dir, hole.port, "black-holed port"));
    } finally {
      await hole.close();
    }
    return results;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const fmt = (ms) => (ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`);

/** The RESULTS.md section, between markers so that `--dead-only` can replace it alone. */
export function deadServersSection(results, when = new Date()) {
  const rows = results.map((r) => {
    const target = DEAD_TARGETS[r.label];
    const met = r.code === 3 && r.wallMs < target;
    const c = r.coverage?.packages;
    return `| ${r.label} | ${fmt(r.wallMs)} | ${r.cpuMs === undefined ? "n/a" : fmt(r.cpuMs)} | ${r.code} | ${c ? `${c.checked} of ${c.total}` : "n/a"} | ${r.originLines} | exit 3, < ${fmt(target)}: ${met ? "met" : "**not met**"} |`;
  });
  const line = results.find((r) => r.originLine)?.originLine.replace(/\|/g, "/") ?? "";
  return `<!-- dead-servers -->
## Dead servers

Measured ${when.toISOString().slice(0, 10)}: ${DEAD_PACKAGES} packages, the index at a closed
127.0.0.1 port, then at a server that accepts connections and never answers, with the CLI's
defaults (\`--timeout 15s\`, \`--retries 3\`, \`--deadline 10m\`, \`--pypi-concurrency 16\`).
After 3 failures from an origin that never answered, nothing more is sent to it.

| index | wall | CPU | exit | packages checked | origin lines | target |
|---|---|---|---|---|---|---|
${rows.join("\n")}

The one line said: \`${line}\`
<!-- /dead-servers -->
`;
}

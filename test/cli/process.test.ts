// The built CLI as a real process: SIGINT and SIGTERM stop the scan, save the verdict cache and
// exit 130 / 143 with one line; a second signal exits at once; a pipe closed by its reader
// (`| head`) ends quietly. dist/ is built by `npm run build`; run it before this test after a
// source change.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startRdapServer, bootstrapFor, fixtureJson, type RdapServer } from "../servers/rdap.js";
import { startPypiServer, pypiFixture, withInfo, type PypiServer } from "../servers/pypi.js";

const CLI = fileURLToPath(new URL("../../dist/cli.js", import.meta.url));
const DOMAINS = 12;

let pypi: PypiServer;
let rdap: RdapServer;
let dir: string;

beforeAll(async () => {
  const wheel = pypiFixture("wheel-0.40.0.json");
  const packages: Record<string, string> = {};
  const routes: Parameters<typeof startRdapServer>[0] = {};
  for (let i = 0; i < DOMAINS; i++) {
    packages[`pkg-${i}`] = withInfo(wheel, {
      name: `pkg-${i}`,
      author_email: `dev@domain-${i}.com`,
      maintainer_email: "",
    });
    const doc = fixtureJson("verisign-com-google.com-related-registrar.json");
    doc.ldhName = `DOMAIN-${i}.COM`;
    // The first three answer at once; the rest take a minute (the signal comes first).
    routes[`domain-${i}.com`] = { status: 200, body: doc, ...(i < 3 ? {} : { delayMs: 60_000 }) };
  }
  pypi = await startPypiServer(packages);
  rdap = await startRdapServer(routes);
  dir = await mkdtemp(join(tmpdir(), "mdg-process-"));
  await writeFile(
    join(dir, "requirements.txt"),
    Object.keys(packages)
      .map((n) => `${n}==1.0`)
      .join("\n") + "\n",
  );
  await writeFile(join(dir, "dns.json"), JSON.stringify(bootstrapFor({ com: `${rdap.url}/` })));
});
afterAll(async () => {
  await Promise.all([pypi?.close(), rdap?.close()]);
  await rm(dir, { recursive: true, force: true });
});

function start(extra: string[] = []) {
  const child = spawn(
    process.execPath,
    [
      CLI,
      "scan",
      dir,
      "--format",
      "json",
      "--pypi-url",
      pypi.url,
      "--rdap-bootstrap",
      join(dir, "dns.json"),
      "--cache",
      join(dir, "cache", "verdicts.json"),
      "--timeout",
      "90s",
      "--rdap-concurrency",
      "16",
      ...extra,
    ],
    { cwd: dir, stdio: ["ignore", "pipe", "pipe"] },
  );
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (c) => (stdout += String(c)));
  child.stderr.on("data", (c) => (stderr += String(c)));
  const done = new Promise<{ code: number | null; ms: number }>((resolve) => {
    const t0 = Date.now();
    child.on("close", (code) => resolve({ code, ms: Date.now() - t0 }));
  });
  return { child, done, out: () => stdout, err: () => stderr };
}

/** Resolve once the RDAP server has seen `n` requests. */
async function rdapRequests(n: number): Promise<void> {
  for (let i = 0; i < 400 && rdap.requests.length < n; i++)
    await new Promise((r) => setTimeout(r, 25));
}

describe.skipIf(!existsSync(CLI))("the built CLI under signals", () => {
  it.each([
    ["SIGINT", 130],
    ["SIGTERM", 143],
  ] as const)("%s: stops, saves the cache, one line, exit %i", async (signal, exit) => {
    await rm(join(dir, "cache"), { recursive: true, force: true });
    rdap.requests.length = 0;
    // An earlier run's SARIF, which code scanning must not be handed as this run's.
    const sarif = join(dir, "guard.sarif");
    await writeFile(sarif, '{"version":"2.1.0","runs":[{"results":[]}]}');
    const run = start(["--sarif-file", sarif]);
    await rdapRequests(DOMAINS);
    await new Promise((r) => setTimeout(r, 300));
    run.child.kill(signal);
    const { code, ms } = await run.done;
    expect(code).toBe(exit);
    const log = JSON.parse(await readFile(sarif, "utf8"));
    expect(log.runs[0].invocations[0]).toMatchObject({ executionSuccessful: false });
    expect(log.runs[0].invocations[0].toolExecutionNotifications[0].message.text).toBe(
      `Not finished: the scan was interrupted (${signal}) with 3 of 12 domains checked; its results are not in this file`,
    );
    expect(log.runs[0].results).toEqual([]);
    expect(ms).toBeLessThan(15_000);
    expect(run.err()).toMatch(/^interrupted: 3 of 12 domains checked; cache saved$/m);
    expect(run.err()).not.toMatch(/\n\s+at /);
    const cache = JSON.parse(await readFile(join(dir, "cache", "verdicts.json"), "utf8"));
    expect(Object.keys(cache.verdicts).sort()).toEqual([
      "domain-0.com",
      "domain-1.com",
      "domain-2.com",
    ]);
  });

  it("a second signal exits at once", async () => {
    await rm(join(dir, "cache"), { recursive: true, force: true });
    rdap.requests.length = 0;
    const run = start();
    await rdapRequests(DOMAINS);
    // Hold the first stop in the cache save by sending both signals back to back.
    run.child.kill("SIGINT");
    run.child.kill("SIGINT");
    const { code } = await run.done;
    expect(code).toBe(130);
  });

  it("a reader that closes the pipe early (| head): quiet, the run's exit code", async () => {
    const big = join(dir, "big");
    await rm(big, { recursive: true, force: true });
    await mkdir(big);
    await writeFile(
      join(big, "requirements.txt"),
      Array.from({ length: 5000 }, (_, i) => `package-number-${i}==1.0.${i}`).join("\n") + "\n",
    );
    const child = spawn(
      "bash",
      [
        "-c",
        `"${process.execPath}" "${CLI}" deps "${big}" --format json | head -c 10 >/dev/null; echo "status \${PIPESTATUS[0]}" >&2`,
      ],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    let stderr = "";
    child.stderr.on("data", (c) => (stderr += String(c)));
    await new Promise((r) => child.on("close", r));
    expect(stderr.trim()).toBe("status 0");
  });

  it("a report that cannot be written whole (the file-size limit) leaves the earlier one as it was", async () => {
    const out = join(dir, "limited");
    await rm(out, { recursive: true, force: true });
    await mkdir(out);
    const report = join(out, "report.json");
    await writeFile(report, "the earlier report\n");
    // bash ignores SIGXFSZ for the child, so a write past the 1 KiB limit fails with EFBIG.
    const child = spawn(
      "bash",
      [
        "-c",
        `trap '' XFSZ; ulimit -f 1; "${process.execPath}" "${CLI}" deps "${dir}/requirements.txt" --format json --output "${report}" >/dev/null`,
      ],
      { stdio: ["ignore", "ignore", "pipe"] },
    );
    let stderr = "";
    child.stderr.on("data", (c) => (stderr += String(c)));
    const code = await new Promise((r) => child.on("close", r));
    expect(code).toBe(2);
    expect(stderr).toContain("the file would be larger than allowed (EFBIG)");
    expect(await readFile(report, "utf8")).toBe("the earlier report\n");
    // No half-written temporary file is left beside it.
    const { readdir } = await import("node:fs/promises");
    expect(await readdir(out)).toEqual(["report.json"]);
  });

  it("--output /dev/stdout with standard output sent to a file: the report joins what else went there", async () => {
    const out = join(dir, "stdout-file");
    await rm(out, { recursive: true, force: true });
    await mkdir(out);
    const log = join(out, "ci.log");
    const child = spawn(
      "bash",
      [
        "-c",
        `(echo BEFORE; "${process.execPath}" "${CLI}" deps "${dir}/requirements.txt" --format json --output /dev/stdout; echo AFTER) > "${log}" 2>&1`,
      ],
      { stdio: "ignore" },
    );
    expect(await new Promise((r) => child.on("close", r))).toBe(0);
    const text = await readFile(log, "utf8");
    expect(text.startsWith("BEFORE\n")).toBe(true);
    expect(text.trimEnd().endsWith("AFTER")).toBe(true);
    expect(text).toContain('"dependencies"');
  });
});

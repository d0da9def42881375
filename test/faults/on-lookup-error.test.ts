// `--on-lookup-error fail` makes a domain that could not be checked fail the run (exit 1);
// `warn` (the default) does not, but a run that checked too little still exits 3 (min-coverage).
// Either way the report lists it as not checked, with a reason.
// End to end through the CLI's main() with a lockfile on disk.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runMain } from "../servers/cli.js";
import type { Report } from "../../src/types.js";
import { startFaultServer, type FaultServer } from "./fault-server.js";
import { NOW } from "./harness.js";

let dir: string;
let pypi: FaultServer;
let registry: FaultServer;
let bootstrap: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "mdg-on-lookup-error-"));
  await writeFile(join(dir, "requirements.txt"), "flaky-registry-pkg==2.0.0\n");
  pypi = await startFaultServer({
    seed: 0,
    choose: () => "ok",
    answer: () => ({
      status: 200,
      type: "application/json",
      body: JSON.stringify({
        info: {
          name: "flaky-registry-pkg",
          version: "2.0.0",
          author_email: "Dev <dev@flaky-registry.com>",
        },
        urls: [{ upload_time_iso_8601: "2025-01-10T09:00:00.000000Z" }],
      }),
    }),
  });
  // The registry answers 503 to every domain query, whatever the retries.
  registry = await startFaultServer({
    seed: 0,
    choose: () => "status-503",
    answer: () => undefined,
  });
  bootstrap = join(dir, "bootstrap.json");
  await writeFile(
    bootstrap,
    JSON.stringify({ version: "1.0", services: [[["com"], [`${registry.url}/`]]] }),
  );
});

afterAll(async () => {
  await Promise.all([pypi.close(), registry.close()]);
  await rm(dir, { recursive: true, force: true });
});

async function run(extra: string[], format = "json") {
  const { code, stdout } = await runMain(
    [
      "scan",
      dir,
      "--format",
      format,
      "--pypi-url",
      `${pypi.url}/pypi`,
      "--rdap-bootstrap",
      bootstrap,
      "--timeout",
      "1s",
      "--retries",
      "1",
      "--max-retry-wait",
      "100ms",
      ...extra,
    ],
    { cwd: dir, now: () => NOW },
  );
  return { code, stdout };
}

describe("--on-lookup-error", () => {
  it.each([
    ["warn (the default)", [], 3, false],
    ["warn", ["--on-lookup-error", "warn"], 3, false],
    ["warn with --min-coverage 0", ["--on-lookup-error", "warn", "--min-coverage", "0"], 0, false],
    ["fail (1 wins over 3)", ["--on-lookup-error", "fail"], 1, true],
  ] as const)(
    "%s: exit %i, the unchecked domain listed with its reason",
    async (_label, flags, exit, failing) => {
      const { code, stdout } = await run([...flags]);
      expect(code).toBe(exit);
      const report = JSON.parse(stdout) as Report;
      expect(report.findings).toMatchObject([
        {
          kind: "lookup-failed",
          package: "flaky-registry-pkg",
          domain: "flaky-registry.com",
          failing,
        },
      ]);
      expect(report.domains).toMatchObject([
        { domain: "flaky-registry.com", state: "unknown", errorCode: "server-error" },
      ]);
    },
  );

  it("the Markdown summary lists the unchecked domain under Not checked", async () => {
    const { code, stdout } = await run(["--on-lookup-error", "warn"], "markdown");
    expect(code).toBe(3);
    expect(stdout).toContain("1 of 1 package and 0 of 1 domain checked");
    const notChecked = stdout.slice(stdout.indexOf("Not checked"));
    expect(stdout).toContain("Not checked");
    expect(notChecked).toContain("flaky-registry.com");
  });
});

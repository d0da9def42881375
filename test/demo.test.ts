// The offline demo: examples/ scanned against the recorded answers in demo/, replayed by the
// demo's own loopback servers. Proves every finding kind the demo promises appears, on today's
// date (the recordings' dates are relative), and that the Markdown summary is written.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runMain } from "./servers/cli.js";
import type { Report } from "../src/types.js";
import { renderRecording, startDemoServers, type DemoServers } from "../scripts/demo-servers.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");

async function runCli(args: string[], servers: DemoServers, bootstrap: string) {
  return runMain(
    [
      "scan",
      "examples",
      ...args,
      "--pypi-url",
      servers.pypiUrl,
      "--rdap-bootstrap",
      bootstrap,
      "--dns-server",
      servers.dnsServer,
    ],
    { cwd: root, now: () => new Date() },
  );
}

describe("demo recordings", () => {
  it("renders relative dates against the clock, with and without a zone", () => {
    const now = new Date("2026-03-01T10:20:30.456Z");
    const text =
      '["{{days:-40}}", "{{days:12}}", "{{days:-1|naive}}", "{{days:0|+2s}}", "{{pypi}}/x"]';
    expect(JSON.parse(renderRecording(text, { now, pypi: "http://127.0.0.1:9/pypi" }))).toEqual([
      "2026-01-20T10:20:30Z",
      "2026-03-13T10:20:30Z",
      "2026-02-28T10:20:30",
      "2026-03-01T10:20:32Z",
      "http://127.0.0.1:9/pypi/x",
    ]);
  });

  it("refuses a date modifier it does not know, instead of serving a wrong date", () => {
    expect(() => renderRecording("{{days:1|tomorrow}}", { now: new Date() })).toThrow(/tomorrow/);
  });
});

describe("npm run demo, scan part (in process)", () => {
  let servers: DemoServers;
  let temp: string;
  let bootstrap: string;

  beforeAll(async () => {
    servers = await startDemoServers({ dataDir: join(root, "demo") });
    temp = await mkdtemp(join(tmpdir(), "mdg-demo-test-"));
    bootstrap = await servers.writeBootstrap(temp);
  });
  afterAll(async () => {
    await servers?.close();
    await rm(temp, { recursive: true, force: true });
  });

  it("finds each promised finding kind for the package built for it, and exits 1", async () => {
    const { code, stdout } = await runCli(["--format", "json"], servers, bootstrap);
    expect(code).toBe(1);
    const report = JSON.parse(stdout) as Report;
    const kinds = (pkg: string) =>
      [...new Set(report.findings.filter((f) => f.package === pkg).map((f) => f.kind))].sort();
    expect(kinds("demo-tarpit-client")).toEqual(["domain-unregistered"]);
    expect(kinds("demo-quillpress")).toEqual(["domain-expired"]);
    expect(kinds("demo-orbitcache")).toEqual(["domain-reregistered"]);
    expect(kinds("demo-kettle")).toEqual(["domain-on-hold"]);
    expect(kinds("demo-fernlog")).toEqual(["domain-expiring"]);
    expect(kinds("demo-pixelmint")).toEqual(["lookup-failed"]);
    expect(kinds("demo-ghostwriter")).toEqual(["package-not-found"]);
    expect(kinds("demo-anon-utils")).toEqual(["no-maintainer-email"]);
    expect(kinds("demo-larkspur")).toEqual(["domain-grace"]);
    expect(kinds("demo-hopscotch")).toEqual(["domain-transferred"]);
    expect(kinds("demo-postbox")).toEqual(["mx-domain-lapsed"]);
    expect(kinds("demo-inkwell")).toEqual(["project-url-domain-lapsed"]);
    expect(report.findings.find((f) => f.kind === "mx-domain-lapsed")).toMatchObject({
      severity: "critical",
      domain: "postbox-relay.net",
      mx: { host: "mx1.postbox-relay.net", maintainerDomain: "postbox-tools.com" },
      maintainerName: "Postbox maintainers",
      tracker: "https://github.com/postbox-tools/demo-postbox/issues",
    });
    expect(report.findings.find((f) => f.kind === "project-url-domain-lapsed")).toMatchObject({
      severity: "medium",
      domain: "inkwell-docs.org",
      link: { label: "Documentation", url: "https://docs.inkwell-docs.org/en/latest/" },
    });
    const grace = report.findings.find((f) => f.kind === "domain-grace");
    expect(grace?.evidence).toMatch(/anniversary on \d{4}-\d{2}-\d{2}/);
    // The scan asked for the registrar's record; the recording names no registrar link.
    expect(grace?.evidence).toContain("names no registrar RDAP link");
    // The clean ones: a far-future registration and a large mail provider.
    expect(kinds("demo-granary")).toEqual([]);
    expect(kinds("demo-brightline")).toEqual([]);
    const unregistered = report.findings.find((f) => f.kind === "domain-unregistered");
    expect(unregistered).toMatchObject({ domain: "tarpitlabs.com", line: 3 });
    expect(unregistered?.file).toMatch(/(^|\/)examples\/requirements\.txt$|^requirements\.txt$/);
  });

  it("never asks for the provider's domain or a domain outside the recordings", async () => {
    const before = servers.requests.rdap.length;
    await runCli(["--format", "json"], servers, bootstrap);
    const asked = servers.requests.rdap
      .slice(before)
      .map((r) => r.replace(/^GET \/domain\//, ""))
      .sort();
    expect(asked).toEqual([
      "fernlog.xyz",
      "granary-data.com",
      "hopscotch-labs.org",
      "inkwell-docs.org", // demo-inkwell's documentation link
      "kettleworks.click",
      "larkspur-mail.com",
      "orbitcache.net",
      "postbox-relay.net", // postbox-tools.com's mail servers
      "postbox-tools.com",
      "quillpress-project.org",
      "tarpitlabs.com",
    ]);
    // DNS is asked for NS only before an `unregistered` verdict.
    expect(servers.requests.dns).toContain("NS tarpitlabs.com");
    // MX for each maintainer domain that takes mail; the Google-hosted mail of granary-data.com
    // is not looked up, postbox-tools.com's relay is.
    expect(servers.requests.dns).toContain("MX granary-data.com");
    expect(servers.requests.dns).not.toContain("MX tarpitlabs.com");
  });

  it("writes the Markdown summary to the --output file, naming every flagged package", async () => {
    const file = join(temp, "summary.md");
    const { code } = await runCli(["--format", "markdown", "--output", file], servers, bootstrap);
    expect(code).toBe(1);
    const markdown = await readFile(file, "utf8");
    for (const pkg of [
      "demo-tarpit-client",
      "demo-quillpress",
      "demo-orbitcache",
      "demo-kettle",
      "demo-fernlog",
      "demo-larkspur",
      "demo-hopscotch",
      "demo-postbox",
      "demo-inkwell",
    ]) {
      expect(markdown).toContain(pkg);
    }
    expect(markdown).toContain("pixelmint.es");
  });

  it("the summary line counts each domain once: .es without RDAP is not also 'could not be checked'", async () => {
    const { stdout } = await runCli(["--format", "table"], servers, bootstrap);
    const summary = stdout.split("\n").find((l) => /^\d+ findings? /.test(l)) ?? "";
    expect(summary).toContain("11 of 11 domains checked");
    expect(summary).toContain("1 domain under a TLD without RDAP");
    expect(summary).not.toContain("could not be checked");
    // It is still listed, with its reason, under "Not checked".
    expect(stdout).toMatch(/Not checked\n\s+domain\s+pixelmint\.es\s+no-rdap/);
  });
});

describe("npm run demo, whole script", () => {
  it("prints the replay notice, the table and the exit-code line, writes the summary and exits 0", async () => {
    // The demo spawns the built CLI, as a user's `npm run demo` does. It would build dist/
    // itself when missing; a test must not rewrite the tree, so it asks for the build instead.
    const cli = join(root, "dist", "cli.js");
    if (!existsSync(cli)) throw new Error(`${cli} is missing: run \`npm run build\` first`);
    const out = await mkdtemp(join(tmpdir(), "mdg-demo-out-"));
    try {
      const result = await new Promise<{ code: number | null; stdout: string; stderr: string }>(
        (done) => {
          const child = spawn(
            process.execPath,
            [join(root, "scripts", "demo.mjs"), "--out-dir", out],
            {
              cwd: root,
              stdio: ["ignore", "pipe", "pipe"],
            },
          );
          let stdout = "";
          let stderr = "";
          child.stdout.on("data", (c) => (stdout += String(c)));
          child.stderr.on("data", (c) => (stderr += String(c)));
          child.on("exit", (code) => done({ code, stdout, stderr }));
        },
      );
      expect(result.stderr).not.toMatch(/^demo:/m);
      expect(result.code).toBe(0);
      const [first] = result.stdout.split("\n");
      expect(first).toMatch(/replaying recorded PyPI and RDAP answers/);
      expect(first).toMatch(/a real run asks PyPI and the domain registries/);
      for (const kind of [
        "domain-unregistered",
        "domain-expired",
        "domain-reregistered",
        "domain-on-hold",
        "domain-expiring",
        "domain-grace",
        "domain-transferred",
        "mx-domain-lapsed",
        "project-url-domain-lapsed",
      ]) {
        expect(result.stdout).toContain(kind);
      }
      expect(result.stdout).toContain("exit code 1: findings at or above fail-on high");
      const markdown = await readFile(join(out, "summary.md"), "utf8");
      expect(markdown).toContain("demo-tarpit-client");
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  }, 60_000);
});

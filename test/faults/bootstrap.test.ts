// A bootstrap that cannot be had (unreachable, failing, not JSON, not a bootstrap) leaves every
// domain "not checked" with the reason; the scan still ends and no domain finding appears.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scan } from "../../src/scan/scan.js";
import type { DependencySet } from "../../src/types.js";
import { startServer } from "../servers/http.js";
import { startFaultServer, type Fault, type FaultServer } from "./fault-server.js";
import { NOW, optionsFor } from "./harness.js";
import { directTransport } from "../../src/net/transport.js";

const set: DependencySet = {
  root: process.cwd(),
  dependencies: [
    {
      name: "victim",
      version: "1.0.0",
      file: "requirements.txt",
      line: 1,
      format: "requirements",
      kind: "pypi",
    },
  ],
  lockfiles: [{ path: "requirements.txt", format: "requirements", count: 1 }],
  errors: [],
};

let temp: string;
let pypi: FaultServer;
let registry: FaultServer;
let closedUrl: string;

beforeAll(async () => {
  temp = await mkdtemp(join(tmpdir(), "mdg-bootstrap-"));
  pypi = await startFaultServer({
    seed: 0,
    choose: () => "ok",
    answer: () => ({
      status: 200,
      type: "application/json",
      body: JSON.stringify({
        info: {
          name: "victim",
          version: "1.0.0",
          author_email: "dev@victim-domain.com",
          maintainer_email: "",
        },
        urls: [{ upload_time_iso_8601: "2025-01-10T09:00:00.000000Z" }],
      }),
    }),
  });
  // Serves the bootstrap faults below at /bootstrap/<fault>, and an expired-domain answer to
  // any domain query (which must never be reached without a bootstrap).
  registry = await startFaultServer({
    seed: 0,
    choose: (path): Fault => (path.startsWith("/bootstrap/") ? (path.slice(11) as Fault) : "ok"),
    answer: (path) =>
      path.startsWith("/bootstrap/")
        ? {
            status: 200,
            type: "application/json",
            body: '{"version": "1.0", "services": [[["com"], ["http://127.0.0.1:9/"]]]}',
          }
        : {
            status: 200,
            type: "application/rdap+json",
            body: JSON.stringify({
              objectClassName: "domain",
              ldhName: "VICTIM-DOMAIN.COM",
              status: ["pending delete"],
              events: [],
            }),
          },
  });
  const closed = await startServer((_req, res) => res.end());
  closedUrl = `${closed.url}/dns.json`;
  await closed.close();
});

afterAll(async () => {
  await Promise.all([pypi.close(), registry.close()]);
  await rm(temp, { recursive: true, force: true });
});

const fileCases: [string, string][] = [
  ["a file that is not JSON", '{"services": [[["com"], '],
  ["a JSON file without services", '{"version": "1.0", "publication": "2026-11-01T00:00:00Z"}'],
  [
    "a bootstrap whose only service has no http(s) URL",
    '{"version": "1.0", "services": [[["com"], ["ftp://rdap.invalid/"]]]}',
  ],
  ["a JSON array", "[]"],
];

describe("a bootstrap that cannot be used", () => {
  const cases: [string, () => Promise<string>][] = [
    ["an unreachable URL", async () => closedUrl],
    ["a missing file", async () => join(temp, "no-such-bootstrap.json")],
    ["a URL that answers 503", async () => `${registry.url}/bootstrap/status-503`],
    ["a URL that answers an HTML page", async () => `${registry.url}/bootstrap/wrong-type`],
    ["a URL that answers malformed JSON", async () => `${registry.url}/bootstrap/malformed-json`],
    ["a URL that answers a body over the cap", async () => `${registry.url}/bootstrap/too-large`],
    ["a URL that redirects in a loop", async () => `${registry.url}/bootstrap/redirect-loop`],
    ...fileCases.map(([label, text]): [string, () => Promise<string>] => [
      label,
      async () => {
        const file = join(temp, `${label.replace(/\W+/g, "-")}.json`);
        await writeFile(file, text);
        return file;
      },
    ]),
  ];

  it.each(cases)(
    "%s: every domain is not checked, with the reason, and nothing is flagged",
    async (_label, source) => {
      const before = registry.log.filter((r) => r.path.startsWith("/domain/")).length;
      const lines: string[] = [];
      const options = optionsFor({
        "pypi-url": `${pypi.url}/pypi`,
        "rdap-bootstrap": await source(),
        timeout: "1s",
        "max-retry-wait": "100ms",
        retries: "1",
      });
      const report = await scan(set, options, {
        now: () => NOW,
        transport: directTransport(),
        log: (e) => lines.push(`${e.level}: ${e.text}`),
      });
      expect(report.domains).toMatchObject([
        { domain: "victim-domain.com", state: "unknown", errorCode: "bootstrap-failed" },
      ]);
      expect(report.findings.map((f) => f.kind)).toEqual(["lookup-failed"]);
      expect(`${report.findings[0]?.message} ${report.findings[0]?.evidence}`).toMatch(
        /bootstrap/i,
      );
      expect(lines.join("\n")).toMatch(/bootstrap/i);
      expect(registry.log.filter((r) => r.path.startsWith("/domain/")).length).toBe(before);
    },
  );
});

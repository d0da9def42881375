/**
 * End-to-end harness for hostile input: a PyPI server and an RDAP registry that answer with
 * attacker-chosen strings, a DNS server, a lockfile on disk, and the CLI's main() rendering
 * every format. Tests then check what a user (or the Actions runner reading the log) would see.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runMain } from "../servers/cli.js";
import { startDnsServer, type DnsServer } from "../servers/dns.js";
import { startServer, type TestServer } from "../servers/http.js";

export const NOW = new Date("2026-11-25T12:00:00Z");

export interface HostileWorld {
  dir: string;
  pypi: TestServer;
  rdap: TestServer;
  dns: DnsServer;
  /** Run `scan` over `dir` with one format; returns exit code, stdout, stderr. */
  run(format: "table" | "json" | "markdown" | "sarif", extra?: string[]): Promise<CliRun>;
  close(): Promise<void>;
}

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export const FORMATS = ["table", "markdown", "json", "sarif"] as const;

export interface HostileSetup {
  /** Files to write into the scanned directory (name -> text). */
  files: Record<string, string>;
  /** PyPI `info` object per package path segment (as requested). Unknown names get 404. */
  packages: Record<string, Record<string, unknown>>;
  /** RDAP answer body per domain (lower case). Unknown domains get 404 with an empty body. */
  domains?: Record<string, unknown>;
  /** TLDs the bootstrap sends to the RDAP server. */
  tlds?: string[];
}

/** A real-shaped PyPI answer around an attacker-chosen `info`. */
export function pypiBody(info: Record<string, unknown>): string {
  return JSON.stringify({
    info: { version: "1.0.0", author: "", maintainer: "", maintainer_email: "", ...info },
    last_serial: 1,
    urls: [
      { packagetype: "sdist", upload_time_iso_8601: "2025-01-10T09:00:00.000000Z", yanked: false },
    ],
    vulnerabilities: [],
  });
}

/** A real-shaped registry answer with attacker-chosen statuses. */
export function rdapBody(
  domain: string,
  status: string[],
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    objectClassName: "domain",
    ldhName: domain.toUpperCase(),
    status,
    events: [
      { eventAction: "registration", eventDate: "2012-03-01T00:00:00Z" },
      { eventAction: "expiration", eventDate: "2027-10-01T00:00:00Z" },
    ],
    rdapConformance: ["rdap_level_0"],
    ...extra,
  };
}

export async function startHostileWorld(setup: HostileSetup): Promise<HostileWorld> {
  const dir = await mkdtemp(join(tmpdir(), "mdg-hostile-"));
  for (const [name, text] of Object.entries(setup.files)) await writeFile(join(dir, name), text);
  const pypi = await startServer((req, res) => {
    const name = /^\/pypi\/([^/]+)\/json$/.exec(req.url ?? "")?.[1];
    const info = name !== undefined ? setup.packages[decodeURIComponent(name)] : undefined;
    const body = info ? pypiBody(info) : '{"message": "Not Found"}';
    res.writeHead(info ? 200 : 404, { "content-type": "application/json" });
    res.end(body);
  });
  const rdap = await startServer((req, res) => {
    const domain = /^\/domain\/([^/?#]+)$/.exec(req.url ?? "")?.[1]?.toLowerCase();
    const answer = domain !== undefined ? setup.domains?.[domain] : undefined;
    res.writeHead(answer ? 200 : 404, { "content-type": "application/rdap+json" });
    res.end(answer ? JSON.stringify(answer) : "");
  });
  const dns = await startDnsServer({ delegated: [] });
  const bootstrap = join(dir, ".bootstrap.json");
  await writeFile(
    bootstrap,
    JSON.stringify({
      version: "1.0",
      services: [[setup.tlds ?? ["com", "org", "net"], [`${rdap.url}/`]]],
    }),
  );
  return {
    dir,
    pypi,
    rdap,
    dns,
    async run(format, extra = []) {
      return runMain(
        [
          "scan",
          dir,
          "--format",
          format,
          "--pypi-url",
          `${pypi.url}/pypi`,
          "--rdap-bootstrap",
          bootstrap,
          "--dns-server",
          dns.address,
          "--timeout",
          "2s",
          ...extra,
        ],
        { cwd: dir, now: () => NOW },
      );
    },
    async close() {
      await Promise.all([pypi.close(), rdap.close(), dns.close()]);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Lines the Actions runner would read as a workflow command: it trims each log line and looks
 * for a leading `::`.
 */
export function workflowCommandLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/).filter((line) => line.trim().startsWith("::"));
}

/** Markdown with its code spans (and fenced blocks) removed: what GitHub interprets. */
export function outsideCode(markdown: string): string {
  return markdown
    .replace(/^```[\s\S]*?^```/gm, "")
    .replace(/(`+)(?!`)[\s\S]*?[^`]\1(?!`)/g, "CODE");
}

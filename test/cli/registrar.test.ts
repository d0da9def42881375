// The registrar's record, end to end through the CLI. A lapsed .com does not show a past expiry:
// in the auto-renew grace period the registry has already moved the expiry a year on, and only
// the registrar's own RDAP record says whether the term was paid. The scan follows the
// registry's `related` link, one hop, over HTTPS with certificates verified as a run verifies
// them: here a loopback registrar speaks TLS with the test certificate, trusted through the
// transport's `ca` as NODE_EXTRA_CA_CERTS would make it trusted in a run. Real captures,
// re-addressed to one domain (the `related` link pointed at the loopback registrar), with the
// clock at the derived answer's capture date.
import { readFileSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { directTransport, type Transport } from "../../src/net/transport.js";
import { runMain } from "../servers/cli.js";
import { startDnsServer, type DnsServer } from "../servers/dns.js";
import { maintainedBy, NOW, registryAnswer } from "../servers/scan-world.js";
import { startPypiServer, type PypiServer } from "../servers/pypi.js";
import { bootstrapFor, startRdapServer, type RdapServer } from "../servers/rdap.js";

const TLS = fileURLToPath(new URL("../fixtures/tls/", import.meta.url));
const CERT = readFileSync(join(TLS, "loopback-cert.pem"), "utf8");
const KEY = readFileSync(join(TLS, "loopback-key.pem"), "utf8");

const DOMAIN = "renewed-example.com";
// Verisign's google.com answer in "auto renew period", its expiry moved on to 2025-06-30 on the
// 2024-06-30 anniversary (derived; SOURCES.md names the edit), and MarkMonitor's record of it
// whose `registrar expiration` says the term ended on 2024-06-30 (derived likewise).
const REGISTRY = "derived-auto-renew-from-verisign-com-google.com-related-registrar.json";
const REGISTRAR_ENDED =
  "derived-registrar-expiration-past-from-markmonitor-registrar-google.com.json";
const REGISTRAR_RENEWED =
  "derived-registrar-expiration-future-from-markmonitor-registrar-google.com.json";

interface JsonReport {
  findings: {
    kind: string;
    severity: string;
    package: string;
    domain: string;
    evidence: string;
    failing: boolean;
  }[];
  domains: { domain: string; state: string }[];
}

let dir: string;
let pypi: PypiServer;
let dns: DnsServer;
const closers: (() => Promise<void>)[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "mdg-registrar-"));
  pypi = await startPypiServer({
    lapsing: maintainedBy("lapsing", { maintainer_email: `dev@${DOMAIN}` }),
  });
  dns = await startDnsServer({ delegated: [DOMAIN] });
  await mkdir(join(dir, "project"));
  await writeFile(join(dir, "project", "requirements.txt"), "lapsing==0.40.0\n");
});
afterAll(async () => {
  await Promise.all([pypi?.close(), dns?.close(), ...closers.map((c) => c())]);
  await rm(dir, { recursive: true, force: true });
});

/** A loopback registrar over HTTPS with the test certificate, answering one record. */
async function startTlsRegistrar(file: string): Promise<{ url: string; paths: string[] }> {
  const body = JSON.stringify(registryAnswer(file, DOMAIN));
  const paths: string[] = [];
  const server: Server = createServer({ cert: CERT, key: KEY }, (req, res) => {
    paths.push(req.url ?? "");
    res.writeHead(200, { "content-type": "application/rdap+json" });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  closers.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`, paths };
}

/** The registry: the auto-renew answer with its registrar link pointed at `registrarBase`. */
async function startRegistry(registrarBase: string): Promise<RdapServer> {
  const answer = registryAnswer(REGISTRY, DOMAIN) as { links: { rel: string; href: string }[] };
  answer.links = answer.links.map((l) =>
    l.rel === "related"
      ? { ...l, href: `${registrarBase}/rdap/domain/${DOMAIN.toUpperCase()}` }
      : l,
  );
  const rdap = await startRdapServer({ [DOMAIN]: { status: 200, body: answer } });
  closers.push(() => rdap.close());
  return rdap;
}

async function scan(registry: RdapServer, transport: Transport, name: string) {
  const bootstrap = join(dir, `${name}.json`);
  await writeFile(bootstrap, JSON.stringify(bootstrapFor({ com: `${registry.url}/` })));
  const project = join(dir, "project");
  const run = await runMain(
    [
      "scan",
      project,
      "--format",
      "json",
      "--pypi-url",
      pypi.url,
      "--rdap-bootstrap",
      bootstrap,
      "--dns-server",
      dns.address,
      "--timeout",
      "4s",
      "--retries",
      "0",
    ],
    { cwd: project, now: () => NOW, transport },
  );
  return { ...run, report: JSON.parse(run.stdout) as JsonReport };
}

describe("registrar record through the CLI", () => {
  it("the registrar says the term ended: domain-expired, and the run fails", async () => {
    const registrar = await startTlsRegistrar(REGISTRAR_ENDED);
    const registry = await startRegistry(registrar.url);
    const { code, report } = await scan(registry, directTransport({ ca: CERT }), "ended");
    expect(registrar.paths).toEqual([`/rdap/domain/${DOMAIN.toUpperCase()}`]);
    expect(
      report.findings.map((f) => [f.kind, f.severity, f.package, f.domain, f.failing]),
    ).toEqual([["domain-expired", "critical", "lapsing", DOMAIN, true]]);
    expect(report.findings[0]!.evidence).toContain("the registrar's term ended 2024-06-30");
    expect(code).toBe(1);
  });

  it("the registrar says it was renewed: no finding", async () => {
    const registrar = await startTlsRegistrar(REGISTRAR_RENEWED);
    const registry = await startRegistry(registrar.url);
    const { code, report } = await scan(registry, directTransport({ ca: CERT }), "renewed");
    expect(registrar.paths).toHaveLength(1);
    expect(report.findings).toEqual([]);
    expect(code).toBe(0);
  });

  it("a registrar whose certificate is not trusted is not believed: domain-grace, saying so", async () => {
    const registrar = await startTlsRegistrar(REGISTRAR_RENEWED);
    const registry = await startRegistry(registrar.url);
    const { code, report } = await scan(registry, directTransport(), "untrusted");
    // The TLS handshake failed before any request was read.
    expect(registrar.paths).toEqual([]);
    expect(report.findings.map((f) => [f.kind, f.severity])).toEqual([["domain-grace", "high"]]);
    expect(report.findings[0]!.evidence).toContain(
      "the registrar's record was not used (127.0.0.1",
    );
    expect(report.findings[0]!.evidence).toContain("TLS error");
    expect(code).toBe(1);
  });

  it("a plain-http registrar link is not followed: domain-grace, saying so", async () => {
    const plain = await startRdapServer({
      [DOMAIN]: { status: 200, body: registryAnswer(REGISTRAR_RENEWED, DOMAIN) },
    });
    closers.push(() => plain.close());
    const registry = await startRegistry(plain.url);
    const { report } = await scan(registry, directTransport({ ca: CERT }), "plain");
    expect(plain.requests).toEqual([]);
    expect(report.findings.map((f) => f.kind)).toEqual(["domain-grace"]);
    expect(report.findings[0]!.evidence).toContain("not HTTPS");
  });
});

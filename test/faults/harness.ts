/**
 * One seeded scenario for the fault suite: a handful of packages, each with a true state (its
 * maintainer domain's real RDAP answer, a PyPI 404, no e-mail, a large provider), PyPI and RDAP
 * fault servers serving those truths through seeded faults, a DNS server (answering or
 * silent), and a bootstrap given as a file or as a URL on the faulty RDAP server.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { resolveOptions, type Options } from "../../src/options/options.js";
import type { Dependency, DependencySet, FindingKind } from "../../src/types.js";
import { startDnsServer, type DnsServer } from "../servers/dns.js";
import {
  drawFault,
  mulberry32,
  startFaultServer,
  type Answer,
  type Fault,
  type FaultServer,
} from "./fault-server.js";

const FIXTURES = join(import.meta.dirname, "..", "fixtures");

/** The clock of every seeded scan. */
export const NOW = new Date("2026-11-25T12:00:00Z");
const LAST_RELEASE = "2025-01-10T09:00:00.000000Z";
const DAY_MS = 86_400_000;

export type DomainTruth =
  "registered" | "expired" | "on-hold" | "reregistered" | "expiring" | "unregistered";
export type PackageTruth = DomainTruth | "not-found" | "no-email" | "provider" | "no-rdap";

/** The only finding kind a domain's true answer may produce. */
export const KIND_FOR: Record<DomainTruth, FindingKind | undefined> = {
  registered: undefined,
  expired: "domain-expired",
  "on-hold": "domain-on-hold",
  reregistered: "domain-reregistered",
  expiring: "domain-expiring",
  unregistered: "domain-unregistered",
};

/** The verdict state a domain's true answer maps to. */
export const STATE_FOR: Record<DomainTruth, string> = {
  registered: "registered",
  expired: "expired",
  "on-hold": "on-hold",
  reregistered: "registered",
  expiring: "registered",
  unregistered: "unregistered",
};

const TRUTHS: PackageTruth[] = [
  "registered",
  "expired",
  "on-hold",
  "reregistered",
  "expiring",
  "unregistered",
  "not-found",
  "no-email",
  "provider",
  "no-rdap",
];

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

/** A real PyPI answer (the wheel fixture) with its name, addresses and upload times edited. */
async function pypiAnswer(name: string, email: string): Promise<Answer> {
  const doc = JSON.parse(await readFile(join(FIXTURES, "pypi", "wheel-0.40.0.json"), "utf8"));
  doc.info.name = name;
  doc.info.version = "1.0.0";
  doc.info.author_email = email ? `Maintainer <${email}>` : "";
  doc.info.maintainer_email = "";
  doc.info.author = email ? "" : "Someone";
  for (const file of doc.urls) {
    file.upload_time_iso_8601 = LAST_RELEASE;
    file.upload_time = LAST_RELEASE.slice(0, 19);
  }
  return { status: 200, type: "application/json", body: JSON.stringify(doc) };
}

/** A real registry answer (Verisign .com) with the domain, statuses and events edited for `truth`. */
async function rdapAnswer(domain: string, truth: DomainTruth): Promise<Answer> {
  if (truth === "unregistered") return { status: 404, type: "application/rdap+json", body: "" };
  const doc = JSON.parse(
    await readFile(
      join(FIXTURES, "rdap", "verisign-com-google.com-related-registrar.json"),
      "utf8",
    ),
  );
  const now = NOW.getTime();
  const plan: Record<
    Exclude<DomainTruth, "unregistered">,
    { status: string[]; created: number; expires: number }
  > = {
    registered: {
      status: ["client transfer prohibited"],
      created: now - 4000 * DAY_MS,
      expires: now + 800 * DAY_MS,
    },
    expired: {
      status: ["redemption period", "pending delete"],
      created: now - 4000 * DAY_MS,
      expires: now - 30 * DAY_MS,
    },
    "on-hold": {
      status: ["client hold"],
      created: now - 4000 * DAY_MS,
      expires: now + 300 * DAY_MS,
    },
    reregistered: {
      status: ["client transfer prohibited"],
      created: now - 60 * DAY_MS,
      expires: now + 300 * DAY_MS,
    },
    expiring: {
      status: ["client transfer prohibited"],
      created: now - 4000 * DAY_MS,
      expires: now + 10 * DAY_MS,
    },
  };
  const p = plan[truth];
  doc.ldhName = domain.toUpperCase();
  doc.links = [];
  doc.status = p.status;
  doc.events = [
    { eventAction: "registration", eventDate: iso(p.created) },
    { eventAction: "expiration", eventDate: iso(p.expires) },
    { eventAction: "last update of RDAP database", eventDate: iso(now) },
  ];
  return { status: 200, type: "application/rdap+json", body: JSON.stringify(doc) };
}

export interface ScenarioPackage {
  name: string;
  truth: PackageTruth;
  domain?: string;
}

export interface Scenario {
  seed: number;
  packages: ScenarioPackage[];
  /** Domain -> true state, for the domains served by the RDAP server. */
  domains: Map<string, DomainTruth>;
  pypi: FaultServer;
  rdap: FaultServer;
  dns: DnsServer;
  dnsSilent: boolean;
  bootstrapMode: "file" | "url";
  set: DependencySet;
  options: Options;
  close(): Promise<void>;
}

export interface Limits {
  timeout: string;
  maxRetryWait: string;
  retries: string;
  deadline: string;
}

export const SEEDED_LIMITS: Limits = {
  timeout: "1s",
  maxRetryWait: "200ms",
  retries: "2",
  deadline: "8s",
};

/** Build options the way the CLI does (flags through resolveOptions). */
export function optionsFor(values: Record<string, string>): Options {
  return resolveOptions([
    Object.fromEntries(
      Object.entries(values).map(([k, v]) => [k, { value: v, source: "flag" as const }]),
    ),
  ]);
}

export async function buildScenario(
  seed: number,
  limits: Limits = SEEDED_LIMITS,
  opts: { faultFree?: boolean } = {},
): Promise<Scenario> {
  const choose = opts.faultFree ? () => "ok" as const : undefined;
  const random = mulberry32(seed);
  const count = 2 + Math.floor(random() * 3);
  const packages: ScenarioPackage[] = [];
  const domains = new Map<string, DomainTruth>();
  for (let i = 0; i < count; i++) {
    const truth = TRUTHS[Math.floor(random() * TRUTHS.length)] as PackageTruth;
    const name = `pkg-${seed}-${i}`;
    // Sometimes two packages share a maintainer domain (it must be looked up once).
    const shared =
      i > 0 && random() < 0.2 ? packages.find((p) => p.domain && domains.has(p.domain)) : undefined;
    if (shared?.domain) {
      packages.push({ name, truth: shared.truth, domain: shared.domain });
      continue;
    }
    const domain =
      truth === "provider"
        ? "gmail.com"
        : truth === "no-rdap"
          ? `maint-${seed}-${i}.es`
          : truth === "not-found" || truth === "no-email"
            ? undefined
            : `maint-${seed}-${i}.${random() < 0.5 ? "com" : "org"}`;
    if (domain && truth !== "provider" && truth !== "no-rdap")
      domains.set(domain, truth as DomainTruth);
    packages.push({ name, truth, ...(domain ? { domain } : {}) });
  }

  const pypiAnswers = new Map<string, Answer>();
  for (const p of packages) {
    if (p.truth === "not-found") continue;
    pypiAnswers.set(
      `/pypi/${p.name}/json`,
      await pypiAnswer(p.name, p.domain ? `dev@${p.domain}` : ""),
    );
  }
  const rdapAnswers = new Map<string, Answer>();
  for (const [domain, truth] of domains)
    rdapAnswers.set(`/domain/${domain}`, await rdapAnswer(domain, truth));

  const temp = await mkdtemp(join(tmpdir(), `mdg-faults-${seed}-`));
  const bootstrapMode: "file" | "url" = random() < 0.5 ? "file" : "url";
  let bootstrapBody = "";
  const rdap = await startFaultServer({
    seed,
    ...(choose ? { choose } : {}),
    answer: (path) =>
      path === "/bootstrap.json"
        ? { status: 200, type: "application/json", body: bootstrapBody }
        : rdapAnswers.get(path),
  });
  bootstrapBody = JSON.stringify({
    description: "fault suite",
    publication: iso(NOW.getTime()),
    services: [[["com", "org"], [`${rdap.url}/`]]],
    version: "1.0",
  });
  const bootstrapFile = join(temp, "bootstrap.json");
  await writeFile(bootstrapFile, bootstrapBody);
  const pypi = await startFaultServer({
    seed: seed ^ 0x5eed,
    ...(choose ? { choose } : {}),
    answer: (path) => pypiAnswers.get(path),
  });
  const dnsSilent = random() < 0.3;
  const dns = await startDnsServer({ delegated: [], silent: dnsSilent });

  const dependencies: Dependency[] = packages.map((p, i) => ({
    name: p.name,
    version: "1.0.0",
    file: "requirements.txt",
    line: i + 1,
    format: "requirements",
    kind: "pypi",
  }));
  const set: DependencySet = {
    root: temp,
    dependencies,
    lockfiles: [{ path: "requirements.txt", format: "requirements", count: dependencies.length }],
    errors: [],
  };
  const options = optionsFor({
    "pypi-url": `${pypi.url}/pypi`,
    "rdap-bootstrap": bootstrapMode === "file" ? bootstrapFile : `${rdap.url}/bootstrap.json`,
    "dns-server": dns.address,
    timeout: limits.timeout,
    "max-retry-wait": limits.maxRetryWait,
    retries: limits.retries,
    deadline: limits.deadline,
  });
  return {
    seed,
    packages,
    domains,
    pypi,
    rdap,
    dns,
    dnsSilent,
    bootstrapMode,
    set,
    options,
    async close() {
      await Promise.all([pypi.close(), rdap.close(), dns.close()]);
      await rm(temp, { recursive: true, force: true });
    },
  };
}

/** Which faults the seeds drew, over all their requests (to check the suite covers them all). */
export function faultsServed(scenarios: { pypi: FaultServer; rdap: FaultServer }[]): Set<Fault> {
  const seen = new Set<Fault>();
  for (const s of scenarios) for (const r of [...s.pypi.log, ...s.rdap.log]) seen.add(r.fault);
  return seen;
}

export { drawFault };

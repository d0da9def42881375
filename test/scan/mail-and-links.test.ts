// Beyond the maintainer's own domain: the domains of its mail servers (MX) and of the project's
// links, through the whole pipeline against loopback PyPI, RDAP and DNS. PyPI answers are the
// real wheel 0.40.0 answer with chosen `info` fields; registry answers are the real Verisign
// .com answer re-addressed (statuses and events edited in code); DNS answers are encoded by
// dns-packet as a resolver sends them.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scan } from "../../src/scan/scan.js";
import { cacheScope, openCache } from "../../src/scan/cache.js";
import { exitCodeOf } from "../../src/scan/coverage.js";
import type { Dependency, DependencySet, Finding, Report } from "../../src/types.js";
import { startDnsServer, type DnsServer } from "../servers/dns.js";
import { startPypiServer, type PypiServer } from "../servers/pypi.js";
import { bootstrapFor, startRdapServer, type RdapServer } from "../servers/rdap.js";
import { maintainedBy, NOW, optionsFrom, registryAnswer } from "../servers/scan-world.js";
import { directTransport } from "../../src/net/transport.js";
import { renderMarkdown } from "../../src/report/markdown.js";
import { renderTable } from "../../src/report/table.js";

const COM = "verisign-com-google.com-related-registrar.json";
const SCOPE = cacheScope({
  pypiUrl: "https://index.example/pypi",
  rdapBootstrap: "bootstrap.json",
  dnsServer: undefined,
  indexUrls: [],
});

/** The wheel answer with other maintainers and links (no project_urls unless given). */
const pkg = (name: string, info: Record<string, unknown>) =>
  maintainedBy(name, { home_page: null, download_url: null, project_urls: null, ...info });

const registered = (domain: string) => ({ status: 200, body: registryAnswer(COM, domain) });

/** A registry answer in auto renew period whose registrar link is gone (nothing to follow). */
function graceAnswer(domain: string): object {
  const doc = registryAnswer(COM, domain, {
    status: ["auto renew period", "client transfer prohibited"],
    events: { expiration: "2025-07-10T04:00:00Z" },
  }) as { links?: { rel?: string }[] };
  doc.links = (doc.links ?? []).filter((l) => l.rel !== "related");
  return doc;
}

const PACKAGES = {
  "mx-lapsed": pkg("mx-lapsed", { author_email: "Jane Roe <jane@mail-ok-a.com>" }),
  "mx-expired": pkg("mx-expired", { author: "Ops Team", author_email: "ops@mail-ok-b.com" }),
  "mx-grace": pkg("mx-grace", { maintainer_email: "g@mail-ok-c.com" }),
  "mx-rereg": pkg("mx-rereg", { author_email: "r@mail-ok-d.com" }),
  "mx-own": pkg("mx-own", { author_email: "o@own-mail.com" }),
  "mx-provider": pkg("mx-provider", { author_email: "p@hosted-mail.com" }),
  "mx-none": pkg("mx-none", { author_email: "n@no-mx.com" }),
  "mx-null": pkg("mx-null", { author_email: "x@null-mx.com" }),
  "mx-of-lapsed": pkg("mx-of-lapsed", { author_email: "l@gone-example.com" }),
  // Sent with PyPI's own caching headers, so that a cache keeps it.
  "link-lapsed": {
    status: 200,
    headers: { "cache-control": "max-age=900, public", etag: '"link-lapsed-1"' },
    body: pkg("link-lapsed", {
      author_email: "someone@gmail.com",
      project_urls: {
        Documentation: "https://docs.lapsed-docs.com/en/latest/",
        Source: "https://github.com/example-org/link-lapsed",
      },
    }),
  },
  "link-healthy": pkg("link-healthy", {
    author_email: "someone@gmail.com",
    home_page: "https://healthy-site.com/",
  }),
  "link-same": pkg("link-same", {
    author_email: "dev@same-site.com",
    project_urls: { Homepage: "https://www.same-site.com/" },
  }),
  "link-expired": pkg("link-expired", {
    author_email: "someone@gmail.com",
    download_url: "http://downloads.expired-site.com/link-expired-1.0.tar.gz",
    project_urls: { "Bug Tracker": "https://bugs.example-tracker.com/link-expired" },
  }),
  "link-creds": pkg("link-creds", {
    author_email: "someone@gmail.com",
    project_urls: { Mirror: "https://user:s3cret@creds-lapsed.com/simple/" },
  }),
  // The link is on the maintainer domain, which is itself unregistered: one finding, not two.
  "link-same-lapsed": pkg("link-same-lapsed", {
    author_email: "dev@gone-example.com",
    home_page: "https://www.gone-example.com/",
  }),
  // A code host is never judged as a link, even when another package's address is there and
  // this world's registry has no record of it.
  "link-platform": pkg("link-platform", {
    author_email: "someone@gmail.com",
    project_urls: { Source: "https://github.com/example-org/link-platform" },
  }),
  "link-gh-maintainer": pkg("link-gh-maintainer", { author_email: "dev@github.com" }),
  "link-not-http": pkg("link-not-http", {
    author_email: "someone@gmail.com",
    project_urls: { Archive: "ftp://lapsed-ftp.com/pub/", Mail: "mailto:x@lapsed-mailto.com" },
  }),
};

const RDAP = {
  "mail-ok-a.com": registered("mail-ok-a.com"),
  "mail-ok-b.com": registered("mail-ok-b.com"),
  "mail-ok-c.com": registered("mail-ok-c.com"),
  "mail-ok-d.com": registered("mail-ok-d.com"),
  "own-mail.com": registered("own-mail.com"),
  "hosted-mail.com": registered("hosted-mail.com"),
  "no-mx.com": registered("no-mx.com"),
  "null-mx.com": registered("null-mx.com"),
  "servfail-mail.com": registered("servfail-mail.com"),
  // lapsed-mx.com, gone-example.com, lapsed-docs.com, creds-lapsed.com: 404 (not in the table)
  "expired-mx.com": {
    status: 200,
    body: registryAnswer(COM, "expired-mx.com", { status: ["redemption period"] }),
  },
  "grace-mx.com": { status: 200, body: graceAnswer("grace-mx.com") },
  "rereg-mx.com": {
    status: 200,
    body: registryAnswer(COM, "rereg-mx.com", { events: { registration: "2024-01-05T10:00:00Z" } }),
  },
  "healthy-site.com": registered("healthy-site.com"),
  "same-site.com": registered("same-site.com"),
  "example-tracker.com": registered("example-tracker.com"),
  "expired-site.com": {
    status: 200,
    body: registryAnswer(COM, "expired-site.com", { status: ["pending delete"] }),
  },
};

const MX = {
  "mail-ok-a.com": ["mx1.lapsed-mx.com", "mx2.mail-ok-a.com"],
  "mail-ok-b.com": ["mail.expired-mx.com"],
  "mail-ok-c.com": ["in.grace-mx.com"],
  "mail-ok-d.com": ["mx.rereg-mx.com"],
  "own-mail.com": ["mail.own-mail.com"],
  "hosted-mail.com": [
    "aspmx.l.google.com",
    "alt1.aspmx.l.google.com",
    "hosted-mail-com.mail.protection.outlook.com",
  ],
  "null-mx.com": ["."],
};

const pin = (name: string, line: number): Dependency => ({
  name,
  version: "1.0.0",
  file: "requirements.txt",
  line,
  format: "requirements",
  kind: "pypi",
});

const options = optionsFrom;

interface World {
  pypi: PypiServer;
  rdap: RdapServer;
  dns: DnsServer;
  dir: string;
  flags: Record<string, string>;
}

async function startWorld(extra: { failMx?: string[] } = {}): Promise<World> {
  const pypi = await startPypiServer(PACKAGES);
  const rdap = await startRdapServer(RDAP);
  const dns = await startDnsServer({
    delegated: [...Object.keys(RDAP)],
    mx: MX,
    ...(extra.failMx ? { failMx: extra.failMx } : {}),
  });
  const dir = await mkdtemp(join(tmpdir(), "mdg-mx-"));
  const bootstrapFile = join(dir, "dns.json");
  await writeFile(bootstrapFile, JSON.stringify(bootstrapFor({ com: `${rdap.url}/` })));
  return {
    pypi,
    rdap,
    dns,
    dir,
    flags: {
      "pypi-url": pypi.url,
      "rdap-bootstrap": bootstrapFile,
      "dns-server": dns.address,
      timeout: "4s",
      retries: "1",
      "max-retry-wait": "200ms",
    },
  };
}

async function closeWorld(w: World): Promise<void> {
  await Promise.all([w.pypi.close(), w.rdap.close(), w.dns.close()]);
  await rm(w.dir, { recursive: true, force: true });
}

function run(w: World, names: string[], flags: Record<string, string> = {}): Promise<Report> {
  const set: DependencySet = {
    root: w.dir,
    dependencies: names.map((n, i) => pin(n, i + 1)),
    lockfiles: [{ path: "requirements.txt", format: "requirements", count: names.length }],
    errors: [],
  };
  return scan(set, options({ ...w.flags, ...flags }), {
    now: () => NOW,
    transport: directTransport(),
  });
}

const rdapAsked = (w: World) => w.rdap.requests.map((r) => r.path.replace(/^.*\/domain\//, ""));
const of = (report: Report, name: string): Finding[] =>
  report.findings.filter((f) => f.package === name);

describe("mail servers (MX) of maintainer domains", () => {
  let world: World;
  let report: Report;
  const names = Object.keys(PACKAGES).filter((n) => n.startsWith("mx-"));

  beforeAll(async () => {
    world = await startWorld();
    report = await run(world, names);
  });
  afterAll(() => closeWorld(world));

  it("an MX host under an unregistered domain: mx-domain-lapsed, critical, naming host, domain and person", () => {
    const [f, ...rest] = of(report, "mx-lapsed");
    expect(rest).toEqual([]);
    expect(f).toMatchObject({
      kind: "mx-domain-lapsed",
      severity: "critical",
      failing: true,
      domain: "lapsed-mx.com",
      email: "jane@mail-ok-a.com",
      maintainerName: "Jane Roe",
      mx: { host: "mx1.lapsed-mx.com", maintainerDomain: "mail-ok-a.com" },
    });
    expect(f?.evidence).toContain("`mx1.lapsed-mx.com` as a mail server (MX) of `mail-ok-a.com`");
    expect(f?.evidence).toContain(
      "RDAP for `lapsed-mx.com` answered not found and DNS shows no delegation",
    );
  });

  it("an expired MX domain is critical; one only in grace or registered after the release is high", () => {
    expect(of(report, "mx-expired").map((f) => [f.kind, f.severity, f.domain])).toEqual([
      ["mx-domain-lapsed", "critical", "expired-mx.com"],
    ]);
    expect(of(report, "mx-expired")[0]?.maintainerName).toBe("Ops Team");
    expect(of(report, "mx-grace").map((f) => [f.kind, f.severity, f.domain])).toEqual([
      ["mx-domain-lapsed", "high", "grace-mx.com"],
    ]);
    expect(of(report, "mx-grace")[0]?.evidence).toContain("auto renew period");
    expect(of(report, "mx-rereg").map((f) => [f.kind, f.severity, f.domain])).toEqual([
      ["mx-domain-lapsed", "high", "rereg-mx.com"],
    ]);
    expect(of(report, "mx-rereg")[0]?.evidence).toContain("registered 2024-01-05");
  });

  it("MX hosts under the domain itself, at large providers, a null MX or none: no finding, no lookup", () => {
    for (const name of ["mx-own", "mx-provider", "mx-none", "mx-null"])
      expect(of(report, name)).toEqual([]);
    const asked = rdapAsked(world);
    for (const domain of ["google.com", "outlook.com", "protection.outlook.com"])
      expect(asked).not.toContain(domain);
    // The maintainer domain is looked up once, though its MX host is under it.
    expect(asked.filter((d) => d === "own-mail.com")).toHaveLength(1);
    const provider = report.domains.find((d) => d.domain === "hosted-mail.com");
    expect(provider?.mx).toEqual({
      status: "answered",
      hosts: [
        { host: "aspmx.l.google.com", domain: "google.com", skipped: "provider" },
        { host: "alt1.aspmx.l.google.com", domain: "google.com", skipped: "provider" },
        {
          host: "hosted-mail-com.mail.protection.outlook.com",
          domain: "outlook.com",
          skipped: "provider",
        },
      ],
    });
    expect(report.domains.find((d) => d.domain === "null-mx.com")?.mx).toEqual({
      status: "answered",
      hosts: [{ host: ".", skipped: "null-mx" }],
    });
    expect(report.domains.find((d) => d.domain === "no-mx.com")?.mx).toEqual({
      status: "answered",
      hosts: [],
    });
  });

  it("a maintainer domain that is itself unregistered gets its own finding, and no MX query", () => {
    expect(of(report, "mx-of-lapsed").map((f) => f.kind)).toEqual(["domain-unregistered"]);
    expect(world.dns.queries).not.toContain("MX gone-example.com");
    expect(world.dns.queries).toContain("NS gone-example.com");
  });

  it("asks DNS once per maintainer domain that takes mail, and counts the queries and coverage", () => {
    const mx = world.dns.queries.filter((q) => q.startsWith("MX ")).sort();
    expect(mx).toEqual(
      [
        "mail-ok-a.com",
        "mail-ok-b.com",
        "mail-ok-c.com",
        "mail-ok-d.com",
        "own-mail.com",
        "hosted-mail.com",
        "no-mx.com",
        "null-mx.com",
      ]
        .map((d) => `MX ${d}`)
        .sort(),
    );
    expect(report.stats.requests.mx).toBe(8);
    expect(report.stats.requests.dns).toBe(world.dns.queries.length);
    expect(report.coverage?.mx).toEqual({ checked: 8, total: 8 });
    // The MX domains count among the domains looked at (and in coverage's lower bound).
    expect(report.domains.map((d) => d.domain)).toEqual(
      expect.arrayContaining(["lapsed-mx.com", "expired-mx.com", "grace-mx.com", "rereg-mx.com"]),
    );
    expect(report.coverage?.domains.total).toBe(report.domains.length);
    expect(report.coverage?.shortfall).toBeUndefined();
  });

  it("the verdict cache never stores the mail servers with a verdict", async () => {
    const stored: unknown[] = [];
    await scan(
      {
        root: world.dir,
        dependencies: [pin("mx-lapsed", 1)],
        lockfiles: [],
        errors: [],
      },
      options(world.flags),
      {
        now: () => NOW,
        transport: directTransport(),
        cache: {
          getVerdict: () => undefined,
          putVerdict: (v) => stored.push(v),
          getPackage: () => undefined,
          putPackage: () => {},
        },
      },
    );
    expect(stored.length).toBeGreaterThan(0);
    for (const v of stored) expect(v).not.toHaveProperty("mx");
  });
});

describe("a failed MX lookup", () => {
  let world: World;
  beforeAll(async () => {
    world = await startWorld({ failMx: ["mail-ok-a.com"] });
  });
  afterAll(() => closeWorld(world));

  it("is lookup-failed (info, never a lapse); it counts in coverage, and when too much is unchecked the run fails (exit 3)", async () => {
    const report = await run(world, ["mx-lapsed"]);
    expect(report.findings).toMatchObject([
      {
        kind: "lookup-failed",
        severity: "info",
        package: "mx-lapsed",
        failing: false,
        message:
          "The mail servers (MX) of `mx-lapsed` 1.0.0's maintainer e-mail domain `mail-ok-a.com` could not be looked up, so the domains they sit under were not checked.",
      },
    ]);
    // Not a verdict on the maintainer domain, which was checked.
    expect(report.findings[0]!.domain).toBeUndefined();
    expect(report.findings[0]!.evidence).toContain(
      "the DNS query for the MX records of `mail-ok-a.com` failed",
    );
    expect(report.domains.find((d) => d.domain === "mail-ok-a.com")?.mx).toMatchObject({
      status: "failed",
      errorCode: "dns-eservfail",
    });
    expect(rdapAsked(world)).not.toContain("lapsed-mx.com");
    expect(report.coverage?.mx).toEqual({ checked: 0, total: 1 });
    expect(report.coverage?.shortfall).toContain("the mail servers of 0 of 1 domains");
    expect(report.coverage?.shortfall).toContain("SERVFAIL");
    expect(exitCodeOf(report, { minCoverage: 0.9 })).toBe(3);
    // The terminal and the summary list it under "Not checked", with the package it concerns.
    const table = renderTable(report);
    expect(table).toContain("Not checked");
    expect(table).toMatch(
      /^ {2}domain +mail-ok-a\.com +mail servers \(MX\) not looked up: dns-eservfail: .*\(mx-lapsed\)$/m,
    );
    const markdown = renderMarkdown(report, { maxLength: 65_536 });
    expect(markdown).toContain("### Not checked");
    expect(markdown).toMatch(
      /^\| domain `mail-ok-a\.com` \| mail servers \\\(MX\\\) not looked up: dns-eservfail: .* \| `mx-lapsed` \|$/m,
    );
    // Listed once, not a second time for the finding.
    expect(table.match(/mail-ok-a\.com/g)?.length).toBe(1);
  });

  it("with on-lookup-error: fail, a failed MX query fails the run (exit 1)", async () => {
    const report = await run(world, ["mx-lapsed"], {
      "on-lookup-error": "fail",
      "min-coverage": "0",
    });
    expect(report.findings.map((f) => [f.kind, f.failing])).toEqual([["lookup-failed", true]]);
    expect(exitCodeOf(report, { minCoverage: 0 })).toBe(1);
  });

  it("a DNS server that does not answer: the same, within the DNS budget", async () => {
    const silent = await startDnsServer({ delegated: [], silent: true });
    try {
      const report = await run(world, ["mx-lapsed"], {
        "dns-server": silent.address,
        timeout: "1s",
      });
      expect(report.findings.map((f) => [f.kind, f.severity, f.failing])).toEqual([
        ["lookup-failed", "info", false],
      ]);
      expect(report.coverage?.mx).toEqual({ checked: 0, total: 1 });
      expect(report.domains.find((d) => d.domain === "mail-ok-a.com")?.mx).toMatchObject({
        status: "failed",
        errorCode: "dns-etimeout",
      });
      expect(exitCodeOf(report, { minCoverage: 0.9 })).toBe(3);
    } finally {
      await silent.close();
    }
  });

  it("a deadline that ends the scan before DNS answers: not looked up, counted, never green", async () => {
    const silent = await startDnsServer({ delegated: [], silent: true });
    try {
      const report = await run(world, ["mx-lapsed"], {
        "dns-server": silent.address,
        deadline: "1500ms",
        timeout: "5s",
      });
      expect(report.stats.deadlineReached).toBe(true);
      expect(report.domains.find((d) => d.domain === "mail-ok-a.com")?.mx).toMatchObject({
        status: "failed",
        error: "deadline reached",
      });
      expect(report.coverage?.mx).toEqual({ checked: 0, total: 1 });
      expect(report.findings.map((f) => [f.kind, f.failing])).toEqual([["lookup-failed", false]]);
      expect(exitCodeOf(report, { minCoverage: 0.9 })).toBe(3);
    } finally {
      await silent.close();
    }
  });

  it("check-mx: false asks nothing and judges nothing about mail servers", async () => {
    const before = world.dns.queries.length;
    const report = await run(world, ["mx-lapsed"], { "check-mx": "false" });
    expect(world.dns.queries.slice(before).filter((q) => q.startsWith("MX "))).toEqual([]);
    expect(report.coverage?.mx).toBeUndefined();
    expect(report.stats.requests.mx).toBe(0);
    expect(report.findings).toEqual([]);
  });
});

describe("project links", () => {
  let world: World;
  let report: Report;
  const names = Object.keys(PACKAGES).filter((n) => n.startsWith("link-"));

  beforeAll(async () => {
    world = await startWorld();
    report = await run(world, names);
  });
  afterAll(() => closeWorld(world));

  it("a link on an unregistered domain: project-url-domain-lapsed, medium, with its label and URL", () => {
    expect(of(report, "link-lapsed")).toEqual([
      expect.objectContaining({
        kind: "project-url-domain-lapsed",
        severity: "medium",
        failing: false, // below the default fail-on (high)
        domain: "lapsed-docs.com",
        link: { label: "Documentation", url: "https://docs.lapsed-docs.com/en/latest/" },
        tracker: "https://github.com/example-org/link-lapsed/issues",
      }),
    ]);
    expect(of(report, "link-lapsed")[0]?.evidence).toContain(
      "RDAP for `lapsed-docs.com` answered not found",
    );
  });

  it("an expired link domain too; the tracker is the link labelled as one", () => {
    expect(of(report, "link-expired")).toEqual([
      expect.objectContaining({
        kind: "project-url-domain-lapsed",
        domain: "expired-site.com",
        link: {
          label: "Download",
          url: "http://downloads.expired-site.com/link-expired-1.0.tar.gz",
        },
        tracker: "https://bugs.example-tracker.com/link-expired",
      }),
    ]);
  });

  it("credentials in a link are never repeated", () => {
    const [f] = of(report, "link-creds");
    expect(f?.link?.url).toBe("https://creds-lapsed.com/simple/");
    expect(JSON.stringify(report)).not.toContain("s3cret");
  });

  it("healthy links, code hosts, non-http links and a maintainer domain's link: no finding, no extra lookup", () => {
    for (const name of ["link-healthy", "link-same", "link-not-http", "link-platform"])
      expect(of(report, name)).toEqual([]);
    expect(of(report, "link-same-lapsed").map((f) => f.kind)).toEqual(["domain-unregistered"]);
    expect(of(report, "link-gh-maintainer").map((f) => f.kind)).toEqual(["domain-unregistered"]);
    const asked = rdapAsked(world);
    expect(asked.filter((d) => d === "github.com")).toHaveLength(1); // the address, not the links
    expect(asked).not.toContain("lapsed-ftp.com");
    expect(asked).not.toContain("lapsed-mailto.com");
    expect(asked.filter((d) => d === "same-site.com")).toHaveLength(1);
    expect(asked).toContain("healthy-site.com");
  });

  it("a failed link lookup is lookup-failed, never a lapse; it counts among the domains not checked, and fails the run with on-lookup-error: fail", async () => {
    const broken = await startRdapServer({
      "lapsed-docs.com": { status: 503, body: "maintenance" },
    });
    const dir = await mkdtemp(join(tmpdir(), "mdg-links-"));
    try {
      const bootstrap = join(dir, "dns.json");
      await writeFile(bootstrap, JSON.stringify(bootstrapFor({ com: `${broken.url}/` })));
      const r = await run(world, ["link-lapsed"], { "rdap-bootstrap": bootstrap });
      expect(r.findings).toMatchObject([
        {
          kind: "lookup-failed",
          severity: "info",
          failing: false,
          domain: "lapsed-docs.com",
          link: { label: "Documentation", url: "https://docs.lapsed-docs.com/en/latest/" },
          message:
            "A project link of `link-lapsed` 1.0.0 (`Documentation`) points at `lapsed-docs.com`, which could not be checked.",
        },
      ]);
      expect(r.coverage?.domains).toMatchObject({ checked: 0, total: 1 });
      expect(r.coverage?.shortfall).toContain("0 of 1 domains");
      const failing = await run(world, ["link-lapsed"], {
        "rdap-bootstrap": bootstrap,
        "on-lookup-error": "fail",
        "min-coverage": "0",
      });
      expect(failing.findings.map((f) => [f.kind, f.failing])).toEqual([["lookup-failed", true]]);
      expect(exitCodeOf(failing, { minCoverage: 0 })).toBe(1);
    } finally {
      await broken.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("metadata from the cache file keeps the links, the names and the tracker", async () => {
    const file = join(world.dir, "cache.json");
    const set: DependencySet = {
      root: world.dir,
      dependencies: [pin("link-lapsed", 1)],
      lockfiles: [],
      errors: [],
    };
    const once = async () => {
      const cache = await openCache(file, { maxAgeMs: 86_400_000, log: () => {}, scope: SCOPE });
      const r = await scan(set, options(world.flags), {
        now: () => NOW,
        transport: directTransport(),
        cache,
      });
      await cache.save();
      return r;
    };
    const cold = await once();
    const warm = await once();
    expect(warm.stats.cache.metadataHits).toBe(1);
    const pick = (r: Report) => r.findings.map((f) => [f.kind, f.domain, f.link?.label, f.tracker]);
    expect(pick(warm)).toEqual(pick(cold));
    expect(pick(warm)).toEqual([
      [
        "project-url-domain-lapsed",
        "lapsed-docs.com",
        "Documentation",
        "https://github.com/example-org/link-lapsed/issues",
      ],
    ]);
  });

  it("check-project-urls: false looks up no link domain", async () => {
    const before = world.rdap.requests.length;
    const r = await run(world, ["link-lapsed", "link-expired"], { "check-project-urls": "false" });
    expect(world.rdap.requests.length).toBe(before);
    expect(r.findings).toEqual([]);
  });
});

/**
 * One loopback world for end-to-end scan tests: a PyPI index, an RDAP registry for .com and
 * .org, a bootstrap file mapping those two real TLDs to it, and a DNS responder. Each package
 * is a scenario: a real fixture (or a real fixture with chosen `author_email` /
 * `maintainer_email`) whose maintainer domain has one registry state or one failure mode.
 *
 * Synthetic registry states (redemption period, pending delete, client hold, a late
 * registration, an expiry within the warning window) are built by editing a real captured
 * answer's `ldhName`, `status` and `events` in code; nothing in test/fixtures is changed.
 *
 * The clock is pinned to NOW (the capture date of the Verisign .com answer): the real answers
 * describe domains registered far from expiry on that date.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { resolveOptions, type Options, type RawValue } from "../../src/options/options.js";
import { startDnsServer, type DnsServer } from "./dns.js";
import { pypiFixture, startPypiServer, withInfo, type PypiServer } from "./pypi.js";
import {
  bootstrapFor,
  fixtureJson,
  startRdapServer,
  type RdapRoute,
  type RdapServer,
} from "./rdap.js";

export const NOW = new Date("2024-07-29T12:00:00Z");

const COM = "verisign-com-google.com-related-registrar.json";
const ORG = "pir-org-iana.org-related-registrar.json";

type Event = { eventAction: string; eventDate: string };

/** A real registry answer re-addressed to `domain`, with chosen statuses and events. */
export function registryAnswer(
  file: string,
  domain: string,
  edit: { status?: string[]; events?: Record<string, string> } = {},
): object {
  const doc = fixtureJson(file);
  doc.ldhName = domain.toUpperCase();
  if (edit.status) doc.status = edit.status;
  if (edit.events) {
    const events = (doc.events as Event[]).map((e) => ({ ...e }));
    for (const [action, date] of Object.entries(edit.events)) {
      const found = events.find((e) => e.eventAction === action);
      if (found) found.eventDate = date;
      else events.push({ eventAction: action, eventDate: date });
    }
    doc.events = events;
  }
  return doc;
}

const ok = (body: object): RdapRoute => ({ status: 200, body });
const wheel = pypiFixture("wheel-0.40.0.json");
/** The wheel 0.40.0 answer (uploaded 2023-03-14) with other maintainers. */
export const maintainedBy = (name: string, info: Record<string, unknown>) =>
  withInfo(wheel, {
    name,
    author: "",
    maintainer: "",
    author_email: "",
    maintainer_email: "",
    ...info,
  });

/** Package -> its PyPI answer. Comments say which address-list shape and which domain state. */
export const PACKAGES = {
  // Name and angle address; registered far from expiry (the real Verisign answer).
  "clean-pkg": maintainedBy("clean-pkg", { author_email: "Google Dev <dev@google.com>" }),
  // Quoted display name containing a comma; RDAP 404 (empty body, as Verisign) and no NS.
  "lapsed-pkg": maintainedBy("lapsed-pkg", {
    author_email: '"Doe, Jane" <jane@lapsed-example.com>',
  }),
  // Bare address; redemption period.
  "expired-pkg": maintainedBy("expired-pkg", { maintainer_email: "ops@expired-example.com" }),
  // Two comma-separated mailboxes, one at a provider; .org in pendingDelete (camel case).
  "pending-pkg": maintainedBy("pending-pkg", {
    maintainer_email: "Ann <ann@pending-example.org>, Bob <bob.dev@gmail.com>",
  }),
  // Registered after the latest release (2023-03-14).
  "rereg-pkg": maintainedBy("rereg-pkg", { author_email: "x@rereg-example.com" }),
  // Non-ASCII display name; client hold.
  "hold-pkg": maintainedBy("hold-pkg", { author_email: "Jörg Müller <joerg@hold-example.com>" }),
  // Expires 12 days after NOW.
  "expiring-pkg": maintainedBy("expiring-pkg", { author_email: "e@expiring-example.com" }),
  // Two packages sharing one domain (one via a subdomain, one via `author`): one lookup.
  "shared-a": maintainedBy("shared-a", { author: "Team <team@shared-example.com>" }),
  "shared-b": maintainedBy("shared-b", { author_email: "dev@mail.shared-example.com" }),
  // 429 with Retry-After, then the answer.
  "ratelimited-pkg": maintainedBy("ratelimited-pkg", { author_email: "r@busy-example.com" }),
  // 500 on every attempt.
  "flaky-pkg": maintainedBy("flaky-pkg", { author_email: "f@flaky-example.com" }),
  // Never answers within the timeout.
  "slow-pkg": maintainedBy("slow-pkg", { author_email: "s@slow-example.com" }),
  // 200 with a body that is not JSON.
  "garbled-pkg": maintainedBy("garbled-pkg", { author_email: "g@garbled-example.com" }),
  // 404 while DNS shows a delegation.
  "delegated-pkg": maintainedBy("delegated-pkg", { author_email: "d@delegated-example.com" }),
  // The real wheel answer: a provider (fastmail.fm) and .fi, which the bootstrap lacks.
  wheel,
  // The real twisted answer: two addresses at twistedmatrix.com (one lookup, registered).
  twisted: pypiFixture("twisted-18.9.0.json"),
  // The real discord.py answer: no address at all.
  "discord-py": pypiFixture("discord-py-2.0.0.json"),
  // An IP-literal host: reported, never looked up.
  "iplit-pkg": maintainedBy("iplit-pkg", { author_email: "root@[10.0.0.1]" }),
};

/** What the index answers for packages that are not plain bodies. */
export const BROKEN_PACKAGES = {
  // The index answers 200 with a truncated JSON document.
  "broken-meta": { status: 200, body: '{"info": {"author_email": "a@b.com"' },
};

export const RDAP_ROUTES: Record<string, RdapRoute> = {
  "google.com": ok(fixtureJson(COM)),
  "twistedmatrix.com": ok(registryAnswer(COM, "twistedmatrix.com")),
  "expired-example.com": ok(
    registryAnswer(COM, "expired-example.com", { status: ["redemption period"] }),
  ),
  "pending-example.org": ok(
    registryAnswer(ORG, "pending-example.org", { status: ["pendingDelete"] }),
  ),
  "rereg-example.com": ok(
    registryAnswer(COM, "rereg-example.com", { events: { registration: "2024-01-05T10:00:00Z" } }),
  ),
  "hold-example.com": ok(registryAnswer(COM, "hold-example.com", { status: ["client hold"] })),
  "expiring-example.com": ok(
    registryAnswer(COM, "expiring-example.com", { events: { expiration: "2024-08-10T04:00:00Z" } }),
  ),
  "shared-example.com": ok(registryAnswer(COM, "shared-example.com")),
  "busy-example.com": (n) =>
    n === 0
      ? { status: 429, headers: { "retry-after": "1" }, body: "" }
      : { status: 200, body: registryAnswer(COM, "busy-example.com") },
  "flaky-example.com": { status: 500, body: "internal error" },
  "slow-example.com": {
    status: 200,
    body: registryAnswer(COM, "slow-example.com"),
    delayMs: 15_000,
  },
  "garbled-example.com": { status: 200, body: "{not json" },
  // lapsed-example.com and delegated-example.com: not in the table, so 404 with an empty body.
};

/** Every domain a scan of PACKAGES may ask RDAP about (gmail.com, fastmail.fm, nextday.fi never). */
export const DNS_DELEGATED = ["delegated-example.com"];

export interface World {
  pypi: PypiServer;
  rdap: RdapServer;
  dns: DnsServer;
  dir: string;
  bootstrapFile: string;
  /** Request paths the RDAP server saw, with counts. */
  rdapCounts(): Record<string, number>;
  /** Request paths the PyPI server saw, with counts. */
  pypiCounts(): Record<string, number>;
  close(): Promise<void>;
}

function countPaths(paths: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of paths) out[p] = (out[p] ?? 0) + 1;
  return out;
}

export async function startWorld(): Promise<World> {
  const pypi = await startPypiServer({ ...PACKAGES, ...BROKEN_PACKAGES });
  const rdap = await startRdapServer(RDAP_ROUTES);
  const dns = await startDnsServer({ delegated: DNS_DELEGATED });
  const dir = await mkdtemp(join(tmpdir(), "mdg-scan-"));
  const bootstrapFile = join(dir, "dns.json");
  await writeFile(
    bootstrapFile,
    JSON.stringify(bootstrapFor({ com: `${rdap.url}/`, org: `${rdap.url}/` })),
  );
  return {
    pypi,
    rdap,
    dns,
    dir,
    bootstrapFile,
    rdapCounts: () => countPaths(rdap.requests.map((r) => r.path)),
    pypiCounts: () => countPaths(pypi.requests.map((r) => r.path)),
    close: async () => {
      await Promise.all([pypi.close(), rdap.close(), dns.close()]);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Options from flags, as the CLI resolves them. */
export function optionsFrom(flags: Record<string, string>): Options {
  const layer: Record<string, RawValue> = {};
  for (const [k, v] of Object.entries(flags)) layer[k] = { value: v, source: "flag" };
  return resolveOptions([layer]);
}

/** Flags that point a scan at the world, with short timeouts and waits. */
export function worldFlags(world: World): Record<string, string> {
  return {
    "pypi-url": world.pypi.url,
    "rdap-bootstrap": world.bootstrapFile,
    "dns-server": world.dns.address,
    // Generous for loopback on a busy machine; slow-example.com waits longer than this.
    timeout: "4s",
    retries: "1",
    "max-retry-wait": "200ms",
  };
}

/** The finding each scenario package must produce (kind per package, most severe first). */
export const EXPECTED_KINDS: Record<string, string[]> = {
  "clean-pkg": [],
  "lapsed-pkg": ["domain-unregistered"],
  "expired-pkg": ["domain-expired"],
  "pending-pkg": ["domain-expired"],
  "rereg-pkg": ["domain-reregistered"],
  "hold-pkg": ["domain-on-hold"],
  "expiring-pkg": ["domain-expiring"],
  "shared-a": [],
  "shared-b": [],
  "ratelimited-pkg": [],
  "flaky-pkg": ["lookup-failed"],
  "slow-pkg": ["lookup-failed"],
  "garbled-pkg": ["lookup-failed"],
  "delegated-pkg": ["lookup-failed"],
  wheel: ["lookup-failed"],
  twisted: [],
  "discord-py": ["no-maintainer-email"],
  "iplit-pkg": ["lookup-failed"],
  "broken-meta": ["lookup-failed"],
  "missing-pkg": ["package-not-found"],
};

/** Packages whose lookups fail in some way: none of them may carry a domain finding. */
export const FAILURE_PACKAGES = [
  "flaky-pkg",
  "slow-pkg",
  "garbled-pkg",
  "delegated-pkg",
  "wheel",
  "iplit-pkg",
  "broken-meta",
  "missing-pkg",
];

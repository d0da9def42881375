// E-mail hosts come from PyPI metadata an attacker controls. A host must be validated (LDH
// labels, length, a public suffix, no IP literal) and reduced to its registrable domain before
// any DNS or RDAP request: no path, query, traversal or internal host may reach a URL or a query.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rdapBody, startHostileWorld, type HostileWorld } from "./harness.js";

const HOSTILE_ADDRESSES = [
  "a@evil-host.com/../x",
  "b@evil-host.com%2F..%2Fadmin",
  "c@evil-host.com?x=1",
  "d@evil-host.com#frag",
  "e@127.0.0.1",
  "f@[127.0.0.1]",
  "g@[IPv6:::1]",
  "h@localhost",
  "i@-bad-.com",
  "j@evil..com",
  `k@${"a".repeat(64)}.com`,
  `l@${Array.from({ length: 60 }, () => "abcd").join(".")}.com`,
  "m@exa mple.com",
  "n@metadata.google.internal",
  "o@169.254.169.254",
  "p@evil-host.com:8080",
  "q@xn--.com",
  "r@under_score.com",
];

let world: HostileWorld;

beforeAll(async () => {
  world = await startHostileWorld({
    files: { "requirements.txt": "host-victim==1.0.0\nhost-victim-two==1.0.0\n" },
    packages: {
      "host-victim": {
        name: "host-victim",
        author_email: [...HOSTILE_ADDRESSES, "ok@good-host.com"].join(", "),
      },
      "host-victim-two": {
        name: "host-victim-two",
        author_email: "Jürgen <j@bücher-hostile.com>",
        maintainer_email: HOSTILE_ADDRESSES.slice(0, 6).join(", "),
      },
    },
    domains: { "good-host.com": rdapBody("good-host.com", ["active"]) },
  });
});

afterAll(async () => {
  await world?.close();
});

/** A registrable domain as an RDAP query may carry it: ASCII LDH labels, a dot, no traversal. */
const SAFE_DOMAIN = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}$/;

describe("e-mail hosts from hostile metadata", () => {
  it("only valid registrable domains reach RDAP and DNS", async () => {
    const { code, stderr } = await world.run("json");
    expect(code, stderr).not.toBe(2);
    const rdapDomains = world.rdap.requests.map((r) => r.path.replace(/^\/domain\//, ""));
    // The valid hosts were looked up (so the check is not vacuous), the IDN as punycode ...
    expect(rdapDomains).toEqual(
      expect.arrayContaining(["good-host.com", "xn--bcher-hostile-wob.com"]),
    );
    // ... and every request is a plain domain query.
    for (const request of world.rdap.requests) {
      expect(request.path).toMatch(/^\/domain\/[^/?#%]+$/);
      const domain = request.path.replace(/^\/domain\//, "");
      expect(domain).toMatch(SAFE_DOMAIN);
      expect(domain).not.toMatch(/\.\.|^127\.|^169\.254\.|localhost|internal$/);
    }
    for (const query of world.dns.queries) {
      const name = query.replace(/^\S+ /, "");
      expect(name).toMatch(SAFE_DOMAIN);
    }
  });

  it("refused hosts are reported as not checked, not dropped", async () => {
    const { stdout } = await world.run("json");
    const report = JSON.parse(stdout) as {
      findings: { kind: string; package: string; email?: string }[];
    };
    const refused = report.findings.filter(
      (f) => f.kind === "lookup-failed" && f.package === "host-victim",
    );
    expect(refused.length).toBeGreaterThan(0);
  });
});

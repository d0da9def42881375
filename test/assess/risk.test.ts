import { describe, expect, it } from "vitest";
import { EXIT_CLEAN, EXIT_FINDINGS } from "../../src/codes.js";
import { defaultOptions } from "../../src/options/options.js";
import { applyPolicy, assess, exitCodeFor } from "../../src/assess/risk.js";
import type { Dependency, DomainVerdict, Finding, PackageMeta, Report } from "../../src/types.js";

const NOW = new Date("2026-03-23T12:00:00Z");

const dep = (name: string, file: string, line: number, version = "1.0.0"): Dependency => ({
  name,
  version,
  file,
  line,
  format: "requirements",
  kind: "pypi",
});

const meta = (
  name: string,
  domain: string,
  lastReleaseAt = "2024-01-10T00:00:00Z",
): PackageMeta => ({
  name,
  status: "ok",
  latestVersion: "1.0.0",
  lastReleaseAt,
  emails: [{ address: `dev@${domain}`, field: "maintainer_email", domain }],
});

const verdict = (domain: string, fields: Partial<DomainVerdict>): DomainVerdict => ({
  domain,
  state: "registered",
  statuses: ["active"],
  created: "2001-05-01T00:00:00Z",
  expires: "2030-05-01T00:00:00Z",
  source: "rdap",
  checkedAt: NOW.toISOString(),
  ...fields,
});

function run(
  m: PackageMeta,
  v: DomainVerdict | undefined,
  deps = [dep(m.name, "requirements.txt", 3)],
) {
  return assess({
    dependencies: deps,
    packages: new Map([[m.name, m]]),
    verdicts: new Map(v ? [[v.domain, v]] : []),
    now: NOW,
    expiryWarningDays: 30,
  });
}

describe("assess: the state of the domain decides the finding", () => {
  it.each<[string, Partial<DomainVerdict>, string | undefined]>([
    ["registered far from expiry", {}, undefined],
    [
      "404 from the registry, no DNS delegation",
      { state: "unregistered", statuses: [], dns: "no-delegation" },
      "domain-unregistered",
    ],
    ["expiration date in the past", { expires: "2026-01-14T00:00:00Z" }, "domain-expired"],
    [
      "redemption period (rdapper keeps isRegistered)",
      { statuses: ["redemption period"] },
      "domain-expired",
    ],
    ["pendingDelete spelled camel-case", { statuses: ["pendingDelete"] }, "domain-expired"],
    [
      "expired state from the checker",
      { state: "expired", statuses: ["pending delete"] },
      "domain-expired",
    ],
    ["client hold", { state: "on-hold", statuses: ["client hold"] }, "domain-on-hold"],
    [
      "created after the latest release",
      { created: "2025-02-01T00:00:00Z" },
      "domain-reregistered",
    ],
    [
      "reregistration event after the release",
      { reregistered: "2025-06-01T00:00:00Z" },
      "domain-reregistered",
    ],
    ["expires in 10 days", { expires: "2026-04-02T00:00:00Z" }, "domain-expiring"],
    ["expires in 40 days (outside the window)", { expires: "2026-05-02T00:00:00Z" }, undefined],
    ["no expiration event (.no)", { expires: undefined }, undefined],
    [
      "an expiration that is not a date: not judged",
      { expires: undefined, unreadableExpiry: "2028-09-14 04:00 UTC" },
      "lookup-failed",
    ],
    [
      "an expiration that is not a date, registered after the release: the change of hands counts",
      {
        expires: undefined,
        unreadableExpiry: "2028-09-14 04:00 UTC",
        created: "2025-02-01T00:00:00Z",
      },
      "domain-reregistered",
    ],
    [
      "unknown: TLD has no RDAP",
      { state: "unknown", statuses: [], error: "no RDAP server for .io", errorCode: "no-rdap" },
      "lookup-failed",
    ],
    [
      "unknown: DNS contradicts 404",
      {
        state: "unknown",
        statuses: [],
        error: "RDAP says not found but DNS delegation exists",
        errorCode: "dns-contradicts",
      },
      "lookup-failed",
    ],
  ])("%s", (_case, fields, kind) => {
    const findings = run(meta("pkg", "example.com"), verdict("example.com", fields));
    expect(findings.map((f) => f.kind)).toEqual(kind ? [kind] : []);
  });

  it("the most severe state wins: expired and re-registered and expiring is one domain-expired", () => {
    const findings = run(
      meta("pkg", "example.com"),
      verdict("example.com", {
        created: "2025-02-01T00:00:00Z",
        statuses: ["redemption period"],
        expires: "2026-03-30T00:00:00Z",
      }),
    );
    expect(findings.map((f) => [f.kind, f.severity])).toEqual([["domain-expired", "critical"]]);
  });

  it("re-registered beats on-hold (high before medium)", () => {
    const findings = run(
      meta("pkg", "example.com"),
      verdict("example.com", {
        state: "on-hold",
        statuses: ["client hold"],
        created: "2025-02-01T00:00:00Z",
      }),
    );
    expect(findings.map((f) => f.kind)).toEqual(["domain-reregistered"]);
  });

  describe("assess: grace and transfers (NOW is 2026-03-23, last release 2024-01-10)", () => {
    it.each<[string, Partial<DomainVerdict>, string[]]>([
      [
        "auto renew period: grace, and it beats re-registered and on-hold",
        {
          statuses: ["auto renew period", "client hold"],
          expires: "2027-03-01T00:00:00Z",
          created: "2025-02-01T00:00:00Z",
        },
        ["domain-grace"],
      ],
      [
        "transfer after the last upload",
        { transferred: "2025-09-01T00:00:00Z" },
        ["domain-transferred"],
      ],
      ["transfer before the last upload", { transferred: "2023-09-01T00:00:00Z" }, []],
      [
        "re-registered beats transferred (high before medium)",
        { created: "2025-02-01T00:00:00Z", transferred: "2025-09-01T00:00:00Z" },
        ["domain-reregistered"],
      ],
      [
        "transferred beats on hold (a possible new holder before a bounce)",
        { state: "on-hold", statuses: ["client hold"], transferred: "2025-09-01T00:00:00Z" },
        ["domain-transferred"],
      ],
      [
        "transferred beats expiring",
        { expires: "2026-04-02T00:00:00Z", transferred: "2025-09-01T00:00:00Z" },
        ["domain-transferred"],
      ],
      [
        "a status the vocabulary does not know, alone: nothing",
        { statuses: ["server recover prohibited"] },
        [],
      ],
    ])("%s", (_case, fields, kinds) => {
      const findings = run(meta("pkg", "example.com"), verdict("example.com", fields));
      expect(findings.map((f) => f.kind)).toEqual(kinds);
    });

    it("a transfer is held against the latest upload too: files uploaded after it say the maintainers still had the account", () => {
      // The latest release (1.0.0) was first uploaded 2024-01-10; a pre-release 2.0rc1 on 2026-01-05.
      const uploaded = {
        ...meta("pkg", "example.com"),
        lastUploadAt: "2026-01-05T00:00:00Z",
        lastUploadVersion: "2.0rc1",
      };
      expect(
        run(uploaded, verdict("example.com", { transferred: "2025-09-01T00:00:00Z" })),
      ).toEqual([]);
      const after = run(uploaded, verdict("example.com", { transferred: "2026-02-01T00:00:00Z" }));
      expect(after.map((f) => f.kind)).toEqual(["domain-transferred"]);
      expect(after[0]!.evidence).toBe(
        "`maintainer_email` is `dev@example.com`; RDAP for `example.com` reports a transfer 2026-02-01, after the latest file upload (release 2.0rc1; the latest release is 1.0.0) on 2026-01-05.",
      );
    });

    it("names the anniversary and the registrar's failure in the grace evidence", () => {
      const [f] = run(
        meta("pkg", "example.com"),
        verdict("example.com", {
          statuses: ["auto renew period"],
          expires: "2027-03-01T00:00:00Z",
          registrar: {
            url: "https://rdap.registrar.example/domain/example.com",
            errorCode: "timeout",
            error: "timed out after 10 s",
          },
        }),
      );
      expect(f?.kind).toBe("domain-grace");
      expect(f?.evidence).toBe(
        "`maintainer_email` is `dev@example.com`; RDAP for `example.com` reports status auto renew period; the registration reached its anniversary on 2026-03-01 and the registry moved the expiry to 2027-03-01, paid or not; an unpaid name goes around 2026-04-15; the registrar's record was not used (rdap.registrar.example): timed out after 10 s.",
      );
    });

    it("an anniversary 22 days ago and a registrar term that ended: domain-expired, saying both", () => {
      const [f] = run(
        meta("pkg", "example.com"),
        verdict("example.com", {
          expires: "2027-03-01T00:00:00Z",
          registrar: { url: "https://rdap.registrar.example/d", expires: "2026-03-01T00:00:00Z" },
        }),
      );
      expect(f?.kind).toBe("domain-expired");
      expect(f?.evidence).toContain(
        "reports expiry 2027-03-01, a year on from the anniversary 2026-03-01, and the registrar's record (rdap.registrar.example) says the registrar's term ended 2026-03-01",
      );
    });

    it("a stored registrar record of the wrong shape does not break the evidence", () => {
      const [f] = run(
        meta("pkg", "example.com"),
        verdict("example.com", {
          statuses: ["auto renew period"],
          expires: "2027-03-01T00:00:00Z",
          registrar: { url: 7 as unknown as string, errorCode: "timeout" },
        }),
      );
      expect(f?.kind).toBe("domain-grace");
      expect(f?.evidence).toContain("was not used (7)");
    });
  });

  it("a missing verdict (deadline) is lookup-failed, never a domain state", () => {
    expect(run(meta("pkg", "example.com"), undefined).map((f) => f.kind)).toEqual([
      "lookup-failed",
    ]);
  });

  it("one finding per lockfile line that pins the package, each at its file and line", () => {
    const deps = [
      dep("pkg", "requirements.txt", 3),
      dep("pkg", "poetry.lock", 41),
      dep("other", "poetry.lock", 7),
    ];
    const findings = run(
      meta("pkg", "example.com"),
      verdict("example.com", { expires: "2026-01-14T00:00:00Z" }),
      deps,
    );
    expect(findings.map((f) => [f.kind, f.package, f.file, f.line])).toEqual([
      ["domain-expired", "pkg", "poetry.lock", 41],
      ["domain-expired", "pkg", "requirements.txt", 3],
      // `other` has no metadata at all: not fetched.
      ["lookup-failed", "other", "poetry.lock", 7],
    ]);
  });

  it("two addresses at one domain give one finding; two domains give two", () => {
    const m: PackageMeta = {
      ...meta("pkg", "a.com"),
      emails: [
        { address: "x@a.com", field: "author_email", domain: "a.com" },
        { address: "y@mail.a.com", field: "maintainer_email", domain: "a.com" },
        { address: "z@b.com", field: "maintainer_email", domain: "b.com" },
        {
          address: "me@gmail.com",
          field: "maintainer_email",
          domain: "gmail.com",
          skipped: "provider",
        },
      ],
    };
    const findings = assess({
      dependencies: [dep("pkg", "requirements.txt", 1)],
      packages: new Map([["pkg", m]]),
      verdicts: new Map([
        ["a.com", verdict("a.com", { state: "unregistered", statuses: [], dns: "no-delegation" })],
        ["b.com", verdict("b.com", { state: "on-hold", statuses: ["serverHold"] })],
      ]),
      now: NOW,
      expiryWarningDays: 30,
    });
    expect(findings.map((f) => [f.kind, f.domain, f.email, f.field])).toEqual([
      ["domain-unregistered", "a.com", "x@a.com", "author_email"],
      ["domain-on-hold", "b.com", "z@b.com", "maintainer_email"],
    ]);
  });

  it("package-not-found, no-maintainer-email, metadata error and invalid host", () => {
    const packages = new Map<string, PackageMeta>([
      ["gone", { name: "gone", status: "not-found", emails: [] }],
      ["quiet", { name: "quiet", status: "ok", latestVersion: "2.0", emails: [] }],
      [
        "broken",
        {
          name: "broken",
          status: "error",
          error: "the package index answered with a body that is not JSON",
          emails: [],
        },
      ],
      [
        "iplit",
        {
          name: "iplit",
          status: "ok",
          emails: [
            {
              address: "r@[10.0.0.1]",
              field: "author_email",
              skipped: "invalid-host",
              skipReason: "the host is an IP address literal, not a domain",
            },
          ],
        },
      ],
      [
        "free",
        {
          name: "free",
          status: "ok",
          emails: [
            {
              address: "me@gmail.com",
              field: "author_email",
              domain: "gmail.com",
              skipped: "provider",
            },
          ],
        },
      ],
    ]);
    const findings = assess({
      dependencies: ["gone", "quiet", "broken", "iplit", "free"].map((n, i) =>
        dep(n, "requirements.txt", i + 1),
      ),
      packages,
      verdicts: new Map(),
      now: NOW,
      expiryWarningDays: 30,
    });
    expect(findings.map((f) => [f.package, f.kind, f.severity])).toEqual([
      ["broken", "lookup-failed", "info"],
      ["gone", "package-not-found", "info"],
      ["iplit", "lookup-failed", "info"],
      ["quiet", "no-maintainer-email", "info"],
    ]);
    expect(findings.find((f) => f.package === "broken")?.evidence).toContain("not JSON");
    expect(findings.find((f) => f.package === "iplit")?.evidence).toContain("IP address");
    // The fields may hold text that is no address: the evidence does not call them empty.
    expect(findings.find((f) => f.package === "quiet")?.evidence).toBe(
      "No address could be read from `author_email` or `maintainer_email` of 2.0: they are empty, or hold no address.",
    );
  });

  it("reads what, evidence with dates, and what to do", () => {
    const [f] = run(
      meta("foo", "example-lapsed.com"),
      verdict("example-lapsed.com", {
        state: "expired",
        statuses: ["pending delete"],
        expires: "2026-01-14T00:00:00Z",
      }),
      [dep("foo", "requirements.txt", 3, "1.4.0")],
    );
    expect(f?.message).toBe(
      "The maintainer e-mail domain of `foo` 1.4.0 has expired; whoever registers it can reset the PyPI account's password.",
    );
    expect(f?.evidence).toBe(
      "`maintainer_email` is `dev@example-lapsed.com`; RDAP for `example-lapsed.com` reports status pending delete, expiry 2026-01-14.",
    );
    expect(f?.remediation).toMatch(/^Review releases/);
  });

  it.each([
    ["2026-04-02T12:00:00Z", "expires in 10 days;"],
    ["2026-03-24T11:00:00Z", "expires within a day;"],
  ])("an expiry on %s reads %j and says what a lapse would mean", (expires, phrase) => {
    const [f] = run(meta("foo", "example.com"), verdict("example.com", { expires }));
    expect(f?.kind).toBe("domain-expiring");
    expect(f?.message).toContain(phrase);
    expect(f?.message).toMatch(/whoever registers it can reset the PyPI account's password\.$/);
    expect(f?.evidence).toBe(
      `\`maintainer_email\` is \`dev@example.com\`; RDAP for \`example.com\` reports expiry ${expires.slice(0, 10)}.`,
    );
  });

  it("without any upload time the re-registration rule cannot apply, but the other states still do", () => {
    const noUpload: PackageMeta = { ...meta("pkg", "example.com"), lastReleaseAt: undefined };
    delete noUpload.lastReleaseAt;
    expect(run(noUpload, verdict("example.com", { created: "2026-03-01T00:00:00Z" }))).toEqual([]);
    expect(
      run(
        noUpload,
        verdict("example.com", { created: "2026-03-01T00:00:00Z", statuses: ["pendingDelete"] }),
      ).map((f) => f.kind),
    ).toEqual(["domain-expired"]);
  });

  it("ignores dependencies that are not from PyPI", () => {
    const findings = assess({
      dependencies: [{ ...dep("local", "requirements.txt", 1), kind: "path" }],
      packages: new Map(),
      verdicts: new Map(),
      now: NOW,
      expiryWarningDays: 30,
    });
    expect(findings).toEqual([]);
  });
});

const finding = (
  kind: Finding["kind"],
  severity: Finding["severity"],
  extra: Partial<Finding> = {},
): Finding => ({
  kind,
  severity,
  package: "pkg",
  domain: "example.com",
  file: "requirements.txt",
  line: 1,
  message: "m",
  failing: false,
  ...extra,
});

describe("applyPolicy", () => {
  const base = { allow: [], onLookupError: "warn" as const, now: NOW };

  it.each<[Finding["severity"], "critical" | "high" | "medium" | "info" | "never", boolean]>([
    ["critical", "high", true],
    ["high", "high", true],
    ["medium", "high", false],
    ["medium", "medium", true],
    ["critical", "never", false],
    ["info", "info", true],
  ])("severity %s with fail-on %s fails: %s", (severity, failOn, failing) => {
    const [f] = applyPolicy([finding("domain-expired", severity)], { ...base, failOn });
    expect(f?.failing).toBe(failing);
  });

  it("an allow entry covers the finding until its date, then the finding counts again and says so", () => {
    const allow = [
      {
        package: "pkg",
        domain: "example.com",
        reason: "maintainer confirmed",
        until: "2026-03-23",
      },
    ];
    const [covered] = applyPolicy([finding("domain-expired", "critical")], {
      ...base,
      failOn: "high",
      allow,
    });
    expect(covered).toMatchObject({
      failing: false,
      allowed: { reason: "maintainer confirmed", until: "2026-03-23" },
    });
    const [lapsed] = applyPolicy([finding("domain-expired", "critical")], {
      ...base,
      failOn: "high",
      allow,
      now: new Date("2026-03-24T00:00:00Z"),
    });
    expect(lapsed?.failing).toBe(true);
    expect(lapsed?.allowed).toBeUndefined();
    expect(lapsed?.allowExpired).toEqual({ reason: "maintainer confirmed", until: "2026-03-23" });
    expect(lapsed?.remediation).toContain("ended on 2026-03-23");
  });

  it("a finding kept from an earlier answer is a failed lookup: on-lookup-error fail fails it, allowed or not, in scope only", () => {
    const kept = finding("domain-on-hold", "medium", { keptFrom: "2026-03-22T10:00:00Z" });
    const allow = [{ domain: "example.com", kind: "domain-on-hold" as const, reason: "known" }];
    const policy = { ...base, failOn: "high" as const };
    expect(applyPolicy([kept], policy)[0]?.failing).toBe(false);
    expect(applyPolicy([kept], { ...policy, onLookupError: "fail" })[0]?.failing).toBe(true);
    const [allowed] = applyPolicy([kept], { ...policy, onLookupError: "fail", allow });
    expect(allowed).toMatchObject({ failing: true, allowed: { reason: "known" } });
    // Not introduced by the pull request: not its to fail.
    const [old] = applyPolicy([kept], {
      ...policy,
      onLookupError: "fail",
      introduced: () => false,
    });
    expect(old?.failing).toBe(false);
  });

  it("an entry for another package or kind does not cover", () => {
    const [f] = applyPolicy([finding("domain-expired", "critical")], {
      ...base,
      failOn: "high",
      allow: [
        { package: "other", reason: "r" },
        { domain: "example.com", kind: "domain-on-hold", reason: "r" },
      ],
    });
    expect(f?.failing).toBe(true);
  });

  it("PR mode: a finding the change did not introduce does not fail", () => {
    const findings = [
      finding("domain-expired", "critical", { package: "old" }),
      finding("domain-expired", "critical", { package: "new" }),
    ];
    const out = applyPolicy(findings, {
      ...base,
      failOn: "high",
      introduced: (f) => f.package === "new",
    });
    expect(out.map((f) => [f.package, f.introduced, f.failing])).toEqual([
      ["old", false, false],
      ["new", true, true],
    ]);
  });

  it("lookup-failed fails only with on-lookup-error: fail", () => {
    const f = finding("lookup-failed", "info");
    expect(applyPolicy([f], { ...base, failOn: "high" })[0]?.failing).toBe(false);
    expect(applyPolicy([f], { ...base, failOn: "high", onLookupError: "fail" })[0]?.failing).toBe(
      true,
    );
  });

  it("exitCodeFor follows the failing findings", () => {
    const report = (findings: Finding[]) => ({ findings }) as unknown as Report;
    const options = defaultOptions();
    expect(
      exitCodeFor(report([finding("domain-expired", "critical", { failing: true })]), options),
    ).toBe(EXIT_FINDINGS);
    expect(exitCodeFor(report([finding("domain-expiring", "medium")]), options)).toBe(EXIT_CLEAN);
  });
});

// Package names come from a lockfile an attacker may write. A name that fails the PEP 508 name
// grammar must never reach a URL (no path traversal, no query, no encoded slash, no other host);
// valid names are normalised and percent-encoded. Checked from the PyPI server's request log.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scan } from "../../src/scan/scan.js";
import { resolveOptions } from "../../src/options/options.js";
import type { DependencySet } from "../../src/types.js";
import { NOW, startHostileWorld, type HostileWorld } from "./harness.js";
import { directTransport } from "../../src/net/transport.js";

const HOSTILE_NAMES = [
  "../../admin",
  "..",
  "foo/../../bar",
  "a/b",
  "x?admin=1",
  "name#fragment",
  "a%2Fb",
  "%2e%2e",
  "spaces in name",
  "-leading-dash",
  "trailing-dash-",
  "évil",
  "evil\u0000null",
  "line\nbreak",
  "http://evil.example/x",
  "@evil.example",
  "a".repeat(300),
];

/** Every path the index may see: `/pypi/<normalised PEP 503 name>/json`. */
const SAFE_PATH = /^\/pypi\/[a-z0-9]+(?:-[a-z0-9]+)*\/json$/;

function uvLock(names: string[]): string {
  const blocks = names.map(
    (name) =>
      `[[package]]\nname = ${JSON.stringify(name)}\nversion = "1.0.0"\nsource = { registry = "https://pypi.org/simple" }\n`,
  );
  return `version = 1\nrequires-python = ">=3.10"\n\n${blocks.join("\n")}`;
}

let world: HostileWorld;

beforeAll(async () => {
  world = await startHostileWorld({
    files: {
      "uv.lock": uvLock([...HOSTILE_NAMES, "good-one"]),
      "requirements.txt": "Good_Two==1.0.0\n../../etc/passwd==1.0\nx?y==1.0\n",
    },
    packages: {
      "good-one": { name: "good-one", author_email: "dev@gmail.com" },
      "good-two": { name: "good-two", author_email: "dev@gmail.com" },
    },
  });
});

afterAll(async () => {
  await world?.close();
});

describe("package names from a hostile lockfile", () => {
  it("only valid, normalised names reach the index", async () => {
    const { code, stderr } = await world.run("json");
    expect(code, stderr).not.toBe(2);
    const paths = world.pypi.requests.map((r) => r.path);
    // The valid names were asked for, normalised (so the check is not vacuous) ...
    expect(paths).toEqual(expect.arrayContaining(["/pypi/good-one/json", "/pypi/good-two/json"]));
    // ... and nothing else ever reached a URL.
    for (const path of paths) {
      expect(path).toMatch(SAFE_PATH);
      expect(path).not.toMatch(/\.\.|%2f|%2e|\?|#|%00|evil/i);
    }
  });

  it("scan() refuses them too when a parser lets one through, and says why", async () => {
    const set: DependencySet = {
      root: world.dir,
      dependencies: HOSTILE_NAMES.map((name, i) => ({
        name,
        file: "uv.lock",
        line: i + 1,
        format: "uv" as const,
        kind: "pypi" as const,
      })),
      lockfiles: [{ path: "uv.lock", format: "uv", count: HOSTILE_NAMES.length }],
      errors: [],
    };
    const before = world.pypi.requests.length;
    const options = resolveOptions([
      {
        "pypi-url": { value: `${world.pypi.url}/pypi`, source: "flag" },
        "rdap-bootstrap": { value: `${world.dir}/.bootstrap.json`, source: "flag" },
      },
    ]);
    const report = await scan(set, options, { now: () => NOW, transport: directTransport() });
    expect(world.pypi.requests.slice(before)).toEqual([]);
    // Each one ends in a definite state with a reason, never silently dropped.
    for (const pkg of report.packages) {
      expect(pkg.status).toBe("error");
      expect(pkg.error).toMatch(/PEP 508|not a valid/i);
    }
    expect(report.packages.length).toBeGreaterThan(0);
  });
});

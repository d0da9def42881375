// The CLI under trouble, end to end through main() on loopback: dead servers (closed port,
// black hole, 401 mirror, unreachable bootstrap, silent DNS), the deadline, output files in
// missing or unwritable places, a closed stdout, heartbeat lines, config discovery, help and
// mistyped flags, YAML errors, credentials that never appear anywhere, and an HTTP proxy.
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { textSink } from "../servers/cli.js";
import { startDnsServer, type DnsServer } from "../servers/dns.js";
import { pypiFixture, startPypiServer, withInfo } from "../servers/pypi.js";
import { startServer, type TestServer } from "../servers/http.js";
import { NOW, startWorld, worldFlags, type World } from "../servers/scan-world.js";
import {
  closedPort,
  startBlackHole,
  startProxy,
  type BlackHole,
  type ProxyServer,
} from "../servers/trouble.js";

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

async function run(
  args: string[],
  io: {
    cwd: string;
    env?: NodeJS.ProcessEnv;
    heartbeatMs?: number;
    stdout?: Writable;
  },
): Promise<Run> {
  const out = textSink();
  const err = textSink(false);
  const t0 = Date.now();
  const code = await main(args, {
    cwd: io.cwd,
    stdout: io.stdout ?? out.stream,
    stderr: err.stream,
    env: io.env ?? {},
    now: () => NOW,
    ...(io.heartbeatMs ? { heartbeatMs: io.heartbeatMs } : {}),
  });
  return { code, stdout: out.text(), stderr: err.text(), ms: Date.now() - t0 };
}

let world: World;
let dir: string;
const flags = () => Object.entries(worldFlags(world)).flatMap(([k, v]) => [`--${k}`, v]);
/** 30 made-up packages: enough for the fail-fast rule to matter. */
const many = Array.from({ length: 30 }, (_, i) => `pkg-${i}==1.0`).join("\n") + "\n";

beforeAll(async () => {
  world = await startWorld();
  dir = await mkdtemp(join(tmpdir(), "mdg-trouble-"));
  for (const [name, text] of [
    ["many", many],
    ["clean", "clean-pkg==1.0\n"],
    ["lapsed", "lapsed-pkg==1.0\ndelegated-pkg==1.0\nclean-pkg==1.0\n"],
    ["slow", "clean-pkg==1.0\nslow-pkg==1.0\n"],
  ]) {
    await mkdir(join(dir, name!), { recursive: true });
    await writeFile(join(dir, name!, "requirements.txt"), text!);
  }
});
afterAll(async () => {
  await world?.close();
  await rm(dir, { recursive: true, force: true });
});

const linesMatching = (text: string, re: RegExp) => text.split("\n").filter((l) => re.test(l));

describe("dead servers", () => {
  it("a closed port: exit 3 in seconds, one line naming the origin and what to check", async () => {
    const port = await closedPort();
    const r = await run(
      ["scan", join(dir, "many"), ...flags(), "--pypi-url", `http://127.0.0.1:${port}/pypi`],
      { cwd: dir },
    );
    expect(r.code).toBe(3);
    expect(r.ms).toBeLessThan(10_000);
    const said = linesMatching(r.stderr, /^warning: .*unreachable/);
    expect(said).toHaveLength(1);
    expect(said[0]).toContain(`127.0.0.1:${port} unreachable: connection refused (ECONNREFUSED)`);
    expect(said[0]).toContain("--pypi-url");
    const report = JSON.parse(r.stdout);
    expect(report.coverage.packages).toEqual({ checked: 0, total: 30, notLookedUp: 0 });
    expect(r.stderr).toContain("could not check enough: only 0 of 30 packages checked");
  });

  it("SARIF of a run that could not check is no successful execution, and says why; a full run's is", async () => {
    const full = join(dir, "full.sarif");
    const good = await run(["scan", join(dir, "lapsed"), ...flags(), "--sarif-file", full], {
      cwd: dir,
    });
    expect(good.code).toBe(1);
    const ran = JSON.parse(await readFile(full, "utf8")).runs[0];
    expect(ran.invocations).toEqual([
      { executionSuccessful: true, startTimeUtc: expect.any(String) },
    ]);
    expect(ran.results.length).toBeGreaterThan(0);

    const port = await closedPort();
    const short = join(dir, "short.sarif");
    const bad = await run(
      [
        "scan",
        join(dir, "lapsed"),
        ...flags(),
        "--pypi-url",
        `http://127.0.0.1:${port}/pypi`,
        "--sarif-file",
        short,
      ],
      { cwd: dir },
    );
    expect(bad.code).toBe(3);
    const [invocation] = JSON.parse(await readFile(short, "utf8")).runs[0].invocations;
    expect(invocation.executionSuccessful).toBe(false);
    expect(invocation.toolExecutionNotifications).toEqual([
      {
        level: "error",
        descriptor: { id: "incomplete-scan" },
        message: {
          text: expect.stringMatching(
            /^The scan could not check enough: .*only 0 of 3 packages checked/,
          ),
        },
      },
      {
        level: "warning",
        descriptor: { id: "lookup-failed" },
        message: { text: expect.stringMatching(/^3 packages could not be looked up this run/) },
      },
    ]);
  });

  it("a closed port, table: the verdict says Nothing was checked, never No findings", async () => {
    const port = await closedPort();
    const r = await run(
      [
        "scan",
        join(dir, "many"),
        ...flags(),
        "--pypi-url",
        `http://127.0.0.1:${port}/pypi`,
        "--format",
        "table",
      ],
      { cwd: dir },
    );
    expect(r.stdout).toContain("Nothing was checked in 30 packages");
    expect(r.stdout).not.toContain("No findings");
  });

  it("a black-holed port: exit 3 after about one timeout, not one per package", async () => {
    const hole: BlackHole = await startBlackHole();
    try {
      const r = await run(
        [
          "scan",
          join(dir, "many"),
          ...flags(),
          "--pypi-url",
          `${hole.url}/pypi`,
          "--timeout",
          "300ms",
        ],
        { cwd: dir },
      );
      expect(r.code).toBe(3);
      expect(r.ms).toBeLessThan(8_000);
      expect(
        linesMatching(r.stderr, /^warning: .*unreachable: no answer within 300 ms/),
      ).toHaveLength(1);
    } finally {
      await hole.close();
    }
  });

  it("a 401 mirror: not retried, given up after the first few, exit 3", async () => {
    const mirror = await startServer((_req, res) => res.writeHead(401).end("login required"));
    try {
      const r = await run(
        [
          "scan",
          join(dir, "many"),
          ...flags(),
          "--pypi-url",
          `${mirror.url}/pypi`,
          "--pypi-concurrency",
          "2",
        ],
        { cwd: dir },
      );
      expect(r.code).toBe(3);
      expect(mirror.requests.length).toBeLessThanOrEqual(4);
      const said = linesMatching(r.stderr, /refused access/);
      expect(said).toHaveLength(1);
      expect(said[0]).toContain("refused access (HTTP 401)");
      expect(said[0]).toContain("pypi-token");
    } finally {
      await mirror.close();
    }
  });

  it("an unreachable bootstrap: every domain not checked, a warning, exit 3", async () => {
    const port = await closedPort();
    const r = await run(
      [
        "scan",
        join(dir, "lapsed"),
        ...flags(),
        "--rdap-bootstrap",
        `http://127.0.0.1:${port}/dns.json`,
      ],
      { cwd: dir },
    );
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/warning: the RDAP bootstrap could not be loaded: .*unreachable/);
    const report = JSON.parse(r.stdout);
    expect(report.coverage.domains).toMatchObject({ checked: 0, total: 3 });
    expect(
      report.findings.filter((f: { kind: string }) => f.kind === "domain-unregistered"),
    ).toEqual([]);
  });

  it("a DNS server that does not answer: one warning, RDAP 404s marked unconfirmed", async () => {
    const silent: DnsServer = await startDnsServer({ delegated: [], silent: true });
    try {
      const r = await run(
        [
          "scan",
          join(dir, "lapsed"),
          ...flags(),
          "--dns-server",
          silent.address,
          "--timeout",
          "1s",
        ],
        { cwd: dir },
      );
      expect(linesMatching(r.stderr, /did not answer/)).toEqual([
        expect.stringContaining(`warning: the DNS server (${silent.address}) did not answer`),
      ]);
      const report = JSON.parse(r.stdout);
      const lapsed = report.domains.find(
        (d: { domain: string }) => d.domain === "lapsed-example.com",
      );
      expect(lapsed).toMatchObject({ state: "unregistered", dns: "not-consulted" });
      const finding = report.findings.find(
        (f: { kind: string; package: string }) => f.package === "lapsed-pkg",
      );
      expect(finding.evidence).toContain("DNS could not be consulted");
    } finally {
      await silent.close();
    }
  });

  it("the deadline: what is unfinished is not checked, exit 3", async () => {
    const r = await run(["scan", join(dir, "slow"), ...flags(), "--deadline", "1s"], {
      cwd: dir,
    });
    expect(r.code).toBe(3);
    expect(r.ms).toBeLessThan(6_000);
    const report = JSON.parse(r.stdout);
    expect(report.stats.deadlineReached).toBe(true);
    expect(report.coverage.domains).toMatchObject({ checked: 1, total: 2 });
  });
});

describe("nothing to read", () => {
  it("a folder with no lockfile: exit 2, nothing asked, never a clean result", async () => {
    const empty = join(dir, "empty");
    await mkdir(join(empty, "docs"), { recursive: true });
    await writeFile(join(empty, "docs", "notes.md"), "# not a lockfile\n");
    const before = world.pypi.requests.length;
    const r = await run(["scan", empty, ...flags(), "--format", "json"], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain(`maintainer-domain-guard: no lockfile could be read in ${empty}`);
    expect(world.pypi.requests.length).toBe(before);
  });

  it("a lockfile that names no package (comments only): says there was nothing to check, not that nothing was found", async () => {
    const blank = join(dir, "blank");
    await mkdir(blank, { recursive: true });
    await writeFile(join(blank, "requirements.txt"), "# nothing pinned yet\n");
    const r = await run(["scan", blank, ...flags(), "--format", "table"], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Nothing to check: the 1 lockfile read names no package");
    expect(r.stdout).not.toContain("No findings");
  });

  it("only version-control, URL and path requirements: Nothing was checked, exit 3, never green", async () => {
    const none = join(dir, "not-pypi");
    await mkdir(none, { recursive: true });
    // The forms pip's requirements file format documents for what is not an index project.
    await writeFile(
      join(none, "requirements.txt"),
      "git+https://github.com/pypa/sampleproject.git@main#egg=sampleproject\n" +
        "-e ./libs/local-helper\n" +
        "https://example.org/wheels/thing-1.0-py3-none-any.whl\n",
    );
    const before = world.pypi.requests.length;
    const sarif = join(dir, "not-pypi.sarif");
    const r = await run(["scan", none, ...flags(), "--format", "table", "--sarif-file", sarif], {
      cwd: dir,
    });
    expect(r.code).toBe(3);
    expect(world.pypi.requests.length).toBe(before);
    expect(r.stdout).toMatch(
      /^Nothing was checked in 3 dependencies from 1 lockfile: no package comes from PyPI \(3 from version control, a URL or a local path\)/m,
    );
    expect(r.stdout).not.toContain("No findings");
    expect(r.stderr).toContain("could not check enough: no package comes from PyPI");
    const log = JSON.parse(await readFile(sarif, "utf8"));
    expect(log.runs[0].invocations[0].executionSuccessful).toBe(false);
    const accepted = await run(["scan", none, ...flags(), "--min-coverage", "0"], { cwd: dir });
    expect(accepted.code).toBe(0);
  });

  it("only a lockfile that does not parse: its error with file and line, then exit 2", async () => {
    const broken = join(dir, "broken");
    await mkdir(broken, { recursive: true });
    await writeFile(join(broken, "poetry.lock"), '[[package]]\nname = "x"\nversion = \n');
    const r = await run(["scan", broken, ...flags()], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/poetry\.lock:3\b/);
    expect(r.stderr).toContain(`no lockfile could be read in ${broken}`);
  });
});

describe("lockfiles of the wrong shape", () => {
  it("a lock whose packages stand under another key, or whose section is a list, is not read as empty", async () => {
    const repo = await mkdtemp(join(tmpdir(), "mdg-shape-"));
    try {
      await writeFile(join(repo, "requirements.txt"), "clean-pkg==1.0\n");
      await writeFile(
        join(repo, "poetry.lock"),
        '[[packages]]\nname = "evil"\nversion = "1.0"\n\n[metadata]\nlock-version = "2.0"\n',
      );
      await writeFile(
        join(repo, "Pipfile.lock"),
        '{"_meta": {}, "default": [{"evil2": {"version": "==1"}}]}\n',
      );
      await writeFile(
        join(repo, "uv.lock"),
        'version = 1\n\n[[package]]\nname = "evil3"\nversion = 5\n',
      );
      const r = await run(["scan", ".", ...flags(), "--format", "json"], { cwd: repo });
      const report = JSON.parse(r.stdout);
      expect(
        report.errors.map((e: { file: string; code: string }) => `${e.file}:${e.code}`),
      ).toEqual([
        "Pipfile.lock:invalid-lockfile",
        "poetry.lock:invalid-lockfile",
        "uv.lock:invalid-package",
      ]);
      const messages = report.errors.map((e: { message: string }) => e.message).join("\n");
      expect(messages).toContain("no `package` tables, but `packages` holds 1");
      expect(messages).toContain('section "default" is not an object of packages');
      expect(messages).toContain("the version of evil3 is not a string: 5");
      expect(r.stderr).toContain("could not check enough: only 1 of 4 lockfiles checked");
      // Two of four lockfiles gave nothing: the run could not check enough, never green.
      expect(r.code).toBe(3);
    } finally {
      await rm(repo, { recursive: true, force: true });
    }
  });
});

describe("includes that cannot be read", () => {
  it("a missing or refused -r target counts as a lockfile not read: exit 3, never green", async () => {
    const repo = await mkdtemp(join(tmpdir(), "mdg-include-"));
    try {
      await mkdir(join(repo, "proj"));
      await writeFile(join(repo, "outside.txt"), "outside-pkg==1.0\n");
      await writeFile(
        join(repo, "proj", "requirements.txt"),
        "clean-pkg==1.0\n-r requirements-prod.txt\n",
      );
      await writeFile(
        join(repo, "proj", "requirements-dev.txt"),
        "clean-pkg==1.0\n-r ../outside.txt\n",
      );
      const r = await run(["scan", ".", ...flags(), "--format", "json"], {
        cwd: join(repo, "proj"),
      });
      expect(r.code).toBe(3);
      expect(r.stderr).toContain("could not check enough: only 2 of 4 lockfiles checked");
      expect(r.stderr).toContain("requirements-dev.txt:2 (../outside.txt) could not be read");
      const report = JSON.parse(r.stdout);
      expect(report.coverage.lockfiles).toMatchObject({ read: 2, total: 4 });
    } finally {
      await rm(repo, { recursive: true, force: true });
    }
  });
});

describe("output under trouble", () => {
  it("creates missing folders for --output and --sarif-file", async () => {
    const out = join(dir, "new", "deep", "report.json");
    const sarif = join(dir, "other", "x", "scan.sarif");
    const r = await run(
      ["scan", join(dir, "clean"), ...flags(), "--output", out, "--sarif-file", sarif],
      { cwd: dir },
    );
    expect(r.code).toBe(0);
    expect(JSON.parse(await readFile(out, "utf8")).coverage.packages.checked).toBe(1);
    expect(JSON.parse(await readFile(sarif, "utf8")).version).toBe("2.1.0");
    expect(r.stdout).toBe("");
  });

  it("a write that fails is one line and exit 2; the report goes to stdout", async () => {
    await mkdir(join(dir, "a-folder"), { recursive: true });
    const r = await run(
      ["scan", join(dir, "clean"), ...flags(), "--output", join(dir, "a-folder")],
      { cwd: dir },
    );
    expect(r.code).toBe(2);
    expect(linesMatching(r.stderr, /cannot write/)).toHaveLength(1);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(JSON.parse(r.stdout).coverage.packages.checked).toBe(1);
  });

  it("a path through a file (not a folder) is said in words, with what to do", async () => {
    await writeFile(join(dir, "plain-file"), "x");
    const r = await run(
      ["scan", join(dir, "clean"), ...flags(), "--output", join(dir, "plain-file", "r.json")],
      { cwd: dir },
    );
    expect(r.code).toBe(2);
    expect(linesMatching(r.stderr, /cannot write/)).toEqual([
      expect.stringMatching(
        /cannot write .*plain-file\/r\.json: a part of the path is a file, not a folder \((ENOTDIR|EEXIST)\); it follows on standard output instead; give --output a path you can write to$/,
      ),
    ]);
  });

  it.each([
    ["--output and --cache", ["--output", "same.json", "--cache", "same.json"]],
    ["--output and --sarif-file", ["--output", "same.json", "--sarif-file", "same.json"]],
    ["--sarif-file and --cache", ["--sarif-file", "same.json", "--cache", "./same.json"]],
  ])("%s naming one file is bad usage, before anything is asked or written", async (_, extra) => {
    await rm(join(dir, "same.json"), { force: true });
    const before = world.pypi.requests.length;
    const r = await run(["scan", join(dir, "clean"), ...flags(), ...extra], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /--[a-z-]+ and --[a-z-]+ name the same file \(\.?\/?same\.json\): give each its own/,
    );
    expect(world.pypi.requests.length).toBe(before);
    expect(existsSync(join(dir, "same.json"))).toBe(false);
  });

  it.each([
    [["--output", "/dev/stdout", "--sarif-file", "/dev/fd/1"], "--output and --sarif-file"],
    [["--sarif-file", "/dev/stdout"], "the report and --sarif-file"],
    [["--output", "/dev/stderr", "--sarif-file", "/proc/self/fd/2"], "--output and --sarif-file"],
    [["--output", "/dev/./stdout", "--sarif-file", "/dev/stdout"], "--output and --sarif-file"],
  ])(
    "one stream under two names (%j) is bad usage: two documents would run together",
    async (extra, who) => {
      const r = await run(["scan", join(dir, "clean"), ...flags(), ...extra], { cwd: dir });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`${who} name the same file`);
      expect(r.stdout).toBe("");
    },
  );

  it("two outputs naming one file through a link is bad usage; neither is written", async () => {
    const other = join(dir, "other");
    await mkdir(other, { recursive: true });
    await rm(join(other, "real.json"), { force: true });
    await rm(join(dir, "alias.json"), { force: true });
    await symlink(join("other", "real.json"), join(dir, "alias.json"));
    const r = await run(
      [
        "scan",
        join(dir, "clean"),
        ...flags(),
        "--output",
        join(other, "real.json"),
        "--sarif-file",
        join(dir, "alias.json"),
      ],
      { cwd: dir },
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--output and --sarif-file name the same file");
    expect(existsSync(join(other, "real.json"))).toBe(false);
  });

  it("a dangling link is followed from its folder's real path: two different files are no collision", async () => {
    const base = join(dir, "dangling");
    await rm(base, { recursive: true, force: true });
    await mkdir(join(base, "sub", "deep"), { recursive: true });
    await symlink(join("sub", "deep"), join(base, "L"));
    await symlink(join("..", "b.json"), join(base, "sub", "deep", "a.json"));
    const r = await run(
      [
        "scan",
        join(dir, "clean"),
        ...flags(),
        "--output",
        join(base, "L", "a.json"),
        "--sarif-file",
        join(base, "b.json"),
      ],
      { cwd: base },
    );
    expect(r.code).toBe(0);
    // L/a.json -> ../b.json from sub/deep: sub/b.json, not the b.json beside L.
    expect(existsSync(join(base, "sub", "b.json"))).toBe(true);
    expect(JSON.parse(await readFile(join(base, "b.json"), "utf8")).version).toBe("2.1.0");
  });

  it("an --output that names a lockfile the run reads is bad usage: the lockfile is left as it is", async () => {
    const lockfile = join(dir, "clean", "requirements.txt");
    const text = await readFile(lockfile, "utf8");
    for (const command of ["scan", "deps"]) {
      const r = await run(
        [command, join(dir, "clean"), ...(command === "scan" ? flags() : []), "--output", lockfile],
        { cwd: dir },
      );
      expect(r.code).toBe(2);
      expect(r.stderr).toContain("a lockfile this run reads: writing there would replace it");
      expect(await readFile(lockfile, "utf8")).toBe(text);
    }
  });

  it("an --output that names, through a link, the lockfile read is bad usage too", async () => {
    const linked = join(dir, "linked");
    await mkdir(join(linked, "requirements"), { recursive: true });
    await writeFile(join(linked, "requirements", "base.txt"), "wheel==0.40.0\n");
    await symlink(join("requirements", "base.txt"), join(linked, "requirements.txt"));
    const r = await run(
      [
        "deps",
        join(linked, "requirements.txt"),
        "--output",
        join(linked, "requirements", "base.txt"),
      ],
      { cwd: dir },
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("a lockfile this run reads");
    expect(await readFile(join(linked, "requirements", "base.txt"), "utf8")).toBe(
      "wheel==0.40.0\n",
    );
  });

  it("no lockfile read: an earlier SARIF file is replaced by one that says nothing was scanned", async () => {
    const sarif = join(dir, "stale.sarif");
    await writeFile(sarif, '{"version":"2.1.0","runs":[{"results":[{"ruleId":"old"}]}]}\n');
    const r = await run(["scan", join(dir, "nope.txt"), ...flags(), "--sarif-file", sarif], {
      cwd: dir,
    });
    expect(r.code).toBe(2);
    const log = JSON.parse(await readFile(sarif, "utf8")) as {
      runs: {
        results: unknown[];
        invocations: {
          executionSuccessful: boolean;
          toolExecutionNotifications: { message: { text: string } }[];
        }[];
      }[];
    };
    expect(log.runs[0]!.results).toEqual([]);
    expect(log.runs[0]!.invocations[0]!.executionSuccessful).toBe(false);
    expect(log.runs[0]!.invocations[0]!.toolExecutionNotifications[0]!.message.text).toMatch(
      /^Nothing was scanned: no lockfile could be read in /,
    );
  });

  it("a --sarif-file that cannot be written, without --output: said so, not claimed to follow on stdout", async () => {
    await mkdir(join(dir, "b-folder"), { recursive: true });
    const r = await run(
      ["scan", join(dir, "clean"), ...flags(), "--sarif-file", join(dir, "b-folder")],
      { cwd: dir },
    );
    expect(r.code).toBe(2);
    expect(linesMatching(r.stderr, /cannot write/)).toEqual([
      expect.stringContaining("it is not written anywhere else (standard output has the report)"),
    ]);
    // Standard output is the JSON report alone.
    expect(JSON.parse(r.stdout).coverage.packages.checked).toBe(1);
  });

  it("an error this tool did not expect (standard output failing with EIO) is exit 3 and one line, never 1 or 0", async () => {
    const broken = new Writable({
      write(_chunk, _enc, done) {
        done(Object.assign(new Error("i/o error"), { code: "EIO" }));
      },
    });
    // Node's streams report a failed write later; a synchronous throw is what a full disk or a
    // closed descriptor gives a process writing to a file.
    broken.write = () => {
      throw Object.assign(new Error("EIO: i/o error, write"), { code: "EIO" });
    };
    const r = await run(["scan", join(dir, "clean"), ...flags()], { cwd: dir, stdout: broken });
    expect(r.code).toBe(3);
    expect(linesMatching(r.stderr, /internal error/)).toEqual([
      expect.stringMatching(
        /^maintainer-domain-guard: internal error: EIO: i\/o error, write \(at .*\); the run did not finish; this is a bug, please report it with the command line$/,
      ),
    ]);
  });

  it("on a terminal, --output gets the table without colour codes", async () => {
    const tty = Object.assign(
      new Writable({
        write(_chunk, _enc, done) {
          done();
        },
      }),
      { isTTY: true },
    );
    const out = join(dir, "tty-table.txt");
    const r = await run(
      ["scan", join(dir, "lapsed"), ...flags(), "--format", "table", "--output", out],
      { cwd: dir, stdout: tty },
    );
    expect(r.code).toBe(1);
    const text = await readFile(out, "utf8");
    expect(text).toContain("lapsed-pkg");
    expect(text).not.toMatch(/\u001b\[/);
  });

  it("a closed stdout (EPIPE) ends quietly with the run's exit code", async () => {
    const closed = new Writable({
      write(_chunk, _enc, done) {
        done(Object.assign(new Error("write EPIPE"), { code: "EPIPE" }));
      },
    });
    const r = await run(["scan", join(dir, "clean"), ...flags()], { cwd: dir, stdout: closed });
    expect(r.code).toBe(0);
    expect(r.stderr).not.toMatch(/EPIPE|\n\s+at /);
  });

  it("heartbeat lines with counts and what it waits on when stderr is not a terminal", async () => {
    const r = await run(["scan", join(dir, "slow"), ...flags(), "--deadline", "1500ms"], {
      cwd: dir,
      heartbeatMs: 200,
    });
    const beats = linesMatching(r.stderr, /^\d+\/\d+ packages, \d+\/\d+ domains/);
    expect(beats.length).toBeGreaterThanOrEqual(3);
    expect(beats.some((b) => /waiting on 127\.0\.0\.1:\d+ \(1 in flight\)/.test(b))).toBe(true);
  });
});

it("on a terminal, a line before the first answer says what it asks", async () => {
  const { runMain } = await import("../servers/cli.js");
  const r = await runMain(["scan", join(dir, "clean"), ...flags()], {
    cwd: dir,
    now: () => NOW,
    stderrIsTTY: true,
  });
  expect(r.stderr).toContain(`asking ${new URL(world.pypi.url).host} …`);
  expect(r.stderr.indexOf("asking")).toBeLessThan(r.stderr.indexOf("packages 1/1"));
});

describe("config discovery for scan DIR", () => {
  let tree: string;
  beforeAll(async () => {
    tree = await mkdtemp(join(tmpdir(), "mdg-config-"));
    await mkdir(join(tree, "repo", ".git"), { recursive: true });
    await mkdir(join(tree, "repo", ".github"), { recursive: true });
    await mkdir(join(tree, "repo", "svc", "a"), { recursive: true });
    await mkdir(join(tree, "repo", "own", ".github"), { recursive: true });
    await mkdir(join(tree, "cwd"), { recursive: true });
    await mkdir(join(tree, "plain"), { recursive: true });
    await writeFile(
      join(tree, "repo", ".github", "maintainer-domain-guard.yml"),
      "format: markdown\n",
    );
    await writeFile(
      join(tree, "repo", "own", ".github", "maintainer-domain-guard.yml"),
      "format: table\n",
    );
    for (const d of ["repo/svc/a", "repo/own", "plain"])
      await writeFile(join(tree, d, "requirements.txt"), "clean-pkg==1.0\n");
  });
  afterAll(async () => {
    await rm(tree, { recursive: true, force: true });
  });

  it.each([
    ["repo/own", "../repo/own/.github/maintainer-domain-guard.yml", "Nothing"],
    ["repo/svc/a", "../repo/.github/maintainer-domain-guard.yml", "markdown"],
    ["plain", undefined, "json"],
  ])("scan %s reads %s", async (target, expected, format) => {
    const r = await run(["scan", join(tree, target), ...flags()], { cwd: join(tree, "cwd") });
    const said = linesMatching(r.stderr, /^config: /);
    expect(said).toEqual([
      expected ? `config: ${expected}` : expect.stringMatching(/^config: none/),
    ]);
    if (format === "json") expect(() => JSON.parse(r.stdout)).not.toThrow();
    if (format === "markdown") expect(r.stdout).toMatch(/^#|\*\*/m);
  });

  it("a bad value, an unknown option, a bad allow entry and a secret in the config file name their line", async () => {
    const bad = join(tree, "values.yml");
    await writeFile(
      bad,
      [
        "# maintainer-domain-guard",
        "fail-on: hgih",
        "min-coverage: 2",
        "fail-onn: high",
        "allow:",
        "  - package: foo",
        "    reason: vendored",
        "  - domain: bar.example",
        "  - package: baz",
        "    reason: reviewed",
        "    kind: nope",
        "pypi-token: abc",
        "",
      ].join("\n"),
    );
    const r = await run(["scan", join(tree, "plain"), "--config", bad], { cwd: tree });
    expect(r.code).toBe(2);
    const lines = r.stderr.split("\n");
    const has = (text: string) =>
      expect(
        lines.some((l) => l.includes(text)),
        text,
      ).toBe(true);
    has(
      `fail-on: "hgih" is not one of critical, high, medium, low, info, never (from key 'fail-on' at ${bad}:2)`,
    );
    has(`(from key 'min-coverage' at ${bad}:3)`);
    has(`fail-onn: unknown option at ${bad}:4; did you mean 'fail-on'?`);
    has(`allow[1].reason: is required: say why this is allowed (from allow[1] at ${bad}:8)`);
    has(`allow[2].kind: "nope" is not one of`);
    has(`(from allow[2] at ${bad}:9)`);
    has(`pypi-token: is a secret and is not read from ${bad}:12;`);
    expect(r.stdout).toBe("");
  });

  it("empty numbers, impossible dates and timers past Node's limit are refused, naming their line", async () => {
    const bad = join(tree, "limits.yml");
    await writeFile(
      bad,
      [
        'expiry-warning-days: ""',
        "allow:",
        "  - package: foo",
        "    reason: vendored",
        "    until: 2026-02-31",
        "deadline: 30d",
        "",
      ].join("\n"),
    );
    const r = await run(["scan", join(tree, "plain"), "--config", bad], { cwd: tree });
    expect(r.code).toBe(2);
    const lines = r.stderr.split("\n");
    for (const text of [
      `expiry-warning-days: "" is not a whole number from 0 to 3650 (from key 'expiry-warning-days' at ${bad}:1)`,
      `allow[0].until: "2026-02-31" is not a date (YYYY-MM-DD) (from allow[0] at ${bad}:3)`,
      `deadline: "30d" is not a duration of at most 24d (from key 'deadline' at ${bad}:6)`,
    ])
      expect(
        lines.some((l) => l.includes(text)),
        `${text}\n${r.stderr}`,
      ).toBe(true);
    for (const flag of [
      ["--retries", " "],
      ["--timeout", "25d"],
    ]) {
      const f = await run(["scan", join(tree, "plain"), ...flags(), ...flag], { cwd: tree });
      expect(f.code, flag.join(" ")).toBe(2);
      expect(f.stderr).toContain(`from flag ${flag[0]}`);
    }
  });

  it("`cache: true` or `false` in a shared config file is the action's switch: the CLI makes no file of it", async () => {
    for (const value of ["false", "true", '"false"']) {
      const dirOf = await mkdtemp(join(tmpdir(), "mdg-cache-key-"));
      try {
        await mkdir(join(dirOf, ".github"));
        await writeFile(join(dirOf, ".github", "maintainer-domain-guard.yml"), `cache: ${value}\n`);
        await writeFile(join(dirOf, "requirements.txt"), "clean-pkg==1.0\n");
        const r = await run(["scan", dirOf, ...flags()], { cwd: dirOf });
        expect(r.code, `${value}: ${r.stderr}`).toBe(0);
        expect(existsSync(join(dirOf, "true")) || existsSync(join(dirOf, "false"))).toBe(false);
      } finally {
        await rm(dirOf, { recursive: true, force: true });
      }
    }
  });

  it("YAML errors carry file:line:column", async () => {
    const bad = join(tree, "bad.yml");
    await writeFile(bad, "fail-on: high\nallow: [\n  - x: y\n");
    const r = await run(["scan", join(tree, "plain"), "--config", bad], { cwd: tree });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      new RegExp(`${bad.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:\\d+:\\d+: invalid YAML`),
    );
  });
});

describe("files a config file asks this tool to write", () => {
  it.each([
    ["cache", "../escaped-cache.json"],
    ["cache", "/tmp/mdg-escaped-cache.json"],
    ["sarif-file", "out/../../escaped.sarif"],
    ["sarif-file", "~/escaped.sarif"],
    ["output", "/tmp/mdg-escaped-report.json"],
  ])("%s: %s is refused, naming the file and line, and nothing is written", async (key, path) => {
    const repo = await mkdtemp(join(tmpdir(), "mdg-write-"));
    try {
      await mkdir(join(repo, "proj", ".github"), { recursive: true });
      await writeFile(join(repo, "proj", "requirements.txt"), "clean-pkg==1.0\n");
      await writeFile(
        join(repo, "proj", ".github", "maintainer-domain-guard.yml"),
        `fail-on: high\n${key}: "${path}"\n`,
      );
      const r = await run(["scan", ".", ...flags()], { cwd: join(repo, "proj") });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(
        `${key}: a config file may name only a relative path inside the working directory`,
      );
      expect(r.stderr).toMatch(/maintainer-domain-guard\.yml:2\b/);
      expect(existsSync(join(repo, "escaped-cache.json"))).toBe(false);
      expect(existsSync("/tmp/mdg-escaped-cache.json")).toBe(false);
      expect(existsSync(join(repo, "escaped.sarif"))).toBe(false);
      expect(existsSync("/tmp/mdg-escaped-report.json")).toBe(false);
    } finally {
      await rm(repo, { recursive: true, force: true });
    }
  });

  it("a relative path that a committed link sends outside is not written through the link", async () => {
    const outside = await mkdtemp(join(tmpdir(), "mdg-outside-"));
    const repo = await mkdtemp(join(tmpdir(), "mdg-write-"));
    try {
      await writeFile(join(outside, "victim.txt"), "keep me\n");
      await mkdir(join(repo, ".github"), { recursive: true });
      await writeFile(join(repo, "requirements.txt"), "clean-pkg==1.0\n");
      await symlink(join(outside, "victim.txt"), join(repo, "sarif-link.sarif"));
      await symlink(outside, join(repo, "reports"));
      for (const [config, said] of [
        ["sarif-file: sarif-link.sarif\n", "it is a symbolic link"],
        ["sarif-file: reports/new.sarif\n", "a folder on its way is a symbolic link"],
        ["cache: reports/cache.json\n", "a folder on its way is a symbolic link"],
      ] as const) {
        await writeFile(join(repo, ".github", "maintainer-domain-guard.yml"), config);
        const r = await run(["scan", ".", ...flags()], { cwd: repo });
        expect(r.stderr).toContain(said);
        // A report not written is exit 2; with the cache left out the run goes on, and the
        // linked folder the walk refuses is a place not read (exit 3).
        expect(r.code).toBe(config.startsWith("cache") ? 3 : 2);
      }
      expect(await readFile(join(outside, "victim.txt"), "utf8")).toBe("keep me\n");
      expect(existsSync(join(outside, "new.sarif"))).toBe(false);
      expect(existsSync(join(outside, "cache.json"))).toBe(false);
    } finally {
      await rm(repo, { recursive: true, force: true });
      await rm(outside, { recursive: true, force: true });
    }
  });

  it("a relative path inside the working directory is written", async () => {
    const repo = await mkdtemp(join(tmpdir(), "mdg-write-"));
    try {
      await mkdir(join(repo, ".github"), { recursive: true });
      await writeFile(join(repo, "requirements.txt"), "clean-pkg==1.0\n");
      await writeFile(
        join(repo, ".github", "maintainer-domain-guard.yml"),
        "cache: .cache/verdicts.json\nsarif-file: out/scan.sarif\n",
      );
      const r = await run(["scan", ".", ...flags()], { cwd: repo });
      expect(r.code).toBe(0);
      expect(
        JSON.parse(await readFile(join(repo, ".cache", "verdicts.json"), "utf8")).version,
      ).toBe(3);
      expect(JSON.parse(await readFile(join(repo, "out", "scan.sarif"), "utf8")).version).toBe(
        "2.1.0",
      );
    } finally {
      await rm(repo, { recursive: true, force: true });
    }
  });
});

describe("options that would mean something else, or leak", () => {
  let repo: string;
  beforeAll(async () => {
    repo = await mkdtemp(join(tmpdir(), "mdg-opts-"));
    await mkdir(join(repo, ".github"), { recursive: true });
    await writeFile(join(repo, "requirements.txt"), "clean-pkg==1.0\n");
  });
  afterAll(async () => {
    await rm(repo, { recursive: true, force: true });
  });
  const withConfig = async (text: string | { symlink: string }, args: string[] = []) => {
    const file = join(repo, ".github", "maintainer-domain-guard.yml");
    await rm(file, { force: true });
    if (typeof text === "string") await writeFile(file, text);
    else await symlink(text.symlink, file);
    return run(["scan", ".", ...flags(), ...args], { cwd: repo });
  };

  it("a config file that is a device (a link to /dev/zero) is refused at once, never read", async () => {
    const r = await withConfig({ symlink: "/dev/zero" });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      "maintainer-domain-guard.yml: the config file is not a regular file; give the path of a YAML file",
    );
  });

  it.each([
    ["a package with a version", "package: requests==2.32.3", "is not a project name"],
    ["a wildcard domain", 'domain: "*.lapsed-example.com"', "is not a domain name"],
    ["an address for a domain", "domain: someone@lapsed-example.com", "is not a domain name"],
    ["a URL for a domain", "domain: https://lapsed-example.com/", "is not a domain name"],
  ])(
    "an allow entry with %s is an error at its line, not an entry that never matches",
    async (_what, line, said) => {
      const r = await withConfig(`allow:\n  - ${line}\n    reason: checked by hand\n`);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(said);
      expect(r.stderr).toMatch(/maintainer-domain-guard\.yml:2\b/);
    },
  );

  it("a list as a key is an error at its line", async () => {
    const r = await withConfig("fail-on: high\n? [a]\n: 1\n");
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      "maintainer-domain-guard.yml:2: a key must be an option name, not a list or a mapping",
    );
  });

  it("config-file inside a config file is an error, not silently ignored", async () => {
    const r = await withConfig("config-file: other.yml\n");
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      "config-file: names the config file, so a config file cannot set it",
    );
  });

  it("a malformed URL with credentials is quoted without them", async () => {
    await withConfig("fail-on: high\n");
    for (const args of [
      ["--pypi-url", "https://user:pa/ss@host/pypi x"],
      ["--index-urls", "https://corp.example/simple=https://ci:tok en@corp.example/pypi"],
      ["--index-urls", "https://corp.example/simple=https://ci:tok,en@corp example/pypi"],
    ]) {
      const r = await run(["scan", ".", ...flags(), ...args], { cwd: repo });
      expect(r.code).toBe(2);
      expect(r.stderr).not.toMatch(/pa\/ss|tok|ci:/);
    }
  });

  it.each([
    [["--expiry-warning-days", "0x10"], 'expiry-warning-days: "0x10" is not a whole number'],
    [["--expiry-warning-days", "1e1"], 'expiry-warning-days: "1e1" is not a whole number'],
    [["--min-coverage", "0x1"], 'min-coverage: "0x1" is not a fraction'],
  ])("%j is refused, not read as another number", async (args, said) => {
    await withConfig("fail-on: high\n");
    const r = await run(["scan", ".", ...flags(), ...args], { cwd: repo });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(said);
  });

  it("YAML's .inf and .nan are quoted as themselves, not as null", async () => {
    const r = await withConfig("expiry-warning-days: .inf\n");
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("expiry-warning-days: Infinity is not a whole number");
  });

  it("--index-urls given twice keeps both mappings", async () => {
    await withConfig("fail-on: high\n");
    const wheel = pypiFixture("wheel-0.40.0.json");
    const [a, b] = await Promise.all([
      startPypiServer({ "pkg-a": withInfo(wheel, { name: "pkg-a" }) }),
      startPypiServer({ "pkg-b": withInfo(wheel, { name: "pkg-b" }) }),
    ]);
    try {
      await mkdir(join(repo, "two"), { recursive: true });
      await writeFile(
        join(repo, "two", "requirements-a.txt"),
        "-i https://a.example/simple\npkg-a==1.0\n",
      );
      await writeFile(
        join(repo, "two", "requirements-b.txt"),
        "-i https://b.example/simple\npkg-b==1.0\n",
      );
      await run(
        [
          "scan",
          "two",
          ...flags(),
          "--format",
          "json",
          "--index-urls",
          `https://a.example/simple=${a.url}`,
          "--index-urls",
          `https://b.example/simple=${b.url}`,
        ],
        { cwd: repo },
      );
      expect(a.requests.map((r) => r.path)).toEqual(["/pypi/pkg-a/json"]);
      expect(b.requests.map((r) => r.path)).toEqual(["/pypi/pkg-b/json"]);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});

describe("help and mistyped flags", () => {
  it.each([["-h"], ["--help"], ["help"]])(
    "%s prints the general help on stdout, exit 0",
    async (flag) => {
      const r = await run([flag], { cwd: dir });
      expect(r.code).toBe(0);
      expect(r.stdout).toContain("Usage: maintainer-domain-guard <command>");
      expect(r.stdout).toContain("3 could not check enough");
    },
  );

  it("help scan and scan --help: every flag with its value, choices and default", async () => {
    for (const args of [
      ["help", "scan"],
      ["scan", "--help"],
    ]) {
      const r = await run(args, { cwd: dir });
      expect(r.code).toBe(0);
      expect(r.stdout).toContain("Usage: maintainer-domain-guard scan [PATH...] [flags]");
      expect(r.stdout).toMatch(
        /--fail-on critical\|high\|medium\|low\|info\|never\s+.*Default: high\./,
      );
      expect(r.stdout).toMatch(/--min-coverage 0\.\.1\s+.*Default: 0\.9\./);
      expect(r.stdout).toMatch(/--deadline DURATION\s+.*Default: 10m\./);
    }
    const deps = await run(["help", "deps"], { cwd: dir });
    expect(deps.stdout).toContain("Usage: maintainer-domain-guard deps");
    expect(deps.stdout).not.toContain("--fail-on");
    // Only what deps takes: the formats it writes, and no config file (it reads none).
    expect(deps.stdout).toMatch(/--format table\|json\s/);
    expect(deps.stdout).not.toMatch(/markdown|sarif|--config/);
    const general = await run(["help"], { cwd: dir });
    expect(general.stdout).toContain("MDG_INDEX_TOKEN");
  });

  it("-V prints the version", async () => {
    const r = await run(["-V"], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });

  it("deps writes table or json: another --format is bad usage, exit 2", async () => {
    for (const format of ["sarif", "markdown"]) {
      const r = await run(["deps", join(dir, "clean"), "--format", format], { cwd: dir });
      expect(r.code, format).toBe(2);
      expect(r.stdout).toBe("");
      expect(r.stderr).toContain(`deps writes table or json, not ${format}`);
    }
  });

  it.each([
    [["--timeout", "5s"], "timeout"],
    [["--config", "nonexistent.yml"], "config"],
    [["--fail-on", "critical"], "fail-on"],
  ])("deps with %j: a scan flag is bad usage, never silently ignored", async (args, flag) => {
    const r = await run(["deps", join(dir, "clean"), ...args], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain(
      `deps takes only --format and --output (it reads lockfiles, no network); --${flag} is scan's`,
    );
  });

  it("a value given to a flag that takes none names the flag", async () => {
    const r = await run(["scan", ".", "--help=x"], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--help takes no value");
  });

  it("an unknown flag: one line with the nearest known one, exit 2", async () => {
    const r = await run(["scan", ".", "--fail-onn", "high"], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toEqual([
      expect.stringContaining("unknown flag --fail-onn: did you mean --fail-on?"),
    ]);
    expect(r.stderr).not.toMatch(/TypeError|ERR_PARSE_ARGS|allowPositionals/);
  });

  it("an unknown command: the nearest one for a typo, `scan <it>` for a path, else no guess; exit 2", async () => {
    const typo = await run(["scna", "clean"], { cwd: dir });
    expect(typo.code).toBe(2);
    expect(typo.stderr.trim().split("\n")).toEqual([
      'maintainer-domain-guard: unknown command "scna": did you mean scan? (use scan or deps; run `maintainer-domain-guard help`)',
    ]);
    // The command left out: the first word is a lockfile's folder.
    const path = await run(["clean", "--format", "json"], { cwd: dir });
    expect(path.code).toBe(2);
    expect(path.stderr).toContain(
      'unknown command "clean": to scan it, run `maintainer-domain-guard scan clean`',
    );
    expect(path.stdout).toBe("");
    const other = await run(["frobnicate"], { cwd: dir });
    expect(other.code).toBe(2);
    expect(other.stderr.trim()).toBe(
      'maintainer-domain-guard: unknown command "frobnicate" (use scan or deps; run `maintainer-domain-guard help`)',
    );
  });
});

describe("credentials and proxies", () => {
  let guarded: TestServer;
  const user = "alice";
  const password = "hunter2-Zq9";
  const token = "tok-SECRET-771";
  beforeAll(async () => {
    // A private mirror in front of the world's index: Basic for alice, Bearer for the token.
    guarded = await startServer(async (req, res) => {
      const auth = req.headers.authorization ?? "";
      const basic = `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
      if (auth !== basic && auth !== `Bearer ${token}`) {
        res.writeHead(401).end();
        return;
      }
      const upstream = await fetch(`${world.pypi.url.replace(/\/pypi$/, "")}${req.url}`);
      res.writeHead(upstream.status, { "content-type": "application/json" });
      res.end(await upstream.text());
    });
  });
  afterAll(async () => {
    await guarded?.close();
  });

  it("user:password@ in --pypi-url is sent as Basic and appears in no output, file or cache", async () => {
    const cache = join(dir, "creds", "cache.json");
    const sarif = join(dir, "creds", "out.sarif");
    const url = guarded.url.replace("http://", `http://${user}:${password}@`) + "/pypi";
    const outputs: string[] = [];
    for (const format of ["json", "table", "markdown", "sarif"]) {
      const r = await run(
        [
          "scan",
          join(dir, "lapsed"),
          ...flags(),
          "--pypi-url",
          url,
          "--format",
          format,
          "--cache",
          cache,
          "--sarif-file",
          sarif,
        ],
        { cwd: dir },
      );
      expect(r.code).toBe(1);
      outputs.push(r.stdout, r.stderr);
    }
    outputs.push(await readFile(cache, "utf8"), await readFile(sarif, "utf8"));
    // A bad value for the URL is reported without the password too.
    const bad = await run(["scan", dir, "--pypi-url", `ftp://${user}:${password}@x/`], {
      cwd: dir,
    });
    expect(bad.code).toBe(2);
    outputs.push(bad.stdout, bad.stderr);
    const b64 = Buffer.from(`${user}:${password}`).toString("base64");
    for (const text of outputs) {
      expect(text).not.toContain(password);
      expect(text).not.toContain(b64);
    }
    expect(guarded.requests.length).toBeGreaterThan(0);
  });

  it("MDG_PYPI_TOKEN is sent as Bearer and printed nowhere; the config file may not hold it", async () => {
    const r = await run(
      ["scan", join(dir, "lapsed"), ...flags(), "--pypi-url", `${guarded.url}/pypi`],
      { cwd: dir, env: { MDG_PYPI_TOKEN: token } },
    );
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).not.toContain(token);
    const config = join(dir, "token.yml");
    await writeFile(config, `pypi-token: ${token}\n`);
    const refused = await run(["scan", join(dir, "lapsed"), "--config", config], { cwd: dir });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("pypi-token: is a secret and is not read from");
    expect(refused.stderr).not.toContain(token);
  });

  it("HTTP_PROXY carries PyPI and RDAP requests; NO_PROXY bypasses it", async () => {
    const proxy: ProxyServer = await startProxy();
    try {
      const bootstrap = join(dir, "proxied-dns.json");
      await writeFile(bootstrap, await readFile(world.bootstrapFile, "utf8"));
      const args = ["scan", join(dir, "clean"), ...flags(), "--rdap-bootstrap", bootstrap];
      const r = await run(args, {
        cwd: dir,
        env: { HTTP_PROXY: proxy.url },
      });
      expect(r.code).toBe(0);
      // http:// targets are forwarded in absolute form, as curl sends them.
      const forwarded = (url: string) =>
        proxy.seen.some((line) => line.startsWith(`GET ${new URL(url).origin}/`));
      expect(forwarded(world.pypi.url)).toBe(true);
      expect(forwarded(world.rdap.url)).toBe(true);
      proxy.seen.length = 0;
      const direct = await run(args, {
        cwd: dir,
        env: { http_proxy: proxy.url, NO_PROXY: "127.0.0.1" },
      });
      expect(direct.code).toBe(0);
      expect(proxy.seen).toEqual([]);
    } finally {
      await proxy.close();
    }
  });
});

describe("a proxy that refuses", () => {
  it("a 407 from the proxy: exit 3, one line naming the proxy and how to give it credentials", async () => {
    const { createServer } = await import("node:net");
    let connections = 0;
    const proxy = createServer((socket) => {
      connections++;
      socket.on("error", () => undefined);
      socket.once("data", () =>
        socket.end(
          "HTTP/1.1 407 Proxy Authentication Required\r\n" +
            'Proxy-Authenticate: Basic realm="proxy"\r\nContent-Length: 0\r\n\r\n',
        ),
      );
    });
    await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
    const port = (proxy.address() as { port: number }).port;
    try {
      const r = await run(["scan", join(dir, "many"), ...flags()], {
        cwd: dir,
        env: { HTTP_PROXY: `http://127.0.0.1:${port}` },
      });
      expect(r.code).toBe(3);
      const said = linesMatching(r.stderr, /^warning: .*unreachable/);
      expect(said.length).toBeGreaterThanOrEqual(1);
      expect(said[0]).toContain(
        `unreachable: the proxy 127.0.0.1:${port} refused: 407 Proxy Authentication Required; ` +
          "give the proxy's user and password in HTTP_PROXY, before its host: user:password@host:port",
      );
      expect(JSON.parse(r.stdout).coverage.packages).toMatchObject({ checked: 0, total: 30 });
      // Given up after the first few answers (those already in flight aside), not one per package.
      expect(connections).toBeLessThan(30);
    } finally {
      await new Promise((resolve) => proxy.close(resolve));
    }
  });
});

it("the test folder is left clean of stray report files", () => {
  expect(existsSync(join(dir, "report.json"))).toBe(false);
});

// Shared set-up for the action's end-to-end tests: a temporary git repository with a base and a
// head commit, loopback PyPI, RDAP, DNS and GitHub servers, an event payload file, and the
// environment a runner would give the step.
import { execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { startDnsServer, type DnsServer } from "../servers/dns.js";
import { startGitHubServer, type GitHubServer } from "../servers/github.js";
import { pypiFixture, startPypiServer, withInfo, type PypiServer } from "../servers/pypi.js";
import { bootstrapFor, fixtureJson, startRdapServer, type RdapServer } from "../servers/rdap.js";

/** The clock of in-process runs. */
export const NOW = new Date("2026-03-23T12:00:00Z");

const release = pypiFixture("wheel-0.40.0.json");
const pkg = (name: string, authorEmail: string) =>
  withInfo(release, {
    name,
    author: "",
    author_email: authorEmail,
    maintainer: "",
    maintainer_email: "",
  });

/** Package -> maintainer address. `lapsed-*.com` domains are unregistered (RDAP 404, no NS). */
export const PACKAGES: Record<string, string> = {
  steady: "Steady Maintainer <steady@google.com>",
  "old-lapsed": "Old Maintainer <old@lapsed-old.com>",
  "new-lapsed": "new@lapsed-new.com",
  "other-lapsed": "other@lapsed-other.com",
};

export interface World {
  root: string;
  workspace: string;
  pypi: PypiServer;
  rdap: RdapServer;
  dns: DnsServer;
  gh: GitHubServer;
  bootstrapFile: string;
  /** Commit the given files (path -> text; undefined deletes) and return the new sha. */
  commit(files: Record<string, string | undefined>, message: string): string;
  git(...args: string[]): string;
  /** Write an event payload and return its path. */
  event(name: string, payload: unknown): string;
  /** A fresh outputs / summary file pair for one run. */
  runFiles(label: string): { output: string; summary: string; temp: string };
  close(): Promise<void>;
}

export async function startWorld(extraPackages: Record<string, string> = {}): Promise<World> {
  const root = mkdtempSync(join(tmpdir(), "mdg-action-"));
  const workspace = join(root, "repo");
  mkdirSync(workspace);
  const all = { ...PACKAGES, ...extraPackages };
  const pypi = await startPypiServer(
    Object.fromEntries(Object.entries(all).map(([n, e]) => [n, pkg(n, e)])),
  );
  // The real google.com answer, with its expiration moved far ahead so that the built action
  // (which runs on the real clock) sees a registered domain whatever the date.
  const google = fixtureJson("verisign-com-google.com-related-registrar.json");
  google.events = (google.events as { eventAction: string; eventDate: string }[]).map((e) =>
    e.eventAction === "expiration" ? { ...e, eventDate: "2099-09-14T04:00:00Z" } : e,
  );
  const rdap = await startRdapServer({ "google.com": { status: 200, body: google } });
  const dns = await startDnsServer({ delegated: ["google.com"] });
  const gh = await startGitHubServer();
  const bootstrapFile = join(root, "bootstrap.json");
  writeFileSync(bootstrapFile, JSON.stringify(bootstrapFor({ com: `${rdap.url}/` })));

  const git = (...args: string[]) =>
    execFileSync(
      "git",
      ["-c", "user.name=Test", "-c", "user.email=test@example.invalid", ...args],
      {
        cwd: workspace,
        encoding: "utf8",
      },
    ).trim();
  git("init", "-q", "-b", "main");
  let runs = 0;
  return {
    root,
    workspace,
    pypi,
    rdap,
    dns,
    gh,
    bootstrapFile,
    git,
    commit(files, message) {
      for (const [path, text] of Object.entries(files)) {
        const full = join(workspace, path);
        if (text === undefined) rmSync(full, { force: true });
        else {
          mkdirSync(dirname(full), { recursive: true });
          writeFileSync(full, text);
        }
      }
      git("add", "-A");
      git("commit", "-q", "--allow-empty", "-m", message);
      return git("rev-parse", "HEAD");
    },
    event(name, payload) {
      const file = join(root, `event-${name}-${++runs}.json`);
      writeFileSync(file, JSON.stringify(payload));
      return file;
    },
    runFiles(label) {
      const dir = join(root, `run-${label}-${++runs}`);
      mkdirSync(join(dir, "temp"), { recursive: true });
      const output = join(dir, "output");
      const summary = join(dir, "summary.md");
      writeFileSync(output, "");
      writeFileSync(summary, "");
      return { output, summary, temp: join(dir, "temp") };
    },
    async close() {
      await Promise.all([pypi.close(), rdap.close(), dns.close(), gh.close()]);
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** The inputs every run shares: loopback servers, no cache service. */
export function baseInputs(world: World): Record<string, string> {
  return {
    "pypi-url": world.pypi.url,
    "rdap-bootstrap": world.bootstrapFile,
    "dns-server": world.dns.address,
    "github-token": "ghs_loopback_token",
    timeout: "5s",
    retries: "0",
  };
}

export function pullRequestPayload(base: string, head: string, number = 7): unknown {
  return {
    pull_request: { number, base: { sha: base }, head: { sha: head } },
    repository: { full_name: "octo/lib" },
  };
}

/** Parse a GITHUB_OUTPUT file (`name<<delimiter` blocks) into a map. */
export function parseOutputFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const m = /^([^<=]+)<<(.+)$/.exec(lines[i]!);
    if (!m) continue;
    const value: string[] = [];
    for (i++; i < lines.length && lines[i] !== m[2]; i++) value.push(lines[i]!);
    out[m[1]!] = value.join("\n");
  }
  return out;
}

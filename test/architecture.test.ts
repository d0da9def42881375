// The structure rules of README's "How the code is organised", read from the imports of every
// file under src/. A broken rule is a red build naming the file and the import, not a review note.
import { readFileSync, readdirSync } from "node:fs";
import { join, posix, relative } from "node:path";
import { describe, expect, it } from "vitest";

const SRC = join(import.meta.dirname, "..", "src");

/** The stages, in the order the data flows. */
const STAGES = [
  "options",
  "discover",
  "lockfiles",
  "net",
  "pypi",
  "domains",
  "rdap",
  "assess",
  "scan",
  "report",
  "action",
  "cli",
] as const;
type Stage = (typeof STAGES)[number];

/** Root modules every stage may use; they import no stage. */
const SHARED_ROOT = ["types.ts", "codes.ts", "names.ts", "version.ts", "words.ts"];
/** The two entries: each hands over to one stage and does nothing else. */
const ENTRIES = ["index.ts", "cli.ts"];

/** Node modules that reach outside the process: files, network, DNS, child processes. */
const IO_MODULES = [
  "fs",
  "fs/promises",
  "net",
  "tls",
  "http",
  "https",
  "http2",
  "dns",
  "dns/promises",
  "dgram",
  "child_process",
  "worker_threads",
];

interface Rule {
  /** Stages the rule applies to. */
  from: readonly Stage[];
  /** Stages they must never import. */
  never: readonly Stage[];
  why: string;
}

const RULES: Rule[] = [
  {
    from: ["lockfiles", "net", "options"],
    never: STAGES,
    why: "text-in parsers, the HTTP policy and the options come first and import no other stage",
  },
  {
    from: ["domains", "assess"],
    never: ["net", "pypi", "rdap", "scan", "report", "action", "cli", "discover", "lockfiles"],
    why: "pure stages know no client, reporter or entry",
  },
  {
    from: ["report"],
    never: ["net", "pypi", "rdap", "scan", "discover", "action", "cli"],
    why: "reporters are pure functions of the Report",
  },
  {
    from: ["pypi", "rdap"],
    never: ["assess", "scan", "report", "action", "cli"],
    why: "clients say what the servers said; judging and reporting come later",
  },
  { from: ["scan", "cli"], never: ["action"], why: "only the action knows GitHub" },
];

export interface SourceFile {
  /** Path under src/, `/`-separated. */
  path: string;
  text: string;
}

export interface Violation {
  file: string;
  import: string;
  rule: string;
}

/** Every module specifier a file imports: static, type-only, re-exports and dynamic `import()`. */
export function importsOf(text: string): string[] {
  const found: string[] = [];
  const patterns = [
    /^\s*(?:import|export)\s[^;]*?\sfrom\s*["']([^"']+)["']/gms,
    /^\s*import\s*["']([^"']+)["']/gm,
    /\bimport\(\s*["']([^"']+)["']\s*\)/g,
  ];
  for (const pattern of patterns) for (const m of text.matchAll(pattern)) found.push(m[1]!);
  return found;
}

function stageOf(path: string): Stage | "root" | "entry" | undefined {
  if (!path.includes("/")) return ENTRIES.includes(path) ? "entry" : "root";
  const top = path.split("/")[0] as Stage;
  return STAGES.includes(top) ? top : undefined;
}

/** The stage (or root module) a relative import lands in, seen from `file`. */
function targetOf(file: string, specifier: string): string | undefined {
  if (!specifier.startsWith(".")) return undefined;
  const target = posix.normalize(posix.join(posix.dirname(file), specifier));
  return target.startsWith("..") ? "outside src" : target;
}

/** Check every rule over a set of files; returns each broken rule with the file and the import. */
export function checkArchitecture(files: readonly SourceFile[]): Violation[] {
  const out: Violation[] = [];
  for (const file of files) {
    const from = stageOf(file.path);
    if (from === undefined) {
      out.push({ file: file.path, import: "", rule: "a folder in src/ that is not a stage" });
      continue;
    }
    for (const specifier of importsOf(file.text)) {
      const say = (rule: string) => out.push({ file: file.path, import: specifier, rule });
      if (specifier.startsWith("@actions/") && from !== "action") {
        say("only src/action/ imports @actions/*");
      }
      const bare = specifier.replace(/^node:/, "");
      if ((from === "domains" || from === "assess") && IO_MODULES.includes(bare)) {
        say(`${from}/ does no I/O`);
      }
      const target = targetOf(file.path, specifier);
      if (target === undefined) continue;
      if (target === "outside src") {
        say("src/ imports nothing outside src/");
        continue;
      }
      const to = stageOf(target);
      if (from === "root" && to !== "root") say("shared root modules import no stage");
      if (from === "entry" || to === "root" || to === "entry" || to === undefined) continue;
      if (from === "root") continue;
      for (const rule of RULES) {
        if (rule.from.includes(from) && to !== from && rule.never.includes(to)) {
          say(`${from}/ never imports ${to}/: ${rule.why}`);
        }
      }
    }
  }
  return out;
}

function readTree(dir: string): SourceFile[] {
  const files: SourceFile[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith(".ts")) continue;
    const full = join(entry.parentPath, entry.name);
    files.push({
      path: relative(SRC, full).split("\\").join("/"),
      text: readFileSync(full, "utf8"),
    });
  }
  return files.sort((a, b) => (a.path < b.path ? -1 : 1));
}

const describeViolation = (v: Violation) => `${v.file}: import "${v.import}": ${v.rule}`;

describe("the tree is the architecture", () => {
  const tree = readTree(SRC);

  it("keeps every rule of what may import what", () => {
    expect(checkArchitecture(tree).map(describeViolation)).toEqual([]);
  });

  it("has one folder per stage and at most 8 modules loose in src/", () => {
    const loose = tree.filter((f) => !f.path.includes("/")).map((f) => f.path);
    expect(loose.length).toBeLessThanOrEqual(8);
    expect(loose.sort()).toEqual([...ENTRIES, ...SHARED_ROOT].sort());
    const folders = new Set(
      tree.filter((f) => f.path.includes("/")).map((f) => f.path.split("/")[0]),
    );
    expect([...folders].sort()).toEqual([...STAGES].sort());
  });

  it("writes PEP 503 normalisation in one file only", () => {
    const writers = tree.filter((f) => /\/\[-_\.\]\+\/g/.test(f.text)).map((f) => f.path);
    expect(writers).toEqual(["names.ts"]);
  });

  it("imports @actions/* only under src/action/", () => {
    const users = tree
      .filter((f) => importsOf(f.text).some((s) => s.startsWith("@actions/")))
      .map((f) => f.path.split("/")[0]);
    expect(new Set(users)).toEqual(new Set(["action"]));
  });
});

describe("the rules catch what they are meant to catch", () => {
  it.each([
    [
      "assess/risk.ts",
      'import { isLapsedStatus } from "../rdap/client.js";',
      "assess/ never imports rdap/",
    ],
    [
      "assess/risk.ts",
      'import { sortFindings } from "../report/verdict.js";',
      "assess/ never imports report/",
    ],
    [
      "lockfiles/formats/uv.ts",
      'import type { HttpClient } from "../../net/http.js";',
      "lockfiles/ never imports net/",
    ],
    [
      "net/http.ts",
      'import { Options } from "../options/options.js";',
      "net/ never imports options/",
    ],
    [
      "options/options.ts",
      'import { canonicalDomain } from "../domains/canonical.js";',
      "options/ never imports domains/",
    ],
    ["report/table.ts", 'export { scan } from "../scan/scan.js";', "report/ never imports scan/"],
    [
      "rdap/client.ts",
      'import type { Finding } from "../assess/risk.js";',
      "rdap/ never imports assess/",
    ],
    ["pypi/client.ts", 'const m = await import("../scan/cache.js");', "pypi/ never imports scan/"],
    ["scan/scan.ts", 'import { run } from "../action/run.js";', "scan/ never imports action/"],
    [
      "cli/main.ts",
      'import * as core from "@actions/core";',
      "only src/action/ imports @actions/*",
    ],
    ["domains/emails.ts", 'import { readFile } from "node:fs/promises";', "domains/ does no I/O"],
    ["assess/lifecycle.ts", 'import { Resolver } from "node:dns/promises";', "assess/ does no I/O"],
    [
      "codes.ts",
      'import { plural } from "./report/verdict.js";',
      "shared root modules import no stage",
    ],
    ["utils/helpers.ts", "export const x = 1;", "a folder in src/ that is not a stage"],
  ])("%s with %s breaks %j", (path, text, rule) => {
    const found = checkArchitecture([{ path, text }]);
    expect(found).toEqual([
      expect.objectContaining({ file: path, rule: expect.stringContaining(rule) }),
    ]);
  });

  it("allows what the flow allows", () => {
    const allowed: SourceFile[] = [
      {
        path: "scan/scan.ts",
        text: 'import { assess } from "../assess/risk.js";\nimport type { Report } from "../types.js";',
      },
      {
        path: "rdap/client.ts",
        text: 'import { canonicalDomain } from "../domains/canonical.js";',
      },
      { path: "report/sarif.ts", text: 'import { createHash } from "node:crypto";' },
      {
        path: "action/run.ts",
        text: 'import * as core from "@actions/core";\nimport { scan } from "../scan/scan.js";',
      },
      { path: "index.ts", text: 'import { run } from "./action/run.js";' },
    ];
    expect(checkArchitecture(allowed)).toEqual([]);
  });
});

// Legacy `##[cmd]` commands: the runner executes `##[` anywhere in a log line (see
// test/fixtures/github/runner-command-rules.md). Every log sink of the action is checked
// against an emulation of the runner's two parsers, with stop-commands and add-mask payloads.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { guardedCore, routeLogEvent, type ActionCore } from "../../src/action/log.js";
import {
  breakLegacyCommands,
  escapeLogLine,
  escapeWorkflowCommand,
} from "../../src/report/escape.js";
import { run } from "../../src/action/run.js";
import { NOW, baseInputs, startWorld, type World } from "./scenario.js";

const REGISTERED = new Set([
  "add-mask",
  "stop-commands",
  "error",
  "warning",
  "notice",
  "debug",
  "set-output",
  "save-state",
  "echo",
  "group",
  "endgroup",
  "add-matcher",
  "remove-matcher",
  "set-env",
  "add-path",
]);

/** The commands the runner would execute for one line (ActionCommand.TryParseV2, then TryParse). */
function runnerCommands(line: string, registered = REGISTERED): string[] {
  const trimmed = line.trimStart();
  if (trimmed.startsWith("::")) {
    const end = trimmed.indexOf("::", 2);
    if (end > 0) {
      const name = trimmed.slice(2, end).split(" ")[0]!.toLowerCase();
      if (registered.has(name)) return [name];
    }
  }
  const start = line.indexOf("##[");
  if (start >= 0) {
    const close = line.indexOf("]", start + 3);
    if (close > 0) {
      const name = line
        .slice(start + 3, close)
        .split(" ")[0]!
        .toLowerCase();
      if (registered.has(name)) return [name];
    }
  }
  return [];
}

const PAYLOADS = [
  "x ##[add-mask]leaked",
  "##[stop-commands]resume-token",
  "prefix ##[error file=action.yml;line=1]forged",
  "##[warning]forged",
  "###[error]three hashes",
  "::not-a-command::x ##[error]y",
  "a\n##[set-output name=pwned]1",
];

describe("the runner's legacy parser", () => {
  it("would act on the raw payloads (so the checks below are not vacuous)", () => {
    for (const p of PAYLOADS) {
      expect(p.split("\n").flatMap((l) => runnerCommands(l)).length, p).toBeGreaterThan(0);
    }
  });

  it.each(PAYLOADS)("breakLegacyCommands(%j) leaves no command and keeps the text", (p) => {
    const out = breakLegacyCommands(p);
    expect(out.split("\n").flatMap((l) => runnerCommands(l))).toEqual([]);
    expect(out.replace(/\u2060/g, "")).toBe(p);
  });

  it.each(PAYLOADS)("escapeLogLine(%j) is one inert line", (p) => {
    const out = escapeLogLine(p);
    expect(out).not.toMatch(/\n/);
    expect(runnerCommands(out)).toEqual([]);
  });

  it("a resume token registered by stop-commands is never reached either", () => {
    const token = "resume-token";
    const out = escapeLogLine(`text ##[${token}]`);
    expect(runnerCommands(out, new Set([...REGISTERED, token]))).toEqual([]);
  });
});

describe("every sink of the action's toolkit", () => {
  /** A toolkit that prints as @actions/core does: `::warning title=…::data`. */
  function printingCore(lines: string[]): ActionCore {
    const command =
      (name: string) =>
      (message: string | Error, props: { title?: string; file?: string } = {}) => {
        const p = Object.entries(props)
          .map(([k, v]) => `${k}=${escapeWorkflowCommand(String(v), "property")}`)
          .join(",");
        lines.push(`::${name}${p ? ` ${p}` : ""}::${escapeWorkflowCommand(String(message))}`);
      };
    return {
      getInput: () => "",
      setOutput: () => undefined,
      setSecret: () => undefined,
      setFailed: command("error"),
      error: command("error"),
      warning: command("warning"),
      notice: command("notice"),
      info: (m: string) => void lines.push(m),
      debug: command("debug"),
    };
  }

  it.each(PAYLOADS)("%j through info, annotations, titles, failures and routed scan lines", (p) => {
    const lines: string[] = [];
    const core = guardedCore(printingCore(lines), { error: 0, warning: 0, notice: 0 });
    core.info(p);
    core.debug(p);
    core.warning(p, { title: p, file: "requirements.txt" });
    core.error(p, { title: p });
    core.notice(p);
    core.setFailed(p);
    routeLogEvent(core, { level: "info", text: p });
    routeLogEvent(core, { level: "warning", text: p });
    // Under stop-commands the `::` commands are text, and only `##[` could act: check both.
    const legacyOnly = lines.flatMap((l) => (l.includes("##[") ? [l] : []));
    expect(legacyOnly).toEqual([]);
    const own = lines.flatMap((l) => runnerCommands(l));
    expect(own.every((c) => ["warning", "error", "notice", "debug"].includes(c))).toBe(true);
  });
});

describe("run() with `##[` in a lockfile", () => {
  let world: World;
  beforeEach(async () => {
    world = await startWorld();
  });
  afterEach(async () => {
    await world.close();
  });

  it("no recorded line carries a legacy command, though the payload reached the log", async () => {
    world.commit(
      {
        "requirements.txt": "steady==0.40.0\nbroken ##[add-mask]leak ==\n##[stop-commands]tok\n",
        "req-##[warning]x.txt": "steady==0.40.0\nalso broken ##[error]forged ((\n",
      },
      "hostile",
    );
    const printed: string[] = [];
    const inputs: Record<string, string> = {
      ...baseInputs(world),
      paths: "requirements.txt\nreq-##[warning]x.txt",
    };
    const sink = (m: string | Error, props?: object) =>
      void printed.push(String(m), ...Object.values(props ?? {}).map(String));
    await run({
      core: {
        getInput: (n: string) => inputs[n] ?? "",
        setOutput: (_n: string, v: unknown) => void printed.push(String(v)),
        setSecret: () => undefined,
        setFailed: sink,
        error: sink,
        warning: sink,
        notice: sink,
        info: (m: string) => void printed.push(m),
        debug: (m: string) => void printed.push(m),
      },
      now: () => NOW,
      env: {
        GITHUB_WORKSPACE: world.workspace,
        GITHUB_EVENT_NAME: "push",
        RUNNER_TEMP: world.runFiles("hostile").temp,
      },
    });
    expect(printed.join("\n")).toContain("\u2060#[");
    expect(printed.filter((l) => l.includes("##["))).toEqual([]);
  });
});

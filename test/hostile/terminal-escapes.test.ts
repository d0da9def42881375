// Terminal escape injection: a registry status or metadata string carrying ANSI sequences
// (clear screen, colours, a hyperlink, a cursor move that hides a line) or bidirectional
// overrides must not reach the terminal table or the Markdown summary as control characters.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rdapBody, startHostileWorld, type HostileWorld } from "./harness.js";

const ATTACKS = {
  clearScreen: "\u001b[2J\u001b[H",
  fakeOk: "\u001b[32mNo findings: all clear\u001b[0m",
  hyperlink: "\u001b]8;;https://evil.example/\u0007renew here\u001b]8;;\u0007",
  cursorUp: "x\u001b[1A\u001b[2Kline above erased",
  c1Csi: "\u009b31mred",
  bidi: "\u202egnp.exe",
  bell: "ring\u0007ring",
  backspace: "critical\b\b\b\b\b\b\b\binfo    ",
};

let world: HostileWorld;

beforeAll(async () => {
  world = await startHostileWorld({
    files: { "requirements.txt": "ansi-victim==1.0.0\n" },
    packages: {
      "ansi-victim": {
        name: "ansi-victim",
        author: ATTACKS.fakeOk,
        author_email: "dev@ansi-hostile.com",
      },
    },
    domains: {
      "ansi-hostile.com": rdapBody("ansi-hostile.com", ["client hold", ...Object.values(ATTACKS)]),
    },
  });
});

afterAll(async () => {
  await world?.close();
});

// Every C0 control except LF (and CR in CRLF), DEL, C1 controls, and bidi overrides/isolates.
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

describe("terminal escapes in attacker-controlled strings", () => {
  it.each(["table", "markdown"] as const)(
    "--format %s carries no control characters",
    async (format) => {
      const { stdout, stderr } = await world.run(format);
      expect(stdout).toContain("ansi-hostile.com");
      expect(stdout).toMatch(/line above erased|renew here/); // the text is shown, the controls are not
      expect(stdout.replace(/\r\n/g, "\n")).not.toMatch(CONTROL);
      expect(stderr.replace(/\r\n/g, "\n")).not.toMatch(CONTROL);
    },
  );
});

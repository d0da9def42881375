// The scanner's WebAssembly is compiled and optimised at once, not on its first call and not
// after it has read megabytes in V8's baseline code: a fresh process reads its first big answer
// with the optimised code (bench/answers.mjs measures what that is worth). What V8 did with a
// function is asked through its test natives (%IsTurboFanFunction …), allowed for this file.
import { setFlagsFromString } from "node:v8";
import { describe, expect, it } from "vitest";
import {
  compileScanModule,
  createAnswerScanner,
  DEFAULT_ANSWER_LIMITS,
  userSetsTiering,
} from "../../src/pypi/answer-stream.js";

setFlagsFromString("--allow-natives-syntax");
type Tier = "uncompiled" | "baseline" | "optimised";
const tierOf = new Function(
  "f",
  `return %IsUncompiledWasmFunction(f) ? "uncompiled" : %IsTurboFanFunction(f) ? "optimised" : %IsLiftoffFunction(f) ? "baseline" : "unknown"`,
) as (f: unknown) => Tier;

/** `(module (func (export "f") (result i32) i32.const 1))`: a module compiled V8's usual way. */
const TINY = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7f, 0x03,
  0x02, 0x01, 0x00, 0x07, 0x05, 0x01, 0x01, 0x66, 0x00, 0x00, 0x0a, 0x06, 0x01, 0x04, 0x00, 0x41,
  0x01, 0x0b,
]);

describe("the scanner's WebAssembly", () => {
  it("is compiled at once and optimised without being called", async () => {
    const fast = new WebAssembly.Instance(compileScanModule(), {}).exports.fast;
    expect(tierOf(fast)).not.toBe("uncompiled");
    let tier = tierOf(fast);
    for (let waited = 0; tier !== "optimised" && waited < 10_000; waited += 10) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      tier = tierOf(fast);
    }
    expect(tier).toBe("optimised");
    // And the scanner reads with it.
    const scanner = createAnswerScanner(DEFAULT_ANSWER_LIMITS, { fastPath: "wasm" });
    expect(scanner.push(new TextEncoder().encode('{"info":{"version":"1"},"releases":{}}'))).toBe(
      undefined,
    );
    expect(scanner.end()).toMatchObject({ info: { version: "1" } });
  });

  it("leaves V8's flags as they were: a module compiled after it is compiled lazily, and optimised only when used", async () => {
    compileScanModule();
    const f = new WebAssembly.Instance(new WebAssembly.Module(TINY), {}).exports.f;
    expect(tierOf(f)).toBe("uncompiled");
    expect((f as () => number)()).toBe(1);
    expect(tierOf(f)).toBe("baseline");
    // Without dynamic tiering set back, it would now be optimised in the background.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(tierOf(f)).toBe("baseline");
  });

  it.each<[string[], string | undefined, boolean]>([
    [[], undefined, false],
    [["--max-old-space-size=4096"], "--enable-source-maps", false],
    [["--no-wasm-lazy-compilation"], undefined, true],
    [["--wasm_dynamic_tiering"], undefined, true],
    [["--no-wasm-dynamic-tiering=true"], undefined, true],
    [[], "--no-wasm-lazy-compilation --enable-source-maps", true],
    [["--wasm-lazy-compilation-other"], undefined, false],
  ])(
    "node started with %j, NODE_OPTIONS %j: its tiering flags are its own: %s",
    (argv, env, own) => {
      expect(userSetsTiering(argv, env)).toBe(own);
    },
  );
});

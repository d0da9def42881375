/**
 * Run the CLI's `main()` in-process with collected stdout and stderr, as a test sees a terminal
 * run: `const { code, stdout, stderr } = await runMain(["scan", dir, "--format", "json"], { cwd: dir, now: () => NOW });`
 */
import { Writable } from "node:stream";
import { main } from "../../src/cli/main.js";
import type { Transport } from "../../src/net/transport.js";

/** A writable that keeps what is written; `isTTY` as given (false: like a pipe). */
export function textSink(isTTY = false) {
  let text = "";
  const stream = new Writable({
    write(chunk, _encoding, done) {
      text += String(chunk);
      done();
    },
  }) as Writable & { isTTY?: boolean };
  stream.isTTY = isTTY;
  return { stream, text: () => text };
}

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runMain(
  args: string[],
  io: {
    cwd: string;
    now: () => Date;
    stderrIsTTY?: boolean;
    transport?: Transport;
    env?: Record<string, string>;
  },
): Promise<CliRun> {
  const out = textSink();
  const err = textSink(io.stderrIsTTY ?? false);
  const code = await main(args, {
    cwd: io.cwd,
    stdout: out.stream,
    stderr: err.stream,
    env: io.env ?? {},
    now: io.now,
    ...(io.transport ? { transport: io.transport } : {}),
  });
  return { code, stdout: out.text(), stderr: err.text() };
}

// The CLI entry: argv -> Options -> the same engine the action runs.
// `--version` answers before the engine is loaded, so it stays fast.
import { VERSION } from "./version.js";

const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === "--version" || argv[0] === "-V")) {
  process.stdout.write(`${VERSION}\n`);
} else {
  const { main } = await import("./cli/main.js");
  process.exitCode = await main(argv, {
    cwd: process.cwd(),
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    now: () => new Date(),
    signals: process,
    exit: (code) => process.exit(code),
  });
}

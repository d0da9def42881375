// The CLI entry: argv -> Options -> the same engine the action runs.
import { main } from "./cli-main.js";

process.exitCode = await main(process.argv.slice(2), {
  cwd: process.cwd(),
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  now: () => new Date(),
});

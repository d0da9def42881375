// Process measurements for the benchmark: wall time, peak RSS, time to the first output line.
import { spawn } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { clearInterval, setInterval } from "node:timers";

const TIME = "/usr/bin/time";

/** Whether peak RSS comes from GNU time (`-v`) or from polling /proc. */
export function rssMethod() {
  return existsSync(TIME)
    ? "GNU time -v (maximum resident set size)"
    : "polling /proc/<pid>/status VmHWM every 20 ms";
}

/**
 * Run a command to completion. Returns exit code, wall milliseconds (spawn to exit, measured
 * here), CPU milliseconds (user + system, with GNU time only), peak RSS in MiB, stdout and stderr.
 */
export function runMeasured(command, args, opts = {}) {
  const useTime = existsSync(TIME);
  const argv = useTime ? ["-v", command, ...args] : args;
  const bin = useTime ? TIME : command;
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(bin, argv, {
      cwd: opts.cwd,
      env: opts.env ?? process.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    let hwmKb = 0;
    let cpuMs;
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const poll = useTime
      ? undefined
      : setInterval(() => {
          try {
            const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, "utf8"));
            if (m) hwmKb = Math.max(hwmKb, Number(m[1]));
          } catch {
            // the process has exited
          }
        }, 20);
    child.on("error", reject);
    child.on("close", (code) => {
      const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
      if (poll) clearInterval(poll);
      if (useTime) {
        const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr);
        if (m) hwmKb = Number(m[1]);
        const user = /User time \(seconds\): ([\d.]+)/.exec(stderr);
        const sys = /System time \(seconds\): ([\d.]+)/.exec(stderr);
        if (user && sys) cpuMs = (Number(user[1]) + Number(sys[1])) * 1000;
        // Keep the command's own stderr only.
        stderr = stderr
          .replace(/\n?\tCommand being timed:[\s\S]*$/, "\n")
          .replace(/Command exited with non-zero status \d+\n?/, "");
      }
      resolve({ code, wallMs, cpuMs, peakRssMiB: hwmKb / 1024, stdout, stderr });
    });
  });
}

/** Milliseconds from spawn to the first complete line on stdout or stderr (the child is then killed). */
export function timeToFirstLine(command, args, opts = {}) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(command, args, {
      cwd: opts.cwd,
      env: opts.env ?? process.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let done = false;
    let text = "";
    const finish = (line) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve({ ms: Number(process.hrtime.bigint() - started) / 1e6, line });
      child.kill();
    };
    const onData = (d) => {
      text += d;
      const i = text.indexOf("\n");
      if (i >= 0) finish(text.slice(0, i));
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("error", reject);
    child.on("close", () => finish(text || "(no output)"));
    const timer = setTimeout(() => finish("(timed out)"), opts.timeoutMs ?? 10_000);
  });
}

export function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/**
 * Put `section` (which starts with `<!-- NAME:start -->` and ends with `<!-- NAME:end -->`) into
 * bench/RESULTS.md in place of the section of that name, or at the end when there is none; the
 * rest of the file is kept.
 */
export function writeResultsSection(file, name, section) {
  const old = existsSync(file) ? readFileSync(file, "utf8") : "# Benchmark results\n";
  const marked = new RegExp(`<!-- ${name}:start -->[\\s\\S]*<!-- ${name}:end -->`);
  writeFileSync(
    file,
    marked.test(old) ? old.replace(marked, () => section) : `${old.trimEnd()}\n\n${section}\n`,
  );
}

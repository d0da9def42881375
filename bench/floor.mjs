// `node bench/floor.mjs`: how fast could any reader that checks every byte of a big answer be
// here, against how fast the scanner is and how fast the answer downloads? For the target "each
// within 2× the time to download it on loopback": a reader whose cost per byte is at least the
// download's cannot meet it, since the client's one thread both receives and reads each byte.
//
// In this process, over the same answers as bench/answers.mjs (from bench/answer-servers.mjs, in
// chunks of 64 KiB), best and median of 9 passes each:
//   copy       the chunks copied into WebAssembly memory, nothing else (every reader pays it);
//   classify   + simdjson's first stage in 128-bit SIMD (bench/floor.as): quote, backslash,
//              control and structural masks, escapes, the in-string mask: no token visited;
//   walk       + every token outside strings visited once (a depth counter): the least that a
//              grammar check must add;
//   scanner    the scanner the CLI runs (src/pypi/answer-stream.ts), reading the whole answer.
// And each answer's download in a fresh process (bench/download.mjs), best of 5. The last column
// is the lowest ratio to the download that a reader of that cost could reach (1 + read / download).
//
//   node bench/floor.mjs [--no-write]
import { fork } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { runMeasured, writeResultsSection } from "./measure.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..");
const { values: flags } = parseArgs({ options: { "no-write": { type: "boolean" } } });
const MB = 1000 * 1000;
const CHUNK = 64 * 1024;
const PASSES = 9;

/** bench/floor.as as WebAssembly, compiled with the options the build gives the scanner. */
async function compileFloor() {
  const { default: asc } = await import("assemblyscript/asc");
  const source = readFileSync(join(here, "floor.as"), "utf8");
  const out = new Map();
  const { error, stderr } = await asc.main(
    [
      "floor.ts",
      "--outFile",
      "floor.wasm",
      "--runtime",
      "stub",
      "--optimizeLevel",
      "3",
      "--noAssert",
      "--enable",
      "simd",
      "--use",
      "abort=",
      "--initialMemory",
      "4",
    ],
    {
      readFile: (name) => (name === "floor.ts" ? source : null),
      writeFile: (name, contents) => out.set(name, contents),
      listFiles: () => [],
    },
  );
  if (error) throw new Error(`bench/floor.as: ${stderr.toString()}`);
  return new WebAssembly.Instance(new WebAssembly.Module(out.get("floor.wasm")), {}).exports;
}

/** The scanner from src/, transpiled to a temporary folder (the bench runs without a build). */
async function loadScanner(dir) {
  const ts = (await import("typescript")).default;
  for (const name of ["answer-stream", "releases-scan-wasm"]) {
    const source = readFileSync(join(root, "src", "pypi", `${name}.ts`), "utf8");
    const { outputText } = ts.transpileModule(source, {
      compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022 },
    });
    writeFileSync(join(dir, `${name}.js`), outputText);
  }
  return import(pathToFileURL(join(dir, "answer-stream.js")).href);
}

const answers = [
  { name: "big-plain-12", bytes: 12 * MB, encoding: "plain" },
  { name: "big-plain-80", bytes: 80 * MB, encoding: "plain" },
];
const server = fork(join(here, "answer-servers.mjs"), [
  JSON.stringify({ packages: answers, maxAge: 900 }),
]);
const { url } = await new Promise((resolve) => server.once("message", resolve));

/** The answer's bytes as the CLI receives them (plain), cut in 64 KiB chunks. */
async function chunksOf(name) {
  const body = Buffer.from(await (await fetch(`${url}/${name}/json`)).arrayBuffer());
  const chunks = [];
  for (let at = 0; at < body.length; at += CHUNK) chunks.push(body.subarray(at, at + CHUNK));
  return { chunks, bytes: body.length };
}

async function downloadMs(name) {
  let best = Infinity;
  for (let round = 0; round < 5; round++) {
    const run = await runMeasured(process.execPath, [
      join(here, "download.mjs"),
      `${url}/${name}/json`,
    ]);
    best = Math.min(best, Object.values(JSON.parse(run.stdout))[0].ms);
  }
  return best;
}

/** What the kernel must count, by a plain byte loop: structural bytes outside strings, and those plus each string's opening quote. */
function reference(chunks) {
  let inString = false;
  let escaped = false;
  let structural = 0;
  let quotes = 0;
  for (const chunk of chunks) {
    for (const c of chunk) {
      if (inString) {
        if (escaped) escaped = false;
        else if (c === 0x5c) escaped = true;
        else if (c === 0x22) inString = false;
      } else if (c === 0x22) {
        inString = true;
        quotes++;
      } else if (c === 0x7b || c === 0x7d || c === 0x5b || c === 0x5d || c === 0x3a || c === 0x2c)
        structural++;
    }
  }
  return { structural, tokens: structural + quotes };
}

function timed(pass) {
  const times = [];
  for (let i = 0; i < PASSES; i++) {
    const started = performance.now();
    pass();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { best: times[0], median: times[Math.floor(PASSES / 2)] };
}

const floor = await compileFloor();
const memory = new Uint8Array(floor.memory.buffer);
const AT = 65536; // past the module's own data
const dir = mkdtempSync(join(tmpdir(), "mdg-bench-floor-"));
const { createAnswerScanner, DEFAULT_ANSWER_LIMITS } = await loadScanner(dir);

const rows = [];
for (const answer of answers) {
  const { chunks, bytes } = await chunksOf(answer.name);
  const download = await downloadMs(answer.name);
  const expected = reference(chunks);
  const over = (walk) => () => {
    floor.reset();
    let count = 0n;
    for (const chunk of chunks) {
      memory.set(chunk, AT);
      // The last block padded with spaces: a 64-byte block is the kernel's unit.
      const to = AT + Math.ceil(chunk.length / 64) * 64;
      memory.fill(0x20, AT + chunk.length, to);
      if (walk >= 0) count += floor.classify(AT, to, walk);
    }
    const want = walk === 0 ? expected.structural : walk === 1 ? expected.tokens : undefined;
    if (want !== undefined && Number(count) !== want)
      throw new Error(`bench/floor.as counted ${count} where ${want} are: it is wrong`);
  };
  const results = {
    copy: timed(over(-1)),
    classify: timed(over(0)),
    walk: timed(over(1)),
    scanner: timed(() => {
      const scanner = createAnswerScanner(DEFAULT_ANSWER_LIMITS);
      for (const chunk of chunks) {
        const problem = scanner.push(chunk);
        if (problem) throw new Error(`${answer.name}: ${problem.message}`);
      }
      const read = scanner.end();
      if ("code" in read) throw new Error(`${answer.name}: ${read.message}`);
    }),
  };
  for (const [what, t] of Object.entries(results)) {
    const mbps = (ms) => ((bytes / MB / ms) * 1000).toFixed(0);
    rows.push(
      `| ${answer.name} | ${what} | ${t.best.toFixed(1)} ms | ${mbps(t.best)} / ${mbps(t.median)} | ` +
        `${download.toFixed(0)} ms | ${(1 + t.best / download).toFixed(2)}× |`,
    );
  }
}
server.send({ type: "stop" });
rmSync(dir, { recursive: true, force: true });

const cpuModel = /model name\s*:\s*(.*)/.exec(readFileSync("/proc/cpuinfo", "utf8"))?.[1];
const section = `<!-- floor:start -->
## The floor of a reader that checks every byte

Produced by \`node bench/floor.mjs\` on ${new Date().toISOString().slice(0, 10)}. Machine: ${cpuModel ?? cpus()[0]?.model},
${cpus().length} cores, Node ${process.version}. In one process, each pass over the answer's chunks
(64 KiB, as the CLI receives them) best of ${PASSES}; "download" is bench/download.mjs in a fresh
process, best of 5. "Lowest ratio" is 1 + pass / download: what a reader of that cost could reach
against the target "within 2× the time to download it", if receiving and reading share one thread.

| answer | pass | time, best | MB/s, best / median | download | lowest ratio |
|---|---|---|---|---|---|
${rows.join("\n")}

"classify" and "walk" (bench/floor.as) read nothing: they are simdjson's first stage and the least
a second stage adds, so a reader that checks the JSON grammar costs at least "walk". The passes
here run alone on an idle machine; in a scan the same bytes are read while the index server and
the kernel's socket copies use the other core and the memory, and reading costs more than here,
so the CLI's own ratios (the section above) are higher than this table's.
<!-- floor:end -->`;

if (flags["no-write"]) console.log(section);
else {
  writeResultsSection(join(here, "RESULTS.md"), "floor", section);
  console.log(section);
}

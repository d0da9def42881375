// `npm run bench:answers` (also the tail of `npm run bench`): PyPI answers as they really are.
//   1. Realistic sizes: N packages whose answer sizes follow PyPI's (most under 300 KB, a tail to
//      tens of MB), scanned cold (empty cache) and warm (same cache file, every answer unchanged
//      and past its max-age, so each is revalidated): bytes on the wire for each run.
//   2. Four big answers in one run: 12 MB plain, 30 MB gzip, 80 MB plain, 12 MB chunked: all
//      read, the CLI's peak RSS, and each answer's time (the CLI's own, from its JSON report)
//      against a download of it by a fresh Node process with the same client.
// Writes its section of bench/RESULTS.md (between the `answers` markers; the rest is kept).
//
//   node bench/answers.mjs [--packages 1000] [--rounds 15] [--no-write] [--dist DIR]
//
// Build first (`npm run build`): the benchmark runs dist/cli.js.
import { fork } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir, totalmem } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { median, rssMethod, runMeasured, writeResultsSection } from "./measure.mjs";
import { rng } from "./world.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..");
const { values: flags } = parseArgs({
  options: {
    packages: { type: "string", default: "1000" },
    rounds: { type: "string", default: "15" },
    "no-write": { type: "boolean" },
    dist: { type: "string", default: join(root, "dist") },
  },
});
const cli = join(flags.dist, "cli.js");
/** Paired rounds (a download, then a scan) per case of the big answers. */
const ROUNDS = Math.max(1, Number(flags.rounds));
if (!existsSync(cli)) {
  console.error("bench: dist/cli.js is missing: run `npm run build` first");
  process.exit(2);
}

const KB = 1000;
const MB = 1000 * KB;
const fmtBytes = (b) =>
  b >= MB ? `${(b / MB).toFixed(1)} MB` : b >= KB ? `${(b / KB).toFixed(1)} KB` : `${b} B`;
const fmtMs = (ms) => (ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`);
const loadAverage = () => {
  try {
    return readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
  } catch {
    return "n/a";
  }
};

/**
 * Answer sizes as PyPI's: log-normal around 25 KB (a few releases with a few files each), so
 * that about 95 % are under 300 KB, and a tail of the projects known to be big (numpy and
 * botocore near 5 MB, grpcio and grpcio-tools 10-25 MB, ccxt's tens of MB).
 */
function realisticSizes(n, seed) {
  const random = rng(seed);
  const normal = () => {
    const u = Math.max(random(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
  };
  const sizes = [];
  for (let i = 0; i < n; i++) {
    sizes.push(
      Math.round(Math.min(40 * MB, Math.max(4 * KB, 25 * KB * Math.exp(1.35 * normal())))),
    );
  }
  const tail = [5 * MB, 5 * MB, 12 * MB, 18 * MB, 30 * MB];
  for (let i = 0; i < tail.length && i < n; i++)
    sizes[Math.floor((i + 1) * (n / (tail.length + 1)))] = tail[i];
  return sizes;
}

function startServers(packages, maxAge) {
  const child = fork(join(here, "answer-servers.mjs"), [JSON.stringify({ packages, maxAge })], {
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const ask = (type) =>
    new Promise((resolve) => {
      const on = (msg) => {
        if (msg.type === type) {
          child.off("message", on);
          resolve(msg);
        }
      };
      child.on("message", on);
      child.send({ type });
    });
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("message", (msg) =>
      resolve({
        ...msg,
        stats: () => ask("stats"),
        reset: () => ask("reset"),
        stop: () => new Promise((r) => (child.once("exit", r), child.send({ type: "stop" }))),
      }),
    );
  });
}

async function scanOnce(dir, servers, label, extra = [], lockfile = "requirements.txt") {
  const reportFile = join(dir, `report-${label}.json`);
  await servers.reset();
  const run = await runMeasured(
    process.execPath,
    [
      cli,
      "scan",
      join(dir, lockfile),
      "--format",
      "json",
      "--output",
      reportFile,
      "--fail-on",
      "never",
      "--pypi-url",
      servers.url,
      "--rdap-bootstrap",
      join(dir, "bootstrap.json"),
      "--cache",
      join(dir, "cache.json"),
      "--retries",
      "0",
      ...extra,
    ],
    { cwd: dir },
  );
  // Let the client's keep-alive sockets close, so their bytes are counted.
  await new Promise((r) => setTimeout(r, 200));
  const server = await servers.stats();
  let report;
  try {
    report = JSON.parse(readFileSync(reportFile, "utf8"));
  } catch {
    report = undefined;
  }
  if (run.code !== 0 || !report) {
    console.error(`bench: ${label}: exit ${run.code}; stderr:\n${run.stderr.slice(0, 2000)}`);
  }
  return { label, run, server, report };
}

function setUp(packages) {
  const dir = mkdtempSync(join(tmpdir(), "mdg-bench-answers-"));
  writeFileSync(
    join(dir, "requirements.txt"),
    packages.map((p, i) => `${p.name}==1.${i}\n`).join(""),
  );
  writeFileSync(
    join(dir, "bootstrap.json"),
    JSON.stringify({ version: "1.0", publication: new Date().toISOString(), services: [] }),
  );
  return dir;
}

const loadBefore = loadAverage();

// --- 1. realistic sizes, cold and warm ------------------------------------------------------
const n = Number(flags.packages);
const sizes = realisticSizes(n, 12);
const realistic = sizes.map((bytes, i) => ({ name: `pkg-${String(i).padStart(4, "0")}`, bytes }));
const dirA = setUp(realistic);
// max-age=0: every answer is past its max-age at once, as a day-old cache is against PyPI's 900 s.
const serversA = await startServers(realistic, 0);
const cold = await scanOnce(dirA, serversA, "cold");
const warm = await scanOnce(dirA, serversA, "warm");
await serversA.stop();
rmSync(dirA, { recursive: true, force: true });
const sorted = [...sizes].sort((a, b) => a - b);
const under300 = sizes.filter((s) => s < 300 * KB).length;
const share = warm.server.wireBytes / cold.server.wireBytes;
for (const r of [cold, warm]) {
  console.log(
    `${n} packages ${r.label}: ${fmtBytes(r.server.wireBytes)} on the wire (${fmtBytes(r.server.decodedBytes)} decoded bodies), ` +
      `statuses ${JSON.stringify(r.server.status)}, wall ${fmtMs(r.run.wallMs)}, peak RSS ${r.run.peakRssMiB.toFixed(0)} MiB, exit ${r.run.code}`,
  );
}
console.log(`warm / cold bytes: ${(share * 100).toFixed(2)} %`);
const okCold = cold.report?.packages?.filter((p) => p.status === "ok").length ?? 0;
const okWarm = warm.report?.packages?.filter((p) => p.status === "ok").length ?? 0;

// --- 2. four big answers --------------------------------------------------------------------
const big = [
  { name: "big-plain-12", bytes: 12 * MB, encoding: "plain" },
  { name: "big-gzip-30", bytes: 30 * MB, encoding: "gzip" },
  { name: "big-plain-80", bytes: 80 * MB, encoding: "plain" },
  { name: "big-chunked-12", bytes: 12 * MB, encoding: "chunked" },
];
const dirB = setUp(big);
const serversB = await startServers(big, 900);

/**
 * Download each answer with fetch in this process (gzip undone, as fetch does) and drop the
 * bytes, from the request to its last byte. Best of 3. For reference: this process is warm.
 */
async function warmDownloads(concurrent) {
  const best = {};
  for (let round = 0; round < 3; round++) {
    const one = async (p) => {
      const started = performance.now();
      const res = await fetch(`${serversB.url}/${p.name}/json`);
      let bytes = 0;
      for await (const chunk of res.body) bytes += chunk.length;
      const ms = performance.now() - started;
      if (bytes > 0) best[p.name] = Math.min(best[p.name] ?? Infinity, ms);
    };
    if (concurrent) await Promise.all(big.map(one));
    else for (const p of big) await one(p);
  }
  return best;
}

/** One download of `set` (all at once) by a fresh process (bench/download.mjs): ms per answer. */
async function freshDownload(set) {
  const run = await runMeasured(process.execPath, [
    join(here, "download.mjs"),
    ...set.map((p) => `${serversB.url}/${p.name}/json`),
  ]);
  const times = JSON.parse(run.stdout);
  return Object.fromEntries(
    set.map((p) => {
      const t = times[`${serversB.url}/${p.name}/json`];
      return [p.name, t?.bytes > 0 ? t.ms : undefined];
    }),
  );
}

/** The CLI's own time for each answer: request to last byte read (`stats.largestAnswers`). */
const answerTimes = (r) =>
  Object.fromEntries((r.report?.stats?.largestAnswers ?? []).map((a) => [a.name, a.ms]));

/**
 * The download the target is held against, paired with the scan: each round downloads the
 * answers in a fresh Node process (node:http as the CLI's transport sends them, timed by that
 * process from the request to the last byte, the bytes dropped: bench/download.mjs) and scans
 * them with the CLI (empty cache), one right after the other (in turns, which goes first), so
 * that both meet the machine in the same state. Per answer and round, scan / download; the verdict is on the median of the
 * rounds, and the worst round is shown beside it.
 */
async function pairedRounds(set, label, lockfile, extra) {
  const rounds = [];
  for (let round = 0; round < ROUNDS; round++) {
    // Which of the two goes first alternates, so that neither always meets the other's wake.
    const scanFirst = round % 2 === 1;
    let download = scanFirst ? undefined : await freshDownload(set);
    rmSync(join(dirB, "cache.json"), { force: true });
    const r = await scanOnce(dirB, serversB, `${label}-${round + 1}`, extra, lockfile);
    download ??= await freshDownload(set);
    const scan = answerTimes(r);
    const statuses = Object.fromEntries((r.report?.packages ?? []).map((x) => [x.name, x.status]));
    const per = Object.fromEntries(r.server.perRequest.map((x) => [x.name, x]));
    rounds.push({ download, scan, statuses, per, rss: r.run.peakRssMiB, wallMs: r.run.wallMs });
  }
  return Object.fromEntries(
    set.map((p) => {
      const pairs = rounds.map((r) => ({
        download: r.download[p.name],
        scan: r.scan[p.name],
        ok: r.statuses[p.name] === "ok",
      }));
      const ratios = pairs.map((x) =>
        x.scan === undefined || !x.download ? Infinity : x.scan / x.download,
      );
      return [
        p.name,
        {
          rounds: pairs.length,
          ok: pairs.filter((x) => x.ok).length,
          download: median(pairs.map((x) => x.download ?? Infinity)),
          scan: median(pairs.map((x) => x.scan ?? Infinity)),
          ratio: median(ratios),
          worst: Math.max(...ratios),
          best: Math.min(...ratios),
          sent: rounds.at(-1).per[p.name]?.bodyBytes ?? 0,
          rss: Math.max(...rounds.map((r) => r.rss)),
          wallMs: median(rounds.map((r) => r.wallMs)),
        },
      ];
    }),
  );
}

const warmAlone = await warmDownloads(false);
const warmTogether = await warmDownloads(true);
const together = await pairedRounds(big, "big", "requirements.txt", ["--pypi-concurrency", "4"]);
// Each answer alone: one package per run, so that no other answer shares the event loop.
const alone = {};
for (const p of big) {
  writeFileSync(join(dirB, `requirements-${p.name}.txt`), `${p.name}==1.0\n`);
  Object.assign(
    alone,
    await pairedRounds([p], `alone-${p.name}`, `requirements-${p.name}.txt`, []),
  );
}
await serversB.stop();
rmSync(dirB, { recursive: true, force: true });
const x2 = (v) => (Number.isFinite(v) ? v.toFixed(2) : "n/a");
const msOrNa = (v) => (Number.isFinite(v) ? fmtMs(v) : "n/a");
const row = (p, m, warm, cells) =>
  `| ${p.name} | ${p.encoding} | ${cells}${m.ok} of ${m.rounds} | ${msOrNa(m.download)} | ${msOrNa(warm)} | ${msOrNa(m.scan)} | ` +
  `**${x2(m.ratio)}** | ${x2(m.best)}–${x2(m.worst)} | ${x2(m.scan / warm)} | ${m.rss.toFixed(0)} MiB |`;
const bigRows = big.map((p) =>
  row(
    p,
    together[p.name],
    warmTogether[p.name],
    `${fmtBytes(serversB.sizes[p.name].plain)} | ${fmtBytes(together[p.name].sent)} | `,
  ),
);
const aloneRows = big.map((p) => row(p, alone[p.name], warmAlone[p.name], ""));
const worstOf = (table, key) => Math.max(...big.map((p) => table[p.name][key]));
for (const [what, table] of [
  ["four in one run", together],
  ["alone", alone],
]) {
  console.log(
    `${what}: ${big.map((p) => `${p.name} scan ${msOrNa(table[p.name].scan)} / download ${msOrNa(table[p.name].download)} = ${x2(table[p.name].ratio)} (rounds ${x2(table[p.name].best)}-${x2(table[p.name].worst)})`).join("; ")}`,
  );
}

// --- RESULTS.md section ---------------------------------------------------------------------
const cpuModel = (() => {
  try {
    return (
      /model name\s*:\s*(.*)/.exec(readFileSync("/proc/cpuinfo", "utf8"))?.[1] ?? cpus()[0]?.model
    );
  } catch {
    return cpus()[0]?.model ?? "unknown";
  }
})();
const loadAfter = loadAverage();
const allRead = big.every((p) => together[p.name].ok === ROUNDS && alone[p.name].ok === ROUNDS);
const worstRatio = worstOf(together, "ratio");
const aloneWorst = worstOf(alone, "ratio");
const worstWarm = Math.max(...big.map((p) => together[p.name].scan / warmTogether[p.name]));
const aloneWorstWarm = Math.max(...big.map((p) => alone[p.name].scan / warmAlone[p.name]));
const peak = worstOf(together, "rss");
const yes = (b) => (b ? "yes" : "**NO**");
const section = `<!-- answers:start -->
## PyPI answers: realistic sizes, revalidation, big answers

Produced by \`node bench/answers.mjs\` on ${new Date().toISOString().slice(0, 10)}. Machine: ${cpuModel},
${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}. Load average before:
${loadBefore}; after: ${loadAfter} (the machine was shared with other work: times include waiting for a CPU).
A loopback JSON API in its own process serves answers made from the real fixtures (luigi's \`info\`,
real file entries repeated in \`releases\`), gzip when asked (the CLI asks), each with an ETag,
Last-Modified and \`Cache-Control\`. Bytes are counted on the server's sockets (headers included).
Addresses are at gmail.com (skipped), so no RDAP: only the index traffic is measured.

### Realistic sizes, cold and warm (${n} packages)

Answer sizes: log-normal around 25 KB plus a tail (5, 5, 12, 18, 30 MB): ${under300} of ${n}
(${((under300 / n) * 100).toFixed(1)} %) under 300 KB, median ${fmtBytes(sorted[Math.floor(n / 2)])}, p95
${fmtBytes(sorted[Math.floor(n * 0.95)])}, largest ${fmtBytes(sorted[n - 1])}, ${fmtBytes(sizes.reduce((a, b) => a + b, 0))} in all.
The index answers \`max-age=0\`, so in the warm run every cached answer is past its max-age (as a
day-old cache is against PyPI's 900 s) and revalidated with If-None-Match.

| run | requests | 200 / 304 | bytes on the wire | decoded bodies read | wall | peak RSS | packages ok | exit |
|---|---|---|---|---|---|---|---|---|
| cold (empty cache) | ${cold.server.requests} | ${cold.server.status[200] ?? 0} / ${cold.server.status[304] ?? 0} | ${fmtBytes(cold.server.wireBytes)} | ${fmtBytes(cold.server.decodedBytes)} | ${fmtMs(cold.run.wallMs)} | ${cold.run.peakRssMiB.toFixed(0)} MiB | ${okCold} | ${cold.run.code} |
| warm (same cache file) | ${warm.server.requests} | ${warm.server.status[200] ?? 0} / ${warm.server.status[304] ?? 0} | ${fmtBytes(warm.server.wireBytes)} | ${fmtBytes(warm.server.decodedBytes)} | ${fmtMs(warm.run.wallMs)} | ${warm.run.peakRssMiB.toFixed(0)} MiB | ${okWarm} | ${warm.run.code} |

Warm / cold bytes on the wire: **${(share * 100).toFixed(2)} %** (target < 5 %: ${yes(share < 0.05)}).

### Four big answers in one run

\`--pypi-concurrency 4\`: all four in flight at once. "Scan" is the CLI's own time for the answer,
from sending the request to the last byte read and scanned (\`stats.largestAnswers[].ms\` of its
JSON report). It is held against **a download of the same answers by a fresh Node process** with
node:http, as the CLI's transport sends them (gzip undone with node:zlib), timed by that process
from the request to the last byte and dropping the bytes (\`bench/download.mjs\`): the same
runtime and the same client, so the difference is the cost of reading the answer. The two are
paired: ${ROUNDS} rounds, each a download and a scan (empty cache) one right after the other (in
turns, which goes first), so that both meet the machine in the same state. The table gives
medians over the rounds, the ratio's median (the verdict) and its range. For reference, also
against Node's fetch in this (warm) process, best of 3.

| answer | encoding | decoded size | sent | read (rounds) | download, fresh process (four at once) | fetch, warm process (four at once) | scan | scan / download, median | range | scan / warm fetch | peak RSS |
|---|---|---|---|---|---|---|---|---|---|---|---|
${bigRows.join("\n")}

Median wall of a CLI run with the four: ${fmtMs(together[big[0].name].wallMs)}; peak RSS by ${rssMethod()}.

Each answer alone (one package per run, nothing else on the CLI's event loop), paired the same way:

| answer | encoding | read (rounds) | download, fresh process | fetch, warm process | scan | scan / download, median | range | scan / warm fetch | peak RSS |
|---|---|---|---|---|---|---|---|---|---|
${aloneRows.join("\n")}

| target | measured | required | met |
|---|---|---|---|
| all four read, every round | ${big.reduce((k, p) => k + together[p.name].ok + alone[p.name].ok, 0)} of ${big.length * ROUNDS * 2} | all | ${yes(allRead)} |
| peak RSS | ${peak.toFixed(0)} MiB | ≤ 300 MB | ${yes(peak * 1.048576 <= 300)} |
| each within 2× its loopback download (fresh process, same client), four in one run | worst answer's median ${x2(worstRatio)}× (worst round of any answer ${x2(worstOf(together, "worst"))}×) | ≤ 2× | ${yes(worstRatio <= 2)} |
| each within 2× its loopback download (fresh process, same client), each alone | worst answer's median ${x2(aloneWorst)}× (worst round of any answer ${x2(worstOf(alone, "worst"))}×) | ≤ 2× | ${yes(aloneWorst <= 2)} |
| for reference: against a warm in-process fetch, four in one run / alone | worst ${x2(worstWarm)}× / ${x2(aloneWorstWarm)}× | (none) | |
| warm bytes / cold bytes (${n} unchanged packages) | ${(share * 100).toFixed(2)} % | < 5 % | ${yes(share < 0.05)} |
<!-- answers:end -->`;

if (flags["no-write"]) {
  console.log(section);
} else {
  writeResultsSection(join(here, "RESULTS.md"), "answers", section);
  console.log("wrote the answers section of bench/RESULTS.md");
}

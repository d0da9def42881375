// The loopback PyPI JSON API for bench/answers.mjs, in its own process so that serving (and
// gzip) takes no CPU from the scanner's event loop. Answers are made once, at start, from the
// real fixtures in test/fixtures/pypi: luigi's real `info` and the real file entries of every
// fixture repeated under many versions in `releases`, to the size each package is given.
// Each answer carries an ETag, Last-Modified and `Cache-Control: max-age=<maxAge>`; a request
// whose If-None-Match matches gets a 304 without a body. Encodings per package: `plain` (with
// Content-Length), `gzip` (when the client accepts it), `chunked` (no Content-Length).
// IPC: {type: "ready", url}; {type: "stats"} -> {type: "stats", ...}; {type: "reset"}; {type: "stop"}.
import { createHash } from "node:crypto";
import { performance } from "node:perf_hooks";
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const here = dirname(fileURLToPath(import.meta.url));
const FIXTURES = join(here, "..", "test", "fixtures", "pypi");
const config = JSON.parse(process.argv[2]);

const fixture = (name) => JSON.parse(readFileSync(join(FIXTURES, name), "utf8"));

/** Real file entries, serialised with the version marked so that each release gets its own. */
function templates() {
  const files = [];
  for (const name of [
    "wheel-0.40.0.json",
    "black-21.11b0.json",
    "twisted-18.9.0.json",
    "jupyter-1.0.0.json",
    "isodate-0.7.0.json",
    "py-1.5.3.json",
  ]) {
    const doc = fixture(name);
    for (const f of doc.urls) files.push(JSON.stringify(f).split(doc.info.version).join("@V@"));
  }
  const luigi = fixture("luigi.json");
  for (const [version, list] of Object.entries(luigi.releases)) {
    for (const f of list) files.push(JSON.stringify(f).split(version).join("@V@"));
  }
  return { files, info: luigi.info, ownership: fixture("twisted-18.9.0.json").ownership };
}

const T = templates();
const PER_RELEASE = [1, 3, 12, 2, 40, 7, 1, 24];

/** A project answer of about `bytes` bytes for `name`, with the given addresses. */
function answerFor(name, bytes, emails) {
  const version = (k) => `${1 + Math.floor(k / 400)}.${Math.floor(k / 20) % 20}.${k % 20}`;
  const release = (k) => {
    const n = PER_RELEASE[k % PER_RELEASE.length];
    const out = [];
    for (let j = 0; j < n; j++)
      out.push(T.files[(k * 7 + j) % T.files.length].split("@V@").join(version(k)));
    return `[${out.join(", ")}]`;
  };
  const parts = [];
  let size = 3000;
  let k = 0;
  do {
    const text = `${JSON.stringify(version(k))}: ${release(k)}`;
    parts.push(text);
    size += text.length + 2;
    k++;
  } while (size < bytes);
  const latest = version(k - 1);
  const info = { ...T.info, name, version: latest, ...emails };
  return Buffer.from(
    `{"info": ${JSON.stringify(info)}, "last_serial": 26154133, "ownership": ${JSON.stringify(T.ownership)}, ` +
      `"releases": {${parts.join(", ")}}, "urls": ${release(k - 1)}, "vulnerabilities": []}`,
  );
}

const answers = new Map();
for (const p of config.packages) {
  const plain = answerFor(p.name, p.bytes, {
    author_email: p.author_email ?? `${p.name}@gmail.com`,
    maintainer_email: null,
  });
  answers.set(p.name, {
    plain,
    gzip: p.encoding === "chunked" ? undefined : gzipSync(plain, { level: 6 }),
    encoding: p.encoding ?? "gzip",
    etag: `"${createHash("sha1").update(plain).digest("hex").slice(0, 20)}"`,
  });
}

function newStats() {
  return { requests: 0, status: {}, bodyBytes: 0, decodedBytes: 0, perRequest: [] };
}
let stats = newStats();
let socketBytes = 0;
const sockets = new Set();

const server = createServer(async (req, res) => {
  stats.requests++;
  const started = performance.now();
  const name = /^\/pypi\/([^/]+)\/json$/.exec(req.url ?? "")?.[1] ?? "";
  const a = answers.get(name);
  const done = (status, bodyBytes, decoded) => {
    stats.status[status] = (stats.status[status] ?? 0) + 1;
    stats.bodyBytes += bodyBytes;
    stats.decodedBytes += decoded;
    res.once("close", () =>
      stats.perRequest.push({ name, status, bodyBytes, ms: performance.now() - started }),
    );
  };
  if (!a) {
    res.writeHead(404, { "content-type": "application/json" }).end('{"message": "Not Found"}');
    done(404, 24, 24);
    return;
  }
  const headers = {
    "content-type": "application/json",
    etag: a.etag,
    "last-modified": "Tue, 14 Mar 2023 15:10:02 GMT",
    "x-pypi-last-serial": "26154133",
    "cache-control": `max-age=${config.maxAge}, public`,
  };
  if (req.headers["if-none-match"] === a.etag) {
    res.writeHead(304, headers).end();
    done(304, 0, 0);
    return;
  }
  const gzip =
    a.gzip && a.encoding === "gzip" && /\bgzip\b/.test(req.headers["accept-encoding"] ?? "");
  const body = gzip ? a.gzip : a.plain;
  if (gzip) headers["content-encoding"] = "gzip";
  if (a.encoding !== "chunked") headers["content-length"] = body.length;
  res.writeHead(200, headers);
  for (let at = 0; at < body.length; at += 65_536) {
    if (!res.write(body.subarray(at, at + 65_536))) await new Promise((r) => res.once("drain", r));
  }
  res.end();
  done(200, body.length, a.plain.length);
});
server.keepAliveTimeout = 60_000;
server.on("connection", (socket) => {
  sockets.add(socket);
  socket.on("close", () => {
    socketBytes += socket.bytesWritten;
    sockets.delete(socket);
  });
});
server.listen(0, "127.0.0.1", () => {
  const sizes = Object.fromEntries(
    [...answers].map(([n, a]) => [n, { plain: a.plain.length, gzip: a.gzip?.length }]),
  );
  process.send({ type: "ready", url: `http://127.0.0.1:${server.address().port}/pypi`, sizes });
});

process.on("message", (msg) => {
  if (msg.type === "stats") {
    let open = 0;
    for (const s of sockets) open += s.bytesWritten;
    process.send({ type: "stats", ...stats, wireBytes: socketBytes + open });
  } else if (msg.type === "reset") {
    stats = newStats();
    socketBytes = 0;
    for (const s of sockets) socketBytes -= s.bytesWritten;
    process.send({ type: "reset" });
  } else if (msg.type === "stop") {
    for (const s of sockets) s.destroy();
    server.close(() => process.exit(0));
  }
});

// The benchmark's loopback registries, run in their own process (forked by bench/run.mjs) so
// that serving does not take CPU time from the scanner's event loop:
//   - one PyPI JSON API server (`/pypi/<name>/json`), fixed latency per response;
//   - one RDAP server per TLD (distinct ports = distinct origins), fixed latency and a
//     per-server rate limit: at most `rate` answers started per sliding second, 429 with
//     `Retry-After: 1` beyond;
//   - one UDP DNS responder: MX records of the world's custom domains, NXDOMAIN for every NS
//     query (no delegation) and everything else.
// Talks to the parent over IPC: {type: "ready", ...urls}, then answers {type: "stats"},
// {type: "reset"} and {type: "set", settings}; exits on {type: "stop"}.
import { createServer } from "node:http";
import { createSocket } from "node:dgram";
import { readFileSync } from "node:fs";
import dnsPacket from "dns-packet";

const config = JSON.parse(process.argv[2]);
const world = JSON.parse(readFileSync(config.worldFile, "utf8"));
const wait = (ms) => new Promise((r) => setTimeout(r, ms));

function newCounts() {
  return {
    pypi: 0,
    pypiByName: {},
    rdap: {},
    rdapByDomain: {},
    rateLimited: {},
    maxInFlight: {},
    dns: 0,
    /** TCP connections accepted per kind (keep-alive reuses them). */
    connections: {},
    /** First and last request arrival (epoch ms) per kind: `pypi`, `rdap:<tld>`, `dns`. */
    span: {},
  };
}
function mark(kind) {
  const t = Date.now();
  const s = (counts.span[kind] ??= { first: t, last: t });
  s.last = t;
}
let counts = newCounts();
const inFlight = {};

function pypiBody(name, p) {
  // Shaped like the real JSON API answer (info, releases, urls) with a realistic size.
  const file = (version, kind) => ({
    comment_text: "",
    digests: { md5: "0".repeat(32), sha256: "a".repeat(64), blake2b_256: "b".repeat(64) },
    downloads: -1,
    filename: `${name}-${version}${kind === "sdist" ? ".tar.gz" : "-py3-none-any.whl"}`,
    has_sig: false,
    md5_digest: "0".repeat(32),
    packagetype: kind,
    python_version: kind === "sdist" ? "source" : "py3",
    requires_python: ">=3.8",
    size: 123456,
    upload_time: p.uploaded.slice(0, 19),
    upload_time_iso_8601: p.uploaded.replace("Z", ".123456Z"),
    url: `https://files.example/packages/${name}-${version}.tar.gz`,
    yanked: false,
    yanked_reason: null,
  });
  const releases = {};
  for (let i = 0; i < 12; i++) releases[`0.${i}.0`] = [file(`0.${i}.0`, "sdist")];
  releases[p.version] = [file(p.version, "sdist"), file(p.version, "bdist_wheel")];
  return JSON.stringify({
    info: {
      author: null,
      author_email: p.author_email,
      classifiers: [
        "Programming Language :: Python :: 3",
        "License :: OSI Approved :: MIT License",
      ],
      description: "A package generated for the benchmark. ".repeat(40),
      description_content_type: "text/markdown",
      home_page: null,
      license: "MIT",
      maintainer: null,
      maintainer_email: p.maintainer_email,
      name,
      package_url: `https://pypi.example/project/${name}/`,
      project_urls: p.project_urls ?? { Homepage: `https://example.invalid/${name}` },
      requires_dist: null,
      requires_python: ">=3.8",
      summary: "Benchmark package",
      version: p.version,
      yanked: false,
      yanked_reason: null,
    },
    last_serial: 1,
    releases,
    urls: releases[p.version],
    vulnerabilities: [],
  });
}

function rdapBody(domain, d) {
  const events = [{ eventAction: "registration", eventDate: d.created }];
  if (d.expires) events.push({ eventAction: "expiration", eventDate: d.expires });
  events.push({ eventAction: "last update of RDAP database", eventDate: new Date().toISOString() });
  const status =
    d.state === "expired"
      ? ["redemption period"]
      : d.state === "on-hold"
        ? ["client hold"]
        : ["client transfer prohibited"];
  return JSON.stringify({
    objectClassName: "domain",
    handle: `${domain.toUpperCase()}-BENCH`,
    ldhName: domain.toUpperCase(),
    status,
    events,
    entities: [
      {
        objectClassName: "entity",
        handle: "9999",
        roles: ["registrar"],
        publicIds: [{ type: "IANA Registrar ID", identifier: "9999" }],
        vcardArray: [
          "vcard",
          [
            ["version", {}, "text", "4.0"],
            ["fn", {}, "text", "Bench Registrar"],
          ],
        ],
      },
    ],
    nameservers: [
      { objectClassName: "nameserver", ldhName: "NS1.EXAMPLE.NET" },
      { objectClassName: "nameserver", ldhName: "NS2.EXAMPLE.NET" },
    ],
    secureDNS: { delegationSigned: false },
    notices: [
      {
        title: "Terms of Use",
        description: ["Service subject to the benchmark's terms of use."],
        links: [],
      },
    ],
    rdapConformance: [
      "rdap_level_0",
      "icann_rdap_response_profile_0",
      "icann_rdap_technical_implementation_guide_0",
    ],
  });
}

function listen(server, kind) {
  server.on("connection", () => {
    counts.connections[kind] = (counts.connections[kind] ?? 0) + 1;
  });
  return new Promise((resolve) => {
    server.keepAliveTimeout = 60_000;
    server.listen(0, "127.0.0.1", () => resolve(server.address().port));
  });
}

const pypi = createServer(async (req, res) => {
  counts.pypi++;
  mark("pypi");
  const m = /^\/pypi\/([^/]+)\/json\/?$/.exec(req.url ?? "");
  const name = m ? decodeURIComponent(m[1]).toLowerCase() : "";
  counts.pypiByName[name] = (counts.pypiByName[name] ?? 0) + 1;
  inFlight.pypi = (inFlight.pypi ?? 0) + 1;
  counts.maxInFlight.pypi = Math.max(counts.maxInFlight.pypi ?? 0, inFlight.pypi);
  await wait(config.pypiLatencyMs);
  inFlight.pypi--;
  const p = Object.hasOwn(world.packages, name) ? world.packages[name] : undefined;
  if (!p) {
    res.writeHead(404, { "content-type": "application/json" });
    res.end('{"message": "Not Found"}');
    return;
  }
  // As the real index sends it: with its length (its CDN never sends these chunked).
  const body = pypiBody(name, p);
  res.writeHead(200, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(body),
    "cache-control": `max-age=${config.pypiMaxAge}, public`,
  });
  res.end(body);
});

function rdapServer(tld) {
  const accepted = []; // start times of the answers within the last second
  counts.rdap[tld] = 0;
  return createServer(async (req, res) => {
    counts.rdap[tld] = (counts.rdap[tld] ?? 0) + 1;
    mark(`rdap:${tld}`);
    const now = Date.now();
    while (accepted.length > 0 && accepted[0] <= now - 1000) accepted.shift();
    if (accepted.length >= config.rdapRate) {
      counts.rateLimited[tld] = (counts.rateLimited[tld] ?? 0) + 1;
      res.writeHead(429, { "retry-after": "1", "content-type": "application/rdap+json" });
      res.end('{"errorCode": 429, "title": "Too Many Requests"}');
      return;
    }
    accepted.push(now);
    inFlight[tld] = (inFlight[tld] ?? 0) + 1;
    counts.maxInFlight[tld] = Math.max(counts.maxInFlight[tld] ?? 0, inFlight[tld]);
    const m = /\/domain\/([^/?]+)$/i.exec(req.url ?? "");
    const domain = m ? decodeURIComponent(m[1]).toLowerCase() : "";
    counts.rdapByDomain[domain] = (counts.rdapByDomain[domain] ?? 0) + 1;
    await wait(config.rdapLatencyMs);
    inFlight[tld]--;
    const d = Object.hasOwn(world.domains, domain) ? world.domains[domain] : undefined;
    if (!d || d.state === "unregistered") {
      res.writeHead(404, { "content-type": "application/rdap+json" });
      res.end('{"errorCode": 404, "title": "Not Found"}');
      return;
    }
    res.writeHead(200, { "content-type": "application/rdap+json" });
    res.end(rdapBody(domain, d));
  });
}

const dns = createSocket("udp4");
dns.on("message", (msg, rinfo) => {
  counts.dns++;
  mark("dns");
  let query;
  try {
    query = dnsPacket.decode(msg);
  } catch {
    return;
  }
  const question = query.questions?.[0];
  const name = (question?.name ?? "").toLowerCase().replace(/\.$/, "");
  const isMx = question?.type === "MX";
  if (isMx) counts.mx = (counts.mx ?? 0) + 1;
  const known = isMx && Object.hasOwn(world.domains, name);
  const hosts = known ? (world.mx?.[name] ?? []) : [];
  const answer = dnsPacket.encode({
    type: "response",
    id: query.id,
    // rcode 0 for a known name (its MX records, or none), 3 (NXDOMAIN) for everything else
    flags: dnsPacket.RECURSION_DESIRED | dnsPacket.RECURSION_AVAILABLE | (known ? 0 : 3),
    questions: query.questions,
    answers: hosts.map((exchange, i) => ({
      type: "MX",
      name: question.name,
      ttl: 300,
      data: { preference: 10 * (i + 1), exchange },
    })),
  });
  dns.send(answer, rinfo.port, rinfo.address);
});

const servers = [pypi];
const pypiPort = await listen(pypi, "pypi");
const rdapUrls = {};
for (const tld of config.tlds) {
  const server = rdapServer(tld);
  servers.push(server);
  rdapUrls[tld] = `http://127.0.0.1:${await listen(server, tld)}/`;
}
await new Promise((resolve) => dns.bind(0, "127.0.0.1", resolve));

process.on("message", (msg) => {
  if (msg.type === "stats") {
    const cpu = process.cpuUsage();
    process.send({ type: "stats", counts, cpuMs: (cpu.user + cpu.system) / 1000 });
  } else if (msg.type === "set") {
    // Change a setting between runs (e.g. pypiMaxAge).
    Object.assign(config, msg.settings);
    process.send({ type: "set" });
  } else if (msg.type === "reset") {
    counts = newCounts();
    process.send({ type: "reset" });
  } else if (msg.type === "stop") {
    for (const s of servers) s.closeAllConnections?.();
    for (const s of servers) s.close();
    dns.close();
    process.disconnect();
  }
});
process.send({
  type: "ready",
  pypiUrl: `http://127.0.0.1:${pypiPort}/pypi`,
  rdapUrls,
  dnsServer: `127.0.0.1:${dns.address().port}`,
});

// Loopback servers that replay the recorded answers in demo/: a PyPI JSON API, an RDAP server
// and a DNS server, all on 127.0.0.1 with ports chosen by the system. Nothing here reaches the
// network.
//
// Dates in the recordings are relative to the day the demo runs: `{{days:-40}}` is rendered as
// the ISO 8601 time 40 days before now (`{{days:-40|naive}}` without a zone, as PyPI's
// `upload_time`; `|+2s` adds seconds), so "expires in 12 days" means that on any day.
// `{{pypi}}` and `{{rdap}}` are rendered as the loopback servers' base URLs.
import { createSocket } from "node:dgram";
import { readFile, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import { join } from "node:path";
import dnsPacket from "dns-packet";

const DAY_MS = 86_400_000;
const PLACEHOLDER = /\{\{(days:(-?\d+)((?:\|[a-z0-9+-]+)*)|pypi|rdap)\}\}/g;

/** ISO 8601 without milliseconds; `naive` drops the zone. */
function isoSeconds(ms, naive) {
  const text = new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
  return naive ? text.slice(0, -1) : text;
}

/**
 * Render the placeholders of one recorded answer against `now` and the servers' URLs.
 * @param {string} text
 * @param {{ now: Date, pypi?: string, rdap?: string }} context
 */
export function renderRecording(text, context) {
  const base = Math.floor(context.now.getTime() / 1000) * 1000;
  return text.replace(PLACEHOLDER, (whole, _inner, days, modifiers) => {
    if (whole === "{{pypi}}") return context.pypi ?? "";
    if (whole === "{{rdap}}") return context.rdap ?? "";
    let ms = base + Number(days) * DAY_MS;
    let naive = false;
    for (const modifier of (modifiers ?? "").split("|").filter(Boolean)) {
      const seconds = /^([+-]\d+)s$/.exec(modifier);
      if (modifier === "naive") naive = true;
      else if (seconds) ms += Number(seconds[1]) * 1000;
      else throw new Error(`unknown date modifier "${modifier}" in ${whole}`);
    }
    return isoSeconds(ms, naive);
  });
}

/** PEP 503 normalisation, as the index applies it before redirecting. */
function normalizeName(name) {
  return name.toLowerCase().replace(/[-_.]+/g, "-");
}

function listen(server) {
  return new Promise((resolveListen, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolveListen(server.address().port));
  });
}

function closeHttp(server) {
  return new Promise((resolveClose) => {
    server.close(() => resolveClose());
    server.closeAllConnections();
  });
}

/**
 * Start the three servers. `dataDir` is the folder holding answers.json and the recordings.
 * @param {{ dataDir: string, now?: () => Date }} options
 */
export async function startDemoServers({ dataDir, now = () => new Date() }) {
  const answers = JSON.parse(await readFile(join(dataDir, "answers.json"), "utf8"));
  const load = async (entry) => ({
    status: entry.status ?? 200,
    template: entry.file ? await readFile(join(dataDir, entry.file), "utf8") : (entry.body ?? ""),
  });
  const pypiAnswers = new Map();
  for (const [name, entry] of Object.entries(answers.pypi))
    pypiAnswers.set(name, await load(entry));
  const rdapAnswers = new Map();
  for (const [domain, entry] of Object.entries(answers.rdap))
    rdapAnswers.set(domain, await load(entry));
  const delegated = new Set(answers.dnsDelegated);
  const requests = { pypi: [], rdap: [], dns: [] };
  const urls = { pypi: "", rdap: "" };

  const send = (res, status, type, body) => {
    res.writeHead(status, { "content-type": type, "content-length": Buffer.byteLength(body) });
    res.end(body);
  };

  const pypi = createServer((req, res) => {
    requests.pypi.push(`${req.method} ${req.url}`);
    const match = /^\/pypi\/([^/?#]+)\/json$/.exec(req.url ?? "");
    if (req.method !== "GET" || !match)
      return send(res, 404, "application/json", '{"message": "Not Found"}');
    const name = decodeURIComponent(match[1]);
    const normal = normalizeName(name);
    if (normal !== name) {
      res.writeHead(301, {
        location: `/pypi/${encodeURIComponent(normal)}/json`,
        "content-length": 0,
      });
      return res.end();
    }
    const answer = pypiAnswers.get(name);
    if (!answer) return send(res, 404, "application/json", '{"message": "Not Found"}');
    const body = renderRecording(answer.template, { now: now(), ...urls });
    send(res, answer.status, "application/json", body);
  });

  const rdap = createServer((req, res) => {
    requests.rdap.push(`${req.method} ${req.url}`);
    const match = /^\/domain\/([^/?#]+)$/.exec(req.url ?? "");
    const domain = match
      ? decodeURIComponent(match[1]).toLowerCase().replace(/\.$/, "")
      : undefined;
    const answer = domain === undefined ? undefined : rdapAnswers.get(domain);
    if (req.method !== "GET" || !answer) {
      const error = { errorCode: 404, title: "Object not found", description: ["No such domain."] };
      return send(res, 404, "application/rdap+json", JSON.stringify(error));
    }
    const body = renderRecording(answer.template, { now: now(), ...urls });
    send(res, answer.status, "application/rdap+json", body);
  });

  // A DNS server that knows which demo domains are delegated: NS records for those (and names
  // below them), MX records for the domains `dnsMx` names, NXDOMAIN for everything else.
  const mx = new Map(Object.entries(answers.dnsMx ?? {}));
  const dns = createSocket("udp4");
  dns.on("message", (message, peer) => {
    let query;
    try {
      query = dnsPacket.decode(message);
    } catch {
      return;
    }
    const question = query.questions?.[0];
    if (!question) return;
    const name = question.name.toLowerCase().replace(/\.$/, "");
    requests.dns.push(`${question.type} ${name}`);
    const zone = [...delegated].find((d) => name === d || name.endsWith(`.${d}`));
    const answers =
      zone && question.type === "NS"
        ? [1, 2].map((n) => ({ type: "NS", name: question.name, ttl: 300, data: `ns${n}.${zone}` }))
        : zone && question.type === "MX" && mx.has(name)
          ? mx.get(name).map((exchange, i) => ({
              type: "MX",
              name: question.name,
              ttl: 300,
              data: { preference: 10 * (i + 1), exchange },
            }))
          : [];
    const reply = dnsPacket.encode({
      type: "response",
      id: query.id,
      flags: dnsPacket.AUTHORITATIVE_ANSWER | dnsPacket.RECURSION_AVAILABLE | (zone ? 0 : 3),
      questions: query.questions,
      answers,
    });
    dns.send(reply, peer.port, peer.address);
  });

  const pypiPort = await listen(pypi);
  const rdapPort = await listen(rdap);
  await new Promise((resolveBind, reject) => {
    dns.once("error", reject);
    dns.bind(0, "127.0.0.1", () => resolveBind());
  });
  urls.pypi = `http://127.0.0.1:${pypiPort}/pypi`;
  urls.rdap = `http://127.0.0.1:${rdapPort}/`;

  const bootstrap = {
    description:
      "RDAP bootstrap for the offline demo: the demo's TLDs point at the loopback RDAP server",
    publication: isoSeconds(now().getTime(), false),
    services: [[[...answers.rdapTlds], [urls.rdap]]],
    version: "1.0",
  };

  return {
    pypiUrl: urls.pypi,
    rdapUrl: urls.rdap,
    dnsServer: `127.0.0.1:${dns.address().port}`,
    bootstrap,
    requests,
    /** Write the bootstrap (RFC 9224 format) into `dir` and return its path. */
    async writeBootstrap(dir) {
      const file = join(dir, "rdap-bootstrap.json");
      await writeFile(file, `${JSON.stringify(bootstrap, null, 2)}\n`);
      return file;
    },
    async close() {
      await Promise.all([
        closeHttp(pypi),
        closeHttp(rdap),
        new Promise((r) => dns.close(() => r())),
      ]);
    },
  };
}

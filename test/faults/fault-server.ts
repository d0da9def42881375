/**
 * Loopback servers that answer each request with a fault drawn from a seeded PRNG (mulberry32):
 * the true answer, or one of the ways PyPI and RDAP servers fail in practice.
 *
 * The draw for a request depends only on (seed, path, attempt number for that path), not on the
 * order in which concurrent requests arrive, so a failing seed replays the same faults.
 * Every request is logged with its arrival time and the fault served, which is the ground truth
 * the invariants are checked against.
 *
 * @example
 * ```ts
 * const server = await startFaultServer({
 *   seed: 7,
 *   answer: (path) => (path === "/pypi/demo/json" ? { status: 200, type: "application/json", body: "{}" } : undefined),
 * });
 * await fetch(`${server.url}/pypi/demo/json`); // maybe the answer, maybe a 503, a reset, a stall, ...
 * server.log; // [{ path: "/pypi/demo/json", attempt: 0, fault: "status-503", at: 1234.5 }]
 * await server.close();
 * ```
 */
import { gzipSync } from "node:zlib";
import { performance } from "node:perf_hooks";
import { startServer, type TestServer } from "../servers/http.js";

export const FAULTS = [
  "ok",
  "reset",
  "status-500",
  "status-502",
  "status-503",
  "429-retry-after-seconds",
  "429-retry-after-date",
  "429-bare",
  "stall",
  "stall-body",
  "truncated",
  "too-large",
  "gzip-bomb",
  "redirect-loop",
  "wrong-type",
  "malformed-json",
] as const;
export type Fault = (typeof FAULTS)[number];

/** The Retry-After a rate-limited answer asks for: far beyond any cap a test sets. */
export const RETRY_AFTER_SECONDS = 30;

export interface Answer {
  status: number;
  type: string;
  body: string;
}

export interface LoggedRequest {
  path: string;
  /** 0 for the first request of this path, 1 for the next, ... */
  attempt: number;
  fault: Fault;
  /** performance.now() at arrival. */
  at: number;
  /** It came on a kept connection that had carried an earlier request. */
  reused: boolean;
}

export interface FaultServer {
  /** `http://127.0.0.1:PORT`, no trailing slash. */
  url: string;
  log: LoggedRequest[];
  close(): Promise<void>;
}

/** mulberry32: a small, fast, seedable PRNG returning numbers in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A 32-bit FNV-1a hash, to derive one PRNG per (seed, path, attempt). */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * Pick the fault for one request: `ok` with weight `okWeight`, every fault in `faults` with
 * weight 1.
 */
export function drawFault(
  seed: number,
  key: string,
  attempt: number,
  okWeight: number,
  faults: readonly Fault[],
): Fault {
  const random = mulberry32(hash(`${seed}|${key}|${attempt}`));
  const total = okWeight + faults.length;
  const x = random() * total;
  if (x < okWeight) return "ok";
  return faults[Math.min(faults.length - 1, Math.floor(x - okWeight))] as Fault;
}

const MiB = 1024 * 1024;
let tooLarge: Buffer | undefined;
let bomb: Buffer | undefined;

/** Valid JSON, 5.5 MiB: refused for its size, not for its syntax. */
function tooLargeBody(): Buffer {
  tooLarge ??= Buffer.from(`{"pad":"${"a".repeat(5.5 * MiB)}"}`);
  return tooLarge;
}

/** About 20 KiB of gzip that inflates to 24 MiB. */
function gzipBomb(): Buffer {
  bomb ??= gzipSync(Buffer.alloc(24 * MiB, 0x20), { level: 9 });
  return bomb;
}

/** Build the large bodies now, so the first seeds do not pay for it while their clocks run. */
export function prepareLargeBodies(): void {
  tooLargeBody();
  gzipBomb();
}

export interface FaultServerOptions {
  seed: number;
  /** The true answer for a path, or undefined for 404. */
  answer: (path: string) => Answer | undefined;
  /** Weight of `ok` against 1 for each fault (default 8). */
  okWeight?: number;
  /** Faults to draw from (default: all). */
  faults?: readonly Fault[];
  /** Override the draw entirely (for single-fault tests). */
  choose?: (path: string, attempt: number) => Fault;
}

export async function startFaultServer(options: FaultServerOptions): Promise<FaultServer> {
  const log: LoggedRequest[] = [];
  const attempts = new Map<string, number>();
  const carried = new WeakMap<object, number>();
  const faults = options.faults ?? FAULTS.filter((f) => f !== "ok");
  const okWeight = options.okWeight ?? 8;
  const server: TestServer = await startServer((req, res) => {
    const path = req.url ?? "/";
    const at = performance.now();
    const reused = (carried.get(req.socket) ?? 0) > 0;
    carried.set(req.socket, (carried.get(req.socket) ?? 0) + 1);
    // The hops of a redirect loop redirect forever, whatever the draw.
    const loop = /^\/__loop\/(\d+)$/.exec(path);
    if (loop) {
      log.push({ path, attempt: 0, fault: "redirect-loop", at, reused });
      res.writeHead(302, { location: `/__loop/${(Number(loop[1]) + 1) % 2}`, "content-length": 0 });
      res.end();
      return;
    }
    const attempt = attempts.get(path) ?? 0;
    attempts.set(path, attempt + 1);
    const fault = options.choose
      ? options.choose(path, attempt)
      : drawFault(options.seed, path, attempt, okWeight, faults);
    log.push({ path, attempt, fault, at, reused });
    const send = (
      status: number,
      headers: Record<string, string | number>,
      body: string | Buffer,
    ) => {
      res.writeHead(status, { "content-length": Buffer.byteLength(body), ...headers });
      res.end(body);
    };
    const answer = options.answer(path) ?? {
      status: 404,
      type: "application/json",
      body: '{"message": "Not Found"}',
    };
    switch (fault) {
      case "ok":
        return send(answer.status, { "content-type": answer.type }, answer.body);
      case "reset":
        req.socket.destroy();
        return;
      case "status-500":
      case "status-502":
      case "status-503":
        return send(
          Number(fault.slice(-3)),
          { "content-type": "text/html" },
          "<html><body>Server error</body></html>",
        );
      case "429-retry-after-seconds":
        return send(
          429,
          { "content-type": "application/json", "retry-after": String(RETRY_AFTER_SECONDS) },
          "{}",
        );
      case "429-retry-after-date":
        return send(
          429,
          {
            "content-type": "application/json",
            "retry-after": new Date(Date.now() + RETRY_AFTER_SECONDS * 1000).toUTCString(),
          },
          "{}",
        );
      case "429-bare":
        return send(
          429,
          { "content-type": "application/json" },
          '{"errorCode": 429, "title": "Too many requests"}',
        );
      case "stall":
        return; // never answers; close() ends the socket
      case "stall-body":
        res.writeHead(200, {
          "content-type": answer.type,
          "content-length": Buffer.byteLength(answer.body),
        });
        res.write(answer.body.slice(0, Math.floor(answer.body.length / 2)));
        return; // the rest never comes
      case "truncated": {
        const body = answer.body.slice(0, Math.floor(answer.body.length / 2));
        res.writeHead(200, {
          "content-type": answer.type,
          "content-length": Buffer.byteLength(answer.body) + 100,
        });
        res.write(body, () => req.socket.destroy());
        return;
      }
      case "too-large":
        // No Content-Length: the cap must hold while the body streams in.
        res.writeHead(200, { "content-type": answer.type });
        res.end(tooLargeBody());
        return;
      case "gzip-bomb":
        return send(200, { "content-type": answer.type, "content-encoding": "gzip" }, gzipBomb());
      case "redirect-loop":
        res.writeHead(302, { location: "/__loop/0", "content-length": 0 });
        res.end();
        return;
      case "wrong-type":
        return send(
          200,
          { "content-type": "text/html" },
          "<html><body>Please enable JavaScript</body></html>",
        );
      case "malformed-json":
        return send(
          200,
          { "content-type": answer.type },
          answer.body.slice(0, Math.floor(answer.body.length / 3)),
        );
    }
  });
  return { url: server.url, log, close: () => server.close() };
}

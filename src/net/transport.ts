// How a request reaches the network: the one seam below the request policy. `directTransport`
// sends over node:http / node:https with keep-alive connections and undoes Content-Encoding
// with node:zlib (off the main thread), handing the body on as Node's stream gives it, chunk by
// chunk in flowing mode (chunks.ts): no web stream in between, which for answers of tens of
// megabytes is most of the cost of reading them.
// `nodeTransport` sends as a router says (proxy.ts routes through a proxy); `fetchTransport`
// sends through a fetch (a test's own).
import {
  Agent as HttpAgent,
  request as httpRequest,
  type IncomingMessage,
  type RequestOptions,
} from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import { pipeline, Transform, type Readable } from "node:stream";
import { createBrotliDecompress, createGunzip, createInflate, createInflateRaw } from "node:zlib";
import { flowingChunks } from "./chunks.js";

export interface TransportRequest {
  /** An http(s) URL without credentials (the policy sends those as `authorization`). */
  url: URL;
  /** Request headers, lower-case names. */
  headers: Record<string, string>;
  /** Ends the request and its body (timeout, stop request). */
  signal: AbortSignal;
}

/** An answer's headers, as the policy and its callers read them (fetch's Headers is one). */
export interface AnswerHeaders {
  /** The value of a header (name in any case), repeated ones joined with ", "; null when absent. */
  get(name: string): string | null;
}

export interface TransportResponse {
  readonly status: number;
  readonly headers: AnswerHeaders;
  /** The body with its Content-Encoding undone; iterate it once. Errors when it is cut off. */
  readonly body: AsyncIterable<Uint8Array>;
  /** Drop the rest of the body unread; never rejects. */
  cancel(): Promise<void>;
}

/** One GET, redirects not followed. Rejects when no answer arrives (refused, DNS, aborted). */
export type Transport = (request: TransportRequest) => Promise<TransportResponse>;

/** What `directTransport` asks servers to compress with, as fetch does. */
export const ACCEPT_ENCODING = "gzip, deflate, br";

/**
 * Bytes per decoded chunk. Each chunk is a trip from zlib's thread back to the event loop, and
 * zlib waits for it: with the loop busy reading other answers, a 30 MB gzip answer among three
 * others was read in 319 ms with 64 KiB chunks and 275 ms with 256 KiB (zlib's default, 16 KiB,
 * was a third slower still).
 */
const DECODED_CHUNK = 256 * 1024;

/** More codings than this on one answer are not undone (fetch has no limit; a bomb has many). */
const MAX_CODINGS = 3;

export interface DirectTransportOptions {
  /**
   * Certificates to trust instead of Node's own (PEM), for a test server's; a run trusts
   * Node's, plus NODE_EXTRA_CA_CERTS.
   */
  ca?: string;
}

/**
 * GETs over node:http / node:https: keep-alive connections (one pool per transport; idle ones
 * do not hold the process open), TLS as Node verifies it (NODE_EXTRA_CA_CERTS honoured), no
 * proxy (see `transportForEnv`).
 */
export function directTransport(opts: DirectTransportOptions = {}): Transport {
  return nodeTransport(directRouter(opts));
}

/** Where one request goes: the function that sends it, its options, and who may answer it. */
export interface Route {
  send: typeof httpRequest;
  /** Target, path and agent; `headers` are added to the request's (a forwarded `host`). */
  options: RequestOptions & { tunnelSignal?: AbortSignal };
  /**
   * The answer may be a proxy's (a request forwarded in absolute form): a 407 is then the
   * proxy's refusal, not the origin's answer.
   */
  refusedBy?: (status: number, text?: string) => Error;
}

/** The route of a request; `resent` asks for a new connection, closed after its answer. */
export type Router = (url: URL, resent: boolean) => Route | Error;

/** The request options of a URL's origin and path (brackets of an IPv6 host removed). */
export function targetOf(url: URL): RequestOptions {
  return {
    protocol: url.protocol,
    hostname: url.hostname.replace(/^\[|\]$/g, ""),
    port: url.port || undefined,
    path: `${url.pathname}${url.search}`,
  };
}

/** Straight to the origin. */
export function directRouter(opts: DirectTransportOptions = {}): Router {
  const http = new HttpAgent({ keepAlive: true });
  const https = new HttpsAgent({ keepAlive: true, ...(opts.ca ? { ca: opts.ca } : {}) });
  // For a request sent again after its kept connection was found closed: a new connection for
  // certain (another kept one may be just as stale), closed after its answer.
  const freshHttp = new HttpAgent({ keepAlive: false });
  const freshHttps = new HttpsAgent({ keepAlive: false, ...(opts.ca ? { ca: opts.ca } : {}) });
  return (url, resent) => {
    const secure = url.protocol === "https:";
    return {
      send: secure ? httpsRequest : httpRequest,
      options: {
        ...targetOf(url),
        agent: resent ? (secure ? freshHttps : freshHttp) : secure ? https : http,
      },
    };
  };
}

/** GETs as the router sends them, bodies decoded (see `directTransport`). */
export function nodeTransport(router: Router): Transport {
  return (req) =>
    new Promise<TransportResponse>((resolve, reject) => {
      const headers: Record<string, string> = { "accept-encoding": ACCEPT_ENCODING };
      for (const [name, value] of Object.entries(req.headers)) headers[name] = value;
      const send = (resent: boolean) => {
        const route = router(req.url, resent);
        if (route instanceof Error) return reject(route);
        const outgoing = route.send({
          ...route.options,
          method: "GET",
          headers: { ...headers, ...(route.options.headers as Record<string, string>) },
          signal: req.signal,
          tunnelSignal: req.signal,
        } as RequestOptions);
        let answered = false;
        // Before the answer: no answer (refused, DNS, aborted). After it, errors reach the body.
        let errored = false;
        outgoing.on("error", (error: NodeJS.ErrnoException) => {
          errored = true;
          if (!resent && !answered && staleConnection(outgoing.reusedSocket, error, req.signal))
            send(true);
          else reject(error);
        });
        // A 101 (Switching Protocols) is no answer to a GET: Node hands it to `upgrade` and
        // nothing else, and without a settle here the request would wait for the deadline.
        outgoing.once("upgrade", (_res, socket) => {
          errored = true;
          socket.destroy();
          reject(
            Object.assign(new Error("the server switched protocols (101) instead of answering"), {
              code: "EPROTO",
            }),
          );
        });
        // Closed with neither an answer nor an error: no answer (a settled promise ignores it).
        outgoing.once("close", () => {
          if (!answered && !errored)
            reject(
              Object.assign(new Error("the connection closed before an answer"), {
                code: "ECONNRESET",
              }),
            );
        });
        outgoing.once("response", (res) => {
          answered = true;
          if (route.refusedBy && res.statusCode === 407) {
            drop(res, res);
            reject(route.refusedBy(407, res.statusMessage));
            return;
          }
          const body = decoded(res);
          // An error before the body is read must not go unheard (it would end the process);
          // whoever reads the body still gets it.
          body.on("error", () => undefined);
          resolve({
            status: res.statusCode ?? 0,
            headers: headersOf(res),
            body: flowingChunks(body),
            cancel: async () => drop(res, body),
          });
        });
        outgoing.end();
      };
      send(false);
    });
}

/**
 * Whether a request failed only because the kept connection it was written to had been closed
 * by the server while idle (a reset or broken pipe on a reused socket, before any answer). Such
 * a GET is sent again, once, on a new connection, and that is not a retry: with `--retries 0` a
 * closed idle connection must not cost a package its lookup. A connection that fails on its
 * first request is a real failure, left to the retry policy.
 */
function staleConnection(
  reused: boolean,
  error: NodeJS.ErrnoException,
  signal: AbortSignal,
): boolean {
  return reused && !signal.aborted && (error.code === "ECONNRESET" || error.code === "EPIPE");
}

/** Bodies up to this many bytes still due are read to the end and dropped, keeping the connection. */
const DRAIN_UP_TO = 64 * 1024;
/** How long such a body may take to arrive: past this, its connection is cut. */
const DRAIN_WITHIN_MS = 1_000;

/**
 * Drop a body: one that has arrived, or is small, is drained so that its connection is kept
 * for the next request (a 304 or a 429 should not cost a new TLS handshake); a large one is cut.
 */
function drop(res: IncomingMessage, body: Readable): void {
  const declared = Number(res.headers["content-length"]);
  if (res.complete) {
    body.resume();
  } else if (Number.isFinite(declared) && declared <= DRAIN_UP_TO) {
    // A server that declares a small body and never sends it must not hold the socket, and
    // the process, past the run.
    const cut = setTimeout(() => {
      body.destroy();
      res.destroy();
    }, DRAIN_WITHIN_MS);
    cut.unref();
    res.once("close", () => clearTimeout(cut));
    body.resume();
  } else {
    body.destroy();
    res.destroy();
  }
}

/**
 * The answer's headers as Node parsed them. Not a fetch Headers: the first one made in a process
 * loads fetch's implementation, some 35 ms, while the body is waiting to be read.
 */
function headersOf(res: IncomingMessage): AnswerHeaders {
  return {
    get(name) {
      const value = res.headers[name.toLowerCase()];
      if (value === undefined) return null;
      return Array.isArray(value) ? value.join(", ") : value;
    },
  };
}

/**
 * The body with Content-Encoding undone (codings applied last first, as fetch does); an unknown
 * coding, or more than MAX_CODINGS, leaves the bytes as they came. An error of either stream
 * (cut off, not gzip after all) ends the other and surfaces where the body is read.
 */
function decoded(res: IncomingMessage): Readable {
  // No body to decode (as fetch reads it: an empty gzip body is an empty body, not a cut one).
  if (res.headers["content-length"] === "0" || res.statusCode === 204 || res.statusCode === 304)
    return res;
  const header = res.headers["content-encoding"];
  const codings = (header ?? "")
    .toLowerCase()
    .split(",")
    .map((c) => c.trim())
    .filter((c) => c !== "" && c !== "identity")
    .reverse();
  if (codings.length === 0 || codings.length > MAX_CODINGS) return res;
  const decoders: Readable[] = [];
  // A body of a declared, non-zero length has a first byte: its decoders are made at once (a
  // lazy one costs a hop per chunk). Without a length it may be empty: made on the first byte.
  const sized = res.headers["content-length"] !== undefined;
  const made = (make: () => Transform) => (sized ? make() : lazyDecoder(make));
  for (const coding of codings) {
    if (coding === "gzip" || coding === "x-gzip")
      decoders.push(made(() => createGunzip({ chunkSize: DECODED_CHUNK })));
    else if (coding === "deflate") decoders.push(lazyDecoder(anyDeflate));
    else if (coding === "br")
      decoders.push(made(() => createBrotliDecompress({ chunkSize: DECODED_CHUNK })));
    else return res;
  }
  // pipeline ends every stream when one fails, and the socket when the reader stops early.
  (pipeline as unknown as (streams: Readable[], done: () => void) => void)(
    [res, ...decoders],
    () => undefined,
  );
  return decoders.at(-1)!;
}

/**
 * `deflate` as servers send it: zlib-wrapped (RFC 1950) or, from some old servers, raw (RFC
 * 1951); the first byte tells which, as fetch decides.
 */
function anyDeflate(first: Buffer): Transform {
  return (first[0]! & 0x0f) === 0x08
    ? createInflate({ chunkSize: DECODED_CHUNK })
    : createInflateRaw({ chunkSize: DECODED_CHUNK });
}

/**
 * A decoder made when the first byte arrives (`make` sees that chunk): a body with no byte at
 * all is an empty body, as fetch reads it, where a decoder given nothing would call it cut off.
 * Output waits for its reader: a small compressed chunk can inflate a thousandfold.
 */
function lazyDecoder(make: (first: Buffer) => Transform): Readable {
  let inner: Transform | undefined;
  const outer: Transform = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      if (!inner) {
        const decoder = make(chunk);
        inner = decoder;
        decoder.on("data", (out: Buffer) => {
          if (!outer.push(out)) decoder.pause();
        });
        decoder.on("error", (error) => outer.destroy(error));
      }
      if (inner.write(chunk)) done();
      else inner.once("drain", done);
    },
    flush(done) {
      if (!inner) return done();
      inner.once("end", () => done());
      inner.end();
    },
  });
  // The reader wants more: let the decoder go on.
  const read = outer._read.bind(outer);
  outer._read = (size: number) => {
    inner?.resume();
    read(size);
  };
  return outer;
}

/**
 * Through a fetch: redirects left to the caller, the body as fetch's stream gives it. For tests
 * that answer from memory.
 */
export function fetchTransport(fetcher: typeof fetch): Transport {
  return async (req) => {
    const response = await fetcher(req.url.href, {
      method: "GET",
      redirect: "manual",
      signal: req.signal,
      headers: req.headers,
    });
    return fromResponse(response);
  };
}

/** A fetch Response as a transport's answer: its body stream read as it is, or cancelled. */
export function fromResponse(response: Response): TransportResponse {
  const stream = response.body;
  return {
    status: response.status,
    headers: response.headers,
    body: (stream ?? []) as unknown as AsyncIterable<Uint8Array>,
    cancel: () => stream?.cancel().catch(() => undefined) ?? Promise.resolve(),
  };
}

/**
 * A recording loopback HTTP server for tests: listens on 127.0.0.1, port 0, logs every request
 * it receives (method, path, headers) and closes every socket on `close()`.
 *
 * @example
 * ```ts
 * const server = await startServer((req, res) => {
 *   res.writeHead(200, { "content-type": "application/json" });
 *   res.end(JSON.stringify({ hello: req.url }));
 * });
 * try {
 *   const answer = await fetch(`${server.url}/pypi/requests/json`);
 *   expect(server.requests.map((r) => `${r.method} ${r.path}`)).toEqual(["GET /pypi/requests/json"]);
 * } finally {
 *   await server.close();
 * }
 * ```
 *
 * The handler may be async; a handler that throws answers 500 with the message. `inFlight` and
 * `maxInFlight` count requests whose response has not finished yet (for concurrency tests).
 */
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
} from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { afterEach } from "vitest";

export interface RecordedRequest {
  method: string;
  /** Path and query as sent, e.g. `/domain/example.com`. */
  path: string;
  headers: IncomingHttpHeaders;
}

export type Handler = (req: IncomingMessage, res: ServerResponse, index: number) => unknown;

export interface TestServer {
  /** `http://127.0.0.1:PORT`, no trailing slash. */
  url: string;
  requests: RecordedRequest[];
  /** Requests being answered right now. */
  readonly inFlight: number;
  /** The most requests ever in flight at once. */
  readonly maxInFlight: number;
  close(): Promise<void>;
}

export async function startServer(handler: Handler): Promise<TestServer> {
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  let inFlight = 0;
  let maxInFlight = 0;
  const server = createServer((req, res) => {
    const index = requests.length;
    requests.push({ method: req.method ?? "", path: req.url ?? "", headers: req.headers });
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    let counted = true;
    const done = () => {
      if (counted) {
        counted = false;
        inFlight--;
      }
    };
    res.on("finish", done);
    res.on("close", done);
    Promise.resolve()
      .then(() => handler(req, res, index))
      .catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
        res.end(String(error instanceof Error ? error.message : error));
      });
  });
  server.keepAliveTimeout = 5_000;
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    get inFlight() {
      return inFlight;
    },
    get maxInFlight() {
      return maxInFlight;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/**
 * For a test file whose tests start servers: `serve` starts one, `track` adopts anything else
 * with a `close()` (a black hole), and every one of them is closed after each test.
 */
export function closedAfterEach() {
  const open: { close(): Promise<void> }[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((s) => s.close()));
  });
  const track = <T extends { close(): Promise<void> }>(thing: T): T => {
    open.push(thing);
    return thing;
  };
  return { serve: async (handler: Handler) => track(await startServer(handler)), track };
}

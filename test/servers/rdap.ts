/**
 * A loopback RDAP registry for tests, serving real captured answers from `test/fixtures/rdap/`.
 *
 * @example
 * ```ts
 * const rdap = await startRdapServer({
 *   "google.com": { status: 200, body: fixture("verisign-com-google.com-related-registrar.json") },
 *   "lapsed.com": { status: 404, body: "" },
 *   "busy.com": (n) => (n === 0 ? { status: 429, headers: { "retry-after": "1" } } : { status: 200, body: fixture("...") }),
 * });
 * const bootstrap = bootstrapFor({ com: `${rdap.url}/` });
 * // ... createRdapChecker({ bootstrap, ... }).check("google.com")
 * expect(rdap.requests.map((r) => r.path)).toEqual(["/domain/google.com"]);
 * await rdap.close();
 * ```
 *
 * Routes match `GET /domain/<name>` (any prefix before `/domain/`), case-insensitively on the
 * name; an unknown name answers 404 with an empty body, as Verisign does.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { BootstrapData } from "../../src/rdap/client.js";
import { startServer, type RecordedRequest } from "./http.js";

export interface RdapAnswer {
  status: number;
  /** A string is sent as is; an object is JSON-encoded. Omitted: empty body. */
  body?: string | object;
  headers?: Record<string, string>;
  /** Wait this long before answering (milliseconds). */
  delayMs?: number;
}

/** A fixed answer, or one chosen by how many requests this route has seen before (0-based). */
export type RdapRoute = RdapAnswer | ((count: number) => RdapAnswer);

export interface RdapServer {
  /** `http://127.0.0.1:PORT` (no trailing slash). */
  url: string;
  requests: RecordedRequest[];
  readonly maxInFlight: number;
  close(): Promise<void>;
}

const FIXTURES = fileURLToPath(new URL("../fixtures/rdap/", import.meta.url));

/** The text of a captured RDAP file in test/fixtures/rdap/. */
export function fixture(name: string): string {
  return readFileSync(`${FIXTURES}${name}`, "utf8");
}

/** A captured RDAP domain object, parsed, to edit for synthetic cases. */
export function fixtureJson(name: string): Record<string, unknown> {
  return JSON.parse(fixture(name)) as Record<string, unknown>;
}

/** An RFC 9224 bootstrap object mapping each TLD to one base URL. */
export function bootstrapFor(tldToUrl: Record<string, string>): BootstrapData {
  return {
    version: "1.0",
    publication: "2026-06-26T18:00:02Z",
    description: "RDAP bootstrap file for tests",
    services: Object.entries(tldToUrl).map(([tld, url]) => [
      [tld],
      [url.endsWith("/") ? url : `${url}/`],
    ]),
  };
}

export async function startRdapServer(routes: Record<string, RdapRoute>): Promise<RdapServer> {
  const counts = new Map<string, number>();
  const table = new Map(Object.entries(routes).map(([name, route]) => [name.toLowerCase(), route]));
  const server = await startServer(async (req, res) => {
    const path = (req.url ?? "").split("?")[0] ?? "";
    const match = /\/domain\/([^/]+)$/.exec(path);
    const name = match ? decodeURIComponent(match[1]!).toLowerCase() : "";
    const route = table.get(name);
    const count = counts.get(name) ?? 0;
    counts.set(name, count + 1);
    const answer: RdapAnswer = route
      ? typeof route === "function"
        ? route(count)
        : route
      : { status: 404, body: "", headers: { "content-type": "application/rdap+json" } };
    if (answer.delayMs) await new Promise((resolve) => setTimeout(resolve, answer.delayMs));
    const body =
      answer.body === undefined
        ? ""
        : typeof answer.body === "string"
          ? answer.body
          : JSON.stringify(answer.body);
    res.writeHead(answer.status, { "content-type": "application/rdap+json", ...answer.headers });
    res.end(body);
  });
  return server;
}

/**
 * A loopback PyPI JSON API for tests: `GET /pypi/<name>/json` answers from a table of packages.
 * Names are looked up as PEP 503-normalised; a request for a non-normalised name answers 301 to
 * the normalised path, as pypi.org does; a name missing from the table answers 404.
 *
 * @example
 * ```ts
 * const pypi = await startPypiServer({
 *   wheel: pypiFixture("wheel-0.40.0.json"),
 *   lapsed: withEmails(pypiFixture("wheel-0.40.0.json"), { name: "lapsed", author_email: "a@b.com" }),
 *   broken: { status: 500 },
 * });
 * // options.pypiUrl = pypi.url  (ends in /pypi)
 * ```
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { startServer, type RecordedRequest } from "./http.js";

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), "..", "fixtures", "pypi");

/** A real PyPI JSON answer from test/fixtures/pypi, as text. */
/** Every recorded answer in test/fixtures/pypi/, by file name. */
export function pypiFixtureNames(): string[] {
  return readdirSync(FIXTURES)
    .filter((f) => f.endsWith(".json"))
    .sort();
}

export function pypiFixture(file: string): string {
  return readFileSync(join(FIXTURES, file), "utf8");
}

export interface PypiAnswer {
  status: number;
  body?: string;
  headers?: Record<string, string>;
  /** Wait this long before answering. */
  delayMs?: number;
}

/** A body (200, JSON), an answer, or an answer chosen by how many times this package was asked. */
export type PypiRoute = string | PypiAnswer | ((count: number) => PypiAnswer);

export interface PypiServer {
  /** Base URL for `--pypi-url`: `http://127.0.0.1:PORT/pypi`. */
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

const normalize = (name: string) => name.toLowerCase().replace(/[-_.]+/g, "-");

/**
 * A variant of a real fixture with chosen `info` fields (author_email, maintainer_email, ...),
 * and optionally the upload time of every file of the release. Everything else stays as PyPI
 * sent it.
 */
export function withInfo(
  body: string,
  info: Record<string, unknown>,
  opts: { uploadedAt?: string } = {},
): string {
  const doc = JSON.parse(body) as {
    info: Record<string, unknown>;
    urls: { upload_time_iso_8601?: string; upload_time?: string }[];
  };
  Object.assign(doc.info, info);
  if (opts.uploadedAt) {
    for (const file of doc.urls) {
      file.upload_time_iso_8601 = opts.uploadedAt;
      file.upload_time = opts.uploadedAt.replace(/Z$/, "");
    }
  }
  return JSON.stringify(doc);
}

export async function startPypiServer(packages: Record<string, PypiRoute>): Promise<PypiServer> {
  const routes = new Map<string, PypiRoute>();
  for (const [name, route] of Object.entries(packages)) routes.set(normalize(name), route);
  const counts = new Map<string, number>();
  const server = await startServer(async (req, res) => {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    const match = /^\/pypi\/([^/]+)\/json\/?$/.exec(path);
    if (!match) {
      res.writeHead(404, { "content-type": "text/plain" }).end("Not Found");
      return;
    }
    const asked = decodeURIComponent(match[1] ?? "");
    const name = normalize(asked);
    if (asked !== name) {
      res.writeHead(301, { location: `/pypi/${encodeURIComponent(name)}/json` }).end();
      return;
    }
    const route = routes.get(name);
    if (route === undefined) {
      res
        .writeHead(404, { "content-type": "application/json" })
        .end(JSON.stringify({ message: "Not Found" }));
      return;
    }
    const count = (counts.get(name) ?? 0) + 1;
    counts.set(name, count);
    const answer: PypiAnswer =
      typeof route === "string"
        ? { status: 200, body: route }
        : typeof route === "function"
          ? route(count)
          : route;
    if (answer.delayMs) await new Promise((r) => setTimeout(r, answer.delayMs));
    res.writeHead(answer.status, { "content-type": "application/json", ...answer.headers });
    res.end(answer.body ?? "");
  });
  return { url: `${server.url}/pypi`, requests: server.requests, close: () => server.close() };
}

/**
 * A loopback git smart-HTTP server: `git http-backend` run as a CGI program behind node:http on
 * 127.0.0.1, port 0, serving every bare repository under `root` (a repository at
 * `root/octo/lib.git` answers at `${server.url}/octo/lib`, the form actions/checkout fetches).
 *
 * @example
 * ```ts
 * const server = await startGitHttpServer({ root: remotes, token: "ghs_loopback" });
 * // fails: 401 + `WWW-Authenticate: Basic`, and GIT_TERMINAL_PROMPT=0 stops git from asking
 * await gitAt(dir, "fetch", server.repoUrl("octo/lib"));
 * // succeeds: the header actions/checkout configures as `http.<origin>/.extraheader`
 * await gitAt(dir, "-c", `http.${server.url}/.extraheader=${authorizationHeader("ghs_loopback")}`, "fetch", ...);
 * expect(server.requests.map((r) => r.authorized)).toEqual([false, true, true]);
 * await server.close();
 * ```
 *
 * With a `token`, every request must carry `Authorization: Basic base64(x-access-token:<token>)`
 * (the scheme word in any case, as checkout writes `basic`); anything else gets a 401. Without
 * a token every request is served. Each request is recorded with whether it was authorized.
 */
import { spawn } from "node:child_process";
import type { IncomingMessage, ServerResponse } from "node:http";
import { startServer } from "./http.js";

export interface GitHttpRequest {
  method: string;
  /** Path and query as sent, e.g. `/octo/lib/info/refs?service=git-upload-pack`. */
  path: string;
  /** `git-upload-pack` or `git-receive-pack` when the request names one. */
  service?: string;
  /** The `Git-Protocol` header (`version=2` for protocol v2 clients). */
  gitProtocol?: string;
  authorized: boolean;
  /** How many Authorization headers the request carried (Node keeps only the first in `headers`). */
  authorizationHeaders: number;
  status: number;
}

export interface GitHttpServer {
  /** `http://127.0.0.1:PORT`: also the origin for an `http.<origin>/.extraheader` key. */
  url: string;
  requests: GitHttpRequest[];
  /** `${url}/owner/repo` for the bare repository `root/owner/repo.git`. */
  repoUrl(fullName: string): string;
  close(): Promise<void>;
}

/** The environment that keeps a git client from prompting or reading the user's own config. */
export const QUIET_GIT_ENV: Record<string, string> = {
  GIT_TERMINAL_PROMPT: "0",
  GCM_INTERACTIVE: "Never",
  GIT_CONFIG_GLOBAL: "/dev/null",
  GIT_CONFIG_NOSYSTEM: "1",
};

/** `x-access-token:<token>` in base64, the credential actions/checkout builds from its token. */
export function basicCredential(token: string): string {
  return Buffer.from(`x-access-token:${token}`, "utf8").toString("base64");
}

/** The header line actions/checkout stores as the `extraheader` value. */
export function authorizationHeader(token: string): string {
  return `AUTHORIZATION: basic ${basicCredential(token)}`;
}

function isAuthorized(req: IncomingMessage, token: string | undefined): boolean {
  if (token === undefined) return true;
  const m = /^basic\s+(\S+)\s*$/i.exec(req.headers.authorization ?? "");
  return m !== null && m[1] === basicCredential(token);
}

/** Split a CGI answer into its status, headers and the body bytes that follow them. */
function parseCgiHead(head: string): { status: number; headers: [string, string][] } {
  let status = 200;
  const headers: [string, string][] = [];
  for (const line of head.split(/\r?\n/)) {
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (name.toLowerCase() === "status") status = Number.parseInt(value, 10) || 500;
    else headers.push([name, value]);
  }
  return { status, headers };
}

function runBackend(
  root: string,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  user: string | undefined,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      ...QUIET_GIT_ENV,
      GIT_PROJECT_ROOT: root,
      GIT_HTTP_EXPORT_ALL: "1",
      GATEWAY_INTERFACE: "CGI/1.1",
      SERVER_PROTOCOL: `HTTP/${req.httpVersion}`,
      REQUEST_METHOD: req.method ?? "GET",
      PATH_INFO: decodeURIComponent(url.pathname),
      QUERY_STRING: url.search.replace(/^\?/, ""),
      CONTENT_TYPE: req.headers["content-type"] ?? "",
      REMOTE_ADDR: req.socket.remoteAddress ?? "127.0.0.1",
    };
    if (req.headers["content-length"]) env.CONTENT_LENGTH = req.headers["content-length"];
    if (req.headers["content-encoding"]) {
      env.HTTP_CONTENT_ENCODING = req.headers["content-encoding"];
    }
    const protocol = req.headers["git-protocol"];
    if (typeof protocol === "string") env.GIT_PROTOCOL = protocol;
    if (user) {
      env.REMOTE_USER = user;
      env.AUTH_TYPE = "Basic";
    }
    const child = spawn("git", ["http-backend"], { env, stdio: ["pipe", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    let pending: Buffer = Buffer.alloc(0);
    let status = 0;
    child.stdout.on("data", (chunk: Buffer) => {
      if (status !== 0) {
        res.write(chunk);
        return;
      }
      pending = Buffer.concat([pending, chunk]);
      let end = pending.indexOf("\r\n\r\n");
      let skip = 4;
      if (end < 0) {
        end = pending.indexOf("\n\n");
        skip = 2;
      }
      if (end < 0) return;
      const head = parseCgiHead(pending.subarray(0, end).toString("latin1"));
      status = head.status;
      res.writeHead(status, head.headers);
      res.write(pending.subarray(end + skip));
    });
    child.on("error", reject);
    child.on("close", (code) => {
      if (status === 0) {
        status = 500;
        res.writeHead(500, { "content-type": "text/plain" });
        res.end(`git http-backend exited ${code}: ${stderr}`);
      } else res.end();
      resolve(status);
    });
    req.pipe(child.stdin);
    child.stdin.on("error", () => {});
  });
}

export async function startGitHttpServer(opts: {
  /** Folder holding `owner/repo.git` bare repositories. */
  root: string;
  /** When set, requests need the `x-access-token` Basic credential for this token. */
  token?: string;
}): Promise<GitHttpServer> {
  const requests: GitHttpRequest[] = [];
  const server = await startServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const authorized = isAuthorized(req, opts.token);
    const service =
      url.searchParams.get("service") ??
      /\/(git-upload-pack|git-receive-pack)$/.exec(url.pathname)?.[1] ??
      undefined;
    const protocol = req.headers["git-protocol"];
    const record: GitHttpRequest = {
      method: req.method ?? "GET",
      path: url.pathname + url.search,
      ...(service ? { service } : {}),
      ...(typeof protocol === "string" ? { gitProtocol: protocol } : {}),
      authorized,
      authorizationHeaders: req.rawHeaders.filter(
        (h, i) => i % 2 === 0 && h.toLowerCase() === "authorization",
      ).length,
      status: 0,
    };
    requests.push(record);
    if (!authorized) {
      // Drain the body so the client sees the 401 rather than a reset connection.
      req.resume();
      res.writeHead(401, {
        "www-authenticate": 'Basic realm="git"',
        "content-type": "text/plain",
      });
      res.end("authentication required\n");
      record.status = 401;
      return;
    }
    record.status = await runBackend(
      opts.root,
      req,
      res,
      url,
      opts.token ? "x-access-token" : undefined,
    );
  });
  return {
    url: server.url,
    requests,
    repoUrl: (fullName) => `${server.url}/${fullName}`,
    close: () => server.close(),
  };
}

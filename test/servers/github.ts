/**
 * A loopback GitHub REST server for the action's tests: keeps issues and comments in memory,
 * serves the endpoints the action uses (with `Link` pagination headers), records every request
 * with its JSON body, and can be told to refuse writes with 403 like a read-only token.
 *
 * @example
 * ```ts
 * const gh = await startGitHubServer({ perPage: 2 });
 * gh.addComment(7, { body: "hello", user: { login: "octocat", type: "User" } });
 * await run({ ..., env: { ..., GITHUB_API_URL: gh.url } });
 * expect(gh.log().filter((l) => !l.startsWith("GET"))).toEqual(["POST /repos/o/r/issues/7/comments"]);
 * await gh.close();
 * ```
 *
 * Endpoints: GET/POST /repos/:o/:r/issues/:n/comments, PATCH /repos/:o/:r/issues/comments/:id,
 * GET/POST /repos/:o/:r/issues (with `labels`, `creator` and `state` filters),
 * PATCH /repos/:o/:r/issues/:n, and the same under `/repositories/:id/...`, the form GitHub
 * sometimes puts in `Link` headers (`repositoryIdLinks`). `GET /user` answers 403, as it does for
 * a workflow's GITHUB_TOKEN, unless `user` is set (a personal token). Anything else is a 404.
 *
 * Like GitHub: writes are made as `writer` (default github-actions[bot], with
 * `performed_via_github_app.slug` "github-actions"); editing a comment someone else wrote is a
 * 403; `dropLabels` drops the labels of a new issue silently (a token without push access);
 * `issuesDisabled` answers 410 Gone to every issue endpoint.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { startServer } from "./http.js";

export interface GhUser {
  login: string;
  type: "Bot" | "User";
}

export interface GhApp {
  slug: string;
}

export interface GhComment {
  id: number;
  issue_number: number;
  body: string;
  user: GhUser;
  performed_via_github_app?: GhApp | null;
}

export interface GhIssue {
  number: number;
  title: string;
  body: string;
  state: "open" | "closed";
  state_reason?: string | null;
  labels: string[];
  user: GhUser;
  performed_via_github_app?: GhApp | null;
  updated_at: string;
  /** Present for pull requests, which the issues list also returns. */
  pull_request?: { url: string };
}

export interface GhRequest {
  method: string;
  path: string;
  body?: Record<string, unknown>;
  authorization?: string;
  userAgent?: string;
  apiVersion?: string;
}

export interface GitHubServer {
  url: string;
  requests: GhRequest[];
  comments: GhComment[];
  issues: GhIssue[];
  /** Answer 403 to every write (POST, PATCH) from now on. */
  readOnly: boolean;
  /** Drop the labels of issues created from now on (a token without push access). */
  dropLabels: boolean;
  /** Answer 410 to every issue endpoint (issues turned off in the repository's settings). */
  issuesDisabled: boolean;
  addComment(
    issue: number,
    c: { body: string; user: GhUser; performed_via_github_app?: GhApp | null },
  ): GhComment;
  addIssue(i: Partial<GhIssue> & { title: string; body: string }): GhIssue;
  /** `METHOD /path` for each request, query string dropped. */
  log(): string[];
  close(): Promise<void>;
}

export const ACTIONS_BOT: GhUser = { login: "github-actions[bot]", type: "Bot" };
export const ACTIONS_APP: GhApp = { slug: "github-actions" };
/** The numeric id `/repositories/:id` paths use for the one repository this server knows. */
export const REPOSITORY_ID = 1296269;

async function readBody(req: IncomingMessage): Promise<Record<string, unknown> | undefined> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  if (chunks.length === 0) return undefined;
  const text = Buffer.concat(chunks).toString("utf8");
  return text ? (JSON.parse(text) as Record<string, unknown>) : undefined;
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers });
  res.end(JSON.stringify(body));
}

export async function startGitHubServer(
  opts: {
    perPage?: number;
    readOnly?: boolean;
    /** Who writes with the token (default github-actions[bot] through the github-actions app). */
    writer?: { user: GhUser; app: GhApp | null };
    /** `GET /user` answers with this account (a personal token) instead of 403. */
    user?: GhUser;
    dropLabels?: boolean;
    issuesDisabled?: boolean;
    /** `Link` headers name `/repositories/:id/...` instead of `/repos/:o/:r/...`. */
    repositoryIdLinks?: boolean;
  } = {},
): Promise<GitHubServer> {
  const writer = opts.writer ?? { user: ACTIONS_BOT, app: ACTIONS_APP };
  let repoName = "octo/lib";
  let nextId = 1000;
  let nextNumber = 1;
  let clock = Date.parse("2026-03-01T00:00:00Z");
  const tick = () => new Date((clock += 1000)).toISOString();
  const requests: GhRequest[] = [];
  const comments: GhComment[] = [];
  const issues: GhIssue[] = [];

  const page = <T>(
    res: ServerResponse,
    url: URL,
    items: T[],
    toJson: (item: T) => unknown,
  ): void => {
    const asked = Number(url.searchParams.get("per_page") ?? "30");
    const perPage = Math.min(asked, opts.perPage ?? 100);
    const pageNo = Math.max(1, Number(url.searchParams.get("page") ?? "1"));
    const last = Math.max(1, Math.ceil(items.length / perPage));
    const slice = items.slice((pageNo - 1) * perPage, pageNo * perPage);
    const headers: Record<string, string> = {};
    if (pageNo < last) {
      const link = (n: number) => {
        const u = new URL(url.toString());
        if (opts.repositoryIdLinks)
          u.pathname = u.pathname.replace(
            /^\/repos\/[^/]+\/[^/]+\//,
            `/repositories/${REPOSITORY_ID}/`,
          );
        u.searchParams.set("page", String(n));
        return u.toString();
      };
      headers["link"] = `<${link(pageNo + 1)}>; rel="next", <${link(last)}>; rel="last"`;
    }
    send(res, 200, slice.map(toJson), headers);
  };

  const issueJson = (base: string) => (i: GhIssue) => ({
    ...i,
    id: i.number + 500_000,
    labels: i.labels.map((name) => ({ name })),
    html_url: `${base}/issues/${i.number}`,
  });

  const server = await startServer(async (req, res) => {
    const url = new URL(req.url ?? "/", `http://${req.headers.host ?? "127.0.0.1"}`);
    const method = req.method ?? "GET";
    const body = await readBody(req);
    requests.push({
      method,
      path: url.pathname + url.search,
      ...(body ? { body } : {}),
      ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
      ...(req.headers["user-agent"] ? { userAgent: String(req.headers["user-agent"]) } : {}),
      ...(req.headers["x-github-api-version"]
        ? { apiVersion: String(req.headers["x-github-api-version"]) }
        : {}),
    });
    if (method !== "GET" && state.readOnly) {
      send(res, 403, { message: "Resource not accessible by integration", status: "403" });
      return;
    }
    // `/repositories/:id/...` is the same repository as `/repos/:owner/:name/...`.
    const path = url.pathname.replace(
      new RegExp(`^/repositories/${REPOSITORY_ID}/`),
      `/repos/${repoName}/`,
    );
    const named = /^\/repos\/([^/]+\/[^/]+)\//.exec(path);
    if (named) repoName = named[1]!;
    let m: RegExpExecArray | null;
    if (state.issuesDisabled && /^\/repos\/[^/]+\/[^/]+\/issues/.test(path)) {
      send(res, 410, { message: "Issues are disabled for this repo", status: "410" });
    } else if (method === "GET" && path === "/user") {
      if (opts.user) send(res, 200, { ...opts.user, id: 1 });
      else send(res, 403, { message: "Resource not accessible by integration", status: "403" });
    } else if ((m = /^\/repos\/[^/]+\/[^/]+\/issues\/(\d+)\/comments$/.exec(path))) {
      const issue = Number(m[1]);
      if (method === "GET") {
        page(
          res,
          url,
          comments.filter((c) => c.issue_number === issue),
          (c) => c,
        );
      } else if (method === "POST") {
        send(
          res,
          201,
          state.addComment(issue, {
            body: String(body?.body ?? ""),
            user: writer.user,
            performed_via_github_app: writer.app,
          }),
        );
      } else send(res, 405, { message: "method" });
    } else if (
      (m = /^\/repos\/[^/]+\/[^/]+\/issues\/comments\/(\d+)$/.exec(path)) &&
      method === "PATCH"
    ) {
      const comment = comments.find((c) => c.id === Number(m![1]));
      if (!comment) return send(res, 404, { message: "Not Found" });
      if (comment.user.login !== writer.user.login)
        return send(res, 403, { message: "Resource not accessible by integration", status: "403" });
      comment.body = String(body?.body ?? "");
      send(res, 200, comment);
    } else if ((m = /^\/repos\/([^/]+)\/([^/]+)\/issues$/.exec(path))) {
      const base = `https://github.test/${m[1]}/${m[2]}`;
      if (method === "GET") {
        const wantState = url.searchParams.get("state") ?? "open";
        const labels = (url.searchParams.get("labels") ?? "").split(",").filter(Boolean);
        const creator = url.searchParams.get("creator");
        const list = issues
          .filter((i) => wantState === "all" || i.state === wantState)
          .filter((i) => creator === null || i.user.login === creator)
          .filter((i) => labels.every((l) => i.labels.includes(l)))
          .sort((a, b) => b.number - a.number);
        page(res, url, list, issueJson(base));
      } else if (method === "POST") {
        const labels = Array.isArray(body?.labels) ? (body.labels as string[]) : [];
        const issue = state.addIssue({
          title: String(body?.title ?? ""),
          body: String(body?.body ?? ""),
          labels: state.dropLabels ? [] : labels,
          user: writer.user,
          performed_via_github_app: writer.app,
        });
        send(res, 201, issueJson(base)(issue));
      } else send(res, 405, { message: "method" });
    } else if (
      (m = /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)$/.exec(path)) &&
      method === "PATCH"
    ) {
      const issue = issues.find((i) => i.number === Number(m![3]));
      if (!issue) return send(res, 404, { message: "Not Found" });
      if (typeof body?.body === "string") issue.body = body.body;
      if (body?.state === "open" || body?.state === "closed") issue.state = body.state;
      if (typeof body?.state_reason === "string") issue.state_reason = body.state_reason;
      issue.updated_at = tick();
      send(res, 200, issueJson(`https://github.test/${m[1]}/${m[2]}`)(issue));
    } else {
      send(res, 404, { message: "Not Found" });
    }
  });

  const state: GitHubServer = {
    url: server.url,
    requests,
    comments,
    issues,
    readOnly: opts.readOnly ?? false,
    dropLabels: opts.dropLabels ?? false,
    issuesDisabled: opts.issuesDisabled ?? false,
    addComment(issue, c) {
      const comment: GhComment = {
        id: nextId++,
        issue_number: issue,
        body: c.body,
        user: c.user,
        ...(c.performed_via_github_app !== undefined
          ? { performed_via_github_app: c.performed_via_github_app }
          : {}),
      };
      comments.push(comment);
      return comment;
    },
    addIssue(i) {
      const issue: GhIssue = {
        number: i.number ?? nextNumber,
        state: "open",
        labels: [],
        user: ACTIONS_BOT,
        updated_at: tick(),
        ...i,
      };
      nextNumber = Math.max(nextNumber, issue.number) + 1;
      issues.push(issue);
      return issue;
    },
    log: () => requests.map((r) => `${r.method} ${r.path.split("?")[0]}`),
    close: () => server.close(),
  };
  return state;
}

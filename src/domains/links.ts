// The links of a project's metadata (`project_urls`, `home_page`, `download_url`): each with its
// label and registrable domain, and the project's issue tracker among them. Untrusted text:
// bounded, parsed with the URL parser, http and https only, credentials dropped.
import type { ProjectLink } from "../types.js";
import { canonicalDomain } from "./canonical.js";
import { displayName, registrableDomain } from "./emails.js";
import type { SkipList } from "./providers.js";

/** At most this many links are read from one project's metadata. */
const MAX_LINKS = 40;
/** Longer URLs are not read (real project links are short). */
const MAX_URL_CHARS = 2048;
/** Labels are cut to this many characters. */
const MAX_LABEL_CHARS = 80;

/**
 * A link as a URL object, or undefined when it is not an http(s) URL with a host, or longer
 * than real links are. Credentials are left as written: the caller drops or refuses them.
 */
export function httpUrl(raw: unknown): URL | undefined {
  if (typeof raw !== "string") return undefined;
  const text = raw.trim();
  if (text === "" || text.length > MAX_URL_CHARS) return undefined;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return undefined;
  return url.hostname === "" ? undefined : url;
}

/** A project link without its credentials. */
function parseLink(raw: unknown): URL | undefined {
  const url = httpUrl(raw);
  if (!url) return undefined;
  url.username = "";
  url.password = "";
  return url;
}

function label(raw: string): string {
  // Backticks would end the code spans the findings put a label in.
  const clean = displayName(raw.slice(0, MAX_LABEL_CHARS * 4).replace(/`/g, "'")) ?? "Link";
  return [...clean].length > MAX_LABEL_CHARS
    ? `${[...clean].slice(0, MAX_LABEL_CHARS - 1).join("")}…`
    : clean;
}

/**
 * The project's links in metadata order: `project_urls` first, then `home_page` (as `Homepage`)
 * and `download_url` (as `Download`); each URL once; http and https only.
 */
export function extractLinks(info: Record<string, unknown>): ProjectLink[] {
  const entries: [string, unknown][] = [];
  const urls = info.project_urls;
  if (typeof urls === "object" && urls !== null && !Array.isArray(urls)) {
    for (const [key, value] of Object.entries(urls).slice(0, MAX_LINKS)) entries.push([key, value]);
  }
  entries.push(["Homepage", info.home_page], ["Download", info.download_url]);
  const out: ProjectLink[] = [];
  const seen = new Set<string>();
  for (const [rawLabel, rawUrl] of entries) {
    const url = parseLink(rawUrl);
    if (!url || seen.has(url.href)) continue;
    seen.add(url.href);
    const host = canonicalDomain(url.hostname.replace(/^\[|\]$/g, ""));
    const link: ProjectLink = { label: label(rawLabel), url: url.href, host };
    const check = registrableDomain(host);
    if (check.ok) link.domain = check.domain;
    out.push(link);
    if (out.length >= MAX_LINKS) break;
  }
  return out;
}

/** Mark the links on code hosts and platforms that do not lapse (the skip list) as skipped. */
export function markPlatforms(links: readonly ProjectLink[], skip: SkipList): ProjectLink[] {
  return links.map((link) => {
    if (link.domain !== undefined && skip.has(link.host, link.domain))
      return { ...link, skipped: "platform" as const };
    if (link.skipped === undefined) return link;
    // A cached entry marked under another run's list: this run's list decides.
    const { skipped: _skipped, ...rest } = link;
    return rest;
  });
}

/** Labels that name an issue tracker, compared in lower case without spaces, dashes or dots. */
const TRACKER_LABELS = new Set([
  "issues",
  "issue",
  "issuetracker",
  "issuetracking",
  "bugtracker",
  "bugtracking",
  "tracker",
  "bugs",
  "bugreports",
  "reportbugs",
  "githubissues",
]);

/** Labels of a link that, on a code host, is the repository: its issues page is the tracker. */
const REPOSITORY_LABELS = new Set([
  "source",
  "sourcecode",
  "code",
  "repository",
  "repo",
  "github",
  "gitlab",
  "homepage",
  "home",
]);

const squash = (text: string) => text.toLowerCase().replace(/[\s._-]+/g, "");

/** The issues page of a repository URL on a known code host, or undefined. */
function issuesPageOf(url: URL): string | undefined {
  const parts = url.pathname.split("/").filter(Boolean);
  const host = url.hostname.toLowerCase();
  const repo = parts.slice(0, 2).map((p) => p.replace(/\.git$/, ""));
  if (repo.length < 2 || !repo.every((p) => /^[A-Za-z0-9_.-]{1,100}$/.test(p))) return undefined;
  switch (host) {
    case "github.com":
    case "codeberg.org":
    case "bitbucket.org":
    case "gitea.com":
      return `https://${host}/${repo.join("/")}/issues`;
    case "gitlab.com": {
      // Groups nest; the project path ends where GitLab's `/-/` begins.
      const end = parts.indexOf("-");
      const path = (end >= 0 ? parts.slice(0, end) : parts).map((p) => p.replace(/\.git$/, ""));
      if (path.length < 2 || !path.every((p) => /^[A-Za-z0-9_.-]{1,100}$/.test(p)))
        return undefined;
      return `https://gitlab.com/${path.join("/")}/-/issues`;
    }
    default:
      return undefined;
  }
}

/**
 * Where to tell the maintainers: a link labelled as the issue tracker (`Issues`, `Bug Tracker`,
 * `Tracker`, ...), else the issues page of the repository a `Source` (or `Repository`,
 * `Homepage`, ...) link names on a code host. Always an https (or the link's own http) URL.
 */
export function issueTracker(links: readonly ProjectLink[]): string | undefined {
  for (const link of links) {
    if (TRACKER_LABELS.has(squash(link.label))) return link.url;
  }
  for (const link of links) {
    if (!REPOSITORY_LABELS.has(squash(link.label))) continue;
    let url: URL;
    try {
      url = new URL(link.url);
    } catch {
      continue;
    }
    const page = issuesPageOf(url);
    if (page) return page;
  }
  return undefined;
}

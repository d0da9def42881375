// Who writes with this token: only comments and issues written by that identity are ours. The
// marker alone proves nothing (anyone can quote it), so a human's comment carrying it is never
// edited, and a comment another bot wrote is never taken for ours.
import type { Octokit } from "./octokit.js";

/** The login GitHub shows for comments and issues written with a workflow's GITHUB_TOKEN. */
export const ACTIONS_BOT_LOGIN = "github-actions[bot]";
/** The app slug GitHub shows in `performed_via_github_app` for GITHUB_TOKEN writes. */
export const ACTIONS_APP_SLUG = "github-actions";

/**
 * `user`: a token of a person or a machine account (`GET /user` answers with its login).
 * `installation`: an installation token (`GET /user` answers 403), the workflow's GITHUB_TOKEN
 * or a GitHub App's; it writes as a Bot account.
 */
export type TokenIdentity = { kind: "user"; login: string } | { kind: "installation" };

/** The author fields of a comment or an issue, as the REST API returns them. */
export interface Authored {
  user?: { login?: string | null; type?: string | null } | null;
  performed_via_github_app?: { slug?: string | null } | null;
  body?: string | null;
}

/**
 * The author a body of ours records (`<!-- maintainer-domain-guard author: my-app[bot] -->`),
 * written in by the identity that wrote the body. A GitHub App's token cannot learn its own
 * app before it writes, so its comments and issues say who wrote them: another bot that quotes
 * one has another login than the one recorded, and is never taken for us.
 */
const AUTHOR_RECORD = /<!-- maintainer-domain-guard author: ([A-Za-z0-9-]{1,39}\[bot\]) -->/;

export function authorRecord(login: string): string {
  return `<!-- maintainer-domain-guard author: ${login} -->`;
}

export function recordedAuthor(body: string | null | undefined): string | undefined {
  return typeof body === "string" ? AUTHOR_RECORD.exec(body)?.[1] : undefined;
}

/** The login of an app bot that is not GITHUB_TOKEN's (whose writes should record it), else undefined. */
export function appBotLogin(item: Authored): string | undefined {
  return isAppBot(item) && !isActionsBot(item) ? (item.user?.login ?? undefined) : undefined;
}

/** Ask GitHub who the token is; an installation token cannot read `/user` and answers 403. */
export async function whoAmI(octokit: Octokit): Promise<TokenIdentity> {
  try {
    const me = await octokit.rest.users.getAuthenticated();
    const login = me.data.login;
    if (typeof login === "string" && login !== "") return { kind: "user", login };
  } catch {
    // 401/403: an installation token. Anything else: the same rule is the safe guess.
  }
  return { kind: "installation" };
}

function isActionsBot(item: Authored): boolean {
  return (
    item.user?.type === "Bot" &&
    (item.user.login === ACTIONS_BOT_LOGIN ||
      item.performed_via_github_app?.slug === ACTIONS_APP_SLUG)
  );
}

/**
 * A Bot written through a GitHub App whose bot account is that app's (`<slug>[bot]`): how a
 * GitHub App installation token other than GITHUB_TOKEN writes.
 */
function isAppBot(item: Authored): boolean {
  const slug = item.performed_via_github_app?.slug;
  return (
    item.user?.type === "Bot" && typeof slug === "string" && item.user.login === `${slug}[bot]`
  );
}

/**
 * How well `item` matches the identity: 2 certainly ours, 1 written by a GitHub App's bot that
 * the body records as its author (an installation token other than GITHUB_TOKEN cannot learn its
 * own app; see `authorRecord`), 0 not ours.
 */
export function authorMatch(identity: TokenIdentity, item: Authored): 0 | 1 | 2 {
  if (identity.kind === "user") return item.user?.login === identity.login ? 2 : 0;
  if (isActionsBot(item)) return 2;
  return isAppBot(item) && recordedAuthor(item.body) === item.user?.login ? 1 : 0;
}

/** Among `items`, those written by the identity, best match first (stable otherwise). */
export function writtenBy<T extends Authored>(identity: TokenIdentity, items: T[]): T[] {
  return items
    .map((item, index) => ({ item, index, score: authorMatch(identity, item) }))
    .filter((x) => x.score > 0)
    .sort((a, b) => b.score - a.score || a.index - b.index)
    .map((x) => x.item);
}

/** The login to filter issues by (`creator=`), when it is known. */
export function creatorLogin(identity: TokenIdentity): string {
  return identity.kind === "user" ? identity.login : ACTIONS_BOT_LOGIN;
}

// What the event says about the token: a `pull_request` from a fork or from Dependabot runs
// with a read-only GITHUB_TOKEN, so writing a comment is certain to be refused.
const DEPENDABOT = "dependabot[bot]";

function field(value: unknown, ...keys: string[]): unknown {
  let current = value;
  for (const key of keys) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/**
 * Why this run's token cannot write to the pull request, or undefined when it may. Only
 * `pull_request` is read-only for forks and Dependabot; `pull_request_target` runs with the
 * base repository's token.
 */
export function readOnlyReason(
  eventName: string | undefined,
  payload: unknown,
  actor: string | undefined,
): string | undefined {
  if (eventName !== "pull_request") return undefined;
  const author = field(payload, "pull_request", "user", "login");
  if (actor === DEPENDABOT || author === DEPENDABOT)
    return "this pull request is from Dependabot, whose pull_request runs get a read-only token";
  const headRepo = field(payload, "pull_request", "head", "repo");
  const baseName =
    field(payload, "pull_request", "base", "repo", "full_name") ??
    field(payload, "repository", "full_name");
  if (headRepo === null)
    return "this pull request comes from a fork that was deleted, so its run gets a read-only token";
  const headName = field(headRepo, "full_name");
  if (typeof headName === "string" && typeof baseName === "string" && headName !== baseName)
    return "this pull request comes from a fork, whose pull_request runs get a read-only token";
  return undefined;
}

// The verdict cache through the Actions cache. The key names the job and a hash of the
// endpoints, so matrix jobs do not overwrite each other and verdicts that came from another
// index or RDAP bootstrap are never mixed in.
import { createHash } from "node:crypto";
import type { Options } from "../options/options.js";
import { cacheScope } from "../scan/cache.js";
import { TOOL_NAME } from "../version.js";

/** The part of @actions/cache the action uses. */
export interface ActionsCache {
  /** Whether the runner offers the cache service (absent on some GHES set-ups). */
  isFeatureAvailable?(): boolean;
  restoreCache(
    paths: string[],
    primaryKey: string,
    restoreKeys?: string[],
  ): Promise<string | undefined>;
  saveCache(paths: string[], key: string): Promise<number>;
}

export const CACHE_KEY_PREFIX = `${TOOL_NAME}-verdicts-v3-`;

/** 12 hex digits naming where verdicts come from (the cache's scope: index, bootstrap, DNS). */
export function endpointsHash(options: Options): string {
  return createHash("sha256")
    .update(JSON.stringify(cacheScope(options)))
    .digest("hex")
    .slice(0, 12);
}

/** Keys of one run: the restore prefix (job and endpoints) and the exact keys. */
export function cacheKeys(
  env: NodeJS.ProcessEnv,
  options: Options,
): { prefix: string; restore: string; save: string } {
  const job = (env.GITHUB_JOB ?? "job").replace(/[^A-Za-z0-9_.-]/g, "_").slice(0, 100);
  const prefix = `${CACHE_KEY_PREFIX}${job}-${endpointsHash(options)}-`;
  const run = env.GITHUB_RUN_ID ?? "0";
  return {
    prefix,
    restore: `${prefix}${run}`,
    save: `${prefix}${run}-${env.GITHUB_RUN_ATTEMPT ?? "1"}`,
  };
}

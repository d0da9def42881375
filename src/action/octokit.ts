// The REST client the action is handed (created in run() with an explicit baseUrl), as a type.
import type { getOctokit } from "@actions/github";

export type Octokit = ReturnType<typeof getOctokit>;

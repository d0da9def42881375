// The one way the action runs git: no shell, no prompt, a capped buffer, and, when a token is
// given, the token as an HTTP header for the server's URLs through the environment
// (GIT_CONFIG_COUNT / GIT_CONFIG_KEY_n / GIT_CONFIG_VALUE_n), never in argv and never logged.
// Without it a fetch relies on credentials that actions/checkout persisted, which
// `persist-credentials: false` removes.
import { execFile } from "node:child_process";
import { GIT_BUFFER_LIMIT, type GitExec } from "./pr-diff.js";

/** `AUTHORIZATION: basic base64(x-access-token:<token>)`, as actions/checkout writes it. */
export function authorizationHeader(token: string): string {
  return `AUTHORIZATION: basic ${Buffer.from(`x-access-token:${token}`, "utf8").toString("base64")}`;
}

/** The origin (`scheme://host[:port]`) of a server URL, or undefined when it is not http(s). */
export function serverOrigin(serverUrl: string | undefined): string | undefined {
  try {
    const url = new URL(serverUrl ?? "");
    return url.protocol === "https:" || url.protocol === "http:" ? url.origin : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The environment that authenticates git for `serverUrl` with `token`. The empty value first
 * resets any `http.<server>/.extraheader` that actions/checkout persisted (an empty value clears
 * the list), so the server never receives two Authorization headers.
 */
export function gitAuthEnv(
  token: string | undefined,
  serverUrl: string | undefined,
): NodeJS.ProcessEnv {
  const origin = serverOrigin(serverUrl);
  if (!token || !origin) return {};
  const key = `http.${origin}/.extraheader`;
  return {
    GIT_CONFIG_COUNT: "2",
    GIT_CONFIG_KEY_0: key,
    GIT_CONFIG_VALUE_0: "",
    GIT_CONFIG_KEY_1: key,
    GIT_CONFIG_VALUE_1: authorizationHeader(token),
  };
}

/**
 * A GitExec for `git` itself. `env` is the step's environment; the token, when given, reaches
 * git only through the variables above. Inherited GIT_CONFIG_* variables are replaced, not
 * appended to, so the count always matches.
 */
export function createGit(opts: {
  env: NodeJS.ProcessEnv;
  token?: string | undefined;
  serverUrl?: string | undefined;
}): GitExec {
  const base: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(opts.env)) {
    if (!/^GIT_CONFIG_(COUNT|KEY_\d+|VALUE_\d+)$/.test(k)) base[k] = v;
  }
  const env = {
    ...base,
    GIT_TERMINAL_PROMPT: "0",
    GCM_INTERACTIVE: "never",
    ...gitAuthEnv(opts.token, opts.serverUrl),
  };
  return (args, cwd) =>
    new Promise((done) => {
      execFile(
        "git",
        args,
        { cwd, maxBuffer: GIT_BUFFER_LIMIT, encoding: "utf8", env },
        (error, stdout, stderr) => {
          const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
          done({ code, stdout, stderr: stderr || (error && code !== 0 ? error.message : "") });
        },
      );
    });
}

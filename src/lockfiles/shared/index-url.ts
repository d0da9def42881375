// Which package index a lockfile names for a dependency. PyPI itself is not recorded: a
// dependency with `index` set comes from somewhere else, and its name must not be sent to PyPI.
import { valueForMessage, withoutUserinfo } from "../../words.js";

/**
 * PyPI's own simple index under the names lockfiles use for it (`/simple`, legacy host, and the
 * bare host the oldest Pipfile.lock sources wrote: `https://pypi.org/`).
 */
const PYPI_INDEX = /^https?:\/\/(?:pypi\.org|pypi\.python\.org)(?:\/(?:simple|pypi))?\/?$/i;

/**
 * The index URL to record for a dependency, or undefined for PyPI (or nothing usable).
 * Credentials written into the URL (`https://user:token@host/simple`) are dropped: the recorded
 * index is shown in `deps` and reports. Credentials for a lookup come from the options.
 */
export function recordedIndex(url: unknown): string | undefined {
  if (typeof url !== "string") return undefined;
  const bare = withoutUserinfo(url.trim());
  // White space makes it no URL a parser reads: whatever stands before its last `@` may be a
  // password (`https://ci:se/cr et9@host/simple`), so it is hidden.
  const trimmed = /\s/.test(bare) && bare.includes("@") ? valueForMessage(bare) : bare;
  if (trimmed === "" || trimmed.length > 2048 || PYPI_INDEX.test(trimmed)) return undefined;
  return trimmed;
}

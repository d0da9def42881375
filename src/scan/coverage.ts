// Coverage is a result: how many packages and domains the run could actually look at, whether
// that is enough (`min-coverage`), and the exit code that follows. A security check that passes
// when it could not look is worse than no check.
import { posix } from "node:path";
import { settledByDns } from "../assess/lifecycle.js";
import { EXIT_CLEAN, EXIT_FINDINGS, EXIT_INCOMPLETE } from "../codes.js";
import { normalizeName } from "../names.js";
import { plural } from "../words.js";
import type {
  Coverage,
  Dependency,
  DependencySet,
  DomainVerdict,
  MailServers,
  PackageMeta,
  Report,
} from "../types.js";

/** At least this many PyPI packages, all not found: the index URL looks wrong. */
export const INDEX_WRONG_MIN_PACKAGES = 3;

/**
 * The start of the reason when every PyPI package of the run comes from a private index that
 * has no JSON API configured: none could be looked up, and a run that looked at nothing fails
 * (exit 3) unless min-coverage is 0.
 */
export const ALL_PRIVATE_REASON = "every package comes from a private index";

/**
 * The start of the reason when no package of the run is a PyPI project at all (version control,
 * URLs, local paths, perhaps with private-index ones): nothing could be looked up, and the run
 * fails (exit 3) unless min-coverage is 0, as when every package is from a private index.
 */
export const NONE_FROM_PYPI_REASON = "no package comes from PyPI";

/** Whether a coverage reason says that nothing at all could be looked up. */
function lookedUpNothing(reason: string | undefined): boolean {
  return (
    reason !== undefined &&
    (reason.startsWith(ALL_PRIVATE_REASON) || reason.startsWith(NONE_FROM_PYPI_REASON))
  );
}

export interface CoverageInput {
  dependencies: readonly Dependency[];
  /** Unique PyPI package names looked up. */
  names: readonly string[];
  packages: ReadonlyMap<string, PackageMeta>;
  verdicts: ReadonlyMap<string, DomainVerdict>;
  /** What DNS said about the maintainer domains' mail servers, when MX was asked. */
  mail?: ReadonlyMap<string, MailServers>;
  /** The index base URL (credentials already taken out), for the "index looks wrong" sentence. */
  indexUrl: string;
  /** Lockfiles read, and the problems of those that could not be read at all (by file). */
  lockfiles?: { read: number; unread: readonly { file: string; message: string }[] };
}

/**
 * What could not be read, one entry each: a file with a problem that is not among the lockfiles
 * read (a file that gave some dependencies and some errors was read), by its first problem; and
 * each include (`-r`, `-c`, `file:`) that could not be read, whose packages are as unknown.
 * `file` is the unread file's own path (an include's target, relative to the includer), `shown`
 * how messages name it.
 */
export function unreadSources(
  set: Pick<DependencySet, "lockfiles" | "errors">,
): { file: string; shown: string; message: string }[] {
  const read = new Set(set.lockfiles.map((l) => l.path));
  const out = new Map<string, { file: string; shown: string; message: string }>();
  for (const e of set.errors) {
    if (e.include !== undefined) {
      const shown = `${e.file}${e.line !== undefined ? `:${e.line}` : ""} (${e.include})`;
      const file = posix.join(posix.dirname(e.file), e.include);
      if (!out.has(shown)) out.set(shown, { file, shown, message: e.message });
    } else if (!read.has(e.file) && !out.has(e.file)) {
      out.set(e.file, { file: e.file, shown: e.file, message: e.message });
    }
  }
  return [...out.values()];
}

/** The files that could not be read, as coverage counts and names them. */
export function unreadLockfiles(
  set: Pick<DependencySet, "lockfiles" | "errors">,
): { file: string; message: string }[] {
  return unreadSources(set).map((u) => ({ file: u.shown, message: u.message }));
}

/** Count what was checked; `reason` says why, when nothing or too little was. */
export function computeCoverage(input: CoverageInput): Coverage {
  const metas = input.names.map((n) => input.packages.get(n));
  const packagesChecked = metas.filter(
    (m) => m !== undefined && (m.status === "ok" || m.status === "not-found"),
  ).length;
  const notLookedUp = new Set(
    input.dependencies.filter((d) => d.kind !== "pypi").map((d) => normalizeName(d.name)),
  );
  for (const name of input.names) notLookedUp.delete(name);
  // Private-index packages without a JSON API are not looked up by design: counted apart, and
  // not against min-coverage.
  let skipped = 0;
  for (const name of input.names) {
    if (input.packages.get(name)?.status !== "skipped") continue;
    skipped++;
    notLookedUp.add(name);
  }

  let domainsChecked = 0;
  let domainsTotal = 0;
  let noRdap = 0;
  for (const v of input.verdicts.values()) {
    if (v.state === "unknown" && v.errorCode === "no-rdap") {
      noRdap++;
      continue;
    }
    domainsTotal++;
    // A lapsed verdict kept from an earlier run stands in for a lookup that failed: not checked.
    if ((v.state !== "unknown" && !v.lookupFailed) || settledByDns(v)) domainsChecked++;
  }
  const coverage: Coverage = {
    packages: {
      checked: packagesChecked,
      total: input.names.length - skipped,
      notLookedUp: notLookedUp.size,
    },
    domains: { checked: domainsChecked, total: domainsTotal, noRdap },
  };
  if (input.mail && input.mail.size > 0) {
    const answered = [...input.mail.values()].filter((m) => m.status === "answered").length;
    coverage.mx = { checked: answered, total: input.mail.size };
  }
  const unread = input.lockfiles?.unread ?? [];
  if (input.lockfiles && unread.length > 0)
    coverage.lockfiles = {
      read: input.lockfiles.read,
      total: input.lockfiles.read + unread.length,
    };
  const notPypi = notLookedUp.size - skipped;
  const reason =
    input.names.length - skipped > 0 || domainsTotal > 0
      ? shortfallReason(input, metas, coverage)
      : notPypi === 0 && skipped > 0
        ? `${ALL_PRIVATE_REASON} with no JSON API configured (${plural(skipped, "package")}), so none was looked up: map each index to its JSON API with index-urls (credentials in index-token), or set min-coverage to 0 to accept this`
        : notPypi > 0
          ? `${NONE_FROM_PYPI_REASON} (${[
              ...(skipped > 0
                ? [`${skipped} from a private index with no JSON API configured`]
                : []),
              `${notPypi} from version control, a URL or a local path`,
            ].join(", ")}), so none was looked up and no maintainer could be checked: ${
              skipped > 0 ? "map each private index to its JSON API with index-urls, or set" : "set"
            } min-coverage to 0 to accept this`
          : undefined;
  return reason ? { ...coverage, reason } : coverage;
}

function shortfallReason(
  input: CoverageInput,
  metas: (PackageMeta | undefined)[],
  coverage: Coverage,
): string | undefined {
  const { packages, domains } = coverage;
  if (indexLooksWrong(metas)) {
    return `every package (${packages.total}) was not found on ${input.indexUrl}: the index URL looks wrong (check --pypi-url / pypi-url)`;
  }
  if (packages.total > 0 && packages.checked < packages.total) {
    const failed = metas.find((m) => m?.status === "error");
    // The client's reason already says what could not be read, and why.
    if (failed?.error) return failed.error;
  }
  if (domains.total > 0 && domains.checked < domains.total) {
    const unknown = [...input.verdicts.values()]
      .map((v) => (v.lookupFailed ? { ...v, ...v.lookupFailed } : v))
      .find(
        (v) =>
          (v.state === "unknown" || v.lookupFailed) &&
          v.errorCode !== "no-rdap" &&
          !settledByDns(v),
      );
    if (unknown?.errorCode === "deadline")
      return `the deadline came before every domain could be looked up (${domains.total - domains.checked} not checked): raise deadline, or run again with a cache file`;
    if (unknown?.error) return `RDAP could not be asked: ${unknown.error}`;
  }
  const unread = input.lockfiles?.unread[0];
  if (unread)
    return `${unread.file} could not be read (${unread.message}), so its packages are unknown: fix it, or leave it out with paths`;
  if (coverage.mx && coverage.mx.checked < coverage.mx.total) {
    const failed = [...(input.mail?.values() ?? [])].find((m) => m.status === "failed");
    if (failed?.status === "failed")
      return `DNS could not be asked for mail servers: ${failed.error}`;
  }
  return undefined;
}

function indexLooksWrong(metas: (PackageMeta | undefined)[]): boolean {
  return metas.length >= INDEX_WRONG_MIN_PACKAGES && metas.every((m) => m?.status === "not-found");
}

/** Checked share of `part` (1 when there is nothing to check). */
function share(part: { checked: number; total: number }): number {
  return part.total === 0 ? 1 : part.checked / part.total;
}

/**
 * Why the run could not check enough, one sentence, or undefined when it could: the share of
 * checked packages, of checked domains (maintainer, mail-server and link domains alike) or of
 * domains whose mail servers DNS answered for is below `minCoverage`, or every package of the run
 * (3 or more) was not found on the index.
 */
export function coverageShortfall(coverage: Coverage, minCoverage: number): string | undefined {
  const { packages, domains } = coverage;
  if (
    packages.total >= INDEX_WRONG_MIN_PACKAGES &&
    coverage.reason?.includes("the index URL looks wrong")
  ) {
    return coverage.reason;
  }
  // Nothing to share out: no package could be looked up at all (private indexes without a JSON
  // API, version control, URLs, local paths).
  if (packages.total === 0 && lookedUpNothing(coverage.reason) && minCoverage > 0)
    return `could not check enough: ${coverage.reason}`;
  // Every maintainer domain is under a TLD without RDAP: the run looked at no domain at all.
  // Apart they are a known limit; alone they are a run that has not looked.
  if (domains.total === 0 && domains.noRdap > 0 && minCoverage > 0)
    return `could not check enough: no domain could be checked, every one (${domains.noRdap}) is under a top-level domain without an RDAP service: check them by hand, then set min-coverage to 0 to accept this`;
  const low: string[] = [];
  if (share(packages) < minCoverage) low.push(`${packages.checked} of ${packages.total} packages`);
  if (share(domains) < minCoverage) low.push(`${domains.checked} of ${domains.total} domains`);
  if (coverage.mx && share(coverage.mx) < minCoverage)
    low.push(`the mail servers of ${coverage.mx.checked} of ${coverage.mx.total} domains`);
  if (
    coverage.lockfiles &&
    share({ checked: coverage.lockfiles.read, total: coverage.lockfiles.total }) < minCoverage
  )
    low.push(`${coverage.lockfiles.read} of ${coverage.lockfiles.total} lockfiles`);
  if (low.length === 0) return undefined;
  const why = coverage.reason ? `: ${coverage.reason}` : "";
  return `could not check enough: only ${low.join(" and ")} checked, below min-coverage ${minCoverage}${why}`;
}

/** The coverage with the sentence that fails the run when it could not check enough. */
export function withShortfall(coverage: Coverage, minCoverage: number): Coverage {
  const shortfall = coverageShortfall(coverage, minCoverage);
  return shortfall === undefined ? coverage : { ...coverage, shortfall };
}

/**
 * The run's exit code: 1 when a finding fails the run, else 3 when it could not check enough,
 * else 0. (Interrupts and bad usage are decided by the caller.) The CLI and the action both use it.
 */
export function exitCodeOf(report: Report, options: { minCoverage: number }): number {
  if (report.findings.some((f) => f.failing)) return EXIT_FINDINGS;
  if (report.coverage && coverageShortfall(report.coverage, options.minCoverage) !== undefined)
    return EXIT_INCOMPLETE;
  return EXIT_CLEAN;
}

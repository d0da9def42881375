// The data that flows through the pipeline, one direction:
// discover -> parse -> (diff) -> PyPI metadata -> domains -> RDAP verdicts -> findings -> report.

/** Lockfile and manifest formats; the id used in JSON output and in `test/fixtures/corpus/<format>/`. */
export type LockfileFormat =
  | "requirements"
  | "poetry"
  | "pipfile-lock"
  | "uv"
  | "pdm"
  | "pylock"
  | "conda"
  | "pyproject"
  | "setup-cfg";

/**
 * Where a dependency comes from. Only `pypi` is looked up on the package index; the rest are
 * reported in `deps` and the JSON report but never fetched.
 */
export type DependencyKind = "pypi" | "vcs" | "url" | "path" | "editable" | "conda";

export interface Dependency {
  /** PEP 503-normalised name: lower case, runs of `-_.` become `-`. */
  name: string;
  /** Present only for an exact pin (`==1.2.3`, `===x`), as written (not PEP 440-normalised). */
  version?: string;
  /** Path relative to the scanned root, `/`-separated. */
  file: string;
  /** 1-based line a reviewer would click. Never 0. */
  line: number;
  format: LockfileFormat;
  kind: DependencyKind;
  /** A private index the lockfile names for this package (poetry `legacy` sources). */
  index?: string;
}

/** A problem reading one file. The scan goes on with the other files. */
export interface ParseError {
  file: string;
  line?: number;
  column?: number;
  /** Stable kebab-case code (`toml-syntax`, `file-too-large`, `include-missing`, ...). */
  code: string;
  message: string;
  /**
   * For a `-r` / `-c` (or other) include that could not be read: the target as written. Its
   * packages are unknown, so it counts as a lockfile not read.
   */
  include?: string;
  /**
   * Up to three source lines around `line` (before, the line, after) for terminal output, each
   * cut to a bounded width. Filled in by discovery, not by parsers; not part of the JSON report.
   */
  context?: SourceLine[];
}

/** One line of a file, for showing where an error is. `text` is untrusted and bounded. */
export interface SourceLine {
  line: number;
  text: string;
  /** On the error's own line when its column is known: the 0-based offset of the column in `text`. */
  caret?: number;
}

export interface ParseResult {
  dependencies: Dependency[];
  errors: ParseError[];
}

export interface LockfileSummary {
  /** Relative to the scanned root. */
  path: string;
  format: LockfileFormat;
  count: number;
}

/** Everything `deps` knows: what discovery and the parsers found. No network. */
export interface DependencySet {
  /** Absolute directory that `file` paths are relative to. */
  root: string;
  dependencies: Dependency[];
  lockfiles: LockfileSummary[];
  errors: ParseError[];
}

export type Severity = "critical" | "high" | "medium" | "low" | "info";

export type FindingKind =
  | "domain-unregistered"
  | "domain-expired"
  | "domain-reregistered"
  | "domain-on-hold"
  | "domain-expiring"
  | "domain-grace"
  | "domain-transferred"
  | "mx-domain-lapsed"
  | "project-url-domain-lapsed"
  | "lookup-failed"
  | "package-not-found"
  | "no-maintainer-email";

/** The PyPI metadata field an address came from. */
export type EmailField = "author_email" | "maintainer_email" | "author" | "maintainer";

export interface MaintainerEmail {
  address: string;
  field: EmailField;
  /** Registrable domain (Public Suffix List, ASCII, lower case), when the host is valid. */
  domain?: string;
  /** Why this address is not looked up: a large mail provider, or a host that is not a domain. */
  skipped?: "provider" | "invalid-host";
  /** For `invalid-host`: why the host is not a domain, for people. */
  skipReason?: string;
  /** The address was spelled out (`jane at example dot org`): the text as written, bounded. */
  spelledOut?: string;
  /**
   * The person the metadata names for the address: the display name in `"Name <addr>"`, else the
   * `author` / `maintainer` field beside it. Untrusted text, bounded.
   */
  name?: string;
}

/** A link of the project's metadata (`project_urls`, `home_page`, `download_url`), http(s) only. */
export interface ProjectLink {
  /** `Homepage`, `Documentation`, ... as the metadata labels it (`home_page` and `download_url` as `Homepage` and `Download`); untrusted, bounded. */
  label: string;
  /** The URL as parsed (credentials removed), bounded. */
  url: string;
  /** Host name, ASCII, lower case. */
  host: string;
  /** Registrable domain (Public Suffix List), when the host is a domain under a public suffix. */
  domain?: string;
  /** Not looked up: a code host or platform that does not lapse (the reviewed list). */
  skipped?: "platform";
}

/** One mail server (MX record) of a maintainer domain. */
export interface MailHost {
  /** The MX host name, ASCII, lower case. */
  host: string;
  /** Its registrable domain, when it is a domain under a public suffix. */
  domain?: string;
  /**
   * Not looked up: under the maintainer domain itself, at a large mail provider (the reviewed
   * list), a null MX (`.`, the domain takes no mail), or not a domain.
   */
  skipped?: "same-domain" | "provider" | "null-mx" | "invalid-host";
}

/** What DNS said about a maintainer domain's mail servers. */
export type MailServers =
  | { status: "answered"; hosts: MailHost[] }
  | { status: "failed"; error: string; errorCode: string };

export interface PackageOwnership {
  organization?: string;
  roles: { role: string; user: string }[];
}

export interface PackageMeta {
  /** Normalised name as asked. */
  name: string;
  /**
   * The private index it was looked up on (credentials dropped), for a name of more than one
   * project in the run (from PyPI and a private index, or from two private indexes): the report
   * then lists each project of that name.
   */
  index?: string;
  /** `skipped`: not looked up by design (a private index without a JSON API); see `errorCode`. */
  status: "ok" | "not-found" | "error" | "skipped";
  /** For `error`: what went wrong, for people. */
  error?: string;
  /** The latest non-yanked release the index describes. */
  latestVersion?: string;
  emails: MaintainerEmail[];
  /** Earliest upload time (ISO 8601) of the latest release's files. */
  lastReleaseAt?: string;
  /** Latest upload (ISO 8601) of any file of any release, and the release it belongs to. */
  lastUploadAt?: string;
  lastUploadVersion?: string;
  /** Stable reason code for `error` (`answer-too-large`, ...) and `skipped`. */
  errorCode?: string;
  ownership?: PackageOwnership;
  /** True when the answer came from the metadata cache. */
  cached?: boolean;
  /** The project's links (http and https only), in metadata order, bounded. */
  links?: ProjectLink[];
}

/** `grace`: the registry auto-renewed the name past its expiry (`auto renew period`), paid or not. */
export type DomainState =
  "registered" | "unregistered" | "expired" | "grace" | "on-hold" | "unknown";

/**
 * The registrar's RDAP record, when the registry's `related` link was wanted to decide a lapse
 * (a name in `auto renew period`, or past its expiry anniversary within the last 45 days).
 */
export interface RegistrarRecord {
  /** The registrar RDAP URL followed (or refused); absent when the registry named none. */
  url?: string;
  /** The registrar's `registrar expiration` (the customer's real end of term), ISO 8601. */
  expires?: string;
  /** Why the registrar's record could not be used, for people. */
  error?: string;
  /** Stable reason: `no-link`, `not-https`, `same-host`, `malformed`, or an HTTP failure code. */
  errorCode?: string;
}

export interface DomainVerdict {
  /** Registrable domain, ASCII, lower case. */
  domain: string;
  state: DomainState;
  /** ISO 8601 dates from the registry's events, when present. */
  created?: string;
  expires?: string;
  reregistered?: string;
  /** The latest `transfer` event of the domain (to another registrar or holder), ISO 8601. */
  transferred?: string;
  /** The event action `expires` came from when it is not `expiration` (`record expires`, ...). */
  expiresFrom?: string;
  /** A `registrar expiration` event of the answer itself (the registrar's end of term), ISO 8601. */
  registrarExpires?: string;
  /** Status strings as the registry wrote them. */
  statuses: string[];
  /** Statuses the assessment does not know, as written (bounded); never a finding by themselves. */
  unknownStatuses?: string[];
  /** The registrar's record, when it was wanted to decide a lapse. */
  registrar?: RegistrarRecord;
  /** An `expiration` event whose date could not be read, as written (bounded). */
  unreadableExpiry?: string;
  /** For `unknown`: the reason, for people. */
  error?: string;
  /** Stable reason code for `unknown`: `no-rdap`, `rate-limited`, `server-error`, `timeout`, `dns-contradicts`, ... */
  errorCode?: string;
  /** The RDAP server that answered, when one did. */
  server?: string;
  /**
   * For a maintainer domain that was checked: its mail servers (asked fresh each run, never
   * cached with the verdict). Absent when MX was not asked (`check-mx: false`, or the domain has
   * no mail to take over: unregistered, expired, unknown).
   */
  mx?: MailServers;
  /** What the DNS NS check said before an `unregistered` verdict. */
  dns?: "no-delegation" | "delegated" | "not-consulted";
  /** Where the verdict came from this run. */
  source: "rdap" | "cache";
  /** When the verdict was observed (ISO 8601). */
  checkedAt: string;
  /**
   * This run's lookup failed (why, and its code): the verdict is the last one the registry gave,
   * at `checkedAt`, kept by the cache because the domain had lapsed. The domain counts as not
   * checked; its finding says so.
   */
  lookupFailed?: { error: string; errorCode: string };
}

export interface AllowEntry {
  package?: string;
  domain?: string;
  kind?: FindingKind;
  reason: string;
  /** YYYY-MM-DD; after it the entry no longer applies. */
  until?: string;
}

export interface Finding {
  kind: FindingKind;
  severity: Severity;
  /** Normalised package name. */
  package: string;
  version?: string;
  email?: string;
  /** Which metadata field the address came from. */
  field?: EmailField;
  /** The registrable domain the finding is about (for `mx-domain-lapsed`: the mail server's). */
  domain?: string;
  /** The person the metadata names for `email` (untrusted, escaped by every reporter). */
  maintainerName?: string;
  /** For `mx-domain-lapsed`: the MX host, and the maintainer domain it receives mail for. */
  mx?: { host: string; maintainerDomain: string };
  /** For `project-url-domain-lapsed`: the link as labelled in the metadata. */
  link?: { label: string; url: string };
  /**
   * The package's issue tracker, from its `project_urls` (`Issues`, `Bug Tracker`, `Tracker`,
   * or `Source` on a code host -> its issues page): where to tell the maintainers.
   */
  tracker?: string;
  file: string;
  line: number;
  /** One sentence: what is wrong. */
  message: string;
  /** One sentence: what the registry or index said. */
  evidence?: string;
  /** One sentence: what to do. */
  remediation?: string;
  /**
   * This run's lookup of the finding's domain failed: the finding stands on the registry's
   * answer of this time (ISO 8601), kept by the cache. `on-lookup-error: fail` fails it.
   */
  keptFrom?: string;
  /** PR mode: false when the package was already present at the base commit. */
  introduced?: boolean;
  /** Set when an allow-list entry covers this finding. */
  allowed?: { reason: string; until?: string };
  /** Set when an allow-list entry matched but its `until` date has passed. */
  allowExpired?: { reason: string; until: string };
  /** Whether this finding makes the run fail (after fail-on, allow-list and PR scoping). */
  failing: boolean;
}

export interface ScanStats {
  lockfiles: number;
  dependencies: number;
  /** Unique PyPI packages considered. */
  packages: number;
  /** Unique registrable domains looked up (or taken from the cache). */
  domains: number;
  /** `dns`: every DNS query (NS checks and MX lookups); `mx`: the MX lookups among them. */
  requests: {
    pypi: number;
    rdap: number;
    bootstrap: number;
    dns: number;
    mx?: number;
    retries: number;
  };
  cache: { verdictHits: number; verdictMisses: number; metadataHits: number };
  /**
   * The largest index answers read this run (over 1 MiB decoded, at most five, largest first):
   * bytes as sent (Content-Length, when given) and decoded, and milliseconds from sending the
   * request to the last byte read.
   */
  largestAnswers?: AnswerStat[];
  durationMs: number;
  /** True when `--deadline` cut the scan short. */
  deadlineReached: boolean;
  /** True when a stop request (SIGINT, SIGTERM, a cancelled job) cut the scan short. */
  interrupted?: boolean;
}

export interface AnswerStat {
  name: string;
  wireBytes?: number;
  decodedBytes: number;
  ms: number;
}

/**
 * How much of the run could be looked at. A package is checked when its metadata was read (a
 * 404 is an answer); a domain when its registry answered or DNS settled it.
 */
export interface Coverage {
  packages: {
    checked: number;
    total: number;
    /** Not looked up by design (vcs, url, path, editable, conda); not in `total`. */
    notLookedUp: number;
  };
  domains: {
    checked: number;
    total: number;
    /** Under a TLD with no RDAP service: a known limit, not in `total`. */
    noRdap: number;
  };
  /** Maintainer domains whose mail servers (MX) were asked of DNS, and how many answered. */
  mx?: { checked: number; total: number };
  /**
   * Set when a lockfile could not be read at all (refused, unparsable, missing): how many of the
   * lockfiles found were read. Its packages are unknown, so it counts against `min-coverage`.
   */
  lockfiles?: { read: number; total: number };
  /** Why little or nothing was checked, one sentence for people, when it is known. */
  reason?: string;
  /**
   * Set when the run could not check enough (below `min-coverage`, or every package not found):
   * the sentence that fails the run (exit 3). Reporters never show such a run as passing.
   */
  shortfall?: string;
}

export interface Report {
  /** Version of this tool. */
  tool: { name: string; version: string };
  /** ISO 8601 time the scan started (from the injected clock). */
  startedAt: string;
  root: string;
  dependencies: Dependency[];
  lockfiles: LockfileSummary[];
  errors: ParseError[];
  packages: PackageMeta[];
  domains: DomainVerdict[];
  findings: Finding[];
  stats: ScanStats;
  /** The severity threshold this run used. */
  failOn: Severity | "never";
  /** What share of the run could be checked (every scan fills it in). */
  coverage?: Coverage;
  /** PR mode details, when the run compared a base and a head. */
  diff?: { base: string; head: string; introduced: number; unchanged: number; note?: string };
}

/**
 * One line for the person running the scan. Stages say what happened with a level; the CLI writes
 * it to stderr (a warning prefixed `warning: `), the action makes a warning a warning annotation.
 */
export interface LogEvent {
  level: "info" | "warning";
  text: string;
}

export type Log = (event: LogEvent) => void;

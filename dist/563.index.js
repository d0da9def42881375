export const id = 563;
export const ids = [563];
export const modules = {

/***/ 4563:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  main: () => (/* binding */ main)
});

// UNUSED EXPORTS: PYPI_TOKEN_ENV, discoverConfig

// NAMESPACE OBJECT: ./src/lockfiles/formats/requirements.ts
var requirements_namespaceObject = {};
__webpack_require__.r(requirements_namespaceObject);
__webpack_require__.d(requirements_namespaceObject, {
  format: () => (format),
  logicalLines: () => (logicalLines),
  matches: () => (matches),
  parse: () => (parse),
  parseEntries: () => (parseEntries)
});

// NAMESPACE OBJECT: ./src/lockfiles/formats/conda.ts
var conda_namespaceObject = {};
__webpack_require__.r(conda_namespaceObject);
__webpack_require__.d(conda_namespaceObject, {
  format: () => (conda_format),
  matches: () => (conda_matches),
  parse: () => (conda_parse)
});

// NAMESPACE OBJECT: ./src/lockfiles/formats/pdm.ts
var pdm_namespaceObject = {};
__webpack_require__.r(pdm_namespaceObject);
__webpack_require__.d(pdm_namespaceObject, {
  format: () => (pdm_format),
  matches: () => (pdm_matches),
  parse: () => (pdm_parse)
});

// NAMESPACE OBJECT: ./src/lockfiles/formats/pipfile-lock.ts
var pipfile_lock_namespaceObject = {};
__webpack_require__.r(pipfile_lock_namespaceObject);
__webpack_require__.d(pipfile_lock_namespaceObject, {
  format: () => (pipfile_lock_format),
  matches: () => (pipfile_lock_matches),
  parse: () => (pipfile_lock_parse)
});

// NAMESPACE OBJECT: ./src/lockfiles/formats/poetry.ts
var poetry_namespaceObject = {};
__webpack_require__.r(poetry_namespaceObject);
__webpack_require__.d(poetry_namespaceObject, {
  format: () => (poetry_format),
  matches: () => (poetry_matches),
  parse: () => (poetry_parse)
});

// NAMESPACE OBJECT: ./src/lockfiles/formats/pylock.ts
var pylock_namespaceObject = {};
__webpack_require__.r(pylock_namespaceObject);
__webpack_require__.d(pylock_namespaceObject, {
  format: () => (pylock_format),
  matches: () => (pylock_matches),
  parse: () => (pylock_parse)
});

// NAMESPACE OBJECT: ./src/lockfiles/formats/pyproject.ts
var pyproject_namespaceObject = {};
__webpack_require__.r(pyproject_namespaceObject);
__webpack_require__.d(pyproject_namespaceObject, {
  format: () => (pyproject_format),
  matches: () => (pyproject_matches),
  parse: () => (pyproject_parse)
});

// NAMESPACE OBJECT: ./src/lockfiles/formats/setup-cfg.ts
var setup_cfg_namespaceObject = {};
__webpack_require__.r(setup_cfg_namespaceObject);
__webpack_require__.d(setup_cfg_namespaceObject, {
  format: () => (setup_cfg_format),
  matches: () => (setup_cfg_matches),
  parse: () => (setup_cfg_parse)
});

// NAMESPACE OBJECT: ./src/lockfiles/formats/uv.ts
var uv_namespaceObject = {};
__webpack_require__.r(uv_namespaceObject);
__webpack_require__.d(uv_namespaceObject, {
  format: () => (uv_format),
  matches: () => (uv_matches),
  parse: () => (uv_parse)
});

// EXTERNAL MODULE: external "node:util"
var external_node_util_ = __webpack_require__(7975);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
;// CONCATENATED MODULE: ./src/codes.ts
const FINDING_KINDS = [
    "domain-unregistered",
    "domain-expired",
    "domain-reregistered",
    "domain-on-hold",
    "domain-expiring",
    "domain-grace",
    "domain-transferred",
    "mx-domain-lapsed",
    "project-url-domain-lapsed",
    "lookup-failed",
    "package-not-found",
    "no-maintainer-email",
];
/** Most severe first: the one order of severities, used by counts, sorting and fail-on. */
const SEVERITIES = [
    "critical",
    "high",
    "medium",
    "low",
    "info",
];
/** `fail-on`: the lowest severity that fails the run, or `never` (report only). */
const FAIL_ON_LEVELS = [...SEVERITIES, "never"];
/** Negative when `a` is more severe than `b`: sorts most severe first. */
function compareSeverity(a, b) {
    return SEVERITIES.indexOf(a) - SEVERITIES.indexOf(b);
}
/** Whether a finding of this severity fails a run with this fail-on level. */
function meetsThreshold(severity, failOn) {
    return failOn !== "never" && compareSeverity(severity, failOn) <= 0;
}
/** The more severe of two severities. */
function moreSevere(a, b) {
    return compareSeverity(a, b) <= 0 ? a : b;
}
const FINDING_INFO = {
    "domain-unregistered": {
        severity: "critical",
        title: "Maintainer e-mail domain is unregistered",
        meaning: "The registry's RDAP server has no record of the maintainer's e-mail domain and DNS shows no delegation: anyone can register it, receive the PyPI account's password-reset mail and publish a release.",
        action: "Do not upgrade to releases you have not reviewed; ask the maintainers (or PyPI support) to change the account's address; pin to a reviewed version, or allow the finding once verified.",
        securitySeverity: "9.5",
    },
    "domain-expired": {
        severity: "critical",
        title: "Maintainer e-mail domain has expired",
        meaning: "The domain's expiration date has passed; the registry reports it in redemption, pending delete, pending restore or a registry's own lapse state (quarantine, transit, renewal required, deleteCandidate, being released, ...); or, in auto renew period, the registrar's own record says its term ended: it is about to become registrable by anyone.",
        action: "Review releases published after the expiry date; ask the maintainers to renew the domain or change their address; allow the finding once verified.",
        securitySeverity: "9.0",
    },
    "domain-reregistered": {
        severity: "high",
        title: "Maintainer e-mail domain changed hands after the last release",
        meaning: "The domain was created (or re-registered) after the package's latest release was uploaded: whoever holds it now may not be the maintainer, and can reset the account's password.",
        action: "Check that the new registrant is the maintainer (ask them); review any release made after the registration date; allow the finding once verified.",
        securitySeverity: "8.0",
    },
    "domain-on-hold": {
        severity: "medium",
        title: "Maintainer e-mail domain is on hold",
        meaning: "The registry reports client hold, server hold, inactive or suspended: the domain does not resolve and mail to the maintainer bounces; holds often come before deletion.",
        action: "Tell the maintainers their address does not receive mail; watch the domain; allow the finding once verified.",
        securitySeverity: "6.0",
    },
    "domain-expiring": {
        severity: "medium",
        title: "Maintainer e-mail domain expires soon",
        meaning: "The domain expires within the warning window (expiry-warning-days). Most domains renew automatically; a lapse would make it registrable by anyone.",
        action: "Nothing is wrong yet; if the domain is still unrenewed near the date, tell the maintainers. Raise or lower expiry-warning-days to taste.",
        securitySeverity: "5.0",
    },
    "domain-grace": {
        severity: "high",
        title: "Maintainer e-mail domain is in its auto-renew grace period",
        meaning: "The registry shows auto renew period: the registration passed its expiry and the registry renewed it automatically, paid or not. Registrars delete or auction unpaid names within about 45 days, and the new holder can reset the PyPI account's password.",
        action: "Ask the maintainers whether they renewed the domain; check it again in a few days (a renewal clears the status); review releases published after the anniversary date; allow the finding once verified.",
        securitySeverity: "8.0",
    },
    "domain-transferred": {
        severity: "medium",
        title: "Maintainer e-mail domain was transferred after the last release",
        meaning: "The registry records a transfer after the package's latest release was uploaded: the domain moved to another registrar or holder (expired-name auctions change the holder this way, without a new creation date).",
        action: "Ask the maintainers whether they moved the domain themselves; if not, treat the account as at risk and review releases made after the transfer date; allow the finding once verified.",
        securitySeverity: "6.0",
    },
    "mx-domain-lapsed": {
        severity: "critical",
        title: "Maintainer's mail server is on a lapsed domain",
        meaning: "The maintainer's e-mail domain is registered, but its mail server (MX record) is a host under another domain that is unregistered or expired: whoever registers that domain receives the maintainer's mail, password resets included. High instead of critical when that domain is only in its auto-renew grace period or changed hands after the package's latest release.",
        action: "Do not upgrade to releases you have not reviewed; tell the maintainers to fix their domain's MX records or renew the mail server's domain, or to change the PyPI account's address; allow the finding once verified.",
        securitySeverity: "9.0",
    },
    "project-url-domain-lapsed": {
        severity: "medium",
        title: "Project link points at a lapsed domain",
        meaning: "A link in the package's metadata (project_urls, home page, download URL) is on a domain that is unregistered or expired: whoever registers it can serve altered install steps, documentation or downloads under the project's name.",
        action: "Do not follow install steps or downloads from that link; tell the maintainers to fix or remove the link in their next release; allow the finding once verified.",
        securitySeverity: "5.5",
    },
    "lookup-failed": {
        severity: "info",
        title: "Maintainer e-mail domain could not be checked",
        meaning: "RDAP was unavailable, rate-limited past the retry budget, has no server for the TLD, said not found while DNS shows a delegation, or gave an answer that could not be read (an HTML page, a redirector's own 404, an expiration date that is not a date). This is never reported as expired.",
        action: "Re-run later; set on-lookup-error: fail to make unchecked domains fail the run; check the domain by hand if it matters.",
        securitySeverity: "0.0",
    },
    "package-not-found": {
        severity: "info",
        title: "Package not found on the index",
        meaning: "The package index answered 404: the package may come from a private index, or was removed from PyPI.",
        action: "If it should come from PyPI, check the name; a removed package whose name can be re-registered is a risk of its own.",
        securitySeverity: "0.0",
    },
    "no-maintainer-email": {
        severity: "info",
        title: "Package metadata has no maintainer e-mail",
        meaning: "The latest release's metadata carries no e-mail address, so no domain could be checked.",
        action: "Nothing to do; the package's account cannot be judged from its metadata.",
        securitySeverity: "0.0",
    },
};
/** Exit codes of the CLI (and the action's verdict): see README, "Exit codes". */
const codes_EXIT_CLEAN = 0;
/** Findings at or above fail-on. */
const codes_EXIT_FINDINGS = 1;
/** Bad usage, or no input at all could be read. */
const EXIT_USAGE = 2;
/** Could not check enough: coverage below `min-coverage`, or the index URL looks wrong. */
const EXIT_INCOMPLETE = 3;
/** Interrupted by SIGINT (128 + 2). */
const EXIT_SIGINT = 130;
/** Interrupted by SIGTERM (128 + 15), as GitHub Actions does on cancel. */
const EXIT_SIGTERM = 143;

// EXTERNAL MODULE: external "node:net"
var external_node_net_ = __webpack_require__(7030);
;// CONCATENATED MODULE: ./src/names.ts
// Python project names: the one place that decides a name's normal form (PEP 503) and whether a
// string is a project name at all (PEP 508). Parsers, the index client, the cache, the
// allow-list and the reports all use these, so the same project is never spelled two ways.
/** PEP 508 name grammar: letters, digits, `.`, `_`, `-`; starts and ends with a letter or digit. */
const NAME_RE = /^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$/;
/** Longest name we accept; PyPI's own limit is far below this, so longer is never a real project. */
const MAX_NAME_LENGTH = 200;
/** PEP 503 normalisation: lower case, runs of `-`, `_`, `.` become one `-`. */
function normalizeName(name) {
    return name.toLowerCase().replace(/[-_.]+/g, "-");
}
/** True when `name` matches the PEP 508 name grammar (checked before a name may reach a URL). */
function isValidName(name) {
    return name.length <= MAX_NAME_LENGTH && NAME_RE.test(name);
}

;// CONCATENATED MODULE: ./src/words.ts
// How every message says things: counts ("1 package", "2 packages"), and URLs without the
// credentials written into them.
/** `plural(1, "package")` is "1 package", `plural(2, "package")` is "2 packages". */
function plural(n, one, many = `${one}s`) {
    return `${n} ${n === 1 ? one : many}`;
}
/**
 * The URL without the `user:password@` written into it: its authority (up to the first `/`, `?`
 * or `#` after the scheme) up to its last `@` is dropped, as pip's and the WHATWG parsers read
 * it, so that a password with a raw `@` in it goes too. Safe to print, log, cache or report.
 */
function withoutUserinfo(url) {
    return url.replace(/^([A-Za-z][A-Za-z0-9+.-]*:\/\/)[^/?#]*@/, "$1");
}
/**
 * The comparable form of a package index URL: no credentials, scheme and host in lower case (as
 * the URL parser gives them), no trailing `/`; the path and query as written, since they are
 * case-sensitive (`/Team/simple` and `/team/simple` are two indexes). Two spellings of one index
 * (`https://Corp.example/simple/`, `https://corp.example/simple`) are one index: one project of
 * a name, one lookup, the same pin in a pull request.
 */
function indexIdentity(url) {
    const bare = withoutUserinfo(url.trim());
    try {
        const u = new URL(bare);
        return `${u.protocol}//${u.host}${u.pathname.replace(/\/+$/, "")}${u.search}`;
    }
    catch {
        return bare.replace(/\/+$/, "");
    }
}
/**
 * Text with every URL's `user:password@` replaced by `***@`, for results and messages: all of a
 * URL up to its last `@`, so a password with a `/` or an `@` in it is hidden too.
 */
function redactUrl(text) {
    return text.replace(/(\b[a-z][a-z0-9+.-]*:\/\/)\S*@/gi, "$1***@");
}
/**
 * A value that should have been a URL, as an error may quote it: everything before its last `@`
 * hidden, with or without a scheme (a list split at a comma inside a password leaves `en@host`).
 */
function valueForMessage(text) {
    const at = text.lastIndexOf("@");
    if (at < 0)
        return text;
    const scheme = /^\s*[a-z][a-z0-9+.-]*:\/\//i.exec(text)?.[0] ?? "";
    return `${scheme}***${text.slice(at)}`;
}

;// CONCATENATED MODULE: ./src/options/nearest.ts
// "Did you mean": the known name nearest to a mistyped one (a flag, an option of the config file).
/** Edit distance (Levenshtein). */
function distance(a, b) {
    const row = Array.from({ length: b.length + 1 }, (_, i) => i);
    for (let i = 1; i <= a.length; i++) {
        let prev = row[0];
        row[0] = i;
        for (let j = 1; j <= b.length; j++) {
            const cur = row[j];
            row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
            prev = cur;
        }
    }
    return row[b.length];
}
/** The name of `known` nearest to `name`, when it is near enough to be a typo of it. */
function nearestName(name, known) {
    let best;
    for (const candidate of known) {
        const d = candidate.startsWith(name) || name.startsWith(candidate) ? 1 : distance(name, candidate);
        if (!best || d < best.d)
            best = { name: candidate, d };
    }
    return best && best.d <= Math.max(2, Math.floor(name.length / 3)) ? best.name : undefined;
}

;// CONCATENATED MODULE: ./src/options/options.ts
// One schema for the action's inputs, the CLI's flags and the config file.
// Defaults live here and nowhere else.





/** The table of every option: name, type, default, and what it does. */
/** Node's timers take at most 2^31 - 1 ms (some 24.8 days); a longer one fires at once. */
const MAX_TIMER_MS = 24 * 86_400_000;
const OPTION_SPECS = [
    {
        name: "paths",
        key: "paths",
        kind: { type: "list" },
        default: ["."],
        description: "Lockfiles or directories to scan (directories are searched).",
    },
    {
        name: "format",
        key: "format",
        kind: { type: "enum", values: ["table", "json", "markdown", "sarif"] },
        default: undefined,
        description: "Output format (CLI). Default: table on a terminal, json otherwise.",
        cliOnly: true,
    },
    {
        name: "output",
        key: "output",
        kind: { type: "string" },
        writesFile: true,
        default: undefined,
        description: "Write the report to this file instead of standard output (CLI).",
        cliOnly: true,
    },
    {
        name: "fail-on",
        key: "failOn",
        kind: { type: "enum", values: FAIL_ON_LEVELS },
        default: "high",
        description: "Lowest severity that fails the run; `never` only reports.",
    },
    {
        name: "expiry-warning-days",
        key: "expiryWarningDays",
        kind: { type: "int", min: 0, max: 3650 },
        default: 30,
        description: "Warn (`domain-expiring`) when a domain expires within this many days.",
    },
    {
        name: "pypi-url",
        key: "pypiUrl",
        kind: { type: "url" },
        default: "https://pypi.org/pypi",
        description: "Base URL of the PyPI JSON API.",
    },
    {
        name: "rdap-bootstrap",
        key: "rdapBootstrap",
        kind: { type: "url-or-file" },
        default: "https://data.iana.org/rdap/dns.json",
        description: "RDAP bootstrap file (RFC 9224): a URL or a local file.",
    },
    {
        name: "dns-server",
        key: "dnsServer",
        kind: { type: "host-port" },
        default: undefined,
        description: "DNS server (HOST:PORT) for the NS check before `domain-unregistered` and the mail-server (MX) lookups. Default: the system resolver.",
    },
    {
        name: "config-file",
        key: "configFile",
        kind: { type: "string" },
        default: undefined,
        description: "YAML config file. Default: `.github/maintainer-domain-guard.yml` when present.",
    },
    {
        name: "cache",
        key: "cache",
        kind: { type: "cache-file" },
        writesFile: true,
        default: undefined,
        description: "Verdict cache. CLI: a JSON file path. Action: `true`/`false` (kept between runs with the Actions cache).",
    },
    {
        name: "only-changed",
        key: "onlyChanged",
        kind: { type: "enum", values: ["auto", "true", "false"] },
        default: "auto",
        description: "On pull requests, only packages the change adds or re-pins can fail the run. `auto`: on for pull_request, pull_request_target and merge_group events.",
        actionOnly: true,
    },
    {
        name: "comment-on-pr",
        key: "commentOnPr",
        kind: { type: "enum", values: ["always", "on-findings", "never"] },
        default: "on-findings",
        description: "Keep one sticky pull-request comment with the findings.",
        actionOnly: true,
    },
    {
        name: "tracking-issue",
        key: "trackingIssue",
        kind: { type: "boolean" },
        default: false,
        description: "On scheduled and manual runs, keep one issue current with the findings.",
        actionOnly: true,
    },
    {
        name: "sarif-file",
        key: "sarifFile",
        kind: { type: "string" },
        writesFile: true,
        default: undefined,
        description: "Write a SARIF 2.1.0 file here (for code scanning upload). Empty: none.",
    },
    {
        name: "allow",
        key: "allow",
        kind: { type: "allow" },
        default: [],
        description: "Allow-list entries `{package?, domain?, kind?, reason, until?}` (config file), or `package:domain:reason` lines (input).",
    },
    {
        name: "skip-domains",
        key: "skipDomains",
        kind: { type: "list" },
        default: [],
        description: "More mail providers, mail hosts or platforms whose domains never lapse, added to the built-in lists.",
    },
    {
        name: "replace-skip-domains",
        key: "replaceSkipDomains",
        kind: { type: "boolean" },
        default: false,
        description: "Use only `skip-domains`, not the built-in lists (mail providers, mail hosting, code hosts and platforms).",
    },
    {
        name: "check-mx",
        key: "checkMx",
        kind: { type: "boolean" },
        default: true,
        description: "Ask DNS for each maintainer domain's mail servers (MX) and check the domains they sit under.",
    },
    {
        name: "check-project-urls",
        key: "checkProjectUrls",
        kind: { type: "boolean" },
        default: true,
        description: "Check the domains of the project's links (`project_urls`, home page, download URL).",
    },
    {
        name: "github-token",
        key: "githubToken",
        kind: { type: "string" },
        default: undefined,
        description: "Token for comments, issues and base-commit fetches (`${{ github.token }}`).",
        actionOnly: true,
    },
    {
        name: "pypi-concurrency",
        key: "pypiConcurrency",
        kind: { type: "int", min: 1, max: 256 },
        default: 16,
        description: "PyPI requests in flight at once.",
    },
    {
        name: "rdap-concurrency",
        key: "rdapConcurrency",
        kind: { type: "int", min: 1, max: 64 },
        default: 4,
        description: "RDAP requests in flight at once per RDAP server.",
    },
    {
        name: "timeout",
        key: "timeoutMs",
        kind: { type: "duration", max: MAX_TIMER_MS },
        default: 15_000,
        description: "Timeout of one HTTP request (seconds, or a duration such as `20s`).",
    },
    {
        name: "max-retry-wait",
        key: "maxRetryWaitMs",
        kind: { type: "duration", max: MAX_TIMER_MS },
        default: 10_000,
        description: "Longest single wait for Retry-After or backoff (seconds or a duration).",
    },
    {
        name: "retries",
        key: "retries",
        kind: { type: "int", min: 0, max: 10 },
        default: 3,
        description: "Retries of a request that failed with 429, 5xx, a timeout or a cut connection (a kept connection the server had closed is sent again without counting).",
    },
    {
        name: "deadline",
        key: "deadlineMs",
        kind: { type: "duration", max: MAX_TIMER_MS },
        default: 600_000,
        description: "Deadline for the whole scan (seconds or a duration such as `10m`; at most `24d`).",
    },
    {
        name: "on-lookup-error",
        key: "onLookupError",
        kind: { type: "enum", values: ["warn", "fail"] },
        default: "warn",
        description: "Whether domains that could not be checked fail the run.",
    },
    {
        name: "cache-max-age",
        key: "cacheMaxAgeMs",
        kind: { type: "duration" },
        default: 7 * 24 * 3600_000,
        description: "Longest time a cached verdict is trusted (a duration such as `7d`).",
    },
    {
        name: "min-coverage",
        key: "minCoverage",
        kind: { type: "fraction" },
        default: 0.9,
        description: "Share (0 to 1) of packages, of domains and of lockfiles that must be checked (read); below it the run exits 3.",
    },
    {
        name: "pypi-token",
        key: "pypiToken",
        kind: { type: "string" },
        default: undefined,
        description: "Bearer token for a private package index (CLI: the `MDG_PYPI_TOKEN` environment variable). Never read from the config file.",
        actionOnly: true,
        secret: true,
    },
    {
        name: "index-urls",
        key: "indexUrls",
        kind: { type: "index-map" },
        default: [],
        description: "Private indexes with a PyPI JSON API: `SIMPLE_URL=JSON_API_BASE` lines (config: a mapping). Credentials in the API URL are sent as Basic auth.",
    },
    {
        name: "index-token",
        key: "indexToken",
        kind: { type: "string" },
        default: undefined,
        description: "Bearer token for the indexes in `index-urls` (CLI: the `MDG_INDEX_TOKEN` environment variable). Never read from the config file.",
        actionOnly: true,
        secret: true,
    },
];
/**
 * One `index-urls` entry, `SIMPLE_URL=JSON_API_BASE` (split at the `=` before the API base's
 * scheme), both http(s) URLs; the error names the entry without its credentials.
 */
function parseIndexUrlEntry(entry) {
    const strip = valueForMessage;
    const m = /^(\S+?)\s*(?:=|->|→)\s*(https?:\/\/\S+)$/i.exec(entry.trim());
    if (!m)
        return { error: `"${strip(entry).slice(0, 200)}" is not SIMPLE_URL=JSON_API_BASE` };
    for (const url of [m[1], m[2]]) {
        let ok = false;
        try {
            const parsed = new URL(url);
            ok = parsed.protocol === "http:" || parsed.protocol === "https:";
        }
        catch {
            ok = false;
        }
        if (!ok)
            return { error: `"${strip(url).slice(0, 200)}" is not an http(s) URL` };
    }
    return { from: m[1], to: m[2] };
}
const DEFAULT_CONFIG_FILE = ".github/maintainer-domain-guard.yml";
class OptionsError extends Error {
    /** Each problem's text, in order. */
    problems;
    /** The same problems with the place of each one that is in a config file. */
    placed;
    constructor(problems) {
        const placed = problems.map((p) => (typeof p === "string" ? { text: p } : p));
        super(placed.map((p) => p.text).join("\n"));
        this.name = "OptionsError";
        this.placed = placed;
        this.problems = placed.map((p) => p.text);
    }
}
/** A problem's text with the config-file place of `raw`, when it came from one. */
function problemAt(text, raw, line = raw.line) {
    if (raw.source !== "config" || raw.file === undefined)
        return text;
    return { text, place: { file: raw.file, ...(line !== undefined ? { line } : {}) } };
}
function describeSource(spec, raw) {
    switch (raw.source) {
        case "flag":
            return `from flag --${spec.name}`;
        case "input":
            return `from action input '${spec.name}'`;
        case "config":
            return `from key '${spec.name}' at ${configPlace(raw)}`;
    }
}
/** `file:line` of a config value (or what of it is known). */
function configPlace(raw, line = raw.line) {
    const file = raw.file ?? "the config file";
    return line === undefined ? file : `${file}:${line}`;
}
const DURATION_UNITS = {
    ms: 1,
    s: 1000,
    m: 60_000,
    h: 3_600_000,
    d: 86_400_000,
};
/** `10`, `10s`, `1.5m`, `500ms`, `2h`, `7d` -> milliseconds. A bare number is seconds. */
function parseDuration(text) {
    const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/i.exec(text);
    if (!match)
        return undefined;
    const unit = (match[2] ?? "s").toLowerCase();
    return Math.round(Number(match[1]) * (DURATION_UNITS[unit] ?? 1000));
}
/** Split a list given as text: commas or new lines, trimmed, empties dropped. */
function splitList(text) {
    return text
        .split(/[\n,]/)
        .map((s) => s.trim())
        .filter((s) => s.length > 0);
}
/** Whether `text` is YYYY-MM-DD and a day the calendar has (not 2026-02-31). */
function isCalendarDate(text) {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
    if (!m)
        return false;
    const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
    return date.toISOString().slice(0, 10) === text;
}
const ALLOW_KEYS = new Set(["package", "domain", "kind", "reason", "until"]);
function parseAllowEntries(value, where, problems, itemWhere = () => where, placed = (text) => text) {
    const entries = [];
    let items;
    if (typeof value === "string") {
        // Input form: one entry a line, `package:domain:reason` (either of the first two may be empty).
        items = value
            .split("\n")
            .map((l) => l.trim())
            .filter((l) => l && !l.startsWith("#"))
            .map((line) => {
            const [pkg = "", domain = "", ...rest] = line.split(":");
            return {
                ...(pkg.trim() ? { package: pkg.trim() } : {}),
                ...(domain.trim() ? { domain: domain.trim() } : {}),
                reason: rest.join(":").trim(),
            };
        });
    }
    else if (Array.isArray(value)) {
        items = value;
    }
    else {
        problems.push(placed(`allow: must be a list of entries (${where})`));
        return entries;
    }
    items.forEach((item, i) => {
        const at = `allow[${i}]`;
        const where = itemWhere(i);
        if (item === null || typeof item !== "object" || Array.isArray(item)) {
            problems.push(placed(`${at}: must be a mapping with a reason (${where})`, i));
            return;
        }
        const obj = item;
        for (const key of Object.keys(obj)) {
            if (!ALLOW_KEYS.has(key)) {
                problems.push(placed(`${at}.${key}: unknown key; allowed keys are package, domain, kind, reason, until (${where})`, i));
            }
        }
        const str = (k) => {
            const v = obj[k];
            if (v === undefined || v === null)
                return undefined;
            if (typeof v === "string")
                return v.trim();
            if (v instanceof Date)
                return v.toISOString().slice(0, 10);
            problems.push(placed(`${at}.${k}: must be a string (${where})`, i));
            return undefined;
        };
        const entry = { reason: str("reason") ?? "" };
        const pkg = str("package");
        const domain = str("domain");
        const kind = str("kind");
        const until = str("until");
        if (!entry.reason)
            problems.push(placed(`${at}.reason: is required: say why this is allowed (${where})`, i));
        // What an entry names must be able to match: a project name, a domain as findings name
        // it. `requests==2.32.3`, `*.example.com` or `https://example.com/` would never match, and
        // the finding they were meant for would still fail the run.
        if (pkg) {
            if (isValidName(pkg))
                entry.package = normalizeName(pkg);
            else
                problems.push(placed(`${at}.package: "${pkg.slice(0, 80)}" is not a project name (no version, no extras) (${where})`, i));
        }
        if (domain) {
            const d = domain.trim().replace(/\.$/, "");
            if (/^[A-Za-z0-9\p{L}](?:[A-Za-z0-9\p{L}.-]*[A-Za-z0-9\p{L}])?$/u.test(d) && d.includes("."))
                entry.domain = d;
            else
                problems.push(placed(`${at}.domain: "${d.slice(0, 80)}" is not a domain name (no wildcard, address or URL: the domain itself, e.g. example.com) (${where})`, i));
        }
        if (kind) {
            if (FINDING_KINDS.includes(kind))
                entry.kind = kind;
            else
                problems.push(placed(`${at}.kind: "${kind}" is not one of ${FINDING_KINDS.join(", ")} (${where})`, i));
        }
        if (until) {
            if (isCalendarDate(until))
                entry.until = until;
            else
                problems.push(placed(`${at}.until: "${until}" is not a date (YYYY-MM-DD) (${where})`, i));
        }
        if (!entry.package && !entry.domain && !entry.kind) {
            problems.push(placed(`${at}: names none of package, domain, kind: it would allow everything (${where})`, i));
        }
        entries.push(entry);
    });
    return entries;
}
function convert(spec, raw, problems) {
    const value = convertValue(spec, raw, problems);
    if (spec.writesFile &&
        raw.source === "config" &&
        typeof value === "string" &&
        !insidePath(value)) {
        problems.push(problemAt(`${spec.name}: a config file may name only a relative path inside the working directory (no "..", not absolute), not ${JSON.stringify(redactUrl(value)).slice(0, 200)}; give --${spec.name} (or the input) for another place (${describeSource(spec, raw)})`, raw));
        return undefined;
    }
    return value;
}
/** A relative path whose every step stays below where it starts (either separator). */
function insidePath(path) {
    if (path.startsWith("/") ||
        path.startsWith("\\") ||
        /^[A-Za-z]:/.test(path) ||
        path.startsWith("~"))
        return false;
    return !path.split(/[\\/]+/).includes("..");
}
function convertValue(spec, raw, problems) {
    const where = describeSource(spec, raw);
    const { value } = raw;
    const text = typeof value === "string" ? value.trim() : value;
    const bad = (allowed) => {
        const shown = spec.secret
            ? "the value"
            : spec.kind.type === "url" || spec.kind.type === "index-map"
                ? JSON.stringify(valueForMessage(typeof value === "string" ? value : String(value)))
                : typeof value === "number" && !Number.isFinite(value)
                    ? String(value) // JSON would say null for YAML's .inf and .nan
                    : redactUrl(JSON.stringify(value) ?? String(value));
        problems.push(problemAt(`${spec.name}: ${shown} is not ${allowed} (${where})`, raw));
        return undefined;
    };
    switch (spec.kind.type) {
        case "cache-file":
            if (typeof text === "boolean")
                return undefined;
            if (typeof text !== "string")
                return bad("a file path");
            if (raw.source === "config" && /^(true|false)$/i.test(text))
                return undefined;
            return text === "" ? undefined : text;
        case "string":
        case "url-or-file":
            if (typeof text !== "string")
                return bad("a string");
            return text === "" ? undefined : text;
        case "url": {
            if (typeof text !== "string")
                return bad("a URL");
            try {
                const url = new URL(text);
                if (url.protocol !== "http:" && url.protocol !== "https:")
                    return bad("an http(s) URL");
                return text.replace(/\/+$/, "");
            }
            catch {
                return bad("a URL");
            }
        }
        case "host-port": {
            if (typeof text !== "string")
                return bad("HOST:PORT");
            if (text === "")
                return undefined;
            // An address, not a name (no resolver is there yet to look a name up), and a port that
            // can be sent to: node's resolver aborts the process on port 0.
            const m = /^(\[([0-9a-fA-F:.]+)\]|([0-9.]+)):(\d{1,5})$/.exec(text);
            const port = Number(m?.[4]);
            const ip = m?.[2] ?? m?.[3] ?? "";
            if (!m || port < 1 || port > 65535 || (0,external_node_net_.isIP)(ip) !== (m[2] !== undefined ? 6 : 4))
                return bad("an IP address and port (for example 127.0.0.1:53 or [::1]:53)");
            return text;
        }
        case "enum": {
            const s = typeof text === "boolean" ? String(text) : text;
            if (typeof s !== "string" || !spec.kind.values.includes(s.toLowerCase())) {
                return bad(`one of ${spec.kind.values.join(", ")}`);
            }
            return s.toLowerCase();
        }
        case "boolean": {
            if (typeof text === "boolean")
                return text;
            if (typeof text === "string" && /^(true|false)$/i.test(text))
                return text.toLowerCase() === "true";
            return bad("true or false");
        }
        case "int": {
            // Number("") is 0: an empty value is no number.
            const n = typeof text === "number"
                ? text
                : typeof text === "string" && /^[+-]?\d+$/.test(text)
                    ? Number(text)
                    : NaN;
            // Digits only: `0x10`, `1e1` or `0b11` is not how a number of days is written.
            if (!Number.isInteger(n) || n < spec.kind.min || n > spec.kind.max) {
                return bad(`a whole number from ${spec.kind.min} to ${spec.kind.max}`);
            }
            return n;
        }
        case "duration": {
            const ms = typeof text === "number"
                ? Math.round(text * 1000)
                : typeof text === "string"
                    ? parseDuration(text)
                    : undefined;
            if (ms === undefined || ms <= 0)
                return bad("a duration (seconds, or such as 500ms, 20s, 10m, 7d)");
            if (spec.kind.max !== undefined && ms > spec.kind.max)
                return bad(`a duration of at most ${spec.kind.max / 86_400_000}d`);
            return ms;
        }
        case "fraction": {
            const n = typeof text === "number"
                ? text
                : typeof text === "string" && /^(?:\d+(?:\.\d*)?|\.\d+)$/.test(text)
                    ? Number(text)
                    : NaN;
            if (typeof text === "string" && text === "")
                return bad("a fraction from 0 to 1");
            if (!Number.isFinite(n) || n < 0 || n > 1)
                return bad("a fraction from 0 to 1 (such as 0.9)");
            return n;
        }
        case "list": {
            if (Array.isArray(text) && text.every((x) => typeof x === "string")) {
                return text.map((s) => s.trim()).filter(Boolean);
            }
            if (typeof text === "string")
                return splitList(text);
            return bad("a list of strings");
        }
        case "index-map": {
            // Input: lines (or commas); config: a list of lines or a mapping `simple URL: API base`.
            let entries;
            // One per line; a comma separates entries only before another URL (a password may hold one).
            if (typeof text === "string")
                entries = text
                    .split(/\n|,(?=\s*[A-Za-z][A-Za-z0-9+.-]*:\/\/)/)
                    .map((e) => e.trim())
                    .filter(Boolean);
            else if (Array.isArray(text) && text.every((x) => typeof x === "string"))
                entries = text.map((s) => s.trim()).filter(Boolean);
            else if (text !== null && typeof text === "object" && !Array.isArray(text))
                entries = Object.entries(text).map(([k, v]) => `${k}=${String(v)}`);
            else
                return bad("SIMPLE_URL=JSON_API_BASE lines");
            const out = [];
            for (const entry of entries) {
                const parsed = parseIndexUrlEntry(entry);
                if ("error" in parsed)
                    problems.push(problemAt(`${spec.name}: ${parsed.error} (${where})`, raw));
                else
                    out.push(`${parsed.from}=${parsed.to}`);
            }
            return out;
        }
        case "allow":
            return parseAllowEntries(value, where, problems, (i) => raw.source === "config" && raw.itemLines?.[i] !== undefined
                ? `from allow[${i}] at ${configPlace(raw, raw.itemLines[i])}`
                : where, (text, i) => problemAt(text, raw, i === undefined ? raw.line : (raw.itemLines?.[i] ?? raw.line)));
    }
}
/** The option table, keyed by kebab-case name. */
function findSpec(name) {
    return OPTION_SPECS.find((s) => s.name === name);
}
/** Defaults for every option. */
function defaultOptions() {
    const options = {};
    for (const spec of OPTION_SPECS) {
        const d = spec.default;
        options[spec.key] = Array.isArray(d) ? [...d] : d;
    }
    options.writesFromConfig = [];
    return options;
}
/**
 * Merge raw values into validated Options. Later layers win: defaults, then the config file,
 * then explicit flags or inputs. Every problem is collected; one OptionsError reports them all.
 * `allow` and `skip-domains` from the config file and from flags/inputs are combined.
 */
function resolveOptions(layers) {
    const options = defaultOptions();
    const problems = [];
    const combined = new Set(["allow", "skip-domains"]);
    /** For each option naming a file to write: whether its value came from a config file. */
    const fromConfig = new Map();
    for (const layer of layers) {
        for (const [name, raw] of Object.entries(layer)) {
            const spec = findSpec(name);
            if (!spec) {
                const where = raw.source === "config" ? ` at ${configPlace(raw)}` : "";
                const near = nearestName(name, OPTION_SPECS.map((s) => s.name));
                problems.push(problemAt(`${name}: unknown option${where}${near ? `; did you mean '${near}'?` : ""}`, raw));
                continue;
            }
            if (spec.secret && raw.source === "config") {
                problems.push(problemAt(`${name}: is a secret and is not read from ${configPlace(raw)}; give it as the action input ${name} (from a secret), or to the CLI in the MDG_${name.toUpperCase().replace(/-/g, "_")} environment variable`, raw));
                continue;
            }
            if (name === "config-file" && raw.source === "config") {
                // The file is already chosen when its keys are read: another name here would be ignored.
                problems.push(problemAt(`${name}: names the config file, so a config file cannot set it (${configPlace(raw)}); give --config or the config-file input`, raw));
                continue;
            }
            const value = convert(spec, raw, problems);
            if (value === undefined)
                continue;
            if (combined.has(name) && Array.isArray(options[spec.key])) {
                options[spec.key] = [...options[spec.key], ...value];
            }
            else {
                options[spec.key] = value;
            }
            if (spec.writesFile)
                fromConfig.set(name, raw.source === "config");
        }
    }
    options.writesFromConfig = [...fromConfig].filter(([, config]) => config).map(([n]) => n);
    if (problems.length > 0)
        throw new OptionsError(problems);
    return moveCredentials(options);
}
/**
 * `user:password@` in `pypi-url` is taken out of the URL (which is printed, logged and cached)
 * and kept apart, to be sent as `Authorization: Basic`.
 */
function moveCredentials(options) {
    let url;
    try {
        url = new URL(options.pypiUrl);
    }
    catch {
        return options;
    }
    if (!url.username && !url.password)
        return options;
    const user = decodeURIComponent(url.username);
    const password = decodeURIComponent(url.password);
    url.username = "";
    url.password = "";
    return {
        ...options,
        pypiUrl: url.href.replace(/\/+$/, ""),
        pypiBasicAuth: `${user}:${password}`,
    };
}
/**
 * Turn a parsed config file (a YAML mapping) into a raw layer. Keys are the kebab-case option
 * names; `allow` holds entries.
 */
function configLayer(doc, file, lines = new Map()) {
    if (doc === null || doc === undefined)
        return {};
    if (typeof doc !== "object" || Array.isArray(doc)) {
        throw new OptionsError([
            { text: `${file}: must be a mapping of option names to values`, place: { file } },
        ]);
    }
    const layer = {};
    for (const [key, value] of Object.entries(doc)) {
        if (value === null || value === undefined)
            continue;
        layer[key] = { value, source: "config", file, ...lines.get(key) };
    }
    return layer;
}

// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: ./node_modules/yaml/dist/index.js
var dist = __webpack_require__(8815);
;// CONCATENATED MODULE: ./src/options/config-file.ts
// The optional YAML config file: every option by its kebab-case name, plus `allow:` entries.





const MAX_CONFIG_BYTES = 1024 * 1024;
/**
 * Read the config file named by `file` (relative to `root`), or the default one when it exists.
 * A named file that is missing or malformed is an OptionsError; no file at all is an empty layer.
 */
async function loadConfigLayer(root, file) {
    const name = file ?? ((0,external_node_fs_.existsSync)((0,external_node_path_.resolve)(root, DEFAULT_CONFIG_FILE)) ? DEFAULT_CONFIG_FILE : undefined);
    if (!name)
        return {};
    const text = await readConfigText((0,external_node_path_.resolve)(root, name), name);
    return parseConfigText(text, name);
}
/**
 * A config file's text, read only when it is a regular file of at most 1 MiB: never a device,
 * a FIFO or a link to one (`/dev/zero` would be read for ever). `shown` names it in errors.
 */
async function readConfigText(path, shown) {
    let handle;
    try {
        handle = await (0,promises_.open)(path, "r");
        const info = await handle.stat();
        if (!info.isFile())
            throw new OptionsError([
                `${shown}: the config file is not a regular file; give the path of a YAML file`,
            ]);
        if (info.size > MAX_CONFIG_BYTES)
            throw new OptionsError([`${shown}: config file is larger than 1 MiB`]);
        const buffer = Buffer.alloc(MAX_CONFIG_BYTES + 1);
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
        if (bytesRead > MAX_CONFIG_BYTES)
            throw new OptionsError([`${shown}: config file is larger than 1 MiB`]);
        return buffer.subarray(0, bytesRead).toString("utf8");
    }
    catch (error) {
        if (error instanceof OptionsError)
            throw error;
        const code = error.code;
        const what = code === "ENOENT"
            ? "no such file; check the path (config-file / --config)"
            : code === "EISDIR"
                ? "it is a folder; give the path of a YAML file"
                : (code ?? error.message);
        throw new OptionsError([`${shown}: cannot read config file: ${what}`]);
    }
    finally {
        await handle?.close();
    }
}
/** Parse config text; YAML errors name the file and line. */
function parseConfigText(text, name) {
    // prettyErrors fills in `linePos` (1-based line and column) on every error.
    const lineCounter = new dist/* LineCounter */.HN();
    const doc = (0,dist/* parseDocument */.Tp)(text, { prettyErrors: true, uniqueKeys: true, lineCounter });
    if (doc.errors.length > 0) {
        throw new OptionsError(doc.errors.map((e) => {
            const pos = e.linePos?.[0];
            const message = (e.message.split("\n")[0] ?? "").replace(/ at line \d+, column \d+:?$/, "");
            return {
                text: `${name}${pos ? `:${pos.line}:${pos.col}` : ""}: invalid YAML: ${message} [${e.code}]`,
                place: { file: name, ...(pos ? { line: pos.line, column: pos.col } : {}) },
            };
        }));
    }
    // Where each top-level key (and each item of a list) is, so that a bad value names its line.
    const lines = new Map();
    const lineOf = (range) => range ? lineCounter.linePos(range[0]).line : undefined;
    if ((0,dist/* isMap */.jh)(doc.contents)) {
        for (const pair of doc.contents.items) {
            if (!(0,dist/* isScalar */.jn)(pair.key)) {
                // `? [a]: 1`: a list or a mapping as a key names no option.
                const at = (0,dist/* isNode */.Ll)(pair.key) ? lineOf(pair.key.range) : undefined;
                throw new OptionsError([
                    {
                        text: `${name}${at ? `:${at}` : ""}: a key must be an option name, not a list or a mapping`,
                        place: { file: name, ...(at ? { line: at } : {}) },
                    },
                ]);
            }
            const line = lineOf(pair.key.range);
            if (line === undefined)
                continue;
            const itemLines = (0,dist/* isSeq */.oP)(pair.value)
                ? pair.value.items.map((item) => ((0,dist/* isNode */.Ll)(item) ? lineOf(item.range) : undefined) ?? line)
                : undefined;
            lines.set(String(pair.key.value), { line, ...(itemLines ? { itemLines } : {}) });
        }
    }
    return configLayer(doc.toJS({ maxAliasCount: 100 }), name, lines);
}

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
;// CONCATENATED MODULE: ./src/assess/lifecycle.ts
const DAY_MS = 86_400_000;
/** How long after the expiry anniversary an unpaid gTLD name may stay in auto-renew grace (RFC 3915). */
const GRACE_DAYS = 45;
const RFC8056 = "RFC 8056 §2 (EPP to RDAP status mapping)";
const RFC9083 = "RFC 9083 §10.2.2 (RDAP status values)";
const RDAPPER = 'rdapper (normalize.ts): a 200 answer with this status is read as not registered ("being released")';
/**
 * Every status word the assessment knows, with its meaning and its source. A word not in this
 * table is reported in `unknownStatuses` and never produces a finding by itself.
 */
const STATUS_VOCABULARY = [
    // The lapse states of RFC 3915's registry grace periods, as RFC 8056 spells them.
    { word: "redemption period", meaning: "lapsed", source: `RFC 3915 redemptionPeriod; ${RFC8056}` },
    { word: "pending delete", meaning: "lapsed", source: `RFC 5731 pendingDelete; ${RFC8056}` },
    { word: "pending restore", meaning: "lapsed", source: `RFC 3915 pendingRestore; ${RFC8056}` },
    {
        word: "auto renew period",
        meaning: "grace",
        source: `RFC 3915 §1 autoRenewPeriod (the auto-renew grace period after expiry); ${RFC8056}`,
    },
    { word: "client hold", meaning: "hold", source: `RFC 5731 clientHold; ${RFC8056}` },
    { word: "server hold", meaning: "hold", source: `RFC 5731 serverHold; ${RFC8056}` },
    { word: "inactive", meaning: "hold", source: `RFC 5731 inactive (no name servers); ${RFC9083}` },
    // Registries' own words beyond RFC 8056 (see test/fixtures/rdap/SOURCES.md for each).
    {
        word: "quarantine",
        meaning: "lapsed",
        source: "EURid (.eu): deleted names stay in quarantine for 40 days (help.eurid.eu)",
    },
    {
        word: "in quarantaine",
        meaning: "lapsed",
        source: "SIDN (.nl): a cancelled name's status is shown as 'in quarantaine' for 40 days (sidn.nl)",
    },
    {
        word: "in quarantine",
        meaning: "lapsed",
        source: "SIDN (.nl), English WHOIS output 'Status: in quarantine' (weppos/whois#34)",
    },
    {
        word: "transit",
        meaning: "lapsed",
        source: "DENIC (.de) TRANSIT: the provider contract ended and DENIC holds the name",
    },
    { word: "pending release", meaning: "lapsed", source: RDAPPER },
    { word: "released", meaning: "lapsed", source: RDAPPER },
    {
        word: "release process waiting",
        meaning: "lapsed",
        source: `${RDAPPER}; Registro.br (.br) release process`,
    },
    {
        word: "release process",
        meaning: "lapsed",
        source: "Registro.br (.br): the release process (processo de liberação) of an expired name",
    },
    { word: "available", meaning: "lapsed", source: RDAPPER },
    { word: "free", meaning: "lapsed", source: `${RDAPPER}; DENIC WHOIS status 'free'` },
    {
        word: "deleteCandidate",
        meaning: "lapsed",
        source: "internet.ee (.ee) registry software: DELETE_CANDIDATE = 'deleteCandidate'",
    },
    {
        word: "renewal required",
        meaning: "lapsed",
        source: "Nominet (.uk): the domain has gone past its expiry and has not been renewed",
    },
    {
        word: "expired",
        meaning: "lapsed",
        source: "internet.ee (.ee) registry software: EXPIRED = 'expired'",
    },
    {
        word: "suspended",
        meaning: "hold",
        source: "ccTLD registries' word for a name taken out of the zone (no RDAP capture found)",
    },
    // Known statuses that say nothing about a lapse.
    ...[
        "active",
        "ok",
        "add period",
        "renew period",
        "transfer period",
        "pending create",
        "pending renew",
        "pending transfer",
        "pending update",
        "client delete prohibited",
        "client renew prohibited",
        "client transfer prohibited",
        "client update prohibited",
        "server delete prohibited",
        "server renew prohibited",
        "server transfer prohibited",
        "server update prohibited",
    ].map((word) => ({ word, meaning: "neutral", source: RFC8056 })),
    ...[
        "validated",
        "renew prohibited",
        "update prohibited",
        "transfer prohibited",
        "delete prohibited",
        "proxy",
        "private",
        "removed",
        "obscured",
        "associated",
        "locked",
        "administrative",
        "reserved",
    ].map((word) => ({ word, meaning: "neutral", source: RFC9083 })),
];
/** The EPP status in ICANN's URL form, alone or after the word: `https://icann.org/epp#clientHold`. */
const ICANN_EPP_URL = /(?:^|\s)https?:\/\/(?:www\.)?icann\.org\/epp#([A-Za-z]+)\s*$/i;
/**
 * One key per status whatever the spelling: case, spaces, hyphens, underscores, punctuation and
 * camelCase do not matter, and ICANN's URL form counts as its fragment.
 * `clientHold`, `client hold`, `CLIENT-HOLD`, `https://icann.org/epp#clientHold` -> `clienthold`.
 */
function normalizeStatus(status) {
    const url = ICANN_EPP_URL.exec(status);
    const word = url ? url[1] : status;
    return word.toLowerCase().replace(/[^a-z0-9]+/g, "");
}
const MEANINGS = new Map(STATUS_VOCABULARY.map((w) => [normalizeStatus(w.word), w.meaning]));
/** What a status means, or undefined when the word is not in the vocabulary. */
function statusMeaning(status) {
    return MEANINGS.get(normalizeStatus(status));
}
/** Whether a status, in any spelling, means the domain has lapsed (redemption, quarantine, released, ...). */
function isLapsedStatus(status) {
    return statusMeaning(status) === "lapsed";
}
/** Whether a status, in any spelling, puts the domain on hold. */
function isHoldStatus(status) {
    return statusMeaning(status) === "hold";
}
/** Whether a status, in any spelling, is the registry's auto-renew grace (`auto renew period`). */
function isGraceStatus(status) {
    return statusMeaning(status) === "grace";
}
/** Unknown statuses are kept as written, at most this many, each cut to this length. */
const MAX_UNKNOWN_STATUSES = 20;
const MAX_STATUS_LENGTH = 100;
/** The statuses the vocabulary does not know, as written (bounded), without repeats. */
function unknownStatusesOf(statuses) {
    const out = [];
    for (const s of statuses) {
        if (statusMeaning(s) !== undefined)
            continue;
        const text = s.trim().slice(0, MAX_STATUS_LENGTH);
        if (text !== "" && !out.includes(text))
            out.push(text);
        if (out.length >= MAX_UNKNOWN_STATUSES)
            break;
    }
    return out;
}
/** Whether an ISO 8601 date lies before `now`. */
function isPast(iso, now) {
    if (!iso)
        return false;
    const ms = Date.parse(iso);
    return Number.isFinite(ms) && ms < now.getTime();
}
/** `iso` moved back `years` whole years (29 February becomes 28 February). */
function yearsBefore(iso, years) {
    const d = new Date(iso);
    const moved = new Date(d.getTime());
    moved.setUTCFullYear(d.getUTCFullYear() - years);
    if (moved.getUTCDate() !== d.getUTCDate())
        moved.setUTCDate(0);
    return moved;
}
/**
 * The latest anniversary of a future expiry date that is not after `now`: the day the
 * registration last reached its end of term (and, at a gTLD registry, was auto-renewed).
 * Undefined when the expiry is missing, unreadable or already past.
 */
function expiryAnniversary(expires, now) {
    if (!expires)
        return undefined;
    const ms = Date.parse(expires);
    if (!Number.isFinite(ms) || ms <= now.getTime())
        return undefined;
    for (let years = 1; years <= 12; years++) {
        const at = yearsBefore(expires, years);
        if (at.getTime() <= now.getTime())
            return at;
    }
    return undefined;
}
/** Whether the expiry anniversary fell within the last GRACE_DAYS days. */
function isRecentAnniversary(expires, now) {
    const at = expiryAnniversary(expires, now);
    return at !== undefined && now.getTime() - at.getTime() <= GRACE_DAYS * DAY_MS;
}
/**
 * Whether the registrar's record would decide something, so that the registry's `related` link
 * is worth following: the registry shows `auto renew period`, or its expiry anniversary fell
 * within the last 45 days (registries auto-renew without always saying so). Never for a name
 * already lapsed by status or date: the registry's word stands there.
 */
function needsRegistrarRecord(said, now) {
    if (said.statuses.some(isLapsedStatus) || isPast(said.expires, now))
        return false;
    return said.statuses.some(isGraceStatus) || isRecentAnniversary(said.expires, now);
}
/** The registrar's end of term, if one was read: the followed record's, else the registry answer's own. */
function registrarTermOf(verdict) {
    const followed = verdict.registrar?.expires;
    if (typeof followed === "string" && Number.isFinite(Date.parse(followed)))
        return followed;
    return verdict.registrarExpires;
}
/**
 * Why the verdict is a lapse, or undefined. The registry's own statuses and `expiration` come
 * first; the registrar's `registrar expiration` decides only within the grace rule (auto renew
 * period, or an expiry anniversary within the last 45 days).
 */
function lapseReason(verdict, now) {
    if (verdict.statuses.some(isLapsedStatus))
        return "status";
    if (isPast(verdict.expires, now))
        return "date";
    const inGraceWindow = verdict.statuses.some(isGraceStatus) || isRecentAnniversary(verdict.expires, now);
    if (inGraceWindow && isPast(registrarTermOf(verdict), now))
        return "registrar-term";
    return undefined;
}
/**
 * The state of a domain the registry has a record of, at `now`: expired (a lapse status, the
 * expiry date passed, or in grace with the registrar's term ended), in grace (auto renew
 * period, unless the registrar's record shows a renewed term), on hold, or registered.
 * Unregistered and unknown verdicts pass unchanged. An expiration the registry reports but
 * that is not a date could be in the past: the domain is then not judged (unknown) unless a
 * status already says lapsed, grace or hold. Judging again gives the same answer.
 */
function judgeVerdict(verdict, now) {
    if (verdict.state === "unknown" || verdict.state === "unregistered")
        return verdict;
    const unknownStatuses = unknownStatusesOf(verdict.statuses);
    const said = { ...verdict, unknownStatuses };
    const isExpired = lapseReason(verdict, now) !== undefined;
    const renewed = (() => {
        const term = registrarTermOf(verdict);
        return term !== undefined && !isPast(term, now);
    })();
    const inGrace = verdict.statuses.some(isGraceStatus) && !renewed;
    const isOnHold = verdict.statuses.some(isHoldStatus);
    if (!isExpired && !inGrace && !isOnHold && verdict.unreadableExpiry !== undefined) {
        return {
            ...said,
            state: "unknown",
            errorCode: "malformed",
            error: `${verdict.server ?? "the RDAP server"}: the expiration date ${JSON.stringify(verdict.unreadableExpiry)} is not a date, so the expiry could not be judged`,
        };
    }
    const state = isExpired ? "expired" : inGrace ? "grace" : isOnHold ? "on-hold" : "registered";
    return { ...said, state };
}
/** Maintainer-domain states whose mail servers are asked about and judged: the domain takes mail. */
const TAKES_MAIL = new Set(["registered", "on-hold", "grace"]);
/**
 * Whether an `unknown` verdict was still looked at: RDAP said "not found" but DNS shows the
 * domain delegated, so it is registered (not a lapse to report) though its dates could not be
 * read. It counts as checked for coverage, and is listed apart from the lookups that failed.
 */
function settledByDns(verdict) {
    return verdict.state === "unknown" && verdict.errorCode === "dns-contradicts";
}
/**
 * Once per TLD: the registries that answered without an expiry date for every domain asked
 * (`.de`, `.no`, `.fi` ...),
 * where only unregistered names and the states statuses show (hold, redemption, quarantine ...)
 * can be detected, never a passed or coming expiry.
 */
function coverageLimits(domains) {
    const without = new Map();
    const withExpiry = new Set();
    for (const v of domains) {
        if (v.state === "unknown" || v.state === "unregistered")
            continue;
        const tld = v.domain.split(".").pop() ?? v.domain;
        if (v.expires !== undefined || v.unreadableExpiry !== undefined)
            withExpiry.add(tld);
        else
            without.set(tld, (without.get(tld) ?? new Set()).add(v.domain));
    }
    // A registry that gave any of its domains an expiry does publish one.
    return [...without.keys()]
        .filter((tld) => !withExpiry.has(tld))
        .sort()
        .map((tld) => ({
        tld,
        domains: [...(without.get(tld) ?? [])].sort(),
        note: `The .${tld} registry publishes no expiry date: only unregistered domains and the states its statuses show (hold, redemption, quarantine, ...) can be detected there, not a passed or coming expiry.`,
    }));
}
/**
 * The states a domain finding is made of: a lapse. A verdict in one of them is kept by the
 * cache past its time to live, to stand in for a lookup of the domain that fails later.
 */
const LAPSED_STATES = new Set([
    "unregistered",
    "expired",
    "grace",
    "on-hold",
]);

;// CONCATENATED MODULE: ./src/discover/write.ts
// Writing a file whole: to a temporary file beside it, then renamed over it, so that a reader
// (or the next run) never finds half a report or half a cache, and a write that fails leaves the
// old file as it was. A symbolic link stays a link: the file it points at is the one replaced.
// What cannot be replaced is written to directly: a path that is not a regular file (a device,
// a pipe), a link that does not lead to one, and a link into /proc or /dev/fd (`/dev/stdout`:
// replacing what it points at would unlink the file a shell redirected the stream to).



/**
 * Write `text` to `file` whole (parent folders made). A new file gets `mode`; a file replaced
 * keeps its own. Throws what the file system said.
 */
async function writeWhole(file, text, mode = 0o644) {
    const asked = (0,external_node_path_.resolve)(file);
    await (0,promises_.mkdir)((0,external_node_path_.dirname)(asked), { recursive: true });
    const target = await replaceable(asked);
    if (target === undefined) {
        await (0,promises_.writeFile)(asked, text);
        return;
    }
    const existing = await (0,promises_.stat)(target).catch(() => undefined);
    const keep = existing ? existing.mode & 0o7777 : undefined;
    const temp = `${target}.${process.pid}.${(0,external_node_crypto_.randomBytes)(4).toString("hex")}.tmp`;
    try {
        await (0,promises_.writeFile)(temp, text, { mode: keep ?? mode });
        if (keep !== undefined)
            await (0,promises_.chmod)(temp, keep);
        await (0,promises_.rename)(temp, target);
    }
    catch (error) {
        await (0,promises_.rm)(temp, { force: true }).catch(() => undefined);
        throw error;
    }
}
/**
 * The regular file (or the new one) a write to `path` replaces; undefined when it must be written
 * to as it is (see the head of this file).
 */
async function replaceable(path) {
    if (await reachesProcOrDev(path))
        return undefined;
    const info = await (0,promises_.lstat)(path).catch(() => undefined);
    if (!info || info.isFile())
        return path;
    if (!info.isSymbolicLink())
        return undefined;
    const real = await (0,promises_.realpath)(path).catch(() => undefined);
    if (real === undefined)
        return undefined; // dangling: the write makes the file it names
    return (await (0,promises_.stat)(real)).isFile() ? real : undefined;
}
const PROC_OR_DEV = /^\/(proc|dev)(\/|$)/;
/**
 * Whether `path`, followed link by link (its folders through their real paths), passes through
 * /proc or /dev: `/dev/stdout`, `/dev/fd/3`, or a link (or a folder link) to one of them, whose
 * real path would be the file a shell sent the stream to.
 */
async function reachesProcOrDev(path) {
    let current = path;
    for (let hop = 0; hop < 40; hop++) {
        const folder = await (0,promises_.realpath)((0,external_node_path_.dirname)(current)).catch(() => (0,external_node_path_.dirname)(current));
        if (PROC_OR_DEV.test(folder))
            return true;
        const here = (0,external_node_path_.resolve)(folder, (0,external_node_path_.basename)(current));
        const info = await (0,promises_.lstat)(here).catch(() => undefined);
        if (!info?.isSymbolicLink())
            return false;
        // Its folder is judged at the next hop, by real path: `/proc/self/cwd/x` is a plain file.
        current = linkTextTarget(folder, await (0,promises_.readlink)(here));
    }
    return true; // a chain this long is not replaced
}
/**
 * Where a link's text points, as the kernel reads it: from the link's (real) folder, with `..`
 * left for the next real-path step to apply after the links before it (`d/../fd`, with `d` a
 * link, is not `fd`).
 */
function linkTextTarget(realFolder, text) {
    return (0,external_node_path_.isAbsolute)(text) ? text : `${realFolder}/${text}`;
}
/** Why a write failed, in words, from its error code; what to do is the caller's to say. */
function writeFailure(error) {
    const code = error.code;
    switch (code) {
        case "ENOTDIR":
        case "EEXIST":
            return `a part of the path is a file, not a folder (${code})`;
        case "EISDIR":
            return "it is a folder (EISDIR)";
        case "EACCES":
        case "EPERM":
            return `permission denied (${code})`;
        case "EROFS":
            return "the file system is read-only (EROFS)";
        case "ENOSPC":
            return "no space left on the device (ENOSPC)";
        case "EFBIG":
            return "the file would be larger than allowed (EFBIG)";
        case "ENAMETOOLONG":
            return "the path is too long (ENAMETOOLONG)";
        default:
            return code ?? error.message;
    }
}

// EXTERNAL MODULE: external "node:url"
var external_node_url_ = __webpack_require__(3136);
;// CONCATENATED MODULE: ./src/domains/canonical.ts
// The canonical form of a domain name, decided once: the RDAP lookup, the verdict cache, the
// provider skip list, the allow-list and the reports all compare domains in this form.

/** ASCII (punycode), lower case, no surrounding space, no trailing dot. "" when it is not a host name. */
function canonicalDomain(domain) {
    const trimmed = domain.trim().replace(/\.+$/, "").toLowerCase();
    return (0,external_node_url_.domainToASCII)(trimmed).toLowerCase();
}

// EXTERNAL MODULE: ./node_modules/email-addresses/lib/email-addresses.js
var email_addresses = __webpack_require__(9016);
var email_addresses_default = /*#__PURE__*/__webpack_require__.n(email_addresses);
// EXTERNAL MODULE: ./node_modules/tldts/dist/cjs/index.js
var cjs = __webpack_require__(935);
;// CONCATENATED MODULE: ./src/domains/spelled-out.ts
// Addresses written out to hide them from harvesters: `kjetilja at gmail.com`, `foundation at
// djangoproject com`, `name (at) host dot org`, `ops[at]host.net`. Personal domains like these are
// the ones that lapse, so they are read, but strictly: only a field with no `@` at all, only the
// forms below, and the rewritten address must be one plain addr-spec whose host passes the Public
// Suffix List. Anything else yields nothing, so prose that happens to contain " at " stays prose.
/** At most this many addresses from one field, as for written addresses. */
const MAX_ADDRESSES = 20;
/** Longest part (between commas) looked at; real spelled-out addresses are short. */
const MAX_PART_CHARS = 254;
// ` at ` needs white space on both sides; the bracketed forms may stand without it.
const AT = /\s*[([{<]\s*at\s*[)\]}>]\s*|\s+at\s+/giu;
const DOT = /\s*[([{<]\s*dot\s*[)\]}>]\s*|\s+dot\s+/giu;
/** After the rewrite: one addr-spec, ASCII dot-atom local part, LDH host labels. */
const ADDR_SPEC = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,62})(?:\.[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,62}))+$/u;
/**
 * `host com`: a host, one space, then a final label written in lower case that is a common
 * top-level domain. Not any label the Public Suffix List knows: `Acme GmbH`, `our site`, `the
 * Shop` and `Acme Inc` would read as domains (`.gmbh`, `.site`, `.shop`, `.inc` exist).
 */
const SPACE_BEFORE_TLD = /^(.*@[\p{L}\p{N}][\p{L}\p{N}.-]*[\p{L}\p{N}]) ([a-z]{2,4})$/u;
const GENERIC_TLDS = new Set(["com", "org", "net", "edu", "gov", "info", "biz", "io"]);
/** Two-letter country codes that are also words or abbreviations in names and prose. */
const WORDLIKE_CCTLDS = new Set("ad ai am an as at be by co do go hi id in is it la me mo my no oh ok on or so to tv us we".split(" "));
function tldLooking(label) {
    return GENERIC_TLDS.has(label) || (label.length === 2 && !WORDLIKE_CCTLDS.has(label));
}
function rewrite(part) {
    // `Jane <jane at example dot org>`: the bracketed part is the address.
    let text = part.replace(/<\s*(at|dot)\s*>/giu, " [$1] ");
    const bracketed = /<([^<>]*)>/u.exec(text);
    if (bracketed)
        text = bracketed[1] ?? "";
    text = text.trim().replace(AT, "@").replace(DOT, ".");
    const ats = text.split("@").length - 1;
    if (ats !== 1)
        return undefined;
    const spaced = SPACE_BEFORE_TLD.exec(text);
    if (spaced && tldLooking(spaced[2]))
        text = `${spaced[1]}.${spaced[2]}`;
    return ADDR_SPEC.test(text) ? text : undefined;
}
/**
 * The first `max` characters of `value`, ending at the last separator before the cut: an
 * address cut in the middle (`jane at example dot co dot uk` to `... dot co`) names another.
 */
function cutAtSeparator(value, max) {
    if (value.length <= max)
        return value;
    const cut = value.slice(0, max);
    const last = Math.max(cut.lastIndexOf(","), cut.lastIndexOf(";"), cut.lastIndexOf("\n"));
    return last > 0 ? cut.slice(0, last) : "";
}
/** A final comment in parentheses, other than a spelled-out `(at)` / `(dot)`. */
const FINAL_COMMENT = /\s*\(((?!\s*(?:at|dot)\s*\))[^()]*)\)$/iu;
/**
 * The address one part spells out, and the text it was read from. A comment in parentheses at
 * the end names the person (`jane at example dot org (Jane Doe)`), unless the address is in it
 * (`Jane Doe (jane at example dot org)`): the text before it is tried first, then the comment.
 */
function spelledOutPart(whole) {
    const text = whole.replace(/\.$/u, "");
    const comment = FINAL_COMMENT.exec(text);
    const candidates = comment ? [text.slice(0, comment.index), comment[1]] : [text];
    for (const candidate of candidates) {
        const part = candidate
            .trim()
            // A label before the address (`Maintainer: jane at example dot org`).
            .replace(/^[\p{L} .'-]{1,40}:\s+/u, "")
            // A full stop ending the sentence.
            .replace(/\.$/u, "")
            .trim();
        if (part === "" || part.length > MAX_PART_CHARS)
            continue;
        const address = rewrite(part);
        if (address)
            return { address, part };
    }
    return undefined;
}
/**
 * The spelled-out addresses in a field value that has no `@`. Parts are separated by commas or
 * semicolons; each must rewrite to exactly one plain address, else it is left out. A value with
 * an `@` is the RFC 822 reader's business and yields nothing here. The caller still checks the
 * host against the Public Suffix List (`extractEmails` drops those that fail).
 */
function parseSpelledOut(value) {
    if (value.includes("@"))
        return [];
    const out = [];
    const seen = new Set();
    for (const raw of cutAtSeparator(value, 4096).split(/[,;\n]/u)) {
        const found = spelledOutPart(raw.trim());
        if (!found)
            continue;
        const { address, part } = found;
        const key = address.toLowerCase();
        if (seen.has(key))
            continue;
        seen.add(key);
        out.push({ address, written: part });
        if (out.length >= MAX_ADDRESSES)
            break;
    }
    return out;
}

;// CONCATENATED MODULE: ./src/domains/emails.ts
// Maintainer e-mail addresses from PyPI metadata, and the registrable domain of each.
// Everything here is untrusted text from a package's metadata: bounded, validated, never trusted.




/** The metadata fields addresses are read from, in the order they are reported. */
const EMAIL_FIELDS = [
    "author_email",
    "maintainer_email",
    "author",
    "maintainer",
];
/** Longer field values are cut: real address lists are short, hostile ones need not be read whole. */
const MAX_FIELD_CHARS = 4096;
/** At most this many addresses are taken from one field. */
const MAX_ADDRESSES_PER_FIELD = 20;
/** Placeholders that mean "no value" in old metadata (distutils wrote UNKNOWN). */
const PLACEHOLDERS = new Set(["", "unknown", "none", "null", "n/a", "-"]);
// A conservative addr-spec for text the RFC 822 parser rejects: a dot-atom local part, then a
// host of letters, digits and hyphens (any script, for IDNs) with at least one dot, or an
// address literal in brackets (reported as invalid-host, never looked up).
const LOOSE_ADDRESS = /[\p{L}\p{N}!#$%&'*+/=?^_`{|}~-]+(?:\.[\p{L}\p{N}!#$%&'*+/=?^_`{|}~-]+)*@(?:\[[^\]\s]{1,64}\]|[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,62})(?:\.[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,62}))+)/gu;
/** A host as domains and IP literals are written: letters, digits, `-` and `.`, or `[...]`. */
const PLAIN_HOST = /^(?:[\p{L}\p{N}.-]+|\[[^\]\s]+\])$/u;
function isPlaceholder(value) {
    return PLACEHOLDERS.has(value.trim().toLowerCase());
}
// The shapes nearly every package uses, read without the full RFC 822 grammar: a bare
// address or `Display Name <address>`, comma-separated, no quotes, comments or escapes.
const SIMPLE_ENTRY = /^\s*(?:([^<>"@,;()\\]*)<\s*([A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)\s*>|([A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+))\s*$/;
/** Longest display name kept: real names are short, hostile ones need not be carried whole. */
const MAX_NAME_CHARS = 120;
/**
 * A display name as text for people: control and format characters dropped, white space
 * collapsed, bounded; undefined when nothing (or a placeholder) is left.
 */
function displayName(raw) {
    if (typeof raw !== "string")
        return undefined;
    const text = raw
        .slice(0, MAX_NAME_CHARS * 4)
        .replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, " ")
        .replace(/\s+/gu, " ")
        .trim();
    // An address where a name should be is not a name (`author` holding `jane@example.org`).
    if (text === "" || isPlaceholder(text) || /[^\s@<]@[^\s@]+\.[^\s@]/.test(text))
        return undefined;
    const chars = [...text];
    return chars.length > MAX_NAME_CHARS ? `${chars.slice(0, MAX_NAME_CHARS - 1).join("")}…` : text;
}
function withName(address, name) {
    const clean = displayName(name);
    return clean === undefined ? { address } : { address, name: clean };
}
function parseSimple(text) {
    if (/["()\\;]/.test(text))
        return undefined;
    const out = [];
    for (const part of text.split(",")) {
        const match = SIMPLE_ENTRY.exec(part);
        if (!match)
            return undefined;
        out.push(match[2] !== undefined ? withName(match[2], match[1]) : { address: match[3] });
    }
    return out;
}
function parseWithLibrary(text) {
    let result = null;
    try {
        result = email_addresses_default()({ input: text, rfc6532: true, startAt: "address-list" });
    }
    catch {
        return undefined;
    }
    if (!result)
        return undefined;
    const out = [];
    for (const entry of result.addresses) {
        if (entry.type === "mailbox")
            out.push(withName(entry.address, entry.name));
        else
            for (const member of entry.addresses ?? [])
                out.push(withName(member.address, member.name));
    }
    return out;
}
/**
 * The addresses in an RFC 822 address list as written in `author_email` and friends:
 * `Name <a@b>`, several comma-separated, quoted names with commas, non-ASCII names, bare
 * addresses. When the list is not valid RFC 822 (semicolons, missing brackets, a name without
 * quotes around a comma), the addr-specs are picked out of the text instead.
 */
function parseAddressList(value) {
    return parseListedAddresses(value).map((a) => a.address);
}
/** As `parseAddressList`, with the display name written beside each address, when there is one. */
function parseListedAddresses(value) {
    const text = cutField(value).trim();
    if (!text.includes("@"))
        return [];
    // The library takes `'`, `}` or `!` for part of a host (`'jane@x.org'` gives the host
    // `x.org'`, which is no domain): then the addr-specs are picked out of the text instead.
    const library = parseWithLibrary(text);
    const found = parseSimple(text) ??
        (library?.every((a) => PLAIN_HOST.test(hostOf(a.address))) ? library : undefined) ??
        (text.match(LOOSE_ADDRESS) ?? []).map((address) => ({ address }));
    const seen = new Set();
    const out = [];
    for (const entry of found) {
        const key = entry.address.toLowerCase();
        if (seen.has(key))
            continue;
        seen.add(key);
        out.push(entry);
        if (out.length >= MAX_ADDRESSES_PER_FIELD)
            break;
    }
    return out;
}
/**
 * The field's first MAX_FIELD_CHARS characters, ending before the entry the cut would split:
 * `jane@example.com` cut to `jane@example.co` would name another domain.
 */
function cutField(value) {
    if (value.length <= MAX_FIELD_CHARS)
        return value;
    const cut = value.slice(0, MAX_FIELD_CHARS);
    const lastSeparator = Math.max(cut.lastIndexOf(","), cut.lastIndexOf(";"), cut.search(/\s\S*$/));
    return lastSeparator > 0 ? cut.slice(0, lastSeparator) : "";
}
/** The host part of an address (after the last `@`), as written. */
function hostOf(address) {
    const at = address.lastIndexOf("@");
    return at < 0 ? "" : address.slice(at + 1);
}
const LDH_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}$/;
/**
 * Reduce a host to its registrable domain (Public Suffix List, ICANN section): IDNs to ASCII,
 * lower case, no trailing dot. `cs.uni.edu` -> `uni.edu`, `foo.co.uk` -> `foo.co.uk`.
 * IP literals, hosts that are not LDH labels, and hosts outside any public suffix are refused
 * with a reason: they are reported, never looked up.
 */
function registrableDomain(rawHost) {
    const written = rawHost.trim().replace(/\.$/, "");
    if (written.startsWith("[") || IPV4.test(written)) {
        return { ok: false, host: written, reason: "the host is an IP address literal, not a domain" };
    }
    const host = canonicalDomain(written);
    if (!host)
        return { ok: false, host: written, reason: "the host is not a valid domain name" };
    const labels = host.split(".");
    if (host.length > 253 || labels.length < 2 || !labels.every((l) => LDH_LABEL.test(l))) {
        return {
            ok: false,
            host,
            reason: "the host is not a valid domain name (letters, digits and hyphens, labels of 1 to 63)",
        };
    }
    const parsed = (0,cjs/* parse */.qg)(host, { allowPrivateDomains: false });
    if (parsed.isIp) {
        return { ok: false, host, reason: "the host is an IP address literal, not a domain" };
    }
    if (!parsed.isIcann || !parsed.domain) {
        return { ok: false, host, reason: "the host is not under a public top-level domain" };
    }
    return { ok: true, host, domain: parsed.domain };
}
/** The fields where an address may be spelled out (`jane at example dot org`). */
const SPELLED_OUT_FIELDS = new Set(["author_email", "maintainer_email"]);
/**
 * The maintainer addresses in a PyPI `info` object, each with the field it came from and its
 * registrable domain (or why it has none). Empty, `null`, `UNKNOWN` and `None` values are
 * ignored. The same address in two fields is kept once, under the first field. In
 * `author_email` and `maintainer_email`, a value without any `@` is read for spelled-out
 * addresses; one is kept only when its host passes the Public Suffix List, and it carries the
 * text as written in `spelledOut`.
 */
function extractEmails(info) {
    const out = [];
    const seen = new Set();
    for (const field of EMAIL_FIELDS) {
        const value = info[field];
        if (typeof value !== "string" || isPlaceholder(value))
            continue;
        // The name beside an address field: `author` for `author_email`, `maintainer` for
        // `maintainer_email` (when it is a name, not itself an address).
        const beside = NAME_FIELD[field] !== undefined ? displayName(info[NAME_FIELD[field]]) : undefined;
        if (SPELLED_OUT_FIELDS.has(field) && !value.includes("@")) {
            for (const { address, written } of parseSpelledOut(value)) {
                const key = address.toLowerCase();
                const check = registrableDomain(hostOf(address));
                if (seen.has(key) || !check.ok)
                    continue;
                seen.add(key);
                const email = {
                    address,
                    field,
                    domain: check.domain,
                    spelledOut: written,
                };
                if (beside !== undefined)
                    email.name = beside;
                out.push(email);
            }
            continue;
        }
        for (const listed of parseListedAddresses(value)) {
            const { address } = listed;
            const key = address.toLowerCase();
            if (seen.has(key))
                continue;
            seen.add(key);
            const check = registrableDomain(hostOf(address));
            const email = check.ok
                ? { address, field, domain: check.domain }
                : { address, field, skipped: "invalid-host", skipReason: check.reason };
            const name = listed.name ?? beside;
            if (name !== undefined)
                email.name = name;
            out.push(email);
        }
    }
    return out;
}
/** The field that names the person of an address field. */
const NAME_FIELD = {
    author_email: "author",
    maintainer_email: "maintainer",
};
/** Mark the addresses at large mail providers (the skip list) as skipped. */
function markProviders(emails, skip) {
    return emails.map((email) => {
        if (email.skipped === "invalid-host")
            return email;
        const host = canonicalDomain(hostOf(email.address));
        if (skip.has(host, email.domain))
            return { ...email, skipped: "provider" };
        if (email.skipped === "provider") {
            // A cached entry marked under another run's list: this run's list decides.
            const { skipped: _skipped, ...rest } = email;
            return rest;
        }
        return email;
    });
}
/**
 * The domains of these addresses (or links, or mail servers) that need a lookup: not skipped,
 * with a domain; in order, each once.
 */
function domainsToCheck(items) {
    const out = new Set();
    for (const item of items)
        if (!item.skipped && item.domain)
            out.add(item.domain);
    return [...out];
}

;// CONCATENATED MODULE: ./src/domains/links.ts


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
function httpUrl(raw) {
    if (typeof raw !== "string")
        return undefined;
    const text = raw.trim();
    if (text === "" || text.length > MAX_URL_CHARS)
        return undefined;
    let url;
    try {
        url = new URL(text);
    }
    catch {
        return undefined;
    }
    if (url.protocol !== "http:" && url.protocol !== "https:")
        return undefined;
    return url.hostname === "" ? undefined : url;
}
/** A project link without its credentials. */
function parseLink(raw) {
    const url = httpUrl(raw);
    if (!url)
        return undefined;
    url.username = "";
    url.password = "";
    return url;
}
function label(raw) {
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
function extractLinks(info) {
    const entries = [];
    const urls = info.project_urls;
    if (typeof urls === "object" && urls !== null && !Array.isArray(urls)) {
        for (const [key, value] of Object.entries(urls).slice(0, MAX_LINKS))
            entries.push([key, value]);
    }
    entries.push(["Homepage", info.home_page], ["Download", info.download_url]);
    const out = [];
    const seen = new Set();
    for (const [rawLabel, rawUrl] of entries) {
        const url = parseLink(rawUrl);
        if (!url || seen.has(url.href))
            continue;
        seen.add(url.href);
        const host = canonicalDomain(url.hostname.replace(/^\[|\]$/g, ""));
        const link = { label: label(rawLabel), url: url.href, host };
        const check = registrableDomain(host);
        if (check.ok)
            link.domain = check.domain;
        out.push(link);
        if (out.length >= MAX_LINKS)
            break;
    }
    return out;
}
/** Mark the links on code hosts and platforms that do not lapse (the skip list) as skipped. */
function markPlatforms(links, skip) {
    return links.map((link) => {
        if (link.domain !== undefined && skip.has(link.host, link.domain))
            return { ...link, skipped: "platform" };
        if (link.skipped === undefined)
            return link;
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
const squash = (text) => text.toLowerCase().replace(/[\s._-]+/g, "");
/** The issues page of a repository URL on a known code host, or undefined. */
function issuesPageOf(url) {
    const parts = url.pathname.split("/").filter(Boolean);
    const host = url.hostname.toLowerCase();
    const repo = parts.slice(0, 2).map((p) => p.replace(/\.git$/, ""));
    if (repo.length < 2 || !repo.every((p) => /^[A-Za-z0-9_.-]{1,100}$/.test(p)))
        return undefined;
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
function issueTracker(links) {
    for (const link of links) {
        if (TRACKER_LABELS.has(squash(link.label)))
            return link.url;
    }
    for (const link of links) {
        if (!REPOSITORY_LABELS.has(squash(link.label)))
            continue;
        let url;
        try {
            url = new URL(link.url);
        }
        catch {
            continue;
        }
        const page = issuesPageOf(url);
        if (page)
            return page;
    }
    return undefined;
}

;// CONCATENATED MODULE: ./src/scan/cache.ts
// Usage:
//   const cache = await openCache(".domain-guard-cache.json", {
//     maxAgeMs: options.cacheMaxAgeMs, log, scope: cacheScope(options) });
//   const report = await scan(set, options, { now, fetch, cache });   // reads and fills it
//   await cache.save();                                               // temp file + rename
//
// The verdict cache across runs: RDAP verdicts keyed by registrable domain and PyPI metadata
// keyed by normalised package name, stored as one versioned JSON file. How long a verdict is
// trusted depends on what was seen (see verdictTtlMs); `unknown` is never stored. Metadata is
// trusted for the index's max-age, then kept (up to the cache-max-age ceiling) with its ETag /
// Last-Modified so the next run revalidates it: a 304 refreshes it without a body. A cache file
// is untrusted input: a corrupt, mistyped or future-version file, or an entry that does not
// have the expected shape, is dropped with a warning and never fails the scan. A file holds the
// answers of one scope (the index, RDAP bootstrap and DNS server they came from): a run with
// other settings does not use it. Only what a live answer can give is read back: every field is
// checked, and what is derived (an address's domain, a link's host) is derived again. A path
// that is a symbolic link, not a regular file, or a file that is not a cache of this tool is
// neither read nor written.







/**
 * The file format version this build reads and writes. 3: the file names its scope (the
 * settings its answers came from); a version 2 file is not read (it does not say which index
 * or registry answered). 2: metadata carries the project's links and the maintainers' names.
 */
const CACHE_VERSION = 3;
/** The settings a cache's answers depend on, by their option names. */
function cacheScope(options) {
    const hash = (value) => (0,external_node_crypto_.createHash)("sha256")
        .update(JSON.stringify(value ?? null))
        .digest("hex")
        .slice(0, 16);
    return {
        "pypi-url": hash(options.pypiUrl),
        "rdap-bootstrap": hash(options.rdapBootstrap),
        "dns-server": hash(options.dnsServer),
        "index-urls": hash(options.indexUrls),
    };
}
/** The settings whose hash differs between two scopes (a setting missing from either counts). */
function scopeDifference(a, b) {
    const names = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...names].filter((n) => a[n] !== b[n]).sort();
}
const HOUR_MS = 3_600_000;
const cache_DAY_MS = 24 * HOUR_MS;
/** A registered domain whose expiry is further away than this is "stable". */
const STABLE_EXPIRY_MARGIN_MS = 90 * cache_DAY_MS;
/** Longest trust for a stable registered domain (the configured ceiling may lower it). */
const STABLE_TTL_MS = 7 * cache_DAY_MS;
/** Registered but expiring within 90 days, or with no expiry date at all. */
const UNSTABLE_TTL_MS = 6 * HOUR_MS;
/** Expired, on hold or unregistered: the state may be changing, check again soon. */
const CHANGING_TTL_MS = 1 * HOUR_MS;
/** A cache file larger than this is not read (it is not one we wrote for a sane scan). */
const MAX_FILE_BYTES = 64 * 1024 * 1024;
/** An entry stored further in the future than this (clock skew, an edited file) is not trusted. */
const FUTURE_TOLERANCE_MS = 5 * 60_000;
/** A stored key must look like what the scan stores: an ASCII registrable domain, a PEP 503 name. */
const DOMAIN_SHAPE = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}$/;
const PACKAGE_SHAPE = /^[a-z0-9](?:[a-z0-9-]{0,200}[a-z0-9])?$/;
const STATES = [
    "registered",
    "unregistered",
    "expired",
    "grace",
    "on-hold",
    "unknown",
];
/**
 * How long a verdict may be trusted from `now`, or 0 for "do not store". Capped by `ceilingMs`
 * and by the domain's own expiry date when that is still ahead: a verdict is never trusted past
 * the moment the registry said the registration ends.
 */
function verdictTtlMs(verdict, now, ceilingMs) {
    const nowMs = now.getTime();
    const expiresMs = verdict.expires ? Date.parse(verdict.expires) : NaN;
    let ttl;
    switch (verdict.state) {
        case "registered":
            ttl =
                Number.isFinite(expiresMs) && expiresMs - nowMs > STABLE_EXPIRY_MARGIN_MS
                    ? STABLE_TTL_MS
                    : UNSTABLE_TTL_MS;
            break;
        case "expired":
        case "grace":
        case "on-hold":
        case "unregistered":
            ttl = CHANGING_TTL_MS;
            break;
        default:
            return 0;
    }
    ttl = Math.min(ttl, ceilingMs);
    if (Number.isFinite(expiresMs) && expiresMs > nowMs)
        ttl = Math.min(ttl, expiresMs - nowMs);
    return ttl > 0 ? ttl : 0;
}
/** A VerdictCache kept in memory and written back to one JSON file by `save()`. */
class FileVerdictCache {
    file;
    stats = {
        verdictHits: 0,
        verdictMisses: 0,
        packageHits: 0,
        packageMisses: 0,
        packageRevalidations: 0,
    };
    verdicts = new Map();
    packages = new Map();
    maxAgeMs;
    log;
    scope;
    /** False when the path must not be written (a link, a device, another tool's file). */
    writable;
    /** The latest clock reading passed in, so that save() prunes on the scan's clock. */
    lastNow;
    constructor(file, opts, data, writable = true) {
        this.file = file;
        this.maxAgeMs = opts.maxAgeMs;
        this.log = opts.log;
        this.scope = { ...opts.scope };
        this.writable = writable;
        if (data) {
            for (const [k, v] of Object.entries(data.verdicts))
                this.verdicts.set(k, v);
            for (const [k, v] of Object.entries(data.packages))
                this.packages.set(k, v);
        }
    }
    /** Number of stored verdicts and packages (expired ones included until the next save). */
    get size() {
        return { verdicts: this.verdicts.size, packages: this.packages.size };
    }
    getVerdict(domain, now) {
        this.seen(now);
        const entry = this.verdicts.get(canonicalDomain(domain));
        if (!entry || !this.isFresh(entry, now)) {
            this.stats.verdictMisses++;
            return undefined;
        }
        this.stats.verdictHits++;
        return { ...entry.verdict, statuses: [...entry.verdict.statuses], source: "cache" };
    }
    /**
     * A verdict of a domain that had lapsed (unregistered, expired, in grace, on hold), stored
     * within the ceiling (`cache-max-age`) though past its own time to live: told, marked, in place
     * of a lookup that failed this run. Not counted as a hit.
     */
    getLapsedVerdict(domain, now) {
        const entry = this.verdicts.get(canonicalDomain(domain));
        if (!entry || !LAPSED_STATES.has(entry.verdict.state) || !this.withinCeiling(entry, now))
            return undefined;
        return { ...entry.verdict, statuses: [...entry.verdict.statuses], source: "cache" };
    }
    putVerdict(verdict, now) {
        this.seen(now);
        const key = canonicalDomain(verdict.domain);
        const ttl = verdictTtlMs(verdict, now, this.maxAgeMs);
        if (ttl <= 0) {
            // `unknown` (or a verdict that is already stale) replaces nothing and is not stored: an
            // older, still fresh verdict stays.
            return;
        }
        // Mail servers are asked afresh each run, never kept with the verdict.
        const { mx: _mx, ...rest } = verdict;
        const stored = {
            ...rest,
            domain: key,
            statuses: [...verdict.statuses],
            source: "rdap",
        };
        this.verdicts.set(key, {
            verdict: stored,
            storedAt: now.toISOString(),
            expiresAt: new Date(now.getTime() + ttl).toISOString(),
        });
    }
    getPackage(name, now) {
        this.seen(now);
        const entry = this.packages.get(name);
        if (!entry || !this.isFresh(entry, now)) {
            this.stats.packageMisses++;
            return undefined;
        }
        this.stats.packageHits++;
        return { ...entry.meta, emails: entry.meta.emails.map((e) => ({ ...e })), cached: true };
    }
    /**
     * Store an answer for its max-age (capped by the ceiling). With validators it is stored even
     * without a max-age, stale at once: then it is only ever revalidated, never trusted as is.
     */
    putPackage(meta, now, maxAgeSeconds, validators) {
        this.seen(now);
        const hasValidators = validators !== undefined && (!!validators.etag || !!validators.lastModified);
        const maxAge = maxAgeSeconds !== undefined && Number.isFinite(maxAgeSeconds) && maxAgeSeconds > 0
            ? maxAgeSeconds
            : 0;
        if (maxAge === 0 && !hasValidators)
            return;
        // Only answers the index gave: an error is retried next run.
        if (meta.status !== "ok" && meta.status !== "not-found")
            return;
        const ttl = Math.min(maxAge * 1000, this.maxAgeMs);
        if (ttl <= 0 && !hasValidators)
            return;
        const { cached: _cached, ...rest } = meta;
        const entry = {
            meta: { ...rest, emails: meta.emails.map((e) => ({ ...e })) },
            storedAt: now.toISOString(),
            expiresAt: new Date(now.getTime() + Math.max(0, ttl)).toISOString(),
        };
        if (hasValidators)
            entry.validators = { ...validators };
        this.packages.set(meta.name, entry);
    }
    /**
     * An entry past its max-age that the index can revalidate: it has an ETag or Last-Modified
     * and was stored (or last refreshed) within the cache-max-age ceiling.
     */
    getStalePackage(name, now) {
        this.seen(now);
        const entry = this.packages.get(name);
        if (!entry?.validators || this.isFresh(entry, now) || !this.isRevalidatable(entry, now))
            return undefined;
        this.stats.packageRevalidations++;
        return {
            meta: { ...entry.meta, emails: entry.meta.emails.map((e) => ({ ...e })) },
            validators: { ...entry.validators },
        };
    }
    /**
     * Write the cache back: entries still fresh at `now` only, to a temporary file in the same
     * directory, then renamed over the old one (a reader never sees half a file). A failed write
     * is a warning, not an error: the scan's result does not depend on it. `now` defaults to the
     * latest clock reading the scan passed in (nothing is pruned when there was none).
     */
    async save(now = this.lastNow) {
        // Opening it said why (a link, a device, a file that is not a cache of ours).
        if (!this.writable)
            return false;
        const data = {
            version: CACHE_VERSION,
            scope: this.scope,
            verdicts: {},
            packages: {},
        };
        for (const key of [...this.verdicts.keys()].sort()) {
            const entry = this.verdicts.get(key);
            // A lapse is kept up to the ceiling, to stand in for a lookup that fails later; one stored
            // "in the future" (this run's clock is behind) is not trusted, but not dropped either.
            const storedMs = Date.parse(entry.storedAt);
            const ahead = now !== undefined && storedMs > now.getTime() && storedMs - now.getTime() < this.maxAgeMs;
            const lapsed = LAPSED_STATES.has(entry.verdict.state) && (ahead || this.withinCeiling(entry, now));
            if (!now || this.isFresh(entry, now) || lapsed)
                setOwn(data.verdicts, key, entry);
        }
        for (const key of [...this.packages.keys()].sort()) {
            const entry = this.packages.get(key);
            if (!now || this.isFresh(entry, now) || this.isRevalidatable(entry, now))
                setOwn(data.packages, key, entry);
        }
        try {
            await writeWhole(this.file, JSON.stringify(data) + "\n");
            return true;
        }
        catch (error) {
            this.log(warning(`${this.file}: could not write the cache: ${error.message}`));
            return false;
        }
    }
    seen(now) {
        if (!this.lastNow || now.getTime() > this.lastNow.getTime())
            this.lastNow = now;
    }
    /** Stored no longer ago than the ceiling (and not in the future), whatever its own expiry. */
    withinCeiling(entry, now) {
        if (!now)
            return true;
        const nowMs = now.getTime();
        const storedMs = Date.parse(entry.storedAt);
        if (!Number.isFinite(storedMs) || storedMs > nowMs + FUTURE_TOLERANCE_MS)
            return false;
        return nowMs < storedMs + this.maxAgeMs;
    }
    /** Stale but worth keeping: it has validators and was stored within the ceiling. */
    isRevalidatable(entry, now) {
        return entry.validators !== undefined && this.withinCeiling(entry, now);
    }
    isFresh(entry, now) {
        const nowMs = now.getTime();
        const storedMs = Date.parse(entry.storedAt);
        const expiresMs = Date.parse(entry.expiresAt);
        if (!Number.isFinite(storedMs) || !Number.isFinite(expiresMs))
            return false;
        if (storedMs > nowMs + FUTURE_TOLERANCE_MS)
            return false;
        // The ceiling applies to what is read as well: lowering cache-max-age takes effect at once,
        // and an edited file cannot make an entry trusted for longer.
        return nowMs < Math.min(expiresMs, storedMs + this.maxAgeMs);
    }
}
/**
 * Open (or start) a cache file. A missing or empty file is an empty cache, silently. A file that
 * cannot be read, has the wrong shape, a version this build does not know or another scope is
 * not used, with one warning through `log`; the next `save()` replaces it. A path that is a
 * symbolic link or not a regular file, or a file that is not a cache of this tool (not JSON, or
 * JSON of another kind), is neither read nor written: the file is left as it is.
 */
async function openCache(file, opts) {
    const empty = () => new FileVerdictCache(file, opts);
    const untouched = (why) => {
        if (opts.ownPath) {
            opts.log(warning(`${file}: ${why}; the cache is ignored and will be rewritten`));
            return empty();
        }
        opts.log(warning(`${file}: ${why}; it is left as it is, and no cache is kept this run`));
        return new FileVerdictCache(file, opts, undefined, false);
    };
    let text;
    try {
        const info = await (0,promises_.lstat)(file);
        if (info.isSymbolicLink())
            return untouched("the cache path is a symbolic link (give the file's own path)");
        if (!info.isFile())
            return untouched("the cache path is not a regular file");
        if (info.size > MAX_FILE_BYTES) {
            return untouched(`the cache file is ${info.size} bytes, over the ${MAX_FILE_BYTES}-byte limit of a cache this tool writes`);
        }
        text = await (0,promises_.readFile)(file, "utf8");
    }
    catch (error) {
        if (error.code === "ENOENT")
            return empty();
        opts.log(warning(`${file}: could not read the cache: ${error.message}; ignored`));
        return empty();
    }
    if (text.trim() === "")
        return empty();
    const parsed = parseCacheFile(text);
    if (!parsed.ok) {
        if (parsed.foreign && !opts.ownPath)
            return untouched(`${parsed.error}: not a cache file of this tool (choose another file)`);
        opts.log(warning(`${file}: ${parsed.error}; the cache is ignored and will be rewritten`));
        return empty();
    }
    const differ = scopeDifference(parsed.data.scope, opts.scope);
    if (differ.length > 0) {
        opts.log(warning(`${file}: the cache was written with another ${differ.join(", ")}; its answers are not used, and the file will be rewritten for this one`));
        return empty();
    }
    if (parsed.dropped > 0) {
        opts.log(warning(`${file}: ${parsed.dropped} cache ${parsed.dropped === 1 ? "entry has" : "entries have"} an unexpected shape and ${parsed.dropped === 1 ? "was" : "were"} ignored`));
    }
    return new FileVerdictCache(file, opts, parsed.data);
}
function warning(text) {
    return { level: "warning", text };
}
/** Most statuses, and characters in any text field, a verdict read back may have. */
const MAX_STATUSES = 64;
const MAX_TEXT = 1000;
const MAX_EMAILS = 256;
const cache_MAX_LINKS = 256;
const MAX_ROLES = 1000;
/**
 * Validate a cache file's text. Entries with an unexpected shape are dropped and counted. What
 * the file says is never echoed (it may be any file): only why it is not used.
 */
function parseCacheFile(text) {
    let doc;
    try {
        doc = JSON.parse(text);
    }
    catch {
        return { ok: false, error: "not JSON", foreign: true };
    }
    if (!isRecord(doc))
        return { ok: false, error: "not a JSON object", foreign: true };
    const version = doc["version"];
    if (typeof version !== "number" ||
        !Number.isInteger(version) ||
        (!("verdicts" in doc) && !("packages" in doc))) {
        return { ok: false, error: "no cache format version, verdicts or packages", foreign: true };
    }
    if (version > CACHE_VERSION) {
        return {
            ok: false,
            error: `cache format version ${version} is newer than this version understands (${CACHE_VERSION})`,
        };
    }
    if (version < CACHE_VERSION)
        return { ok: false, error: `cache format version ${version} is no longer read` };
    const scope = doc["scope"];
    if (!isRecord(scope) || !Object.values(scope).every((v) => typeof v === "string"))
        return { ok: false, error: "the cache does not say which index and registries it holds" };
    const data = {
        version,
        scope: { ...scope },
        verdicts: {},
        packages: {},
    };
    let dropped = 0;
    const verdicts = doc["verdicts"] ?? {};
    const packages = doc["packages"] ?? {};
    if (!isRecord(verdicts) || !isRecord(packages)) {
        return { ok: false, error: '"verdicts" and "packages" must be objects' };
    }
    for (const [key, value] of Object.entries(verdicts)) {
        const entry = readVerdictEntry(key, value);
        if (entry)
            setOwn(data.verdicts, key, entry);
        else
            dropped++;
    }
    // Hosts repeat across packages (a provider, a code host, a shared domain): each is reduced once.
    const domainOf = memo(registrableDomain);
    for (const [key, value] of Object.entries(packages)) {
        const entry = readPackageEntry(key, value, domainOf);
        if (entry)
            setOwn(data.packages, key, entry);
        else
            dropped++;
    }
    return { ok: true, data, dropped };
}
/** Thrown inside the readers below: the entry does not have the shape a live answer gives. */
class BadEntry extends Error {
}
function bad() {
    throw new BadEntry();
}
/** An optional string field, bounded; absent stays absent. */
function optText(v, field, max = MAX_TEXT) {
    const x = v[field];
    if (x === undefined)
        return undefined;
    return typeof x === "string" && x.length <= max ? x : bad();
}
function optDate(v, field) {
    const x = v[field];
    if (x === undefined)
        return undefined;
    return isDate(x) ? x : bad();
}
function textList(x, max) {
    if (!Array.isArray(x) || x.length > max)
        bad();
    return x.map((s) => (typeof s === "string" && s.length <= MAX_TEXT ? s : bad()));
}
/** Copy the fields that are set (a JSON file has no `undefined`). */
function defined(record) {
    // A copy, not `delete`: deleting keys turns objects into slow dictionaries.
    const out = {};
    for (const key of Object.keys(record))
        if (record[key] !== undefined)
            out[key] = record[key];
    return out;
}
function readVerdictEntry(key, value) {
    try {
        if (!isRecord(value) || !isDate(value["storedAt"]) || !isDate(value["expiresAt"]))
            bad();
        const v = value["verdict"];
        if (!isRecord(v))
            bad();
        if (v["domain"] !== key || !DOMAIN_SHAPE.test(key) || key.length > 253)
            bad();
        const state = v["state"];
        if (typeof state !== "string" || !STATES.includes(state) || state === "unknown")
            bad();
        const dns = v["dns"];
        if (dns !== undefined &&
            dns !== "no-delegation" &&
            dns !== "delegated" &&
            dns !== "not-consulted")
            bad();
        const verdict = defined({
            domain: key,
            state: state,
            created: optDate(v, "created"),
            expires: optDate(v, "expires"),
            reregistered: optDate(v, "reregistered"),
            transferred: optDate(v, "transferred"),
            expiresFrom: optText(v, "expiresFrom", 100),
            registrarExpires: optDate(v, "registrarExpires"),
            statuses: textList(v["statuses"], MAX_STATUSES),
            unknownStatuses: v["unknownStatuses"] === undefined
                ? undefined
                : textList(v["unknownStatuses"], MAX_STATUSES),
            registrar: v["registrar"] === undefined ? undefined : readRegistrar(v["registrar"]),
            unreadableExpiry: optText(v, "unreadableExpiry", 200),
            error: optText(v, "error"),
            errorCode: optText(v, "errorCode", 100),
            server: optText(v, "server"),
            dns: dns,
            source: "rdap",
            checkedAt: isDate(v["checkedAt"]) ? v["checkedAt"] : bad(),
        });
        return { verdict, storedAt: value["storedAt"], expiresAt: value["expiresAt"] };
    }
    catch (error) {
        if (error instanceof BadEntry)
            return undefined;
        throw error;
    }
}
function readRegistrar(x) {
    if (!isRecord(x))
        bad();
    return defined({
        url: optText(x, "url"),
        expires: optDate(x, "expires"),
        error: optText(x, "error"),
        errorCode: optText(x, "errorCode", 100),
    });
}
function memo(fn) {
    const seen = new Map();
    return (host) => {
        let check = seen.get(host);
        if (check === undefined) {
            check = fn(host);
            seen.set(host, check);
        }
        return check;
    };
}
function readPackageEntry(key, value, domainOf) {
    try {
        if (!isRecord(value) || !isDate(value["storedAt"]) || !isDate(value["expiresAt"]))
            bad();
        const m = value["meta"];
        if (!isRecord(m) || m["name"] !== key || !PACKAGE_SHAPE.test(key))
            bad();
        const status = m["status"];
        if (status !== "ok" && status !== "not-found")
            bad();
        if (!Array.isArray(m["emails"]) || m["emails"].length > MAX_EMAILS)
            bad();
        // Every answer the scan stores has its links (possibly none): a link must not go unchecked
        // because its answer came from the cache.
        if (status === "ok" && !Array.isArray(m["links"]))
            bad();
        const meta = defined({
            name: key,
            status,
            latestVersion: optText(m, "latestVersion", 200),
            emails: m["emails"].map((e) => readEmail(e, domainOf)),
            lastReleaseAt: optDate(m, "lastReleaseAt"),
            lastUploadAt: optDate(m, "lastUploadAt"),
            lastUploadVersion: optText(m, "lastUploadVersion", 200),
            error: optText(m, "error"),
            errorCode: optText(m, "errorCode", 100),
            ownership: m["ownership"] === undefined ? undefined : readOwnership(m["ownership"]),
            links: m["links"] === undefined ? undefined : readLinks(m["links"], domainOf),
        });
        const stored = {
            meta,
            storedAt: value["storedAt"],
            expiresAt: value["expiresAt"],
        };
        const v = value["validators"];
        if (v !== undefined) {
            if (!isRecord(v))
                bad();
            const validators = {};
            for (const field of ["etag", "lastModified", "lastSerial"]) {
                const text = v[field];
                if (text === undefined)
                    continue;
                if (typeof text !== "string" || text.length > 512 || /[\r\n]/.test(text))
                    bad();
                validators[field] = text;
            }
            stored.validators = validators;
        }
        return stored;
    }
    catch (error) {
        if (error instanceof BadEntry)
            return undefined;
        throw error;
    }
}
/**
 * An address as the PyPI client would have kept it: its domain (or why it has none) derived
 * again from the address itself, never taken from the file; a provider mark is this run's.
 */
function readEmail(x, domainOf) {
    if (!isRecord(x))
        bad();
    const address = x["address"];
    const field = x["field"];
    if (typeof address !== "string" || address.length > 320 || !address.includes("@"))
        bad();
    if (typeof field !== "string" || !EMAIL_FIELDS.includes(field))
        bad();
    const check = domainOf(hostOf(address));
    const email = check.ok
        ? { address, field: field, domain: check.domain }
        : { address, field: field, skipped: "invalid-host", skipReason: check.reason };
    const spelledOut = optText(x, "spelledOut");
    if (spelledOut !== undefined) {
        // Only an address that passed the Public Suffix List is ever kept from a spelled-out field.
        if (!check.ok)
            bad();
        email.spelledOut = spelledOut;
    }
    const name = optText(x, "name");
    if (name !== undefined)
        email.name = name;
    return email;
}
/** Links as the PyPI client keeps them: the URL parsed again, its host and domain derived. */
function readLinks(x, domainOf) {
    if (!Array.isArray(x) || x.length > cache_MAX_LINKS)
        bad();
    return x.map((l) => {
        if (!isRecord(l) || typeof l["label"] !== "string" || l["label"].length > MAX_TEXT)
            bad();
        const url = httpUrl(l["url"]);
        if (!url || url.username !== "" || url.password !== "")
            bad();
        const host = canonicalDomain(url.hostname.replace(/^\[|\]$/g, ""));
        const link = { label: l["label"], url: url.href, host };
        const check = domainOf(host);
        if (check.ok)
            link.domain = check.domain;
        return link;
    });
}
function readOwnership(x) {
    if (!isRecord(x) || !Array.isArray(x["roles"]) || x["roles"].length > MAX_ROLES)
        bad();
    const roles = x["roles"].map((r) => {
        if (!isRecord(r) || typeof r["role"] !== "string" || typeof r["user"] !== "string")
            bad();
        if (r["role"].length > 100 || r["user"].length > 200)
            bad();
        return { role: r["role"], user: r["user"] };
    });
    const organization = optText(x, "organization", 200);
    return organization === undefined ? { roles } : { organization, roles };
}
/** Set a key as an own property, even `__proto__` (keys come from an untrusted file). */
function setOwn(target, key, value) {
    Object.defineProperty(target, key, {
        value,
        enumerable: true,
        writable: true,
        configurable: true,
    });
}
function isRecord(value) {
    return value !== null && typeof value === "object" && !Array.isArray(value);
}
function isDate(value) {
    return typeof value === "string" && value.length <= 64 && Number.isFinite(Date.parse(value));
}

;// CONCATENATED MODULE: ./src/lockfiles/shared/context.ts
/** Builds a Dependency, leaving `version` and `index` out when absent. */
function makeDependency(fields, format) {
    const dep = {
        name: fields.name,
        file: fields.file,
        line: Math.max(1, fields.line),
        format,
        kind: fields.kind,
    };
    if (fields.version !== undefined && fields.version !== "")
        dep.version = fields.version;
    if (fields.index !== undefined)
        dep.index = fields.index;
    return dep;
}
/** Base name of a `/`- or `\`-separated path. */
function baseName(path) {
    return path.split(/[\\/]/).pop() ?? path;
}

// EXTERNAL MODULE: ./node_modules/smol-toml/dist/index.js + 8 modules
var smol_toml_dist = __webpack_require__(3292);
;// CONCATENATED MODULE: ./src/lockfiles/shared/lines.ts
/** Offsets where each line starts; `lineOf` turns an offset into a 1-based line. */
class LineIndex {
    starts = [0];
    constructor(text) {
        for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1))
            this.starts.push(i + 1);
    }
    lineOf(offset) {
        let lo = 0;
        let hi = this.starts.length - 1;
        while (lo < hi) {
            const mid = (lo + hi + 1) >> 1;
            if (this.starts[mid] <= offset)
                lo = mid;
            else
                hi = mid - 1;
        }
        return lo + 1;
    }
    get count() {
        return this.starts.length;
    }
    /** The text of 1-based line `n` of `text` (the text this index was built from), without its end of line. */
    lineText(text, n) {
        const start = this.starts[n - 1] ?? text.length;
        const next = this.starts[n];
        return text.slice(start, next === undefined ? text.length : next - 1).replace(/\r$/, "");
    }
}
/**
 * For each `[[<table>]]` block of a TOML document, in order, the 1-based line of its first
 * `name = ` key (or of the header when the block has none). Returns undefined when the text has
 * no such headers (inline-array style), so callers fall back to `findNameLines`.
 */
function tomlArrayTableNameLines(text, table) {
    const lines = text.split("\n");
    const header = new RegExp(`^\\s*\\[\\[\\s*${table.replace(/[.]/g, "\\.")}\\s*\\]\\]\\s*(#.*)?$`);
    const anyHeader = /^\s*\[\[?\s*[A-Za-z0-9_"'.-]+\s*\]\]?\s*(#.*)?$/;
    const nameKey = /^\s*(name|"name"|'name')\s*=/;
    const result = [];
    let current = -1;
    for (let i = 0; i < lines.length; i++) {
        const line = lines[i];
        if (header.test(line)) {
            result.push(i + 1);
            current = result.length - 1;
        }
        else if (anyHeader.test(line)) {
            // A sub-table (`[package.source]`, `[[packages.wheels]]`) or another table: its keys are not the package's.
            current = -1;
        }
        else if (current >= 0 && nameKey.test(line)) {
            result[current] = i + 1;
            current = -1;
        }
    }
    return result.length > 0 ? result : undefined;
}
/**
 * Every quote of `text` that has a matching quote after it, keyed by the quote and the text up to
 * that next quote (`"requests` for `"requests"`), in order. Built in one pass, so finding where a
 * quoted literal can start costs a lookup instead of a scan of the whole text.
 */
class QuoteIndex {
    byKey = new Map();
    constructor(text) {
        for (const quote of ['"', "'"]) {
            for (let at = text.indexOf(quote); at >= 0;) {
                const next = text.indexOf(quote, at + 1);
                if (next < 0)
                    break;
                this.add(quote + text.slice(at + 1, next), at);
                at = next;
            }
        }
    }
    add(key, at) {
        const list = this.byKey.get(key);
        if (list)
            list.push(at);
        else
            this.byKey.set(key, [at]);
    }
    /**
     * In order, the offsets of the quotes that could open `<q><value><q>` for either quote `q`: a
     * superset of the real matches (exact unless `value` holds `q`), to be checked by the caller.
     */
    openings(value) {
        return mergeSorted(['"', "'"].map((quote) => {
            const inner = value.indexOf(quote);
            return this.byKey.get(quote + (inner < 0 ? value : value.slice(0, inner))) ?? [];
        }));
    }
}
/** Merges ascending lists into one ascending list without repeats. */
function mergeSorted(lists) {
    const nonEmpty = lists.filter((l) => l.length > 0);
    if (nonEmpty.length === 1)
        return nonEmpty[0].slice();
    const out = nonEmpty.flat().sort((a, b) => a - b);
    return out.filter((v, i) => i === 0 || out[i - 1] !== v);
}
/**
 * The successive matches of a pattern in a text as a global search would find them from offset 0
 * (leftmost first, each search starting where the previous match ended), given `candidates`: the
 * ascending offsets where a match could start, a superset of the real ones, and `lengthAt`: the
 * length of the match starting at an offset, or -1. Each candidate is tried at most once, so the
 * work is the candidates, not the text.
 */
class CandidateMatches {
    candidates;
    lengthAt;
    next = 0;
    /** Where the next search starts: the end of the last match, or later if the caller moves it. */
    from = 0;
    constructor(candidates, lengthAt) {
        this.candidates = candidates;
        this.lengthAt = lengthAt;
    }
    /** The offset of the first match at or after `from`, which then moves past it; -1 when none. */
    find() {
        while (this.next < this.candidates.length) {
            const at = this.candidates[this.next++];
            if (at < this.from)
                continue;
            const length = this.lengthAt(at);
            if (length >= 0) {
                this.from = at + Math.max(1, length);
                return at;
            }
        }
        return -1;
    }
}
/** `lengthAt` for CandidateMatches by a regular expression (`source`, `flags`) tried at the offset. */
function regexLengthAt(text, source, flags = "") {
    const sticky = new RegExp(source, `${flags}y`);
    return (at) => {
        sticky.lastIndex = at;
        const m = sticky.exec(text);
        return m ? m[0].length : -1;
    };
}
/** True when a string holds neither quote, so the quote index finds its quoted form exactly. */
function unquoted(value) {
    return !value.includes('"') && !value.includes("'");
}
/**
 * Finds, in order, the line of each `name = "<raw>"` occurrence (TOML inline tables), starting
 * after the previous match so repeated names map to successive lines. 1 when not found.
 * Linear in the text: the places where each name can occur are looked up, not searched for.
 */
function findNameLines(text, rawNames) {
    const index = new LineIndex(text);
    const quotes = new QuoteIndex(text);
    // The offset of `name` for each quote that opens the value of a `name = ` key.
    const nameBefore = new Map();
    const key = /name\s*=\s*["']/g;
    for (let m = key.exec(text); m; m = key.exec(text))
        nameBefore.set(m.index + m[0].length - 1, m.index);
    const byRaw = new Map();
    let from = 0;
    return rawNames.map((raw) => {
        let matches = byRaw.get(raw);
        if (!matches) {
            // `(^|[\s{,])name\s*=\s*(["'])<raw>\2` starts at the character before `name`, or at
            // `name` at the start of a line.
            const starts = [];
            const ends = new Map();
            const exact = unquoted(raw);
            for (const quote of quotes.openings(raw)) {
                const name = nameBefore.get(quote);
                if (name === undefined)
                    continue;
                const end = quote + raw.length + 2;
                if (name > 0 && (!exact || /[\s{,]/.test(text[name - 1]))) {
                    starts.push(name - 1);
                    ends.set(name - 1, end);
                }
                if (!exact || name === 0 || /[\n\r\u2028\u2029]/.test(text[name - 1])) {
                    starts.push(name);
                    ends.set(name, end);
                }
            }
            const lengthAt = exact
                ? (at) => ends.get(at) - at
                : regexLengthAt(text, `(^|[\\s{,])name\\s*=\\s*(["'])${escapeRegExp(raw)}\\2`, "m");
            matches = new CandidateMatches(starts, lengthAt);
            byRaw.set(raw, matches);
        }
        matches.from = from;
        const at = matches.find();
        if (at < 0)
            return 1;
        from = matches.from;
        // The line of `name`, which the match starts at or just after.
        return index.lineOf(text.startsWith("name", at) ? at : at + 1);
    });
}
function escapeRegExp(text) {
    return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
/**
 * Lines of the keys of a JSON object document, from one walk over the text (strings and escapes
 * respected): `sections.get(section)` is the line of a top-level key, `keys.get(section)?.get(key)`
 * the line of a key one level below it. The first occurrence of a repeated key counts.
 */
function jsonKeyLines(text) {
    const out = new Map();
    const sections = new Map();
    let depth = 0;
    let line = 1;
    let section;
    let i = 0;
    const n = text.length;
    while (i < n) {
        const c = text[i];
        if (c === "\n") {
            line++;
            i++;
        }
        else if (c === "{" || c === "[") {
            depth++;
            i++;
        }
        else if (c === "}" || c === "]") {
            depth--;
            i++;
        }
        else if (c === '"') {
            const startLine = line;
            let j = i + 1;
            while (j < n && text[j] !== '"') {
                if (text[j] === "\\")
                    j++;
                else if (text[j] === "\n")
                    line++;
                j++;
            }
            const raw = text.slice(i + 1, j);
            i = j + 1;
            let k = i;
            while (k < n && /\s/.test(text[k])) {
                if (text[k] === "\n")
                    line++;
                k++;
            }
            if (text[k] === ":") {
                let key;
                try {
                    key = JSON.parse(`"${raw}"`);
                }
                catch {
                    key = raw;
                }
                if (depth === 1) {
                    section = key;
                    if (!out.has(key))
                        out.set(key, new Map());
                    if (!sections.has(key))
                        sections.set(key, startLine);
                }
                else if (depth === 2 && section !== undefined) {
                    const keys = out.get(section);
                    if (!keys.has(key))
                        keys.set(key, startLine);
                }
            }
            i = k;
        }
        else {
            i++;
        }
    }
    return { sections, keys: out };
}
/** The 1-based line of a character offset. */
function lineOfOffset(text, offset) {
    let line = 1;
    const end = Math.min(offset, text.length);
    for (let i = text.indexOf("\n"); i >= 0 && i < end; i = text.indexOf("\n", i + 1))
        line++;
    return line;
}
/**
 * Lines of the packages of a TOML array of tables (`[[package]]`), in order: the block's
 * `name = ` line when the headers line up with the decoded array, otherwise a search for each
 * `name = "<raw>"` (inline-table style).
 */
function tomlPackageLines(text, table, rawNames) {
    const byHeader = tomlArrayTableNameLines(text, table);
    if (byHeader && byHeader.length === rawNames.length)
        return byHeader;
    return findNameLines(text, rawNames);
}
/** Widest source line kept for error context; a longer line is cut around the column. */
const CONTEXT_WIDTH = 160;
/** Errors per file that get source context (a garbage file can have very many). */
const MAX_CONTEXT_ERRORS = 20;
/**
 * Adds up to three lines of source (before, at, after `line`) to errors that name a line of a
 * file in `texts` (file name -> its text). Long lines are cut to CONTEXT_WIDTH characters around
 * the error's column. Returns new error objects; the inputs are not changed.
 */
function withSourceContext(errors, texts) {
    const indexes = new Map();
    const perFile = new Map();
    return errors.map((error) => {
        const text = texts.get(error.file);
        if (text === undefined || error.line === undefined || error.line < 1)
            return error;
        const used = perFile.get(error.file) ?? 0;
        if (used >= MAX_CONTEXT_ERRORS)
            return error;
        perFile.set(error.file, used + 1);
        let index = indexes.get(error.file);
        if (!index) {
            index = new LineIndex(text);
            indexes.set(error.file, index);
        }
        // A final newline ends the last line; it does not start an empty one.
        const last = text.endsWith("\n") ? index.count - 1 : index.count;
        if (error.line > Math.max(1, last))
            return error;
        const context = [];
        for (let n = Math.max(1, error.line - 1); n <= Math.min(last, error.line + 1); n++) {
            const full = index.lineText(text, n);
            const column = n === error.line ? (error.column ?? 1) : 1;
            const start = Math.max(0, Math.min(column - 1 - CONTEXT_WIDTH / 2, full.length - CONTEXT_WIDTH));
            const entry = { line: n, text: full.slice(start, start + CONTEXT_WIDTH) };
            if (n === error.line && error.column !== undefined)
                entry.caret = error.column - 1 - start;
            context.push(entry);
        }
        return { ...error, context };
    });
}

;// CONCATENATED MODULE: ./src/lockfiles/shared/pep508.ts
// Requirement strings (PEP 508 plus pip's URL and path forms): name, exact pin, and where the
// package comes from. Pure functions over one logical requirement; no I/O.

const VCS_PREFIX_RE = /^(git|hg|svn|bzr)\+/i;
const URL_RE = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//;
const ARCHIVE_RE = /\.(whl|tar\.gz|tgz|tar\.bz2|tar\.xz|tar|zip)$/i;
/**
 * The exact version a specifier pins, or undefined. `==1.2` and `===x` pin; `==1.*`, ranges and
 * anything else do not. With several clauses, an exact clause still decides the version.
 */
function exactPin(spec) {
    let body = spec.trim();
    if (body.startsWith("(") && body.endsWith(")"))
        body = body.slice(1, -1);
    for (const clause of body.split(",")) {
        const m = /^\s*(===?)\s*(\S+)\s*$/.exec(clause);
        if (!m)
            continue;
        const [, op, version] = m;
        if (op === "==" && version.endsWith(".*"))
            continue;
        return version;
    }
    return undefined;
}
/** The project name a wheel or sdist file name carries (`numpy-1.9.2-cp34-none-win32.whl` -> numpy). */
function nameFromArchive(location) {
    const base = location.split(/[?#]/)[0].split(/[\\/]/).pop() ?? "";
    if (!ARCHIVE_RE.test(base))
        return undefined;
    if (/\.whl$/i.test(base)) {
        const first = base.split("-")[0] ?? "";
        return isValidName(first) ? first : undefined;
    }
    const stem = base.replace(ARCHIVE_RE, "");
    const m = /^(.+?)-\d/.exec(stem);
    return m && isValidName(m[1]) ? m[1] : undefined;
}
/** `#egg=name` in a URL fragment. */
function nameFromEgg(location) {
    const m = /[#&]egg=([^&\s]+)/.exec(location);
    if (!m)
        return undefined;
    const egg = m[1].replace(/\[.*$/, "");
    return isValidName(egg) ? egg : undefined;
}
function looksLikePath(text) {
    return (/^(\.|\/|~|[A-Za-z]:[\\/]|\\\\)/.test(text) ||
        /^file:/i.test(text) ||
        // A relative folder (`libs/pkg`): one word with a slash. pip reads a line with a slash as a
        // path only when it names a folder or an archive; prose with a link in it is neither.
        (/[\\/]/.test(text) &&
            !/\s/.test(text.split(/\s;|;\s/)[0].trim()) &&
            !/[<>=!~;@]/.test(text.split(/[\\/]/)[0])) ||
        ARCHIVE_RE.test(text.split(/[;\s]/)[0]));
}
/** Kind of a direct reference: a VCS URL, a remote archive, or a local path. */
function locationKind(location) {
    if (VCS_PREFIX_RE.test(location) || /^git:\/\//i.test(location))
        return "vcs";
    if (/^file:/i.test(location))
        return "path";
    if (URL_RE.test(location))
        return "url";
    return "path";
}
/** Strips a trailing `; marker` and `[extras]` from a path or URL requirement. */
function stripPathDecorations(text) {
    let t = text;
    const semi = t.search(/\s;|;\s/);
    if (semi >= 0)
        t = t.slice(0, semi);
    t = t.trim();
    // pip's `_strip_extras`: a non-empty `[...]` group that ends the text, after something.
    // (Found with lastIndexOf: a regex that retries every `[` is quadratic on a run of them.)
    const open = t.lastIndexOf("[");
    if (t.endsWith("]") && open > 0 && open < t.length - 2 && !t.slice(open + 1, -1).includes("]"))
        t = t.slice(0, open);
    return t.trim();
}
/** A name, optional `[extras]`, and the rest. Linear: `(.*)$` always matches. */
const pep508_NAME_RE = /^([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*(.*)$/s;
/** One specifier clause: an operator and a version with no white space in it. */
const CLAUSE_RE = /^\s*(~=|===|==|!=|<=|>=|<|>)\s*[^\s,;()]+\s*$/;
/**
 * True for a specifier list as PEP 508 writes it (`>=1, <2`, `(==1.0)`); a trailing comma is
 * accepted, as packaging accepts it. Text after a version (`==1.0 garbage`) is not.
 */
function isSpecifierList(spec) {
    let body = spec.trim();
    if (body.startsWith("(")) {
        if (!body.endsWith(")"))
            return false;
        body = body.slice(1, -1);
    }
    const clauses = body.split(",");
    if (clauses.length > 1 && clauses[clauses.length - 1].trim() === "")
        clauses.pop();
    return clauses.every((c) => CLAUSE_RE.test(c));
}
/** `NAME[extras] @ URL [; marker]`: the named project, from that URL or path. */
function namedReference(m) {
    const rawName = m[1];
    if (!isValidName(rawName))
        return { error: `invalid package name "${preview(rawName)}"` };
    const name = normalizeName(rawName);
    const location = stripPathDecorations(m[3].slice(1));
    if (location === "")
        return { error: `missing URL after "@" for ${name}` };
    return { name, kind: locationKind(location), target: location };
}
/**
 * Parses one logical requirement (comments, `--hash` and other per-requirement options already
 * removed). `editable` marks a `-e` target.
 */
function parseRequirement(raw, editable = false) {
    const text = raw.trim();
    if (text === "")
        return { error: "empty requirement" };
    // `NAME[extras] @ URL` (spaces around `@` optional) names its project, whatever the URL
    // looks like: pip reads it so before any path or archive-name guess.
    const named = pep508_NAME_RE.exec(text);
    if (!editable && named && named[3].startsWith("@"))
        return namedReference(named);
    if (editable || URL_RE.test(text) || VCS_PREFIX_RE.test(text) || looksLikePath(text)) {
        const location = stripPathDecorations(text);
        let kind = locationKind(location);
        if (editable && kind !== "vcs")
            kind = "editable";
        const found = nameFromEgg(location) ?? nameFromArchive(location);
        return { name: found === undefined ? undefined : normalizeName(found), kind, target: location };
    }
    const m = named;
    if (!m) {
        // pip expands `${VAR}` from the environment; we leave it as written, so the name is unknown.
        const variable = /^\$\{([A-Za-z0-9_]+)\}/.exec(text);
        if (variable)
            return {
                error: `the name comes from the environment variable \${${preview(variable[1], 60)}}, which is not expanded here: "${preview(text)}" cannot be checked`,
            };
        return { error: `not a requirement: "${preview(text)}"` };
    }
    const rawName = m[1];
    if (!isValidName(rawName))
        return { error: `invalid package name "${preview(rawName)}"` };
    const name = normalizeName(rawName);
    let rest = m[3] ?? "";
    if (m[2] === undefined && rest.startsWith("["))
        return { error: `unterminated extras in "${preview(text)}"` };
    if (rest.startsWith("@"))
        return namedReference(m);
    const semi = rest.indexOf(";");
    if (semi >= 0)
        rest = rest.slice(0, semi);
    rest = rest.trim();
    if (rest !== "" && !/^\(?\s*(===?|!=|~=|<=?|>=?)/.test(rest)) {
        return { error: `unexpected text after ${name}: "${preview(rest)}"` };
    }
    if (rest !== "" && !isSpecifierList(rest)) {
        // `foo==1.0 bar==2`: pip refuses the line; reading `foo` unpinned would hide a package.
        return { error: `not a version specifier after ${name}: "${preview(rest)}"` };
    }
    const version = exactPin(rest);
    return version === undefined ? { name, kind: "pypi" } : { name, version, kind: "pypi" };
}
/** The error for a package key that is not a PEP 508 name. */
function invalidNameError(file, line, rawName) {
    return {
        file,
        line,
        code: "invalid-package",
        message: `invalid package name "${preview(rawName)}"`,
    };
}
/** Short, single-line excerpt of untrusted text for error messages. */
function preview(text, max = 80) {
    const flat = text.replace(/[\u0000-\u001f\u007f-\u009f]/g, " ");
    return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

;// CONCATENATED MODULE: ./src/lockfiles/shared/yaml-nodes.ts
// Reading a YAML node tree the way PyYAML's safe_load (what conda uses) sees the document:
// an alias stands for its anchored node and `<<` merge keys bring in their maps' keys. Nodes
// keep their source ranges, so a value reached through an alias points at the line it was
// written on (the anchor's definition). Each alias is looked up in a table built in one pass;
// the alias bomb guard is decodeYaml's, which expands the document once before this runs.

class YamlView {
    /** Each alias and the node it names. */
    targets = new Map();
    constructor(doc) {
        // An alias names the last node anchored with its name before it, in document order (the
        // order the yaml library's own Alias.resolve uses, computed once instead of per alias).
        const anchored = new Map();
        (0,dist/* visit */.YR)(doc, {
            Node: (_key, node) => {
                if ((0,dist/* isAlias */.Vj)(node))
                    this.targets.set(node, anchored.get(node.source));
                else if (node.anchor)
                    anchored.set(node.anchor, node);
            },
        });
    }
    /** The node an alias stands for (itself for any other node); undefined for a dangling alias. */
    resolve(node) {
        return (0,dist/* isAlias */.Vj)(node) ? this.targets.get(node) : node;
    }
    /** The items of a sequence, aliases resolved. */
    items(seq) {
        const node = this.resolve(seq);
        return (0,dist/* isSeq */.oP)(node) ? node.items.map((item) => this.resolve(item)) : [];
    }
    /**
     * The value of `key` in `map`, aliases resolved, as a YAML 1.1 reader merges it: a key written
     * in the map wins; otherwise the `<<` merge sources are searched, a later `<<` key before an
     * earlier one and, within a sequence of sources, the earlier source first (PyYAML's
     * flatten_mapping).
     */
    get(map, key) {
        return this.lookup(this.resolve(map), key, new Set());
    }
    /** `seen`: maps already searched, so a merge cycle (`&a {<<: *a}`) ends and each map costs once. */
    lookup(map, key, seen) {
        if (!(0,dist/* isMap */.jh)(map) || seen.has(map))
            return undefined;
        seen.add(map);
        const own = map.items.find((pair) => (0,dist/* isScalar */.jn)(pair.key) && pair.key.value === key);
        if (own)
            return this.resolve(own.value);
        const merges = map.items.filter((pair) => isMergeKey(pair.key));
        for (const pair of merges.reverse()) {
            const source = this.resolve(pair.value);
            const sources = (0,dist/* isSeq */.oP)(source) ? source.items.map((item) => this.resolve(item)) : [source];
            for (const from of sources) {
                const found = this.lookup(from, key, seen);
                if (found !== undefined)
                    return found;
            }
        }
        return undefined;
    }
}
/**
 * A plain `<<` key, which the yaml library's `merge: true` turns into a symbol. A quoted "<<" is
 * an ordinary string key, for PyYAML as for the yaml library.
 */
function isMergeKey(key) {
    return (0,dist/* isScalar */.jn)(key) && typeof key.value === "symbol" && key.value.description === "<<";
}
/**
 * The first key written twice in one mapping, at any depth. PyYAML keeps the last value and a
 * reader that keeps the first would see another file, so such a file is not read at all. Merge
 * keys are not duplicates: a merged key that the map overrides is how merging works.
 */
function findDuplicateKey(doc) {
    let found;
    (0,dist/* visit */.YR)(doc, {
        Map: (_key, map) => {
            const seen = new Map();
            for (const pair of map.items) {
                if (!(0,dist/* isScalar */.jn)(pair.key) || typeof pair.key.value === "symbol")
                    continue;
                const offset = pair.key.range?.[0] ?? 0;
                const earlier = seen.get(pair.key.value);
                if (earlier !== undefined) {
                    found = { key: String(pair.key.value), first: earlier, second: offset };
                    return dist/* visit */.YR.BREAK;
                }
                seen.set(pair.key.value, offset);
            }
            return undefined;
        },
    });
    return found;
}

;// CONCATENATED MODULE: ./src/lockfiles/shared/decode.ts
// Decoding TOML, JSON and YAML into plain data, turning every failure into a ParseError with
// the decoder's own position. Bounded: deep nesting and alias bombs become errors, not crashes.





/** Deepest bracket nesting we decode; real lockfiles stay far below it. */
const MAX_NESTING = 200;
/** YAML alias expansions allowed per document; an environment file needs a handful at most. */
const MAX_YAML_ALIASES = 50;
/** First line of a decoder message, without the code excerpt decoders append. */
function firstLine(message) {
    return (message.split("\n")[0] ?? message).trim();
}
/**
 * Depth of `[`/`{` nesting outside quoted strings, stopping early past `limit`. A cheap guard
 * that runs before any recursive decoder sees the text.
 */
function nestingDepthExceeds(text, limit) {
    let depth = 0;
    let quote = "";
    let line = 1;
    for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c === 10) {
            line++;
            if (quote === "'" || quote === "#")
                quote = "";
            continue;
        }
        if (quote !== "") {
            if (quote === '"' && c === 92)
                i++;
            else if (String.fromCharCode(c) === quote && quote !== "#")
                quote = "";
            continue;
        }
        if (c === 34)
            quote = '"';
        else if (c === 39)
            quote = "'";
        else if (c === 35)
            quote = "#";
        else if (c === 91 || c === 123) {
            depth++;
            if (depth > limit)
                return { line };
        }
        else if (c === 93 || c === 125)
            depth = Math.max(0, depth - 1);
    }
    return undefined;
}
function tooDeep(file, line) {
    return {
        error: {
            file,
            line,
            code: "too-deeply-nested",
            message: `refused: brackets nested deeper than ${MAX_NESTING} levels`,
        },
    };
}
function decodeToml(text, file) {
    const deep = nestingDepthExceeds(text, MAX_NESTING);
    if (deep)
        return tooDeep(file, deep.line);
    try {
        return { value: (0,smol_toml_dist/* parse */.qg)(text) };
    }
    catch (error) {
        if (error instanceof smol_toml_dist/* TomlError */.zx) {
            return {
                error: {
                    file,
                    line: error.line,
                    column: error.column,
                    code: "toml-syntax",
                    message: `invalid TOML: ${firstLine(error.message).replace(/^Invalid TOML document:\s*/, "")}`,
                },
            };
        }
        if (error instanceof RangeError)
            return tooDeep(file, 1);
        throw error;
    }
}
/** V8 quotes this many characters of source on each side of an unexpected token. */
const V8_CONTEXT_CHARS = 10;
/** Candidate positions checked against the parser before giving up on naming the line. */
const MAX_CONTEXT_CANDIDATES = 8;
/**
 * Which of `offsets` (ascending) lie outside every JSON string of `text`, in order: an unexpected
 * token is never inside a string, so a copy of its context in a string value is not the error.
 */
function outsideJsonStrings(text, offsets) {
    const out = [];
    let next = 0;
    let inString = false;
    for (let i = 0; i < text.length && next < offsets.length; i++) {
        // An offset skipped over by an escape is inside a string.
        while (next < offsets.length && offsets[next] < i)
            next++;
        if (next < offsets.length && offsets[next] === i) {
            if (!inString)
                out.push(i);
            next++;
        }
        const c = text.charCodeAt(i);
        if (inString) {
            if (c === 92)
                i++;
            else if (c === 34)
                inString = false;
        }
        else if (c === 34)
            inString = true;
    }
    return out;
}
/**
 * True when JSON.parse fails at `offset`: the text before it reads, and that character does not.
 * A prefix that is only cut short fails at its end, past `offset` ("Unexpected end of JSON
 * input", or "Expected ',' or '}' … at position <its length>").
 */
function failsAt(text, offset) {
    try {
        JSON.parse(text.slice(0, offset + 1));
        return false;
    }
    catch (error) {
        if (!(error instanceof SyntaxError))
            return false;
        const position = /position (\d+)/.exec(error.message);
        if (position)
            return Number(position[1]) === offset;
        return !/^Unexpected end of JSON input/.test(error.message);
    }
}
/**
 * Where the error is, from the messages of V8's JSON parser that give no position: "Unexpected
 * token 'x', ..."<source around it>"... is not valid JSON" (the token is 10 characters into a
 * quoted context), and "Unexpected end of JSON input" (the end). The context can occur more than
 * once (two entries written alike): the error is the first copy whose token lies outside a JSON
 * string and where the parser, given the text up to and including the token, fails. Undefined
 * when the context is not found with the token where the message says.
 */
function v8ContextOffset(text, message) {
    if (/^Unexpected end of JSON input/.test(message))
        return text.trimEnd().length;
    const m = /^Unexpected token '([\s\S])', (\.\.\.)?"([\s\S]*)"(\.\.\.)? is not valid JSON$/.exec(message);
    if (!m)
        return undefined;
    const token = m[1];
    const before = m[2];
    const context = m[3];
    const after = m[4];
    const candidates = [];
    if (before !== undefined) {
        for (let at = text.indexOf(context); at >= 0; at = text.indexOf(context, at + 1))
            candidates.push(at + V8_CONTEXT_CHARS);
    }
    else if (after !== undefined) {
        if (text.startsWith(context))
            candidates.push(context.length - V8_CONTEXT_CHARS);
    }
    else {
        for (let at = text.indexOf(token); at >= 0; at = text.indexOf(token, at + 1))
            candidates.push(at);
    }
    const outside = outsideJsonStrings(text, candidates.filter((offset) => text[offset] === token));
    return outside.slice(0, MAX_CONTEXT_CANDIDATES).find((offset) => failsAt(text, offset));
}
function decodeJson(text, file) {
    const deep = nestingDepthExceeds(text, MAX_NESTING);
    if (deep)
        return tooDeep(file, deep.line);
    try {
        return { value: JSON.parse(text) };
    }
    catch (error) {
        if (error instanceof SyntaxError) {
            const pos = /position (\d+)/.exec(error.message);
            const lineCol = /line (\d+) column (\d+)/.exec(error.message);
            const offset = pos ? Number(pos[1]) : v8ContextOffset(text, error.message);
            const line = lineCol
                ? Number(lineCol[1])
                : offset !== undefined
                    ? lineOfOffset(text, offset)
                    : undefined;
            const message = `invalid JSON: ${firstLine(error.message).replace(/ in JSON at position \d+.*$/, "")}`;
            return {
                error: { file, ...(line === undefined ? {} : { line }), code: "json-syntax", message },
            };
        }
        if (error instanceof RangeError)
            return tooDeep(file, 1);
        throw error;
    }
}
function decodeYaml(text, file) {
    const deep = nestingDepthExceeds(text, MAX_NESTING);
    if (deep)
        return tooDeep(file, deep.line);
    const lineCounter = new dist/* LineCounter */.HN();
    try {
        // `merge: true`: PyYAML, which conda uses, honours YAML 1.1 `<<` merge keys. Duplicate keys
        // are found below, to name both lines.
        const doc = (0,dist/* parseDocument */.Tp)(text, {
            lineCounter,
            prettyErrors: false,
            uniqueKeys: false,
            merge: true,
        });
        const first = doc.errors[0];
        if (first) {
            const line = lineCounter.linePos(first.pos[0]).line;
            const code = first.code === "RESOURCE_EXHAUSTION" ? "too-deeply-nested" : "yaml-syntax";
            return {
                error: {
                    file,
                    line,
                    code,
                    message: `invalid YAML: ${firstLine(first.message).replace(/ at line \d+, column \d+:?$/, "")}`,
                },
            };
        }
        const duplicate = findDuplicateKey(doc);
        if (duplicate) {
            const line = (offset) => lineCounter.linePos(offset).line;
            return {
                error: {
                    file,
                    line: line(duplicate.second),
                    code: "yaml-duplicate-key",
                    message: `duplicate key \`${preview(duplicate.key, 100)}\` (first on line ${line(duplicate.first)}): a YAML reader keeps only one of them; remove one`,
                },
            };
        }
        // Expanding every alias once is the alias bomb guard for readers that follow aliases later.
        const value = doc.toJS({ maxAliasCount: MAX_YAML_ALIASES });
        return { value, doc, lineOf: (offset) => lineCounter.linePos(offset).line };
    }
    catch (error) {
        if (error instanceof RangeError)
            return tooDeep(file, 1);
        if (error instanceof ReferenceError && /alias/i.test(error.message)) {
            return {
                error: {
                    file,
                    code: "yaml-alias-limit",
                    message: `refused: more than ${MAX_YAML_ALIASES} YAML aliases (an alias bomb?)`,
                },
            };
        }
        const message = error instanceof Error ? error.message : String(error);
        return { error: { file, code: "yaml-syntax", message: `invalid YAML: ${firstLine(message)}` } };
    }
}
function decode_isRecord(value) {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}
function asString(value) {
    return typeof value === "string" ? value : undefined;
}

;// CONCATENATED MODULE: ./src/lockfiles/shared/index-url.ts
// Which package index a lockfile names for a dependency. PyPI itself is not recorded: a
// dependency with `index` set comes from somewhere else, and its name must not be sent to PyPI.

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
function recordedIndex(url) {
    if (typeof url !== "string")
        return undefined;
    const bare = withoutUserinfo(url.trim());
    // White space makes it no URL a parser reads: whatever stands before its last `@` may be a
    // password (`https://ci:se/cr et9@host/simple`), so it is hidden.
    const trimmed = /\s/.test(bare) && bare.includes("@") ? valueForMessage(bare) : bare;
    if (trimmed === "" || trimmed.length > 2048 || PYPI_INDEX.test(trimmed))
        return undefined;
    return trimmed;
}

;// CONCATENATED MODULE: ./src/lockfiles/formats/requirements.ts



const format = "requirements";
/** `requirements*.txt`, `constraints*.txt`, and any `.txt` under a `requirements/` folder. */
function matches(path) {
    const base = baseName(path).toLowerCase();
    // `s`: a name may hold a line break (or U+2028); such a file is still one to read.
    if (/^(requirements|constraints).*\.txt$/s.test(base) || /^.+\.requirements\.txt$/s.test(base))
        return true;
    const parts = path.split(/[\\/]/);
    return (base.endsWith(".txt") &&
        parts.length >= 2 &&
        parts[parts.length - 2].toLowerCase() === "requirements");
}
/** True when `text[i]` starts a comment: `#` at the start or after whitespace. */
function commentStart(text) {
    for (let i = text.indexOf("#"); i >= 0; i = text.indexOf("#", i + 1)) {
        if (i === 0 || text[i - 1] === " " || text[i - 1] === "\t")
            return i;
    }
    return -1;
}
function stripComment(text) {
    const at = commentStart(text);
    return (at >= 0 ? text.slice(0, at) : text).trim();
}
/**
 * Where pip's `str.splitlines()` ends a line: besides `\n` and `\r\n`, a lone `\r`, vertical
 * tab, form feed, the file/group/record separators, NEL and the Unicode line and paragraph
 * separators. A requirement after any of them is installed by pip, so it is read here too.
 */
const LINE_BREAK = /\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/g;
/**
 * The lines as pip splits them, each with the line an editor (and GitHub) shows it on: the
 * count of `\n` before it, plus one.
 */
function physicalLines(text) {
    const out = [];
    let from = 0;
    let line = 1;
    for (const m of text.matchAll(LINE_BREAK)) {
        out.push({ text: text.slice(from, m.index), line });
        if (m[0].endsWith("\n"))
            line++;
        from = m.index + m[0].length;
    }
    out.push({ text: text.slice(from), line });
    return out;
}
/** `line.strip("\\")`: the line without the backslashes at its start and end. */
function stripBackslashes(line) {
    let from = 0;
    let to = line.length;
    while (from < to && line[from] === "\\")
        from++;
    while (to > from && line[to - 1] === "\\")
        to--;
    return line.slice(from, to);
}
/** Joins `\` continuations; a comment line ends a continuation. Comments are removed. */
function logicalLines(text) {
    const out = [];
    const physical = physicalLines(text);
    let buffer = "";
    let start = 0;
    let open = false;
    for (let i = 0; i < physical.length; i++) {
        const line = physical[i].text;
        if (!open)
            start = physical[i].line;
        const trimmedStart = line.trimStart();
        if (open && trimmedStart.startsWith("#")) {
            out.push({ text: stripComment(buffer), line: start });
            buffer = "";
            open = false;
            continue;
        }
        // As pip's join_lines: a line ending in `\` continues unless it is a comment line, even
        // when a comment stands before the backslash (what follows is then part of the comment);
        // pip strips every backslash at either end of a continued line.
        if (line.endsWith("\\") && !/^\s*#/.test(line)) {
            buffer += stripBackslashes(line);
            open = true;
            continue;
        }
        buffer += line;
        out.push({ text: stripComment(buffer), line: start });
        buffer = "";
        open = false;
    }
    if (open)
        out.push({ text: stripComment(buffer), line: start });
    return out.filter((l) => l.text !== "");
}
/**
 * pip's `shlex.split` of an option line (POSIX rules, no comments): white space separates
 * words, `'…'` is literal, `"…"` keeps a backslash except before `"` or `\`, and a backslash
 * outside quotes escapes the next character.
 */
function shellSplit(text) {
    const words = [];
    let word = "";
    let inWord = false;
    for (let i = 0; i < text.length; i++) {
        const c = text[i];
        if (c === " " || c === "\t" || c === "\r" || c === "\n") {
            if (inWord)
                words.push(word);
            word = "";
            inWord = false;
        }
        else if (c === "\\") {
            if (i + 1 >= text.length)
                return { error: "no character after the last backslash" };
            word += text[++i];
            inWord = true;
        }
        else if (c === "'") {
            const end = text.indexOf("'", i + 1);
            if (end < 0)
                return { error: "no closing quotation" };
            word += text.slice(i + 1, end);
            i = end;
            inWord = true;
        }
        else if (c === '"') {
            let j = i + 1;
            for (; j < text.length && text[j] !== '"'; j++) {
                if (text[j] === "\\" && (text[j + 1] === '"' || text[j + 1] === "\\"))
                    j++;
                word += text[j];
            }
            if (j >= text.length)
                return { error: "no closing quotation" };
            i = j;
            inWord = true;
        }
        else {
            word += c;
            inWord = true;
        }
    }
    if (inWord)
        words.push(word);
    return words;
}
/**
 * The options pip (23.x, `req_file.py`: SUPPORTED_OPTIONS and SUPPORTED_OPTIONS_REQ) accepts
 * in a requirements file; any other is an error there, and so it is here.
 */
const OPTIONS = [
    { names: ["-i", "--index-url", "--pypi-url"], value: true, dest: "indexUrl" },
    { names: ["--extra-index-url"], value: true },
    { names: ["--no-index"], value: false, dest: "noIndex" },
    { names: ["-c", "--constraint"], value: true, dest: "constraints" },
    { names: ["-r", "--requirement"], value: true, dest: "requirements" },
    { names: ["-e", "--editable"], value: true, dest: "editables" },
    { names: ["-f", "--find-links"], value: true, dest: "findLinks" },
    { names: ["--no-binary"], value: true, check: binaryCheck },
    { names: ["--only-binary"], value: true, check: binaryCheck },
    { names: ["--prefer-binary"], value: false },
    { names: ["--require-hashes"], value: false },
    { names: ["--pre"], value: false },
    { names: ["--trusted-host"], value: true },
    { names: ["--use-feature"], value: true },
    { names: ["--global-option"], value: true },
    { names: ["--hash"], value: true, check: hashCheck },
    { names: ["-C", "--config-settings"], value: true, check: configCheck },
];
function binaryCheck(value, name) {
    return value.startsWith("-") ? `${name} needs a value` : undefined;
}
function hashCheck(value, name) {
    const colon = value.indexOf(":");
    if (colon < 0)
        return `${name} needs a hash name and a value, like ${name}=sha256:abcde…`;
    const algo = value.slice(0, colon);
    return ["sha256", "sha384", "sha512"].includes(algo)
        ? undefined
        : `${name} takes sha256, sha384 or sha512, not "${preview(algo, 40)}"`;
}
function configCheck(value, name) {
    return value.includes("=") ? undefined : `${name} needs KEY=VALUE`;
}
const LONG = new Map(OPTIONS.flatMap((o) => o.names.filter((n) => n.startsWith("--")).map((n) => [n, o])));
const SHORT = new Map(OPTIONS.flatMap((o) => o.names.filter((n) => !n.startsWith("--")).map((n) => [n, o])));
/** A long option as optparse finds it: written in full, or an abbreviation of only one. */
function longOption(written) {
    const exact = LONG.get(written);
    if (exact)
        return { name: written, spec: exact };
    const candidates = [...LONG.keys()].filter((n) => n.startsWith(written)).sort();
    if (candidates.length === 1)
        return { name: candidates[0], spec: LONG.get(candidates[0]) };
    if (candidates.length === 0)
        return { error: `unknown option ${preview(written, 60)}` };
    return { error: `ambiguous option ${preview(written, 60)}: ${candidates.join(", ")}?` };
}
/**
 * Reads option words as pip's optparse parser does: long options by unique prefix, `=` or the
 * next word as value, clustered short options with the value attached or next. Words that are
 * no option, and all after `--`, are ignored (as pip ignores them).
 */
function parseOptions(words) {
    const out = {
        requirements: [],
        constraints: [],
        editables: [],
        noIndex: false,
        findLinks: [],
    };
    const apply = (spec, name, value) => {
        if (spec.value && value === undefined) {
            return spec.dest === "requirements" || spec.dest === "constraints"
                ? `${name} needs a file name`
                : `${name} needs a value`;
        }
        const problem = value !== undefined ? spec.check?.(value, name) : undefined;
        if (problem !== undefined)
            return problem;
        if (spec.dest === "noIndex")
            out.noIndex = true;
        else if (spec.dest === "indexUrl")
            out.indexUrl = value;
        else if (spec.dest !== undefined)
            out[spec.dest].push(value);
        return undefined;
    };
    for (let i = 0; i < words.length; i++) {
        const word = words[i];
        if (word === "--")
            break;
        if (word.startsWith("--")) {
            const eq = word.indexOf("=");
            const found = longOption(eq >= 0 ? word.slice(0, eq) : word);
            if ("error" in found)
                return found;
            let value;
            if (eq >= 0) {
                if (!found.spec.value)
                    return { error: `${found.name} takes no value` };
                value = word.slice(eq + 1);
            }
            else if (found.spec.value) {
                value = words[++i];
            }
            const problem = apply(found.spec, found.name, value);
            if (problem !== undefined)
                return { error: problem };
        }
        else if (word.startsWith("-") && word.length > 1) {
            for (let j = 1; j < word.length; j++) {
                const name = `-${word[j]}`;
                const spec = SHORT.get(name);
                if (!spec)
                    return { error: `unknown option ${preview(name, 60)}` };
                let value;
                if (spec.value)
                    value = j + 1 < word.length ? word.slice(j + 1) : words[++i];
                const problem = apply(spec, name, value);
                if (problem !== undefined)
                    return { error: problem };
                if (spec.value)
                    break;
            }
        }
    }
    return out;
}
/**
 * pip's split of a line into the requirement and its options: words (split at single spaces)
 * up to the first that starts with `-` are the requirement; the rest are options.
 */
function breakArgsOptions(text) {
    const words = text.split(" ");
    const first = words.findIndex((w) => w.startsWith("-"));
    if (first < 0)
        return { args: text, options: "" };
    return { args: words.slice(0, first).join(" "), options: words.slice(first).join(" ") };
}
/**
 * Parses logical requirement lines (from a requirements file, or a conda `pip:` list) into
 * `state`. `fmt` is the format recorded on each dependency.
 *
 * Each line is read as pip reads it: a requirement with its options, or an option line. On an
 * option line, the first `-r` (else the first `-c`) is followed and the line's other options
 * are not applied; else the first `-e` is a requirement; else the index options count. An
 * option pip does not know, or an abbreviation of several, is an error for the line; a
 * requirement before it is still read.
 */
function parseLines(lines, file, fmt, state) {
    for (const { text, line } of lines) {
        const { args, options } = breakArgsOptions(text);
        const words = shellSplit(options);
        const opts = "error" in words ? words : parseOptions(words);
        if ("error" in opts) {
            state.errors.push({ file, line, code: "invalid-option", message: opts.error });
            // The requirement before the options is still a package to check (pip up to 23.0 took
            // `--install-option` there, which older files still carry).
            if (args !== "")
                addRequirement(args, false, file, line, fmt, state);
            continue;
        }
        if (args !== "") {
            addRequirement(args, false, file, line, fmt, state);
        }
        else if (opts.editables.length > 0) {
            addRequirement(opts.editables[0], true, file, line, fmt, state);
        }
        else if (opts.requirements.length > 0 || opts.constraints.length > 0) {
            const flag = opts.requirements.length > 0 ? "-r" : "-c";
            const target = (opts.requirements[0] ?? opts.constraints[0]).trim();
            if (target === "") {
                state.errors.push({
                    file,
                    line,
                    code: "invalid-option",
                    message: `${flag} needs a file name`,
                });
            }
            else {
                followInclude(file, line, target, state);
            }
        }
        else {
            // Only where packages come from matters here (--index-url, --no-index, the first
            // --find-links of the line); --extra-index-url adds an index beside PyPI, and the rest
            // (--trusted-host, --pre, --no-binary, --require-hashes, ...) change nothing of that.
            if (opts.noIndex)
                state.noIndex = true;
            if (opts.indexUrl !== undefined && opts.indexUrl !== "")
                state.indexUrl = opts.indexUrl;
            if (opts.findLinks[0] !== undefined)
                state.findLinks.push(opts.findLinks[0]);
        }
    }
}
function addRequirement(text, editable, file, line, fmt, state) {
    if (text === "") {
        state.errors.push({
            file,
            line,
            code: "invalid-requirement",
            message: "-e needs a path or URL",
        });
        return;
    }
    const req = parseRequirement(text, editable);
    if ("error" in req) {
        state.errors.push({ file, line, code: "invalid-requirement", message: req.error });
        return;
    }
    const name = req.name ?? preview(req.target ?? text, 200);
    state.dependencies.push(makeDependency({ name, version: req.version, file, line, kind: req.kind }, fmt));
}
function followInclude(from, line, target, state) {
    if (!state.ctx)
        return;
    const got = state.ctx.readInclude(from, target);
    if ("error" in got) {
        state.errors.push({ file: from, line, code: got.code, message: got.error, include: target });
        return;
    }
    if (state.stack.includes(got.file)) {
        state.errors.push({
            file: from,
            line,
            code: "include-cycle",
            message: `include cycle: ${[...state.stack, got.file].join(" -> ")}`,
        });
        return;
    }
    if (state.seen.has(got.file))
        return;
    state.seen.add(got.file);
    state.stack.push(got.file);
    parseLines(logicalLines(got.text), got.file, "requirements", state);
    state.stack.pop();
}
/**
 * pip reads `--index-url` wherever it stands (the last one wins) and fetches every requirement
 * from it: a file that names an index other than PyPI records it on each index requirement.
 * With `--no-index` nothing comes from an index: the first `--find-links` location is recorded
 * (or `--no-index` itself), so that no name of such a file is sent to PyPI. `--extra-index-url`
 * adds an index beside PyPI, so those packages may still come from PyPI.
 */
function withIndex(state) {
    const index = state.noIndex
        ? (recordedIndex(state.findLinks[0]) ?? "--no-index")
        : recordedIndex(state.indexUrl);
    if (index === undefined)
        return state.dependencies;
    return state.dependencies.map((d) => (d.kind === "pypi" ? { ...d, index } : d));
}
function startState(file, ctx) {
    return { ctx, seen: new Set([file]), stack: [file], dependencies: [], errors: [], findLinks: [] };
}
function parse(text, file, ctx) {
    const state = startState(file, ctx);
    parseLines(logicalLines(text), file, "requirements", state);
    return { dependencies: withIndex(state), errors: state.errors };
}
/**
 * Parses requirement entries that come one per item with known lines (a conda `pip:` list).
 * Includes are followed relative to `file`.
 */
function parseEntries(entries, file, fmt, ctx) {
    const state = startState(file, ctx);
    const lines = entries
        .map((e) => ({ text: stripComment(e.text), line: e.line }))
        .filter((e) => e.text !== "");
    parseLines(lines, file, fmt, state);
    return { dependencies: withIndex(state), errors: state.errors };
}

;// CONCATENATED MODULE: ./src/lockfiles/formats/conda.ts
// environment.yml / environment.yaml: conda packages (kind `conda`, never looked up) and the
// `pip:` list, parsed as requirement lines with their YAML line numbers. Aliases and merge keys
// are followed; a key written twice is refused (decodeYaml), since readers disagree on it.







const conda_format = "conda";
function conda_matches(path) {
    return /^environment\.ya?ml$/.test(baseName(path));
}
/** `channel::name=1.2=build`, `name >=1.0`, `name==1.0`, `name 1.0 build`. */
function parseCondaSpec(spec) {
    const withoutChannel = spec.includes("::") ? spec.slice(spec.lastIndexOf("::") + 2) : spec;
    const m = /^\s*([A-Za-z0-9_][A-Za-z0-9._-]*)\s*(.*)$/s.exec(withoutChannel);
    // Conda names may start with `_` (`_libgcc_mutex`), which PEP 508 names may not.
    if (!m ||
        m[1].length > 200 ||
        !(isValidName(m[1]) || /^_[A-Za-z0-9._-]*[A-Za-z0-9]$/.test(m[1])))
        return undefined;
    const rest = m[2].trim();
    const exact = /^==\s*([^\s,|=<>!*]+)$/.exec(rest);
    const exported = /^=([^\s,|=<>!*]+)=\S+$/.exec(rest);
    const spaced = /^([0-9][^\s,|=<>!*]*)\s+\S+$/.exec(rest);
    const version = exact?.[1] ?? exported?.[1] ?? spaced?.[1];
    return { name: m[1].toLowerCase(), ...(version === undefined ? {} : { version }) };
}
/** Line of a node's start, 1 when it has no range. */
function nodeLine(node, lineOf) {
    return (0,dist/* isNode */.Ll)(node) && node.range ? lineOf(node.range[0]) : 1;
}
function conda_parse(text, file, ctx) {
    const decoded = decodeYaml(text, file);
    if ("error" in decoded)
        return { dependencies: [], errors: [decoded.error] };
    const { doc, lineOf } = decoded;
    // Aliases and `<<` merges are followed as conda's YAML reader follows them: a list reached
    // through them is in the environment, and its lines are where its anchor was written.
    const yaml = new YamlView(doc);
    const dependencies = [];
    const errors = [];
    const deps = yaml.get(doc.contents, "dependencies");
    if (deps === undefined || deps === null)
        return { dependencies, errors };
    if (!(0,dist/* isSeq */.oP)(deps)) {
        return {
            dependencies,
            errors: [
                {
                    file,
                    line: nodeLine(deps, lineOf),
                    code: "invalid-lockfile",
                    message: "`dependencies` is not a list",
                },
            ],
        };
    }
    for (const item of yaml.items(deps)) {
        if ((0,dist/* isScalar */.jn)(item)) {
            const line = nodeLine(item, lineOf);
            const spec = String(item.value ?? "");
            const parsed = parseCondaSpec(spec);
            if (!parsed) {
                errors.push({
                    file,
                    line,
                    code: "invalid-requirement",
                    message: `not a conda package spec: "${preview(spec)}"`,
                });
                continue;
            }
            dependencies.push(makeDependency({ ...parsed, file, line, kind: "conda" }, conda_format));
        }
        else if ((0,dist/* isMap */.jh)(item)) {
            const entries = [];
            for (const p of yaml.items(yaml.get(item, "pip"))) {
                if (!(0,dist/* isScalar */.jn)(p))
                    continue;
                entries.push({ text: String(p.value ?? ""), line: nodeLine(p, lineOf) });
            }
            const result = parseEntries(entries, file, conda_format, ctx);
            dependencies.push(...result.dependencies);
            errors.push(...result.errors);
        }
    }
    return { dependencies, errors };
}

;// CONCATENATED MODULE: ./src/lockfiles/shared/toml-packages.ts




/**
 * Decodes `text` and returns the tables of its `key` array (`package` or `packages`) that carry a
 * valid name, in order, with their lines; everything else becomes an error. `projectOf` turns a
 * written name into the project's (pdm writes extras variants as `name[extra]`).
 */
function readTomlPackages(text, file, key, projectOf = (raw) => raw) {
    const decoded = decodeToml(text, file);
    if ("error" in decoded)
        return { packages: [], errors: [decoded.error] };
    const entries = decoded.value[key];
    const notALock = (message) => ({
        packages: [],
        errors: [{ file, line: 1, code: "invalid-lockfile", message }],
    });
    if (entries === undefined) {
        // A lockfile without packages is real (a project with no dependencies); one whose packages
        // stand under another key is not what the tool writes, and must not read as empty.
        const other = Object.entries(decoded.value).find(([k, v]) => k !== key && Array.isArray(v) && v.length > 0 && v.every(decode_isRecord));
        if (!other)
            return { packages: [], errors: [] };
        return notALock(`no \`${key}\` tables, but \`${preview(other[0], 40)}\` holds ${other[1].length}: this is not a lockfile as its tool writes it; regenerate it`);
    }
    if (!Array.isArray(entries))
        return notALock(`\`${key}\` is not an array of tables`);
    const rawNames = entries.map((p) => (decode_isRecord(p) ? (asString(p.name) ?? "") : ""));
    const lines = tomlPackageLines(text, key, rawNames);
    const packages = [];
    const errors = [];
    entries.forEach((table, i) => {
        const line = lines[i] ?? 1;
        const rawName = rawNames[i];
        const project = projectOf(rawName);
        if (!decode_isRecord(table) || !isValidName(project)) {
            errors.push({
                file,
                line,
                code: "invalid-package",
                message: `package without a valid name: "${preview(rawName)}"`,
            });
            return;
        }
        if (table.version !== undefined && typeof table.version !== "string") {
            errors.push({
                file,
                line,
                code: "invalid-package",
                message: `the version of ${normalizeName(project)} is not a string: ${preview(JSON.stringify(table.version) ?? "", 40)}`,
            });
            return;
        }
        packages.push({ table, name: normalizeName(project), line });
    });
    return { packages, errors };
}

;// CONCATENATED MODULE: ./src/lockfiles/formats/pdm.ts



const pdm_format = "pdm";
function pdm_matches(path) {
    return baseName(path) === "pdm.lock";
}
function entryKind(pkg) {
    if (typeof pkg.git === "string" || typeof pkg.hg === "string" || typeof pkg.svn === "string")
        return "vcs";
    if (typeof pkg.url === "string")
        return "url";
    if (typeof pkg.path === "string")
        return pkg.editable === true ? "editable" : "path";
    return "pypi";
}
function pdm_parse(text, file) {
    // Extras variants are written `name[extra]`; the project is the part before the bracket.
    const { packages, errors } = readTomlPackages(text, file, "package", (raw) => raw.replace(/\[.*$/, ""));
    const dependencies = packages.map(({ table: pkg, name, line }) => makeDependency({ name, version: asString(pkg.version), file, line, kind: entryKind(pkg) }, pdm_format));
    return { dependencies, errors };
}

;// CONCATENATED MODULE: ./src/lockfiles/formats/pipfile-lock.ts






const pipfile_lock_format = "pipfile-lock";
function pipfile_lock_matches(path) {
    return baseName(path) === "Pipfile.lock";
}
function pipfile_lock_entryKind(entry) {
    if (["git", "hg", "svn", "bzr"].some((k) => typeof entry[k] === "string"))
        return "vcs";
    const location = asString(entry.path) ?? asString(entry.file);
    if (location !== undefined) {
        if (entry.editable === true)
            return "editable";
        return /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(location) && !/^file:/i.test(location)
            ? "url"
            : "path";
    }
    return "pypi";
}
/**
 * Source URLs by name from `_meta.sources`, and the first source's URL: pipenv installs a
 * package without an `index` of its own from the first source. The oldest locks (pipenv 2017)
 * write sources with a `url` and no `name`: such a source is still the first one.
 */
function sourceUrls(meta) {
    const byName = new Map();
    let first;
    if (!decode_isRecord(meta) || !Array.isArray(meta.sources))
        return { byName };
    for (const s of meta.sources) {
        if (!decode_isRecord(s) || typeof s.url !== "string")
            continue;
        if (typeof s.name === "string")
            byName.set(s.name, s.url);
        first ??= s.url;
    }
    return first === undefined ? { byName } : { byName, first };
}
function pipfile_lock_parse(text, file) {
    const decoded = decodeJson(text, file);
    if ("error" in decoded)
        return { dependencies: [], errors: [decoded.error] };
    const root = decoded.value;
    if (!decode_isRecord(root)) {
        return {
            dependencies: [],
            errors: [
                { file, line: 1, code: "invalid-lockfile", message: "Pipfile.lock is not a JSON object" },
            ],
        };
    }
    const { sections: sectionLines, keys: keyLines } = jsonKeyLines(text);
    const sources = sourceUrls(root._meta);
    const dependencies = [];
    const errors = [];
    for (const [section, entries] of Object.entries(root)) {
        if (section === "_meta")
            continue;
        if (!decode_isRecord(entries)) {
            // `default`, `develop` and pipenv's other categories are objects of packages: anything
            // else is not a lock pipenv wrote, and must not read as an empty section.
            errors.push({
                file,
                line: sectionLines.get(section) ?? 1,
                code: "invalid-lockfile",
                message: `section "${preview(section, 40)}" is not an object of packages; regenerate the lock with pipenv lock`,
            });
            continue;
        }
        for (const [rawName, entry] of Object.entries(entries)) {
            const line = keyLines.get(section)?.get(rawName) ?? 1;
            if (!isValidName(rawName)) {
                errors.push(invalidNameError(file, line, rawName));
                continue;
            }
            const name = normalizeName(rawName);
            if (typeof entry === "string") {
                const index = recordedIndex(sources.first);
                dependencies.push(makeDependency({ name, version: exactPin(entry), file, line, kind: "pypi", index }, pipfile_lock_format));
                continue;
            }
            if (!decode_isRecord(entry)) {
                errors.push({
                    file,
                    line,
                    code: "invalid-package",
                    message: `entry for ${name} is neither a string nor an object`,
                });
                continue;
            }
            const kind = pipfile_lock_entryKind(entry);
            const spec = asString(entry.version);
            const indexName = asString(entry.index);
            const indexUrl = indexName !== undefined ? sources.byName.get(indexName) : sources.first;
            const index = kind === "pypi" ? recordedIndex(indexUrl) : undefined;
            dependencies.push(makeDependency({
                name,
                version: spec === undefined ? undefined : exactPin(spec),
                file,
                line,
                kind,
                index,
            }, pipfile_lock_format));
        }
    }
    return { dependencies, errors };
}

;// CONCATENATED MODULE: ./src/lockfiles/formats/poetry.ts




const poetry_format = "poetry";
function poetry_matches(path) {
    return baseName(path) === "poetry.lock";
}
function sourceKind(source, develop) {
    switch (asString(source.type)) {
        case "git":
        case "hg":
        case "svn":
        case "bzr":
            return "vcs";
        case "url":
            return "url";
        case "directory":
            return develop ? "editable" : "path";
        case "file":
            return "path";
        default:
            return "pypi";
    }
}
function poetry_parse(text, file) {
    const { packages, errors } = readTomlPackages(text, file, "package");
    const dependencies = packages.map(({ table: pkg, name, line }) => {
        const source = decode_isRecord(pkg.source) ? pkg.source : undefined;
        const kind = source ? sourceKind(source, pkg.develop === true) : "pypi";
        // `legacy` (and `pypi`-typed mirrors) sources: the index the package was locked from.
        const index = source && kind === "pypi" ? recordedIndex(source.url) : undefined;
        return makeDependency({ name, version: asString(pkg.version), file, line, kind, index }, poetry_format);
    });
    return { dependencies, errors };
}

;// CONCATENATED MODULE: ./src/lockfiles/formats/pylock.ts




const pylock_format = "pylock";
function pylock_matches(path) {
    return /^pylock\.([^.\\/]+\.)?toml$/.test(baseName(path));
}
function pylock_entryKind(pkg) {
    if (decode_isRecord(pkg.vcs))
        return "vcs";
    if (decode_isRecord(pkg.directory))
        return pkg.directory.editable === true ? "editable" : "path";
    if (decode_isRecord(pkg.archive))
        return typeof pkg.archive.url === "string" ? "url" : "path";
    return "pypi";
}
function pylock_parse(text, file) {
    const { packages, errors } = readTomlPackages(text, file, "packages");
    const dependencies = packages.map(({ table: pkg, name, line }) => {
        const kind = pylock_entryKind(pkg);
        const index = kind === "pypi" ? recordedIndex(pkg.index) : undefined;
        return makeDependency({ name, version: asString(pkg.version), file, line, kind, index }, pylock_format);
    });
    return { dependencies, errors };
}

;// CONCATENATED MODULE: ./src/lockfiles/formats/pyproject.ts






const pyproject_format = "pyproject";
function pyproject_matches(path) {
    return baseName(path) === "pyproject.toml";
}
/** Line starts as a multiline `^` sees them: after `\n`, `\r`, U+2028 and U+2029. */
const pyproject_LINE_BREAK = /[\n\r\u2028\u2029]/g;
/** Where the first word of a line's key ends: a blank, `=` or the end of the line. */
const WORD_END = /[ \t=\n\r\u2028\u2029]/g;
/** The text of `text` from `at` up to the first WORD_END. */
function wordAt(text, at) {
    WORD_END.lastIndex = at;
    const end = WORD_END.exec(text);
    return text.slice(at, end ? end.index : text.length);
}
/**
 * Finds each literal's line, first unused occurrence first, so repeats map to later lines. The
 * places a literal can start are looked up in indexes built once, and each literal's matches are
 * walked once over all its calls, so a file of many (or many repeated) entries is read in linear
 * time; each answer is the one a search of the whole text for the first unused match would give.
 */
class LiteralLines {
    text;
    index;
    quotes;
    used = new Set();
    matches = new Map();
    /** Line starts by the first word after their blanks, and by their quoted key (`"name`). */
    keyStarts;
    constructor(text) {
        this.text = text;
        this.index = new LineIndex(text);
        this.quotes = new QuoteIndex(text);
    }
    find(id, make) {
        let matches = this.matches.get(id);
        if (!matches) {
            matches = make();
            this.matches.set(id, matches);
        }
        // Every earlier match of this literal was taken, by it or by another literal.
        for (let at = matches.find(); at >= 0; at = matches.find()) {
            if (!this.used.has(at)) {
                this.used.add(at);
                return this.index.lineOf(at);
            }
        }
        return 1;
    }
    /** The line of `value` quoted (`(["'])value\1`). */
    string(value) {
        return this.find(`s${value}`, () => {
            const lengthAt = unquoted(value)
                ? () => value.length + 2
                : regexLengthAt(this.text, `(["'])${escapeRegExp(value)}\\1`);
            return new CandidateMatches(this.quotes.openings(value), lengthAt);
        });
    }
    /** The line of the key `name` (`^[ \t]*(["']?)name\1[ \t]*=`). */
    key(name) {
        return this.find(`k${name}`, () => this.keyMatches(name));
    }
    /**
     * The line of the first `name =` key, whether or not `key` took it (for errors about a key,
     * which must not move the lines of entries); undefined when there is none.
     */
    firstKey(name) {
        const at = this.keyMatches(name).find();
        return at < 0 ? undefined : this.index.lineOf(at);
    }
    keyMatches(name) {
        const starts = this.lineStarts();
        // Quoted, the key is the text up to the next quote; bare, the name after its own leading
        // blanks begins like the line's first word.
        const quoted = ['"', "'"].map((quote) => {
            const inner = name.indexOf(quote);
            return starts.quoted.get(quote + (inner < 0 ? name : name.slice(0, inner))) ?? [];
        });
        const bare = starts.bare.get(wordAt(name.replace(/^[ \t]+/, ""), 0)) ?? [];
        const lengthAt = name !== "" && wordAt(name, 0) === name && unquoted(name)
            ? (at) => this.plainKeyLength(at, name.length)
            : regexLengthAt(this.text, `^[ \\t]*(["']?)${escapeRegExp(name)}\\1[ \\t]*=`, "m");
        return new CandidateMatches(mergeSorted([...quoted, bare]), lengthAt);
    }
    /**
     * The match length at line start `at` of a key that is one word without quotes, found there
     * by the indexes (quoted or bare): what follows it must be blanks and `=`; -1 otherwise.
     */
    plainKeyLength(at, length) {
        const text = this.text;
        let i = at;
        while (text[i] === " " || text[i] === "\t")
            i++;
        i += text[i] === '"' || text[i] === "'" ? length + 2 : length;
        while (text[i] === " " || text[i] === "\t")
            i++;
        return text[i] === "=" ? i + 1 - at : -1;
    }
    lineStarts() {
        if (this.keyStarts)
            return this.keyStarts;
        const bare = new Map();
        const quoted = new Map();
        const add = (map, key, at) => {
            const list = map.get(key);
            if (list)
                list.push(at);
            else
                map.set(key, [at]);
        };
        const text = this.text;
        let start = 0;
        for (;;) {
            let at = start;
            while (text[at] === " " || text[at] === "\t")
                at++;
            add(bare, wordAt(text, at), start);
            const quote = text[at];
            if (quote === '"' || quote === "'") {
                const close = text.indexOf(quote, at + 1);
                if (close >= 0)
                    add(quoted, quote + text.slice(at + 1, close), start);
            }
            pyproject_LINE_BREAK.lastIndex = start;
            const lineBreak = pyproject_LINE_BREAK.exec(text);
            if (!lineBreak)
                break;
            start = lineBreak.index + 1;
        }
        this.keyStarts = { bare, quoted };
        return this.keyStarts;
    }
}
/** A Poetry constraint: a bare version (`"1.2.3"`) or `==1.2.3` is exact; `^`, `~`, `*`, ranges are not. */
function poetryPin(constraint) {
    const c = constraint.trim();
    if (/^[0-9][A-Za-z0-9.+!-]*$/.test(c) && !c.endsWith(".*"))
        return c;
    return exactPin(c);
}
/** Indexes by name from an array of `{ name, url, ... }` tables (`[[tool.uv.index]]`, `[[tool.poetry.source]]`). */
function namedIndexes(list) {
    if (!Array.isArray(list))
        return [];
    const out = [];
    for (const t of list) {
        if (decode_isRecord(t) && typeof t.name === "string" && typeof t.url === "string")
            out.push({ name: t.name, url: t.url, table: t });
    }
    return out;
}
/**
 * Which index each dependency is declared to come from: uv's `[tool.uv.sources]` entries with
 * `index = "name"` and an index marked `default = true`; Poetry's per-dependency `source =
 * "name"` and a primary source (no priority, `primary`, `default`, or the older `default = true`),
 * which replaces PyPI for every dependency without a source of its own.
 */
function declaredIndexes(tool) {
    const byName = new Map();
    let fallback;
    const uv = decode_isRecord(tool.uv) ? tool.uv : {};
    const uvIndexes = namedIndexes(uv.index);
    const uvDefault = uvIndexes.find((i) => i.table.default === true);
    if (uvDefault)
        fallback = uvDefault.url;
    if (decode_isRecord(uv.sources)) {
        for (const [rawName, spec] of Object.entries(uv.sources)) {
            const specs = Array.isArray(spec) ? spec : [spec];
            const named = specs.find((s) => decode_isRecord(s) && typeof s.index === "string");
            const url = named && uvIndexes.find((i) => i.name === named.index)?.url;
            if (url && isValidName(rawName))
                byName.set(normalizeName(rawName), url);
        }
    }
    const poetry = decode_isRecord(tool.poetry) ? tool.poetry : {};
    const sources = namedIndexes(poetry.source);
    const primary = sources.find((s) => {
        const priority = asString(s.table.priority);
        if (priority !== undefined)
            return priority === "primary" || priority === "default";
        return s.table.secondary !== true;
    });
    if (primary && fallback === undefined)
        fallback = primary.url;
    // PDM: a `[[tool.pdm.source]]` named `pypi` replaces PyPI itself.
    const pdm = decode_isRecord(tool.pdm) ? tool.pdm : {};
    const pdmPypi = namedIndexes(pdm.source).find((s) => s.name === "pypi");
    if (pdmPypi && fallback === undefined)
        fallback = pdmPypi.url;
    const tables = [poetry.dependencies, poetry["dev-dependencies"]];
    if (decode_isRecord(poetry.group)) {
        for (const group of Object.values(poetry.group))
            if (decode_isRecord(group))
                tables.push(group.dependencies);
    }
    for (const table of tables) {
        if (!decode_isRecord(table))
            continue;
        for (const [rawName, spec] of Object.entries(table)) {
            const specs = Array.isArray(spec) ? spec : [spec];
            for (const one of specs) {
                const url = decode_isRecord(one) && typeof one.source === "string"
                    ? sources.find((s) => s.name === one.source)?.url
                    : undefined;
                if (url && isValidName(rawName))
                    byName.set(normalizeName(rawName), url);
            }
        }
    }
    return fallback === undefined ? { byName } : { byName, fallback };
}
function pyproject_parse(text, file) {
    const decoded = decodeToml(text, file);
    if ("error" in decoded)
        return { dependencies: [], errors: [decoded.error] };
    const doc = decoded.value;
    const lines = new LiteralLines(text);
    const dependencies = [];
    const errors = [];
    const addString = (req) => {
        if (typeof req !== "string")
            return;
        const line = lines.string(req);
        const parsed = parseRequirement(req);
        if ("error" in parsed) {
            errors.push({ file, line, code: "invalid-requirement", message: parsed.error });
            return;
        }
        const name = parsed.name ?? preview(parsed.target ?? req, 200);
        dependencies.push(makeDependency({ name, version: parsed.version, file, line, kind: parsed.kind }, pyproject_format));
    };
    // The line of a key named by its dotted path (`project.dependencies`): the first line that
    // starts with the longest end of the path written as a key (`project.dependencies =`, or
    // `dependencies =` under `[project]`), found once per key.
    const keyLines = new Map();
    const keyLine = (key) => {
        let line = keyLines.get(key);
        if (line === undefined) {
            const parts = key.split(".");
            for (let i = 0; i < parts.length && line === undefined; i++)
                line = lines.firstKey(parts.slice(i).join("."));
            line ??= 1;
            keyLines.set(key, line);
        }
        return line;
    };
    // A value of the wrong type is said, not skipped: its requirements would go unchecked, and
    // pip or uv would refuse the file.
    const wrongType = (key, what) => {
        const error = {
            file,
            line: keyLine(key),
            code: "invalid-requirement",
            message: `\`${key}\` ${what}`,
        };
        errors.push(error);
        return error;
    };
    const addList = (list, key) => {
        if (list === undefined)
            return;
        if (!Array.isArray(list)) {
            wrongType(key, "is not a list of requirement strings");
            return;
        }
        // One error per list, at the place of its first wrong item among the errors: a list of
        // many wrong items is one mistake.
        let wrong = 0;
        let first;
        for (const item of list) {
            if (typeof item === "string")
                addString(item);
            // `{include-group = "..."}` names another group, read on its own.
            else if (!(key.startsWith("dependency-groups.") &&
                decode_isRecord(item) &&
                "include-group" in item)) {
                wrong++;
                if (!first) {
                    const shown = preview(JSON.stringify(item) ?? String(item), 60);
                    first = {
                        error: wrongType(key, `holds ${shown}, which is not a requirement string`),
                        item: shown,
                    };
                }
            }
        }
        if (first && wrong > 1)
            first.error.message = `\`${key}\` holds ${wrong} items that are not requirement strings, the first ${first.item}`;
    };
    const addLists = (table, key) => {
        if (table === undefined)
            return;
        if (!decode_isRecord(table)) {
            wrongType(key, "is not a table of requirement lists");
            return;
        }
        for (const [name, list] of Object.entries(table))
            addList(list, `${key}.${name}`);
    };
    const project = decode_isRecord(doc.project) ? doc.project : {};
    addList(project.dependencies, "project.dependencies");
    addLists(project["optional-dependencies"], "project.optional-dependencies");
    addLists(doc["dependency-groups"], "dependency-groups");
    const tool = decode_isRecord(doc.tool) ? doc.tool : {};
    const poetry = decode_isRecord(tool.poetry) ? tool.poetry : {};
    const poetryTables = [poetry.dependencies, poetry["dev-dependencies"]];
    if (decode_isRecord(poetry.group)) {
        for (const group of Object.values(poetry.group))
            if (decode_isRecord(group))
                poetryTables.push(group.dependencies);
    }
    for (const table of poetryTables) {
        if (!decode_isRecord(table))
            continue;
        for (const [rawName, spec] of Object.entries(table)) {
            if (rawName.toLowerCase() === "python")
                continue;
            const line = lines.key(rawName);
            if (!isValidName(rawName)) {
                errors.push(invalidNameError(file, line, rawName));
                continue;
            }
            const name = normalizeName(rawName);
            const specs = Array.isArray(spec) ? spec : [spec];
            for (const one of specs) {
                if (typeof one === "string") {
                    dependencies.push(makeDependency({ name, version: poetryPin(one), file, line, kind: "pypi" }, pyproject_format));
                }
                else if (decode_isRecord(one)) {
                    const kind = typeof one.git === "string"
                        ? "vcs"
                        : typeof one.url === "string"
                            ? "url"
                            : typeof one.path === "string"
                                ? one.develop === true
                                    ? "editable"
                                    : "path"
                                : "pypi";
                    const version = kind === "pypi" ? poetryPin(asString(one.version) ?? "") : undefined;
                    dependencies.push(makeDependency({ name, version, file, line, kind }, pyproject_format));
                }
            }
        }
    }
    const declared = declaredIndexes(tool);
    for (const dep of dependencies) {
        if (dep.kind !== "pypi")
            continue;
        const index = recordedIndex(declared.byName.get(dep.name) ?? declared.fallback);
        if (index !== undefined)
            dep.index = index;
    }
    return { dependencies, errors };
}

;// CONCATENATED MODULE: ./src/lockfiles/formats/setup-cfg.ts



const setup_cfg_format = "setup-cfg";
function setup_cfg_matches(path) {
    return baseName(path) === "setup.cfg";
}
/** `[options] install_requires` and every key of `[options.extras_require]`, in file order. */
function requirementOptions(text) {
    const options = [];
    let section = "";
    let current;
    const physical = text.split("\n");
    for (let i = 0; i < physical.length; i++) {
        const line = physical[i].replace(/\r$/, "");
        const trimmed = line.trim();
        if (trimmed === "" || trimmed.startsWith("#") || trimmed.startsWith(";"))
            continue;
        const header = /^\[([^\]]+)\]\s*$/.exec(trimmed);
        if (header && !/^\s/.test(line)) {
            section = header[1].trim().toLowerCase();
            current = undefined;
            continue;
        }
        if (/^\s/.test(line)) {
            current?.rest.push({ text: trimmed, line: i + 1 });
            continue;
        }
        current = undefined;
        const kv = /^([^=:]+?)\s*[=:]\s*(.*)$/.exec(line);
        if (!kv)
            continue;
        const key = kv[1].trim().toLowerCase().replace(/-/g, "_");
        if ((section === "options" && key === "install_requires") ||
            section === "options.extras_require") {
            current = { line: i + 1, first: kv[2].trim(), rest: [] };
            options.push(current);
        }
    }
    return options;
}
/** PEP 508 marker variables (packaging's default environment, as setuptools checks them). */
const MARKER_VARIABLE = /^(python_version|python_full_version|os_name|sys_platform|platform_release|platform_system|platform_version|platform_machine|platform_python_implementation|implementation_name|implementation_version)\b/;
/**
 * A value on one line, split on `;` as setuptools splits it. `foo; python_version<"3.8"` is
 * then two requirements, and the second is none: setuptools refuses it (a marker needs its own
 * line), so it is an error here, not a package called python_version.
 */
function splitOneLine(text, file, line, errors) {
    const parts = text
        .split(";")
        .map((part) => part.trim())
        .filter((part) => part !== "");
    const second = parts[1];
    if (parts.length === 2 && MARKER_VARIABLE.test(second) && /["']/.test(second)) {
        errors.push({
            file,
            line,
            code: "invalid-requirement",
            message: `"${preview(second)}" is a marker, but setuptools splits a value on one line at \`;\` and reads it as a second requirement: put the requirement on its own line under the key`,
        });
        return parts.slice(0, 1);
    }
    return parts;
}
/**
 * setuptools reads `file:` only at the start of the key's line; anywhere else it is taken as a
 * requirement and the build fails. Reported rather than read as a path named `file: ...`.
 */
function misplacedFile(entries, file, errors) {
    return entries.filter((entry) => {
        if (!entry.text.startsWith("file:"))
            return true;
        errors.push({
            file,
            line: entry.line,
            code: "invalid-option",
            message: `"${preview(entry.text)}" is read by setuptools as a requirement, not a file list: write \`file:\` right after the key, as in \`install_requires = file: requirements.in\``,
        });
        return false;
    });
}
/**
 * `file: a.in, b.in`: setuptools joins the files' texts with a line break and splits the result
 * into lines, or on `;` when it holds no line break at all (one file of one line). Each file's
 * lines keep their own file and line. Without an include reader nothing is followed, as for `-r`.
 */
function readFileList(option, file, ctx, out) {
    const error = (code, message) => out.errors.push({ file, line: option.line, code, message });
    if (option.rest.length > 0) {
        error("invalid-option", "setuptools takes the lines under `file:` as part of one file name: list the files on the key's line, separated by commas");
        return;
    }
    if (!ctx)
        return;
    const texts = [];
    for (const target of option.first.slice("file:".length).split(",")) {
        if (target.trim() === "") {
            error("invalid-option", "`file:` needs a file name");
            continue;
        }
        const got = ctx.readInclude(file, target.trim());
        // Its requirements are unknown: it counts as a lockfile not read.
        if ("error" in got)
            out.errors.push({
                file,
                line: option.line,
                code: got.code,
                message: got.error,
                include: target.trim(),
            });
        else
            texts.push(got);
    }
    const oneLine = texts.length === 1 && !texts[0].text.includes("\n");
    for (const included of texts) {
        const lines = oneLine
            ? splitOneLine(included.text, included.file, 1, out.errors).map((text) => ({ text, line: 1 }))
            : logicalLines(included.text);
        add(out, parseEntries(misplacedFile(lines, included.file, out.errors), included.file, "requirements"));
    }
}
function add(out, result) {
    out.dependencies.push(...result.dependencies);
    out.errors.push(...result.errors);
}
function setup_cfg_parse(text, file, ctx) {
    const out = { dependencies: [], errors: [] };
    for (const option of requirementOptions(text)) {
        if (option.first.startsWith("file:")) {
            readFileList(option, file, ctx, out);
            continue;
        }
        // configparser's value holds a line break only when a continuation line is not empty.
        const entries = option.rest.length === 0
            ? splitOneLine(option.first, file, option.line, out.errors).map((text) => ({
                text,
                line: option.line,
            }))
            : [
                ...(option.first === "" ? [] : [{ text: option.first, line: option.line }]),
                ...option.rest,
            ];
        add(out, parseEntries(misplacedFile(entries, file, out.errors), file, setup_cfg_format));
    }
    return out;
}

;// CONCATENATED MODULE: ./src/lockfiles/formats/uv.ts




const uv_format = "uv";
function uv_matches(path) {
    return baseName(path) === "uv.lock";
}
function uv_sourceKind(source) {
    if (typeof source.registry === "string") {
        // A package from any registry but PyPI records it in `index`.
        const index = recordedIndex(source.registry);
        return index === undefined ? { kind: "pypi" } : { kind: "pypi", index };
    }
    if ("git" in source)
        return { kind: "vcs" };
    if ("url" in source)
        return { kind: "url" };
    if ("editable" in source)
        return { kind: "editable" };
    return { kind: "path" }; // virtual, workspace, directory, path
}
function uv_parse(text, file) {
    const { packages, errors } = readTomlPackages(text, file, "package");
    const dependencies = packages.map(({ table: pkg, name, line }) => {
        // A package without a source is a registry package in the oldest lock versions.
        const { kind, index } = decode_isRecord(pkg.source)
            ? uv_sourceKind(pkg.source)
            : { kind: "pypi", index: undefined };
        return makeDependency({ name, version: asString(pkg.version), file, line, kind, index }, uv_format);
    });
    return { dependencies, errors };
}

;// CONCATENATED MODULE: ./src/lockfiles/detect.ts









const PARSERS = [
    requirements_namespaceObject,
    poetry_namespaceObject,
    pipfile_lock_namespaceObject,
    uv_namespaceObject,
    pdm_namespaceObject,
    pylock_namespaceObject,
    conda_namespaceObject,
    pyproject_namespaceObject,
    setup_cfg_namespaceObject,
];
function parserFor(format) {
    return PARSERS.find((p) => p.format === format);
}
/** The format a file's name claims, if any. */
function formatByName(path) {
    return PARSERS.find((p) => p.matches(path))?.format;
}
/**
 * Looks at the first 64 KiB of text for the marks each format leaves (and at the whole text for
 * the `[metadata]` keys poetry and older pdm write at the end). A mark at the start of a line
 * may be indented by spaces and tabs only: `^\s*` would also run across line ends, and retry
 * every run of blank lines from each of its lines (quadratic in a file of blank lines).
 */
function formatByContent(text) {
    const head = text.slice(0, 65536);
    const trimmed = head.trimStart();
    if (trimmed.startsWith("{")) {
        return /"_meta"\s*:|"default"\s*:|"develop"\s*:/.test(head) ? "pipfile-lock" : undefined;
    }
    if (/^[ \t]*\[\[packages\]\]/m.test(head) ||
        /^lock-version\s*=/m.test(head) ||
        /^[ \t]*packages\s*=\s*\[/m.test(head)) {
        return "pylock";
    }
    if (/^[ \t]*\[\[package\]\]/m.test(head)) {
        if (/^[ \t]*source\s*=\s*\{/m.test(head) ||
            /^[ \t]*\[manifest\]/m.test(head) ||
            /^revision\s*=/m.test(head))
            return "uv";
        if (/^[ \t]*python-versions\s*=/m.test(head) || /^content-hash\s*=/m.test(text))
            return "poetry";
        if (/^[ \t]*(lock_version|content_hash|requires_python)\s*=|^[ \t]*sections\s*=\s*\[/m.test(text))
            return "pdm";
        return "uv";
    }
    if (/^[ \t]*\[(project|build-system|dependency-groups|tool\.poetry)\]/m.test(head))
        return "pyproject";
    if (/^[ \t]*\[options(\.extras_require)?\]/m.test(head) &&
        /^[ \t]*(install_requires|[\w-]+\s*=)/m.test(head)) {
        return "setup-cfg";
    }
    if (/^dependencies\s*:/m.test(head) &&
        (/^(name|channels)\s*:/m.test(head) || /^[ \t]+-\s/m.test(head)))
        return "conda";
    return undefined;
}
/**
 * The format of `file`: by name, else by content (a uv script lock `x.py.lock`, a renamed
 * requirements file `dev.in`). Undefined when neither says.
 */
function detectFormat(file, text) {
    const byName = formatByName(file);
    if (byName)
        return byName;
    if (text === undefined)
        return undefined;
    const byContent = formatByContent(text);
    if (byContent)
        return byContent;
    if (/\.(txt|in)$/i.test(file))
        return "requirements";
    return undefined;
}

;// CONCATENATED MODULE: ./src/discover/text.ts
// What counts as lockfile text, wherever it came from (a file on disk or a git commit): at most
// MAX_FILE_BYTES, no NUL bytes, and a leading UTF-8 byte order mark is not part of it.
/** Largest file read, in bytes. */
const text_MAX_FILE_BYTES = 20 * 1024 * 1024;
/** `size` is in bytes for a file read from disk, in characters for text handed over as such. */
function tooLarge(size) {
    return {
        code: "file-too-large",
        message: `refused: file is ${(size / 1024 / 1024).toFixed(1)} MB, over the ${text_MAX_FILE_BYTES / 1024 / 1024} MB limit`,
    };
}
const BINARY_FILE = {
    code: "binary-file",
    message: "refused: binary file (contains NUL bytes)",
};
/** Refuses text over the size limit, then text with a NUL character; undefined when it may be parsed. */
function text_refuseText(text) {
    if (text.length > text_MAX_FILE_BYTES)
        return tooLarge(text.length);
    if (text.includes("\u0000"))
        return { ...BINARY_FILE };
    return undefined;
}
function text_stripBom(text) {
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

;// CONCATENATED MODULE: ./src/discover/read.ts
// Reading a file from disk without trusting it: never open what is not a regular file (a FIFO
// or device could block or never end), stop reading past MAX_FILE_BYTES even if the file grows
// after stat, and turn every failure into a message instead of an exception.


/** A short reason for a failed file system call (`no such file`, `permission denied`, ...). */
function describeError(error) {
    const code = error?.code;
    if (code === "ENOENT")
        return "no such file";
    if (code === "EACCES" || code === "EPERM")
        return "permission denied";
    if (code === "EISDIR")
        return "is a directory";
    if (code === "ELOOP")
        return "too many levels of symbolic links";
    return code ?? (error instanceof Error ? error.message : String(error));
}
/**
 * Text as pip reads it: UTF-16 when the file starts with its byte-order mark (what Windows
 * PowerShell's `pip freeze > requirements.txt` writes), else UTF-8 (a UTF-8 BOM is dropped).
 * NUL characters in the text mean binary.
 */
function textFromBytes(bytes) {
    let text;
    if (bytes[0] === 0xff && bytes[1] === 0xfe && bytes.length % 2 === 0) {
        text = bytes.subarray(2).toString("utf16le");
    }
    else if (bytes[0] === 0xfe && bytes[1] === 0xff && bytes.length % 2 === 0) {
        text = Buffer.from(bytes.subarray(2)).swap16().toString("utf16le");
    }
    else {
        if (bytes.includes(0))
            return { ...BINARY_FILE };
        text = bytes.toString("utf8");
    }
    if (text.includes("\u0000"))
        return { ...BINARY_FILE };
    return { text: text_stripBom(text) };
}
/**
 * Read a file of at most MAX_FILE_BYTES, refusing a larger one while reading (its size may
 * change after stat). Synchronous: discovery reads one file at a time, and `-r`/`-c` targets are
 * read from inside the (synchronous) parsers.
 */
function readCapped(path) {
    let fd;
    try {
        fd = (0,external_node_fs_.openSync)(path, "r");
        const info = (0,external_node_fs_.fstatSync)(fd);
        if (!info.isFile())
            return { code: "unreadable", message: "cannot read: not a regular file" };
        if (info.size > text_MAX_FILE_BYTES)
            return tooLarge(info.size);
        const chunks = [];
        let total = 0;
        for (;;) {
            const buffer = Buffer.alloc(Math.min(1024 * 1024, text_MAX_FILE_BYTES + 1 - total));
            const bytesRead = (0,external_node_fs_.readSync)(fd, buffer, 0, buffer.length, null);
            if (bytesRead === 0)
                break;
            chunks.push(buffer.subarray(0, bytesRead));
            total += bytesRead;
            if (total > text_MAX_FILE_BYTES)
                return tooLarge(total);
        }
        return textFromBytes(Buffer.concat(chunks, total));
    }
    catch (error) {
        return { code: "unreadable", message: `cannot read: ${describeError(error)}` };
    }
    finally {
        if (fd !== undefined)
            (0,external_node_fs_.closeSync)(fd);
    }
}
/**
 * Reads an already confined `-r`/`-c` target (its real path), checking it is a regular file
 * before opening it. `shown` is the target as the messages quote it.
 */
function readIncludedFile(real, shown) {
    try {
        if (!(0,external_node_fs_.statSync)(real).isFile())
            return {
                code: "unreadable",
                error: `cannot read included file ${shown}: not a regular file`,
            };
    }
    catch (error) {
        return {
            code: "include-missing",
            error: `cannot read included file ${shown}: ${describeError(error)}`,
        };
    }
    const read = readCapped(real);
    if (!("text" in read))
        return { code: read.code, error: `${shown}: ${read.message}` };
    return { text: read.text };
}

;// CONCATENATED MODULE: ./src/discover/confine.ts
// The rules that keep a scan inside the folder it was asked to read: a symbolic link or a
// `-r`/`-c` target that leaves the scanned root is refused, and an include that is a URL is not
// followed. The same include rules hold on disk and inside a git commit.




/** True when `path` is `root` or below it (both absolute, compared as written). */
function isInside(root, path) {
    const rel = (0,external_node_path_.relative)(root, path);
    return rel === "" || (!rel.startsWith(`..${external_node_path_.sep}`) && rel !== ".." && !(0,external_node_path_.isAbsolute)(rel));
}
/** The error for a symbolic link (or a named file's real path) that leaves the scanned root. */
function linkOutsideRoot(file) {
    return {
        file,
        code: "symlink-outside-root",
        message: "refused: symbolic link resolves outside the scanned folder",
    };
}
/** An include target as messages quote it. */
function confine_shownTarget(target) {
    return preview(target, 200);
}
/** Refuses a `-r`/`-c` target written as a URL: only local files are read. */
function remoteInclude(target) {
    if (!/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(target))
        return undefined;
    return {
        code: "include-remote",
        error: `not followed: ${confine_shownTarget(target)} is a URL (only local files are read)`,
    };
}
function outsideRoot(target, verb) {
    return {
        code: "include-outside-root",
        error: `refused: ${confine_shownTarget(target)} ${verb} outside the scanned folder`,
    };
}
/**
 * Where a `-r`/`-c` target written in the file at `from` (absolute) lives on disk, or why it is
 * not read. Checked lexically first, so nothing outside the root is even looked at, then again
 * after resolving symbolic links.
 */
function confineDiskInclude(from, target, roots) {
    const remote = remoteInclude(target);
    if (remote)
        return remote;
    const absolute = (0,external_node_path_.resolve)((0,external_node_path_.dirname)(from), target);
    if (!isInside(roots.lexicalRoot, absolute))
        return outsideRoot(target, "is");
    let real;
    try {
        real = (0,external_node_fs_.realpathSync)(absolute);
    }
    catch (error) {
        return {
            code: "include-missing",
            error: `cannot read included file ${confine_shownTarget(target)}: ${describeError(error)}`,
        };
    }
    if (!isInside(roots.scanRoot, real))
        return outsideRoot(target, "resolves");
    return { absolute, real };
}
/**
 * The `/`-separated path, relative to the commit's root, of a `-r`/`-c` target written in
 * `fromFile` (itself such a path), or why it is not read.
 */
function confine_confineCommitInclude(fromFile, target) {
    const remote = remoteInclude(target);
    if (remote)
        return remote;
    const joined = posix.normalize(posix.join(posix.dirname(fromFile), target.replace(/\\/g, "/")));
    if (joined.startsWith("../") || joined === ".." || posix.isAbsolute(joined)) {
        return outsideRoot(target, "is");
    }
    return { file: joined };
}
/**
 * Why a file that a config file named may not be written at `path` (relative to `root`), or
 * undefined when it may: it must stay inside `root` once links are resolved (the folders that
 * exist on the way, followed), and must not itself be a symbolic link. A repository cannot then
 * aim a write at another place through a link it commits.
 */
function writeRefusal(root, path) {
    const target = (0,external_node_path_.resolve)(root, path);
    let realRoot;
    try {
        realRoot = (0,external_node_fs_.realpathSync)(root);
    }
    catch {
        return "the working directory cannot be resolved";
    }
    let existing = (0,external_node_path_.dirname)(target);
    while (!(0,external_node_fs_.existsSync)(existing) && (0,external_node_path_.dirname)(existing) !== existing)
        existing = (0,external_node_path_.dirname)(existing);
    let realParent;
    try {
        realParent = (0,external_node_fs_.realpathSync)(existing);
    }
    catch {
        return `${existing} cannot be resolved`;
    }
    if (!isInside(realRoot, realParent))
        return "a folder on its way is a symbolic link that leaves the working directory";
    try {
        if ((0,external_node_fs_.lstatSync)(target).isSymbolicLink())
            return "it is a symbolic link";
    }
    catch {
        // Not there yet: it is created inside.
    }
    return undefined;
}

;// CONCATENATED MODULE: ./src/discover/display.ts
// How output names a file: relative to the working directory, `/`-separated on every platform.
// A file outside it is `../a/poetry.lock` when it is near, else absolute: never its base name
// alone, so two same-named files in two folders are never merged into one entry.

/** Outside the working directory, at most this many `..` steps before a path is shown absolute. */
const MAX_PARENT_STEPS = 2;
function toPosix(path) {
    return external_node_path_.sep === "/" ? path : path.split(external_node_path_.sep).join("/");
}
/**
 * `absolute` relative to `cwd`; outside `cwd`, relative with up to two `..` steps, else the
 * absolute path. (`_argumentRoot`, the argument that named the file, no longer shortens it.)
 */
function displayPath(cwd, absolute, _argumentRoot) {
    const rel = (0,external_node_path_.relative)(cwd, absolute);
    if (rel === "")
        return toPosix(absolute);
    if ((0,external_node_path_.isAbsolute)(rel))
        return toPosix(absolute);
    const steps = rel.split(external_node_path_.sep).filter((s) => s === "..").length;
    if (steps === 0 || steps <= MAX_PARENT_STEPS)
        return toPosix(rel);
    return toPosix(absolute);
}

;// CONCATENATED MODULE: ./src/discover/parse-lockfile-text.ts




/**
 * Parses `body` (already checked and without a BOM) as the file named `file`. Without
 * `readInclude`, parsers get no context and follow no includes. `format` is absent only when
 * the text is in no format this tool reads.
 */
function parseText(file, body, readInclude) {
    const format = detectFormat(file, body);
    if (format === undefined) {
        return {
            dependencies: [],
            errors: [
                {
                    file,
                    code: "unknown-format",
                    message: "unknown format: not a lockfile, requirements file or manifest this tool reads",
                },
            ],
        };
    }
    const texts = new Map([[file, body]]);
    const ctx = readInclude && {
        readInclude: (fromFile, target) => {
            const got = readInclude(fromFile, target);
            if ("text" in got)
                texts.set(got.file, got.text);
            return got;
        },
    };
    try {
        const result = parserFor(format).parse(body, file, ctx);
        return { ...result, errors: withSourceContext(result.errors, texts), format };
    }
    catch (error) {
        if (!(error instanceof RangeError))
            throw error;
        return {
            dependencies: [],
            errors: [
                {
                    file,
                    code: "too-deeply-nested",
                    message: "refused: structure nested too deeply to parse",
                },
            ],
            format,
        };
    }
}
/**
 * Parses one lockfile's text without touching the file system (the action uses it on
 * `git show <base>:<path>` output). The format comes from the name, else the content.
 * `readInclude` receives an include target as a `/`-separated path relative to the same root
 * as `file`, and returns its text or undefined when it does not exist.
 */
function parseLockfileText(file, text, readInclude) {
    const refused = refuseText(text);
    if (refused)
        return { dependencies: [], errors: [{ file, ...refused }] };
    return parseText(file, stripBom(text), readInclude &&
        ((fromFile, target) => {
            const place = confineCommitInclude(fromFile, target);
            if ("error" in place)
                return place;
            const included = readInclude(place.file);
            if (included === undefined) {
                return {
                    code: "include-missing",
                    error: `cannot read included file ${shownTarget(target)}: no such file`,
                };
            }
            const refusedInclude = refuseText(included);
            if (refusedInclude) {
                return {
                    code: refusedInclude.code,
                    error: `${shownTarget(target)}: ${refusedInclude.message}`,
                };
            }
            return { file: place.file, text: included };
        }));
}

;// CONCATENATED MODULE: ./src/discover/walk.ts
// Walking a scanned folder: which entries are lockfiles, which folders are never entered, how
// deep the walk goes, and symbolic links (followed only inside the scanned root, loops ended).





/** Directory names never descended into. */
const SKIPPED_DIRECTORIES = new Set([
    ".git",
    "node_modules",
    ".venv",
    "venv",
    "env",
    "site-packages",
    "__pycache__",
    ".tox",
    ".nox",
]);
/** Directories deeper than this below a scan root are not walked. */
const MAX_WALK_DEPTH = 32;
/** Whether a walk picks up a file of this name (a lockfile, requirements file or manifest). */
function isLockfileName(path) {
    return formatByName(path) !== undefined;
}
function unreadable(file, error) {
    return { error: { file, code: "unreadable", message: `cannot read: ${describeError(error)}` } };
}
/**
 * Walks `directory` (`depth` levels below the scan root): files of this folder first, in name
 * order, then each subfolder. Lazy, so a caller that reads each file before asking for the next
 * item sees the tree in exactly that order.
 */
async function* walkDirectory(directory, scope, depth = 0) {
    let real;
    try {
        real = await (0,promises_.realpath)(directory);
    }
    catch (error) {
        yield unreadable(scope.display(directory), error);
        return;
    }
    if (scope.visited.has(real))
        return; // symlink loops end here
    if (depth > MAX_WALK_DEPTH) {
        // Not looked at: said, and counted as a place not read, never silently left out.
        yield {
            error: {
                file: scope.display(directory),
                code: "too-deep",
                message: `not walked: more than ${MAX_WALK_DEPTH} folders below the scanned folder; name the lockfiles in it directly`,
            },
        };
        return;
    }
    scope.visited.add(real);
    let entries;
    try {
        entries = await (0,promises_.readdir)(directory, { withFileTypes: true });
    }
    catch (error) {
        yield unreadable(scope.display(directory), error);
        return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const subdirectories = [];
    for (const entry of entries) {
        const absolute = (0,external_node_path_.join)(directory, entry.name);
        let isDirectory = entry.isDirectory();
        let isFile = entry.isFile();
        if (entry.isSymbolicLink()) {
            if (SKIPPED_DIRECTORIES.has(entry.name))
                continue;
            const display = scope.display(absolute);
            let target;
            let targetInfo;
            try {
                target = await (0,promises_.realpath)(absolute);
                targetInfo = await (0,promises_.stat)(target);
            }
            catch (error) {
                // A dangling link or a loop: nothing to read, which matters only for a lockfile's name.
                if (isLockfileName(absolute))
                    yield {
                        error: {
                            file: display,
                            code: "broken-link",
                            message: `cannot read: a symbolic link to nothing readable (${describeError(error)})`,
                        },
                    };
                continue;
            }
            isDirectory = targetInfo.isDirectory();
            isFile = targetInfo.isFile();
            const claimed = isDirectory || isLockfileName(absolute);
            if (!claimed)
                continue;
            if (!isInside(scope.scanRoot, target)) {
                yield { error: linkOutsideRoot(display) };
                continue;
            }
        }
        if (isDirectory) {
            if (!SKIPPED_DIRECTORIES.has(entry.name))
                subdirectories.push(absolute);
        }
        else if (!isFile) {
            // A FIFO, socket or device under a lockfile's name: not opened (it could block), but said.
            if (isLockfileName(absolute))
                yield {
                    error: {
                        file: scope.display(absolute),
                        code: "unreadable",
                        message: "cannot read: not a regular file",
                    },
                };
        }
        else {
            const display = scope.display(absolute);
            // By where the file is, not how it is shown: `requirements/*.txt` holds from inside too.
            if (!isLockfileName(absolute))
                continue;
            let realFile;
            try {
                realFile = await (0,promises_.realpath)(absolute);
            }
            catch (error) {
                yield unreadable(display, error);
                continue;
            }
            yield { file: { absolute, real: realFile, display } };
        }
    }
    for (const sub of subdirectories)
        yield* walkDirectory(sub, scope, depth + 1);
}

;// CONCATENATED MODULE: ./src/discover/load.ts
// Turning the paths a user named into a DependencySet: each argument is a file or a folder to
// walk; each file found is read once, parsed with its `-r`/`-c` includes confined to its root,
// and recorded. Every problem becomes a ParseError; nothing here throws for a user's mistake.








class Loader {
    cwd;
    dependencies = [];
    errors = [];
    lockfiles = [];
    /** Real paths already parsed, as a top-level file or as an include. */
    parsedReal = new Set();
    /**
     * Dependencies already recorded, by file, line and name, with their place in `dependencies`:
     * a file the walk parsed on its own and a file including it later both yield its lines, and
     * each must be reported once.
     */
    recordedLines = new Map();
    visitedDirs = new Set();
    constructor(cwd) {
        this.cwd = cwd;
    }
    async addArgument(arg) {
        const absolute = (0,external_node_path_.resolve)(this.cwd, arg);
        const kind = await this.argumentKind(arg, absolute);
        if (kind === "directory")
            await this.addDirectory(arg, absolute);
        else if (kind === "file")
            await this.addFile(arg, absolute);
    }
    /** What the argument is, or undefined (and an error recorded) when it cannot be read. */
    async argumentKind(arg, absolute) {
        let info;
        try {
            info = await (0,promises_.stat)(absolute);
        }
        catch (error) {
            const code = error.code;
            if (code === "ENOENT" || code === "ENOTDIR") {
                this.errors.push({
                    file: arg,
                    code: "not-found",
                    message: `no such file or directory: ${preview(arg, 200)}`,
                });
            }
            else {
                this.unreadable(arg, error);
            }
            return undefined;
        }
        if (info.isDirectory())
            return "directory";
        if (info.isFile())
            return "file";
        // A FIFO or device could block or never end: refuse before opening it.
        this.errors.push({ file: arg, code: "unreadable", message: "cannot read: not a regular file" });
        return undefined;
    }
    /** A folder argument: walk it, parsing each file as it is found. */
    async addDirectory(arg, absolute) {
        let scanRoot;
        try {
            scanRoot = await (0,promises_.realpath)(absolute);
        }
        catch (error) {
            this.unreadable(arg, error);
            return;
        }
        const walk = walkDirectory(absolute, {
            scanRoot,
            display: (path) => displayPath(this.cwd, path, absolute),
            visited: this.visitedDirs,
        });
        for await (const item of walk) {
            if ("error" in item)
                this.errors.push(item.error);
            else
                await this.parseFile({ ...item.file, scanRoot, lexicalRoot: absolute });
        }
    }
    /** A file argument: any name, confined to the folder it is in. */
    async addFile(arg, absolute) {
        const lexicalRoot = (0,external_node_path_.dirname)(absolute);
        let scanRoot;
        let real;
        try {
            scanRoot = await (0,promises_.realpath)(lexicalRoot);
            real = await (0,promises_.realpath)(absolute);
        }
        catch (error) {
            this.unreadable(arg, error);
            return;
        }
        const display = displayPath(this.cwd, absolute, lexicalRoot);
        if (!isInside(scanRoot, real)) {
            this.errors.push(linkOutsideRoot(display));
            return;
        }
        await this.parseFile({ absolute, real, display, scanRoot, lexicalRoot });
    }
    async parseFile(candidate) {
        if (this.parsedReal.has(candidate.real))
            return;
        this.parsedReal.add(candidate.real);
        const read = readCapped(candidate.absolute);
        if (!("text" in read)) {
            this.errors.push({ file: candidate.display, code: read.code, message: read.message });
            return;
        }
        const result = parseText(candidate.display, read.text, this.includeReader(candidate));
        if (result.format === undefined) {
            this.errors.push(...result.errors);
            return;
        }
        this.record(candidate.display, result.format, result);
    }
    /** Reads the `-r`/`-c` targets of `top` and of the files it includes, within top's root. */
    includeReader(top) {
        const displayToAbsolute = new Map([[top.display, top.absolute]]);
        return (fromFile, target) => {
            const from = displayToAbsolute.get(fromFile) ?? top.absolute;
            const place = confineDiskInclude(from, target, top);
            if ("error" in place)
                return place;
            const read = readIncludedFile(place.real, confine_shownTarget(target));
            if ("error" in read)
                return read;
            const display = displayPath(this.cwd, place.absolute, top.lexicalRoot);
            displayToAbsolute.set(display, place.absolute);
            this.parsedReal.add(place.real);
            return { file: display, text: read.text };
        };
    }
    record(display, format, result) {
        this.errors.push(...result.errors);
        // A file that gave nothing but errors (invalid TOML, an alias bomb, ...) was not read.
        if (result.dependencies.length === 0 && result.errors.length > 0)
            return;
        const counts = new Map([[display, 0]]);
        for (const dep of result.dependencies) {
            // With its version: a one-line lockfile (minified JSON, inline TOML tables) holds every
            // package on line 1, and one name twice there at two versions is two pins.
            const key = `${dep.file}\0${dep.line}\0${dep.name}\0${dep.version ?? ""}`;
            const earlier = this.recordedLines.get(key);
            if (earlier !== undefined) {
                // The same line read again, through a file that includes it. When that file names a
                // private index, the line's package comes from it (pip applies an includer's
                // --index-url to what it includes), whichever file the walk met first: its name must
                // never go to PyPI.
                const known = this.dependencies[earlier];
                if (known.index === undefined && dep.index !== undefined)
                    this.dependencies[earlier] = { ...known, index: dep.index };
                continue;
            }
            this.recordedLines.set(key, this.dependencies.length);
            this.dependencies.push(dep);
            counts.set(dep.file, (counts.get(dep.file) ?? 0) + 1);
        }
        for (const [path, count] of counts) {
            if (this.lockfiles.some((l) => l.path === path))
                continue;
            this.lockfiles.push({ path, format: path === display ? format : "requirements", count });
        }
    }
    unreadable(file, error) {
        this.errors.push({ file, code: "unreadable", message: `cannot read: ${describeError(error)}` });
    }
}
/**
 * Finds and parses the lockfiles under `paths` (files or directories; none means `cwd`).
 * Never throws for a user's mistake: unreadable, unknown or broken files land in `errors`.
 */
async function loadDependencies(paths, cwd) {
    const root = (0,external_node_path_.resolve)(cwd);
    const loader = new Loader(root);
    for (const arg of paths.length > 0 ? paths : ["."])
        await loader.addArgument(arg);
    return {
        root,
        dependencies: loader.dependencies,
        lockfiles: loader.lockfiles,
        errors: loader.errors,
    };
}

;// CONCATENATED MODULE: ./src/discover/discover.ts
// Discovery: turn the paths a user named into parsed lockfiles. Walks directories, reads files
// with a size cap, refuses binary files and anything (symlink or `-r`/`-c` target) that resolves
// outside the scanned root, and collects every problem as a ParseError instead of throwing.
// Each step lives in its own module; this one is the entry point the rest of the tool imports.







;// CONCATENATED MODULE: ./src/report/escape.ts
// Untrusted text (package names, e-mail addresses, domains, lockfile text, registry answers)
// passes through exactly one of these functions before it reaches a sink. Nothing is escaped
// inline anywhere else.
/** Default cap for one untrusted string in Markdown or a terminal line. */
const DEFAULT_TEXT_CAP = 200;
const ELLIPSIS = "…";
/** Zero-width joiner: breaks `@mention`, e-mail autolinks, issue references and URL autolinks. */
const ZWJ = "\u200d";
/** ANSI escape sequences: CSI (`ESC [ ... final`), OSC (`ESC ] ... BEL|ST`), other `ESC x`. */
const ANSI_SEQUENCE = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u009b[0-?]*[ -/]*[@-~]|\u001b[@-_]?/g;
/** Line and tab breaks become one space so that every value stays on its line. */
const LINE_BREAKS = /[\t\n\v\f\r\u0085\u2028\u2029]+/g;
/** Remaining C0, DEL, C1, and the bidirectional overrides that reorder what a reader sees. */
const INVISIBLE_CONTROLS = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
/** Cuts `text` to at most `max` characters (counting code points), ending in an ellipsis when cut. */
function capLength(text, max) {
    const chars = Array.from(text);
    if (chars.length <= max)
        return text;
    return chars.slice(0, Math.max(0, max - 1)).join("") + ELLIPSIS;
}
/**
 * For terminals and one-line plain text: removes ANSI escape sequences and every other C0/C1
 * control and bidi override; CR, LF, tabs and Unicode line separators become a single space.
 */
function stripControl(text) {
    return String(text)
        .replace(ANSI_SEQUENCE, "")
        .replace(LINE_BREAKS, " ")
        .replace(INVISIBLE_CONTROLS, "");
}
/**
 * Escaping for GitHub workflow commands (`::error file=...::message`), as the toolkit does:
 * data escapes `%`, CR and LF; properties also escape `:` and `,`. A package named
 * `x\n::add-mask::y` stays one inert line. Prefer `@actions/core` (which applies the same
 * rules) when issuing commands through it; use this when writing a command line by hand.
 */
function escapeWorkflowCommand(text, part = "data") {
    const data = String(text).replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
    return part === "data" ? data : data.replace(/:/g, "%3A").replace(/,/g, "%2C");
}
/** Characters that Markdown, GitHub Flavored Markdown or GitHub's math give a meaning, escaped with `\`. */
const MARKDOWN_PUNCTUATION = /[\\`*_{}[\]()#+!|~$^]/g;
/** Breaks the patterns GitHub turns into links or notifications even after Markdown escaping. */
function defuseAutolinks(text) {
    return (text
        // @mentions, team mentions and e-mail autolinks: GitHub still mentions after `\@` or `&#64;`.
        .replace(/@/g, `@${ZWJ}`)
        // URL autolinks (`https://`, `ftp://`, any `scheme://`) and `www.` autolinks.
        .replace(/:(?=\/)/g, `:${ZWJ}`)
        .replace(/\b(www)\./gi, `$1${ZWJ}.`)
        // Issue and pull-request references (`#12`, `owner/repo#12`, `GH-12`) that notify other threads.
        .replace(/#(?=\d)/g, `#${ZWJ}`)
        .replace(/\b(gh)-(?=\d)/gi, `$1-${ZWJ}`));
}
/**
 * Untrusted text as inert Markdown prose, safe in a paragraph or a table cell: one line, no
 * links, images, autolinks, HTML, `@mentions`, issue references, emphasis, code spans, math or
 * table breaks, cut to `maxLength` characters.
 */
function escapeMarkdown(text, opts = {}) {
    const line = capLength(stripControl(text).trim(), opts.maxLength ?? DEFAULT_TEXT_CAP);
    const escaped = line
        .replace(/&/g, "&amp;")
        .replace(/</g, "&lt;")
        .replace(/>/g, "&gt;")
        .replace(MARKDOWN_PUNCTUATION, (c) => `\\${c}`)
        // A leading `-`, `.`-list number or `=` could start a list or a heading underline.
        .replace(/^([-=])/, "\\$1")
        .replace(/^(\d+)\./, "$1\\.");
    return defuseAutolinks(escaped);
}
/**
 * Untrusted text inside raw HTML on one line (a `<summary>`), where Markdown is not read, so a
 * backslash escape would show: `&`, `<`, `>`, `"`, `[` and `]` as entities; mentions, autolinks and issue
 * references broken as in prose, cut to `maxLength` characters.
 */
function escapeHtmlText(text, opts = {}) {
    const line = capLength(stripControl(text).trim(), opts.maxLength ?? DEFAULT_TEXT_CAP);
    // Defused first: its `#12` rule must not meet the `#` of an entity written here.
    return (defuseAutolinks(line)
        .replace(/&/g, "&amp;")
        .replace(/</g, "&lt;")
        .replace(/>/g, "&gt;")
        .replace(/"/g, "&quot;")
        // Brackets as entities: the same to a reader, and neither a link (`](`) to a Markdown
        // reader nor a `##[` command to a log.
        .replace(/\[/g, "&#91;")
        .replace(/\]/g, "&#93;"));
}
/**
 * Untrusted text as a Markdown code span: shown literally (no links, mentions or HTML are
 * recognised inside a code span), one line, with a backtick fence longer than any backtick run
 * inside so the text cannot close it.
 */
function inlineCode(text, opts = {}) {
    // A code span is literal in Markdown, but the same text printed to a CI log is not.
    let body = breakLegacyCommands(capLength(stripControl(text), opts.maxLength ?? DEFAULT_TEXT_CAP));
    if (opts.inTable ?? true)
        body = body.replace(/\|/g, "\\|");
    if (body.trim() === "")
        return body === "" ? "` `" : "`" + body + "`";
    const longestRun = Math.max(0, ...(body.match(/`+/g) ?? []).map((run) => run.length));
    const fence = "`".repeat(longestRun + 1);
    const pad = body.startsWith("`") || body.endsWith("`") || (body.startsWith(" ") && body.endsWith(" "))
        ? " "
        : "";
    return `${fence}${pad}${body}${pad}${fence}`;
}
/** Word joiner: invisible, and splits `##[` so the runner no longer sees a legacy command. */
const WORD_JOINER = "\u2060";
/**
 * Breaks the runner's legacy commands. Besides `::cmd::` at the start of a line, the Actions
 * runner executes `##[cmd]data` anywhere in a log line (`##[error]`, `##[warning]`,
 * `##[add-mask]`, `##[stop-commands]`, ...), matching `##[` without regard to case or to
 * anything before it. A word joiner between the two `#` keeps the text readable and inert.
 * Every log sink (info lines, annotation messages and titles, terminal tables) passes this.
 */
function breakLegacyCommands(text) {
    return String(text).replace(/#(?=#\[)/g, `#${WORD_JOINER}`);
}
/**
 * Serialised JSON that the runner cannot read a legacy command from: the first `#` of every
 * `##[` is written as the JSON escape `\u0023`, so a report printed to the log is inert and
 * parses back to the same strings.
 */
function inertJsonText(json) {
    return json
        .replace(/#(?=#\[)/g, "\\u0023")
        .replace(JSON_RAW_INVISIBLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
/**
 * Characters JSON.stringify leaves as they are that a terminal acts on (C1 controls: U+009B is
 * a CSI) or that reorder or break what a reader sees (bidi overrides, line separators): written
 * as `\uXXXX` escapes instead, which read back as the same string.
 */
const JSON_RAW_INVISIBLE = /[\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g;
/**
 * Plain text for a SARIF `message.text`: one line, no controls, at most `max` characters, and
 * what SARIF 2.1.0 reads as markup written as literal text: `\`, `[` and `]` escaped with a
 * backslash (§3.11.6: `[text](target)` is an embedded link), `{` and `}` doubled (§3.11.5:
 * `{0}` is a placeholder).
 */
function sarifMessageText(text, max) {
    return capLength(stripControl(text).trim(), max)
        .replace(/[\\[\]]/g, (c) => `\\${c}`)
        .replace(/[{}]/g, (c) => c + c);
}
/** A plain SARIF property value: one line, no controls, at most `max` characters. */
function sarifPropertyText(text, max) {
    return capLength(stripControl(text).trim(), max);
}
/**
 * One line for the Actions log: no control characters, no legacy `##[` command anywhere, and
 * never the start of a `::` workflow command (the runner trims leading white space first).
 */
function escapeLogLine(text) {
    return notACommand(breakLegacyCommands(stripControl(text)));
}
/**
 * A line that cannot start a `::` workflow command (the runner trims leading white space
 * first): such a line is quoted with `> `. For lines whose parts are already escaped (a table
 * with colour codes, which escapeLogLine would strip).
 */
function notACommand(line) {
    return /^\s*::/.test(line) ? `> ${line}` : line;
}
/** One-line, control-free, capped text for terminal tables and annotation titles. */
function plainText(text, maxLength = DEFAULT_TEXT_CAP) {
    return breakLegacyCommands(capLength(stripControl(text).trim(), maxLength));
}
/**
 * Finding prose for plain-text sinks (annotations, JSON `message`, SARIF `message.text`): the
 * finding sentences mark names with Markdown code spans; a plain-text reader would see the
 * backticks literally, so a span's fence is dropped and its text kept.
 */
function unMarkdownCode(text) {
    return String(text).replace(/(`+)([^`]+?)\1(?!`)/g, "$2");
}
/**
 * A relative path for a terminal line, control-free; a path starting with `:` is written
 * `./:...` (the same file) so that no printed line can begin a workflow command (`::`).
 */
function plainPath(path, maxLength = 160) {
    const text = plainText(path, maxLength);
    return text.startsWith(":") ? `./${text}` : text;
}

;// CONCATENATED MODULE: ./src/report/problem.ts
/** A problem as JSON, keys in this order; absent positions are left out, never null. */
function jsonProblem(e) {
    return {
        file: e.file,
        ...(e.line === undefined ? {} : { line: e.line }),
        ...(e.column === undefined ? {} : { column: e.column }),
        code: e.code,
        message: e.message,
    };
}

;// CONCATENATED MODULE: ./src/report/deps.ts
// `deps` output: what discovery and the parsers found, as JSON or a terminal table. Pure.



function jsonDependency(d) {
    return {
        name: d.name,
        version: d.version ?? null,
        file: d.file,
        line: d.line,
        format: d.format,
        kind: d.kind,
        // As recorded, credentials dropped; a URL whose password pip would not read as one (a raw
        // `/`, `?` or `#` in it) is hidden up to its last `@` too.
        ...(d.index === undefined ? {} : { index: redactUrl(d.index) }),
    };
}
/** The first line of the table: counts, plurals right. */
function depsSummary(set) {
    const read = new Set(set.lockfiles.map((l) => l.path));
    const unreadable = new Set(set.errors.filter((e) => !read.has(e.file)).map((e) => e.file)).size;
    const inRead = set.errors.filter((e) => read.has(e.file)).length;
    let text = `${plural(set.dependencies.length, "dependency", "dependencies")} in ${plural(set.lockfiles.length, "lockfile", "lockfiles")}`;
    if (unreadable > 0)
        text += `; ${plural(unreadable, "file", "files")} could not be read`;
    if (inRead > 0)
        text += `; ${plural(inRead, "problem", "problems")} in files that were read`;
    return text;
}
/** `file:line: message [code]`, one line, control characters removed. */
function formatParseError(e) {
    const where = `${plainPath(e.file)}${e.line === undefined ? "" : `:${e.line}`}${e.column === undefined ? "" : `:${e.column}`}`;
    return `${where}: ${plainText(e.message, 300)} [${plainText(e.code, 60)}]`;
}
/**
 * The source lines an error carries, compiler-style: a gutter with line numbers, `>` on the
 * error's line, and a caret under its column when known. At most three source lines.
 */
function formatSourceContext(e) {
    const context = (e.context ?? []).slice(0, 3);
    if (context.length === 0)
        return [];
    const width = Math.max(...context.map((c) => String(c.line).length));
    const out = [];
    for (const c of context) {
        // Tabs become one space so the caret stays under its column; other controls are removed.
        // Indentation is kept (no trim) so the caret lines up; discovery already bounded the width.
        const text = stripControl(c.text.replace(/\t/g, " ")).slice(0, 200).trimEnd();
        const mark = c.line === e.line ? ">" : " ";
        // `##[` broken by a word joiner, which takes no column: the caret still lines up.
        out.push(`  ${mark} ${String(c.line).padStart(width)} | ${breakLegacyCommands(text)}`.trimEnd());
        if (c.line === e.line && c.caret !== undefined && c.caret >= 0 && c.caret <= text.length) {
            out.push(`    ${" ".repeat(width)} | ${" ".repeat(c.caret)}^`);
        }
    }
    return out;
}
function table(rows) {
    const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
    return rows.map((r) => r
        .map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i])))
        .join("  ")
        .trimEnd());
}
function renderTable(set) {
    const out = [depsSummary(set)];
    const groups = new Map();
    for (const l of set.lockfiles)
        groups.set(l.path, []);
    for (const d of set.dependencies) {
        if (!groups.has(d.file))
            groups.set(d.file, []);
        groups.get(d.file).push(d);
    }
    for (const [path, deps] of groups) {
        const format = set.lockfiles.find((l) => l.path === path)?.format ?? deps[0]?.format ?? "";
        out.push("", `${plainPath(path)} (${format}, ${plural(deps.length, "dependency", "dependencies")})`);
        if (deps.length === 0)
            continue;
        // The INDEX column only when the file names an index other than PyPI for some package.
        const withIndex = deps.some((d) => d.index !== undefined);
        const rows = [["  NAME", "VERSION", "KIND", "LINE", ...(withIndex ? ["INDEX"] : [])]];
        for (const d of deps) {
            rows.push([
                `  ${plainText(d.name, 80)}`,
                d.version === undefined ? "(unpinned)" : plainText(d.version, 60),
                d.kind,
                String(d.line),
                ...(withIndex ? [d.index === undefined ? "pypi" : plainText(redactUrl(d.index), 120)] : []),
            ]);
        }
        out.push(...table(rows));
    }
    if (set.errors.length > 0) {
        out.push("", "Errors:");
        for (const e of set.errors)
            out.push(formatParseError(e), ...formatSourceContext(e));
    }
    // A CI log reads every line of it: none may begin a workflow command (`::` after spaces).
    return `${out.map(notACommand).join("\n")}\n`;
}
function renderDeps(set, format) {
    if (format === "table")
        return renderTable(set);
    const body = {
        dependencies: set.dependencies.map(jsonDependency),
        lockfiles: set.lockfiles.map((l) => ({ path: l.path, format: l.format, count: l.count })),
        errors: set.errors.map(jsonProblem),
    };
    return `${inertJsonText(JSON.stringify(body, null, 2))}\n`;
}

;// CONCATENATED MODULE: ./src/report/json.ts
// The JSON report: every field in a fixed key order, absent values as null (optional extras are
// left out), paths relative to the scanned root, lines 1-based. Consumers match on codes.




/** Builds an object whose keys appear in the order given, leaving out `undefined` values. */
function ordered(entries) {
    const out = {};
    for (const [key, value] of entries)
        if (value !== undefined)
            out[key] = value;
    return out;
}
function json_jsonDependency(d) {
    return ordered([
        ["name", d.name],
        ["version", d.version ?? null],
        ["file", d.file],
        ["line", d.line],
        ["format", d.format],
        ["kind", d.kind],
        ["index", d.index === undefined ? undefined : redactUrl(d.index)],
    ]);
}
function jsonFinding(f) {
    return ordered([
        ["kind", f.kind],
        ["severity", f.severity],
        ["package", f.package],
        ["version", f.version ?? null],
        ["email", f.email ?? null],
        ["maintainerName", f.maintainerName],
        ["field", f.field],
        ["domain", f.domain ?? null],
        [
            "mx",
            f.mx &&
                ordered([
                    ["host", f.mx.host],
                    ["maintainerDomain", f.mx.maintainerDomain],
                ]),
        ],
        [
            "link",
            f.link &&
                ordered([
                    ["label", f.link.label],
                    ["url", f.link.url],
                ]),
        ],
        ["tracker", f.tracker],
        ["file", f.file],
        ["line", f.line],
        ["message", unMarkdownCode(f.message)],
        ["evidence", f.evidence !== undefined ? unMarkdownCode(f.evidence) : null],
        ["remediation", f.remediation !== undefined ? unMarkdownCode(f.remediation) : null],
        ["failing", f.failing],
        [
            "allowed",
            f.allowed &&
                ordered([
                    ["reason", f.allowed.reason],
                    ["until", f.allowed.until],
                ]),
        ],
        [
            "allowExpired",
            f.allowExpired &&
                ordered([
                    ["reason", f.allowExpired.reason],
                    ["until", f.allowExpired.until],
                ]),
        ],
        ["keptFrom", f.keptFrom],
        ["introduced", f.introduced],
    ]);
}
function jsonDomain(v) {
    return ordered([
        ["domain", v.domain],
        ["state", v.state],
        ["created", v.created],
        ["expires", v.expires],
        ["reregistered", v.reregistered],
        ["transferred", v.transferred],
        ["expiresFrom", v.expiresFrom],
        ["registrarExpires", v.registrarExpires],
        ["statuses", [...v.statuses]],
        ["unknownStatuses", [...(v.unknownStatuses ?? [])]],
        [
            "registrar",
            v.registrar &&
                ordered([
                    ["url", v.registrar.url],
                    ["expires", v.registrar.expires],
                    ["error", v.registrar.error],
                    ["errorCode", v.registrar.errorCode],
                ]),
        ],
        ["error", v.error],
        ["errorCode", v.errorCode],
        ["dns", v.dns],
        [
            "mx",
            v.mx &&
                (v.mx.status === "answered"
                    ? ordered([
                        ["status", v.mx.status],
                        [
                            "hosts",
                            v.mx.hosts.map((h) => ordered([
                                ["host", h.host],
                                ["domain", h.domain],
                                ["skipped", h.skipped],
                            ])),
                        ],
                    ])
                    : ordered([
                        ["status", v.mx.status],
                        ["error", v.mx.error],
                        ["errorCode", v.mx.errorCode],
                    ])),
        ],
        ["server", v.server],
        ["source", v.source],
        ["checkedAt", v.checkedAt],
        [
            "lookupFailed",
            v.lookupFailed &&
                ordered([
                    ["error", v.lookupFailed.error],
                    ["errorCode", v.lookupFailed.errorCode],
                ]),
        ],
    ]);
}
function jsonPackage(p) {
    return ordered([
        ["name", p.name],
        ["index", p.index === undefined ? undefined : redactUrl(p.index)],
        ["status", p.status],
        ["error", p.error],
        ["errorCode", p.errorCode],
        ["latestVersion", p.latestVersion ?? null],
        ["lastReleaseAt", p.lastReleaseAt ?? null],
        [
            "emails",
            p.emails.map((e) => ordered([
                ["address", e.address],
                ["field", e.field],
                ["domain", e.domain ?? null],
                ["skipped", e.skipped],
                ["spelledOut", e.spelledOut],
                ["name", e.name],
            ])),
        ],
        [
            "links",
            p.links?.map((l) => ordered([
                ["label", l.label],
                ["url", l.url],
                ["domain", l.domain ?? null],
                ["skipped", l.skipped],
            ])),
        ],
        [
            "ownership",
            p.ownership &&
                ordered([
                    ["organization", p.ownership.organization],
                    ["roles", p.ownership.roles.map((r) => ({ role: r.role, user: r.user }))],
                ]),
        ],
        ["cached", p.cached],
    ]);
}
/** The report as plain data in the documented key order (what `renderJson` serialises). */
function toJsonReport(report) {
    const s = report.stats;
    return ordered([
        ["dependencies", report.dependencies.map(json_jsonDependency)],
        ["findings", report.findings.map(jsonFinding)],
        ["domains", report.domains.map(jsonDomain)],
        [
            "coverageLimits",
            coverageLimits(report.domains).map((l) => ({ tld: l.tld, domains: l.domains, note: l.note })),
        ],
        ["packages", report.packages.map(jsonPackage)],
        ["errors", report.errors.map(jsonProblem)],
        [
            "lockfiles",
            report.lockfiles.map((l) => ({ path: l.path, format: l.format, count: l.count })),
        ],
        [
            "stats",
            {
                lockfiles: s.lockfiles,
                dependencies: s.dependencies,
                packages: s.packages,
                domains: s.domains,
                requests: {
                    pypi: s.requests.pypi,
                    rdap: s.requests.rdap,
                    bootstrap: s.requests.bootstrap,
                    dns: s.requests.dns,
                    ...(s.requests.mx !== undefined ? { mx: s.requests.mx } : {}),
                    retries: s.requests.retries,
                },
                cache: {
                    verdictHits: s.cache.verdictHits,
                    verdictMisses: s.cache.verdictMisses,
                    metadataHits: s.cache.metadataHits,
                },
                ...(s.largestAnswers
                    ? {
                        largestAnswers: s.largestAnswers.map((a) => ordered([
                            ["name", a.name],
                            ["wireBytes", a.wireBytes],
                            ["decodedBytes", a.decodedBytes],
                            ["ms", a.ms],
                        ])),
                    }
                    : {}),
                durationMs: s.durationMs,
                deadlineReached: s.deadlineReached,
                ...(s.interrupted ? { interrupted: true } : {}),
            },
        ],
        [
            "coverage",
            report.coverage &&
                ordered([
                    [
                        "packages",
                        {
                            checked: report.coverage.packages.checked,
                            total: report.coverage.packages.total,
                            notLookedUp: report.coverage.packages.notLookedUp,
                        },
                    ],
                    [
                        "domains",
                        {
                            checked: report.coverage.domains.checked,
                            total: report.coverage.domains.total,
                            noRdap: report.coverage.domains.noRdap,
                        },
                    ],
                    [
                        "mx",
                        report.coverage.mx && {
                            checked: report.coverage.mx.checked,
                            total: report.coverage.mx.total,
                        },
                    ],
                    [
                        "lockfiles",
                        report.coverage.lockfiles && {
                            read: report.coverage.lockfiles.read,
                            total: report.coverage.lockfiles.total,
                        },
                    ],
                    ["reason", report.coverage.reason],
                    ["shortfall", report.coverage.shortfall],
                ]),
        ],
        ["tool", { name: report.tool.name, version: report.tool.version }],
        ["startedAt", report.startedAt],
        ["failOn", report.failOn],
        [
            "diff",
            report.diff &&
                ordered([
                    ["base", report.diff.base],
                    ["head", report.diff.head],
                    ["introduced", report.diff.introduced],
                    ["unchanged", report.diff.unchanged],
                    ["note", report.diff.note],
                ]),
        ],
    ]);
}
/** The JSON report, 2-space indented, ending in a newline. */
function renderJson(report) {
    return `${inertJsonText(JSON.stringify(toJsonReport(report), null, 2))}\n`;
}

;// CONCATENATED MODULE: ./src/report/maintainer-note.ts
// "Tell the maintainers": for a domain finding, a ready-to-paste issue text for the package's
// maintainers (what was seen, what the registry said, the risk, what to do), and the link to
// their issue tracker. Blocking a dependency is half the job; getting the account fixed is the
// other half. Every untrusted value is one control-free, bounded line with its `@`s and URL
// schemes defused, so the text mentions nobody and links nothing where it is shown or pasted.



/** Where PyPI documents changing an account's address, and its account page. */
const PYPI_ACCOUNT_HELP = "https://pypi.org/help/#account-recovery";
const PYPI_ACCOUNT_SETTINGS = "https://pypi.org/manage/account/";
/** The kinds that get a note: a domain that lapsed or may have changed hands. */
function wantsMaintainerNote(f) {
    return (f.kind.startsWith("domain-") ||
        f.kind === "mx-domain-lapsed" ||
        f.kind === "project-url-domain-lapsed");
}
/** Untrusted text for the note: one line, bounded, inert when shown or pasted. */
function inert(text, max = 300) {
    return (breakLegacyCommands(capLength(stripControl(text).trim(), max))
        .replace(/@/g, `@${ZWJ}`)
        // No tag can start (`</details>` would close the block where HTML is read).
        .replace(/</g, `<${ZWJ}`)
        .replace(/:(?=\/)/g, `:${ZWJ}`)
        .replace(/#(?=\d)/g, `#${ZWJ}`)
        // Nor an autolink (`www.example.com`) or an issue reference (`GH-1`).
        .replace(/\b(www)\./gi, `$1${ZWJ}.`)
        .replace(/\b(GH)-(?=\d)/gi, `$1-${ZWJ}`));
}
function whatToDo(f, domain) {
    switch (f.kind) {
        case "mx-domain-lapsed":
            return [
                `- Point the MX records of ${inert(f.mx?.maintainerDomain ?? "your domain", 100)} at mail servers you control, or renew ${domain}; or`,
                `- change the e-mail address of your PyPI account to one on a domain you hold.`,
            ];
        case "project-url-domain-lapsed":
            return [
                `- Renew ${domain}, or change or remove the ${inert(f.link?.label ?? "project", 80)} link in the project's metadata in the next release.`,
            ];
        case "domain-expiring":
            return [
                `- Renew ${domain} (or check that it renews automatically); or`,
                `- change the e-mail address of your PyPI account to one on a domain you hold.`,
            ];
        default:
            return [
                `- Renew ${domain} if it is still yours (or check who holds it now); or`,
                `- change the e-mail address of your PyPI account to one on a domain you hold.`,
            ];
    }
}
/** The issue text for one domain finding. */
function maintainerNote(f, report) {
    const info = FINDING_INFO[f.kind];
    const domain = inert(f.domain ?? "the domain", 100);
    const pkg = inert(f.package, 100);
    const version = f.version !== undefined ? ` ${inert(f.version, 60)}` : "";
    const lines = [];
    lines.push(f.maintainerName !== undefined ? `Hello ${inert(f.maintainerName, 120)},` : "Hello,", "", `${report.tool.name} flagged ${pkg}${version} on PyPI.`, "", `What was seen: ${inert(unMarkdownCode(f.message), 500)}`);
    if (f.evidence !== undefined)
        lines.push(`What the registry says: ${inert(unMarkdownCode(f.evidence), 700)}`);
    lines.push("");
    if (f.kind === "project-url-domain-lapsed") {
        lines.push(`Why it matters: whoever registers ${domain} can serve altered install steps, documentation or downloads under the project's name to everyone who follows the link.`);
    }
    else {
        const address = f.email !== undefined ? inert(f.email, 120) : "the maintainer's address";
        lines.push(`Why it matters: whoever holds ${domain} receives the mail sent to ${address}, PyPI's password-reset mail included, and could take over the PyPI account and publish a release.`);
    }
    lines.push("", "What to do:", ...whatToDo(f, domain));
    if (f.kind !== "project-url-domain-lapsed")
        lines.push(`  PyPI explains how: ${PYPI_ACCOUNT_HELP} (account settings: ${PYPI_ACCOUNT_SETTINGS}).`);
    lines.push("", `(${inert(info.title, 120)}; found by ${report.tool.name} ${report.tool.version}.)`);
    return { title: `${info.title}: ${domain}`, lines };
}
/**
 * The package's issue tracker as a Markdown link destination, or undefined when it is not an
 * http(s) URL without credentials. Characters that could end the destination or start Markdown
 * are percent-encoded.
 */
function trackerHref(tracker) {
    const url = httpUrl(tracker);
    if (!url || url.username !== "" || url.password !== "")
        return undefined;
    // A link to one GitHub issue or pull request would post a cross-reference there: point at the
    // repository's issues page instead.
    const github = /^\/([^/]+)\/([^/]+)\/(?:issues|pull)\/\d+/.exec(url.pathname);
    if (url.hostname === "github.com" && github)
        return trackerHref(`https://github.com/${github[1]}/${github[2]}/issues`);
    return url.href.replace(/[()<>"'`\\|[\]{}^\s]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`);
}

;// CONCATENATED MODULE: ./src/report/verdict.ts
// What every reporter says the same way: the verdict sentence, counts, order, short evidence,
// and the "not checked" list. Pure functions of the Report; text here is not yet escaped.




/** Findings that are not a domain verdict: the package or domain could not be judged. */
function isNotChecked(f) {
    return (f.kind === "lookup-failed" || f.kind === "package-not-found" || f.kind === "no-maintainer-email");
}
/** Findings a reader acts on: severity low or above, not allowed (an expired allowance counts again). */
function isActive(f) {
    return f.severity !== "info" && !isNotChecked(f) && f.allowed === undefined;
}
/** Counts by severity, most severe first, leaving out zeros. */
function severityCounts(findings) {
    return SEVERITIES.map((severity) => ({
        severity,
        count: findings.filter((f) => f.severity === severity).length,
    })).filter((c) => c.count > 0);
}
/** "(1 critical, 1 high)" or "" when there is nothing to count. */
function severityBreakdown(findings) {
    const parts = severityCounts(findings).map((c) => `${c.count} ${c.severity}`);
    return parts.length > 0 ? `(${parts.join(", ")})` : "";
}
/** Domains not checked this run: state unknown, or a lapse kept from before for a failed lookup. */
function uncheckedDomains(report) {
    return report.domains.filter((d) => d.state === "unknown" || d.lookupFailed !== undefined);
}
/**
 * Whether the run looked at nothing at all though there was something to look at (or a reason
 * says why it could not look at anything: every package from a private index, say).
 */
function nothingChecked(c) {
    return (c.packages.checked === 0 &&
        c.domains.checked === 0 &&
        (c.packages.total + c.domains.total > 0 || c.reason !== undefined));
}
/**
 * The coverage in words: "27 of 27 packages and 19 of 20 domains checked", plus the known limits
 * ("2 domains under a TLD without RDAP, 3 packages not looked up (not from PyPI)").
 */
function coverageWords(c, opts = {}) {
    const words = [];
    // "0 of 0 packages and 0 of 0 domains checked" says nothing where a sentence says why already.
    if (!(opts.omitNoneToCheck && c.packages.total === 0 && c.domains.total === 0))
        words.push(`${c.packages.checked} of ${plural(c.packages.total, "package")} and ${c.domains.checked} of ${plural(c.domains.total, "domain")} checked`);
    if (c.mx)
        words.push(`mail servers of ${c.mx.checked} of ${plural(c.mx.total, "domain")} looked up`);
    if (c.lockfiles)
        words.push(`${c.lockfiles.read} of ${plural(c.lockfiles.total, "lockfile")} read`);
    if (c.domains.noRdap > 0)
        words.push(`${plural(c.domains.noRdap, "domain")} under a TLD without RDAP`);
    if (c.packages.notLookedUp > 0)
        words.push(`${plural(c.packages.notLookedUp, "package")} not looked up (not from PyPI)`);
    return words.join("; ");
}
/**
 * The one-sentence verdict: "2 findings (1 critical, 1 high) in 2 of 148 packages from 3
 * lockfiles; 5 domains could not be checked". A clean run: "No findings in 148 packages from 3 lockfiles".
 */
function verdictLine(report) {
    const active = report.findings.filter(isActive);
    const packages = report.stats.packages;
    const from = `from ${plural(report.stats.lockfiles, "lockfile")}`;
    let line;
    const coverage = report.coverage;
    const nothing = coverage !== undefined && nothingChecked(coverage) && active.length === 0;
    if (nothing) {
        const why = coverage.reason ?? report.packages.find((p) => p.error)?.error;
        // No PyPI package at all (version control, URLs, paths): count what the lockfiles hold.
        const what = packages > 0
            ? plural(packages, "package")
            : plural(report.stats.dependencies, "dependency", "dependencies");
        line = `Nothing was checked in ${what} ${from}${why ? `: ${why}` : ""}`;
    }
    else if (active.length === 0 && coverage?.shortfall) {
        // Not a clean run: what could not be checked may hide a lapse.
        line = `No findings in what could be checked of ${plural(packages, "package")} ${from}`;
    }
    else if (active.length === 0 && report.stats.dependencies === 0) {
        // Nothing to look at is not the same as looking and finding nothing: say which it is.
        line = `Nothing to check: the ${plural(report.stats.lockfiles, "lockfile")} read ${report.stats.lockfiles === 1 ? "names" : "name"} no package`;
    }
    else if (active.length === 0) {
        line = `No findings in ${plural(packages, "package")} ${from}`;
    }
    else {
        const affected = new Set(active.map((f) => f.package)).size;
        line = `${plural(active.length, "finding")} ${severityBreakdown(active)} in ${affected} of ${plural(packages, "package")} ${from}`;
    }
    const extras = [];
    const skipped = report.packages.filter((p) => p.status === "skipped").length;
    // Packages from private indexes are said below, in their own words: not also as "not from PyPI".
    if (coverage) {
        const words = coverageWords({
            ...coverage,
            packages: {
                ...coverage.packages,
                // When nothing was checked, the reason already says what was not looked up.
                notLookedUp: nothing ? 0 : Math.max(0, coverage.packages.notLookedUp - skipped),
            },
        }, { omitNoneToCheck: true });
        if (words !== "")
            extras.push(words);
    }
    const allowed = report.findings.filter((f) => f.allowed !== undefined);
    if (allowed.length > 0)
        extras.push(`${allowed.length} allowed`);
    // Those under a TLD without RDAP are already said in the coverage words: not twice. Those DNS
    // shows registered were looked at (and count as checked): said apart, not as "could not".
    const unknown = uncheckedDomains(report);
    const unchecked = unknown.filter((d) => !(coverage && d.errorCode === "no-rdap") && !settledByDns(d)).length;
    if (unchecked > 0)
        extras.push(`${plural(unchecked, "domain")} could not be checked`);
    const delegated = unknown.filter(settledByDns).length;
    if (delegated > 0)
        extras.push(`${plural(delegated, "domain")} registered by DNS only (RDAP said not found; dates unknown)`);
    const notFound = report.packages.filter((p) => p.status === "not-found").length;
    if (notFound > 0)
        extras.push(`${plural(notFound, "package")} not found on the index`);
    const unread = report.packages.filter((p) => p.status === "error").length;
    if (unread > 0)
        extras.push(`${plural(unread, "package")} could not be read from the index`);
    // When every package is private and nothing was checked, the reason has said so already.
    if (skipped > 0 && !(nothing && skipped === packages && coverage?.reason !== undefined))
        extras.push(`${plural(skipped, "package")} from private indexes not looked up`);
    if (report.errors.length > 0)
        extras.push(`${plural(report.errors.length, "file error")}`);
    if (report.stats.deadlineReached)
        extras.push("the deadline cut the scan short");
    if (report.stats.interrupted)
        extras.push("the scan was interrupted");
    return extras.length > 0 ? `${line}; ${extras.join("; ")}` : line;
}
/** "2 findings fail this run (fail-on: high)", or undefined when none fails. */
function failingLine(report) {
    const failing = report.findings.filter((f) => f.failing).length;
    if (failing === 0)
        return undefined;
    return `${plural(failing, "finding")} ${failing === 1 ? "fails" : "fail"} this run (fail-on: ${report.failOn})`;
}
/** "could not check enough: …" when the run fails for what it could not check, else undefined. */
function incompleteLine(report) {
    return report.coverage?.shortfall;
}
/** Date part of an ISO 8601 time, or the text as given when it is not one. */
function day(iso) {
    if (iso === undefined)
        return undefined;
    const m = /^\d{4}-\d{2}-\d{2}/.exec(iso);
    return m ? m[0] : iso;
}
/** A mail server's or a link's domain, as the table says it: "not found", "expired 2026-01-02", ... */
function lapseWords(v) {
    if (v.state === "unregistered")
        return `${v.domain} not found`;
    const statuses = v.statuses.filter((s) => !/^(active|ok)$/i.test(s.trim()));
    const status = statuses.length > 0 ? ` (${statuses.join(", ")})` : "";
    if (v.state === "grace")
        return `${v.domain} in auto renew period${status}`;
    if (v.state === "expired")
        return `${v.domain} ${v.expires ? `expired ${day(v.expires)}` : "expired"}${status}`;
    const changed = v.reregistered ?? v.created;
    return `${v.domain} registered ${day(changed) ?? "recently"}`;
}
/**
 * A few words of evidence from the domain's verdict ("expired 2026-09-01, redemption period");
 * falls back to the finding's own evidence sentence.
 */
function shortEvidence(f, report) {
    const words = evidenceWords(f, report);
    return f.keptFrom !== undefined
        ? `${words} (RDAP's answer of ${day(f.keptFrom)}: this run's lookup failed)`
        : words;
}
/**
 * The package a finding is about. A name can stand for more than one project (from PyPI in some
 * lockfiles, from private indexes in others: those carry their `index`): the finding's own line
 * says which.
 */
function packageOfFinding(report, f) {
    const named = report.packages.filter((p) => p.name === f.package);
    if (named.length <= 1)
        return named[0];
    // Its own line, and its own name there: a minified lockfile holds every package on line 1.
    const dep = report.dependencies.find((d) => d.file === f.file && d.line === f.line && normalizeName(d.name) === f.package);
    const index = dep?.kind === "pypi" && dep.index !== undefined ? indexIdentity(dep.index) : undefined;
    return (named.find((p) => (p.index === undefined ? undefined : indexIdentity(p.index)) === index) ??
        named[0]);
}
function evidenceWords(f, report) {
    const v = f.domain !== undefined ? report.domains.find((d) => d.domain === f.domain) : undefined;
    const statuses = v ? v.statuses.filter((s) => !/^(active|ok)$/i.test(s.trim())) : [];
    const status = statuses.length > 0 ? `, ${statuses.join(", ")}` : "";
    const lastRelease = packageOfFinding(report, f)?.lastReleaseAt;
    switch (f.kind) {
        case "domain-unregistered":
            if (v)
                return `RDAP: not found${v.dns === "no-delegation" ? ", no DNS delegation" : v.dns === "not-consulted" ? ", DNS not consulted" : ""}`;
            break;
        case "domain-expired":
            if (v)
                return `${v.expires ? `expired ${day(v.expires)}` : "expired"}${status}`;
            break;
        case "domain-reregistered":
            if (v && (v.reregistered ?? v.created))
                return `registered ${day(v.reregistered ?? v.created)}${lastRelease ? `, last release ${day(lastRelease)}` : ""}`;
            break;
        case "domain-on-hold":
            if (v)
                return statuses.length > 0 ? statuses.join(", ") : "on hold";
            break;
        case "domain-grace":
            if (v) {
                const others = statuses.filter((s) => !isGraceStatus(s));
                const also = others.length > 0 ? `, ${others.join(", ")}` : "";
                const code = v.registrar?.errorCode;
                const registrar = code === undefined
                    ? ""
                    : code === "no-link"
                        ? "; no registrar link"
                        : `; registrar record not read (${code})`;
                return `auto renew period${v.expires ? `, auto-renewed to ${day(v.expires)}` : ""}${also}${registrar}`;
            }
            break;
        case "domain-transferred":
            if (v?.transferred)
                return `transferred ${day(v.transferred)}${lastRelease ? `, last release ${day(lastRelease)}` : ""}`;
            break;
        case "domain-expiring":
            if (v?.expires)
                return `expires ${day(v.expires)}`;
            break;
        case "mx-domain-lapsed":
            if (f.mx && v)
                return `mail server ${f.mx.host} of ${f.mx.maintainerDomain}: ${lapseWords(v)}`;
            break;
        case "project-url-domain-lapsed":
            if (f.link && v)
                return `${f.link.label} link ${f.link.url}: ${lapseWords(v)}`;
            break;
        case "lookup-failed":
            if (v?.error || v?.errorCode)
                return [v.errorCode, v.error].filter(Boolean).join(": ");
            break;
        case "package-not-found":
            return "not found on the package index";
        case "no-maintainer-email":
            return "no e-mail address in the metadata";
    }
    return f.evidence ?? f.message;
}
function notCheckedRows(report) {
    const rows = [];
    const packagesOf = (domain) => [...new Set(report.findings.filter((f) => f.domain === domain).map((f) => f.package))].sort();
    for (const v of uncheckedDomains(report)) {
        const failed = v.lookupFailed ?? v;
        // A kept lapse says so first: the reason may be cut to fit a table.
        const reason = (v.lookupFailed ? `its finding stands on RDAP's answer of ${day(v.checkedAt)}; ` : "") +
            ([failed.errorCode, failed.error].filter((s) => s !== undefined && s !== "").join(": ") ||
                "lookup failed");
        const fromFindings = packagesOf(v.domain);
        // The maintainer domains whose mail servers sit under this domain, when it is one.
        const mailFor = new Set(report.domains
            .filter((d) => d.mx?.status === "answered" && d.mx.hosts.some((h) => h.domain === v.domain))
            .map((d) => d.domain));
        const fromMeta = report.packages
            .filter((p) => p.emails.some((e) => e.domain === v.domain || (e.domain !== undefined && mailFor.has(e.domain))) || (p.links ?? []).some((l) => l.domain === v.domain && l.skipped === undefined))
            .map((p) => p.name);
        rows.push({
            subject: v.domain,
            what: "domain",
            reason,
            packages: [...new Set([...fromFindings, ...fromMeta])].sort(),
        });
    }
    for (const d of report.domains) {
        if (d.mx?.status !== "failed")
            continue;
        rows.push({
            subject: d.domain,
            what: "domain",
            reason: `mail servers (MX) not looked up: ${[d.mx.errorCode, d.mx.error].filter(Boolean).join(": ")}`,
            packages: report.packages
                .filter((p) => p.emails.some((e) => e.domain === d.domain))
                .map((p) => p.name)
                .sort(),
        });
    }
    for (const p of report.packages) {
        if (p.status === "not-found")
            rows.push({
                subject: p.name,
                what: "package",
                reason: "not found on the package index",
                packages: [p.name],
            });
        else if (p.status === "skipped")
            rows.push({
                subject: p.name,
                what: "package",
                reason: p.error ?? "not looked up",
                packages: [p.name],
            });
        else if (p.status === "error")
            rows.push({
                subject: p.name,
                what: "package",
                reason: p.error ?? "metadata could not be read",
                packages: [p.name],
            });
    }
    const seen = new Set(rows.map((r) => `${r.what}:${r.subject}`));
    for (const f of report.findings) {
        if (f.kind === "no-maintainer-email" && !seen.has(`package:${f.package}`)) {
            seen.add(`package:${f.package}`);
            rows.push({
                subject: f.package,
                what: "package",
                reason: "no maintainer e-mail in the metadata",
                packages: [f.package],
            });
        }
        if (f.kind === "lookup-failed" && f.domain !== undefined && !seen.has(`domain:${f.domain}`)) {
            seen.add(`domain:${f.domain}`);
            rows.push({
                subject: f.domain,
                what: "domain",
                reason: f.evidence ?? "lookup failed",
                packages: packagesOf(f.domain),
            });
        }
        // An address whose host is no domain name (an IP literal): listed, never looked up. (A
        // failed MX query is a lookup-failed without a domain too, listed under its domain above.)
        if (f.kind === "lookup-failed" &&
            f.domain === undefined &&
            f.email !== undefined &&
            !hasDomain(packageOfFinding(report, f), f.email) &&
            !seen.has(`package:${f.package}`) &&
            !seen.has(`address:${f.email}`)) {
            seen.add(`address:${f.email}`);
            rows.push({
                subject: f.email,
                what: "address",
                reason: f.evidence ?? f.message,
                packages: [f.package],
            });
        }
        if (f.kind === "package-not-found" && !seen.has(`package:${f.package}`)) {
            seen.add(`package:${f.package}`);
            rows.push({
                subject: f.package,
                what: "package",
                reason: "not found on the package index",
                packages: [f.package],
            });
        }
    }
    return rows;
}
/** Whether the package's address `email` has a domain (its host is a domain name). */
function hasDomain(meta, email) {
    return meta?.emails.some((e) => e.address === email && e.domain !== undefined) ?? false;
}
/** Domains whose registry used status words the assessment does not know, with those words. */
function unknownStatusRows(report) {
    return report.domains
        .filter((d) => (d.unknownStatuses ?? []).length > 0)
        .map((d) => ({ domain: d.domain, statuses: [...(d.unknownStatuses ?? [])] }));
}
/** "2.4 s", "850 ms", "3 min 5 s". */
function formatDuration(ms) {
    if (ms < 1000)
        return `${Math.round(ms)} ms`;
    if (ms < 60_000)
        return `${(ms / 1000).toFixed(1)} s`;
    const min = Math.floor(ms / 60_000);
    return `${min} min ${Math.round((ms % 60_000) / 1000)} s`;
}
/** "148 packages, 5 domains, 12 RDAP lookups, 3 cache hits, 2.4 s". */
function statsLine(report) {
    const s = report.stats;
    const hits = s.cache.verdictHits + s.cache.metadataHits;
    return [
        plural(s.packages, "package"),
        plural(s.domains, "domain"),
        plural(s.requests.rdap, "RDAP lookup"),
        plural(hits, "cache hit"),
        formatDuration(s.durationMs),
    ].join(", ");
}
/**
 * Whether a lookup among `findings` failed this time (a registry or DNS that did not answer, an
 * index that failed), as opposed to what no run can check (a TLD without RDAP, an address whose
 * host is no domain, a domain only DNS shows registered). A lapse found before may hide behind
 * such a failure, so a run with one resolves nothing: no "Resolved" comment, no closed issue,
 * and its SARIF says which lookups failed.
 */
function failedToLook(report, findings) {
    return failedLookups(report, findings).length > 0;
}
/** The findings of `findings` that stand for a lookup that failed this time (see failedToLook). */
function failedLookups(report, findings) {
    return findings.filter((f) => {
        // A finding that stands on an earlier answer: this run's lookup of its domain failed.
        if (f.keptFrom !== undefined)
            return true;
        if (f.kind !== "lookup-failed")
            return false;
        if (f.domain !== undefined) {
            const verdict = report.domains.find((d) => d.domain === f.domain);
            return !verdict || !(verdict.errorCode === "no-rdap" || settledByDns(verdict));
        }
        const meta = packageOfFinding(report, f);
        if (!meta || meta.status === "error")
            return true;
        // A failed MX query of the address's domain; else the address's host is no domain.
        const domain = meta.emails.find((e) => e.address === f.email)?.domain;
        return (domain !== undefined &&
            report.domains.find((d) => d.domain === domain)?.mx?.status === "failed");
    });
}

;// CONCATENATED MODULE: ./src/report/markdown.ts
// The Markdown report: the CLI's `--format markdown`, the job summary, the PR comment and the
// tracking issue. Verdict first, then tables per lockfile, then what was not checked. Every
// untrusted string goes through escapeMarkdown or inlineCode; the only links are the line links
// we build from a validated relative path. Output stays under maxLength and says what it left out.






const COMMENT_MAX_CHARS = 65_536;
const DEFAULT_TITLE = "Maintainer e-mail domains";
const FULL_REPORT_HINT = {
    summary: "the JSON report (the `report-file` output) lists every finding",
    comment: "the job summary of this run and its JSON report list every finding",
    issue: "the job summary of the latest scheduled run and its JSON report list every finding",
    cli: "run with `--format json` for every finding",
};
/** A relative, `/`-separated path of plain segments: safe to put in a URL we build. */
function isSafeRelativePath(path) {
    if (path === "" || path.startsWith("/") || path.length > 500)
        return false;
    return path
        .split("/")
        .every((seg) => seg !== "" && seg !== "." && seg !== ".." && /^[A-Za-z0-9._@+ -]+$/.test(seg));
}
function lineLink(file, line, opts) {
    const label = `line ${line}`;
    const repo = opts.repoUrl?.replace(/\/+$/, "");
    if (repo === undefined ||
        opts.sha === undefined ||
        !/^https?:\/\/[A-Za-z0-9.:-]+(\/[A-Za-z0-9._-]+){2}$/.test(repo) ||
        !/^[0-9a-f]{7,64}$/i.test(opts.sha) ||
        !isSafeRelativePath(file) ||
        !Number.isInteger(line) ||
        line < 1) {
        return label;
    }
    const encoded = file.split("/").map(encodeURIComponent).join("/");
    return `[${label}](${repo}/blob/${opts.sha}/${encoded}#L${line})`;
}
function layoutOf(opts) {
    return opts.layout ?? (opts.context === "comment" ? "narrow" : "wide");
}
function findingRow(f, report, opts) {
    let evidence = escapeMarkdown(shortEvidence(f, report), { maxLength: 160 });
    if (f.maintainerName !== undefined)
        evidence += ` (maintainer: ${escapeMarkdown(f.maintainerName, { maxLength: 80 })})`;
    if (f.allowExpired) {
        evidence += ` (allowance expired ${escapeMarkdown(f.allowExpired.until, { maxLength: 20 })}: ${escapeMarkdown(f.allowExpired.reason, { maxLength: 120 })})`;
    }
    const severity = f.failing ? `**${f.severity}**` : f.severity;
    if (layoutOf(opts) === "narrow") {
        const name = `${f.package}${f.version !== undefined ? `@${f.version}` : ""}`;
        const domain = f.domain !== undefined ? `${inlineCode(f.domain, { maxLength: 100 })}: ` : "";
        return `| ${inlineCode(name, { maxLength: 120 })} | ${f.kind} (${severity}) | ${domain}${evidence} | ${lineLink(f.file, f.line, opts)} |`;
    }
    return `| ${severity} | ${inlineCode(f.package, { maxLength: 100 })} | ${f.version !== undefined ? inlineCode(f.version, { maxLength: 60 }) : "-"} | ${f.domain !== undefined ? inlineCode(f.domain, { maxLength: 100 }) : "-"} | ${f.kind} | ${evidence} | ${lineLink(f.file, f.line, opts)} |`;
}
const FINDING_HEADER = "| Severity | Package | Version | Maintainer domain | Finding | Evidence | Location |\n| --- | --- | --- | --- | --- | --- | --- |";
const NARROW_HEADER = "| Package | Finding | Domain and evidence | Line |\n| --- | --- | --- | --- |";
/** Findings grouped per lockfile, one table each. */
function findingTables(findings, report, opts) {
    const byFile = new Map();
    for (const f of findings) {
        const list = byFile.get(f.file);
        if (list)
            list.push(f);
        else
            byFile.set(f.file, [f]);
    }
    const out = [];
    for (const file of [...byFile.keys()].sort()) {
        const rows = byFile.get(file) ?? [];
        out.push(`#### ${inlineCode(file, { maxLength: 160, inTable: false })}`, "", layoutOf(opts) === "narrow" ? NARROW_HEADER : FINDING_HEADER, ...rows.map((f) => findingRow(f, report, opts)), "");
    }
    return out;
}
function severityTable(findings) {
    const counts = severityCounts(findings);
    if (counts.length === 0)
        return [];
    const by = new Map(counts.map((c) => [c.severity, c.count]));
    const shown = SEVERITIES.filter((s) => s !== "info");
    return [
        `| ${shown.join(" | ")} |`,
        `| ${shown.map(() => "---:").join(" | ")} |`,
        `| ${shown.map((s) => by.get(s) ?? 0).join(" | ")} |`,
        "",
    ];
}
const SAFE_NAME = /^[a-z0-9](?:[a-z0-9-]{0,98}[a-z0-9])?$/;
const SAFE_DOMAIN = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}$/;
function allowSnippet(example) {
    const pkg = example && SAFE_NAME.test(example.package) ? example.package : "example-package";
    const domain = example?.domain !== undefined && SAFE_DOMAIN.test(example.domain)
        ? example.domain
        : "example.com";
    const kind = example?.kind ?? "domain-expired";
    return [
        "<details><summary>How to allow a finding</summary>",
        "",
        "Once you have checked a finding (for example, the maintainers confirmed they still control the domain), add an entry to `.github/maintainer-domain-guard.yml`; `reason` is required and `until` makes the allowance expire:",
        "",
        "```yaml",
        "allow:",
        `  - package: ${pkg}`,
        `    domain: ${domain}`,
        `    kind: ${kind}`,
        '    reason: "Maintainers confirmed they control the domain"',
        "    until: 2026-12-31",
        "```",
        "",
        "</details>",
        "",
    ];
}
/** Coverage limits and registry statuses shown at most this many times (they are not rows to cut). */
const MAX_NOTES = 10;
/**
 * What the registries' answers limit or leave open, in two folded blocks: the TLDs whose
 * registry publishes no expiry (once per TLD), and the status words not in the lapse
 * vocabulary, listed under their domain. Bounded, so they fit beside any row budget.
 */
function lifecycleNotes(report) {
    const out = [];
    const limits = coverageLimits(report.domains);
    if (limits.length > 0) {
        out.push(`<details><summary>Coverage limits (${plural(limits.length, "TLD")})</summary>`, "");
        for (const l of limits.slice(0, MAX_NOTES)) {
            const names = l.domains
                .slice(0, 5)
                .map((d) => inlineCode(d, { maxLength: 100, inTable: false }))
                .join(", ");
            const more = l.domains.length > 5 ? `, and ${l.domains.length - 5} more` : "";
            out.push(`- ${escapeMarkdown(l.note, { maxLength: 300 })} (${names}${more})`);
        }
        if (limits.length > MAX_NOTES)
            out.push(`- and ${limits.length - MAX_NOTES} more TLDs`);
        out.push("", "</details>", "");
    }
    const unknown = unknownStatusRows(report);
    if (unknown.length > 0) {
        out.push(`<details><summary>Registry statuses not recognised (${plural(unknown.length, "domain")})</summary>`, "", "These status words are not in the lapse vocabulary; they produce no finding by themselves.", "");
        for (const u of unknown.slice(0, MAX_NOTES)) {
            out.push(`- ${inlineCode(u.domain, { maxLength: 100, inTable: false })}`);
            for (const status of u.statuses.slice(0, 5))
                out.push(`  - ${inlineCode(status, { maxLength: 100, inTable: false })}`);
            if (u.statuses.length > 5)
                out.push(`  - and ${u.statuses.length - 5} more`);
        }
        if (unknown.length > MAX_NOTES)
            out.push(`- and ${unknown.length - MAX_NOTES} more domains`);
        out.push("", "</details>", "");
    }
    return out;
}
/** One collapsed block: the tracker link (when the metadata names one) and the issue text. */
function noteBlock(f, report) {
    const note = maintainerNote(f, report);
    // Raw HTML: Markdown is not read inside `<summary>`, so it is escaped as HTML text.
    const who = f.maintainerName !== undefined
        ? ` (${escapeHtmlText(f.maintainerName, { maxLength: 80 })})`
        : "";
    const summary = `Tell the maintainers of ${escapeHtmlText(f.package, { maxLength: 100 })}${who}: ${f.kind}, ${escapeHtmlText(f.domain ?? "", { maxLength: 100 })}`;
    const href = trackerHref(f.tracker);
    const text = [`Title: ${note.title}`, "", ...note.lines].join("\n");
    const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
    const fence = "`".repeat(Math.max(3, longest + 1));
    return [
        `<details><summary>${summary}</summary>`,
        "",
        href !== undefined
            ? `Open an issue in the [package's issue tracker](${href}) (${inlineCode(new URL(href).host, { maxLength: 100, inTable: false })}) with this text:`
            : "The package's metadata names no issue tracker; its PyPI project page lists the maintainers. The text:",
        "",
        `${fence}text`,
        text,
        fence,
        "",
        "</details>",
        "",
    ];
}
function measure(text, unit) {
    return unit === "bytes" ? Buffer.byteLength(text, "utf8") : text.length;
}
/** Every row in the order it is kept when space runs out: most important first. */
function prioritisedRows(report) {
    const shown = report.findings.filter((f) => !isNotChecked(f) && f.allowed === undefined);
    const rows = [];
    if (report.diff) {
        for (const f of shown)
            if (f.introduced !== false)
                rows.push({ section: "finding", group: "introduced", finding: f });
        for (const f of shown)
            if (f.introduced === false)
                rows.push({ section: "finding", group: "present", finding: f });
    }
    else {
        for (const f of shown)
            rows.push({ section: "finding", group: "all", finding: f });
    }
    for (const row of notCheckedRows(report))
        rows.push({ section: "not-checked", row });
    for (const f of report.findings.filter((f) => f.allowed !== undefined))
        rows.push({ section: "allowed", finding: f });
    report.errors.forEach((_, index) => rows.push({ section: "error", index }));
    // The notes for the maintainers come last: they are the first to go when space runs out.
    const noted = new Set();
    for (const f of shown) {
        const key = `${f.package}\u0000${f.kind}\u0000${f.domain ?? ""}`;
        if (!wantsMaintainerNote(f) || noted.has(key))
            continue;
        noted.add(key);
        rows.push({ section: "note", finding: f });
    }
    return rows;
}
function render(report, rows, kept, opts) {
    const context = opts.context;
    const keep = rows.slice(0, kept);
    const left = rows.length - keep.length;
    const out = [];
    if (opts.marker !== undefined)
        out.push(opts.marker);
    out.push(`## ${opts.title ?? DEFAULT_TITLE}`, "");
    out.push(`**${escapeMarkdown(verdictLine(report), { maxLength: 500 })}.**`, "");
    const failing = failingLine(report);
    const incomplete = incompleteLine(report);
    out.push(failing
        ? `:x: ${failing}.`
        : incomplete
            ? `:x: This run fails: ${escapeMarkdown(incomplete, { maxLength: 500 })}.`
            : context === "issue" && report.failOn === "never"
                ? ":information_source: Reporting only (fail-on: never): the scheduled run does not fail on these findings."
                : `:white_check_mark: Nothing fails this run (fail-on: ${report.failOn}).`, "");
    const active = report.findings.filter((f) => !isNotChecked(f) && f.allowed === undefined);
    out.push(...severityTable(active));
    if (report.diff?.note)
        out.push(`> ${escapeMarkdown(report.diff.note, { maxLength: 300 })}`, "");
    if (opts.configNote !== undefined)
        out.push(`> :warning: ${escapeMarkdown(opts.configNote, { maxLength: 500 })}`, "");
    const findingsOf = (group) => keep.flatMap((r) => (r.section === "finding" && r.group === group ? [r.finding] : []));
    if (report.diff) {
        const introduced = findingsOf("introduced");
        const present = findingsOf("present");
        if (introduced.length > 0)
            out.push("### Introduced by this change", "", ...findingTables(introduced, report, opts));
        if (present.length > 0) {
            out.push("### Already present", "", "These packages were already pinned before this change; they do not fail this pull request.", "", ...findingTables(present, report, opts));
        }
    }
    else {
        const all = findingsOf("all");
        if (all.length > 0)
            out.push("### Findings", "", ...findingTables(all, report, opts));
    }
    const notChecked = keep.flatMap((r) => (r.section === "not-checked" ? [r.row] : []));
    if (notChecked.length > 0) {
        out.push("### Not checked", "", "| Domain, package or address | Reason | Packages |", "| --- | --- | --- |");
        for (const r of notChecked) {
            const packages = r.what !== "package"
                ? r.packages
                    .slice(0, 10)
                    .map((p) => inlineCode(p, { maxLength: 100 }))
                    .join(", ") + (r.packages.length > 10 ? `, and ${r.packages.length - 10} more` : "")
                : "-";
            out.push(`| ${r.what} ${inlineCode(r.subject, { maxLength: 100 })} | ${escapeMarkdown(r.reason, { maxLength: 200 })} | ${packages || "-"} |`);
        }
        out.push("");
    }
    const notes = keep.flatMap((r) => (r.section === "note" ? [r.finding] : []));
    if (notes.length > 0) {
        out.push("### Tell the maintainers", "", "Each block holds an issue text to paste into the package's tracker, so that its maintainers can fix the account.", "");
        for (const f of notes)
            out.push(...noteBlock(f, report));
    }
    out.push(...lifecycleNotes(report));
    const allowed = keep.flatMap((r) => (r.section === "allowed" ? [r.finding] : []));
    if (allowed.length > 0) {
        out.push("### Allowed", "", "| Package | Maintainer domain | Finding | Reason | Until | Location |", "| --- | --- | --- | --- | --- | --- |");
        for (const f of allowed) {
            out.push(`| ${inlineCode(f.package, { maxLength: 100 })} | ${f.domain !== undefined ? inlineCode(f.domain, { maxLength: 100 }) : "-"} | ${f.kind} | ${escapeMarkdown(f.allowed?.reason ?? "", { maxLength: 200 })} | ${f.allowed?.until !== undefined
                ? escapeMarkdown(day(f.allowed.until) ?? "", { maxLength: 20 })
                : "-"} | ${inlineCode(f.file, { maxLength: 120 })} ${lineLink(f.file, f.line, opts)} |`);
        }
        out.push("");
    }
    const errors = keep
        .flatMap((r) => (r.section === "error" ? [report.errors[r.index]] : []))
        .filter((e) => e !== undefined);
    if (errors.length > 0) {
        out.push("### Files with errors", "", "| File | Error | Code |", "| --- | --- | --- |");
        for (const e of errors) {
            const where = e.line !== undefined
                ? `${e.file}:${e.line}${e.column !== undefined ? `:${e.column}` : ""}`
                : e.file;
            out.push(`| ${inlineCode(where, { maxLength: 160 })} | ${escapeMarkdown(e.message, { maxLength: 200 })} | ${inlineCode(e.code, { maxLength: 40 })} |`);
        }
        out.push("");
    }
    if (left > 0) {
        const hint = opts.fullReportHint ?? FULL_REPORT_HINT[context ?? "cli"];
        out.push(`_${plural(left, "row")} left out to stay within ${opts.maxLength.toLocaleString("en-US")} ${unitOf(opts) === "bytes" ? "bytes" : "characters"}; ${hint}._`, "");
    }
    if (report.lockfiles.length > 0) {
        const files = report.lockfiles.slice(0, 50);
        out.push(`<details><summary>Scanned ${plural(report.lockfiles.length, "file")}</summary>`, "");
        for (const l of files)
            out.push(`- ${inlineCode(l.path, { maxLength: 160, inTable: false })} (${l.format}, ${plural(l.count, "dependency", "dependencies")})`);
        if (report.lockfiles.length > files.length)
            out.push(`- and ${report.lockfiles.length - files.length} more`);
        out.push("", "</details>", "");
    }
    if (active.length > 0 || report.findings.some((f) => f.allowed !== undefined))
        out.push(...allowSnippet(active[0]));
    out.push(`<sub>${escapeMarkdown(`${report.tool.name} ${report.tool.version}`, { maxLength: 80 })}: ${escapeMarkdown(statsLine(report), { maxLength: 200 })}.</sub>`);
    return `${out.join("\n")}\n`;
}
function unitOf(opts) {
    return opts.unit ?? (opts.context === "summary" ? "bytes" : "chars");
}
/** The Markdown report, at most `opts.maxLength` long (characters or bytes, see `unit`). */
function renderMarkdown(report, opts) {
    const unit = unitOf(opts);
    const rows = prioritisedRows(report);
    const full = render(report, rows, rows.length, opts);
    if (measure(full, unit) <= opts.maxLength)
        return full;
    // Keep as many rows as fit: the length grows with the rows kept, so a binary search finds it.
    let lo = 0;
    let hi = rows.length - 1;
    while (lo < hi) {
        const mid = Math.ceil((lo + hi) / 2);
        if (measure(render(report, rows, mid, opts), unit) <= opts.maxLength)
            lo = mid;
        else
            hi = mid - 1;
    }
    const best = render(report, rows, lo, opts);
    if (measure(best, unit) <= opts.maxLength)
        return best;
    return hardCut(best, opts.maxLength, unit);
}
/** Last resort for a tiny limit: whole lines only, then a note, never past the limit. */
function hardCut(text, max, unit) {
    const note = "\n_Cut to fit the size limit._\n";
    const lines = text.split("\n");
    let out = "";
    for (const line of lines) {
        const next = `${out}${line}\n`;
        if (measure(next + note, unit) > max)
            break;
        out = next;
    }
    const result = out + note;
    return measure(result, unit) <= max ? result : "";
}

// EXTERNAL MODULE: ./src/version.ts
var version = __webpack_require__(311);
;// CONCATENATED MODULE: ./src/report/sarif.ts
// SARIF 2.1.0 for code scanning: one rule per finding kind, results at the lockfile line,
// fingerprints that do not move when lines do, allowed findings as suppressions.








/** Results GitHub code scanning accepts in one run; a log with more is refused whole. */
const MAX_SARIF_RESULTS = 25_000;
/**
 * The key of our fingerprint in `partialFingerprints`. Not `primaryLocationLineHash`: the
 * upload action computes that one itself from the line's text and warns for every result whose
 * given value differs.
 */
const FINGERPRINT_KEY = "maintainerDomainGuard/v1";
const SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
function sarifLevel(severity) {
    return severity === "critical" || severity === "high"
        ? "error"
        : severity === "medium"
            ? "warning"
            : "note";
}
/** Rule id in PascalCase for the `name` field: `domain-expired` -> `DomainExpired`. */
function ruleName(kind) {
    return kind
        .split("-")
        .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
        .join("");
}
function rule(kind) {
    const info = FINDING_INFO[kind];
    return {
        id: kind,
        name: ruleName(kind),
        shortDescription: { text: info.title },
        fullDescription: { text: info.meaning },
        defaultConfiguration: { level: sarifLevel(info.severity) },
        help: {
            text: `${info.meaning}\n\nWhat to do: ${info.action}\n\nTo allow a finding once verified, add to .github/maintainer-domain-guard.yml:\nallow:\n  - package: <name>\n    kind: ${kind}\n    reason: "<why>"\n    until: <YYYY-MM-DD>`,
            markdown: `${info.meaning}\n\n**What to do:** ${info.action}\n\nTo allow a finding once verified, add to \`.github/maintainer-domain-guard.yml\`:\n\n\`\`\`yaml\nallow:\n  - package: <name>\n    kind: ${kind}\n    reason: "<why>"\n    until: <YYYY-MM-DD>\n\`\`\``,
        },
        // Information (a lookup that failed, no address at all) is no vulnerability: without a
        // security-severity it shows as a note, not as a security alert that opens and closes with
        // the network.
        properties: info.severity === "info"
            ? {
                "problem.severity": sarifProblemSeverity(info.severity),
                tags: ["supply-chain"],
                precision: kind === "lookup-failed" ? "low" : "high",
            }
            : {
                "security-severity": info.securitySeverity,
                "problem.severity": sarifProblemSeverity(info.severity),
                tags: ["security", "supply-chain"],
                precision: "high",
            },
    };
}
function sarifProblemSeverity(severity) {
    return severity === "critical" || severity === "high"
        ? "error"
        : severity === "medium"
            ? "warning"
            : "recommendation";
}
/**
 * Stable across runs and line moves: kind, file, package and domain (the address when there is
 * no domain); never the line. Results that share all of these (one package pinned on two lines
 * of a file, under two markers) are told apart by their order: `:2`, `:3`, as CodeQL does.
 */
function fingerprint(f) {
    return (0,external_node_crypto_.createHash)("sha256")
        .update([f.kind, f.file, f.package, f.domain ?? f.email ?? ""].join("\u0000"))
        .digest("hex")
        .slice(0, 32);
}
/**
 * Where a finding's file is: relative to the repository root (`%SRCROOT%`), each segment
 * percent-encoded; a file outside it (an absolute path, or `../`) as an absolute `file:` URI.
 */
function artifactLocation(file, root) {
    const path = file.replace(/\\/g, "/");
    if ((0,external_node_path_.isAbsolute)(path) || path === ".." || path.startsWith("../"))
        return { uri: (0,external_node_url_.pathToFileURL)((0,external_node_path_.resolve)(root, path)).href };
    return {
        uri: path
            .split("/")
            .map((seg) => encodeURIComponent(seg))
            .join("/"),
        uriBaseId: "%SRCROOT%",
    };
}
const sarif_text = (s, max = 1000) => sarifMessageText(s, max);
const prop = (s, max) => sarifPropertyText(s, max);
function result(f, ruleIndex, root, key) {
    const sentences = [f.message, f.evidence, f.remediation].filter((s) => s !== undefined && s !== "");
    if (f.allowExpired)
        sentences.push(`An allow-list entry expired on ${f.allowExpired.until} (${f.allowExpired.reason}).`);
    if (f.introduced === false)
        sentences.push("Already present before this change.");
    if (f.maintainerName !== undefined)
        sentences.push(`Maintainer: ${f.maintainerName}.`);
    if (f.tracker !== undefined)
        sentences.push(`Issue tracker: ${f.tracker}.`);
    return {
        ruleId: f.kind,
        ruleIndex,
        level: sarifLevel(f.severity),
        message: { text: sarif_text(unMarkdownCode(sentences.join(" "))) },
        locations: [
            {
                physicalLocation: {
                    artifactLocation: artifactLocation(f.file, root),
                    region: { startLine: Math.max(1, Math.trunc(f.line) || 1) },
                },
            },
        ],
        partialFingerprints: { [FINGERPRINT_KEY]: key },
        ...(f.allowed
            ? {
                suppressions: [
                    { kind: "external", status: "accepted", justification: prop(f.allowed.reason, 500) },
                ],
            }
            : {}),
        properties: {
            package: prop(f.package, 200),
            ...(f.version !== undefined ? { version: prop(f.version, 100) } : {}),
            ...(f.domain !== undefined ? { domain: prop(f.domain, 253) } : {}),
            ...(f.email !== undefined ? { email: prop(f.email, 254) } : {}),
            ...(f.maintainerName !== undefined ? { maintainerName: prop(f.maintainerName, 120) } : {}),
            ...(f.mx !== undefined
                ? { mxHost: prop(f.mx.host, 253), maintainerDomain: prop(f.mx.maintainerDomain, 253) }
                : {}),
            ...(f.link !== undefined
                ? { linkLabel: prop(f.link.label, 80), linkUrl: prop(f.link.url, 2048) }
                : {}),
            ...(f.tracker !== undefined ? { tracker: prop(f.tracker, 2048) } : {}),
            severity: f.severity,
            failing: f.failing,
            // The finding stands on the registry's answer of this time: this run's lookup failed.
            ...(f.keptFrom !== undefined ? { keptFrom: f.keptFrom } : {}),
        },
    };
}
/**
 * The run's invocation. A run that could not check enough (below min-coverage, or nothing
 * looked at) is not a successful execution, with the reason as an error notification: an upload
 * of it must not read as a complete analysis, whose missing results would close earlier alerts.
 */
function invocation(report, left) {
    const short = report.coverage?.shortfall;
    const notifications = [];
    if (short !== undefined)
        notifications.push({
            level: "error",
            descriptor: { id: "incomplete-scan" },
            message: { text: sarif_text(`The scan could not check enough: ${short}`, 2048) },
        });
    // Above min-coverage the run is complete, but what failed to be looked up this time shows
    // as a lookup-failed note: an alert found before for it is no longer in this log.
    const failed = failedLookups(report, report.findings);
    if (failed.length > 0) {
        const domains = new Set(failed.flatMap((f) => (f.domain ? [f.domain] : []))).size;
        const packages = new Set(failed.filter((f) => !f.domain).map((f) => f.package)).size;
        const what = [
            ...(domains > 0 ? [plural(domains, "domain")] : []),
            ...(packages > 0 ? [plural(packages, "package")] : []),
        ].join(" and ");
        notifications.push({
            level: "warning",
            descriptor: { id: "lookup-failed" },
            message: {
                text: sarif_text(`${what} could not be looked up this run: their results are lookup-failed notes, or findings that stand on an earlier answer (keptFrom). An alert found for them before that is missing from this log could not be checked; it was not fixed.`, 2048),
            },
        });
    }
    if (left > 0)
        notifications.push({
            level: "warning",
            descriptor: { id: "too-many-results" },
            message: {
                text: sarif_text(`${plural(left, "result")} of the least severe were left out: code scanning accepts at most ${MAX_SARIF_RESULTS} per run. The JSON report (--format json) has every finding.`, 2048),
            },
        });
    return {
        executionSuccessful: short === undefined,
        startTimeUtc: report.startedAt,
        ...(notifications.length > 0 ? { toolExecutionNotifications: notifications } : {}),
    };
}
/** The fingerprint of each finding, told apart by order where several share one. */
function fingerprintsOf(findings) {
    const seen = new Map();
    return findings.map((f) => {
        const base = fingerprint(f);
        const n = (seen.get(base) ?? 0) + 1;
        seen.set(base, n);
        return n === 1 ? base : `${base}:${n}`;
    });
}
/** The log of one run of the tool: its rules, `invocation` and `results`, as text. */
function sarifLog(tool, invocation, results) {
    const log = {
        $schema: SARIF_SCHEMA,
        version: "2.1.0",
        runs: [
            {
                tool: {
                    driver: {
                        name: tool.name,
                        version: tool.version,
                        semanticVersion: tool.version,
                        rules: FINDING_KINDS.map(rule),
                    },
                },
                invocations: [invocation],
                results,
            },
        ],
    };
    return `${inertJsonText(JSON.stringify(log, null, 2))}\n`;
}
function renderSarif(report) {
    const ruleIndex = new Map(FINDING_KINDS.map((k, i) => [k, i]));
    // The report holds findings most severe first (assess/order.ts): a cut keeps the worst.
    const kept = report.findings.slice(0, MAX_SARIF_RESULTS);
    const keys = fingerprintsOf(kept);
    const left = report.findings.length - kept.length;
    return sarifLog(report.tool, invocation(report, left), kept.map((f, i) => result(f, ruleIndex.get(f.kind) ?? 0, report.root, keys[i])));
}
/**
 * The log of a run that read nothing (no lockfile could be read) or did not finish (it was
 * interrupted): no results, and an unsuccessful execution with the reason, so that uploading it
 * never passes for an analysis that found nothing, and an earlier run's file is not left in its
 * place.
 */
function renderSarifNotRun(reason, why = "no-input") {
    return sarifLog({ name: version/* TOOL_NAME */.l, version: version/* VERSION */.x }, {
        executionSuccessful: false,
        toolExecutionNotifications: [
            {
                level: "error",
                descriptor: { id: why },
                message: {
                    text: sarif_text(why === "no-input" ? `Nothing was scanned: ${reason}` : `Not finished: ${reason}`, 2048),
                },
            },
        ],
    }, []);
}

;// CONCATENATED MODULE: ./src/report/table.ts
// The terminal format: one line per finding grouped by severity, then what was not checked,
// then file errors, then one summary line. Every untrusted string passes through plainText.




const COLORS = {
    critical: ["\u001b[1;31m", "\u001b[0m"],
    high: ["\u001b[31m", "\u001b[0m"],
    medium: ["\u001b[33m", "\u001b[0m"],
    low: ["\u001b[36m", "\u001b[0m"],
    info: ["\u001b[2m", "\u001b[0m"],
    dim: ["\u001b[2m", "\u001b[0m"],
    bold: ["\u001b[1m", "\u001b[0m"],
};
/** Pads to `width` by visible length (code points). */
function pad(text, width) {
    return text + " ".repeat(Math.max(0, width - Array.from(text).length));
}
function columns(rows) {
    const widths = [];
    for (const row of rows)
        row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, Array.from(cell).length)));
    return rows.map((row) => row
        .map((cell, i) => (i === row.length - 1 ? cell : pad(cell, widths[i] ?? 0)))
        .join("  ")
        .trimEnd());
}
function findingCells(f, report) {
    const name = plainText(f.version !== undefined ? `${f.package} ${f.version}` : f.package, 80);
    let evidence = plainText(shortEvidence(f, report), 100);
    if (f.allowed)
        evidence = `allowed: ${plainText(f.allowed.reason, 80)}`;
    else if (f.allowExpired)
        evidence = `${evidence} (allowance expired ${plainText(f.allowExpired.until, 20)}: ${plainText(f.allowExpired.reason, 60)})`;
    else if (f.introduced === false)
        evidence = `${evidence} (already present)`;
    if (f.maintainerName !== undefined && !f.allowed)
        evidence = `${evidence} (maintainer: ${plainText(f.maintainerName, 60)})`;
    return [
        f.severity.toUpperCase(),
        name,
        plainText(f.domain ?? "-", 80),
        f.kind,
        `${plainPath(f.file)}:${f.line}`,
        evidence,
    ];
}
function table_renderTable(report, opts = {}) {
    const paint = (style, text) => opts.color ? `${COLORS[style][0]}${text}${COLORS[style][1]}` : text;
    const findings = report.findings.filter((f) => !isNotChecked(f));
    const unchecked = notCheckedRows(report);
    const lines = [];
    if (findings.length > 0) {
        const rows = findings.map((f) => findingCells(f, report));
        const laidOut = columns([
            ["SEVERITY", "PACKAGE", "DOMAIN", "FINDING", "LOCATION", "EVIDENCE"],
            ...rows,
        ]);
        lines.push(paint("bold", laidOut[0] ?? ""));
        let previous;
        findings.forEach((f, i) => {
            if (previous !== undefined && previous !== f.severity)
                lines.push("");
            previous = f.severity;
            const text = laidOut[i + 1] ?? "";
            const label = f.severity.toUpperCase();
            // Colour the severity word only, so the rest stays readable.
            const styled = f.allowed
                ? paint("dim", text)
                : paint(f.severity, label) + text.slice(label.length);
            lines.push(styled);
        });
    }
    if (unchecked.length > 0) {
        if (lines.length > 0)
            lines.push("");
        lines.push(paint("bold", "Not checked"));
        const rows = unchecked.map((r) => [
            r.what,
            plainText(r.subject, 80),
            plainText(r.reason, 100),
            r.what !== "package" && r.packages.length > 0
                ? `(${plainText(r.packages.join(", "), 100)})`
                : "",
        ]);
        for (const line of columns(rows))
            lines.push(`  ${line}`);
    }
    const limits = coverageLimits(report.domains);
    const unknown = unknownStatusRows(report);
    // A clean run stays one line; the notes come with a table that has something to say.
    if (lines.length > 0 && (limits.length > 0 || unknown.length > 0)) {
        if (lines.length > 0)
            lines.push("");
        lines.push(paint("bold", "Notes"));
        for (const l of limits)
            lines.push(`  ${plainText(`${l.note} (${l.domains.join(", ")})`, 300)}`);
        for (const u of unknown)
            lines.push(`  ${plainText(`${u.domain}: status not recognised, no finding from it: ${u.statuses.join(", ")}`, 300)}`);
    }
    if (report.errors.length > 0) {
        if (lines.length > 0)
            lines.push("");
        lines.push(paint("bold", "Files with errors"));
        for (const e of report.errors) {
            for (const line of [formatParseError(e), ...formatSourceContext(e)])
                lines.push(`  ${line}`);
        }
    }
    const summary = `${plainText(verdictLine(report), 1000)} (${statsLine(report)})`;
    if (lines.length === 0)
        return `${summary}\n`;
    lines.push("");
    const failing = failingLine(report);
    lines.push(summary + (failing ? `. ${failing}.` : ""));
    if (report.diff?.note)
        lines.push(plainText(report.diff.note, 300));
    // A CI log reads every line of it: none may begin a workflow command (`::` after spaces).
    return `${lines.map(notACommand).join("\n")}\n`;
}

;// CONCATENATED MODULE: ./src/report/render.ts




/** Markdown on standard output has no host limit; keep it sane all the same. */
const CLI_MARKDOWN_MAX_CHARS = 10 * 1024 * 1024;
function renderReport(report, format, opts = {}) {
    switch (format) {
        case "json":
            return renderJson(report);
        case "table":
            return table_renderTable(report, { color: opts.color === true });
        case "markdown":
            return renderMarkdown(report, { maxLength: opts.maxLength ?? CLI_MARKDOWN_MAX_CHARS });
        case "sarif":
            return renderSarif(report);
    }
}

// EXTERNAL MODULE: external "node:http"
var external_node_http_ = __webpack_require__(7067);
// EXTERNAL MODULE: external "node:https"
var external_node_https_ = __webpack_require__(4708);
// EXTERNAL MODULE: external "node:tls"
var external_node_tls_ = __webpack_require__(1692);
;// CONCATENATED MODULE: ./src/net/tunnel.ts
// HTTPS through an HTTP(S) proxy: an https Agent whose connections are CONNECT tunnels, kept
// alive and reused as direct ones are, so that a run of a thousand requests opens a tunnel per
// connection, not per request. What the proxy says is the proxy's: a refused tunnel (a 407, a
// 403) is an error naming the proxy, never an answer of the origin's, and a proxy that closes
// the tunnel costs the request one failed attempt, never a loop of new tunnels.




/** The code of a proxy's refusal; `connectionFailure` reads its message as it is. */
const PROXY_REFUSED = "ERR_PROXY_REFUSED";
/** The proxy answered a tunnel (or a forwarded request) with a refusal. */
class ProxyRefused extends Error {
    proxy;
    status;
    code = PROXY_REFUSED;
    constructor(proxy, status, statusText, variable) {
        const text = (statusText ?? "").replace(/[^\x20-\x7e]/g, "").slice(0, 60);
        const hint = status === 407
            ? `; give the proxy's user and password in ${variable}, before its host: user:password@host:port`
            : "; check that the proxy allows this host, or list the host in NO_PROXY";
        super(`the proxy ${proxy} refused: ${status}${text ? ` ${text}` : ""}${hint}`);
        this.proxy = proxy;
        this.status = status;
        this.name = "ProxyRefused";
    }
}
/**
 * A failure on the way to the proxy (refused, DNS, reset before it answered), with the code of
 * its cause kept so that it is classified as the same failure would be, and `proxy` naming it.
 */
function viaProxy(error, proxy) {
    const cause = error instanceof Error ? error : new Error(String(error));
    return Object.assign(new Error(`through the proxy ${proxy}: ${cause.message}`, { cause }), {
        code: cause.code,
        proxy,
    });
}
/** An authority for a request line: an IPv6 address in brackets. */
function authority(host, port) {
    return `${(0,external_node_net_.isIP)(host) === 6 ? `[${host}]` : host}:${port}`;
}
/** Options of a request that are the target's, not the TLS session's. */
const NOT_TLS = new Set(["host", "hostname", "port", "path", "agent", "tunnelSignal", "headers"]);
class TunnelAgent extends external_node_https_.Agent {
    proxy;
    constructor(proxy, keepAlive, ca) {
        super({ keepAlive, ...(ca ? { ca } : {}) });
        this.proxy = proxy;
    }
    createConnection(options, callback) {
        const done = once(callback);
        const host = String(options.host ?? options.hostname ?? "localhost").replace(/^\[|\]$/g, "");
        const target = authority(host, options.port ?? 443);
        const proxy = this.proxy;
        const name = proxy.url.host; // host:port, never the credentials
        const secure = proxy.url.protocol === "https:";
        const connect = (secure ? external_node_https_.request : external_node_http_.request)({
            hostname: proxy.url.hostname.replace(/^\[|\]$/g, ""),
            port: proxy.url.port || (secure ? 443 : 80),
            method: "CONNECT",
            path: target,
            headers: {
                host: target,
                ...(proxy.authorization ? { "proxy-authorization": proxy.authorization } : {}),
            },
            agent: false,
            ...(secure && proxy.ca ? { ca: proxy.ca } : {}),
            ...(options.tunnelSignal ? { signal: options.tunnelSignal } : {}),
        });
        // Node hands every answer to a CONNECT here, whatever its status.
        connect.once("connect", (res, socket, head) => {
            const status = res.statusCode ?? 0;
            if (status < 200 || status > 299) {
                socket.destroy();
                done(new ProxyRefused(name, status, res.statusMessage, proxy.variable));
                return;
            }
            if (head.length > 0)
                socket.unshift(head);
            const tls = {};
            for (const [key, value] of Object.entries(options))
                if (!NOT_TLS.has(key))
                    tls[key] = value;
            const servername = options.servername ?? ((0,external_node_net_.isIP)(host) === 0 ? host : undefined);
            // `host` is what the origin's certificate is checked against (the tunnel is the socket).
            done(null, (0,external_node_tls_.connect)({ ...tls, host, socket, ...(servername ? { servername } : {}) }));
        });
        connect.once("error", (error) => done(viaProxy(error, name)));
        connect.end();
        return undefined;
    }
}
/** The agent's callback, called once (a CONNECT may both fail and close). */
function once(callback) {
    let called = false;
    return (err, stream) => {
        if (called)
            return;
        called = true;
        callback?.(err, stream);
    };
}

// EXTERNAL MODULE: external "node:stream"
var external_node_stream_ = __webpack_require__(7075);
// EXTERNAL MODULE: external "node:zlib"
var external_node_zlib_ = __webpack_require__(8522);
;// CONCATENATED MODULE: ./src/net/chunks.ts
// A Node stream read as an async iterable of its chunks, in flowing mode. Node's own iterator
// reads a stream in paused mode (`read()` after each `readable`), which for an answer of
// tens of megabytes costs a third of the time of the download itself; here each chunk is taken
// as `data` hands it over, and the stream is paused only while the reader is behind.

/** Bytes taken from the stream and not yet read, past which the stream is paused. */
const PAUSE_AT_BYTES = 512 * 1024;
/** Bytes still waiting below which a paused stream goes on. */
const RESUME_BELOW_BYTES = 256 * 1024;
/**
 * The chunks of `stream` in order, once: iterating again gives the same iterator. Its error,
 * or its end before `end` (a cut connection), is thrown after the chunks that came before it.
 * Leaving the loop early destroys the stream, as Node's iterator does, so that its connection
 * is not kept waiting.
 */
function flowingChunks(stream) {
    let reader;
    return {
        [Symbol.asyncIterator]() {
            reader ??= startReading(stream);
            return reader.iterator;
        },
        get waitingBytes() {
            return (reader?.queued() ?? 0) + stream.readableLength;
        },
    };
}
function startReading(stream) {
    const queue = [];
    let head = 0;
    let queued = 0;
    let over = false;
    let failure;
    let wake;
    const kick = () => {
        const w = wake;
        wake = undefined;
        w?.();
    };
    const onData = (chunk) => {
        queue.push(chunk);
        queued += chunk.byteLength;
        if (queued >= PAUSE_AT_BYTES)
            stream.pause();
        kick();
    };
    stream.on("data", onData);
    const stopWatching = (0,external_node_stream_.finished)(stream, (error) => {
        over = true;
        if (error)
            failure = error;
        kick();
    });
    const stop = () => {
        stream.off("data", onData);
        stopWatching();
    };
    const iterator = {
        async next() {
            for (;;) {
                if (head < queue.length) {
                    const chunk = queue[head];
                    queue[head++] = EMPTY;
                    if (head === queue.length) {
                        queue.length = 0;
                        head = 0;
                    }
                    queued -= chunk.byteLength;
                    if (queued < RESUME_BELOW_BYTES && stream.isPaused() && !over)
                        stream.resume();
                    return { value: chunk, done: false };
                }
                if (over) {
                    stop();
                    if (failure !== undefined)
                        throw failure;
                    return { value: undefined, done: true };
                }
                await new Promise((resolve) => (wake = resolve));
            }
        },
        async return() {
            stop();
            queue.length = 0;
            if (!over)
                stream.destroy();
            over = true;
            return { value: undefined, done: true };
        },
    };
    return { iterator, queued: () => queued };
}
const EMPTY = new Uint8Array(0);

;// CONCATENATED MODULE: ./src/net/transport.ts
// How a request reaches the network: the one seam below the request policy. `directTransport`
// sends over node:http / node:https with keep-alive connections and undoes Content-Encoding
// with node:zlib (off the main thread), handing the body on as Node's stream gives it, chunk by
// chunk in flowing mode (chunks.ts): no web stream in between, which for answers of tens of
// megabytes is most of the cost of reading them.
// `nodeTransport` sends as a router says (proxy.ts routes through a proxy); `fetchTransport`
// sends through a fetch (a test's own).





/** What `directTransport` asks servers to compress with, as fetch does. */
const ACCEPT_ENCODING = "gzip, deflate, br";
/**
 * Bytes per decoded chunk. Each chunk is a trip from zlib's thread back to the event loop, and
 * zlib waits for it: with the loop busy reading other answers, a 30 MB gzip answer among three
 * others was read in 319 ms with 64 KiB chunks and 275 ms with 256 KiB (zlib's default, 16 KiB,
 * was a third slower still).
 */
const DECODED_CHUNK = 256 * 1024;
/** More codings than this on one answer are not undone (fetch has no limit; a bomb has many). */
const MAX_CODINGS = 3;
/**
 * GETs over node:http / node:https: keep-alive connections (one pool per transport; idle ones
 * do not hold the process open), TLS as Node verifies it (NODE_EXTRA_CA_CERTS honoured), no
 * proxy (see `transportForEnv`).
 */
function directTransport(opts = {}) {
    return nodeTransport(directRouter(opts));
}
/** The request options of a URL's origin and path (brackets of an IPv6 host removed). */
function targetOf(url) {
    return {
        protocol: url.protocol,
        hostname: url.hostname.replace(/^\[|\]$/g, ""),
        port: url.port || undefined,
        path: `${url.pathname}${url.search}`,
    };
}
/** Straight to the origin. */
function directRouter(opts = {}) {
    const http = new external_node_http_.Agent({ keepAlive: true });
    const https = new external_node_https_.Agent({ keepAlive: true, ...(opts.ca ? { ca: opts.ca } : {}) });
    // For a request sent again after its kept connection was found closed: a new connection for
    // certain (another kept one may be just as stale), closed after its answer.
    const freshHttp = new external_node_http_.Agent({ keepAlive: false });
    const freshHttps = new external_node_https_.Agent({ keepAlive: false, ...(opts.ca ? { ca: opts.ca } : {}) });
    return (url, resent) => {
        const secure = url.protocol === "https:";
        return {
            send: secure ? external_node_https_.request : external_node_http_.request,
            options: {
                ...targetOf(url),
                agent: resent ? (secure ? freshHttps : freshHttp) : secure ? https : http,
            },
        };
    };
}
/** GETs as the router sends them, bodies decoded (see `directTransport`). */
function nodeTransport(router) {
    return (req) => new Promise((resolve, reject) => {
        const headers = { "accept-encoding": ACCEPT_ENCODING };
        for (const [name, value] of Object.entries(req.headers))
            headers[name] = value;
        const send = (resent) => {
            const route = router(req.url, resent);
            if (route instanceof Error)
                return reject(route);
            const outgoing = route.send({
                ...route.options,
                method: "GET",
                headers: { ...headers, ...route.options.headers },
                signal: req.signal,
                tunnelSignal: req.signal,
            });
            let answered = false;
            // Before the answer: no answer (refused, DNS, aborted). After it, errors reach the body.
            let errored = false;
            outgoing.on("error", (error) => {
                errored = true;
                if (!resent && !answered && staleConnection(outgoing.reusedSocket, error, req.signal))
                    send(true);
                else
                    reject(error);
            });
            // A 101 (Switching Protocols) is no answer to a GET: Node hands it to `upgrade` and
            // nothing else, and without a settle here the request would wait for the deadline.
            outgoing.once("upgrade", (_res, socket) => {
                errored = true;
                socket.destroy();
                reject(Object.assign(new Error("the server switched protocols (101) instead of answering"), {
                    code: "EPROTO",
                }));
            });
            // Closed with neither an answer nor an error: no answer (a settled promise ignores it).
            outgoing.once("close", () => {
                if (!answered && !errored)
                    reject(Object.assign(new Error("the connection closed before an answer"), {
                        code: "ECONNRESET",
                    }));
            });
            outgoing.once("response", (res) => {
                answered = true;
                if (route.refusedBy && res.statusCode === 407) {
                    drop(res, res);
                    reject(route.refusedBy(407, res.statusMessage));
                    return;
                }
                const body = decoded(res);
                // An error before the body is read must not go unheard (it would end the process);
                // whoever reads the body still gets it.
                body.on("error", () => undefined);
                resolve({
                    status: res.statusCode ?? 0,
                    headers: headersOf(res),
                    body: flowingChunks(body),
                    cancel: async () => drop(res, body),
                });
            });
            outgoing.end();
        };
        send(false);
    });
}
/**
 * Whether a request failed only because the kept connection it was written to had been closed
 * by the server while idle (a reset or broken pipe on a reused socket, before any answer). Such
 * a GET is sent again, once, on a new connection, and that is not a retry: with `--retries 0` a
 * closed idle connection must not cost a package its lookup. A connection that fails on its
 * first request is a real failure, left to the retry policy.
 */
function staleConnection(reused, error, signal) {
    return reused && !signal.aborted && (error.code === "ECONNRESET" || error.code === "EPIPE");
}
/** Bodies up to this many bytes still due are read to the end and dropped, keeping the connection. */
const DRAIN_UP_TO = 64 * 1024;
/** How long such a body may take to arrive: past this, its connection is cut. */
const DRAIN_WITHIN_MS = 1_000;
/**
 * Drop a body: one that has arrived, or is small, is drained so that its connection is kept
 * for the next request (a 304 or a 429 should not cost a new TLS handshake); a large one is cut.
 */
function drop(res, body) {
    const declared = Number(res.headers["content-length"]);
    if (res.complete) {
        body.resume();
    }
    else if (Number.isFinite(declared) && declared <= DRAIN_UP_TO) {
        // A server that declares a small body and never sends it must not hold the socket, and
        // the process, past the run.
        const cut = setTimeout(() => {
            body.destroy();
            res.destroy();
        }, DRAIN_WITHIN_MS);
        cut.unref();
        res.once("close", () => clearTimeout(cut));
        body.resume();
    }
    else {
        body.destroy();
        res.destroy();
    }
}
/**
 * The answer's headers as Node parsed them. Not a fetch Headers: the first one made in a process
 * loads fetch's implementation, some 35 ms, while the body is waiting to be read.
 */
function headersOf(res) {
    return {
        get(name) {
            const value = res.headers[name.toLowerCase()];
            if (value === undefined)
                return null;
            return Array.isArray(value) ? value.join(", ") : value;
        },
    };
}
/**
 * The body with Content-Encoding undone (codings applied last first, as fetch does); an unknown
 * coding, or more than MAX_CODINGS, leaves the bytes as they came. An error of either stream
 * (cut off, not gzip after all) ends the other and surfaces where the body is read.
 */
function decoded(res) {
    // No body to decode (as fetch reads it: an empty gzip body is an empty body, not a cut one).
    if (res.headers["content-length"] === "0" || res.statusCode === 204 || res.statusCode === 304)
        return res;
    const header = res.headers["content-encoding"];
    const codings = (header ?? "")
        .toLowerCase()
        .split(",")
        .map((c) => c.trim())
        .filter((c) => c !== "" && c !== "identity")
        .reverse();
    if (codings.length === 0 || codings.length > MAX_CODINGS)
        return res;
    const decoders = [];
    // A body of a declared, non-zero length has a first byte: its decoders are made at once (a
    // lazy one costs a hop per chunk). Without a length it may be empty: made on the first byte.
    const sized = res.headers["content-length"] !== undefined;
    const made = (make) => (sized ? make() : lazyDecoder(make));
    for (const coding of codings) {
        if (coding === "gzip" || coding === "x-gzip")
            decoders.push(made(() => (0,external_node_zlib_.createGunzip)({ chunkSize: DECODED_CHUNK })));
        else if (coding === "deflate")
            decoders.push(lazyDecoder(anyDeflate));
        else if (coding === "br")
            decoders.push(made(() => (0,external_node_zlib_.createBrotliDecompress)({ chunkSize: DECODED_CHUNK })));
        else
            return res;
    }
    // pipeline ends every stream when one fails, and the socket when the reader stops early.
    (0,external_node_stream_.pipeline)([res, ...decoders], () => undefined);
    return decoders.at(-1);
}
/**
 * `deflate` as servers send it: zlib-wrapped (RFC 1950) or, from some old servers, raw (RFC
 * 1951); the first byte tells which, as fetch decides.
 */
function anyDeflate(first) {
    return (first[0] & 0x0f) === 0x08
        ? (0,external_node_zlib_.createInflate)({ chunkSize: DECODED_CHUNK })
        : (0,external_node_zlib_.createInflateRaw)({ chunkSize: DECODED_CHUNK });
}
/**
 * A decoder made when the first byte arrives (`make` sees that chunk): a body with no byte at
 * all is an empty body, as fetch reads it, where a decoder given nothing would call it cut off.
 * Output waits for its reader: a small compressed chunk can inflate a thousandfold.
 */
function lazyDecoder(make) {
    let inner;
    const outer = new external_node_stream_.Transform({
        transform(chunk, _encoding, done) {
            if (!inner) {
                const decoder = make(chunk);
                inner = decoder;
                decoder.on("data", (out) => {
                    if (!outer.push(out))
                        decoder.pause();
                });
                decoder.on("error", (error) => outer.destroy(error));
            }
            if (inner.write(chunk))
                done();
            else
                inner.once("drain", done);
        },
        flush(done) {
            if (!inner)
                return done();
            inner.once("end", () => done());
            inner.end();
        },
    });
    // The reader wants more: let the decoder go on.
    const read = outer._read.bind(outer);
    outer._read = (size) => {
        inner?.resume();
        read(size);
    };
    return outer;
}
/**
 * Through a fetch: redirects left to the caller, the body as fetch's stream gives it. For tests
 * that answer from memory.
 */
function fetchTransport(fetcher) {
    return async (req) => {
        const response = await fetcher(req.url.href, {
            method: "GET",
            redirect: "manual",
            signal: req.signal,
            headers: req.headers,
        });
        return fromResponse(response);
    };
}
/** A fetch Response as a transport's answer: its body stream read as it is, or cancelled. */
function fromResponse(response) {
    const stream = response.body;
    return {
        status: response.status,
        headers: response.headers,
        body: (stream ?? []),
        cancel: () => stream?.cancel().catch(() => undefined) ?? Promise.resolve(),
    };
}

;// CONCATENATED MODULE: ./src/net/url.ts
// Where a request may go: only http(s) URLs, and redirects followed by hand (fetch is told not
// to) so that each hop is checked the same way, and loops and long chains end with a result.
/** Redirects followed before giving up with `redirect-loop`. */
const MAX_REDIRECTS = 5;
/** Parse the URL a caller asked for; anything but http(s) is refused before a request is made. */
function parseRequestUrl(url) {
    let parsed;
    try {
        parsed = new URL(url);
    }
    catch {
        return { ok: false, code: "bad-url", error: `not a URL: ${JSON.stringify(url)}` };
    }
    if (!isHttp(parsed))
        return { ok: false, code: "bad-url", error: `not an http(s) URL: ${parsed.href}` };
    return { ok: true, url: parsed };
}
function isHttp(url) {
    return url.protocol === "http:" || url.protocol === "https:";
}
/** The hops of one request: every URL visited, to stop at a loop or after MAX_REDIRECTS. */
class RedirectTrail {
    seen;
    followed = 0;
    constructor(start) {
        this.seen = new Set([start.href]);
    }
    /**
     * `from` answered with a redirect to `location` (relative to it): the next URL to request,
     * or why not (an unreadable or non-http(s) location, a URL already visited, too many hops).
     */
    follow(from, location) {
        let next;
        try {
            next = new URL(location, from);
        }
        catch {
            return {
                ok: false,
                code: "http-status",
                error: `redirect from ${from.href} to an invalid location ${JSON.stringify(location)}`,
            };
        }
        if (!isHttp(next)) {
            return {
                ok: false,
                code: "bad-url",
                error: `redirect from ${from.href} to a non-http(s) location ${next.href}`,
            };
        }
        if (from.protocol === "https:" && next.protocol === "http:") {
            // What came over TLS must not be answered in the clear: anyone on the way could answer.
            return {
                ok: false,
                code: "bad-url",
                error: `redirect from ${from.href} to plain http ${next.href} refused: the answer would come without TLS`,
            };
        }
        this.followed++;
        if (this.seen.has(next.href) || this.followed > MAX_REDIRECTS) {
            return {
                ok: false,
                code: "redirect-loop",
                error: this.seen.has(next.href)
                    ? `redirect loop: ${from.href} -> ${next.href}, already visited`
                    : `more than ${MAX_REDIRECTS} redirects, last ${from.href} -> ${next.href}`,
            };
        }
        this.seen.add(next.href);
        return { ok: true, next };
    }
}
/** A percent-encoded user or password; taken as written when its escapes are broken. */
function decodeUserinfo(text) {
    try {
        return decodeURIComponent(text);
    }
    catch {
        return text;
    }
}

;// CONCATENATED MODULE: ./src/net/proxy.ts
// Proxies, as `@actions/http-client` and curl read them: HTTPS_PROXY / HTTP_PROXY / NO_PROXY
// (upper or lower case; lower case wins, as curl does). Every request of the run (PyPI, RDAP, the
// bootstrap) goes through the transport this returns: https through a CONNECT tunnel
// (tunnel.ts), http forwarded to the proxy in absolute form.






function pick(env, name) {
    const value = env[name.toLowerCase()] ?? env[name.toUpperCase()];
    return value && value.trim() !== "" ? value.trim() : undefined;
}
/** A proxy written without a scheme (`proxy.corp:3128`) is an http proxy, as curl reads it. */
function withScheme(proxy) {
    if (proxy === undefined)
        return undefined;
    return /^[a-z][a-z0-9+.-]*:\/\//i.test(proxy) ? proxy : `http://${proxy}`;
}
/**
 * Whether `url` goes directly by NO_PROXY, as curl reads it: `*` for every host; a name matches
 * itself and every name under it (a leading `.` or `*.` changes nothing); `host:port` only that
 * port; an IP address itself, or a CIDR range (`10.0.0.0/8`, `fd00::/8`); IPv6 with or without
 * brackets. Entries are separated by commas or white space; case does not matter.
 */
function bypassesProxy(url, noProxy) {
    if (!noProxy)
        return false;
    const host = url.hostname
        .replace(/^\[|\]$/g, "")
        .toLowerCase()
        .replace(/\.$/, "");
    const port = url.port || (url.protocol === "https:" ? "443" : "80");
    const family = (0,external_node_net_.isIP)(host);
    for (const raw of noProxy.split(/[\s,]+/)) {
        let entry = raw.trim().toLowerCase();
        if (entry === "")
            continue;
        if (entry === "*")
            return true;
        // `host:port` (a bracketed IPv6 may carry one too); a bare IPv6 has colons of its own.
        let entryPort;
        const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
        if (bracketed) {
            entry = bracketed[1];
            entryPort = bracketed[2];
        }
        else if ((0,external_node_net_.isIP)(entry.split("/")[0]) !== 6) {
            const m = /^(.*):(\d+)$/.exec(entry);
            if (m) {
                entry = m[1];
                entryPort = m[2];
            }
        }
        if (entryPort !== undefined && entryPort !== port)
            continue;
        const [address, bits] = entry.split("/");
        const entryFamily = (0,external_node_net_.isIP)(address ?? "");
        if (entryFamily !== 0) {
            if (family !== entryFamily)
                continue;
            // One address is a range of all its bits: `0:0::1` is `::1`, as curl compares them.
            const prefix = bits === undefined ? (family === 6 ? 128 : 32) : Number(bits);
            if (!Number.isInteger(prefix))
                continue;
            const list = new external_node_net_.BlockList();
            try {
                list.addSubnet(address, prefix, family === 6 ? "ipv6" : "ipv4");
            }
            catch {
                continue;
            }
            if (list.check(host, family === 6 ? "ipv6" : "ipv4"))
                return true;
            continue;
        }
        const name = entry.replace(/^\*?\./, "").replace(/\.$/, "");
        if (name !== "" && (host === name || host.endsWith(`.${name}`)))
            return true;
    }
    return false;
}
/** The proxy settings in an environment; HTTPS falls back to the HTTP proxy. */
function proxySettings(env) {
    const httpProxy = withScheme(pick(env, "http_proxy"));
    const httpsProxy = withScheme(pick(env, "https_proxy")) ?? httpProxy;
    const noProxy = pick(env, "no_proxy");
    return {
        ...(httpProxy ? { httpProxy } : {}),
        ...(httpsProxy ? { httpsProxy } : {}),
        ...(noProxy ? { noProxy } : {}),
    };
}
/**
 * A proxy URL as requests reach it: credentials taken out of it (and sent as
 * `Proxy-Authorization: Basic`); an error for a setting no request can go through (not a URL,
 * a scheme other than http(s)).
 */
function endpoint(proxy, variable, ca) {
    let url;
    try {
        url = new URL(proxy);
    }
    catch {
        return new ProxyUnusable(`${variable} is not a URL; write it as http://host:port`);
    }
    if (url.protocol !== "http:" && url.protocol !== "https:")
        return new ProxyUnusable(`${variable} is a ${url.protocol.replace(/:$/, "")} proxy; only http and https proxies are supported`);
    const user = decodeUserinfo(url.username);
    const password = decodeUserinfo(url.password);
    const bare = new URL(url.origin);
    return {
        url: bare,
        variable,
        ...(user || password
            ? {
                authorization: `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`,
            }
            : {}),
        ...(ca ? { ca } : {}),
    };
}
/** A proxy setting no request can go through (not a URL, a SOCKS proxy): said by each request. */
class ProxyUnusable extends Error {
    code = PROXY_REFUSED;
}
/**
 * How a run sends its requests: directly (node:http / node:https) when no proxy is set, else
 * through the proxy the environment describes (NO_PROXY hosts directly): https origins through a
 * CONNECT tunnel (`TunnelAgent`), http ones forwarded in absolute form, as curl sends them.
 */
function transportForEnv(env, opts = {}) {
    const settings = proxySettings(env);
    if (!settings.httpProxy && !settings.httpsProxy)
        return directTransport(opts);
    const httpsVariable = pick(env, "https_proxy") ? "HTTPS_PROXY" : "HTTP_PROXY";
    return nodeTransport(proxyRouter(settings, httpsVariable, opts));
}
/** The router of `transportForEnv` with a proxy set. */
function proxyRouter(settings, httpsVariable, opts) {
    const direct = directRouter(opts);
    const forHttps = settings.httpsProxy
        ? endpoint(settings.httpsProxy, httpsVariable, opts.ca)
        : undefined;
    const forHttp = settings.httpProxy
        ? endpoint(settings.httpProxy, "HTTP_PROXY", opts.ca)
        : undefined;
    const tunnels = forHttps && !(forHttps instanceof Error)
        ? [new TunnelAgent(forHttps, true, opts.ca), new TunnelAgent(forHttps, false, opts.ca)]
        : undefined;
    const forwarders = forHttp && !(forHttp instanceof Error)
        ? forHttp.url.protocol === "https:"
            ? [
                new external_node_https_.Agent({ keepAlive: true, ...(opts.ca ? { ca: opts.ca } : {}) }),
                new external_node_https_.Agent({ keepAlive: false, ...(opts.ca ? { ca: opts.ca } : {}) }),
            ]
            : [new external_node_http_.Agent({ keepAlive: true }), new external_node_http_.Agent({ keepAlive: false })]
        : undefined;
    return (url, resent) => {
        if (bypassesProxy(url, settings.noProxy))
            return direct(url, resent);
        const secure = url.protocol === "https:";
        const proxy = secure ? forHttps : forHttp;
        if (proxy === undefined)
            return direct(url, resent);
        // A setting no request can go through: each one fails with what to do, nothing is sent.
        if (proxy instanceof Error)
            return proxy;
        if (secure) {
            return {
                send: external_node_https_.request,
                options: { ...targetOf(url), agent: tunnels[resent ? 1 : 0] },
            };
        }
        return {
            send: proxy.url.protocol === "https:" ? external_node_https_.request : external_node_http_.request,
            options: {
                ...targetOf(proxy.url),
                path: url.href,
                agent: forwarders[resent ? 1 : 0],
                headers: {
                    host: url.host,
                    ...(proxy.authorization ? { "proxy-authorization": proxy.authorization } : {}),
                },
            },
            // The proxy is named by its host:port, never with its credentials.
            refusedBy: (status, text) => new ProxyRefused(proxy.url.host, status, text, proxy.variable),
        };
    };
}

// EXTERNAL MODULE: external "node:perf_hooks"
var external_node_perf_hooks_ = __webpack_require__(643);
// EXTERNAL MODULE: external "node:events"
var external_node_events_ = __webpack_require__(8474);
;// CONCATENATED MODULE: ./src/net/body.ts
/** Refuse bodies larger than this (bytes, counted after decompression) unless the policy says otherwise. */
const DEFAULT_MAX_BODY_BYTES = 5 * 1024 * 1024;
/** The body is over the cap; the stream has been cancelled. */
class BodyTooLarge extends Error {
}
/**
 * Read the (already decompressed) body as UTF-8, refusing it as soon as it passes `cap` bytes:
 * before reading when Content-Length says so, else while streaming, so memory stays bounded.
 * Throws BodyTooLarge for the cap; other errors (timeouts, cut connections) come from the stream.
 */
async function readCappedBody(response, cap) {
    const declared = Number(response.headers.get("content-length"));
    if (Number.isFinite(declared) && declared > cap) {
        await discardBody(response);
        throw new BodyTooLarge(`body of ${declared} bytes is over the ${cap}-byte limit`);
    }
    const chunks = [];
    let total = 0;
    for await (const chunk of response.body) {
        total += chunk.byteLength;
        if (total > cap) {
            await discardBody(response);
            throw new BodyTooLarge(`body is over the ${cap}-byte limit (after decompression)`);
        }
        chunks.push(chunk);
    }
    return new TextDecoder("utf-8").decode(Buffer.concat(chunks));
}
/**
 * Drop a body that will not be read, so the connection is freed; a failure to cancel changes
 * nothing. Not async on purpose: awaiting it costs the same ticks as awaiting the cancel itself.
 */
function discardBody(response) {
    return response.cancel();
}

;// CONCATENATED MODULE: ./src/net/errors.ts
// Turning a thrown value into one line for a result's `error`: fetch wraps the useful part
// (ECONNRESET, ENOTFOUND, …) in `cause`, so the cause is appended when it adds something.

/** `message (CODE cause message)` for an Error with a cause, its message otherwise. */
function errors_describeError(error) {
    if (!(error instanceof Error))
        return String(error);
    const cause = error.cause;
    const causeText = cause instanceof Error
        ? `${cause.code ?? ""} ${cause.message}`.trim()
        : cause
            ? String(cause)
            : "";
    return causeText && causeText !== error.message
        ? `${error.message} (${causeText})`
        : error.message;
}
/** Error codes (of the thrown value or its cause) that mean the connection itself failed. */
const CONNECTION_CODES = {
    ENOTFOUND: "DNS lookup failed",
    EAI_AGAIN: "DNS lookup failed",
    EAI_FAIL: "DNS lookup failed",
    ECONNREFUSED: "connection refused",
    UND_ERR_CONNECT_TIMEOUT: "connect timeout",
    ETIMEDOUT: "connect timeout",
    EHOSTUNREACH: "host unreachable",
    ENETUNREACH: "network unreachable",
    ENETDOWN: "network unreachable",
    EHOSTDOWN: "host unreachable",
};
function errorCodes(error) {
    const codes = [];
    let current = error;
    for (let depth = 0; depth < 4 && current instanceof Error; depth++) {
        const code = current.code;
        if (typeof code === "string")
            codes.push(code);
        if (current instanceof AggregateError)
            for (const e of current.errors) {
                const inner = e?.code;
                if (typeof inner === "string")
                    codes.push(inner);
            }
        current = current.cause;
    }
    return codes;
}
/**
 * When a thrown fetch error means the connection could not be made (DNS, refused, connect
 * timeout, unreachable, TLS), a few words saying which ("DNS lookup failed"); else undefined.
 * These are not worth retrying per request.
 */
function connectionFailure(error) {
    // The proxy's refusal says what it was and what to do (tunnel.ts).
    if (error instanceof Error && error.code === PROXY_REFUSED)
        return error.message;
    const proxy = error?.proxy;
    const at = typeof proxy === "string" ? ` at the proxy ${proxy}` : "";
    for (const code of errorCodes(error)) {
        const known = CONNECTION_CODES[code];
        if (known)
            return `${known} (${code})${at}`;
        if (/^(CERT_|ERR_TLS_|ERR_SSL_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_)/.test(code))
            return `TLS error (${code})${at}`;
    }
    return undefined;
}

;// CONCATENATED MODULE: ./src/net/retry.ts
// What is tried again and how long to wait first: which statuses are retried, which carry a
// Retry-After worth reading, exponential backoff with jitter, and when to stop. Pure functions:
// the clock and the jitter source are arguments.
/** First backoff step after a failure; doubles each retry, with jitter, clamped to maxRetryWaitMs. */
const DEFAULT_BACKOFF_BASE_MS = 500;
/** `Retry-After` as delay-seconds or an HTTP date, in milliseconds from `now`; undefined when absent or unreadable. */
function parseRetryAfter(value, now) {
    const v = value?.trim();
    if (!v)
        return undefined;
    if (/^\d+$/.test(v))
        return Number(v) * 1000;
    if (/^\d+\.\d+$/.test(v))
        return Math.round(Number(v) * 1000);
    const at = Date.parse(v);
    return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
/**
 * Statuses worth sending again: 429 (slow down) and 5xx (the server failed, not the request).
 * Timeouts, resets and truncated bodies are retried too; they have no status.
 */
function isRetriedStatus(status) {
    return status === 429 || (status >= 500 && status !== 501); // 501 Not Implemented is permanent (RFC 7480)
}
/**
 * Whether a retried answer's Retry-After is read: only 429 and 503 define it, so on another 5xx
 * it is ignored and a misbehaving server cannot stretch the backoff.
 */
function readsRetryAfter(status) {
    return status === 429 || status === 503;
}
/**
 * Backoff before retry number `failures` (1 for the first): exponential from `baseMs`, twice
 * as long after a 429 (the origin said it is overloaded), with jitter in [0.5, 1.5) from `random`
 * so that clients failing together do not retry together.
 */
function backoffMs(failures, rateLimited, baseMs, random) {
    const base = baseMs * (rateLimited ? 2 : 1);
    return Math.round(base * 2 ** (failures - 1) * (0.5 + random()));
}
/** The wait before the next attempt: the server's Retry-After if it gave one, else backoff; never over `maxMs`. */
function retryWaitMs(input) {
    const { failures, status, retryAfterMs, baseMs, maxMs, random } = input;
    return Math.min(maxMs, retryAfterMs ?? backoffMs(failures, status === 429, baseMs, random));
}
/**
 * Retry unless the retries are used up or the wait would reach the deadline (a wait that ends
 * at the deadline leaves no time to send the request).
 */
function retryVerdict(input) {
    if (input.failures > input.retries)
        return "exhausted";
    if (input.waitMs >= input.deadlineLeftMs)
        return "deadline";
    return "retry";
}

;// CONCATENATED MODULE: ./src/net/attempt.ts
// One attempt: send the request, read the body under the same timer, and sort the outcome into
// done, redirect, or retry. Whether a retry happens, and when, is the caller's decision.



/** Send one request and read its body under one timer. Never throws. */
async function sendOnce(req) {
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
        timedOut = true;
        controller.abort();
    }, req.timeoutMs);
    const href = req.url.href;
    // The stop request ends this attempt too; its listener goes with the attempt (AbortSignal.any
    // would leave one on the run's signal per request, and Node warns past ten).
    const stop = req.signal;
    const onStop = () => controller.abort();
    if (stop?.aborted)
        controller.abort();
    else
        stop?.addEventListener("abort", onStop, { once: true });
    const signal = controller.signal;
    const fail = (code, error, extra) => failure(href, code, error, extra);
    try {
        let response;
        const sentAt = req.now();
        try {
            response = await req.transport({
                url: req.url,
                signal,
                headers: {
                    // The origin's credentials first: a request that brings its own (a private index's
                    // `index-token` or userinfo, on the same host as pypi-url) is sent with those.
                    ...(req.authorization ? { authorization: req.authorization } : {}),
                    ...req.headers,
                    accept: req.accept,
                    "user-agent": req.userAgent,
                },
            });
        }
        catch (error) {
            if (req.signal?.aborted) {
                return { type: "done", result: fail("interrupted", `stopped before ${href} answered`) };
            }
            if (timedOut && req.cutByDeadline) {
                return {
                    type: "done",
                    result: fail("deadline", `the scan deadline passed while waiting for ${href}`),
                };
            }
            if (timedOut)
                return {
                    type: "retry",
                    result: fail("timeout", `no answer from ${href} within ${req.timeoutMs} ms`),
                    noAnswer: `no answer within ${req.timeoutMs} ms`,
                };
            const unreachable = connectionFailure(error);
            if (unreachable) {
                return {
                    type: "unreachable",
                    result: fail("unreachable", `${req.url.host} unreachable: ${unreachable}`),
                    reason: unreachable,
                };
            }
            // Cut before any answer (a reset, a closed connection): no sign the origin is alive.
            return {
                type: "retry",
                result: fail("network", `request to ${href} failed: ${errors_describeError(error)}`),
                noAnswer: `no answer (${errors_describeError(error)})`,
            };
        }
        const { status, headers } = response;
        if (status >= 300 && status < 400 && status !== 304) {
            await discardBody(response);
            const location = headers.get("location");
            if (location)
                return { type: "redirect", location };
            return {
                type: "done",
                result: fail("http-status", `${href} answered ${status} without a Location`, {
                    status,
                    headers,
                }),
            };
        }
        if (isRetriedStatus(status)) {
            await discardBody(response);
            return refused(req, response);
        }
        if (status === 304 && isConditional(req.headers)) {
            // Not modified: what the caller holds is still current. A success, never an HTTP error.
            await discardBody(response);
            return {
                type: "done",
                result: { ok: true, status, url: href, headers, body: "", attempts: 0 },
            };
        }
        let body = "";
        let value;
        try {
            if (req.consume && status >= 200 && status < 300)
                value = await req.consume(response);
            else
                body = await readCappedBody(response, req.maxBodyBytes);
        }
        catch (error) {
            const extra = { status, headers };
            if (error instanceof BodyTooLarge) {
                return { type: "done", result: fail("too-large", `${href}: ${error.message}`, extra) };
            }
            if (timedOut && req.cutByDeadline) {
                return {
                    type: "done",
                    result: fail("deadline", `the scan deadline passed while reading ${href}`, extra),
                };
            }
            if (timedOut) {
                // Headers without the body they promise is no answer either: an origin that only ever
                // trickles is given up on as one that never answers (see HttpClient.failed).
                return {
                    type: "retry",
                    result: fail("timeout", `the body of ${href} did not arrive within ${req.timeoutMs} ms`, extra),
                    noAnswer: `the headers came but not the body, within ${req.timeoutMs} ms`,
                };
            }
            return {
                type: "retry",
                result: fail("network", `the body of ${href} was cut off: ${errors_describeError(error)}`, extra),
            };
        }
        if (status >= 200 && status < 300) {
            const ms = req.now() - sentAt;
            const result = { ok: true, status, url: href, headers, body, attempts: 0, ms };
            return { type: "done", result: req.consume ? { ...result, value } : result };
        }
        return {
            type: "done",
            result: fail("http-status", `${href} answered ${status}`, { status, headers, body }),
        };
    }
    finally {
        clearTimeout(timer);
        stop?.removeEventListener("abort", onStop);
    }
}
/** Whether the request asked "only if changed" (then a 304 means: keep what you have). */
function isConditional(headers) {
    return headers?.["if-none-match"] !== undefined || headers?.["if-modified-since"] !== undefined;
}
/** A 429 or 5xx: retried, with the wait the server asked for when its status defines one. */
function refused(req, response) {
    const { status, headers } = response;
    const retryAfterMs = readsRetryAfter(status)
        ? parseRetryAfter(headers.get("retry-after"), req.now())
        : undefined;
    const code = status === 429 ? "rate-limited" : "server-error";
    const what = status === 429 ? "rate-limited the request" : `answered ${status}`;
    const after = headers.get("retry-after");
    const error = `${req.url.origin} ${what}${after ? ` (Retry-After: ${after.slice(0, 40)})` : ""}`;
    return {
        type: "retry",
        result: failure(req.url.href, code, error, { status, headers }),
        retryAfterMs,
    };
}
function failure(href, code, error, extra) {
    return { ok: false, url: href, code, error, attempts: 0, ...extra };
}

;// CONCATENATED MODULE: ./src/net/pacing.ts
// Pacing per key (an RDAP origin, or PyPI): how many requests may be in flight, how many may start
// per window once the key has answered 429, and the pause a Retry-After puts on all of them.
// Every method that needs the time takes it as an argument, so the rules can be driven by a test
// clock; waiting is the caller's job.
/**
 * 429s that arrive within this long of the one that set the rate cap were caused by requests
 * already sent under the old rate: they say nothing new. Also the span over which the first 429
 * counts the starts the origin accepted.
 */
const RATE_WINDOW_MS = 1_000;
/** The window a learned rate cap applies to: a second plus a margin for clock and network jitter. */
const PACE_WINDOW_MS = 1_050;
/** After this long without a 429, allow one more start per window (probing for a higher rate). */
const PACE_PROBE_AFTER_MS = 10_000;
/**
 * The limit for one key (an RDAP origin, or PyPI): at most `limit` requests in flight, and,
 * once the origin has answered 429, at most `rateCap` request starts in any window of
 * PACE_WINDOW_MS.
 *
 * Backing off is done on the rate, not on the concurrency: registries limit requests per
 * second, so halving concurrency would only lower throughput by latency, while the cap stops
 * the origin's refusals. The cap is learned from the first 429 (the starts the origin accepted
 * in the second before the refused one), lowered by one on each further 429 (one per second at
 * most: 429s for requests already in flight say nothing new), and raised by one after
 * PACE_PROBE_AFTER_MS without a 429, so it recovers when the origin allows more again.
 * A Retry-After pauses every request for the key on top of this (`pausedUntil`).
 */
class Gate {
    active = 0;
    /** Requests in flight at once; infinite until a request names a limit (see `Gates.for`). */
    limit;
    pausedUntil = 0;
    /** Request starts allowed per PACE_WINDOW_MS; infinite until the origin first answers 429. */
    rateCap = Number.POSITIVE_INFINITY;
    /** Request starts within the last window, sorted by time (some reserved in the future). */
    starts = [];
    reserved = 0;
    lastThrottleAt = Number.NEGATIVE_INFINITY;
    lastProbeAt = Number.NEGATIVE_INFINITY;
    waiting = [];
    constructor(max) {
        this.limit = max;
    }
    /** Take a slot among the `limit` in flight, waiting in order of arrival when none is free. */
    acquire() {
        if (this.active < this.limit) {
            this.active++;
            return Promise.resolve();
        }
        return new Promise((resolve) => this.waiting.push(resolve));
    }
    /** Give a slot back, handing it straight to the longest waiter. */
    release() {
        this.active--;
        while (this.active < this.limit && this.waiting.length > 0) {
            this.active++;
            this.waiting.shift()();
        }
    }
    /**
     * Reserve a start within the rate cap: when (epoch ms, `now` or later; the caller waits until
     * then) and its place in the order of reservations.
     */
    reserveStart(now) {
        const starts = this.starts;
        while (starts.length > 0 && starts[0].at <= now - PACE_WINDOW_MS)
            starts.shift();
        let at = now;
        // Already `rateCap` starts in the window: this one goes a window after the start that
        // would otherwise make it the (rateCap + 1)-th in a window.
        if (starts.length >= this.rateCap)
            at = Math.max(now, starts[starts.length - this.rateCap].at + PACE_WINDOW_MS);
        const start = { at, order: this.reserved++, failed: false };
        this.insertByTime(start);
        return start;
    }
    /**
     * The request is being sent now: if waiting for its start ran late, move it to when it really
     * starts, so the starts after it keep a whole window from it.
     */
    markSent(start, now) {
        if (now <= start.at)
            return;
        this.cancelStart(start);
        start.at = now;
        this.insertByTime(start);
    }
    /** A reserved start that will not be made (the deadline comes first): free its place. */
    cancelStart(start) {
        const i = this.starts.indexOf(start);
        if (i >= 0)
            this.starts.splice(i, 1);
    }
    /** The origin answered 429 to the request whose start was `refused`. */
    throttle(now, refused) {
        if (now - this.lastThrottleAt < RATE_WINDOW_MS)
            return;
        this.lastThrottleAt = now;
        if (Number.isFinite(this.rateCap)) {
            this.rateCap = Math.max(1, this.rateCap - 1);
            return;
        }
        // The first 429: the origin accepted the starts made in the second before the refused one
        // (those still in flight included; those that failed, with a 429 or otherwise, not).
        const accepted = this.starts.filter((s) => !s.failed && s.order < refused.order && s.at > refused.at - RATE_WINDOW_MS).length;
        // Refused with nothing accepted says nothing about the rate: the Retry-After pause is all.
        if (accepted === 0)
            return;
        this.rateCap = accepted;
    }
    /** An answer arrived (anything but a 429 or a failure to answer). */
    succeed(now) {
        if (!Number.isFinite(this.rateCap))
            return;
        if (now - Math.max(this.lastThrottleAt, this.lastProbeAt) < PACE_PROBE_AFTER_MS)
            return;
        this.rateCap++;
        this.lastProbeAt = now;
    }
    /** Keep `starts` sorted by time; among equal times, the later insertion goes last. */
    insertByTime(start) {
        let i = this.starts.length;
        while (i > 0 && this.starts[i - 1].at > start.at)
            i--;
        this.starts.splice(i, 0, start);
    }
}
/**
 * The gates of one client, one per key. A key's in-flight limit is fixed by the first request
 * that names one: requests sharing a key share one origin's patience, whatever each one asks
 * for. A request that names none (a bootstrap file fetched from the RDAP server's own origin)
 * leaves the limit to the next that does.
 */
class Gates {
    byKey = new Map();
    /** The gate for `key`, made on first use with `limit` (at least 1; default: no limit). */
    for(key, limit = Number.POSITIVE_INFINITY) {
        let gate = this.byKey.get(key);
        if (!gate) {
            gate = new Gate(Math.max(1, limit));
            this.byKey.set(key, gate);
        }
        else if (gate.limit === Number.POSITIVE_INFINITY && limit !== Number.POSITIVE_INFINITY) {
            gate.limit = Math.max(1, limit);
        }
        return gate;
    }
    /** The gate for `key` if a request has used it, for reports and tests. */
    get(key) {
        return this.byKey.get(key);
    }
}

;// CONCATENATED MODULE: ./src/net/sleep.ts
// The real wait, used when the policy injects none.
/** Resolve after `ms` (at once when negative), or as soon as `signal` aborts; never rejects. */
function defaultSleep(ms, signal) {
    return new Promise((resolve) => {
        if (signal?.aborted)
            return resolve();
        const timer = setTimeout(done, Math.max(0, ms));
        function done() {
            clearTimeout(timer);
            signal?.removeEventListener("abort", done);
            resolve();
        }
        signal?.addEventListener("abort", done, { once: true });
    });
}

;// CONCATENATED MODULE: ./src/net/http.ts
// The one HTTP request policy: timeouts (headers and body), retries with backoff and jitter,
// Retry-After, a body-size cap (also after decompression), redirects with loop detection, an
// limit per key (default: the URL's origin) on requests in flight and, once the key has answered
// 429, on request starts per window (learned from the 429s, see Gate), and a scan-wide deadline.
// `get` never throws: every outcome is an HttpResult with a stable code.
//
// This module holds the public types and the loop that composes the parts: pacing.ts (slots and
// start rate per key), attempt.ts (one request and its body), body.ts (the size cap), retry.ts
// (what is retried and how long to wait), url.ts (http(s) only, redirects).












/** After this many failures of an origin with no success, nothing more is sent to it. */
const FAIL_FAST_AFTER = 3;
/** Statuses that mean "you may not", not "try again": they count towards giving up an origin. */
const ACCESS_STATUSES = new Set([401, 403, 407]);
class HttpClient {
    policy;
    stats = {
        pypi: 0,
        rdap: 0,
        bootstrap: 0,
        retries: 0,
        rateLimited: 0,
        redirects: 0,
    };
    gates = new Gates();
    now;
    sleep;
    random;
    maxBodyBytes;
    health = new Map();
    credentials = new Map();
    /**
     * The stop request as every attempt in flight listens to it: one listener on the run's signal,
     * and as many here as requests are in flight (each removed when its attempt ends).
     */
    stopped;
    constructor(policy) {
        this.policy = policy;
        if (policy.signal) {
            const stop = new AbortController();
            (0,external_node_events_.setMaxListeners)(0, stop.signal);
            if (policy.signal.aborted)
                stop.abort();
            else
                policy.signal.addEventListener("abort", () => stop.abort(), { once: true });
            this.stopped = stop.signal;
        }
        this.now = policy.now ?? Date.now;
        this.sleep = policy.sleep ?? defaultSleep;
        this.random = policy.random ?? Math.random;
        this.maxBodyBytes = policy.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
        for (const c of policy.credentials ?? [])
            this.credentials.set(c.origin, c.authorization);
    }
    originHealth(origin) {
        let h = this.health.get(origin);
        if (!h) {
            h = { successes: 0, failures: 0, inFlight: 0 };
            this.health.set(origin, h);
        }
        return h;
    }
    /** Origins given up on this run. */
    originsDown() {
        return [...this.health].filter(([, h]) => h.down).map(([o]) => o);
    }
    /**
     * What the run is waiting on right now, for a heartbeat line: a retry wait ("rdap.example
     * (429, retry in 2 s)") before requests in flight ("pypi.org (16 in flight)"); undefined when idle.
     */
    waitingOn() {
        const now = this.now();
        let retry;
        let busiest;
        for (const [origin, h] of this.health) {
            const host = http_hostOf(origin);
            if (h.waiting && h.waiting.until > now && (!retry || h.waiting.until - now > retry.left))
                retry = {
                    host,
                    status: h.waiting.status,
                    left: h.waiting.until - now,
                    what: h.waiting.what,
                };
            if (h.inFlight > 0 && (!busiest || h.inFlight > busiest.n))
                busiest = { host, n: h.inFlight };
        }
        if (retry) {
            const why = retry.status ? String(retry.status) : retry.what;
            return `${retry.host} (${why}, retry in ${Math.max(1, Math.ceil(retry.left / 1000))} s)`;
        }
        return busiest ? `${busiest.host} (${busiest.n} in flight)` : undefined;
    }
    /** An answer from the origin (any status but 401/403/407): it is alive. */
    succeeded(origin) {
        this.originHealth(origin).successes++;
    }
    /** A failure that counts towards giving the origin up; says so once when it does. */
    failed(url, kind, code, reason, status) {
        const h = this.originHealth(url.origin);
        h.failures++;
        if (h.down || h.successes > 0)
            return;
        if (h.failures < (this.policy.failFastAfter ?? FAIL_FAST_AFTER))
            return;
        const error = code === "refused"
            ? `${url.host} refused access: ${reason}`
            : `${url.host} unreachable: ${reason}`;
        h.down = { code, error, ...(status !== undefined ? { status } : {}) };
        this.policy.onOriginDown?.({
            origin: url.origin,
            host: url.host,
            kind,
            reason,
            ...(status !== undefined ? { status } : {}),
        });
    }
    /** The result for a request to an origin given up on, or undefined when it is still asked. */
    downResult(state) {
        const down = this.health.get(state.current.origin)?.down;
        if (!down)
            return undefined;
        return {
            ok: false,
            url: state.current.href,
            code: down.code,
            error: down.error,
            attempts: state.attempts,
            ...(down.status !== undefined ? { status: down.status } : {}),
        };
    }
    /** The concurrency limit of a key (requests in flight), for reports and tests. */
    currentLimit(key) {
        return this.gates.get(key)?.limit;
    }
    /**
     * The rate cap of a key: request starts allowed per `windowMs`, learned from its 429s
     * (infinite until the first one), for reports and tests.
     */
    currentRateCap(key) {
        const gate = this.gates.get(key);
        return gate && { starts: gate.rateCap, windowMs: PACE_WINDOW_MS };
    }
    async get(url, opts) {
        try {
            return await this.run(url, opts);
        }
        catch (error) {
            // Defensive: run() handles every failure it knows; anything else is still a result.
            return {
                ok: false,
                url: redactUrl(url),
                code: "network",
                error: redactUrl(errors_describeError(error)),
                attempts: 0,
            };
        }
    }
    gateFor(url, opts) {
        return this.gates.for(opts.concurrency?.key ?? url.origin, opts.concurrency?.limit);
    }
    /**
     * Attempts until one is done, a redirect leads nowhere, retries run out or the deadline comes.
     * Each pass: wait for a slot, honour a pause the origin asked for, wait for the rate cap, send.
     */
    async run(url, opts) {
        const parsed = parseRequestUrl(url);
        if (!parsed.ok)
            return {
                ok: false,
                url: redactUrl(url),
                code: parsed.code,
                error: redactUrl(parsed.error),
                attempts: 0,
            };
        if (parsed.url.username || parsed.url.password) {
            // `user:password@` cannot be sent in a URL: it goes as Basic to that origin, never printed.
            const basic = `${decodeUserinfo(parsed.url.username)}:${decodeUserinfo(parsed.url.password)}`;
            parsed.url.username = "";
            parsed.url.password = "";
            if (!this.credentials.has(parsed.url.origin))
                this.credentials.set(parsed.url.origin, `Basic ${Buffer.from(basic, "utf8").toString("base64")}`);
        }
        const state = {
            first: parsed.url,
            current: parsed.url,
            trail: new RedirectTrail(parsed.url),
            attempts: 0,
            failures: 0,
            pauseHonoured: 0,
        };
        for (;;) {
            if (this.policy.signal?.aborted) {
                return {
                    ok: false,
                    url: state.current.href,
                    code: "interrupted",
                    error: `stopped before ${state.current.href} was ${state.attempts ? "retried" : "requested"}`,
                    attempts: state.attempts,
                };
            }
            const gaveUpOn = this.downResult(state);
            if (gaveUpOn)
                return gaveUpOn;
            if (this.deadlineLeft() <= 0) {
                const what = state.attempts ? "retried" : "requested";
                return this.deadlineResult(state, `the scan deadline passed before ${state.current.href} could be ${what}`);
            }
            const gate = this.gateFor(state.current, opts);
            await gate.acquire();
            if (this.downResult(state) || this.policy.signal?.aborted) {
                // Given up on (or stopped) while this request waited for a slot.
                gate.release();
                continue;
            }
            const pause = gate.pausedUntil - this.now();
            if (pause > 0 && gate.pausedUntil > state.pauseHonoured) {
                // The origin asked everyone to wait (429/503 with Retry-After): wait without holding a slot.
                gate.release();
                if (pause >= this.deadlineLeft()) {
                    // The origin's limit, not the scan's deadline: other origins go on until that comes.
                    return this.rateLimitedResult(state, `${state.current.origin} asked to wait ${Math.ceil(pause / 1000)} s, past the scan deadline`);
                }
                state.pauseHonoured = gate.pausedUntil;
                await this.sleep(Math.min(pause, this.policy.maxRetryWaitMs), this.stopped);
                continue;
            }
            // Waiting for a slot may have used up the time left.
            const timeLeft = this.deadlineLeft();
            if (timeLeft <= 0) {
                gate.release();
                continue;
            }
            const health = this.originHealth(state.current.origin);
            const reservedAt = this.now();
            const start = gate.reserveStart(reservedAt);
            const paceWait = start.at - reservedAt;
            if (paceWait > 0 && paceWait >= timeLeft) {
                gate.cancelStart(start);
                gate.release();
                return this.rateLimitedResult(state, `${state.current.origin} accepts too few requests per second for this one to be sent before the scan deadline`);
            }
            let outcome;
            try {
                // Waiting for the rate cap holds the slot: the origin's rate is the limit now. The wait
                // is the rate's, whole (sending early is what earned the 429s); max-retry-wait caps only
                // what a server asks for, and the deadline was checked above.
                if (paceWait > 0)
                    await this.sleep(paceWait, this.stopped);
                gate.markSent(start, this.now());
                this.countSent(state, opts);
                health.inFlight++;
                try {
                    outcome = await this.attemptWithinDeadline(state.current, opts, state.first);
                }
                finally {
                    health.inFlight--;
                }
            }
            finally {
                gate.release();
            }
            if (outcome.type === "unreachable") {
                this.failed(state.current, opts.kind, "unreachable", outcome.reason);
                return { ...outcome.result, attempts: state.attempts };
            }
            if (outcome.type === "done") {
                const status = outcome.result.ok ? undefined : outcome.result.status;
                if (status !== undefined && ACCESS_STATUSES.has(status)) {
                    this.failed(state.current, opts.kind, "refused", `HTTP ${status}`, status);
                }
                else if (outcome.result.ok || status !== undefined) {
                    this.succeeded(state.current.origin);
                }
                gate.succeed(this.now());
                return { ...outcome.result, attempts: state.attempts };
            }
            this.succeededUnlessSilent(state.current, opts.kind, outcome);
            if (outcome.type === "redirect") {
                const refused = this.redirect(state, outcome.location, opts);
                if (refused)
                    return refused;
                continue;
            }
            // A retryable failure.
            start.failed = true;
            state.failures++;
            const failed = { ...outcome.result, attempts: state.attempts };
            if (failed.status === 429) {
                this.stats.rateLimited++;
                gate.throttle(this.now(), start);
            }
            const wait = retryWaitMs({
                failures: state.failures,
                status: failed.status,
                retryAfterMs: outcome.retryAfterMs,
                baseMs: this.policy.backoffBaseMs ?? DEFAULT_BACKOFF_BASE_MS,
                maxMs: this.policy.maxRetryWaitMs,
                random: this.random,
            });
            // The origin asked to slow down: everyone queued for it waits too, not only this request.
            if (outcome.retryAfterMs !== undefined || failed.status === 429) {
                gate.pausedUntil = Math.max(gate.pausedUntil, this.now() + wait);
                state.pauseHonoured = gate.pausedUntil;
            }
            const gaveUp = this.giveUp(state, failed, wait);
            if (gaveUp)
                return gaveUp;
            const h = this.originHealth(state.current.origin);
            const waiting = { status: failed.status, until: this.now() + wait, what: failed.code };
            h.waiting = waiting;
            await this.sleep(wait, this.stopped);
            if (h.waiting === waiting)
                delete h.waiting;
        }
    }
    /**
     * A redirect or a retried answer is an answer; a timeout, or a connection cut before any
     * answer, counts as a failure.
     */
    succeededUnlessSilent(url, kind, outcome) {
        if (outcome.type === "retry" && outcome.noAnswer !== undefined) {
            this.failed(url, kind, "unreachable", outcome.noAnswer);
        }
        else {
            this.succeeded(url.origin);
        }
    }
    /** Count a request about to be sent: one more attempt, by kind, and a retry after a failure. */
    countSent(state, opts) {
        state.attempts++;
        this.stats[opts.kind]++;
        if (state.failures > 0)
            this.stats.retries++;
    }
    /** One attempt, its timeout shortened to what is left before the deadline. */
    attemptWithinDeadline(url, opts, first) {
        const budget = Math.max(1, this.deadlineLeft());
        let headers = opts.headers;
        if (headers?.authorization !== undefined && url.origin !== first.origin) {
            // Credentials belong to the origin they were given for; a redirect elsewhere goes without.
            const { authorization: _dropped, ...rest } = headers;
            headers = rest;
        }
        return sendOnce({
            ...(headers ? { headers } : {}),
            ...(opts.consume ? { consume: opts.consume } : {}),
            transport: this.policy.transport,
            userAgent: this.policy.userAgent,
            url,
            accept: opts.accept ?? "application/json",
            timeoutMs: Math.min(this.policy.timeoutMs, budget),
            cutByDeadline: budget < this.policy.timeoutMs,
            maxBodyBytes: this.maxBodyBytes,
            now: this.now,
            ...(this.credentials.has(url.origin)
                ? { authorization: this.credentials.get(url.origin) }
                : {}),
            ...(this.stopped ? { signal: this.stopped } : {}),
        });
    }
    /** Move `state` to the redirect's target; the result to return when it is refused. */
    redirect(state, location, opts) {
        this.stats.redirects++;
        const hop = state.trail.follow(state.current, location);
        if (!hop.ok) {
            return {
                ok: false,
                url: state.current.href,
                code: hop.code,
                error: hop.error,
                attempts: state.attempts,
            };
        }
        if (opts.redirectAllowed && !opts.redirectAllowed(state.current, hop.next)) {
            return {
                ok: false,
                url: hop.next.href,
                code: "redirect-refused",
                error: `${state.current.href} redirected to ${hop.next.href}, which was not followed`,
                attempts: state.attempts,
            };
        }
        state.current = hop.next;
        return undefined;
    }
    /** The failure to return instead of retrying, when retries are used up or the deadline too close. */
    giveUp(state, failed, wait) {
        const verdict = retryVerdict({
            failures: state.failures,
            retries: this.policy.retries,
            waitMs: wait,
            deadlineLeftMs: this.deadlineLeft(),
        });
        if (verdict === "exhausted") {
            const { attempts } = state;
            return {
                ...failed,
                error: `${failed.error}; gave up after ${attempts} attempt${attempts === 1 ? "" : "s"}`,
            };
        }
        if (verdict === "deadline") {
            return { ...failed, error: `${failed.error}; not retried: the scan deadline is too close` };
        }
        return undefined;
    }
    deadlineResult(state, error) {
        return this.notSent(state, "deadline", error);
    }
    /** Not sent in time because of the origin's own limit (its Retry-After or learned rate). */
    rateLimitedResult(state, error) {
        return this.notSent(state, "rate-limited", error);
    }
    notSent(state, code, error) {
        return { ok: false, url: state.current.href, code, error, attempts: state.attempts };
    }
    deadlineLeft() {
        return this.policy.deadlineAt === undefined
            ? Number.POSITIVE_INFINITY
            : this.policy.deadlineAt - this.now();
    }
}
function http_hostOf(origin) {
    try {
        return new URL(origin).host;
    }
    catch {
        return origin;
    }
}

;// CONCATENATED MODULE: ./src/domains/providers.ts
// Large mail providers and hosts whose domains do not lapse: addresses there are not looked up.
// Only providers that hand out mailboxes to the public belong here, never a company's own domain:
// a company can let its domain lapse, a free-mail provider cannot without the whole world noticing.


/** The reviewed built-in list (hosts or registrable domains, ASCII, lower case). */
const DEFAULT_SKIP_DOMAINS = [
    // Google
    "gmail.com",
    "googlemail.com",
    // Microsoft
    "outlook.com",
    "hotmail.com",
    "live.com",
    "msn.com",
    // Yahoo, AOL
    "yahoo.com",
    "ymail.com",
    "aol.com",
    // Apple
    "icloud.com",
    "me.com",
    "mac.com",
    // Proton
    "protonmail.com",
    "protonmail.ch",
    "proton.me",
    "pm.me",
    // Fastmail
    "fastmail.com",
    "fastmail.fm",
    // Zoho
    "zoho.com",
    // GMX and WEB.DE
    "gmx.de",
    "gmx.net",
    "gmx.com",
    "web.de",
    // Yandex, Mail.ru (inbox.ru, list.ru and bk.ru are Mail.ru's own free domains)
    "yandex.ru",
    "yandex.com",
    "mail.ru",
    "inbox.ru",
    "list.ru",
    "bk.ru",
    // Tencent (qq.com, foxmail.com), NetEase (163.com, 126.com, yeah.net), Sina, Alibaba
    "qq.com",
    "foxmail.com",
    "163.com",
    "126.com",
    "yeah.net",
    "sina.com",
    "aliyun.com",
    // Tutanota
    "tutanota.com",
    // GitHub's no-reply addresses: matched on the full host, since github.com itself is a company.
    "users.noreply.github.com",
];
/**
 * Mail hosting that does not lapse: an MX host under one of these (or under the mail providers
 * above) is not looked up. Reviewed: the hosted-mail and mail-filtering services that real
 * maintainer domains point their MX records at.
 */
const DEFAULT_MX_SKIP_DOMAINS = [
    // Google Workspace (aspmx.l.google.com), Gmail
    "google.com",
    "googlemail.com",
    // Microsoft 365 (*.mail.protection.outlook.com)
    "outlook.com",
    "protection.outlook.com",
    // Yahoo, iCloud, Zoho, Proton, Fastmail
    "yahoodns.net",
    "icloud.com",
    "zoho.com",
    "zoho.eu",
    "zohomail.com",
    "protonmail.ch",
    "messagingengine.com",
    // Mail filtering and relays
    "mimecast.com",
    "pphosted.com",
    "ppe-hosted.com",
    "iphmx.com",
    "messagelabs.com",
    "barracudanetworks.com",
    "mailgun.org",
    "sendgrid.net",
    "amazonaws.com",
    "amazonses.com",
    "cloudflare.net",
    "improvmx.com",
    "forwardemail.net",
    "migadu.com",
    "mailbox.org",
    "mxroute.com",
    // Hosting companies' mail (GoDaddy, OVH, Gandi, IONOS, Namecheap, Hostinger, one.com)
    "secureserver.net",
    "ovh.net",
    "gandi.net",
    "kundenserver.de",
    "ionos.com",
    "registrar-servers.com",
    "privateemail.com",
    "hostinger.com",
    "one.com",
    // Yandex, Mail.ru, Tencent, NetEase, Alibaba
    "yandex.net",
    "yandex.ru",
    "mail.ru",
    "qq.com",
    "163.com",
    "mxhichina.com",
];
/**
 * Code hosts and platforms whose domains do not lapse: a project link there is not looked up.
 * Reviewed: what real `project_urls` point at besides a project's own site.
 */
const DEFAULT_LINK_SKIP_DOMAINS = [
    // Code hosts
    "github.com",
    "github.io",
    "githubusercontent.com",
    "gitlab.com",
    "gitlab.io",
    "bitbucket.org",
    "bitbucket.io",
    "codeberg.org",
    "gitea.com",
    "sr.ht",
    "sourceforge.net",
    "sourceforge.io",
    "launchpad.net",
    "gitee.com",
    "googlesource.com",
    // Documentation hosts
    "readthedocs.io",
    "readthedocs.org",
    "readthedocs.com",
    "gitbook.io",
    // Python's own sites
    "python.org",
    "pypi.org",
    "pythonhosted.org",
    // Packaging, CI, coverage, archives
    "anaconda.org",
    "codecov.io",
    "coveralls.io",
    "travis-ci.org",
    "travis-ci.com",
    "circleci.com",
    "zenodo.org",
    "doi.org",
    "arxiv.org",
    "huggingface.co",
    // Chat, social and funding platforms
    "google.com",
    "youtube.com",
    "twitter.com",
    "x.com",
    "linkedin.com",
    "discord.com",
    "discord.gg",
    "gitter.im",
    "slack.com",
    "stackoverflow.com",
    "medium.com",
    "opencollective.com",
    "patreon.com",
    "ko-fi.com",
    "buymeacoffee.com",
    "tidelift.com",
    "wikipedia.org",
];
function normalizeEntry(entry) {
    return canonicalDomain(entry.trim().replace(/^@/, ""));
}
/**
 * The skip list for a run: a built-in list (the mail providers unless another is given: the
 * providers and mail hosting for MX hosts, the platforms for project links) plus `skipDomains`, or only `skipDomains` when
 * `replaceSkipDomains` is set. An entry matches the full host first, then the registrable domain,
 * so `users.noreply.github.com` does not skip every address at `github.com`, and `gmail.com`
 * also skips `mail.gmail.com`'s registrable domain.
 */
function createSkipList(options, builtIn = DEFAULT_SKIP_DOMAINS) {
    const base = options.replaceSkipDomains ? [] : builtIn;
    const set = new Set([...base, ...options.skipDomains].map(normalizeEntry).filter(Boolean));
    return {
        entries: [...set].sort(),
        has(host, domain) {
            const h = normalizeEntry(host);
            if (set.has(h))
                return true;
            const d = domain ?? (0,cjs/* getDomain */.FB)(h, { allowPrivateDomains: false }) ?? undefined;
            // The registrable domain matches only entries that are registrable domains themselves:
            // a host entry such as users.noreply.github.com must not skip all of github.com.
            return d !== undefined && set.has(d);
        },
    };
}

;// CONCATENATED MODULE: ./src/domains/mail.ts


/** At most this many MX hosts of one domain are looked at (real domains have one to five). */
const MAX_MAIL_HOSTS = 10;
/**
 * Each MX host with its registrable domain, or why it is not looked up: under the maintainer
 * domain itself, at a large mail provider or mail host (the skip list), a null MX (`.`: the
 * domain takes no mail, RFC 7505), or not a domain. `exchanges` in preference order.
 */
function classifyMailHosts(maintainerDomain, exchanges, skip) {
    const out = [];
    const seen = new Set();
    for (const exchange of exchanges.slice(0, MAX_MAIL_HOSTS)) {
        const host = canonicalDomain(exchange);
        if (seen.has(host))
            continue;
        seen.add(host);
        if (host === "") {
            out.push({ host: ".", skipped: "null-mx" });
            continue;
        }
        const check = registrableDomain(host);
        if (!check.ok) {
            // As DNS gave it, for people: printable ASCII only, bounded.
            const written = exchange.replace(/[^\x21-\x7e]/g, "?").slice(0, 253);
            out.push({ host: host || written, skipped: "invalid-host" });
            continue;
        }
        const entry = { host, domain: check.domain };
        if (check.domain === maintainerDomain)
            entry.skipped = "same-domain";
        else if (skip.has(host, check.domain))
            entry.skipped = "provider";
        out.push(entry);
    }
    return out;
}

// EXTERNAL MODULE: external "node:v8"
var external_node_v8_ = __webpack_require__(8877);
;// CONCATENATED MODULE: ./src/pypi/releases-scan-wasm.ts
// Generated by scripts/build.mjs from releases-scan.as (AssemblyScript 0.28.20): do not edit.
// The fast path of the answer scanner as WebAssembly, base64.
const RELEASES_SCAN_WASM = "AGFzbQEAAAABFwRgAn9/AX9gAn9/AXxgBH9/f38AYAAAAwcGAAECAwAABQQBAQUFBhoFfwFBfwt/AUEAC38BQQALfwFBAAt/AUEACwcRAgRmYXN0AAUGbWVtb3J5AgAIAQMKtU0GnQUBAn8gAEGAQGstAAAiAkH0AEYiAwRAIAEgAGtBBEYgA3EEfyAAQYHAAGotAABB8gBGBUEACwR/IABBgsAAai0AAEH1AEYFQQALBH8gAEGDwABqLQAAQeUARgVBAAsPCyACQeYARgRAIAEgAGtBBUYEfyABIABBAWoiAGtBBEYEfyAAQYBAay0AAEHhAEYFQQALBH8gAEGBwABqLQAAQewARgVBAAsEfyAAQYLAAGotAABB8wBGBUEACwR/IABBg8AAai0AAEHlAEYFQQALBUEACw8LIAJB7gBGBEAgASAAa0EERgR/IABBgEBrLQAAQe4ARgVBAAsEfyAAQYHAAGotAABB9QBGBUEACwR/IABBgsAAai0AAEHsAEYFQQALBH8gAEGDwABqLQAAQewARgVBAAsPCyABIABBAWogACAAQYBAay0AAEEtRhsiAEoEfyAAQYBAay0AAEEwRgVBAAsEQCAAQQFqIQAFIAAhAgNAIAAgAUgEfyAAQYBAay0AAEEwa0EJTQVBAAsEQCAAQQFqIQAMAQsLIAAgAkYEQEEADwsLIAAgAUgEfyAAQYBAay0AAEEuRgVBAAsEQCAAQQFqIgIhAANAIAAgAUgEfyAAQYBAay0AAEEwa0EJTQVBAAsEQCAAQQFqIQAMAQsLIAAgAkYEQEEADwsLIAAgAUgEfyAAQYBAay0AAEHlAEYEf0EBBSAAQYBAay0AAEHFAEYLBUEACwRAIAEgAEEBaiIASgR/IABBgEBrLQAAQStGBH9BAQUgAEGAQGstAABBLUYLBUEACwRAIABBAWohAAsgACECA0AgACABSAR/IABBgEBrLQAAQTBrQQlNBUEACwRAIABBAWohAAwBCwsgACACRgRAQQAPCwsgACABRgvSCAEIfwJAIAEgAGtBE0gEf0EBBSAAQYTAAGotAABBLUcLBH9BAQUgAEGHwABqLQAAQS1HCw0AIABBisAAai0AAEHUAEcEf0EBBSAAQY3AAGotAABBOkcLBH9BAQUgAEGQwABqLQAAQTpHCw0AIAFBAWsgASABQf8/ai0AAEHaAEYbIgEgAEETakoEfyAAQZPAAGotAABBLkcgASAAa0EUayIBQQBMcg0BIABBFGoiBCECAn8DQCACIAEgBGpIBEBBACACQYBAay0AAEEwa0EJSw0CGiACQQFqIQIMAQsLQQELRQ0BQQMgASABQQNOGyEEQQAhAiAAQRRqIgUhAQJ/A0AgASAEIAVqSARAQX8gAUGAQGstAABBMGsiBkEJSw0CGiACQQpsIAZqIQIgAUEBaiEBDAELCyACCyEBIARBAUYEfyABQeQAbAUgAUEKbCABIARBAkYbCwVBAAshBEEAIQIgACEBAn8DQCABIABBBGpIBEBBfyABQYBAay0AAEEwayIFQQlLDQIaIAJBCmwgBWohAiABQQFqIQEMAQsLIAILIQVBACECIABBBWoiBiEBAn8DQCABIAZBAmpIBEBBfyABQYBAay0AAEEwayIHQQlLDQIaIAJBCmwgB2ohAiABQQFqIQEMAQsLIAILIQZBACEBIABBCGoiByECAn8DQCACIAdBAmpIBEBBfyACQYBAay0AAEEwayIIQQlLDQIaIAFBCmwgCGohASACQQFqIQIMAQsLIAELIQcgAEELaiICIQECfwNAIAEgAkECakgEQEF/IAFBgEBrLQAAQTBrIghBCUsNAhogA0EKbCAIaiEDIAFBAWohAQwBCwsgAwshA0EAIQIgAEEOaiIIIQECfwNAIAEgCEECakgEQEF/IAFBgEBrLQAAQTBrIglBCUsNAhogAkEKbCAJaiECIAFBAWohAQwBCwsgAgshAUEAIQIgAEERaiIIIQACfwNAIAAgCEECakgEQEF/IABBgEBrLQAAQTBrIglBCUsNAhogAkEKbCAJaiECIABBAWohAAwBCwsgAgsiACAFIAZyIAdyIANyIAFyckEASA0AIAZBAEogBUHoB05xIAZBDExxIAdBAEpxBH8gBkECRgR/QRxBHSAFQQNxBH9BAQUgBUHkAG8Ef0EABSAFQZADbwsLGwVBHkEfIAZBBkYgBkEERnIgBkEJRnIgBkELRnIbCyAHTgVBAAtFDQAgAUE7TCADQRdMcSAAQTtMcUUNACAFQQR0IAZqIgIjAEcEQCACJAAgBUEBayAFIAZBAkwbIgJBkANtIQUgAiAFQZADbGsiAkHtAmwgAkEEbWogAkHkAG1rIAZBA2sgBkEJaiAGQQJKG0GZAWxBAmpBBW1qIAVBsfUIbGpB7PQrayQBCyMBIAdqQQFrt0QAAAAAcJmUQaIgA0GA3dsBbCABQeDUA2xqIABB6AdsaiAEaregDwtEAAAAAAAA+H8LnwEBAX8jAkEYTgRADwsjAkEwbEGALGohBCAAQSBqIANKIAFBAmogAGsiA0EgSnIEf0EBBSABQYHAAGotAABBOkcLBEAgBEEANgIgDwsgBCAAQYBAa/0ABAD9CwQAIAQgAEGQwABq/QAEAP0LBBAgBEF/QQEgA3RBAWsgA0EgRhs2AiAgBCADNgIkIAQgAjYCKCMCIwNOBEAjAkEBaiQDCwsKAEEYJAJBACQEC+UkAwt/A3wBeyAAIQREAAAAAAAA+H8hD0QAAAAAAAD4fyEOA0ACQAJ/IwIjA0ggACIGQSBqIAFMcQRAIABBgEBr/QAEACMCQTBsQYAsaiIH/QAEAP0j/WQhBSAAQZDAAGr9AAQAIAf9AAQQ/SP9ZCECIAcoAiAiAAR/IAUgAkEQdHIgAHEgAEYFQQALBEAjAkEBaiQCIAcoAigkBCAGIAcoAiRqIQIDQCABIAJKBH8gAkGAQGstAAAiAEEgTQR/IABBCkYgAEEgRnIgAEENRnIgAEEJRnIFQQALBUEACwRAIAJBAWohAgwBCwtBfyACIAEgAkwbDAILCyAGQQFqIQACQANAIABBEGoiAiABTARAIAAgAEGAQGv9AAQAIhD9DCIiIiIiIiIiIiIiIiIiIiL9IyAQ/QxcXFxcXFxcXFxcXFxcXFxc/SP9UCAQ/QwgICAgICAgICAgICAgICAg/Sb9UP1kIgVoaiEAIAUNAiACIQAMAQsLA0AgACABSARAIABBgEBrLQAAIgJB3ABGIAJBIkZyIAJBIElyDQIgAEEBaiEADAELCyABIQALQX8hAgJAIAAiBSABTgR/QQEFIAVBgEBrLQAAQSJHCw0AIAVBAWohAANAIAAgAUgEfyAAQYBAay0AACIHQSBNBH8gB0EKRiAHQSBGciAHQQ1GciAHQQlGcgVBAAsFQQALBEAgAEEBaiEADAELCyAAIAFOBH9BAQUgAEGAQGstAABBOkcLDQAgAEEBaiEAA0AgACABSAR/IABBgEBrLQAAIgJBIE0EfyACQQpGIAJBIEZyIAJBDUZyIAJBCUZyBUEACwVBAAsEQCAAQQFqIQAMAQsLQX8gACAAIAFOGyECC0F/IAJBAEgNABogBkEBaiEJAkAgBSAGa0EBayIHQRRGBEAgCUGAQGspAwBC9eCx+5aM2a/0AFEEfyAJQYjAAGotAABB6QBGBUEACwR/IAlBicAAai0AAEHtAEYFQQALBH8gCUGKwABqLQAAQeUARgVBAAsEfyAJQQtqIgBBgEBrKQMAQt/Szfv2i46bMFEEfyAAQYjAAGotAABBMUYFQQALBUEAC0EARyEADAELIAdBC0YEQEECQQAgCUGAQGspAwBC9eCx+5aM2a/0AFEEfyAJQYjAAGotAABB6QBGBUEACwR/IAlBicAAai0AAEHtAEYFQQALBH8gCUGKwABqLQAAQeUARgVBAAsbIQAMAQtBAyEAIAdBBkYEfyAJQYBAay0AAEH5AEYFQQALBH8gCUGBwABqLQAAQeEARgVBAAsEfyAJQYLAAGotAABB7gBGBUEACwR/IAlBg8AAai0AAEHrAEYFQQALBH8gCUGEwABqLQAAQeUARgVBAAsEfyAJQYXAAGotAABB5ABGBUEACw0AQQAhAAsgACQEIAYgBSMEIAEQAiMCQQFqJAIgAgsiBkEASA0AIwQhByAGQYBAay0AACIFQSJGBEAgBkEBaiECAkADQCACQRBqIgAgAUwEQCACIAJBgEBr/QAEACIQ/QwiIiIiIiIiIiIiIiIiIiIi/SMgEP0MXFxcXFxcXFxcXFxcXFxcXP0j/VAgEP0MICAgICAgICAgICAgICAgIP0m/VD9ZCIFaGohAiAFDQIgACECDAELCwNAIAEgAkoEQCACQYBAay0AACIAQdwARiAAQSJGciAAQSBJcg0CIAJBAWohAgwBCwsgASECCyABIAJMBH9BAQUgAkGAQGstAABBIkcLDQEgB0EBRiIAIAdBAkZyBH8gAiAGa0EBa0GACEoNAiAGQQFqIAIQASINIA1iDQIgAAR/IA0hD0EBBSANIQ5BAgsFQQALIQUgAkEBaiEABSAFQS1GIAVBMGtBCU1yIAVB9ABGciAFQeYARnIgBUHuAEZyBH8CQCAGQYBAay0AACIAQeYARgRAIAZBBWoiAiABSAR/IAZBgcAAaigCAEHh2M2rBkYFQQALBH8gBkGFwABqLQAAIgBBMGtBCU0gAEHhAGtBGU1yIABBLUZyIABBK0ZyIABBLkZyIABBwQBrQRlNcgVBAQtFDQEFIABB7gBGBEAgBkEEaiICIAFIBH8gBkGAQGsoAgBB7uqx4wZGBUEACwR/IAZBhMAAai0AACIAQTBrQQlNIABB4QBrQRlNciAAQS1GciAAQStGciAAQS5GciAAQcEAa0EZTXIFQQELRQ0CBSAAQfQARgRAIAZBBGoiAiABSAR/IAZBgEBrKAIAQfTk1asGRgVBAAsEfyAGQYTAAGotAAAiAEEwa0EJTSAAQeEAa0EZTXIgAEEtRnIgAEErRnIgAEEuRnIgAEHBAGtBGU1yBUEBC0UNAwUgBkEBaiAGIABBLUYbIgAgAUgEfyAAQYBAay0AAEExa0EITQVBAAsEQCAAQQFqIQADQCAAIAFIBH8gAEGAQGstAABBMGtBCU0FQQALBEAgAEEBaiEADAELCyAAIQIgACABSAR/IABBgEBrLQAAIgBBMGtBCU0gAEHhAGtBGU1yIABBLUZyIABBK0ZyIABBLkZyIABBwQBrQRlNcgVBAQtFDQQLCwsLIAZBAWohAANAIAAgAUgEfyAAQYBAay0AACICQTBrQQlNIAJB4QBrQRlNciACQS1GciACQStGciACQS5GciACQcEAa0EZTXIFQQALBEAgAEEBaiEADAELC0F/IQIgACABTgR/QQAFIAYgABAAC0UNACAAIQILIAIiAEEASA0CIAdBA0YEf0EEQQwgBUH0AEcbBUEACwUgBUH7AEcNAiAGQQFqIQADQCAAIAFIBH8gAEGAQGstAAAiAkEgTQR/IAJBCkYgAkEgRnIgAkENRnIgAkEJRnIFQQALBUEACwRAIABBAWohAAwBCwsgACICIAFODQJBACEMIABBgEBrLQAAQf0ARgRAQQEhDAUDQCABIAJKBH8gAkGAQGstAABBIkYFQQALBEACQAJ/IwIjA0ggAkEgaiABTHEEQCACQYBAa/0ABAAjAkEwbEGALGoiCf0ABAD9I/1kIQYgAkGQwABq/QAEACAJ/QAEEP0j/WQhBSAJKAIgIgAEfyAGIAVBEHRyIABxIABGBUEACwRAIwJBAWokAiAJKAIoJAQgAiAJKAIkaiEAA0AgACABSAR/IABBgEBrLQAAIgVBIE0EfyAFQQpGIAVBIEZyIAVBDUZyIAVBCUZyBUEACwVBAAsEQCAAQQFqIQAMAQsLQX8gACAAIAFOGwwCCwsgAkEBaiEAAkADQCAAQRBqIgUgAUwEQCAAIABBgEBr/QAEACIQ/QwiIiIiIiIiIiIiIiIiIiIi/SMgEP0MXFxcXFxcXFxcXFxcXFxcXP0j/VAgEP0MICAgICAgICAgICAgICAgIP0m/VD9ZCIGaGohACAGDQIgBSEADAELCwNAIAAgAUgEQCAAQYBAay0AACIFQdwARiAFQSJGciAFQSBJcg0CIABBAWohAAwBCwsgASEAC0F/IQUCQCAAIgYgAU4Ef0EBBSAGQYBAay0AAEEiRwsNACAGQQFqIQADQCAAIAFIBH8gAEGAQGstAAAiCUEgTQR/IAlBCkYgCUEgRnIgCUENRnIgCUEJRnIFQQALBUEACwRAIABBAWohAAwBCwsgACABTgR/QQEFIABBgEBrLQAAQTpHCw0AIABBAWohAANAIAAgAUgEfyAAQYBAay0AACIFQSBNBH8gBUEKRiAFQSBGciAFQQ1GciAFQQlGcgVBAAsFQQALBEAgAEEBaiEADAELC0F/IAAgACABThshBQtBfyAFQQBIDQAaIAJBAWohCgJAIAYgAmtBAWsiCUEURgRAIApBgEBrKQMAQvXgsfuWjNmv9ABRBH8gCkGIwABqLQAAQekARgVBAAsEfyAKQYnAAGotAABB7QBGBUEACwR/IApBisAAai0AAEHlAEYFQQALBH8gCkELaiIAQYBAaykDAELf0s379ouOmzBRBH8gAEGIwABqLQAAQTFGBUEACwVBAAtBAEchAAwBCyAJQQtGBEBBAkEAIApBgEBrKQMAQvXgsfuWjNmv9ABRBH8gCkGIwABqLQAAQekARgVBAAsEfyAKQYnAAGotAABB7QBGBUEACwR/IApBisAAai0AAEHlAEYFQQALGyEADAELQQMhACAJQQZGBH8gCkGAQGstAABB+QBGBUEACwR/IApBgcAAai0AAEHhAEYFQQALBH8gCkGCwABqLQAAQe4ARgVBAAsEfyAKQYPAAGotAABB6wBGBUEACwR/IApBhMAAai0AAEHlAEYFQQALBH8gCkGFwABqLQAAQeQARgVBAAsNAEEAIQALIAAkBCACIAYjBCABEAIjAkEBaiQCIAULIgZBAEgNAAJAIAZBgEBrLQAAIgBBIkYEQCAGQQFqIQACQANAIABBEGoiBSABTARAIAAgAEGAQGv9AAQAIhD9DCIiIiIiIiIiIiIiIiIiIiL9IyAQ/QxcXFxcXFxcXFxcXFxcXFxc/SP9UCAQ/QwgICAgICAgICAgICAgICAg/Sb9UP1kIgZoaiEAIAYNAiAFIQAMAQsLA0AgACABSARAIABBgEBrLQAAIgVB3ABGIAVBIkZyIAVBIElyDQIgAEEBaiEADAELCyABIQALIABBAWpBfyAAIAFIBH8gAEGAQGstAABBIkYFQQALGyEADAELIABBLUYgAEEwa0EJTXIgAEH0AEZyIABB5gBGciAAQe4ARnIEQAJAIAZBgEBrLQAAIgBB5gBGBEAgBkEFaiIAIAFIBH8gBkGBwABqKAIAQeHYzasGRgVBAAsEfyAGQYXAAGotAAAiBUEwa0EJTSAFQeEAa0EZTXIgBUEtRnIgBUErRnIgBUEuRnIgBUHBAGtBGU1yBUEBC0UNAQUgAEHuAEYEQCAGQQRqIgAgAUgEfyAGQYBAaygCAEHu6rHjBkYFQQALBH8gBkGEwABqLQAAIgVBMGtBCU0gBUHhAGtBGU1yIAVBLUZyIAVBK0ZyIAVBLkZyIAVBwQBrQRlNcgVBAQtFDQIFIABB9ABGBEAgBkEEaiIAIAFIBH8gBkGAQGsoAgBB9OTVqwZGBUEACwR/IAZBhMAAai0AACIFQTBrQQlNIAVB4QBrQRlNciAFQS1GciAFQStGciAFQS5GciAFQcEAa0EZTXIFQQELRQ0DBSAGQQFqIAYgAEEtRhsiACABSAR/IABBgEBrLQAAQTFrQQhNBUEACwRAIABBAWohBQNAIAEgBUoEfyAFQYBAay0AAEEwa0EJTQVBAAsEQCAFQQFqIQUMAQsLIAUiACABSAR/IABBgEBrLQAAIgVBMGtBCU0gBUHhAGtBGU1yIAVBLUZyIAVBK0ZyIAVBLkZyIAVBwQBrQRlNcgVBAQtFDQQLCwsLIAZBAWohBQNAIAEgBUoEfyAFQYBAay0AACIAQTBrQQlNIABB4QBrQRlNciAAQS1GciAAQStGciAAQS5GciAAQcEAa0EZTXIFQQALBEAgBUEBaiEFDAELC0F/IQAgASAFTAR/QQAFIAYgBRAAC0UNACAFIQALBUF/IQALCyAAQQBIDQADQCAAIAFIBH8gAEGAQGstAAAiBUEgTQR/IAVBCkYgBUEgRnIgBUENRnIgBUEJRnIFQQALBUEACwRAIABBAWohAAwBCwsgACABTg0AIABBgEBrLQAAIgVB/QBGBEAgACECQQEhDAwBCyAFQSxHDQAgAEEBaiEAA0AgACABSAR/IABBgEBrLQAAIgJBIE0EfyACQQpGIAJBIEZyIAJBDUZyIAJBCUZyBUEACwVBAAsEQCAAQQFqIQAMAQsLIAAhAgwCCwsLCyAMRQ0CIAJBAWohAEEQCyEFCyAHIQggBQRAIANBd3EgBXIgAyAFciAFQQRxGyEDCyAAQQFqIAFIBH8gAEGAQGsvAQBBrMQARgVBAAsEQCAAQQFqIgAhBEECIQsMAgsDQCAAIAFIBH8gAEGAQGstAAAiAkEgTQR/IAJBCkYgAkEgRnIgAkENRnIgAkEJRnIFQQALBUEACwRAIABBAWohAAwBCwsgACABSAR/IABBgEBrLQAAQSxGBUEACwRAIABBAWohAgNAIAEgAkoEfyACQYBAay0AACIAQSBNBH8gAEEKRiAAQSBGciAAQQ1GciAAQQlGcgVBAAsFQQALBEAgAkEBaiECDAELCyACIgAhBEECIQsgACABSAR/IABBgEBrLQAAQSJGBUEACw0CDAELIAAhBEEEIQsLC0GAISALNgIAQYQhIAg2AgBBiCEgAzYCAEGQISAPOQMAQZghIA45AwAgBAusGQMVfwV8AXtBgCAoAgAhFkGEICgCACEIQYggKAIAQQBHIgcEf0GMICgCAEEARwUgBwshBkGQICgCAEEARyEPQaAgKAIAQQBHIQ5BpCAoAgAiBUGACEoEQEGACCEFC0GUICgCACEUQZggKAIAQQBHIRNBwCArAwAhGUHIICsDACEYIAghA0QAAAAAAAD4fyEXRAAAAAAAAPh/IRsDQCAAIAFIBEACQCAAQYBAay0AACIJQSBNBH8gCUEKRiAJQSBGciAJQQ1GciAJQQlGcgVBAAsEQCAAQQFqIQAMAwsgCEEERkEAIAZBACAJQf0ARhsbBH8gFkEBRiAWQQRGcgVBAAsEQCAIQYAiai0AAEEBRw0BIBFBAWohESAQQQFqIBAgExshECAYIBkgGSAZYhsiGiAaYQRAIBogGyAbIBtiIBogG2RyGyEbIBogFyAXIBdiIBcgGmRyGyEXC0EAIQZBAyEIQQQhFiAAQQFqIQAMAwsgFkEERgRAIAlBLEYEQEECQQAgCEGAImotAABBAUYbIRYgAEEBaiEADAQLIAcgCUHdAEZxIAhBA0ZxBEBBgyItAABBAkcNAiAVQQRyIRVBACEPQQIhCCAAQQFqIQAMBAsgCUHdAEYgCUH9AEZyIAhBAkpxBH8gBwR/IAhBBEYgCEEDRnIFQQALBUEBC0UEQCAIQYAiai0AAEEBQQIgCUH9AEYbRw0CIAhBAWshCCAAQQFqIQAMBAsMAQsgFkEDRgRAIAlBOkcNAUEAIRYgAEEBaiEADAMLIBZBAUYiAiAWQQJGcgRAIAlBIkcEQCACIAlB/QBGcSAIQQJKcQR/IAcEfyAIQQRGIAhBA0ZyBUEACwVBAQtFBEAgCEGAImotAABBAUcNAyAIQQFrIQhBBCEWIABBAWohAAwFCwwCCyAIQQRGIAYgBhsiCgRAIAAgARAEIgIgAEcEQCACIQBBgCEoAgAhFkGEISgCACEUQYghKAIAIgJBAXEEQEGQISsDACEZCyACQQJxBEBBmCErAwAhGAsgAkEIcUEARyATIAJBBHEbIRMgAkEQcQRAQYUiQQE6AABBBSADIANBBUgbIQMLDAULCyAAQQFqIQICQANAIAJBEGoiBCABTARAIAIgAkGAQGv9AAQAIhz9DCIiIiIiIiIiIiIiIiIiIiL9IyAc/QxcXFxcXFxcXFxcXFxcXFxc/SP9UCAc/QwgICAgICAgICAgICAgICAg/Sb9UP1kIgloaiECIAkNAiAEIQIMAQsLA0AgASACSgRAIAJBgEBrLQAAIgRB3ABGIARBIkZyIARBIElyDQIgAkEBaiECDAELCyABIQILIAEgAkwEf0EBBSACQYBAay0AAEEiRwsNASAKRSAHcSAIQQJGcQRAIAIgAGtBAWtBgAhKDQJBASARIBUbBEAgEkECaiAFSgRAQQEhCwwECyASQShsQYDgEGoiBCAVNgIAIAQgDTYCBCAEIAw2AgggBCARNgIMIAQgEDYCECAEIBc5AxggBCAbOQMgQQAhEUEAIRBEAAAAAAAA+H8hGyASQQFqIRJEAAAAAAAA+H8hFwtBASEVIABBAWohDSACIABrQQFrIQxBASEOQQMhFiACQQFqIQAMBAsgCgRAIABBAWohBAJAIAIgAGtBAWsiAEEURgRAIARBgEBrKQMAQvXgsfuWjNmv9ABRBH8gBEGIwABqLQAAQekARgVBAAsEfyAEQYnAAGotAABB7QBGBUEACwR/IARBisAAai0AAEHlAEYFQQALBH8gBEELaiIAQYBAaykDAELf0s379ouOmzBRBH8gAEGIwABqLQAAQTFGBUEACwVBAAtBAEchFAwBCyAAQQtGBEBBAkEAIARBgEBrKQMAQvXgsfuWjNmv9ABRBH8gBEGIwABqLQAAQekARgVBAAsEfyAEQYnAAGotAABB7QBGBUEACwR/IARBisAAai0AAEHlAEYFQQALGyEUDAELQQMhFCAAQQZGBH8gBEGAQGstAABB+QBGBUEACwR/IARBgcAAai0AAEHhAEYFQQALBH8gBEGCwABqLQAAQe4ARgVBAAsEfyAEQYPAAGotAABB6wBGBUEACwR/IARBhMAAai0AAEHlAEYFQQALBH8gBEGFwABqLQAAQeQARgVBAAsNAEEAIRQLQRgkAgtBAyEWIAJBAWohAAwDCyAWRSAWQQVGcgRAIAlBIkYEQCAAQQFqIQICQANAIAJBEGoiBCABTARAIAIgAkGAQGv9AAQAIhz9DCIiIiIiIiIiIiIiIiIiIiL9IyAc/QxcXFxcXFxcXFxcXFxcXFxc/SP9UCAc/QwgICAgICAgICAgICAgICAg/Sb9UP1kIgloaiECIAkNAiAEIQIMAQsLA0AgASACSgRAIAJBgEBrLQAAIgRB3ABGIARBIkZyIARBIElyDQIgAkEBaiECDAELCyABIQILIAEgAkwEf0EBBSACQYBAay0AAEEiRwsNAiAIQQRGQQAgBhsEfyAUQQJGIBRBAUZyBUEACwRAIAIgAGtBAWtBgAhKDQMgAEEBaiACEAEiGiAaYg0DIBRBAUYEQCAaIRkFIBohGAsLQQQhFiACQQFqIQAMBAsgCUEtRiAJQTBrQQlNciAJQfQARnIgCUHmAEZyIAlB7gBGcgRAAkAgAEGAQGstAAAiAkHmAEYEQCAAQQVqIgQgAUgEfyAAQYHAAGooAgBB4djNqwZGBUEACwR/IABBhcAAai0AACICQTBrQQlNIAJB4QBrQRlNciACQS1GciACQStGciACQS5GciACQcEAa0EZTXIFQQELRQ0BBSACQe4ARgRAIABBBGoiBCABSAR/IABBgEBrKAIAQe7qseMGRgVBAAsEfyAAQYTAAGotAAAiAkEwa0EJTSACQeEAa0EZTXIgAkEtRnIgAkErRnIgAkEuRnIgAkHBAGtBGU1yBUEBC0UNAgUgAkH0AEYEQCAAQQRqIgQgAUgEfyAAQYBAaygCAEH05NWrBkYFQQALBH8gAEGEwABqLQAAIgJBMGtBCU0gAkHhAGtBGU1yIAJBLUZyIAJBK0ZyIAJBLkZyIAJBwQBrQRlNcgVBAQtFDQMFIABBAWogACACQS1GGyICIAFIBH8gAkGAQGstAABBMWtBCE0FQQALBEAgAkEBaiECA0AgASACSgR/IAJBgEBrLQAAQTBrQQlNBUEACwRAIAJBAWohAgwBCwsgAiEEIAEgAkoEfyACQYBAay0AACICQTBrQQlNIAJB4QBrQRlNciACQS1GciACQStGciACQS5GciACQcEAa0EZTXIFQQELRQ0ECwsLCyAAQQFqIQIDQCABIAJKBH8gAkGAQGstAAAiBEEwa0EJTSAEQeEAa0EZTXIgBEEtRnIgBEErRnIgBEEuRnIgBEHBAGtBGU1yBUEACwRAIAJBAWohAgwBCwtBfyEEIAEgAkwEf0EABSAAIAIQAAtFDQAgAiEECyAEQQBIDQIgCUH0AEYgEyAUQQNGQQAgCEEERkEAIAYbGxshE0EEIRYgBCEADAQLIAlB2wBGIAlB+wBGciAIQegHSHEEfyAHBH8gCEEDRiAIQQJGcgVBAAsFQQELRQRAIAhBAWoiCEGAImpBAUECIAlB+wBGIgIbOgAAIAggAyADIAhIGyEDQQFBBSACGyEWIABBAWohAAwECyAOIBZFIAcgCUHbAEZxIAhBAkZxcXEEQCAVQQZxDQJBgyJBAjoAAEEDIQhBAyADIANBA0gbIQMgFUECciEVQQEhD0EFIRYgAEEBaiEADAQLIA8gByAJQfsARnEgCEEDRnFxBH9BgyItAABBAkYFQQALBEBBhCJBAToAAEEEIQhBBCADIANBBEgbIQNBASEWQQEhBkEAJAJEAAAAAAAA+H8hGUQAAAAAAAD4fyEYQQAhEyAAQQFqIQAMBAsgByAWQQVGIAlB3QBGcXEgCEEDRnEEQEGDIi0AAEECRw0CIBVBBHIhFUEAIQ9BAiEIQQQhFiAAQQFqIQAMBAsgFkEFRiAJQd0ARnEgCEECSnEEfyAHBH8gCEEERiAIQQNGcgVBAAsFQQELRQRAIAhBgCJqLQAAQQJHDQIgCEEBayEIQQQhFiAAQQFqIQAMBAsLCwsLQYAgIBY2AgBBhCAgCDYCAEGMICAGQQBHNgIAQZQgIBQ2AgBBmCAgEzYCAEGcICADNgIAQaggQQEgESAVGwR/IBJBKGxBgOAQaiIBIBU2AgAgASANNgIEIAEgDDYCCCABIBE2AgwgASAQNgIQIAEgFzkDGCABIBs5AyAgEkEBagUgEgs2AgBBrCAgCzYCAEHAICAZOQMAQcggIBg5AwAgAAs=";

;// CONCATENATED MODULE: ./src/pypi/answer-stream.ts
// Reads a PyPI project answer (`GET /pypi/<name>/json`) as it streams in, without building the
// deprecated `releases` map: that map lists every file of every release and is 90-98 % of the
// answer, tens of megabytes for projects such as grpcio. Only `info`, `urls`, `ownership` and
// `last_serial` are kept (and parsed with JSON.parse); of `releases`, a few numbers per release.
// The scanner checks the whole text against the JSON grammar as it goes, so a truncated or
// broken answer is refused, not half read.


const MiB = 1024 * 1024;
const answer_stream_DEFAULT_ANSWER_LIMITS = {
    maxKeptBytes: 5 * MiB,
    maxTotalBytes: 256 * MiB,
};
function answer_stream_isAnswerProblem(value) {
    return "code" in value;
}
/**
 * Read one answer from its chunks (an HTTP body, decompressed). Returns the kept parts and the
 * release summary, or the reason the answer cannot be used; stops reading at the first
 * problem. Bad input never throws; an error of the chunk source itself (a dropped connection)
 * is passed on, since that is not the answer's fault.
 */
async function readProjectAnswer(chunks, limits = answer_stream_DEFAULT_ANSWER_LIMITS, opts = {}) {
    // Most answers are small (PyPI's median is some tens of KB). When the caller knows this one is
    // (its Content-Length), it is held, up to `holdUpTo` decoded bytes, and handed to the engine's
    // JSON.parse: three times faster than scanning it here. Anything larger is scanned.
    const holdUpTo = opts.holdUpTo ?? 0;
    const held = [];
    let heldBytes = 0;
    let scanner = holdUpTo > 0 ? undefined : answer_stream_createAnswerScanner(limits, opts.scanner);
    const read = opts.read ?? { bytes: 0 };
    for await (const chunk of chunks) {
        read.bytes += chunk.length;
        if (!scanner) {
            held.push(chunk);
            heldBytes += chunk.length;
            if (heldBytes <= holdUpTo)
                continue;
            scanner = answer_stream_createAnswerScanner(limits, opts.scanner);
            for (const part of held.splice(0)) {
                const problem = scanner.push(part);
                if (problem)
                    return problem;
            }
            continue;
        }
        const problem = scanner.push(chunk);
        if (problem)
            return problem;
    }
    if (scanner)
        return scanner.end();
    const small = answerFromText(held, heldBytes);
    if (small)
        return small;
    // Not a plain answer: the scanner says exactly what is wrong with it, and where.
    scanner = answer_stream_createAnswerScanner(limits, opts.scanner);
    for (const part of held) {
        const problem = scanner.push(part);
        if (problem)
            return problem;
    }
    return scanner.end();
}
/** Decoded bytes of a small answer that may be held and parsed whole. */
const SMALL_ANSWER_BYTES = 1024 * 1024;
/** Keeps a byte order mark, so that JSON.parse refuses it as the scanner does. */
const utf8KeepBom = new TextDecoder("utf-8", { ignoreBOM: true });
/**
 * A small answer parsed whole, summarised exactly as the scanner summarises it; undefined when it
 * is not JSON with an `info` object (the scanner then says why). Limits need no check: a small
 * answer is far below both caps.
 */
function answerFromText(parts, bytes) {
    let doc;
    try {
        doc = JSON.parse(utf8KeepBom.decode(concatBytes(parts, bytes)));
    }
    catch {
        return undefined;
    }
    if (!answer_stream_isRecord(doc) || !answer_stream_isRecord(doc.info) || deeperThan(doc, MAX_DEPTH))
        return undefined;
    const version = typeof doc.info.version === "string" ? doc.info.version : undefined;
    let releases;
    let latestUploadMs;
    if (answer_stream_isRecord(doc.releases)) {
        releases = new Map();
        for (const [key, files] of Object.entries(doc.releases)) {
            if (!Array.isArray(files) || byteLength(key) > MAX_CAPTURE)
                continue;
            const summary = emptySummary();
            releases.set(key, summary);
            for (const file of files) {
                if (!answer_stream_isRecord(file))
                    continue;
                summary.files++;
                if (file.yanked === true)
                    summary.yankedFiles++;
                const iso = stampOf(file.upload_time_iso_8601);
                const ms = Number.isNaN(iso) ? stampOf(file.upload_time) : iso;
                if (Number.isNaN(ms))
                    continue;
                if (summary.firstUploadMs === undefined || ms < summary.firstUploadMs)
                    summary.firstUploadMs = ms;
                if (summary.lastUploadMs === undefined || ms > summary.lastUploadMs)
                    summary.lastUploadMs = ms;
                if (latestUploadMs === undefined || ms > latestUploadMs)
                    latestUploadMs = ms;
            }
        }
    }
    return {
        info: doc.info,
        urls: doc.urls,
        ownership: doc.ownership,
        lastSerial: doc.last_serial,
        releases,
        versionFirstUploadMs: version === undefined ? undefined : releases?.get(version)?.firstUploadMs,
        latestUploadMs,
        yankedVersions: allYankedVersions(releases),
        bytesRead: bytes,
    };
}
/** Whether a parsed value nests arrays and objects deeper than `limit` (the scanner's refusal). */
/**
 * The versions whose every file is yanked. A loop over tens of thousands of releases, kept in a
 * function of its own and run through `forEach`: as a `for…of` inside a large function, the engine
 * compiles the whole of that function anew, on the spot, for the one loop (some 10 ms of CPU for an
 * answer of 80 MB); this way it compiles the small callback only.
 */
function allYankedVersions(releases) {
    const out = [];
    releases?.forEach((summary, version) => {
        if (summary.files > 0 && summary.yankedFiles === summary.files)
            out.push(version);
    });
    return out;
}
function deeperThan(value, limit) {
    const stack = [[value, 1]];
    while (stack.length > 0) {
        const [v, depth] = stack.pop();
        if (v === null || typeof v !== "object")
            continue;
        if (depth > limit)
            return true;
        for (const child of Object.values(v))
            stack.push([child, depth + 1]);
    }
    return false;
}
/** An upload time as the scanner reads one: a string of at most MAX_CAPTURE bytes. */
function stampOf(value) {
    return typeof value === "string" && byteLength(value) <= MAX_CAPTURE ? uploadMs(value) : NaN;
}
function byteLength(text) {
    return new TextEncoder().encode(text).length;
}
/** Versions kept in the summary; past this only `info.version` (when already known) is added. */
const MAX_VERSIONS = 100_000;
/** Open arrays and objects at once; deeper text is refused rather than risk the stack. */
const MAX_DEPTH = 1_000;
/** Longest key or captured string (version, upload time) looked at; longer ones match nothing. */
const MAX_CAPTURE = 1_024;
/** Longest number or literal accepted. */
const MAX_SCALAR = 1_024;
// Scanner states: what the next byte may be.
const S_VALUE = 0; // a value
const S_FIRST_KEY = 1; // after `{`: a key or `}`
const S_KEY = 2; // after `,` in an object: a key
const S_COLON = 3;
const S_AFTER = 4; // after a value inside a container: `,` or the closing bracket
const S_FIRST_ITEM = 5; // after `[`: a value or `]`
const S_STRING = 6;
const S_SCALAR = 7; // inside a number or `true` / `false` / `null`
const S_DONE = 8; // after the top-level value: only white space
const OBJECT = 1;
const ARRAY = 2;
// What a top-level member's value is to us.
const SKIP = 0;
const KEEP = 1;
const RELEASES = 2;
const KEPT_KEYS = new Set(["info", "urls", "ownership", "last_serial"]);
// Keys of a release file that are looked at.
const F_OTHER = 0;
const F_ISO = 1;
const F_PLAIN = 2;
const F_YANKED = 3;
/** What `scanString` answers when the chunk ends inside the string. */
const INSIDE = -2;
const Q = 0x22; // "
/** Bytes that end the plain run of a string: `"`, `\` and control characters (a table: one load a byte). */
const STRING_STOP = new Uint8Array(256);
for (let c = 0; c < 0x20; c++)
    STRING_STOP[c] = 1;
STRING_STOP[0x22] = STRING_STOP[0x5c] = 1;
const BACKSLASH = 0x5c;
function formatBytes(bytes) {
    if (bytes >= MiB)
        return `${+(bytes / MiB).toFixed(1)} MiB`;
    if (bytes >= 1024)
        return `${+(bytes / 1024).toFixed(1)} KiB`;
    return `${bytes} bytes`;
}
const isSpace = (c) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
const isDigit = (c) => c >= 0x30 && c <= 0x39;
const isHex = (c) => isDigit(c) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);
/** Bytes that can continue a number or literal; anything else ends it. */
const isScalarByte = (c) => (c >= 0x61 && c <= 0x7a) ||
    isDigit(c) ||
    c === 0x2d ||
    c === 0x2b ||
    c === 0x2e ||
    (c >= 0x41 && c <= 0x5a);
/** The escapes JSON allows after `\`: `" \ / b f n r t u`. */
const isEscape = (c) => c === Q ||
    c === BACKSLASH ||
    c === 0x2f ||
    c === 0x62 ||
    c === 0x66 ||
    c === 0x6e ||
    c === 0x72 ||
    c === 0x74 ||
    c === 0x75;
function sameBytes(bytes, from, to, word) {
    if (to - from !== word.length)
        return false;
    for (let k = 0; k < word.length; k++)
        if (bytes[from + k] !== word.charCodeAt(k))
            return false;
    return true;
}
function digitsEnd(bytes, at, to) {
    while (at < to && isDigit(bytes[at]))
        at++;
    return at;
}
/** Whether bytes[from, to) are a JSON number or literal, by the grammar of RFC 8259. */
function isScalarText(bytes, from, to) {
    const first = bytes[from];
    if (first === 0x74)
        return sameBytes(bytes, from, to, "true");
    if (first === 0x66)
        return sameBytes(bytes, from, to, "false");
    if (first === 0x6e)
        return sameBytes(bytes, from, to, "null");
    let at = from;
    if (bytes[at] === 0x2d)
        at++;
    if (at < to && bytes[at] === 0x30)
        at++;
    else {
        const end = digitsEnd(bytes, at, to);
        if (end === at)
            return false;
        at = end;
    }
    if (at < to && bytes[at] === 0x2e) {
        const end = digitsEnd(bytes, at + 1, to);
        if (end === at + 1)
            return false;
        at = end;
    }
    if (at < to && (bytes[at] === 0x65 || bytes[at] === 0x45)) {
        at++;
        if (at < to && (bytes[at] === 0x2b || bytes[at] === 0x2d))
            at++;
        const end = digitsEnd(bytes, at, to);
        if (end === at)
            return false;
        at = end;
    }
    return at === to;
}
/** `upload_time_iso_8601`, or `upload_time` without a zone (UTC), in ms; NaN when unreadable. */
function uploadMs(stamp) {
    return Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(stamp) ? stamp : `${stamp}Z`);
}
/** Two or four ASCII digits at `at` as a number; NaN when not digits. */
function digitsAt(bytes, at, count) {
    let value = 0;
    for (let k = at; k < at + count; k++) {
        const d = bytes[k] - 0x30;
        if (d < 0 || d > 9)
            return NaN;
        value = value * 10 + d;
    }
    return value;
}
/**
 * `YYYY-MM-DDTHH:MM:SS[.ffffff][Z]` read straight from bytes, as PyPI writes both upload times;
 * NaN for anything else, a day the month does not have too (the caller then asks Date.parse). Saves a string and a Date.parse
 * per file, a third of the time spent in `releases`.
 */
function plainStampMs(bytes, from, to) {
    const length = to - from;
    if (length < 19 || bytes[from + 4] !== 0x2d || bytes[from + 7] !== 0x2d)
        return NaN;
    if (bytes[from + 10] !== 0x54 || bytes[from + 13] !== 0x3a || bytes[from + 16] !== 0x3a)
        return NaN;
    let end = to;
    if (bytes[end - 1] === 0x5a)
        end--;
    let ms = 0;
    if (end > from + 19) {
        const digits = end - from - 20;
        if (bytes[from + 19] !== 0x2e || digits < 1)
            return NaN;
        if (Number.isNaN(digitsAt(bytes, from + 20, digits)))
            return NaN;
        const shown = Math.min(3, digits);
        ms = digitsAt(bytes, from + 20, shown) * 10 ** (3 - shown);
    }
    const year = digitsAt(bytes, from, 4);
    const month = digitsAt(bytes, from + 5, 2);
    const day = digitsAt(bytes, from + 8, 2);
    const hour = digitsAt(bytes, from + 11, 2);
    const minute = digitsAt(bytes, from + 14, 2);
    const second = digitsAt(bytes, from + 17, 2);
    if (!(year >= 1000 && month >= 1 && month <= 12 && day >= 1))
        return NaN;
    if (!(day <= daysInMonth(year, month)))
        return NaN;
    if (!(hour <= 23 && minute <= 59 && second <= 59))
        return NaN;
    return Date.UTC(year, month - 1, day, hour, minute, second, ms);
}
/**
 * Days in a month (1-12) of the Gregorian calendar. Date.parse rolls a day past the month's
 * end over into the next month (2023-02-29 is March 1st); `plainStampMs` leaves such days to it.
 */
function daysInMonth(year, month) {
    if (month === 2)
        return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
    return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}
const utf8 = new TextDecoder();
function concatBytes(parts, length) {
    if (parts.length === 1)
        return parts[0];
    const out = new Uint8Array(length);
    let at = 0;
    for (const part of parts) {
        out.set(part, at);
        at += part.length;
    }
    return out;
}
/**
 * A string's bytes (without the quotes) as text; escapes are resolved by JSON.parse. ASCII is
 * decoded in JavaScript: TextDecoder costs a microsecond a call, too much for every version.
 */
function decodeString(bytes, from, to, escaped) {
    let ascii = true;
    for (let k = from; k < to && ascii; k++)
        ascii = bytes[k] < 0x80;
    const view = bytes.subarray(from, to);
    const text = ascii
        ? String.fromCharCode.apply(null, view)
        : utf8.decode(view);
    return escaped ? JSON.parse(`"${text}"`) : text;
}
/**
 * The bytes as a plain Uint8Array (a Buffer is a subclass of it): every function of the scanner
 * then meets one kind of array, as the engine's optimised code expects; a Buffer after a
 * Uint8Array would throw that code away and have it compiled again.
 */
function plainBytes(bytes) {
    return Object.getPrototypeOf(bytes) === Uint8Array.prototype
        ? bytes
        : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
function answer_stream_isRecord(value) {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}
function emptySummary() {
    return { files: 0, yankedFiles: 0, firstUploadMs: undefined, lastUploadMs: undefined };
}
// The memory layout of releases-scan.as.
const WASM_STATE_I = 0x1000;
const WASM_STATE_F = 0x1040;
const WASM_STACK = 0x1100;
const WASM_DATA = 0x2000;
const WASM_OUT = 0x43000;
/** Bytes of a chunk copied into the instance at once. */
const WASM_WINDOW = 256 * 1024;
/** A window is copied anew when fewer bytes than this are left in it (and more in the chunk). */
const WASM_WINDOW_SLACK = 4096;
/** Records one call may write. */
const WASM_RECORDS = 1024;
/** Chunks gathered at most before they are scanned (tiny chunks are scanned every so many). */
const MAX_GATHERED_CHUNKS = 4096;
// A record, in i32 and f64 slots; its flags.
const REC_INTS = 10;
const REC_FLOATS = 5;
const REC_FLAGS = 0;
const REC_KEY_FROM = 1;
const REC_KEY_LENGTH = 2;
const REC_FILES = 3;
const REC_YANKED_FILES = 4;
const REC_FIRST_MS = 3;
const REC_LAST_MS = 4;
const R_KEY = 1;
const R_OPEN = 2;
const R_CLOSE = 4;
let wasmFastPath;
function loadWasmFastPath() {
    if (wasmFastPath !== undefined)
        return wasmFastPath;
    try {
        const instance = new WebAssembly.Instance(compileScanModule(), {});
        const buffer = instance.exports.memory.buffer;
        wasmFastPath = {
            fast: instance.exports.fast,
            ints: new Int32Array(buffer, WASM_STATE_I, 16),
            floats: new Float64Array(buffer, WASM_STATE_F, 2),
            stack: new Uint8Array(buffer, WASM_STACK, MAX_DEPTH + 2),
            data: new Uint8Array(buffer, WASM_DATA, WASM_WINDOW),
            recordInts: new Int32Array(buffer, WASM_OUT, WASM_RECORDS * REC_INTS),
            recordFloats: new Float64Array(buffer, WASM_OUT, WASM_RECORDS * REC_FLOATS),
        };
    }
    catch {
        wasmFastPath = null; // no WebAssembly here (or no SIMD): the JavaScript fast path
    }
    return wasmFastPath;
}
/**
 * The module, compiled with every function optimised at once. V8 compiles a module's functions
 * on their first call with its baseline compiler, and optimises one only after it has run for a
 * while (about 13 MB of code executed in V8 13): a fresh process would read most of its first big
 * answer in baseline code, about twice as slow (12 MB: 19-24 ms against 9 ms optimised). With
 * lazy compilation and dynamic tiering off for this compile, V8 compiles every function now
 * (about a millisecond) and optimises them on a background thread at once (some 10 ms of CPU
 * there, which a process also waits for when it exits before they are done), so the optimised
 * code is ready by the time an answer arrives. The flags are read when a module is compiled, and
 * set back to their defaults right after; when node was started with either of them, they are
 * left alone, as given.
 */
function compileScanModule() {
    const bytes = Buffer.from(RELEASES_SCAN_WASM, "base64");
    if (userSetsTiering())
        return new WebAssembly.Module(bytes);
    (0,external_node_v8_.setFlagsFromString)("--no-wasm-lazy-compilation");
    (0,external_node_v8_.setFlagsFromString)("--no-wasm-dynamic-tiering");
    try {
        return new WebAssembly.Module(bytes);
    }
    finally {
        (0,external_node_v8_.setFlagsFromString)("--wasm-dynamic-tiering");
        (0,external_node_v8_.setFlagsFromString)("--wasm-lazy-compilation");
    }
}
/** Whether node's own options (its arguments or NODE_OPTIONS) set either tiering flag. */
function userSetsTiering(execArgv = process.execArgv, nodeOptions = process.env.NODE_OPTIONS) {
    const given = [...execArgv, ...(nodeOptions ?? "").split(/\s+/)];
    return given.some((flag) => /^--(no-)?wasm[-_](lazy[-_]compilation|dynamic[-_]tiering)(=|$)/.test(flag));
}
/**
 * Make the scanner ready before an answer arrives: the WebAssembly fast path is compiled, and
 * optimised in the background while the request is in flight. Idempotent; free once done.
 */
function prepareAnswerScanner() {
    loadWasmFastPath();
}
/** Whether the WebAssembly fast path runs here. */
function hasWasmFastPath() {
    return loadWasmFastPath() !== null;
}
/**
 * The scanner behind `readProjectAnswer`, for callers that push chunks themselves. One pass,
 * byte by byte, resumable at any chunk boundary: a container stack, the string/escape state,
 * and just enough of the path to know where a byte is (top-level key; in `releases`, the
 * version key and the keys of each file object).
 */
function answer_stream_createAnswerScanner(limits, opts = {}) {
    const fastPath = opts.fastPath ?? "auto";
    const wasm = fastPath === "js" ? null : loadWasmFastPath();
    if (fastPath === "wasm" && !wasm)
        throw new Error("the WebAssembly fast path does not run here");
    const maxVersions = opts.maxVersions ?? MAX_VERSIONS;
    const wasmWindow = Math.max(64, Math.min(WASM_WINDOW, opts.wasmWindow ?? WASM_WINDOW));
    const wasmSlack = Math.min(WASM_WINDOW_SLACK, wasmWindow >> 2);
    const wasmRecords = Math.max(1, Math.min(WASM_RECORDS, opts.wasmRecords ?? WASM_RECORDS));
    const gatherBytes = wasm ? Math.max(0, Math.min(wasmWindow, opts.gatherBytes ?? wasmWindow)) : 0;
    /** Chunks gathered and not yet scanned (see `gatherBytes`), and where each of them ends. */
    let gathered;
    let gatheredLength = 0;
    let gatheredEnds;
    let gatheredChunks = 0;
    /** Bytes of its chunk the last `scanChunk` read (all of them, unless it stopped where `releases` ended). */
    let scannedTo = 0;
    let problem;
    let state = S_VALUE;
    const stack = new Uint8Array(MAX_DEPTH + 2);
    let depth = 0;
    let base = 0; // offset of the current chunk in the answer
    let topIsObject = false;
    // The current string.
    let isKey = false;
    let escaped = false; // the last byte was a backslash
    let hexLeft = 0; // hex digits still due after `\u`
    let sawEscape = false;
    let capturing = false;
    let strFrom = 0;
    const capBuf = new Uint8Array(MAX_CAPTURE);
    let capLen = 0; // bytes carried over from earlier chunks; > MAX_CAPTURE once too long
    // Where the whole string is once it ended: in the chunk itself when it did not cross chunks.
    let capBytes = capBuf;
    let capFrom = 0;
    let capTo = 0;
    // The current number or literal.
    let scalarFrom = 0;
    const scalarBuf = new Uint8Array(MAX_SCALAR);
    let scalarLen = 0;
    let scalarOffset = 0;
    // The current top-level member.
    let topRole = SKIP;
    let topKey = "";
    let keepFrom = 0;
    let keepParts = [];
    let keepLen = 0;
    let keepOffset = 0;
    let keptTotal = 0;
    const kept = new Map();
    // Inside `releases`.
    let inReleases = false;
    let releases;
    let wantedVersion;
    let versionKey;
    let release; // the release whose file list is open
    let inFile = false;
    let fileKey = F_OTHER;
    let fileIsoMs = NaN;
    let filePlainMs = NaN;
    let fileYanked = false;
    let latestUploadMs;
    function notJson(offset, what) {
        problem = {
            code: "answer-not-json",
            message: `the package index answered with a body that is not JSON (${what} at byte ${offset})`,
            offset,
        };
        return problem;
    }
    /** Copy string bytes into capBuf; by hand, since subarray() per string costs more than the copy. */
    function capture(chunk, from, to) {
        let at = capLen;
        capLen += to - from;
        if (capLen > MAX_CAPTURE)
            return;
        for (let k = from; k < to; k++)
            capBuf[at++] = chunk[k];
    }
    /** The string ended at `to` (its closing quote): point capBytes/capFrom/capTo at its bytes. */
    function captureEnd(chunk, to) {
        if (capLen === 0) {
            capBytes = chunk;
            capFrom = strFrom;
            capTo = to;
            capLen = to - strFrom;
            return;
        }
        capture(chunk, strFrom, to);
        capBytes = capBuf;
        capFrom = 0;
        capTo = capLen;
    }
    function captured() {
        if (capLen > MAX_CAPTURE)
            return undefined;
        try {
            return decodeString(capBytes, capFrom, capTo, sawEscape);
        }
        catch {
            return undefined; // a lone escape JSON.parse dislikes: then it matches nothing
        }
    }
    /** The captured upload time in ms, NaN when unreadable. */
    function stampMs() {
        if (capLen > MAX_CAPTURE)
            return NaN;
        const ms = sawEscape ? NaN : plainStampMs(capBytes, capFrom, capTo);
        if (!Number.isNaN(ms))
            return ms;
        const text = captured();
        return text === undefined ? NaN : uploadMs(text);
    }
    /** Whether the captured string is `word` (ASCII), as JSON.parse reads it: `upload\u005ftime` is `upload_time`. */
    function capturedIs(word) {
        return sawEscape ? captured() === word : sameBytes(capBytes, capFrom, capTo, word);
    }
    function keep(chunk, from, to) {
        if (to <= from)
            return undefined;
        keepParts.push(new Uint8Array(chunk.subarray(from, to)));
        keepLen += to - from;
        keptTotal += to - from;
        if (keptTotal <= limits.maxKeptBytes)
            return undefined;
        problem = {
            code: "answer-kept-too-large",
            message: `the \`info\` part of the index answer (with \`urls\` and \`ownership\`) is larger than ${formatBytes(limits.maxKeptBytes)}`,
            bytes: keptTotal,
        };
        return problem;
    }
    function onTopValueStart(offset) {
        if (topRole === KEEP) {
            keepParts = [];
            keepLen = 0;
            keepOffset = offset;
        }
    }
    function onTopValueEnd(chunk, end) {
        if (topRole === RELEASES) {
            inReleases = false;
            return undefined;
        }
        if (topRole !== KEEP)
            return undefined;
        if (keep(chunk, keepFrom, end))
            return problem;
        let value;
        try {
            value = JSON.parse(utf8.decode(concatBytes(keepParts, keepLen)));
        }
        catch {
            return notJson(keepOffset, `a value JSON.parse refuses in \`${topKey}\``);
        }
        keepParts = [];
        kept.set(topKey, value);
        if (topKey === "info") {
            wantedVersion =
                answer_stream_isRecord(value) && typeof value.version === "string" ? value.version : undefined;
        }
        topRole = SKIP;
        return undefined;
    }
    function onKey() {
        if (depth === 1) {
            topKey = captured() ?? "";
            topRole = topKey === "releases" ? RELEASES : KEPT_KEYS.has(topKey) ? KEEP : SKIP;
        }
        else if (depth === 2) {
            versionKey = captured();
        }
        else {
            fileKey = capturedIs("upload_time_iso_8601")
                ? F_ISO
                : capturedIs("upload_time")
                    ? F_PLAIN
                    : capturedIs("yanked")
                        ? F_YANKED
                        : F_OTHER;
        }
    }
    function beginRelease() {
        const version = versionKey;
        release = undefined;
        if (version === undefined || !releases)
            return;
        release = releases.get(version);
        if (release)
            return;
        release = emptySummary();
        if (releases.size < maxVersions || version === wantedVersion)
            releases.set(version, release);
    }
    function endFile() {
        inFile = false;
        const ms = Number.isNaN(fileIsoMs) ? filePlainMs : fileIsoMs;
        addFiles(release, 1, fileYanked ? 1 : 0, ms, ms);
    }
    /** Files of the open release: their count, the yanked ones, their earliest and latest upload (NaN if none). */
    function addFiles(summary, files, yankedFiles, firstMs, lastMs) {
        summary.files += files;
        summary.yankedFiles += yankedFiles;
        if (Number.isNaN(firstMs))
            return;
        if (summary.firstUploadMs === undefined || firstMs < summary.firstUploadMs)
            summary.firstUploadMs = firstMs;
        if (summary.lastUploadMs === undefined || lastMs > summary.lastUploadMs)
            summary.lastUploadMs = lastMs;
        if (latestUploadMs === undefined || lastMs > latestUploadMs)
            latestUploadMs = lastMs;
    }
    /** `{` or `[` at byte i. */
    function open(kind, offset) {
        if (depth === MAX_DEPTH)
            return notJson(offset, `nesting deeper than ${MAX_DEPTH}`);
        stack[++depth] = kind;
        if (depth === 1)
            topIsObject = kind === OBJECT;
        else if (depth === 2 && topRole === RELEASES && kind === OBJECT) {
            inReleases = true;
            releases = new Map(); // a repeated `releases` replaces the first, as in JSON.parse
            latestUploadMs = undefined;
        }
        else if (inReleases) {
            if (depth === 3 && kind === ARRAY)
                beginRelease();
            else if (depth === 4 && kind === OBJECT && release) {
                inFile = true;
                fileIsoMs = filePlainMs = NaN;
                fileYanked = false;
            }
        }
        state = kind === OBJECT ? S_FIRST_KEY : S_FIRST_ITEM;
        return undefined;
    }
    /** A value ended; `end` is the index just past it in the chunk. */
    function valueDone(chunk, end) {
        if (depth === 0) {
            state = S_DONE;
            return undefined;
        }
        state = S_AFTER;
        if (depth === 1 && topIsObject)
            return onTopValueEnd(chunk, end);
        return undefined;
    }
    /** `}` or `]` at byte i. */
    function close(c, chunk, i) {
        const kind = c === 0x7d ? OBJECT : ARRAY;
        if (stack[depth] !== kind)
            return notJson(base + i, `a stray \`${String.fromCharCode(c)}\``);
        if (inReleases) {
            if (depth === 4 && inFile)
                endFile();
            else if (depth === 3)
                release = undefined;
        }
        depth--;
        return valueDone(chunk, i + 1);
    }
    /** The first byte of a value, at i. */
    function startValue(c, chunk, i) {
        if (depth === 1 && topIsObject) {
            keepFrom = i;
            onTopValueStart(base + i);
        }
        if (c === 0x7b)
            return open(OBJECT, base + i);
        if (c === 0x5b)
            return open(ARRAY, base + i);
        if (c === Q) {
            state = S_STRING;
            isKey = false;
            capturing = inFile && depth === 4 && (fileKey === F_ISO || fileKey === F_PLAIN);
            beginString(i);
            return undefined;
        }
        if (c === 0x2d || isDigit(c) || c === 0x74 || c === 0x66 || c === 0x6e) {
            state = S_SCALAR;
            scalarFrom = i;
            scalarLen = 0;
            scalarOffset = base + i;
            return undefined;
        }
        return notJson(base + i, `an unexpected \`${String.fromCharCode(c)}\``);
    }
    function beginString(i) {
        escaped = false;
        hexLeft = 0;
        sawEscape = false;
        strFrom = i + 1;
        capLen = 0;
    }
    function beginKey(i) {
        state = S_STRING;
        isKey = true;
        capturing = depth === 1 || (inReleases && (depth === 2 || (depth === 4 && inFile)));
        if (depth === 4)
            fileKey = F_OTHER;
        beginString(i);
    }
    /** The closing quote of a string was at end - 1. */
    function endString(chunk, end) {
        if (capturing)
            captureEnd(chunk, end - 1);
        if (isKey) {
            if (capturing)
                onKey();
            state = S_COLON;
            return undefined;
        }
        if (capturing) {
            const ms = stampMs();
            if (fileKey === F_ISO)
                fileIsoMs = ms;
            else
                filePlainMs = ms;
        }
        return valueDone(chunk, end);
    }
    /** The number or literal ended before byte i (i may be the chunk's length). */
    function endScalar(chunk, i) {
        let bytes = chunk;
        let from = scalarFrom;
        let to = i;
        if (scalarLen > 0) {
            if (!appendScalar(chunk, scalarFrom, i))
                return problem;
            bytes = scalarBuf;
            from = 0;
            to = scalarLen;
        }
        if (!isScalarText(bytes, from, to))
            return notJson(scalarOffset, "a bad number or literal");
        if (inFile && depth === 4 && fileKey === F_YANKED)
            fileYanked = bytes[from] === 0x74;
        return valueDone(chunk, i);
    }
    function appendScalar(chunk, from, to) {
        if (scalarLen + to - from > MAX_SCALAR) {
            notJson(scalarOffset, `a number longer than ${MAX_SCALAR} bytes`);
            return false;
        }
        scalarBuf.set(chunk.subarray(from, to), scalarLen);
        scalarLen += to - from;
        return true;
    }
    /** Scan string bytes from i: the index past the closing quote, INSIDE when the chunk ends first, -1 on error. */
    function scanString(chunk, i, n) {
        for (;;) {
            if (escaped) {
                if (i >= n)
                    return INSIDE;
                const c = chunk[i];
                if (!isEscape(c)) {
                    notJson(base + i, "a bad escape");
                    return -1;
                }
                escaped = false;
                if (c === 0x75)
                    hexLeft = 4;
                i++;
            }
            while (hexLeft > 0) {
                if (i >= n)
                    return INSIDE;
                if (!isHex(chunk[i])) {
                    notJson(base + i, "a bad \\u escape");
                    return -1;
                }
                hexLeft--;
                i++;
            }
            let c = 0;
            while (i < n && (c = chunk[i]) !== Q && c !== BACKSLASH && c >= 0x20)
                i++;
            if (i >= n)
                return INSIDE;
            if (c === Q)
                return i + 1;
            if (c !== BACKSLASH) {
                notJson(base + i, "a control character in a string");
                return -1;
            }
            escaped = true;
            sawEscape = true;
            i++;
        }
    }
    /**
     * The common tokens below the top level, in one tight loop with the state in locals: white
     * space, `,` `:`, strings that end in this chunk without an escape, numbers and literals that
     * end in this chunk, and brackets that mean nothing to the summary. Anything else (a string or
     * number that crosses the chunk end, an escape, a control character, a bracket that opens or
     * closes a release or a file, a key or value that is captured other than a file's keys and
     * plain upload times, any error) is left to the byte-by-byte machine in `push`: the loop
     * returns the index of that token's first byte, with the state as before it. Every byte it
     * passes is checked as strictly as there.
     */
    function fastTokens(chunk, i, n) {
        let st = state;
        let d = depth;
        const releasesOpen = inReleases;
        const fileOpen = inFile && releasesOpen;
        loop: while (i < n) {
            let c = chunk[i];
            if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) {
                i++;
                continue;
            }
            switch (st) {
                case S_AFTER:
                    if (c === 0x2c) {
                        st = stack[d] === OBJECT ? S_KEY : S_VALUE;
                        i++;
                        continue;
                    }
                    if ((c === 0x7d || c === 0x5d) && d > 2 && !(releasesOpen && (d === 3 || d === 4))) {
                        if (stack[d] !== (c === 0x7d ? OBJECT : ARRAY))
                            break loop;
                        d--;
                        i++;
                        continue; // st stays S_AFTER: a value ended below the top level
                    }
                    break loop;
                case S_COLON:
                    if (c !== 0x3a)
                        break loop;
                    st = S_VALUE;
                    i++;
                    continue;
                case S_FIRST_KEY:
                case S_KEY: {
                    if (c !== Q) {
                        if (c === 0x7d &&
                            st === S_FIRST_KEY &&
                            d > 2 &&
                            !(releasesOpen && (d === 3 || d === 4))) {
                            if (stack[d] !== OBJECT)
                                break loop;
                            d--;
                            st = S_AFTER;
                            i++;
                            continue;
                        }
                        break loop;
                    }
                    const isFileKey = fileOpen && d === 4;
                    if (releasesOpen && !isFileKey && d === 2)
                        break loop; // a version key: captured
                    let k = i + 1;
                    while (k < n && STRING_STOP[(c = chunk[k])] === 0)
                        k++;
                    if (k >= n || c !== Q)
                        break loop;
                    if (isFileKey) {
                        // By length first: most keys of a file are none of the three.
                        const length = k - i - 1;
                        fileKey =
                            length === 20 && sameBytes(chunk, i + 1, k, "upload_time_iso_8601")
                                ? F_ISO
                                : length === 11 && sameBytes(chunk, i + 1, k, "upload_time")
                                    ? F_PLAIN
                                    : length === 6 && sameBytes(chunk, i + 1, k, "yanked")
                                        ? F_YANKED
                                        : F_OTHER;
                    }
                    st = S_COLON;
                    i = k + 1;
                    continue;
                }
                case S_VALUE:
                case S_FIRST_ITEM: {
                    if (c === Q) {
                        let k = i + 1;
                        while (k < n && STRING_STOP[(c = chunk[k])] === 0)
                            k++;
                        if (k >= n || c !== Q)
                            break loop;
                        if (fileOpen && d === 4 && (fileKey === F_ISO || fileKey === F_PLAIN)) {
                            if (k - i - 1 > MAX_CAPTURE)
                                break loop;
                            const ms = plainStampMs(chunk, i + 1, k);
                            if (Number.isNaN(ms))
                                break loop; // the careful reading in `stampMs`
                            if (fileKey === F_ISO)
                                fileIsoMs = ms;
                            else
                                filePlainMs = ms;
                        }
                        st = S_AFTER;
                        i = k + 1;
                        continue;
                    }
                    if (c === 0x2d || isDigit(c) || c === 0x74 || c === 0x66 || c === 0x6e) {
                        let k = i + 1;
                        while (k < n && isScalarByte(chunk[k]))
                            k++;
                        if (k >= n || !isScalarText(chunk, i, k))
                            break loop;
                        if (fileOpen && d === 4 && fileKey === F_YANKED)
                            fileYanked = c === 0x74;
                        st = S_AFTER;
                        i = k;
                        continue;
                    }
                    if ((c === 0x7b || c === 0x5b) &&
                        d < MAX_DEPTH &&
                        !(releasesOpen && (d === 2 || d === 3))) {
                        stack[++d] = c === 0x7b ? OBJECT : ARRAY;
                        st = c === 0x7b ? S_FIRST_KEY : S_FIRST_ITEM;
                        i++;
                        continue;
                    }
                    if (c === 0x5d &&
                        st === S_FIRST_ITEM &&
                        d > 2 &&
                        !(releasesOpen && (d === 3 || d === 4))) {
                        if (stack[d] !== ARRAY)
                            break loop;
                        d--;
                        st = S_AFTER;
                        i++;
                        continue;
                    }
                    break loop;
                }
                default:
                    break loop;
            }
        }
        state = st;
        depth = d;
        fastStop = i;
        return i;
    }
    // The part of the current chunk in the WebAssembly memory: chunk[windowFrom, windowTo).
    let windowFrom = 0;
    let windowTo = -1;
    /**
     * `fastTokens` in WebAssembly, with the plain version keys, the brackets of the releases and
     * the file objects of a counted release too. Sets `fastStop`.
     */
    function fastTokensWasm(w, chunk, i, n) {
        if (i < windowFrom || i >= windowTo || (windowTo < n && windowTo - i < wasmSlack)) {
            windowFrom = i;
            windowTo = Math.min(n, i + wasmWindow);
            w.data.set(chunk.subarray(windowFrom, windowTo));
        }
        const ints = w.ints;
        const floats = w.floats;
        ints[0] = state;
        ints[1] = depth;
        ints[2] = inReleases ? 1 : 0;
        ints[3] = inFile ? 1 : 0;
        ints[4] = release ? 1 : 0;
        ints[5] = fileKey;
        ints[6] = fileYanked ? 1 : 0;
        ints[8] = versionKey === undefined ? 0 : 1;
        ints[9] = wasmRecords;
        floats[0] = fileIsoMs;
        floats[1] = filePlainMs;
        const wasmStack = w.stack;
        for (let k = 1; k <= depth; k++)
            wasmStack[k] = stack[k];
        const next = w.fast(i - windowFrom, windowTo - windowFrom) + windowFrom;
        state = ints[0];
        depth = ints[1];
        for (let k = 1, deepest = ints[7]; k <= deepest; k++)
            stack[k] = wasmStack[k];
        if (inReleases)
            inFile = ints[3] === 1;
        fileKey = ints[5];
        fileYanked = ints[6] === 1;
        fileIsoMs = floats[0];
        filePlainMs = floats[1];
        const records = ints[10];
        if (records > 0)
            applyRecords(w, chunk, records);
        // Called again at once when it stopped for want of a record or near the window's end (a
        // new window may take it further); otherwise the byte there is the byte machine's.
        const rewindow = next >= windowTo || (windowTo < n && windowTo - next < wasmSlack);
        fastStop = ints[11] === 1 || rewindow ? -1 : next;
        return next;
    }
    /** What the records of a call say, in order, as the byte machine would have done it. */
    function applyRecords(w, chunk, count) {
        const recordInts = w.recordInts;
        const recordFloats = w.recordFloats;
        for (let r = 0; r < count; r++) {
            const at = r * REC_INTS;
            const flags = recordInts[at + REC_FLAGS];
            if (flags & R_KEY) {
                const from = windowFrom + recordInts[at + REC_KEY_FROM];
                versionKey = decodeString(chunk, from, from + recordInts[at + REC_KEY_LENGTH], false);
            }
            if (flags & R_OPEN)
                beginRelease();
            const files = recordInts[at + REC_FILES];
            if (files > 0) {
                const f = r * REC_FLOATS;
                addFiles(release, files, recordInts[at + REC_YANKED_FILES], recordFloats[f + REC_FIRST_MS], recordFloats[f + REC_LAST_MS]);
            }
            if (flags & R_CLOSE)
                release = undefined;
        }
    }
    /** Where the fast path last stopped in this chunk, left to the byte machine; -1 for none. */
    let fastStop = -1;
    function push(given) {
        if (problem)
            return problem;
        const n = given.length;
        if (base + gatheredLength + n > limits.maxTotalBytes) {
            // What came before is read first: a problem in it is the answer's first, as it is when
            // chunks are scanned as they come.
            if (flushGathered())
                return problem;
            problem = {
                code: "answer-too-large",
                message: `the index answer is larger than ${formatBytes(limits.maxTotalBytes)}`,
                bytes: base + n,
            };
            return problem;
        }
        if (n < gatherBytes && (gatheredLength > 0 || inReleases)) {
            if ((gatheredLength + n > gatherBytes || gatheredChunks === MAX_GATHERED_CHUNKS) &&
                flushGathered())
                return problem;
            gathered ??= new Uint8Array(gatherBytes);
            gatheredEnds ??= new Int32Array(MAX_GATHERED_CHUNKS);
            gathered.set(given, gatheredLength);
            gatheredLength += n;
            gatheredEnds[gatheredChunks++] = gatheredLength;
            return undefined;
        }
        if (gatheredLength > 0 && flushGathered())
            return problem;
        return scanChunk(plainBytes(given), false);
    }
    /**
     * Scan the chunks gathered so far; true when that ended the answer with a problem. Inside
     * `releases` they are scanned together; once `releases` has ended, the rest chunk by chunk,
     * where each chunk ended as it came.
     */
    function flushGathered() {
        const length = gatheredLength;
        const count = gatheredChunks;
        gatheredLength = 0;
        gatheredChunks = 0;
        if (length === 0)
            return false;
        const bytes = gathered;
        const ends = gatheredEnds;
        let at = 0;
        let k = 0;
        while (at < length) {
            if (inReleases) {
                if (scanChunk(bytes.subarray(at, length), true))
                    return true;
                at += scannedTo;
                while (k < count && ends[k] <= at)
                    k++;
            }
            else {
                const end = ends[k++];
                if (scanChunk(bytes.subarray(at, end), false))
                    return true;
                at = end;
            }
        }
        return false;
    }
    /**
     * Scan the next chunk of the answer (its bytes are not looked at once this returns). With
     * `untilReleasesEnd`, it stops right after the `}` that ends `releases`, as if the chunk
     * ended there; `scannedTo` says where it stopped.
     */
    function scanChunk(chunk, untilReleasesEnd) {
        let n = chunk.length;
        keepFrom = 0;
        strFrom = 0;
        scalarFrom = 0;
        windowTo = -1;
        fastStop = -1;
        let i = 0;
        scan: while (i < n) {
            if (untilReleasesEnd && !inReleases) {
                // Only the byte machine closes `releases`, one byte a turn: this is the byte after it.
                n = i;
                break;
            }
            // Not again where it just stopped: it would stop there again at once.
            if (depth >= 2 && state !== S_STRING && state !== S_SCALAR && i !== fastStop) {
                const next = wasm ? fastTokensWasm(wasm, chunk, i, n) : fastTokens(chunk, i, n);
                if (next !== i) {
                    i = next;
                    continue;
                }
            }
            let c = chunk[i];
            if (state === S_STRING) {
                const end = scanString(chunk, i, n);
                if (end === INSIDE)
                    break;
                if (end < 0 || endString(chunk, end))
                    return problem;
                i = end;
                continue;
            }
            if (state === S_SCALAR) {
                while (isScalarByte(c)) {
                    if (++i === n)
                        break scan;
                    c = chunk[i];
                }
                if (endScalar(chunk, i))
                    return problem;
                // c is looked at again below, in the new state
            }
            if (isSpace(c)) {
                i++;
                continue;
            }
            let failed;
            switch (state) {
                case S_VALUE:
                    failed = startValue(c, chunk, i);
                    break;
                case S_FIRST_ITEM:
                    failed = c === 0x5d ? close(c, chunk, i) : startValue(c, chunk, i);
                    break;
                case S_AFTER:
                    if (c === 0x2c)
                        state = stack[depth] === OBJECT ? S_KEY : S_VALUE;
                    else if (c === 0x7d || c === 0x5d)
                        failed = close(c, chunk, i);
                    else
                        failed = notJson(base + i, `an unexpected \`${String.fromCharCode(c)}\` after a value`);
                    break;
                case S_FIRST_KEY:
                case S_KEY:
                    if (c === Q)
                        beginKey(i);
                    else if (c === 0x7d && state === S_FIRST_KEY)
                        failed = close(c, chunk, i);
                    else
                        failed = notJson(base + i, "a missing key");
                    break;
                case S_COLON:
                    if (c === 0x3a)
                        state = S_VALUE;
                    else
                        failed = notJson(base + i, "a missing `:`");
                    break;
                default:
                    failed = notJson(base + i, "text after the end");
            }
            if (failed)
                return failed;
            i++;
        }
        // The chunk ends inside something: carry its bytes over.
        if (state === S_STRING && capturing)
            capture(chunk, strFrom, n);
        if (state === S_SCALAR && !appendScalar(chunk, scalarFrom, n))
            return problem;
        if (depth >= 1 &&
            topIsObject &&
            topRole === KEEP &&
            (depth > 1 || state === S_STRING || state === S_SCALAR)) {
            if (keep(chunk, keepFrom, n))
                return problem;
        }
        base += n;
        scannedTo = n;
        return undefined;
    }
    function end() {
        if (problem || flushGathered())
            return problem;
        if (state === S_SCALAR && depth === 0) {
            if (endScalar(scalarBuf, 0))
                return problem;
        }
        if (state !== S_DONE) {
            const empty = depth === 0 && state === S_VALUE;
            return notJson(base, empty ? "an empty body" : "the text ends early");
        }
        const info = kept.get("info");
        if (!topIsObject || !answer_stream_isRecord(info)) {
            return {
                code: "answer-no-info",
                message: "the package index answered JSON without an `info` object",
            };
        }
        const version = typeof info.version === "string" ? info.version : undefined;
        return {
            info,
            urls: kept.get("urls"),
            ownership: kept.get("ownership"),
            lastSerial: kept.get("last_serial"),
            releases,
            versionFirstUploadMs: version === undefined ? undefined : releases?.get(version)?.firstUploadMs,
            latestUploadMs,
            yankedVersions: allYankedVersions(releases),
            bytesRead: base,
        };
    }
    return { push, end };
}

;// CONCATENATED MODULE: ./src/pypi/indexes.ts
// Where a dependency's metadata is looked up. A dependency whose lockfile names an index other
// than PyPI is never asked for on `pypi-url` (that would judge a public project that merely
// shares the name, and tell the public index the private name). It is asked for on its own
// index when that index serves the PyPI JSON API: an `index-urls` entry says where, else an
// index URL ending in `/simple` maps to `/pypi/<name>/json` on the same base (devpi,
// Artifactory, Nexus, pypiserver-style servers). Otherwise it is not looked up at all.


/** The reason a private-index package is not looked up, as reports show it. */
function noApiReason(host) {
    return `from the private index ${host}; no JSON API configured`;
}
/** The URL with `user:password@` removed (`withoutUserinfo`): safe to print, log, cache or report. */
const stripCredentials = withoutUserinfo;
/** Comparable form of an index URL (`indexIdentity`): the routing's key. */
const indexKey = indexIdentity;
function indexes_hostOf(url) {
    try {
        return new URL(stripCredentials(url)).host;
    }
    catch {
        // Not a URL a parser reads (a raw `/` in a password, say): hidden up to its last `@`.
        return redactUrl(stripCredentials(url)).slice(0, 100);
    }
}
/** `Authorization` from a URL's userinfo (Basic) or the token (Bearer); undefined for neither. */
function authorizationFor(url, token) {
    try {
        const u = new URL(url);
        if (u.username !== "" || u.password !== "") {
            const user = decodeURIComponent(u.username);
            const pass = decodeURIComponent(u.password);
            return `Basic ${Buffer.from(`${user}:${pass}`, "utf8").toString("base64")}`;
        }
    }
    catch {
        // not a URL: no userinfo
    }
    return token ? `Bearer ${token}` : undefined;
}
/**
 * Build the routing once per run: `target(index)` says where a dependency from `index` (undefined:
 * PyPI) is looked up. Credentials go only to indexes the options name (`index-urls`): a lockfile
 * in a pull request cannot make the token travel to a host of its choosing.
 */
function createIndexRouting(routing) {
    const mapping = new Map();
    for (const entry of routing.indexUrls) {
        const parsed = parseIndexUrlEntry(entry);
        if (!("error" in parsed))
            mapping.set(indexKey(parsed.from), parsed.to);
    }
    const cache = new Map();
    return (index) => {
        if (index === undefined)
            return { kind: "api", baseUrl: routing.pypiUrl };
        const key = indexKey(index);
        let target = cache.get(key);
        if (target)
            return target;
        const host = indexes_hostOf(index);
        const mapped = mapping.get(key);
        if (mapped !== undefined) {
            const authorization = authorizationFor(mapped, routing.indexToken);
            target = {
                kind: "api",
                baseUrl: stripCredentials(mapped).replace(/\/+$/, ""),
                privateHost: host,
                ...(authorization ? { authorization } : {}),
            };
        }
        else if (/^https?:\/\//i.test(index) && /\/simple\/?$/i.test(stripCredentials(index))) {
            const base = stripCredentials(index.trim()).replace(/\/simple\/?$/i, "");
            target = { kind: "api", baseUrl: `${base}/pypi`, privateHost: host, guessed: true };
        }
        else {
            target = { kind: "none", host, reason: noApiReason(host) };
        }
        cache.set(key, target);
        return target;
    };
}

;// CONCATENATED MODULE: ./src/pypi/client.ts






/** Where people can read what this client is and why it asks. */
const PROJECT_URL = "https://github.com/maintainer-domain-guard/maintainer-domain-guard";
/** The User-Agent sent to the package index and to RDAP servers. */
function userAgent() {
    return `${version/* TOOL_NAME */.l}/${version/* VERSION */.x} (+${PROJECT_URL})`;
}
function failed(name, error, errorCode) {
    return errorCode
        ? { name, status: "error", error, errorCode, emails: [] }
        : { name, status: "error", error, emails: [] };
}
function parseMaxAge(header) {
    if (!header)
        return undefined;
    if (/(?:^|,)\s*(?:no-store|no-cache|private)\b/i.test(header))
        return 0;
    const match = /(?:^|,)\s*(?:s-maxage|max-age)\s*=\s*"?(\d{1,10})"?/i.exec(header);
    return match ? Number(match[1]) : undefined;
}
function client_isRecord(value) {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}
function client_readOwnership(value) {
    if (!client_isRecord(value))
        return undefined;
    const roles = [];
    if (Array.isArray(value.roles)) {
        for (const r of value.roles.slice(0, 200)) {
            if (client_isRecord(r) && typeof r.role === "string" && typeof r.user === "string") {
                roles.push({ role: r.role, user: r.user });
            }
        }
    }
    const organization = typeof value.organization === "string" ? value.organization : undefined;
    return organization ? { organization, roles } : { roles };
}
/** Upload times (milliseconds) of a list of release files; unreadable stamps are left out. */
function uploadTimes(files) {
    if (!Array.isArray(files))
        return [];
    const out = [];
    for (const file of files.slice(0, 10_000)) {
        if (!client_isRecord(file))
            continue;
        const stamp = file.upload_time_iso_8601 ?? file.upload_time;
        if (typeof stamp !== "string")
            continue;
        const ms = uploadMs(stamp);
        if (Number.isFinite(ms))
            out.push(ms);
    }
    return out;
}
const iso = (ms) => new Date(ms).toISOString();
/**
 * Dates of the answer. `lastReleaseAt`: when the latest release (PyPI's highest non-yanked final
 * release, `info.version`) was published, the earliest upload of its files (`urls[]`); when those
 * carry no upload time (a release without files), the same release in the deprecated `releases`
 * map, and failing that the most recent upload of any release. `lastUploadAt`: the latest upload
 * of any file of any release (a later pre-release, a fix-up wheel), with the release it belongs to.
 */
function releaseDates(answer, version) {
    const out = {};
    const own = uploadTimes(answer.urls);
    if (own.length > 0)
        out.lastReleaseAt = iso(Math.min(...own));
    else if (answer.versionFirstUploadMs !== undefined)
        out.lastReleaseAt = iso(answer.versionFirstUploadMs);
    else if (answer.latestUploadMs !== undefined)
        out.lastReleaseAt = iso(answer.latestUploadMs);
    let latest = own.length > 0 ? Math.max(...own) : undefined;
    let latestVersion = latest !== undefined ? version : undefined;
    // forEach, not for…of: see `allYankedVersions`.
    answer.releases?.forEach((summary, v) => {
        const ms = summary.lastUploadMs;
        if (ms !== undefined && (latest === undefined || ms > latest)) {
            latest = ms;
            latestVersion = v;
        }
    });
    // A later upload in a release past the versions kept (an answer of over 100,000 of them):
    // its date counts, though which release it belongs to is not known.
    if (answer.latestUploadMs !== undefined &&
        (latest === undefined || answer.latestUploadMs > latest)) {
        latest = answer.latestUploadMs;
        latestVersion = undefined;
    }
    if (latest !== undefined) {
        out.lastUploadAt = iso(latest);
        if (latestVersion !== undefined && latestVersion.length <= 200)
            out.lastUploadVersion = latestVersion;
    }
    return out;
}
/** PackageMeta from a project answer read by the streaming reader. */
function metaFromAnswer(name, answer) {
    const info = answer.info;
    const meta = { name, status: "ok", emails: extractEmails(info) };
    if (typeof info.version === "string" && info.version.length <= 200)
        meta.latestVersion = info.version;
    Object.assign(meta, releaseDates(answer, meta.latestVersion));
    const ownership = client_readOwnership(answer.ownership);
    if (ownership)
        meta.ownership = ownership;
    meta.links = extractLinks(info);
    return meta;
}
function problemMeta(name, problem, size) {
    let error = problem.message;
    if (problem.code === "answer-too-large" && size) {
        const wire = size.wireBytes !== undefined ? `, ${formatSize(size.wireBytes)} sent` : "";
        error = `${error} (read ${formatSize(size.decodedBytes)} decoded${wire})`;
    }
    return failed(name, error, problem.code);
}
function formatSize(bytes) {
    const mib = bytes / (1024 * 1024);
    return mib >= 1 ? `${+mib.toFixed(1)} MiB` : `${+(bytes / 1024).toFixed(1)} KiB`;
}
/**
 * Read a PyPI JSON API answer (text) into PackageMeta. `name` is the normalised name asked for.
 * A body that is not the expected shape is an `error` for this package only.
 */
function readPackageJson(name, body) {
    const scanner = createAnswerScanner(DEFAULT_ANSWER_LIMITS);
    const problem = scanner.push(new TextEncoder().encode(body));
    const answer = problem ?? scanner.end();
    return isAnswerProblem(answer) ? problemMeta(name, answer) : metaFromAnswer(name, answer);
}
/** Answers sent with a Content-Length up to this (compressed or not) count as small. */
const SMALL_ANSWER_WIRE_BYTES = 256 * 1024;
/**
 * Read a 2xx answer as a stream: `releases` is skipped, not built; the rest is capped (5 MiB)
 * and the whole answer too (256 MiB decoded). A Content-Length past the total cap is refused
 * before reading.
 */
function streamAnswer(limits) {
    return async (response) => {
        const declared = Number(response.headers.get("content-length") ?? NaN);
        const wireBytes = Number.isFinite(declared) && declared >= 0 ? declared : undefined;
        const sized = (decodedBytes) => wireBytes === undefined ? { decodedBytes } : { wireBytes, decodedBytes };
        if (wireBytes !== undefined && wireBytes > limits.maxTotalBytes) {
            await response.cancel();
            const answer = {
                code: "answer-too-large",
                message: `the index answer is larger than ${formatSize(limits.maxTotalBytes)}`,
                bytes: wireBytes,
            };
            return { answer, size: sized(0) };
        }
        // A small answer (most are) is parsed whole; a large or unsized one is scanned as it comes.
        const small = wireBytes !== undefined && wireBytes <= SMALL_ANSWER_WIRE_BYTES;
        const read = { bytes: 0 };
        const answer = await readProjectAnswer(response.body, limits, {
            ...(small ? { holdUpTo: SMALL_ANSWER_BYTES } : {}),
            read,
        });
        // The decoded bytes read, also when the answer was refused part way (not JSON, `info` too large).
        return { answer, size: sized(answer_stream_isAnswerProblem(answer) ? read.bytes : answer.bytesRead) };
    };
}
function validatorsOf(headers) {
    const v = {};
    const etag = headers.get("etag");
    const lastModified = headers.get("last-modified");
    const serial = headers.get("x-pypi-last-serial");
    if (etag && etag.length <= 512)
        v.etag = etag;
    if (lastModified && lastModified.length <= 100)
        v.lastModified = lastModified;
    if (serial && /^\d{1,20}$/.test(serial))
        v.lastSerial = serial;
    return Object.keys(v).length > 0 ? v : undefined;
}
function requestHeaders(opts) {
    const headers = {};
    if (opts.authorization)
        headers.authorization = opts.authorization;
    const v = opts.revalidate?.validators;
    if (v?.etag)
        headers["if-none-match"] = v.etag;
    if (v?.lastModified)
        headers["if-modified-since"] = v.lastModified;
    return Object.keys(headers).length > 0 ? headers : undefined;
}
/** The cache hints of an answer (a 200 or a 304). */
function hints(result, previous) {
    const maxAgeSeconds = parseMaxAge(result.headers.get("cache-control"));
    // A 304 may leave out validators (or send only some, such as the serial): those it does not
    // send still hold.
    const fresh = validatorsOf(result.headers);
    const validators = previous || fresh ? { ...previous, ...fresh } : undefined;
    return {
        ...(maxAgeSeconds === undefined ? {} : { maxAgeSeconds }),
        ...(validators ? { validators } : {}),
    };
}
/**
 * Fetch one package's metadata. The name must be a PEP 508 name before it reaches a URL; it
 * is sent normalised and percent-encoded. 404 -> `not-found`; 304 (to a revalidation) -> the
 * cached entry, refreshed; any other failure -> `error` with the reason and a code. Never throws.
 */
async function fetchPackageEntry(rawName, opts) {
    const name = normalizeName(rawName);
    if (!isValidName(rawName)) {
        return { meta: failed(name, "the name is not a valid Python package name (PEP 508)") };
    }
    const url = `${opts.baseUrl.replace(/\/+$/, "")}/${encodeURIComponent(name)}/json`;
    const headers = requestHeaders(opts);
    // The scanner's optimised code is made while the first request is in flight (a run that asks
    // the index nothing never pays for it).
    prepareAnswerScanner();
    const result = await opts.http.get(url, {
        kind: "pypi",
        accept: "application/json",
        ...(opts.concurrency ? { concurrency: { key: "pypi", limit: opts.concurrency } } : {}),
        ...(headers ? { headers } : {}),
        ...(opts.redirectAllowed ? { redirectAllowed: opts.redirectAllowed } : {}),
        consume: streamAnswer(opts.limits ?? answer_stream_DEFAULT_ANSWER_LIMITS),
    });
    if (!result.ok) {
        if (result.status === 404 || result.status === 410) {
            return { meta: { name, status: "not-found", emails: [] } };
        }
        const status = result.status ? ` (HTTP ${result.status})` : "";
        return { meta: failed(name, `the package index could not be read${status}: ${result.error}`) };
    }
    if (result.status === 304 && opts.revalidate) {
        const { cached: _cached, ...meta } = opts.revalidate.meta;
        return { meta, notModified: true, ...hints(result, opts.revalidate.validators) };
    }
    const streamed = result.value;
    if (!streamed) {
        return { meta: failed(name, "the package index answered without a body", "answer-not-json") };
    }
    const { answer, size } = streamed;
    const ms = result.ms === undefined ? {} : { ms: result.ms };
    if (answer_stream_isAnswerProblem(answer))
        return { meta: problemMeta(name, answer, size), size, ...ms };
    return { meta: metaFromAnswer(name, answer), size, ...ms, ...hints(result) };
}
/** The reason code of a package from a private index that has no JSON API to ask. */
const PRIVATE_INDEX_NO_API = "private-index-no-api";
/**
 * Look a package up where its lockfile says it comes from (see `createIndexRouting`): PyPI, or a
 * private index's JSON API with its credentials; or not at all, as `skipped` with the reason,
 * when the private index has no JSON API to ask. A private name never reaches `pypi-url`.
 */
async function lookUpPackage(name, target, opts) {
    if (target.kind === "none") {
        return {
            meta: {
                name: normalizeName(name),
                status: "skipped",
                error: target.reason,
                errorCode: PRIVATE_INDEX_NO_API,
                emails: [],
            },
        };
    }
    const entry = await fetchPackageEntry(name, {
        ...opts,
        baseUrl: target.baseUrl,
        ...(target.authorization ? { authorization: target.authorization } : {}),
        // A private name stays on its own index: a redirect to another origin (pypi-url, say) is
        // not followed, and the lookup fails with where it was sent.
        ...(target.privateHost !== undefined ? { redirectAllowed: sameOriginAs(target.baseUrl) } : {}),
    });
    // A guessed API (`/simple` -> `/pypi/<name>/json`) that answers 404, refuses or sends no
    // JSON says nothing about the package: the index has no JSON API there. Not checked.
    if (target.guessed && target.privateHost !== undefined && isNoApiAnswer(entry.meta)) {
        return {
            meta: {
                name: entry.meta.name,
                status: "skipped",
                error: noApiReason(target.privateHost),
                errorCode: PRIVATE_INDEX_NO_API,
                emails: [],
            },
        };
    }
    return entry;
}
/** Redirects that stay on the origin of `base`. */
function sameOriginAs(base) {
    let origin;
    try {
        origin = new URL(base).origin;
    }
    catch {
        origin = undefined;
    }
    return (_from, to) => origin !== undefined && to.origin === origin;
}
function isNoApiAnswer(meta) {
    if (meta.status === "not-found")
        return true;
    if (meta.status !== "error")
        return false;
    if (meta.errorCode === "answer-not-json" || meta.errorCode === "answer-no-info")
        return true;
    return /\(HTTP (?:401|403|405|406)\)/.test(meta.error ?? "");
}
/** `fetchPackageEntry` without the cache hint. */
async function fetchPackage(name, opts) {
    return (await fetchPackageEntry(name, opts)).meta;
}

// EXTERNAL MODULE: external "node:dns/promises"
var external_node_dns_promises_ = __webpack_require__(1553);
;// CONCATENATED MODULE: ./src/rdap/dns.ts
// The DNS cross-check before calling a domain unregistered: does the parent zone delegate it?
// An NS answer means the domain exists whatever RDAP said; NXDOMAIN or an empty answer means
// no delegation; anything else (timeout, refused, SERVFAIL) means DNS could not be consulted.

/**
 * A promise that rejects with an ETIMEOUT-coded error after `timeoutMs`, or at once when the
 * signal aborts (then also cancelling the resolver's queries, so no socket outlives the scan).
 * `done()` clears both.
 */
function budgetOf(resolver, options, message) {
    let timer;
    let onAbort;
    const budget = new Promise((_, reject) => {
        const fail = (code, text) => reject(Object.assign(new Error(text), { code }));
        timer = setTimeout(() => fail("ETIMEOUT", message), options.timeoutMs);
        const signal = options.signal;
        if (signal) {
            onAbort = () => {
                resolver.cancel();
                fail("ESTOPPED", "the scan stopped before DNS answered");
            };
            if (signal.aborted)
                onAbort();
            else
                signal.addEventListener("abort", onAbort, { once: true });
        }
    });
    return {
        budget,
        done: () => {
            clearTimeout(timer);
            if (onAbort)
                options.signal?.removeEventListener("abort", onAbort);
        },
    };
}
/** Error codes of node:dns that mean "the name has no NS records". */
const NO_DELEGATION_CODES = new Set(["ENOTFOUND", "ENODATA"]);
/** Ask for the NS records of `domain` (already reduced to its registrable domain). Never throws. */
async function checkDelegation(domain, options) {
    let resolver;
    try {
        // The resolver doubles its timeout on the second try: t + 2t stays within the budget.
        resolver = new external_node_dns_promises_.Resolver({ timeout: Math.max(1, Math.floor(options.timeoutMs / 3)), tries: 2 });
        if (options.server)
            resolver.setServers([options.server]);
    }
    catch {
        return "not-consulted";
    }
    const { budget, done } = budgetOf(resolver, options, "budget");
    try {
        const records = await Promise.race([resolver.resolveNs(domain.replace(/\.$/, "")), budget]);
        return records.length > 0 ? "delegated" : "no-delegation";
    }
    catch (error) {
        const code = error.code;
        return code && NO_DELEGATION_CODES.has(code) ? "no-delegation" : "not-consulted";
    }
    finally {
        done();
        resolver.cancel();
    }
}
/**
 * Ask for the MX records of `domain`: the exchanges, most preferred first. A name with no MX
 * records (NODATA) or no name at all (NXDOMAIN) answers with none: mail then goes to the domain
 * itself (RFC 5321), which is checked already. Timeouts, refusals and SERVFAIL are failures.
 * Never throws.
 */
async function lookUpMx(domain, options) {
    let resolver;
    try {
        resolver = new external_node_dns_promises_.Resolver({ timeout: Math.max(1, Math.floor(options.timeoutMs / 3)), tries: 2 });
        if (options.server)
            resolver.setServers([options.server]);
    }
    catch (error) {
        return { ok: false, error: error.message, errorCode: "dns-config" };
    }
    const { budget, done } = budgetOf(resolver, options, "no answer in time");
    try {
        const records = await Promise.race([resolver.resolveMx(domain.replace(/\.$/, "")), budget]);
        const sorted = [...records].sort((a, b) => a.priority - b.priority);
        return { ok: true, exchanges: sorted.map((r) => r.exchange) };
    }
    catch (error) {
        const code = error.code ?? "EUNKNOWN";
        if (NO_DELEGATION_CODES.has(code))
            return { ok: true, exchanges: [] };
        return { ok: false, error: mxErrorText(code, options), errorCode: `dns-${code.toLowerCase()}` };
    }
    finally {
        done();
        resolver.cancel();
    }
}
function mxErrorText(code, options) {
    const server = options.server ?? "the system resolver";
    switch (code) {
        case "ETIMEOUT":
            return `the MX query to ${server} got no answer within ${options.timeoutMs} ms`;
        case "ESERVFAIL":
            return `the MX query to ${server} failed (SERVFAIL)`;
        case "EREFUSED":
            return `${server} refused the MX query`;
        case "ECONNREFUSED":
            return `${server} is not reachable (connection refused)`;
        case "ESTOPPED":
        case "ECANCELLED":
            return `the scan stopped before ${server} answered the MX query`;
        default:
            return `the MX query to ${server} failed (${code})`;
    }
}

// EXTERNAL MODULE: ./node_modules/rdapper/dist/index.mjs
var rdapper_dist = __webpack_require__(7359);
;// CONCATENATED MODULE: ./src/rdap/supplement.ts
// RDAP servers of ccTLD registries that run RDAP but are missing from IANA's bootstrap file.
// Merged under the bootstrap at load time; where IANA lists a TLD, IANA's entry wins.
// Sources: the registries' published RDAP endpoints as collected by public client-side
// override lists (2025-11 and 2026-01); a TLD that later joins IANA's file is taken from there.
const RDAP_SUPPLEMENT = {
    de: "https://rdap.denic.de/",
    ch: "https://rdap.nic.ch/",
    li: "https://rdap.nic.li/",
    co: "https://rdap.registry.co/co/",
    us: "https://rdap.nic.us/",
    my: "https://rdap.mynic.my/rdap/",
    gl: "https://rdap.centralnic.com/gl/",
    bh: "https://rdap.centralnic.com/bh/",
    io: "https://rdap.identitydigital.services/rdap/",
    ac: "https://rdap.identitydigital.services/rdap/",
    sh: "https://rdap.identitydigital.services/rdap/",
    me: "https://rdap.identitydigital.services/rdap/",
    ag: "https://rdap.identitydigital.services/rdap/",
    bz: "https://rdap.identitydigital.services/rdap/",
    lc: "https://rdap.identitydigital.services/rdap/",
    mn: "https://rdap.identitydigital.services/rdap/",
    pr: "https://rdap.identitydigital.services/rdap/",
    sc: "https://rdap.identitydigital.services/rdap/",
    vc: "https://rdap.identitydigital.services/rdap/",
};

;// CONCATENATED MODULE: ./src/rdap/client.ts
// RDAP verdicts: the bootstrap (IANA's file plus a supplement), rdapper's lookup routed through
// our HttpClient, and the reading of the registry's answer into a DomainVerdict.
// A failure is always `unknown` with a reason code, never a state that could become a finding.








/** How long one DNS try may take when the caller gives no DNS timeout (milliseconds). */
const DNS_TIMEOUT_CAP_MS = 5_000;
function isStringArray(value) {
    return Array.isArray(value) && value.every((x) => typeof x === "string");
}
/** Check the RFC 9224 shape and keep only well-formed services with http(s) URLs. */
function readBootstrap(text, source) {
    let json;
    try {
        json = JSON.parse(text);
    }
    catch (error) {
        return { ok: false, error: `${source}: not JSON (${error.message})` };
    }
    if (json === null || typeof json !== "object" || Array.isArray(json)) {
        return { ok: false, error: `${source}: not an RDAP bootstrap file (expected a JSON object)` };
    }
    const obj = json;
    if (!Array.isArray(obj.services)) {
        return { ok: false, error: `${source}: not an RDAP bootstrap file (no "services" list)` };
    }
    const services = [];
    for (const entry of obj.services) {
        if (!Array.isArray(entry) || entry.length < 2)
            continue;
        const [tlds, urls] = entry;
        if (!isStringArray(tlds) || !isStringArray(urls))
            continue;
        const good = urls.filter((u) => /^https?:\/\//i.test(u));
        if (tlds.length === 0 || good.length === 0)
            continue;
        services.push([tlds.map((t) => t.toLowerCase()), good]);
    }
    if (services.length === 0) {
        return { ok: false, error: `${source}: the bootstrap file lists no usable RDAP services` };
    }
    return {
        ok: true,
        data: {
            version: typeof obj.version === "string" ? obj.version : "1.0",
            publication: typeof obj.publication === "string" ? obj.publication : "",
            ...(typeof obj.description === "string" ? { description: obj.description } : {}),
            services,
        },
    };
}
/** Add the supplement's TLDs that the bootstrap does not list (the bootstrap wins where both do). */
function withSupplement(data, supplement = RDAP_SUPPLEMENT) {
    const listed = new Set(data.services.flatMap((s) => (s[0] ?? []).map((t) => t.toLowerCase())));
    const byUrl = new Map();
    for (const [tld, url] of Object.entries(supplement)) {
        if (listed.has(tld))
            continue;
        byUrl.set(url, [...(byUrl.get(url) ?? []), tld]);
    }
    const extra = [...byUrl].map(([url, tlds]) => [tlds, [url]]);
    return { ...data, services: [...data.services, ...extra] };
}
/**
 * Load the bootstrap once per run from a URL (through `http`, kind `bootstrap`) or a file
 * (relative to `cwd`), and merge the supplement. Never throws.
 */
async function loadBootstrap(source, http, cwd) {
    let text;
    if (/^https?:\/\//i.test(source)) {
        const result = await http.get(source, { kind: "bootstrap", accept: "application/json" });
        if (!result.ok)
            // The result's URL, not `source`: it has the credentials of `user:password@` taken out.
            return { ok: false, error: `RDAP bootstrap ${result.url}: ${result.error} [${result.code}]` };
        text = result.body;
    }
    else {
        const path = (0,external_node_path_.resolve)(cwd, source);
        try {
            const info = await (0,promises_.stat)(path);
            if (!info.isFile())
                return { ok: false, error: `RDAP bootstrap ${path}: not a file` };
            if (info.size > DEFAULT_MAX_BODY_BYTES) {
                return {
                    ok: false,
                    error: `RDAP bootstrap ${path}: ${info.size} bytes is over the ${DEFAULT_MAX_BODY_BYTES}-byte limit`,
                };
            }
            text = await (0,promises_.readFile)(path, "utf8");
        }
        catch (error) {
            return {
                ok: false,
                error: `RDAP bootstrap ${path}: ${error.code ?? error.message}`,
            };
        }
    }
    const read = readBootstrap(text, `RDAP bootstrap ${source}`);
    return read.ok ? { ok: true, data: withSupplement(read.data) } : read;
}
/**
 * Whether a request's final URL (after redirects) is still the asked server's operator: the
 * same host, or a host under the same registrable domain (`rdap.verisign.com` to
 * `rdap-pilot.verisign.com`). A registry does not hand its answers to another party's server.
 */
function sameOperator(asked, answered) {
    let a;
    let b;
    try {
        a = new URL(asked);
        b = new URL(answered);
    }
    catch {
        return false;
    }
    if (a.hostname === b.hostname)
        return true;
    const da = (0,cjs/* parse */.qg)(a.hostname).domain;
    return da !== null && da !== undefined && da === (0,cjs/* parse */.qg)(b.hostname).domain;
}
/** The `errorCode` of an RDAP error body, when it is JSON that carries one. */
function errorCodeOf(body) {
    try {
        const doc = JSON.parse(body);
        return doc !== null && typeof doc === "object" && !Array.isArray(doc)
            ? doc.errorCode
            : undefined;
    }
    catch {
        return undefined;
    }
}
function hostOfUrl(url) {
    try {
        return new URL(url).host;
    }
    catch {
        return url.slice(0, 100);
    }
}
/**
 * Event actions compare as the registry's words, whatever the case, spacing, hyphens or
 * camelCase: only the letters count (`Expiration`, `last  changed`, `Record expires`,
 * `registrarExpiration`, `re-registration`, `reRegistration` and `reregistration` alike).
 */
function eventActionKey(action) {
    return action.toLowerCase().replace(/[\s_-]+/g, "");
}
/**
 * The event actions that carry a domain's expiry, in the order they are preferred: the
 * registry's own `expiration`, then the names other servers use for it (`.kg` publishes
 * `record expires`, `.is` `soft expiration`: the day an unpaid domain stops working; registrar
 * answers may carry only `registrar expiration`).
 */
const EXPIRY_ACTIONS = [
    "expiration",
    "expiration date",
    "record expires",
    "soft expiration",
    "registrar expiration",
];
/**
 * An RDAP event date as ISO 8601 (UTC), accepting what registries really send: `Z`, fractions of
 * any length, `+00:00`, `+0000` without a colon, a space instead of `T`, and no zone (read as
 * UTC). Undefined when it is not a date.
 */
function parseRdapDate(value) {
    if (typeof value !== "string")
        return undefined;
    const m = /^\s*(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?\s*$/.exec(value);
    if (!m)
        return undefined;
    const [, y, mo, d, h = "00", mi = "00", s = "00", frac = "", zone = "Z"] = m;
    const ms = (frac + "000").slice(0, 3);
    let offset = "Z";
    if (zone.toUpperCase() !== "Z") {
        const digits = zone.slice(1).replace(":", "");
        offset = `${zone[0]}${digits.slice(0, 2)}:${(digits.slice(2) || "00").padEnd(2, "0")}`;
    }
    // Date.parse moves an impossible day on (`02-30` to March 1st, `24:00` to the next day): a
    // date the calendar does not have is not a date.
    const [year, month, day] = [Number(y), Number(mo), Number(d)];
    const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
    if (month < 1 || month > 12 || day < 1 || day > daysInMonth)
        return undefined;
    if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 59)
        return undefined;
    const time = Date.parse(`${y}-${mo}-${d}T${h}:${mi}:${s}.${ms}${offset}`);
    if (Number.isNaN(time))
        return undefined;
    return new Date(time).toISOString();
}
/** Whether a link is the RDAP `related` link (RFC 9083 §4.2, RFC 9224's type). */
function isRdapRelated(link) {
    const rel = typeof link.rel === "string" ? link.rel.trim().toLowerCase() : "";
    const type = typeof link.type === "string" ? link.type.split(";")[0].trim().toLowerCase() : "";
    return rel === "related" && type === "application/rdap+json" && typeof link.href === "string";
}
/**
 * Read a registry's RDAP domain object (RFC 9083) into what the registry said: statuses, the
 * domain's own top-level event dates (never an entity's: a registrar entity's `registrar
 * expiration` is not the domain's), and the registrar link. No judgement: whether that amounts
 * to expired or on hold is the assessment's call. Anything that is not a domain object for
 * `domain` is refused (`ok: false`), never guessed at; the name is compared through
 * `canonicalDomain` (ASCII, lower case, no trailing dot).
 */
function readRdapDomain(domain, raw) {
    if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
        return { ok: false, error: "the answer is not an RDAP object" };
    }
    const obj = raw;
    if (obj.objectClassName !== undefined && typeof obj.objectClassName !== "string") {
        return {
            ok: false,
            error: "the answer's objectClassName is not a string: not an RDAP domain object",
        };
    }
    const klass = obj.objectClassName?.toLowerCase();
    if (klass !== undefined && klass !== "domain") {
        return {
            ok: false,
            error: `the answer is an RDAP "${obj.objectClassName}" object, not a domain`,
        };
    }
    if (obj.errorCode !== undefined) {
        // An RDAP error (RFC 9083 section 6) whatever else it carries: never a domain's record.
        return {
            ok: false,
            error: `the answer is an RDAP error (errorCode ${JSON.stringify(obj.errorCode).slice(0, 20)})`,
        };
    }
    // The answer must say which domain it describes, and it must be the one asked for: an answer
    // about no name, or another, is never judged as this domain's.
    const written = typeof obj.ldhName === "string"
        ? obj.ldhName
        : typeof obj.unicodeName === "string"
            ? obj.unicodeName
            : undefined;
    if (written === undefined) {
        return {
            ok: false,
            error: "the answer names no domain (no ldhName or unicodeName): not read as this domain's record",
        };
    }
    const ldh = canonicalDomain(written);
    if (ldh !== domain) {
        return {
            ok: false,
            error: `the answer describes ${JSON.stringify(ldh.slice(0, 100))}, not ${domain}`,
        };
    }
    // RFC 9083 makes `status` an array; a bare string (seen from some servers) is one status,
    // never none: dropping it could hide a redemption period.
    const statuses = Array.isArray(obj.status)
        ? obj.status.filter((s) => typeof s === "string")
        : typeof obj.status === "string"
            ? [obj.status]
            : [];
    const events = (Array.isArray(obj.events) ? obj.events : []).filter((e) => e !== null &&
        typeof e === "object" &&
        typeof e.eventAction === "string");
    const eventsOf = (action) => events.filter((e) => eventActionKey(e.eventAction) === eventActionKey(action));
    const dateOf = (action) => {
        for (const e of eventsOf(action)) {
            const date = parseRdapDate(e.eventDate);
            if (date)
                return date;
        }
        return undefined;
    };
    const created = dateOf("registration");
    const reregistered = dateOf("reregistration");
    let expires;
    let expiresFrom;
    for (const action of EXPIRY_ACTIONS) {
        expires = dateOf(action);
        if (expires) {
            if (action !== "expiration")
                expiresFrom = action;
            break;
        }
    }
    const registrarExpires = dateOf("registrar expiration");
    const unreadable = expires === undefined ? EXPIRY_ACTIONS.flatMap((a) => eventsOf(a))[0] : undefined;
    const transfers = eventsOf("transfer")
        .map((e) => parseRdapDate(e.eventDate))
        .filter((d) => d !== undefined)
        .sort();
    const transferred = transfers.at(-1);
    const links = (Array.isArray(obj.links) ? obj.links : []).filter((l) => l !== null && typeof l === "object" && !Array.isArray(l));
    const related = links.find(isRdapRelated)?.href;
    return {
        ok: true,
        statuses,
        ...(created ? { created } : {}),
        ...(expires ? { expires } : {}),
        ...(expiresFrom ? { expiresFrom } : {}),
        ...(registrarExpires ? { registrarExpires } : {}),
        ...(reregistered ? { reregistered } : {}),
        ...(transferred ? { transferred } : {}),
        ...(unreadable ? { unreadableExpiry: String(unreadable.eventDate).slice(0, 60) } : {}),
        ...(related ? { relatedLink: related.slice(0, 2000) } : {}),
    };
}
/** The bootstrap's base URLs for a domain: its public suffix, then its last label (as rdapper does). */
function rdapBasesFor(domain, data) {
    const suffix = (0,cjs/* parse */.qg)(domain).publicSuffix ?? domain.split(".").pop() ?? "";
    const find = (tld) => data.services
        .filter((s) => (s[0] ?? []).some((t) => t.toLowerCase() === tld))
        .flatMap((s) => s[1] ?? []);
    const bases = find(suffix);
    return bases.length > 0 || !suffix.includes(".")
        ? bases
        : find(suffix.split(".").pop() ?? suffix);
}
/** Map an HttpClient failure to a verdict reason code. */
function codeFor(result) {
    if (result.code === "http-status")
        return result.status === 403 ? "forbidden" : "http-status";
    return result.code;
}
function baseOf(url) {
    const at = url.lastIndexOf("/domain/");
    return at >= 0 ? url.slice(0, at + 1) : url;
}
/**
 * Whether a 404 error body says the server has no registry for the TLD (a redirector such as
 * one answering "domain x.fr not found in IANA boostrap file") rather than "no such domain".
 */
function isNoRegistryError(body) {
    let value;
    try {
        value = JSON.parse(body);
    }
    catch {
        return false;
    }
    if (value === null || typeof value !== "object" || Array.isArray(value))
        return false;
    const obj = value;
    const description = Array.isArray(obj.description) ? obj.description : [obj.description];
    const text = [obj.title, ...description]
        .filter((x) => typeof x === "string")
        .join(" ")
        .slice(0, 2000);
    return /\bboot?strap\b|\b(?:unsupported|unknown) (?:tld|top[- ]level domain)\b|\bno rdap server\b/i.test(text);
}
function looksLikeJson(body) {
    try {
        const value = JSON.parse(body);
        return value !== null && typeof value === "object";
    }
    catch {
        return false;
    }
}
/**
 * Follow the registry answer's registrar link once: HTTPS only (unless `allowHttp`), to another
 * host than the registry's, through the same HttpClient (caps, retries, pacing per origin).
 * The registrar's answer must describe the same domain; only its top-level `registrar
 * expiration` is taken. Never throws: a failure is said in the record.
 */
async function followRegistrar(domain, link, registryUrl, opts) {
    if (link === undefined) {
        return {
            errorCode: "no-link",
            error: "the registry's answer names no registrar RDAP link (`related`, application/rdap+json)",
        };
    }
    let url;
    try {
        url = new URL(link, registryUrl);
    }
    catch {
        return {
            errorCode: "malformed",
            error: `the registrar link ${JSON.stringify(link.slice(0, 200))} is not a URL`,
        };
    }
    const isAllowedScheme = (u) => u.protocol === "https:" || (opts.allowHttpRegistrar === true && u.protocol === "http:");
    if (!isAllowedScheme(url)) {
        return {
            url: url.href,
            errorCode: "not-https",
            error: `the registrar link is not HTTPS, so it was not followed`,
        };
    }
    let registryHost = "";
    try {
        registryHost = new URL(registryUrl).host;
    }
    catch {
        // an unreadable registry URL cannot equal the link's host
    }
    if (url.host === registryHost) {
        return {
            url: url.href,
            errorCode: "same-host",
            error: "the registrar link points back at the registry's own server",
        };
    }
    const result = await opts.http.get(url.href, {
        kind: "rdap",
        accept: "application/rdap+json, application/json",
        concurrency: { key: url.origin, limit: opts.perOriginConcurrency },
    });
    if (!result.ok)
        return { url: url.href, errorCode: codeFor(result), error: result.error };
    let final;
    try {
        final = new URL(result.url);
    }
    catch {
        final = undefined;
    }
    if (final === undefined || !isAllowedScheme(final)) {
        return {
            url: url.href,
            errorCode: "not-https",
            error: `the registrar's server redirected to a non-HTTPS location`,
        };
    }
    let json;
    try {
        json = JSON.parse(result.body);
    }
    catch {
        return {
            url: url.href,
            errorCode: "malformed",
            error: `the registrar answered ${result.status} with a body that is not RDAP JSON`,
        };
    }
    const reading = readRdapDomain(domain, json);
    if (!reading.ok)
        return { url: url.href, errorCode: "malformed", error: reading.error };
    return {
        url: url.href,
        ...(reading.registrarExpires ? { expires: reading.registrarExpires } : {}),
    };
}
function createRdapChecker(opts) {
    const memo = new Map();
    const stats = { dns: 0 };
    const dnsTimeoutMs = Math.min(opts.timeoutMs, DNS_TIMEOUT_CAP_MS);
    const delegation = opts.checkDelegation ??
        ((domain) => checkDelegation(domain, { server: opts.dnsServer, timeoutMs: dnsTimeoutMs }));
    async function run(domain) {
        const base = { domain, statuses: [], source: "rdap" };
        const checkedAt = () => opts.now().toISOString();
        const unknown = (errorCode, error, server) => ({
            ...base,
            state: "unknown",
            errorCode,
            error,
            ...(server ? { server } : {}),
            checkedAt: checkedAt(),
        });
        if (!domain || !/^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(domain)) {
            return unknown("invalid-domain", `${JSON.stringify(domain.slice(0, 100))} is not a domain name`);
        }
        if (!opts.bootstrap) {
            return unknown("bootstrap-failed", `the RDAP bootstrap could not be loaded: ${opts.bootstrapError ?? "no data"}`);
        }
        const tld = domain.split(".").pop();
        if (rdapBasesFor(domain, opts.bootstrap).length === 0) {
            return unknown("no-rdap", `no RDAP server is known for .${tld} (not in the RDAP bootstrap file)`);
        }
        const seen = [];
        /** A redirect that left the registry's server: its answer is nobody's to judge by. */
        let redirectedAway;
        const customFetch = async (input) => {
            const url = String(input);
            const result = await opts.http.get(url, {
                kind: "rdap",
                accept: "application/rdap+json, application/json",
                concurrency: { key: new URL(url).origin, limit: opts.perOriginConcurrency },
                // A redirect away from the registry's operator is not even asked (see redirectedAway).
                redirectAllowed: (_from, to) => sameOperator(url, to.href),
            });
            seen.push(result);
            if (!sameOperator(url, result.url)) {
                redirectedAway ??= { from: url, to: result.url };
                return new Response("", { status: 502 });
            }
            if (result.ok || result.code === "http-status") {
                const status = result.status ?? 502;
                const nullBody = status === 204 || status === 304;
                return new Response(nullBody ? null : (result.body ?? ""), { status });
            }
            throw new Error(result.error);
        };
        const looked = await (0,rdapper_dist/* lookup */.$I)(domain, {
            rdapOnly: true,
            customBootstrapData: opts.bootstrap,
            rdapFollowLinks: false,
            customFetch,
            // Our HttpClient bounds every request (timeout, retries, waits, deadline); a second timer
            // here would abandon requests still running in the client.
            timeoutMs: Number.POSITIVE_INFINITY,
            includeRaw: true,
        }).catch((error) => ({ ok: false, error: String(error), record: undefined }));
        const last = seen.at(-1);
        const server = last ? baseOf(last.url) : undefined;
        if (redirectedAway) {
            return unknown("redirected-away", `the RDAP server ${new URL(redirectedAway.from).host} redirected to ${hostOfUrl(redirectedAway.to)}, another operator's host: its answer is not taken as the registry's`, baseOf(redirectedAway.from));
        }
        if (!last) {
            return unknown("rdap-error", `RDAP lookup failed before any request: ${looked.error ?? "unknown error"}`);
        }
        // rdapper reads a 200 answer with a "being released" status (`pending release`, `released`,
        // `free`, ...) as not registered: it is the registry's record of a lapsing name, read as such.
        const isReleased = looked.ok &&
            looked.record?.isRegistered === false &&
            last.ok &&
            looked.record.rawRdap !== undefined;
        if (looked.ok && looked.record && looked.record.isRegistered === false && !isReleased) {
            // rdapper reads any 404 as "not registered"; accept it only from an RDAP server's answer.
            if (last.ok || last.status !== 404) {
                return unknown("rdap-error", `unexpected RDAP outcome from ${last.url}`, server);
            }
            const body = (last.body ?? "").trim();
            const type = last.headers?.get("content-type") ?? "";
            if (body !== "" && (!looksLikeJson(body) || /html/i.test(type))) {
                return unknown("malformed", `${last.url} answered 404 with a body that is not an RDAP error (${type || "no content type"}): not treated as "not registered"`, server);
            }
            const said404 = body === "" ? undefined : errorCodeOf(body);
            if (said404 !== undefined && said404 !== 404) {
                // The status line says 404 and the body another error (a 429, a 503): not an answer.
                return unknown("malformed", `${last.url} answered 404 with an RDAP error body saying ${said404}: not treated as "not registered"`, server);
            }
            if (body !== "" && isNoRegistryError(body)) {
                return unknown("no-rdap", `${last.url} answered 404 because it knows no RDAP server for .${tld} (a redirector, not the registry): not treated as "not registered"`, server);
            }
            stats.dns++;
            const dns = await delegation(domain).catch(() => "not-consulted");
            if (dns === "delegated") {
                return {
                    ...unknown("dns-contradicts", "RDAP says not found but DNS delegation exists", server),
                    dns,
                };
            }
            return { ...base, state: "unregistered", server, dns, checkedAt: checkedAt() };
        }
        if (looked.ok && looked.record) {
            const reading = readRdapDomain(domain, looked.record.rawRdap);
            if (!reading.ok)
                return unknown("malformed", `${last.url}: ${reading.error}`, server);
            const { ok: _ok, relatedLink, ...said } = reading;
            const registrar = opts.wantsRegistrar?.(said, opts.now()) === true
                ? await followRegistrar(domain, relatedLink, last.url, opts)
                : undefined;
            return {
                ...base,
                ...said,
                ...(registrar ? { registrar } : {}),
                state: "registered",
                server,
                checkedAt: checkedAt(),
            };
        }
        // A failure: say what the last request saw. Never a registration state.
        if (last.ok) {
            return unknown("malformed", `${last.url} answered ${last.status} with a body that is not RDAP JSON`, server);
        }
        return unknown(codeFor(last), last.error, server);
    }
    return {
        stats,
        check(input) {
            const domain = canonicalDomain(input);
            let pending = memo.get(domain);
            if (!pending) {
                pending = run(domain).catch((error) => ({
                    domain,
                    state: "unknown",
                    statuses: [],
                    errorCode: "rdap-error",
                    error: `RDAP lookup failed: ${String(error)}`,
                    source: "rdap",
                    checkedAt: opts.now().toISOString(),
                }));
                memo.set(domain, pending);
            }
            return pending;
        },
    };
}

;// CONCATENATED MODULE: ./src/assess/order.ts
// The one order of findings: by severity (most severe first), then package, then file and line.
// The assessment sorts once; every reporter shows findings in the order the report holds them.

function cmp(a, b) {
    return a < b ? -1 : a > b ? 1 : 0;
}
/** A sorted copy: severity, package, file, line, then kind and domain so ties are stable. */
function sortFindings(findings) {
    return [...findings].sort((a, b) => compareSeverity(a.severity, b.severity) ||
        cmp(a.package, b.package) ||
        cmp(a.file, b.file) ||
        a.line - b.line ||
        cmp(a.kind, b.kind) ||
        cmp(a.domain ?? "", b.domain ?? ""));
}

;// CONCATENATED MODULE: ./src/assess/risk.ts
// Verdicts + metadata -> findings, then the run's policy (allow-list, fail-on, PR scoping) and
// the exit code. Pure functions: the clock is an argument.





const risk_DAY_MS = 86_400_000;
const risk_day = (iso) => iso?.slice(0, 10);
function risk_label(pkg, version) {
    return version ? `\`${pkg}\` ${version}` : `\`${pkg}\``;
}
function describeStatuses(verdict) {
    return verdict.statuses.length > 0 ? `status ${verdict.statuses.join(", ")}` : "no status";
}
function addressEvidence(email) {
    const written = email.spelledOut ? ` (spelled out as \`${email.spelledOut}\`)` : "";
    return `\`${email.field}\` is \`${email.address}\`${written}`;
}
/**
 * The last time the maintainers are known to have published: the later of the latest release's
 * first upload and the latest upload of any file (a later pre-release or fix-up wheel), and
 * which release that date belongs to.
 */
function lastPublished(meta) {
    const releaseMs = meta.lastReleaseAt ? Date.parse(meta.lastReleaseAt) : NaN;
    const uploadMs = meta.lastUploadAt ? Date.parse(meta.lastUploadAt) : NaN;
    const latest = meta.latestVersion ?? "unknown version";
    if (Number.isFinite(uploadMs) && (!Number.isFinite(releaseMs) || uploadMs > releaseMs)) {
        const version = meta.lastUploadVersion;
        const what = version === undefined
            ? "the latest file upload on"
            : version === meta.latestVersion
                ? `files of the latest release (${version}) were last uploaded`
                : `the latest file upload (release ${version}; the latest release is ${latest}) on`;
        return { ms: uploadMs, at: meta.lastUploadAt, what };
    }
    if (!Number.isFinite(releaseMs))
        return undefined;
    return {
        ms: releaseMs,
        at: meta.lastReleaseAt,
        what: `the latest release (${latest}) was uploaded`,
    };
}
/** ` (from \`record expires\`)` when the expiry came from another event than `expiration`. */
function expirySource(verdict) {
    return verdict.expiresFrom ? ` (from \`${verdict.expiresFrom}\`)` : "";
}
/** What the registrar's record said, when it was wanted: a clause starting with "; ". */
function registrarNote(verdict) {
    const r = verdict.registrar;
    if (!r)
        return "";
    const where = r.url ? ` (${risk_hostOf(r.url)})` : "";
    if (r.error !== undefined || r.errorCode !== undefined) {
        return `; the registrar's record was not used${where}: ${r.error ?? r.errorCode}`;
    }
    if (r.expires)
        return `; the registrar's record${where} gives its term as ending ${risk_day(r.expires)}`;
    return `; the registrar's record${where} gives no \`registrar expiration\``;
}
/** The host of a URL for a sentence; a stored record is untrusted, so anything else is cut text. */
function risk_hostOf(url) {
    try {
        return new URL(String(url)).host;
    }
    catch {
        return String(url).slice(0, 100);
    }
}
/** "RDAP for `x` answered not found and DNS shows no delegation". */
function unregisteredEvidence(domain, verdict) {
    const dns = verdict.dns === "not-consulted"
        ? " (DNS could not be consulted to confirm)"
        : verdict.dns === "no-delegation"
            ? " and DNS shows no delegation"
            : "";
    return `RDAP for \`${domain}\` answered not found${dns}`;
}
function expiredEvidence(v, domain, now) {
    const lapsed = v.statuses.filter(isLapsedStatus);
    const expiry = v.expires ? `, expiry ${risk_day(v.expires)}${expirySource(v)}` : "";
    switch (lapseReason(v, now)) {
        case "registrar-term": {
            const grace = v.statuses.filter(isGraceStatus);
            const anniversary = expiryAnniversary(v.expires, now);
            const registry = grace.length > 0
                ? `status ${grace.join(", ")} (auto-renewed to ${risk_day(v.expires) ?? "an unknown date"})`
                : `expiry ${risk_day(v.expires)}, a year on from the anniversary ${risk_day(anniversary?.toISOString())}`;
            const where = v.registrar?.url ? ` (${risk_hostOf(v.registrar.url)})` : "";
            return `the registry's RDAP for \`${domain}\` reports ${registry}, and the registrar's record${where} says the registrar's term ended ${risk_day(registrarTermOf(v))}`;
        }
        case "status":
            return `RDAP for \`${domain}\` reports status ${lapsed.join(", ")}${expiry}`;
        default:
            return `RDAP for \`${domain}\` reports ${describeStatuses(v)}${expiry}`;
    }
}
function graceEvidence(v, domain, now) {
    const anniversary = expiryAnniversary(v.expires, now);
    const holds = v.statuses.filter(isHoldStatus);
    const when = anniversary
        ? `; the registration reached its anniversary on ${risk_day(anniversary.toISOString())} and the registry moved the expiry to ${risk_day(v.expires)}${expirySource(v)}, paid or not; an unpaid name goes around ${risk_day(new Date(anniversary.getTime() + GRACE_DAYS * risk_DAY_MS).toISOString())}`
        : v.expires
            ? `, expiry ${risk_day(v.expires)}${expirySource(v)}`
            : ", no expiry date";
    const hold = holds.length > 0 ? ` (also ${holds.join(", ")}: mail bounces now)` : "";
    return `RDAP for \`${domain}\` reports status auto renew period${hold}${when}${registrarNote(v)}`;
}
/** The one finding for (package, domain), most severe state first, or none when all is well. */
function judgeDomain(pkg, version, meta, email, domain, verdict, now, expiryWarningDays) {
    const who = risk_label(pkg, version);
    const base = { email, domain };
    if (!verdict || verdict.state === "unknown") {
        const reason = verdict?.error ?? "no verdict was reached";
        return {
            ...base,
            kind: "lookup-failed",
            message: `The maintainer e-mail domain of ${who} could not be checked.`,
            evidence: `${addressEvidence(email)}; the lookup for \`${domain}\` failed: ${reason}.`,
            remediation: FINDING_INFO["lookup-failed"].action,
        };
    }
    if (verdict.state === "unregistered") {
        return {
            ...base,
            kind: "domain-unregistered",
            message: `The maintainer e-mail domain of ${who} is not registered; whoever registers it can reset the PyPI account's password.`,
            evidence: `${addressEvidence(email)}; ${unregisteredEvidence(domain, verdict)}.`,
            remediation: FINDING_INFO["domain-unregistered"].action,
        };
    }
    // A cached verdict may predate a change in how statuses are read: judge it again (idempotent).
    const judged = judgeVerdict(verdict, now);
    if (judged.state === "unknown") {
        // The expiry could not be read, but the registry's record is there: a change of hands it
        // shows is a finding whatever the expiry.
        const changed = reregistration(judged, meta, who, base);
        if (changed)
            return changed;
        return {
            ...base,
            kind: "lookup-failed",
            message: `The maintainer e-mail domain of ${who} could not be checked.`,
            evidence: `${addressEvidence(email)}; the lookup for \`${domain}\` failed: ${judged.error ?? "no verdict was reached"}.`,
            remediation: FINDING_INFO["lookup-failed"].action,
        };
    }
    if (judged.state === "expired") {
        return {
            ...base,
            kind: "domain-expired",
            message: `The maintainer e-mail domain of ${who} has expired; whoever registers it can reset the PyPI account's password.`,
            evidence: `${addressEvidence(email)}; ${expiredEvidence(judged, domain, now)}.`,
            remediation: FINDING_INFO["domain-expired"].action,
        };
    }
    if (judged.state === "grace") {
        return {
            ...base,
            kind: "domain-grace",
            message: `The maintainer e-mail domain of ${who} passed its expiry and was only auto-renewed by the registry; unless it is paid for, it is deleted or auctioned within about ${GRACE_DAYS} days, and whoever gets it can reset the PyPI account's password.`,
            evidence: `${addressEvidence(email)}; ${graceEvidence(judged, domain, now)}.`,
            remediation: FINDING_INFO["domain-grace"].action,
        };
    }
    const changed = reregistration(judged, meta, who, base);
    if (changed)
        return changed;
    const published = lastPublished(meta);
    // Compared with the later of the latest release and the latest upload, as a re-registration
    // is: a maintainer who uploaded after the transfer still had the account then.
    const transferredMs = judged.transferred ? Date.parse(judged.transferred) : NaN;
    if (published && Number.isFinite(transferredMs) && transferredMs > published.ms) {
        return {
            ...base,
            kind: "domain-transferred",
            message: `The maintainer e-mail domain of ${who} was transferred after the package's latest release; it may have moved to another holder.`,
            evidence: `${addressEvidence(email)}; RDAP for \`${domain}\` reports a transfer ${risk_day(judged.transferred)}, after ${published.what} ${risk_day(published.at)}.`,
            remediation: FINDING_INFO["domain-transferred"].action,
        };
    }
    if (judged.state === "on-hold") {
        return {
            ...base,
            kind: "domain-on-hold",
            message: `The maintainer e-mail domain of ${who} is on hold; mail to the maintainer bounces, and holds often come before deletion.`,
            evidence: `${addressEvidence(email)}; RDAP for \`${domain}\` reports ${describeStatuses(judged)}${registrarNote(judged)}.`,
            remediation: FINDING_INFO["domain-on-hold"].action,
        };
    }
    if (judged.expires) {
        const expiresMs = Date.parse(judged.expires);
        const left = expiresMs - now.getTime();
        if (Number.isFinite(expiresMs) && left >= 0 && left <= expiryWarningDays * risk_DAY_MS) {
            const days = Math.floor(left / risk_DAY_MS);
            const within = days === 0 ? "within a day" : `in ${days} ${days === 1 ? "day" : "days"}`;
            return {
                ...base,
                kind: "domain-expiring",
                message: `The maintainer e-mail domain of ${who} expires ${within}; if it lapses, whoever registers it can reset the PyPI account's password.`,
                evidence: `${addressEvidence(email)}; RDAP for \`${domain}\` reports expiry ${risk_day(judged.expires)}.`,
                remediation: FINDING_INFO["domain-expiring"].action,
            };
        }
    }
    return undefined;
}
function lapseOf(domain, verdict, meta, now) {
    if (!verdict)
        return undefined;
    if (verdict.state === "unregistered")
        return { state: "unregistered", evidence: unregisteredEvidence(domain, verdict) };
    const judged = judgeVerdict(verdict, now);
    if (judged.state === "expired")
        return { state: "expired", evidence: expiredEvidence(judged, domain, now) };
    if (judged.state === "grace")
        return { state: "grace", evidence: graceEvidence(judged, domain, now) };
    if (judged.state === "unknown")
        return undefined;
    const changedAt = judged.reregistered ?? judged.created;
    const changedMs = changedAt ? Date.parse(changedAt) : NaN;
    const published = lastPublished(meta);
    if (published && Number.isFinite(changedMs) && changedMs > published.ms) {
        const event = judged.reregistered ? "re-registered" : "registered";
        return {
            state: "reregistered",
            evidence: `RDAP for \`${domain}\` reports it ${event} ${risk_day(changedAt)}, after ${published.what} ${risk_day(published.at)}`,
        };
    }
    return undefined;
}
/** Whether a verdict says nothing of the domain (missing, or a lookup that failed). */
function notChecked(verdict, now) {
    return (!verdict || (verdict.state !== "unregistered" && judgeVerdict(verdict, now).state === "unknown"));
}
/** A lapse kept from before, as this run saw the domain: a lookup that failed, and why. */
function failedNow(verdict) {
    const { lookupFailed, ...rest } = verdict;
    return {
        ...rest,
        state: "unknown",
        error: lookupFailed?.error ?? "no verdict was reached",
        errorCode: lookupFailed?.errorCode ?? "unknown",
    };
}
/**
 * The verdict of a mail server's or a link's domain for judging it: a kept lapse that does not
 * make the finding `counts` asks for stands for the lookup that failed this run.
 */
function asSeenNow(verdict, lapse, counts) {
    return verdict?.lookupFailed && !(lapse && counts(lapse)) ? failedNow(verdict) : verdict;
}
/**
 * `mx-domain-lapsed` for the package: a maintainer domain that is itself fine whose mail server
 * sits under a domain that is unregistered or expired (critical), or only in grace or registered
 * after the package's latest release (high). One finding per mail-server domain; a domain that
 * is also a maintainer domain of the package has its own finding already.
 */
function judgeMail(who, meta, byDomain, input) {
    const out = [];
    const seen = new Set();
    for (const [domain, email] of byDomain) {
        const own = input.verdicts.get(domain);
        const servers = input.mail?.get(domain);
        if (!own || !TAKES_MAIL.has(judgeVerdict(own, input.now).state))
            continue;
        if (servers?.status === "failed") {
            // Not a lapse, but not looked at either: on-lookup-error decides whether it fails.
            out.push({
                kind: "lookup-failed",
                email,
                message: `The mail servers (MX) of ${who}'s maintainer e-mail domain \`${domain}\` could not be looked up, so the domains they sit under were not checked.`,
                evidence: `${addressEvidence(email)}; the DNS query for the MX records of \`${domain}\` failed: ${servers.error}.`,
                remediation: FINDING_INFO["lookup-failed"].action,
            });
            continue;
        }
        if (servers?.status !== "answered")
            continue;
        for (const host of servers.hosts) {
            const mxDomain = host.domain;
            if (host.skipped || !mxDomain || seen.has(mxDomain) || byDomain.has(mxDomain))
                continue;
            const kept = input.verdicts.get(mxDomain);
            const verdict = asSeenNow(kept, kept && lapseOf(mxDomain, kept, meta, input.now), () => true);
            if (notChecked(verdict, input.now)) {
                seen.add(mxDomain);
                out.push({
                    kind: "lookup-failed",
                    email,
                    domain: mxDomain,
                    mx: { host: host.host, maintainerDomain: domain },
                    message: `The mail server of ${who}'s maintainer e-mail domain \`${domain}\` is under \`${mxDomain}\`, which could not be checked.`,
                    evidence: `${addressEvidence(email)}; DNS gives \`${host.host}\` as a mail server (MX) of \`${domain}\`; the lookup for \`${mxDomain}\` failed: ${verdict?.error ?? "no verdict was reached"}.`,
                    remediation: FINDING_INFO["lookup-failed"].action,
                });
                continue;
            }
            const lapse = lapseOf(mxDomain, verdict, meta, input.now);
            if (!lapse)
                continue;
            seen.add(mxDomain);
            const severe = lapse.state === "unregistered" || lapse.state === "expired";
            const what = lapse.state === "unregistered"
                ? "is not registered"
                : lapse.state === "expired"
                    ? "has expired"
                    : lapse.state === "grace"
                        ? "passed its expiry and was only auto-renewed by the registry"
                        : "changed hands after the package's latest release";
            out.push({
                kind: "mx-domain-lapsed",
                severity: severe ? "critical" : "high",
                email,
                domain: mxDomain,
                mx: { host: host.host, maintainerDomain: domain },
                message: `The mail server of ${who}'s maintainer e-mail domain \`${domain}\` is under \`${mxDomain}\`, which ${what}; whoever holds it receives the maintainer's mail, password resets included.`,
                evidence: `${addressEvidence(email)}; DNS gives \`${host.host}\` as a mail server (MX) of \`${domain}\`; ${lapse.evidence}.`,
                remediation: FINDING_INFO["mx-domain-lapsed"].action,
            });
        }
    }
    return out;
}
/**
 * `project-url-domain-lapsed` for the package: a project link on a domain that is unregistered
 * or expired. One finding per link domain; a maintainer domain of the package has its own.
 */
function judgeLinks(who, meta, maintainerDomains, input) {
    if (input.checkProjectUrls === false)
        return [];
    const out = [];
    const seen = new Set();
    for (const link of meta.links ?? []) {
        const domain = link.domain;
        if (link.skipped || !domain || seen.has(domain) || maintainerDomains.has(domain))
            continue;
        const kept = input.verdicts.get(domain);
        const verdict = asSeenNow(kept, kept && lapseOf(domain, kept, meta, input.now), (l) => l.state === "unregistered" || l.state === "expired");
        if (notChecked(verdict, input.now)) {
            seen.add(domain);
            out.push({
                kind: "lookup-failed",
                domain,
                link: { label: link.label, url: link.url },
                message: `A project link of ${who} (${linkLabel(link)}) points at \`${domain}\`, which could not be checked.`,
                evidence: `The metadata links \`${link.url}\` as ${linkLabel(link)}; the lookup for \`${domain}\` failed: ${verdict?.error ?? "no verdict was reached"}.`,
                remediation: FINDING_INFO["lookup-failed"].action,
            });
            continue;
        }
        const lapse = lapseOf(domain, verdict, meta, input.now);
        if (!lapse || (lapse.state !== "unregistered" && lapse.state !== "expired"))
            continue;
        seen.add(domain);
        out.push({
            kind: "project-url-domain-lapsed",
            domain,
            link: { label: link.label, url: link.url },
            message: `A project link of ${who} (${linkLabel(link)}) points at \`${domain}\`, which ${lapse.state === "unregistered" ? "is not registered" : "has expired"}; whoever registers it can serve altered install steps or downloads under the project's name.`,
            evidence: `The metadata links \`${link.url}\` as ${linkLabel(link)}; ${lapse.evidence}.`,
            remediation: FINDING_INFO["project-url-domain-lapsed"].action,
        });
    }
    return out;
}
function linkLabel(link) {
    return `\`${link.label}\``;
}
/** Everything one package amounts to, independent of where it is pinned. */
function judgePackage(name, version, meta, input) {
    const who = risk_label(name, version);
    if (!meta) {
        return [
            {
                kind: "lookup-failed",
                message: `The metadata of ${who} was not fetched.`,
                evidence: "The scan ended before the package index answered.",
                remediation: FINDING_INFO["lookup-failed"].action,
            },
        ];
    }
    if (meta.status === "not-found") {
        return [
            {
                kind: "package-not-found",
                message: `${who} was not found on the package index.`,
                evidence: `The package index answered 404 for \`${name}\`.`,
                remediation: FINDING_INFO["package-not-found"].action,
            },
        ];
    }
    // Not looked up by design (a private index without a JSON API): listed as not checked, and
    // never judged by a public project that shares the name.
    if (meta.status === "skipped")
        return [];
    if (meta.status === "error") {
        return [
            {
                kind: "lookup-failed",
                message: `The metadata of ${who} could not be read, so its maintainer e-mail domains were not checked.`,
                evidence: `${meta.error ?? "The package index request failed"}.`.replace(/\.\.$/, "."),
                remediation: FINDING_INFO["lookup-failed"].action,
            },
        ];
    }
    if (meta.emails.length === 0) {
        return [
            {
                kind: "no-maintainer-email",
                message: `The metadata of ${who} carries no maintainer e-mail address.`,
                // Empty, or text that is no address (not even spelled out): the metadata does not say which.
                evidence: `No address could be read from \`author_email\` or \`maintainer_email\` of ${meta.latestVersion ?? "the latest release"}: they are empty, or hold no address.`,
                remediation: FINDING_INFO["no-maintainer-email"].action,
            },
            ...judgeLinks(who, meta, new Set(), input),
        ];
    }
    const out = [];
    const byDomain = new Map();
    for (const email of meta.emails) {
        if (email.skipped === "invalid-host") {
            out.push({
                kind: "lookup-failed",
                email,
                message: `A maintainer e-mail address of ${who} has a host that is not a domain, so it was not checked.`,
                evidence: `${addressEvidence(email)}; ${email.skipReason ?? "the host is not a valid domain name"}.`,
                remediation: FINDING_INFO["lookup-failed"].action,
            });
            continue;
        }
        if (email.skipped || !email.domain || byDomain.has(email.domain))
            continue;
        byDomain.set(email.domain, email);
    }
    for (const [domain, email] of byDomain) {
        const verdict = input.verdicts.get(domain);
        const judge = (v) => judgeDomain(name, version, meta, email, domain, v, input.now, input.expiryWarningDays);
        let outcome = judge(verdict);
        // A lapse kept from before that no longer makes a finding (judged again today) says
        // nothing of the domain now: this run's lookup failed, and that is the finding.
        if (verdict?.lookupFailed && (!outcome || outcome.kind === "lookup-failed"))
            outcome = judge(failedNow(verdict));
        if (outcome)
            out.push(outcome);
    }
    if (input.mail)
        out.push(...judgeMail(who, meta, byDomain, input));
    out.push(...judgeLinks(who, meta, new Set(byDomain.keys()), input));
    return out;
}
/**
 * Findings for every pinned PyPI package: at most one domain finding per (package, domain),
 * the most severe state winning, placed at every lockfile line that pins the package. A failed
 * lookup is `lookup-failed`, never a domain state. Policy fields (`failing`, `allowed`) are
 * left for `applyPolicy`.
 */
function assess(input) {
    const findings = [];
    const byPackage = new Map();
    for (const dep of input.dependencies) {
        if (dep.kind !== "pypi")
            continue;
        const list = byPackage.get(dep.name);
        if (list)
            list.push(dep);
        else
            byPackage.set(dep.name, [dep]);
    }
    for (const [key, deps] of byPackage) {
        const meta = input.packages.get(key);
        // The project's own name: the key may stand for one of two projects of that name (scan).
        const name = meta?.name ?? key;
        const tracker = meta?.links ? issueTracker(meta.links) : undefined;
        // Findings are computed once per distinct pinned version (the message names it).
        const outcomesByVersion = new Map();
        for (const dep of deps) {
            const key = dep.version ?? "";
            let outcomes = outcomesByVersion.get(key);
            if (!outcomes) {
                outcomes = judgePackage(name, dep.version, meta, input);
                outcomesByVersion.set(key, outcomes);
            }
            for (const o of outcomes) {
                const finding = {
                    kind: o.kind,
                    severity: o.severity ?? FINDING_INFO[o.kind].severity,
                    package: name,
                    file: dep.file,
                    line: dep.line,
                    message: o.message,
                    failing: false,
                };
                if (dep.version)
                    finding.version = dep.version;
                if (o.email) {
                    finding.email = o.email.address;
                    finding.field = o.email.field;
                    if (o.email.name !== undefined)
                        finding.maintainerName = o.email.name;
                }
                if (o.domain)
                    finding.domain = o.domain;
                if (o.mx)
                    finding.mx = o.mx;
                if (o.link)
                    finding.link = o.link;
                if (tracker !== undefined && o.domain !== undefined && o.kind !== "lookup-failed")
                    finding.tracker = tracker;
                if (o.evidence)
                    finding.evidence = o.evidence;
                const kept = o.domain !== undefined ? input.verdicts.get(o.domain) : undefined;
                if (kept?.lookupFailed && o.kind !== "lookup-failed") {
                    // Why it failed is in the domain's record (and Not checked), not in a maintainer's note.
                    finding.keptFrom = kept.checkedAt;
                    finding.evidence =
                        `${finding.evidence ?? ""} This is what RDAP said on ${risk_day(kept.checkedAt)}; this run's lookup of \`${o.domain}\` failed.`.trim();
                }
                if (o.remediation)
                    finding.remediation = o.remediation;
                findings.push(finding);
            }
        }
    }
    return sortFindings(findings);
}
function entryMatches(entry, f) {
    if (entry.package && entry.package !== f.package)
        return false;
    if (entry.domain && canonicalDomain(entry.domain) !== f.domain)
        return false;
    if (entry.kind && entry.kind !== f.kind)
        return false;
    return Boolean(entry.package || entry.domain || entry.kind);
}
/** An `until` date applies through the whole of that day (UTC). */
function isLapsed(until, now) {
    const end = Date.parse(`${until}T00:00:00Z`) + risk_DAY_MS;
    return Number.isFinite(end) && now.getTime() >= end;
}
/**
 * Decide which findings fail the run: not allowed, at or above `failOn`, and (in PR mode)
 * introduced by the change. `lookup-failed` also fails when `onLookupError` is `fail`.
 * An allow entry whose `until` has passed no longer covers the finding, and the finding says so.
 */
function applyPolicy(findings, policy) {
    return findings.map((original) => {
        const f = { ...original };
        delete f.allowed;
        delete f.allowExpired;
        let lapsedEntry;
        for (const entry of policy.allow) {
            if (!entryMatches(entry, f))
                continue;
            if (entry.until && isLapsed(entry.until, policy.now)) {
                lapsedEntry ??= entry;
                continue;
            }
            f.allowed = entry.until
                ? { reason: entry.reason, until: entry.until }
                : { reason: entry.reason };
            break;
        }
        if (!f.allowed && lapsedEntry?.until) {
            f.allowExpired = { reason: lapsedEntry.reason, until: lapsedEntry.until };
            const note = `The allow entry ("${lapsedEntry.reason}") ended on ${lapsedEntry.until}, so this finding counts again; renew the entry or fix the cause.`;
            f.remediation = f.remediation ? `${note} ${f.remediation}` : note;
        }
        if (policy.introduced)
            f.introduced = policy.introduced(f);
        const inScope = f.introduced !== false;
        const overThreshold = meetsThreshold(f.severity, policy.failOn) ||
            (f.kind === "lookup-failed" && policy.onLookupError === "fail");
        // A finding kept from an earlier answer is a lookup that failed too: an allow entry for the
        // lapse it shows does not allow that this run could not look.
        const failedLookup = f.keptFrom !== undefined && policy.onLookupError === "fail";
        f.failing = inScope && ((!f.allowed && overThreshold) || failedLookup);
        return f;
    });
}
/** EXIT_FINDINGS when any finding fails the run, EXIT_CLEAN otherwise. */
function exitCodeFor(report, _options) {
    return report.findings.some((f) => f.failing) ? EXIT_FINDINGS : EXIT_CLEAN;
}
/**
 * `domain-reregistered` when the registry's record shows the domain registered (or
 * re-registered) after the package was last published; undefined otherwise.
 */
function reregistration(judged, meta, who, base) {
    const changedAt = judged.reregistered ?? judged.created;
    const published = lastPublished(meta);
    const changedMs = changedAt ? Date.parse(changedAt) : NaN;
    if (!published || !Number.isFinite(changedMs) || changedMs <= published.ms)
        return undefined;
    const event = judged.reregistered ? "re-registered" : "registered";
    return {
        ...base,
        kind: "domain-reregistered",
        message: `The maintainer e-mail domain of ${who} was ${event} after the package's latest release; its holder may not be the maintainer.`,
        evidence: `${addressEvidence(base.email)}; RDAP for \`${base.domain}\` reports it ${event} ${risk_day(changedAt)}, after ${published.what} ${risk_day(published.at)}.`,
        remediation: FINDING_INFO["domain-reregistered"].action,
    };
}

;// CONCATENATED MODULE: ./src/scan/coverage.ts
// Coverage is a result: how many packages and domains the run could actually look at, whether
// that is enough (`min-coverage`), and the exit code that follows. A security check that passes
// when it could not look is worse than no check.





/** At least this many PyPI packages, all not found: the index URL looks wrong. */
const INDEX_WRONG_MIN_PACKAGES = 3;
/**
 * The start of the reason when every PyPI package of the run comes from a private index that
 * has no JSON API configured: none could be looked up, and a run that looked at nothing fails
 * (exit 3) unless min-coverage is 0.
 */
const ALL_PRIVATE_REASON = "every package comes from a private index";
/**
 * The start of the reason when no package of the run is a PyPI project at all (version control,
 * URLs, local paths, perhaps with private-index ones): nothing could be looked up, and the run
 * fails (exit 3) unless min-coverage is 0, as when every package is from a private index.
 */
const NONE_FROM_PYPI_REASON = "no package comes from PyPI";
/** Whether a coverage reason says that nothing at all could be looked up. */
function lookedUpNothing(reason) {
    return (reason !== undefined &&
        (reason.startsWith(ALL_PRIVATE_REASON) || reason.startsWith(NONE_FROM_PYPI_REASON)));
}
/**
 * What could not be read, one entry each: a file with a problem that is not among the lockfiles
 * read (a file that gave some dependencies and some errors was read), by its first problem; and
 * each include (`-r`, `-c`, `file:`) that could not be read, whose packages are as unknown.
 * `file` is the unread file's own path (an include's target, relative to the includer), `shown`
 * how messages name it.
 */
function unreadSources(set) {
    const read = new Set(set.lockfiles.map((l) => l.path));
    const out = new Map();
    for (const e of set.errors) {
        if (e.include !== undefined) {
            const shown = `${e.file}${e.line !== undefined ? `:${e.line}` : ""} (${e.include})`;
            const file = external_node_path_.posix.join(external_node_path_.posix.dirname(e.file), e.include);
            if (!out.has(shown))
                out.set(shown, { file, shown, message: e.message });
        }
        else if (!read.has(e.file) && !out.has(e.file)) {
            out.set(e.file, { file: e.file, shown: e.file, message: e.message });
        }
    }
    return [...out.values()];
}
/** The files that could not be read, as coverage counts and names them. */
function unreadLockfiles(set) {
    return unreadSources(set).map((u) => ({ file: u.shown, message: u.message }));
}
/** Count what was checked; `reason` says why, when nothing or too little was. */
function computeCoverage(input) {
    const metas = input.names.map((n) => input.packages.get(n));
    const packagesChecked = metas.filter((m) => m !== undefined && (m.status === "ok" || m.status === "not-found")).length;
    const notLookedUp = new Set(input.dependencies.filter((d) => d.kind !== "pypi").map((d) => normalizeName(d.name)));
    for (const name of input.names)
        notLookedUp.delete(name);
    // Private-index packages without a JSON API are not looked up by design: counted apart, and
    // not against min-coverage.
    let skipped = 0;
    for (const name of input.names) {
        if (input.packages.get(name)?.status !== "skipped")
            continue;
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
        if ((v.state !== "unknown" && !v.lookupFailed) || settledByDns(v))
            domainsChecked++;
    }
    const coverage = {
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
    const reason = input.names.length - skipped > 0 || domainsTotal > 0
        ? shortfallReason(input, metas, coverage)
        : notPypi === 0 && skipped > 0
            ? `${ALL_PRIVATE_REASON} with no JSON API configured (${plural(skipped, "package")}), so none was looked up: map each index to its JSON API with index-urls (credentials in index-token), or set min-coverage to 0 to accept this`
            : notPypi > 0
                ? `${NONE_FROM_PYPI_REASON} (${[
                    ...(skipped > 0
                        ? [`${skipped} from a private index with no JSON API configured`]
                        : []),
                    `${notPypi} from version control, a URL or a local path`,
                ].join(", ")}), so none was looked up and no maintainer could be checked: ${skipped > 0 ? "map each private index to its JSON API with index-urls, or set" : "set"} min-coverage to 0 to accept this`
                : undefined;
    return reason ? { ...coverage, reason } : coverage;
}
function shortfallReason(input, metas, coverage) {
    const { packages, domains } = coverage;
    if (indexLooksWrong(metas)) {
        return `every package (${packages.total}) was not found on ${input.indexUrl}: the index URL looks wrong (check --pypi-url / pypi-url)`;
    }
    if (packages.total > 0 && packages.checked < packages.total) {
        const failed = metas.find((m) => m?.status === "error");
        // The client's reason already says what could not be read, and why.
        if (failed?.error)
            return failed.error;
    }
    if (domains.total > 0 && domains.checked < domains.total) {
        const unknown = [...input.verdicts.values()]
            .map((v) => (v.lookupFailed ? { ...v, ...v.lookupFailed } : v))
            .find((v) => (v.state === "unknown" || v.lookupFailed) &&
            v.errorCode !== "no-rdap" &&
            !settledByDns(v));
        if (unknown?.errorCode === "deadline")
            return `the deadline came before every domain could be looked up (${domains.total - domains.checked} not checked): raise deadline, or run again with a cache file`;
        if (unknown?.error)
            return `RDAP could not be asked: ${unknown.error}`;
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
function indexLooksWrong(metas) {
    return metas.length >= INDEX_WRONG_MIN_PACKAGES && metas.every((m) => m?.status === "not-found");
}
/** Checked share of `part` (1 when there is nothing to check). */
function share(part) {
    return part.total === 0 ? 1 : part.checked / part.total;
}
/**
 * Why the run could not check enough, one sentence, or undefined when it could: the share of
 * checked packages, of checked domains (maintainer, mail-server and link domains alike) or of
 * domains whose mail servers DNS answered for is below `minCoverage`, or every package of the run
 * (3 or more) was not found on the index.
 */
function coverageShortfall(coverage, minCoverage) {
    const { packages, domains } = coverage;
    if (packages.total >= INDEX_WRONG_MIN_PACKAGES &&
        coverage.reason?.includes("the index URL looks wrong")) {
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
    const low = [];
    if (share(packages) < minCoverage)
        low.push(`${packages.checked} of ${packages.total} packages`);
    if (share(domains) < minCoverage)
        low.push(`${domains.checked} of ${domains.total} domains`);
    if (coverage.mx && share(coverage.mx) < minCoverage)
        low.push(`the mail servers of ${coverage.mx.checked} of ${coverage.mx.total} domains`);
    if (coverage.lockfiles &&
        share({ checked: coverage.lockfiles.read, total: coverage.lockfiles.total }) < minCoverage)
        low.push(`${coverage.lockfiles.read} of ${coverage.lockfiles.total} lockfiles`);
    if (low.length === 0)
        return undefined;
    const why = coverage.reason ? `: ${coverage.reason}` : "";
    return `could not check enough: only ${low.join(" and ")} checked, below min-coverage ${minCoverage}${why}`;
}
/** The coverage with the sentence that fails the run when it could not check enough. */
function withShortfall(coverage, minCoverage) {
    const shortfall = coverageShortfall(coverage, minCoverage);
    return shortfall === undefined ? coverage : { ...coverage, shortfall };
}
/**
 * The run's exit code: 1 when a finding fails the run, else 3 when it could not check enough,
 * else 0. (Interrupts and bad usage are decided by the caller.) The CLI and the action both use it.
 */
function exitCodeOf(report, options) {
    if (report.findings.some((f) => f.failing))
        return codes_EXIT_FINDINGS;
    if (report.coverage && coverageShortfall(report.coverage, options.minCoverage) !== undefined)
        return EXIT_INCOMPLETE;
    return codes_EXIT_CLEAN;
}

;// CONCATENATED MODULE: ./src/scan/scheduler.ts
// The scheduler of the scan: packages are fetched with a bounded number in flight, each
// domain a package names is looked up as soon as it is known (once per run), and the whole
// pipeline stops at one deadline or when asked to (an interrupt). It knows names and domains,
// not what fetching or looking up means: those are the tasks it is given.

/** Run `task` over `items` with at most `limit` in flight; stops taking new items once `stopped()`. */
async function forEachLimited(items, limit, stopped, task) {
    let next = 0;
    const worker = async () => {
        while (next < items.length && !stopped()) {
            const item = items[next++];
            await task(item);
        }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}
class Scheduler {
    config;
    reason;
    stopping = new AbortController();
    lookups = new Map();
    mail = new Map();
    constructor(config) {
        this.config = config;
        // One listener per DNS query in flight, as many as the scan asks at once: no leak to warn of.
        (0,external_node_events_.setMaxListeners)(0, this.stopping.signal);
    }
    /** Why the pipeline stopped, once it has; tasks finishing later should drop their result. */
    get stopped() {
        return this.reason;
    }
    /** Stop taking new work (the first reason sticks). */
    stop(reason) {
        if (this.reason !== undefined)
            return;
        this.reason = reason;
        this.stopping.abort();
    }
    /** Aborted when the pipeline stops: for work that would outlive it (a DNS query). */
    get stopSignal() {
        return this.stopping.signal;
    }
    /** Domains handed out so far. */
    get domainsStarted() {
        return this.lookups.size;
    }
    /**
     * Fetch every package, look up every domain they name, until all are done, the deadline
     * passes or the signal aborts. Resolves at once when stopped: unfinished tasks are abandoned
     * (their results are for the caller to drop, see `stopped`).
     */
    async run(names, tasks) {
        const lookUp = (domain) => {
            if (this.lookups.has(domain))
                return;
            this.lookups.set(domain, tasks.lookUpDomain(domain).finally(() => tasks.onSettled?.()));
        };
        const askMail = (domain) => {
            const task = tasks.lookUpMail;
            if (!task || this.mail.has(domain))
                return;
            const own = this.lookups.get(domain) ?? Promise.resolve();
            this.mail.set(domain, own
                .then(() => (this.reason === undefined ? task(domain) : []))
                .then((more) => {
                if (this.reason === undefined)
                    for (const d of more)
                        lookUp(d);
            })
                .finally(() => tasks.onSettled?.()));
        };
        const work = (async () => {
            await forEachLimited(names, this.config.concurrency, () => this.reason !== undefined, async (name) => {
                const requests = await tasks.fetchPackage(name);
                if (this.reason === undefined) {
                    for (const request of requests) {
                        const r = typeof request === "string" ? { domain: request } : request;
                        lookUp(r.domain);
                        if (r.mail)
                            askMail(r.domain);
                    }
                }
                tasks.onSettled?.();
            });
            // Lookups started while packages were still arriving, and the mail servers' domains they
            // lead to: wait until no more are started.
            for (;;) {
                const started = this.lookups.size + this.mail.size;
                await Promise.all([...this.lookups.values(), ...this.mail.values()]);
                if (this.lookups.size + this.mail.size === started)
                    break;
            }
        })();
        let timer;
        let onAbort;
        const stop = new Promise((resolve) => {
            timer = setTimeout(() => {
                this.stop("deadline");
                resolve();
            }, this.config.deadlineMs);
            const signal = this.config.signal;
            if (signal) {
                onAbort = () => {
                    this.stop("interrupted");
                    resolve();
                };
                if (signal.aborted)
                    onAbort();
                else
                    signal.addEventListener("abort", onAbort, { once: true });
            }
        });
        try {
            await Promise.race([work, stop]);
        }
        finally {
            clearTimeout(timer);
            if (onAbort)
                this.config.signal?.removeEventListener("abort", onAbort);
        }
        return {
            stopped: this.reason,
            domains: [...this.lookups.keys()],
            mailDomains: [...this.mail.keys()],
        };
    }
}

;// CONCATENATED MODULE: ./src/scan/scan.ts

















/** The heartbeat interval the CLI and the action use when stderr is not a terminal. */
const HEARTBEAT_INTERVAL_MS = 15_000;
/** Progress is reported at most this often (real time), plus once at the end. */
const PROGRESS_INTERVAL_MS = 100;
const DEADLINE_REASON = "deadline reached";
/**
 * Unknown verdicts that are an answer, not a lookup that failed: no registry to ask, a registry
 * "not found" that DNS contradicts, a stop request. A lapsed verdict kept from before does not
 * stand in for these.
 */
const NOT_A_FAILURE = new Set(["no-rdap", "dns-contradicts", "interrupted"]);
const INTERRUPTED_REASON = "interrupted";
function unknownVerdict(domain, error, errorCode, now) {
    return {
        domain,
        state: "unknown",
        statuses: [],
        error,
        errorCode,
        source: "rdap",
        checkedAt: now.toISOString(),
    };
}
/**
 * Scan a parsed dependency set: fetch each unique PyPI package's metadata once, look up each
 * unique maintainer domain once (cache first), assess and apply the run's policy.
 * Never throws for network trouble: what could not be checked is `lookup-failed`.
 */
async function scan(set, options, env) {
    const state = scan_startState(set, options, env);
    const stopHeartbeat = startHeartbeat(state);
    let outcome;
    try {
        outcome = await state.scheduler.run(state.names, {
            fetchPackage: (name) => fetchPackageStep(state, name),
            lookUpDomain: (domain) => lookUpDomainStep(state, domain),
            ...(options.checkMx ? { lookUpMail: (domain) => lookUpMailStep(state, domain) } : {}),
            onSettled: () => reportProgress(state),
        });
    }
    finally {
        stopHeartbeat();
    }
    if (outcome.stopped)
        settleUnfinished(state, outcome.stopped, outcome);
    reportProgress(state, true);
    return buildReport(set, state, outcome.domains.length);
}
/** Between a name and its index in a lookup key: no package name holds it. */
const KEY_SEPARATOR = "\u0000";
/** The lookup key of the private project of a name that other lockfiles take from PyPI. */
function shadowKey(name, index) {
    return `${name}${KEY_SEPARATOR}${index}`;
}
/** The package name a lookup key stands for. */
function nameOfKey(state, key) {
    return state.shadowNames.get(key) ?? key;
}
/** The run's clock, HTTP client, skip list, scheduler and the unique package names. */
function scan_startState(set, options, env) {
    const deadlineAt = Date.now() + options.deadlineMs;
    const names = [];
    const seen = new Set();
    const indexesOf = new Map();
    const fromPypi = new Set();
    for (const dep of set.dependencies) {
        if (dep.kind !== "pypi")
            continue;
        const name = normalizeName(dep.name);
        if (dep.index === undefined)
            fromPypi.add(name);
        else {
            // One index however it is spelled: its first spelling is the one looked up.
            const list = indexesOf.get(name);
            const same = (i) => indexIdentity(i) === indexIdentity(dep.index);
            if (!list)
                indexesOf.set(name, [dep.index]);
            else if (!list.some(same))
                list.push(dep.index);
        }
        if (seen.has(name))
            continue;
        seen.add(name);
        names.push(name);
    }
    // One name from PyPI and from private indexes (or from two private indexes) is as many
    // projects: PyPI's (or the first index's) under the name, each other under a key of its own.
    const privateIndex = new Map();
    const projectKeys = new Map();
    const shadowNames = new Map();
    for (const [name, list] of indexesOf) {
        const keys = new Map();
        list.forEach((index, i) => {
            let key = name;
            if (fromPypi.has(name) || i > 0) {
                key = shadowKey(name, index);
                while (seen.has(key))
                    key += KEY_SEPARATOR; // taken by a (hostile) name of that spelling
                seen.add(key);
                shadowNames.set(key, name);
                names.push(key);
            }
            privateIndex.set(key, index);
            keys.set(indexIdentity(index), key);
        });
        if (fromPypi.has(name) || list.length > 1)
            projectKeys.set(name, keys);
    }
    return {
        options,
        env,
        startedAt: env.now(),
        startedMs: external_node_perf_hooks_.performance.now(),
        deadlineAt,
        http: new HttpClient({
            transport: env.transport,
            userAgent: userAgent(),
            timeoutMs: options.timeoutMs,
            retries: options.retries,
            maxRetryWaitMs: options.maxRetryWaitMs,
            deadlineAt,
            credentials: indexCredentials(options),
            onOriginDown: (down) => env.log?.({ level: "warning", text: originDownText(down, options) }),
            ...(env.signal ? { signal: env.signal } : {}),
        }),
        skip: createSkipList(options),
        mailSkip: createSkipList(options, [...DEFAULT_SKIP_DOMAINS, ...DEFAULT_MX_SKIP_DOMAINS]),
        linkSkip: createSkipList(options, DEFAULT_LINK_SKIP_DOMAINS),
        mail: new Map(),
        mxQueries: 0,
        largeAnswers: [],
        mxWarned: false,
        scheduler: new Scheduler({
            concurrency: options.pypiConcurrency,
            deadlineMs: options.deadlineMs,
            ...(env.signal ? { signal: env.signal } : {}),
        }),
        names,
        privateIndex,
        projectKeys,
        shadowNames,
        routeIndex: createIndexRouting(options),
        packages: new Map(),
        verdicts: new Map(),
        cacheStats: { verdictHits: 0, verdictMisses: 0, metadataHits: 0 },
        dnsQueries: 0,
        checker: undefined,
        lastProgress: -Infinity,
        dnsWarned: false,
    };
}
/** The index's credentials: `pypi-token` as Bearer, else `user:password@` of `pypi-url` as Basic. */
function indexCredentials(options) {
    let origin;
    try {
        origin = new URL(options.pypiUrl).origin;
    }
    catch {
        return [];
    }
    if (options.pypiToken)
        return [{ origin, authorization: `Bearer ${options.pypiToken}` }];
    if (options.pypiBasicAuth) {
        const basic = Buffer.from(options.pypiBasicAuth, "utf8").toString("base64");
        return [{ origin, authorization: `Basic ${basic}` }];
    }
    return [];
}
/** The one line said when an origin is given up on: which, why, and what to check. */
function originDownText(down, options) {
    const what = down.status !== undefined
        ? `${down.host} refused access (HTTP ${down.status})`
        : `${down.host} unreachable: ${down.reason}`;
    const check = down.kind === "pypi"
        ? down.status !== undefined
            ? isPypiOrigin(down.origin, options.pypiUrl)
                ? `check the credentials for --pypi-url ${options.pypiUrl} (user:password@ in the URL, or pypi-token / MDG_PYPI_TOKEN)`
                : `check the credentials for the private index ${down.host} (user:password@ in its index-urls entry, or index-token / MDG_INDEX_TOKEN)`
            : `check the network, the proxy settings (HTTPS_PROXY, HTTP_PROXY, NO_PROXY) and --pypi-url ${options.pypiUrl}`
        : down.kind === "bootstrap"
            ? "check the network, the proxy settings (HTTPS_PROXY, HTTP_PROXY, NO_PROXY) and --rdap-bootstrap"
            : "check the network and the proxy settings (HTTPS_PROXY, HTTP_PROXY, NO_PROXY)";
    return `${what}; stopped asking it, its remaining ${down.kind === "pypi" ? "packages" : "lookups"} are not checked; ${check}`;
}
/** Whether `origin` is pypi-url's. */
function isPypiOrigin(origin, pypiUrl) {
    try {
        return new URL(pypiUrl).origin === origin;
    }
    catch {
        return true;
    }
}
/** The heartbeat timer, when asked for; returns its stop. */
function startHeartbeat(state) {
    const beat = state.env.heartbeat;
    if (!beat)
        return () => { };
    const timer = setInterval(() => beat.write(heartbeatLine(state)), beat.intervalMs);
    timer.unref?.();
    return () => clearInterval(timer);
}
/** "312/579 packages, 80/140 domains; waiting on rdap.example (429, retry in 2 s)". */
function heartbeatLine(state) {
    const counts = `${state.packages.size}/${state.names.length} packages, ${state.verdicts.size}/${state.scheduler.domainsStarted} domains`;
    const waiting = state.http.waitingOn();
    return waiting ? `${counts}; waiting on ${waiting}` : counts;
}
function pastDeadline(state) {
    return Date.now() >= state.deadlineAt;
}
/** Progress, throttled (`force` for the last one). */
function reportProgress(state, force = false) {
    const { env } = state;
    if (!env.onProgress)
        return;
    const t = external_node_perf_hooks_.performance.now();
    if (!force && t - state.lastProgress < PROGRESS_INTERVAL_MS)
        return;
    state.lastProgress = t;
    env.onProgress({
        packages: state.packages.size,
        packagesTotal: state.names.length,
        domains: state.verdicts.size,
        domainsTotal: state.scheduler.domainsStarted,
    });
}
/**
 * The RDAP checker, built on first need: a scan whose domains all come from the cache (or that
 * has none) never fetches the bootstrap.
 */
function rdapChecker(state) {
    const { options, env, http } = state;
    state.checker ??= (async () => {
        const loaded = await loadBootstrap(options.rdapBootstrap, http, env.cwd ?? process.cwd());
        if (!loaded.ok)
            env.log?.({
                level: "warning",
                text: `the RDAP bootstrap could not be loaded: ${loaded.error}`,
            });
        return createRdapChecker({
            http,
            bootstrap: loaded.ok ? loaded.data : undefined,
            ...(loaded.ok ? {} : { bootstrapError: loaded.error }),
            ...(options.dnsServer ? { dnsServer: options.dnsServer } : {}),
            now: env.now,
            timeoutMs: options.timeoutMs,
            perOriginConcurrency: options.rdapConcurrency,
            wantsRegistrar: needsRegistrarRecord,
            checkDelegation: (domain) => {
                state.dnsQueries++;
                return checkDelegation(domain, {
                    ...(options.dnsServer ? { server: options.dnsServer } : {}),
                    timeoutMs: Math.min(options.timeoutMs, DNS_TIMEOUT_CAP_MS),
                    signal: state.scheduler.stopSignal,
                });
            },
        });
    })();
    return state.checker;
}
/** One domain: the cache first, else RDAP; the verdict judged and kept (and cached when known). */
async function lookUpDomainStep(state, domain) {
    const { env, scheduler } = state;
    const cached = env.cache?.getVerdict(domain, env.now());
    if (cached) {
        state.cacheStats.verdictHits++;
        state.verdicts.set(domain, judgeVerdict({ ...cached, source: "cache" }, env.now()));
        return;
    }
    if (env.cache)
        state.cacheStats.verdictMisses++;
    let verdict;
    try {
        verdict = judgeVerdict(await (await rdapChecker(state)).check(domain), env.now());
    }
    catch (error) {
        verdict = unknownVerdict(domain, `the lookup failed: ${error.message}`, "internal", env.now());
    }
    if (scheduler.stopped)
        return; // the deadline already settled this domain
    if (verdict.state === "unknown" && (verdict.errorCode === "deadline" || pastDeadline(state))) {
        // The request layer stopped at the same deadline a moment before the scan's timer.
        scheduler.stop("deadline");
        verdict = unknownVerdict(domain, DEADLINE_REASON, "deadline", env.now());
    }
    verdict = standIn(state, verdict);
    state.verdicts.set(domain, verdict);
    if (verdict.state !== "unknown" && !verdict.lookupFailed)
        env.cache?.putVerdict(verdict, env.now());
    if (verdict.dns === "not-consulted" && verdict.source === "rdap" && !state.dnsWarned) {
        state.dnsWarned = true;
        const server = state.options.dnsServer ?? "the system resolver";
        env.log?.({
            level: "warning",
            text: `the DNS server (${server}) did not answer: an RDAP "not found" could not be cross-checked with DNS; such findings say "DNS could not be consulted" (dns: "not-consulted" in JSON)`,
        });
    }
}
/**
 * One maintainer domain's mail servers, once its own verdict is in: asked of DNS when the
 * domain takes mail; returns the domains of the MX hosts to look up (not under the domain
 * itself, not at a large mail provider). A failed query is kept (coverage counts it), never a
 * finding.
 */
async function lookUpMailStep(state, domain) {
    const { env, options } = state;
    const verdict = state.verdicts.get(domain);
    if (!verdict || !TAKES_MAIL.has(verdict.state))
        return [];
    state.mxQueries++;
    const answer = await lookUpMx(domain, {
        ...(options.dnsServer ? { server: options.dnsServer } : {}),
        timeoutMs: Math.min(options.timeoutMs, DNS_TIMEOUT_CAP_MS),
        signal: state.scheduler.stopSignal,
    });
    if (state.scheduler.stopped)
        return [];
    if (!answer.ok) {
        state.mail.set(domain, { status: "failed", error: answer.error, errorCode: answer.errorCode });
        if (!state.mxWarned) {
            state.mxWarned = true;
            env.log?.({
                level: "warning",
                text: `the mail servers (MX) of ${domain} could not be looked up: ${answer.error}; such domains are counted as not checked (coverage.mx in JSON); check --dns-server / dns-server`,
            });
        }
        return [];
    }
    const hosts = classifyMailHosts(domain, answer.exchanges, state.mailSkip);
    state.mail.set(domain, { status: "answered", hosts });
    return domainsToCheck(hosts);
}
/** One package: the cache first, else the index; returns the domains to look up. */
async function fetchPackageStep(state, key) {
    const { env, options, scheduler } = state;
    // Private-index metadata is not cached: the cache is keyed by name, and PyPI's is another project.
    const index = state.privateIndex.get(key);
    const name = nameOfKey(state, key);
    const cache = index === undefined ? env.cache : undefined;
    let meta = cache?.getPackage(name, env.now());
    if (meta) {
        state.cacheStats.metadataHits++;
        meta = { ...meta, cached: true };
    }
    else {
        const revalidate = cache?.getStalePackage?.(name, env.now());
        const entry = await lookUpPackage(name, state.routeIndex(index), {
            http: state.http,
            concurrency: options.pypiConcurrency,
            ...(revalidate ? { revalidate } : {}),
        });
        meta = entry.meta;
        noteLargeAnswer(state, name, entry);
        if (meta.status === "ok")
            cache?.putPackage(meta, env.now(), entry.maxAgeSeconds, entry.validators);
    }
    if (scheduler.stopped)
        return [];
    if (meta.status === "error" && pastDeadline(state)) {
        scheduler.stop("deadline");
        return [];
    }
    meta = { ...meta, emails: markProviders(meta.emails, state.skip) };
    if (meta.links)
        meta.links = markPlatforms(meta.links, state.linkSkip);
    state.packages.set(key, meta);
    const requests = domainsToCheck(meta.emails).map((domain) => ({
        domain,
        mail: true,
    }));
    if (options.checkProjectUrls && meta.links) {
        for (const domain of domainsToCheck(meta.links))
            requests.push({ domain });
    }
    return requests;
}
/** Answers over this many decoded bytes are listed in `stats.largestAnswers`. */
const LARGE_ANSWER_BYTES = 1024 * 1024;
/** How many of them. */
const LARGEST_ANSWERS = 5;
function noteLargeAnswer(state, name, entry) {
    const { size, ms } = entry;
    if (!size || ms === undefined || size.decodedBytes <= LARGE_ANSWER_BYTES)
        return;
    const list = state.largeAnswers;
    list.push({
        name,
        ...(size.wireBytes !== undefined ? { wireBytes: size.wireBytes } : {}),
        decodedBytes: size.decodedBytes,
        ms: Math.round(ms),
    });
    list.sort((a, b) => b.decodedBytes - a.decodedBytes || a.name.localeCompare(b.name));
    if (list.length > LARGEST_ANSWERS)
        list.length = LARGEST_ANSWERS;
}
/**
 * A lapse the registry showed before must not vanish because it did not answer this time: for a
 * lookup that failed (not an answer: see NOT_A_FAILURE; a record whose expiry could not be read
 * is an answer too), the cache's lapsed verdict of the domain, marked with why this run's lookup
 * failed. Otherwise the verdict as it is.
 */
function standIn(state, verdict) {
    const { env } = state;
    if (verdict.state !== "unknown" ||
        NOT_A_FAILURE.has(verdict.errorCode ?? "") ||
        verdict.unreadableExpiry !== undefined)
        return verdict;
    const lapsed = env.cache?.getLapsedVerdict?.(verdict.domain, env.now());
    if (!lapsed)
        return verdict;
    // Judged again today it may no longer be a lapse (a recent-expiry window has closed): then it
    // says nothing of today, and the failed lookup stands.
    const judged = judgeVerdict(lapsed, env.now());
    if (!LAPSED_STATES.has(judged.state))
        return verdict;
    return {
        ...judged,
        source: "cache",
        lookupFailed: {
            error: verdict.error ?? "no verdict was reached",
            errorCode: verdict.errorCode ?? "unknown",
        },
    };
}
/** The pipeline stopped early: what it did not finish is reported as not checked. */
function settleUnfinished(state, reason, outcome) {
    const { env, options } = state;
    if (reason === "deadline")
        env.log?.({
            level: "warning",
            text: `the scan reached its deadline (${options.deadlineMs} ms); unfinished lookups are reported as not checked: raise deadline, or run again with a cache file (--cache) so that what finished is not asked again`,
        });
    const error = reason === "deadline" ? DEADLINE_REASON : INTERRUPTED_REASON;
    const now = env.now();
    for (const key of state.names) {
        if (!state.packages.has(key)) {
            state.packages.set(key, { name: nameOfKey(state, key), status: "error", error, emails: [] });
        }
    }
    const unsettled = (domain) => {
        if (!state.verdicts.has(domain))
            state.verdicts.set(domain, standIn(state, unknownVerdict(domain, error, reason, now)));
    };
    outcome.domains.forEach(unsettled);
    // Mail servers not asked about in time are not checked, and neither are the domains of those
    // that answered whose own lookups never started.
    for (const domain of outcome.mailDomains) {
        const servers = state.mail.get(domain);
        if (servers?.status === "answered")
            domainsToCheck(servers.hosts).forEach(unsettled);
        else if (!servers && TAKES_MAIL.has(state.verdicts.get(domain)?.state ?? ""))
            state.mail.set(domain, { status: "failed", error, errorCode: reason });
    }
}
/** Assess, apply the run's policy and put the report together. */
function buildReport(set, state, domainCount) {
    const { env, options, packages, verdicts } = state;
    const now = env.now();
    // Each line is judged by the project it comes from: the private lines of a name that is also
    // taken from PyPI by the private project's lookup key.
    const judged = set.dependencies.map((d) => {
        const name = normalizeName(d.name);
        const key = d.kind === "pypi" && d.index !== undefined
            ? state.projectKeys.get(name)?.get(indexIdentity(d.index))
            : undefined;
        return { ...d, name: key ?? name };
    });
    const assessed = assess({
        dependencies: judged,
        packages,
        verdicts,
        now,
        expiryWarningDays: options.expiryWarningDays,
        ...(options.checkMx ? { mail: state.mail } : {}),
        checkProjectUrls: options.checkProjectUrls,
    });
    const findings = applyPolicy(assessed.map((f) => ({ ...f, package: nameOfKey(state, f.package) })), {
        failOn: options.failOn,
        allow: options.allow,
        onLookupError: options.onLookupError,
        now,
        ...(env.introduced ? { introduced: env.introduced } : {}),
    });
    const s = state.http.stats;
    return {
        tool: { name: version/* TOOL_NAME */.l, version: version/* VERSION */.x },
        startedAt: state.startedAt.toISOString(),
        root: set.root,
        dependencies: set.dependencies,
        lockfiles: set.lockfiles,
        errors: set.errors,
        packages: state.names
            .map((key) => {
            const meta = packages.get(key);
            // The private project of a name that is also taken from PyPI says where it comes from.
            const index = state.projectKeys.has(nameOfKey(state, key))
                ? state.privateIndex.get(key)
                : undefined;
            return meta && index !== undefined ? { ...meta, index: stripCredentials(index) } : meta;
        })
            .filter((p) => p !== undefined),
        domains: [...verdicts.values()]
            .map((v) => {
            const mx = state.mail.get(v.domain);
            return mx ? { ...v, mx } : v;
        })
            .sort((a, b) => a.domain.localeCompare(b.domain)),
        findings,
        coverage: withShortfall(computeCoverage({
            dependencies: set.dependencies,
            names: state.names,
            packages,
            verdicts,
            mail: state.mail,
            indexUrl: options.pypiUrl,
            lockfiles: { read: set.lockfiles.length, unread: unreadLockfiles(set) },
        }), options.minCoverage),
        stats: {
            lockfiles: set.lockfiles.length,
            dependencies: set.dependencies.length,
            packages: state.names.length,
            domains: domainCount,
            requests: {
                pypi: s.pypi,
                rdap: s.rdap,
                bootstrap: s.bootstrap,
                dns: state.dnsQueries + state.mxQueries,
                mx: state.mxQueries,
                retries: s.retries,
            },
            cache: state.cacheStats,
            ...(state.largeAnswers.length > 0 ? { largestAnswers: [...state.largeAnswers] } : {}),
            durationMs: Math.round(external_node_perf_hooks_.performance.now() - state.startedMs),
            deadlineReached: state.scheduler.stopped === "deadline",
            ...(state.scheduler.stopped === "interrupted" ? { interrupted: true } : {}),
        },
        failOn: options.failOn,
    };
}

;// CONCATENATED MODULE: ./src/cli/usage.ts
// What the CLI says about itself: the general help, one usage per command (each flag with its
// value, choices and default), and the nearest known flag for a mistyped one.




const COMMANDS = ["scan", "deps"];
/** Flags of the CLI beyond the option table. */
const EXTRA_FLAGS = [
    { name: "config", value: "FILE", description: "Same as --config-file." },
    { name: "help", short: "h", description: "Show this help." },
    { name: "version", short: "V", description: "Print the version." },
];
/** Flags `deps` takes (it reads lockfiles only, no network). */
const DEPS_FLAGS = new Set(["format", "output"]);
/** Option table entries offered as CLI flags. */
function cliSpecs() {
    return OPTION_SPECS.filter((s) => !s.actionOnly && s.name !== "paths");
}
/** Every long flag the CLI knows, without `--`. */
function knownFlags() {
    return [...cliSpecs().map((s) => s.name), ...EXTRA_FLAGS.map((f) => f.name)];
}
function usage_valueOf(spec, command) {
    const kind = spec.kind;
    switch (kind.type) {
        case "enum":
            if (spec.name !== "format")
                return kind.values.join("|");
            return command === "deps" ? "table|json" : "table|json|markdown|sarif";
        case "int":
            return "N";
        case "duration":
            return "DURATION";
        case "fraction":
            return "0..1";
        case "boolean":
            return "true|false";
        case "url":
            return "URL";
        case "url-or-file":
            return "URL|FILE";
        case "host-port":
            return "HOST:PORT";
        case "list":
        case "allow":
            return "LIST";
        case "index-map":
            return "SIMPLE_URL=API_URL";
        case "cache-file":
            return "FILE";
        case "string":
            return /file|output|cache/.test(spec.name) ? "FILE" : "VALUE";
    }
}
function defaultOf(spec) {
    const d = spec.default;
    if (d === undefined || (Array.isArray(d) && d.length === 0))
        return undefined;
    if (spec.kind.type === "duration" && typeof d === "number") {
        if (d % 86_400_000 === 0)
            return `${d / 86_400_000}d`;
        if (d % 60_000 === 0 && d >= 60_000)
            return `${d / 60_000}m`;
        if (d % 1000 === 0)
            return `${d / 1000}s`;
        return `${d}ms`;
    }
    return String(d);
}
function flagLines(specs, command) {
    const rows = specs.map((s) => {
        const left = `--${s.name} ${usage_valueOf(s, command)}`;
        const dflt = defaultOf(s);
        return [left, `${s.description}${dflt !== undefined ? ` Default: ${dflt}.` : ""}`];
    });
    // `deps` reads no config file: --config is scan's alone.
    for (const f of EXTRA_FLAGS.filter((e) => command === "scan" || e.name !== "config")) {
        rows.push([
            `${f.short ? `-${f.short}, ` : ""}--${f.name}${f.value ? ` ${f.value}` : ""}`,
            f.description,
        ]);
    }
    const width = Math.max(...rows.map(([l]) => l.length)) + 2;
    return rows.map(([l, r]) => `  ${l.padEnd(width)}${r}`);
}
const EXIT_LINE = `Exit codes: ${codes_EXIT_CLEAN} clean, ${codes_EXIT_FINDINGS} findings at or above --fail-on, ${EXIT_USAGE} bad usage or nothing could be read, ${EXIT_INCOMPLETE} could not check enough (--min-coverage), ${EXIT_SIGINT}/${EXIT_SIGTERM} interrupted.`;
/** `maintainer-domain-guard help`: the commands, then every flag. */
function generalUsage() {
    return `Usage: ${version/* TOOL_NAME */.l} <command> [PATH...] [flags]

Commands:
  scan [PATH...]    Parse lockfiles, look up maintainer e-mail domains, report findings.
  deps [PATH...]    Parse lockfiles only (no network) and print the dependencies found.
  help [COMMAND]    Show the flags of a command.

Flags (scan):
${flagLines(cliSpecs(), "scan").join("\n")}

${EXIT_LINE}
Environment: HTTPS_PROXY, HTTP_PROXY, NO_PROXY (proxies); MDG_PYPI_TOKEN (bearer token for --pypi-url); MDG_INDEX_TOKEN (bearer token for the indexes of --index-urls).
`;
}
/** `maintainer-domain-guard help scan`: one command's usage line and its flags. */
function commandUsage(command) {
    if (command === "deps") {
        return `Usage: ${version/* TOOL_NAME */.l} deps [PATH...] [flags]

Parse lockfiles only (no network) and print the dependencies found.

Flags:
${flagLines(cliSpecs().filter((s) => DEPS_FLAGS.has(s.name)), "deps").join("\n")}

Exit codes: ${codes_EXIT_CLEAN} at least one lockfile read, ${EXIT_USAGE} bad usage or nothing could be read.
`;
    }
    return `Usage: ${version/* TOOL_NAME */.l} scan [PATH...] [flags]

Parse lockfiles (files or directories; default .), look up maintainer e-mail domains, report findings.
With one directory, its .github/maintainer-domain-guard.yml is read (else the git root's, else the working directory's).

Flags:
${flagLines(cliSpecs(), "scan").join("\n")}

${EXIT_LINE}
`;
}
/** The known flag nearest to `name` (without dashes), when it is near enough to be a typo. */
function nearestFlag(name) {
    return nearestName(name, knownFlags());
}

;// CONCATENATED MODULE: ./src/cli/main.ts
// The CLI: parse argv into the shared Options, run `deps` or `scan`, print, and pick the exit code.
// Under trouble it behaves: a mistyped flag gets the nearest one, an unwritable output file is
// one line (the report goes to stdout instead), a closed pipe ends quietly, and the first
// SIGINT/SIGTERM stops the scan and saves the cache (a second one exits at once).




















/** The environment variable read for a bearer token (never the config file). */
const PYPI_TOKEN_ENV = "MDG_PYPI_TOKEN";
function cliFlags() {
    const flags = {
        help: { type: "boolean", short: "h" },
        version: { type: "boolean", short: "V" },
        config: { type: "string" },
    };
    for (const spec of cliSpecs()) {
        flags[spec.name] = {
            type: "string",
            multiple: spec.kind.type === "list" || spec.kind.type === "allow" || spec.kind.type === "index-map",
        };
    }
    return flags;
}
/**
 * An unknown command as one line, with what was likely meant: the nearest command for a typo
 * (`scna`), or `scan <it>` when it names a file or folder (the command left out).
 */
function unknownCommand(command, cwd) {
    const shown = plainText(command, 80);
    const near = nearestName(command, COMMANDS);
    const hint = near
        ? `: did you mean ${near}?`
        : (0,external_node_fs_.existsSync)((0,external_node_path_.resolve)(cwd, command))
            ? `: to scan it, run \`${version/* TOOL_NAME */.l} scan ${shown}\``
            : "";
    return `${version/* TOOL_NAME */.l}: unknown command "${shown}"${hint} (use scan or deps; run \`${version/* TOOL_NAME */.l} help\`)`;
}
/** A parseArgs error as one line: the nearest known flag for an unknown one. */
function argumentProblem(error, command) {
    const e = error;
    const helpHint = `run \`${version/* TOOL_NAME */.l} help${command && COMMANDS.includes(command) ? ` ${command}` : ""}\` for the flags`;
    if (e.code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") {
        const flag = /'([^']+)'/.exec(e.message)?.[1] ?? "";
        const near = flag.startsWith("--") ? nearestFlag(flag.slice(2)) : undefined;
        return `${version/* TOOL_NAME */.l}: unknown flag ${plainText(flag, 80)}${near ? `: did you mean --${near}?` : ""} (${helpHint})`;
    }
    if (e.code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") {
        // "Option '-h, --help' does not take an argument", "Option '--format <value>' argument missing"
        const flag = /'(?:-\w, )?(--?[\w-]+)/.exec(e.message)?.[1] ?? "a flag";
        const what = /does not take an argument/.test(e.message) ? "takes no value" : "needs a value";
        return `${version/* TOOL_NAME */.l}: ${flag} ${what} (${helpHint})`;
    }
    return `${version/* TOOL_NAME */.l}: ${plainText(e.message.split("\n")[0] ?? "", 200)} (${helpHint})`;
}
/** What stdout can still take: a closed pipe (`| head`) makes later writes no-ops. */
function guardStdout(io) {
    let closed = false;
    const onError = (error) => {
        if (error.code === "EPIPE" || error.code === "ERR_STREAM_DESTROYED")
            closed = true;
        else
            throw error;
    };
    io.stdout.on("error", onError);
    return {
        write: (text) => {
            if (closed)
                return;
            try {
                io.stdout.write(text);
            }
            catch (error) {
                if (error.code === "EPIPE")
                    closed = true;
                else
                    throw error;
            }
        },
        // The listener stays: an EPIPE may arrive after main() returned, and must stay quiet.
        release: () => { },
    };
}
async function main(argv, io) {
    try {
        return await runCommand(argv, io);
    }
    catch (error) {
        // A defect of this tool, not a finding: say so, never exit 1 ("findings") or 0.
        const e = error;
        const where = (e.stack ?? "").split("\n").find((l) => l.trim().startsWith("at ")) ?? "";
        try {
            io.stderr.write(`${version/* TOOL_NAME */.l}: internal error: ${plainText(e.message ?? String(error), 300)}${where ? ` (${plainText(where.trim(), 200)})` : ""}; the run did not finish; this is a bug, please report it with the command line\n`);
        }
        catch {
            // stderr closed: the exit code says it.
        }
        return EXIT_INCOMPLETE;
    }
}
async function runCommand(argv, io) {
    const say = (text) => {
        try {
            io.stderr.write(text.endsWith("\n") ? text : `${text}\n`);
        }
        catch {
            // stderr closed: nothing left to tell.
        }
    };
    const out = guardStdout(io);
    let parsed;
    try {
        parsed = (0,external_node_util_.parseArgs)({ args: argv, options: cliFlags(), allowPositionals: true, strict: true });
    }
    catch (error) {
        const command = argv.find((a) => !a.startsWith("-"));
        say(argumentProblem(error, command));
        return EXIT_USAGE;
    }
    const { values, positionals } = parsed;
    if (values.version) {
        out.write(`${version/* VERSION */.x}\n`);
        return codes_EXIT_CLEAN;
    }
    const [command, ...paths] = positionals;
    if (command === "help") {
        const topic = paths[0];
        if (topic === undefined) {
            out.write(generalUsage());
            return codes_EXIT_CLEAN;
        }
        if (!COMMANDS.includes(topic)) {
            say(`${version/* TOOL_NAME */.l}: no help for "${plainText(topic, 80)}": commands are scan and deps`);
            return EXIT_USAGE;
        }
        out.write(commandUsage(topic));
        return codes_EXIT_CLEAN;
    }
    if (values.help) {
        out.write(command && COMMANDS.includes(command)
            ? commandUsage(command)
            : generalUsage());
        return codes_EXIT_CLEAN;
    }
    if (!command) {
        say(generalUsage());
        return EXIT_USAGE;
    }
    if (command !== "scan" && command !== "deps") {
        say(unknownCommand(command, io.cwd));
        return EXIT_USAGE;
    }
    if (command === "deps") {
        // deps reads lockfiles only: a scan flag there would be taken for one that does something.
        const other = Object.keys(values).find((name) => values[name] !== undefined && !DEPS_FLAGS.has(name) && name !== "help");
        if (other) {
            say(`${version/* TOOL_NAME */.l}: deps takes only --format and --output (it reads lockfiles, no network); --${other} is scan's (see ${version/* TOOL_NAME */.l} help deps)`);
            return EXIT_USAGE;
        }
    }
    let options;
    try {
        const flagLayer = {};
        for (const [name, value] of Object.entries(values)) {
            if (name === "help" || name === "version" || name === "config" || value === undefined)
                continue;
            const v = Array.isArray(value) ? value.join("\n") : value;
            flagLayer[name] = { value: v, source: "flag" };
        }
        if (values.config !== undefined)
            flagLayer["config-file"] = { value: values.config, source: "flag" };
        if (paths.length > 0)
            flagLayer["paths"] = { value: paths, source: "flag" };
        const token = io.env[PYPI_TOKEN_ENV];
        if (command === "scan" && token)
            flagLayer["pypi-token"] = { value: token, source: "input" };
        // The private indexes' token, from the environment too (argv is visible to every process).
        const indexToken = io.env.MDG_INDEX_TOKEN;
        if (command === "scan" && indexToken)
            flagLayer["index-token"] = { value: indexToken, source: "input" };
        const configFile = typeof values.config === "string"
            ? values.config
            : values["config-file"];
        let configLayer = {};
        if (command === "scan") {
            const found = configFile ?? discoverConfig(io.cwd, paths);
            say(found
                ? `config: ${plainText(found, 300)}`
                : `config: none (no ${DEFAULT_CONFIG_FILE} found)`);
            if (found)
                configLayer = await loadConfigLayer(io.cwd, found);
        }
        options = resolveOptions([configLayer, flagLayer]);
    }
    catch (error) {
        if (error instanceof OptionsError) {
            say(error.problems.map((p) => `${version/* TOOL_NAME */.l}: ${plainText(redactUrl(p), 500)}`).join("\n"));
            return EXIT_USAGE;
        }
        throw error;
    }
    const format = options.format ?? (io.stdout.isTTY ? "table" : "json");
    const set = await loadDependencies(options.paths, io.cwd);
    const collision = writeCollision(command === "scan"
        ? { "--output": options.output, "--sarif-file": options.sarifFile, "--cache": options.cache }
        : { "--output": options.output }, set, io.cwd);
    if (collision) {
        say(`${version/* TOOL_NAME */.l}: ${collision}`);
        return EXIT_USAGE;
    }
    if (command === "deps") {
        if (format !== "table" && format !== "json") {
            say(`${version/* TOOL_NAME */.l}: deps writes table or json, not ${format}: --format ${format} is for scan (${version/* TOOL_NAME */.l} help deps)`);
            return EXIT_USAGE;
        }
        const text = renderDeps(set, format);
        const wrote = await emit(text, options.output, io, out.write, say, "--output");
        if (set.lockfiles.length === 0) {
            say(nothingRead(options.paths));
            return EXIT_USAGE;
        }
        return wrote ? codes_EXIT_CLEAN : EXIT_USAGE;
    }
    if (set.lockfiles.length === 0) {
        for (const e of set.errors)
            say([formatParseError(e), ...formatSourceContext(e)].join("\n"));
        say(nothingRead(options.paths));
        // A SARIF file from an earlier run must not be uploaded as this one's: it says this run
        // did not run, which code scanning does not take as a complete analysis.
        await writeSarifNotRun(renderSarifNotRun(nothingRead(options.paths).slice(version/* TOOL_NAME */.l.length + 2)), options, io, say);
        return EXIT_USAGE;
    }
    // Stop requests: the first stops the scan (the cache is saved), a second exits at once.
    const controller = new AbortController();
    let signalled;
    const onSignal = (name) => {
        if (signalled)
            (io.exit ?? process.exit)(name === "SIGINT" ? EXIT_SIGINT : EXIT_SIGTERM);
        signalled = name;
        controller.abort();
    };
    const onInt = () => onSignal("SIGINT");
    const onTerm = () => onSignal("SIGTERM");
    io.signals?.on("SIGINT", onInt);
    io.signals?.on("SIGTERM", onTerm);
    try {
        return await runScan(set, options, format, io, controller.signal, () => signalled, out, say);
    }
    finally {
        io.signals?.off("SIGINT", onInt);
        io.signals?.off("SIGTERM", onTerm);
        out.release();
    }
}
async function runScan(set, options, format, io, signal, signalled, out, say) {
    const tty = io.stderr.isTTY === true;
    const progress = tty
        ? (done) => io.stderr.write(`\rpackages ${done.packages}/${done.packagesTotal}, domains ${done.domains}/${done.domainsTotal}`)
        : undefined;
    if (tty)
        io.stderr.write(`asking ${plainText(main_hostOf(options.pypiUrl), 100)} …`);
    // Verdict cache across runs (--cache FILE): read before the scan, written back after it.
    const cacheRefused = options.cache && options.writesFromConfig.includes("cache")
        ? writeRefusal(io.cwd, options.cache)
        : undefined;
    if (cacheRefused)
        say(`warning: ${plainText(options.cache, 300)}: the cache file the config file names is not used: ${cacheRefused}`);
    const cache = options.cache && !cacheRefused
        ? await openCache((0,external_node_path_.resolve)(io.cwd, options.cache), {
            maxAgeMs: options.cacheMaxAgeMs,
            log: (event) => say(logText(event)),
            scope: cacheScope(options),
        })
        : undefined;
    const report = await scan(set, options, {
        now: io.now,
        transport: io.transport ?? transportForEnv(io.env),
        onProgress: progress,
        log: (event) => say(logText(event)),
        cache,
        cwd: io.cwd,
        signal,
        ...(tty
            ? {}
            : {
                heartbeat: {
                    intervalMs: io.heartbeatMs ?? HEARTBEAT_INTERVAL_MS,
                    write: (line) => say(plainText(line, 300)),
                },
            }),
    });
    const saved = cache ? await cache.save(io.now()) : false;
    if (tty)
        io.stderr.write("\n");
    const interrupted = signalled();
    if (interrupted) {
        const checked = report.coverage?.domains.checked ?? 0;
        say(`interrupted: ${checked} of ${report.stats.domains} domains checked; ${cache ? (saved ? "cache saved" : "cache not saved") : "no cache (--cache FILE keeps verdicts)"}`);
        // An earlier run's SARIF must not be uploaded as this one's: it says this run did not finish.
        await writeSarifNotRun(renderSarifNotRun(`the scan was interrupted (${interrupted}) with ${checked} of ${report.stats.domains} domains checked; its results are not in this file`, "interrupted"), options, io, say);
        return interrupted === "SIGINT" ? EXIT_SIGINT : EXIT_SIGTERM;
    }
    // Colour only for a terminal: never into an --output file.
    const confined = (name) => options.writesFromConfig.includes(name);
    let wrote = await emit(renderReport(report, format, { color: io.stdout.isTTY === true && !options.output }), options.output, io, out.write, say, "--output", confined("output"));
    if (options.sarifFile) {
        wrote =
            (await emit(renderReport(report, "sarif"), options.sarifFile, io, 
            // Standard output carries the report when there is no --output: not the SARIF too.
            options.output ? out.write : undefined, say, "--sarif-file", confined("sarif-file"))) && wrote;
    }
    const code = exitCodeOf(report, options);
    const shortfall = report.coverage && coverageShortfall(report.coverage, options.minCoverage);
    if (shortfall)
        say(`${version/* TOOL_NAME */.l}: ${plainText(shortfall, 1000)}`);
    return wrote ? code : EXIT_USAGE;
}
/** The SARIF log of a run that did not run or finish, to --sarif-file when there is one. */
async function writeSarifNotRun(log, options, io, say) {
    if (!options.sarifFile)
        return;
    await emit(log, options.sarifFile, io, undefined, say, "--sarif-file", options.writesFromConfig.includes("sarif-file"));
}
/**
 * Write `text` to `file` (parent folders created), or to stdout without one. A write that fails
 * is one line, and the text goes to `fallback` (stdout) instead of being lost, when there is one.
 * False when it failed.
 */
async function emit(text, file, io, fallback, say, 
/** The option that names the file, for the message when it cannot be written. */
flag, 
/** The path came from a config file: written only inside the working directory. */
confined = false) {
    const body = text.endsWith("\n") ? text : `${text}\n`;
    if (!file) {
        fallback?.(body);
        return true;
    }
    // Standard output or error by name: written to the stream itself. Opening the name would open
    // the file a shell sent the stream to anew, at its start, over what was already there.
    const stream = STANDARD_STREAMS[(0,external_node_path_.resolve)(io.cwd, file)];
    if (stream !== undefined && !confined) {
        (stream === 1 ? io.stdout : io.stderr).write(body);
        return true;
    }
    const target = (0,external_node_path_.resolve)(io.cwd, file);
    const refused = confined ? writeRefusal(io.cwd, file) : undefined;
    if (refused) {
        say(`${version/* TOOL_NAME */.l}: not writing ${plainText(file, 300)}, which the config file names: ${refused}; ${fallback ? "the report follows on standard output instead" : "give the path as a flag to write elsewhere"}`);
        fallback?.(body);
        return false;
    }
    try {
        await writeWhole(target, body);
        return true;
    }
    catch (error) {
        const where = fallback
            ? "it follows on standard output instead"
            : "it is not written anywhere else (standard output has the report)";
        say(`${version/* TOOL_NAME */.l}: cannot write ${plainText(file, 300)}: ${plainText(writeFailure(error), 120)}; ${where}; give ${flag} a path you can write to`);
        fallback?.(body);
        return false;
    }
}
/**
 * The config file for `scan DIR` (one directory, no --config): DIR's own, else the one at the
 * git root above DIR, else the working directory's. Returned relative to the working directory.
 */
function discoverConfig(cwd, paths) {
    const candidates = [];
    if (paths.length === 1) {
        const dir = (0,external_node_path_.resolve)(cwd, paths[0]);
        if (isDirectory(dir)) {
            candidates.push((0,external_node_path_.join)(dir, DEFAULT_CONFIG_FILE));
            const root = gitRoot(dir);
            if (root)
                candidates.push((0,external_node_path_.join)(root, DEFAULT_CONFIG_FILE));
        }
    }
    candidates.push((0,external_node_path_.join)((0,external_node_path_.resolve)(cwd), DEFAULT_CONFIG_FILE));
    const found = candidates.find((c) => (0,external_node_fs_.existsSync)(c));
    if (!found)
        return undefined;
    const rel = (0,external_node_path_.relative)(cwd, found);
    return rel.split("\\").join("/");
}
function isDirectory(path) {
    try {
        return (0,external_node_fs_.statSync)(path).isDirectory();
    }
    catch {
        return false;
    }
}
/** The nearest folder at or above `dir` holding `.git` (a folder, or a file in a linked checkout). */
function gitRoot(dir) {
    let current = dir;
    for (let i = 0; i < 100; i++) {
        if ((0,external_node_fs_.existsSync)((0,external_node_path_.join)(current, ".git")))
            return current;
        const parent = (0,external_node_path_.dirname)(current);
        if (parent === current)
            return undefined;
        current = parent;
    }
    return undefined;
}
function main_hostOf(url) {
    try {
        return new URL(url).host;
    }
    catch {
        return url;
    }
}
/** Names of the standard streams, as `--output` may give them. */
const STANDARD_STREAMS = {
    "/dev/stdout": 1,
    "/dev/fd/1": 1,
    "/proc/self/fd/1": 1,
    "/dev/stderr": 2,
    "/dev/fd/2": 2,
    "/proc/self/fd/2": 2,
};
/**
 * Two options naming one file (the report would overwrite the cache, or the SARIF the report),
 * or an output naming a lockfile this run reads: why, for a usage error; undefined when none.
 */
function writeCollision(targets, set, cwd) {
    // Compared by real path: a file (or a lockfile) may be named through a link, also one whose
    // file is not there yet (it names where the write goes).
    const real = (path, hops = 0) => {
        try {
            return (0,external_node_fs_.realpathSync)(path);
        }
        catch {
            try {
                if (hops < 40)
                    return real(linkTextTarget((0,external_node_fs_.realpathSync)((0,external_node_path_.dirname)(path)), (0,external_node_fs_.readlinkSync)(path)), hops + 1);
            }
            catch {
                // not a link: a file still to be made, under its folder's real path
            }
            try {
                return (0,external_node_path_.join)((0,external_node_fs_.realpathSync)((0,external_node_path_.dirname)(path)), (0,external_node_path_.basename)(path));
            }
            catch {
                return path;
            }
        }
    };
    // A standard stream is one target under each of its names; the report goes to standard
    // output when `--output` names nothing.
    const where = (file) => {
        const at = (0,external_node_path_.resolve)(cwd, file);
        const stream = STANDARD_STREAMS[at];
        return stream === undefined ? real(at) : `standard stream ${stream}`;
    };
    const named = Object.entries(targets).flatMap(([flag, file]) => file ? [{ flag, file, at: where(file) }] : []);
    if ("--output" in targets && !targets["--output"])
        named.unshift({ flag: "the report", file: "standard output", at: "standard stream 1" });
    for (const [i, a] of named.entries()) {
        for (const b of named.slice(i + 1)) {
            if (a.at === b.at)
                return `${a.flag} and ${b.flag} name the same file (${plainText(b.file, 300)}): give each its own`;
        }
    }
    const read = new Set(set.lockfiles.flatMap((l) => {
        const at = (0,external_node_path_.resolve)(set.root, l.path);
        return [at, real(at)];
    }));
    for (const t of named) {
        if (read.has(t.at) || read.has(real(t.at)))
            return `${t.flag} names ${plainText(t.file, 300)}, a lockfile this run reads: writing there would replace it; give another path`;
    }
    return undefined;
}
function nothingRead(paths) {
    return `${version/* TOOL_NAME */.l}: no lockfile could be read in ${paths.map((p) => plainText(p, 200)).join(", ")}`;
}
/** A log event as a stderr line: warnings say so, so they stand out in a terminal and in CI logs. */
function logText(event) {
    const text = plainText(redactUrl(event.text), 1000);
    return event.level === "warning" ? `warning: ${text}` : text;
}


/***/ })

};

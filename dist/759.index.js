export const id = 759;
export const ids = [759];
export const modules = {

/***/ 8759:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  main: () => (/* binding */ main)
});

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
  parse: () => (uv_parse),
  sniff: () => (sniff)
});

// EXTERNAL MODULE: external "node:util"
var external_node_util_ = __webpack_require__(7975);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
;// CONCATENATED MODULE: ./src/codes.ts
const FINDING_KINDS = [
    "domain-unregistered",
    "domain-expired",
    "domain-reregistered",
    "domain-on-hold",
    "domain-expiring",
    "lookup-failed",
    "package-not-found",
    "no-maintainer-email",
];
const SEVERITIES = [
    "critical",
    "high",
    "medium",
    "low",
    "info",
];
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
        meaning: "The domain's expiration date has passed, or the registry reports it in redemption, pending delete or pending restore: it is about to become registrable by anyone.",
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
        meaning: "The registry reports client hold, server hold or inactive: the domain does not resolve and mail to the maintainer bounces; holds often come before deletion.",
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
const EXIT_CLEAN = 0;
const EXIT_FINDINGS = 1;
const EXIT_USAGE = 2;

;// CONCATENATED MODULE: ./src/options/options.ts

const FAIL_ON_LEVELS = ["critical", "high", "medium", "low", "info", "never"];
/** The table of every option: name, type, default, and what it does. */
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
        description: "DNS server (HOST:PORT) for the NS check before `domain-unregistered`. Default: the system resolver.",
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
        kind: { type: "string" },
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
        description: "More mail providers or domains that never lapse, added to the built-in list.",
    },
    {
        name: "replace-skip-domains",
        key: "replaceSkipDomains",
        kind: { type: "boolean" },
        default: false,
        description: "Use only `skip-domains`, not the built-in provider list.",
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
        kind: { type: "duration" },
        default: 15_000,
        description: "Timeout of one HTTP request (seconds, or a duration such as `20s`).",
    },
    {
        name: "max-retry-wait",
        key: "maxRetryWaitMs",
        kind: { type: "duration" },
        default: 10_000,
        description: "Longest single wait for Retry-After or backoff (seconds or a duration).",
    },
    {
        name: "retries",
        key: "retries",
        kind: { type: "int", min: 0, max: 10 },
        default: 3,
        description: "Retries of a request that failed with 429, 5xx or a timeout.",
    },
    {
        name: "deadline",
        key: "deadlineMs",
        kind: { type: "duration" },
        default: 600_000,
        description: "Deadline for the whole scan (seconds or a duration such as `10m`).",
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
];
const DEFAULT_CONFIG_FILE = ".github/maintainer-domain-guard.yml";
class OptionsError extends Error {
    problems;
    constructor(problems) {
        super(problems.join("\n"));
        this.problems = problems;
        this.name = "OptionsError";
    }
}
function describeSource(spec, raw) {
    switch (raw.source) {
        case "flag":
            return `from flag --${spec.name}`;
        case "input":
            return `from action input '${spec.name}'`;
        case "config":
            return `from key '${spec.name}' in ${raw.file ?? "the config file"}`;
    }
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
const ALLOW_KEYS = new Set(["package", "domain", "kind", "reason", "until"]);
function parseAllowEntries(value, where, problems) {
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
        problems.push(`allow: must be a list of entries (${where})`);
        return entries;
    }
    items.forEach((item, i) => {
        const at = `allow[${i}]`;
        if (item === null || typeof item !== "object" || Array.isArray(item)) {
            problems.push(`${at}: must be a mapping with a reason (${where})`);
            return;
        }
        const obj = item;
        for (const key of Object.keys(obj)) {
            if (!ALLOW_KEYS.has(key)) {
                problems.push(`${at}.${key}: unknown key; allowed keys are package, domain, kind, reason, until (${where})`);
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
            problems.push(`${at}.${k}: must be a string (${where})`);
            return undefined;
        };
        const entry = { reason: str("reason") ?? "" };
        const pkg = str("package");
        const domain = str("domain");
        const kind = str("kind");
        const until = str("until");
        if (!entry.reason)
            problems.push(`${at}.reason: is required: say why this is allowed (${where})`);
        if (pkg)
            entry.package = pkg.toLowerCase().replace(/[-_.]+/g, "-");
        if (domain)
            entry.domain = domain.toLowerCase().replace(/\.$/, "");
        if (kind) {
            if (FINDING_KINDS.includes(kind))
                entry.kind = kind;
            else
                problems.push(`${at}.kind: "${kind}" is not one of ${FINDING_KINDS.join(", ")} (${where})`);
        }
        if (until) {
            if (/^\d{4}-\d{2}-\d{2}$/.test(until) && !Number.isNaN(Date.parse(until)))
                entry.until = until;
            else
                problems.push(`${at}.until: "${until}" is not a date (YYYY-MM-DD) (${where})`);
        }
        if (!entry.package && !entry.domain && !entry.kind) {
            problems.push(`${at}: names none of package, domain, kind: it would allow everything (${where})`);
        }
        entries.push(entry);
    });
    return entries;
}
function convert(spec, raw, problems) {
    const where = describeSource(spec, raw);
    const { value } = raw;
    const text = typeof value === "string" ? value.trim() : value;
    const bad = (allowed) => {
        const shown = typeof value === "string" ? JSON.stringify(value) : JSON.stringify(value);
        problems.push(`${spec.name}: ${shown} is not ${allowed} (${where})`);
        return undefined;
    };
    switch (spec.kind.type) {
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
            const m = /^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.exec(text);
            if (!m || Number(m[2]) > 65535)
                return bad("HOST:PORT (for example 127.0.0.1:53)");
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
            const n = typeof text === "number" ? text : typeof text === "string" ? Number(text) : NaN;
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
            return ms;
        }
        case "list": {
            if (Array.isArray(text) && text.every((x) => typeof x === "string")) {
                return text.map((s) => s.trim()).filter(Boolean);
            }
            if (typeof text === "string")
                return splitList(text);
            return bad("a list of strings");
        }
        case "allow":
            return parseAllowEntries(value, where, problems);
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
    for (const layer of layers) {
        for (const [name, raw] of Object.entries(layer)) {
            const spec = findSpec(name);
            if (!spec) {
                const where = raw.source === "config" ? ` in ${raw.file ?? "the config file"}` : "";
                problems.push(`${name}: unknown option${where}`);
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
        }
    }
    if (problems.length > 0)
        throw new OptionsError(problems);
    return options;
}
/**
 * Turn a parsed config file (a YAML mapping) into a raw layer. Keys are the kebab-case option
 * names; `allow` holds entries.
 */
function configLayer(doc, file) {
    if (doc === null || doc === undefined)
        return {};
    if (typeof doc !== "object" || Array.isArray(doc)) {
        throw new OptionsError([`${file}: must be a mapping of option names to values`]);
    }
    const layer = {};
    for (const [key, value] of Object.entries(doc)) {
        if (value === null || value === undefined)
            continue;
        layer[key] = { value, source: "config", file };
    }
    return layer;
}
const SEVERITY_RANK = {
    critical: 4,
    high: 3,
    medium: 2,
    low: 1,
    info: 0,
};
/** Whether a finding of this severity fails a run with this fail-on level. */
function meetsThreshold(severity, failOn) {
    if (failOn === "never")
        return false;
    return SEVERITY_RANK[severity] >= SEVERITY_RANK[failOn];
}
function severityRank(severity) {
    return SEVERITY_RANK[severity];
}

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
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
    let text;
    try {
        const bytes = await (0,promises_.readFile)((0,external_node_path_.resolve)(root, name));
        if (bytes.length > MAX_CONFIG_BYTES) {
            throw new OptionsError([`${name}: config file is larger than 1 MiB`]);
        }
        text = bytes.toString("utf8");
    }
    catch (error) {
        if (error instanceof OptionsError)
            throw error;
        throw new OptionsError([
            `${name}: cannot read config file: ${error.code ?? error.message}`,
        ]);
    }
    return parseConfigText(text, name);
}
/** Parse config text; YAML errors name the file and line. */
function parseConfigText(text, name) {
    const doc = (0,dist/* parseDocument */.Tp)(text, { prettyErrors: false, uniqueKeys: true });
    if (doc.errors.length > 0) {
        throw new OptionsError(doc.errors.map((e) => {
            const pos = e.linePos?.[0];
            return `${name}${pos ? `:${pos.line}:${pos.col}` : ""}: invalid YAML: ${e.message.split("\n")[0]} [${e.code}]`;
        }));
    }
    return configLayer(doc.toJS({ maxAliasCount: 100 }), name);
}

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
;// CONCATENATED MODULE: ./src/scan/cache.ts
// Usage:
//   const cache = await openCache(".domain-guard-cache.json", { maxAgeMs: options.cacheMaxAgeMs, log });
//   const report = await scan(set, options, { now, fetch, cache });   // reads and fills it
//   await cache.save();                                               // temp file + rename
//
// The verdict cache across runs: RDAP verdicts keyed by registrable domain and PyPI metadata
// keyed by normalised package name, stored as one versioned JSON file. How long a verdict is
// trusted depends on what was seen (see verdictTtlMs); `unknown` is never stored. A cache file
// is untrusted input: a corrupt, mistyped or future-version file, or an entry that does not
// have the expected shape, is dropped with a warning and never fails the scan.



/** The file format version this build reads and writes. */
const CACHE_VERSION = 1;
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** A registered domain whose expiry is further away than this is "stable". */
const STABLE_EXPIRY_MARGIN_MS = 90 * DAY_MS;
/** Longest trust for a stable registered domain (the configured ceiling may lower it). */
const STABLE_TTL_MS = 7 * DAY_MS;
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
    };
    verdicts = new Map();
    packages = new Map();
    maxAgeMs;
    log;
    /** The latest clock reading passed in, so that save() prunes on the scan's clock. */
    lastNow;
    constructor(file, opts, data) {
        this.file = file;
        this.maxAgeMs = opts.maxAgeMs;
        this.log = opts.log;
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
        const entry = this.verdicts.get(domainKey(domain));
        if (!entry || !this.isFresh(entry, now)) {
            this.stats.verdictMisses++;
            return undefined;
        }
        this.stats.verdictHits++;
        return { ...entry.verdict, statuses: [...entry.verdict.statuses], source: "cache" };
    }
    putVerdict(verdict, now) {
        this.seen(now);
        const key = domainKey(verdict.domain);
        const ttl = verdictTtlMs(verdict, now, this.maxAgeMs);
        if (ttl <= 0) {
            // `unknown` (or a verdict that is already stale) replaces nothing and is not stored: an
            // older, still fresh verdict stays.
            return;
        }
        const stored = {
            ...verdict,
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
    putPackage(meta, now, maxAgeSeconds) {
        this.seen(now);
        if (maxAgeSeconds === undefined || !Number.isFinite(maxAgeSeconds) || maxAgeSeconds <= 0)
            return;
        // Only answers the index gave: an error is retried next run.
        if (meta.status !== "ok" && meta.status !== "not-found")
            return;
        const ttl = Math.min(maxAgeSeconds * 1000, this.maxAgeMs);
        if (ttl <= 0)
            return;
        const { cached: _cached, ...rest } = meta;
        this.packages.set(meta.name, {
            meta: { ...rest, emails: meta.emails.map((e) => ({ ...e })) },
            storedAt: now.toISOString(),
            expiresAt: new Date(now.getTime() + ttl).toISOString(),
        });
    }
    /**
     * Write the cache back: entries still fresh at `now` only, to a temporary file in the same
     * directory, then renamed over the old one (a reader never sees half a file). A failed write
     * is a warning, not an error: the scan's result does not depend on it. `now` defaults to the
     * latest clock reading the scan passed in (nothing is pruned when there was none).
     */
    async save(now = this.lastNow) {
        const data = { version: CACHE_VERSION, verdicts: {}, packages: {} };
        for (const key of [...this.verdicts.keys()].sort()) {
            const entry = this.verdicts.get(key);
            if (!now || this.isFresh(entry, now))
                setOwn(data.verdicts, key, entry);
        }
        for (const key of [...this.packages.keys()].sort()) {
            const entry = this.packages.get(key);
            if (!now || this.isFresh(entry, now))
                setOwn(data.packages, key, entry);
        }
        const target = (0,external_node_path_.resolve)(this.file);
        const temp = `${target}.${process.pid}.${(0,external_node_crypto_.randomBytes)(4).toString("hex")}.tmp`;
        try {
            await (0,promises_.mkdir)((0,external_node_path_.dirname)(target), { recursive: true });
            await (0,promises_.writeFile)(temp, JSON.stringify(data) + "\n", { mode: 0o644 });
            await (0,promises_.rename)(temp, target);
            return true;
        }
        catch (error) {
            await (0,promises_.rm)(temp, { force: true }).catch(() => undefined);
            this.log(`warning: ${this.file}: could not write the cache: ${error.message}`);
            return false;
        }
    }
    seen(now) {
        if (!this.lastNow || now.getTime() > this.lastNow.getTime())
            this.lastNow = now;
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
 * Open (or start) a cache file. A missing file is an empty cache, silently. A file that cannot
 * be read, is not JSON, has the wrong shape or a version this build does not know is ignored
 * with one warning through `log`; it is replaced by the next `save()`.
 */
async function openCache(file, opts) {
    const empty = () => new FileVerdictCache(file, opts);
    let text;
    try {
        const info = await (0,promises_.stat)(file);
        if (!info.isFile()) {
            opts.log(`warning: ${file}: the cache is not a regular file; starting with an empty cache`);
            return empty();
        }
        if (info.size > MAX_FILE_BYTES) {
            opts.log(`warning: ${file}: the cache file is ${info.size} bytes, over the ${MAX_FILE_BYTES}-byte limit; ignored`);
            return empty();
        }
        text = await (0,promises_.readFile)(file, "utf8");
    }
    catch (error) {
        if (error.code === "ENOENT")
            return empty();
        opts.log(`warning: ${file}: could not read the cache: ${error.message}; ignored`);
        return empty();
    }
    const parsed = parseCacheFile(text);
    if (!parsed.ok) {
        opts.log(`warning: ${file}: ${parsed.error}; the cache is ignored and will be rewritten`);
        return empty();
    }
    if (parsed.dropped > 0) {
        opts.log(`warning: ${file}: ${parsed.dropped} cache ${parsed.dropped === 1 ? "entry has" : "entries have"} an unexpected shape and ${parsed.dropped === 1 ? "was" : "were"} ignored`);
    }
    return new FileVerdictCache(file, opts, parsed.data);
}
/** Validate a cache file's text. Entries with an unexpected shape are dropped and counted. */
function parseCacheFile(text) {
    let doc;
    try {
        doc = JSON.parse(text);
    }
    catch (error) {
        return { ok: false, error: `not valid JSON (${error.message})` };
    }
    if (!isRecord(doc))
        return { ok: false, error: "not a JSON object" };
    const version = doc["version"];
    if (typeof version !== "number" || !Number.isInteger(version)) {
        return { ok: false, error: "no cache format version" };
    }
    if (version > CACHE_VERSION) {
        return {
            ok: false,
            error: `cache format version ${version} is newer than this version understands (${CACHE_VERSION})`,
        };
    }
    if (version < CACHE_VERSION)
        return { ok: false, error: `cache format version ${version} is no longer read` };
    const data = { version, verdicts: {}, packages: {} };
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
    for (const [key, value] of Object.entries(packages)) {
        const entry = readPackageEntry(key, value);
        if (entry)
            setOwn(data.packages, key, entry);
        else
            dropped++;
    }
    return { ok: true, data, dropped };
}
function readVerdictEntry(key, value) {
    if (!isRecord(value) || !isDate(value["storedAt"]) || !isDate(value["expiresAt"]))
        return undefined;
    const v = value["verdict"];
    if (!isRecord(v))
        return undefined;
    if (typeof v["domain"] !== "string" ||
        v["domain"] !== key ||
        !DOMAIN_SHAPE.test(key) ||
        key.length > 253) {
        return undefined;
    }
    if (typeof v["state"] !== "string" ||
        !STATES.includes(v["state"]) ||
        v["state"] === "unknown") {
        return undefined;
    }
    if (!Array.isArray(v["statuses"]) || !v["statuses"].every((s) => typeof s === "string"))
        return undefined;
    for (const field of ["created", "expires", "reregistered"]) {
        if (v[field] !== undefined && !isDate(v[field]))
            return undefined;
    }
    for (const field of ["error", "errorCode", "server", "dns"]) {
        if (v[field] !== undefined && typeof v[field] !== "string")
            return undefined;
    }
    if (!isDate(v["checkedAt"]))
        return undefined;
    return {
        verdict: v,
        storedAt: value["storedAt"],
        expiresAt: value["expiresAt"],
    };
}
function readPackageEntry(key, value) {
    if (!isRecord(value) || !isDate(value["storedAt"]) || !isDate(value["expiresAt"]))
        return undefined;
    const m = value["meta"];
    if (!isRecord(m) || m["name"] !== key || !PACKAGE_SHAPE.test(key))
        return undefined;
    if (m["status"] !== "ok" && m["status"] !== "not-found")
        return undefined;
    if (!Array.isArray(m["emails"]))
        return undefined;
    for (const e of m["emails"]) {
        if (!isRecord(e) || typeof e["address"] !== "string" || typeof e["field"] !== "string")
            return undefined;
        if (e["domain"] !== undefined && typeof e["domain"] !== "string")
            return undefined;
    }
    for (const field of ["latestVersion", "lastReleaseAt", "error"]) {
        if (m[field] !== undefined && typeof m[field] !== "string")
            return undefined;
    }
    return {
        meta: m,
        storedAt: value["storedAt"],
        expiresAt: value["expiresAt"],
    };
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
function domainKey(domain) {
    return domain.trim().toLowerCase().replace(/\.$/, "");
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
 * Finds, in order, the line of each `name = "<raw>"` occurrence (TOML inline tables), starting
 * after the previous match so repeated names map to successive lines. 1 when not found.
 */
function findNameLines(text, rawNames) {
    const index = new LineIndex(text);
    let from = 0;
    return rawNames.map((raw) => {
        const re = new RegExp(`(^|[\\s{,])name\\s*=\\s*(["'])${escapeRegExp(raw)}\\2`, "gm");
        re.lastIndex = from;
        const m = re.exec(text);
        if (!m)
            return 1;
        from = m.index + m[0].length;
        return index.lineOf(m.index + m[1].length);
    });
}
function escapeRegExp(text) {
    return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
/**
 * Lines of the keys one level below each top-level key of a JSON object document:
 * `lines.get(section)?.get(key)`. Walks the text once, respecting strings and escapes.
 */
function jsonSecondLevelKeyLines(text) {
    const out = new Map();
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
    return out;
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
function lines_withSourceContext(errors, texts) {
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

;// CONCATENATED MODULE: ./src/lockfiles/shared/decode.ts
// Decoding TOML, JSON and YAML into plain data, turning every failure into a ParseError with
// the decoder's own position. Bounded: deep nesting and alias bombs become errors, not crashes.



/** Deepest bracket nesting we decode; real lockfiles stay far below it. */
const MAX_NESTING = 200;
/** YAML aliases allowed per document; an environment file needs none. */
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
            const line = lineCol
                ? Number(lineCol[1])
                : pos
                    ? lineOfOffset(text, Number(pos[1]))
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
        const doc = (0,dist/* parseDocument */.Tp)(text, {
            lineCounter,
            prettyErrors: false,
            uniqueKeys: false,
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

;// CONCATENATED MODULE: ./src/lockfiles/shared/pep508.ts
/** PEP 508 name grammar: letters, digits, `.`, `_`, `-`; starts and ends with a letter or digit. */
const NAME_RE = /^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$/;
/** Longest name we accept; PyPI's own limit is far below this. */
const MAX_NAME_LENGTH = 200;
/** PEP 503 normalisation: lower case, runs of `-`, `_`, `.` become one `-`. */
function normalizeName(name) {
    return name.toLowerCase().replace(/[-_.]+/g, "-");
}
/** True when `name` matches the PEP 508 name grammar (checked before a name may reach a URL). */
function isValidName(name) {
    return name.length <= MAX_NAME_LENGTH && NAME_RE.test(name);
}
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
        (/[\\/]/.test(text) && !/[<>=!~;@]/.test(text.split(/[\\/]/)[0])) ||
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
    t = t.replace(/\[[^\]]*\]?$/, "");
    return t.trim();
}
/**
 * Parses one logical requirement (comments, `--hash` and other per-requirement options already
 * removed). `editable` marks a `-e` target.
 */
function parseRequirement(raw, editable = false) {
    const text = raw.trim();
    if (text === "")
        return { error: "empty requirement" };
    if (editable || URL_RE.test(text) || VCS_PREFIX_RE.test(text) || looksLikePath(text)) {
        const location = stripPathDecorations(text);
        let kind = locationKind(location);
        if (editable && kind !== "vcs")
            kind = "editable";
        const found = nameFromEgg(location) ?? nameFromArchive(location);
        return { name: found === undefined ? undefined : normalizeName(found), kind, target: location };
    }
    const m = /^([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*(.*)$/s.exec(text);
    if (!m) {
        // pip expands `${VAR}` from the environment; we leave it as written, so the name is unknown.
        const variable = /^\$\{([A-Za-z0-9_]+)\}/.exec(text);
        if (variable)
            return {
                error: `the name comes from the environment variable \${${pep508_preview(variable[1], 60)}}, which is not expanded here: "${pep508_preview(text)}" cannot be checked`,
            };
        return { error: `not a requirement: "${pep508_preview(text)}"` };
    }
    const rawName = m[1];
    if (!isValidName(rawName))
        return { error: `invalid package name "${pep508_preview(rawName)}"` };
    const name = normalizeName(rawName);
    let rest = m[3] ?? "";
    if (m[2] === undefined && rest.startsWith("["))
        return { error: `unterminated extras in "${pep508_preview(text)}"` };
    if (rest.startsWith("@")) {
        const location = stripPathDecorations(rest.slice(1));
        if (location === "")
            return { error: `missing URL after "@" for ${name}` };
        return { name, kind: locationKind(location), target: location };
    }
    const semi = rest.indexOf(";");
    if (semi >= 0)
        rest = rest.slice(0, semi);
    rest = rest.trim();
    if (rest !== "" && !/^\(?\s*(===?|!=|~=|<=?|>=?)/.test(rest)) {
        return { error: `unexpected text after ${name}: "${pep508_preview(rest)}"` };
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
        message: `invalid package name "${pep508_preview(rawName)}"`,
    };
}
/** Short, single-line excerpt of untrusted text for error messages. */
function pep508_preview(text, max = 80) {
    const flat = text.replace(/[\u0000-\u001f\u007f-\u009f]/g, " ");
    return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

;// CONCATENATED MODULE: ./src/lockfiles/formats/requirements.ts


const format = "requirements";
/** `requirements*.txt`, `constraints*.txt`, and any `.txt` under a `requirements/` folder. */
function matches(path) {
    const base = baseName(path).toLowerCase();
    if (/^(requirements|constraints).*\.txt$/.test(base) || /^.+\.requirements\.txt$/.test(base))
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
/** Joins `\` continuations; a comment line ends a continuation. Comments are removed. */
function logicalLines(text) {
    const out = [];
    const physical = text.split("\n");
    let buffer = "";
    let start = 0;
    let open = false;
    for (let i = 0; i < physical.length; i++) {
        let line = physical[i];
        if (line.endsWith("\r"))
            line = line.slice(0, -1);
        if (!open)
            start = i + 1;
        const trimmedStart = line.trimStart();
        if (open && trimmedStart.startsWith("#")) {
            out.push({ text: stripComment(buffer), line: start });
            buffer = "";
            open = false;
            continue;
        }
        if (line.endsWith("\\") && commentStart(line) < 0) {
            buffer += line.slice(0, -1);
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
/** Removes per-requirement options (`--hash=...`, `--hash ...`, `--config-settings ...`) outside quotes. */
function cutRequirementOptions(text) {
    let quote = "";
    for (let i = 0; i < text.length; i++) {
        const c = text[i];
        if (quote !== "") {
            if (c === quote)
                quote = "";
        }
        else if (c === '"' || c === "'") {
            quote = c;
        }
        else if ((c === " " || c === "\t") &&
            text[i + 1] === "-" &&
            /^-{1,2}[A-Za-z]/.test(text.slice(i + 1, i + 4))) {
            return text.slice(0, i).trim();
        }
    }
    return text.trim();
}
const INCLUDE_RE = /^(-r|--requirement|-c|--constraint)(?:\s*=\s*|\s+|(?<=^-[rc]))(.*)$/;
const EDITABLE_RE = /^(-e|--editable)(?:\s*=\s*|\s+|(?<=^-e))(.*)$/;
/**
 * Parses logical requirement lines (from a requirements file, or a conda `pip:` list) into
 * `state`. `fmt` is the format recorded on each dependency.
 */
function parseLines(lines, file, fmt, state) {
    for (const { text, line } of lines) {
        if (text.startsWith("-")) {
            const include = INCLUDE_RE.exec(text);
            if (include) {
                const target = stripComment(include[2] ?? "");
                if (target === "") {
                    state.errors.push({
                        file,
                        line,
                        code: "invalid-option",
                        message: `${include[1]} needs a file name`,
                    });
                }
                else {
                    followInclude(file, line, target, state);
                }
                continue;
            }
            const editable = EDITABLE_RE.exec(text);
            if (editable) {
                addRequirement(cutRequirementOptions(editable[2] ?? ""), true, file, line, fmt, state);
            }
            // Any other option line (-i, --index-url, --extra-index-url, --find-links, --trusted-host,
            // --pre, --no-binary, --only-binary, --prefer-binary, --require-hashes, ...) is skipped.
            continue;
        }
        addRequirement(cutRequirementOptions(text), false, file, line, fmt, state);
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
    const name = req.name ?? pep508_preview(req.target ?? text, 200);
    state.dependencies.push(makeDependency({ name, version: req.version, file, line, kind: req.kind }, fmt));
}
function followInclude(from, line, target, state) {
    if (!state.ctx)
        return;
    const got = state.ctx.readInclude(from, target);
    if ("error" in got) {
        state.errors.push({ file: from, line, code: got.code, message: got.error });
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
function parse(text, file, ctx) {
    const state = { ctx, seen: new Set([file]), stack: [file], dependencies: [], errors: [] };
    parseLines(logicalLines(text), file, "requirements", state);
    return { dependencies: state.dependencies, errors: state.errors };
}
/**
 * Parses requirement entries that come one per item with known lines (a conda `pip:` list).
 * Includes are followed relative to `file`.
 */
function parseEntries(entries, file, fmt, ctx) {
    const state = { ctx, seen: new Set([file]), stack: [file], dependencies: [], errors: [] };
    const lines = entries
        .map((e) => ({ text: stripComment(e.text), line: e.line }))
        .filter((e) => e.text !== "");
    parseLines(lines, file, fmt, state);
    return { dependencies: state.dependencies, errors: state.errors };
}

;// CONCATENATED MODULE: ./src/lockfiles/formats/conda.ts
// environment.yml / environment.yaml: conda packages (kind `conda`, never looked up) and the
// `pip:` list, parsed as requirement lines with their YAML line numbers.





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
function conda_parse(text, file, ctx) {
    const decoded = decodeYaml(text, file);
    if ("error" in decoded)
        return { dependencies: [], errors: [decoded.error] };
    const { doc, lineOf } = decoded;
    const dependencies = [];
    const errors = [];
    const deps = (0,dist/* isMap */.jh)(doc.contents) ? doc.contents.get("dependencies", true) : undefined;
    if (deps === undefined || deps === null)
        return { dependencies, errors };
    if (!(0,dist/* isSeq */.oP)(deps)) {
        const line = (0,dist/* isScalar */.jn)(deps) && deps.range ? lineOf(deps.range[0]) : 1;
        return {
            dependencies,
            errors: [{ file, line, code: "invalid-lockfile", message: "`dependencies` is not a list" }],
        };
    }
    for (const item of deps.items) {
        if ((0,dist/* isScalar */.jn)(item)) {
            const line = item.range ? lineOf(item.range[0]) : 1;
            const spec = String(item.value ?? "");
            const parsed = parseCondaSpec(spec);
            if (!parsed) {
                errors.push({
                    file,
                    line,
                    code: "invalid-requirement",
                    message: `not a conda package spec: "${pep508_preview(spec)}"`,
                });
                continue;
            }
            dependencies.push(makeDependency({ ...parsed, file, line, kind: "conda" }, conda_format));
        }
        else if ((0,dist/* isMap */.jh)(item)) {
            const pip = item.get("pip", true);
            if (!(0,dist/* isSeq */.oP)(pip))
                continue;
            const entries = [];
            for (const p of pip.items) {
                if (!(0,dist/* isScalar */.jn)(p))
                    continue;
                entries.push({ text: String(p.value ?? ""), line: p.range ? lineOf(p.range[0]) : 1 });
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
    if (entries === undefined)
        return { packages: [], errors: [] };
    if (!Array.isArray(entries)) {
        return {
            packages: [],
            errors: [
                {
                    file,
                    line: 1,
                    code: "invalid-lockfile",
                    message: `\`${key}\` is not an array of tables`,
                },
            ],
        };
    }
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
                message: `package without a valid name: "${pep508_preview(rawName)}"`,
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
/** Source URLs by name from `_meta.sources`, for entries that name a non-default `index`. */
function sourceUrls(meta) {
    const out = new Map();
    if (!decode_isRecord(meta) || !Array.isArray(meta.sources))
        return out;
    for (const s of meta.sources) {
        if (decode_isRecord(s) && typeof s.name === "string" && typeof s.url === "string")
            out.set(s.name, s.url);
    }
    return out;
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
    const keyLines = jsonSecondLevelKeyLines(text);
    const sources = sourceUrls(root._meta);
    const dependencies = [];
    const errors = [];
    for (const [section, entries] of Object.entries(root)) {
        if (section === "_meta" || !decode_isRecord(entries))
            continue;
        for (const [rawName, entry] of Object.entries(entries)) {
            const line = keyLines.get(section)?.get(rawName) ?? 1;
            if (!isValidName(rawName)) {
                errors.push(invalidNameError(file, line, rawName));
                continue;
            }
            const name = normalizeName(rawName);
            if (typeof entry === "string") {
                dependencies.push(makeDependency({ name, version: exactPin(entry), file, line, kind: "pypi" }, pipfile_lock_format));
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
            const indexUrl = indexName !== undefined ? sources.get(indexName) : undefined;
            const index = kind === "pypi" && indexUrl !== undefined && !/^https:\/\/pypi\.org\//.test(indexUrl)
                ? indexUrl
                : undefined;
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
        const index = source && kind === "pypi" ? asString(source.url) : undefined;
        return makeDependency({ name, version: asString(pkg.version), file, line, kind, index }, poetry_format);
    });
    return { dependencies, errors };
}

;// CONCATENATED MODULE: ./src/lockfiles/formats/pylock.ts



const pylock_format = "pylock";
const DEFAULT_INDEX = /^https:\/\/pypi\.org\/simple\/?$/;
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
        const indexUrl = asString(pkg.index);
        const index = kind === "pypi" && indexUrl !== undefined && !DEFAULT_INDEX.test(indexUrl)
            ? indexUrl
            : undefined;
        return makeDependency({ name, version: asString(pkg.version), file, line, kind, index }, pylock_format);
    });
    return { dependencies, errors };
}

;// CONCATENATED MODULE: ./src/lockfiles/formats/pyproject.ts




const pyproject_format = "pyproject";
function pyproject_matches(path) {
    return baseName(path) === "pyproject.toml";
}
/** Finds each literal's line, first unused occurrence first, so repeats map to later lines. */
class LiteralLines {
    text;
    index;
    used = new Set();
    constructor(text) {
        this.text = text;
        this.index = new LineIndex(text);
    }
    find(pattern) {
        pattern.lastIndex = 0;
        for (let m = pattern.exec(this.text); m; m = pattern.exec(this.text)) {
            if (!this.used.has(m.index)) {
                this.used.add(m.index);
                return this.index.lineOf(m.index);
            }
            if (m[0] === "")
                pattern.lastIndex++;
        }
        return 1;
    }
    string(value) {
        return this.find(new RegExp(`(["'])${escapeRegExp(value)}\\1`, "g"));
    }
    key(name) {
        return this.find(new RegExp(`^[ \\t]*(["']?)${escapeRegExp(name)}\\1[ \\t]*=`, "gm"));
    }
}
/** A Poetry constraint: a bare version (`"1.2.3"`) or `==1.2.3` is exact; `^`, `~`, `*`, ranges are not. */
function poetryPin(constraint) {
    const c = constraint.trim();
    if (/^[0-9][A-Za-z0-9.+!-]*$/.test(c) && !c.endsWith(".*"))
        return c;
    return exactPin(c);
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
        const name = parsed.name ?? pep508_preview(parsed.target ?? req, 200);
        dependencies.push(makeDependency({ name, version: parsed.version, file, line, kind: parsed.kind }, pyproject_format));
    };
    const addList = (list) => {
        if (Array.isArray(list))
            list.forEach(addString);
    };
    const addLists = (table) => {
        if (decode_isRecord(table))
            Object.values(table).forEach(addList);
    };
    const project = decode_isRecord(doc.project) ? doc.project : {};
    addList(project.dependencies);
    addLists(project["optional-dependencies"]);
    addLists(doc["dependency-groups"]); // `{include-group = "..."}` items are not strings: skipped.
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
    return { dependencies, errors };
}

;// CONCATENATED MODULE: ./src/lockfiles/formats/setup-cfg.ts


const setup_cfg_format = "setup-cfg";
function setup_cfg_matches(path) {
    return baseName(path) === "setup.cfg";
}
function setup_cfg_parse(text, file) {
    const entries = [];
    let section = "";
    let collecting = false;
    const physical = text.split("\n");
    for (let i = 0; i < physical.length; i++) {
        const line = physical[i].replace(/\r$/, "");
        const trimmed = line.trim();
        if (trimmed === "" || trimmed.startsWith("#") || trimmed.startsWith(";"))
            continue;
        const header = /^\[([^\]]+)\]\s*$/.exec(trimmed);
        if (header && !/^\s/.test(line)) {
            section = header[1].trim().toLowerCase();
            collecting = false;
            continue;
        }
        if (/^\s/.test(line)) {
            if (collecting)
                entries.push({ text: trimmed, line: i + 1 });
            continue;
        }
        const kv = /^([^=:]+?)\s*[=:]\s*(.*)$/.exec(line);
        if (!kv) {
            collecting = false;
            continue;
        }
        const key = kv[1].trim().toLowerCase().replace(/-/g, "_");
        collecting =
            (section === "options" && key === "install_requires") || section === "options.extras_require";
        const value = kv[2].trim();
        if (collecting && value !== "")
            entries.push({ text: value, line: i + 1 });
    }
    return parseEntries(entries, file, setup_cfg_format);
}

;// CONCATENATED MODULE: ./src/lockfiles/formats/uv.ts



const uv_format = "uv";
/** The default index; a package from any other registry records it in `index`. */
const DEFAULT_REGISTRY = /^https:\/\/pypi\.org\/simple\/?$/;
function uv_matches(path) {
    return baseName(path) === "uv.lock";
}
/** True when the text looks like a uv lock: TOML with `[[package]]` and a `source = {` key. */
function sniff(text) {
    return /^\s*\[\[package\]\]/m.test(text) && /^\s*source\s*=\s*\{/m.test(text);
}
function uv_sourceKind(source) {
    if (typeof source.registry === "string") {
        return DEFAULT_REGISTRY.test(source.registry)
            ? { kind: "pypi" }
            : { kind: "pypi", index: source.registry };
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
/** Manifests are found by directory discovery too, but are not lockfiles. */
const MANIFEST_FORMATS = (/* unused pure expression or super */ null && (["pyproject", "setup-cfg"]));
function detect_parserFor(format) {
    return PARSERS.find((p) => p.format === format);
}
/** The format a file's name claims, if any. */
function formatByName(path) {
    return PARSERS.find((p) => p.matches(path))?.format;
}
/** Looks at the first 64 KiB of text for the marks each format leaves. */
function formatByContent(text) {
    const head = text.slice(0, 65536);
    const trimmed = head.trimStart();
    if (trimmed.startsWith("{")) {
        return /"_meta"\s*:|"default"\s*:|"develop"\s*:/.test(head) ? "pipfile-lock" : undefined;
    }
    if (/^\s*\[\[packages\]\]/m.test(head) ||
        /^lock-version\s*=/m.test(head) ||
        /^\s*packages\s*=\s*\[/m.test(head)) {
        return "pylock";
    }
    if (/^\s*\[\[package\]\]/m.test(head)) {
        if (/^\s*source\s*=\s*\{/m.test(head) ||
            /^\s*\[manifest\]/m.test(head) ||
            /^revision\s*=/m.test(head))
            return "uv";
        if (/^\s*python-versions\s*=/m.test(head) || /^content-hash\s*=/m.test(text))
            return "poetry";
        if (/^\s*(lock_version|content_hash|requires_python)\s*=|^\s*sections\s*=\s*\[/m.test(text))
            return "pdm";
        return "uv";
    }
    if (/^\s*\[(project|build-system|dependency-groups|tool\.poetry)\]/m.test(head))
        return "pyproject";
    if (/^\s*\[options(\.extras_require)?\]/m.test(head) &&
        /^\s*(install_requires|[\w-]+\s*=)/m.test(head)) {
        return "setup-cfg";
    }
    if (/^dependencies\s*:/m.test(head) &&
        (/^(name|channels)\s*:/m.test(head) || /^\s+-\s/m.test(head)))
        return "conda";
    return undefined;
}
/**
 * The format of `file`: by name, else by content (a uv script lock `x.py.lock`, a renamed
 * requirements file `dev.in`). Undefined when neither says.
 */
function detect_detectFormat(file, text) {
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

;// CONCATENATED MODULE: ./src/discover/discover.ts
// Discovery: turn the paths a user named into parsed lockfiles. Walks directories, reads files
// with a size cap, refuses binary files and anything (symlink or `-r`/`-c` target) that resolves
// outside the scanned root, and collects every problem as a ParseError instead of throwing.






/** Largest file read, in bytes. */
const discover_MAX_FILE_BYTES = 20 * 1024 * 1024;
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

/** Checks decoded bytes: NUL bytes mean binary; a UTF-8 BOM is dropped. */
function textFromBytes(bytes) {
    if (bytes.includes(0))
        return { code: "binary-file", message: "refused: binary file (contains NUL bytes)" };
    const text = bytes.toString("utf8");
    return { text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text };
}
function tooLarge(size) {
    return {
        code: "file-too-large",
        message: `refused: file is ${(size / 1024 / 1024).toFixed(1)} MB, over the ${discover_MAX_FILE_BYTES / 1024 / 1024} MB limit`,
    };
}
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
        if (info.size > discover_MAX_FILE_BYTES)
            return tooLarge(info.size);
        const chunks = [];
        let total = 0;
        for (;;) {
            const buffer = Buffer.alloc(Math.min(1024 * 1024, discover_MAX_FILE_BYTES + 1 - total));
            const bytesRead = (0,external_node_fs_.readSync)(fd, buffer, 0, buffer.length, null);
            if (bytesRead === 0)
                break;
            chunks.push(buffer.subarray(0, bytesRead));
            total += bytesRead;
            if (total > discover_MAX_FILE_BYTES)
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
function isInside(root, path) {
    const rel = (0,external_node_path_.relative)(root, path);
    return rel === "" || (!rel.startsWith(`..${external_node_path_.sep}`) && rel !== ".." && !(0,external_node_path_.isAbsolute)(rel));
}
function toPosix(path) {
    return external_node_path_.sep === "/" ? path : path.split(external_node_path_.sep).join("/");
}
class Loader {
    cwd;
    dependencies = [];
    errors = [];
    lockfiles = [];
    parsedReal = new Set();
    visitedDirs = new Set();
    constructor(cwd) {
        this.cwd = cwd;
    }
    /** Relative to cwd; outside cwd, relative to the scan root that named it. */
    display(absolute, argumentRoot) {
        const rel = (0,external_node_path_.relative)(this.cwd, absolute);
        if (rel !== "" && !rel.startsWith("..") && !(0,external_node_path_.isAbsolute)(rel))
            return toPosix(rel);
        const fromArg = (0,external_node_path_.relative)(argumentRoot, absolute);
        return toPosix(fromArg === "" ? absolute : fromArg);
    }
    unreadable(file, error) {
        this.errors.push({ file, code: "unreadable", message: `cannot read: ${describeError(error)}` });
    }
    outsideRoot(file) {
        this.errors.push({
            file,
            code: "symlink-outside-root",
            message: "refused: symbolic link resolves outside the scanned folder",
        });
    }
    async addArgument(arg) {
        const absolute = (0,external_node_path_.resolve)(this.cwd, arg);
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
                    message: `no such file or directory: ${pep508_preview(arg, 200)}`,
                });
            }
            else {
                this.unreadable(arg, error);
            }
            return;
        }
        if (!info.isDirectory() && !info.isFile()) {
            // A FIFO or device could block or never end: refuse before opening it.
            this.errors.push({
                file: arg,
                code: "unreadable",
                message: "cannot read: not a regular file",
            });
            return;
        }
        if (info.isDirectory()) {
            let realRoot;
            try {
                realRoot = await (0,promises_.realpath)(absolute);
            }
            catch (error) {
                this.unreadable(arg, error);
                return;
            }
            await this.walk(absolute, realRoot, absolute, 0);
            return;
        }
        const argumentRoot = (0,external_node_path_.dirname)(absolute);
        let scanRoot;
        let real;
        try {
            scanRoot = await (0,promises_.realpath)(argumentRoot);
            real = await (0,promises_.realpath)(absolute);
        }
        catch (error) {
            this.unreadable(arg, error);
            return;
        }
        const display = this.display(absolute, argumentRoot);
        if (!isInside(scanRoot, real)) {
            this.outsideRoot(display);
            return;
        }
        await this.parseFile({
            absolute,
            real,
            display,
            scanRoot,
            lexicalRoot: argumentRoot,
            explicit: true,
        });
    }
    async walk(directory, scanRoot, argumentRoot, depth) {
        let real;
        try {
            real = await (0,promises_.realpath)(directory);
        }
        catch (error) {
            this.errors.push({
                file: this.display(directory, argumentRoot),
                code: "unreadable",
                message: `cannot read: ${describeError(error)}`,
            });
            return;
        }
        if (this.visitedDirs.has(real) || depth > MAX_WALK_DEPTH)
            return; // symlink loops end here
        this.visitedDirs.add(real);
        let entries;
        try {
            entries = await (0,promises_.readdir)(directory, { withFileTypes: true });
        }
        catch (error) {
            this.errors.push({
                file: this.display(directory, argumentRoot),
                code: "unreadable",
                message: `cannot read: ${describeError(error)}`,
            });
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
                const display = this.display(absolute, argumentRoot);
                let target;
                let targetInfo;
                try {
                    target = await (0,promises_.realpath)(absolute);
                    targetInfo = await (0,promises_.stat)(target);
                }
                catch {
                    // A dangling link or a loop: nothing to read.
                    continue;
                }
                isDirectory = targetInfo.isDirectory();
                isFile = targetInfo.isFile();
                const claimed = isDirectory || formatByName(display) !== undefined;
                if (!claimed)
                    continue;
                if (!isInside(scanRoot, target)) {
                    this.outsideRoot(display);
                    continue;
                }
            }
            if (isDirectory) {
                if (!SKIPPED_DIRECTORIES.has(entry.name))
                    subdirectories.push(absolute);
            }
            else if (isFile) {
                const display = this.display(absolute, argumentRoot);
                if (formatByName(display) === undefined)
                    continue;
                let realFile;
                try {
                    realFile = await (0,promises_.realpath)(absolute);
                }
                catch (error) {
                    this.unreadable(display, error);
                    continue;
                }
                await this.parseFile({
                    absolute,
                    real: realFile,
                    display,
                    scanRoot,
                    lexicalRoot: argumentRoot,
                    explicit: false,
                });
            }
        }
        for (const sub of subdirectories)
            await this.walk(sub, scanRoot, argumentRoot, depth + 1);
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
        const format = detect_detectFormat(candidate.display, read.text);
        if (format === undefined) {
            this.errors.push({
                file: candidate.display,
                code: "unknown-format",
                message: "unknown format: not a lockfile, requirements file or manifest this tool reads",
            });
            return;
        }
        const displayToAbsolute = new Map([[candidate.display, candidate.absolute]]);
        const texts = new Map([[candidate.display, read.text]]);
        const ctx = {
            readInclude: (fromFile, target) => {
                const got = this.readInclude(fromFile, target, candidate, displayToAbsolute);
                if ("text" in got)
                    texts.set(got.file, got.text);
                return got;
            },
        };
        let result;
        try {
            result = detect_parserFor(format).parse(read.text, candidate.display, ctx);
        }
        catch (error) {
            if (!(error instanceof RangeError))
                throw error;
            result = {
                dependencies: [],
                errors: [
                    {
                        file: candidate.display,
                        code: "too-deeply-nested",
                        message: "refused: structure nested too deeply to parse",
                    },
                ],
            };
        }
        this.record(candidate.display, format, {
            dependencies: result.dependencies,
            errors: lines_withSourceContext(result.errors, texts),
        });
    }
    readInclude(fromFile, target, top, displayToAbsolute) {
        const from = displayToAbsolute.get(fromFile) ?? top.absolute;
        const shown = pep508_preview(target, 200);
        if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(target)) {
            return {
                code: "include-remote",
                error: `not followed: ${shown} is a URL (only local files are read)`,
            };
        }
        const absolute = (0,external_node_path_.resolve)((0,external_node_path_.dirname)(from), target);
        // Lexical check first, so nothing outside the root is even looked at.
        if (!isInside(top.lexicalRoot, absolute)) {
            return {
                code: "include-outside-root",
                error: `refused: ${shown} is outside the scanned folder`,
            };
        }
        let real;
        try {
            real = (0,external_node_fs_.realpathSync)(absolute);
        }
        catch (error) {
            return {
                code: "include-missing",
                error: `cannot read included file ${shown}: ${describeError(error)}`,
            };
        }
        if (!isInside(top.scanRoot, real)) {
            return {
                code: "include-outside-root",
                error: `refused: ${shown} resolves outside the scanned folder`,
            };
        }
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
        const display = this.display(absolute, top.lexicalRoot);
        displayToAbsolute.set(display, absolute);
        this.parsedReal.add(real);
        return { file: display, text: read.text };
    }
    record(display, format, result) {
        this.errors.push(...result.errors);
        // A file that gave nothing but errors (invalid TOML, an alias bomb, ...) was not read.
        if (result.dependencies.length === 0 && result.errors.length > 0)
            return;
        const counts = new Map([[display, 0]]);
        for (const dep of result.dependencies) {
            this.dependencies.push(dep);
            counts.set(dep.file, (counts.get(dep.file) ?? 0) + 1);
        }
        for (const [path, count] of counts) {
            if (this.lockfiles.some((l) => l.path === path))
                continue;
            this.lockfiles.push({ path, format: path === display ? format : "requirements", count });
        }
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
/**
 * Parses one lockfile's text without touching the file system (the action uses it on
 * `git show <base>:<path>` output). The format comes from the name, else the content.
 * `readInclude` receives an include target as a `/`-separated path relative to the same root
 * as `file`, and returns its text or undefined when it does not exist.
 */
function parseLockfileText(file, text, readInclude) {
    if (text.length > discover_MAX_FILE_BYTES) {
        return { dependencies: [], errors: [{ file, ...tooLarge(text.length) }] };
    }
    if (text.includes("\u0000")) {
        return {
            dependencies: [],
            errors: [{ file, code: "binary-file", message: "refused: binary file (contains NUL bytes)" }],
        };
    }
    const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
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
            const shown = preview(target, 200);
            if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(target)) {
                return {
                    code: "include-remote",
                    error: `not followed: ${shown} is a URL (only local files are read)`,
                };
            }
            const joined = posix.normalize(posix.join(posix.dirname(fromFile), target.replace(/\\/g, "/")));
            if (joined.startsWith("../") || joined === ".." || posix.isAbsolute(joined)) {
                return {
                    code: "include-outside-root",
                    error: `refused: ${shown} is outside the scanned folder`,
                };
            }
            const included = readInclude(joined);
            if (included === undefined)
                return {
                    code: "include-missing",
                    error: `cannot read included file ${shown}: no such file`,
                };
            if (included.length > discover_MAX_FILE_BYTES)
                return { code: "file-too-large", error: `${shown}: ${tooLarge(included.length).message}` };
            if (included.includes("\u0000"))
                return {
                    code: "binary-file",
                    error: `${shown}: refused: binary file (contains NUL bytes)`,
                };
            texts.set(joined, included);
            return { file: joined, text: included };
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
 * Untrusted text as a Markdown code span: shown literally (no links, mentions or HTML are
 * recognised inside a code span), one line, with a backtick fence longer than any backtick run
 * inside so the text cannot close it.
 */
function inlineCode(text, opts = {}) {
    let body = capLength(stripControl(text), opts.maxLength ?? DEFAULT_TEXT_CAP);
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
/** One-line, control-free, capped text for terminal tables and annotation titles. */
function plainText(text, maxLength = DEFAULT_TEXT_CAP) {
    return capLength(stripControl(text).trim(), maxLength);
}
/**
 * A relative path for a terminal line, control-free; a path starting with `:` is written
 * `./:...` (the same file) so that no printed line can begin a workflow command (`::`).
 */
function plainPath(path, maxLength = 160) {
    const text = plainText(path, maxLength);
    return text.startsWith(":") ? `./${text}` : text;
}

;// CONCATENATED MODULE: ./src/report/deps.ts
// `deps` output: what discovery and the parsers found, as JSON or a terminal table. Pure.

function plural(n, one, many) {
    return `${n} ${n === 1 ? one : many}`;
}
function jsonDependency(d) {
    return {
        name: d.name,
        version: d.version ?? null,
        file: d.file,
        line: d.line,
        format: d.format,
        kind: d.kind,
        ...(d.index === undefined ? {} : { index: d.index }),
    };
}
function jsonError(e) {
    return {
        file: e.file,
        ...(e.line === undefined ? {} : { line: e.line }),
        message: e.message,
        code: e.code,
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
        out.push(`  ${mark} ${String(c.line).padStart(width)} | ${text}`.trimEnd());
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
        const rows = [["  NAME", "VERSION", "KIND", "LINE"]];
        for (const d of deps) {
            rows.push([
                `  ${plainText(d.name, 80)}`,
                d.version === undefined ? "(unpinned)" : plainText(d.version, 60),
                d.kind,
                String(d.line),
            ]);
        }
        out.push(...table(rows));
    }
    if (set.errors.length > 0) {
        out.push("", "Errors:");
        for (const e of set.errors)
            out.push(formatParseError(e), ...formatSourceContext(e));
    }
    return `${out.join("\n")}\n`;
}
function renderDeps(set, format) {
    if (format === "table")
        return renderTable(set);
    const body = {
        dependencies: set.dependencies.map(jsonDependency),
        lockfiles: set.lockfiles.map((l) => ({ path: l.path, format: l.format, count: l.count })),
        errors: set.errors.map(jsonError),
    };
    return `${JSON.stringify(body, null, 2)}\n`;
}

;// CONCATENATED MODULE: ./src/report/json.ts
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
        ["index", d.index],
    ]);
}
function jsonFinding(f) {
    return ordered([
        ["kind", f.kind],
        ["severity", f.severity],
        ["package", f.package],
        ["version", f.version ?? null],
        ["email", f.email ?? null],
        ["field", f.field],
        ["domain", f.domain ?? null],
        ["file", f.file],
        ["line", f.line],
        ["message", f.message],
        ["evidence", f.evidence ?? null],
        ["remediation", f.remediation ?? null],
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
        ["statuses", [...v.statuses]],
        ["error", v.error],
        ["errorCode", v.errorCode],
        ["dns", v.dns],
        ["server", v.server],
        ["source", v.source],
        ["checkedAt", v.checkedAt],
    ]);
}
function jsonPackage(p) {
    return ordered([
        ["name", p.name],
        ["status", p.status],
        ["error", p.error],
        ["latestVersion", p.latestVersion ?? null],
        ["lastReleaseAt", p.lastReleaseAt ?? null],
        [
            "emails",
            p.emails.map((e) => ordered([
                ["address", e.address],
                ["field", e.field],
                ["domain", e.domain ?? null],
                ["skipped", e.skipped],
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
function json_jsonError(e) {
    return ordered([
        ["file", e.file],
        ["line", e.line],
        ["column", e.column],
        ["code", e.code],
        ["message", e.message],
    ]);
}
/** The report as plain data in the documented key order (what `renderJson` serialises). */
function toJsonReport(report) {
    const s = report.stats;
    return ordered([
        ["dependencies", report.dependencies.map(json_jsonDependency)],
        ["findings", report.findings.map(jsonFinding)],
        ["domains", report.domains.map(jsonDomain)],
        ["packages", report.packages.map(jsonPackage)],
        ["errors", report.errors.map(json_jsonError)],
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
                    retries: s.requests.retries,
                },
                cache: {
                    verdictHits: s.cache.verdictHits,
                    verdictMisses: s.cache.verdictMisses,
                    metadataHits: s.cache.metadataHits,
                },
                durationMs: s.durationMs,
                deadlineReached: s.deadlineReached,
            },
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
    return `${JSON.stringify(toJsonReport(report), null, 2)}\n`;
}

;// CONCATENATED MODULE: ./src/report/verdict.ts
// What every reporter says the same way: the verdict sentence, counts, order, short evidence,
// and the "not checked" list. Pure functions of the Report; text here is not yet escaped.

/** `plural(1, "package")` is "1 package", `plural(2, "package")` is "2 packages". */
function verdict_plural(n, one, many = `${one}s`) {
    return `${n} ${n === 1 ? one : many}`;
}
const verdict_SEVERITY_RANK = {
    critical: 0,
    high: 1,
    medium: 2,
    low: 3,
    info: 4,
};
/** Findings that are not a domain verdict: the package or domain could not be judged. */
function isNotChecked(f) {
    return (f.kind === "lookup-failed" || f.kind === "package-not-found" || f.kind === "no-maintainer-email");
}
/** Findings a reader acts on: severity low or above, not allowed (an expired allowance counts again). */
function isActive(f) {
    return f.severity !== "info" && !isNotChecked(f) && f.allowed === undefined;
}
/** By severity, then package, then file and line: the order of every table. */
function sortFindings(findings) {
    return [...findings].sort((a, b) => verdict_SEVERITY_RANK[a.severity] - verdict_SEVERITY_RANK[b.severity] ||
        cmp(a.package, b.package) ||
        cmp(a.file, b.file) ||
        a.line - b.line ||
        cmp(a.kind, b.kind) ||
        cmp(a.domain ?? "", b.domain ?? ""));
}
function cmp(a, b) {
    return a < b ? -1 : a > b ? 1 : 0;
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
/** Domains whose state is unknown this run. */
function uncheckedDomains(report) {
    return report.domains.filter((d) => d.state === "unknown");
}
/**
 * The one-sentence verdict: "2 findings (1 critical, 1 high) in 2 of 148 packages from 3
 * lockfiles; 5 domains could not be checked". A clean run: "No findings in 148 packages from 3 lockfiles".
 */
function verdictLine(report) {
    const active = report.findings.filter(isActive);
    const packages = report.stats.packages;
    const from = `from ${verdict_plural(report.stats.lockfiles, "lockfile")}`;
    let line;
    if (active.length === 0) {
        line = `No findings in ${verdict_plural(packages, "package")} ${from}`;
    }
    else {
        const affected = new Set(active.map((f) => f.package)).size;
        line = `${verdict_plural(active.length, "finding")} ${severityBreakdown(active)} in ${affected} of ${verdict_plural(packages, "package")} ${from}`;
    }
    const extras = [];
    const allowed = report.findings.filter((f) => f.allowed !== undefined);
    if (allowed.length > 0)
        extras.push(`${allowed.length} allowed`);
    const unchecked = uncheckedDomains(report).length;
    if (unchecked > 0)
        extras.push(`${verdict_plural(unchecked, "domain")} could not be checked`);
    const notFound = report.packages.filter((p) => p.status === "not-found").length;
    if (notFound > 0)
        extras.push(`${verdict_plural(notFound, "package")} not found on the index`);
    const unread = report.packages.filter((p) => p.status === "error").length;
    if (unread > 0)
        extras.push(`${verdict_plural(unread, "package")} could not be read from the index`);
    if (report.errors.length > 0)
        extras.push(`${verdict_plural(report.errors.length, "file error")}`);
    if (report.stats.deadlineReached)
        extras.push("the deadline cut the scan short");
    return extras.length > 0 ? `${line}; ${extras.join("; ")}` : line;
}
/** "2 findings fail this run (fail-on: high)", or undefined when none fails. */
function failingLine(report) {
    const failing = report.findings.filter((f) => f.failing).length;
    if (failing === 0)
        return undefined;
    return `${verdict_plural(failing, "finding")} ${failing === 1 ? "fails" : "fail"} this run (fail-on: ${report.failOn})`;
}
/** Date part of an ISO 8601 time, or the text as given when it is not one. */
function day(iso) {
    if (iso === undefined)
        return undefined;
    const m = /^\d{4}-\d{2}-\d{2}/.exec(iso);
    return m ? m[0] : iso;
}
/**
 * A few words of evidence from the domain's verdict ("expired 2026-09-01, redemption period");
 * falls back to the finding's own evidence sentence.
 */
function shortEvidence(f, report) {
    const v = f.domain !== undefined ? report.domains.find((d) => d.domain === f.domain) : undefined;
    const statuses = v ? v.statuses.filter((s) => !/^(active|ok)$/i.test(s.trim())) : [];
    const status = statuses.length > 0 ? `, ${statuses.join(", ")}` : "";
    const lastRelease = report.packages.find((p) => p.name === f.package)?.lastReleaseAt;
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
        case "domain-expiring":
            if (v?.expires)
                return `expires ${day(v.expires)}`;
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
        const reason = [v.errorCode, v.error].filter((s) => s !== undefined && s !== "").join(": ") ||
            "lookup failed";
        const fromFindings = packagesOf(v.domain);
        const fromMeta = report.packages
            .filter((p) => p.emails.some((e) => e.domain === v.domain))
            .map((p) => p.name);
        rows.push({
            subject: v.domain,
            what: "domain",
            reason,
            packages: [...new Set([...fromFindings, ...fromMeta])].sort(),
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
        verdict_plural(s.packages, "package"),
        verdict_plural(s.domains, "domain"),
        verdict_plural(s.requests.rdap, "RDAP lookup"),
        verdict_plural(hits, "cache hit"),
        formatDuration(s.durationMs),
    ].join(", ");
}

;// CONCATENATED MODULE: ./src/report/markdown.ts
// The Markdown report: the CLI's `--format markdown`, the job summary, the PR comment and the
// tracking issue. Verdict first, then tables per lockfile, then what was not checked. Every
// untrusted string goes through escapeMarkdown or inlineCode; the only links are the line links
// we build from a validated relative path. Output stays under maxLength and says what it left out.



const SUMMARY_MAX_BYTES = (/* unused pure expression or super */ null && (1024 * 1024));
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
function findingRow(f, report, opts) {
    let evidence = escapeMarkdown(shortEvidence(f, report), { maxLength: 160 });
    if (f.allowExpired) {
        evidence += ` (allowance expired ${escapeMarkdown(f.allowExpired.until, { maxLength: 20 })}: ${escapeMarkdown(f.allowExpired.reason, { maxLength: 120 })})`;
    }
    const severity = f.failing ? `**${f.severity}**` : f.severity;
    return `| ${severity} | ${inlineCode(f.package, { maxLength: 100 })} | ${f.version !== undefined ? inlineCode(f.version, { maxLength: 60 }) : "-"} | ${f.domain !== undefined ? inlineCode(f.domain, { maxLength: 100 }) : "-"} | ${f.kind} | ${evidence} | ${lineLink(f.file, f.line, opts)} |`;
}
const FINDING_HEADER = "| Severity | Package | Version | Maintainer domain | Finding | Evidence | Location |\n| --- | --- | --- | --- | --- | --- | --- |";
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
        out.push(`#### ${inlineCode(file, { maxLength: 160, inTable: false })}`, "", FINDING_HEADER, ...rows.map((f) => findingRow(f, report, opts)), "");
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
function measure(text, unit) {
    return unit === "bytes" ? Buffer.byteLength(text, "utf8") : text.length;
}
/** Every row in the order it is kept when space runs out: most important first. */
function prioritisedRows(report) {
    const shown = sortFindings(report.findings.filter((f) => !isNotChecked(f) && f.allowed === undefined));
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
    for (const f of sortFindings(report.findings.filter((f) => f.allowed !== undefined)))
        rows.push({ section: "allowed", finding: f });
    report.errors.forEach((_, index) => rows.push({ section: "error", index }));
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
    out.push(failing
        ? `:x: ${failing}.`
        : `:white_check_mark: Nothing fails this run (fail-on: ${report.failOn}).`, "");
    const active = report.findings.filter((f) => !isNotChecked(f) && f.allowed === undefined);
    out.push(...severityTable(active));
    if (report.diff?.note)
        out.push(`> ${escapeMarkdown(report.diff.note, { maxLength: 300 })}`, "");
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
        out.push("### Not checked", "", "| Domain or package | Reason | Packages |", "| --- | --- | --- |");
        for (const r of notChecked) {
            const packages = r.what === "domain"
                ? r.packages
                    .slice(0, 10)
                    .map((p) => inlineCode(p, { maxLength: 100 }))
                    .join(", ") + (r.packages.length > 10 ? `, and ${r.packages.length - 10} more` : "")
                : "-";
            out.push(`| ${r.what} ${inlineCode(r.subject, { maxLength: 100 })} | ${escapeMarkdown(r.reason, { maxLength: 200 })} | ${packages || "-"} |`);
        }
        out.push("");
    }
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
        out.push(`_${verdict_plural(left, "row")} left out to stay within ${opts.maxLength.toLocaleString("en-US")} ${unitOf(opts) === "bytes" ? "bytes" : "characters"}; ${hint}._`, "");
    }
    if (report.lockfiles.length > 0) {
        const files = report.lockfiles.slice(0, 50);
        out.push(`<details><summary>Scanned ${verdict_plural(report.lockfiles.length, "file")}</summary>`, "");
        for (const l of files)
            out.push(`- ${inlineCode(l.path, { maxLength: 160, inTable: false })} (${l.format}, ${verdict_plural(l.count, "dependency", "dependencies")})`);
        if (report.lockfiles.length > files.length)
            out.push(`- and ${report.lockfiles.length - files.length} more`);
        out.push("", "</details>", "");
    }
    if (active.length > 0 || report.findings.some((f) => f.allowed !== undefined))
        out.push(...allowSnippet(sortFindings(active)[0]));
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

;// CONCATENATED MODULE: ./src/report/sarif.ts
// SARIF 2.1.0 for code scanning: one rule per finding kind, results at the lockfile line,
// fingerprints that do not move when lines do, allowed findings as suppressions.




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
        properties: {
            "security-severity": info.securitySeverity,
            "problem.severity": sarifProblemSeverity(info.severity),
            tags: ["security", "supply-chain"],
            precision: kind === "lookup-failed" ? "low" : "high",
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
/** Stable across runs and line moves: kind, file, package and domain; never the line. */
function fingerprint(f) {
    return (0,external_node_crypto_.createHash)("sha256")
        .update([f.kind, f.file, f.package, f.domain ?? ""].join("\u0000"))
        .digest("hex")
        .slice(0, 32);
}
/** A relative path as a URI reference: each segment percent-encoded. */
function uriOf(file) {
    return file
        .replace(/\\/g, "/")
        .replace(/^\/+/, "")
        .split("/")
        .map((seg) => encodeURIComponent(seg))
        .join("/");
}
/**
 * Plain text for a SARIF message: one line, no controls, and `[` `]` escaped with a backslash
 * (SARIF 2.1.0 §3.11.6 renders `[text](target)` in `message.text` as an embedded link).
 */
function sarif_text(s, max = 1000) {
    const clean = stripControl(s)
        .trim()
        .replace(/[[\]]/g, (c) => `\\${c}`);
    return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}
function result(f, ruleIndex) {
    const sentences = [f.message, f.evidence, f.remediation].filter((s) => s !== undefined && s !== "");
    if (f.allowExpired)
        sentences.push(`An allow-list entry expired on ${f.allowExpired.until} (${f.allowExpired.reason}).`);
    if (f.introduced === false)
        sentences.push("Already present before this change.");
    return {
        ruleId: f.kind,
        ruleIndex,
        level: sarifLevel(f.severity),
        message: { text: sarif_text(sentences.join(" ")) },
        locations: [
            {
                physicalLocation: {
                    artifactLocation: { uri: uriOf(f.file), uriBaseId: "%SRCROOT%" },
                    region: { startLine: Math.max(1, Math.trunc(f.line) || 1) },
                },
            },
        ],
        partialFingerprints: { primaryLocationLineHash: fingerprint(f) },
        ...(f.allowed
            ? {
                suppressions: [
                    { kind: "external", status: "accepted", justification: sarif_text(f.allowed.reason, 500) },
                ],
            }
            : {}),
        properties: {
            package: sarif_text(f.package, 200),
            ...(f.version !== undefined ? { version: sarif_text(f.version, 100) } : {}),
            ...(f.domain !== undefined ? { domain: sarif_text(f.domain, 253) } : {}),
            ...(f.email !== undefined ? { email: sarif_text(f.email, 254) } : {}),
            severity: f.severity,
            failing: f.failing,
        },
    };
}
function renderSarif(report) {
    const ruleIndex = new Map(FINDING_KINDS.map((k, i) => [k, i]));
    const log = {
        $schema: SARIF_SCHEMA,
        version: "2.1.0",
        runs: [
            {
                tool: {
                    driver: {
                        name: report.tool.name,
                        version: report.tool.version,
                        semanticVersion: report.tool.version,
                        rules: FINDING_KINDS.map(rule),
                    },
                },
                invocations: [{ executionSuccessful: true, startTimeUtc: report.startedAt }],
                results: sortFindings(report.findings).map((f) => result(f, ruleIndex.get(f.kind) ?? 0)),
            },
        ],
    };
    return `${JSON.stringify(log, null, 2)}\n`;
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
    const findings = sortFindings(report.findings.filter((f) => !isNotChecked(f)));
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
            r.what === "domain" && r.packages.length > 0
                ? `(${plainText(r.packages.join(", "), 100)})`
                : "",
        ]);
        for (const line of columns(rows))
            lines.push(`  ${line}`);
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
    const summary = `${verdictLine(report)} (${statsLine(report)})`;
    if (lines.length === 0)
        return `${summary}\n`;
    lines.push("");
    const failing = failingLine(report);
    lines.push(summary + (failing ? `. ${failing}.` : ""));
    if (report.diff?.note)
        lines.push(plainText(report.diff.note, 300));
    return `${lines.join("\n")}\n`;
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

// EXTERNAL MODULE: external "node:url"
var external_node_url_ = __webpack_require__(3136);
// EXTERNAL MODULE: ./node_modules/rdapper/dist/index.mjs
var rdapper_dist = __webpack_require__(7359);
// EXTERNAL MODULE: ./node_modules/tldts/dist/cjs/index.js
var cjs = __webpack_require__(935);
// EXTERNAL MODULE: external "node:dns/promises"
var external_node_dns_promises_ = __webpack_require__(1553);
;// CONCATENATED MODULE: ./src/rdap/dns.ts
// The DNS cross-check before calling a domain unregistered: does the parent zone delegate it?
// An NS answer means the domain exists whatever RDAP said; NXDOMAIN or an empty answer means
// no delegation; anything else (timeout, refused, SERVFAIL) means DNS could not be consulted.

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
    try {
        let timer;
        const budget = new Promise((_, reject) => {
            timer = setTimeout(() => reject(Object.assign(new Error("budget"), { code: "ETIMEOUT" })), options.timeoutMs);
        });
        try {
            const records = await Promise.race([resolver.resolveNs(domain.replace(/\.$/, "")), budget]);
            return records.length > 0 ? "delegated" : "no-delegation";
        }
        finally {
            clearTimeout(timer);
        }
    }
    catch (error) {
        const code = error.code;
        return code && NO_DELEGATION_CODES.has(code) ? "no-delegation" : "not-consulted";
    }
    finally {
        resolver.cancel();
    }
}

;// CONCATENATED MODULE: ./src/net/http.ts
// The one HTTP request policy: timeouts (headers and body), retries with backoff and jitter,
// Retry-After, a body-size cap (also after decompression), redirects with loop detection, an
// limit per key (default: the URL's origin) on requests in flight and, once the key has answered
// 429, on request starts per window (learned from the 429s, see Gate), and a scan-wide deadline.
// `get` never throws: every outcome is an HttpResult with a stable code.
/** Refuse bodies larger than this (bytes, counted after decompression) unless the policy says otherwise. */
const DEFAULT_MAX_BODY_BYTES = 5 * 1024 * 1024;
/** First backoff step after a failure; doubles each retry, with jitter, clamped to maxRetryWaitMs. */
const DEFAULT_BACKOFF_BASE_MS = 500;
/** Redirects followed before giving up with `redirect-loop`. */
const MAX_REDIRECTS = 5;
class BodyTooLarge extends Error {
}
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
    acquire() {
        if (this.active < this.limit) {
            this.active++;
            return Promise.resolve();
        }
        return new Promise((resolve) => this.waiting.push(resolve));
    }
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
        let i = starts.length;
        while (i > 0 && starts[i - 1].at > at)
            i--;
        starts.splice(i, 0, start);
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
        let i = this.starts.length;
        while (i > 0 && this.starts[i - 1].at > now)
            i--;
        this.starts.splice(i, 0, start);
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
}
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
function describe(error) {
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
    gates = new Map();
    now;
    sleep;
    random;
    maxBodyBytes;
    constructor(policy) {
        this.policy = policy;
        this.now = policy.now ?? Date.now;
        this.sleep = policy.sleep ?? defaultSleep;
        this.random = policy.random ?? Math.random;
        this.maxBodyBytes = policy.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
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
            return { ok: false, url, code: "network", error: describe(error), attempts: 0 };
        }
    }
    gateFor(url, opts) {
        const key = opts.concurrency?.key ?? url.origin;
        const max = opts.concurrency?.limit ?? Number.POSITIVE_INFINITY;
        let gate = this.gates.get(key);
        if (!gate) {
            gate = new Gate(Math.max(1, max));
            this.gates.set(key, gate);
        }
        return gate;
    }
    async run(url, opts) {
        let current;
        try {
            current = new URL(url);
        }
        catch {
            return {
                ok: false,
                url,
                code: "bad-url",
                error: `not a URL: ${JSON.stringify(url)}`,
                attempts: 0,
            };
        }
        if (current.protocol !== "http:" && current.protocol !== "https:") {
            return {
                ok: false,
                url,
                code: "bad-url",
                error: `not an http(s) URL: ${current.href}`,
                attempts: 0,
            };
        }
        const seen = new Set([current.href]);
        let attempts = 0;
        let failures = 0;
        let redirects = 0;
        // The latest origin-wide pause this request has already waited out.
        let pauseHonoured = 0;
        for (;;) {
            const deadlineLeft = this.deadlineLeft();
            if (deadlineLeft <= 0) {
                return {
                    ok: false,
                    url: current.href,
                    code: "deadline",
                    error: `the scan deadline passed before ${current.href} could be ${attempts ? "retried" : "requested"}`,
                    attempts,
                };
            }
            const gate = this.gateFor(current, opts);
            await gate.acquire();
            const pause = gate.pausedUntil - this.now();
            if (pause > 0 && gate.pausedUntil > pauseHonoured) {
                // The origin asked everyone to wait (429/503 with Retry-After): wait without holding a slot.
                gate.release();
                if (pause >= this.deadlineLeft()) {
                    return {
                        ok: false,
                        url: current.href,
                        code: "deadline",
                        error: `${current.origin} asked to wait ${Math.ceil(pause / 1000)} s, past the scan deadline`,
                        attempts,
                    };
                }
                pauseHonoured = gate.pausedUntil;
                await this.sleep(Math.min(pause, this.policy.maxRetryWaitMs));
                continue;
            }
            // Waiting for a slot may have used up the time left.
            const timeLeft = this.deadlineLeft();
            if (timeLeft <= 0) {
                gate.release();
                continue;
            }
            const reservedAt = this.now();
            const start = gate.reserveStart(reservedAt);
            const paceWait = start.at - reservedAt;
            if (paceWait > 0 && paceWait >= timeLeft) {
                gate.cancelStart(start);
                gate.release();
                return {
                    ok: false,
                    url: current.href,
                    code: "deadline",
                    error: `the scan deadline passed while pacing requests to ${current.origin}`,
                    attempts,
                };
            }
            let outcome;
            try {
                // Waiting for the rate cap holds the slot: the origin's rate is the limit now.
                if (paceWait > 0)
                    await this.sleep(Math.min(paceWait, this.policy.maxRetryWaitMs));
                gate.markSent(start, this.now());
                attempts++;
                this.stats[opts.kind]++;
                if (failures > 0)
                    this.stats.retries++;
                const budget = Math.max(1, this.deadlineLeft());
                outcome = await this.attempt(current, opts, Math.min(this.policy.timeoutMs, budget), budget < this.policy.timeoutMs);
            }
            finally {
                gate.release();
            }
            if (outcome.type === "done") {
                gate.succeed(this.now());
                return { ...outcome.result, attempts };
            }
            if (outcome.type === "redirect") {
                this.stats.redirects++;
                let next;
                try {
                    next = new URL(outcome.location, current);
                }
                catch {
                    return {
                        ok: false,
                        url: current.href,
                        code: "http-status",
                        error: `redirect from ${current.href} to an invalid location ${JSON.stringify(outcome.location)}`,
                        attempts,
                    };
                }
                if (next.protocol !== "http:" && next.protocol !== "https:") {
                    return {
                        ok: false,
                        url: current.href,
                        code: "bad-url",
                        error: `redirect from ${current.href} to a non-http(s) location ${next.href}`,
                        attempts,
                    };
                }
                redirects++;
                if (seen.has(next.href) || redirects > MAX_REDIRECTS) {
                    return {
                        ok: false,
                        url: current.href,
                        code: "redirect-loop",
                        error: seen.has(next.href)
                            ? `redirect loop: ${current.href} -> ${next.href}, already visited`
                            : `more than ${MAX_REDIRECTS} redirects, last ${current.href} -> ${next.href}`,
                        attempts,
                    };
                }
                seen.add(next.href);
                current = next;
                continue;
            }
            // A retryable failure.
            start.failed = true;
            failures++;
            const failed = { ...outcome.result, attempts };
            if (failed.status === 429) {
                this.stats.rateLimited++;
                gate.throttle(this.now(), start);
            }
            const wait = Math.min(this.policy.maxRetryWaitMs, outcome.retryAfterMs ?? this.backoff(failures, failed.status === 429));
            // The origin asked to slow down: everyone queued for it waits too, not only this request.
            if (outcome.retryAfterMs !== undefined || failed.status === 429) {
                gate.pausedUntil = Math.max(gate.pausedUntil, this.now() + wait);
                pauseHonoured = gate.pausedUntil;
            }
            if (failures > this.policy.retries) {
                return {
                    ...failed,
                    error: `${failed.error}; gave up after ${attempts} attempt${attempts === 1 ? "" : "s"}`,
                };
            }
            if (wait >= this.deadlineLeft()) {
                return {
                    ...failed,
                    error: `${failed.error}; not retried: the scan deadline is too close`,
                };
            }
            await this.sleep(wait);
        }
    }
    deadlineLeft() {
        return this.policy.deadlineAt === undefined
            ? Number.POSITIVE_INFINITY
            : this.policy.deadlineAt - this.now();
    }
    backoff(failures, rateLimited) {
        const base = (this.policy.backoffBaseMs ?? DEFAULT_BACKOFF_BASE_MS) * (rateLimited ? 2 : 1);
        // Exponential with jitter in [0.5, 1.5).
        return Math.round(base * 2 ** (failures - 1) * (0.5 + this.random()));
    }
    /** Send one request and read its body under one timer. */
    async attempt(url, opts, timeoutMs, cutByDeadline) {
        const controller = new AbortController();
        let timedOut = false;
        const timer = setTimeout(() => {
            timedOut = true;
            controller.abort();
        }, timeoutMs);
        const href = url.href;
        const fail = (code, error, extra) => ({
            ok: false,
            url: href,
            code,
            error,
            attempts: 0,
            ...extra,
        });
        try {
            let response;
            try {
                response = await this.policy.fetch(href, {
                    method: "GET",
                    redirect: "manual",
                    signal: controller.signal,
                    headers: {
                        accept: opts.accept ?? "application/json",
                        "user-agent": this.policy.userAgent,
                    },
                });
            }
            catch (error) {
                if (timedOut && cutByDeadline) {
                    return {
                        type: "done",
                        result: fail("deadline", `the scan deadline passed while waiting for ${href}`),
                    };
                }
                if (timedOut)
                    return {
                        type: "retry",
                        result: fail("timeout", `no answer from ${href} within ${timeoutMs} ms`),
                    };
                return {
                    type: "retry",
                    result: fail("network", `request to ${href} failed: ${describe(error)}`),
                };
            }
            const { status, headers } = response;
            if (status >= 300 && status < 400 && status !== 304) {
                await response.body?.cancel().catch(() => undefined);
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
            if (status === 429 || status >= 500) {
                await response.body?.cancel().catch(() => undefined);
                const retryAfterMs = status === 429 || status === 503
                    ? parseRetryAfter(headers.get("retry-after"), this.now())
                    : undefined;
                const code = status === 429 ? "rate-limited" : "server-error";
                const what = status === 429 ? "rate-limited the request" : `answered ${status}`;
                const after = headers.get("retry-after");
                return {
                    type: "retry",
                    result: fail(code, `${url.origin} ${what}${after ? ` (Retry-After: ${after.slice(0, 40)})` : ""}`, {
                        status,
                        headers,
                    }),
                    retryAfterMs,
                };
            }
            let body;
            try {
                body = await this.readBody(response);
            }
            catch (error) {
                if (error instanceof BodyTooLarge) {
                    return {
                        type: "done",
                        result: fail("too-large", `${href}: ${error.message}`, { status, headers }),
                    };
                }
                if (timedOut && cutByDeadline) {
                    return {
                        type: "done",
                        result: fail("deadline", `the scan deadline passed while reading ${href}`, {
                            status,
                            headers,
                        }),
                    };
                }
                if (timedOut) {
                    return {
                        type: "retry",
                        result: fail("timeout", `the body of ${href} did not arrive within ${timeoutMs} ms`, {
                            status,
                            headers,
                        }),
                    };
                }
                return {
                    type: "retry",
                    result: fail("network", `the body of ${href} was cut off: ${describe(error)}`, {
                        status,
                        headers,
                    }),
                };
            }
            if (status >= 200 && status < 300) {
                return {
                    type: "done",
                    result: { ok: true, status, url: href, headers, body, attempts: 0 },
                };
            }
            return {
                type: "done",
                result: fail("http-status", `${href} answered ${status}`, { status, headers, body }),
            };
        }
        finally {
            clearTimeout(timer);
        }
    }
    /** Read the (already decompressed) body, refusing it as soon as it passes the cap. */
    async readBody(response) {
        const cap = this.maxBodyBytes;
        const declared = Number(response.headers.get("content-length"));
        if (Number.isFinite(declared) && declared > cap) {
            await response.body?.cancel().catch(() => undefined);
            throw new BodyTooLarge(`body of ${declared} bytes is over the ${cap}-byte limit`);
        }
        if (!response.body)
            return "";
        const reader = response.body.getReader();
        const chunks = [];
        let total = 0;
        for (;;) {
            const { done, value } = await reader.read();
            if (done)
                break;
            total += value.byteLength;
            if (total > cap) {
                await reader.cancel().catch(() => undefined);
                throw new BodyTooLarge(`body is over the ${cap}-byte limit (after decompression)`);
            }
            chunks.push(value);
        }
        return new TextDecoder("utf-8").decode(Buffer.concat(chunks));
    }
}

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
            return { ok: false, error: `RDAP bootstrap ${source}: ${result.error} [${result.code}]` };
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
/** `clientHold`, `client hold`, `CLIENT-HOLD`, `client_hold` -> `clienthold`. */
function normalizeStatus(status) {
    return status.toLowerCase().replace(/[\s_-]+/g, "");
}
const EXPIRED_STATUSES = new Set(["redemptionperiod", "pendingdelete", "pendingrestore"]);
const HOLD_STATUSES = new Set(["clienthold", "serverhold", "inactive"]);
/** Whether a status, in any spelling, means the domain has lapsed (redemption, pending delete or restore). */
function isLapsedStatus(status) {
    return EXPIRED_STATUSES.has(normalizeStatus(status));
}
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
    const time = Date.parse(`${y}-${mo}-${d}T${h}:${mi}:${s}.${ms}${offset}`);
    if (Number.isNaN(time))
        return undefined;
    return new Date(time).toISOString();
}
/**
 * Read a registry's RDAP domain object (RFC 9083) into a state, dates and statuses. Anything
 * that is not a domain object for `domain` is refused (`ok: false`), never guessed at.
 */
function readRdapDomain(domain, raw, now) {
    if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
        return { ok: false, error: "the answer is not an RDAP object" };
    }
    const obj = raw;
    const klass = typeof obj.objectClassName === "string" ? obj.objectClassName.toLowerCase() : undefined;
    if (klass !== undefined && klass !== "domain") {
        return {
            ok: false,
            error: `the answer is an RDAP "${obj.objectClassName}" object, not a domain`,
        };
    }
    const ldh = typeof obj.ldhName === "string" ? obj.ldhName.toLowerCase().replace(/\.$/, "") : undefined;
    if (klass === undefined && ldh === undefined) {
        return {
            ok: false,
            error: "the answer has neither objectClassName nor ldhName: not an RDAP domain object",
        };
    }
    if (ldh !== undefined && ldh !== domain) {
        return {
            ok: false,
            error: `the answer describes ${JSON.stringify(ldh.slice(0, 100))}, not ${domain}`,
        };
    }
    const statuses = Array.isArray(obj.status)
        ? obj.status.filter((s) => typeof s === "string")
        : [];
    const events = Array.isArray(obj.events) ? obj.events : [];
    const dateOf = (action) => {
        for (const event of events) {
            if (event === null || typeof event !== "object")
                continue;
            const e = event;
            if (typeof e.eventAction === "string" && normalizeStatus(e.eventAction) === action) {
                const date = parseRdapDate(e.eventDate);
                if (date)
                    return date;
            }
        }
        return undefined;
    };
    const created = dateOf("registration");
    const reregistered = dateOf("reregistration");
    const expires = dateOf("expiration");
    const normalized = statuses.map(normalizeStatus);
    const isExpired = normalized.some((s) => EXPIRED_STATUSES.has(s)) ||
        (expires !== undefined && Date.parse(expires) < now.getTime());
    const isOnHold = normalized.some((s) => HOLD_STATUSES.has(s));
    if (!isExpired && !isOnHold && expires === undefined) {
        // An expiration the registry reports but we cannot read could be in the past: say the
        // domain could not be judged rather than call it registered.
        const unreadable = events.find((e) => e !== null &&
            typeof e === "object" &&
            typeof e.eventAction === "string" &&
            normalizeStatus(e.eventAction) === "expiration");
        if (unreadable) {
            return {
                ok: false,
                error: `the expiration date ${JSON.stringify(String(unreadable.eventDate).slice(0, 60))} is not a date, so the expiry could not be judged`,
            };
        }
    }
    return {
        ok: true,
        state: isExpired ? "expired" : isOnHold ? "on-hold" : "registered",
        statuses,
        ...(created ? { created } : {}),
        ...(expires ? { expires } : {}),
        ...(reregistered ? { reregistered } : {}),
    };
}
/** Canonical form of a registrable domain: ASCII (punycode), lower case, no trailing dot. */
function canonicalDomain(domain) {
    const trimmed = domain.trim().replace(/\.$/, "").toLowerCase();
    return (0,external_node_url_.domainToASCII)(trimmed).toLowerCase();
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
        const customFetch = async (input) => {
            const url = String(input);
            const result = await opts.http.get(url, {
                kind: "rdap",
                accept: "application/rdap+json, application/json",
                concurrency: { key: new URL(url).origin, limit: opts.perOriginConcurrency },
            });
            seen.push(result);
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
        if (!last) {
            return unknown("rdap-error", `RDAP lookup failed before any request: ${looked.error ?? "unknown error"}`);
        }
        if (looked.ok && looked.record && looked.record.isRegistered === false) {
            // rdapper reads any 404 as "not registered"; accept it only from an RDAP server's answer.
            if (last.ok || last.status !== 404) {
                return unknown("rdap-error", `unexpected RDAP outcome from ${last.url}`, server);
            }
            const body = (last.body ?? "").trim();
            const type = last.headers?.get("content-type") ?? "";
            if (body !== "" && (!looksLikeJson(body) || /html/i.test(type))) {
                return unknown("malformed", `${last.url} answered 404 with a body that is not an RDAP error (${type || "no content type"}): not treated as "not registered"`, server);
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
            const reading = readRdapDomain(domain, looked.record.rawRdap, opts.now());
            if (!reading.ok)
                return unknown("malformed", `${last.url}: ${reading.error}`, server);
            const { ok: _ok, ...verdict } = reading;
            return { ...base, ...verdict, server, checkedAt: checkedAt() };
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

;// CONCATENATED MODULE: ./src/assess/risk.ts
// Verdicts + metadata -> findings, then the run's policy (allow-list, fail-on, PR scoping) and
// the exit code. Pure functions: the clock is an argument.




const risk_DAY_MS = 86_400_000;
const risk_day = (iso) => iso?.slice(0, 10);
function label(pkg, version) {
    return version ? `\`${pkg}\` ${version}` : `\`${pkg}\``;
}
function describeStatuses(verdict) {
    return verdict.statuses.length > 0 ? `status ${verdict.statuses.join(", ")}` : "no status";
}
function addressEvidence(email) {
    return `\`${email.field}\` is \`${email.address}\``;
}
function isPast(iso, now) {
    if (!iso)
        return false;
    const ms = Date.parse(iso);
    return Number.isFinite(ms) && ms < now.getTime();
}
/** The one finding for (package, domain), most severe state first, or none when all is well. */
function judgeDomain(pkg, version, meta, email, domain, verdict, now, expiryWarningDays) {
    const who = label(pkg, version);
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
    const expiredByDate = isPast(verdict.expires, now);
    // A cached verdict may predate a status change in how it was read: the statuses decide too.
    const expiredByStatus = verdict.statuses.some(isLapsedStatus);
    if (verdict.state === "unregistered") {
        const dns = verdict.dns === "not-consulted"
            ? " (DNS could not be consulted to confirm)"
            : verdict.dns === "no-delegation"
                ? " and DNS shows no delegation"
                : "";
        return {
            ...base,
            kind: "domain-unregistered",
            message: `The maintainer e-mail domain of ${who} is not registered; whoever registers it can reset the PyPI account's password.`,
            evidence: `${addressEvidence(email)}; RDAP for \`${domain}\` answered not found${dns}.`,
            remediation: FINDING_INFO["domain-unregistered"].action,
        };
    }
    if (verdict.state === "expired" || expiredByDate || expiredByStatus) {
        const expiry = verdict.expires ? `, expiry ${risk_day(verdict.expires)}` : "";
        return {
            ...base,
            kind: "domain-expired",
            message: `The maintainer e-mail domain of ${who} has expired; whoever registers it can reset the PyPI account's password.`,
            evidence: `${addressEvidence(email)}; RDAP for \`${domain}\` reports ${describeStatuses(verdict)}${expiry}.`,
            remediation: FINDING_INFO["domain-expired"].action,
        };
    }
    const changedAt = verdict.reregistered ?? verdict.created;
    const releaseMs = meta.lastReleaseAt ? Date.parse(meta.lastReleaseAt) : NaN;
    const changedMs = changedAt ? Date.parse(changedAt) : NaN;
    if (Number.isFinite(releaseMs) && Number.isFinite(changedMs) && changedMs > releaseMs) {
        const event = verdict.reregistered ? "re-registered" : "registered";
        return {
            ...base,
            kind: "domain-reregistered",
            message: `The maintainer e-mail domain of ${who} was ${event} after the package's latest release; its holder may not be the maintainer.`,
            evidence: `${addressEvidence(email)}; RDAP for \`${domain}\` reports it ${event} ${risk_day(changedAt)}, after the latest release (${meta.latestVersion ?? "unknown version"}) was uploaded ${risk_day(meta.lastReleaseAt)}.`,
            remediation: FINDING_INFO["domain-reregistered"].action,
        };
    }
    if (verdict.state === "on-hold") {
        return {
            ...base,
            kind: "domain-on-hold",
            message: `The maintainer e-mail domain of ${who} is on hold; mail to the maintainer bounces, and holds often come before deletion.`,
            evidence: `${addressEvidence(email)}; RDAP for \`${domain}\` reports ${describeStatuses(verdict)}.`,
            remediation: FINDING_INFO["domain-on-hold"].action,
        };
    }
    if (verdict.expires) {
        const expiresMs = Date.parse(verdict.expires);
        const left = expiresMs - now.getTime();
        if (Number.isFinite(expiresMs) && left >= 0 && left <= expiryWarningDays * risk_DAY_MS) {
            const days = Math.floor(left / risk_DAY_MS);
            const within = days === 0 ? "within a day" : `in ${days} ${days === 1 ? "day" : "days"}`;
            return {
                ...base,
                kind: "domain-expiring",
                message: `The maintainer e-mail domain of ${who} expires ${within}; if it lapses, whoever registers it can reset the PyPI account's password.`,
                evidence: `${addressEvidence(email)}; RDAP for \`${domain}\` reports expiry ${risk_day(verdict.expires)}.`,
                remediation: FINDING_INFO["domain-expiring"].action,
            };
        }
    }
    return undefined;
}
/** Everything one package amounts to, independent of where it is pinned. */
function judgePackage(name, version, meta, input) {
    const who = label(name, version);
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
                evidence: `\`author_email\` and \`maintainer_email\` of ${meta.latestVersion ?? "the latest release"} are empty.`,
                remediation: FINDING_INFO["no-maintainer-email"].action,
            },
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
        const outcome = judgeDomain(name, version, meta, email, domain, input.verdicts.get(domain), input.now, input.expiryWarningDays);
        if (outcome)
            out.push(outcome);
    }
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
    for (const [name, deps] of byPackage) {
        const meta = input.packages.get(name);
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
                    severity: FINDING_INFO[o.kind].severity,
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
                }
                if (o.domain)
                    finding.domain = o.domain;
                if (o.evidence)
                    finding.evidence = o.evidence;
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
    if (entry.domain && entry.domain !== f.domain)
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
        f.failing = !f.allowed && inScope && overThreshold;
        return f;
    });
}
/** EXIT_FINDINGS when any finding fails the run, EXIT_CLEAN otherwise. */
function exitCodeFor(report, _options) {
    return report.findings.some((f) => f.failing) ? EXIT_FINDINGS : EXIT_CLEAN;
}

// EXTERNAL MODULE: external "node:perf_hooks"
var external_node_perf_hooks_ = __webpack_require__(643);
// EXTERNAL MODULE: ./node_modules/email-addresses/lib/email-addresses.js
var email_addresses = __webpack_require__(9016);
var email_addresses_default = /*#__PURE__*/__webpack_require__.n(email_addresses);
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
function isPlaceholder(value) {
    return PLACEHOLDERS.has(value.trim().toLowerCase());
}
// The shapes nearly every package uses, read without the full RFC 822 grammar: a bare
// address or `Display Name <address>`, comma-separated, no quotes, comments or escapes.
const SIMPLE_ENTRY = /^\s*(?:[^<>"@,;()\\]*<\s*([A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)\s*>|([A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+))\s*$/;
function parseSimple(text) {
    if (/["()\\;]/.test(text))
        return undefined;
    const out = [];
    for (const part of text.split(",")) {
        const match = SIMPLE_ENTRY.exec(part);
        if (!match)
            return undefined;
        out.push((match[1] ?? match[2]));
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
            out.push(entry.address);
        else
            for (const member of entry.addresses ?? [])
                out.push(member.address);
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
    const text = value.slice(0, MAX_FIELD_CHARS).trim();
    if (!text.includes("@"))
        return [];
    const found = parseSimple(text) ?? parseWithLibrary(text) ?? text.match(LOOSE_ADDRESS) ?? [];
    const seen = new Set();
    const out = [];
    for (const address of found) {
        const key = address.toLowerCase();
        if (seen.has(key))
            continue;
        seen.add(key);
        out.push(address);
        if (out.length >= MAX_ADDRESSES_PER_FIELD)
            break;
    }
    return out;
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
    const host = (0,external_node_url_.domainToASCII)(written.toLowerCase());
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
/**
 * The maintainer addresses in a PyPI `info` object, each with the field it came from and its
 * registrable domain (or why it has none). Empty, `null`, `UNKNOWN` and `None` values are
 * ignored. The same address in two fields is kept once, under the first field.
 */
function extractEmails(info) {
    const out = [];
    const seen = new Set();
    for (const field of EMAIL_FIELDS) {
        const value = info[field];
        if (typeof value !== "string" || isPlaceholder(value))
            continue;
        for (const address of parseAddressList(value)) {
            const key = address.toLowerCase();
            if (seen.has(key))
                continue;
            seen.add(key);
            const check = registrableDomain(hostOf(address));
            out.push(check.ok
                ? { address, field, domain: check.domain }
                : { address, field, skipped: "invalid-host", skipReason: check.reason });
        }
    }
    return out;
}
/** Mark the addresses at large mail providers (the skip list) as skipped. */
function markProviders(emails, skip) {
    return emails.map((email) => {
        if (email.skipped === "invalid-host")
            return email;
        const host = (0,external_node_url_.domainToASCII)(hostOf(email.address).toLowerCase().replace(/\.$/, ""));
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
/** The domains of these addresses that need a lookup, in order, each once. */
function domainsToCheck(emails) {
    const out = [];
    for (const e of emails) {
        if (e.skipped || !e.domain || out.includes(e.domain))
            continue;
        out.push(e.domain);
    }
    return out;
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
    // Yandex, Mail.ru
    "yandex.ru",
    "mail.ru",
    // Tencent, NetEase
    "qq.com",
    "163.com",
    "126.com",
    // GitHub's no-reply addresses: matched on the full host, since github.com itself is a company.
    "users.noreply.github.com",
];
function normalizeEntry(entry) {
    return entry.trim().toLowerCase().replace(/\.+$/, "").replace(/^@/, "");
}
/**
 * The skip list for a run: the built-in list plus `skipDomains`, or only `skipDomains` when
 * `replaceSkipDomains` is set. An entry matches the full host first, then the registrable domain,
 * so `users.noreply.github.com` does not skip every address at `github.com`, and `gmail.com`
 * also skips `mail.gmail.com`'s registrable domain.
 */
function createSkipList(options) {
    const base = options.replaceSkipDomains ? [] : DEFAULT_SKIP_DOMAINS;
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

// EXTERNAL MODULE: ./src/version.ts
var version = __webpack_require__(311);
;// CONCATENATED MODULE: ./src/pypi/client.ts


/** Where people can read what this client is and why it asks. */
const PROJECT_URL = "https://github.com/maintainer-domain-guard/maintainer-domain-guard";
/** The User-Agent sent to the package index and to RDAP servers. */
function userAgent() {
    return `${version/* TOOL_NAME */.l}/${version/* VERSION */.x} (+${PROJECT_URL})`;
}
/** PEP 508 project names: ASCII letters and digits, with `.`, `_`, `-` inside. */
const PEP508_NAME = /^(?:[A-Z0-9]|[A-Z0-9][A-Z0-9._-]*[A-Z0-9])$/i;
/** Longer names are not real projects; refuse before they reach a URL. */
const client_MAX_NAME_LENGTH = 200;
function isValidProjectName(name) {
    return name.length <= client_MAX_NAME_LENGTH && PEP508_NAME.test(name);
}
/** PEP 503 normalisation: lower case, runs of `-`, `_`, `.` become one `-`. */
function client_normalizeName(name) {
    return name.toLowerCase().replace(/[-_.]+/g, "-");
}
function failed(name, error) {
    return { name, status: "error", error, emails: [] };
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
function readOwnership(value) {
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
        // `upload_time` (older answers) has no zone: it is UTC.
        const ms = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(stamp) ? stamp : `${stamp}Z`);
        if (Number.isFinite(ms))
            out.push(ms);
    }
    return out;
}
/**
 * When the latest release was published, as ISO 8601: the earliest upload of its files
 * (`urls[]`). When those carry no upload time (a release without files), the same release in
 * the deprecated `releases` map, and failing that the most recent upload of any release: the
 * last time the maintainers are known to have published.
 */
function lastReleaseTime(doc, version) {
    const iso = (ms) => new Date(ms).toISOString();
    const own = uploadTimes(doc.urls);
    if (own.length > 0)
        return iso(Math.min(...own));
    if (!client_isRecord(doc.releases))
        return undefined;
    const sameRelease = version !== undefined ? uploadTimes(doc.releases[version]) : [];
    if (sameRelease.length > 0)
        return iso(Math.min(...sameRelease));
    let latest;
    for (const files of Object.values(doc.releases).slice(0, 10_000)) {
        for (const ms of uploadTimes(files))
            if (latest === undefined || ms > latest)
                latest = ms;
    }
    return latest === undefined ? undefined : iso(latest);
}
/**
 * Read a PyPI JSON API answer into PackageMeta. `name` is the normalised name asked for.
 * A body that is not the expected shape is an `error` for this package only.
 */
function readPackageJson(name, body) {
    let doc;
    try {
        doc = JSON.parse(body);
    }
    catch {
        return failed(name, "the package index answered with a body that is not JSON");
    }
    if (!client_isRecord(doc) || !client_isRecord(doc.info)) {
        return failed(name, "the package index answered JSON without an `info` object");
    }
    const info = doc.info;
    const meta = { name, status: "ok", emails: extractEmails(info) };
    if (typeof info.version === "string" && info.version.length <= 200)
        meta.latestVersion = info.version;
    const lastReleaseAt = lastReleaseTime(doc, meta.latestVersion);
    if (lastReleaseAt)
        meta.lastReleaseAt = lastReleaseAt;
    const ownership = readOwnership(doc.ownership);
    if (ownership)
        meta.ownership = ownership;
    return meta;
}
/**
 * Fetch one package's metadata. The name must be a PEP 508 name before it reaches a URL; it
 * is sent normalised and percent-encoded. 404 -> `not-found`; any other failure -> `error`
 * with the reason. Never throws.
 */
async function fetchPackageEntry(rawName, opts) {
    const name = client_normalizeName(rawName);
    if (!isValidProjectName(rawName)) {
        return { meta: failed(name, "the name is not a valid Python package name (PEP 508)") };
    }
    const url = `${opts.baseUrl.replace(/\/+$/, "")}/${encodeURIComponent(name)}/json`;
    const result = await opts.http.get(url, {
        kind: "pypi",
        accept: "application/json",
        ...(opts.concurrency ? { concurrency: { key: "pypi", limit: opts.concurrency } } : {}),
    });
    if (!result.ok) {
        if (result.status === 404 || result.status === 410) {
            return { meta: { name, status: "not-found", emails: [] } };
        }
        const status = result.status ? ` (HTTP ${result.status})` : "";
        return { meta: failed(name, `the package index could not be read${status}: ${result.error}`) };
    }
    const meta = readPackageJson(name, result.body);
    const maxAgeSeconds = parseMaxAge(result.headers.get("cache-control"));
    return maxAgeSeconds === undefined ? { meta } : { meta, maxAgeSeconds };
}
/** `fetchPackageEntry` without the cache hint. */
async function fetchPackage(name, opts) {
    return (await fetchPackageEntry(name, opts)).meta;
}

;// CONCATENATED MODULE: ./src/scan/scan.ts
// The scan pipeline: unique PyPI packages -> metadata -> maintainer domains -> RDAP verdicts
// -> findings -> Report. A pipeline, not two phases: a package's domains are looked up as soon
// as its metadata arrives, each unique domain once per run, all within one deadline.









/** Progress is reported at most this often (real time), plus once at the end. */
const PROGRESS_INTERVAL_MS = 100;
const DEADLINE_REASON = "deadline reached";
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
    const startedAt = env.now();
    const startedMs = external_node_perf_hooks_.performance.now();
    const deadlineAt = Date.now() + options.deadlineMs;
    let deadlineReached = false;
    const pastDeadline = () => Date.now() >= deadlineAt;
    const http = new HttpClient({
        fetch: env.fetch,
        userAgent: userAgent(),
        timeoutMs: options.timeoutMs,
        retries: options.retries,
        maxRetryWaitMs: options.maxRetryWaitMs,
        deadlineAt,
    });
    const skip = createSkipList(options);
    // Unique PyPI packages by normalised name, in first-seen order.
    const names = [];
    const seenNames = new Set();
    for (const dep of set.dependencies) {
        if (dep.kind !== "pypi")
            continue;
        const name = client_normalizeName(dep.name);
        if (seenNames.has(name))
            continue;
        seenNames.add(name);
        names.push(name);
    }
    const packages = new Map();
    const verdicts = new Map();
    const lookups = new Map();
    const cacheStats = { verdictHits: 0, verdictMisses: 0, metadataHits: 0 };
    let dnsQueries = 0;
    // Progress, throttled.
    let lastProgress = -Infinity;
    const progress = (force = false) => {
        if (!env.onProgress)
            return;
        const t = external_node_perf_hooks_.performance.now();
        if (!force && t - lastProgress < PROGRESS_INTERVAL_MS)
            return;
        lastProgress = t;
        env.onProgress({
            packages: packages.size,
            packagesTotal: names.length,
            domains: verdicts.size,
            domainsTotal: lookups.size,
        });
    };
    // The RDAP checker is built on first need: a scan whose domains all come from the cache
    // (or that has none) never fetches the bootstrap.
    let checker;
    const getChecker = () => {
        checker ??= (async () => {
            const loaded = await loadBootstrap(options.rdapBootstrap, http, env.cwd ?? process.cwd());
            if (!loaded.ok)
                env.log?.(`warning: the RDAP bootstrap could not be loaded: ${loaded.error}`);
            return createRdapChecker({
                http,
                bootstrap: loaded.ok ? loaded.data : undefined,
                ...(loaded.ok ? {} : { bootstrapError: loaded.error }),
                ...(options.dnsServer ? { dnsServer: options.dnsServer } : {}),
                now: env.now,
                timeoutMs: options.timeoutMs,
                perOriginConcurrency: options.rdapConcurrency,
                checkDelegation: (domain) => {
                    dnsQueries++;
                    return checkDelegation(domain, {
                        ...(options.dnsServer ? { server: options.dnsServer } : {}),
                        timeoutMs: Math.min(options.timeoutMs, DNS_TIMEOUT_CAP_MS),
                    });
                },
            });
        })();
        return checker;
    };
    const lookUp = (domain) => {
        if (lookups.has(domain))
            return;
        const run = async () => {
            const cached = env.cache?.getVerdict(domain, env.now());
            if (cached) {
                cacheStats.verdictHits++;
                verdicts.set(domain, { ...cached, source: "cache" });
                return;
            }
            if (env.cache)
                cacheStats.verdictMisses++;
            let verdict;
            try {
                verdict = await (await getChecker()).check(domain);
            }
            catch (error) {
                verdict = unknownVerdict(domain, `the lookup failed: ${error.message}`, "internal", env.now());
            }
            if (deadlineReached)
                return; // the deadline already settled this domain
            if (verdict.state === "unknown" && (verdict.errorCode === "deadline" || pastDeadline())) {
                // The request layer stopped at the same deadline a moment before the scan's timer.
                deadlineReached = true;
                verdict = unknownVerdict(domain, DEADLINE_REASON, "deadline", env.now());
            }
            verdicts.set(domain, verdict);
            if (verdict.state !== "unknown")
                env.cache?.putVerdict(verdict, env.now());
        };
        lookups.set(domain, run().finally(() => progress()));
    };
    const fetchOne = async (name) => {
        let meta = env.cache?.getPackage(name, env.now());
        if (meta) {
            cacheStats.metadataHits++;
            meta = { ...meta, cached: true };
        }
        else {
            const entry = await fetchPackageEntry(name, {
                http,
                baseUrl: options.pypiUrl,
                concurrency: options.pypiConcurrency,
            });
            meta = entry.meta;
            if (meta.status === "ok")
                env.cache?.putPackage(meta, env.now(), entry.maxAgeSeconds);
        }
        if (deadlineReached)
            return;
        if (meta.status === "error" && pastDeadline()) {
            deadlineReached = true;
            return;
        }
        meta = { ...meta, emails: markProviders(meta.emails, skip) };
        packages.set(name, meta);
        for (const domain of domainsToCheck(meta.emails))
            lookUp(domain);
        progress();
    };
    const work = (async () => {
        await forEachLimited(names, options.pypiConcurrency, () => deadlineReached, fetchOne);
        // Lookups started while packages were still arriving; wait for all of them (the map may
        // not grow any more once every package is in).
        await Promise.all(lookups.values());
    })();
    let timer;
    const deadline = new Promise((resolve) => {
        timer = setTimeout(() => {
            deadlineReached = true;
            resolve();
        }, options.deadlineMs);
    });
    try {
        await Promise.race([work, deadline]);
    }
    finally {
        clearTimeout(timer);
    }
    if (deadlineReached) {
        env.log?.(`warning: the scan reached its deadline (${options.deadlineMs} ms); unfinished lookups are reported as not checked`);
        const now = env.now();
        for (const name of names) {
            if (!packages.has(name)) {
                packages.set(name, { name, status: "error", error: DEADLINE_REASON, emails: [] });
            }
        }
        for (const domain of lookups.keys()) {
            if (!verdicts.has(domain))
                verdicts.set(domain, unknownVerdict(domain, DEADLINE_REASON, "deadline", now));
        }
    }
    progress(true);
    const now = env.now();
    const assessed = assess({
        dependencies: set.dependencies.map((d) => ({ ...d, name: client_normalizeName(d.name) })),
        packages,
        verdicts,
        now,
        expiryWarningDays: options.expiryWarningDays,
    });
    const findings = applyPolicy(assessed, {
        failOn: options.failOn,
        allow: options.allow,
        onLookupError: options.onLookupError,
        now,
        ...(env.introduced ? { introduced: env.introduced } : {}),
    });
    const s = http.stats;
    return {
        tool: { name: version/* TOOL_NAME */.l, version: version/* VERSION */.x },
        startedAt: startedAt.toISOString(),
        root: set.root,
        dependencies: set.dependencies,
        lockfiles: set.lockfiles,
        errors: set.errors,
        packages: names.map((n) => packages.get(n)).filter((p) => p !== undefined),
        domains: [...verdicts.values()].sort((a, b) => a.domain.localeCompare(b.domain)),
        findings,
        stats: {
            lockfiles: set.lockfiles.length,
            dependencies: set.dependencies.length,
            packages: names.length,
            domains: lookups.size,
            requests: {
                pypi: s.pypi,
                rdap: s.rdap,
                bootstrap: s.bootstrap,
                dns: dnsQueries,
                retries: s.retries,
            },
            cache: cacheStats,
            durationMs: Math.round(external_node_perf_hooks_.performance.now() - startedMs),
            deadlineReached,
        },
        failOn: options.failOn,
    };
}

;// CONCATENATED MODULE: ./src/cli/main.ts
// The CLI: parse argv into the shared Options, run `deps` or `scan`, print, and pick the exit code.














const USAGE = `Usage: ${version/* TOOL_NAME */.l} <command> [PATH...] [flags]

Commands:
  scan [PATH...]   Parse lockfiles, look up maintainer e-mail domains, report findings.
  deps [PATH...]   Parse lockfiles only (no network) and print the dependencies found.

Flags:
${OPTION_SPECS.filter((s) => !s.actionOnly && s.name !== "paths")
    .map((s) => `  --${s.name.padEnd(22)} ${s.description}`)
    .join("\n")}
  --config FILE            Same as --config-file.
  --help                   Show this help.
  --version                Print the version.

Exit codes: 0 clean, 1 findings at or above --fail-on, 2 bad usage or nothing could be read.
`;
function cliFlags() {
    const flags = {
        help: { type: "boolean" },
        version: { type: "boolean" },
        config: { type: "string" },
    };
    for (const spec of OPTION_SPECS) {
        if (spec.actionOnly || spec.name === "paths")
            continue;
        flags[spec.name] = {
            type: "string",
            multiple: spec.kind.type === "list" || spec.kind.type === "allow",
        };
    }
    return flags;
}
async function main(argv, io) {
    const say = (text) => io.stderr.write(text.endsWith("\n") ? text : `${text}\n`);
    let parsed;
    try {
        parsed = (0,external_node_util_.parseArgs)({ args: argv, options: cliFlags(), allowPositionals: true, strict: true });
    }
    catch (error) {
        say(`${version/* TOOL_NAME */.l}: ${error.message}\n\n${USAGE}`);
        return EXIT_USAGE;
    }
    const { values, positionals } = parsed;
    if (values.version) {
        io.stdout.write(`${version/* VERSION */.x}\n`);
        return EXIT_CLEAN;
    }
    const [command, ...paths] = positionals;
    if (values.help || !command) {
        (values.help ? io.stdout : io.stderr).write(USAGE);
        return values.help ? EXIT_CLEAN : EXIT_USAGE;
    }
    if (command !== "scan" && command !== "deps") {
        say(`${version/* TOOL_NAME */.l}: unknown command "${command}": use scan or deps\n\n${USAGE}`);
        return EXIT_USAGE;
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
        const configFile = typeof values.config === "string"
            ? values.config
            : values["config-file"];
        const configLayer = command === "scan" ? await loadConfigLayer(io.cwd, configFile) : {};
        options = resolveOptions([configLayer, flagLayer]);
    }
    catch (error) {
        if (error instanceof OptionsError) {
            say(error.problems.map((p) => `${version/* TOOL_NAME */.l}: ${p}`).join("\n"));
            return EXIT_USAGE;
        }
        throw error;
    }
    const format = options.format ?? (io.stdout.isTTY ? "table" : "json");
    const set = await loadDependencies(options.paths, io.cwd);
    if (command === "deps") {
        const text = renderDeps(set, format === "table" ? "table" : "json");
        await emit(text, options, io);
        if (set.lockfiles.length > 0)
            return EXIT_CLEAN;
        say(nothingRead(options.paths));
        return EXIT_USAGE;
    }
    if (set.lockfiles.length === 0) {
        for (const e of set.errors)
            say([formatParseError(e), ...formatSourceContext(e)].join("\n"));
        say(nothingRead(options.paths));
        return EXIT_USAGE;
    }
    const progress = io.stderr.isTTY
        ? (done) => io.stderr.write(`\rpackages ${done.packages}/${done.packagesTotal}, domains ${done.domains}/${done.domainsTotal}`)
        : undefined;
    // Verdict cache across runs (--cache FILE): read before the scan, written back after it.
    const cache = options.cache
        ? await openCache((0,external_node_path_.resolve)(io.cwd, options.cache), {
            maxAgeMs: options.cacheMaxAgeMs,
            log: (line) => say(line),
        })
        : undefined;
    const report = await scan(set, options, {
        now: io.now,
        fetch: io.fetch ?? globalThis.fetch,
        onProgress: progress,
        log: (line) => say(line),
        cache,
        cwd: io.cwd,
    });
    await cache?.save(io.now());
    if (progress)
        io.stderr.write("\n");
    await emit(renderReport(report, format, { color: io.stdout.isTTY === true }), options, io);
    if (options.sarifFile) {
        await (0,promises_.writeFile)((0,external_node_path_.resolve)(io.cwd, options.sarifFile), renderReport(report, "sarif"));
    }
    return exitCodeFor(report, options);
}
async function emit(text, options, io) {
    if (options.output) {
        await (0,promises_.writeFile)((0,external_node_path_.resolve)(io.cwd, options.output), text);
    }
    else {
        io.stdout.write(text.endsWith("\n") ? text : `${text}\n`);
    }
}
function nothingRead(paths) {
    return `${version/* TOOL_NAME */.l}: no lockfile could be read in ${paths.map((p) => plainText(p, 200)).join(", ")}`;
}


/***/ })

};

/**
 * Large PyPI project answers (`GET /pypi/<name>/json`) for tests and benchmarks, built from the
 * real fixtures in test/fixtures/pypi: the real `info` of luigi, the real `ownership` of
 * Twisted, and the real file entries of every fixture repeated under many versions in the
 * deprecated `releases` map, the part that makes answers such as grpcio's tens of megabytes.
 * Text is made on the fly, one release at a time, so an 80 MB answer costs no 80 MB of memory.
 * Compression is the server's business: pipe the chunks through zlib to send them gzipped.
 *
 * @example
 * ```ts
 * for await (const chunk of bigAnswer({ bytes: 12_000_000, releasesFirst: true })) res.write(chunk);
 * ```
 */
import { pypiFixture } from "./pypi.js";

export interface BigAnswerOptions {
  /** Size of the answer in bytes; it ends past this by less than one release. */
  bytes: number;
  /** `releases` before `info` and `urls`; PyPI itself sends keys sorted (`info` ... `urls`). */
  releasesFirst?: boolean;
  /** Pad `info.description` with real description text until `info` is at least this long. */
  infoBytes?: number;
  /** `urls: []`, as for a release without files. */
  emptyUrls?: boolean;
  /** Bytes per chunk (the last one may be shorter); 64 KiB by default, as a socket reads. */
  chunkBytes?: number;
}

/** What a reader of the answer should find, known without parsing it. */
export interface BigAnswerFacts {
  /** `info.version`: the last release made. */
  version: string;
  versions: number;
  files: number;
  /** Earliest upload (ms) of the files of `version`. */
  versionFirstUploadMs: number;
  /** Latest upload (ms) across all releases. */
  latestUploadMs: number;
  /** Releases whose every file is yanked. */
  yankedVersions: string[];
}

type FileEntry = Record<string, unknown>;

/** Stands for the version inside file names and URLs of the templates. */
const MARK = "@V@";
const FIRST_UPLOAD_MS = Date.UTC(2012, 9, 21, 10, 30, 0, 123);
const RELEASE_STEP_MS = 6 * 3600_000;
const FILE_STEP_MS = 61_000;
/** Every 25th release (from the 8th) is yanked, with a reason full of JSON punctuation. */
const YANKED_REASON = 'Broken "wheel" {see #12} [C:\\build\\] \u00e9 \u2603 \ud83d\ude00';
/** How many files each release has, in turn: sdists only, a few wheels, a full wheel matrix. */
const FILES_PER_RELEASE = [1, 3, 12, 2, 40, 7, 1, 24];

interface Templates {
  /** Serialised file entries with `@V@`, `@T@` (iso), `@U@` (plain) and `@Y@` to fill in. */
  files: string[];
  info: FileEntry;
  ownership: unknown;
  description: string;
}

/** A real file entry as a template: the version in its name and URL becomes a mark. */
function fileTemplate(file: FileEntry, version: string): string {
  const copy: FileEntry = { ...file };
  for (const key of ["filename", "url"]) {
    if (typeof copy[key] === "string") copy[key] = (copy[key] as string).split(version).join(MARK);
  }
  copy.upload_time = "@U@";
  copy.upload_time_iso_8601 = "@T@";
  copy.yanked = "@Y@";
  copy.yanked_reason = "@R@";
  return JSON.stringify(copy).replace('"@Y@"', "@Y@").replace('"@R@"', "@R@");
}

let cached: Templates | undefined;

function templates(): Templates {
  if (cached) return cached;
  const files: string[] = [];
  const names = [
    "wheel-0.40.0.json",
    "black-21.11b0.json",
    "twisted-18.9.0.json",
    "jupyter-1.0.0.json",
    "isodate-0.7.0.json",
    "py-1.5.3.json",
    "discord-py-2.0.0.json",
  ];
  for (const name of names) {
    const doc = JSON.parse(pypiFixture(name)) as { info: { version: string }; urls: FileEntry[] };
    for (const file of doc.urls) files.push(fileTemplate(file, doc.info.version));
  }
  const luigi = JSON.parse(pypiFixture("luigi.json")) as {
    info: FileEntry;
    releases: Record<string, FileEntry[]>;
  };
  for (const [version, list] of Object.entries(luigi.releases)) {
    for (const file of list) files.push(fileTemplate(file, version));
  }
  const twisted = JSON.parse(pypiFixture("twisted-18.9.0.json")) as { ownership: unknown };
  cached = {
    files,
    info: luigi.info,
    ownership: twisted.ownership,
    description: String(luigi.info.description),
  };
  return cached;
}

function versionName(k: number): string {
  return `${1 + Math.floor(k / 400)}.${Math.floor(k / 20) % 20}.${k % 20}`;
}

const isYanked = (k: number) => k % 25 === 7;
const fileCount = (k: number) => FILES_PER_RELEASE[k % FILES_PER_RELEASE.length]!;
const uploadMs = (k: number, j: number) => FIRST_UPLOAD_MS + k * RELEASE_STEP_MS + j * FILE_STEP_MS;

/** The files of release `k`, as JSON text of an array. */
function releaseFiles(k: number): string {
  const { files } = templates();
  const version = versionName(k);
  const parts: string[] = [];
  for (let j = 0; j < fileCount(k); j++) {
    const template = files[(k * 7 + j) % files.length]!;
    const iso = new Date(uploadMs(k, j)).toISOString().replace("Z", "456Z");
    parts.push(
      template
        .split(MARK)
        .join(version)
        .replace("@T@", iso)
        .replace("@U@", iso.slice(0, 19))
        .replace("@Y@", String(isYanked(k)))
        .replace("@R@", isYanked(k) ? JSON.stringify(YANKED_REASON) : "null"),
    );
  }
  return `[${parts.join(", ")}]`;
}

/** How many releases fill `bytes`, without making them. */
function releaseCount(bytes: number): number {
  let total = 2_000; // room for the parts other than `releases`
  let k = 0;
  for (; total < bytes; k++) total += releaseFiles(k).length + versionName(k).length + 6;
  return Math.max(k, 1);
}

const countCache = new Map<number, number>();

function countFor(bytes: number): number {
  let count = countCache.get(bytes);
  if (count === undefined) countCache.set(bytes, (count = releaseCount(bytes)));
  return count;
}

/** Facts about the answer `bigAnswer(opts)` makes. */
export function bigAnswerFacts(opts: BigAnswerOptions): BigAnswerFacts {
  const versions = countFor(opts.bytes);
  const last = versions - 1;
  let files = 0;
  const yankedVersions: string[] = [];
  for (let k = 0; k < versions; k++) {
    files += fileCount(k);
    if (isYanked(k)) yankedVersions.push(versionName(k));
  }
  return {
    version: versionName(last),
    versions,
    files,
    versionFirstUploadMs: uploadMs(last, 0),
    latestUploadMs: uploadMs(last, fileCount(last) - 1),
    yankedVersions,
  };
}

/** The answer as pieces of text, in order. */
function* answerPieces(opts: BigAnswerOptions): Generator<string> {
  const t = templates();
  const versions = countFor(opts.bytes);
  const version = versionName(versions - 1);
  const info: FileEntry = {
    ...t.info,
    version,
    release_url: `https://pypi.org/project/luigi/${version}/`,
  };
  if (opts.infoBytes !== undefined) {
    let description = t.description;
    while (JSON.stringify(info).length + description.length < opts.infoBytes)
      description += t.description;
    info.description = description;
  }
  const head = [
    `"info": ${JSON.stringify(info)}`,
    `"last_serial": 26154133`,
    `"ownership": ${JSON.stringify(t.ownership)}`,
  ];
  const tail = [
    `"urls": ${opts.emptyUrls ? "[]" : releaseFiles(versions - 1)}`,
    `"vulnerabilities": []`,
  ];
  yield "{";
  if (!opts.releasesFirst) yield `${head.join(", ")}, `;
  yield '"releases": {';
  for (let k = 0; k < versions; k++) {
    yield `${k > 0 ? ", " : ""}${JSON.stringify(versionName(k))}: ${releaseFiles(k)}`;
  }
  yield "}, ";
  if (opts.releasesFirst) yield `${head.join(", ")}, `;
  yield `${tail.join(", ")}}`;
}

/** The whole answer as one string (for tests that compare with JSON.parse). */
export function bigAnswerText(opts: BigAnswerOptions): string {
  return [...answerPieces(opts)].join("");
}

/** The answer as UTF-8 chunks of `chunkBytes`. */
export async function* bigAnswer(opts: BigAnswerOptions): AsyncGenerator<Uint8Array> {
  const size = opts.chunkBytes ?? 65_536;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  for (const piece of answerPieces(opts)) {
    const bytes = Buffer.from(piece, "utf8");
    pending.push(bytes);
    pendingBytes += bytes.length;
    if (pendingBytes < size) continue;
    const all = Buffer.concat(pending, pendingBytes);
    let at = 0;
    for (; at + size <= all.length; at += size) yield all.subarray(at, at + size);
    pending = at < all.length ? [all.subarray(at)] : [];
    pendingBytes = all.length - at;
  }
  if (pendingBytes > 0) yield Buffer.concat(pending, pendingBytes);
}

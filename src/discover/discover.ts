// Discovery: turn the paths a user named into parsed lockfiles. Walks directories, reads files
// with a size cap, refuses binary files and anything (symlink or `-r`/`-c` target) that resolves
// outside the scanned root, and collects every problem as a ParseError instead of throwing.
import { closeSync, fstatSync, openSync, readSync, realpathSync, statSync } from "node:fs";
import { readdir, realpath, stat } from "node:fs/promises";
import { dirname, isAbsolute, join, posix, relative, resolve, sep } from "node:path";
import type {
  Dependency,
  DependencySet,
  LockfileFormat,
  LockfileSummary,
  ParseError,
  ParseResult,
} from "../types.js";
import type { IncludeResult, ParseContext } from "../lockfiles/shared/context.js";
import { detectFormat, formatByName, parserFor } from "../lockfiles/detect.js";
import { withSourceContext } from "../lockfiles/shared/lines.js";
import { preview } from "../lockfiles/shared/pep508.js";

/** Largest file read, in bytes. */
export const MAX_FILE_BYTES = 20 * 1024 * 1024;

/** Directory names never descended into. */
export const SKIPPED_DIRECTORIES: ReadonlySet<string> = new Set([
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

export { detectFormat };

type TextResult = { text: string } | { code: string; message: string };

/** Checks decoded bytes: NUL bytes mean binary; a UTF-8 BOM is dropped. */
function textFromBytes(bytes: Buffer): TextResult {
  if (bytes.includes(0))
    return { code: "binary-file", message: "refused: binary file (contains NUL bytes)" };
  const text = bytes.toString("utf8");
  return { text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text };
}

function tooLarge(size: number): { code: string; message: string } {
  return {
    code: "file-too-large",
    message: `refused: file is ${(size / 1024 / 1024).toFixed(1)} MB, over the ${MAX_FILE_BYTES / 1024 / 1024} MB limit`,
  };
}

function describeError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === "ENOENT") return "no such file";
  if (code === "EACCES" || code === "EPERM") return "permission denied";
  if (code === "EISDIR") return "is a directory";
  if (code === "ELOOP") return "too many levels of symbolic links";
  return code ?? (error instanceof Error ? error.message : String(error));
}

/**
 * Read a file of at most MAX_FILE_BYTES, refusing a larger one while reading (its size may
 * change after stat). Synchronous: discovery reads one file at a time, and `-r`/`-c` targets are
 * read from inside the (synchronous) parsers.
 */
function readCapped(path: string): TextResult {
  let fd: number | undefined;
  try {
    fd = openSync(path, "r");
    const info = fstatSync(fd);
    if (!info.isFile()) return { code: "unreadable", message: "cannot read: not a regular file" };
    if (info.size > MAX_FILE_BYTES) return tooLarge(info.size);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const buffer = Buffer.alloc(Math.min(1024 * 1024, MAX_FILE_BYTES + 1 - total));
      const bytesRead = readSync(fd, buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      chunks.push(buffer.subarray(0, bytesRead));
      total += bytesRead;
      if (total > MAX_FILE_BYTES) return tooLarge(total);
    }
    return textFromBytes(Buffer.concat(chunks, total));
  } catch (error) {
    return { code: "unreadable", message: `cannot read: ${describeError(error)}` };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === "" || (!rel.startsWith(`..${sep}`) && rel !== ".." && !isAbsolute(rel));
}

function toPosix(path: string): string {
  return sep === "/" ? path : path.split(sep).join("/");
}

/** A file to parse: where it is, how the output names it, and the root it may not leave. */
interface Candidate {
  absolute: string;
  real: string;
  display: string;
  /** Real path of the scan root. */
  scanRoot: string;
  /** The scan root as the user named it (absolute, symlinks unresolved). */
  lexicalRoot: string;
  explicit: boolean;
}

class Loader {
  readonly dependencies: Dependency[] = [];
  readonly errors: ParseError[] = [];
  readonly lockfiles: LockfileSummary[] = [];
  private readonly parsedReal = new Set<string>();
  private readonly visitedDirs = new Set<string>();

  constructor(private readonly cwd: string) {}

  /** Relative to cwd; outside cwd, relative to the scan root that named it. */
  display(absolute: string, argumentRoot: string): string {
    const rel = relative(this.cwd, absolute);
    if (rel !== "" && !rel.startsWith("..") && !isAbsolute(rel)) return toPosix(rel);
    const fromArg = relative(argumentRoot, absolute);
    return toPosix(fromArg === "" ? absolute : fromArg);
  }

  private unreadable(file: string, error: unknown): void {
    this.errors.push({ file, code: "unreadable", message: `cannot read: ${describeError(error)}` });
  }

  private outsideRoot(file: string): void {
    this.errors.push({
      file,
      code: "symlink-outside-root",
      message: "refused: symbolic link resolves outside the scanned folder",
    });
  }

  async addArgument(arg: string): Promise<void> {
    const absolute = resolve(this.cwd, arg);
    let info;
    try {
      info = await stat(absolute);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ENOENT" || code === "ENOTDIR") {
        this.errors.push({
          file: arg,
          code: "not-found",
          message: `no such file or directory: ${preview(arg, 200)}`,
        });
      } else {
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
      let realRoot: string;
      try {
        realRoot = await realpath(absolute);
      } catch (error) {
        this.unreadable(arg, error);
        return;
      }
      await this.walk(absolute, realRoot, absolute, 0);
      return;
    }
    const argumentRoot = dirname(absolute);
    let scanRoot: string;
    let real: string;
    try {
      scanRoot = await realpath(argumentRoot);
      real = await realpath(absolute);
    } catch (error) {
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

  private async walk(
    directory: string,
    scanRoot: string,
    argumentRoot: string,
    depth: number,
  ): Promise<void> {
    let real: string;
    try {
      real = await realpath(directory);
    } catch (error) {
      this.errors.push({
        file: this.display(directory, argumentRoot),
        code: "unreadable",
        message: `cannot read: ${describeError(error)}`,
      });
      return;
    }
    if (this.visitedDirs.has(real) || depth > MAX_WALK_DEPTH) return; // symlink loops end here
    this.visitedDirs.add(real);
    let entries;
    try {
      entries = await readdir(directory, { withFileTypes: true });
    } catch (error) {
      this.errors.push({
        file: this.display(directory, argumentRoot),
        code: "unreadable",
        message: `cannot read: ${describeError(error)}`,
      });
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const subdirectories: string[] = [];
    for (const entry of entries) {
      const absolute = join(directory, entry.name);
      let isDirectory = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        if (SKIPPED_DIRECTORIES.has(entry.name)) continue;
        const display = this.display(absolute, argumentRoot);
        let target: string;
        let targetInfo;
        try {
          target = await realpath(absolute);
          targetInfo = await stat(target);
        } catch {
          // A dangling link or a loop: nothing to read.
          continue;
        }
        isDirectory = targetInfo.isDirectory();
        isFile = targetInfo.isFile();
        const claimed = isDirectory || formatByName(display) !== undefined;
        if (!claimed) continue;
        if (!isInside(scanRoot, target)) {
          this.outsideRoot(display);
          continue;
        }
      }
      if (isDirectory) {
        if (!SKIPPED_DIRECTORIES.has(entry.name)) subdirectories.push(absolute);
      } else if (isFile) {
        const display = this.display(absolute, argumentRoot);
        if (formatByName(display) === undefined) continue;
        let realFile: string;
        try {
          realFile = await realpath(absolute);
        } catch (error) {
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
    for (const sub of subdirectories) await this.walk(sub, scanRoot, argumentRoot, depth + 1);
  }

  private async parseFile(candidate: Candidate): Promise<void> {
    if (this.parsedReal.has(candidate.real)) return;
    this.parsedReal.add(candidate.real);
    const read = readCapped(candidate.absolute);
    if (!("text" in read)) {
      this.errors.push({ file: candidate.display, code: read.code, message: read.message });
      return;
    }
    const format = detectFormat(candidate.display, read.text);
    if (format === undefined) {
      this.errors.push({
        file: candidate.display,
        code: "unknown-format",
        message: "unknown format: not a lockfile, requirements file or manifest this tool reads",
      });
      return;
    }
    const displayToAbsolute = new Map<string, string>([[candidate.display, candidate.absolute]]);
    const texts = new Map<string, string>([[candidate.display, read.text]]);
    const ctx: ParseContext = {
      readInclude: (fromFile, target) => {
        const got = this.readInclude(fromFile, target, candidate, displayToAbsolute);
        if ("text" in got) texts.set(got.file, got.text);
        return got;
      },
    };
    let result: ParseResult;
    try {
      result = parserFor(format).parse(read.text, candidate.display, ctx);
    } catch (error) {
      if (!(error instanceof RangeError)) throw error;
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
      errors: withSourceContext(result.errors, texts),
    });
  }

  private readInclude(
    fromFile: string,
    target: string,
    top: Candidate,
    displayToAbsolute: Map<string, string>,
  ): IncludeResult {
    const from = displayToAbsolute.get(fromFile) ?? top.absolute;
    const shown = preview(target, 200);
    if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(target)) {
      return {
        code: "include-remote",
        error: `not followed: ${shown} is a URL (only local files are read)`,
      };
    }
    const absolute = resolve(dirname(from), target);
    // Lexical check first, so nothing outside the root is even looked at.
    if (!isInside(top.lexicalRoot, absolute)) {
      return {
        code: "include-outside-root",
        error: `refused: ${shown} is outside the scanned folder`,
      };
    }
    let real: string;
    try {
      real = realpathSync(absolute);
    } catch (error) {
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
      if (!statSync(real).isFile())
        return {
          code: "unreadable",
          error: `cannot read included file ${shown}: not a regular file`,
        };
    } catch (error) {
      return {
        code: "include-missing",
        error: `cannot read included file ${shown}: ${describeError(error)}`,
      };
    }
    const read = readCapped(real);
    if (!("text" in read)) return { code: read.code, error: `${shown}: ${read.message}` };
    const display = this.display(absolute, top.lexicalRoot);
    displayToAbsolute.set(display, absolute);
    this.parsedReal.add(real);
    return { file: display, text: read.text };
  }

  private record(display: string, format: LockfileFormat, result: ParseResult): void {
    this.errors.push(...result.errors);
    // A file that gave nothing but errors (invalid TOML, an alias bomb, ...) was not read.
    if (result.dependencies.length === 0 && result.errors.length > 0) return;
    const counts = new Map<string, number>([[display, 0]]);
    for (const dep of result.dependencies) {
      this.dependencies.push(dep);
      counts.set(dep.file, (counts.get(dep.file) ?? 0) + 1);
    }
    for (const [path, count] of counts) {
      if (this.lockfiles.some((l) => l.path === path)) continue;
      this.lockfiles.push({ path, format: path === display ? format : "requirements", count });
    }
  }
}

/**
 * Finds and parses the lockfiles under `paths` (files or directories; none means `cwd`).
 * Never throws for a user's mistake: unreadable, unknown or broken files land in `errors`.
 */
export async function loadDependencies(paths: string[], cwd: string): Promise<DependencySet> {
  const root = resolve(cwd);
  const loader = new Loader(root);
  for (const arg of paths.length > 0 ? paths : ["."]) await loader.addArgument(arg);
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
export function parseLockfileText(
  file: string,
  text: string,
  readInclude?: (target: string) => string | undefined,
): ParseResult & { format?: LockfileFormat } {
  if (text.length > MAX_FILE_BYTES) {
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
  const texts = new Map<string, string>([[file, body]]);
  const ctx: ParseContext | undefined = readInclude && {
    readInclude: (fromFile, target) => {
      const shown = preview(target, 200);
      if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(target)) {
        return {
          code: "include-remote",
          error: `not followed: ${shown} is a URL (only local files are read)`,
        };
      }
      const joined = posix.normalize(
        posix.join(posix.dirname(fromFile), target.replace(/\\/g, "/")),
      );
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
      if (included.length > MAX_FILE_BYTES)
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
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
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

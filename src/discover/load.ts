// Turning the paths a user named into a DependencySet: each argument is a file or a folder to
// walk; each file found is read once, parsed with its `-r`/`-c` includes confined to its root,
// and recorded. Every problem becomes a ParseError; nothing here throws for a user's mistake.
import { realpath, stat } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import type {
  Dependency,
  DependencySet,
  LockfileFormat,
  LockfileSummary,
  ParseError,
  ParseResult,
} from "../types.js";
import type { ParseContext } from "../lockfiles/shared/context.js";
import { preview } from "../lockfiles/shared/pep508.js";
import {
  confineDiskInclude,
  isInside,
  linkOutsideRoot,
  type ScanRoots,
  shownTarget,
} from "./confine.js";
import { displayPath } from "./display.js";
import { parseText } from "./parse-lockfile-text.js";
import { describeError, readCapped, readIncludedFile } from "./read.js";
import { type FoundFile, walkDirectory } from "./walk.js";

/** A file to parse, and the root it and its includes may not leave. */
type Candidate = FoundFile & ScanRoots;

class Loader {
  readonly dependencies: Dependency[] = [];
  readonly errors: ParseError[] = [];
  readonly lockfiles: LockfileSummary[] = [];
  /** Real paths already parsed, as a top-level file or as an include. */
  private readonly parsedReal = new Set<string>();
  /**
   * Dependencies already recorded, by file, line and name, with their place in `dependencies`:
   * a file the walk parsed on its own and a file including it later both yield its lines, and
   * each must be reported once.
   */
  private readonly recordedLines = new Map<string, number>();
  private readonly visitedDirs = new Set<string>();

  constructor(private readonly cwd: string) {}

  async addArgument(arg: string): Promise<void> {
    const absolute = resolve(this.cwd, arg);
    const kind = await this.argumentKind(arg, absolute);
    if (kind === "directory") await this.addDirectory(arg, absolute);
    else if (kind === "file") await this.addFile(arg, absolute);
  }

  /** What the argument is, or undefined (and an error recorded) when it cannot be read. */
  private async argumentKind(
    arg: string,
    absolute: string,
  ): Promise<"directory" | "file" | undefined> {
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
      return undefined;
    }
    if (info.isDirectory()) return "directory";
    if (info.isFile()) return "file";
    // A FIFO or device could block or never end: refuse before opening it.
    this.errors.push({ file: arg, code: "unreadable", message: "cannot read: not a regular file" });
    return undefined;
  }

  /** A folder argument: walk it, parsing each file as it is found. */
  private async addDirectory(arg: string, absolute: string): Promise<void> {
    let scanRoot: string;
    try {
      scanRoot = await realpath(absolute);
    } catch (error) {
      this.unreadable(arg, error);
      return;
    }
    const walk = walkDirectory(absolute, {
      scanRoot,
      display: (path) => displayPath(this.cwd, path, absolute),
      visited: this.visitedDirs,
    });
    for await (const item of walk) {
      if ("error" in item) this.errors.push(item.error);
      else await this.parseFile({ ...item.file, scanRoot, lexicalRoot: absolute });
    }
  }

  /** A file argument: any name, confined to the folder it is in. */
  private async addFile(arg: string, absolute: string): Promise<void> {
    const lexicalRoot = dirname(absolute);
    let scanRoot: string;
    let real: string;
    try {
      scanRoot = await realpath(lexicalRoot);
      real = await realpath(absolute);
    } catch (error) {
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

  private async parseFile(candidate: Candidate): Promise<void> {
    if (this.parsedReal.has(candidate.real)) return;
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
  private includeReader(top: Candidate): ParseContext["readInclude"] {
    const displayToAbsolute = new Map<string, string>([[top.display, top.absolute]]);
    return (fromFile, target) => {
      const from = displayToAbsolute.get(fromFile) ?? top.absolute;
      const place = confineDiskInclude(from, target, top);
      if ("error" in place) return place;
      const read = readIncludedFile(place.real, shownTarget(target));
      if ("error" in read) return read;
      const display = displayPath(this.cwd, place.absolute, top.lexicalRoot);
      displayToAbsolute.set(display, place.absolute);
      this.parsedReal.add(place.real);
      return { file: display, text: read.text };
    };
  }

  private record(display: string, format: LockfileFormat, result: ParseResult): void {
    this.errors.push(...result.errors);
    // A file that gave nothing but errors (invalid TOML, an alias bomb, ...) was not read.
    if (result.dependencies.length === 0 && result.errors.length > 0) return;
    const counts = new Map<string, number>([[display, 0]]);
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
        const known = this.dependencies[earlier]!;
        if (known.index === undefined && dep.index !== undefined)
          this.dependencies[earlier] = { ...known, index: dep.index };
        continue;
      }
      this.recordedLines.set(key, this.dependencies.length);
      this.dependencies.push(dep);
      counts.set(dep.file, (counts.get(dep.file) ?? 0) + 1);
    }
    for (const [path, count] of counts) {
      if (this.lockfiles.some((l) => l.path === path)) continue;
      this.lockfiles.push({ path, format: path === display ? format : "requirements", count });
    }
  }

  private unreadable(file: string, error: unknown): void {
    this.errors.push({ file, code: "unreadable", message: `cannot read: ${describeError(error)}` });
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

// Reading a file from disk without trusting it: never open what is not a regular file (a FIFO
// or device could block or never end), stop reading past MAX_FILE_BYTES even if the file grows
// after stat, and turn every failure into a message instead of an exception.
import { closeSync, fstatSync, openSync, readSync, statSync } from "node:fs";
import type { IncludeResult } from "../lockfiles/shared/context.js";
import { BINARY_FILE, MAX_FILE_BYTES, type Refusal, stripBom, tooLarge } from "./text.js";

export type TextResult = { text: string } | Refusal;

/** A refused `-r`/`-c` target, in the shape parsers receive. */
export type IncludeRefusal = Extract<IncludeResult, { error: string }>;

/** A short reason for a failed file system call (`no such file`, `permission denied`, ...). */
export function describeError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === "ENOENT") return "no such file";
  if (code === "EACCES" || code === "EPERM") return "permission denied";
  if (code === "EISDIR") return "is a directory";
  if (code === "ELOOP") return "too many levels of symbolic links";
  return code ?? (error instanceof Error ? error.message : String(error));
}

/**
 * Text as pip reads it: UTF-16 when the file starts with its byte-order mark (what Windows
 * PowerShell's `pip freeze > requirements.txt` writes), else UTF-8 (a UTF-8 BOM is dropped).
 * NUL characters in the text mean binary.
 */
export function textFromBytes(bytes: Buffer): TextResult {
  let text: string;
  if (bytes[0] === 0xff && bytes[1] === 0xfe && bytes.length % 2 === 0) {
    text = bytes.subarray(2).toString("utf16le");
  } else if (bytes[0] === 0xfe && bytes[1] === 0xff && bytes.length % 2 === 0) {
    text = Buffer.from(bytes.subarray(2)).swap16().toString("utf16le");
  } else {
    if (bytes.includes(0)) return { ...BINARY_FILE };
    text = bytes.toString("utf8");
  }
  if (text.includes("\u0000")) return { ...BINARY_FILE };
  return { text: stripBom(text) };
}

/**
 * Read a file of at most MAX_FILE_BYTES, refusing a larger one while reading (its size may
 * change after stat). Synchronous: discovery reads one file at a time, and `-r`/`-c` targets are
 * read from inside the (synchronous) parsers.
 */
export function readCapped(path: string): TextResult {
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

/**
 * Reads an already confined `-r`/`-c` target (its real path), checking it is a regular file
 * before opening it. `shown` is the target as the messages quote it.
 */
export function readIncludedFile(real: string, shown: string): { text: string } | IncludeRefusal {
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
  return { text: read.text };
}

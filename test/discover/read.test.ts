// Safe reads: what a file on disk, or text handed over as such, must be to get parsed.
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { readCapped, readIncludedFile } from "../../src/discover/read.js";
import { MAX_FILE_BYTES, refuseText, stripBom } from "../../src/discover/text.js";

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "mdg-read-"));
  writeFileSync(join(dir, "bom.txt"), "\ufeffa==1\n");
  writeFileSync(join(dir, "binary.txt"), Buffer.from([0x61, 0x00, 0x62]));
});

describe("readCapped", () => {
  it("drops a byte order mark and refuses NUL bytes", () => {
    expect(readCapped(join(dir, "bom.txt"))).toEqual({ text: "a==1\n" });
    expect(readCapped(join(dir, "binary.txt"))).toEqual({
      code: "binary-file",
      message: "refused: binary file (contains NUL bytes)",
    });
  });

  it("reports what it cannot read instead of throwing", () => {
    expect(readCapped(join(dir, "missing.txt"))).toEqual({
      code: "unreadable",
      message: "cannot read: no such file",
    });
    expect(readCapped(dir)).toMatchObject({ code: "unreadable" });
  });
});

describe("readIncludedFile", () => {
  it.runIf(process.platform !== "win32")("refuses a FIFO without opening it", () => {
    const fifo = join(dir, "fifo.txt");
    execFileSync("mkfifo", [fifo]);
    expect(readIncludedFile(fifo, "fifo.txt")).toEqual({
      code: "unreadable",
      error: "cannot read included file fifo.txt: not a regular file",
    });
  });

  it("quotes the target in its errors", () => {
    expect(readIncludedFile(join(dir, "gone.txt"), "gone.txt")).toEqual({
      code: "include-missing",
      error: "cannot read included file gone.txt: no such file",
    });
    expect(readIncludedFile(join(dir, "binary.txt"), "binary.txt")).toEqual({
      code: "binary-file",
      error: "binary.txt: refused: binary file (contains NUL bytes)",
    });
    expect(readIncludedFile(join(dir, "bom.txt"), "bom.txt")).toEqual({ text: "a==1\n" });
  });
});

describe("refuseText and stripBom", () => {
  it("refuses oversized text before looking for NUL", () => {
    expect(refuseText("a==1\n")).toBeUndefined();
    expect(refuseText("a\u0000")?.code).toBe("binary-file");
    expect(refuseText("\u0000".repeat(MAX_FILE_BYTES + 1))?.code).toBe("file-too-large");
  });

  it("drops only a leading byte order mark", () => {
    expect(stripBom("\ufeffa\ufeff")).toBe("a\ufeff");
    expect(stripBom("a")).toBe("a");
  });
});

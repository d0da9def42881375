// Safe reads: what a file on disk, or text handed over as such, must be to get parsed.
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { loadDependencies } from "../../src/discover/discover.js";
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

describe("UTF-16 with a byte-order mark, as pip reads it", () => {
  // What Windows PowerShell 5.1's `pip freeze > requirements.txt` writes: UTF-16LE with a BOM,
  // CRLF line ends. pip decodes it by the BOM; so do we.
  const freeze = "certifi==2024.2.2\r\nidna==3.6\r\n-r extra.txt\r\n";
  it.each([
    ["little-endian", Buffer.from(`\ufeff${freeze}`, "utf16le")],
    ["big-endian", Buffer.from(`\ufeff${freeze}`, "utf16le").swap16()],
  ])("%s: read, lines and includes as in UTF-8", async (_endian, bytes) => {
    const dir = mkdtempSync(join(tmpdir(), "mdg-utf16-"));
    writeFileSync(join(dir, "requirements.txt"), bytes);
    writeFileSync(join(dir, "extra.txt"), Buffer.from("\ufeffurllib3==2.2.1\r\n", "utf16le"));
    expect(readCapped(join(dir, "requirements.txt"))).toEqual({ text: freeze });
    const set = await loadDependencies(["requirements.txt"], dir);
    expect(set.errors).toEqual([]);
    expect(set.dependencies.map((d) => [d.file, d.line, d.name, d.version])).toEqual([
      ["requirements.txt", 1, "certifi", "2024.2.2"],
      ["requirements.txt", 2, "idna", "3.6"],
      ["extra.txt", 1, "urllib3", "2.2.1"],
    ]);
  });

  it("UTF-16 without a byte-order mark is still refused as binary", () => {
    const dir = mkdtempSync(join(tmpdir(), "mdg-utf16-"));
    writeFileSync(join(dir, "requirements.txt"), Buffer.from(freeze, "utf16le"));
    expect(readCapped(join(dir, "requirements.txt"))).toMatchObject({ code: "binary-file" });
  });
});

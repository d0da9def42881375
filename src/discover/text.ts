// What counts as lockfile text, wherever it came from (a file on disk or a git commit): at most
// MAX_FILE_BYTES, no NUL bytes, and a leading UTF-8 byte order mark is not part of it.

/** Largest file read, in bytes. */
export const MAX_FILE_BYTES = 20 * 1024 * 1024;

/** Why a file's content is not read: an error code and the message shown for it. */
export interface Refusal {
  code: string;
  message: string;
}

/** `size` is in bytes for a file read from disk, in characters for text handed over as such. */
export function tooLarge(size: number): Refusal {
  return {
    code: "file-too-large",
    message: `refused: file is ${(size / 1024 / 1024).toFixed(1)} MB, over the ${MAX_FILE_BYTES / 1024 / 1024} MB limit`,
  };
}

export const BINARY_FILE: Readonly<Refusal> = {
  code: "binary-file",
  message: "refused: binary file (contains NUL bytes)",
};

/** Refuses text over the size limit, then text with a NUL character; undefined when it may be parsed. */
export function refuseText(text: string): Refusal | undefined {
  if (text.length > MAX_FILE_BYTES) return tooLarge(text.length);
  if (text.includes("\u0000")) return { ...BINARY_FILE };
  return undefined;
}

export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

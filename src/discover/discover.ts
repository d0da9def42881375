// Discovery: turn the paths a user named into parsed lockfiles. Walks directories, reads files
// with a size cap, refuses binary files and anything (symlink or `-r`/`-c` target) that resolves
// outside the scanned root, and collects every problem as a ParseError instead of throwing.
// Each step lives in its own module; this one is the entry point the rest of the tool imports.
export { detectFormat } from "../lockfiles/detect.js";
export { loadDependencies } from "./load.js";
export { parseLockfileText } from "./parse-lockfile-text.js";
export { MAX_FILE_BYTES } from "./text.js";
export { SKIPPED_DIRECTORIES } from "./walk.js";
export { writeRefusal } from "./confine.js";

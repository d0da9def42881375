/** This tool's name and version (a test keeps it equal to package.json). */
export const TOOL_NAME = "maintainer-domain-guard";
export const VERSION = "0.1.0";

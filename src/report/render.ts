// One entry for the CLI: a Report in, the chosen format out. Every format is a pure function.
import type { Report } from "../types.js";
import { renderJson } from "./json.js";
import { renderMarkdown } from "./markdown.js";
import { renderSarif } from "./sarif.js";
import { renderTable } from "./table.js";

export type ReportFormat = "table" | "json" | "markdown" | "sarif";

export interface RenderOptions {
  /** ANSI colour in the table format (a terminal). */
  color?: boolean;
  /** Upper bound for the Markdown format, in characters (default: no practical limit). */
  maxLength?: number;
}

/** Markdown on standard output has no host limit; keep it sane all the same. */
const CLI_MARKDOWN_MAX_CHARS = 10 * 1024 * 1024;

export function renderReport(
  report: Report,
  format: ReportFormat,
  opts: RenderOptions = {},
): string {
  switch (format) {
    case "json":
      return renderJson(report);
    case "table":
      return renderTable(report, { color: opts.color === true });
    case "markdown":
      return renderMarkdown(report, { maxLength: opts.maxLength ?? CLI_MARKDOWN_MAX_CHARS });
    case "sarif":
      return renderSarif(report);
  }
}

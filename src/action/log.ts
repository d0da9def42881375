// Everything the action prints goes through here: info lines, annotations, the failure
// message. Untrusted text (file names, registry answers, package names) can neither start a
// `::` workflow command nor carry a legacy `##[` command anywhere in a line.
import type * as actionsCore from "@actions/core";
import { breakLegacyCommands, escapeLogLine, stripControl } from "../report/escape.js";
import type { AnnotationLevel } from "../report/annotations.js";
import type { LogEvent } from "../types.js";

/** The part of @actions/core the action uses. */
export type ActionCore = Pick<
  typeof actionsCore,
  | "getInput"
  | "setOutput"
  | "setSecret"
  | "setFailed"
  | "error"
  | "warning"
  | "notice"
  | "info"
  | "debug"
>;

/** Annotations issued so far in this step, per level (GitHub shows 10 of each). */
export type AnnotationCounts = Record<AnnotationLevel, number>;

type Props = actionsCore.AnnotationProperties;

function guardProps(props: Props | undefined): Props | undefined {
  if (!props) return props;
  const out: Props = { ...props };
  if (out.title !== undefined) out.title = breakLegacyCommands(stripControl(out.title));
  if (out.file !== undefined) out.file = breakLegacyCommands(out.file);
  return out;
}

function guardMessage(message: string | Error): string {
  return breakLegacyCommands(String(message instanceof Error ? message.message : message));
}

/**
 * The toolkit with every log sink guarded, counting the annotations it issues so that findings
 * know the slots left. The toolkit escapes `%`, CR and LF in annotation text; `##[` is broken
 * here, and info and debug lines are one line that never starts a `::` command.
 */
export function guardedCore(core: ActionCore, counts: AnnotationCounts): ActionCore {
  const annotate =
    (level: AnnotationLevel) =>
    (message: string | Error, props?: Props): void => {
      counts[level]++;
      core[level](guardMessage(message), guardProps(props));
    };
  return {
    ...core,
    error: annotate("error"),
    warning: annotate("warning"),
    notice: annotate("notice"),
    info: (message: string) => core.info(escapeLogLine(message)),
    debug: (message: string) => core.debug(escapeLogLine(message)),
    setFailed: (message: string | Error) => core.setFailed(guardMessage(message)),
  };
}

/**
 * Where a log event from the scan or the cache goes: a warning becomes a warning annotation; the
 * rest goes to the log. Both are one line with no control characters and no workflow command.
 */
export function routeLogEvent(core: Pick<ActionCore, "info" | "warning">, event: LogEvent): void {
  const line = stripControl(event.text);
  if (event.level === "warning") core.warning(breakLegacyCommands(line));
  else core.info(escapeLogLine(line));
}

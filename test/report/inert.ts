// Checks that Markdown carries no live link, image, HTML, mention or command outside code spans.

/** Removes CommonMark code spans (a backtick run closed by a run of the same length). */
export function withoutCodeSpans(markdown: string): string {
  let out = "";
  let i = 0;
  while (i < markdown.length) {
    if (markdown[i] === "`" && markdown[i - 1] !== "\\") {
      let n = 0;
      while (markdown[i + n] === "`") n++;
      const fence = "`".repeat(n);
      let j = markdown.indexOf(fence, i + n);
      while (j !== -1 && (markdown[j + n] === "`" || markdown[j - 1] === "`"))
        j = markdown.indexOf(fence, j + 1);
      if (j === -1) {
        out += fence;
        i += n;
        continue;
      }
      out += "CODE";
      i = j + n;
      continue;
    }
    out += markdown[i];
    i++;
  }
  return out;
}

/** Our own links point at a lockfile line on the repository we were given. */
const OWN_LINK = /\[line \d+\]\(https:\/\/github\.com\/o\/r\/blob\/[0-9a-f]+\/[^)\s]+#L\d+\)/g;

export function liveMarkdownProblems(markdown: string): string[] {
  const problems: string[] = [];
  const text = withoutCodeSpans(markdown).replace(OWN_LINK, "OWNLINK");
  const lines = text.split("\n");
  if (/\]\(/.test(text)) problems.push("a link or image `](`");
  if (/<img|<a |<script|<svg|<iframe/i.test(text)) problems.push("HTML");
  if (/@(?!\u200d)[A-Za-z0-9]/.test(text)) problems.push("an @mention");
  if (/https?:\/\//i.test(text)) problems.push("a URL autolink");
  if (lines.some((l) => l.trimStart().startsWith("::"))) problems.push("a line starting with ::");
  if (/[\u0000-\u0008\u000b-\u001f\u007f]/.test(markdown)) problems.push("a control character");
  return problems;
}

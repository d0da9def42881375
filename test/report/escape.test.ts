import { describe, expect, it } from "vitest";
import {
  ZWJ,
  capLength,
  escapeMarkdown,
  escapeWorkflowCommand,
  inlineCode,
  plainPath,
  stripControl,
} from "../../src/report/escape.js";
import { withoutCodeSpans } from "./inert.js";

describe("escapeWorkflowCommand", () => {
  it("keeps a newline-injected command on one line in data", () => {
    expect(escapeWorkflowCommand("x\n::add-mask::y")).toBe("x%0A::add-mask::y");
    expect(escapeWorkflowCommand("a\r\nb")).toBe("a%0D%0Ab");
  });
  it("escapes % first so an encoded newline stays literal", () => {
    expect(escapeWorkflowCommand("x.com%0A::set-output name=x::y")).toBe(
      "x.com%250A::set-output name=x::y",
    );
  });
  it("also escapes : and , in properties", () => {
    expect(escapeWorkflowCommand("a:b,c\nd", "property")).toBe("a%3Ab%2Cc%0Ad");
  });
});

describe("stripControl", () => {
  it("removes ANSI colour, OSC hyperlinks and bare escapes", () => {
    expect(
      stripControl("\u001b[31mred\u001b[0m \u001b]8;;https://a.b\u0007link\u001b]8;;\u0007"),
    ).toBe("red link");
  });
  it("turns CR, LF and tabs into one space and drops other C0/C1 and bidi controls", () => {
    expect(stripControl("a\r\nb\tc\u0000d\u0085e\u0090f\u202eg")).toBe("a b cd efg");
  });
});

describe("escapeMarkdown", () => {
  it.each([
    ["evil](https://a.b)", "evil\\]\\(https:" + ZWJ + "//a.b\\)"],
    ["![i](https://a/b.png)", "\\!\\[i\\]\\(https:" + ZWJ + "//a/b.png\\)"],
    ["<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert\\(1\\)&gt;"],
    ["a|b", "a\\|b"],
    ["@octocat and @org/team", `@${ZWJ}octocat and @${ZWJ}org/team`],
    ["jane@example.com", `jane@${ZWJ}example.com`],
    ["see #12 and www.example.com", `see \\#${ZWJ}12 and www${ZWJ}.example.com`],
    ["&#64;octocat", `&amp;\\#${ZWJ}64;octocat`],
    ["`code` *em* _u_ $x$", "\\`code\\` \\*em\\* \\_u\\_ \\$x\\$"],
    ["- item", "\\- item"],
    ["x\n::add-mask::y", "x ::add-mask::y"],
  ])("renders %j inert", (input, expected) => {
    expect(escapeMarkdown(input)).toBe(expected);
  });
  it("caps the length before escaping and marks the cut", () => {
    const out = escapeMarkdown("a".repeat(500), { maxLength: 10 });
    expect(out).toBe(`${"a".repeat(9)}…`);
  });
});

describe("inlineCode", () => {
  it("uses a fence longer than any backtick run inside", () => {
    expect(inlineCode("a ``` b")).toBe("````a ``` b````");
    expect(inlineCode("`x`")).toBe("`` `x` ``");
  });
  it("cannot be closed early by the text", () => {
    const span = inlineCode("``` `break` ```");
    expect(withoutCodeSpans(span)).toBe("CODE");
  });
  it("escapes pipes for table cells unless told it is not in a table", () => {
    expect(inlineCode("a|b")).toBe("`a\\|b`");
    expect(inlineCode("a|b", { inTable: false })).toBe("`a|b`");
  });
  it("is one line", () => {
    expect(inlineCode("x\n::add-mask::y")).toBe("`x ::add-mask::y`");
  });
});

describe("capLength and plainPath", () => {
  it("counts code points, not UTF-16 units", () => {
    expect(capLength("😀😀😀", 2)).toBe("😀…");
  });
  it("never lets a path start a workflow command line", () => {
    expect(plainPath("::add-mask::x.txt")).toBe("./::add-mask::x.txt");
    expect(plainPath("sub/req.txt")).toBe("sub/req.txt");
  });
});

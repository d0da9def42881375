// Which URLs are requested: http(s) only, at the start and after every redirect; loops and long
// chains stop with a code.
import { describe, expect, it } from "vitest";
import * as http from "../../src/net/http.js";
import { MAX_REDIRECTS, parseRequestUrl, RedirectTrail } from "../../src/net/url.js";

describe("parseRequestUrl", () => {
  it.each(["http://127.0.0.1:8080/x", "https://pypi.org/pypi/requests/json"])(
    "%s is requested",
    (url) => {
      expect(parseRequestUrl(url)).toEqual({ ok: true, url: new URL(url) });
    },
  );

  it.each([
    ["not a url", 'not a URL: "not a url"'],
    ["file:///etc/passwd", "not an http(s) URL: file:///etc/passwd"],
    ["ftp://example.com/x", "not an http(s) URL: ftp://example.com/x"],
  ])("%s is refused as bad-url", (url, error) => {
    expect(parseRequestUrl(url)).toEqual({ ok: false, code: "bad-url", error });
  });
});

describe("RedirectTrail", () => {
  const start = new URL("https://rdap.example/domain/a.com");

  it("resolves a relative location against the URL that answered", () => {
    const trail = new RedirectTrail(start);
    expect(trail.follow(start, "/domain/b.com")).toEqual({
      ok: true,
      next: new URL("https://rdap.example/domain/b.com"),
    });
  });

  it("stops at a URL already visited, the start included", () => {
    const trail = new RedirectTrail(start);
    const b = new URL("https://rdap.example/b");
    expect(trail.follow(start, b.href)).toMatchObject({ ok: true });
    expect(trail.follow(b, start.href)).toEqual({
      ok: false,
      code: "redirect-loop",
      error: `redirect loop: ${b.href} -> ${start.href}, already visited`,
    });
  });

  it(`follows ${MAX_REDIRECTS} redirects and refuses the next`, () => {
    const trail = new RedirectTrail(start);
    let current = start;
    for (let i = 1; i <= MAX_REDIRECTS; i++) {
      const hop = trail.follow(current, `/r${i}`);
      if (!hop.ok) throw new Error(`hop ${i} refused: ${hop.error}`);
      current = hop.next;
    }
    expect(trail.follow(current, "/r6")).toMatchObject({ ok: false, code: "redirect-loop" });
    expect(http.MAX_REDIRECTS).toBe(5);
  });

  it("refuses a redirect from https to plain http (same host or not); the other way is followed", () => {
    const trail = new RedirectTrail(start);
    expect(trail.follow(start, "http://rdap.example/domain/a.com")).toEqual({
      ok: false,
      code: "bad-url",
      error: `redirect from ${start.href} to plain http http://rdap.example/domain/a.com refused: the answer would come without TLS`,
    });
    const plain = new URL("http://rdap.example/domain/a.com");
    expect(new RedirectTrail(plain).follow(plain, "https://rdap.example/domain/a.com")).toEqual({
      ok: true,
      next: new URL("https://rdap.example/domain/a.com"),
    });
    expect(new RedirectTrail(plain).follow(plain, "/domain/b.com")).toMatchObject({ ok: true });
  });

  it("refuses a location that is not http(s), or not a URL at all", () => {
    const trail = new RedirectTrail(start);
    expect(trail.follow(start, "file:///etc/passwd")).toEqual({
      ok: false,
      code: "bad-url",
      error: `redirect from ${start.href} to a non-http(s) location file:///etc/passwd`,
    });
    expect(trail.follow(start, "http://[bad")).toEqual({
      ok: false,
      code: "http-status",
      error: `redirect from ${start.href} to an invalid location "http://[bad"`,
    });
  });
});

import { afterEach, describe, expect, it } from "vitest";
import { HttpClient } from "../../src/net/http.js";
import {
  fetchPackage,
  fetchPackageEntry,
  readPackageJson,
  userAgent,
} from "../../src/pypi/client.js";
import { isValidName } from "../../src/names.js";
import { VERSION } from "../../src/version.js";
import { pypiFixture, startPypiServer, withInfo, type PypiServer } from "../servers/pypi.js";
import { directTransport } from "../../src/net/transport.js";

let server: PypiServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const client = () =>
  new HttpClient({
    transport: directTransport(),
    userAgent: userAgent(),
    timeoutMs: 2_000,
    retries: 2,
    maxRetryWaitMs: 50,
    backoffBaseMs: 1,
    random: () => 0,
  });

const paths = (s: PypiServer) => s.requests.map((r) => `${r.method} ${r.path}`);

describe("fetchPackage against a loopback index serving real PyPI answers", () => {
  it("wheel 0.40.0: addresses with fields, earliest upload of the release, ownership", async () => {
    server = await startPypiServer({ wheel: pypiFixture("wheel-0.40.0.json") });
    const meta = await fetchPackage("wheel", { http: client(), baseUrl: server.url });
    expect(meta).toEqual({
      name: "wheel",
      status: "ok",
      latestVersion: "0.40.0",
      lastReleaseAt: "2023-03-14T15:10:00.828Z",
      lastUploadAt: "2023-03-14T15:10:02.873Z",
      lastUploadVersion: "0.40.0",
      emails: [
        {
          address: "dholth@fastmail.fm",
          field: "author_email",
          domain: "fastmail.fm",
          name: "Daniel Holth",
        },
        {
          address: "alex.gronholm@nextday.fi",
          field: "maintainer_email",
          domain: "nextday.fi",
          name: "Alex Grönholm",
        },
      ],
      links: [
        {
          label: "Changelog",
          url: "https://wheel.readthedocs.io/en/stable/news.html",
          host: "wheel.readthedocs.io",
          domain: "readthedocs.io",
        },
        {
          label: "Documentation",
          url: "https://wheel.readthedocs.io/",
          host: "wheel.readthedocs.io",
          domain: "readthedocs.io",
        },
        {
          label: "Issue Tracker",
          url: "https://github.com/pypa/wheel/issues",
          host: "github.com",
          domain: "github.com",
        },
      ],
      ownership: {
        organization: "pypa",
        roles: [
          { role: "Owner", user: "agronholm" },
          { role: "Owner", user: "joeforker" },
          { role: "Owner", user: "natefoo" },
        ],
      },
    });
    expect(paths(server)).toEqual(["GET /pypi/wheel/json"]);
    expect(server.requests[0]?.headers["user-agent"]).toBe(userAgent());
    expect(userAgent()).toContain(`maintainer-domain-guard/${VERSION} (+`);
  });

  it("luigi (project endpoint, no ownership key): latest release from urls[], not releases", async () => {
    server = await startPypiServer({ luigi: pypiFixture("luigi.json") });
    const meta = await fetchPackage("luigi", { http: client(), baseUrl: server.url });
    expect(meta).toMatchObject({
      status: "ok",
      latestVersion: "3.6.0",
      lastReleaseAt: "2024-12-06T00:58:03.138Z",
      emails: [],
    });
    expect(meta.ownership).toBeUndefined();
  });

  it("a latest release without files dates from `releases`: the same version, else the last upload of any", () => {
    const luigi = JSON.parse(pypiFixture("luigi.json")) as Record<string, unknown> & {
      releases: Record<string, unknown[]>;
    };
    const noFiles = { ...luigi, urls: [] };
    expect(readPackageJson("luigi", JSON.stringify(noFiles)).lastReleaseAt).toBe(
      "2024-12-06T00:58:03.138Z",
    );
    // 3.6.0 has no files anywhere: the last upload of any release (3.5.2, 2024-09-04) is the
    // last time the maintainers are known to have published.
    const emptyLatest = { ...noFiles, releases: { ...luigi.releases, "3.6.0": [] } };
    expect(readPackageJson("luigi", JSON.stringify(emptyLatest)).lastReleaseAt).toBe(
      "2024-09-04T11:52:42.471Z",
    );
    const nothing = { info: luigi.info, urls: [] };
    expect(readPackageJson("luigi", JSON.stringify(nothing)).lastReleaseAt).toBeUndefined();
  });

  it("twisted: an organization with empty roles is kept", async () => {
    server = await startPypiServer({ twisted: pypiFixture("twisted-18.9.0.json") });
    const meta = await fetchPackage("twisted", { http: client(), baseUrl: server.url });
    expect(meta.ownership).toEqual({ organization: "twisted", roles: [] });
  });

  it("a non-normalised name is sent normalised (no redirect needed)", async () => {
    server = await startPypiServer({ "discord-py": pypiFixture("discord-py-2.0.0.json") });
    const meta = await fetchPackage("Discord.py", { http: client(), baseUrl: server.url });
    expect(meta).toMatchObject({
      name: "discord-py",
      status: "ok",
      latestVersion: "2.0.0",
      emails: [],
    });
    expect(paths(server)).toEqual(["GET /pypi/discord-py/json"]);
  });

  it("follows a 301 to the normalised name", async () => {
    server = await startPypiServer({
      "zope-interface": withInfo(pypiFixture("black-21.11b0.json"), { name: "zope.interface" }),
    });
    const http = client();
    // Ask the server directly with the dotted name: the index redirects and the client follows.
    const result = await http.get(`${server.url}/zope.interface/json`, { kind: "pypi" });
    expect(result.ok).toBe(true);
    expect(paths(server)).toEqual([
      "GET /pypi/zope.interface/json",
      "GET /pypi/zope-interface/json",
    ]);
  });

  it("404 is not-found", async () => {
    server = await startPypiServer({});
    const meta = await fetchPackage("no-such-package", { http: client(), baseUrl: server.url });
    expect(meta).toEqual({ name: "no-such-package", status: "not-found", emails: [] });
  });

  it.each([
    ["malformed JSON", { status: 200, body: '{"info": {"author_email": "a@b.com"' }, "not JSON"],
    [
      "JSON without info",
      { status: 200, body: '{"message": "hello"}' },
      "without an `info` object",
    ],
    ["an HTML page", { status: 200, body: "<html>maintenance</html>" }, "not JSON"],
    ["500 on every attempt", { status: 500, body: "oops" }, "HTTP 500"],
  ])("%s is an error for this package only", async (_case, answer, error) => {
    server = await startPypiServer({ broken: answer, wheel: pypiFixture("wheel-0.40.0.json") });
    const http = client();
    const broken = await fetchPackage("broken", { http, baseUrl: server.url });
    expect(broken.status).toBe("error");
    expect(broken.error).toContain(error);
    expect(broken.emails).toEqual([]);
    expect((await fetchPackage("wheel", { http, baseUrl: server.url })).status).toBe("ok");
  });

  it("a 500 then a good answer succeeds on retry", async () => {
    server = await startPypiServer({
      wheel: (n) =>
        n === 1 ? { status: 500 } : { status: 200, body: pypiFixture("wheel-0.40.0.json") },
    });
    const meta = await fetchPackage("wheel", { http: client(), baseUrl: server.url });
    expect(meta.status).toBe("ok");
    expect(paths(server)).toEqual(["GET /pypi/wheel/json", "GET /pypi/wheel/json"]);
  });

  it("reports Cache-Control max-age for the metadata cache", async () => {
    server = await startPypiServer({
      wheel: {
        status: 200,
        body: pypiFixture("wheel-0.40.0.json"),
        headers: { "cache-control": "max-age=900, public" },
      },
    });
    const entry = await fetchPackageEntry("wheel", { http: client(), baseUrl: server.url });
    expect(entry.maxAgeSeconds).toBe(900);
  });

  it.each(["../admin", "a/b", "name?x=1", "-leading", "spaced name", "", "x".repeat(201), "名前"])(
    "refuses %j before it reaches a URL",
    async (name) => {
      server = await startPypiServer({});
      expect(isValidName(name)).toBe(false);
      const meta = await fetchPackage(name, { http: client(), baseUrl: server.url });
      expect(meta.status).toBe("error");
      expect(meta.error).toContain("PEP 508");
      expect(server.requests).toEqual([]);
    },
  );
});

describe("dates of an answer with more versions than are kept", () => {
  it("the latest upload counts even when its release is past the versions kept", async () => {
    const { createAnswerScanner, DEFAULT_ANSWER_LIMITS, isAnswerProblem } =
      await import("../../src/pypi/answer-stream.js");
    const { metaFromAnswer } = await import("../../src/pypi/client.js");
    const file = (stamp: string) => `{"filename":"x.whl","upload_time_iso_8601":"${stamp}"}`;
    const text = JSON.stringify({ info: { version: "1.0", author_email: "a@b.example" } }).replace(
      /}$/,
      `,"urls":[],"releases":{"1.0":[${file("2015-01-01T00:00:00Z")}],"1.1":[${file("2016-01-01T00:00:00Z")}],"1.2":[],"2.0rc1":[${file("2024-01-01T00:00:00Z")}]}}`,
    );
    for (const fastPath of ["wasm", "js"] as const) {
      // Two versions kept (and `info.version`): 2.0rc1 is past them, as past 100,000 in a real answer.
      const scanner = createAnswerScanner(DEFAULT_ANSWER_LIMITS, { fastPath, maxVersions: 2 });
      expect(scanner.push(new TextEncoder().encode(text))).toBeUndefined();
      const answer = scanner.end();
      if (isAnswerProblem(answer)) throw new Error(answer.message);
      expect(answer.releases?.has("2.0rc1")).toBe(false);
      const meta = metaFromAnswer("pkg", answer);
      expect(meta.lastUploadAt).toBe("2024-01-01T00:00:00.000Z");
      // Which release it belongs to is not known: none is named rather than a wrong one.
      expect(meta.lastUploadVersion).toBeUndefined();
    }
  });
});

// The capped body reader against in-memory Responses (as `fetchTransport` hands them on): the cap applies to what the stream yields
// (the decoded bytes), and a refused body's stream is cancelled rather than read to the end.
import { describe, expect, it } from "vitest";
import * as http from "../../src/net/http.js";
import { fromResponse } from "../../src/net/transport.js";
import {
  BodyTooLarge,
  DEFAULT_MAX_BODY_BYTES,
  discardBody,
  readCappedBody,
} from "../../src/net/body.js";

/** A stream of these chunks that records whether it was cancelled and how much was pulled. */
function chunked(chunks: Uint8Array[]) {
  const seen = { pulled: 0, cancelled: false };
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      const chunk = chunks[seen.pulled++];
      if (chunk) controller.enqueue(chunk);
      else controller.close();
    },
    cancel() {
      seen.cancelled = true;
    },
  });
  return { stream, seen };
}

/** An in-memory Response as the transport hands answers on. */
const answer = (body?: BodyInit | Response | null, init?: ResponseInit) =>
  fromResponse(body instanceof Response ? body : new Response(body, init));

describe("readCappedBody", () => {
  it("returns the body as UTF-8, a character split across chunks included", async () => {
    const bytes = new TextEncoder().encode('{"name":"café"}');
    const cut = bytes.indexOf(0xc3) + 1;
    const { stream } = chunked([bytes.subarray(0, cut), bytes.subarray(cut)]);
    expect(await readCappedBody(answer(stream), 1_000)).toBe('{"name":"café"}');
  });

  it("reads a body of exactly the cap", async () => {
    expect(await readCappedBody(answer("x".repeat(100)), 100)).toBe("x".repeat(100));
  });

  it("returns an empty string for no body", async () => {
    expect(await readCappedBody(answer(null, { status: 204 }), 100)).toBe("");
  });

  it("refuses a declared Content-Length over the cap before reading, and cancels the stream", async () => {
    const { stream, seen } = chunked([new Uint8Array(10)]);
    const response = new Response(stream, { headers: { "content-length": "101" } });
    await expect(readCappedBody(answer(response), 100)).rejects.toThrow(
      new BodyTooLarge("body of 101 bytes is over the 100-byte limit"),
    );
    expect(seen.pulled).toBeLessThanOrEqual(1);
    expect(seen.cancelled).toBe(true);
  });

  it("refuses while streaming as soon as the total passes the cap, and cancels the rest", async () => {
    const { stream, seen } = chunked(Array.from({ length: 10 }, () => new Uint8Array(40)));
    const read = readCappedBody(answer(stream), 100);
    await expect(read).rejects.toBeInstanceOf(BodyTooLarge);
    await expect(read).rejects.toThrow("body is over the 100-byte limit (after decompression)");
    expect(seen.cancelled).toBe(true);
    expect(seen.pulled).toBeLessThan(10);
  });

  it("passes on other stream errors unchanged", async () => {
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.error(new Error("socket hang up"));
      },
    });
    const read = readCappedBody(answer(stream), 100);
    await expect(read).rejects.toThrow("socket hang up");
    await expect(read).rejects.not.toBeInstanceOf(BodyTooLarge);
  });

  it("the default cap is 5 MiB, the one http.ts exports", () => {
    expect(DEFAULT_MAX_BODY_BYTES).toBe(5 * 1024 * 1024);
    expect(http.DEFAULT_MAX_BODY_BYTES).toBe(DEFAULT_MAX_BODY_BYTES);
  });
});

describe("discardBody", () => {
  it("cancels the stream, and is a no-op without a body", async () => {
    const { stream, seen } = chunked([new Uint8Array(1)]);
    await discardBody(answer(new Response(stream)));
    expect(seen.cancelled).toBe(true);
    await expect(discardBody(answer(new Response(null)))).resolves.toBeUndefined();
  });
});

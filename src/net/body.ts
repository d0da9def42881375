// Reading a response body under a size cap. The cap counts decoded bytes (the transport has
// already undone Content-Encoding), so a small gzip bomb is refused like a large body.
import type { TransportResponse } from "./transport.js";

/** Refuse bodies larger than this (bytes, counted after decompression) unless the policy says otherwise. */
export const DEFAULT_MAX_BODY_BYTES = 5 * 1024 * 1024;

/** The body is over the cap; the stream has been cancelled. */
export class BodyTooLarge extends Error {}

/**
 * Read the (already decompressed) body as UTF-8, refusing it as soon as it passes `cap` bytes:
 * before reading when Content-Length says so, else while streaming, so memory stays bounded.
 * Throws BodyTooLarge for the cap; other errors (timeouts, cut connections) come from the stream.
 */
export async function readCappedBody(response: TransportResponse, cap: number): Promise<string> {
  const declared = Number(response.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > cap) {
    await discardBody(response);
    throw new BodyTooLarge(`body of ${declared} bytes is over the ${cap}-byte limit`);
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of response.body) {
    total += chunk.byteLength;
    if (total > cap) {
      await discardBody(response);
      throw new BodyTooLarge(`body is over the ${cap}-byte limit (after decompression)`);
    }
    chunks.push(chunk);
  }
  return new TextDecoder("utf-8").decode(Buffer.concat(chunks));
}

/**
 * Drop a body that will not be read, so the connection is freed; a failure to cancel changes
 * nothing. Not async on purpose: awaiting it costs the same ticks as awaiting the cancel itself.
 */
export function discardBody(response: TransportResponse): Promise<void> {
  return response.cancel();
}

// A Node stream read as an async iterable of its chunks, in flowing mode. Node's own iterator
// reads a stream in paused mode (`read()` after each `readable`), which for an answer of
// tens of megabytes costs a third of the time of the download itself; here each chunk is taken
// as `data` hands it over, and the stream is paused only while the reader is behind.
import { finished, type Readable } from "node:stream";

/** Bytes taken from the stream and not yet read, past which the stream is paused. */
const PAUSE_AT_BYTES = 512 * 1024;
/** Bytes still waiting below which a paused stream goes on. */
const RESUME_BELOW_BYTES = 256 * 1024;

/**
 * The chunks of `stream` in order, once: iterating again gives the same iterator. Its error,
 * or its end before `end` (a cut connection), is thrown after the chunks that came before it.
 * Leaving the loop early destroys the stream, as Node's iterator does, so that its connection
 * is not kept waiting.
 */
export function flowingChunks(stream: Readable): ChunkSource {
  let reader: ReturnType<typeof startReading> | undefined;
  return {
    [Symbol.asyncIterator]() {
      reader ??= startReading(stream);
      return reader.iterator;
    },
    get waitingBytes() {
      return (reader?.queued() ?? 0) + stream.readableLength;
    },
  };
}

/** Chunks to iterate once, and how many bytes have arrived that the reader has not taken yet. */
export interface ChunkSource extends AsyncIterable<Uint8Array> {
  /** Bytes taken from the stream, or waiting in it, not yet read: what reading ahead costs. */
  readonly waitingBytes: number;
}

function startReading(stream: Readable): {
  iterator: AsyncIterator<Uint8Array>;
  queued: () => number;
} {
  const queue: Uint8Array[] = [];
  let head = 0;
  let queued = 0;
  let over = false;
  let failure: unknown;
  let wake: (() => void) | undefined;
  const kick = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  const onData = (chunk: Uint8Array) => {
    queue.push(chunk);
    queued += chunk.byteLength;
    if (queued >= PAUSE_AT_BYTES) stream.pause();
    kick();
  };
  stream.on("data", onData);
  const stopWatching = finished(stream, (error) => {
    over = true;
    if (error) failure = error;
    kick();
  });
  const stop = () => {
    stream.off("data", onData);
    stopWatching();
  };
  const iterator: AsyncIterator<Uint8Array> = {
    async next(): Promise<IteratorResult<Uint8Array>> {
      for (;;) {
        if (head < queue.length) {
          const chunk = queue[head]!;
          queue[head++] = EMPTY;
          if (head === queue.length) {
            queue.length = 0;
            head = 0;
          }
          queued -= chunk.byteLength;
          if (queued < RESUME_BELOW_BYTES && stream.isPaused() && !over) stream.resume();
          return { value: chunk, done: false };
        }
        if (over) {
          stop();
          if (failure !== undefined) throw failure;
          return { value: undefined, done: true };
        }
        await new Promise<void>((resolve) => (wake = resolve));
      }
    },
    async return(): Promise<IteratorResult<Uint8Array>> {
      stop();
      queue.length = 0;
      if (!over) stream.destroy();
      over = true;
      return { value: undefined, done: true };
    },
  };
  return { iterator, queued: () => queued };
}

const EMPTY = new Uint8Array(0);

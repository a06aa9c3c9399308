// Gunzip for the dataset loaders (idx.ts): the web's DecompressionStream('gzip'), which
// browsers and Node (>= 18) both have, so no Node module is named here. It inflates within
// a bound: the caller reads the exact size from the first inflated bytes (an IDX header),
// and inflation stops as soon as the output passes it, so a small file that inflates to
// gigabytes costs no more than its header allows.

import { DatasetError } from './errors.ts';

/** True when `bytes` start with the gzip magic 1f 8b (RFC 1952, section 2.3.1). */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** Compressed input per step: deflate's output per input byte is at most ~1,032, so a step yields at most ~17 MB. */
const STEP = 16 * 1024;

/** `bytes` as a stream of STEP-sized chunks, each handed over only when the inflater asks (backpressure). */
function slices(bytes: Uint8Array): ReadableStream<Uint8Array<ArrayBuffer>> {
  let at = 0;
  return new ReadableStream(
    {
      pull(controller) {
        if (at >= bytes.length) return controller.close();
        controller.enqueue(bytes.slice(at, at + STEP));
        at += STEP;
      },
    },
    { highWaterMark: 0 },
  );
}

/**
 * Decompresses gzip `bytes` into exactly the size `sizeFrom` reads from the inflated bytes
 * so far (null: it needs more of them; it throws for a header it refuses). Stops at once
 * when the data runs past that size. `name` and `advice` (what to do about a damaged file,
 * which depends on where it came from) go into the errors; no engine message is quoted.
 */
export async function gunzipExactly(bytes: Uint8Array, name: string, sizeFrom: (head: Uint8Array) => number | null, advice: string): Promise<Uint8Array> {
  const reader = slices(bytes).pipeThrough(new DecompressionStream('gzip')).getReader();
  let head = new Uint8Array(0);
  let out: Uint8Array | null = null;
  let filled = 0;
  try {
    for (;;) {
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await reader.read();
      } catch (err) {
        throw new DatasetError('corrupt', `${name}: corrupt gzip data (the compressed stream is damaged or cut short)${advice}`, { cause: err });
      }
      if (chunk.done) break;
      let data = chunk.value;
      if (out === null) {
        const joined = new Uint8Array(head.length + data.length);
        joined.set(head);
        joined.set(data, head.length);
        const size = sizeFrom(joined);
        if (size === null) {
          head = joined;
          continue;
        }
        out = new Uint8Array(size);
        data = joined;
      }
      if (filled + data.length > out.length) {
        throw new DatasetError('corrupt', `${name}: the data runs past the ${out.length.toLocaleString('en-US')} bytes its header declares (stopped there)${advice}`);
      }
      out.set(data, filled);
      filled += data.length;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  // What was inflated is shorter than the header says, or too short to hold a header: the caller's parser names it.
  return out === null ? head : out.subarray(0, filled);
}

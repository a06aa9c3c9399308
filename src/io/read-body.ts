// Reading an HTTP response body or a Blob within a bound, for model files (browser-files.ts)
// and datasets (src/data): a Content-Length past the bound is refused before the body is
// read, and since that header may lie (or be absent), the body is read chunk by chunk and
// the read is cancelled as soon as it passes the bound.

/** Makes the caller's named error for a body past `max` bytes (`seen`: what was declared or read). */
export type TooLarge = (seen: number, max: number, declared: boolean) => Error;

/** The body of `response`, at most `max` bytes; `tooLarge` makes the error past that. */
export async function readBody(response: Response, max: number, tooLarge: TooLarge): Promise<Uint8Array> {
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (declared > max) {
    await response.body?.cancel();
    throw tooLarge(declared, max, true);
  }
  if (response.body === null) return new Uint8Array(0);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > max) {
      await reader.cancel();
      throw tooLarge(total, max, false);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** The bytes of a Blob or File (its size is known and true), at most `max`. */
export async function readBlob(blob: Blob, max: number, tooLarge: TooLarge): Promise<Uint8Array> {
  if (blob.size > max) throw tooLarge(blob.size, max, true);
  return new Uint8Array(await blob.arrayBuffer());
}

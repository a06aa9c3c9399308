// NDArray: host-side data (what NumPy arrays are in the Keras workflow): a typed array,
// a shape, and for uint8 data a scale, so `x.div(255)` stays 1 byte per pixel (the
// 43,986 task-A images as float32 would not fit one 128 MiB storage binding; as bytes
// they take 34.5 MB). fit/evaluate/predict upload an NDArray to the GPU once.

import { type Shape, shapeStr, sizeOf } from '../tensor/shape.ts';

export type HostData = Float32Array | Uint8Array;

export class NDArray {
  readonly shape: readonly number[];

  /** Values are data[i] * scale (scale is only ever != 1 for uint8 data). */
  constructor(
    readonly data: HostData,
    shape: Shape,
    readonly scale = 1,
  ) {
    if (sizeOf(shape) !== data.length) {
      throw new RangeError(`NDArray: ${data.length} values do not fill shape ${shapeStr(shape)}`);
    }
    this.shape = [...shape];
  }

  /** Number of rows (the first dimension), the number of samples. */
  get length(): number {
    return this.shape[0] ?? 1;
  }

  get rowSize(): number {
    return sizeOf(this.shape.slice(1));
  }

  /** Value i (row-major), scaled. */
  at(i: number): number {
    return this.data[i] * this.scale;
  }

  /** Divides every value; uint8 data keeps its bytes and only changes its scale. */
  div(k: number): NDArray {
    if (this.data instanceof Uint8Array) return new NDArray(this.data, this.shape, this.scale / k);
    return new NDArray(this.data.map((v) => v / k), this.shape);
  }

  /** Rows start..end (a view: no copy), like x[start:end]. */
  slice(start: number, end = this.length): NDArray {
    const s = Math.max(0, Math.min(start < 0 ? this.length + start : start, this.length));
    const e = Math.max(s, Math.min(end < 0 ? this.length + end : end, this.length));
    const r = this.rowSize;
    return new NDArray(this.data.subarray(s * r, e * r), [e - s, ...this.shape.slice(1)], this.scale);
  }

  /** The rows at `indices` (a copy), like x[indices]. */
  take(indices: ArrayLike<number>): NDArray {
    const r = this.rowSize;
    const out = new (this.data.constructor as new (n: number) => HostData)(indices.length * r);
    for (let i = 0; i < indices.length; i++) {
      const j = indices[i];
      if (j < 0 || j >= this.length) throw new RangeError(`NDArray.take: index ${j} out of range [0, ${this.length})`);
      out.set(this.data.subarray(j * r, (j + 1) * r), i * r);
    }
    return new NDArray(out, [indices.length, ...this.shape.slice(1)], this.scale);
  }

  /** Values as float32 (scaled). */
  toFloat32(): Float32Array {
    if (this.data instanceof Float32Array && this.scale === 1) return this.data;
    return Float32Array.from(this.data, (v) => v * this.scale);
  }
}

/** An NDArray from float values (labels, small inputs). */
export function ndarray(values: ArrayLike<number>, shape: Shape = [values.length]): NDArray {
  return new NDArray(values instanceof Float32Array ? values : Float32Array.from(values), shape);
}

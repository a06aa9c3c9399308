// Types for jsfive 0.4.2 (a pure-JS HDF5 reader, used in tests as a reader independent of
// h5wasm), covering what tests/io uses: the public Group/Dataset API and the attribute
// messages of an object header (`_dataobjects`), read in jsfive-reader.ts.
declare module 'jsfive' {
  export interface DataObjects {
    fh: ArrayBuffer;
    msgs: Map<string, number>[];
    determine_data_shape(fh: ArrayBuffer, offset: number): number[];
  }
  export class Group {
    readonly keys: string[];
    readonly attrs: Record<string, unknown>;
    readonly _dataobjects: DataObjects;
    get(path: string): Group | Dataset;
  }
  export class Dataset {
    readonly dtype: string;
    readonly shape: number[];
    readonly value: number[];
    readonly attrs: Record<string, unknown>;
    readonly _dataobjects: DataObjects;
  }
  export class File extends Group {
    constructor(buffer: ArrayBuffer, filename?: string);
  }
}

// The independent HDF5 reader of the io tests: jsfive (pure JS, no HDF5 C library), plus
// the attribute datatypes read straight from the attribute messages (HDF5 file format
// spec, IV.A.2.d datatype and IV.A.2.m attribute messages), which jsfive does not expose.

import { Dataset, File, Group } from 'jsfive';

export function openJsfive(bytes: Uint8Array): File {
  return new File(bytes.slice().buffer, 'test.h5');
}

export interface AttrType {
  /** 'string' fixed-length, 'vlen-string', 'float', 'integer', or 'class N'. */
  kind: string;
  /** Bytes per element (for a vlen string: the size of the reference, not of the text). */
  size: number;
  charset?: 'ascii' | 'utf8';
  /** 0 null-terminated, 1 null-padded, 2 space-padded. */
  padding?: number;
  shape: number[];
}

const ATTRIBUTE_MESSAGE = 0x000c;

/** The datatype and shape of every attribute of `obj`, by name. */
export function attributeTypes(obj: Group | Dataset): Record<string, AttrType> {
  const { fh, msgs } = obj._dataobjects;
  const view = new DataView(fh);
  const out: Record<string, AttrType> = {};
  for (const msg of msgs.filter((m) => m.get('type') === ATTRIBUTE_MESSAGE)) {
    let offset = msg.get('offset_to_message') as number;
    const version = view.getUint8(offset);
    const nameSize = view.getUint16(offset + 2, true);
    const typeSize = view.getUint16(offset + 4, true);
    // Version 1 pads the name, datatype and dataspace to 8 bytes; version 3 has an encoding byte and no padding.
    const pad = (n: number) => (version === 1 ? Math.ceil(n / 8) * 8 : n);
    offset += version === 1 ? 8 : 9;
    const name = new TextDecoder().decode(new Uint8Array(fh, offset, nameSize)).replace(/\0+$/, '');
    offset += pad(nameSize);
    const cls = view.getUint8(offset) & 0x0f;
    const bits0 = view.getUint8(offset + 1);
    const bits1 = view.getUint8(offset + 2);
    const size = view.getUint32(offset + 4, true);
    const shape = obj._dataobjects.determine_data_shape(fh, offset + pad(typeSize));
    const charset = (c: number) => (c === 1 ? 'utf8' : 'ascii') as 'ascii' | 'utf8';
    if (cls === 3) out[name] = { kind: 'string', size, padding: bits0 & 0x0f, charset: charset(bits0 >> 4), shape };
    else if (cls === 9 && (bits0 & 0x0f) === 1)
      out[name] = { kind: 'vlen-string', size, padding: bits0 >> 4, charset: charset(bits1 & 0x0f), shape };
    else out[name] = { kind: cls === 1 ? 'float' : cls === 0 ? 'integer' : `class ${cls}`, size, shape };
  }
  return out;
}

export interface DatasetInfo {
  path: string;
  dtype: string;
  shape: number[];
}

/** Every group and dataset below `group`: groups as 'path/', datasets with dtype and shape. */
export function walk(group: Group, prefix = ''): (string | DatasetInfo)[] {
  return group.keys.flatMap((key) => {
    const child = group.get(key);
    const path = `${prefix}${key}`;
    if (child instanceof Group) return [`${path}/`, ...walk(child, `${path}/`)];
    return [{ path, dtype: (child as Dataset).dtype, shape: (child as Dataset).shape }];
  });
}

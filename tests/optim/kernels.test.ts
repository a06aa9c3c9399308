// The step's scalar buffer (src/optim/kernels.ts uploadStep): the shared head (lr,
// weight_decay·lr, clip value) then the rule's named scalars in its WGSL `struct Hyper`'s
// order, whatever order the host names them in; a name the struct lacks (or misses) is an
// error naming both sides, and leaves no buffer behind.

import { beforeAll, expect, test } from 'vitest';
import { ready } from '../../src/kernels/device.ts';
import { memory } from '../../src/kernels/runtime.ts';
import { uploadStep } from '../../src/optim/kernels.ts';

beforeAll(async () => {
  await ready();
});

const rule = {
  name: 'test',
  // A comment inside the struct (with a colon: f32) is not a field.
  wgsl: 'struct Hyper {\n  beta_2: f32, // not: f32\n  epsilon: f32,\n}\nfn update(i: u32, g: V, x: V) -> V { return x; }\n',
};

test('the head, then the Hyper fields in struct order', async () => {
  const scalars = uploadStep(rule, () => ({ lr: 0.5, wdLr: 0.25, clipValue: null, hyper: { epsilon: 3, beta_2: 2 } }));
  expect(Array.from(await scalars.data())).toEqual([0.5, 0.25, 0, 2, 3]);
  scalars.dispose();
});

test('step scalars that do not match the struct are an error naming both, with no buffer left', () => {
  const before = memory().buffersInUse;
  expect(() => uploadStep(rule, () => ({ lr: 0.5, wdLr: 0, clipValue: null, hyper: { beta2: 2, epsilon: 3 } }))).toThrow(
    "optimizer 'test': its step scalars {beta2, epsilon} do not match its WGSL's struct Hyper {beta_2, epsilon}",
  );
  expect(memory().buffersInUse).toBe(before);
});

import { beforeAll, expect, test } from 'vitest';
import { ready } from '../src/kernels/device.ts';
import { fill, tensor } from '../src/tensor/create.ts';

beforeAll(async () => {
  await ready();
});

test('fill and upload round-trip through the GPU', async () => {
  expect(Array.from(await fill([3, 2], 2.5).data())).toEqual([2.5, 2.5, 2.5, 2.5, 2.5, 2.5]);
  expect(await tensor([[1, 2], [3, 4]]).array()).toEqual([[1, 2], [3, 4]]);
});

// adapterInfo() (src/kernels/device.ts): the adapter's description is never empty. Chromium
// on SwiftShader reports an empty `description`; describeAdapter then names the adapter by
// vendor, architecture and device. Both projects (Dawn in Node, the browser's adapter).

import { expect, test } from 'vitest';
import { adapterInfo, describeAdapter } from '../../src/kernels/device.ts';

test('the real adapter has a non-empty description and says where it came from', async () => {
  const a = await adapterInfo();
  expect(a.description.trim()).not.toBe('');
  expect(['dawn-node', 'browser']).toContain(a.host);
});

test('an empty description falls back to vendor, architecture and device', () => {
  const swiftshader = { vendor: 'google', architecture: 'swiftshader', device: '', description: '' };
  expect(describeAdapter(swiftshader, 'browser')).toEqual({ ...swiftshader, description: 'google swiftshader', host: 'browser' });
  expect(describeAdapter({ vendor: 'v', architecture: '', device: 'd', description: '  ' }, 'browser').description).toBe('v d');
  expect(describeAdapter({ vendor: '', architecture: '', device: '', description: '' }, 'dawn-node').description).toBe('unnamed WebGPU adapter');
  // A real description is kept as given.
  expect(describeAdapter({ vendor: 'mesa', architecture: '', device: '', description: 'llvmpipe' }, 'dawn-node').description).toBe('llvmpipe');
});

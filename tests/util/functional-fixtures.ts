// The real Functional files of shared/fixtures/keras-functional and their fixtures.json
// (README beside them): fixed inputs in the order of each file's input_layers and NumPy's
// predictions per output, for tests/io/functional-files and tests/nn-io/functional-fixtures.

import { FIXTURES, readBytes } from './files.ts';

export const FUNCTIONAL_DIR = `${FIXTURES}/keras-functional`;

export interface FunctionalFixture {
  file: string;
  keras_version: string;
  /** In input_layers order; data flat, row-major. */
  inputs: { layer: string; shape: number[]; data: number[] }[];
  /** In output_layers order. */
  outputs: { layer: string; shape: number[]; predictions: number[] }[];
}

export async function functionalFixtures(): Promise<FunctionalFixture[]> {
  return JSON.parse(new TextDecoder().decode(await readBytes(`${FUNCTIONAL_DIR}/fixtures.json`))) as FunctionalFixture[];
}

// The bounds a model file is read within, so that a hostile file costs no more than a genuine
// one: what its zip entries and HDF5 datasets declare is compared, before anything is
// inflated or read, with absolute limits and with what the model needs (a plan of each
// layer's weight shapes, which the loader makes from the config without allocating).
// docs/errors.md lists every bound. Read next: zip-read.ts (bounded inflation), keras-zip.ts.

import { ModelFileError } from './errors.ts';
import type { KerasJson } from './model-file.ts';

const MIB = 1024 * 1024;
/** config.json and metadata.json: real configs take a few KiB (a 1,000-layer one under 2 MiB). */
export const MAX_JSON_BYTES = 16 * MIB;
/** Any model file, and a `.keras` file's model.weights.h5: 2 GiB (512 million float32 values). */
export const MAX_MODEL_BYTES = 2048 * MIB;
/** Optimizer slots per weight a weights file may hold besides the weights (Adam with amsgrad, Nadam: 3). */
const OPTIMIZER_SLOTS = 3;
/** HDF5's own structure: superblock, groups, object headers (model_A's takes 9 KiB for 12 datasets). */
const HDF5_OVERHEAD = MIB;
const HDF5_PER_WEIGHT = 16 * 1024;

/** A weight the loader expects, in the layer's order. */
export interface PlannedWeight {
  name: string;
  shape: readonly number[];
}

/** One layer of the model being loaded, as its config describes it. */
export interface LayerPlan {
  name: string;
  className: string;
  weights: PlannedWeight[];
}

/** Makes the plan from a model file's config (and the Keras version that wrote it), or null where it cannot before reading (a Functional graph); throws for a config it cannot take. */
export type PlanModel = (modelConfig: KerasJson, kerasVersion: string) => LayerPlan[] | null;

export interface ReadOptions {
  /** Compare the file's weights with this plan before reading them (loadModel passes one). */
  plan?: PlanModel;
}

const valuesOf = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);
const bytes = (n: number) => n.toLocaleString('en-US');

/** The bytes of float32 weights the plan needs. */
export function planBytes(plan: readonly LayerPlan[]): number {
  return plan.reduce((n, l) => n + l.weights.reduce((m, w) => m + 4 * valuesOf(w.shape), 0), 0);
}

/** The most bytes a weights file for `plan` can take: its weights, their optimizer slots and HDF5's structure. */
export function weightsFileBound(plan: readonly LayerPlan[] | null): number {
  if (plan === null) return MAX_MODEL_BYTES;
  const count = plan.reduce((n, l) => n + l.weights.length, 0);
  return Math.min(MAX_MODEL_BYTES, (1 + OPTIMIZER_SLOTS) * planBytes(plan) + HDF5_OVERHEAD + HDF5_PER_WEIGHT * count);
}

/** Throws when the file is too small to hold the weights the config asks for (Dense(2e9) in a 3 MB file). */
export function checkHolds(plan: readonly LayerPlan[], fileBytes: number, label: string): void {
  const need = planBytes(plan);
  if (need <= fileBytes) return;
  const biggest = plan.reduce((a, b) => (planBytes([b]) > planBytes([a]) ? b : a));
  throw new ModelFileError(
    'shape-mismatch',
    `${label}: the config's layers need ${bytes(need)} bytes of weights (layer '${biggest.name}' (${biggest.className}) alone ${bytes(planBytes([biggest]))}), but the weights file holds only ${bytes(fileBytes)} bytes; the config does not belong to these weights`,
  );
}

const planned = (layer: LayerPlan) => `layer '${layer.name}' (${layer.className})`;

/** The error for a file whose layer count differs from the config's. */
export function layerCountError(label: string, configured: number, inFile: number): ModelFileError {
  return new ModelFileError('missing-weights', `${label}: the config lists ${configured} layers but the file has weights for ${inFile}`);
}

/**
 * What a reader runs before reading any dataset of one HDF5 file: its declared shape must be
 * the planned one, and the datasets' declared bytes together must fit in the file (Keras
 * stores weights uncompressed), so a lying header never makes HDF5 allocate past the file.
 */
export class DatasetGuard {
  private left: number;

  constructor(
    fileBytes: number,
    private readonly label: string,
  ) {
    this.left = fileBytes;
  }

  /** The file lists `found` weights for `layer`. */
  count(layer: LayerPlan | undefined, found: number): void {
    if (layer === undefined || layer.weights.length === found) return;
    const have = layer.weights.map((w) => `${w.name} [${w.shape.join(', ')}]`).join(', ') || 'none';
    throw new ModelFileError('missing-weights', `${this.label}: ${planned(layer)} has ${layer.weights.length} weights (${have}) but the file holds ${found}`);
  }

  /** Before reading dataset `name` of `shape` (`size` bytes a value), weight `index` of `layer` when planned. */
  check(name: string, shape: readonly number[], size: number, layer?: LayerPlan, index = 0): void {
    const want = layer?.weights[index];
    if (want && (want.shape.length !== shape.length || want.shape.some((d, k) => d !== shape[k]))) {
      throw new ModelFileError(
        'shape-mismatch',
        `${this.label}: ${planned(layer!)} weight '${want.name}': expected shape [${want.shape.join(', ')}], found [${shape.join(', ')}] in the file (${name})`,
      );
    }
    const need = size * valuesOf(shape);
    if (need > this.left) {
      throw new ModelFileError(
        'too-large',
        `${this.label}: dataset ${name} declares shape [${shape.join(', ')}] (${bytes(need)} bytes), more than the file has left to hold it (${bytes(Math.max(0, this.left))} bytes); the file is damaged`,
      );
    }
    this.left -= need;
  }
}

// The order of a Functional graph, as Keras's map_graph (keras/src/ops/function.py) fixes
// it: a depth-first walk back from the outputs lists the nodes that lead to them; each node's
// depth is its longest distance to an output; nodes run from the deepest (the inputs) to depth
// 0, and the layers are listed by decreasing depth, ties in the order the walk first met them.
// That layer order is Keras's model.layers, which getWeights and model files follow.
// Read next: model.ts.

import type { GraphNode, Layer, SymbolicTensor } from '../layers/layer.ts';

export interface GraphOrder {
  /** Every node the outputs depend on, in an order that runs each after its inputs (deepest first). */
  nodes: GraphNode[];
  /** The layers of those nodes, each once, in Keras's model.layers order. */
  layers: Layer[];
  /** Each node's depth (0 for the nodes that make outputs), Keras's nodes_by_depth keys. */
  depths: Map<GraphNode, number>;
}

/** Orders the graph from `inputs` to `outputs`; a cycle or a tensor not reachable from the inputs is a RangeError. */
export function mapGraph(model: string, inputs: SymbolicTensor[], outputs: SymbolicTensor[]): GraphOrder {
  const finished = new Set<GraphNode>();
  const inProgress = new Set<GraphNode>();
  const walked: GraphNode[] = []; // Keras's nodes_in_decreasing_depth
  const layerIndex = new Map<Layer, number>();
  const visit = (t: SymbolicTensor) => {
    const node = t.node;
    if (finished.has(node)) return;
    if (inProgress.has(node)) throw new RangeError(`Model '${model}': the graph has a cycle at layer '${node.layer.name}'`);
    if (!layerIndex.has(node.layer)) layerIndex.set(node.layer, layerIndex.size);
    inProgress.add(node);
    if (!inputs.includes(t)) {
      if (node.inputs.length === 0) {
        throw new RangeError(`Model '${model}': output ${outputs.map((o) => `'${o.name}'`).join(', ')} depends on input '${t.name}', which is not in the model's inputs (${inputs.map((i) => `'${i.name}'`).join(', ')})`);
      }
      for (const x of node.inputs) visit(x);
    }
    finished.add(node);
    inProgress.delete(node);
    walked.push(node);
  };
  for (const o of outputs) visit(o);

  const depths = new Map<GraphNode, number>();
  const layerDepth = new Map<Layer, number>();
  for (const node of [...walked].reverse()) {
    if (!depths.has(node)) depths.set(node, 0);
    // A shared layer sits at the depth of its deepest node.
    const depth = Math.max(depths.get(node)!, layerDepth.get(node.layer) ?? 0);
    layerDepth.set(node.layer, depth);
    depths.set(node, depth);
    for (const x of node.inputs) depths.set(x.node, Math.max(depth + 1, depths.get(x.node) ?? 0));
  }
  // Inputs the outputs do not use still belong to the model (depth 0, listed first among their depth).
  for (const t of inputs) {
    if (layerDepth.has(t.layer)) continue;
    layerDepth.set(t.layer, 0);
    layerIndex.set(t.layer, -1);
    depths.set(t.node, 0);
  }
  const byDecreasingDepth = <T>(items: T[], depthOf: (x: T) => number, tie: (x: T) => number) =>
    items.map((x, i) => ({ x, i })).sort((a, b) => depthOf(b.x) - depthOf(a.x) || tie(a.x) - tie(b.x) || a.i - b.i).map((e) => e.x);
  const nodes = byDecreasingDepth([...depths.keys()], (n) => depths.get(n)!, () => 0);
  const layers = byDecreasingDepth([...layerDepth.keys()], (l) => layerDepth.get(l)!, (l) => layerIndex.get(l)!);
  return { nodes, layers, depths };
}

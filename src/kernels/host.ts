// What only Node provides, handed over by webgrad's Node entry (src/node.ts) when it loads:
// Dawn's GPU (the `webgpu` package), model files on disk and the Fashion-MNIST finder. The
// browser entry (src/index.ts) never fills this in, so a browser bundle names no Node module.
// Read next: src/node.ts (who fills it), device.ts (who asks for the GPU).

export interface NodeHost {
  /** A navigator.gpu from Dawn's `webgpu` package. */
  gpu(): Promise<GPU>;
  /** src/io/node-files.ts (model files on disk), loaded on first use. */
  files(): Promise<typeof import('../io/node-files.ts')>;
  /** src/data/locate.ts (Fashion-MNIST on disk or downloaded), loaded on first use. */
  locate(): Promise<typeof import('../data/locate.ts')>;
}

let host: NodeHost | null = null;

/** Called once by src/node.ts. */
export function setNodeHost(h: NodeHost): void {
  host = h;
}

/** The Node host, or an error that says `what` needs webgrad's Node entry. */
export function nodeHost(what: string): NodeHost {
  if (host) return host;
  throw new Error(
    `webgrad: ${what} needs webgrad's Node entry, which this copy was not loaded through: in Node, \`import ... from 'webgrad.js'\` picks it (the package's "node" export condition); a bundle for Node must keep that condition`,
  );
}

/** True once the Node entry has loaded. */
export const hasNodeHost = (): boolean => host !== null;

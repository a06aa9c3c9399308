// Vite's raw-text imports (`./x.wgsl?raw`), also served in Node by scripts/raw-hooks.mjs.
declare module '*?raw' {
  const text: string;
  export default text;
}

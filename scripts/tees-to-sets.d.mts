/** The module with each local.tee rewritten as a local.set and a local.get, and how many (tees-to-sets.mjs). */
export function teesToSets(wasm: Uint8Array): { wasm: Uint8Array; tees: number };

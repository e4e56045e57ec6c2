/** The module with each local.tee rewritten as a local.set and a local.get, how many, and its text (tees-to-sets.mjs). */
export function teesToSets(wasm: Uint8Array): { wasm: Uint8Array; tees: number; text: string };

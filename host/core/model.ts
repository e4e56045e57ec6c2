// The character-frequency model as the host keeps it (JSON) and as the module reads it (bytes:
// assembly/surprise.ts, MODEL_HEADER and MODEL_CHAR).

export interface CharacterStats {
  char: string;
  n: number;
  K: number;
  Ex: number;
  Ex2: number;
  max: number;
  min: number;
}

export interface Model {
  format: "tarkin-model";
  version: 1;
  /** Training messages seen, whether or not they contained a given character. */
  messages: number;
  /** In first-seen order, as the original keeps them. */
  characters: CharacterStats[];
  provenance?: Record<string, unknown>;
}

export class ModelError extends Error {}

const HEADER = 16;
const CHAR = 56;

export function modelToBytes(model: Model): Uint8Array {
  const bytes = new Uint8Array(HEADER + model.characters.length * CHAR);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, model.characters.length, true);
  view.setFloat64(8, model.messages, true);
  model.characters.forEach((c, i) => {
    const at = HEADER + i * CHAR;
    view.setUint32(at, c.char.codePointAt(0)!, true);
    [c.n, c.K, c.Ex, c.Ex2, c.max, c.min].forEach((v, j) => view.setFloat64(at + 8 + j * 8, v, true));
  });
  return bytes;
}

export function modelFromBytes(bytes: Uint8Array): Model {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = view.getUint32(0, true);
  const characters: CharacterStats[] = [];
  for (let i = 0; i < count; i++) {
    const at = HEADER + i * CHAR;
    const [n, K, Ex, Ex2, max, min] = [0, 1, 2, 3, 4, 5].map((j) => view.getFloat64(at + 8 + j * 8, true));
    characters.push({ char: String.fromCodePoint(view.getUint32(at, true)), n, K, Ex, Ex2, max, min });
  }
  return { format: "tarkin-model", version: 1, messages: view.getFloat64(8, true), characters };
}

/** A model read from JSON text, checked field by field. */
export function parseModel(text: string, source: string): Model {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new ModelError(`${source}: not JSON (${(e as Error).message.replace(/\s+/g, " ")})`);
  }
  const m = data as Partial<Model>;
  if (!m || typeof m !== "object" || m.format !== "tarkin-model") {
    throw new ModelError(`${source}: not a tarkin model (no "format": "tarkin-model")`);
  }
  if (m.version !== 1) throw new ModelError(`${source}: model version ${m.version} is not supported (expected 1)`);
  if (typeof m.messages !== "number" || !Array.isArray(m.characters)) {
    throw new ModelError(`${source}: model needs "messages" and "characters"`);
  }
  const seen = new Set<string>();
  m.characters.forEach((c, i) => {
    const fields = ["n", "K", "Ex", "Ex2", "max", "min"] as const;
    if (typeof c?.char !== "string" || [...c.char].length !== 1 || fields.some((f) => typeof c[f] !== "number")) {
      throw new ModelError(`${source}: character ${i} needs "char" (one character) and numeric ${fields.join(", ")}`);
    }
    if (seen.has(c.char)) throw new ModelError(`${source}: character ${JSON.stringify(c.char)} appears twice`);
    seen.add(c.char);
  });
  return m as Model;
}

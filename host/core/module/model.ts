// The model as the host keeps it (JSON) and as the module reads it (bytes, layouts.ts MODEL_): the
// character-frequency model (assembly/models/surprise.ts), then the field model's sketch (assembly/models/fields.ts:
// u32 how many counters are not 0, then per counter u32 index, u32 count).
import {
  MODEL_VERSION, MODEL_SKETCH_BLOCKS, MODEL_SKETCH_COUNTERS, MODEL_CHARACTERS, MODEL_MESSAGES, MODEL_HEADER, MODEL_CHAR_CODE_POINT, MODEL_CHAR_N, MODEL_CHAR_K, MODEL_CHAR_EX, MODEL_CHAR_EX2,
  MODEL_CHAR_MAX, MODEL_CHAR_MIN, MODEL_CHAR,
} from "./layouts.js";

export interface CharacterStats {
  char: string;
  n: number;
  K: number;
  Ex: number;
  Ex2: number;
  max: number;
  min: number;
}

/** The field model: the counters of its count-min sketch that are not 0, as [index, count, index, count, ...]. */
export interface FieldModel {
  sketch: typeof SKETCH_NAME;
  counters: number[];
}

/** The sketch's size, as the module has it (assembly/base/layouts.ts). */
export const SKETCH_COUNTERS = MODEL_SKETCH_COUNTERS;
const SKETCH_NAME = `count-min, 2 counters in a block of 16, ${MODEL_SKETCH_BLOCKS} blocks of u32`;

export interface Model {
  format: "tarkin-model";
  version: typeof MODEL_VERSION;
  /** Training messages seen, whether or not they contained a given character. */
  messages: number;
  /** In first-seen order, as the original keeps them. */
  characters: CharacterStats[];
  fields: FieldModel;
  provenance?: Record<string, unknown>;
}

export class ModelError extends Error {}

/** A character's running statistics, in the order a model file lists them, where its bytes hold each. */
const STATISTICS: [Exclude<keyof CharacterStats, "char">, number][] = [
  ["n", MODEL_CHAR_N], ["K", MODEL_CHAR_K], ["Ex", MODEL_CHAR_EX], ["Ex2", MODEL_CHAR_EX2], ["max", MODEL_CHAR_MAX], ["min", MODEL_CHAR_MIN],
];


export function modelToBytes(model: Model): Uint8Array {
  const charactersEnd = MODEL_HEADER + model.characters.length * MODEL_CHAR;
  const counters = model.fields.counters;
  const bytes = new Uint8Array(charactersEnd + 4 + counters.length * 4);
  const view = new DataView(bytes.buffer);
  view.setUint32(charactersEnd, counters.length / 2, true);
  counters.forEach((v, i) => view.setUint32(charactersEnd + 4 + i * 4, v, true));
  view.setUint32(MODEL_CHARACTERS, model.characters.length, true);
  view.setFloat64(MODEL_MESSAGES, model.messages, true);
  model.characters.forEach((c, i) => {
    const at = MODEL_HEADER + i * MODEL_CHAR;
    view.setUint32(at + MODEL_CHAR_CODE_POINT, c.char.codePointAt(0)!, true);
    STATISTICS.forEach(([name, offset]) => view.setFloat64(at + offset, c[name], true));
  });
  return bytes;
}

export function modelFromBytes(bytes: Uint8Array): Model {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = view.getUint32(MODEL_CHARACTERS, true);
  const characters: CharacterStats[] = [];
  for (let i = 0; i < count; i++) {
    const at = MODEL_HEADER + i * MODEL_CHAR;
    const c = { char: String.fromCodePoint(view.getUint32(at + MODEL_CHAR_CODE_POINT, true)) } as CharacterStats;
    STATISTICS.forEach(([name, offset]) => (c[name] = view.getFloat64(at + offset, true)));
    characters.push(c);
  }
  const charactersEnd = MODEL_HEADER + count * MODEL_CHAR;
  const pairs = view.getUint32(charactersEnd, true);
  const counters: number[] = [];
  for (let i = 0; i < 2 * pairs; i++) counters.push(view.getUint32(charactersEnd + 4 + i * 4, true));
  return { format: "tarkin-model", version: MODEL_VERSION, messages: view.getFloat64(MODEL_MESSAGES, true), characters, fields: { sketch: SKETCH_NAME, counters } };
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
  if ((m.version as number) === 1) throw new ModelError(`${source}: model version 1 has no field model: train it again with this tarkin`);
  if ((m.version as number) === 2) throw new ModelError(`${source}: model version 2 counts fields in another sketch: train it again with this tarkin`);
  if ((m.version as number) === 3) throw new ModelError(`${source}: model version 3 reads values without their quoting and types: train it again with this tarkin`);
  if ((m.version as number) === 4) throw new ModelError(`${source}: model version 4 does not count whole values and their lengths: train it again with this tarkin`);
  if ((m.version as number) === 5) throw new ModelError(`${source}: model version 5 counts fields in a sketch half the size: train it again with this tarkin`);
  if ((m.version as number) === 6) throw new ModelError(`${source}: model version 6 reads hex runs letter by letter, JSON members by their place and lengths as written: train it again with this tarkin`);
  if ((m.version as number) === 7) throw new ModelError(`${source}: model version 7 names the field after a number by the number's shape alone: train it again with this tarkin`);
  if ((m.version as number) === 8) throw new ModelError(`${source}: model version 8 counts the log's lengths once, where the sketch's collisions read as lengths held: train it again with this tarkin`);
  if ((m.version as number) === 9) throw new ModelError(`${source}: model version 9 does not count the syslog programs' process ids, which carrying an alarm along a session needs: train it again with this tarkin`);
  if ((m.version as number) === 10) throw new ModelError(`${source}: model version 10 pools the first words of every syslog program's messages in one field: train it again with this tarkin`);
  if (m.version !== MODEL_VERSION) throw new ModelError(`${source}: model version ${m.version} is not supported (expected ${MODEL_VERSION})`);
  if (m.messages === undefined || !Array.isArray(m.characters)) {
    throw new ModelError(`${source}: model needs "messages" and "characters"`);
  }
  const messages = m.messages;
  if (!isCount(messages, 0)) throw new ModelError(`${source}: "messages" must be a whole number of 0 or more, not ${shown(messages)}`);
  const seen = new Set<string>();
  m.characters.forEach((c, i) => {
    const fields = ["n", "K", "Ex", "Ex2", "max", "min"] as const;
    if (typeof c?.char !== "string" || [...c.char].length !== 1 || fields.some((f) => typeof c[f] !== "number")) {
      throw new ModelError(`${source}: character ${i} needs "char" (one character) and numeric ${fields.join(", ")}`);
    }
    if (seen.has(c.char)) throw new ModelError(`${source}: character ${JSON.stringify(c.char)} appears twice`);
    seen.add(c.char);
    // What training gives (assembly/models/surprise.ts statsAdd): n of the messages held it, K its count in the
    // first, max at least that, min from 0 (the original's start), sums that are finite.
    const bad = (key: string, must: string) => new ModelError(`${source}: character ${i} (${JSON.stringify(c.char)}): "${key}" must be ${must}, not ${shown(c[key as keyof CharacterStats])}`);
    if (!isCount(c.n, 1) || c.n > messages) throw bad("n", `a whole number from 1 to "messages" (${messages})`);
    if (!isCount(c.K, 1)) throw bad("K", "a whole number of 1 or more");
    if (!isCount(c.max, c.K)) throw bad("max", `a whole number of "K" (${c.K}) or more`);
    if (!isCount(c.min, 0) || c.min > c.max) throw bad("min", `a whole number from 0 to "max" (${c.max})`);
    if (!Number.isFinite(c.Ex)) throw bad("Ex", "a finite number");
    if (!Number.isFinite(c.Ex2) || c.Ex2 < 0) throw bad("Ex2", "a finite number of 0 or more");
  });
  const provenance = m.provenance as unknown;
  if (provenance !== undefined && (provenance === null || typeof provenance !== "object" || Array.isArray(provenance))) {
    throw new ModelError(`${source}: "provenance" must be an object, not ${JSON.stringify(provenance)}`);
  }
  const trainedOn = m.provenance?.trainedOn;
  if (trainedOn !== undefined && !Array.isArray(trainedOn)) throw new ModelError(`${source}: "provenance"."trainedOn" must be a list, not ${JSON.stringify(trainedOn)}`);
  const counters = m.fields?.counters;
  if (m.fields?.sketch !== SKETCH_NAME || !Array.isArray(counters) || counters.length % 2 !== 0) {
    throw new ModelError(`${source}: model needs "fields" with "sketch": "${SKETCH_NAME}" and "counters" as index, count pairs`);
  }
  for (let i = 0; i < counters.length; i += 2) {
    const [index, count] = [counters[i], counters[i + 1]];
    if (!Number.isInteger(index) || index < 0 || index >= SKETCH_COUNTERS || (i > 0 && index <= counters[i - 2])) {
      throw new ModelError(`${source}: field counter ${i / 2}: index ${JSON.stringify(index)} is not a sketch index in increasing order (0 to ${SKETCH_COUNTERS - 1})`);
    }
    if (!Number.isInteger(count) || count < 1 || count > 0xffffffff) throw new ModelError(`${source}: field counter ${i / 2}: count ${JSON.stringify(count)} is not a whole number from 1 to 4294967295`);
  }
  return m as Model;
}

/** A value as a model file would hold it (Infinity, which JSON says as 1e999, as Infinity). */
function shown(value: unknown): string {
  return typeof value === "number" ? String(value) : JSON.stringify(value);
}

/** A whole number from `min`, exact in a double (as counts are in the module). */
function isCount(value: unknown, min: number): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= min;
}

/** How full a field model's sketch is: per half, the share of counters taken and how often an item never counted reads as counted. */
export interface SketchFill {
  /** Shapes and trigrams (the first half). */
  shapes: { taken: number; collisions: number };
  /** Whole values: their hashes, buckets and lengths (the second half). */
  values: { taken: number; collisions: number };
}

/**
 * The sketch's fill, read from its counters. An item never counted reads as counted when both its
 * counters, two of the 16 of one block, are taken: k(k - 1) / (16 x 15) for a block of k taken,
 * averaged over the blocks.
 */
export function sketchFill(fields: FieldModel): SketchFill {
  const half = SKETCH_COUNTERS / 2;
  const blocks = half / 16;
  const taken = [new Uint8Array(blocks), new Uint8Array(blocks)];
  for (let i = 0; i < fields.counters.length; i += 2) {
    const index = fields.counters[i];
    if (fields.counters[i + 1] === 0) continue;
    const which = index < half ? 0 : 1;
    taken[which][Math.floor((index - which * half) / 16)]++;
  }
  const of = (counts: Uint8Array) => {
    let all = 0;
    let collisions = 0;
    for (const k of counts) {
      all += k;
      collisions += (k * (k - 1)) / (16 * 15);
    }
    return { taken: all / half, collisions: collisions / blocks };
  };
  return { shapes: of(taken[0]), values: of(taken[1]) };
}

/** Training on both shards' messages counts what each counted: the sketches add (counters saturate at 2^32 - 1, as in training). */
export function mergeFields(a: FieldModel, b: FieldModel): FieldModel {
  const sum = new Map<number, number>();
  for (const c of [a.counters, b.counters]) for (let i = 0; i < c.length; i += 2) sum.set(c[i], Math.min(0xffffffff, (sum.get(c[i]) ?? 0) + c[i + 1]));
  const counters = [...sum.keys()].sort((x, y) => x - y).flatMap((i) => [i, sum.get(i)!]);
  return { sketch: SKETCH_NAME, counters };
}

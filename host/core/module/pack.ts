// The pack: model, lexicon and settings in one blob (the layout assembly/abi/pack.ts reads), written
// into the module's data segment so that one .wasm file carries everything and reads no file.
import { createHash } from "node:crypto";
import { lexiconTable, type Lexicon } from "./lexicon.js";
import { modelFromBytes, modelToBytes, type Model } from "./model.js";
import { dataSegments, withDataSegment } from "./wasm.js";
import {
  PACK_MAGIC, PACK_VERSION, PACK_HEADER_MAGIC, PACK_HEADER_VERSION, PACK_HEADER_LENGTH, PACK_HEADER_SECTIONS, PACK_HEADER,
  SECTION_ID, SECTION_OFFSET, SECTION_LENGTH, SECTION_ENTRY, SECTION_SETTINGS, SECTION_LEXICON, SECTION_MODEL, SECTION_INFO,
  SETTINGS_SURPRISE, SETTINGS_OUTPUT, SETTINGS_GATE_SPREADS, SETTINGS_MIN_FEAR, SETTINGS_FIELD_COUNT, SETTINGS_PREFIX_LENGTH,
  SETTINGS_PREFIX, SURPRISE_DEFAULT, SURPRISE_TARKIN, OUTPUT_ANNOTATE, OUTPUT_DROP,
} from "./layouts.js";

export type SurpriseMode = "default" | "tarkin";
export type OutputMode = "annotate" | "drop";

export interface Settings {
  /** Where the message is: the first of these present; a dotted path reaches into nested objects. */
  fields: string[];
  /** annotate: every record goes on with tarkin's fields; drop: only anomalous records go on. */
  mode: OutputMode;
  surprise: SurpriseMode;
  /** Default surprise mode's gate: infrequent when this many standard deviations above the running mean. */
  gateSpreads: number;
  /** An anomaly must also reach this fear (0: no such requirement). */
  minFear: number;
  /** Names of tarkin's fields: prefix + surprise, infrequent, sentiment, fear, anomaly, error, record, spoofed. */
  prefix: string;
}

export const DEFAULT_SETTINGS: Settings = {
  fields: ["log", "message", "msg"],
  mode: "annotate",
  surprise: "default",
  gateSpreads: 0,
  minFear: 0,
  prefix: "tarkin_",
};

export interface PackContents {
  model?: Model;
  lexicon: Lexicon;
  /** The lexicon's words that are security evidence (an overlay's, not a level's): the decision weighs them whatever their frequency. */
  evidence?: Set<string>;
  /** Words that name access (lexicon/access.tsv): a line that says one has its negative words read as security evidence. */
  access?: Set<string>;
  /** The lexicon's failures (lexicon/operations.tsv): security evidence in a line that names access. */
  failures?: Set<string>;
  settings: Settings;
  /** What inspect shows: provenance and the like. Must be deterministic for deterministic packs. */
  info?: Record<string, unknown>;
}

/** The settings section: modes, thresholds, then the prefix and the fields as UTF-8. */
function settingsBytes(settings: Settings): Uint8Array {
  const encoder = new TextEncoder();
  const prefix = encoder.encode(settings.prefix);
  const fields = settings.fields.map((f) => encoder.encode(f));
  const bytes = new Uint8Array(SETTINGS_PREFIX + prefix.length + fields.reduce((n, f) => n + 4 + f.length, 0));
  const view = new DataView(bytes.buffer);
  view.setInt32(SETTINGS_SURPRISE, settings.surprise === "tarkin" ? SURPRISE_TARKIN : SURPRISE_DEFAULT, true);
  view.setInt32(SETTINGS_OUTPUT, settings.mode === "drop" ? OUTPUT_DROP : OUTPUT_ANNOTATE, true);
  view.setFloat64(SETTINGS_GATE_SPREADS, settings.gateSpreads, true);
  view.setFloat64(SETTINGS_MIN_FEAR, settings.minFear, true);
  view.setUint32(SETTINGS_FIELD_COUNT, fields.length, true);
  view.setUint32(SETTINGS_PREFIX_LENGTH, prefix.length, true);
  bytes.set(prefix, SETTINGS_PREFIX);
  let at = SETTINGS_PREFIX + prefix.length;
  for (const f of fields) {
    view.setUint32(at, f.length, true);
    bytes.set(f, at + 4);
    at += 4 + f.length;
  }
  return bytes;
}

export function packBlob(contents: PackContents): Uint8Array {
  const parts: [number, Uint8Array][] = [
    [SECTION_SETTINGS, settingsBytes(contents.settings)],
    [SECTION_LEXICON, lexiconTable(contents.lexicon, contents.evidence, contents.access, contents.failures).bytes],
  ];
  if (contents.model) parts.push([SECTION_MODEL, modelToBytes(contents.model)]);
  parts.push([SECTION_INFO, new TextEncoder().encode(JSON.stringify(contents.info ?? {}))]);
  let at = (PACK_HEADER + parts.length * SECTION_ENTRY + 7) & ~7;
  const placed = parts.map(([id, bytes]) => {
    const offset = at;
    at = (at + bytes.length + 7) & ~7;
    return { id, bytes, offset };
  });
  const blob = new Uint8Array(at);
  const view = new DataView(blob.buffer);
  view.setUint32(PACK_HEADER_MAGIC, PACK_MAGIC, true);
  view.setUint32(PACK_HEADER_VERSION, PACK_VERSION, true);
  view.setUint32(PACK_HEADER_LENGTH, at, true);
  view.setUint32(PACK_HEADER_SECTIONS, placed.length, true);
  placed.forEach((p, i) => {
    const entry = PACK_HEADER + i * SECTION_ENTRY;
    view.setUint32(entry + SECTION_ID, p.id, true);
    view.setUint32(entry + SECTION_OFFSET, p.offset, true);
    view.setUint32(entry + SECTION_LENGTH, p.bytes.length, true);
    blob.set(p.bytes, p.offset);
  });
  return blob;
}

export class PackError extends Error {}

/** Where the module keeps its pack, and how much room there is, asked of the module itself. */
export function packArea(core: Uint8Array): { address: number; capacity: number } {
  let exports: WebAssembly.Exports;
  try {
    exports = new WebAssembly.Instance(new WebAssembly.Module(core as BufferSource), {}).exports;
  } catch (e) {
    throw new PackError(`not a tarkin module: ${(e as Error).message}`);
  }
  const area = exports.pack_area as (() => number) | undefined;
  const capacity = exports.pack_capacity as (() => number) | undefined;
  if (typeof area !== "function" || typeof capacity !== "function") {
    throw new PackError("not a tarkin module: it exports no pack_area");
  }
  return { address: area() >>> 0, capacity: capacity() };
}

/** The module with this pack in its data segment, replacing any pack it had. */
export function packModule(core: Uint8Array, contents: PackContents): Uint8Array {
  const blob = packBlob(contents);
  const { address, capacity } = packArea(core);
  if (blob.length > capacity) throw new PackError(`the pack takes ${blob.length} bytes; the module has room for ${capacity}`);
  return withDataSegment(core, address, blob);
}

/** `core` (another build of the module) carrying the pack that `packed` carries, byte for byte. */
export function withPackOf(core: Uint8Array, packed: Uint8Array): Uint8Array {
  const pack = packSegment(packed);
  if (!pack) throw new PackError("it has no pack to carry over");
  return withDataSegment(core, packArea(core).address, pack);
}

export interface PackedContents {
  settings: Settings;
  lexiconEntries: number;
  model: Model | null;
  info: Record<string, unknown>;
  packBytes: number;
  sha256: string;
}

function settingsFromBytes(bytes: Uint8Array): Settings {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const decoder = new TextDecoder();
  const fieldCount = view.getUint32(SETTINGS_FIELD_COUNT, true);
  const prefixLength = view.getUint32(SETTINGS_PREFIX_LENGTH, true);
  const fields: string[] = [];
  let at = SETTINGS_PREFIX + prefixLength;
  for (let i = 0; i < fieldCount; i++) {
    const length = view.getUint32(at, true);
    fields.push(decoder.decode(bytes.subarray(at + 4, at + 4 + length)));
    at += 4 + length;
  }
  return {
    surprise: view.getInt32(SETTINGS_SURPRISE, true) === SURPRISE_TARKIN ? "tarkin" : "default",
    mode: view.getInt32(SETTINGS_OUTPUT, true) === OUTPUT_DROP ? "drop" : "annotate",
    gateSpreads: view.getFloat64(SETTINGS_GATE_SPREADS, true),
    minFear: view.getFloat64(SETTINGS_MIN_FEAR, true),
    prefix: decoder.decode(bytes.subarray(SETTINGS_PREFIX, SETTINGS_PREFIX + prefixLength)),
    fields,
  };
}

/** The pack's sections by id: views into `blob`. */
function sectionsOf(blob: Uint8Array): Map<number, Uint8Array> {
  const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  if (blob.length < PACK_HEADER || view.getUint32(PACK_HEADER_MAGIC, true) !== PACK_MAGIC) throw new PackError("its pack is corrupt (no TRKN header)");
  const version = view.getUint32(PACK_HEADER_VERSION, true);
  if (version !== PACK_VERSION) throw new PackError(`its pack is version ${version}; this tarkin reads version ${PACK_VERSION}`);
  const sections = new Map<number, Uint8Array>();
  for (let i = 0; i < view.getUint32(PACK_HEADER_SECTIONS, true); i++) {
    const entry = PACK_HEADER + i * SECTION_ENTRY;
    const offset = view.getUint32(entry + SECTION_OFFSET, true);
    sections.set(view.getUint32(entry + SECTION_ID, true), blob.subarray(offset, offset + view.getUint32(entry + SECTION_LENGTH, true)));
  }
  return sections;
}

/** The pack `wasm` carries in its data segment; null for a tarkin module with nothing packed. */
function packSegment(wasm: Uint8Array): Uint8Array | null {
  const { address } = packArea(wasm);
  return dataSegments(wasm).find((s) => s.offset === address)?.bytes ?? null;
}

/**
 * The module with its packed mode set to annotate, itself when it is: for `tarkin report`, as a
 * drop-mode module returns nothing for the records it does not flag, and the report needs every
 * record's scores. The mode changes only what goes on, never a score or a decision
 * (assembly/abi/filter.ts decides before it drops).
 */
export function annotatingModule(wasm: Uint8Array): Uint8Array {
  const segment = packSegment(wasm);
  if (!segment) return wasm;
  const blob = new Uint8Array(segment); // a copy (Buffer's slice would share the module's bytes)
  const settings = sectionsOf(blob).get(SECTION_SETTINGS);
  if (!settings) return wasm;
  const view = new DataView(settings.buffer, settings.byteOffset, settings.byteLength);
  if (view.getInt32(SETTINGS_OUTPUT, true) === OUTPUT_ANNOTATE) return wasm;
  view.setInt32(SETTINGS_OUTPUT, OUTPUT_ANNOTATE, true);
  return withDataSegment(wasm, packArea(wasm).address, blob);
}

/** What a packed module carries; null for a tarkin module with nothing packed. */
export function readPack(wasm: Uint8Array): PackedContents | null {
  if (!WebAssembly.validate(wasm as BufferSource)) throw new PackError("not a WebAssembly module");
  const blob = packSegment(wasm);
  if (!blob) return null;
  const sections = sectionsOf(blob);
  const lexicon = sections.get(SECTION_LEXICON);
  const model = sections.get(SECTION_MODEL);
  const info = sections.get(SECTION_INFO);
  return {
    settings: settingsFromBytes(sections.get(SECTION_SETTINGS)!),
    lexiconEntries: lexicon ? new DataView(lexicon.buffer, lexicon.byteOffset).getUint32(0, true) : 0,
    model: model ? modelFromBytes(model.slice()) : null,
    info: info ? JSON.parse(new TextDecoder().decode(info)) : {},
    packBytes: blob.length,
    sha256: createHash("sha256").update(blob).digest("hex"),
  };
}

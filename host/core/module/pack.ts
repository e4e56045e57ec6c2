// The pack: model, lexicon and settings in one blob (the layout assembly/pack.ts reads), written
// into the module's data segment so that one .wasm file carries everything and reads no file.
import { createHash } from "node:crypto";
import { lexiconTable, type Lexicon } from "./lexicon.js";
import { modelFromBytes, modelToBytes, type Model } from "./model.js";
import { dataSegments, withDataSegment } from "./wasm.js";

const MAGIC = 0x4e4b5254; // "TRKN"
const VERSION = 1;
const SECTION_SETTINGS = 1;
const SECTION_LEXICON = 2;
const SECTION_MODEL = 3;
const SECTION_INFO = 4;

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
  settings: Settings;
  /** What inspect shows: provenance and the like. Must be deterministic for deterministic packs. */
  info?: Record<string, unknown>;
}

/** The layout assembly/pack.ts reads: modes, thresholds, then the prefix and the fields as UTF-8. */
function settingsBytes(settings: Settings): Uint8Array {
  const encoder = new TextEncoder();
  const prefix = encoder.encode(settings.prefix);
  const fields = settings.fields.map((f) => encoder.encode(f));
  const bytes = new Uint8Array(32 + prefix.length + fields.reduce((n, f) => n + 4 + f.length, 0));
  const view = new DataView(bytes.buffer);
  view.setInt32(0, settings.surprise === "tarkin" ? 1 : 0, true);
  view.setInt32(4, settings.mode === "drop" ? 1 : 0, true);
  view.setFloat64(8, settings.gateSpreads, true);
  view.setFloat64(16, settings.minFear, true);
  view.setUint32(24, fields.length, true);
  view.setUint32(28, prefix.length, true);
  bytes.set(prefix, 32);
  let at = 32 + prefix.length;
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
    [SECTION_LEXICON, lexiconTable(contents.lexicon).bytes],
  ];
  if (contents.model) parts.push([SECTION_MODEL, modelToBytes(contents.model)]);
  parts.push([SECTION_INFO, new TextEncoder().encode(JSON.stringify(contents.info ?? {}))]);
  let at = (16 + parts.length * 12 + 7) & ~7;
  const placed = parts.map(([id, bytes]) => {
    const offset = at;
    at = (at + bytes.length + 7) & ~7;
    return { id, bytes, offset };
  });
  const blob = new Uint8Array(at);
  const view = new DataView(blob.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, VERSION, true);
  view.setUint32(8, at, true);
  view.setUint32(12, placed.length, true);
  placed.forEach((p, i) => {
    view.setUint32(16 + i * 12, p.id, true);
    view.setUint32(20 + i * 12, p.offset, true);
    view.setUint32(24 + i * 12, p.bytes.length, true);
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
  const segment = dataSegments(packed).find((s) => s.offset === packArea(packed).address);
  if (!segment) throw new PackError("it has no pack to carry over");
  return withDataSegment(core, packArea(core).address, segment.bytes);
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
  const fieldCount = view.getUint32(24, true);
  const prefixLength = view.getUint32(28, true);
  const fields: string[] = [];
  let at = 32 + prefixLength;
  for (let i = 0; i < fieldCount; i++) {
    const length = view.getUint32(at, true);
    fields.push(decoder.decode(bytes.subarray(at + 4, at + 4 + length)));
    at += 4 + length;
  }
  return {
    surprise: view.getInt32(0, true) === 1 ? "tarkin" : "default",
    mode: view.getInt32(4, true) === 1 ? "drop" : "annotate",
    gateSpreads: view.getFloat64(8, true),
    minFear: view.getFloat64(16, true),
    prefix: decoder.decode(bytes.subarray(32, 32 + prefixLength)),
    fields,
  };
}

/** What a packed module carries; null for a tarkin module with nothing packed. */
export function readPack(wasm: Uint8Array): PackedContents | null {
  if (!WebAssembly.validate(wasm as BufferSource)) throw new PackError("not a WebAssembly module");
  const { address } = packArea(wasm);
  const segment = dataSegments(wasm).find((s) => s.offset === address);
  if (!segment) return null;
  const blob = segment.bytes;
  const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  if (blob.length < 16 || view.getUint32(0, true) !== MAGIC) throw new PackError("its pack is corrupt (no TRKN header)");
  if (view.getUint32(4, true) !== VERSION) throw new PackError(`its pack is version ${view.getUint32(4, true)}; this tarkin reads version ${VERSION}`);
  const sections = new Map<number, Uint8Array>();
  for (let i = 0; i < view.getUint32(12, true); i++) {
    const at = 16 + i * 12;
    const offset = view.getUint32(at + 4, true);
    sections.set(view.getUint32(at, true), blob.subarray(offset, offset + view.getUint32(at + 8, true)));
  }
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

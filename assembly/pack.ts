// The pack: model, lexicon and settings that `tarkin pack` writes into the module's data segment
// (host/core/module/pack.ts writes the same layout), read in place at the first record.
//
// u32 magic "TRKN", u32 version, u32 length, u32 section count; per section u32 id, u32 offset
// (from the pack's start), u32 length. Sections are 8-byte aligned.
import { useLexicon } from "./lexicon";
import { loadModel, resetModel, modelBytes, setSurpriseMode, setGateSpreads } from "./surprise";
import { loadFields, resetFields } from "./fields";

export const PACK_MAGIC: u32 = 0x4e4b5254;
export const PACK_VERSION: u32 = 1;
export const SECTION_SETTINGS: u32 = 1;
export const SECTION_LEXICON: u32 = 2;
export const SECTION_MODEL: u32 = 3;
export const SECTION_INFO: u32 = 4; // written for the host's inspect, which reads it from the file

/** Room for the pack, reserved in static memory; zero (no pack) until `tarkin pack` fills it. */
export const PACK_CAPACITY: i32 = 4 << 20;
export const packArea = memory.data(PACK_CAPACITY, 16);

// Settings (section 1): i32 surprise mode, i32 output mode, f64 gate spreads, f64 minimum fear,
// u32 message field count, u32 prefix length, the prefix, then per field u32 length and bytes
// (a dotted path).
export const OUTPUT_ANNOTATE: i32 = 0;
export const OUTPUT_DROP: i32 = 1;
export let outputMode: i32 = OUTPUT_ANNOTATE;
export let minimumFear: f64 = 0;
export let fieldCount: i32 = 0;
// "tarkin_", for a module with nothing packed, which still marks every record it passes on.
const DEFAULT_PREFIX = memory.data<u8>([0x74, 0x61, 0x72, 0x6b, 0x69, 0x6e, 0x5f]);
export let prefix: usize = DEFAULT_PREFIX;
export let prefixLength: i32 = 7;
let fieldsAt: usize = 0;

/** The i-th message field (a dotted path): sets fieldStart and fieldLength. */
export let fieldStart: usize = 0;
export let fieldLength: i32 = 0;
export function messageField(i: i32): void {
  let p = fieldsAt;
  for (let k = 0; k < i; k++) p += 4 + <usize>load<u32>(p);
  fieldLength = <i32>load<u32>(p);
  fieldStart = p + 4;
}

function useSettings(p: usize): void {
  setSurpriseMode(load<i32>(p));
  outputMode = load<i32>(p, 4);
  setGateSpreads(load<f64>(p, 8));
  minimumFear = load<f64>(p, 16);
  fieldCount = <i32>load<u32>(p, 24);
  prefixLength = <i32>load<u32>(p, 28);
  prefix = p + 32;
  fieldsAt = prefix + <usize>prefixLength;
}

let loaded = false;
let packed = false;
export let hasModel = false;

function section(id: u32): usize {
  const count = load<u32>(packArea, 12);
  for (let i: u32 = 0; i < count; i++) {
    const entry = packArea + 16 + <usize>i * 12;
    if (load<u32>(entry) == id) return packArea + load<u32>(entry, 4);
  }
  return 0;
}


/** Reads the pack once; returns whether there is one. */
export function ensurePack(): bool {
  if (loaded) return packed;
  loaded = true;
  resetModel();
  resetFields();
  packed = load<u32>(packArea) == PACK_MAGIC && load<u32>(packArea, 4) == PACK_VERSION;
  if (!packed) return false;
  const settings = section(SECTION_SETTINGS);
  if (settings != 0) useSettings(settings);
  const lexicon = section(SECTION_LEXICON);
  if (lexicon != 0) useLexicon(lexicon);
  const model = section(SECTION_MODEL);
  if (model != 0) {
    loadModel(model);
    loadFields(model + <usize>modelBytes());
  }
  hasModel = model != 0;
  return true;
}

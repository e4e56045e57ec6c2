// The pack: model, lexicon and settings that `tarkin pack` writes into the module's data segment
// (host/core/module/pack.ts writes the same layout), read in place at the first record.
//
// Its layout is layouts.ts's PACK_, SECTION_ and SETTINGS_.
import { useLexicon } from "../sentiment/lexicon";
import { loadModel, resetModel, modelBytes, setSurpriseMode, setGateSpreads } from "../models/surprise";
import { loadFields, resetFields } from "../models/fields";

import {
  PACK_MAGIC, PACK_VERSION, PACK_HEADER_MAGIC, PACK_HEADER_VERSION, PACK_HEADER_SECTIONS, PACK_HEADER, SECTION_ID, SECTION_OFFSET,
  SECTION_ENTRY, SECTION_SETTINGS, SECTION_LEXICON, SECTION_MODEL, SETTINGS_SURPRISE, SETTINGS_OUTPUT, SETTINGS_GATE_SPREADS,
  SETTINGS_MIN_FEAR, SETTINGS_FIELD_COUNT, SETTINGS_PREFIX_LENGTH, SETTINGS_PREFIX, OUTPUT_ANNOTATE,
} from "../base/layouts";

/** Room for the pack, reserved in static memory; zero (no pack) until `tarkin pack` fills it. */
export const PACK_CAPACITY: i32 = 4 << 20;
export const packArea = memory.data(PACK_CAPACITY, 16);

// The settings.
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
  setSurpriseMode(load<i32>(p + SETTINGS_SURPRISE));
  outputMode = load<i32>(p + SETTINGS_OUTPUT);
  setGateSpreads(load<f64>(p + SETTINGS_GATE_SPREADS));
  minimumFear = load<f64>(p + SETTINGS_MIN_FEAR);
  fieldCount = <i32>load<u32>(p + SETTINGS_FIELD_COUNT);
  prefixLength = <i32>load<u32>(p + SETTINGS_PREFIX_LENGTH);
  prefix = p + SETTINGS_PREFIX;
  fieldsAt = prefix + <usize>prefixLength;
}

let loaded = false;
let packed = false;
export let hasModel = false;

function section(id: u32): usize {
  const count = load<u32>(packArea + PACK_HEADER_SECTIONS);
  for (let i: u32 = 0; i < count; i++) {
    const entry = packArea + PACK_HEADER + <usize>i * SECTION_ENTRY;
    if (load<u32>(entry + SECTION_ID) == id) return packArea + load<u32>(entry + SECTION_OFFSET);
  }
  return 0;
}

/** Reads the pack once; returns whether there is one. */
export function ensurePack(): bool {
  if (loaded) return packed;
  loaded = true;
  resetModel();
  resetFields();
  packed = load<u32>(packArea + PACK_HEADER_MAGIC) == PACK_MAGIC && load<u32>(packArea + PACK_HEADER_VERSION) == PACK_VERSION;
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

// The pack: model, lexicon and settings that `tarkin pack` writes into the module's data segment
// (host/core/pack.ts writes the same layout), read in place at the first record.
//
// u32 magic "TRKN", u32 version, u32 length, u32 section count; per section u32 id, u32 offset
// (from the pack's start), u32 length. Sections are 8-byte aligned.
import { useLexicon } from "./lexicon";
import { loadModel, resetModel, setSurpriseMode } from "./surprise";

export const PACK_MAGIC: u32 = 0x4e4b5254;
export const PACK_VERSION: u32 = 1;
export const SECTION_SETTINGS: u32 = 1;
export const SECTION_LEXICON: u32 = 2;
export const SECTION_MODEL: u32 = 3;
export const SECTION_INFO: u32 = 4;

/** Room for the pack, reserved in static memory; zero (no pack) until `tarkin pack` fills it. */
export const PACK_CAPACITY: i32 = 4 << 20;
export const packArea = memory.data(PACK_CAPACITY, 16);

let loaded = false;
let packed = false;

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
  packed = load<u32>(packArea) == PACK_MAGIC && load<u32>(packArea, 4) == PACK_VERSION;
  if (!packed) return false;
  const settings = section(SECTION_SETTINGS);
  if (settings != 0) setSurpriseMode(load<i32>(settings));
  const lexicon = section(SECTION_LEXICON);
  if (lexicon != 0) useLexicon(lexicon);
  const model = section(SECTION_MODEL);
  if (model != 0) loadModel(model);
  return true;
}

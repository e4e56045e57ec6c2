// The pack: model, lexicon and settings that `tarkin pack` writes into the module's data segment
// (host/core/module/pack.ts writes the same layout), read in place at the first record.
//
// Its layout is layouts.ts's PACK_, SECTION_ and SETTINGS_.
import { useLexicon } from "../sentiment/lexicon";
import { loadModel, resetModel, modelBytes, setSurpriseMode } from "../models/surprise";
import { loadFields, resetFields } from "../models/fields";
import { Scorer, FieldScorer, OriginalScorer } from "../decision/scorer";
import { Growable } from "../base/buffers";

import {
  PACK_MAGIC, PACK_VERSION, PACK_HEADER_MAGIC, PACK_HEADER_VERSION, PACK_HEADER_SECTIONS, PACK_HEADER, SECTION_ID, SECTION_OFFSET,
  SECTION_ENTRY, SECTION_SETTINGS, SECTION_LEXICON, SECTION_MODEL, SETTINGS_SURPRISE, SETTINGS_OUTPUT, SETTINGS_GATE_SPREADS,
  SETTINGS_MIN_FEAR, SETTINGS_FIELD_COUNT, SETTINGS_PREFIX_LENGTH, SETTINGS_PREFIX, OUTPUT_ANNOTATE, SURPRISE_TARKIN,
} from "../base/layouts";

/** Room for the pack, reserved in static memory; zero (no pack) until `tarkin pack` fills it. */
export const PACK_CAPACITY: i32 = 4 << 20;
export const packArea = memory.data(PACK_CAPACITY, 16);

// "tarkin_", for a module with nothing packed, which still marks every record it passes on.
const DEFAULT_PREFIX = memory.data<u8>([0x74, 0x61, 0x72, 0x6b, 0x69, 0x6e, 0x5f]);

// The two scorers, made once; the settings choose one.
const FIELD_SCORER = new FieldScorer();
const ORIGINAL_SCORER = new OriginalScorer();

/** What the pack says (layouts.ts SETTINGS_), filled when it is read; the defaults are a module with nothing packed. */
export class Settings {
  /** Whether the pack has been read (at the first call), whether there is one, and whether it has a model. */
  read: bool = false;
  packed: bool = false;
  hasModel: bool = false;
  /** The scorer of the pack's surprise mode: the field scorer, or the original's (SURPRISE_TARKIN). */
  scorer: Scorer = FIELD_SCORER;
  outputMode: i32 = OUTPUT_ANNOTATE;
  /** The message fields (dotted paths) to look for, in order: how many, and where the first's u32 length is, its bytes after it. */
  fieldCount: i32 = 0;
  fieldsAt: usize = 0;
  /** The prefix of tarkin's own fields (1 to 64 ASCII characters). */
  prefix: usize = DEFAULT_PREFIX;
  prefixLength: i32 = 7;

  /** The message fields' paths, split once: PATH bytes each, where each starts, its first dot (or its end) and its end. */
  paths: Growable = new Growable();

  /** Where the i-th message field's u32 length is, its bytes after it. */
  messageField(i: i32): usize {
    let p = this.fieldsAt;
    for (let k = 0; k < i; k++) p += 4 + <usize>load<u32>(p);
    return p;
  }

  use(p: usize): void {
    const original = load<i32>(p + SETTINGS_SURPRISE) == SURPRISE_TARKIN;
    setSurpriseMode(load<i32>(p + SETTINGS_SURPRISE));
    FIELD_SCORER.gateSpreads = load<f64>(p + SETTINGS_GATE_SPREADS);
    const scorer: Scorer = original ? ORIGINAL_SCORER : FIELD_SCORER;
    scorer.minimumFear = load<f64>(p + SETTINGS_MIN_FEAR);
    this.scorer = scorer;
    this.outputMode = load<i32>(p + SETTINGS_OUTPUT);
    this.fieldCount = <i32>load<u32>(p + SETTINGS_FIELD_COUNT);
    this.prefixLength = <i32>load<u32>(p + SETTINGS_PREFIX_LENGTH);
    this.prefix = p + SETTINGS_PREFIX;
    this.fieldsAt = this.prefix + <usize>this.prefixLength;
    const paths = this.paths.reserve(<usize>this.fieldCount * PATH);
    let field = this.fieldsAt;
    for (let i = 0; i < this.fieldCount; i++) {
      const start = field + 4;
      const end = start + <usize>load<u32>(field);
      let dot = start;
      while (dot < end && <u32>load<u8>(dot) != DOT) dot++;
      const path = paths + <usize>i * PATH;
      store<u32>(path + PATH_START, <u32>start);
      store<u32>(path + PATH_DOT, <u32>dot);
      store<u32>(path + PATH_END, <u32>end);
      field = end;
    }
  }
}

export const settings = new Settings();

/** A message field's path as Settings.paths holds it; DOT, a path's separator. */
export const PATH = 12;
export const PATH_START = 0;
export const PATH_DOT = 4;
export const PATH_END = 8;
export const DOT: u32 = 0x2e;

function section(id: u32): usize {
  const count = load<u32>(packArea + PACK_HEADER_SECTIONS);
  for (let i: u32 = 0; i < count; i++) {
    const entry = packArea + PACK_HEADER + <usize>i * SECTION_ENTRY;
    if (load<u32>(entry + SECTION_ID) == id) return packArea + load<u32>(entry + SECTION_OFFSET);
  }
  return 0;
}

/** Reads the pack once (settings.packed: whether there is one). */
// @ts-ignore: decorator
@inline export function ensurePack(): void {
  if (!settings.read) readPack(settings);
}

function readPack(to: Settings): void {
  to.read = true;
  resetModel();
  resetFields();
  to.packed = load<u32>(packArea + PACK_HEADER_MAGIC) == PACK_MAGIC && load<u32>(packArea + PACK_HEADER_VERSION) == PACK_VERSION;
  if (!to.packed) return;
  const at = section(SECTION_SETTINGS);
  if (at != 0) to.use(at);
  const lexicon = section(SECTION_LEXICON);
  if (lexicon != 0) useLexicon(lexicon);
  const model = section(SECTION_MODEL);
  if (model != 0) {
    loadModel(model);
    loadFields(model + <usize>modelBytes());
  }
  to.hasModel = model != 0;
}

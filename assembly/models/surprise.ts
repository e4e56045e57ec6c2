// Surprise: Tarkin's character-frequency model. Per lowercased character (Python's str.lower(),
// one count per code point) the model keeps the running statistics of that character's count over
// the training messages that contain it, updated as the original does (shifted-data variance).
import { Lowercaser, asciiClassOf, asciiLower, ASCII_IGNORABLE, ASCII_UPPER, ASCII_LOWER } from "../base/utf8";
import { allocate, resize } from "../base/buffers";
import {
  SURPRISE_DEFAULT, SURPRISE_TARKIN, MODEL_CHARACTERS, MODEL_MESSAGES, MODEL_HEADER, MODEL_CHAR_CODE_POINT, MODEL_CHAR_N, MODEL_CHAR,
  EXPLAIN_CHAR_CODE_POINT, EXPLAIN_CHAR_COUNT, EXPLAIN_CHAR_EXPECTED, EXPLAIN_CHAR_SPREAD, EXPLAIN_CHAR_CONTRIBUTION, EXPLAIN_CHAR, EXPLAIN_UNSEEN,
} from "../base/layouts";
export { SURPRISE_DEFAULT, SURPRISE_TARKIN };

// One record per character of the model, in first-seen order (the original's dict order).
const CP = 0; // u32 code point
const COUNT = 4; // u32 count in the message being read
const N = 8; // f64 the original's statistics, as it names them
const K = 16;
const EX = 24;
const EX2 = 32;
const MAX = 40;
const MIN = 48;
const LOW = 56; // f64 the count range that is not surprising, for the current mode
const HIGH = 64;
const MEAN_ALL = 72; // f64 mean and spread of the count over every trained message, absent = 0
const SPREAD_ALL = 80;
const ABSENT = 88; // f64 the contribution of this character when the message lacks it
const CHAR_RECORD = 96;

/** The character model: its characters, how to find them, and what scoring reads from them. The
 * module has one; the loops that run per character copy the fields they read into locals. */
class CharacterModel {
  chars: usize = 0; // the records
  count: i32 = 0;
  capacity: i32 = 0;
  messages: f64 = 0; // training messages seen, containing any character or not
  boundsStale: bool = true;
  mode: i32 = SURPRISE_DEFAULT;
  /** Every character's ABSENT contribution, summed: a message's surprise starts there and is
   * corrected for the characters it has (and for every ASCII one of the model, at most 128), so
   * scoring costs its own length, not the size of the model's alphabet. */
  absentSum: f64 = 0;
  // Code point to character index above ASCII (asciiIndex has those): open addressing, (cp, index).
  wideSlots: usize = 0;
  wideMask: u32 = 0;
  // Characters seen in the message being read, to update or reset only those.
  touched: usize = 0;
  touchedCount: i32 = 0;
  // Scoring's tables for the model's ASCII characters (refreshBounds fills them).
  asciiRecords: usize = 0; // per model ASCII character: i32 its record's index
  asciiDeltas: usize = 0; // f64[DELTA_COUNTS] per model ASCII character
  asciiModelCount: i32 = 0;
}
const model = new CharacterModel();

// Code point to character index for ASCII: a direct table.
const asciiIndex = new StaticArray<i32>(128);
const lowering = new Lowercaser(); // for text that is not all ASCII

// Scoring reads a message's ASCII (most log text) into one counter per model ASCII character,
// found from the byte by one table lookup that also folds case, plus one counter for every ASCII
// character the model lacks; the counters then read in model order, each with its contribution
// for small counts read from a table rather than computed.
const BYTE_SLOTS = memory.data(128); // per ASCII byte: its counter
const UNASSIGNED: u32 = 255; // a byte's counter while refreshBounds assigns them
// One per model ASCII character, then the unseen one.
const asciiCounts = memory.data(129 * 4);
const DELTA_COUNTS: u32 = 64; // per model ASCII character, contribution - absent for counts below this

/** Character `index`'s record, the records at `chars` (model.chars, which callers read once). */
// @ts-ignore: decorator
@inline function record(chars: usize, index: i32): usize {
  return chars + <usize>index * CHAR_RECORD;
}

function indexOf(cp: u32): i32 {
  if (cp < 128) return unchecked(asciiIndex[cp]);
  const wideSlots = model.wideSlots;
  if (wideSlots == 0) return -1;
  const wideMask = model.wideMask;
  let slot = (cp * 0x9e3779b1) & wideMask;
  while (true) {
    const at = wideSlots + (<usize>slot << 3);
    const index = load<i32>(at, 4);
    if (index < 0) return -1;
    if (load<u32>(at) == cp) return index;
    slot = (slot + 1) & wideMask;
  }
  return -1;
}

function mapWide(cp: u32, index: i32): void {
  const wideSlots = model.wideSlots;
  const wideMask = model.wideMask;
  let slot = (cp * 0x9e3779b1) & wideMask;
  while (load<i32>(wideSlots + (<usize>slot << 3), 4) >= 0) slot = (slot + 1) & wideMask;
  const at = wideSlots + (<usize>slot << 3);
  store<u32>(at, cp);
  store<i32>(at, index, 4);
}

/** Room for `needed` characters; the index is rebuilt at twice the capacity. Not per record. */
function reserve(needed: i32): void {
  if (needed <= model.capacity) return;
  let capacity = model.capacity < 64 ? 64 : model.capacity;
  while (capacity < needed) capacity <<= 1;
  const chars = resize(model.chars, <usize>capacity * CHAR_RECORD);
  model.chars = chars;
  model.touched = resize(model.touched, <usize>capacity * 4);
  const slotCount = <u32>capacity * 2;
  if (model.wideSlots != 0) heap.free(model.wideSlots);
  const wideSlots = allocate(<usize>slotCount * 8);
  model.wideSlots = wideSlots;
  model.wideMask = slotCount - 1;
  for (let i: u32 = 0; i < slotCount; i++) store<i32>(wideSlots + (<usize>i << 3), -1, 4);
  for (let i = 0; i < model.count; i++) {
    const cp = load<u32>(record(chars, i), CP);
    if (cp >= 128) mapWide(cp, i);
  }
  model.capacity = capacity;
}

function addChar(cp: u32): i32 {
  reserve(model.count + 1);
  const index = model.count++;
  const r = record(model.chars, index);
  memory.fill(r, 0, CHAR_RECORD);
  store<u32>(r, cp, CP);
  if (cp < 128) unchecked((asciiIndex[cp] = index));
  else mapWide(cp, index);
  return index;
}

export function resetModel(): void {
  model.count = 0;
  model.messages = 0;
  model.boundsStale = true;
  for (let i = 0; i < 128; i++) unchecked((asciiIndex[i] = -1));
  const wideSlots = model.wideSlots;
  if (wideSlots != 0) {
    for (let i: u32 = 0; i <= model.wideMask; i++) store<i32>(wideSlots + (<usize>i << 3), -1, 4);
  }
}

export function setSurpriseMode(m: i32): void {
  model.mode = m;
  model.boundsStale = true;
}

export function modelCharacters(): i32 {
  return model.count;
}

export function modelMessages(): f64 {
  return model.messages;
}

/**
 * Counts the lowercased characters of a message per model character, in the order they first
 * appear (training adds new characters in that order, as the original's dict does).
 */
function countCharacters(start: usize, end: usize, learn: bool): void {
  model.touchedCount = 0;
  // ASCII inline (most log text); from the first other byte, the full lowercaser takes over.
  let p = start;
  while (p < end) {
    const b = <u32>load<u8>(p);
    if (b >= 0x80) break;
    countOne(asciiLower(b), learn);
    p++;
  }
  if (p < end) {
    lowering.continueAt(p, end, casedBefore(start, p));
    while (true) {
      const cp = lowering.next();
      if (cp < 0) break;
      countOne(<u32>cp, learn);
    }
  }
}

/** Whether the ASCII text in [start, p) ends with a cased letter, case-ignorable ones skipped (Final_Sigma's look back). */
function casedBefore(start: usize, p: usize): bool {
  for (let q = p; q > start; q--) {
    const k = asciiClassOf(<u32>load<u8>(q - 1));
    if (!(k & ASCII_IGNORABLE)) return (k & (ASCII_UPPER | ASCII_LOWER)) != 0;
  }
  return false;
}

/** Counts one lowercased character; false when the model lacks it (and is not learning). */
// @ts-ignore: decorator
@inline function countOne(cp: u32, learn: bool): bool {
  let index = indexOf(cp);
  if (index < 0) {
    if (!learn) return false;
    index = addChar(cp);
  }
  const r = record(model.chars, index);
  const count = load<u32>(r, COUNT) + 1;
  store<u32>(r, count, COUNT);
  if (count == 1) {
    const touchedCount = model.touchedCount;
    store<i32>(model.touched + (<usize>touchedCount << 2), index);
    model.touchedCount = touchedCount + 1;
  }
  return true;
}

function resetCounts(): void {
  const chars = model.chars;
  const touched = model.touched;
  const touchedCount = model.touchedCount;
  for (let i = 0; i < touchedCount; i++) store<u32>(record(chars, load<i32>(touched + (<usize>i << 2))), 0, COUNT);
  model.touchedCount = 0;
}

// ---------------------------------------------------------------------------------------------
// The original's running statistics.

// @ts-ignore: decorator
@inline function statsAdd(r: usize, x: f64): void {
  const n = load<f64>(r, N);
  if (n == 0) store<f64>(r, x, K);
  const k = load<f64>(r, K);
  store<f64>(r, n + 1, N);
  store<f64>(r, load<f64>(r, EX) + (x - k), EX);
  store<f64>(r, load<f64>(r, EX2) + (x - k) * (x - k), EX2);
  if (x > load<f64>(r, MAX)) store<f64>(r, x, MAX);
  if (x < load<f64>(r, MIN)) store<f64>(r, x, MIN);
}

// @ts-ignore: decorator
@inline function statsMean(r: usize): f64 {
  return load<f64>(r, K) + load<f64>(r, EX) / load<f64>(r, N);
}

// @ts-ignore: decorator
@inline function statsVariance(r: usize): f64 {
  const n = load<f64>(r, N);
  if (n <= 1) return 0.0;
  const ex = load<f64>(r, EX);
  return (load<f64>(r, EX2) - (ex * ex) / n) / (n - 1);
}

/** Trains the model on one message. */
export function train(start: usize, end: usize): void {
  countCharacters(start, end, true);
  const chars = model.chars;
  const touched = model.touched;
  const touchedCount = model.touchedCount;
  for (let i = 0; i < touchedCount; i++) {
    const r = record(chars, load<i32>(touched + (<usize>i << 2)));
    statsAdd(r, <f64>load<u32>(r, COUNT));
  }
  resetCounts();
  model.messages += 1;
  model.boundsStale = true;
}

// Default mode: a count within one spread of the mean is not surprising at all, three spreads
// away fully; the spread has a floor so a character seen always exactly so often still tolerates
// a neighbouring count somewhat.
const MIN_SPREAD: f64 = 0.5;

function refreshBounds(): void {
  const chars = model.chars;
  const charCount = model.count;
  const messages = model.messages;
  const mode = model.mode;
  for (let i = 0; i < charCount; i++) {
    const r = record(chars, i);
    const mean = statsMean(r);
    const variance = statsVariance(r);
    // The original uses |variance| where a standard deviation belongs; tarkin mode keeps it.
    const s = Math.sqrt(variance * variance);
    store<f64>(r, mean - s, LOW);
    store<f64>(r, mean + s, HIGH);
    // Over every message, absent ones counting 0: sum and sum of squares from the shifted sums.
    const n = load<f64>(r, N);
    const k = load<f64>(r, K);
    const ex = load<f64>(r, EX);
    const sum = n * k + ex;
    const squares = load<f64>(r, EX2) + 2 * k * ex + n * k * k;
    const meanAll = messages > 0 ? sum / messages : 0;
    const varianceAll = messages > 1 ? (squares - (sum * sum) / messages) / (messages - 1) : 0;
    store<f64>(r, meanAll, MEAN_ALL);
    store<f64>(r, Math.sqrt(Math.max(varianceAll, 0)), SPREAD_ALL);
  }
  let absentSum: f64 = 0;
  for (let i = 0; i < charCount; i++) {
    const r = record(chars, i);
    const absent = contribution(r, 0, mode);
    store<f64>(r, absent, ABSENT);
    absentSum += absent;
  }
  model.absentSum = absentSum;
  const asciiRecords = resize(model.asciiRecords, 128 * 4);
  const asciiDeltas = resize(model.asciiDeltas, <usize>128 * DELTA_COUNTS * 8);
  model.asciiRecords = asciiRecords;
  model.asciiDeltas = asciiDeltas;
  let asciiModelCount = 0;
  for (let b: u32 = 0; b < 128; b++) store<u8>(BYTE_SLOTS + b, <u8>UNASSIGNED);
  for (let c: u32 = 0; c < 128; c++) {
    const index = unchecked(asciiIndex[c]);
    if (index < 0) continue;
    const r = record(chars, index);
    store<u8>(BYTE_SLOTS + c, <u8>asciiModelCount);
    store<i32>(asciiRecords + (<usize>asciiModelCount << 2), index);
    const deltas = asciiDeltas + <usize>asciiModelCount * DELTA_COUNTS * 8;
    for (let count: u32 = 0; count < DELTA_COUNTS; count++) {
      store<f64>(deltas + (<usize>count << 3), contribution(r, count, mode) - load<f64>(r, ABSENT));
    }
    asciiModelCount++;
  }
  // Every other ASCII byte: a capital counts as its lowercase letter (the model's characters are
  // lowercase), the rest go to the unseen counter.
  for (let b: u32 = 0; b < 128; b++) {
    if (<u32>load<u8>(BYTE_SLOTS + b) != UNASSIGNED) continue;
    const lower = asciiLower(b) != b ? <u32>load<u8>(BYTE_SLOTS + asciiLower(b)) : UNASSIGNED;
    store<u8>(BYTE_SLOTS + b, <u8>(lower != UNASSIGNED ? lower : <u32>asciiModelCount));
  }
  model.asciiModelCount = asciiModelCount;
  model.boundsStale = false;
}

/** How surprising one model character's count is: 0 or 1 in tarkin mode, graded in default mode (`mode`, model.mode). */
// @ts-ignore: decorator
@inline function contribution(r: usize, count: u32, mode: i32): f64 {
  if (mode == SURPRISE_TARKIN) {
    if (count == 0) return 1;
    const x = <f64>count;
    return load<f64>(r, LOW) <= x && x < load<f64>(r, HIGH) ? 0 : 1;
  }
  const distance = Math.abs(<f64>count - load<f64>(r, MEAN_ALL));
  const spreads = distance / Math.max(load<f64>(r, SPREAD_ALL), MIN_SPREAD);
  return Math.min(Math.max((spreads - 1) / 2, 0), 1);
}

/**
 * How surprising a message's character counts are, in [0, 1].
 * tarkin: the original's, exactly: the share of the model's characters that are absent from the
 * message or whose count falls outside [mean - |variance|, mean + |variance|).
 * default: per character, how far its count (0 when absent) lies from its mean over all trained
 * messages in spreads, graded; each occurrence of a character the model has never seen counts as
 * fully surprising.
 */
export function surprise(start: usize, end: usize): f64 {
  if (model.boundsStale) refreshBounds();
  const result = evaluate(countForScoring(start, end));
  resetCounts();
  return result;
}

/** Counts one ASCII byte (or a lowercased ASCII character) of the message being scored into its counter. */
// @ts-ignore: decorator
@inline function countByte(b: u32): void {
  // Both addresses are constant offsets of the loads and the store (one operation each).
  const at = <usize>load<u8>(<usize>b, BYTE_SLOTS) << 2;
  store<u32>(at, load<u32>(at, asciiCounts) + 1, asciiCounts);
}

/**
 * Counts a message for scoring: ASCII into its counters, other characters (lowercased, then
 * ASCII ones into the counters too) as training counts them. Returns how many characters the
 * model lacks, less the ASCII ones, which evaluate() reads from the unseen counter.
 */
function countForScoring(start: usize, end: usize): i32 {
  model.touchedCount = 0;
  // The ASCII prefix (most often the whole message) in tight loops of their own: four bytes at a
  // time while all four are ASCII, then byte by byte up to the first other one.
  let p = start;
  while (p + 4 <= end) {
    const w = load<u32>(p);
    if (w & 0x80808080) break;
    countByte(w & 0xff);
    countByte((w >> 8) & 0xff);
    countByte((w >> 16) & 0xff);
    countByte(w >> 24);
    p += 4;
  }
  while (p < end) {
    const b = <u32>load<u8>(p);
    if (b >= 0x80) break;
    countByte(b);
    p++;
  }
  if (p >= end) return 0;
  let unseen = 0;
  lowering.continueAt(p, end, casedBefore(start, p));
  while (true) {
    const cp = lowering.next();
    if (cp < 0) break;
    if (cp < 128) countByte(<u32>cp);
    else if (!countOne(<u32>cp, false)) unseen++;
  }
  return unseen;
}

/**
 * Model ASCII character i's contribution less its absent one, for `count` of it; its counter
 * emptied for the next message. `deltas` is model.asciiDeltas, read once by the caller.
 */
// @ts-ignore: decorator
@inline function asciiDelta(i: i32, count: u32, deltas: usize): f64 {
  store<u32>(asciiCounts + (<usize>i << 2), 0);
  if (count < DELTA_COUNTS) return load<f64>(deltas + ((<usize>i * DELTA_COUNTS + count) << 3));
  const r = record(model.chars, load<i32>(model.asciiRecords + (<usize>i << 2)));
  return contribution(r, count, model.mode) - load<f64>(r, ABSENT);
}

function evaluate(unseenWide: i32): f64 {
  // No branch on whether the message has the character (which no predictor guesses): an absent
  // one adds its table's first entry, 0. Two sums, odd and even characters, so that one addition
  // need not wait for the last; exact in tarkin mode, where every term is a whole number.
  let even: f64 = 0;
  let odd: f64 = 0;
  const n = model.asciiModelCount;
  const deltas = model.asciiDeltas;
  let i = 0;
  for (; i + 3 < n; i += 4) {
    const at = asciiCounts + (<usize>i << 2);
    even += asciiDelta(i, load<u32>(at), deltas) + asciiDelta(i + 2, load<u32>(at, 8), deltas);
    odd += asciiDelta(i + 1, load<u32>(at, 4), deltas) + asciiDelta(i + 3, load<u32>(at, 12), deltas);
  }
  for (; i < n; i++) even += asciiDelta(i, load<u32>(asciiCounts + (<usize>i << 2)), deltas);
  let sum = model.absentSum + (even + odd);
  const mode = model.mode;
  const charCount = model.count;
  const touchedCount = model.touchedCount;
  if (touchedCount > 0) {
    const chars = model.chars;
    const touched = model.touched;
    for (let i = 0; i < touchedCount; i++) {
      const r = record(chars, load<i32>(touched + (<usize>i << 2)));
      sum += contribution(r, load<u32>(r, COUNT), mode) - load<f64>(r, ABSENT);
    }
  }
  const unseenSlot = asciiCounts + (<usize>n << 2);
  const unseen = <i32>load<u32>(unseenSlot) + unseenWide;
  store<u32>(unseenSlot, 0);
  if (mode == SURPRISE_TARKIN) return charCount > 0 ? sum / <f64>charCount : 0;
  const weight = charCount + unseen;
  return weight > 0 ? (sum + <f64>unseen) / <f64>weight : 0;
}

// Explaining a message's surprise, for `tarkin explain` (not the per-record path).

/**
 * Writes per model character its count in the message, what the model expects (mean and the
 * spread the mode uses) and its contribution, then per character unseen by the model its code
 * point (layouts.ts EXPLAIN_CHAR); returns how many entries. The surprise itself is surprise()'s.
 */
export function explainSurprise(start: usize, end: usize, out: usize): i32 {
  if (model.boundsStale) refreshBounds();
  countCharacters(start, end, false);
  const chars = model.chars;
  const mode = model.mode;
  let n = 0;
  for (let i = 0; i < model.count; i++) {
    const r = record(chars, i);
    const at = out + <usize>n * EXPLAIN_CHAR;
    n++;
    const count = load<u32>(r, COUNT);
    store<u32>(at + EXPLAIN_CHAR_CODE_POINT, load<u32>(r, CP));
    store<u32>(at + EXPLAIN_CHAR_COUNT, count);
    if (mode == SURPRISE_TARKIN) {
      store<f64>(at + EXPLAIN_CHAR_EXPECTED, (load<f64>(r, LOW) + load<f64>(r, HIGH)) / 2);
      store<f64>(at + EXPLAIN_CHAR_SPREAD, (load<f64>(r, HIGH) - load<f64>(r, LOW)) / 2);
    } else {
      store<f64>(at + EXPLAIN_CHAR_EXPECTED, load<f64>(r, MEAN_ALL));
      store<f64>(at + EXPLAIN_CHAR_SPREAD, Math.max(load<f64>(r, SPREAD_ALL), MIN_SPREAD));
    }
    store<f64>(at + EXPLAIN_CHAR_CONTRIBUTION, contribution(r, count, mode));
  }
  resetCounts();
  lowering.begin(start, end);
  while (true) {
    const cp = lowering.next();
    if (cp < 0) break;
    if (indexOf(<u32>cp) >= 0) continue;
    const at = out + <usize>n * EXPLAIN_CHAR;
    n++;
    store<u32>(at + EXPLAIN_CHAR_CODE_POINT, <u32>cp);
    store<u32>(at + EXPLAIN_CHAR_COUNT, EXPLAIN_UNSEEN);
  }
  return n;
}

export function explainCapacity(length: i32): i32 {
  return (model.count + length + 1) * EXPLAIN_CHAR;
}

// ---------------------------------------------------------------------------------------------
// The adaptive gate: running statistics over the surprise of every message scored so far.

/**
 * The gate's state: the same running statistics as a model character's, in a record of their own,
 * over the surprise of every message its scorer has scored. Each scorer has one and its threshold.
 */
export class Gate {
  readonly at: usize = allocate(CHAR_RECORD);

  constructor() {
    this.reset();
  }

  count(): f64 {
    return load<f64>(this.at, N);
  }
  mean(): f64 {
    return load<f64>(this.at, N) > 0 ? statsMean(this.at) : 0;
  }
  variance(): f64 {
    return statsVariance(this.at);
  }
  maximum(): f64 {
    return load<f64>(this.at, MAX);
  }

  reset(): void {
    memory.fill(this.at, 0, CHAR_RECORD);
  }

  /** The original's threshold (tarkin mode): max - |variance|. */
  originalThreshold(): f64 {
    const variance = this.variance();
    return this.maximum() - Math.sqrt(variance * variance);
  }

  /** Default mode's threshold: mean + spreads sd, Infinity (none can pass) before two messages. */
  spreadThreshold(spreads: f64): f64 {
    if (this.count() < 2) return Infinity;
    // Spreads are 0 unless set: then the threshold is the mean, with no square root to take.
    return spreads == 0 ? this.mean() : this.mean() + spreads * Math.sqrt(this.variance());
  }

  /** Whether a message of this surprise passes a threshold ("infrequent"), judged against the messages before it; then its surprise joins the statistics. */
  // @ts-ignore: decorator
  @inline passes(value: f64, threshold: f64): bool {
    statsAdd(this.at, value);
    return value > threshold;
  }
}

// ---------------------------------------------------------------------------------------------
// The model as bytes (layouts.ts MODEL_): what the pack carries and model export writes. A
// character's statistics, n to min, lie in the same order there as in its record here.
const MODEL_STATISTICS: usize = MODEL_CHAR - MODEL_CHAR_N;

export function loadModel(p: usize): void {
  resetModel();
  const count = load<u32>(p + MODEL_CHARACTERS);
  reserve(<i32>count);
  for (let i: u32 = 0; i < count; i++) {
    const at = p + MODEL_HEADER + <usize>i * MODEL_CHAR;
    const r = record(model.chars, addChar(load<u32>(at + MODEL_CHAR_CODE_POINT)));
    memory.copy(r + N, at + MODEL_CHAR_N, MODEL_STATISTICS);
  }
  model.messages = load<f64>(p + MODEL_MESSAGES);
  model.boundsStale = true;
}

export function modelBytes(): i32 {
  return MODEL_HEADER + model.count * MODEL_CHAR;
}

export function saveModel(p: usize): void {
  const chars = model.chars;
  const charCount = model.count;
  memory.fill(p, 0, MODEL_HEADER);
  store<u32>(p + MODEL_CHARACTERS, charCount);
  store<f64>(p + MODEL_MESSAGES, model.messages);
  for (let i = 0; i < charCount; i++) {
    const at = p + MODEL_HEADER + <usize>i * MODEL_CHAR;
    const r = record(chars, i);
    memory.fill(at, 0, MODEL_CHAR_N);
    store<u32>(at + MODEL_CHAR_CODE_POINT, load<u32>(r, CP));
    memory.copy(at + MODEL_CHAR_N, r + N, MODEL_STATISTICS);
  }
}

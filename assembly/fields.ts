// Field surprise: how unusual the shape of each field of a message is, against the same field in
// training (after Kruegel & Vigna's per-parameter models and Anagram's n-grams of normal traffic).
//
// A message is cut into fields at spaces, tabs, quotes, '?' and '&': `key=value` is a named field,
// any other token a field named by the token before it ("from 10.0.0.5" is the field after "from":
// a word names it as itself, any other token by its shape; the first token is the field after the
// start). A token's place would shift with every prefix a log adds; the word before it does not.
// A value is read
// percent-decoded ('+' a space, %XX a byte, %25XX twice), as a query string means it, then as a
// shape: every letter one symbol, a run of digits one symbol, each other byte itself. The model
// counts, per field, how many values it saw and how often each shape trigram occurred, in a
// count-min sketch (two rows of counters, the smaller count wins): a fixed size however much is
// trained, and shards merge exactly by adding counters.
//
// A trigram that occurred in fewer than 1 in 10^RARE_DECADES of the field's values is rare; its
// surprise is how many decades rarer still it is, log10((n + 2) / (count + 1)) - RARE_DECADES.
// A message's field surprise is the sum over its trigrams: 0 for a message shaped like training,
// a few decades for one whose fields hold what they never held (quotes, brackets, operators, a
// path where a name belongs).

import { fnv1a } from "./lexicon";

/** A trigram rarer than 1 in 10^RARE_DECADES of its field's values counts. */
export const RARE_DECADES: f64 = 1.5;
const RARE_RATIO: f64 = 31.622776601683793; // 10^RARE_DECADES

export const ROW_BITS: i32 = 15;
export const ROW_SIZE: i32 = 1 << ROW_BITS;
/** Two rows of u32 counters: the sketch as the model saves it and the pack carries it. */
export const SKETCH_BYTES: i32 = 2 * ROW_SIZE * 4;
const sketch = memory.data(SKETCH_BYTES, 16);

// Fields named by the token before them: a word of up to WORD_LIMIT letters (and a trailing ':')
// by its lowercased letters, any other token by its shape; seeded apart from named fields' keys.
const AFTER_SEED: u32 = 0x9e3779b1;
const WORD_LIMIT: i32 = 24;
const FIRST_TOKEN: u32 = 0x85ebca6b; // the token before the first
const FNV_OFFSET: u32 = 0x811c9dc5;
const FNV_PRIME: u32 = 0x01000193;

// Shape symbols. Bytes below 0x20 share one symbol; 0x01 and 0x02 mark a value's start and end.
const START: u32 = 0x01;
const END: u32 = 0x02;
const CONTROL: u32 = 0x1f;
const LETTER: u32 = 0x61; // 'a'
const DIGIT: u32 = 0x30; // '0'
const NOT_ASCII: u32 = 0x75; // 'u': every byte of a character beyond ASCII
const shapes = memory.data(256);
let shapesReady = false;

function prepareShapes(): void {
  for (let b: u32 = 0; b < 256; b++) {
    let s = b;
    if (b < 0x20) s = CONTROL;
    else if ((b | 0x20) >= 0x61 && (b | 0x20) <= 0x7a) s = LETTER;
    else if (b >= 0x30 && b <= 0x39) s = DIGIT;
    else if (b >= 0x80) s = NOT_ASCII;
    store<u8>(shapes + b, <u8>s);
  }
  shapesReady = true;
}

// Field delimiters, and the bytes a field's key may hold.
const DELIMITER: u8 = 1;
const KEY: u8 = 2;
const classes = memory.data(256);
function prepareClasses(): void {
  for (let b: u32 = 0; b < 256; b++) {
    let c: u8 = 0;
    if (b == 0x20 || b == 0x09 || b == 0x22 || b == 0x3f || b == 0x26) c = DELIMITER; // space tab " ? &
    else if ((b | 0x20) >= 0x61 && (b | 0x20) <= 0x7a) c = KEY;
    else if ((b >= 0x30 && b <= 0x39) || b == 0x5f || b == 0x2e || b == 0x2d || b == 0x5b || b == 0x5d) c = KEY; // 0-9 _ . - [ ]
    store<u8>(classes + b, c);
  }
}

// @ts-ignore: decorator
@inline function classOf(b: u32): u8 {
  return load<u8>(classes + b);
}

// ---------------------------------------------------------------------------------------------
// The sketch.

/** A field's trigram (0 for the field's own value count) as the two counters' places. */
let slot0: usize = 0;
let slot1: usize = 0;
// @ts-ignore: decorator
@inline function locate(field: u32, trigram: u32): void {
  const h = ((<u64>field << 24) | <u64>trigram) * 0x9e3779b97f4a7c15;
  slot0 = sketch + (<usize>(h >> (64 - ROW_BITS)) << 2);
  slot1 = sketch + (<usize>ROW_SIZE << 2) + (<usize>((h >> 20) & (<u64>ROW_SIZE - 1)) << 2);
}

// @ts-ignore: decorator
@inline function located(): u32 {
  const a = load<u32>(slot0);
  const b = load<u32>(slot1);
  return a < b ? a : b;
}

// @ts-ignore: decorator
@inline function bump(): void {
  const a = load<u32>(slot0);
  const b = load<u32>(slot1);
  if (a != 0xffffffff) store<u32>(slot0, a + 1);
  if (b != 0xffffffff) store<u32>(slot1, b + 1);
}

export function resetFields(): void {
  memory.fill(sketch, 0, SKETCH_BYTES);
}

// ---------------------------------------------------------------------------------------------
// Reading a message's fields.

const LEARN: i32 = 0;
const SCORE: i32 = 1;
const EXPLAIN: i32 = 2;
let task: i32 = SCORE;

let total: f64 = 0; // the message's field surprise, as it is summed
// The field being read: its hash, how many values training saw in it, and below what count one of its trigrams is rare.
let field: u32 = 0;
let fieldValues: u32 = 0;
let rareBelow: f64 = 0;

/** Trains the field model on one message. */
export function learnFields(start: usize, end: usize): void {
  task = LEARN;
  readFields(start, end);
}

/** Decades of rarity at which a message is very unusual: its surprise is then 0.5. */
export const VERY_UNUSUAL_DECADES: f64 = 4;

/** Field surprise in [0, 1) from decades of rarity: 0.5 at VERY_UNUSUAL_DECADES, approaching 1 beyond. */
// @ts-ignore: decorator
@inline export function surpriseOfDecades(decades: f64): f64 {
  return decades / (decades + VERY_UNUSUAL_DECADES);
}

/** The field surprise of a message, in [0, 1). */
export function fieldSurprise(start: usize, end: usize): f64 {
  task = SCORE;
  total = 0;
  readFields(start, end);
  return surpriseOfDecades(total);
}

function readFields(start: usize, end: usize): void {
  if (!shapesReady) {
    prepareShapes();
    prepareClasses();
  }
  let previous = FIRST_TOKEN;
  let previousStart = start;
  let previousEnd = start;
  let p = start;
  while (p < end) {
    while (p < end && classOf(<u32>load<u8>(p)) == DELIMITER) p++;
    if (p >= end) break;
    const tokenStart = p;
    // A named field's key: key bytes up to the first '='.
    while (p < end && classOf(<u32>load<u8>(p)) == KEY) p++;
    let valueStart = tokenStart;
    let named = false;
    if (p > tokenStart && p < end && load<u8>(p) == 0x3d) {
      beginField(fnv1a(tokenStart, <i32>(p - tokenStart)), tokenStart, p, KIND_NAMED);
      valueStart = p + 1;
      named = true;
    } else {
      beginField((previous ^ AFTER_SEED) * FNV_PRIME, previousStart, previousEnd, previousStart == previousEnd ? KIND_FIRST : KIND_AFTER);
    }
    p = valueStart;
    while (p < end && classOf(<u32>load<u8>(p)) != DELIMITER) p++;
    readValue(valueStart, p);
    // The next token's field, if it is not key=value: after this field's key, or after this token.
    previous = named ? field : tokenKey;
    previousStart = tokenStart;
    previousEnd = named ? valueStart - 1 : p;
  }
}

// What a field is, for explain: named (key=value), after a token, or the message's first token.
const KIND_NAMED: u32 = 0;
const KIND_AFTER: u32 = 1;
const KIND_FIRST: u32 = 2;

function beginField(hash: u32, nameStart: usize, nameEnd: usize, kind: u32): void {
  field = hash;
  locate(field, 0);
  if (task == LEARN) {
    bump();
    return;
  }
  fieldValues = located();
  rareBelow = (<f64>fieldValues + 2) / RARE_RATIO - 1;
  if (task == EXPLAIN) beginExplainedField(nameStart, nameEnd, kind);
}

// @ts-ignore: decorator
@inline function isHex(b: u32): bool {
  return (b >= 0x30 && b <= 0x39) || ((b | 0x20) >= 0x61 && (b | 0x20) <= 0x66);
}

// @ts-ignore: decorator
@inline function hexValue(b: u32): u32 {
  return b <= 0x39 ? b - 0x30 : (b | 0x20) - 0x57;
}

/** The key a token gives the field after it (readValue sets it): its word, or its shape. */
let tokenKey: u32 = 0;

/** Reads a value [start, end) as its shape's trigrams, percent-decoding as it goes; sets tokenKey. */
function readValue(start: usize, end: usize): void {
  let trigram: u32 = (START << 8) | START;
  let last: u32 = START;
  // The token as a word (lowercased letters, a ':' at most at its end) and as its shape, letter runs one symbol.
  let word = FNV_OFFSET;
  let shape = FNV_OFFSET;
  let letters = 0;
  let isWord = true;
  let p = start;
  while (p < end) {
    let b = <u32>load<u8>(p++);
    if (b == 0x2b) b = 0x20;
    else if (b == 0x25 && p + 1 < end && isHex(<u32>load<u8>(p)) && isHex(<u32>load<u8>(p + 1))) {
      b = (hexValue(<u32>load<u8>(p)) << 4) | hexValue(<u32>load<u8>(p + 1));
      p += 2;
      // %25 followed by two hex digits: encoded twice, as evasions send it.
      if (b == 0x25 && p + 1 < end && isHex(<u32>load<u8>(p)) && isHex(<u32>load<u8>(p + 1))) {
        b = (hexValue(<u32>load<u8>(p)) << 4) | hexValue(<u32>load<u8>(p + 1));
        p += 2;
      }
    }
    const s = <u32>load<u8>(shapes + b);
    if (s == LETTER) {
      word = (word ^ (b | 0x20)) * FNV_PRIME;
      letters++;
    } else if (!(s == 0x3a && p == end)) isWord = false;
    const run = s == last && (s == DIGIT || s == LETTER);
    if (!run) shape = (shape ^ s) * FNV_PRIME;
    if (run && s == DIGIT) continue;
    last = s;
    trigram = ((trigram << 8) | s) & 0xffffff;
    gram(trigram);
  }
  gram(((trigram << 8) | END) & 0xffffff);
  tokenKey = isWord && letters > 0 && letters <= WORD_LIMIT ? word : ~shape;
}

// @ts-ignore: decorator
@inline function gram(trigram: u32): void {
  locate(field, trigram);
  if (task == LEARN) {
    bump();
    return;
  }
  const count = <f64>located();
  if (count >= rareBelow) return;
  const decades = Math.log10((<f64>fieldValues + 2) / (count + 1)) - RARE_DECADES;
  total += decades;
  if (task == EXPLAIN) explainGram(trigram, count, decades);
}

// ---------------------------------------------------------------------------------------------
// Explaining a message's field surprise, for `tarkin explain` (not the per-record path).

/**
 * Per rare trigram: u32 name start, u32 name end (offsets into the message: a named field's key,
 * or the token the field comes after), u32 kind (KIND_NAMED, KIND_AFTER, KIND_FIRST), u32 the
 * trigram's three symbols (first in the high byte), f64 its count, f64 the field's values in
 * training, f64 its decades.
 */
export const EXPLAIN_GRAM = 40;
export const EXPLAIN_CAPACITY = 4096;
const explained = memory.data(EXPLAIN_GRAM * EXPLAIN_CAPACITY, 8);
export let explainedGrams: i32 = 0;
let messageStart: usize = 0;
let explainedNameStart: u32 = 0;
let explainedNameEnd: u32 = 0;
let explainedKind: u32 = 0;

function beginExplainedField(nameStart: usize, nameEnd: usize, kind: u32): void {
  explainedNameStart = <u32>(nameStart - messageStart);
  explainedNameEnd = <u32>(nameEnd - messageStart);
  explainedKind = kind;
}

function explainGram(trigram: u32, count: f64, decades: f64): void {
  if (explainedGrams >= EXPLAIN_CAPACITY) return;
  const at = explained + <usize>explainedGrams * EXPLAIN_GRAM;
  explainedGrams++;
  store<u32>(at, explainedNameStart);
  store<u32>(at, explainedNameEnd, 4);
  store<u32>(at, explainedKind, 8);
  store<u32>(at, trigram, 12);
  store<f64>(at, count, 16);
  store<f64>(at, <f64>fieldValues, 24);
  store<f64>(at, decades, 32);
}

/** The decades of rarity explainFields summed. */
export let explainedDecades: f64 = 0;

/** fieldSurprise, writing every rare trigram (EXPLAIN_GRAM layout, at most EXPLAIN_CAPACITY) at explainedAddress(). */
export function explainFields(start: usize, end: usize): f64 {
  task = EXPLAIN;
  total = 0;
  explainedGrams = 0;
  messageStart = start;
  readFields(start, end);
  task = SCORE;
  explainedDecades = total;
  return surpriseOfDecades(total);
}

export function explainedAddress(): usize {
  return explained;
}

// ---------------------------------------------------------------------------------------------
// The field model as bytes, after the character model's in the model layout: u32 how many
// counters are not 0, then per counter u32 its index (row 1 from ROW_SIZE on) and u32 its count.

export function fieldModelBytes(): i32 {
  let n = 0;
  for (let i = 0; i < 2 * ROW_SIZE; i++) if (load<u32>(sketch + (<usize>i << 2)) != 0) n++;
  return 4 + n * 8;
}

export function saveFields(p: usize): void {
  let n: u32 = 0;
  for (let i = 0; i < 2 * ROW_SIZE; i++) {
    const count = load<u32>(sketch + (<usize>i << 2));
    if (count == 0) continue;
    store<u32>(p + 4 + (<usize>n << 3), <u32>i);
    store<u32>(p + 8 + (<usize>n << 3), count);
    n++;
  }
  store<u32>(p, n);
}

/** Replaces the field model with the one at p; indices out of range are skipped (the host checks them). */
export function loadFields(p: usize): void {
  resetFields();
  const n = load<u32>(p);
  for (let k: u32 = 0; k < n; k++) {
    const i = load<u32>(p + 4 + (<usize>k << 3));
    if (i < <u32>(2 * ROW_SIZE)) store<u32>(sketch + (<usize>i << 2), load<u32>(p + 8 + (<usize>k << 3)));
  }
}

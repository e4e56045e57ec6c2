// Field surprise: how unusual the shape of each field of a message is, against the same field in
// training (after Kruegel & Vigna's per-parameter models and Anagram's n-grams of normal traffic).
//
// A message is cut into fields at spaces, tabs, quotes, '?' and '&': `key=value` is a named field,
// any other token a field named by the token before it ("from 10.0.0.5" is the field after "from":
// a word names it as itself, any other token by its shape; the first token is the field after the
// start). A token's place would shift with every prefix a log adds; the word before it does not.
// A value is read percent-decoded ('+' a space, %XX a byte, %25XX twice), as a query string means
// it, then as a shape: every letter one symbol, a run of digits one symbol, each other byte itself.
// The model counts, per field, how many values it saw, how often each shape trigram occurred, and
// how often each whole shape occurred, in a count-min sketch: a fixed size however much is
// trained, and shards merge exactly by adding counters.
//
// A trigram that occurred in fewer than 1 in 10^RARE_DECADES of the field's values is rare; its
// surprise is how many decades rarer still it is, log10((n + 2) / (count + 1)) - RARE_DECADES.
// A message's field surprise is the sum over its trigrams: 0 for a message shaped like training,
// a few decades for one whose fields hold what they never held (quotes, brackets, operators, a
// path where a name belongs).
//
// Only a message the model knows is scored: at least 3 in 4 of its fields must be known (seen
// often enough that a count can be rare at all). A line of a log the model was not trained on has
// fields it never saw; every one of its values would look rare, and that says nothing of attacks.
//
// Speed: the per-record path reads each value once, counting its whole shape; only a value whose
// whole shape is rare in its field is read again trigram by trigram (a common whole shape means
// every trigram of it is common: each value of that shape counted each of its trigrams). Those
// reads wait until the message is known to be familiar.

import { fnv1a, fnv1aStep, FNV_OFFSET } from "./lexicon";
import {
  EXPLAIN_GRAM_NAME_START, EXPLAIN_GRAM_NAME_END, EXPLAIN_GRAM_KIND, EXPLAIN_GRAM_TRIGRAM, EXPLAIN_GRAM_COUNT, EXPLAIN_GRAM_VALUES,
  EXPLAIN_GRAM_DECADES, EXPLAIN_GRAM, FIELD_NAMED, FIELD_AFTER, FIELD_FIRST,
} from "./layouts";

/** A trigram rarer than 1 in 10^RARE_DECADES of its field's values counts. */
export const RARE_DECADES: f64 = 1.5;
const RARE_SHARE: f64 = 0.03162277660168379; // 10^-RARE_DECADES

/** A message is familiar when KNOWN_SHARE_NUMERATOR in KNOWN_SHARE_DENOMINATOR of its fields are known, */
const KNOWN_SHARE_NUMERATOR: i32 = 3;
const KNOWN_SHARE_DENOMINATOR: i32 = 4;
/** or its first KNOWN_LEADING fields are, each of a shape common in it: a log's own prefix before a message it never held. */
export const KNOWN_LEADING: i32 = 3;

// The sketch: BLOCKS blocks of 16 u32 counters (64 bytes, one cache line); an item's two counters
// lie in one block, 1 to 8 apart, so a lookup touches one line of memory.
const BLOCK_BITS: i32 = 12;
const BLOCKS: i32 = 1 << BLOCK_BITS;
/** The sketch's counters, as the model saves them and the pack carries them. */
export const SKETCH_COUNTERS: i32 = BLOCKS * 16;
export const SKETCH_BYTES: i32 = SKETCH_COUNTERS * 4;
const sketch = memory.data(SKETCH_BYTES, 64);

// Fields named by the token before them: a word of up to WORD_LIMIT letters (and a trailing ':')
// by its lowercased letters, any other token by its shape; seeded apart from named fields' keys.
const AFTER_SEED: u32 = 0x9e3779b1;
const WORD_LIMIT: i32 = 24;
const FIRST_TOKEN: u32 = 0x85ebca6b; // the token before the first
// A field's whole shapes are counted as items of a field of their own.
const WHOLE_SHAPE_SEED: u32 = 0x27d4eb2f;

// Shape symbols. Bytes below 0x20 share one symbol; 0x01 and 0x02 mark a value's start and end.
const START: u32 = 0x01;
const END: u32 = 0x02;
const CONTROL: u32 = 0x1f;
const LETTER: u32 = 0x61; // 'a'
const DIGIT: u32 = 0x30; // '0'
const NOT_ASCII: u32 = 0x75; // 'u': every byte of a character beyond ASCII
// A whole shape keeps a run of letters up to WHOLE_SHAPE_LETTERS symbols: values whose shapes are
// equal so have the same trigrams, however long their words.
const WHOLE_SHAPE_LETTERS: i32 = 3;

// Two tables of 256 bytes. shapes: a decoded byte's shape symbol. kinds: what a raw byte of a
// message is, one lookup per byte: SPLIT ends a token, PERCENT starts an escape, '+' is a space's
// shape, any other byte its shape symbol.
const shapes = memory.data(256);
const kinds = memory.data(256);
const SPLIT: u32 = 0x00;
const PERCENT: u32 = 0x03;
let tablesReady = false;

function prepareTables(): void {
  for (let b: u32 = 0; b < 256; b++) {
    let s = b;
    if (b < 0x20) s = CONTROL;
    else if ((b | 0x20) >= 0x61 && (b | 0x20) <= 0x7a) s = LETTER;
    else if (b >= 0x30 && b <= 0x39) s = DIGIT;
    else if (b >= 0x80) s = NOT_ASCII;
    store<u8>(shapes + b, <u8>s);
    let k = s;
    if (b == 0x20 || b == 0x09 || b == 0x22 || b == 0x3f || b == 0x26) k = SPLIT; // space tab " ? &
    else if (b == 0x25) k = PERCENT;
    else if (b == 0x2b) k = 0x20; // '+'
    store<u8>(kinds + b, <u8>k);
  }
  tablesReady = true;
}

// The tables' addresses are the loads' constant offsets: one operation a lookup, not two.
// @ts-ignore: decorator
@inline function kindOf(b: u32): u32 {
  return <u32>load<u8>(<usize>b, kinds);
}

// @ts-ignore: decorator
@inline function shapeOf(b: u32): u32 {
  return <u32>load<u8>(<usize>b, shapes);
}

// ---------------------------------------------------------------------------------------------
// The sketch.

/** An item of a field (a trigram; 0 for the field's own value count) as its two counters' places. */
let slot0: usize = 0;
let slot1: usize = 0;
// @ts-ignore: decorator
@inline function locate(field: u32, item: u32): void {
  const h = ((<u64>field << 24) | <u64>item) * 0x9e3779b97f4a7c15;
  const block = sketch + (<usize>(h >> (64 - BLOCK_BITS)) << 6);
  const first = <u32>(h >> 40) & 15;
  slot0 = block + (<usize>first << 2);
  slot1 = block + (<usize>((first + 1 + (<u32>(h >> 36) & 7)) & 15) << 2);
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

/** The last message's fields that count towards its familiarity, and how many of them the model knows. */
export let countedFields: i32 = 0;
export let knownFields: i32 = 0;
/** How many of its first counted fields are known and of a common shape, up to the first that is not. */
export let leadingKnownFields: i32 = 0;

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

/** Whether the last message read has enough known fields for its field surprise to count. */
export function familiar(): bool {
  return knownFields * KNOWN_SHARE_DENOMINATOR >= countedFields * KNOWN_SHARE_NUMERATOR || leadingKnownFields >= KNOWN_LEADING;
}

/** The field surprise of a message, in [0, 1); 0 for a message the model does not know. */
export function fieldSurprise(start: usize, end: usize): f64 {
  task = SCORE;
  total = 0;
  deferredValues = 0;
  readFields(start, end);
  if (!familiar()) return 0;
  for (let i = 0; i < deferredValues; i++) {
    const at = deferred + <usize>i * DEFERRED_VALUE;
    setField(load<u32>(at, 8), load<u32>(at, 12));
    readGrams(<usize>load<u32>(at), <usize>load<u32>(at, 4));
  }
  return surpriseOfDecades(total);
}

// Values of a rare whole shape, read trigram by trigram once the message is known to be familiar:
// per value u32 start, u32 end, u32 field, u32 the field's values. Beyond DEFERRED_CAPACITY a value
// is read at once (its decades are dropped with the rest if the message is not familiar).
const DEFERRED_VALUE = 16;
const DEFERRED_CAPACITY = 64;
const deferred = memory.data(DEFERRED_VALUE * DEFERRED_CAPACITY, 16);
let deferredValues: i32 = 0;

// The token being read (readToken sets them): where its value starts, whether it is key=value
// (and the key's hash), its value's whole shape, and the key it gives the field after it.
let valueStart: usize = 0;
let named = false;
let keyHash: u32 = 0;
let wholeShape: u32 = 0;
let tokenKey: u32 = 0;

function readFields(start: usize, end: usize): void {
  if (!tablesReady) prepareTables();
  countedFields = 0;
  knownFields = 0;
  leadingKnownFields = 0;
  let previous = FIRST_TOKEN;
  let previousStart = start;
  let previousEnd = start;
  let previousRare = false;
  let p = start;
  while (p < end) {
    while (p < end && kindOf(<u32>load<u8>(p)) == SPLIT) p++;
    if (p >= end) break;
    const tokenStart = p;
    p = readToken(p, end);
    const kind = named ? FIELD_NAMED : previousStart == previousEnd ? FIELD_FIRST : FIELD_AFTER;
    setField(named ? keyHash : fnv1aStep(previous, AFTER_SEED), 0xffffffff);
    if (task == LEARN) {
      locate(field ^ WHOLE_SHAPE_SEED, wholeShape);
      bump();
      readGrams(valueStart, p);
    } else {
      // The field after a token of a rare shape is new for the same reason: it does not count.
      const counted = kind != FIELD_AFTER || !previousRare;
      const leading = counted && leadingKnownFields == countedFields;
      if (counted) {
        if (rareBelow > 0) knownFields++;
        countedFields++;
      }
      previousRare = false;
      if (rareBelow > 0) {
        locate(field ^ WHOLE_SHAPE_SEED, wholeShape);
        if (<f64>located() >= rareBelow) {
          if (leading) leadingKnownFields++;
        } else {
          previousRare = true;
          if (task == EXPLAIN) {
            beginExplainedField(named ? tokenStart : previousStart, named ? valueStart - 1 : previousEnd, kind);
            readGrams(valueStart, p);
          } else if (deferredValues < DEFERRED_CAPACITY) {
            const at = deferred + <usize>deferredValues * DEFERRED_VALUE;
            store<u32>(at, <u32>valueStart);
            store<u32>(at, <u32>p, 4);
            store<u32>(at, field, 8);
            store<u32>(at, fieldValues, 12);
            deferredValues++;
          } else readGrams(valueStart, p);
        }
      }
    }
    // The next token's field, if it is not key=value: after this field's key, or after this token.
    previous = named ? field : tokenKey;
    previousStart = tokenStart;
    previousEnd = named ? valueStart - 1 : p;
  }
}

/** Makes `field` the one read; its values in training are counted, or looked up when 0xffffffff. */
function setField(hash: u32, values: u32): void {
  field = hash;
  locate(field, 0);
  if (task == LEARN) {
    bump();
    return;
  }
  fieldValues = values == 0xffffffff ? located() : values;
  rareBelow = (<f64>fieldValues + 2) * RARE_SHARE - 1;
}

// @ts-ignore: decorator
@inline function isHex(b: u32): bool {
  return (b >= 0x30 && b <= 0x39) || ((b | 0x20) >= 0x61 && (b | 0x20) <= 0x66);
}

// @ts-ignore: decorator
@inline function hexValue(b: u32): u32 {
  return b <= 0x39 ? b - 0x30 : (b | 0x20) - 0x57;
}

/** After percentDecoded: where the byte after the escape is. */
let escapeEnd: usize = 0;

/** The byte a '%' at p means: %XX decoded (%25XX twice, as evasions send it), else the '%' itself. */
function percentDecoded(p: usize, end: usize): u32 {
  escapeEnd = p + 1;
  if (!(p + 2 < end && isHex(<u32>load<u8>(p + 1)) && isHex(<u32>load<u8>(p + 2)))) return 0x25;
  let b = (hexValue(<u32>load<u8>(p + 1)) << 4) | hexValue(<u32>load<u8>(p + 2));
  escapeEnd = p + 3;
  if (b == 0x25 && p + 4 < end && isHex(<u32>load<u8>(p + 3)) && isHex(<u32>load<u8>(p + 4))) {
    b = (hexValue(<u32>load<u8>(p + 3)) << 4) | hexValue(<u32>load<u8>(p + 4));
    escapeEnd = p + 5;
  }
  return b;
}

// @ts-ignore: decorator
@inline function isKeyPunctuation(b: u32): bool {
  return b == 0x5f || b == 0x2e || b == 0x2d || b == 0x5b || b == 0x5d; // _ . - [ ]
}

/**
 * Reads one token from p (not a SPLIT byte) in one pass and returns where it ends: whether it is
 * key=value (a key of letters, digits and _ . - [ ] before the first '='), its value's whole shape,
 * and the key it gives the next field (tokenKey). Runs of letters and digits get loops of their
 * own, the common case in few operations a byte; the state is in locals, as globals cost an
 * interpreter an operation at every use.
 *
 * The whole shape hashes each symbol, but a run of digits once and a run of letters at most
 * WHOLE_SHAPE_LETTERS times (`run` counts the letters hashed in the current run).
 */
function readToken(p: usize, end: usize): usize {
  const tokenStart = p;
  valueStart = p;
  named = false;
  let shape = FNV_OFFSET;
  let last = START;
  let run = 0;
  let word = FNV_OFFSET;
  let letters = 0;
  let others = 0; // symbols that are not letters
  let inKey = true;
  while (p < end) {
    let b = <u32>load<u8>(p);
    let s = kindOf(b);
    if (s == SPLIT) break;
    if (s == LETTER) {
      const from = p;
      do {
        word = fnv1aStep(word, b | 0x20);
        p++;
        if (p >= end) break;
        b = <u32>load<u8>(p);
      } while (kindOf(b) == LETTER);
      const n = <i32>(p - from);
      letters += n;
      if (last != LETTER) run = 0;
      for (let hashed = min(n, WHOLE_SHAPE_LETTERS - run); hashed > 0; hashed--) {
        shape = fnv1aStep(shape, LETTER);
        run++;
      }
      last = LETTER;
      continue;
    }
    if (s == DIGIT) {
      do p++;
      while (p < end && kindOf(<u32>load<u8>(p)) == DIGIT);
      others++;
      if (last != DIGIT) {
        shape = fnv1aStep(shape, DIGIT);
        last = DIGIT;
      }
      continue;
    }
    if (inKey) {
      if (b == 0x3d && p > tokenStart) {
        // key=value: the value starts afresh after the '='.
        named = true;
        keyHash = fnv1a(tokenStart, <i32>(p - tokenStart));
        inKey = false;
        p++;
        valueStart = p;
        shape = FNV_OFFSET;
        last = START;
        word = FNV_OFFSET;
        letters = 0;
        others = 0;
        continue;
      }
      if (!isKeyPunctuation(b)) inKey = false;
    }
    if (s == PERCENT) {
      b = percentDecoded(p, end);
      p = escapeEnd;
      s = shapeOf(b);
      if (s == LETTER) {
        word = fnv1aStep(word, b | 0x20);
        letters++;
        if (last != LETTER) run = 0;
        if (run < WHOLE_SHAPE_LETTERS) {
          shape = fnv1aStep(shape, LETTER);
          run++;
        }
        last = LETTER;
        continue;
      }
    } else p++;
    others++;
    // Any other symbol is hashed every time, a digit once a run.
    if (s != DIGIT || last != DIGIT) shape = fnv1aStep(shape, s);
    last = s;
  }
  // A word: letters only, or letters and a ':' at their end.
  const isWord = letters > 0 && letters <= WORD_LIMIT && (others == 0 || (others == 1 && last == 0x3a));
  tokenKey = isWord ? word : ~shape;
  wholeShape = shape & 0xffffff;
  return p;
}

/** Reads a value [start, end) as its shape's trigrams, percent-decoding as it goes. */
function readGrams(start: usize, end: usize): void {
  let trigram: u32 = (START << 8) | START;
  let last: u32 = START;
  let p = start;
  while (p < end) {
    let b = <u32>load<u8>(p);
    if (b == 0x25) {
      b = percentDecoded(p, end);
      p = escapeEnd;
    } else {
      if (b == 0x2b) b = 0x20;
      p++;
    }
    const s = shapeOf(b);
    if (s == last && s == DIGIT) continue;
    last = s;
    trigram = ((trigram << 8) | s) & 0xffffff;
    gram(trigram);
  }
  gram(((trigram << 8) | END) & 0xffffff);
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

// Per rare trigram, layouts.ts EXPLAIN_GRAM.
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
  store<u32>(at + EXPLAIN_GRAM_NAME_START, explainedNameStart);
  store<u32>(at + EXPLAIN_GRAM_NAME_END, explainedNameEnd);
  store<u32>(at + EXPLAIN_GRAM_KIND, explainedKind);
  store<u32>(at + EXPLAIN_GRAM_TRIGRAM, trigram);
  store<f64>(at + EXPLAIN_GRAM_COUNT, count);
  store<f64>(at + EXPLAIN_GRAM_VALUES, <f64>fieldValues);
  store<f64>(at + EXPLAIN_GRAM_DECADES, decades);
}

/** The decades of rarity explainFields summed. */
export let explainedDecades: f64 = 0;

/** fieldSurprise, writing every rare trigram (layouts.ts EXPLAIN_GRAM, at most EXPLAIN_CAPACITY) at explainedAddress(). */
export function explainFields(start: usize, end: usize): f64 {
  task = EXPLAIN;
  total = 0;
  explainedGrams = 0;
  messageStart = start;
  readFields(start, end);
  task = SCORE;
  if (!familiar()) {
    total = 0;
    explainedGrams = 0;
  }
  explainedDecades = total;
  return surpriseOfDecades(total);
}

export function explainedAddress(): usize {
  return explained;
}

// ---------------------------------------------------------------------------------------------
// The field model as bytes, after the character model's in the model layout: u32 how many
// counters are not 0, then per counter u32 its index and u32 its count.

export function fieldModelBytes(): i32 {
  let n = 0;
  for (let i = 0; i < SKETCH_COUNTERS; i++) if (load<u32>(sketch + (<usize>i << 2)) != 0) n++;
  return 4 + n * 8;
}

export function saveFields(p: usize): void {
  let n: u32 = 0;
  for (let i = 0; i < SKETCH_COUNTERS; i++) {
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
    if (i < <u32>(SKETCH_COUNTERS)) store<u32>(sketch + (<usize>i << 2), load<u32>(p + 8 + (<usize>k << 3)));
  }
}

// Field surprise: how unusual the shape of each field of a message is, against the same field in
// training (after Kruegel & Vigna's per-parameter models and Anagram's n-grams of normal traffic).
//
// A message is cut into fields at spaces, tabs, '?' and '&', and a quoted string is one value (but
// for an HTTP request line, whose method, path, parameters and protocol are fields of their own):
// `key=value` is a named field, any other token a field named by the token before it ("from
// 10.0.0.5" is the field after "from": a word names it as itself, any other token by its shape and
// the last word, key or quoted value before it, backing off to its shape alone where that field has
// too few values; the first token is the field after the start; after a syslog tag, the field of its
// program's first words, backing off likewise). A token's place would shift with every
// prefix a log adds; the word before it does not. A value is read percent-decoded ('+' a space,
// %XX a byte, %25XX twice), as a query string means it, then as a shape: every letter one symbol,
// a run of digits one symbol, each other byte itself.
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
// A field the model does not know (never seen, or too seldom for a count to be rare at all) backs
// off to the log's values in general: every value trained is also counted in one global field, and
// a value of an unknown field is judged against it, as rare only below 1 in 10^GLOBAL_RARE_DECADES
// of all values (an n-gram model's back-off). So no prefix, junk or new parameter switches scoring
// off. A message whose fields are mostly unknown, or shaped as never before, is not covered (another
// log, or one padded to look like one): its values are judged by the attack syntax they hold alone.
//
// A value is read with its quoting understood (logfmt's key="v w" with \" escapes is one value),
// letters in any script are letters (every byte of a UTF-8 character beyond ASCII, and an
// apostrophe inside a word), and typed tokens are one symbol each: an IPv4 or IPv6 address, a hex
// id, a UUID or MAC address. A new client address or id is not news; a new shape is (and a new
// network, where a field's addresses, or all the log's, come from a few).
//
// Whole values are counted too, in the sketch's second half, for two of Kruegel & Vigna's models.
// A field that holds a small set of values (users, methods, commands: few distinct values, each
// seen many times) is an enumeration, and a value it never held is evidence (their token finder);
// how few is estimated from 16 buckets of the values' hashes, which merge exactly. A value far
// longer than its field's is evidence by Cantelli's bound on its lengths (their attribute length
// model), or on all the log's where it is in a higher power of two than any of them, whether or not
// the message is covered. The values after two words are counted also as a
// field of the pair ("password for": who logs in by password), so a value normal in its field but
// new after those words (root by password) is evidence too, and so is one seen often after them
// but never at this time of day; likewise a key's values after the record's subject (what dave runs).
// All the log's lengths are counted three times, so that the sketch's collisions do not read as
// lengths held. A syslog record's process (its tag, sshd[2459]) gives its program a field of the
// process ids it ran under: a program of a few ids over many lines is long-lived (a daemon's), one
// of a new id every few lines runs a process a session (sshd's), whose lines an alarm carries along
// (decision/alarms.ts); a program training seldom saw is neither.
//
// Speed: the per-record path reads each value once, counting its whole shape; only a value whose
// whole shape is rare in its field is read again, trigram by trigram and for attack syntax (a
// common whole shape means every trigram of it is common: each value of that shape counted each
// of its trigrams).
// The same pass tells the sentiment whether the message may hold a word of its lexicon (its tokens
// asked of base/words.ts as they end, until one may, up to a JSON object's first key; the scorer
// asks the object's values): where it holds none, most log lines, VADER does not read it.

import { fnv1a, fnv1aStep, FNV_OFFSET } from "../base/hash";
import { mayBeWord, lettersMayBeWord, pieceMayBeWord, piecesMayHoldWord, mayJoinWord, wordsHoldQuote } from "../base/words";
import { asciiClassOf, ASCII_SPACE } from "../base/utf8";
import { isHex, hexValue, percentDecoded } from "../base/percent";
import { attackSyntax, isSyntaxByte, mayHoldSyntax, mayHoldUrl, internalUrlSyntax } from "./syntax";
import {
  EXPLAIN_GRAM_NAME_START, EXPLAIN_GRAM_NAME_END, EXPLAIN_GRAM_KIND, EXPLAIN_GRAM_TRIGRAM, EXPLAIN_GRAM_COUNT, EXPLAIN_GRAM_VALUES,
  EXPLAIN_GRAM_DECADES, EXPLAIN_GRAM_EVIDENCE, EXPLAIN_GRAM, FIELD_NAMED, FIELD_AFTER, FIELD_FIRST, FIELD_PATH, FIELD_SCHEME, TOKEN_PLAIN, TOKEN_ADDRESS, TOKEN_HEX,
  EVIDENCE_FIELD, EVIDENCE_LOG, EVIDENCE_SYNTAX, EVIDENCE_NEW_VALUE, EVIDENCE_NEW_FIELD, EVIDENCE_LENGTH, EVIDENCE_NEW_NETWORK, EVIDENCE_NEW_HOUR, EVIDENCE_NEW_LOG_NETWORK, HOUR_WINDOW, MODEL_SKETCH_COUNTERS, MODEL_SKETCH_BLOCKS, FIELD_AFTER_QUOTED, FIELD_OF_SUBJECT, EXPLAIN_GRAM_SUBJECT_START, EXPLAIN_GRAM_SUBJECT_END,
} from "../base/layouts";

/** Attack syntax in a value of a rare shape counts as this many decades (syntax.ts): alone, a very unusual message. */
export const SYNTAX_DECADES: f64 = 4;

/** A trigram rarer than 1 in 10^RARE_DECADES of its field's values counts. */
export const RARE_DECADES: f64 = 1.5;
const RARE_SHARE: f64 = 0.03162277660168379; // 10^-RARE_DECADES

/**
 * Free text (a quoted value with a space: a user agent, a message) drifts as people and software
 * do: a trigram rare in its field counts only if it is rare among all values too, and for
 * FREE_TEXT_WEIGHT of its decades. Attack syntax in it counts in full.
 */
const FREE_TEXT_SPACES = 1;
const FREE_TEXT_WEIGHT: f64 = 0.25;

/**
 * A field of free form (all 16 buckets of its whole shapes taken: 40 shapes or more, as passwords
 * and addresses have) has a rare value's trigrams weigh FREE_FORM_WEIGHT, unless the value holds
 * a byte attack syntax needs: an odd made-up password is no attack, a quote in it may be.
 */
const FREE_FORM_WEIGHT: f64 = 0.5;

/** An unknown field's value is judged against all values: a trigram is rare below 1 in 10^GLOBAL_RARE_DECADES of them. */
export const GLOBAL_RARE_DECADES: f64 = 3;
const GLOBAL_RARE_SHARE: f64 = 0.001; // 10^-GLOBAL_RARE_DECADES
/**
 * A field is an enumeration when it held at least ENUM_MIN_VALUES values of a token's make (plain,
 * a name: a letter in it and no number of two digits or more; up to VALUE_LIMIT bytes, not free
 * text), at least half of its values, each of
 * its distinct values ENUM_RATIO times or more on the average; a value it never held then counts
 * NEW_VALUE_DECADES (alone, a very unusual message).
 */
const ENUM_MIN_VALUES: u32 = 20;
const ENUM_RATIO: f64 = 10;
const VALUE_LIMIT: i32 = 64;
export const NEW_VALUE_DECADES: f64 = 4;
/**
 * A field never seen is evidence too, weighed by how stable the log's set of fields was in
 * training: the share of values that came in a field new at the time is at most distinct fields ÷
 * values, counted over FIELD_BUCKETS buckets of field hashes (linear counting, which merges
 * exactly); a new field counts as a trigram that rare would, log10(values ÷ fields) - RARE_DECADES.
 */
const FIELD_BUCKETS: u32 = 1024;
/** A value of LENGTH_FLOOR bytes or more, longer than its field's longest (by powers of two), counts: lengthEvidence. */
const LENGTH_FLOOR: i32 = 16;

/** The field every value is also counted in, for the back-off. */
const GLOBAL_FIELD: u32 = 0x3c6ef372;

/**
 * A message is covered when at least half of its fields are known to the model, or its first
 * PREFIX_FIELDS are (the log's own prefix: a line of this log, of a kind training never saw).
 */
const PREFIX_FIELDS: i32 = 4;
const COVERED_SHARE_NUMERATOR: i32 = 1;
const COVERED_SHARE_DENOMINATOR: i32 = 2;

// The sketch: BLOCKS blocks of 16 u32 counters (64 bytes, one cache line); an item's two counters
// lie in one block, 1 to 8 apart, so a lookup touches one line of memory. Shapes and trigrams are
// counted in the first half, whole values (their hashes, buckets and lengths) in the second, so
// the many values of a busy log cannot crowd out the shapes.
const BLOCK_BITS: i32 = 13;
/** The sketch's counters, as the model saves them and the pack carries them. */
export const SKETCH_COUNTERS: i32 = MODEL_SKETCH_COUNTERS;
export const SKETCH_BYTES: i32 = SKETCH_COUNTERS * 4;
const sketch = memory.data(SKETCH_BYTES, 64);
// The layout's numbers must agree with the sketch's shape.
assert(MODEL_SKETCH_BLOCKS == 2 << BLOCK_BITS && MODEL_SKETCH_COUNTERS == MODEL_SKETCH_BLOCKS * 16);
const valueSketch = sketch + (<usize>1 << (BLOCK_BITS + 6));

// Fields named by the token before them: a word of up to WORD_LIMIT letters (and a trailing ':')
// by its lowercased letters, any other token by its shape and the last word, key or quoted value
// before it (readFields' anchor; ANCHOR_SEED's before the first, REQUEST_LINE_END's after a request
// line); seeded apart from named fields' keys.
const AFTER_SEED: u32 = 0x9e3779b1;
const WORD_LIMIT: i32 = 24;
const FIRST_TOKEN: u32 = 0x85ebca6b; // the token before the first
const ANCHOR_SEED: u32 = 0xc2b2ae35;
const REQUEST_LINE_END: u32 = 0x27d4eb2d;
// A field's whole shapes are counted as items of a field of their own; so are its values' hashes,
// their 16 buckets and their lengths, in the value half.
const WHOLE_SHAPE_SEED: u32 = 0x27d4eb2f;
const VALUE_SEED: u32 = 0x165667b1;
const BUCKET_SEED: u32 = 0xd3a2646c;
const LENGTH_SEED: u32 = 0xfd7046c5;
// All the log's lengths are counted three times, under these seeds as well (lengthsIn).
const LOG_LENGTH_SEED_2: u32 = 0x3c6ef35f;
const LOG_LENGTH_SEED_3: u32 = 0xa54ff53a;
const FIELDS_SEED: u32 = 0x5bd1e995;
const SHAPES_SEED: u32 = 0x68e31da4;
// The values after two words ("password for") are counted also as a field of the pair.
const PAIR_SEED: u32 = 0x2545f491;
const SUBJECT_SEED: u32 = 0x4cf5ad43;
// A syslog program's field of process ids (its 16 buckets only: the ids themselves are not kept).
const PROCESS_SEED: u32 = 0x6a09e667;
// The field after a syslog tag, named by its program: the first words of the program's messages.
const TAG_SEED: u32 = 0xbb67ae85;
/** The tag is looked for among the tokens that start within a record's first PROCESS_SCAN bytes (its time and host come first). */
const PROCESS_SCAN: usize = 96;

// Shape symbols. Bytes below 0x20 share one symbol; 0x01 and 0x02 mark a value's start and end.
const START: u32 = 0x01;
const END: u32 = 0x02;
const CONTROL: u32 = 0x1f;
const LETTER: u32 = 0x61; // 'a': an ASCII letter, or any byte of a character beyond ASCII
const DIGIT: u32 = 0x30; // '0'
const APOSTROPHE: u32 = 0x27;
const QUOTE: u32 = 0x22;
const BACKSLASH: u32 = 0x5c;
const COLON: u32 = 0x3a;
const SEMICOLON: u32 = 0x3b;
// A whole shape keeps a run of letters up to WHOLE_SHAPE_LETTERS symbols: values whose shapes are
// equal so have the same trigrams, however long their words.
const WHOLE_SHAPE_LETTERS: i32 = 3;
if (WHOLE_SHAPE_LETTERS != 3) ERROR("readToken hashes a run's letters into the shape unrolled for 3");

// Two tables of 256 bytes. shapes: a decoded byte's shape symbol. kinds: what a raw byte of a
// message is, one lookup per byte: SPLIT ends a token, PERCENT starts an escape, '+' is a space's
// shape, any other byte its shape symbol.
const shapes = memory.data(256);
const kinds = memory.data(256);
// marks: what a punctuation byte says of the token it is in, MARK_ bits or'd together as it is read.
const marks = memory.data(256);
const MARK_COLON: u32 = 1;
const MARK_KEY: u32 = 2; // punctuation a key holds (_ . - [ ]): asked while a token may be a key (a token's seen carries it, unasked)
const MARK_NOT_HEX_ID: u32 = 4; // a byte no hex id holds (all but ':' and '-')
const MARK_NOT_ADDRESS: u32 = 8; // a byte no IPv6 address holds (all but ':' and '.')
const MARK_SPACE: u32 = 16; // a space (in a quoted value, or escaped) or \t \n \v \f \r: the sentiment's words end there
const MARK_READ_AS_TEXT: u32 = 32; // set by readToken where punctuation reads as a letter or escapes one (%41, an apostrophe in a word): the token is no plain run
const MARK_SYNTAX: u32 = 64; // a byte mayHoldSyntax looks at (syntax.ts isSyntaxByte): without one, or a MARK_READ_AS_TEXT, a value holds no attack syntax
const MARK_PLAIN: u32 = 128; // punctuation read as one symbol of the shape, no more: no split, '=', '%', '\\' or apostrophe (a token's seen carries it, unasked)
const SPLIT: u32 = 0x00;
const PERCENT: u32 = 0x03;
function prepareTables(): void {
  for (let b: u32 = 0; b < 256; b++) {
    let s = b;
    if (b < 0x20) s = CONTROL;
    else if (((b | 0x20) >= 0x61 && (b | 0x20) <= 0x7a) || b >= 0x80) s = LETTER;
    else if (b >= 0x30 && b <= 0x39) s = DIGIT;
    store<u8>(shapes + b, <u8>s);
    let k = s;
    if (b == 0x20 || b == 0x09 || b == QUOTE || b == 0x3f || b == 0x26) k = SPLIT; // space tab " ? &
    else if (b == 0x25) k = PERCENT;
    else if (b == 0x2b) k = 0x20; // '+'
    store<u8>(kinds + b, <u8>k);
    let m: u32 = 0;
    if (s != LETTER && s != DIGIT) {
      if (b == COLON) m |= MARK_COLON;
      else if (b != 0x2d) m |= MARK_NOT_HEX_ID;
      if (b != COLON && b != 0x2e) m |= MARK_NOT_ADDRESS;
      if (asciiClassOf(b) & ASCII_SPACE) m |= MARK_SPACE;
      if (isSyntaxByte(b)) m |= MARK_SYNTAX;
      if (k != SPLIT && k != PERCENT && b != 0x3d && b != BACKSLASH && b != APOSTROPHE) m |= MARK_PLAIN;
      if (b == 0x5f || b == 0x2e || b == 0x2d || b == 0x5b || b == 0x5d) m |= MARK_KEY;
    }
    store<u8>(marks + b, <u8>m);
  }
}
prepareTables();

function dottedQuadShape(): u32 {
  let h = fnv1aStep(FNV_OFFSET, DIGIT);
  for (let i = 0; i < 3; i++) h = fnv1aStep(fnv1aStep(h, 0x2e), DIGIT);
  return h;
}
/** The whole shape of an IPv4 address (digits.digits.digits.digits), which readToken types. */
const ipv4Shape: u32 = dottedQuadShape();

// The tables' addresses are the loads' constant offsets: one operation a lookup, not two.
// @ts-ignore: decorator
@inline function kindOf(b: u32): u32 {
  return <u32>load<u8>(<usize>b, kinds);
}

// @ts-ignore: decorator
@inline function shapeOf(b: u32): u32 {
  return <u32>load<u8>(<usize>b, shapes);
}

// @ts-ignore: decorator
@inline function markOf(b: u32): u32 {
  return <u32>load<u8>(<usize>b, marks);
}

// ---------------------------------------------------------------------------------------------
// The sketch.

/** The hash of an item of a field (a trigram; 0 for the field's own value count), which places its two counters: in one block of 16, two slots apart by 1 to 8. */
// @ts-ignore: decorator
@inline function itemHash(field: u32, item: u32): u64 {
  return ((<u64>field << 24) | <u64>item) * 0x9e3779b97f4a7c15;
}

// @ts-ignore: decorator
@inline function firstCounter(half: usize, h: u64): usize {
  return half + (<usize>(h >> (64 - BLOCK_BITS)) << 6) + (<usize>(<u32>(h >> 40) & 15) << 2);
}

// @ts-ignore: decorator
@inline function secondCounter(half: usize, h: u64): usize {
  const first = <u32>(h >> 40) & 15;
  return half + (<usize>(h >> (64 - BLOCK_BITS)) << 6) + (<usize>((first + 1 + (<u32>(h >> 36) & 7)) & 15) << 2);
}

/** The count of an item of a field, in a half of the sketch (the value half's items < 2^24): the smaller of its two counters. */
// @ts-ignore: decorator
@inline function countIn(half: usize, field: u32, item: u32): u32 {
  const h = itemHash(field, item);
  const a = load<u32>(firstCounter(half, h));
  const b = load<u32>(secondCounter(half, h));
  return a < b ? a : b;
}

/** Counts an item of a field once more, in a half of the sketch (each counter stops at its largest). */
// @ts-ignore: decorator
@inline function bumpIn(half: usize, field: u32, item: u32): void {
  const h = itemHash(field, item);
  const first = firstCounter(half, h);
  const second = secondCounter(half, h);
  const a = load<u32>(first);
  const b = load<u32>(second);
  if (a != 0xffffffff) store<u32>(first, a + 1);
  if (b != 0xffffffff) store<u32>(second, b + 1);
}

/** What is worked out from the sketch and kept until it changes. */
class Worked {
  /** The sketch has changed since: forget what follows. */
  stale: bool = true;
  /** What a field never seen adds, in decades; -1 until asked. */
  newField: f64 = -1;
  /** The power of two of the longest value of all; -1 until asked. */
  longestBucket: i32 = -1;
  /** Whether training's records came at every time of day (1), not (0); -1 until asked. */
  allDay: i32 = -1;
}
const worked = new Worked();

export function resetFields(): void {
  memory.fill(sketch, 0, SKETCH_BYTES);
  worked.stale = true;
}

// ---------------------------------------------------------------------------------------------
// Reading a message's fields.

const LEARN: i32 = 0;
const SCORE: i32 = 1;
const EXPLAIN: i32 = 2;
// What the message is read for: a global, as gram() asks it for every trigram.
let task: i32 = SCORE;

// The field whose trigrams are read (its own, or the global one it backs off to): its hash, how
// many values training saw in it, below what count one of its trigrams is rare, and the decades
// that rarity starts at (set by judgeRareValues, and in training by learnField); whether the value
// is free text, and what its trigrams weigh. Globals, as gram() reads them for every trigram and
// a struct's field costs an interpreter a load more.
let field: u32 = 0;
let fieldValues: u32 = 0;
let rareBelow: f64 = 0;
let rareDecades: f64 = RARE_DECADES;
let freeText = false;
let gramWeight: f64 = 1;
/** How many values training saw in all (the global field's), looked up once a message. */
let globalValues: u32 = 0;

/** What reading a message found, in a struct its caller owns: its coverage, the attack syntax in it, and its reason. */
export class FieldReading {
  /** Decades of rarity summed. */
  decades: f64 = 0;
  /** Its fields that count towards its coverage, and how many of them the model knows, shaped as it knows them. */
  countedFields: i32 = 0;
  knownFields: i32 = 0;
  /** How many of its first fields are known, shaped as the model knows them, up to the first that is not. */
  knownPrefix: i32 = 0;
  /** The attack syntax found in its rare values (syntax.ts SYNTAX_ bits). */
  syntax: u32 = 0;
  // The value that added most to its surprise, for the record's reason: its field's name in the
  // message, how the field is named (FIELD_), the attack syntax it held (SYNTAX_ bits), the kind of
  // evidence (EVIDENCE_: its shape in its field or in the log, attack syntax, a new value, its
  // length, a new field).
  reasonNameStart: usize = 0;
  reasonNameEnd: usize = 0;
  reasonKind: u32 = 0;
  reasonSubjectStart: usize = 0; // the subject a FIELD_OF_SUBJECT is of
  reasonSubjectEnd: usize = 0;
  reasonSyntax: u32 = 0;
  reasonEvidence: u32 = 0;
  /** Whether some value is news for what it is (never held there, at that hour or from that network; far longer; attack syntax), not for its shape or its field. */
  valueNews: bool = false;
  /** Where its first JSON member's key opens (its quote), 0 when it has none: the sentiment reads the string values from there (sentiment/text.ts). */
  jsonFrom: usize = 0;
  /** Its syslog process (processBracket: sshd[2459]) as a hash where its program runs a process a session, else 0. */
  process: u32 = 0;
  /**
   * Its syslog tag (sshd[2459], or sudo where the tag has no process id, found by headerKey), else
   * tagStart <= headerStart; its header (time and host) is what precedes it.
   */
  headerStart: usize = 0;
  recordEnd: usize = 0;
  tagStart: usize = 0;
  tagEnd: usize = 0;
  tagHasId: bool = false;
  /** Its subject (the name before its first key: sudo's user) as a hash, else 0. */
  subject: u32 = 0;
  /** Whether its text before a JSON object's first key (all of it where it has none) may hold a word of the sentiment's lexicon (base/words.ts). */
  words: bool = false;

  /**
   * Its header's key (secondKey), 0 where it has none: its time to the second and its host, and
   * its program where its tag has no process id (sudo: a second of sudo's takes only sudo's lines,
   * where the kernel's boot writes many a second). Asked only around an alarm, so the tag without
   * an id is looked for here, not in every record.
   */
  headerKey(): u32 {
    if (this.tagHasId) return this.tagStart > this.headerStart ? secondKey(this.headerStart, this.tagStart) : 0;
    if (this.tagEnd <= this.tagStart) {
      const colon = tagWithoutId(this.headerStart, this.recordEnd);
      if (colon == 0) return 0;
      this.tagEnd = colon;
      this.tagStart = colon;
      while (load<u8>(this.tagStart - 1) != 0x20) this.tagStart--;
    }
    return secondKey(this.headerStart, this.tagEnd + 1);
  }

  /** Whether the model knows at least half of the message's fields, shaped as it knows them, or its prefix: a log it was trained on. */
  covered(): bool {
    return this.knownFields * COVERED_SHARE_DENOMINATOR >= this.countedFields * COVERED_SHARE_NUMERATOR || this.knownPrefix >= PREFIX_FIELDS;
  }
}

/** Training judges nothing: readFields counts into this reading, which nobody reads. */
const training = new FieldReading();

/** Trains the field model on one message. */
export function learnFields(start: usize, end: usize): void {
  task = LEARN;
  worked.stale = true;
  readFields(start, end, training);
}

/** Decades of rarity at which a message is very unusual: its surprise is then 0.5. */
export const VERY_UNUSUAL_DECADES: f64 = 4;
/** Decades past which more rare trigrams are not summed (surprise 0.8): a line that far from training needs no more reading. */
const SATURATED_DECADES: f64 = 16;

/** Field surprise in [0, 1) from decades of rarity: 0.5 at VERY_UNUSUAL_DECADES, approaching 1 beyond. */
// @ts-ignore: decorator
@inline export function surpriseOfDecades(decades: f64): f64 {
  return decades / (decades + VERY_UNUSUAL_DECADES);
}

/** The field surprise of a message, in [0, 1), with what the reading found in `reading`. */
export function fieldSurprise(start: usize, end: usize, reading: FieldReading): f64 {
  task = SCORE;
  readFields(start, end, reading);
  return surpriseOfDecades(reading.decades);
}

/** A token as readToken read it, in a struct its caller owns. */
@unmanaged class Token {
  /** Where its value starts and ends. */
  valueStart: usize = 0;
  valueEnd: usize = 0;
  /** Whether it is key=value, the key's hash, and where the key ends (its '='; set only when named). */
  named: bool = false;
  keyHash: u32 = 0;
  keyEnd: usize = 0;
  /** Its value's whole shape and type (TOKEN_). */
  wholeShape: u32 = 0;
  valueType: u32 = TOKEN_PLAIN;
  /** Whether the value is free text: quoted, with FREE_TEXT_SPACES spaces or more (a user agent, a logfmt msg). */
  freeText: bool = false;
  /**
   * Whether the value is no name an enumeration holds: it holds a number of two digits or more (a
   * count, a time, an id; tienda1 and python3 are names), or no letter at all (a number, a dash).
   */
  nameless: bool = false;
  /** The key it gives the field after it, and whether that key is a word. */
  nextKey: u32 = 0;
  nextKeyIsWord: bool = false;
  /** Whether it may hold a word of the sentiment's lexicon (base/words.ts); false where it was not asked. */
  words: bool = false;
  /** The MARK_ bits its value's bytes set (its punctuation's, MARK_READ_AS_TEXT): asked only of a token that needs them (mayBeUrl, holdsSyntaxBytes). */
  seen: u32 = 0;
}

/** Whether a token's value may be a URL, where a key names it (key=value, a JSON member): opening with a letter and holding a ':'. */
// @ts-ignore: decorator
@inline function mayBeUrl(token: Token): bool {
  const valueStart = token.valueStart;
  return (token.seen & MARK_COLON) != 0 && valueStart < token.valueEnd && (shapeOf(<u32>load<u8>(valueStart)) == LETTER || load<u8>(valueStart) == 0x25);
}

/** Whether a token's value may hold attack syntax: a byte mayHoldSyntax looks at, or one read as text (a '%', an escape). */
// @ts-ignore: decorator
@inline function holdsSyntaxBytes(token: Token): bool {
  return (token.seen & (MARK_SYNTAX | MARK_READ_AS_TEXT)) != 0;
}
/**
 * readFields' token, reused: no allocation per record. In static memory, so its address is a
 * constant each field's load and store carry, not a global read first.
 */
const token = changetype<Token>(memory.data(offsetof<Token>(), 8));

function readFields(start: usize, end: usize, reading: FieldReading): void {
  let countedFields = 0;
  let knownFields = 0;
  let knownPrefix = 0;
  let rareValues = 0;
  const learning = task == LEARN; // asked for every token: a local, as a global costs an interpreter an operation each time
  if (!learning) {
    globalValues = countIn(sketch, GLOBAL_FIELD, 0);
    if (worked.stale) refreshEnumerations();
  }
  let previous = FIRST_TOKEN;
  let anchor = fnv1aStep(FIRST_TOKEN, ANCHOR_SEED); // the last word, key or quoted value's name (see previous)
  let afterShape = false; // whether the token before was no word, and its shape (its nextKey)
  let previousShape: u32 = 0;
  let anchorStart: usize = 0; // where the anchor starts where it is a word (explain names it), else 0
  let previousStart = start;
  let previousEnd = start;
  let previousRare = false;
  // What the token before says of the field it names. A key, a quoted value or a syslog tag, or a
  // template's word (in a constant field: "for" after "password"), names a field as a user would
  // (the user after "for"), not a place (the host after a time): the token finder asks for one. A variable
  // word (a user: in a known field of several values) names a field that is new whenever it is:
  // no evidence that the field is new. Asked of the sketch only when it matters.
  let previousKeyed = false;
  let previousWordIn: u32 = 0; // the known field the word before was in, else 0
  let previousWordValues: u32 = 0; // and its values
  // When the two tokens before were words: the first one's key (else 0), and where it starts.
  let previousIsWord = false;
  let wordBefore: u32 = 0;
  let pairStart = start;
  let inRequestLine = false;
  // The record's subject (isName), found at its first key: its hash, 0 where it has none, and where it stands.
  let subjectStart: usize = 0;
  let subjectEnd: usize = 0;
  let subject: u32 = 0;
  let keysBegun = false;
  // The record's syslog process (processBracket): its program's field and its id's hash (0: none);
  // its tag is looked for in tokens that start before processScanEnd (0 once found, or once it cannot be).
  let program: u32 = 0;
  let processId: u32 = 0;
  let processHost: u32 = 0;
  let tagStart: usize = 0;
  let tagEnd: usize = 0;
  // A JSON member's key ("user": ...), which names the value after it as key=value does (0: none),
  // and whether the message has had one: its ',' '{' '}' '[' ']' then separate values.
  let jsonKeyStart: usize = 0;
  let jsonKeyEnd: usize = 0;
  let jsonFrom: usize = 0;
  let inJson = start < end && load<u8>(start) == 0x7b; // a JSON object: its '{' is no value
  const startsJson = inJson;
  // Whether its text before a JSON object's first key may hold a word of the sentiment's lexicon
  // (base/words.ts): asked of each token until one may; not in training. The object's values are
  // asked by the scorer, over the sentiment's text (sentiment/text.ts), which reads them its own way.
  let words = learning;
  let processScanEnd: usize = inJson ? 0 : start + PROCESS_SCAN;
  // The record's hour: read at once in training; in scoring only where a value asks (-2: not yet).
  let hour = learning ? hourOf(start, end) : -2;
  if (learning && hour >= 0) bumpIn(valueSketch, HOUR_SEED, <u32>hour);
  let p = start;
  while (p < end) {
    if (inJson) {
      while (p < end && isJsonStructure(<u32>load<u8>(p))) {
        // A key whose value is an object or an array names nothing: their members have keys of their own.
        if (load<u8>(p) != 0x20) jsonKeyEnd = 0;
        p++;
      }
    }
    // A quoted string is one value (a referer, a user agent, a JSON string), but for a request
    // line, whose method, path, parameters and protocol are fields of their own.
    let quote = false;
    while (p < end) {
      const b = <u32>load<u8>(p);
      if (kindOf(b) != SPLIT) break;
      p++;
      if (b < QUOTE) continue; // a space or tab
      // '?' and '&' (above '"') end a token here, not the sentiment's word.
      if (b > QUOTE) {
        if (!words && !inJson) words = mayJoinWord(p - 1, start, end);
        continue;
      }
      if (inRequestLine) {
        // Its closing quote: the field after it is after its protocol's shape and the line, not
        // after the line's last parameter or word (the status after "HTTP/1.1", whatever was asked).
        inRequestLine = false;
        anchor = REQUEST_LINE_END;
        anchorStart = 0;
        if (afterShape) previous = fnv1aStep(anchor, previousShape);
      }
      else if (p < end && isRequestLine(p, end)) inRequestLine = true;
      else {
        quote = true;
        break;
      }
    }
    if (p >= end && !quote) break;
    let tokenStart = p;
    if (inJson || quote) {
      // A JSON member's number, true, false or null ends at the ',' or '}' after it.
      p = readToken(p, jsonKeyEnd != 0 && !quote ? jsonScalarEnd(p, end) : end, quote, !words && !inJson, token);
      if (token.words) words = true;
      if (quote && p < end && load<u8>(p) == COLON && load<u8>(p - 1) == QUOTE) {
        jsonKeyStart = token.valueStart;
        jsonKeyEnd = token.valueEnd;
        if (jsonFrom == 0) jsonFrom = tokenStart - 1;
        inJson = true;
        processScanEnd = 0;
        p++;
        continue;
      }
      if (jsonKeyEnd != 0) {
        token.named = true;
        token.keyHash = fnv1a(jsonKeyStart, <i32>(jsonKeyEnd - jsonKeyStart));
        token.keyEnd = jsonKeyEnd;
        tokenStart = jsonKeyStart;
        jsonKeyEnd = 0;
      }
    } else {
      p = readToken(p, end, false, !words, token);
      if (token.words) words = true;
    }
    // Read more than once a token: into locals, as each field read costs an interpreter a load.
    const named = token.named;
    const valueStart = token.valueStart;
    const valueEnd = token.valueEnd;
    const wholeShape = token.wholeShape;
    const valueType = token.valueType;
    const kind = named ? FIELD_NAMED : previousStart == previousEnd ? FIELD_FIRST : FIELD_AFTER;
    const name = named ? token.keyHash : fnv1aStep(previous, AFTER_SEED);
    let own = name; // scoring may back off to another field; the next token's is after this one's name
    if (named && !keysBegun) {
      keysBegun = true;
      processScanEnd = 0;
      if (!previousKeyed && !inRequestLine && previousEnd > previousStart) {
        subjectStart = previousStart;
        subjectEnd = previousEnd;
        if (subjectEnd - subjectStart == 1 && (load<u8>(subjectStart) == COLON || load<u8>(subjectStart) == SEMICOLON)) {
          // sudo's "dave : TTY=": a lone ':' or ';' before the keys is no subject; the token before it is.
          subjectEnd = subjectStart;
          while (subjectEnd > start && kindOf(<u32>load<u8>(subjectEnd - 1)) == SPLIT) subjectEnd--;
          subjectStart = subjectEnd;
          while (subjectStart > start && kindOf(<u32>load<u8>(subjectStart - 1)) != SPLIT) subjectStart--;
        }
        if (isName(subjectStart, subjectEnd)) subject = fnv1a(subjectStart, <i32>(subjectEnd - subjectStart)) ^ SUBJECT_SEED;
      }
    }
    // Scoring: the field its value is judged in (its own, or all values where the model does not
    // know it) and how many values that had. Locals, as each is asked a few times a token.
    let values: u32 = 0;
    let judged = own;
    if (learning) {
      learnField(own);
      if (afterShape && !named) learnBackOff(fnv1aStep(previousShape, AFTER_SEED), token);
      bumpIn(sketch, GLOBAL_FIELD ^ WHOLE_SHAPE_SEED, wholeShape);
      const value = learnIn(own, token);
      if (named && subject != 0) {
        const ofSubject = subjectsField(subject, name);
        bumpIn(sketch, ofSubject, 0);
        if (value != 0) countValue(ofSubject, subjectValue(token.valueStart, token.valueEnd));
      }
      const pair = wordBefore != 0 ? pairOf(wordBefore, previous) : 0;
      if (pair != 0) {
        bumpIn(sketch, pair, 0);
        if (value != 0) {
          countValue(pair, value);
          if (hour >= 0) bumpIn(valueSketch, pair ^ HOUR_SEED, atHour(value, hour));
        }
      }
      if (valueType == TOKEN_ADDRESS && pair != 0) countInField(pair ^ NETWORK_SEED, networkOf(valueStart, valueEnd));
      if (named && !token.freeText && mayBeUrl(token)) {
        const scheme = schemeOf(valueStart, valueEnd);
        if (scheme != 0) countInField(own ^ SCHEME_SEED, scheme);
      }
    } else {
      // The field after a token of a rare shape is new for the same reason: it does not count.
      const counts = kind != FIELD_AFTER || !previousRare;
      // Where it is judged and whether its whole shape is rare there (judgeShape), as kept.
      const backOff = afterShape && !named;
      const backOffField = backOff ? fnv1aStep(previousShape, AFTER_SEED) : 0;
      const shapeKey = wholeShape | (backOff ? JUDGED_BACK_OFF | JUDGED_KEY : JUDGED_KEY);
      const slot = judgedSlot(own, shapeKey, backOffField);
      let judgement = load<u32>(slot, 16);
      if (((load<u32>(slot) ^ own) | (load<u32>(slot, 4) ^ shapeKey) | (load<u32>(slot, 8) ^ backOffField)) != 0) {
        judgement = judgeShape(own, shapeKey, backOffField, slot);
      }
      if ((judgement & JUDGED_BACKED_OFF) != 0) own = backOffField;
      const ownValues = load<u32>(slot, 12);
      const fieldKnown = (judgement & JUDGED_KNOWN) != 0;
      judged = fieldKnown ? own : GLOBAL_FIELD;
      values = fieldKnown ? ownValues : globalValues;
      previousRare = false;
      let rareValue = (judgement & JUDGED_RARE) != 0;
      if (counts) {
        if (fieldKnown && !rareValue) {
          knownFields++;
          if (knownPrefix == countedFields) knownPrefix++; // every field so far known
        }
        countedFields++;
      }
      let evidence: u32 = rareValue ? RARE_SHAPE : 0;
      let lengthDecades: f64 = 0;
      const length = <i32>(valueEnd - valueStart);
      let plainToken = false;
      if (valueType == TOKEN_PLAIN) {
        if (length >= LENGTH_FLOOR) lengthDecades = lengthEvidence(judged, valueStart, valueEnd);
        plainToken = isToken(token, length);
      }
      let pairNew = false;
      let heldValues = ownValues; // the values of the field that never held it, for explain
      if (valueType == TOKEN_ADDRESS) {
        // An address from a network its field never held, or the field of the two words before it
        // (who logs in from where); after a token rare where it stands too ("root from", where root
        // logs in only by a cron job and the token after root is "by"), as its field is known; or,
        // wherever it stands, from a network the whole log never held, where all its addresses came
        // from a few networks (a bastion's users: "Connection closed by authenticating user root" of
        // a password guesser, whose address follows a user's name).
        const network = networkOf(valueStart, valueEnd);
        const ownNetworks = own ^ NETWORK_SEED;
        if (fieldKnown && neverHeld(ownNetworks, network, KIND_CLOSED)) {
          evidence |= RARE_NEW | RARE_NETWORK;
          heldValues = countIn(sketch, ownNetworks, 0);
        } else if (wordBefore != 0 && neverHeld(pairOf(wordBefore, previous) ^ NETWORK_SEED, network, KIND_CLOSED)) {
          evidence |= RARE_NEW | RARE_NETWORK;
          pairNew = true;
          heldValues = countIn(sketch, pairOf(wordBefore, previous) ^ NETWORK_SEED, 0); // again only where it is news
        } else if (neverHeld(LOG_NETWORKS, network, KIND_CLOSED)) {
          evidence |= RARE_NEW | RARE_NETWORK | RARE_IN_LOG;
          heldValues = countIn(sketch, LOG_NETWORKS, 0);
        }
      }
      if (counts && plainToken) {
        // The token finder, in the value's field where a name gives it one, and in the field of
        // the two words before it (which holds the values that follow them: who logs in by password).
        // Not in a back-off: the field after any tag is no program's (a program first seen says "notify").
        const afterName = fieldKnown && own == name && namesField(named, kind, previousKeyed, previousWordIn, previousWordValues);
        const ownEnumeration = afterName && (kindOfField(own, ownValues) & KIND_ENUMERATION) != 0;
        const pair = wordBefore != 0 ? pairOf(wordBefore, previous) : 0;
        // A pair that one value always follows is a template's words ("User alice logged in"), not a set of values.
        const pairEnumeration = pair != 0 && (kindOfPair(pair) & (KIND_ENUMERATION | KIND_CONSTANT)) == KIND_ENUMERATION;
        if (ownEnumeration || pairEnumeration) {
          const value = fnv1a(valueStart, length) & 0xffffff;
          if (ownEnumeration && countIn(valueSketch, own ^ VALUE_SEED, value) == 0) evidence |= RARE_NEW;
          else if (pairEnumeration) {
            const held = countIn(valueSketch, pair ^ VALUE_SEED, value);
            if (held == 0) {
              evidence |= RARE_NEW;
              pairNew = true;
              heldValues = countIn(sketch, pair, 0);
            } else if (held >= HOUR_MIN_VALUES && allDay()) {
              // A value seen often, never at this time of day.
              if (hour == -2) hour = hourOf(start, end);
              if (hour >= 0 && neverNear(pair ^ HOUR_SEED, value, hour)) {
                evidence |= RARE_NEW | RARE_HOUR;
                pairNew = true;
                heldValues = held;
              }
            }
          }
        }
        // A value the key's field after the record's subject never held, where that holds a few (a
        // shell from a user who never ran one, though others do).
        if (named && subject != 0 && (evidence & RARE_NEW) == 0) {
          const ofSubject = subjectsField(subject, name);
          if ((kindOfPair(ofSubject) & KIND_ENUMERATION) != 0 && countIn(valueSketch, ofSubject ^ VALUE_SEED, subjectValue(valueStart, valueEnd)) == 0) {
            evidence |= RARE_NEW | RARE_OF_SUBJECT;
            heldValues = countIn(sketch, ofSubject, 0);
          }
        }
      }
      if (lengthDecades > 0) evidence |= RARE_LONG;
      if (counts && ownValues == 0 && (previousWordIn == 0 || (kindOfField(previousWordIn, previousWordValues) & KIND_CONSTANT) != 0)) evidence |= RARE_NEW_FIELD;
      if (rareValue) previousRare = true;
      // A URL whose scheme its field never held (file:, gopher: where webhooks are https:).
      if (named && counts && fieldKnown && !token.freeText && (evidence & RARE_NEW) == 0 && rareValues < RARE_CAPACITY && mayBeUrl(token)) {
        const scheme = schemeOf(valueStart, valueEnd);
        const schemes = own ^ SCHEME_SEED;
        if (scheme != 0 && neverHeld(schemes, scheme)) {
          const held = countIn(sketch, schemes, 0);
          noteRare(rareValues, valueStart, valueEnd, schemes, held, held, TOKEN_PLAIN | RARE_NEW, 0, named ? tokenStart : previousStart, named ? token.keyEnd : previousEnd, FIELD_SCHEME);
          rareValues++;
        }
      }
      // A path its field never held (a field of a few pages) is new already: its names would say so twice.
      if (counts && fieldKnown && !token.freeText && (evidence & RARE_NEW) == 0 && rareValues < RARE_CAPACITY && isPath(valueStart, valueEnd)) rareValues = readPath(valueStart, valueEnd, own, rareValues);
      if (evidence != 0) {
        if (rareValues < RARE_CAPACITY) {
          // After a number, the field is named from the word it is anchored on ("after port 22"),
          // unless it backed off to the number's shape alone ("after 22").
          const nameStart = named ? tokenStart : pairNew ? pairStart : afterShape && own == name && anchorStart != 0 ? anchorStart : previousStart;
          const nameEnd = named ? token.keyEnd : previousEnd;
          const flags = valueType | (token.freeText ? RARE_FREE_TEXT : 0) | (mayBeUrl(token) ? RARE_MAY_BE_URL : 0) | (holdsSyntaxBytes(token) ? RARE_SYNTAX_BYTES : 0) | evidence;
          // A quoted value before it (its closing quote ends the name) is no name a user would give.
          // Named after its subject where the subject's field never held it (its value is new there, not in the key's).
          const ofSubject = (evidence & RARE_OF_SUBJECT) != 0;
          const shownKind = ofSubject ? FIELD_OF_SUBJECT : kind == FIELD_AFTER && load<u8>(nameEnd - 1) == QUOTE ? FIELD_AFTER_QUOTED : kind;
          noteRare(rareValues, valueStart, valueEnd, judged, values, heldValues, flags, lengthDecades, nameStart, nameEnd, shownKind, ofSubject ? subjectStart : 0, ofSubject ? subjectEnd : 0);
          rareValues++;
        }
      }
    }
    let keyed = named || quote;
    const isWord = !keyed && token.nextKeyIsWord;
    let nextNameEnd = named ? token.keyEnd : p; // where the name this token gives the next field ends
    wordBefore = previousIsWord && isWord ? previous : 0;
    pairStart = previousStart;
    previousIsWord = isWord;
    // The next token's field, if it is not key=value: after this field's key (a quoted value's
    // field, which does not change with what it holds), or after this token. A token that is no
    // word (a number, an address) names it by its shape and by the last word, key or quoted value
    // before it ("port 22 [preauth]": after a number after "port"), not by its shape alone, which
    // made one field of everything after any number in the log; where that field has too few
    // values to judge, it backs off to the shape alone (previousShape).
    afterShape = !keyed && !isWord;
    if (keyed) {
      previous = anchor = name;
      anchorStart = 0;
    } else if (isWord) {
      previous = anchor = token.nextKey;
      anchorStart = tokenStart;
    } else {
      previousShape = token.nextKey;
      previous = fnv1aStep(anchor, previousShape);
      // A syslog tag is no word (its id's digits), ends with ':' as few tokens do, and stands among the first.
      if (tokenStart < processScanEnd && load<u8>(p - 1) == COLON) {
        const bracket = processBracket(tokenStart, p);
        if (bracket != 0) {
          processScanEnd = 0;
          tagStart = tokenStart;
          tagEnd = p - 1;
          program = fnv1a(tokenStart, <i32>(bracket - tokenStart)) ^ PROCESS_SEED;
          processId = fnv1a(bracket + 1, <i32>(tagEnd - 1 - (bracket + 1)));
          // On a log of many hosts, a process is the host's: the token before the tag, unless that is the time.
          if (previousEnd > previousStart && !holdsTime(previousStart, previousEnd)) processHost = fnv1a(previousStart, <i32>(previousEnd - previousStart));
          // The program names the next field as a key would, whatever its id: its messages' first
          // words, a few (sshd's Accepted, Failed, Received), where a new one is news (error:). A
          // program seen too seldom backs off to the field after any tag (afterShape), as before.
          previous = anchor = program ^ TAG_SEED;
          anchorStart = tokenStart;
          keyed = true;
          nextNameEnd = bracket;
        }
      }
    }
    previousKeyed = keyed;
    previousWordIn = isWord && !learning && judged == own ? own : 0;
    previousWordValues = values;
    previousStart = tokenStart;
    previousEnd = nextNameEnd;
  }
  let process: u32 = 0;
  if (program != 0) {
    if (learning) {
      bumpIn(sketch, program, 0);
      bumpIn(valueSketch, program ^ BUCKET_SEED, processId >> 28);
    } else if ((kindOfPair(program) & (KIND_MANY | KIND_ENUMERATION)) == KIND_MANY) {
      // A program training saw under many process ids, each for a few lines: one a session. Many,
      // not merely no enumeration: a daemon's one id reads as a few where the sketch collides.
      process = fnv1aStep(program ^ processHost, processId) | 1;
    }
  }
  reading.process = process;
  reading.headerStart = start;
  reading.recordEnd = end;
  reading.tagStart = tagStart;
  reading.tagEnd = tagEnd;
  reading.tagHasId = tagEnd > tagStart;
  reading.subject = subject;
  reading.jsonFrom = jsonFrom;
  // An object's '{' and what it skipped before its first key are the sentiment's text as written.
  if (startsJson && !words) words = piecesMayHoldWord(start, jsonFrom != 0 ? jsonFrom : end, end);
  if (wordsHoldQuote()) words = true;
  reading.words = words;
  reading.countedFields = countedFields;
  reading.knownFields = knownFields;
  reading.knownPrefix = knownPrefix;
  if (!learning) judgeRareValues(reading, rareValues);
}

// A path (a value that starts with '/' and is not free text: a request's, logfmt's path=, a file's)
// is a tree: the names under a directory are a field of that directory ("in path /api/v1/"), counted
// as a pair's values are, down to PATH_DEPTH names or the first that holds two
// digits or more (a date, an id, a build's hash: a name that varies, below which names do too). A
// directory that holds a few names (/, /api/v1/) is an enumeration: a scanner's /phpmyadmin/ or an
// endpoint never seen is a name it never held.
const PATH_SEED: u32 = 0x61c88647;
const PATH_DEPTH = 4;

// The schemes of a field's URLs (https: of a webhook) are counted as a field of their own, as a
// pair's values are: a field whose URLs hold a few schemes calls a new one (file:, gopher:) news.
const SCHEME_SEED: u32 = 0x1b873593;
const SCHEME_LIMIT = 16;

// The networks of a field's addresses (an IPv4 address's /16, an IPv6 address's /32: a provider's
// or a site's, stable as a dynamic address is not) are counted as a field of their own, as a pair's
// values are: where a field's addresses come from a few networks (who logs in from where, the hosts
// a service talks to), a network it never held is evidence; a public site's clients, from
// everywhere, never make such a field.
const NETWORK_SEED: u32 = 0x2f8b1c35;
const NETWORK_RATIO: f64 = 50;
/** The networks of all the log's addresses, wherever they stand. */
const LOG_NETWORKS: u32 = GLOBAL_FIELD ^ NETWORK_SEED;

// The hour of a record (of its first hh:mm:ss) is counted with each value of a pair's field (who
// logs in by key: alice, at 09:00): a value seen often, never within HOUR_WINDOW hours of this
// record's (a user of office hours at 03:00), is evidence, in a log whose training came at every
// hour (a server's, with its cron jobs at night).
const HOUR_SEED: u32 = 0x7feb352d;
const AT_HOUR_SEED: u32 = 0x846ca68b;
const HOURS: i32 = 24;
const HOUR_SCAN: usize = 64; // the first hh:mm:ss is looked for in a record's first bytes
/** A value seen this often at least, never at this time of day, is evidence. */
const HOUR_MIN_VALUES: u32 = 30;
// Training came at every hour: of its records that told their time (HOUR_MIN_RECORDS or more), each
// hour held at least 1 in HOUR_SHARE.
const HOUR_MIN_RECORDS: u64 = 1000;
const HOUR_SHARE: u64 = 200;

/** The hour of the first hh:mm:ss (not after a digit: Apache's 2024:10:00:00) in [start, end)'s first HOUR_SCAN bytes, or -1. */
function hourOf(start: usize, end: usize): i32 {
  const last = min(end, start + HOUR_SCAN);
  for (let p = start; p + 8 <= last; p++) {
    if (load<u8>(p, 2) != COLON || load<u8>(p, 5) != COLON) continue;
    if (p > start && <u32>load<u8>(p - 1) - 0x30 < 10) continue;
    const h0 = <u32>load<u8>(p) - 0x30;
    const h1 = <u32>load<u8>(p, 1) - 0x30;
    if (h0 > 2 || h1 > 9 || <u32>load<u8>(p, 3) - 0x30 > 5 || <u32>load<u8>(p, 4) - 0x30 > 9 || <u32>load<u8>(p, 6) - 0x30 > 5 || <u32>load<u8>(p, 7) - 0x30 > 9) continue;
    const hour = <i32>(h0 * 10 + h1);
    if (hour < HOURS) return hour;
  }
  return -1;
}

/** Whether `value` of field `hash`'s hours never came within HOUR_WINDOW hours of `hour`. */
function neverNear(hash: u32, value: u32, hour: i32): bool {
  // The hour itself first: where a value mostly comes, one look.
  if (countIn(valueSketch, hash, atHour(value, hour)) != 0) return false;
  for (let d = 1; d <= <i32>HOUR_WINDOW; d++) {
    if (countIn(valueSketch, hash, atHour(value, (hour + d) % HOURS)) != 0) return false;
    if (countIn(valueSketch, hash, atHour(value, (hour - d + HOURS) % HOURS)) != 0) return false;
  }
  return true;
}

/** The item of `value` at `hour` in the hours of a pair's field. */
// @ts-ignore: decorator
@inline function atHour(value: u32, hour: i32): u32 {
  return fnv1aStep(value ^ AT_HOUR_SEED, <u32>hour) & 0xffffff;
}

/** The hash of the scheme of a URL in [start, end) (letters, digits, + - . before "://"), else 0. */
function schemeOf(start: usize, end: usize): u32 {
  let p = start;
  const limit = min(end, start + SCHEME_LIMIT);
  while (p < limit) {
    const b = <u32>load<u8>(p) | 0x20;
    if (b - 0x61 >= 26 && (b < 0x30 || b > 0x39) && b != 0x2b && b != 0x2d && b != 0x2e) break;
    p++;
  }
  if (p == start || p + 3 > end || load<u8>(p) != 0x3a || load<u8>(p, 1) != 0x2f || load<u8>(p, 2) != 0x2f) return 0;
  return (fnv1a(start, <i32>(p - start)) & 0xffffff) | 1;
}

/**
 * The hash of an address's network: an IPv4 address's /16 (its first two numbers), an IPv6
 * address's /32 (its first two groups as numbers: leading zeros and case aside, a group "::"
 * leaves out is 0), an IPv4-mapped one's (::ffff:10.8.1.5) its IPv4 /16.
 */
function networkOf(start: usize, end: usize): u32 {
  let dot = start;
  while (dot < end && load<u8>(dot) != 0x2e) dot++;
  if (dot < end) {
    // Dotted: the /16 of the IPv4 address from the last ':' before its first '.'.
    let p = dot;
    while (p > start && load<u8>(p - 1) != COLON) p--;
    let first: u32 = 0;
    while (p < dot) first = first * 10 + (<u32>load<u8>(p++) - 0x30);
    p = dot + 1;
    let second: u32 = 0;
    while (p < end && load<u8>(p) != 0x2e) second = second * 10 + (<u32>load<u8>(p++) - 0x30);
    return fnv1aStep(fnv1aStep(FNV_OFFSET ^ 4, first), second) & 0xffffff;
  }
  let groups: u32 = 0; // the first two, 16 bits each
  let read = 0;
  let p = start;
  while (read < 2 && p < end) {
    if (load<u8>(p) == COLON) {
      // A group's end; "::" (or a leading ':') leaves the rest of the first two out: 0.
      if (p == start || (p + 1 < end && load<u8>(p, 1) == COLON)) break;
      p++;
      continue;
    }
    let group: u32 = 0;
    while (p < end && isHex(<u32>load<u8>(p))) group = (group << 4) | hexValue(<u32>load<u8>(p++));
    groups |= (group & 0xffff) << (16 * (1 - read));
    read++;
  }
  return fnv1aStep(FNV_OFFSET ^ 6, groups) & 0xffffff;
}

/** Whether [start, end) is a path: it starts with '/'. */
// @ts-ignore: decorator
@inline function isPath(start: usize, end: usize): bool {
  return start < end && load<u8>(start) == 0x2f;
}

/**
 * Reads the names of the path [start, end), a value of the field `own`: training counts each under
 * its directory; scoring adds a value of the rare table for the first name a directory of few names
 * never held, and returns the table's count.
 */
function readPath(start: usize, end: usize, own: u32, rareValues: i32): i32 {
  let directory = own ^ PATH_SEED;
  let p = start + 1;
  for (let depth = 0; depth < PATH_DEPTH; depth++) {
    const from = p;
    let digits = 0;
    while (p < end) {
      const b = <u32>load<u8>(p);
      if (b == 0x2f) break;
      if (b - 0x30 < 10) digits++;
      p++;
    }
    const length = <i32>(p - from);
    const name = digits < 2 && length <= VALUE_LIMIT ? fnv1a(from, length) & 0xffffff : 0;
    if (task == LEARN) {
      bumpIn(sketch, directory, 0);
      if (name != 0) countValue(directory, name);
    } else if (name != 0 && neverHeld(directory, name)) {
      const held = countIn(sketch, directory, 0);
      noteRare(rareValues, from, p, directory, held, held, TOKEN_PLAIN | RARE_NEW, 0, start, from, FIELD_PATH);
      return rareValues + 1;
    }
    if (name == 0 || p >= end) break;
    directory = fnv1aStep(directory, name);
    p++;
  }
  return rareValues;
}

// The values of a rare whole shape, judged once the message is read: per value u32 each (RARE_).
// A message's coverage is known only at its end: one the model covers has each of them read
// trigram by trigram; one it does not (another log, or one padded with junk to look like one) is
// judged by the attack syntax its values hold alone, as their shapes say nothing there. Past RARE_CAPACITY a
// message is saturated with rarity and the rest are not read.
const RARE_START = 0;
const RARE_END = 4;
const RARE_FIELD = 8;
const RARE_FIELD_VALUES = 12;
const RARE_FLAGS = 16; // the value's TOKEN_ type, RARE_FREE_TEXT
const RARE_NAME_START = 20; // the field's name in the message, for explain
const RARE_NAME_END = 24;
const RARE_KIND = 28;
const RARE_LENGTH_DECADES = 32; // f64
const RARE_HELD_VALUES = 40; // the values of the field (or the pair's) that never held it
const RARE_SUBJECT_START = 44; // FIELD_OF_SUBJECT's subject in the message, for explain
const RARE_SUBJECT_END = 48;
const RARE_VALUE = 56;
const RARE_FREE_TEXT: u32 = 0x100;
// What is rare about it: its whole shape, that its field never held it, its length.
const RARE_SHAPE: u32 = 0x200;
const RARE_NEW: u32 = 0x400;
const RARE_LONG: u32 = 0x800;
const RARE_NEW_FIELD: u32 = 0x1000;
const RARE_NETWORK: u32 = 0x2000; // with RARE_NEW: the value is an address of a network never held
const RARE_HOUR: u32 = 0x4000; // with RARE_NEW: a value held, never at this time of day
const RARE_OF_SUBJECT: u32 = 0x8000; // with RARE_NEW: a value the key's field after the record's subject never held
const RARE_IN_LOG: u32 = 0x10000; // with RARE_NETWORK: a network the whole log never held
const RARE_MAY_BE_URL: u32 = 0x20000; // it opens with a letter and holds a ':' (decoded): judgeRareValues looks for a URL (mayHoldUrl)
const RARE_SYNTAX_BYTES: u32 = 0x40000; // it holds a byte mayHoldSyntax looks at, or one read as text: judgeRareValues asks mayHoldSyntax
const RARE_CAPACITY = 64;
const rare = memory.data(RARE_VALUE * RARE_CAPACITY, 8);

/** Writes entry `index` of the rare table: the value, its field (and the values it held), what is rare about it, and its field's name. */
// @ts-ignore: decorator
@inline function noteRare(index: i32, start: usize, end: usize, hash: u32, values: u32, heldValues: u32, flags: u32, lengthDecades: f64, nameStart: usize, nameEnd: usize, kind: u32, subjectStart: usize = 0, subjectEnd: usize = 0): void {
  const at = rare + <usize>index * RARE_VALUE;
  store<u32>(at + RARE_START, <u32>start);
  store<u32>(at + RARE_END, <u32>end);
  store<u32>(at + RARE_FIELD, hash);
  store<u32>(at + RARE_FIELD_VALUES, values);
  store<u32>(at + RARE_HELD_VALUES, heldValues);
  store<u32>(at + RARE_FLAGS, flags);
  store<f64>(at + RARE_LENGTH_DECADES, lengthDecades);
  store<u32>(at + RARE_NAME_START, <u32>nameStart);
  store<u32>(at + RARE_NAME_END, <u32>nameEnd);
  store<u32>(at + RARE_KIND, kind);
  store<u32>(at + RARE_SUBJECT_START, <u32>subjectStart);
  store<u32>(at + RARE_SUBJECT_END, <u32>subjectEnd);
}

function judgeRareValues(reading: FieldReading, rareValues: i32): void {
  const wholeMessage = reading.covered();
  let total: f64 = 0;
  let syntaxFound: u32 = 0;
  let reasonDecades: f64 = 0;
  let valueNews = false;
  for (let i = 0; i < rareValues; i++) {
    const at = rare + <usize>i * RARE_VALUE;
    const flags = load<u32>(at + RARE_FLAGS);
    const start = <usize>load<u32>(at + RARE_START);
    const end = <usize>load<u32>(at + RARE_END);
    const syntax = (flags & (RARE_SHAPE | RARE_SYNTAX_BYTES)) == (RARE_SHAPE | RARE_SYNTAX_BYTES) && mayHoldSyntax(start, end);
    const url = !syntax && (flags & (RARE_SHAPE | RARE_MAY_BE_URL)) == (RARE_SHAPE | RARE_MAY_BE_URL) && mayHoldUrl(start, end);
    // In a message not covered, a field's name may be another log's ("to" a user, "to" a URL): its
    // value's length is judged against all the log's values instead.
    let lengthDecades = load<f64>(at + RARE_LENGTH_DECADES);
    if (!wholeMessage && lengthDecades > 0) lengthDecades = lengthEvidence(GLOBAL_FIELD, start, end);
    if (!wholeMessage && !syntax && !url && lengthDecades == 0) continue;
    const hash = load<u32>(at + RARE_FIELD);
    field = hash;
    fieldValues = load<u32>(at + RARE_FIELD_VALUES);
    const global = hash == GLOBAL_FIELD;
    rareBelow = rareBelowOf(fieldValues, global ? GLOBAL_RARE_SHARE : RARE_SHARE);
    rareDecades = global ? GLOBAL_RARE_DECADES : RARE_DECADES;
    freeText = (flags & RARE_FREE_TEXT) != 0;
    gramWeight = !syntax && hash != GLOBAL_FIELD && (kindOfField(hash, fieldValues) & KIND_FREE_FORM) != 0 ? FREE_FORM_WEIGHT : 1;
    if (task == EXPLAIN) beginExplainedField(at);
    const before = total;
    if (wholeMessage && total < SATURATED_DECADES && (flags & RARE_SHAPE) != 0) total = readGrams(start, end, flags & 0xff, total);
    const found = syntax ? attackSyntax(start, end) : url ? internalUrlSyntax(start, end) : 0;
    if (found != 0) {
      valueNews = true;
      syntaxFound |= found;
      total += SYNTAX_DECADES;
      if (task == EXPLAIN) explainEvidence(EVIDENCE_SYNTAX, SYNTAX_DECADES, found, 0, 0);
    }
    let evidence = found != 0 ? EVIDENCE_SYNTAX : hash == GLOBAL_FIELD ? EVIDENCE_LOG : EVIDENCE_FIELD;
    if (wholeMessage && (flags & RARE_NEW) != 0) {
      valueNews = true;
      total += NEW_VALUE_DECADES;
      const newValue = (flags & RARE_IN_LOG) != 0 ? EVIDENCE_NEW_LOG_NETWORK : (flags & RARE_NETWORK) != 0 ? EVIDENCE_NEW_NETWORK : (flags & RARE_HOUR) != 0 ? EVIDENCE_NEW_HOUR : EVIDENCE_NEW_VALUE;
      if (task == EXPLAIN) explainEvidence(newValue, NEW_VALUE_DECADES, 0, 0, <f64>load<u32>(at + RARE_HELD_VALUES));
      if (found == 0) evidence = newValue;
    }
    if (wholeMessage && (flags & RARE_NEW_FIELD) != 0) {
      const decades = newFieldDecades();
      if (decades > 0) {
        total += decades;
        if (task == EXPLAIN) explainEvidence(EVIDENCE_NEW_FIELD, decades, 0, 0, <f64>globalValues);
        if (found == 0 && decades * 2 >= total - before) evidence = EVIDENCE_NEW_FIELD;
      }
    }
    if (lengthDecades > 0) {
      valueNews = true;
      total += lengthDecades;
      if (task == EXPLAIN) explainEvidence(EVIDENCE_LENGTH, lengthDecades, 0, <f64>decodedLength(start, end), 0);
      if (found == 0 && lengthDecades * 2 >= total - before) evidence = EVIDENCE_LENGTH;
    }
    if (total - before > reasonDecades) {
      reasonDecades = total - before;
      reading.reasonEvidence = evidence;
      reading.reasonNameStart = <usize>load<u32>(at + RARE_NAME_START);
      reading.reasonNameEnd = <usize>load<u32>(at + RARE_NAME_END);
      reading.reasonKind = load<u32>(at + RARE_KIND);
      reading.reasonSubjectStart = <usize>load<u32>(at + RARE_SUBJECT_START);
      reading.reasonSubjectEnd = <usize>load<u32>(at + RARE_SUBJECT_END);
      reading.reasonSyntax = found;
    }
  }
  reading.decades = total;
  reading.syntax = syntaxFound;
  reading.valueNews = valueNews;
}

/** Training: makes field `hash` the field counted in (`field`, for learnIn) and counts it. */
// @ts-ignore: decorator
@inline function learnField(hash: u32): void {
  field = hash;
  bumpIn(sketch, hash, 0);
  bumpIn(sketch, GLOBAL_FIELD, 0);
  bumpIn(valueSketch, FIELDS_SEED, hash & (FIELD_BUCKETS - 1));
}

/** Training counts a value in the global field too, but not again where it counts it in the field it backs off to. */
let learningGlobal = true;

/**
 * Training: counts the token's value in field `hash`, which is `field`: its whole shape, trigrams,
 * length, value, network and path names. Returns learnValue's hash of the value.
 */
function learnIn(hash: u32, token: Token): u32 {
  const valueStart = token.valueStart;
  const valueEnd = token.valueEnd;
  const wholeShape = token.wholeShape;
  bumpIn(sketch, hash ^ WHOLE_SHAPE_SEED, wholeShape);
  readGrams(valueStart, valueEnd, token.valueType, 0);
  bumpIn(valueSketch, hash ^ SHAPES_SEED, wholeShape & 15);
  const value = learnValue(token);
  if (token.valueType == TOKEN_ADDRESS) {
    const network = networkOf(valueStart, valueEnd);
    countInField(hash ^ NETWORK_SEED, network);
    if (learningGlobal) countInField(LOG_NETWORKS, network);
  }
  if (!token.freeText && isPath(valueStart, valueEnd)) readPath(valueStart, valueEnd, hash, 0);
  return value;
}

/** Counts the token's value in field `hash` too (its values, and learnIn's), but not again in the global field: the field it backs off to. */
function learnBackOff(hash: u32, token: Token): void {
  const own = field;
  field = hash;
  learningGlobal = false;
  bumpIn(sketch, hash, 0);
  learnIn(hash, token);
  learningGlobal = true;
  field = own;
}

/** The count below which a value (a whole shape, a trigram) of a field of `values` values is rare: RARE_SHARE of them, GLOBAL_RARE_SHARE in the global field. */
// @ts-ignore: decorator
@inline function rareBelowOf(values: u32, share: f64): f64 {
  return (<f64>values + 2) * share - 1;
}

// A record's subject is the name just before its first key=value, where one stands there: sudo's
// user before its keys ("dave : TTY=...", past a lone ':' or ';'). Its keys' values are counted as
// a field of the subject too, as a pair's are: what dave runs. A record whose keys come first
// (logfmt, JSON) has none, nor a request's parameters (its path's names are fields of their own).

/** Whether [start, end), as written, is a subject: a name (letters, no number of two digits, short: Token.nameless), not a path (its names are its directories' fields). */
function isName(start: usize, end: usize): bool {
  if (end <= start || end - start > <usize>VALUE_LIMIT || isPath(start, end)) return false;
  let letters = false;
  let last: u32 = 0;
  for (let p = start; p < end; p++) {
    const s = shapeOf(<u32>load<u8>(p));
    if (s == DIGIT && last == DIGIT) return false;
    if (s == LETTER) letters = true;
    last = s;
  }
  return letters;
}

/**
 * A value as a subject's field counts it: its digits all one (pts/0 and pts/6 are one terminal to
 * a user who had either), so what is news is the name. (A value with a number of two digits is no
 * name: Token.nameless.)
 */
function subjectValue(start: usize, end: usize): u32 {
  let h = FNV_OFFSET;
  for (let p = start; p < end; p++) {
    const b = <u32>load<u8>(p);
    h = fnv1aStep(h, b - 0x30 < 10 ? 0x30 : b);
  }
  return h & 0xffffff;
}

/** Whether [start, end) holds a time, hh:mm:ss (a host, IPv6 or host:port, does not). */
function holdsTime(start: usize, end: usize): bool {
  for (let p = start + 8; p <= end; p++) if (isTimeBefore(p)) return true;
  return false;
}

/** Where the '[' of a syslog tag stands, where the token [start, end), which ends with ':', is one (a program's name, '[', its process id's digits, ']' and ':': sshd[2459]:), else 0. */
function processBracket(start: usize, end: usize): usize {
  if (end - start < 5 || load<u8>(end - 2) != 0x5d) return 0;
  let p = end - 3;
  while (p > start && <u32>load<u8>(p) - 0x30 < 10) p--;
  return p < end - 3 && p > start && load<u8>(p) == 0x5b ? p : 0;
}

/**
 * The key of a syslog header [start, end) (its time and host): a hash of its bytes, but the fraction
 * of a second after its first hh:mm:ss (the digits after a '.' or ','), so the lines of one second
 * and one host share it, and hosts or dates with dots do not.
 */
export function secondKey(start: usize, end: usize): u32 {
  let h = FNV_OFFSET;
  let p = start;
  let fractionSkipped = false;
  while (p < end) {
    const b = <u32>load<u8>(p++);
    if (!fractionSkipped && (b == 0x2e || b == 0x2c) && p - 1 - start >= 8 && isTimeBefore(p - 1)) {
      fractionSkipped = true;
      while (p < end && <u32>load<u8>(p) - 0x30 < 10) p++;
      continue;
    }
    h = fnv1aStep(h, b);
  }
  return h | 1;
}

/**
 * Where a syslog tag without a process id ends (its ':'), within the record's first PROCESS_SCAN
 * bytes after a time to the second (a fraction and a zone may follow) and a host: the ':' of sudo
 * in "Mar 12 10:00:00 bastion sudo:    dave : ..."; else 0.
 */
function tagWithoutId(start: usize, end: usize): usize {
  const limit = min(end, start + PROCESS_SCAN);
  let p = start + 8;
  while (p <= limit && !isTimeBefore(p)) p++;
  while (p < limit && load<u8>(p) != 0x20) p++;
  for (let token = 0; token < 2; token++) {
    while (p < limit && load<u8>(p) == 0x20) p++;
    const from = p;
    if (token == 0) while (p < limit && load<u8>(p) != 0x20) p++; // the host
    else while (p < limit && isProgramByte(<u32>load<u8>(p))) p++;
    if (p == from || p >= limit) return 0;
  }
  return load<u8>(p) == COLON && (p + 1 == end || load<u8>(p + 1) == 0x20) ? p : 0;
}

/**
 * Whether [start, end) names the subject whose hash is `subject` (a readFields subject): as one of
 * its runs between spaces and ( ) [ ] , ; : = " ' (sudo's "session opened for user root by alice(uid=0)").
 */
export function namesSubject(start: usize, end: usize, subject: u32): bool {
  let p = start;
  while (p < end) {
    while (p < end && isSubjectBreak(<u32>load<u8>(p))) p++;
    const from = p;
    while (p < end && !isSubjectBreak(<u32>load<u8>(p))) p++;
    if (p > from && (fnv1a(from, <i32>(p - from)) ^ SUBJECT_SEED) == subject) return true;
  }
  return false;
}

// @ts-ignore: decorator
@inline function isSubjectBreak(b: u32): bool {
  return b <= 0x20 || b == 0x28 || b == 0x29 || b == 0x5b || b == 0x5d || b == 0x2c || b == 0x3b || b == 0x3a || b == 0x3d || b == 0x22 || b == 0x27;
}

/** A byte of a program's name: an ASCII letter, a digit, '-', '_', '.' or '/'. */
// @ts-ignore: decorator
@inline function isProgramByte(b: u32): bool {
  return (b | 0x20) - 0x61 < 26 || b - 0x30 < 10 || b == 0x2d || b == 0x5f || b == 0x2e || b == 0x2f;
}

/** Whether the 8 bytes before `at` are a time, hh:mm:ss. */
function isTimeBefore(at: usize): bool {
  const t = at - 8;
  return load<u8>(t + 2) == COLON && load<u8>(t + 5) == COLON &&
    <u32>load<u8>(t) - 0x30 < 10 && <u32>load<u8>(t + 1) - 0x30 < 10 && <u32>load<u8>(t + 3) - 0x30 < 10 &&
    <u32>load<u8>(t + 4) - 0x30 < 10 && <u32>load<u8>(t + 6) - 0x30 < 10 && <u32>load<u8>(t + 7) - 0x30 < 10;
}

/** The field of a key's values after the record's subject. */
// @ts-ignore: decorator
@inline function subjectsField(subject: u32, key: u32): u32 {
  return fnv1aStep(subject, key);
}

/** The field of the values after two words, of these keys. */
// @ts-ignore: decorator
@inline function pairOf(first: u32, second: u32): u32 {
  return fnv1aStep(first ^ PAIR_SEED, second);
}

/** Whether the token's value, of this length, is of an enumeration's make: plain, a name (Token.nameless), not free text, short. */
// @ts-ignore: decorator
@inline function isToken(token: Token, length: i32): bool {
  return !token.nameless && !token.freeText && length > 0 && length <= VALUE_LIMIT;
}

// @ts-ignore: decorator
@inline function lengthBucket(length: i32): u32 {
  return 32 - clz<u32>(<u32>length);
}

/** Counts the token's plain value in the value half: its length, and its hash if an enumeration could hold it (else 0); returns the hash. */
function learnValue(token: Token): u32 {
  if (token.valueType != TOKEN_PLAIN) return 0;
  const valueStart = token.valueStart;
  const length = <i32>(token.valueEnd - valueStart);
  const bucket = lengthBucket(length >= LENGTH_FLOOR ? decodedLength(valueStart, token.valueEnd) : length);
  bumpIn(valueSketch, field ^ LENGTH_SEED, bucket);
  if (learningGlobal) {
    bumpIn(valueSketch, GLOBAL_FIELD ^ LENGTH_SEED, bucket);
    bumpIn(valueSketch, GLOBAL_FIELD ^ LOG_LENGTH_SEED_2, bucket);
    bumpIn(valueSketch, GLOBAL_FIELD ^ LOG_LENGTH_SEED_3, bucket);
  }
  if (!isToken(token, length)) return 0;
  const hash = fnv1a(valueStart, length) & 0xffffff;
  countValue(field, hash);
  return hash;
}

/** Counts a value (its 24-bit hash) of field `hash` in the value half, and its bucket, for the token finder. */
// @ts-ignore: decorator
@inline function countValue(hash: u32, value: u32): void {
  bumpIn(valueSketch, hash ^ VALUE_SEED, value);
  bumpIn(valueSketch, hash ^ BUCKET_SEED, value & 15);
}

/** Counts a value (its hash) in field `hash`, which training counts only where it sees such a value (a URL's scheme, an address's network). */
// @ts-ignore: decorator
@inline function countInField(hash: u32, value: u32): void {
  bumpIn(sketch, hash, 0);
  countValue(hash, value);
}

/**
 * Whether the token before names the value's field as a user would (a key, a quoted value's field,
 * or a template's word: "for" after "password"), not a place (the host after a time).
 */
// @ts-ignore: decorator
@inline function namesField(named: bool, kind: u32, previousKeyed: bool, previousWordIn: u32, previousWordValues: u32): bool {
  return named || (kind == FIELD_AFTER && (previousKeyed || (previousWordIn != 0 && (kindOfField(previousWordIn, previousWordValues) & KIND_CONSTANT) != 0)));
}

/**
 * Whether field `hash`, counted only where training saw it (a pair's, a directory's, a URL field's
 * schemes, a field's networks), holds a few values (is of `kind`: KIND_CLOSED for networks) and never `value`.
 */
// @ts-ignore: decorator
@inline function neverHeld(hash: u32, value: u32, kind: u32 = KIND_ENUMERATION): bool {
  return (kindOfPair(hash) & kind) != 0 && countIn(valueSketch, hash ^ VALUE_SEED, value) == 0;
}

/**
 * Decades of evidence in the value [start, end), l bytes long percent-decoded, past the longest
 * power of two its field held: Cantelli's bound P(X >= l) <= s2 / (s2 + (l - m)^2), with the mean m
 * and variance s2 of the field's lengths read from their powers of two (each spread evenly over its
 * range), is log10(1 + (l - m)^2 / s2).
 */
// @ts-ignore: decorator
@inline function lengthEvidence(hash: u32, start: usize, end: usize): f64 {
  // Inline, as most values are of a length their field held: one probe. A value longer than the
  // longest of all is read in full, whatever its field's probe says (that would be a collision),
  // and one as long as the log's longest ever is no longer than all the log's values.
  const bucket = lengthBucket(<i32>(end - start));
  return <i32>bucket <= longestBucket() && (hash == GLOBAL_FIELD || countIn(valueSketch, hash ^ LENGTH_SEED, bucket) != 0) ? 0 : lengthsBeyond(hash, start, end);
}

/** lengthBeyond of its field, or of the whole log's lengths where it is longer than any of them and that says more (in a field of a wide spread). */
function lengthsBeyond(hash: u32, start: usize, end: usize): f64 {
  // Not as written: an escape is one byte, so encoding a value does not make it long.
  const length = decodedLength(start, end);
  const own = lengthBeyond(hash, length);
  return hash != GLOBAL_FIELD && <i32>lengthBucket(length) > longestBucket() ? max(own, lengthBeyond(GLOBAL_FIELD, length)) : own;
}

/**
 * How many of field `hash`'s values had a length of this power of two. All the log's are counted
 * three times, and read as the least of the three: in a busy value half an item never counted reads
 * as counted about 1 in 20 times, all three about 1 in 6,000, and a collision read as a length the log held
 * made every length held and no value long (the application dev set's model, until 2026-12-07).
 */
// @ts-ignore: decorator
@inline function lengthsIn(hash: u32, bucket: u32): u32 {
  const count = countIn(valueSketch, hash ^ LENGTH_SEED, bucket);
  if (hash != GLOBAL_FIELD || count == 0) return count;
  return min(count, min(countIn(valueSketch, GLOBAL_FIELD ^ LOG_LENGTH_SEED_2, bucket), countIn(valueSketch, GLOBAL_FIELD ^ LOG_LENGTH_SEED_3, bucket)));
}

/** lengthEvidence's decades in field `hash` for a value `length` bytes long percent-decoded, longer as written than its field's values. */
function lengthBeyond(hash: u32, length: i32): f64 {
  const bucket = lengthBucket(length);
  // Within its field's lengths (as long as some, or between them), it is no longer than they are;
  // no field holds one longer than the longest of all.
  const longest = longestBucket();
  for (let b = <i32>bucket; b <= longest; b++) if (lengthsIn(hash, <u32>b) != 0) return 0;
  let n: f64 = 0;
  let sum: f64 = 0;
  let squares: f64 = 0;
  const below = min<u32>(bucket, <u32>longest + 1); // no power past the longest of all is held
  for (let b: u32 = 0; b < below; b++) {
    const count = <f64>lengthsIn(hash, b);
    if (count == 0) continue;
    const low: f64 = b > 0 ? <f64>(1 << (b - 1)) : 0;
    const width: f64 = b > 0 ? low : 1; // [2^(b-1), 2^b - 1]
    const mean = low + (width - 1) / 2;
    n += count;
    sum += count * mean;
    squares += count * (mean * mean + (width * width - 1) / 12);
  }
  if (n == 0) return 0; // no lengths counted: a field of the back-off's, or a model without them
  const mean = sum / n;
  const variance = max<f64>(squares / n - mean * mean, 1);
  const excess = <f64>length - mean;
  return Math.log10(1 + excess * excess / variance);
}

/** The power of two of the longest value of all, worked out from the sketch on first asking and kept while it lasts. */
function longestBucket(): i32 {
  if (worked.stale) refreshEnumerations();
  if (worked.longestBucket < 0) {
    let b = 31;
    while (b > 0 && lengthsIn(GLOBAL_FIELD, <u32>b) == 0) b--;
    worked.longestBucket = b;
  }
  return worked.longestBucket;
}

/**
 * Whether training's records came at every hour: each held at least 1 in HOUR_SHARE of the records
 * that told their time, of HOUR_MIN_RECORDS or more. Worked out on first asking and kept while the
 * sketch lasts.
 */
function allDay(): bool {
  if (worked.stale) refreshEnumerations();
  if (worked.allDay < 0) {
    let total: u64 = 0;
    let least: u64 = u64.MAX_VALUE;
    for (let hour = 0; hour < HOURS; hour++) {
      const n = <u64>countIn(valueSketch, HOUR_SEED, <u32>hour);
      total += n;
      least = min(least, n);
    }
    worked.allDay = total >= HOUR_MIN_RECORDS && least * HOUR_SHARE >= total ? 1 : 0;
  }
  return worked.allDay == 1;
}

/** What a field never seen is worth, worked out from the sketch on first asking and kept while it lasts. */
function newFieldDecades(): f64 {
  if (worked.stale) refreshEnumerations();
  if (worked.newField >= 0) return worked.newField;
  let empty = 0;
  for (let bucket: u32 = 0; bucket < FIELD_BUCKETS; bucket++) {
    if (countIn(valueSketch, FIELDS_SEED, bucket) == 0) empty++;
  }
  const m = <f64>FIELD_BUCKETS;
  // With every bucket taken the count is past what linear counting tells: m ln m at the least.
  const fields = empty == 0 ? m * Math.log(m) : -m * Math.log(<f64>empty / m);
  worked.newField = max(0, Math.log10((<f64>globalValues + 2) / (fields + 1)) - RARE_DECADES);
  return worked.newField;
}

// What kind of field a known field is, worked out from the sketch on first asking and kept: a
// direct-mapped table of ENUM_SLOTS (field hash, KIND_ bits), emptied whenever the sketch changes.
// An enumeration holds a few values; a constant one (a template's word, "for" after "password").
const KIND_ASKED: u32 = 1;
const KIND_ENUMERATION: u32 = 2;
const KIND_CONSTANT: u32 = 4;
const KIND_FREE_FORM: u32 = 8;
const KIND_CLOSED: u32 = 16; // an enumeration of NETWORK_RATIO values or more a value
const KIND_MANY: u32 = 32; // MANY_BUCKETS of its 16 buckets taken or more: many distinct values, whatever the sketch's collisions add
const MANY_BUCKETS = 12;
const ENUM_BITS = 14;
const ENUM_SLOTS = 1 << ENUM_BITS;
const enumerations = memory.data(ENUM_SLOTS * 8, 8);

// What judgeShape worked out for a token, kept: a log's fields and their shapes recur, and this is
// most of what a token asks of the sketch (two to four counts, two counters each). A direct-mapped
// table of JUDGED_SLOTS: the key (field, whole shape with JUDGED_ bits, the field it may back off
// to), the values of the field judged in before the log's, and the JUDGED_ verdict; emptied
// whenever the sketch changes.
const JUDGED_BITS = 13;
const JUDGED_SLOTS = 1 << JUDGED_BITS;
const judgedShapes = memory.data(JUDGED_SLOTS * 32, 32);
// In the key, beside the 24 bits of the whole shape: whether the token may back off, and a bit
// always set, so that an empty slot matches no key.
const JUDGED_BACK_OFF: u32 = 0x1000000;
const JUDGED_KEY: u32 = 0x2000000;
// The verdict.
const JUDGED_BACKED_OFF: u32 = 1;
const JUDGED_KNOWN: u32 = 2;
const JUDGED_RARE: u32 = 4;

// @ts-ignore: decorator
@inline function judgedSlot(field: u32, shapeKey: u32, backOffField: u32): usize {
  return judgedShapes + (<usize>((((shapeKey * 0x9e3779b1) ^ field ^ (backOffField * 0x85ebca6b)) * 0xc2b2ae35) >> (32 - JUDGED_BITS)) << 5);
}

/**
 * Where a token of field `own` is judged, and whether its whole shape is rare there (`shapeKey`,
 * the key judgedSlot's `slot` is for): its field's values; where too few to judge and the token
 * may back off (JUDGED_BACK_OFF), those of `backOffField`; where still too few, the log's values.
 * Keeps the values and returns the verdict, JUDGED_ bits.
 */
function judgeShape(own: u32, shapeKey: u32, backOffField: u32, slot: usize): u32 {
  const wholeShape = shapeKey & 0xffffff;
  store<u32>(slot, own);
  store<u32>(slot, shapeKey, 4);
  store<u32>(slot, backOffField, 8);
  let values = countIn(sketch, own, 0);
  let judgement: u32 = 0;
  // Below what count its whole shape is rare: where not above 0, too few values to judge.
  let shapeRareBelow = rareBelowOf(values, RARE_SHARE);
  // A field the token's value backed off from, too seldom seen to judge, and its values (0: none).
  let backedOffFrom: u32 = 0;
  let backedOffFromValues: u32 = 0;
  if (shapeRareBelow <= 0 && (shapeKey & JUDGED_BACK_OFF) != 0) {
    // Too few values after this word and number to judge (after a month's name never seen):
    // the field after the number's shape, whatever word came before (a back-off).
    backedOffFrom = own;
    backedOffFromValues = values;
    own = backOffField;
    judgement |= JUDGED_BACKED_OFF;
    values = countIn(sketch, own, 0);
    shapeRareBelow = rareBelowOf(values, RARE_SHARE);
  }
  store<u32>(slot, values, 12);
  let judged = own;
  if (shapeRareBelow > 0) judgement |= JUDGED_KNOWN;
  else {
    judged = GLOBAL_FIELD;
    shapeRareBelow = rareBelowOf(globalValues, GLOBAL_RARE_SHARE);
  }
  // A model too small to call anything rare still has its values looked at for attack syntax.
  let rareValue = shapeRareBelow <= 0 || <f64>countIn(sketch, judged ^ WHOLE_SHAPE_SEED, wholeShape) < shapeRareBelow;
  // Backed off from a field most of whose few values (3 or more) had this whole shape: that field
  // says it is no rare one (the back-off is for what it did not hold): alice's 20 runs of tail -n 200.
  // A count above the field's values is the sketch's collision, no shape held.
  if (rareValue && backedOffFromValues >= 3) {
    const held = countIn(sketch, backedOffFrom ^ WHOLE_SHAPE_SEED, wholeShape);
    if (held * 2 > backedOffFromValues && held <= backedOffFromValues) rareValue = false;
  }
  if (rareValue) judgement |= JUDGED_RARE;
  store<u32>(slot, judgement, 16);
  return judgement;
}

/** Forgets what was worked out from the sketch, which has changed. */
function refreshEnumerations(): void {
  memory.fill(enumerations, 0, ENUM_SLOTS * 8);
  memory.fill(judgedShapes, 0, JUDGED_SLOTS * 32);
  worked.newField = -1;
  worked.longestBucket = -1;
  worked.allDay = -1;
  worked.stale = false;
}

// Where a field's KIND_ bits are kept, and what is kept there for it (0: nothing yet).
// @ts-ignore: decorator
@inline function kindSlot(hash: u32): usize {
  return enumerations + (<usize>((hash * 0x9e3779b1) >> (32 - ENUM_BITS)) << 3);
}

// @ts-ignore: decorator
@inline function keptKind(hash: u32, slot: usize): u32 {
  return load<u32>(slot) == hash ? load<u32>(slot, 4) : 0;
}

/**
 * The KIND_ bits of a known field of `values` values. Inline, as a field is mostly asked again:
 * one probe; readFields has forgotten what a changed sketch made stale before it asks.
 */
// @ts-ignore: decorator
@inline function kindOfField(hash: u32, values: u32): u32 {
  const slot = kindSlot(hash);
  const kept = keptKind(hash, slot);
  return kept != 0 ? kept : workOutKind(hash, values, slot);
}

/** kindOfField for the field of the values after two words, which training counted only where it saw them. */
// @ts-ignore: decorator
@inline function kindOfPair(hash: u32): u32 {
  const slot = kindSlot(hash);
  const kept = keptKind(hash, slot);
  return kept != 0 ? kept : workOutPairKind(hash, slot);
}

/**
 * kindOfPair, worked out: counted only where training saw the pair, so what other items' counts
 * make of a pair never seen (a full sketch, or a model trained before pairs were counted) rarely
 * agrees with itself, more token-like values than values. It shares kindOfField's table: a field
 * asked both ways (a path's directory, a URL field's schemes) is asked as a field only once
 * kindOfPair found it an enumeration, and then the two agree.
 */
function workOutPairKind(hash: u32, slot: usize): u32 {
  const values = countIn(sketch, hash, 0);
  if (values >= ENUM_MIN_VALUES) return workOutKind(hash, values, slot, values + (values >> 3));
  store<u32>(slot, hash);
  store<u32>(slot, KIND_ASKED, 4);
  return KIND_ASKED;
}

/** kindOfField, worked out from the sketch and kept in `slot`. */
function workOutKind(hash: u32, values: u32, slot: usize, tokensAtMost: u32 = u32.MAX_VALUE): u32 {
  // The distinct values, by linear counting over 16 buckets: -16 ln(empty / 16).
  let tokens: u32 = 0;
  let empty = 0;
  for (let bucket: u32 = 0; bucket < 16; bucket++) {
    const count = countIn(valueSketch, hash ^ BUCKET_SEED, bucket);
    tokens += count;
    if (count == 0) empty++;
  }
  const distinct = empty == 0 ? <f64>Infinity : -16 * Math.log(<f64>empty / 16);
  let kind = KIND_ASKED;
  if (tokens >= ENUM_MIN_VALUES && tokens * 2 >= values && tokens <= tokensAtMost) {
    if (<f64>tokens >= distinct * ENUM_RATIO) kind |= KIND_ENUMERATION;
    if (<f64>tokens >= distinct * NETWORK_RATIO) kind |= KIND_CLOSED;
    if (empty == 15) kind |= KIND_CONSTANT;
  }
  if (16 - empty >= MANY_BUCKETS) kind |= KIND_MANY;
  let shapesTaken = 0;
  for (let bucket: u32 = 0; bucket < 16; bucket++) {
    if (countIn(valueSketch, hash ^ SHAPES_SEED, bucket) != 0) shapesTaken++;
  }
  if (shapesTaken == 16) kind |= KIND_FREE_FORM;
  store<u32>(slot, hash);
  store<u32>(slot, kind, 4);
  return kind;
}

/** How many bytes [start, end) holds percent-decoded (training counts a value of LENGTH_FLOOR bytes or more so). */
function decodedLength(start: usize, end: usize): i32 {
  let n = 0;
  let p = start;
  while (p < end) {
    p += load<u8>(p) == 0x25 ? <usize>(percentDecoded(p, end) >> 8) : 1;
    n++;
  }
  return n;
}

/**
 * Whether [from, to), letters and digits mixed, is a hex run: 8 hex digits or more (a build's hash
 * in a file name, a pod's in its name), which varies as no word does and reads as one symbol.
 */
function isHexRun(from: usize, to: usize): bool {
  if (to - from < 8) return false;
  for (let p = from; p < to; p++) if (!isHex(<u32>load<u8>(p))) return false;
  return true;
}

/** Where a hex run (isHexRun, letters and digits mixed) that starts a run of letters and digits at p ends, or p where none does. */
function hexRunEnd(p: usize, end: usize): usize {
  const from = p;
  let digits = 0;
  while (p < end) {
    const b = <u32>load<u8>(p);
    if (!isHex(b)) break;
    if (b <= 0x39) digits++;
    p++;
  }
  const n = <i32>(p - from);
  // The run of letters and digits must end with the hex digits.
  if (n < 8 || digits == 0 || digits == n || (p < end && (shapeOf(<u32>load<u8>(p)) == LETTER || shapeOf(<u32>load<u8>(p)) == DIGIT))) return from;
  return p;
}

/** Whether b separates JSON values: , { } [ ] or a space. */
// @ts-ignore: decorator
@inline function isJsonStructure(b: u32): bool {
  return b == 0x2c || b == 0x20 || (b | 0x20) == 0x7b || (b | 0x20) == 0x7d; // , space { [ } ]
}

/** Where a JSON member's scalar value from p ends: at a ',', '}', ']' or space. */
function jsonScalarEnd(p: usize, end: usize): usize {
  while (p < end && !isJsonStructure(<u32>load<u8>(p))) p++;
  return p;
}

/** Whether an apostrophe at p, after a letter, stands inside a word (O'Brien, l'été): a letter follows. */
// @ts-ignore: decorator
@inline function inWord(p: usize, end: usize): bool {
  return p < end && shapeOf(<u32>load<u8>(p)) == LETTER;
}

/**
 * Reads one token from p (not a SPLIT byte) in one pass into `token` and returns where it ends:
 * whether it is key=value (a key of letters, digits and _ . - [ ] before the first '='; a value
 * that opens with '"' runs to the closing '"', spaces and \" included), its value's whole shape
 * and type, and the key it gives the next field. Runs of letters and digits get loops of their own, the
 * common case in few operations a byte; the state is in locals, as globals cost an interpreter an
 * operation at every use.
 *
 * The whole shape hashes each symbol, but a run of digits once and a run of letters at most
 * WHOLE_SHAPE_LETTERS times (`run`: the symbols hashed for the current run, or more; only compared with that limit).
 */
function readToken(p: usize, end: usize, quoted: bool, asking: bool, token: Token): usize {
  const tokenStart = p;
  let valueStart = p;
  let named = false;
  let keyHash: u32 = 0;
  let shape = FNV_OFFSET;
  let last = START;
  let run = 0;
  let word = FNV_OFFSET;
  let letters = 0;
  let others = 0; // symbols that are not letters
  let inKey = !quoted;
  let spaces = 0;
  let seen: u32 = 0; // the MARK_ bits of its punctuation
  let digits = false;
  let stop = end; // where the value ends: the token's end, or a closing quote
  // Where the run of letters and digits being read started, the shape before it, and whether it
  // mixes the two: a hex run (a build's hash in a file name) is one symbol, isHexRun. A run that
  // a decoded byte interrupts spans a '%' (no hex digit) and is none.
  let runFrom = p;
  let runShape: u32 = 0;
  let mixed = false;
  let high: u32 = 0; // its letters or'd, for the sentiment: a byte beyond ASCII may make a word (base/words.ts)
  while (p < end) {
    let b = <u32>load<u8>(p);
    let s = kindOf(b);
    if (s == LETTER) {
      const from = p;
      if (last == DIGIT) mixed = true;
      else {
        runFrom = from;
        runShape = shape;
      }
      do {
        word = fnv1aStep(word, b | 0x20);
        high |= b;
        p++;
        if (p >= end) break;
        b = <u32>load<u8>(p);
      } while (kindOf(b) == LETTER);
      const n = <i32>(p - from);
      letters += n;
      // Up to WHOLE_SHAPE_LETTERS (3) symbols, unrolled: once for most runs of letters. `run` is
      // at least the symbols hashed for the run (1 to 3), and is only compared with 3.
      if (last != LETTER) {
        shape = fnv1aStep(shape, LETTER);
        if (n > 1) {
          shape = fnv1aStep(shape, LETTER);
          if (n > 2) shape = fnv1aStep(shape, LETTER);
        }
        run = n;
      } else if (run < WHOLE_SHAPE_LETTERS) {
        const hashed = min(n, WHOLE_SHAPE_LETTERS - run);
        shape = fnv1aStep(shape, LETTER);
        if (hashed > 1) shape = fnv1aStep(shape, LETTER); // run is 1 here at least: two more at most
        run += hashed;
      }
      last = LETTER;
      continue;
    }
    if (s == DIGIT) {
      const from = p;
      if (last == LETTER) mixed = true;
      else {
        runFrom = from;
        runShape = shape;
      }
      do p++;
      while (p < end && kindOf(<u32>load<u8>(p)) == DIGIT);
      others++;
      if (p - from > 1) digits = true;
      if (last != DIGIT) {
        shape = fnv1aStep(shape, DIGIT);
        last = DIGIT;
      }
      continue;
    }
    if (mixed) {
      if (isHexRun(runFrom, p)) {
        shape = fnv1aStep(runShape, TOKEN_HEX);
        last = TOKEN_HEX;
      }
      mixed = false;
    }
    const plain = markOf(b);
    if ((plain & MARK_PLAIN) != 0) {
      // Most punctuation: one symbol of the shape (the path below, for bytes it has no more to do with).
      if ((plain & MARK_KEY) == 0) inKey = false;
      p++;
      others++;
      seen |= plain;
      shape = fnv1aStep(shape, s);
      last = s;
      continue;
    }
    if (s == SPLIT) {
      if (!quoted) break;
      if (b == QUOTE) {
        stop = p;
        p++;
        break;
      }
      s = shapeOf(b);
      if (b == 0x20) spaces++;
    }
    if (inKey) {
      if (b == 0x3d && p > tokenStart) {
        // key=value: the value starts afresh after the '=', or after a '"' that opens it.
        named = true;
        keyHash = fnv1a(tokenStart, <i32>(p - tokenStart));
        token.keyEnd = p;
        inKey = false;
        p++;
        if (p < end && load<u8>(p) == QUOTE) {
          quoted = true;
          p++;
        }
        valueStart = p;
        shape = FNV_OFFSET;
        last = START;
        word = FNV_OFFSET;
        letters = 0;
        others = 0;
        seen = 0;
        digits = false;
        continue;
      }
      inKey = false; // no byte of a key: MARK_PLAIN's path reads those
    }
    if (s == PERCENT) {
      const decoded = percentDecoded(p, end);
      b = decoded & 0xff;
      p += <usize>(decoded >> 8);
      s = shapeOf(b);
      seen |= MARK_READ_AS_TEXT;
    } else {
      p++;
      if (b == BACKSLASH && quoted && p < end) {
        // An escape inside quotes: the next byte is the value's, even a '"'.
        others++;
        seen |= MARK_READ_AS_TEXT;
        shape = fnv1aStep(shape, s);
        last = s;
        b = <u32>load<u8>(p++);
        high |= b;
        s = shapeOf(b);
      }
    }
    const m = markOf(b);
    if (s == LETTER || (b == APOSTROPHE && last == LETTER && inWord(p, end))) {
      if (s != LETTER) seen |= MARK_READ_AS_TEXT;
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
    others++;
    seen |= m;
    // Any other symbol is hashed every time, a digit (a decoded one, here) once a run.
    if (s == DIGIT && last == DIGIT) digits = true;
    else shape = fnv1aStep(shape, s);
    last = s;
  }
  if (mixed && isHexRun(runFrom, p)) shape = fnv1aStep(runShape, TOKEN_HEX);
  if (!quoted) stop = p;
  // Whether it may hold a word of the sentiment's lexicon: as written between its spaces, whole or
  // with what VADER strips from one end (base/words.ts; a quote is in no word: wordsHoldQuote).
  let words = high >= 0x80;
  if (asking && !words) {
    const from = quoted ? valueStart : tokenStart;
    if ((seen & MARK_SPACE) != 0) words = piecesMayHoldWord(from, stop, end);
    else if (named || seen != 0) words = pieceMayBeWord(from, stop, end);
    else if (others == 0) words = lettersMayBeWord(word, letters); // letters only: hashed as they were read
    else words = mayBeWord(from, stop, end);
  }
  token.words = words;
  // A word: letters only, or letters and a ':' at their end. Letters only are no typed token.
  let type = TOKEN_PLAIN;
  let isWord = false;
  if (others == 0) isWord = letters > 0 && letters <= WORD_LIMIT;
  else {
    if (shape == ipv4Shape) type = TOKEN_ADDRESS;
    else if ((seen & (MARK_COLON | MARK_NOT_ADDRESS)) == MARK_COLON && isIpv6(valueStart, stop)) type = TOKEN_ADDRESS;
    else if ((seen & MARK_NOT_HEX_ID) == 0 && letters > 0 && stop - valueStart >= 8 && isHexId(valueStart, stop)) type = TOKEN_HEX;
    if (type != TOKEN_PLAIN) shape = fnv1aStep(FNV_OFFSET, type);
    else isWord = others == 1 && last == COLON && letters > 0 && letters <= WORD_LIMIT;
  }
  token.valueStart = valueStart;
  token.valueEnd = stop;
  token.named = named;
  token.keyHash = keyHash;
  token.wholeShape = shape & 0xffffff;
  token.valueType = type;
  token.freeText = spaces >= FREE_TEXT_SPACES;
  token.nameless = digits || letters == 0;
  token.nextKey = isWord ? word : ~shape;
  token.nextKeyIsWord = isWord;
  token.seen = seen;
  return p;
}

/** Whether a quoted string opening at p is a request line: a method in capitals, a space, then not a space. */
function isRequestLine(p: usize, end: usize): bool {
  const start = p;
  while (p < end && <u32>load<u8>(p) - 0x41 < 26) p++;
  return p > start && p - start <= 16 && p + 1 < end && load<u8>(p) == 0x20 && load<u8>(p + 1) != 0x20;
}

/** An IPv6 address: hex digits and colons (a dotted IPv4 tail allowed), with "::" or all eight groups. */
function isIpv6(start: usize, end: usize): bool {
  if (end - start > 45) return false;
  let colons = 0;
  let double = false;
  let previous: u32 = 0;
  for (let p = start; p < end; p++) {
    const b = <u32>load<u8>(p);
    if (b == COLON) {
      colons++;
      if (previous == COLON) double = true;
    } else if (!isHex(b) && b != 0x2e) return false;
    previous = b;
  }
  return double || colons == 7;
}

/**
 * A hex id: 8 to 128 hex digits with a letter among them (a hash, a session id), or groups of hex
 * digits joined by ':' or '-' (a UUID, a MAC address, a key fingerprint) of 8 digits or more.
 */
function isHexId(start: usize, end: usize): bool {
  const n = <i32>(end - start);
  if (n > 128) return false;
  let digits = 0;
  let letters = 0;
  let separators = 0;
  let previous: u32 = 0x3a;
  for (let i = 0; i < n; i++) {
    const b = <u32>load<u8>(start + i);
    if (b == COLON || b == 0x2d) {
      if (previous == COLON || previous == 0x2d) return false;
      separators++;
    } else if (isHex(b)) {
      digits++;
      if (b > 0x39) letters++;
    } else return false;
    previous = b;
  }
  return digits >= 8 && previous != COLON && previous != 0x2d && (separators > 0 || letters > 0);
}

/**
 * Reads a value [start, end) as its shape's trigrams, percent-decoding as it goes; a typed value is
 * one symbol. Returns `decades` plus the rare trigrams' (added in order, so sums stay exact).
 */
function readGrams(start: usize, end: usize, type: u32, decades: f64): f64 {
  let trigram: u32 = (START << 8) | START;
  if (type != TOKEN_PLAIN) {
    trigram = ((trigram << 8) | type) & 0xffffff;
    decades = gram(trigram, decades);
    return gram(((trigram << 8) | END) & 0xffffff, decades);
  }
  let last: u32 = START;
  let p = start;
  while (p < end) {
    let b = <u32>load<u8>(p);
    if (last != LETTER && last != DIGIT && isHex(b)) {
      // A hex run is one symbol, as readToken's whole shape has it.
      const runEnd = hexRunEnd(p, end);
      if (runEnd != p) {
        trigram = ((trigram << 8) | TOKEN_HEX) & 0xffffff;
        decades = gram(trigram, decades);
        last = TOKEN_HEX;
        p = runEnd;
        continue;
      }
    }
    if (b == 0x25) {
      const decoded = percentDecoded(p, end);
      b = decoded & 0xff;
      p += <usize>(decoded >> 8);
    } else {
      if (b == 0x2b) b = 0x20;
      p++;
    }
    let s = shapeOf(b);
    if (b == APOSTROPHE && last == LETTER && inWord(p, end)) s = LETTER;
    if (s == last && s == DIGIT) continue;
    last = s;
    trigram = ((trigram << 8) | s) & 0xffffff;
    decades = gram(trigram, decades);
  }
  return gram(((trigram << 8) | END) & 0xffffff, decades);
}

/** Training counts a trigram; judging returns `sum` plus its decades of rarity. */
// @ts-ignore: decorator
@inline function gram(trigram: u32, sum: f64): f64 {
  if (task == LEARN) {
    bumpIn(sketch, field, trigram);
    if (learningGlobal) bumpIn(sketch, GLOBAL_FIELD, trigram);
    return sum;
  }
  const count = <f64>countIn(sketch, field, trigram);
  if (count >= rareBelow) return sum;
  let decades = (Math.log10((<f64>fieldValues + 2) / (count + 1)) - rareDecades) * gramWeight;
  if (freeText) {
    if (field != GLOBAL_FIELD) {
      if (<f64>countIn(sketch, GLOBAL_FIELD, trigram) >= (<f64>globalValues + 2) * GLOBAL_RARE_SHARE - 1) return sum;
    }
    decades *= FREE_TEXT_WEIGHT;
  }
  if (task == EXPLAIN) explainGram(trigram, count, decades);
  return sum + decades;
}

// ---------------------------------------------------------------------------------------------
// Explaining a message's field surprise, for `tarkin explain` (not the per-record path).

// Per rare trigram, layouts.ts EXPLAIN_GRAM.
export const EXPLAIN_CAPACITY = 4096;
const explained = memory.data(EXPLAIN_GRAM * EXPLAIN_CAPACITY, 8);
/** What explainFields found in the last message it explained. */
class Explanation {
  /** The entries written (EXPLAIN_GRAM each) at explainedAddress(). */
  grams: i32 = 0;
  messageStart: usize = 0;
  /** The field being judged: its name in the message (offsets from its start) and how it is named (FIELD_). */
  nameStart: u32 = 0;
  nameEnd: u32 = 0;
  kind: u32 = 0;
  /** A FIELD_OF_SUBJECT's subject (offsets from its start). */
  subjectStart: u32 = 0;
  subjectEnd: u32 = 0;
}
export const explanation = new Explanation();

/** Names the entries explained next from the rare table's entry at `at`. */
function beginExplainedField(at: usize): void {
  const from = explanation.messageStart;
  explanation.nameStart = load<u32>(at + RARE_NAME_START) - <u32>from;
  explanation.nameEnd = load<u32>(at + RARE_NAME_END) - <u32>from;
  explanation.kind = load<u32>(at + RARE_KIND);
  const subjectStart = load<u32>(at + RARE_SUBJECT_START);
  explanation.subjectStart = subjectStart != 0 ? subjectStart - <u32>from : 0;
  explanation.subjectEnd = subjectStart != 0 ? load<u32>(at + RARE_SUBJECT_END) - <u32>from : 0;
}

function explainGram(trigram: u32, count: f64, decades: f64): void {
  if (explanation.grams >= EXPLAIN_CAPACITY) return;
  const at = explained + <usize>explanation.grams * EXPLAIN_GRAM;
  explanation.grams++;
  store<u32>(at + EXPLAIN_GRAM_NAME_START, explanation.nameStart);
  store<u32>(at + EXPLAIN_GRAM_NAME_END, explanation.nameEnd);
  store<u32>(at + EXPLAIN_GRAM_KIND, explanation.kind);
  store<u32>(at + EXPLAIN_GRAM_SUBJECT_START, explanation.subjectStart);
  store<u32>(at + EXPLAIN_GRAM_SUBJECT_END, explanation.subjectEnd);
  store<u32>(at + EXPLAIN_GRAM_TRIGRAM, trigram);
  store<f64>(at + EXPLAIN_GRAM_COUNT, count);
  store<f64>(at + EXPLAIN_GRAM_VALUES, <f64>fieldValues);
  store<f64>(at + EXPLAIN_GRAM_DECADES, decades);
  store<u32>(at + EXPLAIN_GRAM_EVIDENCE, field == GLOBAL_FIELD ? EVIDENCE_LOG : EVIDENCE_FIELD);
}

/** Evidence that is not a trigram (EVIDENCE_): attack syntax (`item` its SYNTAX_ bits), a new value, a length. */
function explainEvidence(kind: u32, decades: f64, item: u32, count: f64, values: f64): void {
  if (explanation.grams >= EXPLAIN_CAPACITY) return;
  const saved = fieldValues;
  fieldValues = <u32>values;
  explainGram(item, count, decades);
  fieldValues = saved;
  store<u32>(explained + <usize>(explanation.grams - 1) * EXPLAIN_GRAM + EXPLAIN_GRAM_EVIDENCE, kind);
}


/** fieldSurprise, writing every rare trigram (layouts.ts EXPLAIN_GRAM, at most EXPLAIN_CAPACITY) at explainedAddress(). */
export function explainFields(start: usize, end: usize, reading: FieldReading): f64 {
  task = EXPLAIN;
  explanation.grams = 0;
  explanation.messageStart = start;
  readFields(start, end, reading);
  task = SCORE;
  return surpriseOfDecades(reading.decades);
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

// JSON record I/O: validate the record, find the message in it, decode the message's string
// escapes (Fluent Bit escapes every non-ASCII character as \uXXXX by default), and write the
// record on with tarkin's fields. Iterative, so a record nested 10,000 deep costs no stack, and
// buffers are reused, so a record costs no allocation once the largest has been seen.
import { decodeAt, decodedLength, encodeAt, REPLACEMENT } from "../base/utf8";
import { Growable, anyByteIs, bytesEqual, containsByte, HIGH_BITS } from "../base/buffers";
import { reserve, writeAscii, writeByte, writeBytes, writeNumber, writeRounded } from "./output";
import { addMember, clearMembers, memberKeyStart, memberKeyEnd, memberValueStart, memberValueEnd, memberIsPlain, KEY_PLAIN, VALUE_PLAIN } from "./members";

// The bytes JSON's grammar is made of.
const QUOTE: u32 = 0x22;
const BACKSLASH: u32 = 0x5c;
const OPEN_OBJECT: u32 = 0x7b; // {
const CLOSE_OBJECT: u32 = 0x7d; // }
const OPEN_ARRAY: u32 = 0x5b; // [
const CLOSE_ARRAY: u32 = 0x5d; // ]
const COMMA: u32 = 0x2c;
const COLON: u32 = 0x3a;
const SPACE: u32 = 0x20;
const TAB: u32 = 0x09;
const LINE_FEED: u32 = 0x0a;
const CARRIAGE_RETURN: u32 = 0x0d;
const MINUS: u32 = 0x2d;
const PLUS: u32 = 0x2b;
const POINT: u32 = 0x2e;
const DIGIT_0: u32 = 0x30;
const DIGIT_9: u32 = 0x39;
const LETTER_E: u32 = 0x65; // an exponent, either case (tested with 0x20 set)
const END_OF_INPUT: u32 = 0x100; // what peek() sees past the end: no byte
// The letters after a backslash.
const ESCAPE_U: u32 = 0x75; // \uXXXX
const ESCAPE_B: u32 = 0x62;
const ESCAPE_F: u32 = 0x66;
const ESCAPE_N: u32 = 0x6e;
const ESCAPE_R: u32 = 0x72;
const ESCAPE_T: u32 = 0x74;
const SLASH: u32 = 0x2f;
// The literals' first letters.
const TRUE_START: u32 = 0x74;
const FALSE_START: u32 = 0x66;
const NULL_START: u32 = 0x6e;

// ---------------------------------------------------------------------------------------------
// Scanning.

let pos: usize = 0;
let end: usize = 0;
/** Why the last scan failed; a static string, so setting it allocates nothing. */
export let failure: string = "";
/** Whether a string scanned since it was last cleared had an escape in it. */
let escapes = false;

// Open containers, one bit each (1 = object); 2^19 levels before a record counts as too deep.
const MAX_DEPTH: i32 = 1 << 19;
const nesting = memory.data(MAX_DEPTH >> 3);

// @ts-ignore: decorator
@inline function peek(): u32 {
  return pos < end ? <u32>load<u8>(pos) : END_OF_INPUT;
}

function skipSpace(): void {
  while (pos < end) {
    const b = load<u8>(pos);
    if (b != SPACE && b != TAB && b != LINE_FEED && b != CARRIAGE_RETURN) return;
    pos++;
  }
}

function fail(why: string): bool {
  failure = why;
  return false;
}

@inline function isHex(b: u32): bool {
  return (b >= DIGIT_0 && b <= DIGIT_9) || ((b | 0x20) >= 0x61 && (b | 0x20) <= 0x66); // a-f, either case
}

/**
 * The high bit of each of the eight bytes that is other than printable ASCII or is a quote or a
 * backslash; 0 when none is. Bits above a set one may be set wrongly (borrows), the lowest never:
 * it is the first such byte's.
 */
// @ts-ignore: decorator
@inline function notPlainBits(x: u64): u64 {
  return (x | ((x - 0x2020202020202020) & ~x) | bytesEqual(x, QUOTE) | bytesEqual(x, BACKSLASH)) & HIGH_BITS;
}

/** Past a string whose opening quote is at pos: escapes well-formed, UTF-8 valid, no raw controls. */
function scanString(): bool {
  let p = pos + 1;
  const stop = end;
  while (p < stop) {
    // Printable ASCII but quotes and backslashes, most of a message, eight bytes at a time; the
    // first byte that is not is found at once, not byte by byte (a short string's closing quote).
    while (p + 8 <= stop) {
      const special = notPlainBits(load<u64>(p));
      if (special != 0) {
        p += <usize>(ctz(special) >> 3);
        break;
      }
      p += 8;
    }
    if (p >= stop) break;
    const b = <u32>load<u8>(p);
    if (b == QUOTE) {
      pos = p + 1;
      return true;
    }
    pos = p;
    if (b == BACKSLASH) {
      escapes = true;
      if (p + 1 >= stop) return fail("unterminated string");
      const e = <u32>load<u8>(p + 1);
      if (e == ESCAPE_U) {
        if (p + 6 > stop) return fail("truncated \\u escape");
        for (let i: usize = 2; i < 6; i++) if (!isHex(load<u8>(p + i))) return fail("invalid \\u escape");
        p += 6;
      } else if (e == QUOTE || e == BACKSLASH || e == SLASH || e == ESCAPE_B || e == ESCAPE_F || e == ESCAPE_N || e == ESCAPE_R || e == ESCAPE_T) {
        p += 2;
      } else return fail("invalid escape in string");
    } else if (b < SPACE) {
      return fail("control character in string");
    } else if (b < 0x80) {
      p++;
    } else {
      const cp = decodeAt(p, stop);
      if (cp == REPLACEMENT && !isReplacementBytes(p)) return fail("invalid UTF-8 in string");
      p += decodedLength;
    }
  }
  pos = p;
  return fail("unterminated string");
}

// @ts-ignore: decorator
@inline export function isReplacementBytes(p: usize): bool {
  return decodedLength == 3 && load<u8>(p) == 0xef && load<u8>(p, 1) == 0xbf && load<u8>(p, 2) == 0xbd;
}

function scanDigits(): bool {
  const start = pos;
  while (pos < end && load<u8>(pos) >= DIGIT_0 && load<u8>(pos) <= DIGIT_9) pos++;
  return pos > start;
}

function scanNumber(): bool {
  if (peek() == MINUS) pos++;
  if (peek() == DIGIT_0) pos++;
  else if (!scanDigits()) return fail("invalid number");
  if (peek() == POINT) {
    pos++;
    if (!scanDigits()) return fail("invalid number");
  }
  if ((peek() | 0x20) == LETTER_E) {
    pos++;
    if (peek() == PLUS || peek() == MINUS) pos++;
    if (!scanDigits()) return fail("invalid number");
  }
  return true;
}

function scanWord(word: string): bool {
  const n = <usize>word.length;
  if (pos + n > end) return fail("invalid literal");
  for (let i = 0; i < word.length; i++) if (<u32>load<u8>(pos + i) != <u32>word.charCodeAt(i)) return fail("invalid literal");
  pos += n;
  return true;
}

/** Past one value of any depth. */
function scanValue(): bool {
  let depth = 0;
  while (true) {
    skipSpace();
    const b = peek();
    if (b == OPEN_OBJECT || b == OPEN_ARRAY) {
      if (depth == MAX_DEPTH) return fail("nested deeper than 524288 levels");
      const bit = <u32>1 << <u32>(depth & 7);
      const at = nesting + <usize>(depth >> 3);
      const bits = <u32>load<u8>(at);
      store<u8>(at, <u8>(b == OPEN_OBJECT ? bits | bit : bits & ~bit));
      depth++;
      pos++;
      skipSpace();
      if (peek() == (b == OPEN_OBJECT ? CLOSE_OBJECT : CLOSE_ARRAY)) {
        pos++;
        depth--;
      } else {
        if (b == OPEN_OBJECT && !scanKey()) return false;
        continue;
      }
    } else if (b == QUOTE) {
      if (!scanString()) return false;
    } else if (b == MINUS || (b >= DIGIT_0 && b <= DIGIT_9)) {
      if (!scanNumber()) return false;
    } else if (b == TRUE_START) {
      if (!scanWord("true")) return false;
    } else if (b == FALSE_START) {
      if (!scanWord("false")) return false;
    } else if (b == NULL_START) {
      if (!scanWord("null")) return false;
    } else return fail(b == END_OF_INPUT ? "unexpected end of record" : "unexpected character");
    // After a value: close containers, or move to the next element.
    while (depth > 0) {
      skipSpace();
      const inObject = (<u32>load<u8>(nesting + <usize>((depth - 1) >> 3)) & (<u32>1 << <u32>((depth - 1) & 7))) != 0;
      const c = peek();
      if (c == COMMA) {
        pos++;
        if (inObject) {
          skipSpace();
          if (!scanKey()) return false;
        }
        break;
      }
      if (c == (inObject ? CLOSE_OBJECT : CLOSE_ARRAY)) {
        pos++;
        depth--;
        continue;
      }
      return fail(inObject ? "expected , or } in object" : "expected , or ] in array");
    }
    if (depth == 0) return true;
  }
  return false;
}

/** Where the last scanned key's closing quote is. */
let keyEnd: usize = 0;

/** Past `"key":` at pos. */
function scanKey(): bool {
  if (peek() != QUOTE) return fail("expected a string key");
  if (!scanString()) return false;
  keyEnd = pos - 1;
  skipSpace();
  if (peek() != COLON) return fail("expected : after key");
  pos++;
  return true;
}

/** Validates the record as one JSON object and records its top-level members (key spans inside the quotes); false sets `failure`. */
export function parseRecord(start: usize, length: usize): bool {
  pos = start;
  end = start + length;
  clearMembers();
  if (length >= 3 && load<u8>(start) == 0xef && load<u8>(start, 1) == 0xbb && load<u8>(start, 2) == 0xbf) {
    return fail("record starts with a byte-order mark");
  }
  skipSpace();
  if (peek() != OPEN_OBJECT) return fail(pos >= end ? "empty record" : "not a JSON object");
  pos++;
  skipSpace();
  if (peek() == CLOSE_OBJECT) pos++;
  else {
    while (true) {
      skipSpace();
      const keyStart = pos + 1;
      escapes = false;
      if (!scanKey()) return false;
      const keyStop = keyEnd; // before scanValue scans keys of its own
      const keyPlain = !escapes;
      skipSpace();
      const valueStart = pos;
      escapes = false;
      if (!scanValue()) return false;
      addMember(keyStart, keyStop, valueStart, pos, (keyPlain ? KEY_PLAIN : 0) | (escapes ? 0 : VALUE_PLAIN));
      skipSpace();
      const c = peek();
      if (c == COMMA) {
        pos++;
        continue;
      }
      if (c == CLOSE_OBJECT) {
        pos++;
        break;
      }
      return fail("expected , or } in object");
    }
  }
  skipSpace();
  if (pos != end) return fail("trailing characters after the record");
  return true;
}

// ---------------------------------------------------------------------------------------------
// Decoding strings.

/** Decodes the content of a validated JSON string [start, stop) to UTF-8 at out; returns its length. */
export function decodeString(start: usize, stop: usize, out: usize): i32 {
  let n = 0;
  let p = start;
  while (p < stop) {
    // Eight bytes at a time up to the next backslash. The decoded text is never longer than what
    // has been read, so a whole word always fits where it goes.
    while (p + 8 <= stop) {
      const x = load<u64>(p);
      if (anyByteIs(x, BACKSLASH)) break;
      store<u64>(out + n, x);
      n += 8;
      p += 8;
    }
    if (p >= stop) break;
    const b = <u32>load<u8>(p);
    if (b != BACKSLASH) {
      store<u8>(out + n, <u8>b);
      n++;
      p++;
      continue;
    }
    const e = <u32>load<u8>(p + 1);
    p += 2;
    let cp: u32;
    if (e == ESCAPE_U) {
      cp = hex4(p);
      p += 4;
      if (cp >= 0xd800 && cp <= 0xdbff && p + 6 <= stop && load<u8>(p) == BACKSLASH && load<u8>(p, 1) == ESCAPE_U) {
        const low = hex4(p + 2);
        if (low >= 0xdc00 && low <= 0xdfff) {
          cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
          p += 6;
        }
      }
      // A lone surrogate cannot be UTF-8; JavaScript's TextEncoder makes it U+FFFD too.
      if (cp >= 0xd800 && cp <= 0xdfff) cp = REPLACEMENT;
    } else if (e == ESCAPE_B) cp = 0x08; // backspace
    else if (e == ESCAPE_F) cp = 0x0c; // form feed
    else if (e == ESCAPE_N) cp = LINE_FEED;
    else if (e == ESCAPE_R) cp = CARRIAGE_RETURN;
    else if (e == ESCAPE_T) cp = TAB;
    else cp = e; // " \ /
    n += encodeAt(out + n, cp);
  }
  return n;
}

function hex4(p: usize): u32 {
  let v: u32 = 0;
  for (let i: usize = 0; i < 4; i++) {
    const b = <u32>load<u8>(p + i);
    v = (v << 4) | (b <= DIGIT_9 ? b - DIGIT_0 : (b | 0x20) - 0x57); // 0x57: "a" less 10
  }
  return v;
}

// Decoded strings that had escapes in them; a string without one is read in place.
const decoded = new Growable();

/** Where the last stringText's UTF-8 is: in the record itself, or in `decoded`. */
export let textAt: usize = 0;

/**
 * The content of the validated JSON string [start, stop) as UTF-8: in place when it has no escape
 * (as most keys and messages), else decoded; returns its length, textAt says where. `plain` says
 * the parse has seen that it has none, so it is not looked for again.
 */
export function stringText(start: usize, stop: usize, plain: bool = false): i32 {
  if (plain || !containsByte(start, stop, BACKSLASH)) {
    textAt = start;
    return <i32>(stop - start);
  }
  textAt = decoded.reserve(stop - start);
  return decodeString(start, stop, textAt);
}

/** Whether the validated JSON string [start, stop) decodes to the UTF-8 bytes [name, name + length). */
function stringEquals(start: usize, stop: usize, name: usize, length: i32): bool {
  if (<usize>length > stop - start) return false;
  return stringText(start, stop) == length && memory.compare(textAt, name, <usize>length) == 0;
}

/** In the validated object value [start, stop), the last member named [name, name + length): its value span. */
export let foundStart: usize = 0;
export let foundEnd: usize = 0;
export function findInObject(start: usize, stop: usize, name: usize, length: i32): bool {
  pos = start + 1;
  end = stop;
  let found = false;
  skipSpace();
  if (peek() == CLOSE_OBJECT) return false;
  while (true) {
    skipSpace();
    const keyStart = pos + 1;
    scanKey();
    const keyStop = keyEnd; // before scanValue scans keys of its own
    skipSpace();
    const valueStart = pos;
    scanValue();
    const valueEnd = pos;
    // The scans moved pos; stringEquals only decodes, it does not scan.
    if (stringEquals(keyStart, keyStop, name, length)) {
      found = true;
      foundStart = valueStart;
      foundEnd = valueEnd;
    }
    skipSpace();
    if (peek() != COMMA) break;
    pos++;
  }
  return found;
}

// ---------------------------------------------------------------------------------------------
// Writing JSON.

/** Writes [p, p + length) as a JSON string: quotes, escapes, ill-formed UTF-8 as U+FFFD. */
export function writeString(p: usize, length: usize): void {
  reserve(length + 2);
  writeByte(QUOTE);
  const stop = p + length;
  while (p < stop) {
    const b = <u32>load<u8>(p);
    if (b >= SPACE && b < 0x80 && b != QUOTE && b != BACKSLASH) {
      writeByte(b);
      p++;
    } else if (b == QUOTE || b == BACKSLASH) {
      writeByte(BACKSLASH);
      writeByte(b);
      p++;
    } else if (b < SPACE) {
      writeAscii("\\u00");
      writeByte(<u32>HEX.charCodeAt(b >> 4));
      writeByte(<u32>HEX.charCodeAt(b & 15));
      p++;
    } else {
      const cp = decodeAt(p, stop);
      const length = decodedLength;
      if (cp == REPLACEMENT && !isReplacementBytes(p)) writeAscii("\\ufffd");
      else writeBytes(p, <usize>length);
      p += length;
    }
  }
  writeByte(QUOTE);
}

const HEX = "0123456789abcdef";

// ---------------------------------------------------------------------------------------------
// The JSON event format as the filter drives it. msgpack.ts's MsgpackEvents has the same methods:
// the filter's flow (filter.ts) is written once over either, chosen once per record, and compiled
// for each, so no call asks which format it is in.

@final export class JsonEvents {
  /** Fluent Bit (5.1.1, filter_wasm.c) skips a record on an empty result in JSON mode. */
  @inline canDrop(): bool {
    return true;
  }

  @inline read(record: usize, length: usize): bool {
    return parseRecord(record, length);
  }

  @inline failure(): string {
    return failure;
  }

  /** Member i's key as UTF-8, in place where it can be (text() says where); its length, -1 when it has none. */
  @inline keyText(i: i32): i32 {
    return stringText(memberKeyStart(i), memberKeyEnd(i), memberIsPlain(i, KEY_PLAIN));
  }

  /** Where the last keyText or messageText is. */
  @inline text(): usize {
    return textAt;
  }

  /** Whether the value [start, stop) is an object with a member of this name: the last one's value is found(). */
  @inline findIn(start: usize, stop: usize, name: usize, length: i32): bool {
    return load<u8>(start) == OPEN_OBJECT && findInObject(start, stop, name, length);
  }

  @inline foundStart(): usize {
    return foundStart;
  }

  @inline foundEnd(): usize {
    return foundEnd;
  }

  /** Whether the value [start, stop) is a string: its content is stringStart()..stringEnd(). */
  @inline isString(start: usize, stop: usize): bool {
    if (load<u8>(start) != QUOTE) return false;
    stringStart = start + 1;
    stringEnd = stop - 1;
    return true;
  }

  @inline stringStart(): usize {
    return stringStart;
  }

  @inline stringEnd(): usize {
    return stringEnd;
  }

  /** The string content [start, stop) as UTF-8, decoded unless `plain` (no escape): its length, text() says where. */
  @inline messageText(start: usize, stop: usize, plain: bool): i32 {
    return stringText(start, stop, plain);
  }

  /** An own key's form as written before its value, at `at`: `,"name":`; its length. */
  keyForm(at: usize, name: usize, length: i32): i32 {
    store<u8>(at, COMMA);
    store<u8>(at, QUOTE, 1);
    memory.copy(at + 2, name, <usize>length);
    store<u8>(at + 2 + <usize>length, QUOTE);
    store<u8>(at + 3 + <usize>length, COLON);
    return length + 4;
  }

  /** The bytes of a key's form that the record's first member goes without (the comma). */
  @inline separatorBytes(): i32 {
    return 1;
  }

  @inline open(members: i32): void {
    writeByte(OPEN_OBJECT);
  }

  @inline close(): void {
    writeByte(CLOSE_OBJECT);
  }

  /** Member i of the record read, as it was (its key with its quotes, its value as written). */
  writeMember(i: i32, first: bool): void {
    if (!first) writeByte(COMMA);
    const keyStart = memberKeyStart(i) - 1;
    writeBytes(keyStart, memberKeyEnd(i) + 1 - keyStart);
    writeByte(COLON);
    writeBytes(memberValueStart(i), memberValueEnd(i) - memberValueStart(i));
  }

  @inline writeBool(value: bool): void {
    writeBytes(value ? TRUE : FALSE, value ? 4 : 5);
  }

  /** A number; `decimals` > 0 when the value is known to have at most that many. */
  @inline writeNumber(value: f64, decimals: i32): void {
    if (decimals > 0) writeRounded(value, decimals);
    else writeNumber(value);
  }

  /** UTF-8 text, as a string. */
  @inline writeText(p: usize, length: usize): void {
    writeString(p, length);
  }

  /** A record that cannot go on as itself, as the JSON string of its text. */
  @inline writeCarried(record: usize, length: usize): void {
    writeString(record, length);
  }

  /** Whether the members not flagged in `skipped` (a byte each) and `added` more can be written as they are: always. */
  @inline canCarry(skipped: usize, added: i32): bool {
    return true;
  }
}

const TRUE = memory.data<u8>([0x74, 0x72, 0x75, 0x65]);
const FALSE = memory.data<u8>([0x66, 0x61, 0x6c, 0x73, 0x65]);

/** isString's result. */
let stringStart: usize = 0;
let stringEnd: usize = 0;

export const JSON_EVENTS = new JsonEvents();

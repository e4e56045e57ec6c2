// JSON record I/O: validate the record, find the message in it, decode the message's string
// escapes (Fluent Bit escapes every non-ASCII character as \uXXXX by default), and write the
// record on with tarkin's fields. Iterative, so a record nested 10,000 deep costs no stack, and
// buffers are reused, so a record costs no allocation once the largest has been seen.
import { decodeAt, decodedLength, encodeAt, REPLACEMENT } from "./utf8";
import { Growable, anyByteIs, bytesEqual, containsByte, HIGH_BITS } from "./buffers";
import { reserve, writeAscii, writeByte, writeBytes } from "./output";
import { addMember, clearMembers, KEY_PLAIN, VALUE_PLAIN } from "./members";

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
  return pos < end ? <u32>load<u8>(pos) : 0x100;
}

function skipSpace(): void {
  while (pos < end) {
    const b = load<u8>(pos);
    if (b != 0x20 && b != 0x09 && b != 0x0a && b != 0x0d) return;
    pos++;
  }
}

function fail(why: string): bool {
  failure = why;
  return false;
}

@inline function isHex(b: u32): bool {
  return (b >= 0x30 && b <= 0x39) || ((b | 0x20) >= 0x61 && (b | 0x20) <= 0x66);
}

/**
 * The high bit of each of the eight bytes that is other than printable ASCII or is a quote or a
 * backslash; 0 when none is. Bits above a set one may be set wrongly (borrows), the lowest never:
 * it is the first such byte's.
 */
// @ts-ignore: decorator
@inline function notPlainBits(x: u64): u64 {
  return (x | ((x - 0x2020202020202020) & ~x) | bytesEqual(x, 0x22) | bytesEqual(x, 0x5c)) & HIGH_BITS;
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
    if (b == 0x22) {
      pos = p + 1;
      return true;
    }
    pos = p;
    if (b == 0x5c) {
      escapes = true;
      if (p + 1 >= stop) return fail("unterminated string");
      const e = <u32>load<u8>(p + 1);
      if (e == 0x75) {
        if (p + 6 > stop) return fail("truncated \\u escape");
        for (let i: usize = 2; i < 6; i++) if (!isHex(load<u8>(p + i))) return fail("invalid \\u escape");
        p += 6;
      } else if (e == 0x22 || e == 0x5c || e == 0x2f || e == 0x62 || e == 0x66 || e == 0x6e || e == 0x72 || e == 0x74) {
        p += 2;
      } else return fail("invalid escape in string");
    } else if (b < 0x20) {
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
  while (pos < end && load<u8>(pos) >= 0x30 && load<u8>(pos) <= 0x39) pos++;
  return pos > start;
}

function scanNumber(): bool {
  if (peek() == 0x2d) pos++;
  if (peek() == 0x30) pos++;
  else if (!scanDigits()) return fail("invalid number");
  if (peek() == 0x2e) {
    pos++;
    if (!scanDigits()) return fail("invalid number");
  }
  if ((peek() | 0x20) == 0x65) {
    pos++;
    if (peek() == 0x2b || peek() == 0x2d) pos++;
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
    if (b == 0x7b || b == 0x5b) {
      if (depth == MAX_DEPTH) return fail("nested deeper than 524288 levels");
      const bit = <u32>1 << <u32>(depth & 7);
      const at = nesting + <usize>(depth >> 3);
      const bits = <u32>load<u8>(at);
      store<u8>(at, <u8>(b == 0x7b ? bits | bit : bits & ~bit));
      depth++;
      pos++;
      skipSpace();
      if (peek() == (b == 0x7b ? 0x7d : 0x5d)) {
        pos++;
        depth--;
      } else {
        if (b == 0x7b && !scanKey()) return false;
        continue;
      }
    } else if (b == 0x22) {
      if (!scanString()) return false;
    } else if (b == 0x2d || (b >= 0x30 && b <= 0x39)) {
      if (!scanNumber()) return false;
    } else if (b == 0x74) {
      if (!scanWord("true")) return false;
    } else if (b == 0x66) {
      if (!scanWord("false")) return false;
    } else if (b == 0x6e) {
      if (!scanWord("null")) return false;
    } else return fail(b == 0x100 ? "unexpected end of record" : "unexpected character");
    // After a value: close containers, or move to the next element.
    while (depth > 0) {
      skipSpace();
      const inObject = (<u32>load<u8>(nesting + <usize>((depth - 1) >> 3)) & (<u32>1 << <u32>((depth - 1) & 7))) != 0;
      const c = peek();
      if (c == 0x2c) {
        pos++;
        if (inObject) {
          skipSpace();
          if (!scanKey()) return false;
        }
        break;
      }
      if (c == (inObject ? 0x7d : 0x5d)) {
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
  if (peek() != 0x22) return fail("expected a string key");
  if (!scanString()) return false;
  keyEnd = pos - 1;
  skipSpace();
  if (peek() != 0x3a) return fail("expected : after key");
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
  if (peek() != 0x7b) return fail(pos >= end ? "empty record" : "not a JSON object");
  pos++;
  skipSpace();
  if (peek() == 0x7d) pos++;
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
      if (c == 0x2c) {
        pos++;
        continue;
      }
      if (c == 0x7d) {
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
      if (anyByteIs(x, 0x5c)) break;
      store<u64>(out + n, x);
      n += 8;
      p += 8;
    }
    if (p >= stop) break;
    const b = <u32>load<u8>(p);
    if (b != 0x5c) {
      store<u8>(out + n, <u8>b);
      n++;
      p++;
      continue;
    }
    const e = <u32>load<u8>(p + 1);
    p += 2;
    let cp: u32;
    if (e == 0x75) {
      cp = hex4(p);
      p += 4;
      if (cp >= 0xd800 && cp <= 0xdbff && p + 6 <= stop && load<u8>(p) == 0x5c && load<u8>(p, 1) == 0x75) {
        const low = hex4(p + 2);
        if (low >= 0xdc00 && low <= 0xdfff) {
          cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
          p += 6;
        }
      }
      // A lone surrogate cannot be UTF-8; JavaScript's TextEncoder makes it U+FFFD too.
      if (cp >= 0xd800 && cp <= 0xdfff) cp = REPLACEMENT;
    } else if (e == 0x62) cp = 0x08;
    else if (e == 0x66) cp = 0x0c;
    else if (e == 0x6e) cp = 0x0a;
    else if (e == 0x72) cp = 0x0d;
    else if (e == 0x74) cp = 0x09;
    else cp = e; // " \ /
    n += encodeAt(out + n, cp);
  }
  return n;
}

function hex4(p: usize): u32 {
  let v: u32 = 0;
  for (let i: usize = 0; i < 4; i++) {
    const b = <u32>load<u8>(p + i);
    v = (v << 4) | (b <= 0x39 ? b - 0x30 : (b | 0x20) - 0x57);
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
  if (plain || !containsByte(start, stop, 0x5c)) {
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
  if (peek() == 0x7d) return false;
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
    if (peek() != 0x2c) break;
    pos++;
  }
  return found;
}

// ---------------------------------------------------------------------------------------------
// Writing JSON.

/** Writes [p, p + length) as a JSON string: quotes, escapes, ill-formed UTF-8 as U+FFFD. */
export function writeString(p: usize, length: usize): void {
  reserve(length + 2);
  writeByte(0x22);
  const stop = p + length;
  while (p < stop) {
    const b = <u32>load<u8>(p);
    if (b >= 0x20 && b < 0x80 && b != 0x22 && b != 0x5c) {
      writeByte(b);
      p++;
    } else if (b == 0x22 || b == 0x5c) {
      writeByte(0x5c);
      writeByte(b);
      p++;
    } else if (b < 0x20) {
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
  writeByte(0x22);
}

const HEX = "0123456789abcdef";

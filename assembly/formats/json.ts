// JSON record I/O: validate the record, find the message in it, decode the message's string
// escapes (Fluent Bit escapes every non-ASCII character as \uXXXX by default), and write the
// record on with tarkin's fields. Iterative, so a record nested 10,000 deep costs no stack, and
// buffers are reused, so a record costs no allocation once the largest has been seen.
import { decodeUtf8, decodedBytes, decodedWellFormed, encodeAt, REPLACEMENT } from "../base/utf8";
import { Growable, HIGH_BITS, sameBytes } from "../base/buffers";
import { NO_SPAN, span, spanStart, spanLength } from "../base/span";
import { Events, FAILED, Reader } from "./events";
import { copyAt, numberAt, room, roomAt, wrote, writeByte, writeBytes } from "./output";
import {
  addMember, clearMembers, memberCount, memberKeyStart, memberKeyEnd, memberValueStart, memberValueEnd, memberIsPlain, KEY_PLAIN, VALUE_PLAIN,
} from "./members";

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
// JSON's whitespace, a bit per byte value (all of them at most SPACE).
const WHITESPACE: u64 = (<u64>1 << SPACE) | (<u64>1 << TAB) | (<u64>1 << LINE_FEED) | (<u64>1 << CARRIAGE_RETURN);
const MINUS: u32 = 0x2d;
const PLUS: u32 = 0x2b;
const POINT: u32 = 0x2e;
const DIGIT_0: u32 = 0x30;
const DIGIT_9: u32 = 0x39;
const LETTER_E: u32 = 0x65; // an exponent, either case (tested with 0x20 set)
const END_OF_INPUT: u32 = 0x100; // what peek() sees past the end: no byte
const ESCAPE_U: u32 = 0x75; // \uXXXX
// The literals' first letters.
const TRUE_START: u32 = 0x74;
const FALSE_START: u32 = 0x66;
const NULL_START: u32 = 0x6e;

// ---------------------------------------------------------------------------------------------
// Scanning (a scan returns the position after what it read, or FAILED: events.ts's Reader).

// Per byte: what the one-letter escape of that letter stands for (\" \\ \/ \b \f \n \r \t), 0
// for a letter that makes none; and the value of a hex digit, 16 for a byte that is not one.
const UNESCAPED = memory.data(256);
const HEX_VALUE = memory.data(256);
function fillTables(): void {
  const letters = "\"\\/bfnrt";
  const meanings = "\"\\/\b\f\n\r\t";
  for (let i = 0; i < letters.length; i++) store<u8>(UNESCAPED + <usize>letters.charCodeAt(i), <u8>meanings.charCodeAt(i));
  for (let b: u32 = 0; b < 256; b++) {
    const lower = b | 0x20;
    store<u8>(HEX_VALUE + b, <u8>(b >= DIGIT_0 && b <= DIGIT_9 ? b - DIGIT_0 : lower >= 0x61 && lower <= 0x66 ? lower - 0x57 : 16)); // 0x57: "a" less 10
  }
}
fillTables();

// @ts-ignore: decorator
@inline function hexValue(p: usize): u32 {
  return <u32>load<u8>(<usize>load<u8>(p), HEX_VALUE);
}

// @ts-ignore: decorator
@inline function peek(p: usize, end: usize): u32 {
  return p < end ? <u32>load<u8>(p) : END_OF_INPUT;
}

// @ts-ignore: decorator
@inline function skipSpace(p: usize, end: usize): usize {
  while (p < end) {
    const b = <u32>load<u8>(p);
    if (b > SPACE || ((WHITESPACE >> <u64>b) & 1) == 0) break;
    p++;
  }
  return p;
}

// @ts-ignore: decorator
@inline function skipDigits(p: usize, end: usize): usize {
  while (p < end && <u32>load<u8>(p) - DIGIT_0 < 10) p++;
  return p;
}

/**
 * Set in the high bit of each of the eight bytes that is other than printable ASCII or is a quote
 * or a backslash: (x ^ 0x02) - 0x21 sets it below 0x20 and for the quote (which the xor alone
 * takes below 0x21), (x ^ 0x5c) - 1 for the backslash and from 0x80 but for 0xdc, which the first
 * sets. Bits above a set one may be set wrongly (borrows), the lowest never: it is the first such
 * byte's. Bits other than the high bits mean nothing.
 */
// @ts-ignore: decorator
@inline function notPlain(x: u64): u64 {
  return ((x ^ 0x0202020202020202) - 0x2121212121212121) | ((x ^ 0x5c5c5c5c5c5c5c5c) - 0x0101010101010101);
}

/**
 * The first byte at or after p, before end, that is other than printable ASCII or is a quote or a
 * backslash; end when none is. Most of a message is such a run: sixteen bytes a turn, the byte
 * that ends it found at once, not byte by byte. Where memory goes on past end, the turns read
 * past it and a byte found there counts as end; else the last word is read ending at end and
 * shifted down, so the bytes past end read as NUL, which ends the run there.
 */
function plainEnd(p: usize, end: usize): usize {
  // memory.size() << 16 is 0 for 4 GiB of memory: the careful way then.
  if (end + 16 <= <usize>memory.size() << 16) {
    if (p >= end) return end;
    do {
      const first = notPlain(load<u64>(p));
      const second = notPlain(load<u64>(p, 8));
      if (((first | second) & HIGH_BITS) != 0) {
        const low = first & HIGH_BITS;
        const at = low != 0 ? p + <usize>(ctz(low) >> 3) : p + 8 + <usize>(ctz(second & HIGH_BITS) >> 3);
        return min(at, end);
      }
      p += 16;
    } while (p < end);
    return end;
  }
  while (p + 16 <= end) {
    const first = notPlain(load<u64>(p)) & HIGH_BITS;
    const second = notPlain(load<u64>(p, 8)) & HIGH_BITS;
    if ((first | second) != 0) return first != 0 ? p + <usize>(ctz(first) >> 3) : p + 8 + <usize>(ctz(second) >> 3);
    p += 16;
  }
  while (p < end) {
    const left = end - p;
    const x = left >= 8 ? load<u64>(p) : load<u64>(end - 8) >> (<u64>(8 - left) << 3);
    const special = notPlain(x) & HIGH_BITS;
    if (special != 0) return p + <usize>(ctz(special) >> 3);
    p += 8;
  }
  return end;
}

/**
 * Where the key at p closes (its closing quote) when it is one of up to fifteen plain bytes with
 * the colon right after it, as Fluent Bit writes most keys: found with a word or two, not
 * scanned; 0 when it is not such a key (scanKey reads it then).
 */
// @ts-ignore: decorator
@inline function compactKeyEnd(p: usize, end: usize): usize {
  if (p + 10 > end || <u32>load<u8>(p) != QUOTE) return 0;
  let special = notPlain(load<u64>(p, 1)) & HIGH_BITS;
  let word = p + 1;
  if (special == 0) {
    if (p + 18 > end) return 0;
    special = notPlain(load<u64>(p, 9)) & HIGH_BITS;
    if (special == 0) return 0;
    word = p + 9;
  }
  const close = word + <usize>(ctz(special) >> 3);
  return <u32>load<u8>(close) == QUOTE && <u32>load<u8>(close, 1) == COLON ? close : 0;
}

/** Where the key whose `:` ends just before p closes (its closing quote): only space lies between. */
// @ts-ignore: decorator
@inline function keyClose(p: usize): usize {
  let q = p - 2;
  while (<u32>load<u8>(q) != QUOTE) q--;
  return q;
}

// Open containers, one bit each (1 = object); 2^19 levels before a record counts as too deep.
const MAX_DEPTH: i32 = 1 << 19;
const nesting = memory.data(MAX_DEPTH >> 3);

/** Whether the open container at `depth` is an object. */
// @ts-ignore: decorator
@inline function isObjectAt(depth: i32): bool {
  return (<u32>load<u8>(nesting + <usize>(depth >> 3)) & (<u32>1 << <u32>(depth & 7))) != 0;
}

// ---------------------------------------------------------------------------------------------
// Decoding strings.

/** Decodes the content of a validated JSON string [start, stop) to UTF-8 at out; returns its length. */
function decodeString(start: usize, stop: usize, out: usize): usize {
  let n: usize = 0;
  let p = start;
  while (true) {
    // Up to the next backslash (or byte of a UTF-8 sequence, which goes as it is) at once.
    const run = plainEnd(p, stop);
    memory.copy(out + n, p, run - p);
    n += run - p;
    p = run;
    if (p >= stop) break;
    const b = load<u8>(p);
    if (<u32>b != BACKSLASH) {
      store<u8>(out + n, b);
      n++;
      p++;
      continue;
    }
    const e = <u32>load<u8>(p + 1);
    p += 2;
    if (e != ESCAPE_U) {
      store<u8>(out + n, load<u8>(<usize>e, UNESCAPED));
      n++;
      continue;
    }
    let cp = hex4(p);
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
    n += <usize>encodeAt(out + n, cp);
  }
  return n;
}

// @ts-ignore: decorator
@inline function hex4(p: usize): u32 {
  return (hexValue(p) << 12) | (hexValue(p + 1) << 8) | (hexValue(p + 2) << 4) | hexValue(p + 3);
}

// Decoded strings that had escapes in them; a string without one is read in place.
const decoded = new Growable();

/**
 * The content of the validated JSON string [start, stop) as UTF-8: in place when `plain` (the parse
 * has seen no escape in it, as in most keys and messages), else decoded (decodedText).
 */
// @ts-ignore: decorator
@inline function stringText(start: usize, stop: usize, plain: bool): u64 {
  return plain ? span(start, stop - start) : decodedText(start, stop);
}

/** The validated JSON string [start, stop) decoded into `decoded` (a string without escapes decodes to itself, so one not known to be plain is decoded, not searched first). */
function decodedText(start: usize, stop: usize): u64 {
  const at = decoded.reserve(stop - start);
  return span(at, decodeString(start, stop, at));
}

/** Whether the validated JSON string [start, stop) decodes to the UTF-8 bytes [name, name + length). */
function stringEquals(start: usize, stop: usize, name: usize, length: i32): bool {
  if (<usize>length > stop - start) return false;
  const text = decodedText(start, stop);
  return spanLength(text) == <usize>length && sameBytes(spanStart(text), name, <usize>length);
}

// ---------------------------------------------------------------------------------------------
// Writing JSON.

/** Writes [p, p + length) as a JSON string: quotes, escapes, ill-formed UTF-8 as U+FFFD. */
function writeString(p: usize, length: usize): void {
  // An empty one (the reason of most verdicts) without entering the scan.
  if (length == 0) {
    const at = room(2);
    store<u16>(at, EMPTY_STRING);
    wrote(at + 2);
  } else writeNonEmptyString(p, length);
}

/** writeString's way for a string of one byte or more. */
function writeNonEmptyString(p: usize, length: usize): void {
  const stop = p + length;
  let at = room(1);
  store<u8>(at++, QUOTE);
  while (true) {
    const run = plainEnd(p, stop);
    // Room for the run, the escape after it (six bytes at most) and the closing quote.
    at = copyAt(roomAt(at, run - p + 7), p, run - p);
    p = run;
    if (p >= stop) break;
    const b = <u32>load<u8>(p);
    if (b == QUOTE || b == BACKSLASH) {
      store<u8>(at, BACKSLASH);
      store<u8>(at, <u8>b, 1);
      at += 2;
      p++;
    } else if (b < SPACE) {
      at = copyAt(at, ESCAPED_CONTROL, 4);
      store<u8>(at, <u8>HEX.charCodeAt(b >> 4));
      store<u8>(at, <u8>HEX.charCodeAt(b & 15), 1);
      at += 2;
      p++;
    } else {
      const d = decodeUtf8(p, stop);
      const length = decodedBytes(d);
      at = decodedWellFormed(p, d) ? copyAt(at, p, length) : copyAt(at, ESCAPED_REPLACEMENT, 6);
      p += length;
    }
  }
  store<u8>(at++, QUOTE);
  wrote(at);
}

const EMPTY_STRING: u16 = 0x2222; // ""
const HEX = "0123456789abcdef";
const ESCAPED_CONTROL = memory.data<u8>([0x5c, 0x75, 0x30, 0x30]); // \u00, then two hex digits
const ESCAPED_REPLACEMENT = memory.data<u8>([0x5c, 0x75, 0x66, 0x66, 0x66, 0x64]); // \ufffd
const TRUE = memory.data<u8>([0x74, 0x72, 0x75, 0x65]);
const FALSE = memory.data<u8>([0x66, 0x61, 0x6c, 0x73, 0x65]);

// ---------------------------------------------------------------------------------------------
// The JSON event format as the filter drives it (events.ts). Reading validates the record as one
// JSON object, iteratively, so a record nested 524,288 deep costs no stack.

@final export class JsonEvents extends Reader implements Events {
  /** Whether a string scanned since this was last cleared had an escape in it. */
  private escaped: bool = false;

  /** Fluent Bit (5.1.1, filter_wasm.c) skips a record on an empty result in JSON mode. */
  @inline canDrop(): bool {
    return true;
  }

  @inline read(record: usize, length: usize): bool {
    return this.parse(record, record + length) != FAILED;
  }

  /** A key is always a string: in place unless it has escapes. */
  @inline keyText(i: i32): u64 {
    return stringText(memberKeyStart(i), memberKeyEnd(i), memberIsPlain(i, KEY_PLAIN));
  }

  @inline findIn(value: u64, name: usize, length: i32): u64 {
    const start = spanStart(value);
    if (<u32>load<u8>(start) != OPEN_OBJECT) return NO_SPAN;
    return this.findInObject(start, start + spanLength(value), name, length);
  }

  @inline text(value: u64, plain: bool): u64 {
    const start = spanStart(value);
    if (<u32>load<u8>(start) != QUOTE) return NO_SPAN;
    return stringText(start + 1, start + spanLength(value) - 1, plain);
  }

  /** `,"name":`. */
  keyForm(at: usize, name: usize, length: i32): i32 {
    store<u8>(at, COMMA);
    store<u8>(at, QUOTE, 1);
    memory.copy(at + 2, name, <usize>length);
    store<u8>(at + 2 + <usize>length, QUOTE);
    store<u8>(at + 3 + <usize>length, COLON);
    return length + 4;
  }

  /** The comma. */
  @inline separatorBytes(): i32 {
    return 1;
  }

  @inline open(members: i32): void {
    writeByte(OPEN_OBJECT);
  }

  @inline close(): void {
    writeByte(CLOSE_OBJECT);
  }

  /**
   * Each member as key (with its quotes), colon, value as written, a comma between: so a run of
   * members written without space (as Fluent Bit writes them) is the record's own bytes, copied
   * at once.
   */
  writeMembers(skipped: usize): void {
    // The record's bytes [from, to) are still to be written; to is 0 before the first member.
    let from: usize = 0;
    let to: usize = 0;
    for (let i = 0; i < memberCount(); i++) {
      if (load<u8>(skipped + i)) continue;
      const key = memberKeyStart(i) - 1;
      const colon = memberKeyEnd(i) + 1;
      const value = memberValueStart(i);
      const stop = memberValueEnd(i);
      // One byte between the runs is the comma, one between key and value the colon.
      if (key == to + 1 && colon + 1 == value) {
        to = stop;
        continue;
      }
      if (to != 0) {
        writeBytes(from, to - from);
        writeByte(COMMA);
      }
      from = key;
      if (colon + 1 != value) {
        writeBytes(key, colon - key);
        writeByte(COLON);
        from = value;
      }
      to = stop;
    }
    if (to != 0) writeBytes(from, to - from);
  }

  boolForm(at: usize, value: bool): i32 {
    const length = value ? 4 : 5;
    memory.copy(at, value ? TRUE : FALSE, <usize>length);
    return length;
  }

  @inline writeNumber(at: usize, value: f64, decimals: i32): usize {
    return numberAt(at, value, decimals);
  }

  @inline writeText(p: usize, length: usize): void {
    writeString(p, length);
  }

  /** As the JSON string of its text. */
  @inline writeCarried(record: usize, length: usize): void {
    writeString(record, length);
  }

  /** Always. */
  @inline canCarry(skipped: usize, added: i32): bool {
    return true;
  }

  /** The record [record, end) as one JSON object, its top-level members into members.ts (key spans inside the quotes). */
  private parse(record: usize, end: usize): usize {
    let p = record;
    this.end = end;
    clearMembers();
    // Space is tested for only where the byte read is no more than SPACE: records come compact.
    let c = peek(p, end);
    if (c <= SPACE) {
      p = skipSpace(p, end);
      c = peek(p, end);
    }
    if (c != OPEN_OBJECT) {
      // A byte-order mark is no space: only a record that does not open at once can start with one.
      if (end - record >= 3 && load<u8>(record) == 0xef && load<u8>(record, 1) == 0xbb && load<u8>(record, 2) == 0xbf) {
        return this.fail("record starts with a byte-order mark");
      }
      return this.fail(p >= end ? "empty record" : "not a JSON object");
    }
    p = skipSpace(p + 1, end);
    if (peek(p, end) == CLOSE_OBJECT) p++;
    else {
      while (true) {
        let keyStart = p + 1;
        let keyEnd = compactKeyEnd(p, end);
        let keyPlain = true;
        if (keyEnd != 0) p = keyEnd + 2;
        else {
          p = skipSpace(p, end);
          keyStart = p + 1;
          this.escaped = false;
          p = this.scanKey(p);
          if (p == FAILED) return FAILED;
          keyEnd = keyClose(p);
          keyPlain = !this.escaped;
        }
        c = peek(p, end);
        if (c <= SPACE) {
          p = skipSpace(p, end);
          c = peek(p, end);
        }
        const valueStart = p;
        this.escaped = false;
        // A string, as most values are, without scanValue's containers.
        p = c == QUOTE ? this.scanString(p) : this.scanValue(p);
        if (p == FAILED) return FAILED;
        addMember(keyStart, keyEnd, valueStart, p, (keyPlain ? KEY_PLAIN : 0) | (this.escaped ? 0 : VALUE_PLAIN));
        c = peek(p, end);
        if (c <= SPACE) {
          p = skipSpace(p, end);
          c = peek(p, end);
        }
        if (c == COMMA) {
          p++;
          continue;
        }
        if (c == CLOSE_OBJECT) {
          p++;
          break;
        }
        return this.fail("expected , or } in object");
      }
    }
    if (skipSpace(p, end) != end) return this.fail("trailing characters after the record");
    return p;
  }

  /** In the validated object [start, stop), the value of the last member named [name, name + length); NO_SPAN when none. */
  private findInObject(start: usize, stop: usize, name: usize, length: i32): u64 {
    this.end = stop;
    let found = NO_SPAN;
    let p = skipSpace(start + 1, stop);
    if (peek(p, stop) == CLOSE_OBJECT) return NO_SPAN;
    while (true) {
      p = skipSpace(p, stop);
      const keyStart = p + 1;
      p = this.scanKey(p);
      const keyEnd = keyClose(p);
      p = skipSpace(p, stop);
      const valueStart = p;
      p = this.scanValue(p);
      if (stringEquals(keyStart, keyEnd, name, length)) found = span(valueStart, p - valueStart);
      p = skipSpace(p, stop);
      if (peek(p, stop) != COMMA) break;
      p++;
    }
    return found;
  }

  /** Past `"key":` at p, a compact key found at once (compactKeyEnd), as the record's own are. */
  @inline private scanMemberKey(p: usize): usize {
    const close = compactKeyEnd(p, this.end);
    return close != 0 ? close + 2 : this.scanKey(p);
  }

  /** Past `"key":` at p. */
  private scanKey(p: usize): usize {
    const end = this.end;
    if (peek(p, end) != QUOTE) return this.fail("expected a string key");
    p = this.scanString(p);
    if (p == FAILED) return FAILED;
    p = skipSpace(p, end);
    if (peek(p, end) != COLON) return this.fail("expected : after key");
    return p + 1;
  }

  /** Past the string whose opening quote is at p: escapes well-formed, UTF-8 valid, no raw controls. */
  private scanString(p: usize): usize {
    const end = this.end;
    p++;
    // A short string (most of Fluent Bit's metadata) closes within its first two words: found with
    // a test or two, not plainEnd's call; a longer one goes on from the first byte that is not plain.
    if (p + 16 <= end) {
      let special = notPlain(load<u64>(p)) & HIGH_BITS;
      if (special == 0) {
        p += 8;
        special = notPlain(load<u64>(p)) & HIGH_BITS;
      }
      if (special == 0) p += 8;
      else {
        p += <usize>(ctz(special) >> 3);
        if (<u32>load<u8>(p) == QUOTE) return p + 1;
      }
    }
    while (true) {
      p = plainEnd(p, end);
      if (p >= end) return this.fail("unterminated string");
      const b = <u32>load<u8>(p);
      if (b == QUOTE) return p + 1;
      if (b == BACKSLASH) {
        this.escaped = true;
        if (p + 1 >= end) return this.fail("unterminated string");
        const e = <u32>load<u8>(p + 1);
        if (e == ESCAPE_U) {
          if (p + 6 > end) return this.fail("truncated \\u escape");
          if ((hexValue(p + 2) | hexValue(p + 3) | hexValue(p + 4) | hexValue(p + 5)) > 15) return this.fail("invalid \\u escape");
          p += 6;
        } else if (load<u8>(<usize>e, UNESCAPED) != 0) p += 2;
        else return this.fail("invalid escape in string");
      } else if (b < SPACE) {
        return this.fail("control character in string");
      } else {
        const d = decodeUtf8(p, end);
        if (!decodedWellFormed(p, d)) return this.fail("invalid UTF-8 in string");
        p += decodedBytes(d);
      }
    }
    return FAILED;
  }

  private scanNumber(p: usize): usize {
    const end = this.end;
    if (peek(p, end) == MINUS) p++;
    if (peek(p, end) == DIGIT_0) p++;
    else {
      const digits = skipDigits(p, end);
      if (digits == p) return this.fail("invalid number");
      p = digits;
    }
    if (peek(p, end) == POINT) {
      const digits = skipDigits(p + 1, end);
      if (digits == p + 1) return this.fail("invalid number");
      p = digits;
    }
    if ((peek(p, end) | 0x20) == LETTER_E) {
      p++;
      const sign = peek(p, end);
      if (sign == PLUS || sign == MINUS) p++;
      const digits = skipDigits(p, end);
      if (digits == p) return this.fail("invalid number");
      p = digits;
    }
    return p;
  }

  private scanWord(p: usize, word: string): usize {
    const n = <usize>word.length;
    if (p + n > this.end) return this.fail("invalid literal");
    for (let i = 0; i < word.length; i++) if (<u32>load<u8>(p + i) != <u32>word.charCodeAt(i)) return this.fail("invalid literal");
    return p + n;
  }

  /** Past one value of any depth at p. */
  private scanValue(p: usize): usize {
    const end = this.end;
    let depth = 0;
    // Whether the innermost open container is an object: its bit in `nesting` is read back only
    // when a container closes, not at every member. Space is skipped only where the byte is no more than SPACE.
    let inObject = false;
    while (true) {
      let b = peek(p, end);
      if (b <= SPACE) {
        p = skipSpace(p, end);
        b = peek(p, end);
      }
      if (b == QUOTE) {
        p = this.scanString(p);
      } else if (b == OPEN_OBJECT || b == OPEN_ARRAY) {
        if (depth == MAX_DEPTH) return this.fail("nested deeper than 524288 levels");
        inObject = b == OPEN_OBJECT;
        const bit = <u32>1 << <u32>(depth & 7);
        const at = nesting + <usize>(depth >> 3);
        const bits = <u32>load<u8>(at);
        store<u8>(at, <u8>(inObject ? bits | bit : bits & ~bit));
        depth++;
        p++;
        let c = peek(p, end);
        if (c <= SPACE) {
          p = skipSpace(p, end);
          c = peek(p, end);
        }
        if (c != (inObject ? CLOSE_OBJECT : CLOSE_ARRAY)) {
          if (inObject) {
            p = this.scanMemberKey(p);
            if (p == FAILED) return FAILED;
          }
          continue;
        }
        p++;
        depth--;
        if (depth > 0) inObject = isObjectAt(depth - 1);
      } else if (b == MINUS || (b >= DIGIT_0 && b <= DIGIT_9)) {
        p = this.scanNumber(p);
      } else if (b == TRUE_START) {
        p = this.scanWord(p, "true");
      } else if (b == FALSE_START) {
        p = this.scanWord(p, "false");
      } else if (b == NULL_START) {
        p = this.scanWord(p, "null");
      } else return this.fail(b == END_OF_INPUT ? "unexpected end of record" : "unexpected character");
      if (p == FAILED) return FAILED;
      // After a value: close containers, or move to the next element.
      while (depth > 0) {
        let c = peek(p, end);
        if (c <= SPACE) {
          p = skipSpace(p, end);
          c = peek(p, end);
        }
        if (c == COMMA) {
          p++;
          if (inObject) {
            if (peek(p, end) <= SPACE) p = skipSpace(p, end);
            p = this.scanMemberKey(p);
            if (p == FAILED) return FAILED;
          }
          break;
        }
        if (c == (inObject ? CLOSE_OBJECT : CLOSE_ARRAY)) {
          p++;
          depth--;
          if (depth > 0) inObject = isObjectAt(depth - 1);
          continue;
        }
        return this.fail(inObject ? "expected , or } in object" : "expected , or ] in array");
      }
      if (depth == 0) return p;
    }
    return FAILED;
  }
}

export const JSON_EVENTS = new JsonEvents();

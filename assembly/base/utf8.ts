// UTF-8 decoding and the Unicode character properties the scorers need: JavaScript's \s (what
// vader-sentiment splits words on) and full lowercasing with Final_Sigma (what both JavaScript's
// toLowerCase() and Python's str.lower() do). Per-record code, so no strings: callers walk bytes.
import {
  LOWER_RUNS, LOWER_RUN_COUNT, CASED, CASED_COUNT, CASE_IGNORABLE, CASE_IGNORABLE_COUNT,
  JS_SPACE, JS_SPACE_COUNT,
} from "./unicode_tables";

export const REPLACEMENT: u32 = 0xfffd;

// Per byte, the properties the per-record loops test, so that the common case (log lines are
// mostly ASCII) costs a table load rather than a call per character.
export const ASCII_SPACE: u32 = 1; // JavaScript's \s
export const ASCII_PUNCTUATION: u32 = 2; // VADER's REGEX_REMOVE_PUNCTUATION: all ASCII punctuation
export const ASCII_UPPER: u32 = 4;
export const ASCII_LOWER: u32 = 8;
export const ASCII_IGNORABLE: u32 = 16; // Case_Ignorable: ' . : ^ `
export const NOT_ASCII: u32 = 32; // a byte of a longer UTF-8 sequence: decode it
export const ASCII_DIGIT: u32 = 64;
export const ASCII_NOTED: u32 = 128; // ' ! ? = " : the punctuation VADER's word finder notes as it passes
const byteClass = memory.data(256);

function classify(c: u32): u32 {
  let k: u32 = 0;
  if (c == 0x20 || (c >= 0x09 && c <= 0x0d)) k |= ASCII_SPACE;
  if ((c >= 0x21 && c <= 0x2f) || (c >= 0x3a && c <= 0x40) || (c >= 0x5b && c <= 0x60) || (c >= 0x7b && c <= 0x7e)) k |= ASCII_PUNCTUATION;
  if (c >= 0x41 && c <= 0x5a) k |= ASCII_UPPER;
  if (c >= 0x61 && c <= 0x7a) k |= ASCII_LOWER;
  if (c == 0x27 || c == 0x2e || c == 0x3a || c == 0x5e || c == 0x60) k |= ASCII_IGNORABLE;
  if (c >= 0x80) k |= NOT_ASCII;
  if (c >= 0x30 && c <= 0x39) k |= ASCII_DIGIT;
  if (c == 0x27 || c == 0x21 || c == 0x3f || c == 0x3d || c == 0x22) k |= ASCII_NOTED;
  return k;
}
for (let c: u32 = 0; c < 256; c++) store<u8>(byteClass + c, <u8>classify(c));

/** The byte's properties (ASCII_*, or NOT_ASCII). The table's address is the load's constant offset: one operation a lookup, not two. */
// @ts-ignore: decorator
@inline export function asciiClassOf(b: u32): u32 {
  return <u32>load<u8>(<usize>b, byteClass);
}

/** An ASCII byte lowercased, as toLowerCase() and str.lower() both do it. */
// @ts-ignore: decorator
@inline export function asciiLower(b: u32): u32 {
  return asciiClassOf(b) & ASCII_UPPER ? b + 32 : b;
}

/**
 * Decodes the code point at p (p < end): the code point, and in the top byte how many bytes it
 * took (decodedCodePoint, decodedBytes). An ill-formed sequence decodes to U+FFFD one maximal
 * subpart at a time, exactly as TextDecoder does, so host and module see the same text.
 */
export function decodeUtf8(p: usize, end: usize): u32 {
  const b0 = <u32>load<u8>(p);
  if (b0 < 0x80) return b0 | DECODED_ONE;
  let need: u32;
  let cp: u32;
  let lo: u32 = 0x80;
  let hi: u32 = 0xbf;
  if (b0 >= 0xc2 && b0 <= 0xdf) {
    need = 1;
    cp = b0 & 0x1f;
  } else if (b0 >= 0xe0 && b0 <= 0xef) {
    need = 2;
    cp = b0 & 0x0f;
    if (b0 == 0xe0) lo = 0xa0;
    else if (b0 == 0xed) hi = 0x9f;
  } else if (b0 >= 0xf0 && b0 <= 0xf4) {
    need = 3;
    cp = b0 & 0x07;
    if (b0 == 0xf0) lo = 0x90;
    else if (b0 == 0xf4) hi = 0x8f;
  } else return REPLACEMENT | DECODED_ONE;
  let q = p + 1;
  for (let i: u32 = 0; i < need; i++) {
    if (q >= end) return REPLACEMENT | (<u32>(q - p) << 24);
    const b = <u32>load<u8>(q);
    if (b < lo || b > hi) return REPLACEMENT | (<u32>(q - p) << 24);
    lo = 0x80;
    hi = 0xbf;
    cp = (cp << 6) | (b & 0x3f);
    q++;
  }
  return cp | ((need + 1) << 24);
}

const DECODED_ONE: u32 = 1 << 24;

// @ts-ignore: decorator
@inline export function decodedCodePoint(decoded: u32): u32 {
  return decoded & 0xffffff;
}

// @ts-ignore: decorator
@inline export function decodedBytes(decoded: u32): usize {
  return <usize>(decoded >> 24);
}

/** Whether decodeUtf8's result at p is well-formed: anything but U+FFFD, or U+FFFD written as such (EF BF BD). */
// @ts-ignore: decorator
@inline export function decodedWellFormed(p: usize, decoded: u32): bool {
  return decodedCodePoint(decoded) != REPLACEMENT || (decodedBytes(decoded) == 3 && load<u8>(p) == 0xef && load<u8>(p, 1) == 0xbf && load<u8>(p, 2) == 0xbd);
}

/** Writes cp as UTF-8 at p; returns the bytes written. */
export function encodeAt(p: usize, cp: u32): i32 {
  if (cp < 0x80) {
    store<u8>(p, <u8>cp);
    return 1;
  }
  if (cp < 0x800) {
    store<u8>(p, <u8>(0xc0 | (cp >> 6)));
    store<u8>(p + 1, <u8>(0x80 | (cp & 0x3f)));
    return 2;
  }
  if (cp < 0x10000) {
    store<u8>(p, <u8>(0xe0 | (cp >> 12)));
    store<u8>(p + 1, <u8>(0x80 | ((cp >> 6) & 0x3f)));
    store<u8>(p + 2, <u8>(0x80 | (cp & 0x3f)));
    return 3;
  }
  store<u8>(p, <u8>(0xf0 | (cp >> 18)));
  store<u8>(p + 1, <u8>(0x80 | ((cp >> 12) & 0x3f)));
  store<u8>(p + 2, <u8>(0x80 | ((cp >> 6) & 0x3f)));
  store<u8>(p + 3, <u8>(0x80 | (cp & 0x3f)));
  return 4;
}

/** Length in UTF-16 code units, which is what JavaScript's .length counts. */
// @ts-ignore: decorator
@inline export function utf16Length(cp: u32): i32 {
  return cp >= 0x10000 ? 2 : 1;
}

/** Whether cp lies in one of `count` sorted inclusive [first, last] pairs. */
function inRanges(table: StaticArray<u32>, count: i32, cp: u32): bool {
  let lo = 0;
  let hi = count - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (cp < unchecked(table[mid << 1])) hi = mid - 1;
    else if (cp > unchecked(table[(mid << 1) + 1])) lo = mid + 1;
    else return true;
  }
  return false;
}

/** JavaScript's \s: the characters String.prototype.split(/\s/) splits on. */
export function isJsSpace(cp: u32): bool {
  if (cp < 0x80) return (asciiClassOf(cp) & ASCII_SPACE) != 0;
  return inRanges(JS_SPACE, JS_SPACE_COUNT, cp);
}

export function isCased(cp: u32): bool {
  if (cp < 0x80) return (asciiClassOf(cp) & (ASCII_UPPER | ASCII_LOWER)) != 0;
  return inRanges(CASED, CASED_COUNT, cp);
}

export function isCaseIgnorable(cp: u32): bool {
  if (cp < 0x80) return (asciiClassOf(cp) & ASCII_IGNORABLE) != 0;
  return inRanges(CASE_IGNORABLE, CASE_IGNORABLE_COUNT, cp);
}

/** The one-code-point lowercase mapping (U+0130 and Final_Sigma are handled by the lowercaser). */
export function lowerSimple(cp: u32): u32 {
  if (cp < 0x80) return cp >= 0x41 && cp <= 0x5a ? cp + 32 : cp;
  let lo = 0;
  let hi = LOWER_RUN_COUNT - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const at = mid << 2;
    if (cp < unchecked(LOWER_RUNS[at])) hi = mid - 1;
    else if (cp > unchecked(LOWER_RUNS[at + 1])) lo = mid + 1;
    else {
      const first = unchecked(LOWER_RUNS[at]);
      if ((cp - first) % unchecked(LOWER_RUNS[at + 2]) != 0) return cp;
      return cp + unchecked(LOWER_RUNS[at + 3]);
    }
  }
  return cp;
}

/**
 * A lowercasing pass, the text lowercased one code point at a time. Each caller owns one (made
 * once, so the per-record path does not allocate).
 */
export class Lowercaser {
  private pos: usize = 0;
  private end: usize = 0;
  private pending: u32 = 0; // second code point of U+0130's mapping ("i" + U+0307), or 0
  private afterCased: bool = false; // Final_Sigma: the last character that is not case-ignorable was cased

  begin(start: usize, end: usize): void {
    this.continueAt(start, end, false);
  }

  /** Continues a pass at `start`, after text whose last character that is not case-ignorable was cased or not. */
  continueAt(start: usize, end: usize, afterCased: bool): void {
    this.pos = start;
    this.end = end;
    this.pending = 0;
    this.afterCased = afterCased;
  }

  /** The next code point of the lowercased text, or -1 at its end. */
  next(): i32 {
    const pending = this.pending;
    if (pending != 0) {
      this.pending = 0;
      return <i32>pending;
    }
    const pos = this.pos;
    const end = this.end;
    if (pos >= end) return -1;
    const b = <u32>load<u8>(pos);
    if (b < 0x80) {
      this.pos = pos + 1;
      const k = asciiClassOf(b);
      if (!(k & ASCII_IGNORABLE)) this.afterCased = (k & (ASCII_UPPER | ASCII_LOWER)) != 0;
      return <i32>asciiLower(b);
    }
    const decoded = decodeUtf8(pos, end);
    const cp = decodedCodePoint(decoded);
    const after = pos + decodedBytes(decoded);
    this.pos = after;
    let lower: u32;
    if (cp == 0x130) {
      lower = 0x69;
      this.pending = 0x307;
    } else if (cp == 0x3a3) {
      lower = this.afterCased && isFinalSigma(after, end) ? 0x3c2 : 0x3c3;
    } else {
      lower = lowerSimple(cp);
    }
    if (!isCaseIgnorable(cp)) this.afterCased = isCased(cp);
    return <i32>lower;
  }
}

/** Unicode's Final_Sigma for a capital sigma after cased text, the text after it in [p, end): not cased after. */
function isFinalSigma(p: usize, end: usize): bool {
  while (p < end) {
    const decoded = decodeUtf8(p, end);
    const cp = decodedCodePoint(decoded);
    if (!isCaseIgnorable(cp)) return !isCased(cp);
    p += decodedBytes(decoded);
  }
  return true;
}

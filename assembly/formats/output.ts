// The record that goes on, written into one buffer that grows to the largest record seen and is
// then reused. It is NUL-terminated and contains no other NUL byte: the shipper copies it with
// strdup (and in msgpack mode takes its strlen as the record's length).
import { resize } from "../base/buffers";
import { dtoa_buffered } from "util/number";

// The buffer, its size and how much of it is written: module-level, as every write reads them and
// a global costs the interpreter one operation where a field costs two.
let out: usize = 0;
let outCapacity: usize = 0;
let outLength: usize = 0;

export function beginOutput(expected: usize): void {
  outLength = 0;
  reserve(expected);
}

/** Room for `more` bytes and the NUL after them. Inline, as every write asks and the answer is almost always yes. */
// @ts-ignore: decorator
@inline export function reserve(more: usize): void {
  if (outLength + more + 1 > outCapacity) grow(outLength + more + 1);
}

function grow(needed: usize): void {
  let capacity = outCapacity < 256 ? <usize>256 : outCapacity;
  while (capacity < needed) capacity <<= 1;
  out = resize(out, capacity);
  outCapacity = capacity;
}

/** How many bytes are written. */
// @ts-ignore: decorator
@inline export function written(): usize {
  return outLength;
}

/**
 * Where the next byte goes, with room for `more` bytes from there: a writer that knows how much it
 * may write reserves once and writes with a local cursor, then hands it back with wrote(), rather
 * than check and move the module's position at every write.
 */
// @ts-ignore: decorator
@inline export function room(more: usize): usize {
  reserve(more);
  return out + outLength;
}

/** room() from the cursor `at`: the cursor, moved when the buffer grows. */
// @ts-ignore: decorator
@inline export function roomAt(at: usize, more: usize): usize {
  if (at + more + 1 > out + outCapacity) {
    outLength = at - out;
    grow(outLength + more + 1);
    return out + outLength;
  }
  return at;
}

/** Ends a write with a cursor: everything before `at` is written. */
// @ts-ignore: decorator
@inline export function wrote(at: usize): void {
  outLength = at - out;
}

/** Ends the output with its NUL, for which every write has left room; returns where it starts. */
// @ts-ignore: decorator
@inline export function finishOutput(): usize {
  store<u8>(out + outLength, 0);
  return out;
}

// @ts-ignore: decorator
@inline export function writeByte(b: u32): void {
  reserve(1);
  store<u8>(out + outLength, <u8>b);
  outLength++;
}

/** Appends [p, p + length), which lies outside the output. */
export function writeBytes(p: usize, length: usize): void {
  wrote(copyAt(room(length), p, length));
}

/** Copies [p, p + length), which lies outside the output, to `at` (room reserved); the position after it. */
// @ts-ignore: decorator
@inline export function copyAt(at: usize, p: usize, length: usize): usize {
  // Short copies (tarkin's keys, true and false, most values) as a few overlapping words:
  // memory.copy is a call into the engine, which costs more than the copy at these sizes. Longer
  // ones (a record's members, tarkin's runs of fields) tested first, as they are the most.
  if (length > 32) memory.copy(at, p, length);
  else if (length > 16) {
    store<u64>(at, load<u64>(p));
    store<u64>(at, load<u64>(p, 8), 8);
    store<u64>(at + length - 16, load<u64>(p + length - 16));
    store<u64>(at + length - 8, load<u64>(p + length - 8));
  } else if (length >= 8) {
    store<u64>(at, load<u64>(p));
    store<u64>(at + length - 8, load<u64>(p + length - 8));
  } else if (length >= 4) {
    store<u32>(at, load<u32>(p));
    store<u32>(at + length - 4, load<u32>(p + length - 4));
  } else if (length > 0) {
    store<u8>(at, load<u8>(p));
    store<u8>(at + (length >> 1), load<u8>(p + (length >> 1)));
    store<u8>(at + length - 1, load<u8>(p + length - 1));
  }
  return at + length;
}

export function writeAscii(text: string): void {
  const length = <usize>text.length;
  reserve(length);
  // The string's UTF-16 units read in place: charCodeAt would check bounds for each.
  const units = changetype<usize>(text);
  const at = out + outLength;
  for (let i: usize = 0; i < length; i++) store<u8>(at + i, <u8>load<u16>(units + (i << 1)));
  outLength += length;
}

const numberBuffer = memory.data(64);

/**
 * A finite number as text, printed as JavaScript and Python print it: the fewest significant
 * digits that read back as the same double, the nearest such when several (ties to even), e.g.
 * 0.5461 for VADER's compound. null for a value that is not finite.
 */
export function writeNumber(value: f64): void {
  if (!isFinite(value)) {
    writeAscii("null");
    return;
  }
  if (value == 0) {
    writeByte(0x30);
    return;
  }
  const magnitude = Math.abs(value);
  if (magnitude >= 1e-6 && magnitude < 1e15) {
    writeShortest(value < 0, magnitude);
    return;
  }
  // Outside the range any score takes: AssemblyScript's own printing (its last digit may differ).
  const length = dtoa_buffered(numberBuffer, value);
  reserve(<usize>length);
  for (let i: u32 = 0; i < length; i++) store<u8>(out + outLength + i, load<u8>(numberBuffer + (<usize>i << 1)));
  outLength += <usize>length;
}

/** The most bytes a number takes (writeNumber's longest is 25). */
export const NUMBER_ROOM: usize = 32;

/**
 * A number at `at` (NUMBER_ROOM reserved); the position after it. `decimals` (1 to 9), when not 0,
 * says it has at most that many (VADER rounds its scores so): its n * 10^-decimals, trailing zeros
 * dropped, is then the only decimal with so few decimals that reads back as it, so writeNumber's
 * search is skipped.
 */
// @ts-ignore: decorator
@inline export function numberAt(at: usize, value: f64, decimals: i32): usize {
  // A zero (a neutral message's sentiment, most fears) written without entering the rest.
  if (value == 0) {
    store<u8>(at, 0x30);
    return at + 1;
  }
  return nonzeroAt(at, value, decimals);
}

function nonzeroAt(at: usize, value: f64, decimals: i32): usize {
  wrote(at);
  if (decimals > 0) writeNonzeroRounded(value, decimals);
  else writeNumber(value);
  return out + outLength;
}

function writeNonzeroRounded(value: f64, decimals: i32): void {
  const magnitude = Math.abs(value);
  const scale = <f64>unchecked(POWERS_OF_TEN[decimals]);
  const rounded = Math.round(magnitude * scale);
  if (magnitude >= 1e9 || rounded / scale != magnitude) {
    writeNumber(value);
    return;
  }
  // An integer below 10^18 from here: its trailing zeros go with integer division.
  let n = <u64>rounded;
  let d = decimals;
  while (d > 0 && n % 10 == 0) {
    n /= 10;
    d--;
  }
  writeDecimal(value < 0, n, d);
}

// The shortest decimal, exactly: a double is m * 2^e, so m * 2^e * 10^s is m * 5^s / 2^shift, an
// integer of up to 110 bits over a power of two, and so are the ends of the interval that reads
// back as the double. 128-bit integers hold them all for magnitudes in [1e-6, 1e15).
const POWERS_OF_FIVE: StaticArray<u64> = [
  1, 5, 25, 125, 625, 3125, 15625, 78125, 390625, 1953125, 9765625, 48828125, 244140625, 1220703125,
  6103515625, 30517578125, 152587890625, 762939453125, 3814697265625, 19073486328125, 95367431640625,
  476837158203125, 2384185791015625, 11920928955078125,
];
const POWERS_OF_TEN: StaticArray<u64> = [
  1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000, 10000000000,
  100000000000, 1000000000000, 10000000000000, 100000000000000, 1000000000000000,
  10000000000000000, 100000000000000000, 1000000000000000000,
];

/** (a * b) >> shift, of the 128-bit product (shift 1 to 63; the result fits 64 bits). */
function productShifted(a: u64, b: u64, shift: u64): u64 {
  const al = a & 0xffffffff;
  const ah = a >> 32;
  const bl = b & 0xffffffff;
  const bh = b >> 32;
  const ll = al * bl;
  const lh = al * bh;
  const hl = ah * bl;
  const middle = (ll >> 32) + (lh & 0xffffffff) + (hl & 0xffffffff);
  const low = (ll & 0xffffffff) | (middle << 32);
  const high = ah * bh + (lh >> 32) + (hl >> 32) + (middle >> 32);
  return (high << (64 - shift)) | (low >> shift);
}

/** The low `shift` bits of a * b: those of the 64-bit product, which wraps. */
// @ts-ignore: decorator
@inline function productRemainder(a: u64, b: u64, shift: u64): u64 {
  return (a * b) & ((<u64>1 << shift) - 1);
}

/**
 * Writes the decimal with the fewest significant digits that reads back as magnitude (in [1e-6,
 * 1e15)), the nearest such when several, ties to even, as ECMAScript's Number::toString chooses it.
 */
function writeShortest(negative: bool, magnitude: f64): void {
  const bits = reinterpret<u64>(magnitude);
  const exponent = <i32>(bits >> 52);
  const m = (bits & 0xfffffffffffff) | (<u64>1 << 52);
  // 10^s scales the magnitude to 16 to 18 digits (the binary exponent's estimate of the decimal
  // one is off by one at most), so every decimal that can read back is a whole number there.
  const s = 16 - <i32>Math.floor(<f64>(exponent - 1023) * 0.30102999566398119521);
  const shift = <u64>(1075 - exponent - s + 2); // over 4 * 2^shift, so that the ends are whole
  const five = unchecked(POWERS_OF_FIVE[s]);
  const even = (m & 1) == 0;
  let n = productShifted(4 * m, five, shift);
  const fraction = productRemainder(4 * m, five, shift);
  // The interval that reads back: half a gap either side, the gap below half as wide when m is
  // a power of two; its ends belong to it when m is even (reading back rounds ties to even).
  let high = productShifted(4 * m + 2, five, shift);
  if (!even && productRemainder(4 * m + 2, five, shift) == 0) high--;
  const below = 4 * m - (m == <u64>1 << 52 && exponent > 1 ? 1 : 2);
  let low = productShifted(below, five, shift);
  if (productRemainder(below, five, shift) != 0 || !even) low++;
  // Fewest digits: drop the last while the interval still holds a multiple of ten; the magnitude
  // keeps its dropped digits in rest, which counts in units of the last digit kept.
  let dropped = 0;
  let rest: u64 = 0;
  let unit: u64 = 1;
  while (true) {
    const h = high / 10;
    const l = (low + 9) / 10;
    if (l > h) break;
    high = h;
    low = l;
    rest += (n % 10) * unit;
    n /= 10;
    unit *= 10;
    dropped++;
  }
  // Nearest: the magnitude at that scale, rounded half to even, kept within the interval.
  const half = <u64>1 << (shift - 1);
  const above = dropped == 0 ? fraction > half : rest > unit / 2 || (rest == unit / 2 && fraction != 0);
  const tie = dropped == 0 ? fraction == half : rest == unit / 2 && fraction == 0;
  if (above || (tie && (n & 1) != 0)) n++;
  if (n > high) n = high;
  if (n < low) n = low;
  let decimals = s - dropped;
  if (decimals < 0) {
    n *= unchecked(POWERS_OF_TEN[-decimals]);
    decimals = 0;
  }
  writeDecimal(negative, n, decimals);
}

// "00" to "99": digits are written two at a time, half as many divisions as one at a time.
const DIGIT_PAIRS = memory.data(200);
for (let i = 0; i < 100; i++) {
  store<u8>(DIGIT_PAIRS + <usize>(i << 1), <u8>(0x30 + i / 10));
  store<u8>(DIGIT_PAIRS + <usize>(i << 1) + 1, <u8>(0x30 + i % 10));
}

/** How many digits n (below 10^18) has: from its bit length, then one comparison. */
// @ts-ignore: decorator
@inline function digitCount(n: u64): i32 {
  const t = ((64 - <i32>clz(n | 1)) * 1233) >> 12;
  return t + (n >= unchecked(POWERS_OF_TEN[t]) ? 1 : 0);
}

/** Writes n's digits so that the last is just before `end`. */
function writeDigitsBefore(end: usize, n: u64): void {
  let p = end;
  let rest = n;
  while (rest >= 100) {
    const pair = <usize>(rest % 100);
    rest /= 100;
    p -= 2;
    store<u16>(p, load<u16>(DIGIT_PAIRS + (pair << 1)));
  }
  if (rest >= 10) store<u16>(p - 2, load<u16>(DIGIT_PAIRS + (<usize>rest << 1)));
  else store<u8>(p - 1, <u8>(0x30 + rest));
}

/** n * 10^-decimals in plain decimal notation. */
function writeDecimal(negative: bool, n: u64, decimals: i32): void {
  const count = max(digitCount(n), 1); // 0 has one digit
  const digits = max(count, decimals + 1); // with the zeros before a fraction's first digit
  reserve(<usize>digits + 2);
  let at = out + outLength;
  if (negative) store<u8>(at++, 0x2d);
  if (decimals == 0) {
    writeDigitsBefore(at + <usize>count, n);
    outLength = at + <usize>count - out;
    return;
  }
  // The digits go one byte right of where they belong, then the integer part (one digit, as a
  // rule) moves left to make way for the point.
  const end = at + 1 + <usize>digits;
  writeDigitsBefore(end, n);
  for (let p = at + 1; p < end - <usize>count; p++) store<u8>(p, 0x30);
  const integerDigits = <usize>(digits - decimals);
  for (let i: usize = 0; i < integerDigits; i++) store<u8>(at + i, load<u8>(at + i + 1));
  store<u8>(at + integerDigits, 0x2e);
  outLength = end - out;
}

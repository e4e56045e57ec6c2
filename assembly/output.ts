// The record that goes on, written into one buffer that grows to the largest record seen and is
// then reused. It is NUL-terminated and contains no other NUL byte: the shipper copies it with
// strdup (and in msgpack mode takes its strlen as the record's length).
import { resize } from "./buffers";
import { dtoa_buffered } from "util/number";

export let out: usize = 0;
let outCapacity: usize = 0;
export let outLength: usize = 0;

export function beginOutput(expected: usize): void {
  outLength = 0;
  reserve(expected);
}

export function reserve(more: usize): void {
  const needed = outLength + more + 1;
  if (needed > outCapacity) {
    let capacity = outCapacity < 256 ? <usize>256 : outCapacity;
    while (capacity < needed) capacity <<= 1;
    out = resize(out, capacity);
    outCapacity = capacity;
  }
}

/** Ends the output with its NUL; returns where it starts. */
export function finishOutput(): usize {
  reserve(0);
  store<u8>(out + outLength, 0);
  return out;
}

export function writeByte(b: u32): void {
  reserve(1);
  store<u8>(out + outLength, <u8>b);
  outLength++;
}

export function writeBytes(p: usize, length: usize): void {
  reserve(length);
  memory.copy(out + outLength, p, length);
  outLength += length;
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
 * A finite number as text, printed as JavaScript and Python print it: the fewest digits that read
 * back as the same double (the closest such when several), e.g. 0.5461 for VADER's compound.
 * null for a value that is not finite.
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
    // n / 10^d with n < 2^53 and d <= 22 is a correctly rounded division of two exact doubles, so
    // it is exactly what reading the decimal n * 10^-d gives. If d decimals read back, so do d + 1
    // (10n / 10^(d+1) is the same quotient), so the fewest is found by halving the range of d.
    let most = 0;
    while (most < 22 && magnitude * unchecked(POWERS_OF_TEN[most + 1]) < 9007199254740992.0) most++;
    if (magnitude * unchecked(POWERS_OF_TEN[most]) < 9007199254740992.0 && decimalsReadBack(magnitude, most) >= 0) {
      let low = 0;
      let high = most; // reads back; everything below low does not
      while (low < high) {
        const middle = (low + high) >> 1;
        if (decimalsReadBack(magnitude, middle) >= 0) high = middle;
        else low = middle + 1;
      }
      writeDecimal(value < 0, <u64>decimalsReadBack(magnitude, high), high);
      return;
    }
    // More than the search reaches: 16 significant digits if the nearest such decimal reads
    // back, else 17 (which always do), each computed exactly.
    let n = nearestDecimal(magnitude, 16);
    if (n != 0 && !readsBack(magnitude, n, nearestDecimals)) n = nearestDecimal(magnitude, 17);
    if (n != 0) {
      writeDecimal(value < 0, n, nearestDecimals);
      return;
    }
  }
  const length = dtoa_buffered(numberBuffer, value);
  reserve(<usize>length);
  for (let i: u32 = 0; i < length; i++) store<u8>(out + outLength + i, load<u8>(numberBuffer + (<usize>i << 1)));
  outLength += <usize>length;
}

const POWERS_OF_TEN: StaticArray<f64> = [
  1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/**
 * The n with `decimals` decimals that reads back as `magnitude` (the closest to it when several),
 * or -1. n is within one of magnitude * 10^decimals rounded, which is below 2^53.
 */
function decimalsReadBack(magnitude: f64, decimals: i32): f64 {
  const scale = unchecked(POWERS_OF_TEN[decimals]);
  const scaled = magnitude * scale;
  const guess = Math.round(scaled);
  let best: f64 = -1;
  for (let candidate = guess - 1; candidate <= guess + 1; candidate++) {
    if (candidate < 0 || candidate / scale != magnitude) continue;
    if (best < 0 || Math.abs(candidate - scaled) < Math.abs(best - scaled)) best = candidate;
  }
  return best;
}

/**
 * A number that has at most `decimals` decimals (VADER rounds its scores so), printed as
 * writeNumber prints it: its n * 10^-decimals, trailing zeros dropped, is the only decimal with
 * so few decimals that reads back as it, so the search is skipped.
 */
export function writeRounded(value: f64, decimals: i32): void {
  const magnitude = Math.abs(value);
  const scale = unchecked(POWERS_OF_TEN[decimals]);
  let n = Math.round(magnitude * scale);
  if (value == 0 || magnitude >= 1e9 || n / scale != magnitude) {
    writeNumber(value);
    return;
  }
  let d = decimals;
  while (d > 0 && n % 10 == 0) {
    n /= 10;
    d--;
  }
  writeDecimal(value < 0, <u64>n, d);
}

// Decimals with 16 or 17 significant digits, exactly: a double is m * 2^e, so magnitude * 10^s is
// m * 5^s / 2^shift, an integer of up to 107 bits divided by a power of two.
const POWERS_OF_FIVE: StaticArray<u64> = [
  1, 5, 25, 125, 625, 3125, 15625, 78125, 390625, 1953125, 9765625, 48828125, 244140625, 1220703125,
  6103515625, 30517578125, 152587890625, 762939453125, 3814697265625, 19073486328125, 95367431640625,
  476837158203125, 2384185791015625, 11920928955078125,
];
const POWERS_OF_TEN_INTEGER: StaticArray<u64> = [
  1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000, 10000000000,
  100000000000, 1000000000000, 10000000000000, 100000000000000, 1000000000000000,
  10000000000000000, 100000000000000000,
];

let productHigh: u64 = 0;
let productLow: u64 = 0;

/** a * b as 128 bits into productHigh and productLow. */
function multiply(a: u64, b: u64): void {
  const al = a & 0xffffffff;
  const ah = a >> 32;
  const bl = b & 0xffffffff;
  const bh = b >> 32;
  const ll = al * bl;
  const lh = al * bh;
  const hl = ah * bl;
  const middle = (ll >> 32) + (lh & 0xffffffff) + (hl & 0xffffffff);
  productLow = (ll & 0xffffffff) | (middle << 32);
  productHigh = ah * bh + (lh >> 32) + (hl >> 32) + (middle >> 32);
}

/** Whether the 128-bit (ah, al) is below (bh, bl). */
// @ts-ignore: decorator
@inline function below(ah: u64, al: u64, bh: u64, bl: u64): bool {
  return ah < bh || (ah == bh && al < bl);
}

/** The decimals of the last nearestDecimal. */
let nearestDecimals = 0;

/**
 * The decimal with `digits` (16 or 17) significant digits nearest to magnitude (ties to even, as
 * JavaScript chooses), as n * 10^-nearestDecimals; 0 when magnitude is outside [1e-6, 1e15).
 */
function nearestDecimal(magnitude: f64, digits: i32): u64 {
  const bits = reinterpret<u64>(magnitude);
  const exponent = <i32>((bits >> 52) & 0x7ff);
  const m = (bits & 0xfffffffffffff) | (<u64>1 << 52);
  const e = exponent - 1075;
  // The decimal exponent from the binary one is off by at most one; the loop corrects it.
  let s = digits - 1 - <i32>Math.floor(<f64>(exponent - 1023) * 0.30102999566398119521);
  for (let attempt = 0; attempt < 3; attempt++) {
    const shift = -(e + s);
    if (s < 0 || s >= POWERS_OF_FIVE.length || shift < 1 || shift > 61) return 0;
    multiply(m, unchecked(POWERS_OF_FIVE[s]));
    let n = (productHigh << <u64>(64 - shift)) | (productLow >> <u64>shift);
    const half = <u64>1 << <u64>(shift - 1);
    const rest = productLow & ((half << 1) - 1);
    if (rest > half || (rest == half && (n & 1) != 0)) n++;
    if (n >= unchecked(POWERS_OF_TEN_INTEGER[digits])) s--;
    else if (n < unchecked(POWERS_OF_TEN_INTEGER[digits - 1])) s++;
    else {
      nearestDecimals = s;
      return n;
    }
  }
  return 0;
}

/** Whether n * 10^-decimals reads back as magnitude: it lies within half the gap to either neighbour (on it, when m is even). */
function readsBack(magnitude: f64, n: u64, decimals: i32): bool {
  const bits = reinterpret<u64>(magnitude);
  const m = (bits & 0xfffffffffffff) | (<u64>1 << 52);
  const shift = 1075 - <i32>((bits >> 52) & 0x7ff) - decimals; // as in nearestDecimal, 1 to 61
  const five = unchecked(POWERS_OF_FIVE[decimals]);
  const even = (m & 1) == 0;
  // Against the upper neighbour: n * 2^(shift + 1) < (2m + 1) * 5^decimals.
  multiply(2 * m + 1, five);
  let nh = n >> <u64>(63 - shift);
  let nl = n << <u64>(shift + 1);
  if (even ? below(productHigh, productLow, nh, nl) : !below(nh, nl, productHigh, productLow)) return false;
  // Against the lower one, which is half as far when m is a power of two.
  if (m == <u64>1 << 52 && (bits >> 52) > 1) {
    multiply(4 * m - 1, five);
    nh = n >> <u64>(62 - shift);
    nl = n << <u64>(shift + 2);
  } else multiply(2 * m - 1, five);
  return even ? !below(nh, nl, productHigh, productLow) : below(productHigh, productLow, nh, nl);
}

/** n * 10^-decimals in plain decimal notation. */
function writeDecimal(negative: bool, n: u64, decimals: i32): void {
  const digits = numberBuffer;
  let count = 0;
  let rest = n;
  do {
    store<u8>(digits + count, <u8>(0x30 + rest % 10));
    rest /= 10;
    count++;
  } while (rest > 0);
  while (count <= decimals) store<u8>(digits + count++, 0x30);
  reserve(<usize>count + 2);
  let at = out + outLength;
  if (negative) store<u8>(at++, 0x2d);
  for (let i = count - 1; i >= 0; i--) {
    if (i == decimals - 1) store<u8>(at++, 0x2e);
    store<u8>(at++, load<u8>(digits + i));
  }
  outLength = at - out;
}

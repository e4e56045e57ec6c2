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

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
  reserve(<usize>text.length);
  for (let i = 0; i < text.length; i++) store<u8>(out + outLength + i, <u8>text.charCodeAt(i));
  outLength += <usize>text.length;
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
    // it is exactly what reading the decimal n * 10^-d gives: try the fewest decimals first.
    let scale: f64 = 1;
    for (let d = 0; d <= 22; d++) {
      const scaled = magnitude * scale;
      if (scaled >= 9007199254740992.0) break;
      const guess = Math.round(scaled);
      let best: f64 = -1;
      for (let candidate = guess - 1; candidate <= guess + 1; candidate++) {
        if (candidate < 0 || candidate / scale != magnitude) continue;
        if (best < 0 || Math.abs(candidate - scaled) < Math.abs(best - scaled)) best = candidate;
      }
      if (best >= 0) {
        writeDecimal(value < 0, <u64>best, d);
        return;
      }
      scale *= 10;
    }
  }
  const length = dtoa_buffered(numberBuffer, value);
  reserve(<usize>length);
  for (let i: u32 = 0; i < length; i++) store<u8>(out + outLength + i, load<u8>(numberBuffer + (<usize>i << 1)));
  outLength += <usize>length;
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
  if (negative) writeByte(0x2d);
  for (let i = count - 1; i >= 0; i--) {
    if (i == decimals - 1) writeByte(0x2e);
    writeByte(<u32>load<u8>(digits + i));
  }
}

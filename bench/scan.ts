// The byte-scan floor for `npm run bench`: the cheapest pass that still reads every byte of every
// record, in the same shape as tarkin's score_lines (assembly/index.ts): one input buffer, split at
// \n (a \r before it dropped), each line handed to a per-line function. Compiled fresh by the
// benchmark: asc bench/scan.ts -O3 --runtime stub --use abort= -o build/scan.wasm

let buffer: usize = 0;
let capacity: usize = 0;

/** A buffer of at least `length` bytes (as tarkin's input()). */
export function input(length: i32): usize {
  if (<usize>length > capacity) {
    const base = (__heap_base + 15) & ~<usize>15;
    const need = base + <usize>length;
    const have = <usize>memory.size() << 16;
    if (need > have && memory.grow(<i32>((need - have + 0xffff) >>> 16)) < 0) return 0;
    buffer = base;
    capacity = <usize>length;
  }
  return buffer;
}

let sum: u32 = 0;

// Per line, every byte read once and folded into a running sum: the work that cannot be avoided.
@inline function scanLine(start: usize, end: usize): void {
  let s = sum;
  for (let p = start; p < end; p++) s = (s ^ load<u8>(p)) + 1;
  sum = s;
}

/** Every line of the input's first `length` bytes; returns the sum, so nothing is optimised away. */
export function scan_lines(length: i32): u32 {
  let start = buffer;
  const end = buffer + <usize>length;
  for (let p = buffer; p < end; p++) {
    if (load<u8>(p) != 0x0a) continue;
    scanLine(start, p > start && load<u8>(p - 1) == 0x0d ? p - 1 : p);
    start = p + 1;
  }
  if (start < end) scanLine(start, load<u8>(end - 1) == 0x0d ? end - 1 : end);
  return sum;
}

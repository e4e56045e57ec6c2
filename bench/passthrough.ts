// The least a Fluent Bit wasm filter can do, for `npm run bench`'s Fluent Bit rows: the ABI's
// malloc and free, and a filter that returns the record it was given (Fluent Bit copies it in with
// its NUL, so it is already a NUL-terminated result). What Fluent Bit itself spends per record on
// a wasm filter (the record to JSON and back, the copies, the call) is then all that is measured.
// Compiled fresh by the benchmark (bench/passthrough.asconfig.json).

let top: usize = 0;
let live = 0;

/** A bump allocator that starts again when everything is freed: Fluent Bit frees both buffers after each call. */
export function malloc(size: usize): usize {
  if (top == 0 || live == 0) top = (__heap_base + 15) & ~<usize>15;
  const at = top;
  const need = at + size;
  const have = <usize>memory.size() << 16;
  if (need > have && memory.grow(<i32>((need - have + 0xffff) >>> 16)) < 0) return 0;
  top = (need + 15) & ~<usize>15;
  live++;
  return at;
}

export function free(ptr: usize): void {
  if (ptr != 0 && live > 0) live--;
}

export function passthrough_filter(tag: usize, tag_len: i32, time_sec: u32, time_nsec: u32, record: usize, record_len: i32): usize {
  return record;
}

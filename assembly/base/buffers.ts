// Buffers that grow to the largest need seen and are then reused, so steady-state records
// allocate nothing. Every heap allocation the module makes goes through here and is counted, so a
// test can show that a million records allocate nothing once the largest has been seen.

// Eight bytes at a time, as one u64: whether any of them equals a byte.
const ONES: u64 = 0x0101010101010101;
export const HIGH_BITS: u64 = 0x8080808080808080;

// @ts-ignore: decorator
@inline export function anyByteIs(x: u64, b: u64): bool {
  return (bytesEqual(x, b) & HIGH_BITS) != 0;
}

/** Nonzero in HIGH_BITS when some byte of x equals b (bits in lower bytes may not be exact); no branch, so such tests can be OR-ed. */
// @ts-ignore: decorator
@inline export function bytesEqual(x: u64, b: u64): u64 {
  const y = x ^ (b * ONES);
  return (y - ONES) & ~y;
}

/** Whether [start, stop) holds the byte b: eight bytes at a time. */
export function containsByte(start: usize, stop: usize, b: u64): bool {
  let p = start;
  for (; p + 8 <= stop; p += 8) if (anyByteIs(load<u64>(p), b)) return true;
  for (; p < stop; p++) if (<u64>load<u8>(p) == b) return true;
  return false;
}

/** Whether [a, a + n) and [b, b + n) hold the same bytes: a word at a time (words may overlap), no byte past either end read. */
export function sameBytes(a: usize, b: usize, n: usize): bool {
  if (n >= 8) {
    for (let i: usize = 0; i + 8 < n; i += 8) if (load<u64>(a + i) != load<u64>(b + i)) return false;
    return load<u64>(a + n - 8) == load<u64>(b + n - 8);
  }
  if (n >= 4) return load<u32>(a) == load<u32>(b) && load<u32>(a + n - 4) == load<u32>(b + n - 4);
  if (n == 0) return true;
  // One to three bytes: the first, the middle and the last cover them.
  return load<u8>(a) == load<u8>(b) && load<u8>(a + (n >> 1)) == load<u8>(b + (n >> 1)) && load<u8>(a + n - 1) == load<u8>(b + n - 1);
}

let allocations: f64 = 0; // counted where made, so a global

/** Heap allocations and reallocations since the instance started. */
export function allocationCount(): f64 {
  return allocations;
}

export function allocate(size: usize): usize {
  allocations += 1;
  return heap.alloc(size);
}

/** `ptr` (0 for none yet) resized to `size` bytes; the runtime's realloc takes no null pointer. */
export function resize(ptr: usize, size: usize): usize {
  if (ptr == 0) return allocate(size);
  allocations += 1;
  return heap.realloc(ptr, size);
}

/** A buffer that grows to the largest size asked of it and is then reused. Made once, at start. */
export class Growable {
  at: usize = 0;
  capacity: usize = 0;

  /** Where at least `size` bytes are; what it held is kept when it grows. */
  reserve(size: usize): usize {
    if (size > this.capacity) {
      this.at = resize(this.at, size);
      this.capacity = size;
    }
    return this.at;
  }
}

// The shipper's allocations. Fluent Bit allocates the tag and the record before each call and frees
// both after it. Served from the general heap, small records get carved out of the space a large
// one left, the next large one no longer fits, and memory grows (the runtime doubles it when it
// grows). A few reusable slots serve that pattern instead: each request takes the smallest free
// slot that fits, or the largest free one, resized while nothing lives in it; so memory grows only
// for a record larger than any before it.
const SLOTS = 4;
// Per slot: u32 where it is, u32 its capacity, u32 its capacity + 1 while it is free (0 while it is
// live, so that one test passes over a live slot in the search); a static table, kept in order of
// capacity, so that the first free slot that fits is the smallest. Slots not yet used (capacity 0)
// come first and fit nothing: searches start at the first in use, so the tag's slot is found first,
// the record's next.
const SLOT_AT = 0;
const SLOT_CAPACITY = 4;
const SLOT_FREE = 8;
const SLOT = 12;
const slots = memory.data(SLOTS * SLOT, 4);
const SLOTS_END = slots + SLOTS * SLOT;
for (let slot = slots; slot < SLOTS_END; slot += SLOT) store<u32>(slot, 1, SLOT_FREE);
// Where the first slot in use is (SLOTS_END while none is).
const firstInUse = memory.data(4, 4);
store<u32>(firstInUse, <u32>SLOTS_END);

export function hostAlloc(size: usize): usize {
  let slot = <usize>load<u32>(firstInUse);
  while (slot < SLOTS_END && <usize>load<u32>(slot, SLOT_FREE) <= size) slot += SLOT;
  if (slot == SLOTS_END) return resizeSlot(size);
  store<u32>(slot, 0, SLOT_FREE);
  return <usize>load<u32>(slot, SLOT_AT);
}

/** No free slot fits: the largest free one (the last) resized to `size` and moved up to its place in the order. */
function resizeSlot(size: usize): usize {
  let slot = SLOTS_END;
  while (slot > slots && load<u32>(slot - SLOT, SLOT_FREE) == 0) slot -= SLOT;
  // More live allocations than slots is not the shipper's pattern: serve it from the heap.
  if (slot == slots) return allocate(size);
  slot -= SLOT;
  const old = <usize>load<u32>(slot, SLOT_AT);
  if (old != 0) heap.free(old);
  // A slot not used before: the last such (the slots after it are live), now in use.
  else store<u32>(firstInUse, <u32>slot);
  const at = allocate(size);
  // Larger than every free slot now: slots above it that are smaller (live ones) move down.
  while (slot + SLOT < SLOTS_END && <usize>load<u32>(slot + SLOT, SLOT_CAPACITY) < size) {
    memory.copy(slot, slot + SLOT, SLOT);
    slot += SLOT;
  }
  store<u32>(slot, <u32>at, SLOT_AT);
  store<u32>(slot, <u32>size, SLOT_CAPACITY);
  store<u32>(slot, 0, SLOT_FREE);
  return at;
}

export function hostFree(p: usize): void {
  for (let slot = <usize>load<u32>(firstInUse); slot < SLOTS_END; slot += SLOT) {
    if (<usize>load<u32>(slot, SLOT_AT) == p) {
      if (load<u32>(slot, SLOT_FREE) != 0) return; // freed twice: the slot keeps its memory
      store<u32>(slot, load<u32>(slot, SLOT_CAPACITY) + 1, SLOT_FREE);
      return;
    }
  }
  heap.free(p);
}

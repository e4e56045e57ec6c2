// FNV-1a, the module's one hash of bytes: the lexicon's keys (host/core/module/lexicon.ts hashes them
// alike), VADER's rule words and word cache, and the field model's names and shapes.
export const FNV_OFFSET: u32 = 0x811c9dc5;
export const FNV_PRIME: u32 = 0x01000193;

/** One byte into an FNV-1a hash, for a reader that hashes as it goes. */
// @ts-ignore: decorator
@inline export function fnv1aStep(h: u32, byte: u32): u32 {
  return (h ^ byte) * FNV_PRIME;
}

// @ts-ignore: decorator
@inline export function fnv1a(p: usize, len: i32): u32 {
  let h = FNV_OFFSET;
  for (let i = 0; i < len; i++) h = fnv1aStep(h, <u32>load<u8>(p + i));
  return h;
}

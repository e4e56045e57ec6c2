// A span of memory, its start and length packed in one u64 (start low, length high): a reader
// returns both as one value, so no module-level register carries half of its result.

/** No span: nothing found, or not of the kind asked for. */
export const NO_SPAN: u64 = 0xffffffffffffffff;

// @ts-ignore: decorator
@inline export function span(start: usize, length: usize): u64 {
  return (<u64>length << 32) | <u64>start;
}

// @ts-ignore: decorator
@inline export function spanStart(s: u64): usize {
  return <usize>s;
}

// @ts-ignore: decorator
@inline export function spanLength(s: u64): usize {
  return <usize>(s >> 32);
}

// @ts-ignore: decorator
@inline export function spanEnd(s: u64): usize {
  return <usize>s + <usize>(s >> 32);
}

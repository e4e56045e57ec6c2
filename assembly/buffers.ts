// Buffers that grow to the largest need seen and are then reused, so steady-state records
// allocate nothing.

/** `ptr` (0 for none yet) resized to `size` bytes; the runtime's realloc takes no null pointer. */
export function resize(ptr: usize, size: usize): usize {
  return ptr == 0 ? heap.alloc(size) : heap.realloc(ptr, size);
}

// Percent-decoding, as a server reads a query string or a path: %XX is a byte, %25XX twice (as
// evasions send it), and an overlong UTF-8 pair (%c0%ae, %c0%af) the ASCII byte it encodes, as old
// servers decoded it (the IIS and Tomcat traversals): a value is judged as what it means.

// @ts-ignore: decorator
@inline export function isHex(b: u32): bool {
  return (b >= 0x30 && b <= 0x39) || ((b | 0x20) >= 0x61 && (b | 0x20) <= 0x66);
}

// @ts-ignore: decorator
@inline export function hexValue(b: u32): u32 {
  return b <= 0x39 ? b - 0x30 : (b | 0x20) - 0x57;
}

/** The byte of a %XX (or %25XX) at p, and in the bits above it how many bytes it took; 0 where p holds none. */
// @ts-ignore: decorator
@inline function escapedByte(p: usize, end: usize): u32 {
  if (!(p + 2 < end && load<u8>(p) == 0x25 && isHex(<u32>load<u8>(p + 1)) && isHex(<u32>load<u8>(p + 2)))) return 0;
  const b = (hexValue(<u32>load<u8>(p + 1)) << 4) | hexValue(<u32>load<u8>(p + 2));
  if (b == 0x25 && p + 4 < end && isHex(<u32>load<u8>(p + 3)) && isHex(<u32>load<u8>(p + 4))) {
    return ((hexValue(<u32>load<u8>(p + 3)) << 4) | hexValue(<u32>load<u8>(p + 4))) | (5 << 8);
  }
  return b | (3 << 8);
}

/**
 * The byte a '%' at p means, decoded (see above), else the '%' itself; in the bits above the byte,
 * how many bytes of the message it took (1, 3, 5, or up to 10 for an overlong pair).
 */
export function percentDecoded(p: usize, end: usize): u32 {
  const first = escapedByte(p, end);
  if (first == 0) return 0x25 | (1 << 8);
  // 0xc0 and 0xc1 lead no valid UTF-8: with a continuation byte, an overlong ASCII byte.
  if ((first & 0xfe) != 0xc0) return first;
  const taken = first >> 8;
  const second = escapedByte(p + taken, end);
  if ((second & 0xc0) != 0x80) return first;
  return (((first & 1) << 6) | (second & 0x3f)) | ((taken + (second >> 8)) << 8);
}

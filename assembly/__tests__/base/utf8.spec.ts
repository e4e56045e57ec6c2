import { decodeUtf8, decodedCodePoint, decodedBytes, isJsSpace, Lowercaser, lowerSimple, utf16Length } from "../../base/utf8";

function bytes(values: u8[]): usize {
  const p = heap.alloc(values.length);
  for (let i = 0; i < values.length; i++) store<u8>(p + i, values[i]);
  return p;
}

describe("decodeUtf8", () => {
  it("decodes one to four bytes", () => {
    const p = bytes([0x41, 0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x98, 0x80]);
    expect(decodedCodePoint(decodeUtf8(p, p + 10))).toBe(0x41);
    expect(decodedBytes(decodeUtf8(p, p + 10))).toBe(1);
    expect(decodedCodePoint(decodeUtf8(p + 1, p + 10))).toBe(0xe9);
    expect(decodedBytes(decodeUtf8(p + 1, p + 10))).toBe(2);
    expect(decodedCodePoint(decodeUtf8(p + 3, p + 10))).toBe(0x20ac);
    expect(decodedBytes(decodeUtf8(p + 3, p + 10))).toBe(3);
    expect(decodedCodePoint(decodeUtf8(p + 6, p + 10))).toBe(0x1f600);
    expect(decodedBytes(decodeUtf8(p + 6, p + 10))).toBe(4);
  });

  it("replaces each maximal ill-formed subpart with U+FFFD", () => {
    const p = bytes([0xe2, 0x82, 0x41, 0xed, 0xa0, 0x80, 0xf0, 0x9f]);
    expect(decodedCodePoint(decodeUtf8(p, p + 8))).toBe(0xfffd);
    expect(decodedBytes(decodeUtf8(p, p + 8))).toBe(2); // E2 82, then A is read again
    expect(decodedCodePoint(decodeUtf8(p + 3, p + 8))).toBe(0xfffd);
    expect(decodedBytes(decodeUtf8(p + 3, p + 8))).toBe(1); // ED A0 would be a surrogate
    expect(decodedCodePoint(decodeUtf8(p + 6, p + 8))).toBe(0xfffd);
    expect(decodedBytes(decodeUtf8(p + 6, p + 8))).toBe(2); // truncated at the end
  });
});

describe("character properties", () => {
  it("knows JavaScript's \\s", () => {
    expect(isJsSpace(0x20)).toBe(true);
    expect(isJsSpace(0x0b)).toBe(true);
    expect(isJsSpace(0xa0)).toBe(true);
    expect(isJsSpace(0x3000)).toBe(true);
    expect(isJsSpace(0xfeff)).toBe(true);
    expect(isJsSpace(0x85)).toBe(false);
    expect(isJsSpace(0x180e)).toBe(false);
    expect(isJsSpace(0x1c)).toBe(false);
  });

  it("counts UTF-16 units", () => {
    expect(utf16Length(0xffff)).toBe(1);
    expect(utf16Length(0x10000)).toBe(2);
  });

  it("lowercases single code points", () => {
    expect(lowerSimple(0x41)).toBe(0x61);
    expect(lowerSimple(0x100)).toBe(0x101);
    expect(lowerSimple(0x101)).toBe(0x101);
    expect(lowerSimple(0x212a)).toBe(0x6b); // KELVIN SIGN -> k
    expect(lowerSimple(0x10400)).toBe(0x10428);
  });

  it("lowercases U+0130 to two code points and a final capital sigma to ς", () => {
    const p = bytes([0xc4, 0xb0, 0xce, 0x91, 0xce, 0xa3]); // İΑΣ
    const lowering = new Lowercaser();
    lowering.begin(p, p + 6);
    expect(lowering.next()).toBe(0x69);
    expect(lowering.next()).toBe(0x307);
    expect(lowering.next()).toBe(0x3b1);
    expect(lowering.next()).toBe(0x3c2);
    expect(lowering.next()).toBe(-1);
  });
});

import { percentDecoded } from "../../base/percent";

/** percentDecoded at the start of s: [the byte, the bytes taken]. */
function decodedAt(s: string): u32[] {
  const bytes = String.UTF8.encode(s);
  const p = changetype<usize>(bytes);
  const d = percentDecoded(p, p + <usize>bytes.byteLength);
  return [d & 0xff, d >> 8];
}

describe("percent-decoding", () => {
  it("reads %XX as a byte, %25XX twice, and a '%' with no hex after it as itself", () => {
    expect(decodedAt("%27x")).toStrictEqual([0x27, 3]);
    expect(decodedAt("%2527")).toStrictEqual([0x27, 5]);
    expect(decodedAt("%zz")).toStrictEqual([0x25, 1]);
    expect(decodedAt("%2")).toStrictEqual([0x25, 1]);
    expect(decodedAt("%C3%B1")).toStrictEqual([0xc3, 3]); // UTF-8's ñ: two bytes, read one by one
  });

  it("reads an overlong UTF-8 pair as the ASCII byte it encodes, as old servers did", () => {
    expect(decodedAt("%c0%ae")).toStrictEqual([0x2e, 6]);
    expect(decodedAt("%C0%AF")).toStrictEqual([0x2f, 6]);
    expect(decodedAt("%c1%9c")).toStrictEqual([0x5c, 6]);
    expect(decodedAt("%25c0%25ae")).toStrictEqual([0x2e, 10]);
    expect(decodedAt("%C1lvaro")).toStrictEqual([0xc1, 3]); // Latin-1's Á: no continuation after it
    expect(decodedAt("%c0%41")).toStrictEqual([0xc0, 3]);
  });
});

// The module's lowercasing and word splitting equal JavaScript's (toLowerCase, split(/\s/)), which
// are also Python's str.lower() up to the Unicode version: every code point, and Final_Sigma.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { packedTarkin } from "../helpers.js";

const tarkin = packedTarkin();

describe("lowercasing", () => {
  it("lowercases every code point as toLowerCase() does", () => {
    const differing: string[] = [];
    // In blocks, separated by spaces so no character is in another's Final_Sigma context.
    for (let start = 0; start <= 0x10ffff; start += 4096) {
      const chars: string[] = [];
      for (let c = start; c < Math.min(start + 4096, 0x110000); c++) {
        if (c >= 0xd800 && c <= 0xdfff) continue;
        chars.push(String.fromCodePoint(c));
      }
      const text = chars.join(" ");
      const module = tarkin.lowercase(text).split(" ");
      const reference = text.toLowerCase().split(" ");
      module.forEach((m, i) => {
        if (m !== reference[i] && differing.length < 10) differing.push(chars[i]);
      });
    }
    expect(differing).toEqual([]);
  });

  it("applies Final_Sigma as toLowerCase() does", () => {
    const cases = ["Σ", "ΑΣ", "ΑΣ ", "ΑΣΑ", "Α.Σ", "ΑΣ.", "ΑΣ.Α", "'Σ", "Α'Σ'", "ΑΣ\u0301", "ΑΣ\u0301Β", "ΣΑΣ", "ΟΔΥΣΣΕΥΣ", "1Σ", "ǅΣ", "ᾼΣ"];
    for (const c of cases) expect(tarkin.lowercase(c)).toBe(c.toLowerCase());
    fc.assert(
      fc.property(fc.array(fc.constantFrom("Σ", "Α", "a", "'", ".", "\u0301", "\u00ad", " ", "1", "İ", "ς"), { maxLength: 12 }), (parts) => {
        const text = parts.join("");
        expect(tarkin.lowercase(text)).toBe(text.toLowerCase());
      }),
      { numRuns: 20_000, seed: 3 },
    );
  });

  it("decodes ill-formed UTF-8 to U+FFFD as TextDecoder does", () => {
    const samples = [
      [0xff], [0xc0, 0x80], [0xe0, 0x80, 0x80], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xe2, 0x82],
      [0x41, 0xe2, 0x82, 0x42], [0xf0, 0x9f, 0x98], [0x80, 0x80], [0xc3],
    ];
    for (const bytes of samples) {
      const input = Uint8Array.from(bytes);
      expect(tarkin.lowercase(input)).toBe(new TextDecoder().decode(input).toLowerCase());
    }
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 24 }), (input) => {
        expect(tarkin.lowercase(input)).toBe(new TextDecoder().decode(input).toLowerCase());
      }),
      { numRuns: 20_000, seed: 5 },
    );
  });
});

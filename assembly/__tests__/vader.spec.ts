import { roundFixed } from "../vader";

describe("roundFixed", () => {
  it("is parseFloat(x.toFixed(n)): half up on the double's exact value", () => {
    expect(roundFixed(0.0625, 3)).toBe(0.063); // an exact tie rounds up
    expect(roundFixed(1.0005, 3)).toBe(1.0); // 1.0005 is 1.000499999... as a double
    expect(roundFixed(0.8316, 4)).toBe(0.8316);
    expect(roundFixed(-0.54605, 4)).toBe(-0.5461);
    expect(roundFixed(0.00004, 4)).toBe(0.0);
    expect(roundFixed(1.0, 3)).toBe(1.0);
    expect(roundFixed(0.9999, 3)).toBe(1.0);
  });

  it("keeps the sign of a negative value that rounds to zero, as parseFloat('-0.0000') does", () => {
    expect(1 / roundFixed(-0.00001, 4)).toBe(-Infinity);
    expect(1 / roundFixed(0.00001, 4)).toBe(Infinity);
  });
});

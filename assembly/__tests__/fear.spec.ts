import { fearOf, isAnomaly, ALERT_FEAR, SURPRISE_WEIGHT, VERY_UNUSUAL } from "../fear";
import { SURPRISE_DEFAULT, SURPRISE_TARKIN } from "../surprise";

describe("fear", () => {
  it("in tarkin mode is surprise times negativity, as before", () => {
    expect(fearOf(SURPRISE_TARKIN, 1, -1, 0)).toBe(1);
    expect(fearOf(SURPRISE_TARKIN, 1, 0, 0)).toBe(0.5);
    expect(fearOf(SURPRISE_TARKIN, 1, 1, 0)).toBe(0);
    expect(fearOf(SURPRISE_TARKIN, 0.5, -0.5, 0.9)).toBe(0.375);
  });

  it("by default is the larger of the negative share and the weighted unusual-and-negative product", () => {
    expect(SURPRISE_WEIGHT).toBe(0.3);
    expect(fearOf(SURPRISE_DEFAULT, 0, 0, 0)).toBe(0);
    expect(fearOf(SURPRISE_DEFAULT, 1, -1, 1)).toBe(1);
    expect(fearOf(SURPRISE_DEFAULT, 0, -1, 0.5)).toBe(0.5);
    expect(fearOf(SURPRISE_DEFAULT, 0.5, -0.5, 0.4)).toBe(0.4);
    expect(fearOf(SURPRISE_DEFAULT, 1, -1, 0.1)).toBeCloseTo(0.3, 15);
    // A neutral message fears by its surprise alone: ordered by it, and below a clearly negative one.
    expect(fearOf(SURPRISE_DEFAULT, 1, 0, 0)).toBeCloseTo(0.15, 15);
    expect(fearOf(SURPRISE_DEFAULT, 0.9, 0, 0)).toBeLessThan(fearOf(SURPRISE_DEFAULT, 1, 0, 0));
    expect(fearOf(SURPRISE_DEFAULT, 1, 0, 0)).toBeLessThan(fearOf(SURPRISE_DEFAULT, 0, -0.5, 0.3));
  });

  it("stays in [0, 1] at the extremes", () => {
    const values: f64[] = [-1, -0.5, 0, 0.5, 1];
    for (let m = 0; m < 2; m++) {
      for (let s = 0; s <= 4; s++) {
        for (let c = 0; c < values.length; c++) {
          for (let n = 0; n <= 4; n++) {
            const f = fearOf(m, <f64>s / 4, values[c], <f64>n / 4);
            expect(f >= 0 && f <= 1).toBe(true);
          }
        }
      }
    }
  });

  it("decides as the original in tarkin mode", () => {
    expect(isAnomaly(SURPRISE_TARKIN, true, 0, 0, 0.5, 0)).toBe(true);
    expect(isAnomaly(SURPRISE_TARKIN, true, 0, 0, 0, 0)).toBe(true);
    expect(isAnomaly(SURPRISE_TARKIN, false, 1, -1, 1, 0)).toBe(false);
    expect(isAnomaly(SURPRISE_TARKIN, true, 1, 0.1, 1, 0)).toBe(false);
  });

  it("by default: very unusual, or fear at least the alert level with a negative compound; the gate is not required", () => {
    expect(ALERT_FEAR).toBe(0.2);
    expect(VERY_UNUSUAL).toBe(0.5);
    expect(isAnomaly(SURPRISE_DEFAULT, false, 0, -0.1, 0.2, 0)).toBe(true);
    expect(isAnomaly(SURPRISE_DEFAULT, true, 0, -0.1, 0.2, 0)).toBe(true);
    expect(isAnomaly(SURPRISE_DEFAULT, true, 0, -0.1, 0.19, 0)).toBe(false);
    expect(isAnomaly(SURPRISE_DEFAULT, true, 0, 0, 0.5, 0)).toBe(false);
    expect(isAnomaly(SURPRISE_DEFAULT, true, 0, 0.2, 0.5, 0)).toBe(false);
    // Very unusual: whatever it reads like, positive included.
    expect(isAnomaly(SURPRISE_DEFAULT, false, 0.5, 0.9, 0.02, 0)).toBe(true);
    expect(isAnomaly(SURPRISE_DEFAULT, false, 0.49, 0, 0.07, 0)).toBe(false);
  });

  it("requires the minimum fear when one is set", () => {
    expect(isAnomaly(SURPRISE_DEFAULT, true, 0, -0.1, 0.3, 0.4)).toBe(false);
    expect(isAnomaly(SURPRISE_DEFAULT, true, 0, -0.1, 0.45, 0.4)).toBe(true);
    expect(isAnomaly(SURPRISE_DEFAULT, true, 0.9, 0, 0.3, 0.4)).toBe(false);
    expect(isAnomaly(SURPRISE_TARKIN, true, 0, -0.1, 0.5, 0.4)).toBe(true);
    expect(isAnomaly(SURPRISE_TARKIN, true, 0, -0.1, 0.3, 0.4)).toBe(false);
  });
});

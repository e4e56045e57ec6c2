import { originalFear, originalAnomaly, fieldFear, fieldAnomaly, opensAlarm, negativityOf, ALERT_FEAR, ALERT_NEGATIVITY, ROUTINE_WEIGHT, SOMEWHAT_UNUSUAL, VERY_UNUSUAL } from "../../decision/fear";

describe("fear", () => {
  it("in tarkin mode is surprise times negativity, as before", () => {
    expect(originalFear(1, -1)).toBe(1);
    expect(originalFear(1, 0)).toBe(0.5);
    expect(originalFear(1, 1)).toBe(0);
    expect(originalFear(0.5, -0.5)).toBe(0.375);
  });

  it("by default is the larger of the surprise and the negativity, n / (n + ALERT_NEGATIVITY); both together where a security word reads negative", () => {
    expect(ALERT_NEGATIVITY).toBe(0.2);
    expect(fieldFear(0, 0, false)).toBe(0);
    // A neutral message fears by its surprise alone.
    expect(fieldFear(0.7, 0, false)).toBe(0.7);
    // Negativity that a security word carries: ALERT_NEGATIVITY reads one half.
    expect(fieldFear(0, 0.2, true)).toBeCloseTo(0.5, 15);
    expect(fieldFear(0, 0.6, true)).toBeCloseTo(0.75, 15);
    // Routine negativity weighs ROUTINE_WEIGHT: a little less fear for the same share.
    expect(negativityOf(0.2, false)).toBeCloseTo((0.2 * ROUTINE_WEIGHT) / (0.2 * ROUTINE_WEIGHT + 0.2), 15);
    expect(negativityOf(0.2, false)).toBeLessThan(negativityOf(0.2, true));
    // It never flattens: more negative, more fear, so it still ranks.
    expect(negativityOf(0.9, true)).toBeGreaterThan(negativityOf(0.8, true));
    // Routine negativity and the surprise: the larger.
    expect(fieldFear(0.6, 0.2, false)).toBe(0.6);
    expect(fieldFear(0.1, 0.2, false)).toBe(negativityOf(0.2, false));
    // Security evidence and a surprise of SOMEWHAT_UNUSUAL or more are independent evidence, as chances: 1 - (1 - s)(1 - n).
    expect(fieldFear(0.6, 0.2, true)).toBeCloseTo(1 - 0.4 * 0.5, 15);
    expect(fieldFear(0.3, 0.05, true)).toBeCloseTo(1 - 0.7 * (1 - negativityOf(0.05, true)), 15);
    // Below SOMEWHAT_UNUSUAL the surprise is no evidence of its own: the larger, as for routine negativity.
    expect(fieldFear(0.1, 0.2, true)).toBeCloseTo(0.5, 15);
    // Neither alone gives the alert, both together do: a "check pass; user unknown" a little unusual.
    expect(fieldFear(0.25, 0.15, true)).toBeGreaterThanOrEqual(ALERT_FEAR);
    expect(negativityOf(0.15, true)).toBeLessThan(ALERT_FEAR);
  });

  it("stays in [0, 1] at the extremes", () => {
    const values: f64[] = [-1, -0.5, 0, 0.5, 1];
    for (let s = 0; s <= 4; s++) {
      for (let c = 0; c < values.length; c++) {
        const original = originalFear(<f64>s / 4, values[c]);
        expect(original >= 0 && original <= 1).toBe(true);
        for (let n = 0; n <= 4; n++) {
          const f = fieldFear(<f64>s / 4, <f64>n / 4, n % 2 == 0);
          expect(f >= 0 && f <= 1).toBe(true);
        }
      }
    }
  });

  it("decides as the original in tarkin mode", () => {
    expect(originalAnomaly(true, 0, 0.5, 0)).toBe(true);
    expect(originalAnomaly(true, 0, 0, 0)).toBe(true);
    expect(originalAnomaly(false, -1, 1, 0)).toBe(false);
    expect(originalAnomaly(true, 0.1, 1, 0)).toBe(false);
  });

  it("by default: very unusual, or negative with a security word or some unusualness; the gate is not required", () => {
    expect(ALERT_FEAR).toBe(0.5);
    expect(VERY_UNUSUAL).toBe(0.5);
    expect(SOMEWHAT_UNUSUAL).toBe(0.2);
    // Security evidence, however usual the line.
    expect(fieldAnomaly(0, -0.1, true, true, 0.5, 0)).toBe(true);
    expect(fieldAnomaly(0, -0.1, true, true, 0.49, 0)).toBe(false);
    // Routine negativity on a line shaped as in training: no alert, whatever its fear.
    expect(fieldAnomaly(0, -0.6, false, true, 0.7, 0)).toBe(false);
    expect(fieldAnomaly(0.19, -0.6, false, true, 0.7, 0)).toBe(false);
    // ... but where the line is also unusual, it is, and where the model does not cover it (it cannot call it routine).
    expect(fieldAnomaly(0.2, -0.6, false, true, 0.7, 0)).toBe(true);
    expect(fieldAnomaly(0, -0.6, false, false, 0.7, 0)).toBe(true);
    // Not negative on balance: no alert from the words.
    expect(fieldAnomaly(0.3, 0, true, true, 0.6, 0)).toBe(false);
    // Very unusual: whatever it reads like, positive included.
    expect(fieldAnomaly(0.5, 0.9, false, true, 0.5, 0)).toBe(true);
    expect(fieldAnomaly(0.49, 0, false, true, 0.49, 0)).toBe(false);
  });

  it("by default: a line of a process after its alarm fears as the alarm at least and is anomalous; only a very unusual alarm opens one", () => {
    expect(fieldFear(0, 0, false, 0.8)).toBe(0.8);
    expect(fieldFear(0.9, 0, false, 0.8)).toBe(0.9);
    expect(fieldAnomaly(0, 0.4, false, true, fieldFear(0, 0, false, 0.8), 0, true)).toBe(true);
    expect(fieldAnomaly(0, 0.4, false, true, fieldFear(0, 0, false, 0.8), 0.85, true)).toBe(false); // the minimum fear still holds
    expect(opensAlarm(VERY_UNUSUAL, true)).toBe(true);
    expect(opensAlarm(0.49, true)).toBe(false); // anomalous by its words: a mistyped password
    expect(opensAlarm(0.9, false)).toBe(false); // held back by the minimum fear
  });

  it("requires the minimum fear when one is set", () => {
    expect(fieldAnomaly(0.6, -0.1, true, true, 0.6, 0.7)).toBe(false);
    expect(fieldAnomaly(0.6, -0.1, true, true, 0.75, 0.7)).toBe(true);
    expect(originalAnomaly(true, -0.1, 0.5, 0.4)).toBe(true);
    expect(originalAnomaly(true, -0.1, 0.3, 0.4)).toBe(false);
  });
});

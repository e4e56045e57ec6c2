import { fear, isAnomaly } from "../fear";
import { SURPRISE_DEFAULT, SURPRISE_TARKIN } from "../surprise";

describe("fear", () => {
  it("is surprise times negativity", () => {
    expect(fear(1, -1)).toBe(1);
    expect(fear(1, 0)).toBe(0.5);
    expect(fear(1, 1)).toBe(0);
    expect(fear(0.5, -0.5)).toBe(0.375);
  });

  it("decides as the original in tarkin mode, negativity required by default", () => {
    expect(isAnomaly(SURPRISE_TARKIN, true, 0, 0.5, 0)).toBe(true);
    expect(isAnomaly(SURPRISE_TARKIN, false, -1, 1, 0)).toBe(false);
    expect(isAnomaly(SURPRISE_DEFAULT, true, 0, 0.5, 0)).toBe(false);
    expect(isAnomaly(SURPRISE_DEFAULT, true, -0.1, 0.5, 0)).toBe(true);
  });

  it("requires the minimum fear when one is set", () => {
    expect(isAnomaly(SURPRISE_DEFAULT, true, -0.1, 0.3, 0.4)).toBe(false);
    expect(isAnomaly(SURPRISE_TARKIN, true, -0.1, 0.5, 0.4)).toBe(true);
  });
});

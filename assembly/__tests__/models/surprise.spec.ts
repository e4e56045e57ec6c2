import {
  train, surprise, Gate, resetModel, setSurpriseMode, modelCharacters, modelMessages, SURPRISE_TARKIN, SURPRISE_DEFAULT,
} from "../../models/surprise";

function text(s: string): usize {
  const buffer = String.UTF8.encode(s);
  return changetype<usize>(buffer);
}
function length(s: string): usize {
  return <usize>String.UTF8.byteLength(s);
}
function trainOn(s: string): void {
  const p = text(s);
  train(p, p + length(s));
}
function surpriseOf(s: string): f64 {
  const p = text(s);
  return surprise(p, p + length(s));
}

describe("the character model", () => {
  beforeEach(() => {
    resetModel();
  });

  it("learns lowercased characters in first-seen order", () => {
    trainOn("Ab");
    trainOn("ba");
    expect(modelCharacters()).toBe(2);
    expect(modelMessages()).toBe(2);
  });

  it("in tarkin mode, keeps the original's quirks: a zero-variance character is always surprising", () => {
    setSurpriseMode(SURPRISE_TARKIN);
    trainOn("aab");
    trainOn("ab");
    // a: counts 2, 1 -> [1.5 - 0.5, 1.5 + 0.5) holds 1; b: counts 1, 1 -> [1, 1) holds nothing.
    expect(surpriseOf("ab")).toBe(0.5);
    expect(surpriseOf("aab")).toBe(1.0);
    expect(surpriseOf("zz")).toBe(1.0); // every model character absent
  });

  it("in default mode, unseen characters count as surprising", () => {
    setSurpriseMode(SURPRISE_DEFAULT);
    trainOn("aab");
    trainOn("aab");
    expect(surpriseOf("aab")).toBe(0.0);
    expect(surpriseOf("aabz")).toBe(1.0 / 3.0);
  });
});

describe("the gate", () => {
  it("in tarkin mode, passes what exceeds the running max less |variance|", () => {
    const gate = new Gate();
    expect(gate.passes(0.5, gate.originalThreshold())).toBe(true); // max starts at 0
    expect(gate.passes(0.4, gate.originalThreshold())).toBe(false);
    expect(gate.passes(0.6, gate.originalThreshold())).toBe(true);
    expect(gate.count()).toBe(3);
    expect(gate.mean()).toBeCloseTo(0.5);
  });

  it("in default mode, passes what lies k spreads above the mean, after two records", () => {
    const gate = new Gate();
    expect(gate.passes(0.9, gate.spreadThreshold(2))).toBe(false);
    expect(gate.passes(0.1, gate.spreadThreshold(2))).toBe(false);
    expect(gate.passes(0.2, gate.spreadThreshold(2))).toBe(false);
    expect(gate.passes(5.0, gate.spreadThreshold(2))).toBe(true);
  });

  it("starts again from nothing when reset", () => {
    const gate = new Gate();
    gate.passes(0.5, gate.originalThreshold());
    gate.reset();
    expect(gate.count()).toBe(0);
    expect(gate.maximum()).toBe(0);
  });
});

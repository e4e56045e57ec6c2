// The detection metrics against hand-computed cases and their definitions (ties included), the
// labels eval reads, and its table.
import { describe, expect, it } from "vitest";
import { averagePrecision, decisionQuality, rocAuc } from "../../../host/core/eval/eval-metrics.js";
import { seededRandom } from "../../../host/core/random.js";
import { formatTable, parseLabel, SAMPLE_ATTACK_PATTERN, splitFirstField, type Evaluation } from "../../../host/core/eval/eval.js";
import { sampleLines } from "../../../host/core/sample.js";

const labelled = (xs: number[]) => xs.map((x) => x === 1);

/** AUC by its definition: over every (alert, normal) pair, 1 when the alert scores higher, 1/2 on a tie. */
function pairwiseAuc(scores: number[], labels: boolean[]): number {
  let sum = 0;
  let pairs = 0;
  scores.forEach((p, i) => {
    if (!labels[i]) return;
    scores.forEach((q, j) => {
      if (labels[j]) return;
      sum += p > q ? 1 : p === q ? 0.5 : 0;
      pairs++;
    });
  });
  return sum / pairs;
}

/** AP with no ties: the mean, over the alerts, of the precision among the records ranked at or above each. */
function untiedAp(scores: number[], labels: boolean[]): number {
  const order = scores.map((_, i) => i).sort((a, b) => scores[b] - scores[a]);
  let tp = 0;
  let sum = 0;
  order.forEach((i, k) => {
    if (labels[i]) sum += ++tp / (k + 1);
  });
  return sum / tp;
}

describe("metrics", () => {
  it("match scikit-learn's documented example", () => {
    // sklearn.metrics.roc_auc_score / average_precision_score docs: y = [0, 0, 1, 1], s = [0.1, 0.4, 0.35, 0.8].
    const y = labelled([0, 0, 1, 1]);
    const s = [0.1, 0.4, 0.35, 0.8];
    expect(rocAuc(s, y)).toBeCloseTo(0.75, 15);
    expect(averagePrecision(s, y)).toBeCloseTo(0.8333333333333333, 15);
  });

  it("count ties half in AUC and enter tied records together in AP", () => {
    // Two tied at the top, one alert among them; two tied below, one alert among them.
    expect(rocAuc([1, 1, 0, 0], labelled([1, 0, 1, 0]))).toBe(0.5);
    expect(averagePrecision([1, 1, 0, 0], labelled([1, 0, 1, 0]))).toBeCloseTo(0.5 * 0.5 + 0.5 * 0.5, 15);
    // A grep-like 0/1 score: AUC = (2 x 1.5 + 0.5) / 6; AP = 2/3 x 2/3 + 1/3 x 3/5.
    const y = labelled([1, 1, 0, 1, 0]);
    const grep = [1, 1, 1, 0, 0];
    expect(rocAuc(grep, y)).toBeCloseTo(3.5 / 6, 15);
    expect(averagePrecision(grep, y)).toBeCloseTo((2 / 3) * (2 / 3) + (1 / 3) * (3 / 5), 15);
    // Every score the same: chance, and AP is the share of alerts, whatever the order of the records.
    expect(rocAuc([7, 7, 7, 7, 7], labelled([0, 1, 0, 0, 1]))).toBe(0.5);
    expect(averagePrecision([7, 7, 7, 7, 7], labelled([0, 1, 0, 0, 1]))).toBeCloseTo(0.4, 15);
    expect(averagePrecision([7, 7, 7, 7, 7], labelled([1, 1, 0, 0, 0]))).toBeCloseTo(0.4, 15);
  });

  it("a perfect ranking scores 1, a reversed one 0 (AUC), and one class gives NaN", () => {
    expect(rocAuc([3, 2, 1], labelled([1, 0, 0]))).toBe(1);
    expect(averagePrecision([3, 2, 1], labelled([1, 0, 0]))).toBe(1);
    expect(rocAuc([1, 2, 3], labelled([1, 0, 0]))).toBe(0);
    expect(averagePrecision([1, 2, 3], labelled([1, 0, 0]))).toBeCloseTo(1 / 3, 15);
    expect(rocAuc([1, 2], labelled([0, 0]))).toBeNaN();
    expect(averagePrecision([1, 2], labelled([0, 0]))).toBeNaN();
    expect(() => rocAuc([1], labelled([1, 0]))).toThrow(RangeError);
  });

  it("agree with the definitions on random cases, with and without ties", () => {
    const r = seededRandom(42);
    for (let c = 0; c < 300; c++) {
      const n = 2 + Math.floor(r() * 40);
      const tied = c % 2 === 0;
      const scores = Array.from({ length: n }, () => (tied ? Math.floor(r() * 4) : r()));
      const labels = Array.from({ length: n }, () => r() < 0.3);
      if (!labels.some(Boolean) || labels.every(Boolean)) continue;
      expect(rocAuc(scores, labels)).toBeCloseTo(pairwiseAuc(scores, labels), 12);
      if (!tied) expect(averagePrecision(scores, labels)).toBeCloseTo(untiedAp(scores, labels), 12);
      // Tie-aware AP does not depend on the order the records come in.
      const order = scores.map((_, i) => i).reverse();
      expect(averagePrecision(order.map((i) => scores[i]), order.map((i) => labels[i]))).toBeCloseTo(averagePrecision(scores, labels), 12);
    }
  });

  it("precision and recall of a decision", () => {
    expect(decisionQuality([true, true, false, false], labelled([1, 0, 1, 0]))).toEqual({ flagged: 2, truePositives: 1, precision: 0.5, recall: 0.5 });
    expect(decisionQuality([false, false], labelled([1, 0])).precision).toBeNaN();
  });
});

describe("labels", () => {
  it("0 or - is normal; 1 or a category is an alert; blank is no label", () => {
    expect(["0", "-", " - ", "1", "KERNDTLB", "alert"].map(parseLabel)).toEqual([false, false, false, true, true, true]);
    expect(parseLabel("  ")).toBeNull();
    expect(splitFirstField("- 1117838570 RAS KERNEL INFO x")).toEqual({ label: "-", message: "1117838570 RAS KERNEL INFO x" });
    expect(splitFirstField("APPSEV a b")).toEqual({ label: "APPSEV", message: "a b" });
    expect(splitFirstField("nolabel")).toBeNull();
  });

  it("the sample pattern is exactly the generator's attack templates", () => {
    // With no attacks no line matches; with only attacks every line does.
    for (const seed of [1, 2, 3]) {
      expect([...sampleLines({ lines: 3000, seed, attacks: 0 })].filter((l) => SAMPLE_ATTACK_PATTERN.test(l))).toEqual([]);
      expect([...sampleLines({ lines: 3000, seed, attacks: 1 })].filter((l) => !SAMPLE_ATTACK_PATTERN.test(l))).toEqual([]);
    }
  });
});

it("formatTable lays out every method", () => {
  const e: Evaluation = {
    records: 2,
    alerts: 1,
    top: [],
    methods: [{ key: "fear", name: "tarkin fear", decision: "tarkin_anomaly", auc: 1, ap: 1, flagged: 1, truePositives: 1, precision: 1, recall: 1 }],
  };
  expect(formatTable(e).split("\n")[1]).toBe("tarkin fear   1.000   1.000        1      1.000   1.000  tarkin_anomaly");
});

// Detection-quality metrics for `tarkin eval`: how well a score ranks the labelled alerts, and how
// good a yes/no decision is. Ties are handled as the usual references handle them: AUC with average
// ranks (the Mann-Whitney U statistic), average precision step-wise over distinct thresholds, as
// scikit-learn's average_precision_score computes it.

/** Yes or no a record: booleans, or 1 and 0. */
export type Flags = ArrayLike<boolean | number>;

export interface RankQuality {
  /** Area under the ROC curve: the chance that a random positive scores above a random negative, ties counting half. */
  auc: number;
  /**
   * Average precision: sum over distinct score thresholds, from the highest, of (recall gained) x
   * (precision at that threshold); tied scores enter together. scikit-learn's average_precision_score.
   */
  ap: number;
}

/** AUC and AP of a score (NaN without positives; AUC NaN without negatives too). */
export function rankQuality(scores: ArrayLike<number>, labels: Flags): RankQuality {
  return rankQualityInPlace(Float64Array.from(scores), labels);
}

/**
 * rankQuality, reordering `scores`. Both metrics depend only on how the positives' and the
 * negatives' scores interleave, so the scores are split by label and each side sorted numerically,
 * in place, with no comparator or index array: no memory beyond the scores themselves.
 */
export function rankQualityInPlace(scores: Float64Array | Uint8Array, labels: Flags): RankQuality {
  const n = scores.length;
  checkLengths(scores, labels);
  let positives = 0;
  for (let i = 0; i < n; i++) if (labels[i]) positives++;
  // The positives' scores to the front: each one behind swaps with a negative's in front.
  for (let i = 0, j = positives; ; i++, j++) {
    while (i < positives && labels[i]) i++;
    while (j < n && !labels[j]) j++;
    if (i >= positives || j >= n) break;
    const score = scores[i];
    scores[i] = scores[j];
    scores[j] = score;
  }
  const pos = scores.subarray(0, positives).sort();
  const neg = scores.subarray(positives, n).sort();
  const negatives = n - positives;
  if (positives === 0) return { auc: NaN, ap: NaN };

  // AUC: the positives' ranks, a tied group's average rank for each of its members, from the lowest.
  let rankSum = 0;
  for (let i = 0, j = 0; i < positives || j < negatives; ) {
    const value = j >= negatives || (i < positives && !above(pos[i], neg[j])) ? pos[i] : neg[j];
    const [p, q] = tied(pos, i, neg, j, value, 1);
    rankSum += p * (i + j + (p + q + 1) / 2);
    i += p;
    j += q;
  }
  const auc = negatives === 0 ? NaN : (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);

  // AP: thresholds from the highest score down, a tied group entering together.
  let ap = 0;
  let tp = 0;
  for (let i = positives - 1, j = negatives - 1; i >= 0 || j >= 0; ) {
    const value = j < 0 || (i >= 0 && !above(neg[j], pos[i])) ? pos[i] : neg[j];
    const [p, q] = tied(pos, i, neg, j, value, -1);
    tp += p;
    const seen = positives - 1 - i + negatives - 1 - j + p + q;
    if (p) ap += (p / positives) * (tp / seen);
    i -= p;
    j -= q;
  }
  return { auc, ap };
}

/** Ranks a above b, as the sort places them: NaN above every number. */
function above(a: number, b: number): boolean {
  return a > b || (a !== a && b === b);
}

/** How many of the positives and of the negatives from i and j on (step 1 up, -1 down) equal value; a NaN stands alone. */
function tied(pos: ArrayLike<number>, i: number, neg: ArrayLike<number>, j: number, value: number, step: 1 | -1): [number, number] {
  if (value !== value) return pos[i] !== pos[i] ? [1, 0] : [0, 1];
  let p = 0;
  let q = 0;
  while (i + p * step >= 0 && i + p * step < pos.length && pos[i + p * step] === value) p++;
  while (j + q * step >= 0 && j + q * step < neg.length && neg[j + q * step] === value) q++;
  return [p, q];
}

export function rocAuc(scores: ArrayLike<number>, labels: Flags): number {
  return rankQuality(scores, labels).auc;
}

export function averagePrecision(scores: ArrayLike<number>, labels: Flags): number {
  return rankQuality(scores, labels).ap;
}

export interface DecisionQuality {
  flagged: number;
  truePositives: number;
  /** NaN when nothing is flagged. */
  precision: number;
  recall: number;
}

export function decisionQuality(decisions: Flags, labels: Flags): DecisionQuality {
  checkLengths(decisions, labels);
  let flagged = 0;
  let truePositives = 0;
  let positives = 0;
  for (let i = 0; i < labels.length; i++) {
    if (decisions[i]) flagged++;
    if (labels[i]) positives++;
    if (decisions[i] && labels[i]) truePositives++;
  }
  return { flagged, truePositives, precision: flagged ? truePositives / flagged : NaN, recall: positives ? truePositives / positives : NaN };
}

function checkLengths(a: ArrayLike<unknown>, b: ArrayLike<unknown>): void {
  if (a.length !== b.length) throw new RangeError(`${a.length} scores but ${b.length} labels`);
}


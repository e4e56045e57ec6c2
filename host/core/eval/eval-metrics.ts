// Detection-quality metrics for `tarkin eval`: how well a score ranks the labelled alerts, and how
// good a yes/no decision is. Ties are handled as the usual references handle them: AUC with average
// ranks (the Mann-Whitney U statistic), average precision step-wise over distinct thresholds, as
// scikit-learn's average_precision_score computes it.

/** Area under the ROC curve: the chance that a random positive scores above a random negative, ties counting half. */
export function rocAuc(scores: ArrayLike<number>, labels: ArrayLike<boolean>): number {
  const n = scores.length;
  checkLengths(scores, labels);
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a] - scores[b]);
  let positives = 0;
  let rankSum = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && scores[order[j + 1]] === scores[order[i]]) j++;
    const rank = (i + j) / 2 + 1; // the average of ranks i+1 .. j+1
    for (let k = i; k <= j; k++) {
      if (labels[order[k]]) {
        positives++;
        rankSum += rank;
      }
    }
    i = j + 1;
  }
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) return NaN;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/**
 * Average precision: sum over distinct score thresholds, from the highest, of (recall gained) x
 * (precision at that threshold); tied scores enter together. scikit-learn's average_precision_score.
 */
export function averagePrecision(scores: ArrayLike<number>, labels: ArrayLike<boolean>): number {
  const n = scores.length;
  checkLengths(scores, labels);
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[b] - scores[a]);
  let positives = 0;
  for (let i = 0; i < n; i++) if (labels[i]) positives++;
  if (positives === 0) return NaN;
  let tp = 0;
  let seen = 0;
  let ap = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    let gained = 0;
    while (j < n && scores[order[j]] === scores[order[i]]) {
      if (labels[order[j]]) gained++;
      j++;
    }
    tp += gained;
    seen = j;
    if (gained) ap += (gained / positives) * (tp / seen);
    i = j;
  }
  return ap;
}

export interface DecisionQuality {
  flagged: number;
  truePositives: number;
  /** NaN when nothing is flagged. */
  precision: number;
  recall: number;
}

export function decisionQuality(decisions: ArrayLike<boolean>, labels: ArrayLike<boolean>): DecisionQuality {
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


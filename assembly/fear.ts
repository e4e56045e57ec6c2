// Fear: the records that are both unusual and negative. Surprise says how unusual a message looks,
// VADER's compound how negative it reads; the decision says which records an analyst should see.
import { SURPRISE_TARKIN } from "./surprise";

/**
 * fear = surprise x negativity, with negativity = (1 - compound) / 2: 1 for the most negative text,
 * 0.5 for neutral, 0 for the most positive. A product, so a record must be both to score high.
 */
export function fear(surprise: f64, compound: f64): f64 {
  const value = surprise * ((1 - compound) / 2);
  return Math.min(Math.max(value, 0), 1);
}

/**
 * The alert decision. tarkin: the original's, infrequent and compound <= 0 (neutral included).
 * default: infrequent and negative, as most log lines read neutral to VADER. Either way a fear
 * threshold, when set, must also be reached.
 */
export function isAnomaly(mode: i32, infrequent: bool, compound: f64, fearValue: f64, minimumFear: f64): bool {
  if (fearValue < minimumFear) return false;
  if (mode == SURPRISE_TARKIN) return infrequent && compound <= 0;
  return infrequent && compound < 0;
}

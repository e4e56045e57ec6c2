// Fear: how much an analyst should worry about a record, in [0, 1], and the alert decision.
// Chosen by measurement (README, "Detection quality"): on labelled logs the character-frequency
// surprise alone ranks alerts little better than chance, or worse (BGL), while the share of a
// message that reads negative ranks them well; so negativity leads and surprise orders the records
// that read about equally negative, chiefly the many that read neutral.
import { SURPRISE_TARKIN } from "./surprise";

/** How much the unusual-and-negative product weighs beside the negative share, default mode. */
export const SURPRISE_WEIGHT: f64 = 0.05;

/** Default mode's alert level: a record is anomalous from this fear up (and with a negative compound). */
export const ALERT_FEAR: f64 = 0.2;

/**
 * Fear from its parts. `negShare` is VADER's `neg`: the share of the message's words, weighted by
 * valence, that read negative; `compound` VADER's compound; `surprise` the mode's surprise.
 * default: neg + w x surprise x (1 - compound) / 2, w = SURPRISE_WEIGHT, capped at 1: the negative
 * share leads, and the original product (unusual and negative) adds at most w, so it orders records
 * of about equal negativity (the many that read neutral above all) without outweighing a negative
 * word.
 * tarkin: surprise x (1 - compound) / 2, as before: the original's mode keeps every number it had.
 */
export function fearOf(mode: i32, surprise: f64, compound: f64, negShare: f64): f64 {
  const negativity = (1 - compound) / 2;
  const value = mode == SURPRISE_TARKIN
    ? surprise * negativity
    : negShare + SURPRISE_WEIGHT * surprise * negativity;
  return Math.min(Math.max(value, 0), 1);
}

/**
 * The alert decision. tarkin: the original's, infrequent and compound <= 0 (neutral included).
 * default: fear at least ALERT_FEAR and compound < 0 (negative on balance); the adaptive gate's
 * verdict (infrequent) is reported but not required, as requiring it halved recall in measurement.
 * Either way a fear threshold, when set, must also be reached.
 */
export function isAnomaly(mode: i32, infrequent: bool, compound: f64, fearValue: f64, minimumFear: f64): bool {
  if (fearValue < minimumFear) return false;
  if (mode == SURPRISE_TARKIN) return infrequent && compound <= 0;
  return fearValue >= ALERT_FEAR && compound < 0;
}

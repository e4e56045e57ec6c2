// Fear: how much an analyst should worry about a record, in [0, 1], and the alert decision.
// Chosen by measurement (README, "Detection quality"): the field surprise finds the attacks that
// read neutral (injection, traversal, scanning), the share of a message that reads negative finds
// the failures; fear takes whichever worries more, so neither hides the other.
import { SURPRISE_TARKIN } from "./surprise";

/** How much the unusual-and-negative product weighs beside the negative share, default mode. */
export const SURPRISE_WEIGHT: f64 = 0.3;

/** Default mode's alert level for what reads negative: anomalous from this fear up, with a negative compound. */
export const ALERT_FEAR: f64 = 0.2;

/** Default mode: a surprise from which a record is anomalous whatever it reads like (fields.ts VERY_UNUSUAL_DECADES). */
export const VERY_UNUSUAL: f64 = 0.5;

/**
 * Fear from its parts. `negShare` is VADER's `neg`: the share of the message's words, weighted by
 * valence, that read negative; `compound` VADER's compound; `surprise` the mode's surprise.
 * default: max(neg, w x surprise x (1 - compound) / 2), w = SURPRISE_WEIGHT: the original's
 * product (unusual and negative) beside the negative share; a neutral record that is very unusual
 * fears as much as one that reads a quarter negative.
 * tarkin: surprise x (1 - compound) / 2, as before: the original's mode keeps every number it had.
 */
export function fearOf(mode: i32, surprise: f64, compound: f64, negShare: f64): f64 {
  const unusualAndNegative = surprise * ((1 - compound) / 2);
  const value = mode == SURPRISE_TARKIN ? unusualAndNegative : Math.max(negShare, SURPRISE_WEIGHT * unusualAndNegative);
  return Math.min(Math.max(value, 0), 1);
}

/**
 * The alert decision. tarkin: the original's, infrequent and compound <= 0 (neutral included).
 * default: very unusual (surprise at least VERY_UNUSUAL), or negative on balance (compound < 0)
 * with fear at least ALERT_FEAR; the adaptive gate's verdict (infrequent) is reported but not
 * required, as requiring it halved recall in measurement.
 * Either way a fear threshold, when set, must also be reached.
 */
export function isAnomaly(mode: i32, infrequent: bool, surprise: f64, compound: f64, fearValue: f64, minimumFear: f64): bool {
  if (fearValue < minimumFear) return false;
  if (mode == SURPRISE_TARKIN) return infrequent && compound <= 0;
  return surprise >= VERY_UNUSUAL || (fearValue >= ALERT_FEAR && compound < 0);
}

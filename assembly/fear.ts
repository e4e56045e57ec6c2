// Fear: how much an analyst should worry about a record, in [0, 1], and the alert decision. The
// decision rule is written here and nowhere else: the module exports its text (decisionRule) and
// constants, and the host's explain, eval and report print them from there.
//
// Default mode: fear is the larger of two kinds of evidence, so neither hides the other.
// - The surprise (fields.ts): how unusual the record's fields are; 0.5 is very unusual.
// - Negativity: VADER's neg, the share of the words that read negative, as n / (n + ALERT_NEGATIVITY):
//   0.5 at ALERT_NEGATIVITY where it is evidence, rising towards 1 (never flat, so it still ranks). It is evidence where a security word made the
//   text negative (an overlay's: failed logins, denied access, intrusions), however often the log
//   says it; other negativity (an application's routine ERROR lines) weighs ROUTINE_WEIGHT on a
//   line shaped as in training, rising to full weight as the line becomes very unusual.
// tarkin mode: the original's, bit for bit.
import { SURPRISE_TARKIN } from "./layouts";

/** A surprise from which a record is very unusual, anomalous whatever it reads like (fields.ts VERY_UNUSUAL_DECADES). */
export const VERY_UNUSUAL: f64 = 0.5;

/** Fear from which a record is anomalous (default mode). */
export const ALERT_FEAR: f64 = 0.5;

/** Negativity (VADER's neg) that reads as fear 0.5 where it is evidence: n / (n + ALERT_NEGATIVITY). */
export const ALERT_NEGATIVITY: f64 = 0.2;

/** The weight of negativity that no security word carries, on a line shaped as in training. */
export const ROUTINE_WEIGHT: f64 = 0.5;

/**
 * Negativity as evidence, in fear's units: n / (n + ALERT_NEGATIVITY) of the negative share n,
 * weighed by ROUTINE_WEIGHT up to 1 as the surprise rises to VERY_UNUSUAL unless a security word made it.
 */
export function negativityOf(negShare: f64, securityNegative: bool, surprise: f64): f64 {
  const weight = securityNegative ? 1.0 : ROUTINE_WEIGHT + (1 - ROUTINE_WEIGHT) * Math.min(surprise / VERY_UNUSUAL, 1);
  const n = negShare * weight;
  return n / (n + ALERT_NEGATIVITY);
}

/**
 * Fear from its parts: `surprise` the mode's surprise, `compound` and `negShare` VADER's, and
 * whether a security word read negative.
 * default: max(surprise, negativity). tarkin: surprise x (1 - compound) / 2, the original's.
 */
export function fearOf(mode: i32, surprise: f64, compound: f64, negShare: f64, securityNegative: bool): f64 {
  const value = mode == SURPRISE_TARKIN ? surprise * ((1 - compound) / 2) : Math.max(surprise, negativityOf(negShare, securityNegative, surprise));
  return Math.min(Math.max(value, 0), 1);
}

/**
 * The alert decision. tarkin: the original's, infrequent and compound <= 0 (neutral included).
 * default: fear at least ALERT_FEAR, and either very unusual or negative on balance (compound < 0);
 * the adaptive gate's verdict (infrequent) is reported but not required.
 * Either way a fear threshold, when set, must also be reached.
 */
export function isAnomaly(mode: i32, infrequent: bool, surprise: f64, compound: f64, fearValue: f64, minimumFear: f64): bool {
  if (fearValue < minimumFear) return false;
  if (mode == SURPRISE_TARKIN) return infrequent && compound <= 0;
  return fearValue >= ALERT_FEAR && (surprise >= VERY_UNUSUAL || compound < 0);
}

/** The rule above in a user's words, per mode, for the host to print as the module applies it. */
export function decisionRule(mode: i32): string {
  if (mode == SURPRISE_TARKIN) {
    return "fear = surprise x (1 - compound) / 2; anomalous when infrequent (judged against the records before it) and compound <= 0";
  }
  return `fear = max(surprise, n / (n + ${ALERT_NEGATIVITY})), n = neg x weight (weight 1 where a security word reads negative, ` +
    `else ${ROUTINE_WEIGHT} rising to 1 as surprise reaches ${VERY_UNUSUAL}); anomalous when fear >= ${ALERT_FEAR} and ` +
    `(surprise >= ${VERY_UNUSUAL} or compound < 0)`;
}

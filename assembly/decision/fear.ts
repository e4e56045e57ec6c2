// Fear: how much an analyst should worry about a record, in [0, 1], and the alert decision. The
// decision rule is written here and nowhere else: the module exports its text (decisionRule) and
// constants, and the host's explain, eval and report print them from there.
//
// Default mode: fear ranks a record by two kinds of evidence, so neither hides the other.
// - The surprise (fields.ts): how unusual the record's fields are; 0.5 is very unusual.
// - Negativity: VADER's neg, the share of the words that read negative, as n / (n + ALERT_NEGATIVITY),
//   0.5 at ALERT_NEGATIVITY and rising towards 1 (never flat, so it still ranks). Negativity that no
//   security word carries weighs ROUTINE_WEIGHT in the ranking: a log's routine failures rank below
//   what is both negative and security evidence.
// Fear is the larger of the two; where a security word reads negative and the record is somewhat
// unusual as well (surprise from SOMEWHAT_UNUSUAL), the two are independent evidence of one attack
// and add up as chances do, 1 - (1 - surprise)(1 - negativity): a security word's share falls with
// a line's length, and a long line that says "authentication failure" and is unusual too is an alert.
// The decision keeps what the sentiment sees where it matters: a record is anomalous at fear 0.5
// when it is very unusual, or negative on balance and either security evidence (an overlay's word
// read negative: failed logins, denied access, intrusions), however often the log says it, or
// unusual in its fields as well (surprise from SOMEWHAT_UNUSUAL), or of a log the model does not
// cover (which it cannot call routine): an application's routine ERROR lines, a steady share of its
// log and shaped as in training, are no alert by themselves. A record very unusual and anomalous
// opens an alarm on its syslog process (alarms.ts), and that process's next lines are anomalous at
// the alarm's fear at least: the session of a root login from a new network, not its one line.
// tarkin mode: the original's, bit for bit.
import { SURPRISE_TARKIN } from "../base/layouts";
import { ALARM_LINES, SECOND_LINES } from "./alarms";

/** A surprise from which a record is very unusual, anomalous whatever it reads like (fields.ts VERY_UNUSUAL_DECADES). */
export const VERY_UNUSUAL: f64 = 0.5;

/** A surprise from which negativity with no security word in it counts towards an alert: one decade of rarity. */
export const SOMEWHAT_UNUSUAL: f64 = 0.2;

/** Fear from which a record is anomalous (default mode). */
export const ALERT_FEAR: f64 = 0.5;

/** Negativity (VADER's neg) that reads as fear 0.5: n / (n + ALERT_NEGATIVITY). */
export const ALERT_NEGATIVITY: f64 = 0.2;

/** The weight in the ranking of negativity that no security word carries. */
export const ROUTINE_WEIGHT: f64 = 0.8;

/** Negativity in fear's units: n / (n + ALERT_NEGATIVITY) of the negative share n, weighed ROUTINE_WEIGHT unless a security word made it. */
export function negativityOf(negShare: f64, securityNegative: bool): f64 {
  const n = securityNegative ? negShare : negShare * ROUTINE_WEIGHT;
  return n / (n + ALERT_NEGATIVITY);
}

// Fear in [0, 1]: clamped.
// @ts-ignore: decorator
@inline function clamped(value: f64): f64 {
  return Math.min(Math.max(value, 0), 1);
}

/** tarkin mode's fear, the original's: surprise x (1 - compound) / 2, of the character surprise and VADER's compound. */
export function originalFear(surprise: f64, compound: f64): f64 {
  return clamped(surprise * ((1 - compound) / 2));
}

/**
 * tarkin mode's alert decision, the original's: infrequent and compound <= 0 (neutral included);
 * a fear threshold, when set, must be reached.
 */
export function originalAnomaly(infrequent: bool, compound: f64, fearValue: f64, minimumFear: f64): bool {
  if (fearValue < minimumFear) return false;
  return infrequent && compound <= 0;
}

/**
 * Default mode's fear, of the field surprise and VADER's neg share: the larger, or both as chances
 * where a security word reads negative in a somewhat unusual record; in a line of a process after
 * its alarm, the alarm's fear at least.
 */
export function fieldFear(surprise: f64, negShare: f64, securityNegative: bool, alarmFear: f64 = 0): f64 {
  const negativity = negativityOf(negShare, securityNegative);
  const together = securityNegative && surprise >= SOMEWHAT_UNUSUAL;
  const fear = clamped(together ? 1 - (1 - surprise) * (1 - negativity) : Math.max(surprise, negativity));
  return Math.max(fear, alarmFear);
}

/**
 * Default mode's alert decision: fear at least ALERT_FEAR, and very unusual, or a line of a process
 * after its alarm, or negative on balance (compound < 0) with a security word read negative, a
 * surprise of SOMEWHAT_UNUSUAL, or a message the model does not cover. The adaptive gate's verdict
 * (infrequent) is reported but not required. A fear threshold, when set, must be reached.
 */
export function fieldAnomaly(surprise: f64, compound: f64, securityNegative: bool, covered: bool, fearValue: f64, minimumFear: f64, afterAlarm: bool = false): bool {
  if (fearValue < minimumFear) return false;
  return fearValue >= ALERT_FEAR && (surprise >= VERY_UNUSUAL || afterAlarm || (compound < 0 && (securityNegative || surprise >= SOMEWHAT_UNUSUAL || !covered)));
}

/** Whether an anomalous record opens an alarm on its process (alarms.ts): where it is very unusual, not where only its words alarm (a user's mistyped password). */
export function opensAlarm(surprise: f64, anomalous: bool): bool {
  return anomalous && surprise >= VERY_UNUSUAL;
}

/** The rule above in a user's words, per mode, for the host to print as the module applies it. */
export function decisionRule(mode: i32): string {
  if (mode == SURPRISE_TARKIN) {
    return "fear = surprise x (1 - compound) / 2; anomalous when infrequent (judged against the records before it) and compound <= 0";
  }
  return `fear = max(surprise, n / (n + ${ALERT_NEGATIVITY})), n = neg x ${ROUTINE_WEIGHT}; where a security word reads negative and surprise >= ${SOMEWHAT_UNUSUAL}, fear = 1 - (1 - surprise)(1 - n / (n + ${ALERT_NEGATIVITY})), n = neg; ` +
    `anomalous when fear >= ${ALERT_FEAR} and (surprise >= ${VERY_UNUSUAL}, or compound < 0 with a security word reading negative, surprise >= ${SOMEWHAT_UNUSUAL} ` +
    `or the record not covered); a record anomalous with surprise >= ${VERY_UNUSUAL} makes the next ${ALARM_LINES} lines of its syslog process (sshd[2459], of a program that runs one a session) anomalous at its fear at least, ` +
    `and so the next ${SECOND_LINES} lines of its second and host, while no other line comes between; a program that logs no process id (sudo) opens its second for its own lines that name its subject (its user) only, where a value is news for what it is`;
}

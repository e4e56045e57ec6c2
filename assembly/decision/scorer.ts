// The scorers: the field model (the default) and the original's character surprise (tarkin mode),
// each behind the one seam the filter and the host call. The pack chooses one when it reads its
// settings; the per-record path then asks that one, with no mode to test. Each fills a Verdict its
// caller owns; its decision is fear.ts's rule of its own.
import { polarity_scores, scoreNeutralText, PolarityScores } from "../sentiment/vader";
import { sentimentText } from "../sentiment/text";
import { piecesMayHoldWord } from "../base/words";
import { surprise, Gate } from "../models/surprise";
import { fieldSurprise, namesSubject, FieldReading } from "../models/fields";
import { FIELD_AFTER, FIELD_AFTER_QUOTED, FIELD_FIRST, FIELD_PATH, FIELD_SCHEME, FIELD_OF_SUBJECT, EVIDENCE_LOG, EVIDENCE_NEW_VALUE, EVIDENCE_LENGTH, EVIDENCE_NEW_FIELD, EVIDENCE_NEW_NETWORK, EVIDENCE_NEW_HOUR, EVIDENCE_NEW_LOG_NETWORK, SYNTAX_NAMES } from "../base/layouts";
import { ShortText } from "../base/text";
import { originalFear, originalAnomaly, fieldFear, fieldAnomaly, opensAlarm } from "./fear";
import { Alarms } from "./alarms";

/** What made a record an alarm's line (Verdict.carriedBy): its process's alarm, or its second's. */
export const CARRIED_BY_PROCESS: u32 = 1;
export const CARRIED_BY_SECOND: u32 = 2;

/** The verdict on one message, filled by a scorer. */
export class Verdict {
  /** VADER's scores of the message. */
  readonly sentiment: PolarityScores = new PolarityScores();
  surprise: f64 = 0;
  /** Whether the surprise passed the adaptive gate. */
  infrequent: bool = false;
  fear: f64 = 0;
  anomaly: bool = false;
  /** Whether the model knows the message's log (fields.ts covered); the original's always does. */
  covered: bool = true;
  /** What made it anomalous where it is so only as an alarm's line (alarms.ts): CARRIED_BY_PROCESS, CARRIED_BY_SECOND, else 0. */
  carriedBy: u32 = 0;
}

export abstract class Scorer {
  /** The gate, over the surprise of every message this scorer has scored. */
  readonly gate: Gate = new Gate();
  /** Fear a record must reach to be anomalous (a setting; 0 when unset). */
  minimumFear: f64 = 0;

  /** Whether the filter prints surprise and fear with every digit computed rather than rounded. */
  constructor(readonly everyDigit: bool) {}

  /** Scores a message (UTF-8) into `verdict`: sentiment, surprise, the gate (its state carries on), fear, decision. */
  abstract score(start: usize, end: usize, verdict: Verdict): void;

  /** Where the text the sentiment reads of the message [start, end) starts (as long as the message), for explain. */
  abstract textOf(start: usize, end: usize): usize;

  /** The surprise the next message must exceed to pass the gate (Infinity: none can pass yet). */
  abstract gateThreshold(): f64;

  /** The scored message's reason, in a user's words, into `out` (emptied first). */
  abstract reason(verdict: Verdict, out: ShortText): void;
}

/** tarkin mode: the original algorithm, bit for bit: the character surprise, its gate and its rule. */
export class OriginalScorer extends Scorer {
  constructor() {
    super(true);
  }

  score(start: usize, end: usize, verdict: Verdict): void {
    polarity_scores(start, end, verdict.sentiment);
    const value = surprise(start, end);
    const compound = verdict.sentiment.compound;
    const infrequent = this.gate.passes(value, this.gate.originalThreshold());
    const fear = originalFear(value, compound);
    verdict.surprise = value;
    verdict.covered = true;
    verdict.infrequent = infrequent;
    verdict.fear = fear;
    verdict.anomaly = originalAnomaly(infrequent, compound, fear, this.minimumFear);
  }

  /** The original algorithm reads the message as written. */
  textOf(start: usize, end: usize): usize {
    return start;
  }

  gateThreshold(): f64 {
    return this.gate.originalThreshold();
  }

  /** The original gives none. */
  reason(verdict: Verdict, out: ShortText): void {
    out.length = 0;
  }
}

// A reason's name or word: at most this many bytes of it.
const NAME_LIMIT: usize = 48;
const SYNTAX_NAME_LIST = SYNTAX_NAMES.split(",");

/** The default: the field surprise (fields.ts), its gate of mean + k spreads, and its rule. */
export class FieldScorer extends Scorer {
  /** The gate's k: infrequent means above the mean by this many standard deviations (a setting, 0 by default). */
  gateSpreads: f64 = 0;
  /** What reading the last message found, for its reason. */
  private readonly reading: FieldReading = new FieldReading();
  /** The processes of recent alarms, whose next lines are the alarm's (its state carries on, as the gate's). */
  private readonly alarms: Alarms = new Alarms();

  constructor() {
    super(false);
  }

  /** The message as written, but a JSON object's string values in place from its first key (sentiment/text.ts), which reading its fields finds. */
  textOf(start: usize, end: usize): usize {
    fieldSurprise(start, end, this.reading);
    return sentimentText(start, end, this.reading.jsonFrom);
  }

  score(start: usize, end: usize, verdict: Verdict): void {
    const reading = this.reading;
    // The fields first: where a JSON object's members start is where the sentiment's text changes.
    const value = fieldSurprise(start, end, reading);
    const text = sentimentText(start, end, reading.jsonFrom);
    const textEnd = text + (end - start);
    // The sentiment reads the text only where it may hold a word of its lexicon: up to a JSON
    // object's first key as the fields' pass found, and the object's values as its text has them.
    const from = reading.jsonFrom;
    if (reading.words || (from != 0 && piecesMayHoldWord(text + (from - start), textEnd, textEnd))) polarity_scores(text, textEnd, verdict.sentiment);
    else scoreNeutralText(text, textEnd, verdict.sentiment);
    const known = reading.covered();
    const sentiment = verdict.sentiment;
    const infrequent = this.gate.passes(value, this.gate.spreadThreshold(this.gateSpreads));
    const ownFear = fieldFear(value, sentiment.neg, sentiment.securityNegative);
    const ownAnomaly = fieldAnomaly(value, sentiment.compound, sentiment.securityNegative, known, ownFear, this.minimumFear);
    // An alarm's line: of its process, or of its second (worked out only while one is open). It
    // fears as the alarm at least; an alarm's fear and its own opener's passed the minimum fear.
    const alarms = this.alarms;
    const process = reading.process;
    let carriedBy: u32 = 0;
    let alarmFear = alarms.takeLine(process);
    if (alarmFear > 0) carriedBy = CARRIED_BY_PROCESS;
    let key: u32 = 0;
    if (alarms.secondOpen()) {
      key = reading.headerKey();
      const subject = alarms.secondSubject;
      const secondFear = alarms.takeSecondLine(subject == 0 || namesSubject(start, end, subject) ? key : 0);
      if (secondFear > alarmFear) {
        alarmFear = secondFear;
        carriedBy = CARRIED_BY_SECOND;
      }
    }
    let fear = ownFear;
    let anomaly = ownAnomaly;
    if (alarmFear > 0) {
      fear = fieldFear(value, sentiment.neg, sentiment.securityNegative, alarmFear);
      anomaly = fieldAnomaly(value, sentiment.compound, sentiment.securityNegative, known, fear, this.minimumFear, true);
    }
    if (ownAnomaly || !anomaly) carriedBy = 0; // anomalous of itself, or held back by a minimum fear set since the alarm
    // A session's process opens an alarm on itself and its second; a program that logs no process
    // id (sudo), of a subject (its user), on the second of its own lines that name the subject, and
    // only by what the record holds (a command never run), not by how it is written; a daemon's, neither.
    const bySubject = process == 0 && !reading.tagHasId && reading.subject != 0 && reading.valueNews;
    if ((process != 0 || bySubject) && opensAlarm(value, ownAnomaly)) {
      if (process != 0) alarms.open(process, fear);
      if (key == 0) key = reading.headerKey();
      if (key != 0) alarms.openSecond(key, fear, bySubject ? reading.subject : 0);
    }
    verdict.surprise = value;
    verdict.covered = known;
    verdict.infrequent = infrequent;
    verdict.fear = fear;
    verdict.anomaly = anomaly;
    verdict.carriedBy = carriedBy;
  }

  gateThreshold(): f64 {
    return this.gate.spreadThreshold(this.gateSpreads);
  }

  /**
   * The field that added most to the surprise and the kind of evidence ("q: sql syntax", "debug:
   * never seen field, rare in the log", "id: rare shape"), or the most negative word ("security:
   * failed", "negative: error") where negativity weighs more, or the process whose alarm made it
   * anomalous ("sshd[2459]: after an alarm in this process"); empty where nothing stands out.
   */
  reason(verdict: Verdict, out: ShortText): void {
    out.length = 0;
    if (verdict.carriedBy != 0) {
      out.text(this.reading.tagStart, this.reading.tagEnd - this.reading.tagStart, NAME_LIMIT);
      out.ascii(verdict.carriedBy == CARRIED_BY_PROCESS ? ": after an alarm in this process" : ": in the second of an alarm on this host");
      return;
    }
    // Fear is the larger of the surprise and the negativity: above the surprise, the words made it.
    const sentiment = verdict.sentiment;
    const fromWords = sentiment.mostNegativeEnd > sentiment.mostNegativeStart && sentiment.compound < 0 && verdict.fear > verdict.surprise;
    if (fromWords) {
      out.ascii(sentiment.securityNegative ? "security: " : "negative: ");
      out.text(sentiment.mostNegativeStart, sentiment.mostNegativeEnd - sentiment.mostNegativeStart, NAME_LIMIT);
      return;
    }
    const reading = this.reading;
    const nameStart = reading.reasonNameStart;
    const nameEnd = reading.reasonNameEnd;
    const syntax = reading.reasonSyntax;
    const evidence = reading.reasonEvidence;
    if (verdict.surprise <= 0 || nameEnd < nameStart) return;
    const kind = reading.reasonKind;
    if (kind == FIELD_AFTER) out.ascii("after ");
    else if (kind == FIELD_PATH) out.ascii("in path ");
    else if (kind == FIELD_SCHEME) out.ascii("scheme of ");
    if (kind == FIELD_FIRST) out.ascii("first token");
    else if (kind == FIELD_AFTER_QUOTED) out.ascii("after a quoted value");
    else out.text(nameStart, nameEnd - nameStart, NAME_LIMIT);
    if (kind == FIELD_OF_SUBJECT) {
      out.ascii(" of ");
      out.text(reading.reasonSubjectStart, reading.reasonSubjectEnd - reading.reasonSubjectStart, NAME_LIMIT);
    }
    out.ascii(": ");
    if (syntax != 0) {
      let first = true;
      for (let i = 0; i < SYNTAX_NAME_LIST.length; i++) {
        if ((syntax & (1 << i)) == 0) continue;
        if (!first) out.ascii(", ");
        out.ascii(SYNTAX_NAME_LIST[i]);
        first = false;
      }
      out.ascii(" syntax");
    } else if (evidence == EVIDENCE_LOG) out.ascii("unknown field, rare in the log");
    else if (evidence == EVIDENCE_NEW_VALUE) out.ascii("a value it never held");
    else if (evidence == EVIDENCE_NEW_NETWORK) out.ascii("a network it never held");
    else if (evidence == EVIDENCE_NEW_LOG_NETWORK) out.ascii("a network the log never held");
    else if (evidence == EVIDENCE_NEW_HOUR) out.ascii("a value never held at this time of day");
    else if (evidence == EVIDENCE_LENGTH) out.ascii("far longer than its values");
    else if (evidence == EVIDENCE_NEW_FIELD) out.ascii("a field never seen");
    else out.ascii("rare shape");
  }
}

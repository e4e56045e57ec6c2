// Detection quality: labelled records through the module and, side by side, the baselines a user
// would otherwise reach for. Every method ranks the records (a score) and makes a yes/no call (a
// decision); the labels say which records are alerts.
import { ModuleDriver } from "../module/driver.js";
import { decisionQuality, rankQualityInPlace } from "./eval-metrics.js";
import { seededRandom } from "../random.js";
import { TopRecords } from "../top-records.js";

/** The generic keyword search the brief (issue 7) measures against. */
export const GREP_PATTERN = /error|fail|fatal|denied|invalid|refused|unauthorized|attack/i;

/** VADER's own convention for a negative text (its README): compound at most -0.05. */
export const VADER_NEGATIVE = -0.05;

/**
 * The attack and failure lines of the project's sample generator (host/core/sample.ts), by their
 * templates: what `--labels sample` calls an alert.
 */
export const SAMPLE_ATTACK_PATTERN = new RegExp(
  [
    "sshd\\[\\d+\\]: (Failed password for invalid user|Invalid user |error: maximum authentication attempts exceeded|Did not receive identification string)",
    '^203\\.0\\.113\\.\\d+ - - \\[', // web requests from the attackers' network
    "kernel: \\[[\\d.]+\\] (Out of memory: Killed process|\\S+\\[\\d+\\]: segfault at|watchdog: BUG: soft lockup|audit: type=1400 .*apparmor=\"DENIED\"|EXT4-fs error)",
    "^\\S+Z (ERROR|FATAL|WARN) ", // application lines at a failure level
  ].join("|"),
);

/** A label as a labels file or a BGL-style first field writes it: 0 or - normal, 1 or a category an alert. */
export function parseLabel(token: string): boolean | null {
  const t = token.trim();
  if (t === "") return null;
  return !(t === "0" || t === "-");
}

/** BGL's layout: the label is the first field, up to the first space; the message is the rest. */
export function splitFirstField(line: string): { label: string; message: string } | null {
  const space = line.indexOf(" ");
  if (space <= 0) return null;
  return { label: line.slice(0, space), message: line.slice(space + 1) };
}

export interface MethodResult {
  key: "fear" | "surprise" | "vader_lexicon" | "original" | "vader" | "grep" | "random";
  name: string;
  /** What the method's yes/no call is. */
  decision: string;
  /** null without labels (or with only one class). */
  auc: number | null;
  ap: number | null;
  flagged: number;
  truePositives: number | null;
  precision: number | null;
  recall: number | null;
}

export interface RecordScore {
  index: number;
  message: string;
  label: boolean | null;
  fear: number;
  surprise: number;
  compound: number;
  neg: number;
  anomaly: boolean;
}

export interface Evaluation {
  records: number;
  alerts: number | null;
  methods: MethodResult[];
  /** The records the module fears most, highest first (ties in input order). */
  top: RecordScore[];
}

export interface EvaluateOptions {
  /** The module under evaluation (packed: model, lexicon, settings). */
  module: Uint8Array;
  /** The original Tarkin: the same model packed with --surprise tarkin and VADER's lexicon alone. */
  original: Uint8Array;
  seed?: number;
  /** Whether the records come with labels. */
  labelled: boolean;
  /** How many of the records the module fears most to keep. */
  top?: number;
  /** The number of records expected, when known: room for them from the start. */
  expected?: number;
}

const finite = (x: number) => (Number.isFinite(x) ? x : null);

type Key = MethodResult["key"];

/** A number a record, growing by doubling: 8 bytes a record, or 1 for a yes or no. */
class Column<A extends Float64Array | Uint8Array> {
  private data: A;
  length = 0;

  constructor(private readonly make: (n: number) => A, capacity: number) {
    this.data = make(Math.max(capacity, 1024));
  }

  push(x: number): void {
    if (this.length === this.data.length) {
      const grown = this.make(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = x;
  }

  values(): A {
    return this.data.subarray(0, this.length) as A;
  }
}

const numbers = (capacity: number) => new Column((n) => new Float64Array(n), capacity);
const flags = (capacity: number) => new Column((n) => new Uint8Array(n), capacity);

/**
 * Runs records through the module and the original, in order, one instance each (the gate's state
 * carries on), as they stream. Per record it keeps 44 bytes, not the text: five scores, the
 * module's and the original's anomaly flags, grep's match and the label (the random baseline's
 * scores are drawn again from the seed); and the records feared most, in a heap of --top's size.
 */
export class Evaluator {
  private readonly module: ModuleDriver;
  private readonly original: ModuleDriver;
  private readonly veryUnusual: number;
  private readonly scores: Record<"fear" | "surprise" | "original" | "vader" | "vader_lexicon", Column<Float64Array>>;
  private readonly flags: Record<"anomaly" | "originalAnomaly" | "grep" | "label", Column<Uint8Array>>;
  private readonly feared: TopRecords<RecordScore>;
  private readonly seed: number;
  records = 0;

  constructor(private readonly o: EvaluateOptions) {
    this.module = ModuleDriver.fromBytes(o.module);
    this.original = ModuleDriver.fromBytes(o.original);
    this.veryUnusual = this.module.decision.veryUnusual;
    this.seed = o.seed ?? 1;
    const n = o.expected ?? 0;
    this.scores = { fear: numbers(n), surprise: numbers(n), original: numbers(n), vader: numbers(n), vader_lexicon: numbers(n) };
    this.flags = { anomaly: flags(n), originalAnomaly: flags(n), grep: flags(n), label: flags(o.labelled ? n : 0) };
    this.feared = new TopRecords<RecordScore>(o.top ?? 0);
  }

  add(message: string, label: boolean | null): void {
    const s = this.module.score(message);
    const t = this.original.score(message);
    if (this.feared.wouldEnter(s.fear, this.records)) this.feared.offer({ index: this.records, message, label, fear: s.fear, surprise: s.surprise, compound: s.compound, neg: s.neg, anomaly: s.anomaly });
    this.scores.fear.push(s.fear);
    this.scores.surprise.push(s.surprise);
    this.scores.original.push(t.surprise);
    this.scores.vader.push(-t.compound);
    this.scores.vader_lexicon.push(-s.compound);
    this.flags.anomaly.push(s.anomaly ? 1 : 0);
    this.flags.originalAnomaly.push(t.anomaly ? 1 : 0);
    this.flags.grep.push(GREP_PATTERN.test(message) ? 1 : 0);
    if (this.o.labelled) this.flags.label.push(label ? 1 : 0);
    this.records++;
  }

  /** The result. Ranking reorders the kept scores: call it once. */
  finish(): Evaluation {
    const n = this.records;
    const labels = this.o.labelled ? this.flags.label.values() : null;
    const derived = new Uint8Array(n);
    /** A method's scores (grep's: its decision, 1 or 0), and its yes/no call: those derived from the scores written into one array in turn. */
    const method = (key: Key): { scores: Float64Array | Uint8Array; decisions: Uint8Array } => {
      if (key === "fear") return { scores: this.scores.fear.values(), decisions: this.flags.anomaly.values() };
      if (key === "original") return { scores: this.scores.original.values(), decisions: this.flags.originalAnomaly.values() };
      if (key === "grep") return { scores: this.flags.grep.values(), decisions: this.flags.grep.values() };
      if (key === "random") {
        // Drawn into the fear scores' place: random comes last, when fear's are done with.
        const scores = this.drawRandom(this.scores.fear.values());
        return { scores, decisions: this.randomDecisions(scores) };
      }
      const scores = this.scores[key].values();
      // The scores of VADER's methods are -compound.
      for (let i = 0; i < n; i++) derived[i] = (key === "surprise" ? scores[i] >= this.veryUnusual : -scores[i] <= VADER_NEGATIVE) ? 1 : 0;
      return { scores, decisions: derived };
    };

    // In this order: random takes the place of fear's scores.
    const names: [Key, string, string][] = [
      ["fear", "tarkin fear", "tarkin_anomaly"],
      ["surprise", "  its surprise alone", `tarkin_surprise >= ${this.veryUnusual}`],
      ["vader_lexicon", "  its sentiment alone", `compound <= ${VADER_NEGATIVE}, VADER with the module's lexicon`],
      ["original", "original Tarkin surprise", "tarkin_anomaly of --surprise tarkin"],
      ["vader", "VADER negativity", `compound <= ${VADER_NEGATIVE}`],
      ["grep", "keyword grep", `matches ${GREP_PATTERN}`],
      ["random", `random (seed ${this.seed})`, `as many as tarkin_anomaly, at random`],
    ];
    const methods = names.map(([key, name, decision]): MethodResult => {
      const m = method(key);
      const flagged = count(m.decisions);
      const q = labels ? decisionQuality(m.decisions, labels) : null;
      // Last: it reorders the scores (and grep's decisions with them).
      const r = labels ? rankQualityInPlace(m.scores, labels) : null;
      return {
        key,
        name,
        decision,
        auc: r ? finite(r.auc) : null,
        ap: r ? finite(r.ap) : null,
        flagged,
        truePositives: q ? q.truePositives : null,
        precision: q ? finite(q.precision) : null,
        recall: q ? finite(q.recall) : null,
      };
    });
    return { records: n, alerts: labels ? count(labels) : null, methods, top: this.feared.sorted() };
  }

  /** The random baseline's score of each record, drawn into `scores`: the seed's sequence, one number a record. */
  private drawRandom(scores: Float64Array): Float64Array {
    const random = seededRandom(this.seed);
    for (let i = 0; i < scores.length; i++) scores[i] = random();
    return scores;
  }

  /**
   * The random baseline flags as many records as the module does: those of the highest random
   * scores, the earlier first among equal ones. The threshold is found by sorting `scores`, which
   * are then drawn again.
   */
  private randomDecisions(scores: Float64Array): Uint8Array {
    const n = this.records;
    const decisions = new Uint8Array(n);
    const flagged = count(this.flags.anomaly.values());
    if (flagged === 0) return decisions;
    const threshold = scores.sort()[n - flagged];
    this.drawRandom(scores);
    let left = flagged;
    for (let i = 0; i < n; i++) {
      if (scores[i] > threshold) {
        decisions[i] = 1;
        left--;
      }
    }
    for (let i = 0; i < n && left > 0; i++) {
      if (scores[i] === threshold) {
        decisions[i] = 1;
        left--;
      }
    }
    return decisions;
  }
}

function count(flags: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < flags.length; i++) n += flags[i];
  return n;
}

/** The evaluation as a fixed-width table. */
export function formatTable(e: Evaluation): string {
  const f = (x: number | null, digits = 3) => (x === null ? "-" : x.toFixed(digits));
  const width = Math.max(...e.methods.map((m) => m.name.length));
  const rows = [`${"method".padEnd(width)}     AUC      AP  flagged  precision  recall  decision`];
  for (const m of e.methods) {
    rows.push(
      `${m.name.padEnd(width)}  ${f(m.auc).padStart(6)}  ${f(m.ap).padStart(6)}  ${String(m.flagged).padStart(7)}  ${f(m.precision).padStart(9)}  ${f(m.recall).padStart(6)}  ${m.decision}`,
    );
  }
  return rows.join("\n");
}

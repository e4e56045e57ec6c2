// Detection quality: labelled records through the module and, side by side, the baselines a user
// would otherwise reach for. Every method ranks the records (a score) and makes a yes/no call (a
// decision); the labels say which records are alerts.
import { ModuleDriver } from "../module/driver.js";
import { averagePrecision, decisionQuality, rocAuc } from "./eval-metrics.js";
import { seededRandom } from "../random.js";

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
  /** Per record, the module's verdict, in input order. */
  scores: RecordScore[];
}

export interface EvaluateOptions {
  /** The module under evaluation (packed: model, lexicon, settings). */
  module: Uint8Array;
  /** The original Tarkin: the same model packed with --surprise tarkin and VADER's lexicon alone. */
  original: Uint8Array;
  seed?: number;
}

const finite = (x: number) => (Number.isFinite(x) ? x : null);

/** Runs every message through the module and the original, in order, one instance each (the gate's state carries on). */
export function evaluate(messages: string[], labels: boolean[] | null, o: EvaluateOptions): Evaluation {
  if (labels && labels.length !== messages.length) throw new RangeError(`${labels.length} labels for ${messages.length} records`);
  const n = messages.length;
  const module = ModuleDriver.fromBytes(o.module);
  const original = ModuleDriver.fromBytes(o.original);
  const scores: RecordScore[] = [];
  const veryUnusual = module.decision.veryUnusual;
  const columns = {
    fear: new Float64Array(n),
    surprise: new Float64Array(n),
    original: new Float64Array(n),
    vader: new Float64Array(n),
    vader_lexicon: new Float64Array(n),
    grep: new Float64Array(n),
    random: new Float64Array(n),
  };
  const decisions = {
    fear: new Array<boolean>(n),
    surprise: new Array<boolean>(n),
    original: new Array<boolean>(n),
    vader: new Array<boolean>(n),
    vader_lexicon: new Array<boolean>(n),
    grep: new Array<boolean>(n),
    random: new Array<boolean>(n).fill(false),
  };
  const random = seededRandom(o.seed ?? 1);
  for (let i = 0; i < n; i++) {
    const m = messages[i];
    const s = module.score(m);
    const t = original.score(m);
    scores.push({ index: i, message: m, label: labels ? labels[i] : null, fear: s.fear, surprise: s.surprise, compound: s.compound, neg: s.neg, anomaly: s.anomaly });
    columns.fear[i] = s.fear;
    decisions.fear[i] = s.anomaly;
    columns.surprise[i] = s.surprise;
    decisions.surprise[i] = s.surprise >= veryUnusual;
    columns.original[i] = t.surprise;
    decisions.original[i] = t.anomaly;
    columns.vader[i] = -t.compound;
    decisions.vader[i] = t.compound <= VADER_NEGATIVE;
    columns.vader_lexicon[i] = -s.compound;
    decisions.vader_lexicon[i] = s.compound <= VADER_NEGATIVE;
    const hit = GREP_PATTERN.test(m);
    columns.grep[i] = hit ? 1 : 0;
    decisions.grep[i] = hit;
    columns.random[i] = random();
  }
  // The random baseline flags as many records as the module does, chosen by its random score.
  const flagged = decisions.fear.filter(Boolean).length;
  Array.from({ length: n }, (_, i) => i)
    .sort((a, b) => columns.random[b] - columns.random[a])
    .slice(0, flagged)
    .forEach((i) => (decisions.random[i] = true));

  const names: [MethodResult["key"], string, string][] = [
    ["fear", "tarkin fear", "tarkin_anomaly"],
    ["surprise", "  its surprise alone", `tarkin_surprise >= ${veryUnusual}`],
    ["vader_lexicon", "  its sentiment alone", `compound <= ${VADER_NEGATIVE}, VADER with the module's lexicon`],
    ["original", "original Tarkin surprise", "tarkin_anomaly of --surprise tarkin"],
    ["vader", "VADER negativity", `compound <= ${VADER_NEGATIVE}`],
    ["grep", "keyword grep", `matches ${GREP_PATTERN}`],
    ["random", `random (seed ${o.seed ?? 1})`, `as many as tarkin_anomaly, at random`],
  ];
  const methods = names.map(([key, name, decision]): MethodResult => {
    const q = labels ? decisionQuality(decisions[key], labels) : null;
    return {
      key,
      name,
      decision,
      auc: labels ? finite(rocAuc(columns[key], labels)) : null,
      ap: labels ? finite(averagePrecision(columns[key], labels)) : null,
      flagged: decisions[key].filter(Boolean).length,
      truePositives: q ? q.truePositives : null,
      precision: q ? finite(q.precision) : null,
      recall: q ? finite(q.recall) : null,
    };
  });
  return { records: n, alerts: labels ? labels.filter(Boolean).length : null, methods, scores };
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

/** The records the module fears most, highest first (ties in input order). */
export function topRecords(e: Evaluation, count: number): RecordScore[] {
  return [...e.scores].sort((a, b) => b.fear - a.fear || a.index - b.index).slice(0, count);
}

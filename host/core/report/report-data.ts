// What `tarkin report` keeps while records stream through the module: histograms of fixed size, the
// letter space's count distributions, a bounded timeline of the gate, and the alerts grouped by kind
// (a bounded number of kinds, the shown ones explained at the end). Memory does not grow with the
// number of records.
import { OUTPUT_FIELDS } from "../module/layouts.js";
import { messageOf } from "../io/input.js";
import { type PackedContents } from "../module/pack.js";
import { AlertGroups, cut, timeIn, type AlertGroup } from "./alert-groups.js";
import { rareFields, type ModuleDriver, type CharacterDetail, type RareField, type WordDetail } from "../module/driver.js";

/** What a histogram bin counts: every record, those that passed the gate, the anomalies. */
export const ALL = 0;
export const INFREQUENT = 1;
export const ANOMALOUS = 2;

/** Counts per value in fine bins over [lo, hi] (all, passed the gate, anomalous); re-binned when drawn. */
export class Histogram {
  readonly counts: Float64Array;
  min = Infinity;
  max = -Infinity;
  total = 0;

  constructor(readonly lo: number, readonly hi: number, readonly bins = 2000) {
    this.counts = new Float64Array(bins * 3);
  }

  bin(value: number): number {
    const b = Math.floor(((value - this.lo) / (this.hi - this.lo)) * this.bins);
    return Math.min(Math.max(b, 0), this.bins - 1);
  }

  add(value: number, infrequent: boolean, anomaly: boolean): void {
    if (!Number.isFinite(value)) return;
    const at = this.bin(value) * 3;
    this.counts[at + ALL]++;
    if (infrequent) this.counts[at + INFREQUENT]++;
    if (anomaly) this.counts[at + ANOMALOUS]++;
    if (value < this.min) this.min = value;
    if (value > this.max) this.max = value;
    this.total++;
  }

  /** The lower edge of a fine bin. */
  edge(bin: number): number {
    return this.lo + ((this.hi - this.lo) * bin) / this.bins;
  }
}

export interface TimelineBucket {
  first: number;
  last: number;
  min: number;
  max: number;
  sum: number;
  count: number;
  /** The gate's threshold at the bucket's last record. */
  gate: number;
  anomalies: number;
  /** The highest surprise of an anomaly in the bucket (NaN: none). */
  anomalyMax: number;
}

/** Surprise and the gate over the run, in at most `capacity` buckets: full, neighbours merge. */
export class Timeline {
  buckets: TimelineBucket[] = [];
  private width = 1;

  constructor(private readonly capacity = 200) {}

  add(index: number, surprise: number, gate: number, anomaly: boolean): void {
    let b = this.buckets[this.buckets.length - 1];
    if (!b || b.count >= this.width) {
      if (this.buckets.length >= this.capacity) {
        this.merge();
        return this.add(index, surprise, gate, anomaly);
      }
      b = { first: index, last: index, min: surprise, max: surprise, sum: 0, count: 0, gate, anomalies: 0, anomalyMax: NaN };
      this.buckets.push(b);
    }
    b.last = index;
    b.min = Math.min(b.min, surprise);
    b.max = Math.max(b.max, surprise);
    b.sum += surprise;
    b.count++;
    b.gate = gate;
    if (anomaly) {
      b.anomalies++;
      b.anomalyMax = Number.isNaN(b.anomalyMax) ? surprise : Math.max(b.anomalyMax, surprise);
    }
  }

  private merge(): void {
    const merged: TimelineBucket[] = [];
    for (let i = 0; i < this.buckets.length; i += 2) {
      const a = this.buckets[i];
      const b = this.buckets[i + 1];
      if (!b) {
        merged.push(a);
        continue;
      }
      merged.push({
        first: a.first,
        last: b.last,
        min: Math.min(a.min, b.min),
        max: Math.max(a.max, b.max),
        sum: a.sum + b.sum,
        count: a.count + b.count,
        gate: b.gate,
        anomalies: a.anomalies + b.anomalies,
        anomalyMax: Number.isNaN(a.anomalyMax) ? b.anomalyMax : Number.isNaN(b.anomalyMax) ? a.anomalyMax : Math.max(a.anomalyMax, b.anomalyMax),
      });
    }
    this.buckets = merged;
    this.width *= 2;
  }
}

/** Counts above this go to one overflow bin per character. */
export const COUNT_CAP = 255;

export interface LetterStats {
  char: string;
  /** What the model expects in the pack's surprise mode, and the spread it allows (as explain shows them). */
  expected: number;
  spread: number;
  /** Checked messages by the character's count in them: [0..COUNT_CAP], then the overflow. */
  counts: Float64Array;
  /** The largest count seen (the overflow bin's values are not kept). */
  maxCount: number;
}

/**
 * The letter space: per model character, the model's expectation and the distribution of its
 * count over the checked messages; and the characters the model never saw.
 */
export class Letters {
  readonly letters: LetterStats[];
  private readonly index = new Map<number, number>();
  private readonly current: Int32Array;
  private readonly touched: Int32Array;
  messages = 0;
  readonly unseen = new Map<string, { messages: number; occurrences: number }>();
  unseenOther = { messages: 0, occurrences: 0 };
  private static readonly UNSEEN_KEPT = 1000;

  constructor(private readonly explainer: ModuleDriver) {
    const model = explainer.explainSurprise("").characters.filter((c) => c.count !== null);
    this.letters = model.map((c) => ({ char: c.char, expected: c.expected, spread: c.spread, counts: new Float64Array(COUNT_CAP + 2), maxCount: 0 }));
    this.letters.forEach((l, i) => this.index.set(l.char.codePointAt(0)!, i));
    this.current = new Int32Array(this.letters.length);
    this.touched = new Int32Array(this.letters.length);
  }

  add(message: string): void {
    // Lowercased as the module lowercases (Python's str.lower()), by the explaining instance.
    const lower = this.explainer.lowercase(message);
    let touched = 0;
    const unseenHere = new Map<string, number>();
    for (const ch of lower) {
      const i = this.index.get(ch.codePointAt(0)!);
      if (i === undefined) {
        unseenHere.set(ch, (unseenHere.get(ch) ?? 0) + 1);
        continue;
      }
      if (this.current[i]++ === 0) this.touched[touched++] = i;
    }
    for (let i = 0; i < this.letters.length; i++) {
      const l = this.letters[i];
      const count = this.current[i];
      l.counts[Math.min(count, COUNT_CAP + 1)]++;
      if (count > l.maxCount) l.maxCount = count;
    }
    for (let t = 0; t < touched; t++) this.current[this.touched[t]] = 0;
    for (const [ch, n] of unseenHere) {
      let u = this.unseen.get(ch);
      if (!u) {
        if (this.unseen.size >= Letters.UNSEEN_KEPT) {
          this.unseenOther.messages++;
          this.unseenOther.occurrences += n;
          continue;
        }
        this.unseen.set(ch, (u = { messages: 0, occurrences: 0 }));
      }
      u.messages++;
      u.occurrences += n;
    }
    this.messages++;
  }
}

export interface Explanation {
  /** Default mode: the fields whose shape was rare, most decades first, each with its rare trigrams. */
  fields: RareField[];
  moreFields: number;
  /** Default mode: how many of its fields the model knows, of those counted; null in tarkin mode or when it knows enough of them. */
  unfamiliar: { knownFields: number; countedFields: number } | null;
  /** tarkin mode: model characters whose count was surprising, most surprising first. */
  characters: CharacterDetail[];
  /** How many more there were than are kept. */
  moreCharacters: number;
  /** Characters the model never saw, with their occurrences. */
  unseen: [string, number][];
  /** Words with a valence, or changed by a rule. */
  words: WordDetail[];
  moreWords: number;
  emphasis: number;
}

/** A kind of alert as the report shows it: the group, and why its example was feared. */
export interface AlertKind {
  group: AlertGroup;
  explanation: Explanation;
}

const CHARACTERS_KEPT = 12;
const FIELDS_KEPT = 6;
const GRAMS_KEPT = 4;
const WORDS_KEPT = 16;

/** One message explained by the explaining instance (never the scoring one): what explain shows. */
export function explain(explainer: ModuleDriver, message: string, tarkinMode: boolean): Explanation {
  const surprise = tarkinMode ? explainer.explainSurprise(message) : { characters: [] };
  const evidence = tarkinMode ? null : explainer.explainFields(message);
  const fields = evidence ? rareFields(evidence.fields).map((f) => ({ ...f, field: cut(f.field, 80), grams: f.grams.slice(0, GRAMS_KEPT) })) : [];
  const sentiment = explainer.explainSentiment(message);
  const known = surprise.characters.filter((c) => c.count !== null && c.contribution > 0).sort((a, b) => b.contribution - a.contribution || (a.char < b.char ? -1 : 1));
  const unseen = new Map<string, number>();
  for (const c of surprise.characters) if (c.count === null) unseen.set(c.char, (unseen.get(c.char) ?? 0) + 1);
  const words = sentiment.words.filter((w) => w.valence !== null || w.sentiment !== 0 || w.rules.length);
  return {
    fields: fields.slice(0, FIELDS_KEPT),
    moreFields: Math.max(fields.length - FIELDS_KEPT, 0),
    unfamiliar: evidence && !evidence.covered ? { knownFields: evidence.knownFields, countedFields: evidence.countedFields } : null,
    characters: known.slice(0, CHARACTERS_KEPT),
    moreCharacters: Math.max(known.length - CHARACTERS_KEPT, 0),
    unseen: [...unseen].sort((a, b) => b[1] - a[1]).slice(0, CHARACTERS_KEPT),
    words: words.slice(0, WORDS_KEPT).map((w) => ({ ...w, word: cut(w.word, 80) })),
    moreWords: Math.max(words.length - WORDS_KEPT, 0),
    emphasis: sentiment.emphasis,
  };
}

export interface SourceStats {
  name: string;
  bytes?: number;
  records: number;
  anomalous: number;
  errors: number;
}

/**
 * What the module's decision turned out to use, read from its verdicts rather than assumed (the
 * rule is the module's to change): whether every anomaly passed the gate, the sentiment bound they
 * all met, and whether a fear level separates them from the other records that met those.
 */
export class DecisionObserved {
  anomalies = 0;
  passedGate = 0;
  maxCompound = -Infinity;
  minFear = Infinity;
  /** Highest fear of a record not anomalous, by [compound < 0, compound <= 0] x [any, passed the gate]. */
  private readonly otherFear = [-Infinity, -Infinity, -Infinity, -Infinity];

  add(compound: number, fear: number, infrequent: boolean, anomaly: boolean): void {
    if (anomaly) {
      this.anomalies++;
      if (infrequent) this.passedGate++;
      if (compound > this.maxCompound) this.maxCompound = compound;
      if (fear < this.minFear) this.minFear = fear;
      return;
    }
    const o = this.otherFear;
    if (compound <= 0) {
      if (compound < 0) o[0] = Math.max(o[0], fear);
      o[2] = Math.max(o[2], fear);
      if (infrequent) {
        if (compound < 0) o[1] = Math.max(o[1], fear);
        o[3] = Math.max(o[3], fear);
      }
    }
  }

  /** Every anomaly passed the gate (null: no anomaly to tell). */
  get gateRequired(): boolean | null {
    return this.anomalies ? this.passedGate === this.anomalies : null;
  }

  /** The sentiment bound every anomaly met, or null. */
  get negative(): "<0" | "<=0" | null {
    if (!this.anomalies) return null;
    return this.maxCompound < 0 ? "<0" : this.maxCompound <= 0 ? "<=0" : null;
  }

  /**
   * The fear from which records meeting the other conditions were anomalous: the lowest anomaly's,
   * when records met those conditions without being anomalous and none of them reached it (null:
   * no fear level is seen at work).
   */
  get fearLevel(): { level: number; below: number } | null {
    const negative = this.negative;
    if (!negative) return null;
    const other = this.otherFear[(negative === "<0" ? 0 : 2) + (this.gateRequired ? 1 : 0)];
    // Only records that met the other conditions and were not anomalous can show a fear level at work.
    return Number.isFinite(other) && other < this.minFear ? { level: this.minFear, below: other } : null;
  }
}

export interface UnreadableRecord {
  source: string;
  line: number;
  error: string;
  text: string;
}

/** Everything the report shows, gathered record by record from the module's output. */
export class ReportData {
  readonly surprise = new Histogram(0, 1);
  readonly compound = new Histogram(-1, 1);
  readonly fear = new Histogram(0, 1);
  /** Where the gate stood after the last record: the surprise the next would have had to exceed. */
  gateAtEnd = Infinity;
  readonly decision = new DecisionObserved();
  readonly timeline = new Timeline();
  readonly letters: Letters;
  readonly alerts = new AlertGroups();
  readonly sources: SourceStats[] = [];
  readonly unreadable: UnreadableRecord[] = [];
  records = 0;
  scored = 0;
  infrequent = 0;
  anomalous = 0;
  errors = 0;
  spoofed = 0;
  lost = 0;
  private readonly names: Record<string, string>;
  /** The decision rule as the module states it (assembly/decision/fear.ts), for the packed surprise mode. */
  readonly rule: string;

  /** `kindsShown`: how many kinds of alert the report lists and explains. */
  constructor(readonly pack: PackedContents, private readonly explainer: ModuleDriver, readonly kindsShown: number) {
    this.rule = pack.settings.surprise === "tarkin" ? explainer.decision.rule.tarkin : explainer.decision.rule.default;
    this.letters = new Letters(explainer);
    const p = pack.settings.prefix;
    this.names = Object.fromEntries(OUTPUT_FIELDS.split(",").map((k) => [k, p + k]));
  }

  source(name: string, bytes?: number): SourceStats {
    const s = { name, bytes, records: 0, anomalous: 0, errors: 0 };
    this.sources.push(s);
    return s;
  }

  /** The record Fluent Bit would lose (the module trapped or returned no string). */
  addLost(source: SourceStats): void {
    this.records++;
    source.records++;
    this.lost++;
  }

  /** One record's result from the module (annotate mode: the record with tarkin's fields). */
  /** One result of the module; `gate` is the threshold the module judged the record against. */
  add(result: string, source: SourceStats, line: number, gate: number): void {
    this.records++;
    source.records++;
    const n = this.names;
    let record: Record<string, unknown>;
    try {
      record = JSON.parse(result) as Record<string, unknown>;
    } catch {
      record = { [n.anomaly]: true, [n.error]: "the module returned text that is not JSON", [n.record]: result };
    }
    if (record[n.spoofed] === true) this.spoofed++;
    if (typeof record[n.error] === "string" || typeof record[n.surprise] !== "number") {
      this.errors++;
      this.anomalous++;
      source.errors++;
      source.anomalous++;
      if (this.unreadable.length < 10) {
        const { [n.error]: error, [n.anomaly]: _a, [n.record]: raw, ...rest } = record;
        const text = typeof raw === "string" ? raw : raw === undefined ? JSON.stringify(rest) : JSON.stringify(raw);
        this.unreadable.push({ source: source.name, line, error: String(error ?? "no score"), text: cut(text, 500) });
      }
      return;
    }
    const surprise = record[n.surprise] as number;
    const compound = Number(record[n.sentiment]);
    const fear = Number(record[n.fear]);
    const infrequent = record[n.infrequent] === true;
    const anomaly = record[n.anomaly] === true;
    const index = this.scored++;
    this.surprise.add(surprise, infrequent, anomaly);
    this.compound.add(compound, infrequent, anomaly);
    this.fear.add(fear, infrequent, anomaly);
    this.decision.add(compound, fear, infrequent, anomaly);
    this.timeline.add(index, surprise, gate, anomaly);
    if (infrequent) this.infrequent++;
    const message = messageOf(record, this.pack.settings.fields);
    if (message !== undefined) this.letters.add(message);
    if (!anomaly) return;
    this.anomalous++;
    source.anomalous++;
    const text = message ?? "";
    const reason = record[n.reason];
    this.alerts.add({
      reason: typeof reason === "string" ? reason : "",
      message: text,
      fear,
      surprise,
      compound,
      source: source.name,
      line,
      index,
      time: timeIn(text) ?? timeOf(record),
    });
  }

  /** The kinds of alert the report lists, each explained by its example (only these are explained). */
  alertKinds(): AlertKind[] {
    const tarkin = this.pack.settings.surprise === "tarkin";
    return this.alerts
      .sorted()
      .slice(0, this.kindsShown)
      .map((group) => ({ group, explanation: explain(this.explainer, group.example.message, tarkin) }));
  }
}

/** A record's own time, when it carries one in a field of a usual name. */
function timeOf(record: Record<string, unknown>): string | undefined {
  for (const name of ["@timestamp", "timestamp", "time"]) {
    const value = record[name];
    if (typeof value === "string" && value) return cut(value, 40);
  }
  return undefined;
}

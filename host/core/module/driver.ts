// The module driver: a tarkin module instance driven through the host's entry points (score,
// train, explain; harness.ts drives Fluent Bit's): write a record into the module's input buffer,
// call one entry point, read the result block. The module keeps its state (the gate, a model being
// trained) between calls, as it does inside a log shipper.
import { modelFromBytes, modelToBytes, type Model } from "./model.js";
import {
  RESULT_SURPRISE, RESULT_INFREQUENT, RESULT_NEG, RESULT_NEU, RESULT_POS, RESULT_COMPOUND, RESULT_FEAR, RESULT_ANOMALY, RESULT_EMPHASIS,
  RESULT_BLOCK, RESULT_COVERED, RESULT_SECURITY_NEGATIVE, SURPRISE_DEFAULT, SURPRISE_TARKIN, GATE_COUNT, GATE_MEAN, GATE_VARIANCE, GATE_MAXIMUM, GATE_STATE, TRACE_START, TRACE_END, TRACE_VALENCE, TRACE_SENTIMENT,
  TRACE_RULES, TRACE_WORD, EXPLAIN_CHAR_CODE_POINT, EXPLAIN_CHAR_COUNT, EXPLAIN_CHAR_EXPECTED, EXPLAIN_CHAR_SPREAD,
  EXPLAIN_CHAR_CONTRIBUTION, EXPLAIN_CHAR, EXPLAIN_UNSEEN, EXPLAIN_GRAM_NAME_START, EXPLAIN_GRAM_NAME_END, EXPLAIN_GRAM_KIND,
  EXPLAIN_GRAM_TRIGRAM, EXPLAIN_GRAM_COUNT, EXPLAIN_GRAM_VALUES, EXPLAIN_GRAM_DECADES, EXPLAIN_GRAM, FIELD_NAMED, FIELD_AFTER, FIELD_AFTER_QUOTED, FIELD_PATH, FIELD_SCHEME, FIELD_OF_SUBJECT, EXPLAIN_GRAM_SUBJECT_START, EXPLAIN_GRAM_SUBJECT_END,
  EXPLAIN_GRAM_EVIDENCE, EVIDENCE_LOG, EVIDENCE_SYNTAX, EVIDENCE_NEW_VALUE, EVIDENCE_LENGTH, EVIDENCE_NEW_FIELD, EVIDENCE_NEW_NETWORK, EVIDENCE_NEW_HOUR, EVIDENCE_NEW_LOG_NETWORK, TOKEN_ADDRESS, TOKEN_HEX, SYNTAX_NAMES,
} from "./layouts.js";

export interface Sentiment {
  neg: number;
  neu: number;
  pos: number;
  compound: number;
}

export interface Score extends Sentiment {
  surprise: number;
  infrequent: boolean;
  fear: number;
  anomaly: boolean;
  /** Whether the model knows the message's log: at least half of its fields. */
  covered: boolean;
  /** Whether a word that is security evidence reads negative. */
  securityNegative: boolean;
}

export interface GateState {
  n: number;
  mean: number;
  variance: number;
  max: number;
}

export interface CharacterDetail {
  char: string;
  /** null for a character the model has never seen. */
  count: number | null;
  expected: number;
  spread: number;
  contribution: number;
}

export interface WordDetail {
  word: string;
  /** The lexicon's valence of the word, lowercased; null when it has none. */
  valence: number | null;
  sentiment: number;
  rules: string[];
}

/** The rule bits of vader.ts's trace, in order. */
export const RULES = ["caps", "booster", "negation", "never-emphasis", "idiom", "bigram", "least", "but", "modifier"];

/** What each rule did to a word, in an analyst's words. */
export const RULE_TEXT: Record<string, string> = {
  caps: "ALL CAPS",
  booster: "intensified or dampened by a word before it",
  negation: "negated",
  "never-emphasis": "emphasised by never/so/this",
  idiom: "part of an idiom",
  bigram: "dampened by kind of/sort of",
  least: "negated by least",
  but: "weighted by but",
  modifier: "a modifier itself, scored 0",
};

/** A rare trigram of one field of a message: the evidence of the field surprise (assembly/models/fields.ts EXPLAIN_GRAM). */
export interface FieldDetail {
  /** The field: `key=` for a named one, `after TOKEN` for one named by the token before it, `in path /DIR/` for the names under a directory of a path, `scheme of NAME` for the schemes of a field's URLs, `first token`. */
  field: string;
  /** The trigram of the value's shape: a letter is a, a run of digits 0, ^ and $ the value's start and end. */
  shape: string;
  /** How often it occurred in the field in training, and how many values of the field training saw. */
  count: number;
  values: number;
  /** Decades of rarity it adds: log10((values + 2) / (count + 1)) less the rare floor; for syntax, a fixed weight. */
  decades: number;
  /**
   * field: the trigram is rare in its field; log: the field is unknown, and the trigram rare among all values; syntax: the value
   * holds attack syntax (`syntax` names it); new value: the field, an enumeration of `values` values, never held it; length: the
   * value, `count` bytes, is far longer than the field's; new field: training never saw the field in its `values` values; new
   * network: the value is an address, and the field's `values` addresses came from a few networks, never this one; new network
   * in the log: the same of all the log's `values` addresses; new time of day: the field held the value `values` times, never
   * within HOUR_WINDOW hours of this record's. `shape` is empty but for a trigram.
   */
  evidence: "field" | "log" | "syntax" | "new value" | "length" | "new field" | "new network" | "new network in the log" | "new time of day";
  syntax?: string[];
}

/** The attack syntax a value holds, in a user's words, from the module's SYNTAX_ bits. */
export function syntaxNames(bits: number): string[] {
  return SYNTAX_NAMES.split(",").filter((_, i) => bits & (1 << i));
}

/** A message's field surprise and its evidence: how many of its fields the model knows, and their rare trigrams. */
export interface FieldEvidence {
  surprise: number;
  /** At least 3 in 4 of the counted fields are known, or the first 3 are (assembly/models/fields.ts); else the surprise is 0 and no trigram is listed. */
  /** Whether the model knows at least half of the message's fields: a log it was trained on. */
  covered: boolean;
  knownFields: number;
  countedFields: number;
  fields: FieldDetail[];
}

/** A field's rare trigrams, and the decades they add together. */
export interface RareField {
  field: string;
  decades: number;
  grams: FieldDetail[];
}

/** Rare trigrams grouped by field: most decades first, and within a field the rarest first. */
export function rareFields(grams: FieldDetail[]): RareField[] {
  const byField = new Map<string, FieldDetail[]>();
  for (const g of grams) {
    const list = byField.get(g.field);
    if (list) list.push(g);
    else byField.set(g.field, [g]);
  }
  return [...byField]
    .map(([field, list]) => ({ field, decades: list.reduce((a, g) => a + g.decades, 0), grams: list.sort((a, b) => b.decades - a.decades) }))
    .sort((a, b) => b.decades - a.decades);
}

/** The default decision's constants, as the module has them (assembly/decision/fear.ts). */
export interface Decision {
  veryUnusual: number;
  alertFear: number;
  alertNegativity: number;
  routineWeight: number;
  /** The rule in words, per surprise mode, as assembly/decision/fear.ts states it. */
  rule: { default: string; tarkin: string };
}

interface Exports {
  memory: WebAssembly.Memory;
  VERY_UNUSUAL: WebAssembly.Global;
  ALERT_FEAR: WebAssembly.Global;
  ALERT_NEGATIVITY: WebAssembly.Global;
  ROUTINE_WEIGHT: WebAssembly.Global;
  decision_rule(mode: number): number;
  explain_fields(length: number): number;
  explained_fields(): number;
  explained_known_fields(): number;
  explained_covered(): number;
  input(length: number): number;
  result_block(): number;
  has_pack(): number;
  sentiment(length: number): void;
  score(length: number): void;
  train(length: number): void;
  model_save(): number;
  model_bytes(): number;
  model_messages(): number;
  model_characters(): number;
  gate_state(): number;
  gate_reset(): void;
  lowercase(length: number): number;
  lowercase_bytes(): number;
  train_lines(length: number): void;
  model_load(): void;
  explain_characters(length: number): number;
  explain_words(length: number): number;
  explain_count(): number;
}

/** A shape symbol as explain shows it: the value's start and end as ^ and $, control bytes as \x1f. */
function shapeSymbol(symbol: number): string {
  if (symbol === 0x01) return "^";
  if (symbol === 0x02) return "$";
  if (symbol === TOKEN_ADDRESS) return "<address>";
  if (symbol === TOKEN_HEX) return "<hex id>";
  if (symbol === 0x1f) return "\\x1f";
  return String.fromCharCode(symbol);
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export class ModuleDriver {
  private constructor(private readonly x: Exports) {}

  static fromBytes(wasm: Uint8Array): ModuleDriver {
    const instance = new WebAssembly.Instance(new WebAssembly.Module(wasm as BufferSource), {});
    return new ModuleDriver(instance.exports as unknown as Exports);
  }

  get hasPack(): boolean {
    return this.x.has_pack() !== 0;
  }

  /** Copies a record into the module; returns its length in bytes. */
  private put(record: string | Uint8Array): number {
    const bytes = typeof record === "string" ? encoder.encode(record) : record;
    const at = this.x.input(bytes.length);
    new Uint8Array(this.x.memory.buffer, at, bytes.length).set(bytes);
    return bytes.length;
  }

  /** The result block (layouts RESULT_), read by offset. */
  private results(): (offset: number) => number {
    const view = new DataView(this.x.memory.buffer, this.x.result_block(), RESULT_BLOCK);
    return (offset) => view.getFloat64(offset, true);
  }

  private sentimentResult(r: (offset: number) => number): Sentiment {
    return { neg: r(RESULT_NEG), neu: r(RESULT_NEU), pos: r(RESULT_POS), compound: r(RESULT_COMPOUND) };
  }

  sentiment(text: string | Uint8Array): Sentiment {
    this.x.sentiment(this.put(text));
    return this.sentimentResult(this.results());
  }

  score(text: string | Uint8Array): Score {
    this.x.score(this.put(text));
    const r = this.results();
    const { neg, neu, pos, compound } = this.sentimentResult(r);
    return {
      surprise: r(RESULT_SURPRISE), infrequent: r(RESULT_INFREQUENT) !== 0, neg, neu, pos, compound, fear: r(RESULT_FEAR), anomaly: r(RESULT_ANOMALY) !== 0,
      covered: r(RESULT_COVERED) !== 0, securityNegative: r(RESULT_SECURITY_NEGATIVE) !== 0,
    };
  }

  train(text: string | Uint8Array): void {
    this.x.train(this.put(text));
  }

  /** Trains on every line of a block (lines end at \n; a \r before it is dropped). */
  trainLines(block: Uint8Array): void {
    this.x.train_lines(this.put(block));
  }

  loadModel(model: Model): void {
    this.put(modelToBytes(model));
    this.x.model_load();
  }

  /** Why a message is as surprising as it is: every model character, then the unseen ones. */
  explainSurprise(text: string): { surprise: number; characters: CharacterDetail[] } {
    const at = this.x.explain_characters(this.put(text));
    const n = this.x.explain_count();
    const view = new DataView(this.x.memory.buffer, at, n * EXPLAIN_CHAR);
    const characters: CharacterDetail[] = [];
    for (let i = 0; i < n; i++) {
      const o = i * EXPLAIN_CHAR;
      const count = view.getUint32(o + EXPLAIN_CHAR_COUNT, true);
      const unseen = count === EXPLAIN_UNSEEN;
      characters.push({
        char: String.fromCodePoint(view.getUint32(o + EXPLAIN_CHAR_CODE_POINT, true)),
        count: unseen ? null : count,
        expected: unseen ? 0 : view.getFloat64(o + EXPLAIN_CHAR_EXPECTED, true),
        spread: unseen ? 0 : view.getFloat64(o + EXPLAIN_CHAR_SPREAD, true),
        contribution: unseen ? 1 : view.getFloat64(o + EXPLAIN_CHAR_CONTRIBUTION, true),
      });
    }
    return { surprise: this.results()(RESULT_SURPRISE), characters };
  }

  /** Why a message's field surprise is what it is: whether the model knows its fields, their rare trigrams. */
  explainFields(text: string): FieldEvidence {
    const bytes = encoder.encode(text);
    const at = this.x.explain_fields(this.put(bytes));
    const n = this.x.explain_count();
    const view = new DataView(this.x.memory.buffer, at, n * EXPLAIN_GRAM);
    const fields: FieldDetail[] = [];
    for (let i = 0; i < n; i++) {
      const o = i * EXPLAIN_GRAM;
      const name = decoder.decode(bytes.subarray(view.getUint32(o + EXPLAIN_GRAM_NAME_START, true), view.getUint32(o + EXPLAIN_GRAM_NAME_END, true)));
      const kind = view.getUint32(o + EXPLAIN_GRAM_KIND, true);
      const trigram = view.getUint32(o + EXPLAIN_GRAM_TRIGRAM, true);
      const evidence = view.getUint32(o + EXPLAIN_GRAM_EVIDENCE, true);
      const subject = () => decoder.decode(bytes.subarray(view.getUint32(o + EXPLAIN_GRAM_SUBJECT_START, true), view.getUint32(o + EXPLAIN_GRAM_SUBJECT_END, true)));
      const field = kind === FIELD_NAMED ? `${name}=` : kind === FIELD_OF_SUBJECT ? `${name} of ${subject()}` : kind === FIELD_AFTER ? `after ${name}` : kind === FIELD_PATH ? `in path ${name}` : kind === FIELD_SCHEME ? `scheme of ${name}` : kind === FIELD_AFTER_QUOTED ? "after a quoted value" : "first token";
      const count = view.getFloat64(o + EXPLAIN_GRAM_COUNT, true);
      const values = view.getFloat64(o + EXPLAIN_GRAM_VALUES, true);
      const decades = view.getFloat64(o + EXPLAIN_GRAM_DECADES, true);
      if (evidence === EVIDENCE_SYNTAX) fields.push({ field, shape: "", count: 0, values: 0, decades, evidence: "syntax", syntax: syntaxNames(trigram) });
      else if (evidence === EVIDENCE_NEW_VALUE) fields.push({ field, shape: "", count: 0, values, decades, evidence: "new value" });
      else if (evidence === EVIDENCE_LENGTH) fields.push({ field, shape: "", count, values: 0, decades, evidence: "length" });
      else if (evidence === EVIDENCE_NEW_FIELD) fields.push({ field, shape: "", count: 0, values, decades, evidence: "new field" });
      else if (evidence === EVIDENCE_NEW_NETWORK) fields.push({ field, shape: "", count: 0, values, decades, evidence: "new network" });
      else if (evidence === EVIDENCE_NEW_LOG_NETWORK) fields.push({ field, shape: "", count: 0, values, decades, evidence: "new network in the log" });
      else if (evidence === EVIDENCE_NEW_HOUR) fields.push({ field, shape: "", count: 0, values, decades, evidence: "new time of day" });
      else {
        const shape = [16, 8, 0].map((shift) => shapeSymbol((trigram >> shift) & 0xff)).join("");
        fields.push({ field, shape, count, values, decades, evidence: evidence === EVIDENCE_LOG ? "log" : "field" });
      }
    }
    const knownFields = this.x.explained_known_fields();
    const countedFields = this.x.explained_fields();
    return { surprise: this.results()(RESULT_SURPRISE), covered: this.x.explained_covered() === 1, knownFields, countedFields, fields };
  }

  /** The default decision's constants. */
  get decision(): Decision {
    const rule = (mode: number) => {
      const at = this.x.decision_rule(mode);
      const length = new DataView(this.x.memory.buffer).getUint32(at, true);
      return decoder.decode(new Uint8Array(this.x.memory.buffer, at + 4, length));
    };
    return {
      veryUnusual: this.x.VERY_UNUSUAL.value,
      alertFear: this.x.ALERT_FEAR.value,
      alertNegativity: this.x.ALERT_NEGATIVITY.value,
      routineWeight: this.x.ROUTINE_WEIGHT.value,
      rule: { default: rule(SURPRISE_DEFAULT), tarkin: rule(SURPRISE_TARKIN) },
    };
  }

  /** Why a message reads as it does: every word's valence, the rules that changed it, the punctuation emphasis. */
  explainSentiment(text: string): { sentiment: Sentiment; words: WordDetail[]; emphasis: number; securityNegative: boolean } {
    const bytes = encoder.encode(text);
    const at = this.x.explain_words(this.put(bytes));
    const n = this.x.explain_count();
    const view = new DataView(this.x.memory.buffer, at, n * TRACE_WORD);
    const words: WordDetail[] = [];
    for (let i = 0; i < n; i++) {
      const o = i * TRACE_WORD;
      const valence = view.getFloat64(o + TRACE_VALENCE, true);
      const bits = view.getUint32(o + TRACE_RULES, true);
      words.push({
        word: decoder.decode(bytes.subarray(view.getUint32(o + TRACE_START, true), view.getUint32(o + TRACE_END, true))),
        valence: Number.isNaN(valence) ? null : valence,
        sentiment: view.getFloat64(o + TRACE_SENTIMENT, true),
        rules: RULES.filter((_, b) => bits & (1 << b)),
      });
    }
    const r = this.results();
    return { sentiment: this.sentimentResult(r), words, emphasis: r(RESULT_EMPHASIS), securityNegative: r(RESULT_SECURITY_NEGATIVE) !== 0 };
  }

  /** Messages the model has been trained on. */
  messages(): number {
    return this.x.model_messages();
  }

  model(): Model {
    const at = this.x.model_save();
    return modelFromBytes(new Uint8Array(this.x.memory.buffer, at, this.x.model_bytes()).slice());
  }

  gate(): GateState {
    const view = new DataView(this.x.memory.buffer, this.x.gate_state(), GATE_STATE);
    const r = (offset: number) => view.getFloat64(offset, true);
    return { n: r(GATE_COUNT), mean: r(GATE_MEAN), variance: r(GATE_VARIANCE), max: r(GATE_MAXIMUM) };
  }

  resetGate(): void {
    this.x.gate_reset();
  }

  /** The text lowercased as the module lowercases it. */
  lowercase(text: string | Uint8Array): string {
    const at = this.x.lowercase(this.put(text));
    return decoder.decode(new Uint8Array(this.x.memory.buffer, at, this.x.lowercase_bytes()));
  }
}

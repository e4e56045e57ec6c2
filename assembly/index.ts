// Entry points of the module.
// - Fluent Bit's wasm filter ABI: malloc/free (WAMR then uses them instead of a heap of its own) and
//   tarkin_filter, which returns the record that goes on as a NUL-terminated string.
// - The host's (the tarkin CLI): write a message into the input buffer and call one function;
//   results land in a fixed block of f64s, so a call costs no allocation either way.
import { ensurePack, packArea, PACK_CAPACITY, settings } from "./abi/pack";
import { Verdict } from "./decision/scorer";
import { polarity_scores, PolarityScores } from "./sentiment/vader";
import { WordTrace } from "./sentiment/vader-words";
import {
  train as trainModel, loadModel, modelBytes, saveModel, modelCharacters, modelMessages, explainSurprise, explainCapacity, surprise,
} from "./models/surprise";
import { filterJson, filterMsgpack, stats } from "./abi/filter";
import { learnFields, loadFields, saveFields, fieldModelBytes, explainFields, explainedAddress, explanation, FieldReading } from "./models/fields";
import { Lowercaser, encodeAt } from "./base/utf8";
import { Growable, hostAlloc, hostFree, allocationCount } from "./base/buffers";
import {
  RESULT_SURPRISE, RESULT_INFREQUENT, RESULT_NEG, RESULT_NEU, RESULT_POS, RESULT_COMPOUND, RESULT_FEAR, RESULT_ANOMALY, RESULT_EMPHASIS, RESULT_BLOCK,
  RESULT_COVERED, RESULT_SECURITY_NEGATIVE,
  GATE_COUNT, GATE_MEAN, GATE_VARIANCE, GATE_MAXIMUM, GATE_STATE,
} from "./base/layouts";

// The decision's constants, for the host to state it (tarkin explain, eval, report) as the module makes it.
export { VERY_UNUSUAL, SOMEWHAT_UNUSUAL, ALERT_FEAR, ALERT_NEGATIVITY, ROUTINE_WEIGHT } from "./decision/fear";
import { decisionRule } from "./decision/fear";

// The layouts the host reads and writes, exported for it to check its mirror against.
export * from "./base/layouts";

// Results of the last call (layouts.ts RESULT_), and the gate's state (GATE_).
const results = memory.data(RESULT_BLOCK, 8);
const gateState = memory.data(GATE_STATE, 8);

// The host's input (a message, a block of lines, a model) and what the module hands back (a saved
// model, explanations): each grows to the largest seen and is then reused.
const inputBuffer = new Growable();
const outputBuffer = new Growable();

/** How much the last call handed back, for the host to ask next (model_bytes, explain_count, lowercase_bytes). */
class Handed {
  /** What model_save wrote: the characters' model, then the fields'. */
  savedBytes: i32 = 0;
  /** The entries the last explain_ call wrote. */
  explainedCount: i32 = 0;
  /** The bytes lowercase wrote. */
  lowercaseLength: i32 = 0;
}
const handed = new Handed();

/** A buffer of at least `length` bytes for the next call's input. */
export function input(length: i32): usize {
  return inputBuffer.reserve(<usize>length);
}

export function result_block(): usize {
  return results;
}

export function pack_area(): usize {
  return packArea;
}

export function pack_capacity(): i32 {
  return PACK_CAPACITY;
}

export function has_pack(): bool {
  ensurePack();
  return settings.packed;
}

// The sentiment and explain_words entry points' scores, explain_words' trace, and what explain_fields read.
const sentimentScores = new PolarityScores();
const explainedWords = new WordTrace();
const explainedReading = new FieldReading();

function writeSentiment(scores: PolarityScores): void {
  store<f64>(results + RESULT_NEG, scores.neg);
  store<f64>(results + RESULT_NEU, scores.neu);
  store<f64>(results + RESULT_POS, scores.pos);
  store<f64>(results + RESULT_COMPOUND, scores.compound);
  store<f64>(results + RESULT_SECURITY_NEGATIVE, scores.securityNegative ? 1 : 0);
}

/** VADER sentiment of the input's first `length` bytes. */
export function sentiment(length: i32): void {
  ensurePack();
  polarity_scores(inputBuffer.at, inputBuffer.at + length, sentimentScores);
  writeSentiment(sentimentScores);
}

// The score and score_lines entry points' verdict.
const verdict = new Verdict();

/** Scores one message: surprise, the gate, sentiment, fear and the decision. */
export function score(length: i32): void {
  ensurePack();
  settings.scorer.score(inputBuffer.at, inputBuffer.at + length, verdict);
  writeSentiment(verdict.sentiment);
  store<f64>(results + RESULT_SURPRISE, verdict.surprise);
  store<f64>(results + RESULT_INFREQUENT, verdict.infrequent ? 1 : 0);
  store<f64>(results + RESULT_FEAR, verdict.fear);
  store<f64>(results + RESULT_ANOMALY, verdict.anomaly ? 1 : 0);
  store<f64>(results + RESULT_COVERED, verdict.covered ? 1 : 0);
}

// ---------------------------------------------------------------------------------------------
// Fluent Bit's wasm filter ABI.

// Larger requests get 0 (WAMR's "could not allocate") rather than a trap when memory cannot grow.
const MAX_ALLOCATION: usize = 1 << 30;

export function malloc(size: usize): usize {
  if (size > MAX_ALLOCATION) return 0;
  return hostAlloc(size == 0 ? 1 : size);
}

export function free(ptr: usize): void {
  if (ptr != 0) hostFree(ptr);
}

/**
 * event_format json: `record` is the record's body as JSON text (`record_len` bytes, then a NUL).
 * Returns the record that goes on, NUL-terminated, or an empty string to drop it; the buffer is
 * reused by the next call (the shipper copies it first).
 */
export function tarkin_filter(tag: usize, tag_len: i32, time_sec: u32, time_nsec: u32, record: usize, record_len: i32): usize {
  return filterJson(record, <usize>(record_len < 0 ? 0 : record_len));
}

/**
 * event_format msgpack: `record` is the body's msgpack map (`record_len` bytes, no NUL added).
 * Returns msgpack with no NUL byte in it, NUL-terminated (Fluent Bit takes its strlen), or an empty
 * string to drop the record.
 */
export function tarkin_filter_msgpack(tag: usize, tag_len: i32, time_sec: u32, time_nsec: u32, record: usize, record_len: i32): usize {
  return filterMsgpack(record, <usize>(record_len < 0 ? 0 : record_len));
}

/** Heap allocations the module has made since it started (none per record once buffers have grown). */
export function allocation_count(): f64 {
  return allocationCount();
}

/** The decision rule of a surprise mode (layouts.ts SURPRISE_), in words: u32 its UTF-8 length, then its bytes. */
export function decision_rule(mode: i32): usize {
  const rule = String.UTF8.encode(decisionRule(mode));
  const n = rule.byteLength;
  const p = outputBuffer.reserve(<usize>n + 4);
  store<u32>(p, <u32>n);
  memory.copy(p + 4, changetype<usize>(rule), <usize>n);
  return p;
}

/** Records in, out, infrequent, anomalous, errors and not covered since the instance started (layouts.ts STATS_). */
export function filter_stats(): usize {
  return stats;
}

/** Trains both models, the characters' and the fields', on one message. */
function learn(start: usize, end: usize): void {
  trainModel(start, end);
  learnFields(start, end);
}

/** Trains the model on one message. */
export function train(length: i32): void {
  ensurePack();
  learn(inputBuffer.at, inputBuffer.at + length);
}

/**
 * The lines of the input's first `length` bytes, for the host to hand over large blocks: a line
 * ends at \n, a \r before it is dropped, and text after the last \n is a line too.
 */
class Lines {
  /** The line next() found. */
  start: usize = 0;
  end: usize = 0;
  private at: usize = 0;
  private stop: usize = 0;

  begin(length: i32): void {
    this.at = inputBuffer.at;
    this.stop = inputBuffer.at + <usize>length;
  }

  /** The next line into [start, end); false past the last. */
  next(): bool {
    const stop = this.stop;
    if (this.at >= stop) return false;
    let p = this.at;
    while (p < stop && load<u8>(p) != 0x0a) p++;
    const start = this.at;
    this.start = start;
    this.end = p > start && load<u8>(p - 1) == 0x0d ? p - 1 : p;
    this.at = p + 1;
    return true;
  }
}
const lines = new Lines();

/** Trains on every line of the input's first `length` bytes. */
export function train_lines(length: i32): void {
  ensurePack();
  lines.begin(length);
  while (lines.next()) learn(lines.start, lines.end);
}

/**
 * Scores every line of the input's first `length` bytes as score() would one by one, with no host
 * marshalling between them; returns how many were anomalous. For measuring the scoring's own cost.
 */
export function score_lines(length: i32): i32 {
  ensurePack();
  let anomalous = 0;
  const scorer = settings.scorer;
  lines.begin(length);
  while (lines.next()) {
    scorer.score(lines.start, lines.end, verdict);
    if (verdict.anomaly) anomalous++;
  }
  return anomalous;
}

/** Replaces the model with the one in the input buffer (the pack's model layout). */
export function model_load(): void {
  ensurePack();
  loadModel(inputBuffer.at);
  loadFields(inputBuffer.at + <usize>modelBytes());
}

export function model_characters(): i32 {
  ensurePack();
  return modelCharacters();
}

/** Writes the model's bytes (the pack's model layout) and returns where; model_bytes() says how many. */
export function model_save(): usize {
  ensurePack();
  handed.savedBytes = modelBytes() + fieldModelBytes();
  const p = outputBuffer.reserve(<usize>handed.savedBytes);
  saveModel(p);
  saveFields(p + <usize>modelBytes());
  return p;
}

export function model_messages(): f64 {
  ensurePack();
  return modelMessages();
}

/** The length of what model_save() wrote: the characters' model, then the fields'. */
export function model_bytes(): i32 {
  return handed.savedBytes;
}

/** The pack's scorer's gate statistics (layouts.ts GATE_): where they are. */
export function gate_state(): usize {
  ensurePack();
  const gate = settings.scorer.gate;
  store<f64>(gateState + GATE_COUNT, gate.count());
  store<f64>(gateState + GATE_MEAN, gate.mean());
  store<f64>(gateState + GATE_VARIANCE, gate.variance());
  store<f64>(gateState + GATE_MAXIMUM, gate.maximum());
  return gateState;
}

/** The surprise the next record must exceed to pass the gate (Infinity: none can pass yet). */
export function gate_threshold(): f64 {
  ensurePack();
  return settings.scorer.gateThreshold();
}

export function gate_reset(): void {
  ensurePack();
  settings.scorer.gate.reset();
}

// ---------------------------------------------------------------------------------------------
// Explaining one message, for `tarkin explain`. Not the per-record path: it may allocate.

/** Per model character and per unseen character, the details (layouts.ts EXPLAIN_CHAR); explain_count() says how many. */
export function explain_characters(length: i32): usize {
  ensurePack();
  const p = outputBuffer.reserve(<usize>explainCapacity(length));
  store<f64>(results + RESULT_SURPRISE, surprise(inputBuffer.at, inputBuffer.at + length));
  handed.explainedCount = explainSurprise(inputBuffer.at, inputBuffer.at + length, p);
  return p;
}

/** The message's field surprise with its rare trigrams (layouts.ts EXPLAIN_GRAM); explain_count() says how many. */
export function explain_fields(length: i32): usize {
  ensurePack();
  store<f64>(results + RESULT_SURPRISE, explainFields(inputBuffer.at, inputBuffer.at + length, explainedReading));
  handed.explainedCount = explanation.grams;
  return explainedAddress();
}

/** After explain_fields: the message's fields that count towards its coverage. */
export function explained_fields(): i32 {
  return explainedReading.countedFields;
}

/** After explain_fields: how many of those fields the model knows. */
export function explained_known_fields(): i32 {
  return explainedReading.knownFields;
}

/** After explain_fields: 1 when the model knows the message well enough to score its fields, else 0 (its surprise is 0). */
export function explained_covered(): i32 {
  return explainedReading.covered() ? 1 : 0;
}

export function explain_count(): i32 {
  return handed.explainedCount;
}

/** Sentiment with a trace of every word (layouts.ts TRACE_WORD); explain_count() says how many. */
export function explain_words(length: i32): usize {
  ensurePack();
  // The text the pack's scorer reads (a JSON object's values, in place: the trace's offsets are the message's).
  const text = settings.scorer.textOf(inputBuffer.at, inputBuffer.at + length);
  polarity_scores(text, text + length, sentimentScores, explainedWords);
  writeSentiment(sentimentScores);
  store<f64>(results + RESULT_EMPHASIS, sentimentScores.amplifier);
  handed.explainedCount = explainedWords.count;
  return explainedWords.at;
}

const lowering = new Lowercaser();

/** The input lowercased as the model sees it (UTF-8); returns where, lowercase_bytes() says how many. */
export function lowercase(length: i32): usize {
  const p = outputBuffer.reserve(<usize>length * 3 + 4);
  let n = 0;
  lowering.begin(inputBuffer.at, inputBuffer.at + length);
  while (true) {
    const cp = lowering.next();
    if (cp < 0) break;
    n += encodeAt(p + n, <u32>cp);
  }
  handed.lowercaseLength = n;
  return p;
}

export function lowercase_bytes(): i32 {
  return handed.lowercaseLength;
}

// The filter: a record comes in, goes on annotated with tarkin's verdict, or (drop mode) goes on
// only when anomalous. A record that cannot be read is never lost: it goes on, marked anomalous,
// with tarkin_error saying why and its content carried in tarkin_record. One flow for both of
// Fluent Bit's event formats, compiled for each: reading and writing are the format's (the Events
// of formats/events.ts: json.ts's JsonEvents, msgpack.ts's MsgpackEvents), chosen by the entry point.
import { Events } from "../formats/events";
import { JsonEvents, JSON_EVENTS } from "../formats/json";
import { MsgpackEvents, MSGPACK_EVENTS } from "../formats/msgpack";
import { memberCount, memberValueStart, memberValueEnd, memberIsPlain, VALUE_PLAIN } from "../formats/members";
import { NO_SPAN, span, spanStart, spanLength } from "../base/span";
import { beginOutput, finishOutput, writeBytes } from "../formats/output";
import {
  ensurePack, hasModel, outputMode, minimumFear, fieldCount, messageField, fieldStart, fieldLength,
  prefix, prefixLength,
} from "./pack";
import { surprise, passesGate, surpriseMode } from "../models/surprise";
import { FIELD_NAMED, FIELD_AFTER, OUTPUT_FIELDS, OUTPUT_DROP, SURPRISE_TARKIN, STATS_IN, STATS_OUT, STATS_INFREQUENT, STATS_ANOMALOUS, STATS_ERRORS, STATS_UNCOVERED, STATS, EVIDENCE_LOG, EVIDENCE_NEW_VALUE, EVIDENCE_LENGTH, EVIDENCE_NEW_FIELD } from "../base/layouts";
import { fieldSurprise, covered, reasonNameStart, reasonNameEnd, reasonKind, reasonSyntax, reasonEvidence } from "../models/fields";
import { polarity_scores, PolarityScores, COMPOUND_DECIMALS } from "../sentiment/vader";
import { fearOf, isAnomaly } from "../decision/fear";
import { Growable, allocate } from "../base/buffers";

// ---------------------------------------------------------------------------------------------
// The verdict on one message.

/** VADER's scores of the message, filled by each scoreMessage. */
export const verdictSentiment = new PolarityScores();
export let verdictSurprise: f64 = 0;
export let verdictInfrequent = false;
export let verdictFear: f64 = 0;
export let verdictAnomaly = false;
/** Whether the model knows the message's log (fields.ts covered); the original's mode always does. */
export let verdictCovered = true;

/**
 * Scores a message (UTF-8): sentiment, surprise, the gate (its state carries on), fear, decision.
 * default: the field surprise; tarkin: the original's character surprise.
 */
export function scoreMessage(start: usize, end: usize): void {
  // `npm run bench` also builds the module without scoring (asconfig.json's record-io target), to
  // measure what reading and writing records alone costs inside Fluent Bit. Compiled out otherwise.
  if (isDefined(RECORD_IO_ONLY)) return;
  const mode = surpriseMode();
  const sentiment = verdictSentiment;
  polarity_scores(start, end, sentiment);
  if (mode == SURPRISE_TARKIN) {
    verdictSurprise = surprise(start, end);
    verdictCovered = true;
  } else {
    verdictSurprise = fieldSurprise(start, end);
    verdictCovered = covered();
  }
  verdictInfrequent = passesGate(verdictSurprise);
  verdictFear = fearOf(mode, verdictSurprise, sentiment.compound, sentiment.neg, sentiment.securityNegative);
  verdictAnomaly = isAnomaly(mode, verdictInfrequent, verdictSurprise, sentiment.compound, sentiment.securityNegative, verdictCovered, verdictFear, minimumFear);
}

// Counters since the instance started (layouts.ts STATS_).
export const stats = memory.data(STATS, 8);

// @ts-ignore: decorator
@inline function count(counter: usize): void {
  store<f64>(stats + counter, load<f64>(stats + counter) + 1);
}

// ---------------------------------------------------------------------------------------------
// Short texts the filter writes (the error, the reason): fixed buffers, as they are short and made
// of known pieces, truncated past their capacity.

class ShortText {
  at: usize;
  length: usize = 0;
  constructor(readonly capacity: usize) {
    this.at = allocate(capacity);
  }

  /** Appends ASCII, or names from the settings. */
  ascii(text: string): void {
    for (let i = 0; i < text.length && this.length < this.capacity; i++) store<u8>(this.at + this.length++, <u8>text.charCodeAt(i));
  }

  bytes(p: usize, length: usize): void {
    for (let i: usize = 0; i < length && this.length < this.capacity; i++) store<u8>(this.at + this.length++, load<u8>(p + i));
  }

  /**
   * Appends up to `limit` bytes of text from a message, as text any format can carry: whole UTF-8
   * characters, a control byte or a byte that starts no well-formed character as '?'.
   */
  text(p: usize, length: usize, limit: usize): void {
    const stop = this.length + min(limit, this.capacity - this.length);
    let i: usize = 0;
    while (i < length && this.length < stop) {
      const b = <u32>load<u8>(p + i);
      let n: usize = 1;
      if (b >= 0xc2 && b <= 0xf4) n = b < 0xe0 ? 2 : b < 0xf0 ? 3 : 4;
      let whole = b >= 0x20 && b < 0x7f;
      if (n > 1) {
        whole = i + n <= length && this.length + n <= stop;
        for (let k: usize = 1; k < n && whole; k++) whole = (load<u8>(p + i + k) & 0xc0) == 0x80;
        if (!whole && this.length + n > stop && i + n <= length) break;
      }
      if (whole) {
        memory.copy(this.at + this.length, p + i, n);
        this.length += n;
        i += n;
      } else {
        store<u8>(this.at + this.length++, 0x3f);
        i++;
      }
    }
  }
}

const note = new ShortText(512);
const reason = new ShortText(160);

function noteAscii(text: string): void {
  note.ascii(text);
}

function noteBytes(p: usize, length: usize): void {
  note.bytes(p, length);
}

// ---------------------------------------------------------------------------------------------
// tarkin's own fields: named prefix + suffix. Fields of these names already in a record are
// replaced, never duplicated, and the attempt is flagged (an attacker can write JSON into a log).

const SUFFIXES = OUTPUT_FIELDS.split(",");
// Their places in OUTPUT_FIELDS.
const SURPRISE = 0;
const INFREQUENT = 1;
const SENTIMENT = 2;
const FEAR = 3;
const ANOMALY = 4;
const ERROR = 5;
const RECORD = 6;
const SPOOFED = 7;
const COVERED = 8;
const REASON = 9;

// The suffixes as bytes (ASCII), back to back, suffixAt[field] where each starts, made once: keys
// are compared with them, whatever the format.
// Room for OUTPUT_FIELDS' letters (prepareSuffixes checks): they are fewer than its length.
const SUFFIX_CAPACITY = 128;
const suffixBytes = memory.data(SUFFIX_CAPACITY);
const suffixAt = new StaticArray<i32>(SUFFIXES.length + 1);

function prepareSuffixes(): void {
  // A longer list would write past the buffer: fail at instantiation, in every test, instead.
  if (OUTPUT_FIELDS.length > SUFFIX_CAPACITY) unreachable();
  let n = 0;
  for (let s = 0; s < SUFFIXES.length; s++) {
    unchecked((suffixAt[s] = n));
    const suffix = SUFFIXES[s];
    for (let j = 0; j < suffix.length; j++) store<u8>(suffixBytes + n++, <u8>suffix.charCodeAt(j));
  }
  unchecked((suffixAt[SUFFIXES.length] = n));
}
prepareSuffixes();

// @ts-ignore: decorator
@inline function suffixLength(field: i32): i32 {
  return unchecked(suffixAt[field + 1]) - unchecked(suffixAt[field]);
}

// What OwnKeys holds per field: its key, and its key with either value of a bool after it.
const FORMS = 3;
const KEY = 0;
const KEY_FALSE = 1;
const KEY_TRUE = 2;

/**
 * tarkin's keys as a format writes them before a value (its keyForm), each also with false and
 * with true after it (its boolForm), built once for the pack's prefix, so that writing a key, or a
 * bool field, is one copy: back to back, `at` where each starts (form FORMS * field + KEY_...).
 */
class OwnKeys {
  bytes: Growable = new Growable();
  at: StaticArray<i32> = new StaticArray<i32>(SUFFIXES.length * FORMS + 1);
  prefix: usize = 0;

  /** The keys for the pack's prefix (1 to 64 ASCII characters). */
  ensure<E extends Events>(events: E): void {
    if (this.prefix == prefix) return;
    const name = nameBuffer;
    memory.copy(name, prefix, <usize>prefixLength);
    const at = this.bytes.reserve(<usize>(SUFFIXES.length * FORMS * (prefixLength + 16) + FORMS * unchecked(suffixAt[SUFFIXES.length])));
    let n = 0;
    for (let s = 0; s < SUFFIXES.length; s++) {
      memory.copy(name + prefixLength, suffixBytes + <usize>unchecked(suffixAt[s]), <usize>suffixLength(s));
      for (let form = KEY; form < FORMS; form++) {
        unchecked((this.at[s * FORMS + form] = n));
        n += events.keyForm(at + n, name, prefixLength + suffixLength(s));
        if (form != KEY) n += events.boolForm(at + n, form == KEY_TRUE);
      }
    }
    unchecked((this.at[SUFFIXES.length * FORMS] = n));
    this.prefix = prefix;
  }
}

const nameBuffer = memory.data(64 + 16);
const jsonKeys = new OwnKeys();
const msgpackKeys = new OwnKeys();

// Per member: 1 when it is one of tarkin's own fields.
const ownFlags = new Growable();

function isOwnField<E extends Events>(events: E, i: i32): bool {
  const text = events.keyText(i);
  if (text == NO_SPAN) return false;
  const at = spanStart(text);
  const n = <i32>spanLength(text);
  // Every own field's name is the prefix and more: most keys are ruled out by their first byte,
  // rather than by a length test for each of the eight names (per member, on every record).
  if (n <= prefixLength || load<u8>(at) != load<u8>(prefix) || memory.compare(at, prefix, <usize>prefixLength) != 0) return false;
  const suffix = at + <usize>prefixLength;
  for (let field = 0; field < SUFFIXES.length; field++) {
    const length = suffixLength(field);
    if (n - prefixLength == length && memory.compare(suffix, suffixBytes + <usize>unchecked(suffixAt[field]), <usize>length) == 0) return true;
  }
  return false;
}

/** Marks tarkin's own fields among the members; returns how many members are kept. */
function markOwnFields<E extends Events>(events: E): i32 {
  const flags = ownFlags.reserve(<usize>memberCount());
  let kept = 0;
  for (let i = 0; i < memberCount(); i++) {
    const own = isOwnField<E>(events, i);
    store<u8>(flags + i, own ? 1 : 0);
    if (!own) kept++;
  }
  return kept;
}

// ---------------------------------------------------------------------------------------------
// Writing fields, in the record's format.

let fieldsWritten = 0;

/** One of OwnKeys' forms. */
function keyForm<E extends Events>(events: E, keys: OwnKeys, form: i32): void {
  // The first field of a record goes without the separator.
  const from = unchecked(keys.at[form]) + (fieldsWritten > 0 ? 0 : events.separatorBytes());
  writeBytes(keys.bytes.at + <usize>from, <usize>(unchecked(keys.at[form + 1]) - from));
  fieldsWritten++;
}

// @ts-ignore: decorator
@inline function key<E extends Events>(events: E, keys: OwnKeys, field: i32): void {
  keyForm<E>(events, keys, field * FORMS + KEY);
}

// @ts-ignore: decorator
@inline function boolField<E extends Events>(events: E, keys: OwnKeys, field: i32, value: bool): void {
  keyForm<E>(events, keys, field * FORMS + (value ? KEY_TRUE : KEY_FALSE));
}

/** A number field; `decimals` > 0 when the value is known to have at most that many. */
function numberField<E extends Events>(events: E, keys: OwnKeys, field: i32, value: f64, decimals: i32 = 0): void {
  key<E>(events, keys, field);
  events.writeNumber(value, decimals);
}

function noteField<E extends Events>(events: E, keys: OwnKeys, field: i32): void {
  key<E>(events, keys, field);
  events.writeText(note.at, note.length);
}

/** The record's content, for a record that cannot go on as itself. */
function recordField<E extends Events>(events: E, keys: OwnKeys, record: usize, length: usize): void {
  key<E>(events, keys, RECORD);
  events.writeCarried(record, length);
}

function writeMembers<E extends Events>(events: E, kept: i32): void {
  events.writeMembers(ownFlags.at);
  fieldsWritten += kept;
}

// ---------------------------------------------------------------------------------------------
// Finding the message.

// What findMessage returns when there is no message to score: above any span's value.
const MISSING: u64 = NO_SPAN;
const NOT_STRING: u64 = NO_SPAN - 1;
const NO_MODEL: u64 = NO_SPAN - 2;
/** The field that was not a string, for NOT_STRING's error. */
let badField: i32 = -1;

function keyEquals<E extends Events>(events: E, i: i32, name: usize, length: i32): bool {
  const text = events.keyText(i);
  return text != NO_SPAN && spanLength(text) == <usize>length && memory.compare(spanStart(text), name, <usize>length) == 0;
}

/** Follows the i-th field's dotted path: the message's text, or MISSING, or NOT_STRING (badField says which). */
function followField<E extends Events>(events: E, i: i32): u64 {
  messageField(i);
  let segment = fieldStart;
  const stop = fieldStart + <usize>fieldLength;
  let value = NO_SPAN;
  // Whether the value is known to have no escape (a top-level member's string: its scan said so).
  let plain = false;
  let top = true;
  while (true) {
    let dot = segment;
    while (dot < stop && load<u8>(dot) != DOT) dot++;
    const length = <i32>(dot - segment);
    if (top) {
      for (let m = 0; m < memberCount(); m++) {
        if (load<u8>(ownFlags.at + m) == 0 && keyEquals<E>(events, m, segment, length)) {
          value = span(memberValueStart(m), memberValueEnd(m) - memberValueStart(m));
          plain = memberIsPlain(m, VALUE_PLAIN);
        }
      }
    } else {
      plain = false;
      value = events.findIn(value, segment, length);
    }
    if (value == NO_SPAN) return MISSING;
    top = false;
    if (dot >= stop) break;
    segment = dot + 1;
  }
  const text = events.text(value, plain);
  if (text == NO_SPAN) {
    badField = i;
    return NOT_STRING;
  }
  return text;
}

/** A dotted path's separator. */
const DOT: u32 = 0x2e;

/** The first message field's text found, or MISSING, or NOT_STRING. */
function findMessage<E extends Events>(events: E): u64 {
  let result = MISSING;
  for (let i = 0; i < fieldCount; i++) {
    const r = followField<E>(events, i);
    if (r < NO_MODEL) return r;
    if (r == NOT_STRING) result = NOT_STRING;
  }
  return result;
}

/** Why the message could not be found, into the error text. */
function noteMissing(status: u64): void {
  if (status == NO_MODEL) {
    noteAscii("this module has no packed model: build one with tarkin pack");
  } else if (status == MISSING) {
    noteAscii("no message field (looked for ");
    for (let i = 0; i < fieldCount; i++) {
      if (i > 0) noteAscii(", ");
      messageField(i);
      noteBytes(fieldStart, <usize>fieldLength);
    }
    noteAscii(")");
  } else {
    noteAscii("message field ");
    messageField(badField);
    noteBytes(fieldStart, <usize>fieldLength);
    noteAscii(" is not a string");
  }
}

// ---------------------------------------------------------------------------------------------

const EMPTY = memory.data(8); // the empty string: drop the record

/** A record of event_format json through the filter: the NUL-terminated record that goes on, or "" to drop it. */
export function filterJson(record: usize, length: usize): usize {
  return filterRecord<JsonEvents>(JSON_EVENTS, jsonKeys, record, length);
}

/** A record of event_format msgpack through the filter: the NUL-terminated record that goes on. */
export function filterMsgpack(record: usize, length: usize): usize {
  return filterRecord<MsgpackEvents>(MSGPACK_EVENTS, msgpackKeys, record, length);
}

function filterRecord<E extends Events>(events: E, keys: OwnKeys, record: usize, length: usize): usize {
  count(STATS_IN);
  ensurePack();
  keys.ensure<E>(events);
  beginOutput(length + (length >> 1) + 256);
  fieldsWritten = 0;
  note.length = 0;
  if (record == 0 || !events.read(record, length)) {
    if (record == 0) noteAscii("the record could not be copied into the module");
    else {
      noteAscii("unreadable record: ");
      noteAscii(events.failure());
    }
    events.open(3);
    recordField<E>(events, keys, record, record == 0 ? 0 : length);
    boolField<E>(events, keys, ANOMALY, true);
    noteField<E>(events, keys, ERROR);
    return finish<E>(events, true, true);
  }

  const kept = markOwnFields<E>(events);
  const spoofed = kept < memberCount();
  // The message's text: in place unless it has escapes (most messages have none).
  const message = hasModel ? findMessage<E>(events) : NO_MODEL;
  const found = message < NO_MODEL;
  if (found) {
    scoreMessage(spanStart(message), spanStart(message) + spanLength(message));
    if (verdictInfrequent) count(STATS_INFREQUENT);
    if (!verdictCovered) count(STATS_UNCOVERED);
  }
  const added = (found ? 7 : 2) + (spoofed ? 1 : 0);
  const intact = events.canCarry(ownFlags.at, added);
  // Drop mode drops only records it has scored as unremarkable and could have passed on as they
  // are, and only where the shipper skips a record on an empty result (JsonEvents.canDrop).
  if (found && outputMode == OUTPUT_DROP && events.canDrop() && !verdictAnomaly && !spoofed && intact) return EMPTY;
  if (!found) noteMissing(message);

  if (!intact) {
    // msgpack that has no NUL-free encoding as it is: carry it whole as base64, and say so.
    if (note.length > 0) noteAscii("; ");
    noteAscii("msgpack mode cannot carry this record intact (an integer 0, a float, a string of 64 KiB or more or of a multiple of 256 bytes, a NUL, or 16 to 256 members); use event_format json");
    events.open(added + 1 + (found ? 1 : 0));
    recordField<E>(events, keys, record, length);
    if (found) writeVerdict<E>(events, keys, false);
    boolField<E>(events, keys, ANOMALY, true);
    noteField<E>(events, keys, ERROR);
    if (spoofed) boolField<E>(events, keys, SPOOFED, true);
    return finish<E>(events, true, true);
  }
  events.open(kept + added);
  writeMembers<E>(events, kept);
  if (found) {
    writeVerdict<E>(events, keys, true);
  } else {
    boolField<E>(events, keys, ANOMALY, true);
    noteField<E>(events, keys, ERROR);
  }
  if (spoofed) boolField<E>(events, keys, SPOOFED, true);
  return finish<E>(events, found ? verdictAnomaly : true, !found);
}

// Default mode prints surprise and fear with 4 decimals, as VADER prints its compound: 17 digits
// are noise to an operator and cost time. tarkin mode keeps every digit the original computes.
const SCORE_DECIMALS = 4;
const SCORE_SCALE: f64 = 10000;

function scoreField<E extends Events>(events: E, keys: OwnKeys, field: i32, value: f64): void {
  if (surpriseMode() == SURPRISE_TARKIN) numberField<E>(events, keys, field, value);
  else numberField<E>(events, keys, field, Math.round(value * SCORE_SCALE) / SCORE_SCALE, SCORE_DECIMALS);
}

function writeVerdict<E extends Events>(events: E, keys: OwnKeys, withAnomaly: bool): void {
  scoreField<E>(events, keys, SURPRISE, verdictSurprise);
  boolField<E>(events, keys, INFREQUENT, verdictInfrequent);
  numberField<E>(events, keys, SENTIMENT, verdictSentiment.compound, COMPOUND_DECIMALS);
  scoreField<E>(events, keys, FEAR, verdictFear);
  if (withAnomaly) boolField<E>(events, keys, ANOMALY, verdictAnomaly);
  boolField<E>(events, keys, COVERED, verdictCovered);
  writeReason();
  key<E>(events, keys, REASON);
  events.writeText(reason.at, reason.length);
}

// The reason, in a user's words: the field that added most to the surprise and the kind of
// evidence ("q: sql syntax", "debug: never seen field, rare in the log", "id: rare shape"), or the
// most negative word ("security: failed", "negative: error") where negativity weighs more; empty
// where nothing stands out, and in the original's mode.
const NAME_LIMIT: usize = 48;
const SYNTAX_NAMES: StaticArray<string> = ["sql", "html/script", "shell", "path traversal", "template/jndi"];

function writeReason(): void {
  reason.length = 0;
  if (surpriseMode() == SURPRISE_TARKIN) return;
  // Fear is the larger of the surprise and the negativity: above the surprise, the words made it.
  const sentiment = verdictSentiment;
  const fromWords = sentiment.mostNegativeEnd > sentiment.mostNegativeStart && sentiment.compound < 0 && verdictFear > verdictSurprise;
  if (fromWords) {
    reason.ascii(sentiment.securityNegative ? "security: " : "negative: ");
    reason.text(sentiment.mostNegativeStart, sentiment.mostNegativeEnd - sentiment.mostNegativeStart, NAME_LIMIT);
    return;
  }
  if (verdictSurprise <= 0 || reasonNameEnd < reasonNameStart) return;
  if (reasonKind == FIELD_AFTER) reason.ascii("after ");
  if (reasonKind == FIELD_NAMED || reasonKind == FIELD_AFTER) reason.text(reasonNameStart, reasonNameEnd - reasonNameStart, NAME_LIMIT);
  else reason.ascii("first token");
  reason.ascii(": ");
  if (reasonSyntax != 0) {
    let first = true;
    for (let i = 0; i < SYNTAX_NAMES.length; i++) {
      if ((reasonSyntax & (1 << i)) == 0) continue;
      if (!first) reason.ascii(", ");
      reason.ascii(SYNTAX_NAMES[i]);
      first = false;
    }
    reason.ascii(" syntax");
  } else if (reasonEvidence == EVIDENCE_LOG) reason.ascii("unknown field, rare in the log");
  else if (reasonEvidence == EVIDENCE_NEW_VALUE) reason.ascii("a value it never held");
  else if (reasonEvidence == EVIDENCE_LENGTH) reason.ascii("far longer than its values");
  else if (reasonEvidence == EVIDENCE_NEW_FIELD) reason.ascii("a field never seen");
  else reason.ascii("rare shape");
}

function finish<E extends Events>(events: E, anomalous: bool, error: bool): usize {
  events.close();
  count(STATS_OUT);
  if (anomalous) count(STATS_ANOMALOUS);
  if (error) count(STATS_ERRORS);
  return finishOutput();
}

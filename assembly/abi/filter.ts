// The filter: a record comes in, goes on annotated with tarkin's verdict, or (drop mode) goes on
// only when anomalous. A record that cannot be read is never lost: it goes on, marked anomalous,
// with tarkin_error saying why and its content carried in tarkin_record. One flow for both of
// Fluent Bit's event formats, compiled for each: reading and writing are the format's (the Events
// of formats/events.ts: json.ts's JsonEvents, msgpack.ts's MsgpackEvents), chosen by the entry point.
import { Events } from "../formats/events";
import { JsonEvents, JSON_EVENTS } from "../formats/json";
import { MsgpackEvents, MSGPACK_EVENTS } from "../formats/msgpack";
import { memberCount, memberKeyStart, memberKeyEnd, memberValueStart, memberValueEnd, memberIsPlain, VALUE_PLAIN } from "../formats/members";
import { NO_SPAN, span, spanStart, spanLength } from "../base/span";
import { beginOutput, finishOutput, room, wrote, NUMBER_ROOM } from "../formats/output";
import { ensurePack, settings, DOT, PATH, PATH_START, PATH_DOT, PATH_END } from "./pack";
import { OUTPUT_FIELDS, OUTPUT_DROP, STATS_IN, STATS_OUT, STATS_INFREQUENT, STATS_ANOMALOUS, STATS_ERRORS, STATS_UNCOVERED, STATS } from "../base/layouts";
import { COMPOUND_DECIMALS } from "../sentiment/vader";
import { Verdict } from "../decision/scorer";
import { Growable, sameBytes } from "../base/buffers";
import { ShortText } from "../base/text";

// The verdict on the record's message, filled by the pack's scorer.
const verdict = new Verdict();

// Counters since the instance started (layouts.ts STATS_).
export const stats = memory.data(STATS, 8);

// @ts-ignore: decorator
@inline function count(counter: usize): void {
  store<f64>(stats + counter, load<f64>(stats + counter) + 1);
}

const note = new ShortText(512);
const reason = new ShortText(160);

function noteAscii(text: string): void {
  note.ascii(text);
}

/** A message field's name (where Settings.messageField says). */
function noteFieldName(field: usize): void {
  note.bytes(field + 4, <usize>load<u32>(field));
}

// ---------------------------------------------------------------------------------------------
// tarkin's own fields: named prefix + suffix. Fields of these names already in a record are
// replaced, never duplicated, and the attempt is flagged (an attacker can write JSON into a log).

const SUFFIXES = OUTPUT_FIELDS.split(",");
// How many they are (prepareSuffixes checks): a constant, so that the places of OwnKeys' forms are.
const FIELD_COUNT = 10;
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
  if (OUTPUT_FIELDS.length > SUFFIX_CAPACITY || SUFFIXES.length != FIELD_COUNT) unreachable();
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
// And runs the verdict writes with nothing between them, each a bool field's form (or two) with
// the next field's key after it, so that the run is one copy: INFREQUENT's form then SENTIMENT's
// key (+ 1 when infrequent); ANOMALY's, COVERED's then REASON's key (+ 2 when anomalous, + 1 when
// covered); COVERED's then REASON's key (+ 1 when covered).
const INFREQUENT_THEN_SENTIMENT = FIELD_COUNT * FORMS;
const ANOMALY_COVERED_THEN_REASON = INFREQUENT_THEN_SENTIMENT + 2;
const COVERED_THEN_REASON = ANOMALY_COVERED_THEN_REASON + 4;
const FORM_COUNT = COVERED_THEN_REASON + 2;
// The most forms a run joins.
const RUN_FORMS = 3;

// @ts-ignore: decorator
@inline function boolForm(field: i32, value: bool): i32 {
  return field * FORMS + (value ? KEY_TRUE : KEY_FALSE);
}

// A form of up to this many bytes is copied as that many, a word at a time (room and slack allow
// for the bytes past its end): with the default prefix, every key's.
const FORM_WORDS_BYTES: usize = 32;

/**
 * tarkin's keys as a format writes them before a value (its keyForm), each also with false and
 * with true after it (its boolForm), and the verdict's runs, built once for the pack's prefix, so
 * that writing a key, a bool field or a run is one copy: back to back, `at` where each starts (its
 * address), then where the last ends.
 */
class OwnKeys {
  bytes: Growable = new Growable();
  at: StaticArray<u32> = new StaticArray<u32>(FORM_COUNT + 1);
  /** Room for any of the forms, or for several different ones, each copied as formAt copies it. */
  room: usize = 0;
  prefix: usize = 0;

  /** The keys for the pack's prefix (1 to 64 ASCII characters). */
  @inline ensure<E extends Events>(events: E): void {
    if (this.prefix != settings.prefix) this.build<E>(events);
  }

  private build<E extends Events>(events: E): void {
    const prefix = settings.prefix;
    const prefixLength = settings.prefixLength;
    const name = nameBuffer;
    memory.copy(name, prefix, <usize>prefixLength);
    const most = prefixLength + 16 + unchecked(suffixAt[SUFFIXES.length]);
    // FORM_WORDS_BYTES more: the words formAt reads past the last form's end.
    const at = this.bytes.reserve(<usize>((SUFFIXES.length * FORMS + (FORM_COUNT - INFREQUENT_THEN_SENTIMENT) * RUN_FORMS) * most) + FORM_WORDS_BYTES);
    let n = 0;
    for (let s = 0; s < SUFFIXES.length; s++) {
      memory.copy(name + prefixLength, suffixBytes + <usize>unchecked(suffixAt[s]), <usize>suffixLength(s));
      for (let form = KEY; form < FORMS; form++) {
        unchecked((this.at[s * FORMS + form] = <u32>(at + n)));
        n += events.keyForm(at + n, name, prefixLength + suffixLength(s));
        if (form != KEY) n += events.boolForm(at + n, form == KEY_TRUE);
      }
    }
    for (let v = 0; v < 2; v++) {
      unchecked((this.at[INFREQUENT_THEN_SENTIMENT + v] = <u32>(at + n)));
      n = this.join(n, boolForm(INFREQUENT, v == 1));
      n = this.join(n, SENTIMENT * FORMS + KEY);
    }
    for (let v = 0; v < 4; v++) {
      unchecked((this.at[ANOMALY_COVERED_THEN_REASON + v] = <u32>(at + n)));
      n = this.join(n, boolForm(ANOMALY, v >= 2));
      n = this.join(n, boolForm(COVERED, (v & 1) == 1));
      n = this.join(n, REASON * FORMS + KEY);
    }
    for (let v = 0; v < 2; v++) {
      unchecked((this.at[COVERED_THEN_REASON + v] = <u32>(at + n)));
      n = this.join(n, boolForm(COVERED, v == 1));
      n = this.join(n, REASON * FORMS + KEY);
    }
    unchecked((this.at[FORM_COUNT] = <u32>(at + n)));
    this.room = <usize>n + FORM_WORDS_BYTES;
    this.prefix = prefix;
  }

  /** Copies form `form` to offset n; returns the offset after it. */
  private join(n: i32, form: i32): i32 {
    const from = <usize>unchecked(this.at[form]);
    const length = <i32>(<usize>unchecked(this.at[form + 1]) - from);
    memory.copy(this.bytes.at + <usize>n, from, <usize>length);
    return n + length;
  }
}

const nameBuffer = memory.data(64 + 16);
const jsonKeys = new OwnKeys();
const msgpackKeys = new OwnKeys();

// Per member: 1 when it is one of tarkin's own fields.
const ownFlags = new Growable();

function isOwnField<E extends Events>(events: E, i: i32, prefix: usize, prefixLength: i32): bool {
  const text = events.keyText(i);
  if (text == NO_SPAN) return false;
  const at = spanStart(text);
  const n = <i32>spanLength(text);
  // Every own field's name is the prefix and more: most keys are ruled out by their first byte,
  // rather than by a length test for each of the eight names (per member, on every record).
  if (n <= prefixLength || load<u8>(at) != load<u8>(prefix) || !sameBytes(at, prefix, <usize>prefixLength)) return false;
  const suffix = at + <usize>prefixLength;
  for (let field = 0; field < FIELD_COUNT; field++) {
    const length = suffixLength(field);
    if (n - prefixLength == length && sameBytes(suffix, suffixBytes + <usize>unchecked(suffixAt[field]), <usize>length)) return true;
  }
  return false;
}

/** Marks tarkin's own fields among the members in `flags` (ownFlags, reserved); returns how many members are kept. */
function markOwnFields<E extends Events>(events: E, flags: usize): i32 {
  const prefix = settings.prefix;
  const prefixLength = settings.prefixLength;
  let kept = 0;
  for (let i = 0; i < memberCount(); i++) {
    // A key's text is no longer than its bytes: one of no more bytes than the prefix (most keys: log,
    // time, stream) is ruled out before its text is read.
    const own = <i32>(memberKeyEnd(i) - memberKeyStart(i)) > prefixLength && isOwnField<E>(events, i, prefix, prefixLength);
    store<u8>(flags + i, own ? 1 : 0);
    if (!own) kept++;
  }
  return kept;
}

// ---------------------------------------------------------------------------------------------
// Writing fields, in the record's format.

/** One of OwnKeys' forms (`forms`: its `at`) at `at`, after a field (`first`: the record's first field, which goes without the separator); the position after it. */
// @ts-ignore: decorator
@inline function formAt<E extends Events>(events: E, forms: StaticArray<u32>, at: usize, form: i32, first: bool = false): usize {
  const from = <usize>unchecked(forms[form]) + (first ? <usize>events.separatorBytes() : 0);
  const length = <usize>unchecked(forms[form + 1]) - from;
  if (length > FORM_WORDS_BYTES) memory.copy(at, from, length);
  else {
    store<u64>(at, load<u64>(from));
    store<u64>(at, load<u64>(from, 8), 8);
    store<u64>(at, load<u64>(from, 16), 16);
    store<u64>(at, load<u64>(from, 24), 24);
  }
  return at + length;
}

/** Room for any of OwnKeys' forms, or for several different ones. */
// @ts-ignore: decorator
@inline function formsRoom(keys: OwnKeys): usize {
  return keys.room;
}

// @ts-ignore: decorator
@inline function keyForm<E extends Events>(events: E, keys: OwnKeys, form: i32, first: bool = false): void {
  wrote(formAt<E>(events, keys.at, room(formsRoom(keys)), form, first));
}

// @ts-ignore: decorator
@inline function key<E extends Events>(events: E, keys: OwnKeys, field: i32, first: bool = false): void {
  keyForm<E>(events, keys, field * FORMS + KEY, first);
}

// @ts-ignore: decorator
@inline function boolField<E extends Events>(events: E, keys: OwnKeys, field: i32, value: bool, first: bool = false): void {
  keyForm<E>(events, keys, boolForm(field, value), first);
}

function noteField<E extends Events>(events: E, keys: OwnKeys, field: i32): void {
  key<E>(events, keys, field);
  events.writeText(note.at, note.length);
}

/** The record's content, for a record that cannot go on as itself: the first field. */
function recordField<E extends Events>(events: E, keys: OwnKeys, record: usize, length: usize): void {
  key<E>(events, keys, RECORD, true);
  events.writeCarried(record, length);
}

// ---------------------------------------------------------------------------------------------
// Finding the message.

// What findMessage returns when there is no message to score: above any span's value.
const MISSING: u64 = NO_SPAN;
const NOT_STRING: u64 = NO_SPAN - 1;
const NO_MODEL: u64 = NO_SPAN - 2;
/** What went wrong in the search for the record's message. */
class Search {
  /** The message field that held something other than a string. */
  badField: i32 = -1;
}
const search = new Search();

function keyEquals<E extends Events>(events: E, i: i32, name: usize, length: i32): bool {
  const text = events.keyText(i);
  return text != NO_SPAN && spanLength(text) == <usize>length && sameBytes(spanStart(text), name, <usize>length);
}

/**
 * Follows the i-th field's dotted path among the members not flagged in `flags` (ownFlags): the
 * message's text, or MISSING, or NOT_STRING (the search's badField says which).
 */
function followField<E extends Events>(events: E, i: i32, flags: usize, search: Search): u64 {
  const path = settings.paths.at + <usize>i * PATH;
  const end = <usize>load<u32>(path + PATH_END);
  let segment = <usize>load<u32>(path + PATH_START);
  let dot = <usize>load<u32>(path + PATH_DOT);
  // The first segment among the record's members (the last of that name wins).
  const length = <i32>(dot - segment);
  let found = -1;
  for (let m = 0; m < memberCount(); m++) {
    if (load<u8>(flags + m) == 0 && keyEquals<E>(events, m, segment, length)) found = m;
  }
  if (found < 0) return MISSING;
  // Its value is known to have no escape when the parse saw none.
  let value = span(memberValueStart(found), memberValueEnd(found) - memberValueStart(found));
  let plain = memberIsPlain(found, VALUE_PLAIN);
  // The rest, each within the value before it.
  while (dot < end) {
    segment = dot + 1;
    dot = segment;
    while (dot < end && <u32>load<u8>(dot) != DOT) dot++;
    value = events.findIn(value, segment, <i32>(dot - segment));
    if (value == NO_SPAN) return MISSING;
    plain = false;
  }
  const text = events.text(value, plain);
  if (text == NO_SPAN) {
    search.badField = i;
    return NOT_STRING;
  }
  return text;
}

/** The first message field's text found among the members not flagged in `flags`, or MISSING, or NOT_STRING. */
function findMessage<E extends Events>(events: E, flags: usize, search: Search): u64 {
  let result = MISSING;
  const fieldCount = settings.fieldCount;
  for (let i = 0; i < fieldCount; i++) {
    const r = followField<E>(events, i, flags, search);
    if (r < NO_MODEL) return r;
    if (r == NOT_STRING) result = NOT_STRING;
  }
  return result;
}

/** Why the message could not be found, into the error text. */
function noteMissing(status: u64, search: Search): void {
  if (status == NO_MODEL) {
    noteAscii("this module has no packed model: build one with tarkin pack");
  } else if (status == MISSING) {
    noteAscii("no message field (looked for ");
    for (let i = 0; i < settings.fieldCount; i++) {
      if (i > 0) noteAscii(", ");
      noteFieldName(settings.messageField(i));
    }
    noteAscii(")");
  } else {
    noteAscii("message field ");
    noteFieldName(settings.messageField(search.badField));
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

  const flags = ownFlags.reserve(<usize>memberCount());
  const kept = markOwnFields<E>(events, flags);
  const first = kept == 0;
  const spoofed = kept < memberCount();
  // The message's text: in place unless it has escapes (most messages have none).
  const message = settings.hasModel ? findMessage<E>(events, flags, search) : NO_MODEL;
  const found = message < NO_MODEL;
  if (found) {
    // `npm run bench` also builds the module without scoring (asconfig.json's record-io target), to
    // measure what reading and writing records alone costs inside Fluent Bit. Compiled out otherwise.
    if (!isDefined(RECORD_IO_ONLY)) settings.scorer.score(spanStart(message), spanStart(message) + spanLength(message), verdict);
    if (verdict.infrequent) count(STATS_INFREQUENT);
    if (!verdict.covered) count(STATS_UNCOVERED);
  }
  const added = (found ? 7 : 2) + (spoofed ? 1 : 0);
  const intact = events.canCarry(flags, added);
  // Drop mode drops only records it has scored as unremarkable and could have passed on as they
  // are, and only where the shipper skips a record on an empty result (JsonEvents.canDrop).
  if (found && settings.outputMode == OUTPUT_DROP && events.canDrop() && !verdict.anomaly && !spoofed && intact) return EMPTY;
  if (!found) noteMissing(message, search);

  if (!intact) {
    // msgpack that has no NUL-free encoding as it is: carry it whole as base64, and say so.
    if (note.length > 0) noteAscii("; ");
    noteAscii("msgpack mode cannot carry this record intact (an integer 0, a float, a string of 64 KiB or more or of a multiple of 256 bytes, a NUL, or 16 to 256 members); use event_format json");
    events.open(added + 1 + (found ? 1 : 0));
    recordField<E>(events, keys, record, length);
    if (found) writeVerdict<E>(events, keys, false, false);
    boolField<E>(events, keys, ANOMALY, true);
    noteField<E>(events, keys, ERROR);
    if (spoofed) boolField<E>(events, keys, SPOOFED, true);
    return finish<E>(events, true, true);
  }
  events.open(kept + added);
  events.writeMembers(flags);
  if (found) {
    writeVerdict<E>(events, keys, true, first);
  } else {
    boolField<E>(events, keys, ANOMALY, true, first);
    noteField<E>(events, keys, ERROR);
  }
  if (spoofed) boolField<E>(events, keys, SPOOFED, true);
  return finish<E>(events, found ? verdict.anomaly : true, !found);
}

// Default mode prints surprise and fear with 4 decimals, as VADER prints its compound: 17 digits
// are noise to an operator and cost time. tarkin mode keeps every digit the original computes.
const SCORE_DECIMALS = 4;
const SCORE_SCALE: f64 = 10000;

// @ts-ignore: decorator
@inline function score<E extends Events>(events: E, at: usize, value: f64, everyDigit: bool): usize {
  // A zero (most fears) rounds to itself.
  if (everyDigit || value == 0) return events.writeNumber(at, value, 0);
  return events.writeNumber(at, Math.round(value * SCORE_SCALE) / SCORE_SCALE, SCORE_DECIMALS);
}

/** The verdict's fields (ANOMALY's only `withAnomaly`); `first`: the record's first fields. */
function writeVerdict<E extends Events>(events: E, keys: OwnKeys, withAnomaly: bool, first: bool): void {
  // Its keys (different forms) and three numbers, in room reserved once.
  let at = room(formsRoom(keys) + 3 * (NUMBER_ROOM + 1));
  // Module-level objects read once each: a local costs the interpreter nothing, a global one operation.
  const forms = keys.at;
  const scorer = settings.scorer;
  const everyDigit = scorer.everyDigit;
  const scored = verdict;
  at = formAt<E>(events, forms, at, SURPRISE * FORMS + KEY, first);
  at = score<E>(events, at, scored.surprise, everyDigit);
  at = formAt<E>(events, forms, at, INFREQUENT_THEN_SENTIMENT + <i32>scored.infrequent);
  at = events.writeNumber(at, scored.sentiment.compound, COMPOUND_DECIMALS);
  at = formAt<E>(events, forms, at, FEAR * FORMS + KEY);
  at = score<E>(events, at, scored.fear, everyDigit);
  const covered = <i32>scored.covered;
  at = formAt<E>(events, forms, at, withAnomaly ? ANOMALY_COVERED_THEN_REASON + (<i32>scored.anomaly << 1) + covered : COVERED_THEN_REASON + covered);
  wrote(at);
  const text = reason;
  scorer.reason(scored, text);
  events.writeText(text.at, text.length);
}

function finish<E extends Events>(events: E, anomalous: bool, error: bool): usize {
  events.close();
  count(STATS_OUT);
  if (anomalous) count(STATS_ANOMALOUS);
  if (error) count(STATS_ERRORS);
  return finishOutput();
}

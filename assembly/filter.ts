// The filter: a record comes in, goes on annotated with tarkin's verdict, or (drop mode) goes on
// only when anomalous. A record that cannot be read is never lost: it goes on, marked anomalous,
// with tarkin_error saying why and its content carried in tarkin_record. One flow for both of
// Fluent Bit's event formats; only reading and writing differ (json.ts, msgpack.ts).
import * as json from "./json";
import * as msgpack from "./msgpack";
import { memberCount, memberKeyStart, memberKeyEnd, memberValueStart, memberValueEnd, memberIsPlain, KEY_PLAIN, VALUE_PLAIN } from "./members";
import { beginOutput, finishOutput, writeByte, writeBytes, writeNumber, writeRounded, out, outLength } from "./output";
import {
  ensurePack, hasModel, outputMode, minimumFear, fieldCount, messageField, fieldStart, fieldLength,
  prefix, prefixLength,
} from "./pack";
import { surpriseOfCounted, passesGate, surpriseMode } from "./surprise";
import { OUTPUT_DROP, SURPRISE_TARKIN, STATS_IN, STATS_OUT, STATS_INFREQUENT, STATS_ANOMALOUS, STATS_ERRORS, STATS } from "./layouts";
import { fieldSurprise } from "./fields";
import * as vader from "./vader";
import { fearOf, isAnomaly } from "./fear";
import { Growable } from "./buffers";

// ---------------------------------------------------------------------------------------------
// The verdict on one message.

export let verdictSurprise: f64 = 0;
export let verdictInfrequent = false;
export let verdictFear: f64 = 0;
export let verdictAnomaly = false;

/**
 * Scores a message (UTF-8): sentiment, surprise, the gate (its state carries on), fear, decision.
 * default: the field surprise; tarkin: the original's character surprise, whose counts VADER's word
 * finder takes as it goes, so the message is read once for both.
 */
export function scoreMessage(start: usize, end: usize): void {
  // `npm run bench` also builds the module without scoring (asconfig.json's record-io target), to
  // measure what reading and writing records alone costs inside Fluent Bit. Compiled out otherwise.
  if (isDefined(RECORD_IO_ONLY)) return;
  const mode = surpriseMode();
  if (mode == SURPRISE_TARKIN) {
    vader.polarity_scores(start, end, true);
    verdictSurprise = surpriseOfCounted(start, end);
  } else {
    vader.polarity_scores(start, end);
    verdictSurprise = fieldSurprise(start, end);
  }
  verdictInfrequent = passesGate(verdictSurprise);
  verdictFear = fearOf(mode, verdictSurprise, vader.compound, vader.neg);
  verdictAnomaly = isAnomaly(mode, verdictInfrequent, verdictSurprise, vader.compound, verdictFear, minimumFear);
}

// Counters since the instance started (layouts.ts STATS_).
export const stats = memory.data(STATS, 8);

// @ts-ignore: decorator
@inline function count(counter: usize): void {
  store<f64>(stats + counter, load<f64>(stats + counter) + 1);
}

export const FORMAT_JSON: i32 = 0;
export const FORMAT_MSGPACK: i32 = 1;
let format = FORMAT_JSON;

// ---------------------------------------------------------------------------------------------
// The error text: a fixed buffer, as it is short and made of known pieces.

const NOTE_CAPACITY: usize = 512;
const note = memory.data(<i32>NOTE_CAPACITY + 8);
let noteLength: usize = 0;

/** Appends to the error text (ASCII, or field names from the settings), truncating past its capacity. */
function noteAscii(text: string): void {
  for (let i = 0; i < text.length && noteLength < NOTE_CAPACITY; i++) store<u8>(note + noteLength++, <u8>text.charCodeAt(i));
}

function noteBytes(p: usize, length: usize): void {
  for (let i: usize = 0; i < length && noteLength < NOTE_CAPACITY; i++) store<u8>(note + noteLength++, load<u8>(p + i));
}

// ---------------------------------------------------------------------------------------------
// tarkin's own fields: named prefix + suffix. Fields of these names already in a record are
// replaced, never duplicated, and the attempt is flagged (an attacker can write JSON into a log).

const SUFFIXES: StaticArray<string> = ["surprise", "infrequent", "sentiment", "fear", "anomaly", "error", "record", "spoofed"];
const SURPRISE = 0;
const INFREQUENT = 1;
const SENTIMENT = 2;
const FEAR = 3;
const ANOMALY = 4;
const ERROR = 5;
const RECORD = 6;
const SPOOFED = 7;

// Per member: 1 when it is one of tarkin's own fields.
const ownFlags = new Growable();

/** The member's key as UTF-8, in place where it can be: its length, keyAt says where; -1 when it has none (a msgpack key that is not a str). */
let keyAt: usize = 0;
function keyBytes(i: i32): i32 {
  if (format == FORMAT_JSON) {
    const n = json.stringText(memberKeyStart(i), memberKeyEnd(i), memberIsPlain(i, KEY_PLAIN));
    keyAt = json.textAt;
    return n;
  }
  if (!msgpack.strAt(memberKeyStart(i))) return -1;
  keyAt = msgpack.strStart;
  return <i32>(msgpack.strEnd - msgpack.strStart);
}

function isOwnField(i: i32): bool {
  const n = keyBytes(i);
  // Every own field's name is the prefix and more: most keys are ruled out by their first byte,
  // rather than by a length test for each of the eight names (per member, on every record).
  if (n <= prefixLength || load<u8>(keyAt) != load<u8>(prefix) || memory.compare(keyAt, prefix, <usize>prefixLength) != 0) return false;
  for (let field = 0; field < SUFFIXES.length; field++) {
    // The name inside the JSON form: past the comma and the quote, before the quote and the colon.
    const name = ownKeys.at + <usize>unchecked(jsonKeyAt[field]) + 2;
    if (n == unchecked(jsonKeyAt[field + 1]) - unchecked(jsonKeyAt[field]) - 4 && memory.compare(keyAt, name, <usize>n) == 0) return true;
  }
  return false;
}

/** Marks tarkin's own fields among the members; returns how many members are kept. */
function markOwnFields(): i32 {
  const flags = ownFlags.reserve(<usize>memberCount);
  let kept = 0;
  for (let i = 0; i < memberCount; i++) {
    const own = isOwnField(i);
    store<u8>(flags + i, own ? 1 : 0);
    if (!own) kept++;
  }
  return kept;
}

// ---------------------------------------------------------------------------------------------
// Writing fields, in the record's format. Numbers go into msgpack as strs: few doubles (and not
// the integer 0) have an encoding without a NUL byte.

let fieldsWritten = 0;

// tarkin's keys as written, built once for the pack's prefix, so that writing one is one copy:
// per field its JSON form, `,"<prefix><suffix>":`, then its msgpack form, a fixstr (the prefix is
// 1 to 64 ASCII characters, so the header is at most 0xd9 0x4a and never holds a NUL).
const ownKeys = new Growable();
const jsonKeyAt = new StaticArray<i32>(SUFFIXES.length + 1);
const msgpackKeyAt = new StaticArray<i32>(SUFFIXES.length + 1);
let ownKeysPrefix: usize = 0;

function ensureOwnKeys(): void {
  if (ownKeysPrefix == prefix) return;
  let length = 0;
  for (let s = 0; s < SUFFIXES.length; s++) length += 2 * (prefixLength + unchecked(SUFFIXES[s]).length) + 6;
  const at = ownKeys.reserve(<usize>length);
  let n = 0;
  for (let s = 0; s < SUFFIXES.length; s++) {
    unchecked((jsonKeyAt[s] = n));
    store<u8>(at + n++, 0x2c);
    store<u8>(at + n++, 0x22);
    n += writeName(at + n, s);
    store<u8>(at + n++, 0x22);
    store<u8>(at + n++, 0x3a);
  }
  unchecked((jsonKeyAt[SUFFIXES.length] = n));
  for (let s = 0; s < SUFFIXES.length; s++) {
    unchecked((msgpackKeyAt[s] = n));
    const nameLength = prefixLength + unchecked(SUFFIXES[s]).length;
    if (nameLength < 32) store<u8>(at + n++, <u8>(0xa0 | nameLength));
    else {
      store<u8>(at + n++, 0xd9);
      store<u8>(at + n++, <u8>nameLength);
    }
    n += writeName(at + n, s);
  }
  unchecked((msgpackKeyAt[SUFFIXES.length] = n));
  ownKeysPrefix = prefix;
}

/** Writes the prefix and the field's suffix at `at`; returns how many bytes. */
function writeName(at: usize, field: i32): i32 {
  memory.copy(at, prefix, <usize>prefixLength);
  const suffix = unchecked(SUFFIXES[field]);
  for (let j = 0; j < suffix.length; j++) store<u8>(at + prefixLength + j, <u8>suffix.charCodeAt(j));
  return prefixLength + suffix.length;
}

function key(field: i32): void {
  let from: i32;
  let to: i32;
  if (format == FORMAT_JSON) {
    // The first field of a record goes without the comma.
    from = unchecked(jsonKeyAt[field]) + (fieldsWritten > 0 ? 0 : 1);
    to = unchecked(jsonKeyAt[field + 1]);
  } else {
    from = unchecked(msgpackKeyAt[field]);
    to = unchecked(msgpackKeyAt[field + 1]);
  }
  writeBytes(ownKeys.at + <usize>from, <usize>(to - from));
  fieldsWritten++;
}

const TRUE = memory.data<u8>([0x74, 0x72, 0x75, 0x65]);
const FALSE = memory.data<u8>([0x66, 0x61, 0x6c, 0x73, 0x65]);

function boolField(field: i32, value: bool): void {
  key(field);
  if (format == FORMAT_JSON) writeBytes(value ? TRUE : FALSE, value ? 4 : 5);
  else msgpack.writeBool(value);
}

/** A number field; `decimals` > 0 when the value is known to have at most that many. */
function numberField(field: i32, value: f64, decimals: i32 = 0): void {
  key(field);
  let header: usize = 0;
  if (format == FORMAT_MSGPACK) {
    header = outLength;
    writeByte(0xa0); // a fixstr: no number takes more than 31 characters
  }
  if (decimals > 0) writeRounded(value, decimals);
  else writeNumber(value);
  if (format == FORMAT_MSGPACK) store<u8>(out + header, <u8>(0xa0 | (outLength - header - 1)));
}

function noteField(field: i32): void {
  key(field);
  if (format == FORMAT_JSON) json.writeString(note, noteLength);
  else msgpack.writeStr(note, noteLength);
}

/** The record's content, for a record that cannot go on as itself: JSON text, or msgpack bytes as base64. */
function recordField(record: usize, length: usize): void {
  key(RECORD);
  if (format == FORMAT_JSON) json.writeString(record, length);
  else msgpack.writeBase64(record, length);
}

function writeMembers(): void {
  for (let i = 0; i < memberCount; i++) {
    if (load<u8>(ownFlags.at + i)) continue;
    if (format == FORMAT_JSON) {
      if (fieldsWritten > 0) writeByte(0x2c);
      const keyStart = memberKeyStart(i) - 1;
      writeBytes(keyStart, memberKeyEnd(i) + 1 - keyStart);
      writeByte(0x3a);
      writeBytes(memberValueStart(i), memberValueEnd(i) - memberValueStart(i));
    } else {
      writeBytes(memberKeyStart(i), memberValueEnd(i) - memberKeyStart(i));
    }
    fieldsWritten++;
  }
}

/** msgpack: whether the kept members plus `added` fields can be written without a NUL byte. */
function carriable(kept: i32, added: i32): bool {
  if (format == FORMAT_JSON) return true;
  if (!msgpack.canWriteMap(<u64>(kept + added))) return false;
  for (let i = 0; i < memberCount; i++) {
    if (load<u8>(ownFlags.at + i)) continue;
    if (!msgpack.nulFree(memberKeyStart(i), memberValueEnd(i) - memberKeyStart(i))) return false;
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// Finding the message.

const FOUND = 0;
const MISSING = 1;
const NOT_STRING = 2;
const NO_MODEL = 3;
/** The message string's bytes: as written (JSON, escapes still in) or as they are (msgpack). */
let messageStart: usize = 0;
let messageEnd: usize = 0;
/** Whether the message is known to have no escape (a top-level member's string: its scan said so). */
let messagePlain = false;
let badField: i32 = -1;

function keyEquals(i: i32, name: usize, length: i32): bool {
  return keyBytes(i) == length && memory.compare(keyAt, name, <usize>length) == 0;
}

/** Follows the i-th field's dotted path; FOUND sets messageStart/messageEnd, NOT_STRING badField. */
function followField(i: i32): i32 {
  messageField(i);
  let segment = fieldStart;
  const stop = fieldStart + <usize>fieldLength;
  let valueStart: usize = 0;
  let valueEnd: usize = 0;
  let top = true;
  while (true) {
    let dot = segment;
    while (dot < stop && load<u8>(dot) != 0x2e) dot++;
    const length = <i32>(dot - segment);
    let found = false;
    if (top) {
      for (let m = 0; m < memberCount; m++) {
        if (load<u8>(ownFlags.at + m) == 0 && keyEquals(m, segment, length)) {
          found = true;
          valueStart = memberValueStart(m);
          valueEnd = memberValueEnd(m);
          messagePlain = memberIsPlain(m, VALUE_PLAIN);
        }
      }
    } else if (format == FORMAT_JSON && load<u8>(valueStart) == 0x7b) {
      messagePlain = false;
      found = json.findInObject(valueStart, valueEnd, segment, length);
      valueStart = json.foundStart;
      valueEnd = json.foundEnd;
    } else if (format == FORMAT_MSGPACK && msgpack.isMap(valueStart)) {
      found = msgpack.findInMap(valueStart, valueEnd, segment, length);
      valueStart = msgpack.foundStart;
      valueEnd = msgpack.foundEnd;
    }
    if (!found) return MISSING;
    top = false;
    if (dot >= stop) break;
    segment = dot + 1;
  }
  if (format == FORMAT_JSON) {
    if (load<u8>(valueStart) != 0x22) return notString(i);
    messageStart = valueStart + 1;
    messageEnd = valueEnd - 1;
  } else {
    if (!msgpack.strAt(valueStart)) return notString(i);
    messageStart = msgpack.strStart;
    messageEnd = msgpack.strEnd;
  }
  return FOUND;
}

function notString(i: i32): i32 {
  badField = i;
  return NOT_STRING;
}

function findMessage(): i32 {
  let result = MISSING;
  for (let i = 0; i < fieldCount; i++) {
    const r = followField(i);
    if (r == FOUND) return FOUND;
    if (r == NOT_STRING && result == MISSING) result = NOT_STRING;
  }
  return result;
}

/** Why the message could not be found, into the error text. */
function noteMissing(status: i32): void {
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

/** One record through the filter; returns the NUL-terminated record that goes on, or "" to drop it. */
export function filterRecord(record: usize, length: usize, recordFormat: i32): usize {
  format = recordFormat;
  count(STATS_IN);
  ensurePack();
  ensureOwnKeys();
  beginOutput(length + (length >> 1) + 256);
  fieldsWritten = 0;
  noteLength = 0;
  const readable = record != 0 && (format == FORMAT_JSON ? json.parseRecord(record, length) : msgpack.parseRecord(record, length));
  if (!readable) {
    if (record == 0) noteAscii("the record could not be copied into the module");
    else {
      noteAscii("unreadable record: ");
      noteAscii(format == FORMAT_JSON ? json.failure : msgpack.failure);
    }
    open(3);
    recordField(record, record == 0 ? 0 : length);
    boolField(ANOMALY, true);
    noteField(ERROR);
    return finish(true, true);
  }

  const kept = markOwnFields();
  const spoofed = kept < memberCount;
  const status = hasModel ? findMessage() : NO_MODEL;
  if (status == FOUND) {
    let start = messageStart;
    let end = messageEnd;
    if (format == FORMAT_JSON) {
      // In place unless it has escapes (most messages have none).
      const n = json.stringText(start, end, messagePlain);
      start = json.textAt;
      end = start + <usize>n;
    }
    scoreMessage(start, end);
    if (verdictInfrequent) count(STATS_INFREQUENT);
  }
  const added = (status == FOUND ? 5 : 2) + (spoofed ? 1 : 0);
  const intact = carriable(kept, added);
  // Drop mode drops only records it has scored as unremarkable and could have passed on as they are,
  // and only in JSON mode: Fluent Bit (5.1.1, filter_wasm.c) skips a record on an empty string only
  // there; in msgpack mode it takes the empty string as the record's body, and the chunk is lost.
  if (status == FOUND && outputMode == OUTPUT_DROP && format == FORMAT_JSON && !verdictAnomaly && !spoofed && intact) return EMPTY;
  if (status != FOUND) noteMissing(status);

  if (!intact) {
    // msgpack that has no NUL-free encoding as it is: carry it whole as base64, and say so.
    if (noteLength > 0) noteAscii("; ");
    noteAscii("msgpack mode cannot carry this record intact (an integer 0, a float, a string of 64 KiB or more or of a multiple of 256 bytes, a NUL, or 16 to 256 members); use event_format json");
    open(added + 1 + (status == FOUND ? 1 : 0));
    recordField(record, length);
    if (status == FOUND) writeVerdict(false);
    boolField(ANOMALY, true);
    noteField(ERROR);
    if (spoofed) boolField(SPOOFED, true);
    return finish(true, true);
  }
  open(kept + added);
  writeMembers();
  if (status == FOUND) {
    writeVerdict(true);
  } else {
    boolField(ANOMALY, true);
    noteField(ERROR);
  }
  if (spoofed) boolField(SPOOFED, true);
  return finish(status == FOUND ? verdictAnomaly : true, status != FOUND);
}

function open(members: i32): void {
  if (format == FORMAT_JSON) writeByte(0x7b);
  else msgpack.writeMapHeader(<u64>members);
}

// Default mode prints surprise and fear with 4 decimals, as VADER prints its compound: 17 digits
// are noise to an operator and cost time. tarkin mode keeps every digit the original computes.
const SCORE_DECIMALS = 4;
const SCORE_SCALE: f64 = 10000;

function scoreField(field: i32, value: f64): void {
  if (surpriseMode() == SURPRISE_TARKIN) numberField(field, value);
  else numberField(field, Math.round(value * SCORE_SCALE) / SCORE_SCALE, SCORE_DECIMALS);
}

function writeVerdict(withAnomaly: bool): void {
  scoreField(SURPRISE, verdictSurprise);
  boolField(INFREQUENT, verdictInfrequent);
  numberField(SENTIMENT, vader.compound, vader.COMPOUND_DECIMALS);
  scoreField(FEAR, verdictFear);
  if (withAnomaly) boolField(ANOMALY, verdictAnomaly);
}

function finish(anomalous: bool, error: bool): usize {
  if (format == FORMAT_JSON) writeByte(0x7d);
  count(STATS_OUT);
  if (anomalous) count(STATS_ANOMALOUS);
  if (error) count(STATS_ERRORS);
  return finishOutput();
}

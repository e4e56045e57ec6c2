// The filter: a record comes in, goes on annotated with tarkin's verdict, or (drop mode) goes on
// only when anomalous. A record that cannot be read is never lost: it goes on, marked anomalous,
// with tarkin_error saying why and its text kept.
import * as json from "./json";
import {
  ensurePack, hasModel, outputMode, OUTPUT_DROP, minimumFear, fieldCount, messageField, fieldStart, fieldLength,
  prefix, prefixLength,
} from "./pack";
import { surprise, passesGate, surpriseMode } from "./surprise";
import * as vader from "./vader";
import { fear, isAnomaly } from "./fear";
import { resize } from "./buffers";

// ---------------------------------------------------------------------------------------------
// The verdict on one message.

export let verdictSurprise: f64 = 0;
export let verdictInfrequent = false;
export let verdictFear: f64 = 0;
export let verdictAnomaly = false;

/** Scores a message (UTF-8): surprise, the gate (its state carries on), sentiment, fear, decision. */
export function scoreMessage(start: usize, end: usize): void {
  verdictSurprise = surprise(start, end);
  verdictInfrequent = passesGate(verdictSurprise);
  vader.polarity_scores(start, end);
  verdictFear = fear(verdictSurprise, vader.compound);
  verdictAnomaly = isAnomaly(surpriseMode(), verdictInfrequent, vader.compound, verdictFear, minimumFear);
}

// Counters since the instance started: records in, out, infrequent, anomalous, errors.
export const stats = memory.data(5 * 8, 8);

// @ts-ignore: decorator
@inline function count(at: i32): void {
  store<f64>(stats + <usize>at * 8, load<f64>(stats + <usize>at * 8) + 1);
}

// ---------------------------------------------------------------------------------------------
// tarkin's own fields: named prefix + suffix; fields of these names already in a record are
// replaced, never duplicated, and the attempt is flagged (an attacker can write JSON into a log).

const SUFFIXES: StaticArray<string> = ["surprise", "infrequent", "sentiment", "fear", "anomaly", "error", "record", "spoofed"];

let keyBuffer: usize = 0;
let keyCapacity: usize = 0;

function isOwnField(keyStart: usize, keyEnd: usize): bool {
  const raw = keyEnd - keyStart;
  if (raw > keyCapacity) {
    keyBuffer = resize(keyBuffer, raw);
    keyCapacity = raw;
  }
  const n = json.decodeString(keyStart, keyEnd, keyBuffer);
  if (n < prefixLength || memory.compare(keyBuffer, prefix, <usize>prefixLength) != 0) return false;
  const rest = n - prefixLength;
  for (let i = 0; i < SUFFIXES.length; i++) {
    const suffix = unchecked(SUFFIXES[i]);
    if (suffix.length != rest) continue;
    let same = true;
    for (let j = 0; j < rest; j++) {
      if (<u32>load<u8>(keyBuffer + prefixLength + j) != <u32>suffix.charCodeAt(j)) {
        same = false;
        break;
      }
    }
    if (same) return true;
  }
  return false;
}

let fieldsWritten = 0;

function writeKey(suffix: string): void {
  if (fieldsWritten++ > 0) json.writeByte(0x2c);
  json.writeByte(0x22);
  json.writeBytes(prefix, <usize>prefixLength);
  json.writeAscii(suffix);
  json.writeAscii("\":");
}

/** Opens the output object and copies the record's members but tarkin's own; returns whether any were dropped. */
function writeKeptMembers(): bool {
  json.writeByte(0x7b);
  fieldsWritten = 0;
  let spoofed = false;
  for (let i = 0; i < json.memberCount; i++) {
    const keyStart = json.memberKeyStart(i);
    if (isOwnField(keyStart, json.memberKeyEnd(i))) {
      spoofed = true;
      continue;
    }
    if (fieldsWritten++ > 0) json.writeByte(0x2c);
    json.writeBytes(keyStart - 1, json.memberKeyEnd(i) + 1 - (keyStart - 1));
    json.writeByte(0x3a);
    json.writeBytes(json.memberValueStart(i), json.memberValueEnd(i) - json.memberValueStart(i));
  }
  return spoofed;
}

function writeBool(value: bool): void {
  json.writeAscii(value ? "true" : "false");
}

// ---------------------------------------------------------------------------------------------
// Finding the message.

const FOUND = 0;
const MISSING = 1;
const NOT_STRING = 2;
/** The message string's content (inside its quotes), or the field whose value is not a string. */
let messageStart: usize = 0;
let messageEnd: usize = 0;
let badField: i32 = -1;

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
      for (let m = 0; m < json.memberCount; m++) {
        if (json.stringEquals(json.memberKeyStart(m), json.memberKeyEnd(m), segment, length)) {
          found = true;
          valueStart = json.memberValueStart(m);
          valueEnd = json.memberValueEnd(m);
        }
      }
    } else if (load<u8>(valueStart) == 0x7b) {
      found = json.findInObject(valueStart, valueEnd, segment, length);
      valueStart = json.foundStart;
      valueEnd = json.foundEnd;
    }
    if (!found) return MISSING;
    top = false;
    if (dot >= stop) break;
    segment = dot + 1;
  }
  if (load<u8>(valueStart) != 0x22) {
    badField = i;
    return NOT_STRING;
  }
  messageStart = valueStart + 1;
  messageEnd = valueEnd - 1;
  return FOUND;
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

function writeFieldNames(): void {
  for (let i = 0; i < fieldCount; i++) {
    if (i > 0) json.writeAscii(", ");
    messageField(i);
    json.writeBytes(fieldStart, <usize>fieldLength);
  }
}

// ---------------------------------------------------------------------------------------------

let message: usize = 0;
let messageCapacity: usize = 0;
const EMPTY = memory.data(8); // the empty string: drop the record

/** One JSON record through the filter; returns the NUL-terminated record that goes on, or "" to drop it. */
export function filterJson(record: usize, length: usize): usize {
  count(0);
  const packed = ensurePack();
  json.beginOutput(length + 160);
  if (record == 0 || !json.parseRecord(record, length)) {
    // Not a JSON object: carry its text as a string.
    json.writeByte(0x7b);
    fieldsWritten = 0;
    writeKey("record");
    json.writeString(record, record == 0 ? 0 : length);
    writeKey("anomaly");
    writeBool(true);
    writeKey("error");
    json.writeByte(0x22);
    json.writeAscii(record == 0 ? "the record could not be copied into the module" : "unreadable record: ");
    if (record != 0) json.writeAscii(json.failure);
    json.writeByte(0x22);
    return finish(true, true);
  }
  const spoofed = writeKeptMembers();
  const found = packed && hasModel ? findMessage() : -1;
  if (found != FOUND) {
    writeKey("anomaly");
    writeBool(true);
    writeKey("error");
    json.writeByte(0x22);
    if (found < 0) json.writeAscii("this module has no packed model: build one with tarkin pack");
    else if (found == MISSING) {
      json.writeAscii("no message field (looked for ");
      writeFieldNames();
      json.writeAscii(")");
    } else {
      json.writeAscii("message field ");
      messageField(badField);
      json.writeBytes(fieldStart, <usize>fieldLength);
      json.writeAscii(" is not a string");
    }
    json.writeByte(0x22);
    if (spoofed) writeSpoofed();
    return finish(true, true);
  }
  const raw = messageEnd - messageStart;
  if (raw > messageCapacity) {
    message = resize(message, raw);
    messageCapacity = raw;
  }
  const n = json.decodeString(messageStart, messageEnd, message);
  scoreMessage(message, message + n);
  if (outputMode == OUTPUT_DROP && !verdictAnomaly && !spoofed) {
    if (verdictInfrequent) count(2);
    return EMPTY;
  }
  writeKey("surprise");
  json.writeNumber(verdictSurprise);
  writeKey("infrequent");
  writeBool(verdictInfrequent);
  writeKey("sentiment");
  json.writeNumber(vader.compound);
  writeKey("fear");
  json.writeNumber(verdictFear);
  writeKey("anomaly");
  writeBool(verdictAnomaly);
  if (spoofed) writeSpoofed();
  if (verdictInfrequent) count(2);
  return finish(verdictAnomaly, false);
}

function writeSpoofed(): void {
  writeKey("spoofed");
  writeBool(true);
}

function finish(anomalous: bool, error: bool): usize {
  json.writeByte(0x7d);
  count(1);
  if (anomalous) count(3);
  if (error) count(4);
  return json.finishOutput();
}

// Entry points of the module. The host writes a record into the input buffer and calls one
// function; results land in a fixed block of f64s, so a record costs no allocation either way.
import { ensurePack, packArea, PACK_CAPACITY } from "./pack";
import * as vader from "./vader";
import {
  surprise, passesGate, train as trainModel, modelBytes, saveModel, modelCharacters, surpriseMode,
  gateCount, gateMean, gateVariance, gateMaximum, resetGate,
} from "./surprise";
import { fear, isAnomaly } from "./fear";
import { lowerBegin, lowerNext, encodeAt } from "./utf8";
import { resize } from "./buffers";

// Results of the last call: surprise, infrequent, neg, neu, pos, compound, fear, anomaly.
const results = memory.data(8 * 8, 8);
const R_SURPRISE = 0;
const R_INFREQUENT = 8;
const R_NEG = 16;
const R_NEU = 24;
const R_POS = 32;
const R_COMPOUND = 40;
const R_FEAR = 48;
const R_ANOMALY = 56;

// The input buffer grows to the largest record seen and is then reused.
let inputBuffer: usize = 0;
let inputCapacity: usize = 0;
let outputBuffer: usize = 0;
let outputCapacity: usize = 0;

function reserveOutput(size: usize): usize {
  if (size > outputCapacity) {
    outputBuffer = resize(outputBuffer, size);
    outputCapacity = size;
  }
  return outputBuffer;
}

/** A buffer of at least `length` bytes for the next record. */
export function input(length: i32): usize {
  if (<usize>length > inputCapacity) {
    inputBuffer = resize(inputBuffer, <usize>length);
    inputCapacity = <usize>length;
  }
  return inputBuffer;
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
  return ensurePack();
}

function writeSentiment(): void {
  store<f64>(results, vader.neg, R_NEG);
  store<f64>(results, vader.neu, R_NEU);
  store<f64>(results, vader.pos, R_POS);
  store<f64>(results, vader.compound, R_COMPOUND);
}

/** VADER sentiment of the input's first `length` bytes. */
export function sentiment(length: i32): void {
  ensurePack();
  vader.polarity_scores(inputBuffer, inputBuffer + length);
  writeSentiment();
}

/** Scores one message: surprise, the gate, sentiment, fear and the decision. */
export function score(length: i32): void {
  ensurePack();
  const end = inputBuffer + length;
  const value = surprise(inputBuffer, end);
  const infrequent = passesGate(value);
  vader.polarity_scores(inputBuffer, end);
  writeSentiment();
  store<f64>(results, value, R_SURPRISE);
  store<f64>(results, infrequent ? 1 : 0, R_INFREQUENT);
  store<f64>(results, fear(value, vader.compound), R_FEAR);
  store<f64>(results, isAnomaly(surpriseMode(), infrequent, vader.compound) ? 1 : 0, R_ANOMALY);
}

/** Trains the model on one message. */
export function train(length: i32): void {
  ensurePack();
  trainModel(inputBuffer, inputBuffer + length);
}

export function model_characters(): i32 {
  ensurePack();
  return modelCharacters();
}

/** Writes the model's bytes (the pack's model layout) and returns where; model_bytes() says how many. */
export function model_save(): usize {
  ensurePack();
  const p = reserveOutput(<usize>modelBytes());
  saveModel(p);
  return p;
}

export function model_bytes(): i32 {
  return modelBytes();
}

/** The gate's statistics (n, mean, variance, max) into the result block's first four f64s. */
export function gate_state(): usize {
  store<f64>(results, gateCount(), 0);
  store<f64>(results, gateMean(), 8);
  store<f64>(results, gateVariance(), 16);
  store<f64>(results, gateMaximum(), 24);
  return results;
}

export function gate_reset(): void {
  resetGate();
}

/** The input lowercased as the model sees it (UTF-8); returns where, lowercase_bytes() says how many. */
let lowercaseLength: i32 = 0;
export function lowercase(length: i32): usize {
  const p = reserveOutput(<usize>length * 3 + 4);
  let n = 0;
  lowerBegin(inputBuffer, inputBuffer + length);
  while (true) {
    const cp = lowerNext();
    if (cp < 0) break;
    n += encodeAt(p + n, <u32>cp);
  }
  lowercaseLength = n;
  return p;
}

export function lowercase_bytes(): i32 {
  return lowercaseLength;
}

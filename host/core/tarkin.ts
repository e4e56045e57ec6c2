// A tarkin module instance, driven from the host: write a record into the module's input buffer,
// call one entry point, read the result block. The module keeps its state (the gate, a model being
// trained) between calls, as it does inside a log shipper.
import { modelFromBytes, type Model } from "./model.js";

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
}

export interface GateState {
  n: number;
  mean: number;
  variance: number;
  max: number;
}

interface Exports {
  memory: WebAssembly.Memory;
  input(length: number): number;
  result_block(): number;
  has_pack(): number;
  sentiment(length: number): void;
  score(length: number): void;
  train(length: number): void;
  model_save(): number;
  model_bytes(): number;
  model_characters(): number;
  gate_state(): number;
  gate_reset(): void;
  lowercase(length: number): number;
  lowercase_bytes(): number;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export class Tarkin {
  private constructor(private readonly x: Exports) {}

  static fromBytes(wasm: Uint8Array): Tarkin {
    const instance = new WebAssembly.Instance(new WebAssembly.Module(wasm as BufferSource), {});
    return new Tarkin(instance.exports as unknown as Exports);
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

  private results(): Float64Array {
    return new Float64Array(this.x.memory.buffer, this.x.result_block(), 8);
  }

  sentiment(text: string | Uint8Array): Sentiment {
    this.x.sentiment(this.put(text));
    const r = this.results();
    return { neg: r[2], neu: r[3], pos: r[4], compound: r[5] };
  }

  score(text: string | Uint8Array): Score {
    this.x.score(this.put(text));
    const r = this.results();
    return {
      surprise: r[0], infrequent: r[1] !== 0, neg: r[2], neu: r[3], pos: r[4], compound: r[5], fear: r[6], anomaly: r[7] !== 0,
    };
  }

  train(text: string | Uint8Array): void {
    this.x.train(this.put(text));
  }

  model(): Model {
    const at = this.x.model_save();
    return modelFromBytes(new Uint8Array(this.x.memory.buffer, at, this.x.model_bytes()).slice());
  }

  gate(): GateState {
    const r = new Float64Array(this.x.memory.buffer, this.x.gate_state(), 4);
    return { n: r[0], mean: r[1], variance: r[2], max: r[3] };
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

// Bounded memory and no allocation per record, over 60,000 records of each format (the largest
// record among them); test/module/memory.volume.test.ts runs the same over a million.
import { describeMemory } from "./memory.suite.js";

describeMemory({ json: 60_000, msgpack: 60_000 });

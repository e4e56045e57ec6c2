// Bounded memory and no allocation per record, over 1,000,000 JSON and 200,000 msgpack records.
import { describeMemory } from "./memory.suite.js";

describeMemory({ json: 1_000_000, msgpack: 200_000 });

// The hostile-input properties (test/module/hostile.properties.ts) over 4 seeded batches of 10,000 generated
// records; test/module/hostile.property.volume.test.ts checks 1,000,000.
import { describeHostileProperties } from "./hostile.properties.js";

describeHostileProperties({ batches: 4, perBatch: 10_000 });

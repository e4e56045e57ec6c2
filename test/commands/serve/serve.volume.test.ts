// tarkin serve's socket mode over 100,000 events (test/commands/serve/serve.test.ts runs the same over 10,000, and
// everything else about the socket mode). The throughput it prints is the one the README quotes.
import { describe } from "vitest";
import { itCarriesConcurrently } from "./serve.helpers.js";

describe("tarkin serve", () => {
  itCarriesConcurrently(100_000);
});

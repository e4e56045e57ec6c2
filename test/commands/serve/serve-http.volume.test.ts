// tarkin serve --http over 100,000 events, beside the socket mode (test/commands/serve/serve-http.test.ts runs the
// same over 10,000, and everything else about the HTTP mode). The throughputs it prints are the ones
// the README quotes.
import { describe } from "vitest";
import { itCarriesBatches } from "./serve-http.helpers.js";

describe("tarkin serve --http", () => {
  itCarriesBatches(200);
});

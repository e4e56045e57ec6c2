// The model file (host/core/module/model.ts): what parseModel refuses, and that the bytes the
// module saves and loads read back as the same model.
import { describe, expect, it } from "vitest";
import { SKETCH_COUNTERS, modelFromBytes, modelToBytes, parseModel } from "../../../host/core/module/model.js";
import { MODEL_VERSION } from "../../../host/core/module/layouts.js";
import { packedTarkin } from "../../helpers.js";

describe("the model file", () => {
  const trainer = packedTarkin();
  for (const line of ["Accepted password for alice from 10.0.0.5 port 52113 ssh2", "session closed for user bob"]) trainer.train(line);
  const model = trainer.model();

  it("reads back as written, through JSON and through the module's bytes", () => {
    expect(model.version).toBe(MODEL_VERSION);
    expect(parseModel(JSON.stringify(model), "m.json")).toEqual(model);
    const { messages, characters, fields } = modelFromBytes(modelToBytes(model));
    expect({ messages, characters, fields }).toEqual({ messages: model.messages, characters: model.characters, fields: model.fields });
  });

  it("refuses a model of an earlier version, saying to train it again", () => {
    for (const version of [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]) {
      expect(() => parseModel(JSON.stringify({ ...model, version }), "old.json")).toThrow(new RegExp(`old.json: model version ${version} .*train it again`));
    }
    expect(() => parseModel(JSON.stringify({ ...model, version: MODEL_VERSION + 1 }), "new.json")).toThrow(/not supported/);
  });

  it("refuses a counter outside the sketch", () => {
    const counters = [SKETCH_COUNTERS, 1];
    expect(() => parseModel(JSON.stringify({ ...model, fields: { ...model.fields, counters } }), "bad.json")).toThrow(/bad.json: field counter 0: index/);
  });
});

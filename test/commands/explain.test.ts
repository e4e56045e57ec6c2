// tarkin explain end to end: the sections and JSON behind one message's verdict.
import { describe, expect, it } from "vitest";
import { useTestDirectory, runHere as run, ok, fails, write, packed } from "./cli.helpers.js";

useTestDirectory();

describe("tarkin explain", () => {
  const MESSAGE = "Failed password for invalid user admin";

  it("prints the surprise, sentiment, fear and decision sections", async () => {
    const out = ok(await run(["explain", MESSAGE])).stdout;
    expect(out).toContain(JSON.stringify(MESSAGE));
    for (const section of ["surprise", "sentiment", "fear", "decision"]) expect(out).toMatch(new RegExp(`^${section} +\\S`, "m"));
    expect(out).toMatch(/^surprise +\d\.\d{4} \(default mode\)/m);
    expect(out).toMatch(/^ +Failed +-2\.3/m);
  });

  it("--json parses, with the fields behind the surprise and the words behind the sentiment", async () => {
    const j = JSON.parse(ok(await run(["explain", MESSAGE, "--json"])).stdout);
    expect(j.message).toBe(MESSAGE);
    expect(j.mode).toBe("default");
    expect(typeof j.surprise.surprise).toBe("number");
    expect(Array.isArray(j.surprise.fields)).toBe(true);
    const tarkin = JSON.parse(ok(await run(["explain", MESSAGE, "--json", "--surprise", "tarkin"])).stdout);
    expect(tarkin.surprise.characters.length).toBeGreaterThan(0);
    expect(tarkin.surprise.characters[0]).toEqual(
      expect.objectContaining({ char: expect.any(String), expected: expect.any(Number), spread: expect.any(Number), contribution: expect.any(Number) }),
    );
    const words = j.sentiment.words as { word: string; valence: number | null }[];
    expect(words.map((w) => w.word)).toEqual(MESSAGE.split(" "));
    const valued = words.filter((w) => (w.word === "invalid" || w.word === "Failed") && typeof w.valence === "number");
    expect(valued.length).toBeGreaterThan(0);
    expect(j.sentiment.sentiment.compound).toBeLessThan(0);
    expect(j.fear).toBeGreaterThanOrEqual(0);
    expect(j.fear).toBeLessThanOrEqual(1);
    expect(j.negativeEnough).toBe(true);
  });

  it("names the field whose value has a shape training never saw, and how many values training saw", async () => {
    write("shop.log", Array.from({ length: 300 }, (_, i) => `GET /shop/item.jsp?id=${i * 7} HTTP/1.1 200`).join("\n") + "\n");
    ok(await run(["train", "shop.log", "-o", "shop.json"]));
    ok(await run(["pack", "--model", "shop.json", "-o", "shop.wasm"]));
    const attack = "GET /shop/item.jsp?id=1%27+union+select+password+from+users-- HTTP/1.1 200";
    const j = JSON.parse(ok(await run(["explain", attack, "--wasm", "shop.wasm", "--json"])).stdout);
    expect(j.surprise.surprise).toBeGreaterThanOrEqual(0.5);
    expect(j.anomaly).toBe(true);
    expect(j.surprise.fields[0]).toEqual({ evidence: "field", field: "id=", shape: "^0'", count: 0, values: 300, decades: expect.any(Number) });
    expect(j.surprise.fields).toContainEqual(expect.objectContaining({ evidence: "syntax", field: "id=", syntax: ["sql"] }));
    const normal = JSON.parse(ok(await run(["explain", "GET /shop/item.jsp?id=4242 HTTP/1.1 200", "--wasm", "shop.wasm", "--json"])).stdout);
    expect(normal.surprise).toMatchObject({ surprise: 0, covered: true, fields: [] });
    // A line of another log: its fields unknown to the model, so not covered; with no attack syntax, no field surprise.
    const foreign = "[Sun Dec 04 04:47:44 2005] [error] mod_jk child workerEnv in error state 6";
    expect(JSON.parse(ok(await run(["explain", foreign, "--wasm", "shop.wasm", "--json"])).stdout).surprise).toMatchObject({ surprise: 0, covered: false, fields: [] });
    expect(ok(await run(["explain", foreign, "--wasm", "shop.wasm"])).stdout).toMatch(/^ +\d+ of its \d+ fields known to the model: under half, so not covered/m);
    // The same line with an injection in it: the value holding attack syntax is judged all the same.
    const foreignAttack = JSON.parse(ok(await run(["explain", `${foreign} user=admin'--`, "--wasm", "shop.wasm", "--json"])).stdout);
    expect(foreignAttack.surprise.covered).toBe(false);
    expect(foreignAttack.anomaly).toBe(true);
    expect(ok(await run(["explain", attack, "--wasm", "shop.wasm"])).stdout).toMatch(/^ +id= +\+\d+\.\d\d decades +sql syntax, 37 bytes, far longer than its values, '\^0'' 0\/300/m);
  });

  it("names an address's network that its field never held, in words", async () => {
    const users = ["alice", "bob", "carol"];
    const offices = ["10.8.1.5", "10.8.40.7", "2a02:8108:1f00::5"];
    write("auth.log", Array.from({ length: 300 }, (_, i) => `Accepted publickey for ${users[i % 3]} from ${offices[(i >> 2) % 3]} port ${40000 + i} ssh2`).join("\n") + "\n");
    ok(await run(["train", "auth.log", "-o", "auth.json"]));
    ok(await run(["pack", "--model", "auth.json", "-o", "auth.wasm"]));
    const abroad = "Accepted publickey for carol from 185.220.101.245 port 51234 ssh2";
    const out = ok(await run(["explain", abroad, "--wasm", "auth.wasm"])).stdout;
    expect(out).toMatch(/^ +after from +\+4\.00 decades +an address of a network it never held \(its 300 addresses came from a few\)/m);
    expect(out).toMatch(/^decision +.*\n +anomalous/m);
    expect(JSON.parse(ok(await run(["explain", "Accepted publickey for carol from 10.8.77.1 port 51234 ssh2", "--wasm", "auth.wasm", "--json"])).stdout).surprise.surprise).toBe(0);
  });

  it("takes settings for the embedded default, and a packed module with --wasm", async () => {
    expect(JSON.parse(ok(await run(["explain", MESSAGE, "--json", "--surprise", "tarkin"])).stdout).mode).toBe("tarkin");
    await packed("t.wasm", ["--surprise", "tarkin"]);
    expect(ok(await run(["explain", MESSAGE, "--wasm", "t.wasm"])).stdout).toContain("(tarkin mode)");
    fails(await run(["explain", MESSAGE, "--wasm", "t.wasm", "--surprise", "default"]), "repack");
  });

  it("fails without a message, and on a --wasm that is not wasm", async () => {
    fails(await run(["explain"]), "message");
    write("notes.txt", "hello\n");
    fails(await run(["explain", MESSAGE, "--wasm", "notes.txt"]), /notes\.txt: not a WebAssembly module/);
  });
});

import { sentimentText } from "../../sentiment/text";

/** The text the sentiment reads of `message` (ASCII), its first JSON key opening at `from` (-1: none), as a string. */
function textOf(message: string, from: i32 = -1): string {
  const bytes = String.UTF8.encode(message);
  const start = changetype<usize>(bytes);
  const end = start + <usize>bytes.byteLength;
  return String.UTF8.decodeUnsafe(sentimentText(start, end, from < 0 ? 0 : start + <usize>from), end - start);
}

/** textOf a JSON object, its first key where its first '"' is. */
function jsonTextOf(message: string): string {
  return textOf(message, message.indexOf('"'));
}

/** `message` with every character blanked but those of `kept`, each found after the last. */
function keeping(message: string, kept: string[]): string {
  let out = "";
  let at = 0;
  for (let i = 0; i < kept.length; i++) {
    const found = message.indexOf(kept[i], at);
    out += " ".repeat(found - at) + kept[i];
    at = found + kept[i].length;
  }
  return out + " ".repeat(message.length - at);
}

describe("the text the sentiment reads", () => {
  it("is the message itself where it has no JSON member", () => {
    expect(textOf("Failed password for root")).toBe("Failed password for root");
  });

  it("of a JSON object: from its first key, its string values where they lie, keys, punctuation and numbers blanked", () => {
    const compact = '{"msg":"login failed","user":"bob","status":401}';
    expect(jsonTextOf(compact)).toBe(keeping(compact, ["{", "login failed", "bob"]));
    const spaced = '{ "msg": "bad \\"token\\"", "ok": true }';
    expect(jsonTextOf(spaced)).toBe(keeping(spaced, ["{", 'bad \\"token\\"']));
    const nested = '{"error":{"reason":"denied"}}';
    expect(jsonTextOf(nested)).toBe(keeping(nested, ["{", "denied"]));
  });

  it("after a prefix: the prefix as written, then the object's values", () => {
    const line = 'Mar  5 10:00:01 web app[311]: {"msg":"login failed","user":"bob"}';
    expect(jsonTextOf(line)).toBe(keeping(line, ["Mar  5 10:00:01 web app[311]: {", "login failed", "bob"]));
  });

  it("of a truncated JSON object: what it holds", () => {
    expect(jsonTextOf('{"msg":"login fai')).toBe(keeping('{"msg":"login fai', ["{", "login fai"]));
    expect(jsonTextOf('{"msg":"x\\')).toBe(keeping('{"msg":"x\\', ["{", "x\\"]));
  });
});

import { learnFields, fieldSurprise, explainFields, explainedAddress, explainedGrams, explainedDecades, resetFields, surpriseOfDecades, countedFields, knownFields, RARE_DECADES, VERY_UNUSUAL_DECADES } from "../fields";

function text(s: string): usize {
  return changetype<usize>(String.UTF8.encode(s));
}
function length(s: string): usize {
  return <usize>String.UTF8.byteLength(s);
}
function learn(s: string): void {
  const p = text(s);
  learnFields(p, p + length(s));
}
function surprise(s: string): f64 {
  const p = text(s);
  return fieldSurprise(p, p + length(s));
}
function decades(s: string): f64 {
  const p = text(s);
  explainFields(p, p + length(s));
  return explainedDecades;
}
/** Training: n requests whose id is a number and whose name is a word, as a shop's log has them. */
function trainShop(n: i32): void {
  for (let i = 0; i < n; i++) learn("GET /shop/item.jsp?id=" + (1000 + i * 7).toString() + "&name=" + (i % 2 == 0 ? "Lemon" : "apple+pie") + " HTTP/1.1");
}

describe("the field model", () => {
  beforeEach(() => {
    resetFields();
  });

  it("finds nothing unusual in a message shaped like training, digits and letters of any value", () => {
    trainShop(1000);
    expect(surprise("GET /shop/item.jsp?id=31&name=Orange HTTP/1.1")).toBe(0);
    expect(surprise("GET /shop/item.jsp?id=99999999&name=kiwi+tart HTTP/1.1")).toBe(0);
  });

  it("scores a value whose shape its field never held", () => {
    trainShop(1000);
    const injected = decades("GET /shop/item.jsp?id=1%27+or+1%3D1--&name=Lemon HTTP/1.1");
    expect(injected).toBeGreaterThan(VERY_UNUSUAL_DECADES);
    // An unseen trigram in a field of n values: log10((n + 2) / 1) - RARE_DECADES.
    const at = explainedAddress();
    expect(load<f64>(at, 16)).toBe(0); // its count
    expect(load<f64>(at, 24)).toBe(1000); // the field's values in training
    expect(load<f64>(at, 32)).toBeCloseTo(Math.log10(1002) - RARE_DECADES, 12);
  });

  it("keeps fields apart: a name's shape is unusual in the id field", () => {
    trainShop(1000);
    expect(decades("GET /shop/item.jsp?id=apple+pie&name=Lemon HTTP/1.1")).toBeGreaterThan(0);
    expect(decades("GET /shop/item.jsp?id=12&name=Lemon HTTP/1.1")).toBe(0);
  });

  it("decodes percent escapes, twice-encoded ones too, and '+' as a space", () => {
    trainShop(1000);
    const plain = decades("GET /shop/item.jsp?id=1'+or+1=1--&name=Lemon HTTP/1.1");
    expect(decades("GET /shop/item.jsp?id=1%27%20or%201%3D1--&name=Lemon HTTP/1.1")).toBe(plain);
    expect(decades("GET /shop/item.jsp?id=1%2527%2520or%25201%253D1--&name=Lemon HTTP/1.1")).toBe(plain);
  });

  it("names a token that is not key=value by the token before it: a path where a path belongs", () => {
    trainShop(1000);
    expect(decades("GET /shop/item.jsp?id=7&name=Lemon HTTP/1.1")).toBe(0);
    expect(decades("GET /shop/../../etc/passwd HTTP/1.1")).toBeGreaterThan(VERY_UNUSUAL_DECADES);
  });

  it("says nothing of a field it has not seen often enough to know", () => {
    for (let i = 0; i < 20; i++) learn("user=alice");
    // 1 in 22 is not rarer than 1 in 10^1.5: too few values to call anything rare.
    expect(decades("user=<script>")).toBe(0);
  });

  it("maps decades to a surprise in [0, 1), one half at very unusual", () => {
    expect(surpriseOfDecades(0)).toBe(0);
    expect(surpriseOfDecades(VERY_UNUSUAL_DECADES)).toBe(0.5);
    expect(surpriseOfDecades(1e9)).toBeLessThan(1);
    trainShop(200);
    const p = text("GET /shop/item.jsp?id=<script>&name=Lemon HTTP/1.1");
    const n = length("GET /shop/item.jsp?id=<script>&name=Lemon HTTP/1.1");
    expect(fieldSurprise(p, p + n)).toBe(surpriseOfDecades(decades("GET /shop/item.jsp?id=<script>&name=Lemon HTTP/1.1")));
    expect(explainedGrams).toBeGreaterThan(0);
  });
});

describe("fields named by the token before them", () => {
  beforeEach(() => {
    resetFields();
  });

  it("follow the word before them, wherever the line puts it", () => {
    for (let i = 0; i < 1000; i++) learn("Jan 5 10:00:0" + (i % 10).toString() + " host sshd[" + i.toString() + "]: Accepted password for bob from 10.0.0." + (i % 250).toString() + " port " + (40000 + i).toString() + " ssh2");
    // No prefix, another user: every token is where the word before it says.
    expect(decades("Accepted password for alice from 192.168.1.7 port 2222 ssh2")).toBe(0);
    // A name where an address belongs.
    expect(decades("Accepted password for alice from evil.example port 2222 ssh2")).toBeGreaterThan(0);
  });
});

describe("familiarity", () => {
  beforeEach(() => {
    resetFields();
  });

  it("scores nothing in a line of a log the model was not trained on", () => {
    trainShop(1000);
    // Every field is new: each value would look rare, and that says nothing of an attack.
    expect(decades("[Sun Dec 04 04:47:44 2005] [error] mod_jk child workerEnv in error state 6")).toBe(0);
    expect(explainedGrams).toBe(0);
    expect(knownFields * 4).toBeLessThan(countedFields * 3);
  });

  it("does not count the field after a rare token against the message", () => {
    trainShop(1000);
    // The path is rare where a path belongs, so "HTTP/1.1" comes after a token never seen there.
    expect(decades("GET /shop/../../etc/passwd HTTP/1.1")).toBeGreaterThan(VERY_UNUSUAL_DECADES);
    expect(countedFields).toBe(2);
    expect(knownFields).toBe(2);
  });

  it("scores as many rare values as a message holds, the same as explain", () => {
    trainShop(1000);
    let line = "GET /shop/item.jsp?id=1";
    for (let i = 0; i < 100; i++) line += "&id=<" + i.toString() + ">";
    const p = text(line);
    const n = length(line);
    expect(fieldSurprise(p, p + n)).toBe(surpriseOfDecades(decades(line)));
    expect(decades(line)).toBeGreaterThan(100 * VERY_UNUSUAL_DECADES);
  });
});

import { attackSyntax, isSyntaxByte, mayHoldSyntax, mayHoldUrl, internalUrlSyntax } from "../../models/syntax";
import { SYNTAX_SQL, SYNTAX_MARKUP, SYNTAX_SHELL, SYNTAX_TRAVERSAL, SYNTAX_TEMPLATE, SYNTAX_INTERNAL_URL } from "../../base/layouts";

function syntaxOf(s: string): u32 {
  const bytes = String.UTF8.encode(s);
  const p = changetype<usize>(bytes);
  const end = p + <usize>bytes.byteLength;
  // As the field model asks (fields.ts judgeRareValues).
  return mayHoldSyntax(p, end) ? attackSyntax(p, end) : mayHoldUrl(p, end) ? internalUrlSyntax(p, end) : 0;
}

describe("attack syntax", () => {
  it("is looked for only where a value holds a byte isSyntaxByte marks, as readToken's mark skips the rest", () => {
    const value = memory.data(4);
    for (let b: u32 = 0; b < 256; b++) {
      store<u32>(value, b * 0x01010101);
      if (!isSyntaxByte(b)) expect(mayHoldSyntax(value, value + 4)).toBe(false, `byte ${b}`);
      else if (b != 0x25) expect(mayHoldSyntax(value, value + 4)).toBe(true, `byte ${b}`);
    }
    expect(isSyntaxByte(0x25)).toBe(true); // '%': it may encode one
    expect(isSyntaxByte(0x61)).toBe(false);
    expect(isSyntaxByte(0x20)).toBe(false);
  });

  it("finds SQL after a quote or a number, in calls, comments and UNION ... SELECT", () => {
    expect(syntaxOf("1' or '1'='1")).toBe(SYNTAX_SQL);
    expect(syntaxOf("1%27+or+%271%27%3D%271")).toBe(SYNTAX_SQL);
    expect(syntaxOf("1%2527%20or%201=1")).toBe(SYNTAX_SQL);
    expect(syntaxOf("-5365 or 7517=5726--")).toBe(SYNTAX_SQL);
    expect(syntaxOf("1) where 1013=1013 and sleep(5)#")).toBe(SYNTAX_SQL);
    expect(syntaxOf("x union all select null,null--")).toBe(SYNTAX_SQL);
    expect(syntaxOf("1 and sleep/**/(5)")).toBe(SYNTAX_SQL);
    expect(syntaxOf("1))) order by 1#")).toBe(SYNTAX_SQL);
    expect(syntaxOf("1'+(select x where 1943=1943)+'")).toBe(SYNTAX_SQL);
    expect(syntaxOf("1; DROP TABLE users")).toBe(SYNTAX_SQL); // a statement stacked after a ';'
    expect(syntaxOf("x;select password from users")).toBe(SYNTAX_SQL);
    expect(syntaxOf("1;truncate table logs")).toBe(SYNTAX_SQL);
    expect(syntaxOf("1; select a, b from t")).toBe(SYNTAX_SQL);
  });

  it("finds markup, shell, traversal and template lookups", () => {
    expect(syntaxOf("<script>alert(1)</script>")).toBe(SYNTAX_MARKUP);
    expect(syntaxOf("\" onmouseover=alert(1)")).toBe(SYNTAX_MARKUP);
    expect(syntaxOf("javascript:alert(1)")).toBe(SYNTAX_MARKUP);
    expect(syntaxOf("&{document.cookie=true;};")).toBe(SYNTAX_MARKUP);
    expect(syntaxOf("x; cat /etc/passwd")).toBe(SYNTAX_SHELL);
    expect(syntaxOf("a|/bin/id")).toBe(SYNTAX_SHELL);
    expect(syntaxOf("$(whoami)")).toBe(SYNTAX_SHELL);
    expect(syntaxOf("%0Aid")).toBe(SYNTAX_SHELL); // a command on a line of its own
    expect(syntaxOf("x%0d%0acat /etc/passwd")).toBe(SYNTAX_SHELL);
    expect(syntaxOf("../../etc/passwd")).toBe(SYNTAX_TRAVERSAL);
    expect(syntaxOf("..%5c..%5cwindows")).toBe(SYNTAX_TRAVERSAL);
    expect(syntaxOf("%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd")).toBe(SYNTAX_TRAVERSAL); // overlong UTF-8 dots
    expect(syntaxOf("..%c0%af..%c0%afetc")).toBe(SYNTAX_TRAVERSAL); // overlong slashes
    expect(syntaxOf("%25c0%25ae%25c0%25ae/etc/passwd")).toBe(SYNTAX_TRAVERSAL); // and encoded twice
    expect(syntaxOf("${jndi:ldap://x/a}")).toBe(SYNTAX_TEMPLATE);
    expect(syntaxOf("{{7*7}}")).toBe(SYNTAX_TEMPLATE);
  });

  it("finds a URL the server would fetch from itself, its network or its own files (SSRF), not one of the web", () => {
    expect(syntaxOf("http://localhost:8080/actuator/env")).toBe(SYNTAX_INTERNAL_URL);
    expect(syntaxOf("http%3A%2F%2F127.0.0.1%3A6379%2F")).toBe(SYNTAX_INTERNAL_URL);
    expect(syntaxOf("http://169.254.169.254/latest/meta-data/iam/security-credentials/")).toBe(SYNTAX_INTERNAL_URL);
    expect(syntaxOf("http://metadata.google.internal/computeMetadata/v1/")).toBe(SYNTAX_INTERNAL_URL);
    expect(syntaxOf("https://user@10.0.3.7/admin")).toBe(SYNTAX_INTERNAL_URL);
    expect(syntaxOf("http://172.20.0.1/")).toBe(SYNTAX_INTERNAL_URL);
    expect(syntaxOf("http://192.168.1.1/cgi-bin/")).toBe(SYNTAX_INTERNAL_URL);
    expect(syntaxOf("http://[::1]:22/")).toBe(SYNTAX_INTERNAL_URL);
    expect(syntaxOf("http://2130706433/")).toBe(SYNTAX_INTERNAL_URL); // 127.0.0.1 as one number
    expect(syntaxOf("file:///etc/passwd")).toBe(SYNTAX_INTERNAL_URL);
    expect(syntaxOf("gopher://127.0.0.1:25/_HELO")).toBe(SYNTAX_INTERNAL_URL);
    expect(syntaxOf("php://filter/convert.base64-encode/resource=index")).toBe(SYNTAX_INTERNAL_URL);
    // Its scheme or slashes escaped.
    expect(syntaxOf("h%74tp://127.0.0.1/admin")).toBe(SYNTAX_INTERNAL_URL);
    expect(syntaxOf("http:%2F%2F169.254.169.254/")).toBe(SYNTAX_INTERNAL_URL);
    expect(syntaxOf("%66ile:///etc/passwd")).toBe(SYNTAX_INTERNAL_URL);
    expect(syntaxOf("http:/127.0.0.1/")).toBe(0);
    // The web: a public host, a private-looking name, a 172 outside the private block, a JNDI lookup's host.
    expect(syntaxOf("https://www.google.com/search?q=rain")).toBe(0);
    expect(syntaxOf("https://hooks.slack.com/services/T000/B000/XXX")).toBe(0);
    expect(syntaxOf("http://172.217.16.142/")).toBe(0);
    expect(syntaxOf("http://10news.example.com/")).toBe(0);
    expect(syntaxOf("${jndi:ldap://x/a}")).toBe(SYNTAX_TEMPLATE);
    // A URL is only that: no other syntax is looked for in one (onsale=, "or like").
    expect(syntaxOf("https://shop.example.com/?onsale=1")).toBe(0);
    expect(syntaxOf("https://shop.example.com/search?q=cats+or+dogs+like+me")).toBe(0);
    // The host follows the last '@' of the authority, which ends at / ? # or \\.
    expect(syntaxOf("http://127.0.0.1#@evil.com/")).toBe(SYNTAX_INTERNAL_URL);
    expect(syntaxOf("http://a@b@127.0.0.1/")).toBe(SYNTAX_INTERNAL_URL);
    expect(syntaxOf("http://evil.com?x=a@10.0.0.1")).toBe(0);
    // An address in any form inet_aton reads, a trailing dot, IPv6 forms, a cloud's metadata.
    expect(syntaxOf("http://0x7f000001/")).toBe(SYNTAX_INTERNAL_URL);
    expect(syntaxOf("http://0177.0.0.1/")).toBe(SYNTAX_INTERNAL_URL);
    expect(syntaxOf("http://127.1/")).toBe(SYNTAX_INTERNAL_URL);
    expect(syntaxOf("http://localhost./")).toBe(SYNTAX_INTERNAL_URL);
    expect(syntaxOf("http://[::ffff:127.0.0.1]/")).toBe(SYNTAX_INTERNAL_URL);
    expect(syntaxOf("http://[fd00:ec2::254]/latest/meta-data/")).toBe(SYNTAX_INTERNAL_URL);
    expect(syntaxOf("http://100.100.100.200/latest/meta-data/")).toBe(SYNTAX_INTERNAL_URL);
    // Names that start like a private address, a public one as one number, a URL inside another, a broken one.
    expect(syntaxOf("http://10.example.com/")).toBe(0);
    expect(syntaxOf("http://192.168.example.com/")).toBe(0);
    expect(syntaxOf("http://134744072/")).toBe(0); // 8.8.8.8
    expect(syntaxOf("https://accounts.google.com/o?redirect_uri=http%3A%2F%2Flocalhost%3A3000%2Fcb")).toBe(0);
    expect(syntaxOf("http://[::1")).toBe(0);
  });

  it("finds none in what people write: names, prose, prices, paths, dates", () => {
    expect(syntaxOf("O'Brien")).toBe(0);
    expect(syntaxOf("d'or")).toBe(0);
    expect(syntaxOf("rock and roll")).toBe(0);
    expect(syntaxOf("sort (by price) in order by date")).toBe(0);
    expect(syntaxOf("where (the) shop is")).toBe(0);
    expect(syntaxOf("salt & pepper (fine)")).toBe(0);
    expect(syntaxOf("Tom & Jerry; the movie")).toBe(0);
    expect(syntaxOf("pick one; select the best")).toBe(0);
    expect(syntaxOf("done; drop me a line at the table")).toBe(0);
    expect(syntaxOf("Note; select an option from the menu")).toBe(0);
    expect(syntaxOf("OK; delete the old files from cache")).toBe(0);
    expect(syntaxOf("Warning; update the config and set retries")).toBe(0);
    // A line break as written is a multi-line message's, not a command's.
    expect(syntaxOf("completed successfully\nset replicas to three")).toBe(0);
    expect(syntaxOf("Traceback (most recent call last):\nid lookup failed")).toBe(0);
    expect(syntaxOf("/tienda1/publico/anadir.jsp")).toBe(0);
    expect(syntaxOf("2026-03-09T06:00:00.743Z")).toBe(0);
    expect(syntaxOf("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko)")).toBe(0);
    expect(syntaxOf("plaza catalunya 124, 5-b")).toBe(0);
    expect(syntaxOf("%C1lvaro %C0 la plage")).toBe(0); // Latin-1's Á and À, no overlong pair
  });
});

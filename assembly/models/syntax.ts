// Attack syntax: whether a value holds the syntax of a language it could be injected into (SQL,
// HTML and script, the shell, a path that climbs, a template or JNDI lookup, a URL the server would
// fetch from itself or its own network: server-side request forgery), after libinjection's
// idea of judging a value by its tokens rather than by a list of attacks. It needs no training and
// no parameter names, so it carries to any site. The field model calls it only for a value whose
// shape is rare in its field (fields.ts): a field that routinely holds such syntax is left alone.
//
// The value is read as a query string means it ('+' a space, %XX a byte, %25XX twice, an overlong
// pair its ASCII byte: base/percent.ts) and with logfmt's \" and \\ unescaped, lowercased, into a
// buffer of VALUE_CAPACITY bytes.
import { fnv1a, fnv1aStep, FNV_OFFSET } from "../base/hash";
import { percentDecoded } from "../base/percent";
import { SYNTAX_SQL, SYNTAX_MARKUP, SYNTAX_SHELL, SYNTAX_TRAVERSAL, SYNTAX_TEMPLATE, SYNTAX_INTERNAL_URL } from "../base/layouts";

const VALUE_CAPACITY = 2048;
const text = memory.data(VALUE_CAPACITY + 8);

// The bytes some attack syntax needs: ' " ` < > ; | & $ { ( # * and NUL, and "..", "--" as pairs;
// and '%', which may encode one. A URL is looked for apart (mayHoldUrl).
const triggers = memory.data(256);
const TRIGGER: u8 = 1;
const PAIR: u8 = 2; // a trigger when it follows itself: ".." "--"
const ESCAPE: u8 = 3; // '%': maybe a byte encoded

function prepareTriggers(): void {
  const bytes = "'\"`<>;|&${(#*";
  for (let i = 0; i < bytes.length; i++) store<u8>(triggers + <usize>bytes.charCodeAt(i), TRIGGER);
  store<u8>(triggers, TRIGGER);
  store<u8>(triggers + 0x2e, PAIR);
  store<u8>(triggers + 0x2d, PAIR);
  store<u8>(triggers + 0x25, ESCAPE);
}
prepareTriggers();

/** Whether b is a byte mayHoldSyntax looks at: one some attack syntax needs, or '%'. readToken marks a token holding one. */
export function isSyntaxByte(b: u32): bool {
  return load<u8>(<usize>(b & 0xff), triggers) != 0;
}

/**
 * Whether the value [start, end) has a byte some attack syntax needs, percent-encoded or not: a
 * quick look before attackSyntax's reading, which most values, holding none, do without. A byte
 * the table does not mark costs one lookup.
 */
export function mayHoldSyntax(start: usize, end: usize): bool {
  // The last pair byte read, and where it ended: a pair fires where the same one ends right before.
  let pairByte: u32 = 0;
  let pairEnd: usize = 0;
  let p = start;
  while (p < end) {
    let c = <u32>load<u8>(p);
    let t = load<u8>(<usize>c, triggers);
    p++;
    if (t == 0) continue;
    const from = p - 1;
    if (t == ESCAPE) {
      const decoded = percentDecoded(from, end);
      const taken = decoded >> 8;
      if (taken == 1) continue;
      if (taken != 3) return true; // encoded twice, or overlong: read in full
      c = decoded & 0xff;
      if (c == 0x0a) return true; // %0A: a command on a line of its own (a raw newline is a multi-line message's)
      p = from + 3;
      t = load<u8>(<usize>c, triggers);
      if (t == 0) continue;
    }
    if (t == TRIGGER || (pairEnd == from && c == pairByte)) return true;
    pairByte = c;
    pairEnd = p;
  }
  return false;
}

/**
 * Whether the value [start, end) opens with a URL's scheme and "://", any of its bytes maybe
 * percent-encoded (h%74tp%3A%2F%2F), whose host internalUrlSyntax judges. Apart from mayHoldSyntax,
 * as a URL is no reason to read a free-text value's trigrams in full; and at the value's start
 * only, as a parameter's URL is all of its value.
 */
export function mayHoldUrl(start: usize, end: usize): bool {
  let p = start;
  let letters = 0;
  let c: u32 = 0;
  while (p < end) {
    const read = decodedAt(p, end);
    c = read & 0xff;
    p += <usize>(read >> 8);
    if (<u32>(c | 0x20) - 0x61 >= 26 || ++letters > SCHEME_LIMIT) break;
  }
  if (letters == 0 || c != 0x3a) return false;
  for (let slashes = 0; slashes < 2; slashes++) {
    if (p >= end) return false;
    const read = decodedAt(p, end);
    if ((read & 0xff) != 0x2f) return false;
    p += <usize>(read >> 8);
  }
  return true;
}
const SCHEME_LIMIT = 8;

/** The byte at p, percent-decoded where it is an escape; in the bits above it, how many bytes it took. */
// @ts-ignore: decorator
@inline function decodedAt(p: usize, end: usize): u32 {
  const c = <u32>load<u8>(p);
  return c == 0x25 ? percentDecoded(p, end) : c | (1 << 8);
}

// Words of each language, as FNV-1a hashes of their ASCII bytes: language, not payloads.
/** SQL words that join or end a condition an injection appends after a quote or number. */
const SQL_AFTER_QUOTE: StaticArray<string> = [
  "or", "and", "xor", "union", "select", "order", "group", "having", "like", "rlike", "regexp", "into", "procedure",
  "waitfor", "exec", "execute", "not", "is", "in", "div", "where", "limit", "sleep", "benchmark", "from", "as", "then",
  "when", "else", "end", "case", "if", "collate", "between", "declare", "insert", "update", "delete", "drop", "create",
];
/**
 * SQL statements a stacked injection starts after a ';': a verb and the word that makes it one
 * (drop table, insert into), next to it, or for select and update after one list of columns or one
 * table (select password from, update users set).
 */
const SQL_VERBS: StaticArray<string> = ["select", "update", "insert", "delete", "drop", "truncate", "create", "alter", "waitfor"];
const SQL_STATEMENTS: StaticArray<string> = [
  "select from", "update set", "insert into", "delete from", "drop table", "drop database", "drop user", "truncate table",
  "create table", "create user", "create login", "alter table", "alter user", "alter login", "waitfor delay",
];
/** SQL functions an injection calls to read, wait or convert. */
const SQL_FUNCTIONS: StaticArray<string> = [
  "sleep", "benchmark", "pg_sleep", "extractvalue", "updatexml", "load_file", "concat", "concat_ws", "char", "chr",
  "ascii", "substring", "substr", "mid", "ord", "count", "version", "database", "user", "if", "ifnull", "elt",
  "make_set", "group_concat", "cast", "convert", "hex", "unhex", "md5", "rand", "floor", "exp", "json_keys",
  "utl_inaddr", "dbms_pipe", "dbms_lock", "randomblob", "upper", "lower", "length", "len", "isnull", "coalesce",
  "nvl", "instr", "sysdate", "now", "current_user", "system_user", "db_name", "schema", "row", "exists",
];
/** Commands a shell injection runs after ; | & or inside $( ) and backquotes. */
const SHELL_COMMANDS: StaticArray<string> = [
  "cat", "ls", "id", "whoami", "uname", "wget", "curl", "nc", "ncat", "netcat", "bash", "sh", "zsh", "ksh", "ping",
  "echo", "rm", "sleep", "nslookup", "dig", "dir", "type", "net", "powershell", "cmd", "perl", "python", "python3",
  "php", "ruby", "telnet", "chmod", "chown", "kill", "ps", "ifconfig", "ipconfig", "passwd", "useradd", "tftp",
  "ftp", "xterm", "env", "set", "head", "tail", "more", "less", "find", "grep", "awk", "sed", "base64", "eval",
  "exec", "system", "touch", "mkdir", "cp", "mv", "uname", "hostname", "netstat", "reboot", "shutdown", "sudo", "su",
];

/** URL schemes that read the server's own files or speak to its internal services (file:///etc/passwd, gopher://, php://filter). */
const LOCAL_SCHEMES: StaticArray<string> = ["file", "gopher", "dict", "netdoc", "phar", "expect", "php"];
/** URL schemes whose host says where the server would fetch from (ldap: to a host outside is a JNDI lookup's). */
const FETCH_SCHEMES: StaticArray<string> = ["http", "https", "ftp", "ldap", "ldaps", "tftp"];
/** Hosts of the server itself or of its cloud's metadata service. */
const INTERNAL_HOSTS: StaticArray<string> = ["localhost", "metadata", "instance-data", "[::1]", "[::]", "[0:0:0:0:0:0:0:1]"];

/** The FNV-1a hash of an ASCII word, as fnv1a hashes its bytes. */
function hashOf(word: string): u32 {
  let h = FNV_OFFSET;
  for (let j = 0; j < word.length; j++) h = fnv1aStep(h, <u32>word.charCodeAt(j));
  return h;
}

/** A set of words as their FNV-1a hashes, open-addressed in WORD_SLOTS slots (0: empty). */
const WORD_SLOTS = 256;
class WordSet {
  slots: StaticArray<u32> = new StaticArray<u32>(WORD_SLOTS);
  constructor(words: StaticArray<string>) {
    for (let i = 0; i < words.length; i++) {
      const h = hashOf(unchecked(words[i]));
      let slot = h & (WORD_SLOTS - 1);
      while (unchecked(this.slots[slot]) != 0 && unchecked(this.slots[slot]) != h) slot = (slot + 1) & (WORD_SLOTS - 1);
      unchecked((this.slots[slot] = h));
    }
  }

  has(p: usize, length: i32): bool {
    return length <= 16 && this.hasHash(fnv1a(p, length));
  }

  /** Whether a word whose FNV-1a hash is h is in the set. */
  hasHash(h: u32): bool {
    let slot = h & (WORD_SLOTS - 1);
    while (true) {
      const at = unchecked(this.slots[slot]);
      if (at == h) return true;
      if (at == 0) return false;
      slot = (slot + 1) & (WORD_SLOTS - 1);
    }
    return false;
  }
}

const sqlAfterQuote = new WordSet(SQL_AFTER_QUOTE);
const sqlFunctions = new WordSet(SQL_FUNCTIONS);
const shellCommands = new WordSet(SHELL_COMMANDS);
const sqlVerbs = new WordSet(SQL_VERBS);
const sqlStatements = new WordSet(SQL_STATEMENTS);
const SELECT = hashOf("select");
const UPDATE = hashOf("update");
const localSchemes = new WordSet(LOCAL_SCHEMES);
const fetchSchemes = new WordSet(FETCH_SCHEMES);
const internalHosts = new WordSet(INTERNAL_HOSTS);

// @ts-ignore: decorator
@inline function at(i: i32, n: i32): u32 {
  return i < n ? <u32>load<u8>(text + <usize>i) : 0x100;
}

// @ts-ignore: decorator
@inline function isLetter(c: u32): bool {
  return (c >= 0x61 && c <= 0x7a) || c == 0x5f;
}

// @ts-ignore: decorator
@inline function isDigit(c: u32): bool {
  return c >= 0x30 && c <= 0x39;
}

// @ts-ignore: decorator
@inline function isSpace(c: u32): bool {
  return c == 0x20 || c == 0x09 || c == 0x0a || c == 0x0d || c == 0x0b || c == 0x0c;
}

/** Decodes [start, end) into `text`, lowercased; returns its length. */
function decode(start: usize, end: usize): i32 {
  let n = 0;
  let p = start;
  while (p < end && n < VALUE_CAPACITY) {
    let c = <u32>load<u8>(p++);
    if (c <= 0x2b) {
      if (c == 0x25) {
        const decoded = percentDecoded(p - 1, end);
        c = decoded & 0xff;
        p += <usize>(decoded >> 8) - 1;
      } else if (c == 0x2b || c == 0x0a || c == 0x0d) c = 0x20; // a raw line break is a multi-line message's, no request's
    } else if (c == 0x5c && p < end && (load<u8>(p) == 0x22 || load<u8>(p) == 0x5c)) c = <u32>load<u8>(p++);
    if (c >= 0x41 && c <= 0x5a) c |= 0x20;
    store<u8>(text + <usize>n, <u8>c);
    n++;
  }
  return n;
}

/** The end of the word at i: a letter (or _), then letters and digits. */
function wordEnd(i: i32, n: i32): i32 {
  i++;
  while (isLetter(at(i, n)) || isDigit(at(i, n))) i++;
  return i;
}

function skipSpaces(i: i32, n: i32): i32 {
  while (isSpace(at(i, n))) i++;
  return i;
}

/** After a quote: does SQL follow (a condition's word, an operator, a comment, an end of statement)? */
function sqlAfter(i: i32, n: i32): bool {
  i = skipSpaces(i, n);
  while (at(i, n) == 0x29 || at(i, n) == 0x28) i = skipSpaces(i + 1, n); // ')' or '(' between
  const c = at(i, n);
  if (c == 0x3d || c == 0x3c || c == 0x3e || c == 0x3b || c == 0x23) return true; // = < > ; #
  if ((c == 0x2d && at(i + 1, n) == 0x2d) || (c == 0x2f && at(i + 1, n) == 0x2a)) return true; // -- /*
  if ((c == 0x7c && at(i + 1, n) == 0x7c) || (c == 0x26 && at(i + 1, n) == 0x26)) return true; // || &&
  if (!isLetter(c)) return false;
  const e = wordEnd(i, n);
  return !isLetter(at(e, n)) && sqlAfterQuote.has(text + <usize>i, e - i);
}

/** Is the word at [i, e) followed by '(' (a call)? */
function isCall(e: i32, n: i32): bool {
  e = skipSpaces(e, n);
  if (at(e, n) == 0x2f && at(e + 1, n) == 0x2a) {
    // a comment between a function's name and its '(' (sleep/**/(5))
    e += 2;
    while (e < n && !(at(e, n) == 0x2a && at(e + 1, n) == 0x2f)) e++;
    e = skipSpaces(e + 2, n);
  }
  return at(e, n) == 0x28;
}

/** A comparison within the next few bytes: = < > or like, is, in, between, regexp. */
function comparisonFollows(i: i32, n: i32): bool {
  const stop = min(n, i + 24);
  for (let j = i; j < stop; j++) {
    const c = at(j, n);
    if (c == 0x3d || c == 0x3c || c == 0x3e) return true;
    if (isLetter(c) && !isLetter(at(j - 1, n))) {
      const e = wordEnd(j, n);
      const length = e - j;
      if ((length == 4 && memory.compare(text + <usize>j, changetype<usize>(LIKE), 4) == 0) ||
        (length == 7 && memory.compare(text + <usize>j, changetype<usize>(BETWEEN), 7) == 0)) return true;
      j = e;
    }
  }
  return false;
}
/** Whether the word [j, e), after a ';', starts a statement of SQL_STATEMENTS. */
function isSqlStatement(j: i32, e: i32, n: i32): bool {
  const verb = fnv1a(text + <usize>j, e - j);
  if (!sqlVerbs.hasHash(verb)) return false;
  let i = skipSpaces(e, n);
  if (verb == SELECT || verb == UPDATE) {
    // One list of columns (password,user or a, b) or one table, within COLUMNS_LIMIT bytes.
    const limit = min(n, i + COLUMNS_LIMIT);
    while (i < limit && !isSpace(at(i, n))) {
      while (i < limit && !isSpace(at(i, n))) i++;
      const next = skipSpaces(i, n);
      if (at(i - 1, n) == 0x2c) i = next;
      else if (at(next, n) == 0x2c) i = skipSpaces(next + 1, n);
    }
    i = skipSpaces(i, n);
  }
  if (!isLetter(at(i, n))) return false;
  const word = wordEnd(i, n);
  if (word - i > 16) return false;
  let h = fnv1aStep(verb, 0x20);
  for (let k = i; k < word; k++) h = fnv1aStep(h, <u32>load<u8>(text + <usize>k));
  return sqlStatements.hasHash(h);
}
const COLUMNS_LIMIT = 64;
const LIKE = memory.data<u8>([0x6c, 0x69, 0x6b, 0x65]);
const BETWEEN = memory.data<u8>([0x62, 0x65, 0x74, 0x77, 0x65, 0x65, 0x6e]);

/** SYNTAX_INTERNAL_URL where the value [start, end) opens with a URL the server would fetch from itself (isInternalUrl), else 0: for a value that holds no other syntax's bytes (mayHoldUrl). */
export function internalUrlSyntax(start: usize, end: usize): u32 {
  const n = decode(start, end);
  if (!isLetter(at(0, n))) return 0;
  const e = wordEnd(0, n);
  return at(e, n) == 0x3a && isInternalUrl(e, n) ? SYNTAX_INTERNAL_URL : 0;
}

/** The attack syntax in the value [start, end): SYNTAX_ bits, 0 for none. */
export function attackSyntax(start: usize, end: usize): u32 {
  const n = decode(start, end);
  let found: u32 = 0;
  let i = 0;
  while (i < n) {
    const c = at(i, n);
    const next = at(i + 1, n);
    if (isLetter(c)) {
      // A word is looked at only where what follows it could make it syntax.
      const e = wordEnd(i, n);
      const length = e - i;
      const before = at(i - 1, n);
      const follows = at(e, n);
      const after = isSpace(follows) ? at(skipSpaces(e, n), n) : follows;
      if (after == 0x28 || (after == 0x2f && at(skipSpaces(e, n) + 1, n) == 0x2a)) {
        if (isCall(e, n) && sqlFunctions.has(text + <usize>i, length)) found |= SYNTAX_SQL; // sleep(5)
      } else if (length == 5 && load<u32>(text + <usize>i) == 0x6f696e75 && load<u8>(text + <usize>i + 4) == 0x6e) {
        // union ... select
        for (let j = e; j + 6 <= n; j++) if (load<u32>(text + <usize>j) == 0x656c6573 && load<u16>(text + <usize>j + 4) == 0x7463) found |= SYNTAX_SQL;
      } else if (length <= 5 && isSpace(follows) && (before == 0x20 || before == 0x29 || isDigit(before) || before == 0x27 || before == 0x22)) {
        // 1 or 2>1, ... where 3=3
        if (length >= 2 && (length <= 3 || isWord(i, length, WHERE, n)) && sqlAfterQuote.has(text + <usize>i, length) && comparisonFollows(e, n)) found |= SYNTAX_SQL;
        // 1) order by 1#: a clause after a closing parenthesis, a number or a quote
        else if ((isWord(i, length, ORDER, n) || isWord(i, length, GROUP, n)) && isWord(skipSpaces(e, n), 2, BY, n)) {
          let j = i - 1;
          while (j >= 0 && isSpace(at(j, n))) j--;
          const prior = at(j, n);
          if (prior == 0x29 || isDigit(prior) || prior == 0x27 || prior == 0x22) found |= SYNTAX_SQL;
        }
      } else if (after == 0x3d) {
        if (c == 0x6f && next == 0x6e && !isLetter(before) && !isDigit(before)) found |= SYNTAX_MARKUP; // onload=
      } else if (follows == 0x2e && isWord(i, length, DOCUMENT, n) && isWord(e + 1, 6, COOKIE, n)) {
        found |= SYNTAX_MARKUP; // document.cookie
      } else if (follows == 0x3a) {
        if ((length == 10 && memory.compare(text + <usize>i, changetype<usize>(JAVASCRIPT), 10) == 0) ||
          (length == 8 && memory.compare(text + <usize>i, changetype<usize>(VBSCRIPT), 8) == 0)) found |= SYNTAX_MARKUP; // javascript:
        else if (i == 0 && isInternalUrl(e, n)) found |= SYNTAX_INTERNAL_URL;
      }
      i = e;
      continue;
    }
    if (c == 0x27 || c == 0x22 || c == 0x60) {
      // A quote that is not an apostrophe inside a word, then SQL.
      if (!(isLetter(at(i - 1, n)) && isLetter(next)) && sqlAfter(i + 1, n)) found |= SYNTAX_SQL;
      if (c == 0x60 && isLetter(next)) found |= SYNTAX_SHELL;
    } else if (c == 0x2e) {
      if (next == 0x2e && (at(i + 2, n) == 0x2f || at(i + 2, n) == 0x5c)) found |= SYNTAX_TRAVERSAL;
    } else if (c == 0) {
      found |= SYNTAX_TRAVERSAL; // a NUL ends a path early
    } else if (c == 0x3c) {
      if (isLetter(next) || next == 0x2f || next == 0x21 || next == 0x3f) found |= SYNTAX_MARKUP;
      else if (next == 0x25) found |= SYNTAX_TEMPLATE;
    } else if (c == 0x24) {
      if (next == 0x7b) found |= SYNTAX_TEMPLATE;
      else if (next == 0x28) found |= SYNTAX_SHELL;
    } else if ((c == 0x7b && next == 0x7b) || (c == 0x23 && next == 0x7b)) {
      found |= SYNTAX_TEMPLATE;
    } else if (c == 0x3b || c == 0x7c || c == 0x26 || c == 0x0a) {
      let j = i + 1;
      while (at(j, n) == c) j++;
      j = skipSpaces(j, n);
      if (at(j, n) == 0x2f) {
        // a command by its path: ;/bin/cat
        let k = j;
        while (k < n && !isSpace(at(k, n))) k++;
        let base = k;
        while (base > j && at(base - 1, n) != 0x2f) base--;
        if (base < k && shellCommands.has(text + <usize>base, k - base)) found |= SYNTAX_SHELL;
      } else if (isLetter(at(j, n))) {
        const e = wordEnd(j, n);
        const after = at(e, n);
        if ((after == 0x100 || isSpace(after) || after == 0x3b || after == 0x7c || after == 0x26) && shellCommands.has(text + <usize>j, e - j)) found |= SYNTAX_SHELL;
        else if (c == 0x3b && isSqlStatement(j, e, n)) found |= SYNTAX_SQL; // 1; drop table users
      }
    } else if (c == 0x2d && next == 0x2d) {
      const before = at(i - 1, n);
      const after = at(i + 2, n);
      if ((isDigit(before) || before == 0x27 || before == 0x22 || before == 0x29 || before == 0x20) && (after == 0x100 || isSpace(after) || after == 0x2d)) found |= SYNTAX_SQL;
    } else if (c == 0x2f && next == 0x2a) {
      found |= SYNTAX_SQL;
    }
    i++;
  }
  return found;
}
const JAVASCRIPT = memory.data<u8>([0x6a, 0x61, 0x76, 0x61, 0x73, 0x63, 0x72, 0x69, 0x70, 0x74]);
const WHERE = memory.data<u8>([0x77, 0x68, 0x65, 0x72, 0x65]);
const ORDER = memory.data<u8>([0x6f, 0x72, 0x64, 0x65, 0x72]);
const GROUP = memory.data<u8>([0x67, 0x72, 0x6f, 0x75, 0x70]);
const BY = memory.data<u8>([0x62, 0x79]);
const DOCUMENT = memory.data<u8>([0x64, 0x6f, 0x63, 0x75, 0x6d, 0x65, 0x6e, 0x74]);
const COOKIE = memory.data<u8>([0x63, 0x6f, 0x6f, 0x6b, 0x69, 0x65]);

/**
 * Whether the value opens with a URL (its scheme the word [0, e), then "://") the server would fetch
 * from itself or its own network: a local scheme (file, gopher), or a host of the server itself
 * (localhost, 127.x, [::1], 0.x), of its private network (10.x, 172.16-31.x, 192.168.x, [fc00::]/7),
 * of the cloud's metadata service (169.254.x, 100.100.100.200, *.internal), an address in any of
 * the forms inet_aton reads (2130706433, 0x7f.1, 0177.0.0.1). At the value's start only: a URL
 * inside another (an OAuth redirect_uri=http://localhost in a referer) is the other's.
 */
function isInternalUrl(e: i32, n: i32): bool {
  if (at(e + 1, n) != 0x2f || at(e + 2, n) != 0x2f) return false;
  if (localSchemes.has(text, e)) return true;
  if (!fetchSchemes.has(text, e)) return false;
  // The authority runs to the first / ? # \ or space; its host follows the last '@' in it.
  let h = e + 3;
  let a = h;
  while (a < n) {
    const c = at(a, n);
    if (c == 0x2f || c == 0x3f || c == 0x23 || c == 0x5c || isSpace(c)) break;
    if (c == 0x40) h = a + 1;
    a++;
  }
  let k = h;
  if (at(h, n) == 0x5b) {
    while (k < a && at(k, n) != 0x5d) k++;
    if (k >= a) return false; // no closing bracket
    k++;
    if (isPrivateIpv6(h + 1, k - 1, n)) return true;
  } else {
    while (k < a && at(k, n) != 0x3a) k++; // up to its port
    if (k > h && at(k - 1, n) == 0x2e) k--; // localhost. is localhost
  }
  const length = k - h;
  if (length <= 0) return false;
  if (internalHosts.has(text + <usize>h, length)) return true;
  if (endsWith(h, k, changetype<usize>(LOCALHOST_SUFFIX), 10) || endsWith(h, k, changetype<usize>(INTERNAL_SUFFIX), 9)) return true;
  const address = ipv4Of(h, k, n);
  return address >= 0 && isPrivateIpv4(<u32>address);
}
const LOCALHOST_SUFFIX = memory.data<u8>([0x2e, 0x6c, 0x6f, 0x63, 0x61, 0x6c, 0x68, 0x6f, 0x73, 0x74]);
const INTERNAL_SUFFIX = memory.data<u8>([0x2e, 0x69, 0x6e, 0x74, 0x65, 0x72, 0x6e, 0x61, 0x6c]);

/** Whether the text [h, k) ends with the `length` bytes at `suffix`. */
function endsWith(h: i32, k: i32, suffix: usize, length: i32): bool {
  return k - h > length && memory.compare(text + <usize>(k - length), suffix, <usize>length) == 0;
}

/**
 * The IPv4 address the host [h, k) is, read as inet_aton reads it (1 to 4 numbers, each decimal,
 * 0x hex or 0 octal; the last fills the bytes left: 127.1, 2130706433), or -1 where it is a name.
 */
function ipv4Of(h: i32, k: i32, n: i32): i64 {
  let address: i64 = 0;
  let parts = 0;
  let p = h;
  while (p < k) {
    let base: i64 = 10;
    if (at(p, n) == 0x30 && (at(p + 1, n) | 0x20) == 0x78) {
      base = 16;
      p += 2;
    } else if (at(p, n) == 0x30 && p + 1 < k && isDigit(at(p + 1, n))) base = 8;
    let value: i64 = 0;
    const from = p;
    while (p < k && at(p, n) != 0x2e) {
      const c = at(p, n);
      let digit: i64 = isDigit(c) ? <i64>(c - 0x30) : base == 16 && (c | 0x20) - 0x61 < 6 ? <i64>((c | 0x20) - 0x61 + 10) : 99;
      if (digit >= base || value > 0xffffffff) return -1;
      value = value * base + digit;
      p++;
    }
    if (p == from && base != 16) return -1;
    parts++;
    if (parts > 4) return -1;
    if (p < k) {
      // A part before the last is one byte.
      if (value > 255) return -1;
      address = (address << 8) | value;
      p++; // its '.'
      if (p == k) return -1;
    } else {
      const bits = <i64>(8 * (5 - parts)); // what the last part fills
      if (bits < 32 && value >= (<i64>1 << bits)) return -1;
      address = bits < 32 ? (address << bits) | value : value;
    }
  }
  return parts > 0 ? address : -1;
}

/** Whether an IPv4 address is the server's own, its private network's or a cloud's metadata service's. */
function isPrivateIpv4(a: u32): bool {
  const first = a >> 24;
  const second = (a >> 16) & 0xff;
  return first == 127 || first == 0 || first == 10 || (first == 169 && second == 254) || (first == 192 && second == 168) ||
    (first == 172 && second >= 16 && second <= 31) || a == 0x646464c8; // 100.100.100.200
}

/** Whether the bracketed IPv6 host [h, k) (no brackets) is a private one (fc00::/7, fe80::/10) or an IPv4 one mapped (::ffff:127.0.0.1). */
function isPrivateIpv6(h: i32, k: i32, n: i32): bool {
  const c0 = at(h, n) | 0x20;
  const c1 = at(h + 1, n) | 0x20;
  if (k - h >= 4 && at(h + 4, n) == 0x3a || k - h == 4) {
    if (c0 == 0x66 && (c1 == 0x63 || c1 == 0x64)) return true; // fc, fd
    const c2 = at(h + 2, n) | 0x20;
    if (c0 == 0x66 && c1 == 0x65 && (c2 == 0x38 || c2 == 0x39 || c2 - 0x61 < 2)) return true; // fe80-febf
  }
  // ::ffff: then an IPv4 address
  if (k - h > 7 && at(h, n) == 0x3a && at(h + 1, n) == 0x3a && (at(h + 2, n) | 0x20) == 0x66 && (at(h + 5, n) | 0x20) == 0x66 && at(h + 6, n) == 0x3a) {
    const address = ipv4Of(h + 7, k, n);
    return address >= 0 && isPrivateIpv4(<u32>address);
  }
  return false;
}

/** Whether the text (n bytes) at i is the word `length` bytes long at `word`, not followed by another letter. */
function isWord(i: i32, length: i32, word: usize, n: i32): bool {
  return i + length <= n && memory.compare(text + <usize>i, word, <usize>length) == 0 && !isLetter(at(i + length, n));
}
const VBSCRIPT = memory.data<u8>([0x76, 0x62, 0x73, 0x63, 0x72, 0x69, 0x70, 0x74]);

// Every layout that crosses the wasm boundary, named once: byte offsets within a record of bytes,
// its size, and the values a field can take. scripts/gen-layouts.mjs generates the host's copy
// (host/core/module/layouts.ts) from this file; the module exports them (index.ts) and
// test/core/module/layouts.test.ts holds the two together.

// ---------------------------------------------------------------------------------------------
// The pack that `tarkin pack` writes into the module's data segment: a header, a table of
// sections, the sections (8-byte aligned).

export const PACK_MAGIC: u32 = 0x4e4b5254; // "TRKN"
export const PACK_VERSION: u32 = 1;
// The header: u32 each.
export const PACK_HEADER_MAGIC = 0;
export const PACK_HEADER_VERSION = 4;
export const PACK_HEADER_LENGTH = 8;
export const PACK_HEADER_SECTIONS = 12;
export const PACK_HEADER = 16;
// A section's entry in the table after the header: u32 each; the offset is from the pack's start.
export const SECTION_ID = 0;
export const SECTION_OFFSET = 4;
export const SECTION_LENGTH = 8;
export const SECTION_ENTRY = 12;
// Section ids.
export const SECTION_SETTINGS: u32 = 1;
export const SECTION_LEXICON: u32 = 2;
export const SECTION_MODEL: u32 = 3;
export const SECTION_INFO: u32 = 4; // for the host's inspect, which reads it from the file

// The settings section: then the prefix's bytes, then per message field u32 length and bytes (a dotted path).
export const SETTINGS_SURPRISE = 0; // i32: SURPRISE_DEFAULT or SURPRISE_TARKIN
export const SETTINGS_OUTPUT = 4; // i32: OUTPUT_ANNOTATE or OUTPUT_DROP
export const SETTINGS_GATE_SPREADS = 8; // f64
export const SETTINGS_MIN_FEAR = 16; // f64
export const SETTINGS_FIELD_COUNT = 24; // u32
export const SETTINGS_PREFIX_LENGTH = 28; // u32
export const SETTINGS_PREFIX = 32;
export const SURPRISE_DEFAULT: i32 = 0;
export const SURPRISE_TARKIN: i32 = 1;
export const OUTPUT_ANNOTATE: i32 = 0;
export const OUTPUT_DROP: i32 = 1;

// The lexicon section's entries (assembly/sentiment/lexicon.ts has the whole layout): u32 key offset, i16 valence x 100.
export const LEXICON_ENTRY = 6;
export const LEXICON_ENTRY_VALENCE = 4;
// Set in an entry's key offset: the word is security evidence (an overlay's: lexicon/security.tsv, --lexicon files).
export const LEXICON_OVERLAY: u32 = 0x80000000;
// Set in an entry's key offset: the word names access (lexicon/access.tsv: password, login, user), so a
// line that says it has its negative words read as security evidence. With valence 0, it has none.
export const LEXICON_ACCESS: u32 = 0x40000000;
// Set in an entry's key offset: the word is a failure (lexicon/operations.tsv), evidence in a line that names access.
export const LEXICON_FAILURE: u32 = 0x20000000;

// The model, in the model section and through model_save/model_load: a header, the characters,
// then the field model (u32 how many counters are not 0, then per counter u32 index, u32 count).
export const MODEL_VERSION = 11; // the model file's version: 11 names the field after a syslog tag by its program, as 10 did not
export const MODEL_SKETCH_BLOCKS = 16384; // the field model's count-min sketch: blocks of 16 u32 counters
export const MODEL_SKETCH_COUNTERS = 262144;
export const MODEL_CHARACTERS = 0; // u32
export const MODEL_MESSAGES = 8; // f64
export const MODEL_HEADER = 16;
// Per character: u32 code point, then the original's running statistics, f64 each.
export const MODEL_CHAR_CODE_POINT = 0;
export const MODEL_CHAR_N = 8;
export const MODEL_CHAR_K = 16;
export const MODEL_CHAR_EX = 24;
export const MODEL_CHAR_EX2 = 32;
export const MODEL_CHAR_MAX = 40;
export const MODEL_CHAR_MIN = 48;
export const MODEL_CHAR = 56;

// ---------------------------------------------------------------------------------------------
// What the module hands back to the host.

// The result block (result_block()), f64 each: the last score(), sentiment() or explanation.
export const RESULT_SURPRISE = 0;
export const RESULT_INFREQUENT = 8; // 1 or 0
export const RESULT_NEG = 16;
export const RESULT_NEU = 24;
export const RESULT_POS = 32;
export const RESULT_COMPOUND = 40;
export const RESULT_FEAR = 48;
export const RESULT_ANOMALY = 56; // 1 or 0
export const RESULT_EMPHASIS = 64; // explain_words: the punctuation emphasis
export const RESULT_COVERED = 72; // 1 or 0: the model knows the message's log
export const RESULT_SECURITY_NEGATIVE = 80; // 1 or 0: a word that is security evidence reads negative
export const RESULT_BLOCK = 88;

// The gate's state (gate_state()), f64 each.
export const GATE_COUNT = 0;
export const GATE_MEAN = 8;
export const GATE_VARIANCE = 16;
export const GATE_MAXIMUM = 24;
export const GATE_STATE = 32;

// The filter's counters since the instance started (filter_stats()), f64 each.
export const STATS_IN = 0;
export const STATS_OUT = 8;
export const STATS_INFREQUENT = 16;
export const STATS_ANOMALOUS = 24;
export const STATS_ERRORS = 32;
export const STATS_UNCOVERED = 40; // scored, but of a log the model does not know (fields.ts covered)
export const STATS = 48;

// explain_words: per word of the text.
export const TRACE_START = 0; // u32, a byte offset in the text
export const TRACE_END = 4; // u32
export const TRACE_VALENCE = 8; // f64, NaN when the lexicon has none
export const TRACE_SENTIMENT = 16; // f64
export const TRACE_RULES = 24; // u32, a bit per rule (vader.ts RULE_)
export const TRACE_WORD = 32;

// explain_characters: per model character, then per character the model has not seen.
export const EXPLAIN_CHAR_CODE_POINT = 0; // u32
export const EXPLAIN_CHAR_COUNT = 4; // u32, EXPLAIN_UNSEEN for a character the model has not seen
export const EXPLAIN_CHAR_EXPECTED = 8; // f64, the mean
export const EXPLAIN_CHAR_SPREAD = 16; // f64
export const EXPLAIN_CHAR_CONTRIBUTION = 24; // f64
export const EXPLAIN_CHAR = 32;
export const EXPLAIN_UNSEEN: u32 = 0xffffffff;

// explain_fields: per rare trigram of a field.
export const EXPLAIN_GRAM_NAME_START = 0; // u32, offsets into the message: a named field's key, or the token the field comes after
export const EXPLAIN_GRAM_NAME_END = 4; // u32
export const EXPLAIN_GRAM_KIND = 8; // u32: FIELD_NAMED, FIELD_AFTER, FIELD_FIRST, FIELD_PATH, FIELD_SCHEME, FIELD_AFTER_QUOTED or FIELD_OF_SUBJECT
export const EXPLAIN_GRAM_TRIGRAM = 12; // u32, three shape symbols, the first in the high byte
export const EXPLAIN_GRAM_COUNT = 16; // f64
export const EXPLAIN_GRAM_VALUES = 24; // f64, the field's values in training
export const EXPLAIN_GRAM_DECADES = 32; // f64
export const EXPLAIN_GRAM_EVIDENCE = 40; // u32: EVIDENCE_
export const EXPLAIN_GRAM_SUBJECT_START = 44; // u32, offsets into the message: the subject a FIELD_OF_SUBJECT is of
export const EXPLAIN_GRAM_SUBJECT_END = 48; // u32
export const EXPLAIN_GRAM = 56;
// What an explained entry is: a trigram rare in its field, a trigram rare in the log (the field is
// unknown: back-off), attack syntax in the field's value (its SYNTAX_ bits in place of the trigram),
// a value the field never held (an enumeration's; VALUES its values), a value far longer than
// the field's (COUNT its length), a field never seen (VALUES all values), an address of a network
// the field never held (VALUES its addresses), a value the field held (VALUES times), never at
// this time of day, or an address of a network the whole log never held (VALUES its addresses).
export const EVIDENCE_FIELD: u32 = 0;
export const EVIDENCE_LOG: u32 = 1;
export const EVIDENCE_SYNTAX: u32 = 2;
export const EVIDENCE_NEW_VALUE: u32 = 3;
export const EVIDENCE_LENGTH: u32 = 4;
export const EVIDENCE_NEW_FIELD: u32 = 5;
export const EVIDENCE_NEW_NETWORK: u32 = 6;
export const EVIDENCE_NEW_HOUR: u32 = 7;
export const EVIDENCE_NEW_LOG_NETWORK: u32 = 8;
export const HOUR_WINDOW: u32 = 2; // a value held is news at an hour it never came within this many hours of (fields.ts)
export const FIELD_NAMED: u32 = 0; // key=value
export const FIELD_AFTER: u32 = 1; // after a token
export const FIELD_FIRST: u32 = 2; // the message's first token
export const FIELD_PATH: u32 = 3; // the names under a directory of a path
export const FIELD_SCHEME: u32 = 4; // the schemes of a field's URLs
export const FIELD_AFTER_QUOTED: u32 = 5; // after a quoted value (a referer, a message: no name to show)
export const FIELD_OF_SUBJECT: u32 = 6; // a key's values after the record's subject (COMMAND of dave)
// Typed values, one shape symbol each in a trigram (below the symbols of bytes).
export const TOKEN_PLAIN: u32 = 0;
export const TOKEN_ADDRESS: u32 = 0x04; // an IPv4 or IPv6 address
export const TOKEN_HEX: u32 = 0x05; // a hex id: a hash, a UUID, a MAC address, a fingerprint
// Attack syntax found in a value (syntax.ts), a bit each.
export const SYNTAX_SQL: u32 = 1;
export const SYNTAX_MARKUP: u32 = 2; // HTML and script
export const SYNTAX_SHELL: u32 = 4;
export const SYNTAX_TRAVERSAL: u32 = 8;
export const SYNTAX_TEMPLATE: u32 = 16; // template and JNDI lookups
export const SYNTAX_INTERNAL_URL: u32 = 32; // a URL to the server itself, its network or a local scheme (SSRF)
// Their names in a user's words, bit i the i-th, comma-separated: the reason and explain both say these.
export const SYNTAX_NAMES = "sql,html/script,shell,path traversal,template/jndi,internal url";

// ---------------------------------------------------------------------------------------------
// The fields tarkin adds to a record, by suffix after the pack's prefix (tarkin_ by default), in
// the order filter.ts writes them: the verdict (surprise, infrequent, sentiment, fear, anomaly),
// what went wrong (error, record), a spoofing attempt (spoofed), whether the model covers the
// record's log (covered) and why it fears it (reason). Comma-separated, for the host to read.
export const OUTPUT_FIELDS = "surprise,infrequent,sentiment,fear,anomaly,error,record,spoofed,covered,reason";

// The layouts that cross the wasm boundary: assembly/layouts.ts names and explains them; the host
// reads and writes them by the same names, mirrored here (test/layouts.test.ts checks every value
// against the module's exports).

// The pack.
export const PACK_MAGIC = 0x4e4b5254;
export const PACK_VERSION = 1;
export const PACK_HEADER_MAGIC = 0;
export const PACK_HEADER_VERSION = 4;
export const PACK_HEADER_LENGTH = 8;
export const PACK_HEADER_SECTIONS = 12;
export const PACK_HEADER = 16;
export const SECTION_ID = 0;
export const SECTION_OFFSET = 4;
export const SECTION_LENGTH = 8;
export const SECTION_ENTRY = 12;
export const SECTION_SETTINGS = 1;
export const SECTION_LEXICON = 2;
export const SECTION_MODEL = 3;
export const SECTION_INFO = 4;

// Its settings section.
export const SETTINGS_SURPRISE = 0;
export const SETTINGS_OUTPUT = 4;
export const SETTINGS_GATE_SPREADS = 8;
export const SETTINGS_MIN_FEAR = 16;
export const SETTINGS_FIELD_COUNT = 24;
export const SETTINGS_PREFIX_LENGTH = 28;
export const SETTINGS_PREFIX = 32;
export const SURPRISE_DEFAULT = 0;
export const SURPRISE_TARKIN = 1;
export const OUTPUT_ANNOTATE = 0;
export const OUTPUT_DROP = 1;

// The model.
export const MODEL_CHARACTERS = 0;
export const MODEL_MESSAGES = 8;
export const MODEL_HEADER = 16;
export const MODEL_CHAR_CODE_POINT = 0;
export const MODEL_CHAR_N = 8;
export const MODEL_CHAR_K = 16;
export const MODEL_CHAR_EX = 24;
export const MODEL_CHAR_EX2 = 32;
export const MODEL_CHAR_MAX = 40;
export const MODEL_CHAR_MIN = 48;
export const MODEL_CHAR = 56;

// The result block.
export const RESULT_SURPRISE = 0;
export const RESULT_INFREQUENT = 8;
export const RESULT_NEG = 16;
export const RESULT_NEU = 24;
export const RESULT_POS = 32;
export const RESULT_COMPOUND = 40;
export const RESULT_FEAR = 48;
export const RESULT_ANOMALY = 56;
export const RESULT_EMPHASIS = 64;
export const RESULT_BLOCK = 72;

// The gate's state.
export const GATE_COUNT = 0;
export const GATE_MEAN = 8;
export const GATE_VARIANCE = 16;
export const GATE_MAXIMUM = 24;
export const GATE_STATE = 32;

// The filter's counters.
export const STATS_IN = 0;
export const STATS_OUT = 8;
export const STATS_INFREQUENT = 16;
export const STATS_ANOMALOUS = 24;
export const STATS_ERRORS = 32;
export const STATS = 40;

// explain_words, per word.
export const TRACE_START = 0;
export const TRACE_END = 4;
export const TRACE_VALENCE = 8;
export const TRACE_SENTIMENT = 16;
export const TRACE_RULES = 24;
export const TRACE_WORD = 32;

// explain_characters, per character.
export const EXPLAIN_CHAR_CODE_POINT = 0;
export const EXPLAIN_CHAR_COUNT = 4;
export const EXPLAIN_CHAR_EXPECTED = 8;
export const EXPLAIN_CHAR_SPREAD = 16;
export const EXPLAIN_CHAR_CONTRIBUTION = 24;
export const EXPLAIN_CHAR = 32;
export const EXPLAIN_UNSEEN = 0xffffffff;

// explain_fields, per rare trigram.
export const EXPLAIN_GRAM_NAME_START = 0;
export const EXPLAIN_GRAM_NAME_END = 4;
export const EXPLAIN_GRAM_KIND = 8;
export const EXPLAIN_GRAM_TRIGRAM = 12;
export const EXPLAIN_GRAM_COUNT = 16;
export const EXPLAIN_GRAM_VALUES = 24;
export const EXPLAIN_GRAM_DECADES = 32;
export const EXPLAIN_GRAM = 40;
export const FIELD_NAMED = 0;
export const FIELD_AFTER = 1;
export const FIELD_FIRST = 2;

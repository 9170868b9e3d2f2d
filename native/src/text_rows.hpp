// text_rows: formats the records of a batch as rows of text; the engine shared by the CSV,
// JSON and JSON Lines encoders. A format is a RowLayout: the literal text around each
// field (separators, JSON keys) and between records, plus how strings are quoted.
// Rows are formatted through a raw pointer straight into the output, grown first by the
// worst case without zero-filling (no bounds checks per byte), then cut to size.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "batch.hpp"
#include "byte_buffer.hpp"
#include "text_fields.hpp"
#include "text_format.hpp"

namespace flowgen::detail {

// A short piece of constant text, copied with one fixed-size copy (no length-dependent
// memcpy call on the hot path).
struct Literal {
  char text[32] = {};
  uint8_t size = 0;
  static Literal of(const std::string& s);  // throws Error(FLOWGEN_ERR_INTERNAL) if > 32
};

// CSV writes strings bare (pattern names quoted per RFC 4180 when needed); JSON quotes
// and escapes them.
enum class TextStyle : uint8_t { csv, json };

struct RowLayout {
  TextStyle style = TextStyle::csv;
  std::vector<Field> fields;
  std::vector<Literal> before;  // one per field: separator and key before its value
  Literal end;                  // after the last field of a record
  Literal first_separator;      // before the first record of the output ("[" of an array)
  Literal separator;            // before every later record
};

class RowWriter {
 public:
  explicit RowWriter(RowLayout layout);

  // Appends the records of `batch`; `records_written` (records already in the output, which
  // picks the separator) advances by batch.size. With `row_ends`, the end offset in `out` of
  // each record's row goes to row_ends[0..batch.size) (the threaded merge's lanes: no row is
  // scanned for its end).
  void write(const Batch& batch, ByteBuffer& out, uint64_t& records_written,
             uint32_t* row_ends = nullptr);

  const RowLayout& layout() const { return layout_; }
  // The batch columns the rows read: lean unless a field needs a column a lean fill skips.
  ColumnSet columns_read() const { return columns_read_; }

 private:
  char* write_field(char* p, Field field, const Batch& batch, size_t i);
  void refresh_pattern_texts(const Batch& batch);

  RowLayout layout_;
  size_t max_row_bytes_ = 0;  // worst case of one record, pattern name excluded
  bool has_pattern_ = false;
  bool brief_csv_ = false;  // the brief's CSV columns: a loop without field dispatch
  ColumnSet columns_read_ = ColumnSet::lean;
  text::SecondsWriter seconds_;
  // Text of each pattern index as written (CSV cell or JSON string), rebuilt when the
  // batch's name table changes; an index without a name is written as its number.
  std::vector<std::string> pattern_texts_;
  std::vector<std::string> pattern_names_;  // the names pattern_texts_ was built from
  size_t max_pattern_bytes_ = 0;
};

}  // namespace flowgen::detail

// Lane rows: the text rows a worker thread of a threaded generator encodes for the records
// of its own lane buffer, right after filling it. The merge then only orders records by
// (timestamp, lane) and copies rows (flowgen_encoder_encode_next), so the formatting, the
// expensive part, runs in parallel. The row ends come from the row writer (Encoder::encode_rows),
// so no row is scanned. Applies to formats whose rows need no context (CSV, JSON Lines); a
// JSON array has separators between records and the packet formats have packets, so they
// keep the encode-after-merge path.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <memory>
#include <vector>

#include "batch.hpp"
#include "encoder.hpp"

namespace flowgen::detail {

// What the lanes encode: a text format and the encoder parameters (the CSV header is the
// session's business, lanes never write it). Immutable once shared with a generator.
struct LaneRowSpec {
  int32_t format = 0;
  EncoderParams params;
};

// True for the formats lanes can encode: CSV and JSON Lines.
bool lane_rows_apply(int32_t format);

// Bytes a row copy may read or write past a row's end (copy_row).
constexpr size_t kRowCopySlack = 128;

// A row as the merge reads it: its record's timestamp and where its text starts; it ends
// where the next row's text starts. Side by side so that the merge's loop reads one array
// per lane and follows one pointer per lane.
struct LaneRow {
  uint64_t timestamp_ns;
  const uint8_t* text;
};

// The rows of one lane buffer: rows[i] for record i, then one more whose text is the end of
// the last row (its timestamp is unused). `bytes` holds the text, with kRowCopySlack readable
// bytes past the last row. The pointers stay valid when LaneRows are swapped.
struct LaneRows {
  ByteBuffer bytes;
  std::vector<LaneRow> rows;
  void clear() {
    bytes.clear();
    rows.assign(1, LaneRow{UINT64_MAX, bytes.data()});
  }
};

// Bytes with a length of their own: the vector's size is the capacity, grown only when too
// small (a ByteBuffer: never zero-filled), so appending rows costs no resize per row.
struct RowBuffer {
  ByteBuffer bytes;
  size_t size = 0;
  // Room for `more` bytes past `size`; returns where they go.
  uint8_t* room(size_t more) {
    if (bytes.size() < size + more) bytes.resize(std::max(size + more, bytes.size() * 2));
    return bytes.data() + size;
  }
};

// One per lane (an Encoder is not thread-safe): encodes a batch into LaneRows.
class LaneRowEncoder {
 public:
  explicit LaneRowEncoder(const LaneRowSpec& spec);
  // Throws Error(FLOWGEN_ERR_INTERNAL) if the encoder wrote other than batch.size rows.
  void encode(const Batch& batch, LaneRows& rows);
  // The columns the encoder reads: a lane may fill only those (ColumnSet::lean).
  ColumnSet columns_read() const { return encoder_->columns_read(); }

 private:
  std::unique_ptr<Encoder> encoder_;
  OutputBuffer out_;
  std::vector<uint32_t> ends_;  // row end offsets, from the row writer (Encoder::encode_rows)
};

// Copies a row of `size` bytes; both sides need kRowCopySlack bytes of room past the row.
// A fixed 64-byte copy covers ~93% of the brief's CSV rows (55-67 bytes) with no branch on
// the size (memcpy's size dispatch mispredicts on rows of varying length); longer rows loop.
inline void copy_row(uint8_t* to, const uint8_t* from, uint32_t size) noexcept {
  std::memcpy(to, from, 64);
  for (uint32_t k = 64; k < size; k += 32) std::memcpy(to + k, from + k, 32);
}

}  // namespace flowgen::detail

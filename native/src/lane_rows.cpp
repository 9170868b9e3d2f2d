// Lane rows: per-lane text rows for the threaded merge (see lane_rows.hpp).
#include "lane_rows.hpp"

#include <string>

#include "abi_guard.hpp"
#include "flowgen/flowgen.h"

namespace flowgen::detail {

bool lane_rows_apply(int32_t format) {
  return format == FLOWGEN_FORMAT_CSV || format == FLOWGEN_FORMAT_JSONL;
}

LaneRowEncoder::LaneRowEncoder(const LaneRowSpec& spec) : encoder_(make_encoder(spec.format)) {
  EncoderParams params = spec.params;
  params.csv_header = 0;  // the session writes the header once, before any row
  encoder_->begin(params);
}

void LaneRowEncoder::encode(const Batch& batch, LaneRows& rows) {
  out_.clear();
  out_.bytes.swap(rows.bytes);  // reuse the lane buffer's capacity
  out_.bytes.clear();
  const size_t count = batch.size;
  if (ends_.size() < count) ends_.resize(count);
  encoder_->encode_rows(batch, out_, ends_.data());
  rows.bytes.swap(out_.bytes);
  const size_t size = rows.bytes.size();
  if ((count > 0 && ends_[count - 1] != size) || size > UINT32_MAX) {
    throw Error(FLOWGEN_ERR_INTERNAL, "lane rows: " + std::to_string(count) + " records gave " +
                                          std::to_string(size) + " bytes, the last row ending at " +
                                          std::to_string(count > 0 ? ends_[count - 1] : 0));
  }
  rows.bytes.resize(size + kRowCopySlack);  // room for copy_row's last chunk
  rows.rows.resize(count + 1);
  const uint8_t* const text = rows.bytes.data();
  const uint64_t* const timestamp = batch.timestamp_ns.data();
  const uint32_t* const ends = ends_.data();
  LaneRow* const out = rows.rows.data();
  out[0].text = text;
  for (size_t i = 0; i < count; ++i) {
    out[i].timestamp_ns = timestamp[i];
    out[i + 1].text = text + ends[i];
  }
  out[count].timestamp_ns = UINT64_MAX;
}

}  // namespace flowgen::detail

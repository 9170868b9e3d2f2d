// LaneRowEncoder: the rows a worker encodes for the threaded merge. Each row must be the
// bytes the format's encoder writes for that record, with its timestamp beside it; the row
// ends come from the row writer (Encoder::encode_rows), so a pattern name holding '\n' in a CSV
// cell must not split a row.
#include <gtest/gtest.h>

#include <string>

#include "encoder_test_batch.hpp"
#include "flowgen/flowgen.h"
#include "lane_rows.hpp"

namespace {

using flowgen::detail::EncoderParams;
using flowgen::detail::LaneRow;
using flowgen::detail::LaneRowEncoder;
using flowgen::detail::LaneRows;
using flowgen::detail::LaneRowSpec;
using flowgen::detail::OutputBuffer;

constexpr const char* kAllFields =
    "timestamp,src_ip,dst_ip,src_port,dst_port,protocol,length,packets,bytes,duration,"
    "tcp_flags,flow_id,direction,pattern,ip_version";

// The encoder's bytes for record `n` of random_batch's stream alone (no CSV header).
std::string encode_one(const LaneRowSpec& spec, uint32_t n) {
  const flowgen::detail::Batch one = flowgen::test::random_batch(1, n);
  auto encoder = flowgen::detail::make_encoder(spec.format);
  EncoderParams params = spec.params;
  params.csv_header = 0;
  encoder->begin(params);
  OutputBuffer out;
  encoder->encode(one, out);
  return std::string(out.bytes.begin(), out.bytes.end());
}

}  // namespace

TEST(LaneRows, EachRowIsItsRecordsEncodingWithItsTimestamp) {
  const flowgen::detail::Batch batch = flowgen::test::random_batch(700);
  for (const int32_t format : {FLOWGEN_FORMAT_CSV, FLOWGEN_FORMAT_JSONL}) {
    for (const char* fields : {static_cast<const char*>(nullptr), kAllFields}) {
      LaneRowSpec spec;
      spec.format = format;
      if (fields) {
        spec.params.fields = fields;
        spec.params.fields_set = true;
      }
      LaneRowEncoder encoder(spec);
      LaneRows rows;
      for (int round = 0; round < 2; ++round) {  // the second reuses the buffers
        encoder.encode(batch, rows);
        ASSERT_EQ(rows.rows.size(), batch.size + 1u);
        const uint8_t* const end = rows.rows[batch.size].text;
        EXPECT_EQ(rows.rows[0].text, rows.bytes.data());
        EXPECT_EQ(size_t(end - rows.bytes.data()) + flowgen::detail::kRowCopySlack,
                  rows.bytes.size());
        for (uint32_t i = 0; i < batch.size; ++i) {
          const LaneRow& row = rows.rows[i];
          ASSERT_EQ(row.timestamp_ns, batch.timestamp_ns[i]);
          const std::string text(row.text, rows.rows[i + 1].text);
          ASSERT_EQ(text, encode_one(spec, i))
              << "format " << format << " fields " << (fields ? fields : "default") << " row "
              << i;
        }
      }
    }
  }
}

// The packet fast path's timeline: every record starts where the previous one's bytes end
// (Q32.32 nanoseconds, wrapping at 2^64 like the u128 reference below), and the seconds
// column is exactly double(ns) / 1e9, also where nanoseconds cross 2^63 and 2^64 and where
// a slow link makes the per-batch 64-bit fast form take the batch in several pieces.
#include <gtest/gtest.h>

#include <cstdint>

#include "core_test_support.hpp"
#include "generator_stream.hpp"

namespace flowgen_test {
namespace {

__extension__ typedef unsigned __int128 u128;

void expect_timeline(uint64_t start_ns, double gbps, uint32_t batch, uint64_t count) {
  ConfigPtr c = brief_config(7);
  flowgen_config_set_start_timestamp_ns(c.get(), start_ns);
  flowgen_config_set_bandwidth_gbps(c.get(), gbps);
  GeneratorPtr g = make_generator(c.get());
  const uint64_t step = flowgen::detail::ns_per_byte_q32(gbps);
  u128 timeline = 0;
  const std::vector<Record> records = take(g.get(), count, batch);
  ASSERT_EQ(records.size(), count);
  for (uint64_t i = 0; i < count; ++i) {
    const Record& r = records[i];
    const uint64_t ns = start_ns + uint64_t(timeline >> 32);
    ASSERT_EQ(r.timestamp_ns, ns) << "record " << i;
    ASSERT_EQ(r.timestamp_s, double(ns) / 1e9) << "record " << i;
    ASSERT_EQ(r.bytes, r.length) << "record " << i;
    ASSERT_EQ(r.flow_id, i);
    timeline += u128(r.bytes) * step;
  }
}

TEST(PacketTimeline, BriefStart) { expect_timeline(kStartNs, 10.0, 16384, 100000); }

TEST(PacketTimeline, AcrossTwoToThe63) {
  expect_timeline((uint64_t(1) << 63) - 100000000, 1.0, 16384, 100000);
}

TEST(PacketTimeline, AcrossTwoToThe64) {
  expect_timeline(~uint64_t(0) - 100000000, 1.0, 5000, 100000);
}

TEST(PacketTimeline, SlowLinkTakesABatchInPieces) {
  expect_timeline(kStartNs, 0.003, 16384, 50000);
  expect_timeline(kStartNs, 1e-6, 16384, 20000);
}

}  // namespace
}  // namespace flowgen_test

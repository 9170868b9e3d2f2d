// The packet fast path's timeline: every record starts where the previous one's bytes end
// (Q32.32 nanoseconds, like the u128 reference below), and the seconds column is exactly
// double(ns) / 1e9, also where nanoseconds cross 2^63, where the clock ends at 2^64 - 1
// (the stream ends there), and where a slow link makes the per-batch 64-bit fast form take
// the batch in several pieces.
#include <gtest/gtest.h>

#include <cstdint>

#include "core_test_support.hpp"
#include "generator_stream.hpp"

namespace flowgen_test {
namespace {

__extension__ typedef unsigned __int128 u128;

// Takes up to `count` records and checks them against the reference timeline; returns how
// many the generator gave (fewer only when the clock ended, checked here).
uint64_t expect_timeline(uint64_t start_ns, double gbps, uint32_t batch, uint64_t count) {
  ConfigPtr c = brief_config(7);
  flowgen_config_set_start_timestamp_ns(c.get(), start_ns);
  flowgen_config_set_bandwidth_gbps(c.get(), gbps);
  GeneratorPtr g = make_generator(c.get());
  const uint64_t step = flowgen::detail::ns_per_byte_q32(gbps);
  u128 timeline = 0;
  const std::vector<Record> records = take(g.get(), count, batch);
  for (uint64_t i = 0; i < records.size(); ++i) {
    const Record& r = records[i];
    const u128 ns = start_ns + (timeline >> 32);
    EXPECT_LE(ns, u128(UINT64_MAX)) << "record " << i << " is past the end of the clock";
    if (ns > UINT64_MAX) return records.size();
    EXPECT_EQ(r.timestamp_ns, uint64_t(ns)) << "record " << i;
    EXPECT_EQ(r.timestamp_s, double(uint64_t(ns)) / 1e9) << "record " << i;
    EXPECT_EQ(r.bytes, r.length) << "record " << i;
    EXPECT_EQ(r.flow_id, i);
    if (::testing::Test::HasFailure()) return records.size();
    timeline += u128(r.bytes) * step;
  }
  if (records.size() < count) {
    // Only the end of the clock stops a generator without max_flows: the next record's
    // timestamp would have passed 2^64 - 1, and the generator says it is done.
    EXPECT_GT(start_ns + (timeline >> 32), u128(UINT64_MAX));
    EXPECT_EQ(flowgen_generator_is_done(g.get()), 1);
    EXPECT_EQ(flowgen_generator_next_batch(g.get(), batch), 0);
  } else {
    EXPECT_EQ(flowgen_generator_is_done(g.get()), 0);
  }
  return records.size();
}

TEST(PacketTimeline, BriefStart) { EXPECT_EQ(expect_timeline(kStartNs, 10.0, 16384, 100000), 100000u); }

TEST(PacketTimeline, AcrossTwoToThe63) {
  EXPECT_EQ(expect_timeline((uint64_t(1) << 63) - 100000000, 1.0, 16384, 100000), 100000u);
}

// 0.1 s before the end at 1 Gbit/s: about 15 600 records of 800 bytes fit, in the middle of a
// batch of 5000.
TEST(PacketTimeline, EndsAtTheEndOfTheClock) {
  const uint64_t n = expect_timeline(~uint64_t(0) - 100000000, 1.0, 5000, 100000);
  EXPECT_GT(n, 14000u);
  EXPECT_LT(n, 18000u);
}

// Starting at the last nanosecond: one record, then the end.
TEST(PacketTimeline, StartAtTheLastNanosecond) {
  EXPECT_EQ(expect_timeline(~uint64_t(0), 1.0, 100, 1000), 1u);
}

TEST(PacketTimeline, SlowLinkTakesABatchInPieces) {
  EXPECT_EQ(expect_timeline(kStartNs, 0.003, 16384, 50000), 50000u);
  EXPECT_EQ(expect_timeline(kStartNs, 1e-6, 16384, 20000), 20000u);
}

}  // namespace
}  // namespace flowgen_test

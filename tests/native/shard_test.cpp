// Sharding and worker threads: shard i of n is its own stream at bandwidth / n over the same
// span; shards never repeat each other; merged they look like one full-bandwidth run.
// Threads merge their streams by timestamp, deterministically for a given count and seed.
#include <algorithm>
#include <set>
#include <tuple>

#include "core_test_support.hpp"

using namespace flowgen_test;

namespace {

ConfigPtr shard_config(uint32_t index, uint32_t count, uint64_t max_flows) {
  auto c = brief_config(77, max_flows);
  flowgen_config_set_shard(c.get(), index, count);
  return c;
}

}  // namespace

TEST(Shard, ShardsAreDisjointAndMergeIntoAFullBandwidthTrace) {
  constexpr uint32_t kShards = 4;
  constexpr uint64_t kTotal = 400002;  // not a multiple of 4: the first shards get one more
  std::vector<Record> merged;
  std::set<uint64_t> flow_ids;
  for (uint32_t i = 0; i < kShards; ++i) {
    auto c = shard_config(i, kShards, kTotal);
    auto g = make_generator(c.get());
    const auto records = take(g.get(), kTotal);
    EXPECT_EQ(records.size(), kTotal / kShards + (i < kTotal % kShards)) << i;
    EXPECT_EQ(records.front().timestamp_ns, kStartNs);
    uint64_t bytes = 0;
    for (const auto& r : records) {
      bytes += r.bytes;
      EXPECT_TRUE(flow_ids.insert(r.flow_id).second) << "flow id repeated across shards";
    }
    // Each shard: bandwidth / n.
    const double span = double(records.back().timestamp_ns - kStartNs) / 1e9;
    EXPECT_NEAR(double(bytes) * 8 / span / 1e9, 10.0 / kShards, 0.025);
    merged.insert(merged.end(), records.begin(), records.end());
  }
  // Shards never repeat each other's records (5-tuple + timestamp).
  std::set<std::tuple<uint64_t, uint32_t, uint32_t, uint16_t, uint16_t>> keys;
  for (const auto& r : merged)
    keys.insert({r.timestamp_ns, r.src_ip4, r.dst_ip4, r.src_port, r.dst_port});
  EXPECT_GT(keys.size(), merged.size() - merged.size() / 1000);

  std::stable_sort(merged.begin(), merged.end(),
                   [](const Record& a, const Record& b) { return a.timestamp_ns < b.timestamp_ns; });
  uint64_t bytes = 0, web = 0, first_net = 0;
  for (const auto& r : merged) {
    bytes += r.bytes;
    web += r.pattern == 0;
    first_net += (r.src_ip4 >> 8) == 0xC0A801;
  }
  const double span = double(merged.back().timestamp_ns - merged.front().timestamp_ns) / 1e9;
  EXPECT_NEAR(double(bytes) * 8 / span / 1e9, 10.0, 0.05);
  EXPECT_NEAR(100.0 * double(web) / double(merged.size()), 40.0, 1.0);
  EXPECT_NEAR(100.0 * double(first_net) / double(merged.size()), 70.0, 1.0);
}

TEST(Shard, ShardZeroOfOneIsTheUnshardedRun) {
  auto plain = brief_config(77, 5000);
  auto one = shard_config(0, 1, 5000);
  auto a = make_generator(plain.get()), b = make_generator(one.get());
  const auto ra = take(a.get(), 5000), rb = take(b.get(), 5000);
  for (size_t i = 0; i < ra.size(); ++i) ASSERT_TRUE(ra[i] == rb[i]);
}

TEST(Threads, MergedOutputIsOrderedUniqueAndDeterministic) {
  for (uint32_t threads : {2u, 3u}) {
    auto c = brief_config(8, 150000);
    flowgen_config_set_threads(c.get(), threads);
    auto a = make_generator(c.get());
    flowgen_config_set_batch_size(c.get(), 1500);
    auto b = make_generator(c.get());
    const auto ra = take(a.get(), 200000), rb = take(b.get(), 200000, 999);
    ASSERT_EQ(ra.size(), 150000u);
    ASSERT_EQ(rb.size(), ra.size());
    std::set<uint64_t> ids;
    uint64_t bytes = 0, dns = 0;
    for (size_t i = 0; i < ra.size(); ++i) {
      ASSERT_TRUE(ra[i] == rb[i]) << "threads " << threads << " record " << i;
      if (i > 0) ASSERT_LE(ra[i - 1].timestamp_ns, ra[i].timestamp_ns);
      ids.insert(ra[i].flow_id);
      bytes += ra[i].bytes;
      dns += ra[i].pattern == 1;
    }
    EXPECT_EQ(ids.size(), ra.size());
    const double span = double(ra.back().timestamp_ns - ra.front().timestamp_ns) / 1e9;
    EXPECT_NEAR(double(bytes) * 8 / span / 1e9, 10.0, 0.05);
    EXPECT_NEAR(100.0 * double(dns) / double(ra.size()), 20.0, 1.0);
    EXPECT_EQ(flowgen_generator_is_done(a.get()), 1);
  }
}

TEST(Threads, ThreadsWithShardsKeepFlowIdsUnique) {
  std::set<uint64_t> ids;
  for (uint32_t i = 0; i < 2; ++i) {
    auto c = shard_config(i, 2, 20000);
    flowgen_config_set_threads(c.get(), 2);
    auto g = make_generator(c.get());
    for (const auto& r : take(g.get(), 20000)) EXPECT_TRUE(ids.insert(r.flow_id).second);
  }
  EXPECT_EQ(ids.size(), 20000u);
}

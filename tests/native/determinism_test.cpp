// Same config + same seed => identical records, whatever the batch sizes; reset replays;
// an unset seed is random, reported, and replays when set.
#include "core_test_support.hpp"

using namespace flowgen_test;

TEST(Determinism, SameSeedSameRecordsWhateverTheBatchSize) {
  auto c = brief_config(99);
  auto a = make_generator(c.get());
  flowgen_config_set_batch_size(c.get(), 1000);
  auto b = make_generator(c.get());
  const auto ra = take(a.get(), 50000, 16384);
  const auto rb = take(b.get(), 50000, 777);
  ASSERT_EQ(ra.size(), 50000u);
  ASSERT_EQ(rb.size(), 50000u);
  for (size_t i = 0; i < ra.size(); ++i) ASSERT_TRUE(ra[i] == rb[i]) << "record " << i;
}

TEST(Determinism, OtherSeedOtherRecords) {
  auto c1 = brief_config(1), c2 = brief_config(2);
  auto a = make_generator(c1.get()), b = make_generator(c2.get());
  const auto ra = take(a.get(), 1000), rb = take(b.get(), 1000);
  size_t same = 0;
  for (size_t i = 0; i < ra.size(); ++i) same += ra[i].src_ip4 == rb[i].src_ip4 && ra[i].dst_ip4 == rb[i].dst_ip4;
  EXPECT_LT(same, 10u);
}

TEST(Determinism, ResetReplaysTheIdenticalSequence) {
  for (int mode = 0; mode < 3; ++mode) {
    auto c = brief_config(7, 30000);
    if (mode == 1) flowgen_config_set_bidirectional(c.get(), 0.5);
    if (mode == 2) flowgen_config_set_threads(c.get(), 2);
    auto g = make_generator(c.get());
    const auto first = take(g.get(), 40000, 5000);
    EXPECT_EQ(first.size(), 30000u);
    EXPECT_EQ(flowgen_generator_is_done(g.get()), 1);
    EXPECT_EQ(flowgen_generator_next_batch(g.get(), 100), 0);
    ASSERT_EQ(flowgen_generator_reset(g.get()), FLOWGEN_OK);
    EXPECT_EQ(flowgen_generator_is_done(g.get()), 0);
    flowgen_stats s{};
    flowgen_generator_stats(g.get(), &s, sizeof s);
    EXPECT_EQ(s.flows_generated, 0u);
    const auto again = take(g.get(), 40000, 3000);
    ASSERT_EQ(again.size(), first.size()) << "mode " << mode;
    for (size_t i = 0; i < first.size(); ++i) ASSERT_TRUE(first[i] == again[i]) << "mode " << mode << " record " << i;
  }
}

TEST(Determinism, UnsetSeedIsRandomReportedAndReplayable) {
  ConfigPtr c(flowgen_config_new());
  flowgen_config_add_source_subnet(c.get(), "192.168.1.0/24");
  flowgen_config_add_destination_subnet(c.get(), "10.0.0.0/8");
  flowgen_config_add_pattern(c.get(), "web_traffic", 100);
  auto a = make_generator(c.get()), b = make_generator(c.get());
  flowgen_stats sa{}, sb{};
  flowgen_generator_stats(a.get(), &sa, sizeof sa);
  flowgen_generator_stats(b.get(), &sb, sizeof sb);
  EXPECT_NE(sa.seed, sb.seed);
  // Start unset: the wall clock at creation (after 2020), kept by reset.
  EXPECT_GT(sa.first_timestamp_ns, 1577836800ull * 1000000000ull);
  const auto ra = take(a.get(), 1000);
  EXPECT_EQ(ra[0].timestamp_ns, sa.first_timestamp_ns);
  flowgen_config_set_seed(c.get(), sa.seed);
  flowgen_config_set_start_timestamp_ns(c.get(), sa.first_timestamp_ns);
  auto replay = make_generator(c.get());
  const auto rr = take(replay.get(), 1000);
  for (size_t i = 0; i < ra.size(); ++i) ASSERT_TRUE(ra[i] == rr[i]) << i;
}

TEST(Determinism, MaxFlowsIsExactAndBatchesAreCapped) {
  auto c = brief_config(3, 25000);
  flowgen_config_set_batch_size(c.get(), 4096);
  auto g = make_generator(c.get());
  EXPECT_EQ(flowgen_generator_batch_size(g.get()), 0u);
  EXPECT_EQ(flowgen_generator_next_batch(g.get(), 100000), 4096);
  EXPECT_EQ(flowgen_generator_batch_size(g.get()), 4096u);
  EXPECT_EQ(flowgen_generator_next_batch(g.get(), 10), 10);
  uint64_t total = 4106;
  int32_t n;
  while ((n = flowgen_generator_next_batch(g.get(), 4096)) > 0) total += uint32_t(n);
  EXPECT_EQ(n, 0);
  EXPECT_EQ(total, 25000u);
  EXPECT_EQ(flowgen_generator_is_done(g.get()), 1);
}

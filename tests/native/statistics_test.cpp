// Statistical properties of 1 M records of the brief's example config (fixed seeds):
// pattern shares, subnet weights, ports and protocols per pattern, lengths, bandwidth.
#include <cmath>
#include <map>
#include <set>

#include "core_test_support.hpp"

using namespace flowgen_test;

namespace {

constexpr uint64_t kRecords = 1000000;

struct Tally {
  uint64_t records = 0, bytes = 0;
  uint64_t first_ts = 0, last_ts = 0;
  bool ordered = true;
  std::map<uint8_t, uint64_t> per_pattern;
  std::map<uint32_t, uint64_t> per_source_net;  // /24 network
  std::map<uint8_t, std::map<uint32_t, uint64_t>> ports;  // pattern -> dst port -> count
  std::map<uint8_t, std::set<uint8_t>> protocols;         // pattern -> protocols
  uint64_t length_sum = 0;
  uint16_t length_min = 65535, length_max = 0;
  uint64_t bad_src_port = 0, bad_dst_ip = 0, bad_bytes = 0, bad_flags = 0;
};

Tally tally(flowgen_generator* g, uint64_t count) {
  Tally t;
  while (t.records < count) {
    const int32_t n = flowgen_generator_next_batch(g, uint32_t(std::min<uint64_t>(16384, count - t.records)));
    if (n <= 0) break;
    const auto* ts = column<uint64_t>(g, FLOWGEN_COL_TIMESTAMP_NS);
    const auto* pattern = column<uint8_t>(g, FLOWGEN_COL_PATTERN);
    const auto* src = column<uint32_t>(g, FLOWGEN_COL_SRC_IP4);
    const auto* dst = column<uint32_t>(g, FLOWGEN_COL_DST_IP4);
    const auto* sport = column<uint16_t>(g, FLOWGEN_COL_SRC_PORT);
    const auto* dport = column<uint16_t>(g, FLOWGEN_COL_DST_PORT);
    const auto* proto = column<uint8_t>(g, FLOWGEN_COL_PROTOCOL);
    const auto* flags = column<uint8_t>(g, FLOWGEN_COL_TCP_FLAGS);
    const auto* length = column<uint16_t>(g, FLOWGEN_COL_LENGTH);
    const auto* bytes = column<uint64_t>(g, FLOWGEN_COL_BYTES);
    for (int32_t i = 0; i < n; ++i) {
      if (t.records == 0) t.first_ts = ts[i];
      if (ts[i] < t.last_ts) t.ordered = false;
      t.last_ts = ts[i];
      ++t.records;
      t.bytes += bytes[i];
      ++t.per_pattern[pattern[i]];
      ++t.per_source_net[src[i] >> 8];
      ++t.ports[pattern[i]][dport[i]];
      t.protocols[pattern[i]].insert(proto[i]);
      t.length_sum += length[i];
      t.length_min = std::min(t.length_min, length[i]);
      t.length_max = std::max(t.length_max, length[i]);
      const bool ported = proto[i] == 6 || proto[i] == 17;
      if (ported ? sport[i] < 49152 : sport[i] != 0) ++t.bad_src_port;
      if ((dst[i] >> 24) != 10 || (dst[i] & 0xffffff) == 0 || (dst[i] & 0xffffff) == 0xffffff)
        ++t.bad_dst_ip;
      if (bytes[i] != length[i]) ++t.bad_bytes;
      if (proto[i] == 6 ? (flags[i] & 0x10) == 0 : flags[i] != 0) ++t.bad_flags;
    }
  }
  return t;
}

double share(uint64_t part, uint64_t whole) { return 100.0 * double(part) / double(whole); }

}  // namespace

TEST(Statistics, BriefExampleOverOneMillionRecords) {
  auto c = brief_config(2024);
  auto g = make_generator(c.get());
  const Tally t = tally(g.get(), kRecords);
  ASSERT_EQ(t.records, kRecords);
  EXPECT_TRUE(t.ordered);

  // Pattern shares within 1 % absolute.
  const double expected[] = {40, 20, 15, 10, 15};
  for (uint8_t p = 0; p < 5; ++p)
    EXPECT_NEAR(share(t.per_pattern.count(p) ? t.per_pattern.at(p) : 0, t.records), expected[p], 1.0)
        << "pattern " << int(p);

  // Source subnet weights 70/30.
  EXPECT_NEAR(share(t.per_source_net.at(0xC0A801), t.records), 70, 1.0);
  EXPECT_NEAR(share(t.per_source_net.at(0xC0A802), t.records), 30, 1.0);
  EXPECT_EQ(t.per_source_net.size(), 2u);
  EXPECT_EQ(t.bad_dst_ip, 0u);
  EXPECT_EQ(t.bad_src_port, 0u);

  // Ports and protocols per pattern.
  auto port_set = [&](uint8_t p) {
    std::set<uint32_t> s;
    for (const auto& kv : t.ports.at(p)) s.insert(kv.first);
    return s;
  };
  EXPECT_EQ(port_set(0), (std::set<uint32_t>{80, 443}));
  EXPECT_EQ(port_set(1), (std::set<uint32_t>{53}));
  EXPECT_EQ(port_set(2), (std::set<uint32_t>{3306, 5432, 27017, 6379}));
  EXPECT_EQ(port_set(3), (std::set<uint32_t>{22}));
  EXPECT_GT(port_set(4).size(), 10000u);  // random: any port
  EXPECT_EQ(t.protocols.at(0), (std::set<uint8_t>{6}));
  EXPECT_EQ(t.protocols.at(1), (std::set<uint8_t>{17}));
  EXPECT_EQ(t.protocols.at(2), (std::set<uint8_t>{6}));
  EXPECT_EQ(t.protocols.at(3), (std::set<uint8_t>{6}));
  EXPECT_EQ(t.protocols.at(4), (std::set<uint8_t>{1, 6, 17}));
  EXPECT_EQ(t.bad_flags, 0u);

  // Lengths in [64, 1500], mean within 5 % of 800; packet mode: bytes == length.
  EXPECT_GE(t.length_min, 64);
  EXPECT_LE(t.length_max, 1500);
  EXPECT_NEAR(double(t.length_sum) / double(t.records), 800.0, 40.0);
  EXPECT_EQ(t.bad_bytes, 0u);

  // Bandwidth: bytes over the simulated span within 0.5 % of 10 Gbps.
  const double span_s = double(t.last_ts - t.first_ts) / 1e9;
  EXPECT_EQ(t.first_ts, kStartNs);
  EXPECT_NEAR(double(t.bytes) * 8 / span_s / 1e9, 10.0, 0.05);
  flowgen_stats s{};
  ASSERT_EQ(flowgen_generator_stats(g.get(), &s, sizeof s), FLOWGEN_OK);
  EXPECT_EQ(s.flows_generated, kRecords);
  EXPECT_EQ(s.bytes_generated, t.bytes);
  EXPECT_EQ(s.packets_generated, kRecords);
  EXPECT_EQ(s.seed, 2024u);
  EXPECT_NEAR(double(s.bytes_generated) * 8 / s.simulated_seconds / 1e9, 10.0, 1e-6);
}

TEST(Statistics, PerPatternShapesKeepTheGlobalMean) {
  // DNS packets are small, web packets large, and the mix still averages average_size.
  auto c = brief_config(5);
  flowgen_config_set_packet_sizes(c.get(), 100, 9000, 1200);
  auto g = make_generator(c.get());
  std::map<uint8_t, std::pair<uint64_t, uint64_t>> sums;  // pattern -> (sum, count)
  uint64_t total = 0, count = 0;
  for (int b = 0; b < 20; ++b) {
    const int32_t n = flowgen_generator_next_batch(g.get(), 16384);
    const auto* len = column<uint16_t>(g.get(), FLOWGEN_COL_LENGTH);
    const auto* pat = column<uint8_t>(g.get(), FLOWGEN_COL_PATTERN);
    for (int32_t i = 0; i < n; ++i) {
      ASSERT_GE(len[i], 100);
      ASSERT_LE(len[i], 9000);
      sums[pat[i]].first += len[i];
      ++sums[pat[i]].second;
      total += len[i];
      ++count;
    }
  }
  auto mean = [&](uint8_t p) { return double(sums[p].first) / double(sums[p].second); };
  EXPECT_LT(mean(1), mean(3));  // dns < ssh
  EXPECT_LT(mean(3), mean(0));  // ssh < web
  EXPECT_NEAR(double(total) / double(count), 1200.0, 60.0);
}

TEST(Statistics, BandwidthAccuracyAtManyRates) {
  for (double gbps : {0.001, 1.0, 40.0, 400.0}) {
    auto c = brief_config(11);
    flowgen_config_set_bandwidth_gbps(c.get(), gbps);
    auto g = make_generator(c.get());
    const Tally t = tally(g.get(), 200000);
    const double span_s = double(t.last_ts - t.first_ts) / 1e9;
    EXPECT_NEAR(double(t.bytes) * 8 / span_s / 1e9 / gbps, 1.0, 0.005) << gbps;
    EXPECT_TRUE(t.ordered);
  }
}

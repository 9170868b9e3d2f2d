// Generator behaviour beyond the brief: flow mode through the pattern models, bidirectional
// responses (swapped endpoints, same flow id, after an RTT, in timestamp order, bounded
// queue), IPv6 and ICMP, custom patterns.
#include <algorithm>
#include <map>
#include <set>

#include "core_test_support.hpp"

using namespace flowgen_test;

namespace {

// Checks that every response pairs with an earlier request of the same flow id.
void expect_pairs(const std::vector<Record>& records, uint64_t* responses_out) {
  std::map<uint64_t, Record> requests;
  uint64_t responses = 0;
  for (size_t i = 0; i < records.size(); ++i) {
    const Record& r = records[i];
    if (i > 0) ASSERT_LE(records[i - 1].timestamp_ns, r.timestamp_ns) << i;
    if (r.direction == 0) {
      EXPECT_TRUE(requests.emplace(r.flow_id, r).second) << "request flow id repeated";
      continue;
    }
    ++responses;
    auto it = requests.find(r.flow_id);
    ASSERT_NE(it, requests.end()) << "response without request";
    const Record& q = it->second;
    EXPECT_EQ(r.src_ip4, q.dst_ip4);
    EXPECT_EQ(r.dst_ip4, q.src_ip4);
    EXPECT_EQ(r.src_ip6, q.dst_ip6);
    EXPECT_EQ(r.protocol, q.protocol);
    EXPECT_EQ(r.pattern, q.pattern);
    if (q.protocol == 6 || q.protocol == 17) {
      EXPECT_EQ(r.src_port, q.dst_port);
      EXPECT_EQ(r.dst_port, q.src_port);
    }
    EXPECT_GE(r.timestamp_ns, q.timestamp_ns);
    requests.erase(it);
  }
  *responses_out = responses;
}

}  // namespace

TEST(Generator, BidirectionalPacketModePairsAndKeepsBandwidth) {
  auto c = brief_config(31, 200000);
  flowgen_config_set_bidirectional(c.get(), 0.6);
  auto g = make_generator(c.get());
  const auto records = take(g.get(), 200000);
  ASSERT_EQ(records.size(), 200000u);
  uint64_t responses = 0;
  expect_pairs(records, &responses);
  // Of R requests, 0.6 R get a response: responses / total = 0.6 / 1.6.
  EXPECT_NEAR(double(responses) / double(records.size()), 0.6 / 1.6, 0.01);
  // Requests and responses both advance the timeline by their bytes when they are drawn,
  // so the timeline (stats) carries exactly the bandwidth. The records themselves end up to
  // one RTT later (the last responses), so the trace's own span is checked up to the last
  // request, where only the responses still in flight (about one RTT's worth) are missing.
  uint64_t bytes = 0, bytes_to_last_request = 0, last_request_ts = 0;
  for (const auto& r : records) {
    bytes += r.bytes;
    if (r.direction == 0) last_request_ts = r.timestamp_ns;
  }
  for (const auto& r : records)
    if (r.timestamp_ns <= last_request_ts) bytes_to_last_request += r.bytes;
  flowgen_stats s{};
  flowgen_generator_stats(g.get(), &s, sizeof s);
  EXPECT_EQ(s.bytes_generated, bytes);
  EXPECT_NEAR(double(bytes) * 8 / s.simulated_seconds / 1e9, 10.0, 1e-3);
  const double span = double(last_request_ts - records.front().timestamp_ns) / 1e9;
  EXPECT_NEAR(double(bytes_to_last_request) * 8 / span / 1e9, 10.0, 0.3);
  EXPECT_EQ(s.pending_responses, 0u);  // drained at max_flows
  EXPECT_EQ(flowgen_generator_is_done(g.get()), 1);
}

TEST(Generator, PerPatternBidirectionalOverridesTheGlobalValue) {
  auto c = brief_config(32, 100000);
  flowgen_config_set_bidirectional(c.get(), 0.0);
  flowgen_config_pattern_set_bidirectional(c.get(), 1, 1.0);  // every DNS query answered
  auto g = make_generator(c.get());
  const auto records = take(g.get(), 100000);
  uint64_t responses = 0;
  expect_pairs(records, &responses);
  for (const auto& r : records)
    if (r.direction == 1) ASSERT_EQ(r.pattern, 1);
  EXPECT_GT(responses, 15000u);
}

TEST(Generator, SmallPendingQueueStillPairsEveryResponse) {
  auto c = brief_config(33, 50000);
  flowgen_config_set_bidirectional(c.get(), 1.0);
  flowgen_config_set_max_pending(c.get(), 4);
  auto g = make_generator(c.get());
  std::vector<Record> records;
  for (;;) {
    const int32_t n = flowgen_generator_next_batch(g.get(), 1000);
    if (n <= 0) break;
    flowgen_stats s{};
    flowgen_generator_stats(g.get(), &s, sizeof s);
    ASSERT_LE(s.pending_responses, 4u);
    for (int32_t i = 0; i < n; ++i) records.push_back(record_at(g.get(), uint32_t(i)));
  }
  ASSERT_EQ(records.size(), 50000u);
  std::map<uint64_t, int> directions;
  for (const auto& r : records) directions[r.flow_id] |= 1 << r.direction;
  for (const auto& kv : directions) ASSERT_EQ(kv.second, 3) << kv.first;
}

TEST(Generator, FlowModeUsesThePatternModels) {
  auto c = brief_config(34, 100000);
  flowgen_config_set_flow_model(c.get(), FLOWGEN_MODEL_FLOW);
  flowgen_config_set_bidirectional(c.get(), 0.5);
  auto g = make_generator(c.get());
  const auto records = take(g.get(), 100000);
  ASSERT_EQ(records.size(), 100000u);
  uint64_t responses = 0;
  expect_pairs(records, &responses);
  EXPECT_GT(responses, 20000u);
  uint64_t multi_packet = 0, bytes = 0;
  for (const auto& r : records) {
    multi_packet += r.packets > 1;
    bytes += r.bytes;
    ASSERT_GE(r.packets, 1u);
    ASSERT_GE(r.bytes, uint64_t(r.packets) * 20);
    // length: the mean packet size, floor(bytes / packets), capped at 65535.
    ASSERT_EQ(r.length, std::min<uint64_t>(65535, r.bytes / r.packets));
    if (r.protocol != 6) ASSERT_EQ(r.tcp_flags, 0);
    if (r.direction == 0 && (r.protocol == 6 || r.protocol == 17)) ASSERT_GE(r.src_port, 49152);
  }
  EXPECT_GT(multi_packet, 1000u);
  // Bandwidth timing uses each record's bytes: requests' and responses' bytes over the
  // span. Responses drawn after the last request can end a little later, so use the
  // timeline reported in stats.
  flowgen_stats s{};
  flowgen_generator_stats(g.get(), &s, sizeof s);
  EXPECT_EQ(s.bytes_generated, bytes);
  EXPECT_NEAR(double(bytes) * 8 / s.simulated_seconds / 1e9, 10.0, 0.05);
}

TEST(Generator, IPv6AndIcmpRecords) {
  ConfigPtr c(flowgen_config_new());
  flowgen_config_set_seed(c.get(), 35);
  flowgen_config_set_start_timestamp_ns(c.get(), kStartNs);
  flowgen_config_add_source_subnet(c.get(), "2001:db8:1::/48");
  flowgen_config_add_source_subnet(c.get(), "192.168.1.0/24");
  flowgen_config_add_destination_subnet(c.get(), "2001:db8:2::/64");
  flowgen_config_add_destination_subnet(c.get(), "10.0.0.0/8");
  flowgen_config_add_pattern(c.get(), "random", 100);
  auto g = make_generator(c.get());
  const auto records = take(g.get(), 50000);
  uint64_t v6 = 0, icmp4 = 0, icmp6 = 0;
  for (const auto& r : records) {
    if (r.ip_version == 6) {
      ++v6;
      ASSERT_EQ(r.src_ip4, 0u);
      ASSERT_EQ(r.src_ip6[0], 0x20);
      ASSERT_EQ(r.src_ip6[5], 0x01);
      ASSERT_EQ(r.dst_ip6[5], 0x02);
      ASSERT_NE(r.protocol, 1) << "ICMP over IPv6 is ICMPv6";
    } else {
      ASSERT_EQ(r.dst_ip4 >> 24, 10u);
      ASSERT_NE(r.protocol, 58);
    }
    if (r.protocol == 1 || r.protocol == 58) {
      (r.protocol == 1 ? icmp4 : icmp6)++;
      ASSERT_EQ(r.src_port, 0);
      const int type = r.dst_port >> 8;
      ASSERT_TRUE(r.protocol == 1 ? (type == 0 || type == 3 || type == 8 || type == 11)
                                  : (type == 1 || type == 3 || type == 128 || type == 129))
          << type;
    }
  }
  EXPECT_NEAR(double(v6) / double(records.size()), 0.5, 0.01);
  EXPECT_GT(icmp4, 1000u);
  EXPECT_GT(icmp6, 1000u);
}

TEST(Generator, IcmpEchoRequestsGetEchoReplies) {
  ConfigPtr c(flowgen_config_new());
  flowgen_config_set_seed(c.get(), 37);
  flowgen_config_add_source_subnet(c.get(), "2001:db8:1::/48");
  flowgen_config_add_source_subnet(c.get(), "192.168.1.0/24");
  flowgen_config_add_destination_subnet(c.get(), "2001:db8:2::/64");
  flowgen_config_add_destination_subnet(c.get(), "10.0.0.0/8");
  flowgen_config_add_pattern(c.get(), "random", 100);
  flowgen_config_set_bidirectional(c.get(), 1.0);
  auto g = make_generator(c.get());
  std::map<uint64_t, Record> requests;
  uint64_t replies = 0;
  for (const auto& r : take(g.get(), 100000)) {
    if (r.direction == 0) {
      requests[r.flow_id] = r;
      continue;
    }
    const Record& q = requests.at(r.flow_id);
    if (q.dst_port == (8 << 8) && q.protocol == 1) {
      EXPECT_EQ(r.dst_port, 0);
      ++replies;
    }
    if (q.dst_port == (128 << 8) && q.protocol == 58) {
      EXPECT_EQ(r.dst_port, 129 << 8);
      ++replies;
    }
  }
  EXPECT_GT(replies, 1000u);
}

TEST(Generator, CustomPatternPortsProtocolAndSize) {
  ConfigPtr c(flowgen_config_new());
  flowgen_config_set_seed(c.get(), 36);
  flowgen_config_add_source_subnet(c.get(), "192.168.1.0/24");
  flowgen_config_add_destination_subnet(c.get(), "10.0.0.0/8");
  flowgen_config_add_pattern(c.get(), "web_traffic", 70);
  const int32_t p = flowgen_config_add_custom_pattern(c.get(), "syslog", 17, 30);
  flowgen_config_pattern_add_port(c.get(), p, 514, 3);
  flowgen_config_pattern_add_port(c.get(), p, 6514, 1);
  flowgen_config_pattern_set_distribution(c.get(), p, FLOWGEN_Q_PACKET_SIZE, FLOWGEN_DIST_UNIFORM,
                                          200, 300);
  auto g = make_generator(c.get());
  const auto records = take(g.get(), 100000);
  uint64_t custom = 0, p514 = 0;
  for (const auto& r : records) {
    if (r.pattern != 1) continue;
    ++custom;
    p514 += r.dst_port == 514;
    ASSERT_EQ(r.protocol, 17);
    ASSERT_TRUE(r.dst_port == 514 || r.dst_port == 6514);
    ASSERT_GE(r.length, 200);
    ASSERT_LE(r.length, 300);
  }
  EXPECT_NEAR(double(custom) / double(records.size()), 0.30, 0.01);
  EXPECT_NEAR(double(p514) / double(custom), 0.75, 0.02);
}

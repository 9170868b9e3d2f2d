// The C++ API (flowgen/generator.hpp): the brief's example, FlowRecord::to_csv() equal to
// the engine's CSV encoder line for line (IPv4 and IPv6), errors, reset, checkpoint.
#include <sstream>

#include "core_test_support.hpp"
#include "flowgen/generator.hpp"

namespace {

flowgen::GeneratorConfig brief_example() {
  flowgen::GeneratorConfig config;
  config.bandwidth_gbps = 10.0;
  config.max_flows = 100000;
  config.source_subnets = {"192.168.1.0/24"};
  config.destination_subnets = {"10.0.0.0/8"};
  config.traffic_patterns = {{"web_traffic", 60.0}, {"dns_traffic", 40.0}};
  config.seed = 42;
  config.start_timestamp = 1704067200.0;
  return config;
}

// CSV text of the generator's current batch from the engine's encoder (no header).
std::vector<std::string> encoder_lines(const flowgen_generator* g) {
  flowgen_encoder* e = nullptr;
  EXPECT_EQ(flowgen_encoder_new(FLOWGEN_FORMAT_CSV, &e), FLOWGEN_OK);
  flowgen_encoder_set_param(e, FLOWGEN_PARAM_CSV_HEADER, 0);
  EXPECT_EQ(flowgen_encoder_encode(e, g), FLOWGEN_OK) << flowgen_encoder_error(e);
  flowgen_encoder_finish(e);
  std::string text(reinterpret_cast<const char*>(flowgen_encoder_data(e)), flowgen_encoder_size(e));
  flowgen_encoder_free(e);
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

}  // namespace

TEST(CppApi, BriefExampleGeneratesMaxFlowsRecords) {
  flowgen::FlowGenerator generator;
  ASSERT_TRUE(generator.initialize(brief_example())) << generator.last_error();
  flowgen::FlowRecord flow;
  uint64_t count = 0, web = 0;
  double previous = 0;
  while (generator.next(flow)) {
    ++count;
    web += flow.destination_port == 80 || flow.destination_port == 443;
    ASSERT_GE(flow.timestamp, previous);
    previous = flow.timestamp;
    ASSERT_EQ(flow.source_ip.rfind("192.168.1.", 0), 0u) << flow.source_ip;
    ASSERT_EQ(flow.destination_ip.rfind("10.", 0), 0u) << flow.destination_ip;
  }
  EXPECT_EQ(count, 100000u);
  EXPECT_NEAR(double(web) / double(count), 0.6, 0.01);
  EXPECT_TRUE(generator.is_done());
  const flowgen::Stats stats = generator.get_stats();
  EXPECT_EQ(stats.flows_generated, 100000u);
  EXPECT_EQ(stats.seed, 42u);
  EXPECT_GT(stats.simulated_seconds, 0.0);
  EXPECT_EQ(flowgen::FlowRecord::csv_header(),
            "timestamp,src_ip,dst_ip,src_port,dst_port,protocol,length");
}

TEST(CppApi, ToCsvMatchesTheEngineEncoder) {
  auto config = brief_example();
  config.source_subnets = {"192.168.1.0/24", "2001:db8:0:1::/64", "::ffff:0:0/96"};
  config.destination_subnets = {"10.0.0.0/8", "2001:db8::/120", "::/0"};
  config.traffic_patterns = {{"random", 100.0}};
  config.batch_size = 4096;
  config.max_flows = 4096;
  config.start_timestamp = 1704067200.0000004996;  // sub-microsecond start: rounding matters
  flowgen::FlowGenerator generator;
  ASSERT_TRUE(generator.initialize(config)) << generator.last_error();
  flowgen::FlowRecord flow;
  ASSERT_TRUE(generator.next(flow));  // fills the first batch
  const auto expected = encoder_lines(generator.handle());
  ASSERT_EQ(expected.size(), 4096u);
  EXPECT_EQ(flow.to_csv(), expected[0]);
  size_t v6 = 0;
  for (size_t i = 1; i < expected.size(); ++i) {
    ASSERT_TRUE(generator.next(flow));
    v6 += flow.ip_version == 6;
    ASSERT_EQ(flow.to_csv(), expected[i]) << i;
  }
  EXPECT_GT(v6, 1000u);
  EXPECT_FALSE(generator.next(flow));
}

TEST(CppApi, ToCsvRoundsToTheMicrosecond) {
  flowgen::FlowRecord r;
  r.source_ip = "1.2.3.4";
  r.destination_ip = "5.6.7.8";
  r.source_port = 50000;
  r.destination_port = 443;
  r.protocol = 6;
  r.packet_length = 1200;
  r.timestamp_ns = 1704067200999999500ull;
  EXPECT_EQ(r.to_csv(), "1704067201.000000,1.2.3.4,5.6.7.8,50000,443,6,1200");
  r.timestamp_ns = 1704067200000001499ull;
  EXPECT_EQ(r.to_csv(), "1704067200.000001,1.2.3.4,5.6.7.8,50000,443,6,1200");
  const uint8_t loopback[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
  EXPECT_EQ(flowgen::FlowRecord::format_ipv6(loopback), "::1");
  const uint8_t doc[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0};
  EXPECT_EQ(flowgen::FlowRecord::format_ipv6(doc), "2001:db8:0:1::");
}

TEST(CppApi, InitializeReportsTheOffendingKey) {
  flowgen::FlowGenerator generator;
  auto config = brief_example();
  config.traffic_patterns = {{"web_traffic", 60.0}, {"dns_traffic", 35.0}};
  EXPECT_FALSE(generator.initialize(config));
  EXPECT_EQ(generator.last_error(), "traffic_patterns: percentages sum to 95, expected 100");
  config = brief_example();
  config.source_subnets = {"192.168.1.0/24", "10.0.0.0/33"};
  EXPECT_FALSE(generator.initialize(config));
  EXPECT_NE(generator.last_error().find("network.source_subnets[1]: invalid CIDR \"10.0.0.0/33\""),
            std::string::npos);
  config = brief_example();
  config.start_timestamp = -5;
  EXPECT_FALSE(generator.initialize(config));
  EXPECT_NE(generator.last_error().find("generation.start_timestamp"), std::string::npos);
  flowgen::FlowRecord flow;
  EXPECT_FALSE(generator.next(flow));
  EXPECT_TRUE(generator.is_done());
}

TEST(CppApi, ResetCheckpointAndMove) {
  auto config = brief_example();
  config.max_flows = 20000;
  config.batch_size = 1000;
  flowgen::FlowGenerator generator;
  ASSERT_TRUE(generator.initialize(config));
  flowgen::FlowRecord flow;
  std::vector<std::string> first;
  for (int i = 0; i < 5321 && generator.next(flow); ++i) first.push_back(flow.to_csv());
  const std::vector<uint8_t> blob = generator.checkpoint();  // mid-batch: exact anyway
  ASSERT_FALSE(blob.empty());
  std::vector<std::string> rest;
  while (generator.next(flow)) rest.push_back(flow.to_csv());
  generator.reset();
  for (size_t i = 0; i < first.size(); ++i) {
    ASSERT_TRUE(generator.next(flow));
    ASSERT_EQ(flow.to_csv(), first[i]);
  }
  flowgen::FlowGenerator other;
  ASSERT_TRUE(other.initialize(config));
  ASSERT_TRUE(other.restore(blob)) << other.last_error();
  flowgen::FlowGenerator moved = std::move(other);
  for (const auto& line : rest) {
    ASSERT_TRUE(moved.next(flow));
    ASSERT_EQ(flow.to_csv(), line);
  }
  EXPECT_FALSE(moved.next(flow));
  EXPECT_TRUE(moved.is_done());
  // A checkpoint taken right after a restore still carries the unread records.
  flowgen::FlowGenerator again;
  ASSERT_TRUE(again.initialize(config));
  ASSERT_TRUE(again.restore(blob));
  ASSERT_TRUE(again.next(flow));
  EXPECT_EQ(flow.to_csv(), rest[0]);
  const auto blob2 = again.checkpoint();
  flowgen::FlowGenerator third;
  ASSERT_TRUE(third.initialize(config));
  ASSERT_TRUE(third.restore(blob2));
  size_t k = 1;
  while (third.next(flow)) ASSERT_EQ(flow.to_csv(), rest[k++]);
  EXPECT_EQ(k, rest.size());
  EXPECT_FALSE(moved.restore({1, 2, 3}));
  EXPECT_NE(moved.last_error().find("checkpoint"), std::string::npos);
}

// Config setters and whole-config validation: every bad value refused with the key, the
// value and why; nothing aborts. Also CIDR parsing and address drawing.
#include <cmath>
#include <limits>
#include <set>

#include "cidr.hpp"
#include "core_test_support.hpp"

using namespace flowgen_test;

namespace {

// generator_new must refuse `c` with FLOWGEN_ERR_INVALID_CONFIG and a message containing
// every fragment.
void expect_refused(flowgen_config* c, std::initializer_list<std::string> fragments,
                    int32_t status = FLOWGEN_ERR_INVALID_CONFIG) {
  flowgen_generator* g = reinterpret_cast<flowgen_generator*>(&c);  // must be reset to NULL
  EXPECT_EQ(flowgen_generator_new(c, &g), status);
  EXPECT_EQ(g, nullptr);
  const std::string message = flowgen_config_error(c);
  for (const auto& f : fragments) EXPECT_NE(message.find(f), std::string::npos) << message;
}

void expect_setter_refused(int32_t status, flowgen_config* c,
                           std::initializer_list<std::string> fragments,
                           int32_t expected = FLOWGEN_ERR_INVALID_CONFIG) {
  EXPECT_EQ(status, expected);
  const std::string message = flowgen_config_error(c);
  for (const auto& f : fragments) EXPECT_NE(message.find(f), std::string::npos) << message;
}

}  // namespace

TEST(Config, BriefExampleIsAccepted) {
  auto c = brief_config();
  auto g = make_generator(c.get());
  ASSERT_NE(g, nullptr);
  EXPECT_EQ(flowgen_generator_pattern_count(g.get()), 5u);
  EXPECT_STREQ(flowgen_generator_pattern_name(g.get(), 1), "dns_traffic");
  EXPECT_EQ(flowgen_generator_pattern_name(g.get(), 5), nullptr);
  EXPECT_EQ(flowgen_generator_batch_capacity(g.get()), 16384u);
}

TEST(Config, InvalidCidrNamesKeyAndValue) {
  auto c = brief_config();
  expect_setter_refused(flowgen_config_add_source_subnet(c.get(), "10.0.0.0/33"), c.get(),
                        {"network.source_subnets[2]: invalid CIDR \"10.0.0.0/33\""});
  for (const char* bad : {"10.0.0/8", "256.0.0.0/8", "10.0.0.0", "10.0.0.0/", "10.0.0.0/-1",
                          "2001:db8::/129", ":::/64", "2001:db8:::1/64", "1:2:3:4:5:6:7:8:9/64",
                          "abc", "", "10.0.0.01/8", "/8", "10.0.0.0/8 "}) {
    EXPECT_EQ(flowgen_config_add_destination_subnet(c.get(), bad), FLOWGEN_ERR_INVALID_CONFIG)
        << bad;
    EXPECT_NE(std::string(flowgen_config_error(c.get())).find(std::string("\"") + bad + "\""),
              std::string::npos);
  }
  // The refused subnets were not added: the config still works.
  EXPECT_NE(make_generator(c.get()), nullptr);
}

TEST(Config, ValidCidrsOfBothFamilies) {
  auto c = brief_config();
  for (const char* good : {"2001:db8::/32", "::/0", "::1/128", "::ffff:10.0.0.0/104",
                           "0.0.0.0/0", "10.0.0.1/32", "fe80::1:2:3:4/64", "1:2:3:4:5:6:7:8/128"})
    EXPECT_EQ(flowgen_config_add_destination_subnet(c.get(), good), FLOWGEN_OK) << good;
}

TEST(Config, PacketSizes) {
  auto c = brief_config();
  flowgen_config_set_packet_sizes(c.get(), 1600, 1500, 1550);
  expect_refused(c.get(), {"packets: min_size 1600 > max_size 1500"});
  flowgen_config_set_packet_sizes(c.get(), 10, 1500, 800);
  expect_refused(c.get(), {"packets.min_size: 10"});
  flowgen_config_set_packet_sizes(c.get(), 64, 1500, 1501);
  expect_refused(c.get(), {"packets.average_size: 1501"});
  expect_setter_refused(flowgen_config_set_packet_sizes(c.get(), 64, 70000, 800), c.get(),
                        {"packets.max_size: 70000"});
}

TEST(Config, Bandwidth) {
  auto c = brief_config();
  for (double bad : {-1.0, 0.0, std::nan(""), std::numeric_limits<double>::infinity(),
                     -std::numeric_limits<double>::infinity(), 1e7})
    expect_setter_refused(flowgen_config_set_bandwidth_gbps(c.get(), bad), c.get(),
                          {"generation.rate.bandwidth_gbps: "});
  EXPECT_EQ(flowgen_config_set_bandwidth_gbps(c.get(), 40.0), FLOWGEN_OK);
}

TEST(Config, EmptySubnetLists) {
  ConfigPtr c(flowgen_config_new());
  flowgen_config_add_pattern(c.get(), "web_traffic", 100);
  expect_refused(c.get(), {"network.source_subnets: empty"});
  flowgen_config_add_source_subnet(c.get(), "192.168.1.0/24");
  expect_refused(c.get(), {"network.destination_subnets: empty"});
}

TEST(Config, Patterns) {
  ConfigPtr c(flowgen_config_new());
  flowgen_config_add_source_subnet(c.get(), "192.168.1.0/24");
  flowgen_config_add_destination_subnet(c.get(), "10.0.0.0/8");
  expect_refused(c.get(), {"traffic_patterns: empty"});
  EXPECT_EQ(flowgen_config_add_pattern(c.get(), "web_traffic", 60), 0);
  EXPECT_EQ(flowgen_config_add_pattern(c.get(), "dns_traffic", 35), 1);
  expect_refused(c.get(), {"traffic_patterns: percentages sum to 95, expected 100"});
  expect_setter_refused(flowgen_config_add_pattern(c.get(), "video_traffic", 5), c.get(),
                        {"traffic_patterns[2].type: unknown pattern type \"video_traffic\"",
                         "web_traffic", "ftp_traffic", "random"});
  expect_setter_refused(flowgen_config_add_pattern(c.get(), "random", -5), c.get(),
                        {"traffic_patterns[2].percentage: -5"});
  expect_setter_refused(flowgen_config_add_pattern(c.get(), "random", std::nan("")), c.get(),
                        {"traffic_patterns[2].percentage: nan"});
  EXPECT_EQ(flowgen_config_add_pattern(c.get(), "random", 5), 2);
  EXPECT_NE(make_generator(c.get()), nullptr);
}

TEST(Config, Weights) {
  auto c = brief_config();
  const double three[] = {1, 2, 3};
  flowgen_config_set_source_weights(c.get(), three, 3);
  expect_refused(c.get(), {"network.source_weights: 3 weights for 2 subnets"});
  const double zero[] = {0, 0};
  flowgen_config_set_source_weights(c.get(), zero, 2);
  expect_refused(c.get(), {"network.source_weights: all weights are zero"});
  const double negative[] = {1, -2};
  expect_setter_refused(flowgen_config_set_source_weights(c.get(), negative, 2), c.get(),
                        {"network.source_weights[1]: -2"});
  const double nan_weight[] = {std::nan("")};
  expect_setter_refused(flowgen_config_set_destination_weights(c.get(), nan_weight, 1), c.get(),
                        {"network.destination_weights[0]: nan"});
  const double two[] = {1, 1};
  flowgen_config_set_source_weights(c.get(), two, 2);
  flowgen_config_set_destination_weights(c.get(), two, 2);
  expect_refused(c.get(), {"network.destination_weights: 2 weights for 1 subnets"});
}

TEST(Config, SourceFamilyNeedsDestinationFamily) {
  auto c = brief_config();
  flowgen_config_add_source_subnet(c.get(), "2001:db8::/32");
  flowgen_config_set_source_weights(c.get(), nullptr, 0);
  expect_refused(c.get(), {"no IPv6 subnet", "network.source_subnets[2] \"2001:db8::/32\""});
  flowgen_config_add_destination_subnet(c.get(), "2001:db8:ffff::/48");
  EXPECT_NE(make_generator(c.get()), nullptr);
}

TEST(Config, ResourceLimitsAndEnums) {
  auto c = brief_config();
  expect_setter_refused(flowgen_config_set_max_pending(c.get(), FLOWGEN_MAX_PENDING_LIMIT + 1),
                        c.get(), {"generation.bidirectional.max_pending: 16777217", "limit"},
                        FLOWGEN_ERR_NO_MEMORY);
  EXPECT_EQ(flowgen_config_set_max_pending(c.get(), FLOWGEN_MAX_PENDING_LIMIT), FLOWGEN_OK);
  expect_setter_refused(flowgen_config_set_shard(c.get(), 3, 3), c.get(),
                        {"generation.shard: 3/3"});
  expect_setter_refused(flowgen_config_set_threads(c.get(), 0), c.get(), {"generation.threads: 0"});
  expect_setter_refused(flowgen_config_set_batch_size(c.get(), 0), c.get(),
                        {"generation.batch_size: 0"});
  expect_setter_refused(flowgen_config_set_batch_size(c.get(), FLOWGEN_MAX_BATCH + 1), c.get(),
                        {"generation.batch_size: 1048577"});
  expect_setter_refused(flowgen_config_set_flow_model(c.get(), 7), c.get(),
                        {"generation.flow_model: 7"});
  expect_setter_refused(flowgen_config_set_bidirectional(c.get(), 1.5), c.get(),
                        {"generation.bidirectional.probability: 1.5"});
  expect_setter_refused(flowgen_config_set_rtt_ms(c.get(), 99, 1, 1), c.get(),
                        {"generation.bidirectional.rtt_ms: distribution 99"});
  expect_setter_refused(flowgen_config_pattern_set_flow_model(c.get(), 9, 0), c.get(),
                        {"traffic_patterns: no pattern with index 9"},
                        FLOWGEN_ERR_INVALID_ARGUMENT);
}

TEST(Config, CustomPatterns) {
  ConfigPtr c(flowgen_config_new());
  flowgen_config_add_source_subnet(c.get(), "192.168.1.0/24");
  flowgen_config_add_destination_subnet(c.get(), "10.0.0.0/8");
  flowgen_config_add_pattern(c.get(), "web_traffic", 50);
  const int32_t p = flowgen_config_add_custom_pattern(c.get(), "syslog", 17, 50);
  ASSERT_EQ(p, 1);
  expect_refused(c.get(), {"traffic_patterns[1].ports", "\"syslog\"", "at least one"});
  expect_setter_refused(flowgen_config_pattern_add_port(c.get(), p, 70000, 1), c.get(),
                        {"traffic_patterns[1].ports[0]: port 70000"});
  expect_setter_refused(flowgen_config_pattern_add_port(c.get(), 0, 8080, 1), c.get(),
                        {"only be set on custom patterns"});
  EXPECT_EQ(flowgen_config_pattern_add_port(c.get(), p, 514, 1), FLOWGEN_OK);
  expect_setter_refused(flowgen_config_add_custom_pattern(c.get(), "", 6, 0), c.get(),
                        {"traffic_patterns[2].name"});
  expect_setter_refused(flowgen_config_add_custom_pattern(c.get(), "x", 300, 0), c.get(),
                        {"traffic_patterns[2].protocol: 300"});
  auto g = make_generator(c.get());
  ASSERT_NE(g, nullptr);
  EXPECT_STREQ(flowgen_generator_pattern_name(g.get(), 1), "syslog");
}

TEST(Config, NullHandlesAreRefusedNotFatal) {
  flowgen_config_free(nullptr);
  flowgen_generator_free(nullptr);
  EXPECT_EQ(flowgen_config_set_seed(nullptr, 1), FLOWGEN_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(flowgen_config_add_source_subnet(nullptr, "10.0.0.0/8"), FLOWGEN_ERR_INVALID_ARGUMENT);
  flowgen_generator* g = nullptr;
  EXPECT_EQ(flowgen_generator_new(nullptr, &g), FLOWGEN_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(flowgen_generator_next_batch(nullptr, 10), FLOWGEN_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(flowgen_generator_column(nullptr, 0), nullptr);
  EXPECT_EQ(flowgen_generator_is_done(nullptr), 0);
  auto c = brief_config();
  EXPECT_EQ(flowgen_config_add_source_subnet(c.get(), nullptr), FLOWGEN_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(flowgen_generator_new(c.get(), nullptr), FLOWGEN_ERR_INVALID_ARGUMENT);
  EXPECT_STREQ(flowgen_status_string(FLOWGEN_ERR_INVALID_CONFIG), "invalid config");
  EXPECT_EQ(flowgen_abi_version(), uint32_t(FLOWGEN_ABI_VERSION));
  EXPECT_STREQ(flowgen_version(), FLOWGEN_VERSION_STRING);
}

TEST(Cidr, DrawsInsideTheSubnetAvoidingNetworkAndBroadcast) {
  using flowgen::detail::Cidr;
  using flowgen::detail::parse_cidr;
  flowgen::detail::Rng rng(7);
  Cidr c;
  ASSERT_TRUE(parse_cidr("192.168.1.77/24", c));  // host bits are masked
  std::set<uint32_t> seen;
  for (int i = 0; i < 20000; ++i) seen.insert(c.v4_from(uint32_t(rng.next())));
  EXPECT_EQ(seen.size(), 254u);
  EXPECT_EQ(*seen.begin(), 0xC0A80101u);
  EXPECT_EQ(*seen.rbegin(), 0xC0A801FEu);
  ASSERT_TRUE(parse_cidr("10.0.0.5/32", c));
  EXPECT_EQ(c.v4_from(0xffffffffu), 0x0A000005u);
  ASSERT_TRUE(parse_cidr("10.0.0.4/31", c));
  seen.clear();
  for (int i = 0; i < 100; ++i) seen.insert(c.v4_from(uint32_t(rng.next())));
  EXPECT_EQ(seen, (std::set<uint32_t>{0x0A000004u, 0x0A000005u}));
  ASSERT_TRUE(parse_cidr("2001:db8:aa::/48", c));
  EXPECT_EQ(c.version, 6);
  for (int i = 0; i < 1000; ++i) {
    uint8_t a[16];
    c.v6_into(rng, a);
    const uint8_t prefix[6] = {0x20, 0x01, 0x0d, 0xb8, 0x00, 0xaa};
    ASSERT_EQ(std::memcmp(a, prefix, 6), 0);
  }
  ASSERT_TRUE(parse_cidr("::1/128", c));
  uint8_t a[16];
  c.v6_into(rng, a);
  EXPECT_EQ(a[15], 1);
  EXPECT_EQ(std::count(a, a + 15, 0), 15);
}

// ABI misuse: what a careless or hostile caller can do through flowgen.h must end in a
// status code and a message, never a crash. NULL handles, free(NULL), reuse, calls out of
// order, garbage checkpoints, resource limits, batch limits, and the exception guard.
#include <gtest/gtest.h>

#include <csignal>
#include <cstring>
#include <limits>
#include <new>
#include <stdexcept>
#include <string>
#include <vector>

#include <fcntl.h>
#include <unistd.h>

#include "abi_guard.hpp"
#include "flowgen/flowgen.h"

namespace {

flowgen_config* valid_config(uint64_t seed = 7) {
  flowgen_config* c = flowgen_config_new();
  EXPECT_EQ(flowgen_config_set_seed(c, seed), FLOWGEN_OK);
  EXPECT_EQ(flowgen_config_set_start_timestamp_ns(c, 1704067200000000000ull), FLOWGEN_OK);
  EXPECT_EQ(flowgen_config_set_batch_size(c, 128), FLOWGEN_OK);
  EXPECT_EQ(flowgen_config_add_source_subnet(c, "192.168.1.0/24"), FLOWGEN_OK);
  EXPECT_EQ(flowgen_config_add_destination_subnet(c, "10.0.0.0/8"), FLOWGEN_OK);
  EXPECT_GE(flowgen_config_add_pattern(c, "web_traffic", 60), 0);
  EXPECT_GE(flowgen_config_add_pattern(c, "dns_traffic", 40), 0);
  return c;
}

flowgen_generator* valid_generator(uint64_t seed = 7) {
  flowgen_config* c = valid_config(seed);
  flowgen_generator* g = nullptr;
  EXPECT_EQ(flowgen_generator_new(c, &g), FLOWGEN_OK) << flowgen_config_error(c);
  flowgen_config_free(c);
  return g;
}

std::vector<uint64_t> timestamps(const flowgen_generator* g) {
  const auto* ts =
      static_cast<const uint64_t*>(flowgen_generator_column(g, FLOWGEN_COL_TIMESTAMP_NS));
  return std::vector<uint64_t>(ts, ts + flowgen_generator_batch_size(g));
}

std::vector<uint8_t> checkpoint(const flowgen_generator* g) {
  uint32_t needed = 0;
  EXPECT_EQ(flowgen_generator_checkpoint(g, nullptr, 0, &needed), FLOWGEN_ERR_BUFFER_TOO_SMALL);
  std::vector<uint8_t> blob(needed);
  EXPECT_EQ(flowgen_generator_checkpoint(g, blob.data(), needed, nullptr), int32_t(needed));
  return blob;
}

TEST(AbiMisuse, FreeNullIsANoOp) {
  flowgen_config_free(nullptr);
  flowgen_generator_free(nullptr);
  flowgen_encoder_free(nullptr);
  flowgen_udp_free(nullptr);
}

TEST(AbiMisuse, NullConfigEverywhere) {
  const double w[1] = {1};
  EXPECT_STREQ(flowgen_config_error(nullptr), "config is NULL");
  EXPECT_EQ(flowgen_config_set_max_flows(nullptr, 1), FLOWGEN_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(flowgen_config_set_bandwidth_gbps(nullptr, 1), FLOWGEN_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(flowgen_config_set_start_timestamp_ns(nullptr, 1), FLOWGEN_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(flowgen_config_set_seed(nullptr, 1), FLOWGEN_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(flowgen_config_set_flow_model(nullptr, 0), FLOWGEN_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(flowgen_config_set_bidirectional(nullptr, 0), FLOWGEN_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(flowgen_config_set_rtt_ms(nullptr, 0, 1, 0), FLOWGEN_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(flowgen_config_set_max_pending(nullptr, 1), FLOWGEN_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(flowgen_config_set_shard(nullptr, 0, 1), FLOWGEN_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(flowgen_config_set_threads(nullptr, 1), FLOWGEN_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(flowgen_config_set_batch_size(nullptr, 1), FLOWGEN_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(flowgen_config_set_packet_sizes(nullptr, 64, 1500, 800), FLOWGEN_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(flowgen_config_add_source_subnet(nullptr, "10.0.0.0/8"), FLOWGEN_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(flowgen_config_add_destination_subnet(nullptr, "10.0.0.0/8"), FLOWGEN_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(flowgen_config_set_source_weights(nullptr, w, 1), FLOWGEN_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(flowgen_config_set_destination_weights(nullptr, w, 1), FLOWGEN_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(flowgen_config_add_pattern(nullptr, "web_traffic", 100), FLOWGEN_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(flowgen_config_add_custom_pattern(nullptr, "x", 6, 100), FLOWGEN_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(flowgen_config_pattern_add_port(nullptr, 0, 80, 1), FLOWGEN_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(flowgen_config_pattern_set_distribution(nullptr, 0, 0, 0, 1, 0), FLOWGEN_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(flowgen_config_pattern_set_empirical(nullptr, 0, 0, w, w, 1), FLOWGEN_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(flowgen_config_pattern_set_flow_model(nullptr, 0, 0), FLOWGEN_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(flowgen_config_pattern_set_bidirectional(nullptr, 0, 0), FLOWGEN_ERR_INVALID_ARGUMENT);
  flowgen_generator* g = reinterpret_cast<flowgen_generator*>(1);
  EXPECT_EQ(flowgen_generator_new(nullptr, &g), FLOWGEN_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(g, nullptr) << "*out is cleared on failure";
}

TEST(AbiMisuse, NullPointersInsideAValidConfig) {
  flowgen_config* c = flowgen_config_new();
  EXPECT_EQ(flowgen_config_add_source_subnet(c, nullptr), FLOWGEN_ERR_INVALID_ARGUMENT);
  EXPECT_NE(std::string(flowgen_config_error(c)), "");
  EXPECT_EQ(flowgen_config_add_pattern(c, nullptr, 100), FLOWGEN_ERR_INVALID_ARGUMENT);
  EXPECT_LT(flowgen_config_add_custom_pattern(c, nullptr, 6, 100), 0);
  EXPECT_EQ(flowgen_config_set_source_weights(c, nullptr, 3), FLOWGEN_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(flowgen_config_set_source_weights(c, nullptr, 0), FLOWGEN_OK) << "empty = equal weights";
  EXPECT_EQ(flowgen_generator_new(c, nullptr), FLOWGEN_ERR_INVALID_ARGUMENT);
  flowgen_config_free(c);
}

TEST(AbiMisuse, NullGeneratorEverywhere) {
  flowgen_stats st;
  uint32_t needed = 0;
  const uint8_t blob[4] = {};
  EXPECT_STREQ(flowgen_generator_error(nullptr), "generator is NULL");
  EXPECT_EQ(flowgen_generator_next_batch(nullptr, 10), FLOWGEN_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(flowgen_generator_batch_size(nullptr), 0u);
  EXPECT_EQ(flowgen_generator_batch_capacity(nullptr), 0u);
  EXPECT_EQ(flowgen_generator_column(nullptr, 0), nullptr);
  EXPECT_EQ(flowgen_generator_pattern_name(nullptr, 0), nullptr);
  EXPECT_EQ(flowgen_generator_pattern_count(nullptr), 0u);
  EXPECT_EQ(flowgen_generator_is_done(nullptr), 0);
  EXPECT_EQ(flowgen_generator_reset(nullptr), FLOWGEN_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(flowgen_generator_stats(nullptr, &st, sizeof st), FLOWGEN_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(flowgen_generator_checkpoint(nullptr, nullptr, 0, &needed), FLOWGEN_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(flowgen_generator_restore(nullptr, blob, 4), FLOWGEN_ERR_INVALID_ARGUMENT);
}

TEST(AbiMisuse, NullEncoderEverywhere) {
  flowgen_encoder_stats_t st;
  uint32_t needed = 0;
  const uint8_t blob[4] = {};
  EXPECT_STREQ(flowgen_encoder_error(nullptr), "encoder handle is NULL");
  EXPECT_EQ(flowgen_encoder_new(FLOWGEN_FORMAT_CSV, nullptr), FLOWGEN_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(flowgen_encoder_set_param(nullptr, FLOWGEN_PARAM_MTU, 1500), FLOWGEN_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(flowgen_encoder_set_fields(nullptr, "timestamp"), FLOWGEN_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(flowgen_encoder_open(nullptr, "/tmp/x", 0), FLOWGEN_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(flowgen_encoder_set_fd(nullptr, 1), FLOWGEN_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(flowgen_encoder_encode(nullptr, nullptr), FLOWGEN_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(flowgen_encoder_finish(nullptr), FLOWGEN_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(flowgen_encoder_flush(nullptr), FLOWGEN_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(flowgen_encoder_data(nullptr), nullptr);
  EXPECT_EQ(flowgen_encoder_size(nullptr), 0u);
  EXPECT_EQ(flowgen_encoder_packet_count(nullptr), 0u);
  EXPECT_EQ(flowgen_encoder_packet_ends(nullptr), nullptr);
  EXPECT_EQ(flowgen_encoder_consume(nullptr), FLOWGEN_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(flowgen_encoder_stats(nullptr, &st, sizeof st), FLOWGEN_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(flowgen_encoder_checkpoint(nullptr, nullptr, 0, &needed), FLOWGEN_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(flowgen_encoder_restore(nullptr, blob, 4), FLOWGEN_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(flowgen_udp_send_encoded(nullptr, nullptr), FLOWGEN_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(flowgen_udp_errors(nullptr), 0u);
}

TEST(AbiMisuse, NullArgumentsOnValidEncoder) {
  flowgen_encoder* e = nullptr;
  ASSERT_EQ(flowgen_encoder_new(FLOWGEN_FORMAT_CSV, &e), FLOWGEN_OK);
  EXPECT_EQ(flowgen_encoder_encode(e, nullptr), FLOWGEN_ERR_INVALID_ARGUMENT);
  EXPECT_NE(std::string(flowgen_encoder_error(e)).find("generator"), std::string::npos);
  EXPECT_EQ(flowgen_encoder_set_fields(e, nullptr), FLOWGEN_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(flowgen_encoder_open(e, nullptr, 0), FLOWGEN_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(flowgen_encoder_open(e, "", 0), FLOWGEN_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(flowgen_encoder_open(e, "/tmp/never", 2), FLOWGEN_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(flowgen_encoder_stats(e, nullptr, sizeof(flowgen_encoder_stats_t)),
            FLOWGEN_ERR_INVALID_ARGUMENT);
  flowgen_encoder_stats_t st;
  EXPECT_EQ(flowgen_encoder_stats(e, &st, sizeof st - 8), FLOWGEN_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(flowgen_encoder_restore(e, nullptr, 100), FLOWGEN_ERR_INVALID_ARGUMENT);
  flowgen_encoder_free(e);
}

TEST(AbiMisuse, UnknownEnumValuesAreRefused) {
  flowgen_encoder* e = reinterpret_cast<flowgen_encoder*>(1);
  EXPECT_EQ(flowgen_encoder_new(0, &e), FLOWGEN_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(e, nullptr);
  EXPECT_EQ(flowgen_encoder_new(99, &e), FLOWGEN_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(flowgen_encoder_new(-1, &e), FLOWGEN_ERR_INVALID_ARGUMENT);
  ASSERT_EQ(flowgen_encoder_new(FLOWGEN_FORMAT_IPFIX, &e), FLOWGEN_OK);
  EXPECT_EQ(flowgen_encoder_set_param(e, 0, 1), FLOWGEN_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(flowgen_encoder_set_param(e, 999, 1), FLOWGEN_ERR_INVALID_ARGUMENT);
  EXPECT_NE(std::string(flowgen_encoder_error(e)).find("999"), std::string::npos);
  flowgen_encoder_free(e);

  flowgen_config* c = valid_config();
  EXPECT_EQ(flowgen_config_set_flow_model(c, 7), FLOWGEN_ERR_INVALID_CONFIG);
  EXPECT_EQ(flowgen_config_set_rtt_ms(c, 42, 1, 1), FLOWGEN_ERR_INVALID_CONFIG);
  EXPECT_EQ(flowgen_config_pattern_set_distribution(c, 0, 99, 0, 1, 1), FLOWGEN_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(flowgen_config_pattern_set_distribution(c, 5, 0, 0, 1, 1), FLOWGEN_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(flowgen_config_pattern_set_distribution(c, -1, 0, 0, 1, 1), FLOWGEN_ERR_INVALID_ARGUMENT);
  flowgen_generator* g = valid_generator();
  EXPECT_EQ(flowgen_generator_column(g, -1), nullptr);
  EXPECT_EQ(flowgen_generator_column(g, FLOWGEN_COLUMN_COUNT), nullptr);
  EXPECT_EQ(flowgen_generator_pattern_name(g, 2), nullptr);
  EXPECT_STREQ(flowgen_generator_pattern_name(g, 1), "dns_traffic");
  flowgen_generator_free(g);
  flowgen_config_free(c);
}

TEST(AbiMisuse, StatusStringsForEveryCode) {
  for (int32_t s : {0, -1, -2, -3, -4, -5, -6, -7, -8, -99, 12345, -12345}) {
    const char* text = flowgen_status_string(s);
    ASSERT_NE(text, nullptr) << s;
    EXPECT_GT(std::strlen(text), 0u) << s;
  }
}

TEST(AbiMisuse, NonFiniteAndOutOfRangeSetterValues) {
  flowgen_config* c = flowgen_config_new();
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  for (double v : {nan, inf, -inf, 0.0, -1.0, 1e300})
    EXPECT_EQ(flowgen_config_set_bandwidth_gbps(c, v), FLOWGEN_ERR_INVALID_CONFIG) << v;
  EXPECT_NE(std::string(flowgen_config_error(c)).find("bandwidth_gbps"), std::string::npos);
  for (double v : {nan, -0.1, 1.5}) EXPECT_EQ(flowgen_config_set_bidirectional(c, v), FLOWGEN_ERR_INVALID_CONFIG);
  EXPECT_EQ(flowgen_config_set_rtt_ms(c, FLOWGEN_DIST_NORMAL, nan, 1), FLOWGEN_ERR_INVALID_CONFIG);
  EXPECT_EQ(flowgen_config_set_shard(c, 3, 3), FLOWGEN_ERR_INVALID_CONFIG);
  EXPECT_EQ(flowgen_config_set_shard(c, 0, 0), FLOWGEN_ERR_INVALID_CONFIG);
  EXPECT_EQ(flowgen_config_set_threads(c, 0), FLOWGEN_ERR_INVALID_CONFIG);
  EXPECT_EQ(flowgen_config_set_threads(c, 100000), FLOWGEN_ERR_INVALID_CONFIG);
  EXPECT_EQ(flowgen_config_set_packet_sizes(c, 64, 70000, 800), FLOWGEN_ERR_INVALID_CONFIG);
  EXPECT_LT(flowgen_config_add_pattern(c, "web_traffic", nan), 0);
  EXPECT_LT(flowgen_config_add_pattern(c, "web_traffic", -5), 0);
  EXPECT_LT(flowgen_config_add_pattern(c, "no_such_pattern", 100), 0);
  EXPECT_NE(std::string(flowgen_config_error(c)).find("no_such_pattern"), std::string::npos);
  EXPECT_LT(flowgen_config_add_custom_pattern(c, "p", 256, 10), 0);
  EXPECT_LT(flowgen_config_add_custom_pattern(c, "", 6, 10), 0);
  const double bad[2] = {1, nan};
  EXPECT_EQ(flowgen_config_set_destination_weights(c, bad, 2), FLOWGEN_ERR_INVALID_CONFIG);
  for (const char* cidr : {"", "10.0.0.0", "10.0.0.0/33", "300.0.0.0/8", "::/129", "x/8",
                           "10.0.0.0/-1", "10.0.0.0/8 ", "1.2.3.4/8/8", "::1::2/64"})
    EXPECT_EQ(flowgen_config_add_source_subnet(c, cidr), FLOWGEN_ERR_INVALID_CONFIG) << cidr;
  flowgen_config_free(c);
}

TEST(AbiMisuse, SingleHostSubnetsWork) {
  flowgen_config* c = flowgen_config_new();
  flowgen_config_set_seed(c, 1);
  ASSERT_EQ(flowgen_config_add_source_subnet(c, "192.0.2.7/32"), FLOWGEN_OK);
  ASSERT_EQ(flowgen_config_add_destination_subnet(c, "198.51.100.9/32"), FLOWGEN_OK);
  ASSERT_EQ(flowgen_config_add_source_subnet(c, "2001:db8::5/128"), FLOWGEN_OK);
  ASSERT_EQ(flowgen_config_add_destination_subnet(c, "2001:db8::9/128"), FLOWGEN_OK);
  ASSERT_GE(flowgen_config_add_pattern(c, "ssh_traffic", 100), 0);
  flowgen_generator* g = nullptr;
  ASSERT_EQ(flowgen_generator_new(c, &g), FLOWGEN_OK) << flowgen_config_error(c);
  const int32_t n = flowgen_generator_next_batch(g, 500);
  ASSERT_GT(n, 0);
  const auto* ver = static_cast<const uint8_t*>(flowgen_generator_column(g, FLOWGEN_COL_IP_VERSION));
  const auto* src4 = static_cast<const uint32_t*>(flowgen_generator_column(g, FLOWGEN_COL_SRC_IP4));
  const auto* dst6 = static_cast<const uint8_t*>(flowgen_generator_column(g, FLOWGEN_COL_DST_IP6));
  const uint8_t want6[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9};
  for (int32_t i = 0; i < n; ++i) {
    if (ver[i] == 4) EXPECT_EQ(src4[i], 0xC0000207u) << i;
    else EXPECT_EQ(std::memcmp(dst6 + 16 * i, want6, 16), 0) << i;
  }
  flowgen_generator_free(g);
  flowgen_config_free(c);
}

TEST(AbiMisuse, WholeConfigErrorsNameTheKey) {
  struct Case {
    const char* name;
    void (*break_it)(flowgen_config*);
    const char* key;
  };
  const Case cases[] = {
      {"percentages", [](flowgen_config* c) { flowgen_config_add_pattern(c, "random", 5); },
       "percentage"},
      {"weights count",
       [](flowgen_config* c) {
         const double w[3] = {1, 2, 3};
         flowgen_config_set_source_weights(c, w, 3);
       },
       "source_weights"},
      {"size order", [](flowgen_config* c) { flowgen_config_set_packet_sizes(c, 1500, 64, 800); },
       "packets"},
  };
  for (const Case& k : cases) {
    flowgen_config* c = valid_config();
    k.break_it(c);
    flowgen_generator* g = nullptr;
    EXPECT_EQ(flowgen_generator_new(c, &g), FLOWGEN_ERR_INVALID_CONFIG) << k.name;
    EXPECT_EQ(g, nullptr);
    EXPECT_NE(std::string(flowgen_config_error(c)).find(k.key), std::string::npos)
        << k.name << ": " << flowgen_config_error(c);
    flowgen_config_free(c);
  }
  flowgen_config* empty = flowgen_config_new();
  flowgen_generator* g = nullptr;
  EXPECT_EQ(flowgen_generator_new(empty, &g), FLOWGEN_ERR_INVALID_CONFIG) << "no subnets, no patterns";
  flowgen_config_free(empty);
}

TEST(AbiMisuse, HugeMaxPendingIsAResourceLimit) {
  flowgen_config* c = valid_config();
  EXPECT_EQ(flowgen_config_set_max_pending(c, FLOWGEN_MAX_PENDING_LIMIT + 1), FLOWGEN_ERR_NO_MEMORY);
  EXPECT_NE(std::string(flowgen_config_error(c)).find("resource limit"), std::string::npos)
      << flowgen_config_error(c);
  EXPECT_EQ(flowgen_config_set_max_pending(c, UINT32_MAX), FLOWGEN_ERR_NO_MEMORY);
  EXPECT_EQ(flowgen_config_set_max_pending(c, 0), FLOWGEN_ERR_INVALID_CONFIG);
  EXPECT_EQ(flowgen_config_set_max_pending(c, FLOWGEN_MAX_PENDING_LIMIT), FLOWGEN_OK);
  flowgen_config_free(c);
}

TEST(AbiMisuse, BatchSizeLimits) {
  flowgen_config* c = valid_config();
  EXPECT_EQ(flowgen_config_set_batch_size(c, 0), FLOWGEN_ERR_INVALID_CONFIG);
  EXPECT_EQ(flowgen_config_set_batch_size(c, FLOWGEN_MAX_BATCH + 1), FLOWGEN_ERR_INVALID_CONFIG);
  EXPECT_EQ(flowgen_config_set_batch_size(c, UINT32_MAX), FLOWGEN_ERR_INVALID_CONFIG);
  EXPECT_EQ(flowgen_config_set_batch_size(c, FLOWGEN_MAX_BATCH), FLOWGEN_OK);
  EXPECT_EQ(flowgen_config_set_batch_size(c, 1), FLOWGEN_OK);
  flowgen_generator* g = nullptr;
  ASSERT_EQ(flowgen_generator_new(c, &g), FLOWGEN_OK);
  EXPECT_EQ(flowgen_generator_batch_capacity(g), 1u);
  EXPECT_EQ(flowgen_generator_next_batch(g, UINT32_MAX), 1) << "capped at the capacity";
  EXPECT_EQ(flowgen_generator_next_batch(g, 0), 0);
  EXPECT_EQ(flowgen_generator_batch_size(g), 0u);
  flowgen_generator_free(g);
  flowgen_config_free(c);
}

TEST(AbiMisuse, ConfigIsReusableAndMayBeFreedFirst) {
  flowgen_config* c = valid_config(99);
  flowgen_generator *a = nullptr, *b = nullptr;
  ASSERT_EQ(flowgen_generator_new(c, &a), FLOWGEN_OK);
  ASSERT_EQ(flowgen_generator_new(c, &b), FLOWGEN_OK);
  flowgen_config_free(c);  // generators hold their own copy
  ASSERT_GT(flowgen_generator_next_batch(a, 100), 0);
  ASSERT_GT(flowgen_generator_next_batch(b, 100), 0);
  EXPECT_EQ(timestamps(a), timestamps(b));
  flowgen_generator_free(a);
  flowgen_generator_free(b);
}

TEST(AbiMisuse, MaxFlowsEndsWithZeroBatches) {
  flowgen_config* c = valid_config();
  flowgen_config_set_max_flows(c, 150);
  flowgen_generator* g = nullptr;
  ASSERT_EQ(flowgen_generator_new(c, &g), FLOWGEN_OK);
  EXPECT_EQ(flowgen_generator_next_batch(g, 128), 128);
  EXPECT_EQ(flowgen_generator_next_batch(g, 128), 22);
  EXPECT_EQ(flowgen_generator_is_done(g), 1);
  EXPECT_EQ(flowgen_generator_next_batch(g, 128), 0);
  EXPECT_EQ(flowgen_generator_next_batch(g, 128), 0);
  EXPECT_EQ(flowgen_generator_reset(g), FLOWGEN_OK);
  EXPECT_EQ(flowgen_generator_is_done(g), 0);
  EXPECT_EQ(flowgen_generator_next_batch(g, 128), 128);
  flowgen_generator_free(g);
  flowgen_config_free(c);
}

TEST(AbiMisuse, GarbageGeneratorCheckpointsAreRefusedAndHarmless) {
  flowgen_generator* g = valid_generator();
  ASSERT_GT(flowgen_generator_next_batch(g, 100), 0);
  const std::vector<uint8_t> good = checkpoint(g);
  flowgen_generator* twin = valid_generator();

  std::vector<std::vector<uint8_t>> bad;
  bad.push_back({});
  bad.push_back(std::vector<uint8_t>(good.begin(), good.end() - 1));   // truncated
  bad.push_back(std::vector<uint8_t>(good.begin(), good.end()));
  bad.back().push_back(0);                                              // padded
  for (size_t at : {size_t(0), size_t(5), good.size() / 2, good.size() - 1}) {
    bad.push_back(good);
    bad.back()[at] ^= 0x40;                                             // one flipped bit
  }
  bad.push_back(std::vector<uint8_t>(4096, 0xAB));                      // garbage
  for (const auto& blob : bad) {
    EXPECT_EQ(flowgen_generator_restore(twin, blob.data(), uint32_t(blob.size())),
              FLOWGEN_ERR_CHECKPOINT);
    EXPECT_NE(std::string(flowgen_generator_error(twin)), "");
  }
  EXPECT_EQ(flowgen_generator_restore(twin, nullptr, 0), FLOWGEN_ERR_CHECKPOINT);
  EXPECT_EQ(flowgen_generator_restore(twin, nullptr, 100), FLOWGEN_ERR_CHECKPOINT);

  // Refused blobs left `twin` at its start: it still replays g's first batch.
  ASSERT_GT(flowgen_generator_next_batch(twin, 100), 0);
  flowgen_generator_reset(g);
  flowgen_generator_next_batch(g, 100);
  EXPECT_EQ(timestamps(twin), timestamps(g));
  flowgen_generator_free(twin);
  flowgen_generator_free(g);
}

TEST(AbiMisuse, CheckpointFromAnotherConfigIsRefused) {
  flowgen_generator* g = valid_generator();
  const std::vector<uint8_t> blob = checkpoint(g);
  flowgen_config* c = valid_config();
  flowgen_config_set_bandwidth_gbps(c, 1);
  flowgen_generator* other = nullptr;
  ASSERT_EQ(flowgen_generator_new(c, &other), FLOWGEN_OK);
  EXPECT_EQ(flowgen_generator_restore(other, blob.data(), uint32_t(blob.size())),
            FLOWGEN_ERR_CHECKPOINT);
  EXPECT_NE(std::string(flowgen_generator_error(other)).find("config"), std::string::npos)
      << flowgen_generator_error(other);
  flowgen_generator_free(other);
  flowgen_config_free(c);
  flowgen_generator_free(g);
}

TEST(AbiMisuse, CheckpointBufferTooSmall) {
  flowgen_generator* g = valid_generator();
  uint32_t needed = 0;
  uint8_t small[4];
  EXPECT_EQ(flowgen_generator_checkpoint(g, small, sizeof small, &needed),
            FLOWGEN_ERR_BUFFER_TOO_SMALL);
  EXPECT_GT(needed, sizeof small);
  EXPECT_EQ(flowgen_generator_checkpoint(g, small, sizeof small, nullptr),
            FLOWGEN_ERR_BUFFER_TOO_SMALL) << "needed may be NULL";
  flowgen_stats st;
  EXPECT_EQ(flowgen_generator_stats(g, &st, sizeof st + 1), FLOWGEN_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(flowgen_generator_stats(g, nullptr, sizeof st), FLOWGEN_ERR_INVALID_ARGUMENT);
  flowgen_generator_free(g);
}

TEST(AbiMisuse, EncoderCallsOutOfOrder) {
  flowgen_generator* g = valid_generator();
  ASSERT_GT(flowgen_generator_next_batch(g, 50), 0);
  for (int32_t format = FLOWGEN_FORMAT_CSV; format <= FLOWGEN_FORMAT_IPFIX; ++format) {
    SCOPED_TRACE(format);
    flowgen_encoder* e = nullptr;
    ASSERT_EQ(flowgen_encoder_new(format, &e), FLOWGEN_OK);
    EXPECT_EQ(flowgen_encoder_encode(e, g), FLOWGEN_OK) << flowgen_encoder_error(e);
    EXPECT_EQ(flowgen_encoder_set_param(e, FLOWGEN_PARAM_MTU, 1400), FLOWGEN_ERR_STATE)
        << "params are fixed after the first encode";
    const uint8_t junk[64] = {1, 2, 3};
    EXPECT_EQ(flowgen_encoder_restore(e, junk, sizeof junk), FLOWGEN_ERR_STATE)
        << "restore only before the first encode";
    EXPECT_EQ(flowgen_encoder_finish(e), FLOWGEN_OK);
    EXPECT_EQ(flowgen_encoder_encode(e, g), FLOWGEN_ERR_STATE);
    EXPECT_EQ(flowgen_encoder_finish(e), FLOWGEN_ERR_STATE);
    EXPECT_EQ(flowgen_encoder_set_fd(e, 1), FLOWGEN_ERR_STATE);
    EXPECT_GT(flowgen_encoder_size(e), 0u) << "finished output stays readable";
    EXPECT_EQ(flowgen_encoder_consume(e), FLOWGEN_OK);
    EXPECT_EQ(flowgen_encoder_size(e), 0u);
    flowgen_encoder_free(e);
  }
  flowgen_generator_free(g);
}

TEST(AbiMisuse, FieldsOnlyForTextAndValidated) {
  flowgen_encoder* e = nullptr;
  ASSERT_EQ(flowgen_encoder_new(FLOWGEN_FORMAT_NETFLOW5, &e), FLOWGEN_OK);
  EXPECT_EQ(flowgen_encoder_set_fields(e, "timestamp"), FLOWGEN_ERR_UNSUPPORTED);
  flowgen_encoder_free(e);
  ASSERT_EQ(flowgen_encoder_new(FLOWGEN_FORMAT_CSV, &e), FLOWGEN_OK);
  for (const char* f : {"", "nope", "timestamp,,src_ip", ",", "timestamp,nope"})
    EXPECT_LT(flowgen_encoder_set_fields(e, f), 0) << f;
  EXPECT_EQ(flowgen_encoder_set_fields(e, "timestamp,bytes"), FLOWGEN_OK);
  flowgen_encoder_free(e);
}

TEST(AbiMisuse, GarbageEncoderCheckpointsAreRefused) {
  flowgen_generator* g = valid_generator();
  ASSERT_GT(flowgen_generator_next_batch(g, 50), 0);
  flowgen_encoder* e = nullptr;
  ASSERT_EQ(flowgen_encoder_new(FLOWGEN_FORMAT_NETFLOW9, &e), FLOWGEN_OK);
  ASSERT_EQ(flowgen_encoder_encode(e, g), FLOWGEN_OK);
  uint32_t needed = 0;
  EXPECT_EQ(flowgen_encoder_checkpoint(e, nullptr, 0, &needed), FLOWGEN_ERR_BUFFER_TOO_SMALL);
  std::vector<uint8_t> good(needed);
  ASSERT_EQ(flowgen_encoder_checkpoint(e, good.data(), needed, nullptr), int32_t(needed));
  flowgen_encoder_free(e);

  std::vector<std::vector<uint8_t>> bad = {std::vector<uint8_t>(good.begin(), good.begin() + 1),
                                           std::vector<uint8_t>(good.begin(), good.end() - 3),
                                           std::vector<uint8_t>(1000, 0)};
  for (size_t at : {size_t(0), size_t(9), good.size() - 2}) {
    bad.push_back(good);
    bad.back()[at] ^= 1;
  }
  for (const auto& blob : bad) {
    ASSERT_EQ(flowgen_encoder_new(FLOWGEN_FORMAT_NETFLOW9, &e), FLOWGEN_OK);
    EXPECT_EQ(flowgen_encoder_restore(e, blob.data(), uint32_t(blob.size())), FLOWGEN_ERR_CHECKPOINT);
    EXPECT_NE(std::string(flowgen_encoder_error(e)), "");
    EXPECT_EQ(flowgen_encoder_encode(e, g), FLOWGEN_OK) << "a refused blob leaves it usable";
    flowgen_encoder_free(e);
  }
  // A blob from another format.
  ASSERT_EQ(flowgen_encoder_new(FLOWGEN_FORMAT_IPFIX, &e), FLOWGEN_OK);
  EXPECT_EQ(flowgen_encoder_restore(e, good.data(), uint32_t(good.size())), FLOWGEN_ERR_CHECKPOINT);
  flowgen_encoder_free(e);
  flowgen_generator_free(g);
}

TEST(AbiMisuse, Ipv6InNetflow5) {
  flowgen_config* c = flowgen_config_new();
  flowgen_config_set_seed(c, 3);
  flowgen_config_add_source_subnet(c, "2001:db8::/64");
  flowgen_config_add_destination_subnet(c, "2001:db8:1::/64");
  flowgen_config_add_pattern(c, "web_traffic", 100);
  flowgen_generator* g = nullptr;
  ASSERT_EQ(flowgen_generator_new(c, &g), FLOWGEN_OK);
  ASSERT_GT(flowgen_generator_next_batch(g, 20), 0);
  flowgen_encoder* e = nullptr;
  ASSERT_EQ(flowgen_encoder_new(FLOWGEN_FORMAT_NETFLOW5, &e), FLOWGEN_OK);
  EXPECT_EQ(flowgen_encoder_encode(e, g), FLOWGEN_ERR_UNSUPPORTED);
  EXPECT_NE(std::string(flowgen_encoder_error(e)).find("IPv6"), std::string::npos)
      << flowgen_encoder_error(e);
  flowgen_encoder_free(e);
  ASSERT_EQ(flowgen_encoder_new(FLOWGEN_FORMAT_NETFLOW5, &e), FLOWGEN_OK);
  ASSERT_EQ(flowgen_encoder_set_param(e, FLOWGEN_PARAM_SKIP_UNSUPPORTED, 1), FLOWGEN_OK);
  EXPECT_EQ(flowgen_encoder_encode(e, g), FLOWGEN_OK);
  flowgen_encoder_stats_t st;
  ASSERT_EQ(flowgen_encoder_stats(e, &st, sizeof st), FLOWGEN_OK);
  EXPECT_EQ(st.records_skipped, flowgen_generator_batch_size(g));
  EXPECT_EQ(st.records_encoded, 0u);
  flowgen_encoder_free(e);
  flowgen_generator_free(g);
  flowgen_config_free(c);
}

TEST(AbiMisuse, UnwritablePathsAndBadDescriptors) {
  flowgen_encoder* e = nullptr;
  ASSERT_EQ(flowgen_encoder_new(FLOWGEN_FORMAT_CSV, &e), FLOWGEN_OK);
  EXPECT_EQ(flowgen_encoder_open(e, "/nonexistent-dir/out.csv", 0), FLOWGEN_ERR_IO);
  EXPECT_NE(std::string(flowgen_encoder_error(e)).find("No such file"), std::string::npos)
      << flowgen_encoder_error(e);
  EXPECT_EQ(flowgen_encoder_open(e, "/tmp", 0), FLOWGEN_ERR_IO) << "a directory";
  flowgen_encoder_free(e);

  // A descriptor closed behind the encoder's back: the write fails with FLOWGEN_ERR_IO.
  flowgen_generator* g = valid_generator();
  ASSERT_GT(flowgen_generator_next_batch(g, 100), 0);
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  close(fds[0]);  // reader gone: the write fails with EPIPE
  signal(SIGPIPE, SIG_IGN);  // as Deno and Node do
  ASSERT_EQ(flowgen_encoder_new(FLOWGEN_FORMAT_CSV, &e), FLOWGEN_OK);
  ASSERT_EQ(flowgen_encoder_set_fd(e, fds[1]), FLOWGEN_OK);
  int32_t rc = flowgen_encoder_encode(e, g);
  if (rc == FLOWGEN_OK) rc = flowgen_encoder_finish(e);
  EXPECT_EQ(rc, FLOWGEN_ERR_IO);
  EXPECT_NE(std::string(flowgen_encoder_error(e)), "");
  flowgen_encoder_free(e);
  close(fds[1]);

  ASSERT_EQ(flowgen_encoder_new(FLOWGEN_FORMAT_CSV, &e), FLOWGEN_OK);
  rc = flowgen_encoder_set_fd(e, -1);
  if (rc == FLOWGEN_OK) {
    rc = flowgen_encoder_encode(e, g);
    if (rc == FLOWGEN_OK) rc = flowgen_encoder_finish(e);
  }
  EXPECT_LT(rc, 0) << "fd -1 fails at set_fd or at the first write";
  flowgen_encoder_free(e);
  flowgen_generator_free(g);
}

TEST(AbiMisuse, UdpOpenRefusesBadArguments) {
  flowgen_udp* u = nullptr;
  char error[64];
  EXPECT_EQ(flowgen_udp_open("127.0.0.1", 0, 0, &u, error, sizeof error), FLOWGEN_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(u, nullptr);
  EXPECT_NE(std::string(error), "");
  EXPECT_EQ(flowgen_udp_open("127.0.0.1", 70000, 0, &u, error, sizeof error), FLOWGEN_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(flowgen_udp_open(nullptr, 2055, 0, &u, error, sizeof error), FLOWGEN_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(flowgen_udp_open("127.0.0.1", 2055, 0, nullptr, error, sizeof error), FLOWGEN_ERR_INVALID_ARGUMENT);
  EXPECT_LT(flowgen_udp_open("not an address!", 2055, 0, &u, nullptr, 0), 0) << "NULL error buffer is fine";
  char tiny[4];
  EXPECT_LT(flowgen_udp_open("127.0.0.1", 0, 0, &u, tiny, sizeof tiny), 0);
  EXPECT_LT(std::strlen(tiny), sizeof tiny) << "message truncated, NUL-terminated";
}

// The guard every extern "C" function runs its body through: each exception kind becomes
// a status and a message, nothing escapes.
TEST(AbiMisuse, GuardTurnsEveryExceptionIntoAStatus) {
  using flowgen::detail::guard;
  std::string msg;
  EXPECT_EQ(guard(&msg, []() -> int32_t { throw flowgen::detail::Error(FLOWGEN_ERR_IO, "disk"); }),
            FLOWGEN_ERR_IO);
  EXPECT_EQ(msg, "disk");
  EXPECT_EQ(guard(&msg, []() -> int32_t { throw std::bad_alloc(); }), FLOWGEN_ERR_NO_MEMORY);
  EXPECT_EQ(msg, "out of memory");
  EXPECT_EQ(guard(&msg, []() -> int32_t { throw std::out_of_range("vector"); }),
            FLOWGEN_ERR_INTERNAL);
  EXPECT_NE(msg.find("vector"), std::string::npos);
  EXPECT_EQ(guard(&msg, []() -> int32_t { throw 42; }), FLOWGEN_ERR_INTERNAL);
  EXPECT_EQ(guard(nullptr, []() -> int32_t { throw std::runtime_error("x"); }),
            FLOWGEN_ERR_INTERNAL)
      << "works without a handle to hold the message";
}

}  // namespace

namespace {

// Found by config_fuzz: with no start_timestamp (the wall clock at creation) a generator
// restored from a checkpoint must continue the checkpointed timeline, not its own clock.
TEST(AbiMisuse, ResumeWithoutStartTimestampContinuesTheTimeline) {
  flowgen_config* c = flowgen_config_new();
  flowgen_config_set_seed(c, 11);
  flowgen_config_add_source_subnet(c, "10.1.0.0/16");
  flowgen_config_add_destination_subnet(c, "172.16.0.0/12");
  flowgen_config_add_pattern(c, "ssh_traffic", 100);
  flowgen_generator* g = nullptr;
  ASSERT_EQ(flowgen_generator_new(c, &g), FLOWGEN_OK);
  ASSERT_GT(flowgen_generator_next_batch(g, 64), 0);
  const std::vector<uint8_t> blob = checkpoint(g);
  usleep(20000);  // the second generator's wall clock start differs
  flowgen_generator* twin = nullptr;
  ASSERT_EQ(flowgen_generator_new(c, &twin), FLOWGEN_OK);
  ASSERT_EQ(flowgen_generator_restore(twin, blob.data(), uint32_t(blob.size())), FLOWGEN_OK);
  ASSERT_GT(flowgen_generator_next_batch(g, 64), 0);
  ASSERT_GT(flowgen_generator_next_batch(twin, 64), 0);
  EXPECT_EQ(timestamps(twin), timestamps(g));
  flowgen_stats a, b;
  flowgen_generator_stats(g, &a, sizeof a);
  flowgen_generator_stats(twin, &b, sizeof b);
  EXPECT_EQ(a.first_timestamp_ns, b.first_timestamp_ns);
  EXPECT_EQ(a.last_timestamp_ns, b.last_timestamp_ns);
  flowgen_generator_free(twin);
  flowgen_generator_free(g);
  flowgen_config_free(c);
}

}  // namespace

namespace {

// Resource limit (open bug, enable once fixed): threads x batch_size decides the batch
// memory (about 96 bytes a record per thread). 256 threads x 2^20 records asks for ~25 GB;
// the TS layer refuses it (MAX_BATCH_RECORDS in src/config/limits.ts), the engine must too,
// with FLOWGEN_ERR_NO_MEMORY, before allocating. Disabled: today it tries to allocate.
TEST(AbiMisuse, ThreadsTimesBatchIsAResourceLimit) {
  flowgen_config* c = valid_config();
  ASSERT_EQ(flowgen_config_set_threads(c, 256), FLOWGEN_OK);
  ASSERT_EQ(flowgen_config_set_batch_size(c, FLOWGEN_MAX_BATCH), FLOWGEN_OK);
  flowgen_generator* g = nullptr;
  EXPECT_EQ(flowgen_generator_new(c, &g), FLOWGEN_ERR_NO_MEMORY);
  EXPECT_EQ(g, nullptr);
  EXPECT_NE(std::string(flowgen_config_error(c)).find("resource limit"), std::string::npos);
  flowgen_generator_free(g);
  flowgen_config_free(c);
}

}  // namespace

namespace {

std::string drain(flowgen_encoder* e) {
  std::string out(reinterpret_cast<const char*>(flowgen_encoder_data(e)), flowgen_encoder_size(e));
  flowgen_encoder_consume(e);
  return out;
}

// Resume through the ABI, every format: bytes before the checkpoint + bytes of an encoder
// restored from it == the bytes of one uninterrupted encoder. (In the Debug ASan build this
// caught the two StateReader classes of encoder_state.hpp and export_state.hpp colliding.)
TEST(AbiMisuse, EveryEncoderResumesTheSameBytes) {
  flowgen_config* c = valid_config();
  flowgen_config_add_source_subnet(c, "2001:db8::/64");
  flowgen_config_add_destination_subnet(c, "2001:db8:1::/64");
  for (int32_t format = FLOWGEN_FORMAT_CSV; format <= FLOWGEN_FORMAT_IPFIX; ++format) {
    SCOPED_TRACE(format);
    flowgen_generator *g1 = nullptr, *g2 = nullptr;
    ASSERT_EQ(flowgen_generator_new(c, &g1), FLOWGEN_OK);
    ASSERT_EQ(flowgen_generator_new(c, &g2), FLOWGEN_OK);
    flowgen_encoder *whole = nullptr, *first = nullptr, *second = nullptr;
    ASSERT_EQ(flowgen_encoder_new(format, &whole), FLOWGEN_OK);
    ASSERT_EQ(flowgen_encoder_new(format, &first), FLOWGEN_OK);
    ASSERT_EQ(flowgen_encoder_new(format, &second), FLOWGEN_OK);
    for (flowgen_encoder* e : {whole, first, second})
      flowgen_encoder_set_param(e, FLOWGEN_PARAM_SKIP_UNSUPPORTED, 1);
    std::string expected, got;
    for (int b = 0; b < 3; ++b) {
      ASSERT_GT(flowgen_generator_next_batch(g1, 100), 0);
      ASSERT_EQ(flowgen_encoder_encode(whole, g1), FLOWGEN_OK) << flowgen_encoder_error(whole);
      expected += drain(whole);
      ASSERT_GT(flowgen_generator_next_batch(g2, 100), 0);
      flowgen_encoder* e = b == 0 ? first : second;
      if (b == 1) {  // move from `first` to `second` through a checkpoint
        uint32_t needed = 0;
        flowgen_encoder_checkpoint(first, nullptr, 0, &needed);
        std::vector<uint8_t> blob(needed);
        ASSERT_EQ(flowgen_encoder_checkpoint(first, blob.data(), needed, nullptr), int32_t(needed));
        ASSERT_EQ(flowgen_encoder_restore(second, blob.data(), needed), FLOWGEN_OK)
            << flowgen_encoder_error(second);
      }
      ASSERT_EQ(flowgen_encoder_encode(e, g2), FLOWGEN_OK) << flowgen_encoder_error(e);
      got += drain(e);
    }
    ASSERT_EQ(flowgen_encoder_finish(whole), FLOWGEN_OK);
    ASSERT_EQ(flowgen_encoder_finish(second), FLOWGEN_OK);
    expected += drain(whole);
    got += drain(second);
    EXPECT_EQ(got.size(), expected.size());
    EXPECT_TRUE(got == expected) << "resumed bytes differ";
    for (flowgen_encoder* e : {whole, first, second}) flowgen_encoder_free(e);
    flowgen_generator_free(g1);
    flowgen_generator_free(g2);
  }
  flowgen_config_free(c);
}

}  // namespace

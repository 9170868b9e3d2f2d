// Helpers shared by the engine-core tests: the brief's example config through the C ABI,
// and draining a generator into plain vectors of records.
#pragma once

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "flowgen/flowgen.h"

namespace flowgen_test {

constexpr uint64_t kStartNs = 1704067200ull * 1000000000ull;

struct ConfigDeleter {
  void operator()(flowgen_config* c) const { flowgen_config_free(c); }
};
struct GeneratorDeleter {
  void operator()(flowgen_generator* g) const { flowgen_generator_free(g); }
};
using ConfigPtr = std::unique_ptr<flowgen_config, ConfigDeleter>;
using GeneratorPtr = std::unique_ptr<flowgen_generator, GeneratorDeleter>;

// The brief's example YAML (web 40, dns 20, database 15, ssh 10, random 15; sources 70/30).
inline ConfigPtr brief_config(uint64_t seed = 42, uint64_t max_flows = 0) {
  ConfigPtr c(flowgen_config_new());
  flowgen_config_set_seed(c.get(), seed);
  flowgen_config_set_max_flows(c.get(), max_flows);
  flowgen_config_set_bandwidth_gbps(c.get(), 10.0);
  flowgen_config_set_start_timestamp_ns(c.get(), kStartNs);
  flowgen_config_add_source_subnet(c.get(), "192.168.1.0/24");
  flowgen_config_add_source_subnet(c.get(), "192.168.2.0/24");
  const double weights[] = {70, 30};
  flowgen_config_set_source_weights(c.get(), weights, 2);
  flowgen_config_add_destination_subnet(c.get(), "10.0.0.0/8");
  flowgen_config_add_pattern(c.get(), "web_traffic", 40);
  flowgen_config_add_pattern(c.get(), "dns_traffic", 20);
  flowgen_config_add_pattern(c.get(), "database_traffic", 15);
  flowgen_config_add_pattern(c.get(), "ssh_traffic", 10);
  flowgen_config_add_pattern(c.get(), "random", 15);
  flowgen_config_set_packet_sizes(c.get(), 64, 1500, 800);
  return c;
}

inline GeneratorPtr make_generator(flowgen_config* c) {
  flowgen_generator* g = nullptr;
  const int32_t status = flowgen_generator_new(c, &g);
  EXPECT_EQ(status, FLOWGEN_OK) << flowgen_config_error(c);
  return GeneratorPtr(g);
}

// One record with every column, comparable as a whole.
struct Record {
  uint64_t timestamp_ns, duration_ns, bytes, flow_id;
  uint32_t src_ip4, dst_ip4, packets;
  uint16_t src_port, dst_port, length;
  uint8_t ip_version, protocol, tcp_flags, direction, pattern;
  std::array<uint8_t, 16> src_ip6, dst_ip6;
  double timestamp_s;

  bool operator==(const Record& o) const {
    return timestamp_ns == o.timestamp_ns && duration_ns == o.duration_ns && bytes == o.bytes &&
           flow_id == o.flow_id && src_ip4 == o.src_ip4 && dst_ip4 == o.dst_ip4 &&
           packets == o.packets && src_port == o.src_port && dst_port == o.dst_port &&
           length == o.length && ip_version == o.ip_version && protocol == o.protocol &&
           tcp_flags == o.tcp_flags && direction == o.direction && pattern == o.pattern &&
           (ip_version == 4 || (src_ip6 == o.src_ip6 && dst_ip6 == o.dst_ip6)) &&
           timestamp_s == o.timestamp_s;
  }
  bool operator!=(const Record& o) const { return !(*this == o); }
};

template <typename T>
const T* column(const flowgen_generator* g, int32_t id) {
  return static_cast<const T*>(flowgen_generator_column(g, id));
}

inline Record record_at(const flowgen_generator* g, uint32_t i) {
  Record r{};
  r.timestamp_ns = column<uint64_t>(g, FLOWGEN_COL_TIMESTAMP_NS)[i];
  r.timestamp_s = column<double>(g, FLOWGEN_COL_TIMESTAMP_S)[i];
  r.duration_ns = column<uint64_t>(g, FLOWGEN_COL_DURATION_NS)[i];
  r.ip_version = column<uint8_t>(g, FLOWGEN_COL_IP_VERSION)[i];
  r.src_ip4 = column<uint32_t>(g, FLOWGEN_COL_SRC_IP4)[i];
  r.dst_ip4 = column<uint32_t>(g, FLOWGEN_COL_DST_IP4)[i];
  if (r.ip_version == 6) {
    std::memcpy(r.src_ip6.data(), column<uint8_t>(g, FLOWGEN_COL_SRC_IP6) + size_t(i) * 16, 16);
    std::memcpy(r.dst_ip6.data(), column<uint8_t>(g, FLOWGEN_COL_DST_IP6) + size_t(i) * 16, 16);
  }
  r.src_port = column<uint16_t>(g, FLOWGEN_COL_SRC_PORT)[i];
  r.dst_port = column<uint16_t>(g, FLOWGEN_COL_DST_PORT)[i];
  r.protocol = column<uint8_t>(g, FLOWGEN_COL_PROTOCOL)[i];
  r.tcp_flags = column<uint8_t>(g, FLOWGEN_COL_TCP_FLAGS)[i];
  r.length = column<uint16_t>(g, FLOWGEN_COL_LENGTH)[i];
  r.packets = column<uint32_t>(g, FLOWGEN_COL_PACKETS)[i];
  r.bytes = column<uint64_t>(g, FLOWGEN_COL_BYTES)[i];
  r.flow_id = column<uint64_t>(g, FLOWGEN_COL_FLOW_ID)[i];
  r.direction = column<uint8_t>(g, FLOWGEN_COL_DIRECTION)[i];
  r.pattern = column<uint8_t>(g, FLOWGEN_COL_PATTERN)[i];
  return r;
}

// Reads `count` records (or until done) in batches of `batch` records.
inline std::vector<Record> take(flowgen_generator* g, uint64_t count, uint32_t batch = 16384) {
  std::vector<Record> out;
  out.reserve(size_t(count));
  while (out.size() < count) {
    const uint64_t want = std::min<uint64_t>(batch, count - out.size());
    const int32_t n = flowgen_generator_next_batch(g, uint32_t(want));
    EXPECT_GE(n, 0) << flowgen_generator_error(g);
    if (n <= 0) break;
    for (int32_t i = 0; i < n; ++i) out.push_back(record_at(g, uint32_t(i)));
  }
  return out;
}

// The generator's checkpoint blob.
inline std::vector<uint8_t> checkpoint_of(const flowgen_generator* g) {
  uint32_t needed = 0;
  EXPECT_EQ(flowgen_generator_checkpoint(g, nullptr, 0, &needed), FLOWGEN_ERR_BUFFER_TOO_SMALL);
  std::vector<uint8_t> blob(needed);
  EXPECT_EQ(flowgen_generator_checkpoint(g, blob.data(), needed, &needed), int32_t(needed));
  return blob;
}

}  // namespace flowgen_test

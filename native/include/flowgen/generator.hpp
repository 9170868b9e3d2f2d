// flowgen/generator.hpp — the C++ API of the brief (flowgen::GeneratorConfig,
// flowgen::FlowGenerator, flowgen::FlowRecord), header-only over the C ABI in flowgen.h so
// that any C++17 compiler can use the library ("hourglass" interface).
//
//   flowgen::GeneratorConfig config;
//   config.max_flows = 100000;
//   config.source_subnets = {"192.168.1.0/24"};
//   config.destination_subnets = {"10.0.0.0/8"};
//   config.traffic_patterns = {{"web_traffic", 60.0}, {"dns_traffic", 40.0}};
//   flowgen::FlowGenerator generator;
//   if (!generator.initialize(config)) std::cerr << generator.last_error() << "\n";
//   flowgen::FlowRecord flow;
//   while (generator.next(flow)) std::cout << flow.to_csv() << "\n";
#ifndef FLOWGEN_GENERATOR_HPP
#define FLOWGEN_GENERATOR_HPP

#include <cmath>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "flowgen/flowgen.h"

namespace flowgen {

struct TrafficPattern {
  std::string type;  // "web_traffic", "dns_traffic", ... (see flowgen_config_add_pattern)
  double percentage = 0;
};

struct GeneratorConfig {
  double bandwidth_gbps = 10.0;
  uint64_t max_flows = 0;                      // 0: unlimited
  std::optional<double> start_timestamp;       // seconds since the epoch; unset: now
  std::optional<uint64_t> seed;                // unset: random (see Stats::seed)
  std::vector<std::string> source_subnets;      // CIDRs, IPv4 or IPv6
  std::vector<double> source_weights;           // empty: equal
  std::vector<std::string> destination_subnets;
  std::vector<double> destination_weights;
  std::vector<TrafficPattern> traffic_patterns;  // percentages sum to 100
  uint32_t min_packet_size = 64;
  uint32_t max_packet_size = 1500;
  uint32_t average_packet_size = 800;
  int32_t flow_model = FLOWGEN_MODEL_PACKET;  // or FLOWGEN_MODEL_FLOW
  double bidirectional_probability = 0;
  uint32_t shard_index = 0, shard_count = 1;
  uint32_t threads = 1;
  uint32_t batch_size = 16384;
};

struct FlowRecord {
  // The brief's fields.
  std::string source_ip;
  std::string destination_ip;
  uint16_t source_port = 0;
  uint16_t destination_port = 0;  // ICMP: type << 8 | code
  uint8_t protocol = 0;
  double timestamp = 0;           // seconds since the epoch
  uint32_t packet_length = 0;
  // The whole record model.
  uint64_t timestamp_ns = 0;      // exact; to_csv() formats this one
  uint64_t duration_ns = 0;
  uint32_t packets = 1;
  uint64_t bytes = 0;
  uint8_t tcp_flags = 0;
  uint64_t flow_id = 0;
  uint8_t direction = 0;          // 0 request, 1 response
  uint8_t pattern = 0;            // index into the config's traffic_patterns
  uint8_t ip_version = 4;

  static std::string csv_header() {
    return "timestamp,src_ip,dst_ip,src_port,dst_port,protocol,length";
  }

  // The same line as the engine's CSV encoder: timestamp with 6 decimals (rounded half up
  // to the microsecond from the integer nanoseconds), then the brief's fields.
  std::string to_csv() const {
    uint64_t ns = timestamp_ns;
    if (ns == 0 && timestamp > 0) ns = uint64_t(std::llround(timestamp * 1e9));
    const uint64_t us = ns / 1000 + (ns % 1000 >= 500 ? 1 : 0);
    std::string micros = std::to_string(us % 1000000);
    std::string line = std::to_string(us / 1000000);
    line += '.';
    line.append(6 - micros.size(), '0');
    line += micros;
    line += ',';
    line += source_ip;
    line += ',';
    line += destination_ip;
    line += ',';
    line += std::to_string(source_port);
    line += ',';
    line += std::to_string(destination_port);
    line += ',';
    line += std::to_string(protocol);
    line += ',';
    line += std::to_string(packet_length);
    return line;
  }

  static std::string format_ipv4(uint32_t ip) {
    return std::to_string(ip >> 24) + '.' + std::to_string((ip >> 16) & 0xff) + '.' +
           std::to_string((ip >> 8) & 0xff) + '.' + std::to_string(ip & 0xff);
  }

  // RFC 5952: lowercase, no leading zeros, the longest run (first on a tie) of two or more
  // zero groups as "::", IPv4-mapped addresses as ::ffff:a.b.c.d.
  static std::string format_ipv6(const uint8_t* a) {
    uint16_t g[8];
    for (int i = 0; i < 8; ++i) g[i] = uint16_t(a[2 * i] << 8 | a[2 * i + 1]);
    if (!g[0] && !g[1] && !g[2] && !g[3] && !g[4] && g[5] == 0xffff)
      return "::ffff:" + format_ipv4(uint32_t(a[12]) << 24 | uint32_t(a[13]) << 16 |
                                     uint32_t(a[14]) << 8 | a[15]);
    int best = -1, best_len = 1;
    for (int i = 0; i < 8;) {
      if (g[i]) {
        ++i;
        continue;
      }
      int j = i;
      while (j < 8 && !g[j]) ++j;
      if (j - i > best_len) {
        best = i;
        best_len = j - i;
      }
      i = j;
    }
    static const char hex[] = "0123456789abcdef";
    std::string out;
    for (int i = 0; i < 8; ++i) {
      if (i == best) {
        out += i == 0 ? "::" : ":";
        i += best_len - 1;
        continue;
      }
      bool started = false;
      for (int shift = 12; shift >= 0; shift -= 4) {
        const int d = (g[i] >> shift) & 0xf;
        if (d || started || shift == 0) {
          out += hex[d];
          started = true;
        }
      }
      if (i < 7) out += ':';
    }
    return out;
  }
};

struct Stats {
  uint64_t flows_generated = 0;
  uint64_t packets_generated = 0;
  uint64_t bytes_generated = 0;
  uint64_t first_timestamp_ns = 0;
  uint64_t last_timestamp_ns = 0;
  uint64_t seed = 0;
  uint64_t pending_responses = 0;
  double simulated_seconds = 0;
  double wall_seconds = 0;
  double flows_per_second = 0;
};

class FlowGenerator {
 public:
  FlowGenerator() = default;
  ~FlowGenerator() { flowgen_generator_free(handle_); }
  FlowGenerator(const FlowGenerator&) = delete;
  FlowGenerator& operator=(const FlowGenerator&) = delete;
  FlowGenerator(FlowGenerator&& other) noexcept { *this = std::move(other); }
  FlowGenerator& operator=(FlowGenerator&& other) noexcept {
    if (this != &other) {
      flowgen_generator_free(handle_);
      handle_ = std::exchange(other.handle_, nullptr);
      cursor_ = other.cursor_;
      carried_ = std::move(other.carried_);
      carried_pos_ = other.carried_pos_;
      error_ = std::move(other.error_);
    }
    return *this;
  }

  // Validates `config` and builds the engine; false with last_error() naming the key.
  bool initialize(const GeneratorConfig& config) {
    flowgen_generator_free(handle_);
    handle_ = nullptr;
    cursor_ = 0;
    carried_.clear();
    carried_pos_ = 0;
    if (config.start_timestamp && !(*config.start_timestamp >= 0 && *config.start_timestamp < 1.8e10))
      return fail("generation.start_timestamp: " + std::to_string(*config.start_timestamp) +
                  " is not a time in seconds since the epoch (0 .. 1.8e10)");
    flowgen_config* c = flowgen_config_new();
    if (!c) return fail("out of memory");
    const bool ok = apply(c, config) && flowgen_generator_new(c, &handle_) == FLOWGEN_OK;
    if (!ok) error_ = flowgen_config_error(c);
    flowgen_config_free(c);
    if (ok) error_.clear();
    return ok;
  }

  // Next record; false when max_flows records were delivered (or on error).
  bool next(FlowRecord& flow) {
    if (!handle_) return false;
    if (carried_pos_ < carried_.size()) {  // records carried over by restore()
      flow = carried_[carried_pos_++];
      return true;
    }
    if (cursor_ >= flowgen_generator_batch_size(handle_)) {
      const int32_t n = flowgen_generator_next_batch(handle_, UINT32_MAX);
      cursor_ = 0;
      if (n < 0) return fail(flowgen_generator_error(handle_));
      if (n == 0) return false;
    }
    read(cursor_++, flow);
    return true;
  }

  bool is_done() const {
    return !handle_ || (flowgen_generator_is_done(handle_) && carried_pos_ >= carried_.size() &&
                        cursor_ >= flowgen_generator_batch_size(handle_));
  }

  Stats get_stats() const {
    Stats s;
    flowgen_stats c{};
    if (handle_ && flowgen_generator_stats(handle_, &c, sizeof c) == FLOWGEN_OK) {
      s.flows_generated = c.flows_generated;
      s.packets_generated = c.packets_generated;
      s.bytes_generated = c.bytes_generated;
      s.first_timestamp_ns = c.first_timestamp_ns;
      s.last_timestamp_ns = c.last_timestamp_ns;
      s.seed = c.seed;
      s.pending_responses = c.pending_responses;
      s.simulated_seconds = c.simulated_seconds;
      s.wall_seconds = c.wall_seconds;
      s.flows_per_second = c.flows_per_second;
    }
    return s;
  }

  // Rewinds to the first record (same seed and start: the identical sequence).
  void reset() {
    if (handle_ && flowgen_generator_reset(handle_) == FLOWGEN_OK) {
      cursor_ = 0;
      carried_.clear();
      carried_pos_ = 0;
    }
  }

  // Whole state as a blob, exact at any record: the engine checkpoints at batch
  // boundaries, so the records of the current batch not yet returned by next() travel in
  // the blob too ("FGCX", their count, the records, then the engine's blob). Empty on error.
  std::vector<uint8_t> checkpoint() const {
    std::vector<uint8_t> blob;
    uint32_t needed = 0;
    if (!handle_) return blob;
    flowgen_generator_checkpoint(handle_, nullptr, 0, &needed);
    std::vector<uint8_t> engine(needed);
    if (flowgen_generator_checkpoint(handle_, engine.data(), needed, &needed) < 0) return blob;
    std::vector<FlowRecord> unread(carried_.begin() + long(carried_pos_), carried_.end());
    for (uint32_t i = cursor_; i < flowgen_generator_batch_size(handle_); ++i) {
      unread.emplace_back();
      read(i, unread.back());
    }
    blob.insert(blob.end(), {'F', 'G', 'C', 'X'});
    put(blob, unread.size(), 4);
    for (const FlowRecord& r : unread) write_record(blob, r);
    blob.insert(blob.end(), engine.begin(), engine.end());
    return blob;
  }

  bool restore(const std::vector<uint8_t>& blob) {
    if (!handle_) return fail("restore: generator not initialized");
    size_t at = 4;
    if (blob.size() < 8 || std::memcmp(blob.data(), "FGCX", 4) != 0)
      return fail("checkpoint: not a flowgen::FlowGenerator checkpoint (bad magic)");
    const uint64_t count = get(blob, at, 4);
    std::vector<FlowRecord> unread;
    for (uint64_t k = 0; k < count && at <= blob.size(); ++k) {
      unread.emplace_back();
      if (!read_record(blob, at, unread.back())) return fail("checkpoint: truncated");
    }
    if (at > blob.size()) return fail("checkpoint: truncated");
    if (flowgen_generator_restore(handle_, blob.data() + at, uint32_t(blob.size() - at)) !=
        FLOWGEN_OK)
      return fail(flowgen_generator_error(handle_));
    cursor_ = 0;
    carried_ = std::move(unread);
    carried_pos_ = 0;
    return true;
  }

  const std::string& last_error() const { return error_; }
  // The C handle, for the encoders of flowgen.h.
  flowgen_generator* handle() const { return handle_; }

 private:
  bool fail(const std::string& message) {
    error_ = message;
    return false;
  }

  static bool apply(flowgen_config* c, const GeneratorConfig& g) {
    bool ok = flowgen_config_set_bandwidth_gbps(c, g.bandwidth_gbps) == FLOWGEN_OK &&
              flowgen_config_set_max_flows(c, g.max_flows) == FLOWGEN_OK &&
              flowgen_config_set_packet_sizes(c, g.min_packet_size, g.max_packet_size,
                                              g.average_packet_size) == FLOWGEN_OK &&
              flowgen_config_set_flow_model(c, g.flow_model) == FLOWGEN_OK &&
              flowgen_config_set_bidirectional(c, g.bidirectional_probability) == FLOWGEN_OK &&
              flowgen_config_set_shard(c, g.shard_index, g.shard_count) == FLOWGEN_OK &&
              flowgen_config_set_threads(c, g.threads) == FLOWGEN_OK &&
              flowgen_config_set_batch_size(c, g.batch_size) == FLOWGEN_OK;
    if (ok && g.seed) ok = flowgen_config_set_seed(c, *g.seed) == FLOWGEN_OK;
    if (ok && g.start_timestamp) {
      const double s = *g.start_timestamp;  // range checked by initialize()
      const double whole = std::floor(s);
      const uint64_t ns = uint64_t(whole) * 1000000000ull + uint64_t(std::llround((s - whole) * 1e9));
      ok = flowgen_config_set_start_timestamp_ns(c, ns) == FLOWGEN_OK;
    }
    for (size_t i = 0; ok && i < g.source_subnets.size(); ++i)
      ok = flowgen_config_add_source_subnet(c, g.source_subnets[i].c_str()) == FLOWGEN_OK;
    for (size_t i = 0; ok && i < g.destination_subnets.size(); ++i)
      ok = flowgen_config_add_destination_subnet(c, g.destination_subnets[i].c_str()) == FLOWGEN_OK;
    if (ok && !g.source_weights.empty())
      ok = flowgen_config_set_source_weights(c, g.source_weights.data(),
                                             uint32_t(g.source_weights.size())) == FLOWGEN_OK;
    if (ok && !g.destination_weights.empty())
      ok = flowgen_config_set_destination_weights(c, g.destination_weights.data(),
                                                  uint32_t(g.destination_weights.size())) == FLOWGEN_OK;
    for (size_t i = 0; ok && i < g.traffic_patterns.size(); ++i)
      ok = flowgen_config_add_pattern(c, g.traffic_patterns[i].type.c_str(),
                                      g.traffic_patterns[i].percentage) >= 0;
    return ok;
  }

  static void put(std::vector<uint8_t>& out, uint64_t v, int bytes) {
    for (int i = 0; i < bytes; ++i) out.push_back(uint8_t(v >> (8 * i)));
  }
  // Reads `bytes` little-endian bytes at `at`; past the end, moves `at` past the size.
  static uint64_t get(const std::vector<uint8_t>& in, size_t& at, int bytes) {
    uint64_t v = 0;
    if (at + size_t(bytes) > in.size()) {
      at = in.size() + 1;
      return 0;
    }
    for (int i = 0; i < bytes; ++i) v |= uint64_t(in[at + size_t(i)]) << (8 * i);
    at += size_t(bytes);
    return v;
  }
  static void write_record(std::vector<uint8_t>& out, const FlowRecord& r) {
    for (const std::string* ip : {&r.source_ip, &r.destination_ip}) {
      put(out, ip->size(), 1);
      out.insert(out.end(), ip->begin(), ip->end());
    }
    put(out, r.source_port, 2);
    put(out, r.destination_port, 2);
    put(out, r.protocol, 1);
    put(out, r.packet_length, 4);
    put(out, r.timestamp_ns, 8);
    put(out, r.duration_ns, 8);
    put(out, r.packets, 4);
    put(out, r.bytes, 8);
    put(out, r.tcp_flags, 1);
    put(out, r.flow_id, 8);
    put(out, r.direction, 1);
    put(out, r.pattern, 1);
    put(out, r.ip_version, 1);
  }
  static bool read_record(const std::vector<uint8_t>& in, size_t& at, FlowRecord& r) {
    for (std::string* ip : {&r.source_ip, &r.destination_ip}) {
      const size_t n = size_t(get(in, at, 1));
      if (at + n > in.size()) return false;
      ip->assign(in.begin() + long(at), in.begin() + long(at + n));
      at += n;
    }
    r.source_port = uint16_t(get(in, at, 2));
    r.destination_port = uint16_t(get(in, at, 2));
    r.protocol = uint8_t(get(in, at, 1));
    r.packet_length = uint32_t(get(in, at, 4));
    r.timestamp_ns = get(in, at, 8);
    r.timestamp = double(r.timestamp_ns) / 1e9;
    r.duration_ns = get(in, at, 8);
    r.packets = uint32_t(get(in, at, 4));
    r.bytes = get(in, at, 8);
    r.tcp_flags = uint8_t(get(in, at, 1));
    r.flow_id = get(in, at, 8);
    r.direction = uint8_t(get(in, at, 1));
    r.pattern = uint8_t(get(in, at, 1));
    r.ip_version = uint8_t(get(in, at, 1));
    return at <= in.size();
  }

  template <typename T>
  const T* column(int32_t id) const {
    return static_cast<const T*>(flowgen_generator_column(handle_, id));
  }

  void read(uint32_t i, FlowRecord& f) const {
    f.ip_version = column<uint8_t>(FLOWGEN_COL_IP_VERSION)[i];
    if (f.ip_version == 4) {
      f.source_ip = FlowRecord::format_ipv4(column<uint32_t>(FLOWGEN_COL_SRC_IP4)[i]);
      f.destination_ip = FlowRecord::format_ipv4(column<uint32_t>(FLOWGEN_COL_DST_IP4)[i]);
    } else {
      f.source_ip = FlowRecord::format_ipv6(column<uint8_t>(FLOWGEN_COL_SRC_IP6) + size_t(i) * 16);
      f.destination_ip = FlowRecord::format_ipv6(column<uint8_t>(FLOWGEN_COL_DST_IP6) + size_t(i) * 16);
    }
    f.source_port = column<uint16_t>(FLOWGEN_COL_SRC_PORT)[i];
    f.destination_port = column<uint16_t>(FLOWGEN_COL_DST_PORT)[i];
    f.protocol = column<uint8_t>(FLOWGEN_COL_PROTOCOL)[i];
    f.timestamp_ns = column<uint64_t>(FLOWGEN_COL_TIMESTAMP_NS)[i];
    f.timestamp = column<double>(FLOWGEN_COL_TIMESTAMP_S)[i];
    f.packet_length = column<uint16_t>(FLOWGEN_COL_LENGTH)[i];
    f.duration_ns = column<uint64_t>(FLOWGEN_COL_DURATION_NS)[i];
    f.packets = column<uint32_t>(FLOWGEN_COL_PACKETS)[i];
    f.bytes = column<uint64_t>(FLOWGEN_COL_BYTES)[i];
    f.tcp_flags = column<uint8_t>(FLOWGEN_COL_TCP_FLAGS)[i];
    f.flow_id = column<uint64_t>(FLOWGEN_COL_FLOW_ID)[i];
    f.direction = column<uint8_t>(FLOWGEN_COL_DIRECTION)[i];
    f.pattern = column<uint8_t>(FLOWGEN_COL_PATTERN)[i];
  }

  flowgen_generator* handle_ = nullptr;
  uint32_t cursor_ = 0;
  std::vector<FlowRecord> carried_;  // unread records of a restored checkpoint
  size_t carried_pos_ = 0;
  std::string error_;
};

}  // namespace flowgen

#endif  // FLOWGEN_GENERATOR_HPP

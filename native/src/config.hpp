// Config: everything the flowgen_config_* setters set, and the whole-config validation that
// flowgen_generator_new() runs. Keys in messages are the YAML names of the brief.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "cidr.hpp"
#include "flow_model.hpp"
#include "flowgen/flowgen.h"

namespace flowgen::detail {

struct Subnet {
  std::string text;  // as given, for messages and the fingerprint
  Cidr cidr;
};

struct Config {
  uint64_t max_flows = 0;  // 0: unlimited
  double bandwidth_gbps = 10.0;
  bool has_start = false;
  uint64_t start_ns = 0;
  bool has_seed = false;
  uint64_t seed = 0;
  int32_t flow_model = 0;  // FLOWGEN_MODEL_*
  double bidirectional = 0;
  Distribution rtt_ms;     // unset: the default RTT (see generator.cpp)
  uint32_t max_pending = 1u << 18;
  uint32_t shard_index = 0, shard_count = 1;
  uint32_t threads = 1;
  uint32_t batch_size = 16384;
  PacketSizes sizes;
  std::vector<Subnet> source_subnets, destination_subnets;
  std::vector<double> source_weights, destination_weights;  // empty: equal weights
  std::vector<PatternSpec> patterns;
};

// Built-in pattern names, in the order messages list them.
const std::vector<std::string>& builtin_pattern_types();
bool is_builtin_pattern(const std::string& type);

// Validates the config as a whole; throws Error(FLOWGEN_ERR_INVALID_CONFIG) naming the key,
// the value and why. Setters already checked what they could alone.
void validate_config(const Config& config);

// Stable 64-bit hash of every setting that decides the output (checkpoints refuse a blob
// made from another config). The thread count is included: it changes the merge order.
uint64_t config_fingerprint(const Config& config);

// Effective flow model / bidirectional probability of pattern `i` (per-pattern override or
// the global value).
int32_t pattern_flow_model(const Config& config, size_t i);
double pattern_bidirectional(const Config& config, size_t i);

// Shortest decimal form of a number for messages ("95", "0.5", "nan").
std::string format_number(double value);

}  // namespace flowgen::detail

// The C handle behind flowgen_config*.
struct flowgen_config {
  flowgen::detail::Config config;
  std::string error;
};

// flowgen_config_*: setters that check what they can alone (the whole config is validated
// by flowgen_generator_new). Every function runs through guard(); errors land in
// config->error.
#include <cmath>
#include <new>

#include "abi_guard.hpp"
#include "config.hpp"

using flowgen::detail::config_error;
using flowgen::detail::Config;
using flowgen::detail::Error;
using flowgen::detail::format_number;
using flowgen::detail::PatternSpec;

namespace {

template <typename Body>
int32_t with_config(flowgen_config* config, Body&& body) noexcept {
  if (!config) return FLOWGEN_ERR_INVALID_ARGUMENT;
  return flowgen::detail::guard(&config->error, [&]() -> int32_t {
    body(config->config);
    return FLOWGEN_OK;
  });
}

void check_finite_nonnegative(double v, const std::string& key) {
  if (!std::isfinite(v) || v < 0)
    throw config_error(key + ": " + format_number(v) + " is not a finite number >= 0");
}

void check_probability(double p, const std::string& key) {
  if (!(p >= 0 && p <= 1))
    throw config_error(key + ": " + format_number(p) + " is not a probability in [0, 1]");
}

void check_model(int32_t model, const std::string& key) {
  if (model != FLOWGEN_MODEL_PACKET && model != FLOWGEN_MODEL_FLOW)
    throw config_error(key + ": " + std::to_string(model) +
                       " is not a flow model (expected packet or flow)");
}

std::string pattern_key(int32_t pattern) {
  return "traffic_patterns[" + std::to_string(pattern) + "]";
}

PatternSpec& pattern_at(Config& c, int32_t pattern) {
  if (pattern < 0 || size_t(pattern) >= c.patterns.size())
    throw Error(FLOWGEN_ERR_INVALID_ARGUMENT,
                "traffic_patterns: no pattern with index " + std::to_string(pattern) + " (" +
                    std::to_string(c.patterns.size()) + " patterns)");
  return c.patterns[size_t(pattern)];
}

const char* quantity_name(int32_t q) {
  static const char* names[] = {"packet_size", "packets", "duration_ms", "response_packet_size",
                                "response_packets"};
  return q >= 0 && q < 5 ? names[q] : "?";
}

void check_quantity(int32_t q, const std::string& key) {
  if (q < 0 || q > FLOWGEN_Q_RESPONSE_PACKETS)
    throw Error(FLOWGEN_ERR_INVALID_ARGUMENT,
                key + ": " + std::to_string(q) + " is not a quantity (FLOWGEN_Q_*)");
}

void check_distribution(int32_t dist, double a, double b, const std::string& key) {
  if (dist < FLOWGEN_DIST_FIXED || dist > FLOWGEN_DIST_PARETO)
    throw config_error(key + ": distribution " + std::to_string(dist) +
                       " is not one of fixed, uniform, normal, lognormal, pareto "
                       "(empirical tables use their own setter)");
  if (!std::isfinite(a) || !std::isfinite(b))
    throw config_error(key + ": parameters " + format_number(a) + ", " + format_number(b) +
                       " must be finite numbers");
}

int32_t add_pattern(flowgen_config* config, PatternSpec spec) {
  if (!config) return FLOWGEN_ERR_INVALID_ARGUMENT;
  return flowgen::detail::guard(&config->error, [&]() -> int32_t {
    Config& c = config->config;
    const std::string key = pattern_key(int32_t(c.patterns.size()));
    check_finite_nonnegative(spec.percentage, key + ".percentage");
    if (c.patterns.size() >= 255)
      throw config_error("traffic_patterns: at most 255 patterns are supported");
    c.patterns.push_back(std::move(spec));
    return int32_t(c.patterns.size() - 1);
  });
}

}  // namespace

extern "C" {

FLOWGEN_API flowgen_config* flowgen_config_new(void) {
  try {
    return new flowgen_config();
  } catch (...) {
    return nullptr;
  }
}

FLOWGEN_API void flowgen_config_free(flowgen_config* config) { delete config; }

FLOWGEN_API const char* flowgen_config_error(const flowgen_config* config) {
  return config ? config->error.c_str() : "config is NULL";
}

FLOWGEN_API int32_t flowgen_config_set_max_flows(flowgen_config* config, uint64_t max_flows) {
  return with_config(config, [&](Config& c) { c.max_flows = max_flows; });
}

FLOWGEN_API int32_t flowgen_config_set_bandwidth_gbps(flowgen_config* config, double gbps) {
  return with_config(config, [&](Config& c) {
    if (!std::isfinite(gbps) || gbps <= 0 || gbps > 1e6)
      throw config_error("generation.rate.bandwidth_gbps: " + format_number(gbps) +
                         " must be a finite number > 0 and <= 1000000");
    if (gbps < 1e-6)
      throw config_error("generation.rate.bandwidth_gbps: " + format_number(gbps) +
                         " is below the supported minimum 1e-06 (1 kbit/s)");
    c.bandwidth_gbps = gbps;
  });
}

FLOWGEN_API int32_t flowgen_config_set_start_timestamp_ns(flowgen_config* config, uint64_t ns) {
  return with_config(config, [&](Config& c) {
    c.has_start = true;
    c.start_ns = ns;
  });
}

FLOWGEN_API int32_t flowgen_config_set_seed(flowgen_config* config, uint64_t seed) {
  return with_config(config, [&](Config& c) {
    c.has_seed = true;
    c.seed = seed;
  });
}

FLOWGEN_API int32_t flowgen_config_set_flow_model(flowgen_config* config, int32_t model) {
  return with_config(config, [&](Config& c) {
    check_model(model, "generation.flow_model");
    c.flow_model = model;
  });
}

FLOWGEN_API int32_t flowgen_config_set_bidirectional(flowgen_config* config, double probability) {
  return with_config(config, [&](Config& c) {
    check_probability(probability, "generation.bidirectional.probability");
    c.bidirectional = probability;
  });
}

FLOWGEN_API int32_t flowgen_config_set_rtt_ms(flowgen_config* config, int32_t dist, double a,
                                              double b) {
  return with_config(config, [&](Config& c) {
    check_distribution(dist, a, b, "generation.bidirectional.rtt_ms");
    c.rtt_ms = {};
    c.rtt_ms.kind = dist;
    c.rtt_ms.a = a;
    c.rtt_ms.b = b;
  });
}

FLOWGEN_API int32_t flowgen_config_set_max_pending(flowgen_config* config, uint32_t max_pending) {
  if (!config) return FLOWGEN_ERR_INVALID_ARGUMENT;
  return flowgen::detail::guard(&config->error, [&]() -> int32_t {
    if (max_pending > FLOWGEN_MAX_PENDING_LIMIT)
      throw Error(FLOWGEN_ERR_NO_MEMORY,
                  "generation.bidirectional.max_pending: " + std::to_string(max_pending) +
                      " exceeds the resource limit " + std::to_string(FLOWGEN_MAX_PENDING_LIMIT));
    if (max_pending == 0)
      throw config_error("generation.bidirectional.max_pending: 0, at least 1 is required");
    config->config.max_pending = max_pending;
    return FLOWGEN_OK;
  });
}

FLOWGEN_API int32_t flowgen_config_set_shard(flowgen_config* config, uint32_t index,
                                             uint32_t count) {
  return with_config(config, [&](Config& c) {
    if (count == 0 || index >= count)
      throw config_error("generation.shard: " + std::to_string(index) + "/" +
                         std::to_string(count) + ", expected 0 <= index < count");
    c.shard_index = index;
    c.shard_count = count;
  });
}

FLOWGEN_API int32_t flowgen_config_set_threads(flowgen_config* config, uint32_t threads) {
  return with_config(config, [&](Config& c) {
    if (threads == 0 || threads > 256)
      throw config_error("generation.threads: " + std::to_string(threads) +
                         " must be in 1..256");
    c.threads = threads;
  });
}

FLOWGEN_API int32_t flowgen_config_set_batch_size(flowgen_config* config, uint32_t records) {
  return with_config(config, [&](Config& c) {
    if (records == 0 || records > FLOWGEN_MAX_BATCH)
      throw config_error("generation.batch_size: " + std::to_string(records) + " must be in 1.." +
                         std::to_string(FLOWGEN_MAX_BATCH));
    c.batch_size = records;
  });
}

FLOWGEN_API int32_t flowgen_config_set_packet_sizes(flowgen_config* config, uint32_t min_size,
                                                    uint32_t max_size, uint32_t average_size) {
  return with_config(config, [&](Config& c) {
    // Ordering is checked as a whole by generator_new; alone, only the hard limits.
    if (max_size > 65535)
      throw config_error("packets.max_size: " + std::to_string(max_size) +
                         " is above 65535, the largest IP packet");
    c.sizes.min_size = min_size;
    c.sizes.max_size = max_size;
    c.sizes.average_size = average_size;
  });
}

static int32_t add_subnet(flowgen_config* config, const char* cidr, bool source) {
  return with_config(config, [&](Config& c) {
    auto& list = source ? c.source_subnets : c.destination_subnets;
    const std::string key = std::string(source ? "network.source_subnets[" :
                                                 "network.destination_subnets[") +
                            std::to_string(list.size()) + "]";
    if (!cidr) throw Error(FLOWGEN_ERR_INVALID_ARGUMENT, key + ": CIDR is NULL");
    flowgen::detail::Subnet s;
    s.text = cidr;
    if (!flowgen::detail::parse_cidr(s.text, s.cidr))
      throw config_error(key + ": invalid CIDR \"" + s.text +
                         "\" (expected e.g. \"10.0.0.0/8\" or \"2001:db8::/32\")");
    list.push_back(std::move(s));
  });
}

FLOWGEN_API int32_t flowgen_config_add_source_subnet(flowgen_config* config, const char* cidr) {
  return add_subnet(config, cidr, true);
}

FLOWGEN_API int32_t flowgen_config_add_destination_subnet(flowgen_config* config,
                                                          const char* cidr) {
  return add_subnet(config, cidr, false);
}

static int32_t set_weights(flowgen_config* config, const double* weights, uint32_t count,
                           bool source) {
  return with_config(config, [&](Config& c) {
    const std::string key = source ? "network.source_weights" : "network.destination_weights";
    if (!weights && count > 0) throw Error(FLOWGEN_ERR_INVALID_ARGUMENT, key + ": NULL array");
    std::vector<double> list(weights, weights + count);
    for (uint32_t i = 0; i < count; ++i)
      check_finite_nonnegative(list[i], key + "[" + std::to_string(i) + "]");
    (source ? c.source_weights : c.destination_weights) = std::move(list);
  });
}

FLOWGEN_API int32_t flowgen_config_set_source_weights(flowgen_config* config,
                                                      const double* weights, uint32_t count) {
  return set_weights(config, weights, count, true);
}

FLOWGEN_API int32_t flowgen_config_set_destination_weights(flowgen_config* config,
                                                           const double* weights,
                                                           uint32_t count) {
  return set_weights(config, weights, count, false);
}

FLOWGEN_API int32_t flowgen_config_add_pattern(flowgen_config* config, const char* type,
                                               double percentage) {
  if (!config) return FLOWGEN_ERR_INVALID_ARGUMENT;
  const std::string key = pattern_key(int32_t(config->config.patterns.size()));
  if (!type) {
    config->error = key + ".type: NULL";
    return FLOWGEN_ERR_INVALID_ARGUMENT;
  }
  const int32_t status = flowgen::detail::guard(&config->error, [&]() -> int32_t {
    if (!flowgen::detail::is_builtin_pattern(type)) {
      std::string valid;
      for (const auto& t : flowgen::detail::builtin_pattern_types())
        valid += (valid.empty() ? "" : ", ") + t;
      throw config_error(key + ".type: unknown pattern type \"" + std::string(type) +
                         "\" (valid: " + valid + ")");
    }
    return FLOWGEN_OK;
  });
  if (status != FLOWGEN_OK) return status;
  PatternSpec spec;
  spec.type = type;
  spec.name = type;
  spec.percentage = percentage;
  return add_pattern(config, std::move(spec));
}

FLOWGEN_API int32_t flowgen_config_add_custom_pattern(flowgen_config* config, const char* name,
                                                      uint32_t protocol, double percentage) {
  if (!config) return FLOWGEN_ERR_INVALID_ARGUMENT;
  const std::string key = pattern_key(int32_t(config->config.patterns.size()));
  const int32_t status = flowgen::detail::guard(&config->error, [&]() -> int32_t {
    if (!name || !*name) throw config_error(key + ".name: a custom pattern needs a name");
    if (protocol > 255)
      throw config_error(key + ".protocol: " + std::to_string(protocol) +
                         " is not an IP protocol number (0..255)");
    return FLOWGEN_OK;
  });
  if (status != FLOWGEN_OK) return status;
  PatternSpec spec;
  spec.type = "custom";
  spec.name = name;
  spec.protocol = protocol;
  spec.percentage = percentage;
  return add_pattern(config, std::move(spec));
}

FLOWGEN_API int32_t flowgen_config_pattern_add_port(flowgen_config* config, int32_t pattern,
                                                    uint32_t port, double weight) {
  return with_config(config, [&](Config& c) {
    PatternSpec& p = pattern_at(c, pattern);
    const std::string key = pattern_key(pattern) + ".ports[" + std::to_string(p.ports.size()) + "]";
    if (p.type != "custom")
      throw config_error(key + ": ports can only be set on custom patterns (\"" + p.name +
                         "\" is built in)");
    if (port > 65535)
      throw config_error(key + ": port " + std::to_string(port) + " is outside 0..65535");
    check_finite_nonnegative(weight, key + ".weight");
    p.ports.push_back(port);
    p.port_weights.push_back(weight);
  });
}

FLOWGEN_API int32_t flowgen_config_pattern_set_distribution(flowgen_config* config,
                                                            int32_t pattern, int32_t quantity,
                                                            int32_t dist, double a, double b) {
  return with_config(config, [&](Config& c) {
    PatternSpec& p = pattern_at(c, pattern);
    check_quantity(quantity, pattern_key(pattern));
    check_distribution(dist, a, b, pattern_key(pattern) + "." + quantity_name(quantity));
    auto& d = p.dist[quantity];
    d = {};
    d.kind = dist;
    d.a = a;
    d.b = b;
  });
}

FLOWGEN_API int32_t flowgen_config_pattern_set_empirical(flowgen_config* config, int32_t pattern,
                                                         int32_t quantity, const double* values,
                                                         const double* weights, uint32_t count) {
  return with_config(config, [&](Config& c) {
    PatternSpec& p = pattern_at(c, pattern);
    check_quantity(quantity, pattern_key(pattern));
    const std::string key = pattern_key(pattern) + "." + quantity_name(quantity);
    if (count == 0) throw config_error(key + ": empirical table is empty");
    if (!values || !weights) throw Error(FLOWGEN_ERR_INVALID_ARGUMENT, key + ": NULL array");
    double total = 0;
    for (uint32_t i = 0; i < count; ++i) {
      if (!std::isfinite(values[i]) || values[i] < 0)
        throw config_error(key + ".values[" + std::to_string(i) + "]: " +
                           format_number(values[i]) + " is not a finite number >= 0");
      check_finite_nonnegative(weights[i], key + ".weights[" + std::to_string(i) + "]");
      total += weights[i];
    }
    if (!(total > 0)) throw config_error(key + ": all weights are zero");
    auto& d = p.dist[quantity];
    d = {};
    d.kind = FLOWGEN_DIST_EMPIRICAL;
    d.values.assign(values, values + count);
    d.weights.assign(weights, weights + count);
  });
}

FLOWGEN_API int32_t flowgen_config_pattern_set_flow_model(flowgen_config* config,
                                                          int32_t pattern, int32_t model) {
  return with_config(config, [&](Config& c) {
    PatternSpec& p = pattern_at(c, pattern);
    check_model(model, pattern_key(pattern) + ".flow_model");
    p.flow_model = model;
  });
}

FLOWGEN_API int32_t flowgen_config_pattern_set_bidirectional(flowgen_config* config,
                                                             int32_t pattern, double probability) {
  return with_config(config, [&](Config& c) {
    PatternSpec& p = pattern_at(c, pattern);
    check_probability(probability, pattern_key(pattern) + ".bidirectional.probability");
    p.bidirectional = probability;
  });
}

}  // extern "C"

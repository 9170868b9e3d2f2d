#include "config.hpp"

#include <cmath>
#include <sstream>

#include "abi_guard.hpp"
#include "checkpoint.hpp"

namespace flowgen::detail {

const std::vector<std::string>& builtin_pattern_types() {
  static const std::vector<std::string> types = {
      "web_traffic", "dns_traffic", "ssh_traffic", "database_traffic",
      "smtp_traffic", "ftp_traffic", "random"};
  return types;
}

bool is_builtin_pattern(const std::string& type) {
  for (const auto& t : builtin_pattern_types())
    if (t == type) return true;
  return false;
}

std::string format_number(double value) {
  std::ostringstream out;
  out.precision(15);
  out << value;
  return out.str();
}

int32_t pattern_flow_model(const Config& config, size_t i) {
  const int32_t own = config.patterns[i].flow_model;
  return own >= 0 ? own : config.flow_model;
}

double pattern_bidirectional(const Config& config, size_t i) {
  const double own = config.patterns[i].bidirectional;
  return own >= 0 ? own : config.bidirectional;
}

namespace {

void validate_weights(const std::vector<double>& weights, size_t subnet_count,
                      const std::string& key, const std::string& subnets_key) {
  if (weights.empty()) return;
  if (weights.size() != subnet_count)
    throw config_error(key + ": " + std::to_string(weights.size()) + " weights for " +
                       std::to_string(subnet_count) + " subnets in " + subnets_key +
                       " (one weight per subnet expected)");
  bool any_positive = false;
  for (size_t i = 0; i < weights.size(); ++i) {
    const double w = weights[i];
    if (!std::isfinite(w) || w < 0)
      throw config_error(key + "[" + std::to_string(i) + "]: " + format_number(w) +
                         " is not a finite number >= 0");
    any_positive = any_positive || w > 0;
  }
  if (!any_positive) throw config_error(key + ": all weights are zero");
}

double weight_of(const std::vector<double>& weights, size_t i) {
  return weights.empty() ? 1.0 : weights[i];
}

void validate_network(const Config& c) {
  if (c.source_subnets.empty())
    throw config_error("network.source_subnets: empty, at least one subnet is required");
  if (c.destination_subnets.empty())
    throw config_error("network.destination_subnets: empty, at least one subnet is required");
  validate_weights(c.source_weights, c.source_subnets.size(), "network.source_weights",
                   "network.source_subnets");
  validate_weights(c.destination_weights, c.destination_subnets.size(),
                   "network.destination_weights", "network.destination_subnets");
  // Every source family in use needs a destination of the same family.
  for (size_t i = 0; i < c.source_subnets.size(); ++i) {
    if (weight_of(c.source_weights, i) <= 0) continue;
    const uint8_t family = c.source_subnets[i].cidr.version;
    bool found = false;
    for (size_t j = 0; j < c.destination_subnets.size(); ++j)
      found = found || (c.destination_subnets[j].cidr.version == family &&
                        weight_of(c.destination_weights, j) > 0);
    if (!found)
      throw config_error("network.destination_subnets: no IPv" + std::to_string(family) +
                         " subnet (with a weight > 0) for the IPv" + std::to_string(family) +
                         " source network.source_subnets[" + std::to_string(i) + "] \"" +
                         c.source_subnets[i].text + "\"");
  }
}

void validate_patterns(const Config& c) {
  if (c.patterns.empty())
    throw config_error("traffic_patterns: empty, at least one pattern is required");
  double sum = 0;
  for (size_t i = 0; i < c.patterns.size(); ++i) {
    const PatternSpec& p = c.patterns[i];
    const std::string key = "traffic_patterns[" + std::to_string(i) + "]";
    if (!std::isfinite(p.percentage) || p.percentage < 0)
      throw config_error(key + ".percentage: " + format_number(p.percentage) +
                         " is not a finite number >= 0");
    sum += p.percentage;
    if (p.type == "custom") {
      const bool needs_ports = p.protocol == 6 || p.protocol == 17;
      if (needs_ports && p.ports.empty())
        throw config_error(key + ".ports: custom pattern \"" + p.name + "\" with protocol " +
                           std::to_string(p.protocol) +
                           " needs at least one destination port");
      if (!p.ports.empty()) validate_weights(p.port_weights, p.ports.size(), key + ".ports.weight", key + ".ports");
    }
  }
  if (std::fabs(sum - 100.0) > 1e-6)
    throw config_error("traffic_patterns: percentages sum to " + format_number(sum) +
                       ", expected 100");
  if (c.patterns.size() > 255)
    throw config_error("traffic_patterns: " + std::to_string(c.patterns.size()) +
                       " patterns, at most 255 are supported");
}

void validate_sizes(const PacketSizes& s) {
  if (s.min_size < 20)
    throw config_error("packets.min_size: " + std::to_string(s.min_size) +
                       " is below 20, the minimum IP header");
  if (s.max_size > 65535)
    throw config_error("packets.max_size: " + std::to_string(s.max_size) +
                       " is above 65535, the largest IP packet");
  if (s.min_size > s.max_size)
    throw config_error("packets: min_size " + std::to_string(s.min_size) + " > max_size " +
                       std::to_string(s.max_size));
  if (s.average_size < s.min_size || s.average_size > s.max_size)
    throw config_error("packets.average_size: " + std::to_string(s.average_size) +
                       " is outside [min_size " + std::to_string(s.min_size) + ", max_size " +
                       std::to_string(s.max_size) + "]");
}

}  // namespace

void validate_config(const Config& c) {
  if (!std::isfinite(c.bandwidth_gbps) || c.bandwidth_gbps <= 0 || c.bandwidth_gbps > 1e6)
    throw config_error("generation.rate.bandwidth_gbps: " + format_number(c.bandwidth_gbps) +
                       " must be a finite number > 0 and <= 1000000");
  if (c.shard_count == 0 || c.shard_index >= c.shard_count)
    throw config_error("generation.shard: index " + std::to_string(c.shard_index) +
                       " of count " + std::to_string(c.shard_count) +
                       ", expected 0 <= index < count");
  if (c.max_pending == 0 || c.max_pending > FLOWGEN_MAX_PENDING_LIMIT)
    throw config_error("generation.bidirectional.max_pending: " +
                       std::to_string(c.max_pending) + " must be in 1.." +
                       std::to_string(FLOWGEN_MAX_PENDING_LIMIT));
  validate_sizes(c.sizes);
  validate_network(c);
  validate_patterns(c);
}

namespace {

void write_distribution(ByteWriter& w, const Distribution& d) {
  w.i32(d.kind);
  w.f64(d.a);
  w.f64(d.b);
  w.u32(uint32_t(d.values.size()));
  for (double v : d.values) w.f64(v);
  for (double v : d.weights) w.f64(v);
}

}  // namespace

uint64_t config_fingerprint(const Config& c) {
  ByteWriter w;
  w.u64(c.max_flows);
  w.f64(c.bandwidth_gbps);
  w.u8(c.has_start);
  w.u64(c.start_ns);
  w.u8(c.has_seed);
  w.u64(c.seed);
  w.i32(c.flow_model);
  w.f64(c.bidirectional);
  write_distribution(w, c.rtt_ms);
  w.u32(c.max_pending);
  w.u32(c.shard_index);
  w.u32(c.shard_count);
  w.u32(c.threads);
  w.u32(c.sizes.min_size);
  w.u32(c.sizes.max_size);
  w.u32(c.sizes.average_size);
  for (const auto* list : {&c.source_subnets, &c.destination_subnets}) {
    w.u32(uint32_t(list->size()));
    for (const auto& s : *list) w.str(s.text);
  }
  for (const auto* list : {&c.source_weights, &c.destination_weights}) {
    w.u32(uint32_t(list->size()));
    for (double v : *list) w.f64(v);
  }
  w.u32(uint32_t(c.patterns.size()));
  for (const auto& p : c.patterns) {
    w.str(p.type);
    w.str(p.name);
    w.f64(p.percentage);
    w.u32(p.protocol);
    w.u32(uint32_t(p.ports.size()));
    for (uint32_t port : p.ports) w.u32(port);
    for (double v : p.port_weights) w.f64(v);
    for (const auto& d : p.dist) write_distribution(w, d);
    w.i32(p.flow_model);
    w.f64(p.bidirectional);
  }
  return fnv1a64(w.bytes().data(), w.bytes().size());
}

}  // namespace flowgen::detail

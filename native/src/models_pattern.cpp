// PatternModel: samples the request and response shapes of a pattern's flows.
#include "models_pattern.hpp"

#include <algorithm>
#include <cmath>

#include "abi_guard.hpp"
#include "flowgen/flowgen.h"
#include "models_pattern_draw.hpp"

namespace flowgen::detail {
namespace {

// Config keys of the FLOWGEN_Q_* quantities, as in the YAML.
const char* const kQuantityKeys[5] = {"packet_size", "packets", "duration_ms",
                                      "response_packet_size", "response_packets"};

// Built once, on first use (PatternModel's constructor), not checked per draw.
const Sampler& standard_normal() {
  static const Sampler normal = Sampler::from(normal_dist(0, 1));
  return normal;
}

Sampler sampler_for(const std::vector<Component>& builtin, const PatternSpec& pattern,
                    int quantity, Domain domain, const std::string& key_prefix) {
  const Distribution& configured = pattern.dist[quantity];
  if (configured.is_set()) {
    validate_distribution(configured, domain, key_prefix + "." + kQuantityKeys[quantity]);
    return Sampler::from(configured);
  }
  return Sampler::mixture(builtin);
}

SizeLaw size_law(const std::vector<Component>& builtin, const PatternSpec& pattern, int quantity,
                 double lo, double hi, const std::string& key_prefix) {
  SizeLaw law;
  law.lo = lo;
  law.hi = hi;
  if (!pattern.dist[quantity].is_set() && builtin.empty()) {
    law.sampler = Sampler::from(uniform_dist(lo, hi));
  } else {
    law.sampler = sampler_for(builtin, pattern, quantity, Domain::kPositive, key_prefix);
  }
  law.moments = law.sampler.clamped_moments(lo, hi);
  return law;
}

}  // namespace

uint32_t min_header_bytes(uint8_t protocol) noexcept {
  switch (protocol) {
    case 6: return 40;
    case 17: return 28;
    case 1: return 28;
    case 58: return 48;
    default: return 20;
  }
}

CompiledService compile_service(const ServiceSpec& spec, const PatternSpec& pattern,
                                const PacketSizes& sizes, const std::string& key_prefix) {
  CompiledService s;
  s.protocol = spec.protocol;
  for (uint32_t port : spec.ports) s.ports.push_back(uint16_t(port));
  s.port_count = uint32_t(s.ports.size());
  if (!s.ports.empty()) {
    std::vector<double> weights = spec.port_weights;
    if (weights.empty()) weights.assign(s.ports.size(), 1.0);
    s.port_pick.build(weights);
  }
  // Per-packet bounds: the config's range, the protocol's headers, the application's limit.
  double hi = double(sizes.max_size);
  if (spec.max_packet_size > 0) hi = std::min(hi, double(spec.max_packet_size));
  const double lo = std::min(double(sizes.max_size),
                             std::max(double(sizes.min_size), double(min_header_bytes(s.protocol))));
  hi = std::max(hi, lo);
  s.request_size = size_law(spec.packet_size, pattern, FLOWGEN_Q_PACKET_SIZE, lo, hi, key_prefix);
  s.response_size =
      size_law(spec.response_packet_size, pattern, FLOWGEN_Q_RESPONSE_PACKET_SIZE, lo, hi, key_prefix);
  s.packets = sampler_for(spec.packets, pattern, FLOWGEN_Q_PACKETS, Domain::kPositive, key_prefix);
  s.response_packets_set = pattern.dist[FLOWGEN_Q_RESPONSE_PACKETS].is_set();
  if (s.response_packets_set) {
    s.response_packets =
        sampler_for({}, pattern, FLOWGEN_Q_RESPONSE_PACKETS, Domain::kPositive, key_prefix);
  }
  s.response_ratio = spec.response_ratio;
  s.response_noise = spec.response_sigma > 0 ? Sampler::from(lognormal_dist(0, spec.response_sigma))
                                             : Sampler::from(fixed_dist(1));
  s.duration_is_gap = !pattern.dist[FLOWGEN_Q_DURATION_MS].is_set();
  s.duration_ms =
      sampler_for(spec.gap_ms, pattern, FLOWGEN_Q_DURATION_MS, Domain::kNonNegative, key_prefix);
  s.reset_threshold = uint32_t(std::min(4294967295.0, spec.reset_probability * 4294967296.0));
  s.response_larger = spec.response_larger;
  return s;
}

PatternModel::PatternModel(std::vector<CompiledService> services,
                           const std::vector<double>& weights)
    : services_(std::move(services)),
      service_count_(uint32_t(services_.size())),
      normal_(standard_normal()) {
  service_pick_.build(weights);
}

void PatternModel::sample_request(Rng& rng, FlowShape& out) const { draw_request(rng, out); }

void PatternModel::sample_response(Rng& rng, const FlowShape& request, FlowShape& out) const {
  draw_response(rng, request, out);
}

}  // namespace flowgen::detail

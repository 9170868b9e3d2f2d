// models_factory: builds the FlowModel of a configured pattern and the RTT sampler
// (declared in flow_model.hpp).
#include <algorithm>
#include <cmath>

#include "abi_guard.hpp"
#include "distributions.hpp"
#include "flow_model.hpp"
#include "models_builtin.hpp"
#include "models_pattern.hpp"

namespace flowgen::detail {
namespace {

// A custom pattern: the protocol's default service with the config's ports.
ServiceSpec custom_service(const PatternSpec& spec, const std::string& key_prefix) {
  if (spec.protocol > 255) {
    throw config_error(key_prefix + ".protocol: must be an IP protocol number 0..255, got " +
                       std::to_string(spec.protocol));
  }
  ServiceSpec service = default_service(spec.protocol);
  const bool icmp = spec.protocol == 1 || spec.protocol == 58;
  for (size_t i = 0; i < spec.ports.size(); ++i) {
    if (spec.ports[i] > 65535) {
      throw config_error(key_prefix + ".ports[" + std::to_string(i) +
                         "]: must be <= 65535, got " + std::to_string(spec.ports[i]));
    }
  }
  if (!spec.port_weights.empty()) {
    if (spec.port_weights.size() != spec.ports.size()) {
      throw config_error(key_prefix + ".ports: " + std::to_string(spec.ports.size()) +
                         " ports but " + std::to_string(spec.port_weights.size()) + " weights");
    }
    double sum = 0;
    for (size_t i = 0; i < spec.port_weights.size(); ++i) {
      const double w = spec.port_weights[i];
      if (!std::isfinite(w) || w < 0) {
        throw config_error(key_prefix + ".ports[" + std::to_string(i) +
                           "].weight: must be finite and >= 0, got " + std::to_string(w));
      }
      sum += w;
    }
    if (!(sum > 0)) throw config_error(key_prefix + ".ports: weights must sum to > 0");
  }
  if (spec.ports.empty()) {
    if (spec.protocol == 6 || spec.protocol == 17) {
      throw config_error(key_prefix + ".ports: a TCP/UDP pattern needs at least one port");
    }
    // ICMP without a type list: echo requests. Other protocols have no ports (0).
    service.ports = {icmp ? (spec.protocol == 1 ? 8u << 8 : 128u << 8) : 0u};
    service.port_weights = {1};
  } else {
    service.ports = spec.ports;  // ICMP: type << 8 | code values
    service.port_weights = spec.port_weights;
  }
  return service;
}

class RttSampler final : public ScalarSampler {
 public:
  explicit RttSampler(Sampler sampler) : sampler_(std::move(sampler)) {}
  double sample(Rng& rng) const override { return std::max(0.0, sampler_.sample(rng)); }

 private:
  Sampler sampler_;
};

}  // namespace

std::unique_ptr<PatternModel> make_pattern_model(const PatternSpec& spec, const PacketSizes& sizes,
                                                 const std::string& key_prefix) {
  std::vector<ServiceSpec> services;
  if (const BuiltinPattern* builtin = find_builtin(spec.type)) {
    services = builtin->services;
  } else if (spec.type == "custom") {
    services = {custom_service(spec, key_prefix)};
  } else {
    throw config_error(key_prefix + ".type: unknown pattern type '" + spec.type + "'");
  }
  std::vector<CompiledService> compiled;
  std::vector<double> weights;
  for (const ServiceSpec& service : services) {
    compiled.push_back(compile_service(service, spec, sizes, key_prefix));
    weights.push_back(service.weight);
  }
  return std::make_unique<PatternModel>(std::move(compiled), weights);
}

std::unique_ptr<FlowModel> make_flow_model(const PatternSpec& spec, const PacketSizes& sizes,
                                           const std::string& key_prefix) {
  return make_pattern_model(spec, sizes, key_prefix);
}

Sampler scalar_sampler(const Distribution& dist, const std::string& key) {
  // Unset: lognormal with a 4 ms median, most RTTs 1.5-11 ms (docs/models.md).
  if (!dist.is_set()) return Sampler::from(lognormal_dist(std::log(4.0), 0.5));
  validate_distribution(dist, Domain::kNonNegative, key);
  return Sampler::from(dist);
}

std::unique_ptr<ScalarSampler> make_scalar_sampler(const Distribution& dist,
                                                   const std::string& key) {
  return std::make_unique<RttSampler>(scalar_sampler(dist, key));
}

}  // namespace flowgen::detail

// PatternModel: the FlowModel of one configured pattern, compiled from ServiceSpecs (the
// built-in tables or a custom pattern's defaults) plus the distributions the config sets.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "alias_table.hpp"
#include "distributions.hpp"
#include "flow_model.hpp"
#include "models_builtin.hpp"

namespace flowgen::detail {

// Upper bounds that keep every field representable (documented in docs/models.md).
inline constexpr double kMaxPacketsPerFlow = 1e6;
inline constexpr double kMaxDurationMs = 86400e3;  // one day

// Smallest IPv4 packet of a protocol: TCP 20+20, UDP 20+8, ICMP 20+8, ICMPv6 40+8 (it only
// runs over IPv6), anything else a bare IPv4 header. bytes >= packets * this.
uint32_t min_header_bytes(uint8_t protocol) noexcept;

// Per-packet sizes of one direction: clamped to [lo, hi], rounded; moments for long flows.
struct SizeLaw {
  Sampler sampler;
  double lo = 0;
  double hi = 0;
  Moments moments;
};

// A ServiceSpec ready to sample.
struct CompiledService {
  uint8_t protocol = 6;
  std::vector<uint16_t> ports;  // empty: uniform 1..65535
  uint32_t port_count = 0;      // ports.size(), kept beside it for the hot path
  AliasTable port_pick;
  Sampler packets;
  SizeLaw request_size;
  SizeLaw response_size;
  bool response_packets_set = false;  // config sets response packets: draw them directly
  Sampler response_packets;
  Sampler response_noise;  // multiplies ratio * request packets otherwise
  double response_ratio = 1;
  bool duration_is_gap = true;  // built-in: gap between packets; config: whole duration
  Sampler duration_ms;
  uint32_t reset_threshold = 0;  // RST when the top 32 bits of a draw are below this
  bool response_larger = false;
};

class PatternModel final : public FlowModel {
 public:
  PatternModel(std::vector<CompiledService> services, const std::vector<double>& weights);
  void sample_request(Rng& rng, FlowShape& out) const override;
  void sample_response(Rng& rng, const FlowShape& request, FlowShape& out) const override;
  // The same, inline for the generator's loop (models_pattern_draw.hpp).
  [[gnu::always_inline]] inline void draw_request(Rng& rng, FlowShape& out) const;
  [[gnu::always_inline]] inline void draw_response(Rng& rng, const FlowShape& request,
                                                   FlowShape& out) const;

  const CompiledService& service(uint32_t i) const { return services_[i]; }

 private:
  std::vector<CompiledService> services_;
  uint32_t service_count_;  // services_.size(), kept beside it for the hot path
  AliasTable service_pick_;
  const Sampler& normal_;  // standard normal: sums of many packet sizes
};

// make_flow_model() as its concrete type, so that the generator's calls are direct (the
// class is final), not virtual. models_factory.cpp.
std::unique_ptr<PatternModel> make_pattern_model(const PatternSpec& spec, const PacketSizes& sizes,
                                                 const std::string& key_prefix);

// Compiles `spec` with the config's overrides (spec.dist[]), validating them under
// `key_prefix` (e.g. "traffic_patterns[2]").
CompiledService compile_service(const ServiceSpec& spec, const PatternSpec& pattern,
                                const PacketSizes& sizes, const std::string& key_prefix);

}  // namespace flowgen::detail

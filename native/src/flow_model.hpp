// FlowModel: what a traffic pattern decides about one flow in `flow` mode (issue 5):
// destination port, protocol, packets, bytes, duration, TCP flags, and the response of a
// bidirectional pair. The generator (generator.cpp) owns addresses, client ports, flow
// ids and timestamps; models own the per-protocol statistics (models/*.cpp).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "rng.hpp"

namespace flowgen::detail {

// A configured distribution (FLOWGEN_DIST_*); `values`/`weights` for EMPIRICAL only.
struct Distribution {
  int32_t kind = -1;  // -1: not set (use the pattern's built-in model)
  double a = 0;
  double b = 0;
  std::vector<double> values;
  std::vector<double> weights;
  bool is_set() const { return kind >= 0; }
};

// The packets.* section of the config.
struct PacketSizes {
  uint32_t min_size = 64;
  uint32_t max_size = 1500;
  uint32_t average_size = 800;
};

// Everything a pattern entry of the config says (built-in or custom).
struct PatternSpec {
  std::string type;  // built-in type ("web_traffic", ...) or "custom"
  std::string name;  // type for built-ins, the user's name for custom patterns
  double percentage = 0;
  uint32_t protocol = 6;                  // custom patterns
  std::vector<uint32_t> ports;            // custom patterns: destination ports
  std::vector<double> port_weights;
  Distribution dist[5];                   // indexed by FLOWGEN_Q_*
  int32_t flow_model = -1;                // -1: inherit generation.flow_model
  double bidirectional = -1;              // -1: inherit generation.bidirectional
};

// One direction of a flow as a model draws it.
struct FlowShape {
  uint16_t dst_port = 0;     // server port (ICMP: type << 8 | code)
  uint8_t protocol = 6;
  uint8_t tcp_flags = 0;     // OR of the flags seen in this direction
  uint32_t packets = 1;
  uint64_t bytes = 0;        // >= packets * minimum header size, <= packets * max_size
  uint64_t duration_ns = 0;
  uint8_t variant = 0;       // model-private: which sub-model (e.g. SSH interactive/bulk) drew it
};

class FlowModel {
 public:
  virtual ~FlowModel() = default;
  // Draws the request (client -> server) direction of a new flow.
  virtual void sample_request(Rng& rng, FlowShape& out) const = 0;
  // Draws the response (server -> client) for `request`; out.dst_port is ignored (the
  // generator swaps the endpoints).
  virtual void sample_response(Rng& rng, const FlowShape& request, FlowShape& out) const = 0;
};

// Builds the flow-mode model of one pattern (built-in statistics, overridden by any
// distribution the spec sets). Throws Error (FLOWGEN_ERR_INVALID_CONFIG) naming
// `key_prefix` (e.g. "traffic_patterns[2]") for an invalid distribution. models/*.cpp.
std::unique_ptr<FlowModel> make_flow_model(const PatternSpec& spec, const PacketSizes& sizes,
                                           const std::string& key_prefix);

// Builds a sampler for a scalar distribution (used for the RTT); models/*.cpp.
class ScalarSampler {
 public:
  virtual ~ScalarSampler() = default;
  virtual double sample(Rng& rng) const = 0;
};
std::unique_ptr<ScalarSampler> make_scalar_sampler(const Distribution& dist,
                                                   const std::string& key);

}  // namespace flowgen::detail

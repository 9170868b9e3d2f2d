// Parameter tables of the built-in traffic patterns in flow mode (values and sources in
// docs/models.md). A pattern is a weighted set of services, e.g. SSH = interactive + bulk.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "distributions.hpp"

namespace flowgen::detail {

// One sub-model of a pattern. An empty component list for a packet size means "uniform
// over packets.min_size .. packets.max_size" (the random pattern).
struct ServiceSpec {
  const char* label = "";  // "interactive", "bulk", ... (docs and tests)
  double weight = 1;
  uint8_t protocol = 6;
  // Destination ports (ICMP: type << 8 | code) with weights; empty = uniform 1..65535.
  std::vector<uint32_t> ports;
  std::vector<double> port_weights;
  std::vector<Component> packets;               // request packets per flow
  std::vector<Component> packet_size;          // request bytes per packet
  std::vector<Component> response_packet_size;  // response bytes per packet
  // Response packets = request packets * ratio * lognormal(0, sigma) noise, rounded, >= 1.
  double response_ratio = 1;
  double response_sigma = 0;
  std::vector<Component> gap_ms;  // time between packets: duration = (packets - 1) * gap
  double reset_probability = 0;   // TCP: share of connections closed by RST instead of FIN
  uint32_t max_packet_size = 0;   // application limit on a packet (DNS over UDP), 0 = none
  bool response_larger = false;   // DNS: every response packet exceeds its query
};

struct BuiltinPattern {
  const char* type;  // config name, e.g. "web_traffic"
  std::vector<ServiceSpec> services;
};

// All built-in patterns, in the order of the brief.
const std::vector<BuiltinPattern>& builtin_patterns();
// The built-in pattern named `type`, or null.
const BuiltinPattern* find_builtin(const std::string& type);
// The defaults of a custom pattern of IP protocol `protocol` (ports left empty).
ServiceSpec default_service(uint32_t protocol);

}  // namespace flowgen::detail

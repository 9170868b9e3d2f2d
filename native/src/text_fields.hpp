// text_fields: the record fields a text encoder (CSV, JSON, JSON Lines) can write, and the
// parser of a comma-separated field list (flowgen_encoder_set_fields).
//
// Field values in text:
//   timestamp   flow start, seconds since the epoch with 6 decimals (1704067200.000000)
//   src_ip      dotted quad, or RFC 5952 IPv6 text when ip_version is 6; dst_ip likewise
//   src_port, dst_port, protocol, length, packets, bytes, tcp_flags, flow_id, ip_version
//               decimal integers (dst_port of ICMP is type << 8 | code, as in NetFlow)
//   duration    flow duration in seconds with 6 decimals (0.000000 for one-packet records)
//   direction   "request" (also one-way records) or "response": readable without a legend
//   pattern     the traffic pattern's name ("web_traffic", or a custom pattern's name)
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace flowgen::detail {

enum class Field : uint8_t {
  timestamp,
  src_ip,
  dst_ip,
  src_port,
  dst_port,
  protocol,
  length,
  packets,
  bytes,
  duration,
  tcp_flags,
  flow_id,
  direction,
  pattern,
  ip_version,
};
constexpr int kFieldCount = 15;

// The brief's CSV columns and JSON keys, in the brief's orders.
inline constexpr const char* kDefaultCsvFields =
    "timestamp,src_ip,dst_ip,src_port,dst_port,protocol,length";
inline constexpr const char* kDefaultJsonFields =
    "src_ip,dst_ip,src_port,dst_port,protocol,timestamp,length";

const char* field_name(Field field);

// Parses "timestamp,src_ip,..." (spaces around names are ignored). Throws
// Error(FLOWGEN_ERR_INVALID_ARGUMENT) for an unknown, empty or repeated name.
std::vector<Field> parse_fields(const std::string& list);

}  // namespace flowgen::detail

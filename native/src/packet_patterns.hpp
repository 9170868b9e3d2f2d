// Packet-mode traffic patterns (the brief's web/dns/ssh/database/smtp/ftp/random and custom
// patterns): which protocol, ports and packet lengths a one-packet record gets.
//
// Every (pattern, protocol, port range, length part) combination is one PacketEntry, and a
// single alias table over all entries (weight = pattern share x entry share) picks
// pattern, ports and length shape with one random draw. Each entry carries everything the hot loop needs, so a record costs
// no branch on the pattern.
#pragma once

#include <cstdint>
#include <vector>

#include "alias_table.hpp"
#include "config.hpp"

namespace flowgen::detail {

struct PacketEntry {
  uint32_t dst_port_base = 0;  // dst port = base + below(span); ICMP: type << 8 | code
  uint32_t dst_port_span = 0;  // 0: always base
  uint32_t src_port_base = 0;  // client ports: the ephemeral range 49152-65535
  uint32_t src_port_span = 0;  // 0 for ICMP (src port 0)
  uint8_t protocol = 6;
  uint8_t pattern = 0;
  uint8_t flags_base = 0;      // TCP: ACK; others 0
  uint8_t flags_random = 0;    // TCP: PSH on about half the packets
  // Length: uniform on [length_base, length_base + length_span). A pattern's length shape
  // is a mixture of such parts, one entry each (see packet_patterns.cpp).
  uint32_t length_base = 0, length_span = 1;
  uint32_t padding = 0;  // 32 bytes: the hot loop indexes entries with one shift

  uint16_t length_from(uint32_t r) const noexcept {
    return static_cast<uint16_t>(length_base + ((uint64_t(r) * length_span) >> 32));
  }
};

static_assert(sizeof(PacketEntry) == 32, "PacketEntry: one shift to index");

struct PacketPatterns {
  AliasTable pick;                   // over entries
  std::vector<PacketEntry> entries;
  std::vector<double> target_mean;   // per pattern: the mean length its entries produce
};

// Builds the entries of every pattern of a validated config (flow-mode patterns get one
// placeholder entry so that the pick still chooses them with their share).
PacketPatterns build_packet_patterns(const Config& config);

// Per-pattern relative size factor of the built-in shapes (DNS small, web/FTP large...).
double builtin_size_factor(const std::string& type);

}  // namespace flowgen::detail

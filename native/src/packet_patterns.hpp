// Packet-mode traffic patterns (the brief's web/dns/ssh/database/smtp/ftp/random and custom
// patterns): which protocol, ports and packet lengths a one-packet record gets.
//
// Every (pattern, protocol, port range) combination is one PacketEntry, and a single alias
// table over all entries (weight = pattern share x entry share) picks pattern and ports
// with one random draw. Each entry carries everything the hot loop needs, so a record costs
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
  // Length: uniform on [low_base, low_base + low_span) with probability low_threshold/2^32,
  // else uniform on [high_base, high_base + high_span). See packet_patterns.cpp.
  uint32_t low_base = 0, low_span = 1;
  uint32_t high_base = 0, high_span = 1;
  uint64_t low_threshold = 0;

  uint16_t length_from(uint64_t r) const noexcept {
    // Masks instead of ternaries: the coin is random, a branch would mispredict.
    const uint32_t low = 0u - uint32_t((r >> 32) < low_threshold);
    const uint32_t base = (low_base & low) | (high_base & ~low);
    const uint32_t span = (low_span & low) | (high_span & ~low);
    return static_cast<uint16_t>(base + ((uint64_t(uint32_t(r)) * span) >> 32));
  }
};

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

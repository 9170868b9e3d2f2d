// Small per-record helpers shared by the packet fast path (packet_fill.cpp) and the
// general path (generator_stream.cpp).
#pragma once

#include <cstdint>

namespace flowgen::detail {

constexpr uint8_t kTcp = 6, kUdp = 17, kIcmp = 1, kIcmp6 = 58;

inline uint32_t mul_shift(uint32_t r, uint32_t span) noexcept {
  return static_cast<uint32_t>((uint64_t(r) * span) >> 32);
}

// ICMP type/code for an IPv6 record: the ICMPv6 equivalents (RFC 4443).
inline uint16_t icmp6_type_code(uint16_t v4_type_code) noexcept {
  switch (v4_type_code >> 8) {
    case 8: return uint16_t(128 << 8);                  // echo request
    case 0: return uint16_t(129 << 8);                  // echo reply
    case 3: return uint16_t(1 << 8 | 4);                // port unreachable
    case 11: return uint16_t(3 << 8);                   // hop limit exceeded
    default: return v4_type_code;
  }
}

inline double seconds(uint64_t ns) noexcept { return double(ns) / 1e9; }

}  // namespace flowgen::detail

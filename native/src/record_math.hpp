// Small per-record helpers shared by the packet fast path (packet_fill.cpp) and the
// general path (generator_stream.cpp).
#pragma once

#include <cstdint>
#include <cstring>

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

// Exact double(ns) / 1e9 for a whole column, in a form compilers vectorise (SSE2 has no
// packed 64-bit integer conversion): each 32-bit half becomes a double by the exponent
// bias trick, hi * 2^32 + lo rounds once (= the correctly rounded double(ns)), and the
// division is IEEE-exact. Bit-identical to double(ns) / 1e9 per record.
inline void seconds_column(const uint64_t* ns, double* out, uint32_t n) noexcept {
  for (uint32_t i = 0; i < n; ++i) {
    const uint64_t lo_bits = (ns[i] & 0xffffffffu) | 0x4330000000000000ULL;  // 2^52 + lo
    const uint64_t hi_bits = (ns[i] >> 32) | 0x4530000000000000ULL;         // 2^84 + hi 2^32
    double lo, hi;
    std::memcpy(&lo, &lo_bits, 8);
    std::memcpy(&hi, &hi_bits, 8);
    out[i] = ((hi - 0x1p84) + (lo - 0x1p52)) / 1e9;
  }
}


}  // namespace flowgen::detail

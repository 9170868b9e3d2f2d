// CIDR subnets of either IP family: parsing ("10.0.0.0/8", "2001:db8::/32") and drawing a
// random host address inside one. Drawing is branch-free for IPv4 (base + multiply-shift).
#pragma once

#include <cstdint>
#include <string>

#include "rng.hpp"

namespace flowgen::detail {

struct Cidr {
  uint8_t version = 4;   // 4 or 6
  uint8_t prefix = 32;   // prefix length
  // IPv4: the first address handed out and how many there are (host order). Network and
  // broadcast addresses are left out when the subnet has at least 4 addresses (/30 or
  // shorter); /31 (RFC 3021) and /32 hand out every address.
  uint32_t v4_first = 0;
  uint64_t v4_count = 1;
  // IPv6: network address (network order as two big-endian halves) and host-bit masks.
  uint64_t v6_hi = 0, v6_lo = 0;
  uint64_t v6_mask_hi = 0, v6_mask_lo = 0;

  // Random IPv4 address (host order); `r` is 32 random bits.
  uint32_t v4_from(uint32_t r) const noexcept {
    return v4_first + static_cast<uint32_t>((static_cast<uint64_t>(r) * v4_count) >> 32);
  }
  // Random IPv6 address into out[16] (network order). The all-zero host part (the
  // subnet-router anycast address) is avoided when the subnet has more than one address.
  void v6_into(Rng& rng, uint8_t* out) const noexcept;
  // The same from two given 64-bit random words (high and low host bits).
  void v6_from(uint64_t r_hi, uint64_t r_lo, uint8_t* out) const noexcept;
};

// The IPv4 part of a Cidr in 8 bytes, for the packet fast path's tables (one scaled load
// per record, where a 48-byte Cidr costs a multiply and a shift to index). A count always
// fits 32 bits: at most 2^32 - 2 addresses (a /0 without network and broadcast).
struct V4Range {
  uint32_t first = 0;
  uint32_t count = 1;
};

inline V4Range v4_range(const Cidr& c) noexcept { return {c.v4_first, uint32_t(c.v4_count)}; }

// Parses `text`; returns false (and leaves `out` unspecified) when it is not a valid CIDR.
// A host part with bits set below the prefix ("10.1.2.3/8") is accepted and masked, as
// routers do.
bool parse_cidr(const std::string& text, Cidr& out);

}  // namespace flowgen::detail

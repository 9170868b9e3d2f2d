// The dotted text of every pair of octets ("192.168."), for the brief CSV loop's addresses:
// each half of an address is one 8-byte copy instead of two octet copies.
#pragma once

#include <cstdint>
#include <cstring>

#include "text_format.hpp"

namespace flowgen::detail::text {

struct OctetPairTable {
  char text[65536][8];   // "a.b." padded with zeros (at most 8 characters: "255.255.")
  uint8_t size[65536];   // characters of each
};

// Built on first use (576 KB), then shared by every encoder.
const OctetPairTable& octet_pairs();

// The text of write_ipv4, then `after` (a separator) in place of the last octet's dot.
// Touches up to 16 bytes.
inline char* write_ipv4_pairs_then(char* p, uint32_t ip, char after,
                                   const OctetPairTable& pairs) noexcept {
  const uint32_t high = ip >> 16, low = ip & 0xffff;
  std::memcpy(p, pairs.text[high], 8);
  p += pairs.size[high];
  std::memcpy(p, pairs.text[low], 8);
  p += pairs.size[low];
  p[-1] = after;  // in place of the last octet's dot
  return p;
}

}  // namespace flowgen::detail::text

// The octet pair table writes the same dotted quads as the octet table: every high half and
// every low half of an address (each with varied other halves), and the separator after it.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include "ipv4_pairs.hpp"

namespace {

using flowgen::detail::text::octet_pairs;
using flowgen::detail::text::write_ipv4_pairs_then;
using flowgen::detail::text::write_ipv4;

// The octet table's text and the separator after it.
std::string with_octets(uint32_t ip, char after) {
  char buffer[64] = {};
  return std::string(buffer, write_ipv4(buffer, ip)) + after;
}

std::string with_pairs(uint32_t ip, char after) {
  char buffer[64];
  for (char& c : buffer) c = '#';  // bytes the writer must overwrite or leave past the end
  return std::string(buffer, write_ipv4_pairs_then(buffer, ip, after, octet_pairs()));
}

TEST(Ipv4Pairs, EveryHalfWritesTheDottedQuad) {
  const uint32_t others[] = {0, 1, 9, 10, 99, 100, 255, 0x0a00, 0x6401, 0xffff, 0x1234};
  for (uint32_t half = 0; half < 65536; ++half) {
    for (const uint32_t other : others) {
      const uint32_t high = half << 16 | other, low = other << 16 | half;
      ASSERT_EQ(with_pairs(high, ','), with_octets(high, ',')) << std::hex << high;
      ASSERT_EQ(with_pairs(low, '\n'), with_octets(low, '\n')) << std::hex << low;
    }
  }
  EXPECT_EQ(with_pairs(0xc0a80101, ','), "192.168.1.1,");
  EXPECT_EQ(with_pairs(0, ','), "0.0.0.0,");
  EXPECT_EQ(with_pairs(0xffffffff, ','), "255.255.255.255,");
}

}  // namespace

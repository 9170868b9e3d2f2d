// Hand-written formatting (text_format.hpp) against known texts and the C library.
#include "text_format.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <initializer_list>
#include <string>

#include "ipv4_pairs.hpp"
#include "rng.hpp"

namespace t = flowgen::detail::text;

namespace {

std::string u32(uint32_t v) {
  char buf[64];
  return std::string(buf, t::write_u32(buf, v));
}
std::string u64(uint64_t v) {
  char buf[64];
  return std::string(buf, t::write_u64(buf, v));
}
std::string ipv4(uint32_t v) {
  char buf[64];
  return std::string(buf, t::write_ipv4(buf, v));
}
std::string ipv6(const uint8_t* a) {
  char buf[96];
  return std::string(buf, t::write_ipv6(buf, a));
}
std::string ipv6_text(const char* text) {
  uint8_t a[16];
  EXPECT_EQ(inet_pton(AF_INET6, text, a), 1) << text;
  return ipv6(a);
}
std::string seconds(uint64_t ns) {
  char buf[64];
  return std::string(buf, t::write_seconds_6(buf, ns));
}

TEST(TextFormat, UnsignedDecimalAtEveryWidth) {
  EXPECT_EQ(u32(0), "0");
  EXPECT_EQ(u32(9), "9");
  EXPECT_EQ(u32(10), "10");
  EXPECT_EQ(u32(65535), "65535");
  EXPECT_EQ(u32(4294967295u), "4294967295");
  uint64_t p = 1;
  for (int d = 0; d < 20; ++d, p *= 10) {
    EXPECT_EQ(u64(p), std::to_string(p));
    EXPECT_EQ(u64(p - 1), std::to_string(p - 1));
    if (p <= 0xffffffffULL) {
      EXPECT_EQ(u32(static_cast<uint32_t>(p)), std::to_string(p));
    }
  }
  EXPECT_EQ(u64(4294967296ULL), "4294967296");
  EXPECT_EQ(u64(UINT64_MAX), "18446744073709551615");
}

TEST(TextFormat, UnsignedDecimalMatchesToStringOnRandomValues) {
  flowgen::detail::Rng rng(7);
  for (int i = 0; i < 100000; ++i) {
    const uint64_t v = rng.next() >> rng.below(64);
    ASSERT_EQ(u64(v), std::to_string(v));
    ASSERT_EQ(u32(static_cast<uint32_t>(v)), std::to_string(static_cast<uint32_t>(v)));
  }
}

TEST(TextFormat, SmallNumbersAndFixedDigits) {
  for (uint32_t v = 0; v < 65536; ++v) {
    char buf[64];
    ASSERT_EQ(std::string(buf, t::write_u16(buf, uint16_t(v))),
              std::to_string(v));
  }
  for (uint32_t v = 0; v < 1000000; ++v) {  // every value: the multiplier's error bound
    char buf[64];
    std::string expected = std::to_string(v);
    expected.insert(0, 6 - expected.size(), '0');
    ASSERT_EQ(std::string(buf, t::write_6_digits(buf, v)), expected);
  }
  for (uint32_t v = 0; v < 256; ++v) {
    char buf[64];
    ASSERT_EQ(std::string(buf, t::write_u8(buf, static_cast<uint8_t>(v))), std::to_string(v));
    ASSERT_EQ(std::string(buf, t::write_u8_then_comma(buf, static_cast<uint8_t>(v))),
              std::to_string(v) + ",");
  }
  for (const uint32_t v : {0u, 7u, 42u, 999999u, 123456u, 100000u}) {
    char buf[64];
    std::string expected = std::to_string(v);
    expected.insert(0, 6 - expected.size(), '0');
    EXPECT_EQ(std::string(buf, t::write_6_digits(buf, v)), expected);
  }
}

TEST(TextFormat, Ipv4DottedQuad) {
  EXPECT_EQ(ipv4(0), "0.0.0.0");
  EXPECT_EQ(ipv4(0xffffffffu), "255.255.255.255");
  EXPECT_EQ(ipv4(192u << 24 | 168u << 16 | 1u << 8 | 45u), "192.168.1.45");
  EXPECT_EQ(ipv4(10u << 24 | 5u << 16 | 23u << 8 | 100u), "10.5.23.100");
  char buf[32];
  const t::OctetPairTable& pairs = t::octet_pairs();
  EXPECT_EQ(std::string(buf, t::write_ipv4_pairs_then(buf, 10u << 24 | 7u, ',', pairs)),
            "10.0.0.7,");
  EXPECT_EQ(std::string(buf, t::write_ipv4_pairs_then(buf, 0xffffffffu, '\n', pairs)),
            "255.255.255.255\n");
  flowgen::detail::Rng rng(8);
  for (int i = 0; i < 20000; ++i) {
    const auto v = static_cast<uint32_t>(rng.next());
    const uint32_t net = htonl(v);
    char expected[INET_ADDRSTRLEN];
    ASSERT_NE(inet_ntop(AF_INET, &net, expected, sizeof expected), nullptr);
    ASSERT_EQ(ipv4(v), expected);
  }
}

TEST(TextFormat, Ipv6Rfc5952Examples) {
  EXPECT_EQ(ipv6_text("::"), "::");
  EXPECT_EQ(ipv6_text("::1"), "::1");
  EXPECT_EQ(ipv6_text("1::"), "1::");
  EXPECT_EQ(ipv6_text("2001:0db8:0000:0000:0000:0000:0000:0001"), "2001:db8::1");
  EXPECT_EQ(ipv6_text("2001:db8:0:0:1:0:0:1"), "2001:db8::1:0:0:1");       // first of a tie
  EXPECT_EQ(ipv6_text("2001:db8:0:1:1:1:1:1"), "2001:db8:0:1:1:1:1:1");   // one zero group stays
  EXPECT_EQ(ipv6_text("2001:0:0:1:0:0:0:1"), "2001:0:0:1::1");            // the longest run
  EXPECT_EQ(ipv6_text("2001:DB8::AbCd"), "2001:db8::abcd");               // lowercase
  EXPECT_EQ(ipv6_text("fe80::"), "fe80::");
  EXPECT_EQ(ipv6_text("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"),
            "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff");
  EXPECT_EQ(ipv6_text("::ffff:192.0.2.1"), "::ffff:192.0.2.1");  // IPv4-mapped (section 5)
  EXPECT_EQ(ipv6_text("0:0:0:0:0:ffff:0:0"), "::ffff:0.0.0.0");
}

TEST(TextFormat, Ipv6MatchesInetNtopOnRandomAddresses) {
  flowgen::detail::Rng rng(9);
  for (int i = 0; i < 20000; ++i) {
    uint8_t a[16];
    for (int g = 0; g < 8; ++g) {
      // Groups are zero half the time so that runs of every length and position appear.
      const auto v = static_cast<uint16_t>(rng.below(2) ? 0 : rng.next() >> rng.below(16));
      a[2 * g] = static_cast<uint8_t>(v >> 8);
      a[2 * g + 1] = static_cast<uint8_t>(v);
    }
    // glibc writes the deprecated IPv4-compatible form ::a.b.c.d; RFC 5952 does not.
    bool first_96_zero = true;
    for (int k = 0; k < 12; ++k) first_96_zero = first_96_zero && a[k] == 0;
    if (first_96_zero) continue;
    char expected[INET6_ADDRSTRLEN];
    ASSERT_NE(inet_ntop(AF_INET6, a, expected, sizeof expected), nullptr);
    ASSERT_EQ(ipv6(a), expected);
  }
}

TEST(TextFormat, SecondsWithSixDecimalsRoundedToTheMicrosecond) {
  EXPECT_EQ(seconds(1704067200ULL * 1000000000ULL), "1704067200.000000");
  EXPECT_EQ(seconds(1704067200123456789ULL), "1704067200.123457");
  EXPECT_EQ(seconds(1704067200123456499ULL), "1704067200.123456");
  EXPECT_EQ(seconds(1704067200999999500ULL), "1704067201.000000");  // carry into seconds
  EXPECT_EQ(seconds(0), "0.000000");
  EXPECT_EQ(seconds(499), "0.000000");
  EXPECT_EQ(seconds(500), "0.000001");
  EXPECT_EQ(seconds(1000), "0.000001");
  EXPECT_EQ(seconds(UINT64_MAX), "18446744073.709552");
  // Near 2^64, where ns + 500 would wrap: 18446744073709551115 rounds down, ...615 up.
  EXPECT_EQ(seconds(UINT64_MAX - 500), "18446744073.709551");
  EXPECT_EQ(seconds(UINT64_MAX - 16), "18446744073.709552");
  EXPECT_EQ(seconds(UINT64_MAX - 501), "18446744073.709551");
}

TEST(TextFormat, SecondsWriterFirstCallAtZeroAndAtTheTop) {
  // The writer's initial state is a real second near 2^64; any first timestamp, inside it or
  // not, must come out as write_seconds_6 writes it.
  for (const uint64_t first : std::initializer_list<uint64_t>{0, 999, 289947883, UINT64_MAX - 999,
                               UINT64_MAX, 18446744072000000000ULL, 18446744072999999499ULL,
                               18446744072999999500ULL, 18446744071999999999ULL}) {
    t::SecondsWriter writer;
    char buf[64];
    ASSERT_EQ(std::string(buf, writer.write(buf, first)), seconds(first)) << first;
    ASSERT_EQ(std::string(buf, writer.write(buf, 1000)), seconds(1000)) << first;
  }
}

TEST(TextFormat, SecondsWriterEqualsTheDirectFormOverASequence) {
  t::SecondsWriter writer;
  flowgen::detail::Rng rng(10);
  uint64_t ns = 1704067199999000000ULL;
  for (int i = 0; i < 100000; ++i) {
    // Mostly forward in small steps, sometimes a jump back (another batch, a restore).
    ns = rng.below(100) == 0 ? ns - rng.below(2000000000) : ns + rng.below(100000);
    char buf[64];
    const std::string got(buf, writer.write(buf, ns));
    ASSERT_EQ(got, seconds(ns)) << ns;
  }
}

TEST(TextFormat, SecondsWriterAroundMillisecondBoundaries) {
  // The cached millisecond ends 500 ns early (rounding); around each end, forwards and back.
  t::SecondsWriter writer;
  for (const uint64_t base : std::initializer_list<uint64_t>{1704067200000000000ULL,
                                                             1704067200999000000ULL, 0,
                                                             18446744072999000000ULL}) {
    for (const int64_t offset : {-1000001, -501, -500, -499, -1, 0, 1, 499, 500, 501, 999499,
                                 999500, 999501, 1000000, 1999499, 1999500, 3, -2}) {
      const uint64_t ns = base + uint64_t(offset);
      char buf[64];
      ASSERT_EQ(std::string(buf, writer.write(buf, ns)), seconds(ns)) << base << " " << offset;
    }
  }
}

TEST(TextFormat, SecondsWriterThenCommaOnEveryPath) {
  // In the cached second, a new second, and the last second below 2^64 (never cached).
  t::SecondsWriter writer;
  for (const uint64_t ns : std::initializer_list<uint64_t>{
           1704067200000000000ULL, 1704067200123456789ULL, 1704067200999999499ULL,
           1704067200999999500ULL, 1704067205000000001ULL, 0, 499, UINT64_MAX - 500,
           UINT64_MAX, 18446744072999999999ULL, 1000}) {
    char buf[64];
    ASSERT_EQ(std::string(buf, writer.write_then_comma(buf, ns)), seconds(ns) + ",") << ns;
  }
}

TEST(TextFormat, JsonEscapeAndCsvCell) {
  EXPECT_EQ(t::json_escape("web_traffic"), "web_traffic");
  EXPECT_EQ(t::json_escape("a\"b\\c\n\t\x01"), "a\\\"b\\\\c\\n\\t\\u0001");
  EXPECT_EQ(t::json_escape("caf\xc3\xa9"), "caf\xc3\xa9");  // UTF-8 passes through
  EXPECT_EQ(t::csv_cell("web_traffic"), "web_traffic");
  EXPECT_EQ(t::csv_cell("a,b"), "\"a,b\"");
  EXPECT_EQ(t::csv_cell("say \"hi\""), "\"say \"\"hi\"\"\"");
}

}  // namespace

// text_format: hand-written formatting of numbers, addresses and timestamps for the text
// encoders. Every writer takes a raw output pointer, returns the pointer past what it
// wrote, and never allocates: the caller reserves room first (see the kMax* sizes).
// Some writers store a few fixed-size bytes past their text to avoid variable-length
// copies; callers keep kWriteSlack bytes of room beyond their worst case for that.
// snprintf and std::to_chars were 20-30x and 4-6x slower here (DESIGN.md).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

#if defined(__BYTE_ORDER__) && defined(__ORDER_LITTLE_ENDIAN__)
#define FLOWGEN_TEXT_LITTLE_ENDIAN (__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__)
#elif defined(_WIN32)
#define FLOWGEN_TEXT_LITTLE_ENDIAN 1
#else
#define FLOWGEN_TEXT_LITTLE_ENDIAN 0
#endif

namespace flowgen::detail::text {

// Longest outputs, in characters.
constexpr size_t kMaxU32 = 10;
constexpr size_t kMaxU64 = 20;
constexpr size_t kMaxIpv4 = 15;                // 255.255.255.255
constexpr size_t kMaxIpv6 = 39;                // 8 groups of 4 hex digits and 7 colons
constexpr size_t kMaxSeconds = 11 + 1 + 6;     // u64 ns -> 18446744073.709552
constexpr size_t kWriteSlack = 32;             // bytes a writer may touch past its text

// "00" "01" ... "99": two digits per table lookup halve the divisions.
struct DigitPairs {
  char pairs[200];
  constexpr DigitPairs() : pairs() {
    for (int i = 0; i < 100; ++i) {
      pairs[2 * i] = static_cast<char>('0' + i / 10);
      pairs[2 * i + 1] = static_cast<char>('0' + i % 10);
    }
  }
};
inline constexpr DigitPairs kDigitPairs{};

inline unsigned decimal_digits(uint32_t v) noexcept {
  // Comparisons are cheap and well predicted: a column's values have similar widths.
  if (v < 10) return 1;
  if (v < 100) return 2;
  if (v < 1000) return 3;
  if (v < 10000) return 4;
  if (v < 100000) return 5;
  if (v < 1000000) return 6;
  if (v < 10000000) return 7;
  if (v < 100000000) return 8;
  if (v < 1000000000) return 9;
  return 10;
}

// Writes exactly `digits` digits of v (v < 10^digits), right to left.
inline void write_digits_backwards(char* end, uint32_t v, unsigned digits) noexcept {
  char* p = end;
  while (digits >= 2) {
    const uint32_t r = v % 100;
    v /= 100;
    p -= 2;
    std::memcpy(p, kDigitPairs.pairs + 2 * r, 2);
    digits -= 2;
  }
  if (digits) *--p = static_cast<char>('0' + v);
}

inline char* write_u32(char* p, uint32_t v) noexcept {
  const unsigned n = decimal_digits(v);
  write_digits_backwards(p + n, v, n);
  return p + n;
}

inline char* write_u64(char* p, uint64_t v) noexcept {
  if (v <= 0xffffffffULL) return write_u32(p, static_cast<uint32_t>(v));
  // Split into a head and 9-digit blocks so that each part fits a 32-bit division.
  const uint64_t low = v % 1000000000ULL;
  const uint64_t rest = v / 1000000000ULL;
  if (rest <= 0xffffffffULL) {
    p = write_u32(p, static_cast<uint32_t>(rest));
  } else {
    p = write_u32(p, static_cast<uint32_t>(rest / 1000000000ULL));
    write_digits_backwards(p + 9, static_cast<uint32_t>(rest % 1000000000ULL), 9);
    p += 9;
  }
  write_digits_backwards(p + 9, static_cast<uint32_t>(low), 9);
  return p + 9;
}

// Each octet's text followed by a dot, padded to 4 bytes, and its length: one fixed
// 4-byte copy per octet.
struct OctetTable {
  char text[256][4];
  uint8_t size[256];
  constexpr OctetTable() : text(), size() {
    for (int i = 0; i < 256; ++i) {
      int n = 0;
      if (i >= 100) text[i][n++] = static_cast<char>('0' + i / 100);
      if (i >= 10) text[i][n++] = static_cast<char>('0' + i / 10 % 10);
      text[i][n++] = static_cast<char>('0' + i % 10);
      text[i][n++] = '.';
      size[i] = static_cast<uint8_t>(n);
    }
  }
};
inline constexpr OctetTable kOctets{};

// Dotted quad of a host-order address. Touches up to 16 bytes.
inline char* write_ipv4(char* p, uint32_t ip) noexcept {
  for (int shift = 24; shift >= 0; shift -= 8) {
    const uint32_t o = (ip >> shift) & 0xff;
    std::memcpy(p, kOctets.text[o], 4);
    p += kOctets.size[o];
  }
  return p - 1;  // drop the last octet's dot
}

// A byte value (protocol, TCP flags) from the octet table: one fixed 4-byte copy, the
// table's dot dropped. Touches 4 bytes.
inline char* write_u8(char* p, uint8_t v) noexcept {
  std::memcpy(p, kOctets.text[v], 4);
  return p + kOctets.size[v] - 1;
}

// Each byte value's text followed by a comma ("6," ... "255,") and its length: the brief
// CSV row's protocol and its separator in one copy (2 instructions fewer than write_u8 and
// a separate comma).
struct U8CommaTable {
  char text[256][4];
  uint8_t size[256];
  constexpr U8CommaTable() : text(), size() {
    for (int i = 0; i < 256; ++i) {
      for (int k = 0; k < 4; ++k) {
        text[i][k] = kOctets.text[i][k] == '.' ? ',' : kOctets.text[i][k];
      }
      size[i] = kOctets.size[i];
    }
  }
};
inline constexpr U8CommaTable kU8Comma{};

// A byte value then ','. Touches 4 bytes.
inline char* write_u8_then_comma(char* p, uint8_t v) noexcept {
  std::memcpy(p, kU8Comma.text[v], 4);
  return p + kU8Comma.size[v];
}

// RFC 5952 canonical text of a network-order IPv6 address: lowercase hex, no leading
// zeros, the longest run of two or more zero groups (the first on a tie) as "::", and
// IPv4-mapped addresses as ::ffff:a.b.c.d (section 5).
inline char* write_ipv6(char* p, const uint8_t* a) noexcept {
  static constexpr char kHex[] = "0123456789abcdef";
  uint16_t g[8];
  for (int i = 0; i < 8; ++i) g[i] = static_cast<uint16_t>(a[2 * i] << 8 | a[2 * i + 1]);

  const bool mapped = g[0] == 0 && g[1] == 0 && g[2] == 0 && g[3] == 0 && g[4] == 0 &&
                      g[5] == 0xffff;
  if (mapped) {
    std::memcpy(p, "::ffff:", 7);
    return write_ipv4(p + 7, uint32_t(a[12]) << 24 | uint32_t(a[13]) << 16 |
                                 uint32_t(a[14]) << 8 | a[15]);
  }

  int best_start = -1, best_len = 1;  // runs of one zero group are not compressed
  for (int i = 0; i < 8;) {
    if (g[i] != 0) {
      ++i;
      continue;
    }
    int j = i;
    while (j < 8 && g[j] == 0) ++j;
    if (j - i > best_len) {
      best_start = i;
      best_len = j - i;
    }
    i = j;
  }

  for (int i = 0; i < 8; ++i) {
    if (i == best_start) {
      *p++ = ':';
      if (i == 0) *p++ = ':';
      i += best_len - 1;
      continue;
    }
    const uint16_t v = g[i];
    if (v >> 12) *p++ = kHex[v >> 12];
    if (v >> 8) *p++ = kHex[(v >> 8) & 0xf];
    if (v >> 4) *p++ = kHex[(v >> 4) & 0xf];
    *p++ = kHex[v & 0xf];
    if (i < 7) *p++ = ':';
  }
  return p;
}

// v < 10^6 split as v / 10^4 (0..99) and the two digit pairs below it, without a division:
// the fixed-point fraction v / 10^4 (2^32 units) multiplied by 100 twice. The rounded-up
// multiplier's error stays below what would change a digit for every v < 10^6 (tests check
// all of them).
struct TenThousands {
  uint32_t high, hundreds, units;  // v = high * 10^4 + hundreds * 100 + units
};
inline TenThousands split_ten_thousands(uint32_t v) noexcept {
  const uint64_t t0 = uint64_t(v) * 429497u;  // ceil(2^32 / 10^4)
  const uint64_t t1 = uint64_t(uint32_t(t0)) * 100u;
  return {uint32_t(t0 >> 32), uint32_t(t1 >> 32),
          uint32_t((uint64_t(uint32_t(t1)) * 100u) >> 32)};
}

// The two ASCII digits of a pair 0..99, first digit in the low byte.
inline uint16_t digit_pair(uint32_t pair) noexcept {
  uint16_t text;
  std::memcpy(&text, kDigitPairs.pairs + 2 * pair, 2);
  return text;
}

// A 16-bit value (ports, lengths) as 1-5 digits: its five digits (split_ten_thousands),
// shifted right past the leading zeros, one 8-byte store. A 512 KB table of every value's
// text did it in fewer instructions, but its lookups missed the cache for random ports:
// they cost a third of the CSV encoder's time. Touches 8 bytes.
inline char* write_u16(char* p, uint16_t v) noexcept {
#if FLOWGEN_TEXT_LITTLE_ENDIAN
  const TenThousands d = split_ten_thousands(v);
  const unsigned n = 1u + (v >= 10) + (v >= 100) + (v >= 1000) + (v >= 10000);
  const uint64_t digits = uint64_t('0' + d.high) | uint64_t(digit_pair(d.hundreds)) << 8 |
                          uint64_t(digit_pair(d.units)) << 24;
  const uint64_t word = digits >> (8 * (5 - n));  // little-endian: drops leading digits
  std::memcpy(p, &word, 8);
  return p + n;
#else
  return write_u32(p, v);
#endif
}

// "000," ... "999,", each in 4 bytes: the six decimals of a timestamp are two lookups. The
// comma is a byte past the text that writers may touch anyway (kWriteSlack); the brief CSV
// row takes it as the timestamp's separator (SecondsWriter::write_then_comma).
struct ThreeDigits {
  char text[1000][4];
  constexpr ThreeDigits() : text() {
    for (int i = 0; i < 1000; ++i) {
      text[i][0] = static_cast<char>('0' + i / 100);
      text[i][1] = static_cast<char>('0' + i / 10 % 10);
      text[i][2] = static_cast<char>('0' + i % 10);
      text[i][3] = ',';
    }
  }
};
inline constexpr ThreeDigits kThreeDigits{};

// Exactly 6 digits of v < 1000000 (the microseconds of a timestamp): v / 1000 by a
// multiply (exact for v < 10^6: tests check every value) and two 3-digit texts.
// Touches 7 bytes, the 7th a ',' (kThreeDigits).
inline char* write_6_digits(char* p, uint32_t v) noexcept {
  const uint32_t high = uint32_t((uint64_t(v) * 4294968u) >> 32);  // ceil(2^32 / 1000)
  const uint32_t low = v - high * 1000;
  std::memcpy(p, kThreeDigits.text[high], 4);
  std::memcpy(p + 3, kThreeDigits.text[low], 4);
  return p + 6;
}

// Integer nanoseconds rounded half up to microseconds (without overflow near 2^64).
inline uint64_t rounded_microseconds(uint64_t ns) noexcept {
  if (__builtin_expect(ns < UINT64_MAX - 500, 1)) return (ns + 500) / 1000;
  const uint64_t us = ns / 1000;  // near 2^64, where ns + 500 would wrap
  return us + (ns - us * 1000 >= 500 ? 1 : 0);
}

// Seconds since the epoch with 6 decimals from integer nanoseconds, rounded half up to
// the microsecond (no float: 1704067200.000000 stays exact).
inline char* write_seconds_6(char* p, uint64_t ns) noexcept {
  const uint64_t us = rounded_microseconds(ns);
  p = write_u64(p, us / 1000000);
  *p++ = '.';
  return write_6_digits(p, static_cast<uint32_t>(us % 1000000));
}

// write_seconds_6 for a column of timestamps: consecutive records mostly share their
// millisecond (1.5 M records per simulated second at 10 Gbps: ~1500 per millisecond), so
// the "1704067200.123" prefix is formatted once and copied, and the last three decimals
// come from the nanoseconds since that millisecond's start (a 32-bit division by multiply)
// as one 3-digit text. Caching the whole second instead cost 7 instructions more per record
// (a second division and a second lookup and store). Touches up to 19 bytes.
class SecondsWriter {
 public:
  // Starts as a real millisecond (the first of the last whole second whose range does not
  // wrap past 2^64): a valid state for any first timestamp, with no "empty" flag to test.
  SecondsWriter() noexcept { start_millisecond(kLastWholeSecond, 0); }

  char* write(char* p, uint64_t ns) noexcept {
    const uint64_t since = ns - ms_start_ns_;  // wraps to a huge value when ns < start
    // Up to 500 ns before the next millisecond, the rounded microseconds stay in this one.
    if (__builtin_expect(since >= kLastInMs, 0)) return write_new_millisecond(p, ns);
    std::memcpy(p, prefix_, sizeof prefix_);
    const uint32_t micros = (uint32_t(since) + 500) / 1000;  // 0..999
    std::memcpy(p + prefix_size_, kThreeDigits.text[micros], 4);
    return p + prefix_size_ + 3;
  }

  // write() and then ',': every path of write ends with a 3-digit text (kThreeDigits),
  // which leaves a ',' past the digits, so the separator costs no store of its own.
  char* write_then_comma(char* p, uint64_t ns) noexcept { return write(p, ns) + 1; }

 private:
  static constexpr uint64_t kLastInMs = 1000000 - 500;
  static constexpr uint64_t kLastWholeSecond = 18446744072;

  void start_millisecond(uint64_t sec, uint32_t ms) noexcept {
    if (second_size_ == 0 || sec != second_) {
      second_ = sec;
      char* end = write_u64(prefix_, sec);
      *end++ = '.';
      second_size_ = static_cast<uint8_t>(end - prefix_);  // at most 12 ("18446744072.")
    }
    std::memcpy(prefix_ + second_size_, kThreeDigits.text[ms], 4);
    prefix_size_ = static_cast<uint8_t>(second_size_ + 3);
    ms_start_ns_ = sec * 1000000000 + uint64_t(ms) * 1000000;
  }

  char* write_new_millisecond(char* p, uint64_t ns) noexcept {
    const uint64_t us = rounded_microseconds(ns);
    const uint64_t sec = us / 1000000;
    // The last second below 2^64 is never cached: its range would wrap and catch small ns.
    if (sec > kLastWholeSecond) return write_seconds_6(p, ns);
    const uint32_t fraction = static_cast<uint32_t>(us - sec * 1000000);
    start_millisecond(sec, fraction / 1000);
    std::memcpy(p, prefix_, sizeof prefix_);
    std::memcpy(p + prefix_size_, kThreeDigits.text[fraction % 1000], 4);
    return p + prefix_size_ + 3;
  }

  uint64_t ms_start_ns_ = 0;
  uint64_t second_ = 0;
  char prefix_[16] = {};
  uint8_t prefix_size_ = 0;
  uint8_t second_size_ = 0;  // of "1704067200." at the start of prefix_; 0 before the first
};

// JSON string contents (no quotes) with the escapes RFC 8259 requires; UTF-8 passes
// through. Used for pattern names, which are per pattern, not per record.
inline std::string json_escape(const std::string& s) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(s.size() + 2);
  for (const char c : s) {
    const auto u = static_cast<unsigned char>(c);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default:
        if (u < 0x20) {
          out += "\\u00";
          out += kHex[u >> 4];
          out += kHex[u & 0xf];
        } else {
          out += c;
        }
    }
  }
  return out;
}

// A CSV cell per RFC 4180: quoted (with doubled quotes) only when it holds a comma, a
// quote or a line break.
inline std::string csv_cell(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (const char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

}  // namespace flowgen::detail::text

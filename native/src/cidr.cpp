#include "cidr.hpp"

#include <cstring>

namespace flowgen::detail {
namespace {

bool parse_uint(const char*& p, const char* end, uint32_t max, uint32_t& out) {
  if (p == end || *p < '0' || *p > '9') return false;
  uint64_t v = 0;
  int digits = 0;
  while (p != end && *p >= '0' && *p <= '9') {
    v = v * 10 + uint64_t(*p - '0');
    if (v > max || ++digits > 5) return false;
    ++p;
  }
  out = static_cast<uint32_t>(v);
  return true;
}

bool parse_ipv4(const char* p, const char* end, uint32_t& out) {
  uint32_t addr = 0;
  for (int i = 0; i < 4; ++i) {
    if (i > 0) {
      if (p == end || *p != '.') return false;
      ++p;
    }
    const char* start = p;
    uint32_t octet = 0;
    if (!parse_uint(p, end, 255, octet)) return false;
    if (p - start > 1 && *start == '0') return false;  // no octal-looking octets
    addr = (addr << 8) | octet;
  }
  if (p != end) return false;
  out = addr;
  return true;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// RFC 4291 text form, including "::" and an embedded dotted IPv4 tail.
bool parse_ipv6(const char* p, const char* end, uint8_t out[16]) {
  uint16_t groups[8] = {};
  int count = 0, gap = -1;
  if (end - p >= 2 && p[0] == ':' && p[1] == ':') {
    gap = 0;
    p += 2;
  } else if (p != end && *p == ':') {
    return false;
  }
  while (p != end) {
    if (count >= 8) return false;
    // An IPv4 tail takes two groups.
    const char* dot = static_cast<const char*>(std::memchr(p, '.', size_t(end - p)));
    const char* colon = static_cast<const char*>(std::memchr(p, ':', size_t(end - p)));
    if (dot && !colon) {
      uint32_t v4 = 0;
      if (count > 6 || !parse_ipv4(p, end, v4)) return false;
      groups[count++] = uint16_t(v4 >> 16);
      groups[count++] = uint16_t(v4 & 0xffff);
      p = end;
      break;
    }
    uint32_t v = 0;
    int digits = 0;
    while (p != end && hex_value(*p) >= 0) {
      v = (v << 4) | uint32_t(hex_value(*p));
      if (++digits > 4) return false;
      ++p;
    }
    if (digits == 0) return false;
    groups[count++] = uint16_t(v);
    if (p == end) break;
    if (*p != ':') return false;
    ++p;
    if (p != end && *p == ':') {
      if (gap >= 0) return false;
      gap = count;
      ++p;
    } else if (p == end) {
      return false;  // trailing single colon
    }
  }
  if (gap < 0 && count != 8) return false;
  if (gap >= 0 && count > 7) return false;
  uint16_t full[8] = {};
  if (gap < 0) {
    std::memcpy(full, groups, sizeof full);
  } else {
    for (int i = 0; i < gap; ++i) full[i] = groups[i];
    const int tail = count - gap;
    for (int i = 0; i < tail; ++i) full[8 - tail + i] = groups[gap + i];
  }
  for (int i = 0; i < 8; ++i) {
    out[2 * i] = uint8_t(full[i] >> 8);
    out[2 * i + 1] = uint8_t(full[i] & 0xff);
  }
  return true;
}

uint64_t load_be64(const uint8_t* b) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | b[i];
  return v;
}

void store_be64(uint64_t v, uint8_t* b) {
  for (int i = 7; i >= 0; --i) {
    b[i] = uint8_t(v & 0xff);
    v >>= 8;
  }
}

// Mask of the host bits of a 64-bit half whose first `net_bits` bits belong to the network.
uint64_t host_mask(int net_bits) {
  if (net_bits <= 0) return ~uint64_t(0);
  if (net_bits >= 64) return 0;
  return ~uint64_t(0) >> net_bits;
}

}  // namespace

bool parse_cidr(const std::string& text, Cidr& out) {
  const char* begin = text.c_str();
  const char* end = begin + text.size();
  const char* slash = static_cast<const char*>(std::memchr(begin, '/', text.size()));
  if (!slash) return false;
  const bool v6 = std::memchr(begin, ':', size_t(slash - begin)) != nullptr;
  const char* p = slash + 1;
  uint32_t prefix = 0;
  if (!parse_uint(p, end, v6 ? 128 : 32, prefix) || p != end) return false;
  if (slash + 2 < end && slash[1] == '0') return false;  // "/08"
  out = Cidr{};
  out.prefix = uint8_t(prefix);
  if (!v6) {
    uint32_t addr = 0;
    if (!parse_ipv4(begin, slash, addr)) return false;
    const int host_bits = 32 - int(prefix);
    const uint64_t size = uint64_t(1) << host_bits;
    const uint32_t network = host_bits == 32 ? 0 : addr & ~uint32_t(size - 1);
    out.version = 4;
    if (size >= 4) {  // skip network and broadcast addresses
      out.v4_first = network + 1;
      out.v4_count = size - 2;
    } else {
      out.v4_first = network;
      out.v4_count = size;
    }
    return true;
  }
  uint8_t addr[16];
  if (!parse_ipv6(begin, slash, addr)) return false;
  out.version = 6;
  out.v6_mask_hi = host_mask(int(prefix));
  out.v6_mask_lo = host_mask(int(prefix) - 64);
  out.v6_hi = load_be64(addr) & ~out.v6_mask_hi;
  out.v6_lo = load_be64(addr + 8) & ~out.v6_mask_lo;
  return true;
}

void Cidr::v6_into(Rng& rng, uint8_t* out) const noexcept {
  const uint64_t r_hi = rng.next();
  v6_from(r_hi, rng.next(), out);
}

void Cidr::v6_from(uint64_t r_hi, uint64_t r_lo, uint8_t* out) const noexcept {
  const uint64_t hi_bits = r_hi & v6_mask_hi;
  uint64_t lo_bits = r_lo & v6_mask_lo;
  if (hi_bits == 0 && lo_bits == 0) lo_bits = v6_mask_lo & 1;  // not the anycast address
  store_be64(v6_hi | hi_bits, out);
  store_be64(v6_lo | lo_bits, out + 8);
}

}  // namespace flowgen::detail

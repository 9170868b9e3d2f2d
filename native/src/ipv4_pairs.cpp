// The octet pair table of ipv4_pairs.hpp, from the octet table.
#include "ipv4_pairs.hpp"

#include <memory>

namespace flowgen::detail::text {

const OctetPairTable& octet_pairs() {
  static const std::unique_ptr<const OctetPairTable> table = [] {
    auto t = std::make_unique<OctetPairTable>();
    for (uint32_t pair = 0; pair < 65536; ++pair) {
      const uint32_t a = pair >> 8, b = pair & 0xff;
      char* text = t->text[pair];
      std::memset(text, 0, 8);
      std::memcpy(text, kOctets.text[a], kOctets.size[a]);
      std::memcpy(text + kOctets.size[a], kOctets.text[b], kOctets.size[b]);
      t->size[pair] = uint8_t(kOctets.size[a] + kOctets.size[b]);
    }
    return t;
  }();
  return *table;
}

}  // namespace flowgen::detail::text

// ExportEncoder: what the NetFlow v5/v9 and IPFIX encoders share beyond Encoder: the
// export time of each packet they close (containers stamp pcap records with it), the
// MTU check, and the count of records they skipped.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "abi_guard.hpp"
#include "encoder.hpp"

namespace flowgen::detail {

// Largest UDP payload of an IPv4 datagram: 65535 - 20 (IPv4) - 8 (UDP).
constexpr size_t kMaxUdpPayload = 65507;

class ExportEncoder : public Encoder {
 public:
  bool packet_format() const override { return true; }
  uint64_t records_skipped() const override { return skipped_; }

  // Export times (ns since the Unix epoch) of the packets closed since the last call,
  // one per end_packet(), in order.
  std::vector<uint64_t> take_packet_times() { return std::move(packet_times_); }

 protected:
  // UDP payload budget for `mtu` (IP packet size); throws naming the parameter when a
  // packet of `min_payload` bytes would not fit.
  static size_t payload_budget(int64_t mtu, size_t min_payload, const char* format) {
    if (mtu < 68 || mtu > 65535)
      throw config_error("mtu " + std::to_string(mtu) + " is out of range (68..65535)");
    const size_t budget = static_cast<size_t>(mtu) - 28;
    if (budget < min_payload)
      throw config_error("mtu " + std::to_string(mtu) + " is too small for " + format +
                         ": a packet needs at least " + std::to_string(min_payload + 28) +
                         " bytes");
    return budget;
  }
  void note_packet(uint64_t export_ns) { packet_times_.push_back(export_ns); }

  uint64_t skipped_ = 0;

 private:
  std::vector<uint64_t> packet_times_;
};

}  // namespace flowgen::detail

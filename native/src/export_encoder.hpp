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

// The batch columns the export encoders read, as plain pointers held in locals: the
// encoders store through uint8_t*, which may alias anything, so reading the columns
// through the Batch's vectors would reload every vector's data pointer per record.
struct Columns {
  explicit Columns(const Batch& b)
      : timestamp_ns(b.timestamp_ns.data()), duration_ns(b.duration_ns.data()),
        ip_version(b.ip_version.data()), src_ip4(b.src_ip4.data()), dst_ip4(b.dst_ip4.data()),
        src_ip6(b.src_ip6.data()), dst_ip6(b.dst_ip6.data()), src_port(b.src_port.data()),
        dst_port(b.dst_port.data()), protocol(b.protocol.data()), tcp_flags(b.tcp_flags.data()),
        packets(b.packets.data()), bytes(b.bytes.data()), direction(b.direction.data()) {}
  const uint64_t* timestamp_ns;
  const uint64_t* duration_ns;
  const uint8_t* ip_version;
  const uint32_t* src_ip4;
  const uint32_t* dst_ip4;
  const uint8_t* src_ip6;
  const uint8_t* dst_ip6;
  const uint16_t* src_port;
  const uint16_t* dst_port;
  const uint8_t* protocol;
  const uint8_t* tcp_flags;
  const uint32_t* packets;
  const uint64_t* bytes;
  const uint8_t* direction;
};

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

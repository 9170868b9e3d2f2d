// IPFIX encoder (RFC 7011). Templates 256 (IPv4) and 257 (IPv6): addresses, ports,
// protocolIdentifier, tcpControlBits (2 bytes, RFC 7125), packetDeltaCount and
// octetDeltaCount (8 bytes), flowStart/EndMilliseconds (or, with IPFIX_NANOSECONDS,
// flowStart/EndNanoseconds in NTP format) and flowDirection (the record's direction
// column: 0 request, 1 response). Header: export time = the latest flow end, rounded up
// to a second; sequence number = data records sent before this message (mod 2^32);
// observation domain = DOMAIN_ID. Without a container the messages are written back to
// back, which is an IPFIX file (RFC 5655). Times are absolute, so no uptime epochs.
#include <cstring>

#include "export_bytes.hpp"
#include "template_exporter.hpp"

namespace flowgen::detail {
namespace {

// IANA IPFIX information elements.
enum : uint16_t {
  kOctetDeltaCount = 1,
  kPacketDeltaCount = 2,
  kProtocolIdentifier = 4,
  kTcpControlBits = 6,
  kSourceTransportPort = 7,
  kSourceIPv4Address = 8,
  kDestinationTransportPort = 11,
  kDestinationIPv4Address = 12,
  kSourceIPv6Address = 27,
  kDestinationIPv6Address = 28,
  kFlowDirection = 61,
  kFlowStartMilliseconds = 152,
  kFlowEndMilliseconds = 153,
  kFlowStartNanoseconds = 156,
  kFlowEndNanoseconds = 157,
};

constexpr uint64_t kNtpEpochOffset = 2208988800ULL;  // 1900-01-01 to 1970-01-01, seconds

// dateTimeNanoseconds: NTP timestamp, 32-bit seconds since 1900 and a 32-bit fraction.
uint64_t ntp_time(uint64_t unix_ns) {
  const uint64_t seconds = unix_ns / kNsPerSecond + kNtpEpochOffset;
  const uint64_t fraction = ((unix_ns % kNsPerSecond) << 32) / kNsPerSecond;
  return (seconds << 32) | fraction;
}

class IpfixEncoder final : public TemplateExporter {
 public:
  IpfixEncoder() : TemplateExporter({"ipfix", 0x58465049 /* "IPFX" */, 16, 2, 1, false}) {}

  void begin(const EncoderParams& params) override {
    if (params.domain_id < 0 || params.domain_id > 0xffffffffLL)
      throw config_error("domain_id must be in 0..4294967295, got " +
                         std::to_string(params.domain_id));
    if (params.ipfix_biflow)
      throw Error(FLOWGEN_ERR_UNSUPPORTED,
                  "ipfix_biflow (RFC 5103 biflow records) is not implemented yet");
    domain_id_ = static_cast<uint32_t>(params.domain_id);
    nanoseconds_ = params.ipfix_nanoseconds != 0;
    configure(params, {{256, fields(kSourceIPv4Address, kDestinationIPv4Address, 4)},
                       {257, fields(kSourceIPv6Address, kDestinationIPv6Address, 16)}});
  }

  void encode(const Batch& batch, OutputBuffer& out) override {
    const Columns c(batch);  // local pointers: the byte stores below cannot alias them
    for (uint32_t i = 0, n = batch.size; i < n; ++i) {
      const uint64_t start = c.timestamp_ns[i];
      const uint64_t end = start + c.duration_ns[i];
      uint8_t* r;
      if (c.ip_version[i] == 4) {
        r = add_record(0, start, end, out);
        put_be32(r, c.src_ip4[i]);
        put_be32(r + 4, c.dst_ip4[i]);
        r += 8;
      } else {
        r = add_record(1, start, end, out);
        std::memcpy(r, c.src_ip6 + size_t(i) * 16, 16);
        std::memcpy(r + 16, c.dst_ip6 + size_t(i) * 16, 16);
        r += 32;
      }
      put_be16(r, c.src_port[i]);
      put_be16(r + 2, c.dst_port[i]);
      r[4] = c.protocol[i];
      put_be16(r + 5, c.tcp_flags[i]);
      put_be64(r + 7, c.packets[i]);
      put_be64(r + 15, c.bytes[i]);
      if (nanoseconds_) {
        put_be64(r + 23, ntp_time(start));
        put_be64(r + 31, ntp_time(end));
      } else {
        put_be64(r + 23, start / kNsPerMs);
        put_be64(r + 31, end / kNsPerMs);
      }
      r[39] = c.direction[i];
    }
  }

 private:
  std::vector<TemplateField> fields(uint16_t src, uint16_t dst, uint16_t length) const {
    const uint16_t first = nanoseconds_ ? kFlowStartNanoseconds : kFlowStartMilliseconds;
    const uint16_t last = nanoseconds_ ? kFlowEndNanoseconds : kFlowEndMilliseconds;
    return {{src, length},
            {dst, length},
            {kSourceTransportPort, 2},
            {kDestinationTransportPort, 2},
            {kProtocolIdentifier, 1},
            {kTcpControlBits, 2},
            {kPacketDeltaCount, 8},
            {kOctetDeltaCount, 8},
            {first, 8},
            {last, 8},
            {kFlowDirection, 1}};
  }

  void write_header(uint8_t* h, size_t length, uint32_t, uint32_t) override {
    put_be16(h, 10);
    put_be16(h + 2, static_cast<uint32_t>(length));
    put_be32(h + 4, static_cast<uint32_t>(clock_.export_seconds()));
    put_be32(h + 8, static_cast<uint32_t>(data_records_sent_));
    put_be32(h + 12, domain_id_);
  }

  uint32_t domain_id_ = 0;
  bool nanoseconds_ = false;
};

}  // namespace

std::unique_ptr<Encoder> make_ipfix_encoder() { return std::make_unique<IpfixEncoder>(); }

}  // namespace flowgen::detail

// NetFlow v9 encoder (RFC 3954). Two templates: 256 for IPv4 flows, 257 for IPv6 flows,
// with 64-bit packet and byte counters and FIRST/LAST_SWITCHED in sysUptime ms.
// Header: count = template + data records in the packet; package sequence counts the
// packets sent before (continuing across exporter epochs); source id = DOMAIN_ID;
// sysUptime and unix_secs describe the same instant (the export time rounded up to a
// whole second), so that collectors recover the flow times to the millisecond.
// DIRECTION (61) carries the record's direction column: 0 request, 1 response.
#include <cstring>

#include "export_bytes.hpp"
#include "template_exporter.hpp"

namespace flowgen::detail {
namespace {

// NetFlow v9 field types (RFC 3954 section 8).
enum : uint16_t {
  kInBytes = 1,
  kInPkts = 2,
  kProtocol = 4,
  kTcpFlags = 6,
  kL4SrcPort = 7,
  kIpv4SrcAddr = 8,
  kL4DstPort = 11,
  kIpv4DstAddr = 12,
  kLastSwitched = 21,
  kFirstSwitched = 22,
  kIpv6SrcAddr = 27,
  kIpv6DstAddr = 28,
  kDirection = 61,
};

std::vector<TemplateField> fields_with_addresses(uint16_t src, uint16_t dst, uint16_t length) {
  return {{src, length},        {dst, length},        {kL4SrcPort, 2},     {kL4DstPort, 2},
          {kProtocol, 1},       {kTcpFlags, 1},       {kInPkts, 8},        {kInBytes, 8},
          {kFirstSwitched, 4},  {kLastSwitched, 4},   {kDirection, 1}};
}

class Netflow9Encoder final : public TemplateExporter {
 public:
  Netflow9Encoder() : TemplateExporter({"netflow9", 0x39564e46 /* "FNV9" */, 20, 0, 4, true}) {}

  void begin(const EncoderParams& params) override {
    source_id_ = domain_id(params);
    configure(params, {{256, fields_with_addresses(kIpv4SrcAddr, kIpv4DstAddr, 4)},
                       {257, fields_with_addresses(kIpv6SrcAddr, kIpv6DstAddr, 16)}});
  }

  void encode(const Batch& batch, OutputBuffer& out) override {
    const Columns c(batch);  // local pointers: the byte stores below cannot alias them
    for (uint32_t i = 0, n = batch.size; i < n; ++i) {
      const uint64_t start = c.timestamp_ns[i];
      const uint64_t end = start + c.duration_ns[i];
      uint8_t* r = add_addressed_record(c, i, start, end, out);
      put_be16(r, c.src_port[i]);
      put_be16(r + 2, c.dst_port[i]);
      r[4] = c.protocol[i];
      r[5] = c.tcp_flags[i];
      put_be64(r + 6, c.packets[i]);
      put_be64(r + 14, c.bytes[i]);
      put_be32(r + 22, clock_.uptime_ms(start));
      put_be32(r + 26, clock_.uptime_ms(end));
      r[30] = c.direction[i];
    }
  }

 private:
  void write_header(uint8_t* h, size_t, uint32_t records, uint32_t) override {
    const uint64_t seconds = clock_.export_seconds();
    put_be16(h, 9);
    put_be16(h + 2, records);
    put_be32(h + 4, static_cast<uint32_t>(seconds * 1000 - clock_.boot_ms));
    put_be32(h + 8, static_cast<uint32_t>(seconds));
    put_be32(h + 12, static_cast<uint32_t>(packets_sent_));
    put_be32(h + 16, source_id_);
  }

  uint32_t source_id_ = 0;
};

}  // namespace

std::unique_ptr<Encoder> make_netflow9_encoder() { return std::make_unique<Netflow9Encoder>(); }

}  // namespace flowgen::detail

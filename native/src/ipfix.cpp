// IPFIX encoder (RFC 7011). Templates 256 (IPv4) and 257 (IPv6): addresses, ports,
// protocolIdentifier, tcpControlBits (2 bytes, RFC 7125), packetDeltaCount and
// octetDeltaCount (8 bytes), flowStart/EndMilliseconds (or, with IPFIX_NANOSECONDS,
// flowStart/EndNanoseconds in NTP format) and flowDirection (the record's direction
// column: 0 request, 1 response). Header: export time = the latest flow end, rounded up
// to a second; sequence number = data records sent before this message (mod 2^32);
// observation domain = DOMAIN_ID. Without a container the messages are written back to
// back, which is an IPFIX file (RFC 5655). Times are absolute, so no uptime epochs.
//
// With IPFIX_BIFLOW (RFC 5103) a request and its response become one record: the
// request's flow key, reverseTcpControlBits, reversePacketDeltaCount,
// reverseOctetDeltaCount and reverseFlowStart/End (enterprise bit, PEN 29305) from the
// response, the request's own counters and times, and biflowDirection (1: the source initiated; 2: a response whose request
// left unpaired, its destination initiated) in place of flowDirection. Pairing rules and
// their memory bound: biflow_pairer.hpp. Unpaired halves carry reverse fields of 0.
#include <algorithm>
#include <cstring>

#include "biflow_pairer.hpp"
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
  kBiflowDirection = 239,
};

constexpr uint32_t kReversePen = 29305;  // RFC 5103 reverse information elements

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
    biflow_ = params.ipfix_biflow != 0;
    domain_id_ = domain_id(params);
    nanoseconds_ = params.ipfix_nanoseconds != 0;
    const auto make = biflow_ ? &IpfixEncoder::biflow_fields : &IpfixEncoder::fields;
    configure(params, {{256, (this->*make)(kSourceIPv4Address, kDestinationIPv4Address, 4)},
                       {257, (this->*make)(kSourceIPv6Address, kDestinationIPv6Address, 16)}});
  }

  void encode(const Batch& batch, OutputBuffer& out) override {
    if (biflow_) return encode_biflows(batch, out);
    const Columns c(batch);  // local pointers: the byte stores below cannot alias them
    for (uint32_t i = 0, n = batch.size; i < n; ++i) {
      const uint64_t start = c.timestamp_ns[i];
      const uint64_t end = start + c.duration_ns[i];
      uint8_t* r = add_addressed_record(c, i, start, end, out);
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

  void finish(OutputBuffer& out) override {
    if (biflow_) pairer_.flush(BiflowWriter{this, &out});
    close_packet(out);
  }

 private:
  void encode_biflows(const Batch& batch, OutputBuffer& out) {
    const Columns c(batch);
    const BiflowWriter write{this, &out};
    for (uint32_t i = 0, n = batch.size; i < n; ++i) {
      FlowHalf h;
      h.flow_id = batch.flow_id[i];
      h.start_ns = c.timestamp_ns[i];
      h.end_ns = h.start_ns + c.duration_ns[i];
      h.packets = c.packets[i];
      h.bytes = c.bytes[i];
      h.ip_version = c.ip_version[i];
      if (h.ip_version == 4) {
        h.src_ip4 = c.src_ip4[i];
        h.dst_ip4 = c.dst_ip4[i];
      } else {
        std::memcpy(h.src_ip6, c.src_ip6 + size_t(i) * 16, 16);
        std::memcpy(h.dst_ip6, c.dst_ip6 + size_t(i) * 16, 16);
      }
      h.src_port = c.src_port[i];
      h.dst_port = c.dst_port[i];
      h.protocol = c.protocol[i];
      h.tcp_flags = c.tcp_flags[i];
      if (c.direction[i] == 1)
        pairer_.response(h, write);
      else
        pairer_.request(h, write);
    }
  }

  // The pairer's output: one biflow record per call.
  struct BiflowWriter {
    IpfixEncoder* self;
    OutputBuffer* out;
    void operator()(const FlowHalf& f, const FlowHalf* rev, uint8_t direction) const {
      self->write_biflow(f, rev, direction, *out);
    }
  };
  void write_biflow(const FlowHalf& f, const FlowHalf* rev, uint8_t direction, OutputBuffer& out) {
    const uint64_t end = rev ? std::max(f.end_ns, rev->end_ns) : f.end_ns;
    uint8_t* r;
    if (f.ip_version == 4) {
      r = add_record(0, f.start_ns, end, out);
      put_be32(r, f.src_ip4);
      put_be32(r + 4, f.dst_ip4);
      r += 8;
    } else {
      r = add_record(1, f.start_ns, end, out);
      std::memcpy(r, f.src_ip6, 16);
      std::memcpy(r + 16, f.dst_ip6, 16);
      r += 32;
    }
    put_be16(r, f.src_port);
    put_be16(r + 2, f.dst_port);
    r[4] = f.protocol;
    put_be16(r + 5, rev ? rev->tcp_flags : 0);
    put_be64(r + 7, rev ? rev->packets : 0);
    put_be64(r + 15, rev ? rev->bytes : 0);
    put_be64(r + 23, rev ? time_field(rev->start_ns) : 0);
    put_be64(r + 31, rev ? time_field(rev->end_ns) : 0);
    put_be16(r + 39, f.tcp_flags);
    put_be64(r + 41, f.packets);
    put_be64(r + 49, f.bytes);
    put_be64(r + 57, time_field(f.start_ns));
    put_be64(r + 65, time_field(f.end_ns));
    r[73] = direction;
  }

  uint64_t time_field(uint64_t ns) const { return nanoseconds_ ? ntp_time(ns) : ns / kNsPerMs; }

  void save_extra(ExportStateWriter& w) const override {
    if (biflow_) pairer_.save(w);
  }
  void restore_extra(ExportStateReader& r) override {
    if (biflow_) pairer_.restore(r);
  }

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

  // The reverse elements come before the forward ones: nfdump 1.7 reads
  // reverseFlowStart/EndMilliseconds as the flow's own times, and the later forward
  // values then win (it maps the reverse counters to out_packets/out_bytes correctly).
  std::vector<TemplateField> biflow_fields(uint16_t src, uint16_t dst, uint16_t length) const {
    const std::vector<TemplateField> forward = fields(src, dst, length);
    std::vector<TemplateField> f(forward.begin(), forward.begin() + 5);  // the flow key
    for (size_t k = 5; k < 10; ++k) f.push_back({forward[k].id, forward[k].length, kReversePen});
    f.insert(f.end(), forward.begin() + 5, forward.begin() + 10);
    f.push_back({kBiflowDirection, 1});  // in place of flowDirection: who initiated
    return f;
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
  bool biflow_ = false;
  BiflowPairer pairer_;
};

}  // namespace

std::unique_ptr<Encoder> make_ipfix_encoder() { return std::make_unique<IpfixEncoder>(); }

}  // namespace flowgen::detail

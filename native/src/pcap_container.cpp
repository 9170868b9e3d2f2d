// Containers for export packets: a pcap or pcapng file in which every export packet is a
// UDP datagram 127.0.0.1:SOURCE_PORT -> 127.0.0.1:DESTINATION_PORT inside Ethernet and
// IPv4 (header checksum computed; UDP checksum 0, which IPv4 allows), stamped with the
// packet's export time. Files are little-endian; pcap has microsecond timestamps, pcapng
// nanosecond ones (if_tsresol = 9). Wireshark and replay tools read either.
#include <string>

#include "abi_guard.hpp"
#include "export_bytes.hpp"
#include "export_clock.hpp"
#include "export_encoder.hpp"
#include "export_state.hpp"

namespace flowgen::detail {
namespace {

constexpr size_t kFrameHeaders = 14 + 20 + 8;  // Ethernet, IPv4, UDP
constexpr uint32_t kLoopback = 0x7f000001;
constexpr uint32_t kStateTag = 0x50414350;  // "PCAP"

uint16_t ipv4_checksum(const uint8_t* header) {
  uint32_t sum = 0;
  for (int i = 0; i < 20; i += 2) sum += get_be16(header + i);
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<uint16_t>(~sum);
}

class ContainerEncoder final : public Encoder {
 public:
  ContainerEncoder(std::unique_ptr<Encoder> inner, int64_t kind)
      : inner_(std::move(inner)), export_(dynamic_cast<ExportEncoder*>(inner_.get())),
        pcapng_(kind == FLOWGEN_CONTAINER_PCAPNG) {}

  void begin(const EncoderParams& params) override {
    for (auto [name, port] : {std::pair{"source_port", params.source_port},
                              std::pair{"destination_port", params.destination_port}})
      if (port < 1 || port > 65535)
        throw config_error(std::string(name) + " must be in 1..65535, got " + std::to_string(port));
    source_port_ = static_cast<uint16_t>(params.source_port);
    destination_port_ = static_cast<uint16_t>(params.destination_port);
    inner_->begin(params);
  }

  void encode(const Batch& batch, OutputBuffer& out) override {
    inner_out_.clear();
    inner_->encode(batch, inner_out_);
    wrap(out);
  }

  void finish(OutputBuffer& out) override {
    inner_out_.clear();
    inner_->finish(inner_out_);
    wrap(out);
    if (!header_written_) write_file_header(out);  // an empty capture is still a file
  }

  std::vector<uint8_t> save_state() const override {
    ExportStateWriter w(kStateTag);
    w.u64(header_written_).u64(ip_id_);
    const std::vector<uint8_t> inner = inner_->save_state();
    w.bytes(inner.data(), inner.size());
    return w.take();
  }

  void restore_state(const uint8_t* data, size_t size) override {
    ExportStateReader r(data, size, kStateTag, "pcap container");
    header_written_ = r.u64() != 0;
    ip_id_ = static_cast<uint16_t>(r.u64());
    std::vector<uint8_t> inner(r.rest_size());
    r.bytes(inner.data(), inner.size());
    inner_->restore_state(inner.data(), inner.size());
  }

  uint64_t records_skipped() const override { return inner_->records_skipped(); }
  bool packet_format() const override { return true; }

 private:
  void wrap(OutputBuffer& out) {
    const std::vector<uint64_t> times =
        export_ ? export_->take_packet_times() : std::vector<uint64_t>{};
    uint32_t begin = 0;
    for (size_t k = 0; k < inner_out_.packet_ends.size(); ++k) {
      const uint32_t end = inner_out_.packet_ends[k];
      if (!header_written_) write_file_header(out);
      write_packet(inner_out_.bytes.data() + begin, end - begin, k < times.size() ? times[k] : 0,
                   out);
      out.end_packet();
      begin = end;
    }
  }

  void write_file_header(OutputBuffer& out) {
    BasicLeWriter w(out.bytes);
    if (pcapng_) {
      w.u32(0x0A0D0D0A);  // section header block
      w.u32(28);
      w.u32(0x1A2B3C4D);
      w.u16(1);
      w.u16(0);
      w.u64(~uint64_t(0));  // section length unknown
      w.u32(28);
      w.u32(1);  // interface description block
      w.u32(32);
      w.u16(1);  // LINKTYPE_ETHERNET
      w.u16(0);
      w.u32(0);  // no snap length limit
      w.u16(9);  // if_tsresol: 10^-9 s
      w.u16(1);
      w.u32(9);  // value byte + 3 bytes of padding
      w.u32(0);  // opt_endofopt
      w.u32(32);
    } else {
      w.u32(0xa1b2c3d4);  // microsecond timestamps
      w.u16(2);
      w.u16(4);
      w.u32(0);  // GMT offset
      w.u32(0);  // accuracy
      w.u32(65535);
      w.u32(1);  // LINKTYPE_ETHERNET
    }
    header_written_ = true;
  }

  void write_packet(const uint8_t* payload, uint32_t size, uint64_t time_ns, OutputBuffer& out) {
    const uint32_t frame = static_cast<uint32_t>(kFrameHeaders) + size;
    BasicLeWriter w(out.bytes);
    uint32_t padding = 0;
    if (pcapng_) {
      padding = (4 - frame % 4) % 4;
      w.u32(6);  // enhanced packet block
      w.u32(32 + frame + padding);
      w.u32(0);  // interface 0
      w.u32(static_cast<uint32_t>(time_ns >> 32));
      w.u32(static_cast<uint32_t>(time_ns));
      w.u32(frame);
      w.u32(frame);
    } else {
      w.u32(static_cast<uint32_t>(time_ns / kNsPerSecond));
      w.u32(static_cast<uint32_t>(time_ns % kNsPerSecond / 1000));
      w.u32(frame);
      w.u32(frame);
    }
    uint8_t h[kFrameHeaders] = {};
    put_be16(h + 12, 0x0800);  // Ethernet: zero MACs, as on a loopback capture; IPv4
    uint8_t* ip = h + 14;
    ip[0] = 0x45;
    put_be16(ip + 2, 20 + 8 + size);
    put_be16(ip + 4, ip_id_++);
    put_be16(ip + 6, 0x4000);  // don't fragment
    ip[8] = 64;                // TTL
    ip[9] = 17;                // UDP
    put_be32(ip + 12, kLoopback);
    put_be32(ip + 16, kLoopback);
    put_be16(ip + 10, ipv4_checksum(ip));
    uint8_t* udp = ip + 20;
    put_be16(udp, source_port_);
    put_be16(udp + 2, destination_port_);
    put_be16(udp + 4, 8 + size);
    w.bytes(h, sizeof h);
    w.bytes(payload, size);
    if (pcapng_) {
      for (uint32_t i = 0; i < padding; ++i) w.u8(0);
      w.u32(32 + frame + padding);
    }
  }

  std::unique_ptr<Encoder> inner_;
  ExportEncoder* export_;  // the inner encoder's packet times, when it has them
  bool pcapng_;
  OutputBuffer inner_out_;
  bool header_written_ = false;
  uint16_t ip_id_ = 0;
  uint16_t source_port_ = 2055;
  uint16_t destination_port_ = 2055;
};

}  // namespace

std::unique_ptr<Encoder> wrap_in_container(std::unique_ptr<Encoder> inner,
                                           const EncoderParams& params) {
  if (params.container != FLOWGEN_CONTAINER_PCAP && params.container != FLOWGEN_CONTAINER_PCAPNG)
    throw config_error("container must be 0 (none), 1 (pcap) or 2 (pcapng), got " +
                       std::to_string(params.container));
  if (!inner->packet_format())
    throw config_error("container (pcap/pcapng) applies to netflow5, netflow9 and ipfix only");
  return std::make_unique<ContainerEncoder>(std::move(inner), params.container);
}

}  // namespace flowgen::detail

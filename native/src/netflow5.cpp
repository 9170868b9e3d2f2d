// NetFlow v5 encoder: 24-byte header + up to 30 records of 48 bytes per packet, IPv4 only.
//
// Header: flow_sequence counts the flows sent before this packet; sysUptime and
// unix_secs/unix_nsecs give the export time (see export_clock.hpp); First/Last are
// milliseconds since the exporter's boot. dPkts/dOctets are 32-bit in v5: larger values
// are clamped to 0xffffffff (use v9 or IPFIX, which carry 64-bit counters). Next hop,
// interfaces, ToS, AS numbers and masks are 0: the generator does not model them.
// The sampling field is written as given (2 bits mode, 14 bits interval).
#include <algorithm>
#include <array>
#include <cstring>

#include "export_bytes.hpp"
#include "export_clock.hpp"
#include "export_encoder.hpp"
#include "export_state.hpp"

namespace flowgen::detail {
namespace {

constexpr size_t kHeaderBytes = 24;
constexpr size_t kRecordBytes = 48;
constexpr size_t kMaxRecords = 30;
constexpr uint32_t kStateTag = 0x35564e46;  // "FNV5"

uint32_t clamp32(uint64_t v) { return v > 0xffffffffULL ? 0xffffffffu : static_cast<uint32_t>(v); }

class Netflow5Encoder final : public ExportEncoder {
 public:
  void begin(const EncoderParams& params) override {
    const size_t budget = payload_budget(params.mtu, kHeaderBytes + kRecordBytes, "netflow5");
    max_records_ = std::min(kMaxRecords, (budget - kHeaderBytes) / kRecordBytes);
    engine_type_ = static_cast<uint8_t>(params.engine_type);
    engine_id_ = static_cast<uint8_t>(params.engine_id);
    sampling_ = static_cast<uint16_t>(params.sampling_interval);
    skip_unsupported_ = params.skip_unsupported != 0;
  }

  void encode(const Batch& batch, OutputBuffer& out) override {
    if (!skip_unsupported_) refuse_ipv6(batch);
    const Columns c(batch);  // local pointers: the byte stores below cannot alias them
    for (uint32_t i = 0, n = batch.size; i < n; ++i) {
      if (c.ip_version[i] != 4) {
        ++skipped_;
        continue;
      }
      const uint64_t start = c.timestamp_ns[i];
      const uint64_t end = start + c.duration_ns[i];
      if (clock_.needs_boot(end)) {
        close_packet(out);
        clock_.boot(start);
      } else if (count_ == max_records_) {
        close_packet(out);
      }
      clock_.advance(end);
      uint8_t* r = packet_.data() + kHeaderBytes + count_ * kRecordBytes;
      put_be32(r + 0, c.src_ip4[i]);
      put_be32(r + 4, c.dst_ip4[i]);
      std::memset(r + 8, 0, 8);  // next hop, input, output
      put_be32(r + 16, clamp32(c.packets[i]));
      put_be32(r + 20, clamp32(c.bytes[i]));
      put_be32(r + 24, clock_.uptime_ms(start));
      put_be32(r + 28, clock_.uptime_ms(end));
      put_be16(r + 32, c.src_port[i]);
      put_be16(r + 34, c.dst_port[i]);
      r[36] = 0;
      r[37] = c.tcp_flags[i];
      r[38] = c.protocol[i];
      std::memset(r + 39, 0, 9);  // tos, AS numbers, masks, padding
      ++count_;
    }
  }

  void finish(OutputBuffer& out) override { close_packet(out); }

  std::vector<uint8_t> save_state() const override {
    ExportStateWriter w(kStateTag);
    w.u64(clock_.booted).u64(clock_.boot_ms).u64(clock_.epoch).u64(clock_.now_ns);
    w.u64(sequence_).u64(skipped_).u64(count_);
    w.bytes(packet_.data() + kHeaderBytes, count_ * kRecordBytes);
    return w.take();
  }

  void restore_state(const uint8_t* data, size_t size) override {
    ExportStateReader r(data, size, kStateTag, "netflow5");
    clock_.booted = r.u64() != 0;
    clock_.boot_ms = r.u64();
    clock_.epoch = r.u64();
    clock_.now_ns = r.u64();
  clock_.set_epoch_end();
    sequence_ = static_cast<uint32_t>(r.u64());
    skipped_ = r.u64();
    count_ = static_cast<size_t>(r.u64());
    // Before the product below (which could wrap) and before encode() appends at count_.
    if (count_ > max_records_)
      throw Error(FLOWGEN_ERR_CHECKPOINT, "netflow5 state: bad packet");
    const size_t n = r.bytes(packet_.data() + kHeaderBytes, kMaxRecords * kRecordBytes);
    if (n != count_ * kRecordBytes) throw Error(FLOWGEN_ERR_CHECKPOINT, "netflow5 state: bad packet");
  }

 private:
  void refuse_ipv6(const Batch& batch) const {
    for (uint32_t i = 0; i < batch.size; ++i)
      if (batch.ip_version[i] != 4)
        throw Error(FLOWGEN_ERR_UNSUPPORTED,
                    "NetFlow v5 carries IPv4 flows only, and record " + std::to_string(i) +
                        " of the batch is IPv6: use netflow9 or ipfix, or set "
                        "skip_unsupported to skip and count IPv6 records");
  }

  void close_packet(OutputBuffer& out) {
    if (count_ == 0) return;
    uint8_t* h = packet_.data();
    const uint64_t export_ms = clock_.export_ms();
    put_be16(h + 0, 5);
    put_be16(h + 2, static_cast<uint32_t>(count_));
    put_be32(h + 4, static_cast<uint32_t>(export_ms - clock_.boot_ms));
    put_be32(h + 8, static_cast<uint32_t>(export_ms / 1000));
    put_be32(h + 12, static_cast<uint32_t>(export_ms % 1000 * kNsPerMs));
    put_be32(h + 16, sequence_);
    h[20] = engine_type_;
    h[21] = engine_id_;
    put_be16(h + 22, sampling_);
    out.append(h, kHeaderBytes + count_ * kRecordBytes);
    out.end_packet();
    note_packet(clock_.now_ns);
    sequence_ += static_cast<uint32_t>(count_);
    count_ = 0;
  }

  std::array<uint8_t, kHeaderBytes + kMaxRecords * kRecordBytes> packet_{};
  size_t max_records_ = kMaxRecords;
  size_t count_ = 0;      // records in the pending packet
  uint32_t sequence_ = 0;  // flows sent before the pending packet (wraps at 2^32)
  ExporterClock clock_;
  uint8_t engine_type_ = 0;
  uint8_t engine_id_ = 0;
  uint16_t sampling_ = 0;
  bool skip_unsupported_ = false;
};

}  // namespace

std::unique_ptr<Encoder> make_netflow5_encoder() { return std::make_unique<Netflow5Encoder>(); }

}  // namespace flowgen::detail

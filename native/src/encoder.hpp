// Encoder: the internal interface behind flowgen_encoder. Each output format is one
// subclass (text_*.cpp for CSV/JSON/JSONL, netflow*/ipfix*.cpp for export packets);
// abi_encoder.cpp owns the C handle, the buffer, the sink and the container, and calls
// these hooks.
#pragma once

#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "batch.hpp"
#include "byte_buffer.hpp"

namespace flowgen::detail {

// Bytes produced by an encoder. Packet formats close each export packet with
// end_packet(), which records its end offset so that senders and containers (pcap) can
// find the datagram boundaries.
struct OutputBuffer {
  ByteBuffer bytes;
  std::vector<uint32_t> packet_ends;

  // resize + memcpy: vector::insert constructs byte by byte through the allocator's
  // construct() (ByteBuffer has one), about one instruction per byte.
  void append(const void* data, size_t n) {
    if (n == 0) return;
    const size_t at = bytes.size();
    bytes.resize(at + n);  // no zero-fill (ByteBuffer)
    std::memcpy(bytes.data() + at, data, n);
  }
  void end_packet() { packet_ends.push_back(static_cast<uint32_t>(bytes.size())); }
  void clear() {
    bytes.clear();
    packet_ends.clear();
  }
};

// Parameter values, FLOWGEN_PARAM_* (defaults as documented in flowgen.h).
struct EncoderParams {
  int64_t csv_header = 1;
  int64_t json_pretty = 1;
  int64_t container = 0;
  int64_t mtu = 1500;
  int64_t template_packets = 20;
  int64_t template_seconds = 60;
  int64_t domain_id = 0;
  int64_t engine_type = 0;
  int64_t engine_id = 0;
  int64_t sampling_interval = 0;
  int64_t skip_unsupported = 0;
  int64_t ipfix_nanoseconds = 0;
  int64_t ipfix_biflow = 0;
  int64_t source_port = 2055;
  int64_t destination_port = 2055;
  int64_t writer_thread = 0;
  int64_t buffer_bytes = 1 << 20;
  std::string fields = "timestamp,src_ip,dst_ip,src_port,dst_port,protocol,length";
  // True once flowgen_encoder_set_fields was called; without it JSON keeps the brief's
  // key order (src_ip first, timestamp sixth), which differs from the CSV default.
  bool fields_set = false;
};

class Encoder {
 public:
  virtual ~Encoder() = default;
  // Called once before the first encode(), after all params are set (validates them;
  // throws Error naming the parameter on a bad value).
  virtual void begin(const EncoderParams& params) = 0;
  // Appends the records of `batch` to `out`. Packet formats may keep a partial packet
  // inside the encoder until it is full or finish() is called.
  virtual void encode(const Batch& batch, OutputBuffer& out) = 0;
  // encode() for formats whose rows stand alone (CSV, JSON Lines: lane_rows.hpp), plus the
  // end offset in `out` of each record's row in row_ends[0..batch.size). The other formats
  // throw (encoder_registry.cpp).
  virtual void encode_rows(const Batch& batch, OutputBuffer& out, uint32_t* row_ends);
  // Ends the output (closing bracket, last partial packet).
  virtual void finish(OutputBuffer& out) = 0;
  // State for checkpoints: everything that decides the bytes of later output (header
  // written, separators, sequence numbers, template timers, a pending partial packet).
  virtual std::vector<uint8_t> save_state() const = 0;
  virtual void restore_state(const uint8_t* data, size_t size) = 0;
  // Records skipped (IPv6 in v5 with skip_unsupported).
  virtual uint64_t records_skipped() const { return 0; }
  // True for formats whose output is a series of datagrams.
  virtual bool packet_format() const { return false; }
  // The batch columns encode() reads (after begin): encode_next fills only those.
  virtual ColumnSet columns_read() const { return ColumnSet::all; }
};

// Factory (encoder_registry.cpp); throws Error for an unknown format number.
std::unique_ptr<Encoder> make_encoder(int32_t format);

// One constructor per format, each defined beside its encoder.
std::unique_ptr<Encoder> make_csv_encoder();
std::unique_ptr<Encoder> make_json_encoder();
std::unique_ptr<Encoder> make_jsonl_encoder();
std::unique_ptr<Encoder> make_netflow5_encoder();
std::unique_ptr<Encoder> make_netflow9_encoder();
std::unique_ptr<Encoder> make_ipfix_encoder();

// Wraps a packet encoder so that its datagrams come out inside a pcap or pcapng file
// (params.container); called by abi_encoder.cpp at begin() when container != 0.
// Defined in pcap_container.cpp.
std::unique_ptr<Encoder> wrap_in_container(std::unique_ptr<Encoder> inner,
                                           const EncoderParams& params);

}  // namespace flowgen::detail

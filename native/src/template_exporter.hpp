// TemplateExporter: packet assembly shared by NetFlow v9 and IPFIX, which differ only in
// their headers, set ids, padding and record fields. It opens a packet when a record
// comes, puts the template set first when templates are due (first packet of an exporter
// epoch, then every TEMPLATE_PACKETS packets and every TEMPLATE_SECONDS seconds of
// export time; 0 disables either timer), keeps one pending data set per template for the
// packet under construction (so mixed IPv4/IPv6 traffic costs two set headers per
// packet, not one per family change), and closes the packet when the next record would
// not fit in the UDP payload budget (MTU - 28). A closed packet holds its data sets in
// template order (IPv4 before IPv6), so the bytes depend only on the record sequence.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

#include "export_bytes.hpp"

#include "export_clock.hpp"
#include "export_encoder.hpp"
#include "export_state.hpp"

namespace flowgen::detail {

struct TemplateField {
  uint16_t id;
  uint16_t length;
  uint32_t enterprise = 0;  // IPFIX private enterprise number; 0 = IANA element
};

struct TemplateSpec {
  uint16_t id;  // >= 256
  std::vector<TemplateField> fields;
};

class TemplateExporter : public ExportEncoder {
 public:
  void finish(OutputBuffer& out) override { close_packet(out); }
  std::vector<uint8_t> save_state() const override;
  void restore_state(const uint8_t* data, size_t size) override;

 protected:
  struct Layout {
    const char* name;          // "netflow9" / "ipfix", for messages
    uint32_t state_tag;        // identifies the state blob
    size_t header_bytes;       // 20 for v9, 16 for IPFIX
    uint16_t template_set_id;  // 0 for v9, 2 for IPFIX
    size_t set_align;          // data sets padded to this many bytes
    bool uptime_epochs;        // sysUptime-based times: reboot before 2^32 ms
  };
  explicit TemplateExporter(Layout layout);
  TemplateExporter(const TemplateExporter&) = delete;  // set_data_ points into itself
  TemplateExporter& operator=(const TemplateExporter&) = delete;

  // Called from begin(): timers, MTU budget and the templates (records of template i
  // are written by the subclass with the layout of templates[i]).
  void configure(const EncoderParams& params, std::vector<TemplateSpec> templates);

  // Reserves room for one record of template `t` in the pending packet (closing it and
  // opening another as needed) and returns where the subclass writes the record.
  uint8_t* add_record(size_t t, uint64_t start_ns, uint64_t end_ns, OutputBuffer& out) {
    if (layout_.uptime_epochs ? clock_.needs_boot(end_ns) : !clock_.booted) {
      close_packet(out);
      clock_.boot(start_ns);
      templates_due_ = true;
    }
    const size_t size = record_bytes_[t];
    if (open_ && grown_length(t, size) > budget_) close_packet(out);
    clock_.advance(end_ns);
    if (!open_) open_packet();
    len_ = grown_length(t, size);
    uint8_t* p = set_data_[t] + 4 + set_bytes_[t];
    set_bytes_[t] += size;
    ++data_records_in_packet_;
    return p;
  }

  // add_record for record i of `c` with template 0 (IPv4) or 1 (IPv6), its addresses
  // written first (source then destination, network order); returns where the rest of
  // the record goes. Both formats start their records this way.
  uint8_t* add_addressed_record(const Columns& c, uint32_t i, uint64_t start_ns,
                                uint64_t end_ns, OutputBuffer& out) {
    if (c.ip_version[i] == 4) {
      uint8_t* r = add_record(0, start_ns, end_ns, out);
      put_be32(r, c.src_ip4[i]);
      put_be32(r + 4, c.dst_ip4[i]);
      return r + 8;
    }
    uint8_t* r = add_record(1, start_ns, end_ns, out);
    std::memcpy(r, c.src_ip6 + size_t(i) * 16, 16);
    std::memcpy(r + 16, c.dst_ip6 + size_t(i) * 16, 16);
    return r + 32;
  }

  // The observation domain (IPFIX) / source id (v9) of EncoderParams, range-checked.
  static uint32_t domain_id(const EncoderParams& params);

  // Writes the format's header into packet[0, header_bytes). `records` counts template
  // and data records; packets_sent_/data_records_sent_ still exclude this packet.
  virtual void write_header(uint8_t* packet, size_t length, uint32_t records,
                            uint32_t data_records) = 0;

  void close_packet(OutputBuffer& out);

  // Subclass state saved after the exporter's own (IPFIX biflow: the pending requests).
  virtual void save_extra(ExportStateWriter&) const {}
  virtual void restore_extra(ExportStateReader&) {}

  ExporterClock clock_;
  uint64_t packets_sent_ = 0;
  uint64_t data_records_sent_ = 0;

 private:
  // Bytes of a data set holding `records` bytes of records: header and padding included
  // (set_align is 1 or 4, a power of two), 0 for no set.
  size_t set_length(size_t records) const {
    return records ? 4 + records + ((0 - (4 + records)) & (layout_.set_align - 1)) : 0;
  }
  // Packet length once a record of `size` bytes joins the set of template t.
  size_t grown_length(size_t t, size_t size) const {
    return len_ - set_length(set_bytes_[t]) + set_length(set_bytes_[t] + size);
  }
  void open_packet();
  void write_templates();

  Layout layout_;
  std::vector<TemplateSpec> templates_;
  std::vector<size_t> record_bytes_;
  size_t budget_ = 0;
  uint64_t template_packets_ = 20;
  uint64_t template_ns_ = 60 * kNsPerSecond;

  // Template timers.
  bool templates_due_ = true;
  uint64_t packets_since_templates_ = 0;
  uint64_t last_template_ns_ = 0;

  // The pending packet: header and template set in buffer_[0, base_len_), then one
  // data set per template at set_data_[t] (4 bytes of set header, then set_bytes_[t]
  // bytes of records); len_ is the length of the packet if it were closed now. Plain
  // arrays, not vectors of vectors: the record stores may alias any member, so the hot
  // path reloads them per record and each level of indirection costs a load.
  static constexpr size_t kMaxTemplates = 2;
  std::vector<uint8_t> buffer_;
  std::vector<uint8_t> set_storage_;
  uint8_t* set_data_[kMaxTemplates] = {};
  size_t set_bytes_[kMaxTemplates] = {};
  bool open_ = false;
  size_t base_len_ = 0;
  size_t len_ = 0;
  uint32_t template_records_in_packet_ = 0;
  uint32_t data_records_in_packet_ = 0;
};

}  // namespace flowgen::detail

// EncoderSession: everything behind one flowgen_encoder handle: the format's Encoder, its
// parameters, the output buffer, the sink (and its writer thread), the stats, and the
// checkpoint blob. abi_encoder.cpp only adds guard() and handle checks around it, so the
// logic is testable with a Batch filled by hand.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "batch.hpp"
#include "encoder.hpp"
#include "flowgen/flowgen.h"
#include "generator.hpp"
#include "lane_rows.hpp"
#include "sink.hpp"
#include "writer_thread.hpp"

namespace flowgen::detail {

class EncoderSession {
 public:
  // Throws Error(FLOWGEN_ERR_INVALID_ARGUMENT) for an unknown FLOWGEN_FORMAT_*.
  explicit EncoderSession(int32_t format);
  ~EncoderSession();  // joins the writer thread; does not finish the output

  // Before the first encode only (FLOWGEN_ERR_STATE after).
  void set_param(int32_t param, int64_t value);
  void set_fields(const std::string& fields);

  // One sink per encoder, set before finish. Bytes buffered before it go to it first.
  void open(const std::string& path, bool append);
  void set_fd(int fd);

  void encode(const Batch& batch);
  // flowgen_encoder_encode_next: the generator's next batch, encoded. With worker threads
  // and a lane-row format the workers encode and the merge copies rows (lane_rows.hpp);
  // otherwise next_batch + encode. Returns the number of records.
  uint32_t encode_next(Generator& generator, uint32_t max_records);
  void finish();
  void flush();
  void consume();  // without a sink only

  const OutputBuffer& output() const { return out_; }
  flowgen_encoder_stats_t stats() const;

  // Versioned, checksummed blob: format, a hash of the byte-shaping parameters, stats and
  // the Encoder's own state. With a sink, every byte must be written first (flush).
  std::vector<uint8_t> checkpoint() const;
  // Before the first encode only; the blob must come from an encoder of the same format
  // and parameters.
  void restore(const uint8_t* blob, size_t size);

 private:
  void ensure_begun();
  void require_not_begun(const char* what) const;
  void require_no_sink() const;
  void count_output(size_t bytes_before, size_t packets_before);
  void after_encode();   // drains a full buffer, or refuses to grow one without a sink
  void rows_to_out();    // appends rows_ to out_ (before the Encoder writes to out_)
  void drain();          // hands the buffer to the sink (or its writer thread)
  void wait_written();   // returns when the writer thread has written everything
  uint64_t params_hash() const;

  int32_t format_;
  EncoderParams params_;
  std::unique_ptr<Encoder> encoder_;
  OutputBuffer out_;
  std::unique_ptr<Sink> sink_;
  std::unique_ptr<WriterThread> writer_;  // declared after sink_: destroyed before it
  bool writes_in_flight_ = false;
  bool begun_ = false;
  bool finished_ = false;
  flowgen_encoder_stats_t stats_{};
  // encode_next's rows with a sink, written from here (no zero-fill as out_ would need).
  // At most one of rows_ and out_ holds bytes: each is moved into the other before use.
  RowBuffer rows_;
  std::shared_ptr<const LaneRowSpec> lane_rows_;  // made at the first rows encode_next
  bool rows_framed_ = false;  // the Encoder has written what precedes rows (CSV header)
};

}  // namespace flowgen::detail

// WriterThread: writes to a Sink from a second thread so that formatting the next buffer
// and write(2) of the previous one overlap (FLOWGEN_PARAM_WRITER_THREAD). Double
// buffering: one buffer is being written while the encoder fills the other; submit()
// swaps them, waiting first if the previous write has not finished. A write error is kept
// and thrown by the next submit()/wait() on the encoder's thread.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "byte_buffer.hpp"
#include "sink.hpp"

namespace flowgen::detail {

class WriterThread {
 public:
  explicit WriterThread(Sink& sink);
  ~WriterThread();  // waits for the write in flight, then joins (never throws)
  WriterThread(const WriterThread&) = delete;
  WriterThread& operator=(const WriterThread&) = delete;

  // Hands the bytes of `buffer` to the writer thread; `buffer` comes back empty (the
  // buffer written before, capacity kept). Throws the error of an earlier write.
  void submit(ByteBuffer& buffer);
  // The same for the first `size` bytes of `buffer`, which comes back as the buffer written
  // before with its size untouched (a RowBuffer's capacity: no zero-fill to grow it again).
  void submit(ByteBuffer& buffer, size_t size);
  // Returns once everything submitted is written; throws the error of a failed write.
  void wait();

 private:
  void run();
  void throw_if_failed();  // with mutex_ held

  Sink& sink_;
  std::mutex mutex_;
  std::condition_variable changed_;
  ByteBuffer in_flight_;  // touched by the writer only while busy_
  size_t in_flight_size_ = 0;       // bytes of in_flight_ to write
  bool busy_ = false;
  bool stop_ = false;
  int32_t error_status_ = 0;
  std::string error_message_;
  std::thread thread_;
};

}  // namespace flowgen::detail

// WriterThread: double-buffered background writes (see writer_thread.hpp).
#include "writer_thread.hpp"

#include <exception>

#include "abi_guard.hpp"

namespace flowgen::detail {

WriterThread::WriterThread(Sink& sink) : sink_(sink), thread_([this] { run(); }) {}

WriterThread::~WriterThread() {
  {
    std::unique_lock<std::mutex> lock(mutex_);
    changed_.wait(lock, [this] { return !busy_; });
    stop_ = true;
  }
  changed_.notify_all();
  thread_.join();
}

void WriterThread::throw_if_failed() {
  if (error_status_ != 0) throw Error(error_status_, error_message_);
}

void WriterThread::submit(ByteBuffer& buffer) {
  submit(buffer, buffer.size());
  buffer.clear();
}

void WriterThread::submit(ByteBuffer& buffer, size_t size) {
  {
    std::unique_lock<std::mutex> lock(mutex_);
    changed_.wait(lock, [this] { return !busy_; });
    throw_if_failed();
    in_flight_.swap(buffer);
    in_flight_size_ = size;
    busy_ = true;
  }
  changed_.notify_all();
}

void WriterThread::wait() {
  std::unique_lock<std::mutex> lock(mutex_);
  changed_.wait(lock, [this] { return !busy_; });
  throw_if_failed();
}

void WriterThread::run() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (true) {
    changed_.wait(lock, [this] { return busy_ || stop_; });
    if (!busy_) return;  // stop requested with nothing left to write
    lock.unlock();
    int32_t status = 0;
    std::string message;
    try {
      sink_.write(in_flight_.data(), in_flight_size_);
    } catch (const Error& e) {
      status = e.status();
      message = e.what();
    } catch (const std::exception& e) {
      status = FLOWGEN_ERR_INTERNAL;
      message = std::string("internal error in the writer thread: ") + e.what();
    }
    lock.lock();
    // Keep the first error: later submits fail with it instead of writing past a gap.
    if (status != 0 && error_status_ == 0) {
      error_status_ = status;
      error_message_ = message;
    }
    busy_ = false;
    changed_.notify_all();
  }
}

}  // namespace flowgen::detail

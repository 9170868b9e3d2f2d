// Sink: where an encoder's bytes go, a file the encoder opens (create/truncate, or append
// for resume) or a descriptor the caller owns. write() writes everything: it retries on
// partial writes, EINTR and EAGAIN (a non-blocking pipe, as Node sets up stdout), and
// reports failures as Error(FLOWGEN_ERR_IO) naming the target and the cause ("broken pipe",
// "disk full").
//
// SIGPIPE: a library must not kill its host process nor change its signal dispositions,
// so for pipes and sockets (regular files never raise SIGPIPE) each write() blocks SIGPIPE
// in the calling thread only, and if the write failed with EPIPE and raised a SIGPIPE that
// was not already pending, consumes it with sigwait() before restoring the thread's mask.
// The write then fails with EPIPE, reported as FLOWGEN_ERR_IO.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace flowgen::detail {

class Sink {
 public:
  // Throws Error(FLOWGEN_ERR_IO) with the path and errno text.
  static std::unique_ptr<Sink> open_file(const std::string& path, bool append);
  // Throws Error(FLOWGEN_ERR_IO) when fd is not an open descriptor.
  static std::unique_ptr<Sink> from_fd(int fd);

  ~Sink();  // closes a file it opened (errors ignored: use close() to see them)
  Sink(const Sink&) = delete;
  Sink& operator=(const Sink&) = delete;

  void write(const uint8_t* data, size_t size);
  // Closes a file it opened (reports close errors, e.g. a delayed NFS write); a caller's
  // descriptor stays open. Further writes fail.
  void close();

  const std::string& name() const { return name_; }  // "file \"out.csv\"" or "fd 1"

 private:
  Sink(int fd, bool owned, std::string name);

  int fd_;
  bool owned_;
  bool may_raise_sigpipe_ = false;  // pipe or socket
  std::string name_;
};

}  // namespace flowgen::detail

// Sink: file/descriptor output with complete writes and library-safe SIGPIPE handling
// (see sink.hpp).
#include "sink.hpp"

#include <algorithm>
#include <cerrno>
#include <string>
#include <system_error>
#include <utility>

#include "abi_guard.hpp"

#if defined(_WIN32)
#include <fcntl.h>
#include <io.h>
#include <sys/stat.h>
#else
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>
#endif

namespace flowgen::detail {
namespace {

// Larger single writes gain nothing and some systems refuse counts above 2 GiB.
constexpr size_t kMaxWriteChunk = size_t(1) << 30;

std::string errno_text(int err) { return std::system_category().message(err); }

Error write_error(const std::string& target, int err) {
  std::string why;
  if (err == EPIPE) {
    why = "broken pipe (the reading end was closed)";
  } else if (err == ENOSPC) {
    why = "disk full (" + errno_text(err) + ")";
#ifdef EDQUOT
  } else if (err == EDQUOT) {
    why = "disk quota exceeded (" + errno_text(err) + ")";
#endif
  } else {
    why = errno_text(err);
  }
  return Error(FLOWGEN_ERR_IO, "write to " + target + " failed: " + why);
}

#if !defined(_WIN32)
// Blocks SIGPIPE in this thread for one write and swallows the SIGPIPE that write raised,
// leaving a SIGPIPE that was already pending (someone else's) alone.
class SigpipeBlock {
 public:
  SigpipeBlock() {
    sigemptyset(&pipe_);
    sigaddset(&pipe_, SIGPIPE);
    sigset_t pending;
    sigemptyset(&pending);
    was_pending_ = sigpending(&pending) == 0 && sigismember(&pending, SIGPIPE) == 1;
    pthread_sigmask(SIG_BLOCK, &pipe_, &old_mask_);
  }
  // Called after a write failed with EPIPE.
  void swallow_raised_signal() {
    if (was_pending_) return;
    sigset_t pending;
    sigemptyset(&pending);
    if (sigpending(&pending) == 0 && sigismember(&pending, SIGPIPE) == 1) {
      int signal_number = 0;
      sigwait(&pipe_, &signal_number);  // returns at once: the signal is pending
    }
  }
  ~SigpipeBlock() { pthread_sigmask(SIG_SETMASK, &old_mask_, nullptr); }
  SigpipeBlock(const SigpipeBlock&) = delete;
  SigpipeBlock& operator=(const SigpipeBlock&) = delete;

 private:
  sigset_t pipe_;
  sigset_t old_mask_;
  bool was_pending_ = false;
};

// One write(2) attempt; returns bytes written or -errno.
long write_once(int fd, const uint8_t* data, size_t size, bool may_raise_sigpipe) {
  if (!may_raise_sigpipe) {
    const ssize_t n = ::write(fd, data, size);
    return n >= 0 ? static_cast<long>(n) : -errno;
  }
  SigpipeBlock block;
  const ssize_t n = ::write(fd, data, size);
  const int err = n >= 0 ? 0 : errno;
  if (err == EPIPE) block.swallow_raised_signal();
  return n >= 0 ? static_cast<long>(n) : -err;
}

// A non-blocking descriptor that is full: wait until it can take more.
void wait_writable(int fd) {
  pollfd p{};
  p.fd = fd;
  p.events = POLLOUT;
  while (::poll(&p, 1, -1) < 0 && errno == EINTR) {
  }
}
#endif

}  // namespace

Sink::Sink(int fd, bool owned, std::string name)
    : fd_(fd), owned_(owned), name_(std::move(name)) {
#if !defined(_WIN32)
  struct stat st {};
  may_raise_sigpipe_ = ::fstat(fd, &st) != 0 || S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode);
#endif
}

Sink::~Sink() {
  if (owned_ && fd_ >= 0) {
#if defined(_WIN32)
    ::_close(fd_);
#else
    ::close(fd_);
#endif
  }
}

std::unique_ptr<Sink> Sink::open_file(const std::string& path, bool append) {
#if defined(_WIN32)
  const int flags = _O_WRONLY | _O_CREAT | _O_BINARY | (append ? _O_APPEND : _O_TRUNC);
  const int fd = ::_open(path.c_str(), flags, _S_IREAD | _S_IWRITE);
#else
  const int flags = O_WRONLY | O_CREAT | O_CLOEXEC | (append ? O_APPEND : O_TRUNC);
  int fd;
  do {
    fd = ::open(path.c_str(), flags, 0644);
  } while (fd < 0 && errno == EINTR);
#endif
  if (fd < 0) {
    const int err = errno;
    throw Error(FLOWGEN_ERR_IO, "cannot open \"" + path + "\" for " +
                                    (append ? "appending" : "writing") + ": " + errno_text(err));
  }
  return std::unique_ptr<Sink>(new Sink(fd, true, "file \"" + path + "\""));
}

std::unique_ptr<Sink> Sink::from_fd(int fd) {
  const std::string name = "fd " + std::to_string(fd);
#if defined(_WIN32)
  const bool open = fd >= 0 && ::_get_osfhandle(fd) != -1;
#else
  const bool open = fd >= 0 && ::fcntl(fd, F_GETFD) != -1;
#endif
  if (!open) {
    throw Error(FLOWGEN_ERR_IO, "fd " + std::to_string(fd) + " is not an open file descriptor");
  }
  return std::unique_ptr<Sink>(new Sink(fd, false, name));
}

void Sink::write(const uint8_t* data, size_t size) {
  if (fd_ < 0) throw Error(FLOWGEN_ERR_STATE, "write to " + name_ + " after it was closed");
  while (size > 0) {
    const size_t chunk = std::min(size, kMaxWriteChunk);
#if defined(_WIN32)
    const int n = ::_write(fd_, data, static_cast<unsigned>(chunk));
    if (n < 0) {
      if (errno == EINTR) continue;
      throw write_error(name_, errno);
    }
#else
    const long n = write_once(fd_, data, chunk, may_raise_sigpipe_);
    if (n < 0) {
      if (n == -EINTR) continue;
      if (n == -EAGAIN || n == -EWOULDBLOCK) {
        wait_writable(fd_);
        continue;
      }
      throw write_error(name_, static_cast<int>(-n));
    }
#endif
    if (n == 0) throw Error(FLOWGEN_ERR_IO, "write to " + name_ + " failed: wrote 0 bytes");
    data += n;
    size -= static_cast<size_t>(n);
  }
}

void Sink::close() {
  if (!owned_ || fd_ < 0) {
    fd_ = -1;
    return;
  }
  const int fd = fd_;
  fd_ = -1;
#if defined(_WIN32)
  if (::_close(fd) != 0) {
#else
  // Linux closes the descriptor even when close() fails with EINTR: never retry.
  if (::close(fd) != 0 && errno != EINTR) {
#endif
    const int err = errno;
    throw Error(FLOWGEN_ERR_IO, "closing " + name_ + " failed: " + errno_text(err));
  }
}

}  // namespace flowgen::detail

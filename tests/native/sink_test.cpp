// Sink and WriterThread: complete writes to files, appends, caller descriptors, pipes
// (partial writes), broken pipes without dying of SIGPIPE, a full disk, bad paths.
#include "sink.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "abi_guard.hpp"
#include "writer_thread.hpp"

namespace {

using flowgen::detail::ByteBuffer;
using flowgen::detail::Error;
using flowgen::detail::Sink;
using flowgen::detail::WriterThread;

std::string temp_path(const std::string& name) {
  const char* dir = std::getenv("TMPDIR");
  return std::string(dir ? dir : "/tmp") + "/flowgen_sink_test_" + std::to_string(getpid()) +
         "_" + name;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void write_text(Sink& sink, const std::string& text) {
  sink.write(reinterpret_cast<const uint8_t*>(text.data()), text.size());
}

// The Error thrown by `body`, which must throw one.
template <typename Body>
Error error_of(Body&& body) {
  try {
    body();
  } catch (const Error& e) {
    return e;
  }
  ADD_FAILURE() << "no error thrown";
  return Error(0, "");
}

TEST(Sink, CreatesTruncatesAndAppends) {
  const std::string path = temp_path("append.txt");
  {
    auto sink = Sink::open_file(path, false);
    write_text(*sink, "old contents that will be truncated\n");
    sink->close();
  }
  {
    auto sink = Sink::open_file(path, false);
    write_text(*sink, "one\n");
    sink->close();
  }
  {
    auto sink = Sink::open_file(path, true);
    write_text(*sink, "two\n");
  }  // closed by the destructor
  EXPECT_EQ(read_file(path), "one\ntwo\n");
  std::remove(path.c_str());
}

TEST(Sink, OpenErrorNamesThePath) {
  const Error e = error_of([] { Sink::open_file("/nonexistent-dir/x/out.csv", false); });
  EXPECT_EQ(e.status(), FLOWGEN_ERR_IO);
  EXPECT_NE(std::string(e.what()).find("\"/nonexistent-dir/x/out.csv\""), std::string::npos) << e.what();
  EXPECT_NE(std::string(e.what()).find("No such file or directory"), std::string::npos) << e.what();
}

TEST(Sink, RefusesADescriptorThatIsNotOpen) {
  EXPECT_EQ(error_of([] { Sink::from_fd(-1); }).status(), FLOWGEN_ERR_IO);
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  close(fds[0]);
  close(fds[1]);
  const Error e = error_of([&] { Sink::from_fd(fds[1]); });
  EXPECT_EQ(std::string(e.what()), "fd " + std::to_string(fds[1]) + " is not an open file descriptor");
}

TEST(Sink, WritesEverythingThroughAPipeAndLeavesTheCallersFdOpen) {
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  std::string data(3 << 20, '\0');  // far more than a pipe holds: partial writes happen
  for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<char>('a' + i % 26);
  std::string received;
  std::thread reader([&] {
    char buf[7919];  // odd reads, so writes return short counts
    ssize_t n;
    while ((n = read(fds[0], buf, sizeof buf)) > 0) received.append(buf, static_cast<size_t>(n));
  });
  {
    auto sink = Sink::from_fd(fds[1]);
    write_text(*sink, data);
    sink->close();
    EXPECT_NE(fcntl(fds[1], F_GETFD), -1);  // a caller's descriptor stays open
  }
  close(fds[1]);
  reader.join();
  close(fds[0]);
  EXPECT_EQ(received, data);
}

TEST(Sink, NonBlockingPipeIsWaitedFor) {
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  fcntl(fds[1], F_SETFL, fcntl(fds[1], F_GETFL) | O_NONBLOCK);  // like Node's stdout
  const std::string data(1 << 20, 'x');
  size_t received = 0;
  std::thread reader([&] {
    char buf[4096];
    ssize_t n;
    while ((n = read(fds[0], buf, sizeof buf)) > 0) received += static_cast<size_t>(n);
  });
  auto sink = Sink::from_fd(fds[1]);
  write_text(*sink, data);
  close(fds[1]);
  reader.join();
  close(fds[0]);
  EXPECT_EQ(received, data.size());
}

TEST(Sink, BrokenPipeIsAnErrorNotADeathBySigpipe) {
  // SIGPIPE gets its default action (terminate) for this test: surviving is the test.
  // (Other tests in this binary may have ignored it; their setting comes back after.)
  struct RestoreDisposition {
    void (*previous)(int) = signal(SIGPIPE, SIG_DFL);
    ~RestoreDisposition() { signal(SIGPIPE, previous); }
  } restore;
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  close(fds[0]);
  auto sink = Sink::from_fd(fds[1]);
  const Error e = error_of([&] { write_text(*sink, "nobody reads this\n"); });
  EXPECT_EQ(e.status(), FLOWGEN_ERR_IO);
  EXPECT_NE(std::string(e.what()).find("broken pipe"), std::string::npos) << e.what();
  EXPECT_NE(std::string(e.what()).find("fd " + std::to_string(fds[1])), std::string::npos);
  // The signal was consumed, and the thread's signal mask is as before.
  sigset_t pending, mask;
  sigpending(&pending);
  EXPECT_EQ(sigismember(&pending, SIGPIPE), 0);
  pthread_sigmask(SIG_SETMASK, nullptr, &mask);
  EXPECT_EQ(sigismember(&mask, SIGPIPE), 0);
  close(fds[1]);
}

TEST(Sink, FullDiskSaysSo) {
  if (access("/dev/full", W_OK) != 0) GTEST_SKIP() << "no /dev/full";
  auto sink = Sink::open_file("/dev/full", false);
  const Error e = error_of([&] { write_text(*sink, "x"); });
  EXPECT_EQ(e.status(), FLOWGEN_ERR_IO);
  EXPECT_NE(std::string(e.what()).find("disk full"), std::string::npos) << e.what();
  EXPECT_NE(std::string(e.what()).find("\"/dev/full\""), std::string::npos) << e.what();
}

TEST(WriterThread, WritesBuffersInOrderAndHandsBackEmptyOnes) {
  const std::string path = temp_path("writer.txt");
  auto sink = Sink::open_file(path, false);
  std::string expected;
  {
    WriterThread writer(*sink);
    ByteBuffer buffer;
    for (int i = 0; i < 200; ++i) {
      const std::string line = "line " + std::to_string(i) + std::string(static_cast<size_t>(i * 37 % 5000), '.') + "\n";
      buffer.insert(buffer.end(), line.begin(), line.end());
      expected += line;
      if (i % 3 == 0) {
        writer.submit(buffer);
        EXPECT_TRUE(buffer.empty());
      }
    }
    writer.submit(buffer);
    writer.wait();
  }
  sink->close();
  EXPECT_EQ(read_file(path), expected);
  std::remove(path.c_str());
}

TEST(WriterThread, ReportsTheWriteErrorOnTheNextCall) {
  if (access("/dev/full", W_OK) != 0) GTEST_SKIP() << "no /dev/full";
  auto sink = Sink::open_file("/dev/full", false);
  WriterThread writer(*sink);
  ByteBuffer buffer(100, 'x');
  writer.submit(buffer);  // fails in the background
  const Error e = error_of([&] { writer.wait(); });
  EXPECT_EQ(e.status(), FLOWGEN_ERR_IO);
  EXPECT_NE(std::string(e.what()).find("disk full"), std::string::npos);
  buffer.assign(10, 'y');
  EXPECT_EQ(error_of([&] { writer.submit(buffer); }).status(), FLOWGEN_ERR_IO);
}

TEST(WriterThread, DestructorJoinsWithAWriteInFlight) {
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  size_t received = 0;
  std::thread reader([&] {
    char buf[4096];
    ssize_t n;
    while ((n = read(fds[0], buf, sizeof buf)) > 0) received += static_cast<size_t>(n);
  });
  {
    auto sink = Sink::from_fd(fds[1]);
    WriterThread writer(*sink);
    ByteBuffer buffer(1 << 20, 'z');
    writer.submit(buffer);
  }  // no wait(): the destructor finishes the write and joins
  close(fds[1]);
  reader.join();
  close(fds[0]);
  EXPECT_EQ(received, size_t(1) << 20);
}

}  // namespace

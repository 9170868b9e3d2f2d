// flowgen_udp_*: a connected UDP socket that sends an encoder's export packets to a
// collector. Connecting lets the kernel report an ICMP port unreachable as ECONNREFUSED
// (WSAECONNRESET on Windows) on a later send; such failures are counted, not fatal, so a
// collector that is not (yet) listening never stops the sender.
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>
#include <string>

#include "abi_guard.hpp"
#include "flowgen/flowgen.h"

#ifdef _WIN32
#ifndef NOMINMAX
#define NOMINMAX  // keep std::min usable
#endif
#include <winsock2.h>
#include <ws2tcpip.h>
using socket_t = SOCKET;
constexpr socket_t kNoSocket = INVALID_SOCKET;
static void close_socket(socket_t s) { closesocket(s); }
static std::string socket_error_text() { return "winsock error " + std::to_string(WSAGetLastError()); }
#else
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
using socket_t = int;
constexpr socket_t kNoSocket = -1;
static void close_socket(socket_t s) { ::close(s); }
static std::string socket_error_text() { return std::strerror(errno); }
#endif

using flowgen::detail::Error;
using flowgen::detail::guard;

struct flowgen_udp {
  socket_t socket = kNoSocket;
  uint32_t errors = 0;
  ~flowgen_udp() {
    if (socket != kNoSocket) close_socket(socket);
  }
};

namespace {

#ifdef _WIN32
void start_winsock() {
  static const bool started = [] {
    WSADATA data;
    return WSAStartup(MAKEWORD(2, 2), &data) == 0;
  }();
  if (!started) throw Error(FLOWGEN_ERR_IO, "WSAStartup failed");
}
#else
void start_winsock() {}
#endif

// Resolves host:port (a literal or a name such as "localhost"), numerically first.
addrinfo* resolve(const char* host, uint32_t port) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_DGRAM;
  addrinfo* result = nullptr;
  const std::string service = std::to_string(port);
  const int rc = getaddrinfo(host, service.c_str(), &hints, &result);
  if (rc != 0 || !result)
    throw Error(FLOWGEN_ERR_INVALID_ARGUMENT,
                std::string("cannot resolve collector host \"") + host + "\": " + gai_strerror(rc));
  return result;
}

socket_t open_socket(const addrinfo& target, uint32_t source_port) {
  const socket_t s = socket(target.ai_family, SOCK_DGRAM, IPPROTO_UDP);
  if (s == kNoSocket) throw Error(FLOWGEN_ERR_IO, "socket: " + socket_error_text());
  if (source_port != 0) {
    sockaddr_storage local{};
    socklen_t length;
    if (target.ai_family == AF_INET6) {
      auto* a = reinterpret_cast<sockaddr_in6*>(&local);
      a->sin6_family = AF_INET6;
      a->sin6_port = htons(static_cast<uint16_t>(source_port));
      length = sizeof(sockaddr_in6);
    } else {
      auto* a = reinterpret_cast<sockaddr_in*>(&local);
      a->sin_family = AF_INET;
      a->sin_port = htons(static_cast<uint16_t>(source_port));
      length = sizeof(sockaddr_in);
    }
    if (bind(s, reinterpret_cast<sockaddr*>(&local), length) != 0) {
      const std::string why = socket_error_text();
      close_socket(s);
      throw Error(FLOWGEN_ERR_IO, "cannot bind source port " + std::to_string(source_port) + ": " + why);
    }
  }
  if (connect(s, target.ai_addr, static_cast<socklen_t>(target.ai_addrlen)) != 0) {
    const std::string why = socket_error_text();
    close_socket(s);
    throw Error(FLOWGEN_ERR_IO, "connect: " + why);
  }
  return s;
}

void copy_message(const std::string& message, char* error, uint32_t capacity) {
  if (!error || capacity == 0) return;
  const size_t n = std::min<size_t>(message.size(), capacity - 1);
  std::memcpy(error, message.data(), n);
  error[n] = '\0';
}

}  // namespace

extern "C" {

FLOWGEN_API int32_t flowgen_udp_open(const char* host, uint32_t port, uint32_t source_port,
                                     flowgen_udp** out, char* error, uint32_t error_capacity) {
  std::string message;
  const int32_t rc = guard(&message, [&]() -> int32_t {
    if (!out) throw Error(FLOWGEN_ERR_INVALID_ARGUMENT, "out is NULL");
    *out = nullptr;
    if (!host || !*host) throw Error(FLOWGEN_ERR_INVALID_ARGUMENT, "collector host is empty");
    if (port < 1 || port > 65535)
      throw Error(FLOWGEN_ERR_INVALID_ARGUMENT, "collector port must be in 1..65535, got " + std::to_string(port));
    if (source_port > 65535)
      throw Error(FLOWGEN_ERR_INVALID_ARGUMENT, "source port must be in 0..65535, got " + std::to_string(source_port));
    start_winsock();
    addrinfo* targets = resolve(host, port);
    auto udp = std::make_unique<flowgen_udp>();
    try {
      udp->socket = open_socket(*targets, source_port);
    } catch (...) {
      freeaddrinfo(targets);
      throw;
    }
    freeaddrinfo(targets);
    *out = udp.release();
    return FLOWGEN_OK;
  });
  if (rc != FLOWGEN_OK) copy_message(message, error, error_capacity);
  return rc;
}

FLOWGEN_API void flowgen_udp_free(flowgen_udp* udp) { delete udp; }

FLOWGEN_API int32_t flowgen_udp_send_encoded(flowgen_udp* udp, flowgen_encoder* encoder) {
  return guard(nullptr, [&]() -> int32_t {
    if (!udp || !encoder) return FLOWGEN_ERR_INVALID_ARGUMENT;
    const uint8_t* data = flowgen_encoder_data(encoder);
    const uint32_t* ends = flowgen_encoder_packet_ends(encoder);
    const uint32_t count = flowgen_encoder_packet_count(encoder);
    int32_t sent = 0;
    uint32_t begin = 0;
    for (uint32_t k = 0; k < count; ++k) {
      const auto* p = reinterpret_cast<const char*>(data + begin);
      const size_t size = ends[k] - begin;
#ifdef _WIN32
      const bool ok = send(udp->socket, p, static_cast<int>(size), 0) == static_cast<int>(size);
#else
      const bool ok = send(udp->socket, p, size, 0) == static_cast<ssize_t>(size);
#endif
      // Refused (no collector yet), no buffer space: count it and go on, as exporters do.
      if (ok)
        ++sent;
      else
        ++udp->errors;
      begin = ends[k];
    }
    const int32_t rc = flowgen_encoder_consume(encoder);
    return rc < 0 ? rc : sent;
  });
}

FLOWGEN_API uint32_t flowgen_udp_errors(const flowgen_udp* udp) { return udp ? udp->errors : 0; }

}  // extern "C"

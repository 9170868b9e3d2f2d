// TCP flag life cycles (models_tcp_flags.hpp).
#include "models_tcp_flags.hpp"

namespace flowgen::detail {

uint8_t tcp_client_flags(uint32_t packets, bool reset) noexcept {
  if (packets <= 1) return kTcpSyn;
  if (packets == 2) return kTcpSyn | kTcpAck;
  const uint8_t close = reset ? kTcpRst : kTcpFin;
  if (packets == 3) return kTcpSyn | kTcpAck | close;
  return kTcpSyn | kTcpAck | kTcpPsh | close;
}

uint8_t tcp_server_flags(uint32_t packets, uint8_t request_flags, bool reset) noexcept {
  if (packets <= 1) {
    // A lone SYN is either accepted (SYN|ACK, then nothing seen) or refused (RST|ACK).
    if (request_flags == kTcpSyn && reset) return kTcpRst | kTcpAck;
    return kTcpSyn | kTcpAck;
  }
  uint8_t flags = kTcpSyn | kTcpAck;
  if (packets >= 3) flags |= kTcpPsh;
  // The server's FIN answers the client's FIN; after a client RST it sends nothing more.
  if (!(request_flags & kTcpRst)) flags |= kTcpFin;
  return flags;
}

}  // namespace flowgen::detail

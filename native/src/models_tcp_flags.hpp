// TCP flag life cycle of one direction of a connection, summarised as the OR of the flags
// its packets carry (what NetFlow/IPFIX export as tcpControlBits).
#pragma once

#include <cstdint>

namespace flowgen::detail {

inline constexpr uint8_t kTcpFin = 0x01;
inline constexpr uint8_t kTcpSyn = 0x02;
inline constexpr uint8_t kTcpRst = 0x04;
inline constexpr uint8_t kTcpPsh = 0x08;
inline constexpr uint8_t kTcpAck = 0x10;

// Client side with `packets` packets: 1 = SYN (an unanswered or refused attempt);
// 2 = SYN, ACK; 3 = SYN, ACK, FIN (no data); 4+ = SYN, ACK, PSH (data), FIN.
// `reset` ends the connection with RST instead of FIN (only for 3+ packets).
// Inline: called once per TCP record on the hot path.
inline uint8_t tcp_client_flags(uint32_t packets, bool reset) noexcept {
  if (packets <= 1) return kTcpSyn;
  if (packets == 2) return kTcpSyn | kTcpAck;
  const uint8_t close = reset ? kTcpRst : kTcpFin;
  if (packets == 3) return kTcpSyn | kTcpAck | close;
  return kTcpSyn | kTcpAck | kTcpPsh | close;
}

// Server side answering `request_flags` with `packets` packets: SYN|ACK first; a one-packet
// answer to a lone SYN is SYN|ACK or, when `reset`, the refusal RST|ACK; data adds PSH; the
// server closes with FIN unless the client reset the connection.
inline uint8_t tcp_server_flags(uint32_t packets, uint8_t request_flags, bool reset) noexcept {
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

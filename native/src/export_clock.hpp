// ExporterClock: the simulated exporter's notion of time. Export time is the latest flow
// end seen so far (a flow is exported once it has ended); the exporter "booted" at the
// whole second before the first record's start, so that sysUptime and the header's
// Unix time describe the same boot instant exactly (nfdump computes the flow times from
// unix_secs * 1000 - sysUptime + First).
//
// NetFlow sysUptime and First/Last are 32-bit milliseconds and would wrap after 49.7
// days of simulated time. Instead of wrapping, the exporter starts a new epoch: it
// "reboots" at the whole second before the record that would not fit, and the encoder
// sends its templates again, as a real exporter does after a restart. Sequence numbers
// continue across epochs so collectors see no loss.
#pragma once

#include <algorithm>
#include <cstdint>

namespace flowgen::detail {

constexpr uint64_t kNsPerMs = 1000000ULL;
constexpr uint64_t kNsPerSecond = 1000000000ULL;
constexpr uint64_t kMaxUptimeMs = 0xffffffffULL;

struct ExporterClock {
  bool booted = false;
  uint64_t boot_ms = 0;  // Unix ms of the boot, a whole second
  uint64_t epoch = 0;    // reboots so far
  uint64_t now_ns = 0;   // export time: max flow end seen
  uint64_t epoch_end_ns = 0;

  // True when a record ending at `end_ns` needs a (re)boot before it can be encoded
  // (a compare per record: the limit is computed once per epoch).
  bool needs_boot(uint64_t end_ns) const { return !booted || end_ns > epoch_end_ns; }
  void boot(uint64_t start_ns) {
    if (booted) ++epoch;
    booted = true;
    boot_ms = start_ns / kNsPerSecond * 1000;
    now_ns = std::max(now_ns, start_ns);
    set_epoch_end();
  }
  // Last instant whose uptime fits in 32 bits, with a second to spare for the header's
  // rounding up. Recomputed after a restore.
  void set_epoch_end() { epoch_end_ns = (boot_ms + kMaxUptimeMs - 1000) * kNsPerMs; }
  void advance(uint64_t end_ns) { now_ns = std::max(now_ns, end_ns); }

  // Milliseconds since boot of an instant in this epoch (clamped at the boot).
  uint32_t uptime_ms(uint64_t t_ns) const {
    const uint64_t ms = t_ns / kNsPerMs;
    return static_cast<uint32_t>(ms > boot_ms ? ms - boot_ms : 0);
  }
  // Export time rounded up to a whole second / millisecond, so that it is never
  // earlier than the end of a flow in the packet.
  uint64_t export_seconds() const { return (now_ns + kNsPerSecond - 1) / kNsPerSecond; }
  uint64_t export_ms() const { return (now_ns + kNsPerMs - 1) / kNsPerMs; }
};

}  // namespace flowgen::detail

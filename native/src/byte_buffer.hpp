// ByteBuffer: the encoders' output bytes. A std::vector whose resize() leaves new bytes
// uninitialised, so that an encoder can grow the buffer by a worst case, write through a
// raw pointer, and shrink it to what it wrote, without zero-filling bytes it overwrites
// (or formatting into scratch memory and copying).
#pragma once

#include <cstdint>
#include <memory>
#include <new>
#include <utility>
#include <vector>

namespace flowgen::detail {

template <class T>
struct DefaultInitAllocator : std::allocator<T> {
  template <class U>
  struct rebind {
    using other = DefaultInitAllocator<U>;
  };
  DefaultInitAllocator() = default;
  template <class U>
  DefaultInitAllocator(const DefaultInitAllocator<U>&) noexcept {}

  // resize(n) and emplace_back() without arguments: default-initialisation, a no-op for
  // bytes; every other construction as usual.
  template <class U>
  void construct(U* p) noexcept {
    ::new (static_cast<void*>(p)) U;
  }
  template <class U, class... Args>
  void construct(U* p, Args&&... args) {
    ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
  }
};

using ByteBuffer = std::vector<uint8_t, DefaultInitAllocator<uint8_t>>;

}  // namespace flowgen::detail

// The global allocation functions, all on the kernel heap. The throwing forms cannot throw
// (no exceptions in the kernel): they panic when memory runs out.
#include <new>

#include <abyss/panic.hpp>
#include <keos/mm/heap.hpp>

// The freestanding runtime has no libsupc++: the kernel supplies the nothrow tag object.
namespace std {
const nothrow_t nothrow{};
}  // namespace std

namespace {

void* must_alloc(std::size_t size, std::size_t align) {
  void* p = keos::mm::heap_alloc(size, align);
  if (p == nullptr) abyss::panic("out of memory: new of %lu bytes", size);
  return p;
}

constexpr std::size_t kDefaultAlign = __STDCPP_DEFAULT_NEW_ALIGNMENT__;

}  // namespace

void* operator new(std::size_t size) { return must_alloc(size, kDefaultAlign); }
void* operator new[](std::size_t size) { return must_alloc(size, kDefaultAlign); }
void* operator new(std::size_t size, std::align_val_t align) {
  return must_alloc(size, static_cast<std::size_t>(align));
}
void* operator new[](std::size_t size, std::align_val_t align) {
  return must_alloc(size, static_cast<std::size_t>(align));
}
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
  return keos::mm::heap_alloc(size, kDefaultAlign);
}
void* operator new[](std::size_t size, const std::nothrow_t&) noexcept {
  return keos::mm::heap_alloc(size, kDefaultAlign);
}
void* operator new(std::size_t size, std::align_val_t align, const std::nothrow_t&) noexcept {
  return keos::mm::heap_alloc(size, static_cast<std::size_t>(align));
}
void* operator new[](std::size_t size, std::align_val_t align, const std::nothrow_t&) noexcept {
  return keos::mm::heap_alloc(size, static_cast<std::size_t>(align));
}

void operator delete(void* p) noexcept { keos::mm::heap_free(p); }
void operator delete[](void* p) noexcept { keos::mm::heap_free(p); }
void operator delete(void* p, std::size_t) noexcept { keos::mm::heap_free(p); }
void operator delete[](void* p, std::size_t) noexcept { keos::mm::heap_free(p); }
void operator delete(void* p, std::align_val_t) noexcept { keos::mm::heap_free(p); }
void operator delete[](void* p, std::align_val_t) noexcept { keos::mm::heap_free(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { keos::mm::heap_free(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { keos::mm::heap_free(p); }

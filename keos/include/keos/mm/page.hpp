/// \file
/// Page: the owner of one reference to a 4 KiB physical frame.
///
/// A Page is move-only. Page::create() allocates a zero-filled frame holding one reference;
/// clone_ref() takes one more reference to the same frame (copy-on-write sharing), and the
/// frame is freed when the last Page referring to it goes away. into_raw() gives the
/// reference up as a bare physical address (to store it in a page-table entry) and
/// from_raw() takes it back. PageRef is a borrowed view of a frame someone else owns.
#pragma once

#include <cstddef>
#include <cstdint>

#include <keos/addressing.hpp>
#include <keos/mm/frame_alloc.hpp>
#include <keos/result.hpp>

namespace keos {

class PageRef;

/// Owner of one reference to a physical frame (see the file comment). An empty Page
/// (moved from) holds nothing.
class Page {
 public:
  /// Allocates a zero-filled frame; KernelError::kNoMemory when none is left.
  static Result<Page> create();
  /// Allocates a frame holding a copy of `src`'s 4 KiB (never zero-filled first: the
  /// copy overwrites all of it); KernelError::kNoMemory when none is left.
  static Result<Page> copy_of(PageRef src);
  /// Takes over one reference that `pa` (an allocated frame) already holds, e.g. one
  /// stored in a page-table entry by into_raw().
  static Page from_raw(Pa pa) {
    KASSERT(pa.is_page_aligned() && pa.value() != 0);
    return Page(pa);
  }

  /// Takes over `other`'s reference; `other` becomes empty.
  Page(Page&& other) : pa_(other.pa_) { other.pa_ = Pa(0); }
  /// Drops this Page's reference (if any), then takes over `other`'s.
  Page& operator=(Page&& other);
  Page(const Page&) = delete;
  Page& operator=(const Page&) = delete;
  /// Drops the reference; the frame is freed if it was the last one.
  ~Page() { reset(); }

  /// A new Page for the same frame: one more reference.
  Page clone_ref() const {
    KASSERT(pa_.value() != 0);
    mm::ref_frame(pa_);
    return Page(pa_);
  }
  /// Gives up ownership without dropping the reference; returns the frame's address.
  [[nodiscard]] Pa into_raw() && {
    Pa pa = pa_;
    pa_ = Pa(0);
    return pa;
  }

  /// The frame's physical address.
  Pa pa() const { return pa_; }
  /// The frame's address in the direct map.
  Kva kva() const { return to_kva(pa_); }
  /// The frame's 4096 bytes, through the direct map.
  std::uint8_t* data() const { return kva_ptr<std::uint8_t>(kva()); }
  /// A borrowed view of the frame, valid while this Page lives.
  PageRef as_ref() const;
  /// How many references the frame has (including this one).
  std::uint32_t refcount() const;

 private:
  explicit Page(Pa pa) : pa_(pa) {}
  void reset() {
    if (pa_.value() != 0) mm::unref_frame(pa_);
    pa_ = Pa(0);
  }
  Pa pa_;  // Pa(0) once moved from: frame 0 is never allocated
};

/// A borrowed view of a frame: no reference is held, so it must not outlive the owner.
class PageRef {
 public:
  /// A view of the allocated frame at `pa`, which someone else keeps referenced.
  explicit PageRef(Pa pa) : pa_(pa) {}
  /// The frame's physical address.
  Pa pa() const { return pa_; }
  /// The frame's address in the direct map.
  Kva kva() const { return to_kva(pa_); }
  /// The frame's 4096 bytes, through the direct map.
  std::uint8_t* data() const { return kva_ptr<std::uint8_t>(kva()); }
  /// A new owning reference to the same frame.
  Page clone_ref() const {
    mm::ref_frame(pa_);
    return Page::from_raw(pa_);
  }

 private:
  Pa pa_;
};

/// Copies the 4 KiB of `src` into `dst` with 8-byte loads and stores.
void copy_page(PageRef dst, PageRef src);

}  // namespace keos

/// \file
/// Box<T>: the one owner of a heap object, for a kernel without exceptions (named after
/// KeOS's Rust `Box`). `Box<T>::create(args...)` returns `Result<Box<T>>`, kNoMemory when the
/// heap is exhausted; the object is deleted when its Box is destroyed. A Box moves
/// (`std::move`) and never copies, so a function that takes a `Box<T>` visibly takes the
/// object, and one that returns a `Box<T>` visibly gives it. Raw `T*` in this kernel only
/// borrows.
///
/// `Box<Base>` takes over a `Box<Derived>` (for example an MmLoader or an OpenFile).
/// `Box<T[]>::create(n)` holds n value-initialized elements.
#pragma once

#include <cstddef>
#include <new>
#include <type_traits>
#include <utility>

#include <keos/result.hpp>

namespace keos {

template <class T>
class Box {
 public:
  /// Owns nothing.
  Box() = default;
  /// Owns nothing.
  Box(std::nullptr_t) {}  // NOLINT: implicit, so `return nullptr;` reads naturally
  /// A new T made from `args`; kNoMemory if the heap cannot hold it.
  template <class... Args>
  static Result<Box> create(Args&&... args) {
    T* object = new (std::nothrow) T(std::forward<Args>(args)...);
    if (object == nullptr) return Err(KernelError::kNoMemory);
    return Box(object);
  }
  /// Takes ownership of `object` (made by `new`, or nullptr).
  static Box adopt(T* object) { return Box(object); }

  Box(Box&& other) : object_(other.release()) {}
  /// Takes over a Box of a derived type.
  template <class U>
    requires std::is_convertible_v<U*, T*>
  Box(Box<U>&& other) : object_(other.release()) {}
  Box& operator=(Box&& other) {
    if (this != &other) reset(other.release());
    return *this;
  }
  Box(const Box&) = delete;
  Box& operator=(const Box&) = delete;
  /// Deletes the object, if any.
  ~Box() { delete object_; }

  /// The object (borrowed), or nullptr.
  T* get() const { return object_; }
  T& operator*() const { return *object_; }
  T* operator->() const { return object_; }
  explicit operator bool() const { return object_ != nullptr; }

  /// Gives the object up to the caller, who must delete it (or adopt() it again).
  [[nodiscard]] T* release() {
    T* object = object_;
    object_ = nullptr;
    return object;
  }
  /// Deletes the object held, if any, and holds `object` instead.
  void reset(T* object = nullptr) {
    T* old = object_;
    object_ = object;
    delete old;
  }

 private:
  explicit Box(T* object) : object_(object) {}
  T* object_ = nullptr;
};

/// An owned array of value-initialized elements.
template <class T>
class Box<T[]> {
 public:
  Box() = default;
  /// `count` value-initialized elements (zero for scalars and pointers); kNoMemory if the
  /// heap cannot hold them.
  static Result<Box> create(std::size_t count) {
    T* elements = new (std::nothrow) T[count]();
    if (elements == nullptr) return Err(KernelError::kNoMemory);
    return Box(elements);
  }
  Box(Box&& other) : elements_(other.elements_) { other.elements_ = nullptr; }
  Box& operator=(Box&& other) {
    if (this != &other) {
      delete[] elements_;
      elements_ = other.elements_;
      other.elements_ = nullptr;
    }
    return *this;
  }
  Box(const Box&) = delete;
  Box& operator=(const Box&) = delete;
  ~Box() { delete[] elements_; }

  /// The first element (borrowed), or nullptr.
  T* get() const { return elements_; }
  T& operator[](std::size_t i) const { return elements_[i]; }
  explicit operator bool() const { return elements_ != nullptr; }

 private:
  explicit Box(T* elements) : elements_(elements) {}
  T* elements_ = nullptr;
};

}  // namespace keos

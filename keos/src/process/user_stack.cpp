#include <keos/process/user_stack.hpp>

#include <abyss/string.hpp>

namespace keos {

Result<UserStack> build_user_stack(std::uint8_t* top_page, const char* const* args,
                                   std::size_t argc) {
  const std::uint64_t top = kUserStackTop.value();
  const std::uint64_t page_base = top - kPageSize;
  std::uint64_t sp = top;
  std::uint64_t addresses[256];
  if (argc > sizeof addresses / sizeof addresses[0]) return Err(KernelError::kInvalidArgument);
  // Strings, from the last argument to the first.
  for (std::size_t i = argc; i-- > 0;) {
    std::size_t len = strlen(args[i]) + 1;
    if (len > sp - page_base) return Err(KernelError::kInvalidArgument);
    sp -= len;
    memcpy(top_page + (sp - page_base), args[i], len);
    addresses[i] = sp;
  }
  sp &= ~7ull;
  // argv[argc] = NULL, the pointers, and the fake return address.
  std::uint64_t words = argc + 2;
  if (words * 8 > sp - page_base) return Err(KernelError::kInvalidArgument);
  auto put = [&](std::uint64_t value) {
    sp -= 8;
    memcpy(top_page + (sp - page_base), &value, 8);
  };
  put(0);
  for (std::size_t i = argc; i-- > 0;) put(addresses[i]);
  Va argv(sp);
  put(0);
  return UserStack{Va(sp), argv, argc};
}

}  // namespace keos

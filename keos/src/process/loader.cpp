// Process creation: an ELF executable from the root file system, mapped lazily, and the
// initial stack with the arguments.
#include <new>

#include <keos/fs/fs.hpp>
#include <keos/process/elf.hpp>
#include <keos/process/process.hpp>
#include <keos/process/user_stack.hpp>

namespace keos {
namespace {

constexpr std::size_t kHeaderRead = 4096;  // enough for the program headers of any sane file

// Maps each segment (nothing is read yet: pages come on first touch).
Result<void> map_segments(MmStruct<LazyPager>& mm, fs::File& file, const ElfImage& image) {
  for (std::size_t i = 0; i < image.segment_count; ++i) {
    const ElfSegment& s = image.segments[i];
    Va start = s.vaddr.page_down();
    std::uint64_t lead = s.vaddr - start;  // bytes of the first page before the segment
    auto* loader = new (std::nothrow) FileLoader(file, s.offset - lead, lead + s.filesz);
    if (loader == nullptr) return Err(KernelError::kNoMemory);
    Result<Va> mapped = mm.mmap(start, lead + s.memsz, s.permission, loader);
    if (mapped.is_err()) {
      return Err(mapped.error() == KernelError::kNoMemory ? KernelError::kNoMemory
                                                          : KernelError::kNoExec);
    }
  }
  return Ok();
}

// Maps the stack and fills its top page with the arguments.
Result<UserStack> map_stack(MmStruct<LazyPager>& mm, const char* const* args, std::size_t argc) {
  constexpr Permission kStack = Permission::kUser | Permission::kRead | Permission::kWrite;
  auto* loader = new (std::nothrow) AnonymousLoader;
  if (loader == nullptr) return Err(KernelError::kNoMemory);
  Result<Va> mapped = mm.mmap(kUserStackTop - kUserStackSize, kUserStackSize, kStack, loader);
  if (mapped.is_err()) {
    return Err(mapped.error() == KernelError::kNoMemory ? KernelError::kNoMemory
                                                        : KernelError::kNoExec);
  }
  Page top = TRY(Page::create());
  UserStack stack = TRY(build_user_stack(top.data(), args, argc));
  TRY(mm.page_table().map(kUserStackTop - kPageSize, static_cast<Page&&>(top), kStack));
  return stack;
}

}  // namespace

Result<Process*> Process::create(const char* name, const char* const* args, std::size_t argc,
                                 Registers& regs) {
  fs::File* file = TRY(fs::open(name));
  auto* header = new (std::nothrow) std::uint8_t[kHeaderRead];
  if (header == nullptr) return Err(KernelError::kNoMemory);
  std::size_t got = file->read_at(0, header, kHeaderRead);
  Result<ElfImage> parsed = parse_elf(header, got, file->size());
  delete[] header;
  ElfImage image = TRY(static_cast<Result<ElfImage>&&>(parsed));

  MmStruct<LazyPager> mm = TRY(MmStruct<LazyPager>::create());
  FileStruct files = TRY(FileStruct::create());
  TRY(map_segments(mm, *file, image));
  UserStack stack = TRY(map_stack(mm, args, argc));
  auto* process = new (std::nothrow)
      Process(static_cast<MmStruct<LazyPager>&&>(mm), static_cast<FileStruct&&>(files));
  if (process == nullptr) return Err(KernelError::kNoMemory);
  regs = user_registers(image.entry, stack.rsp);
  regs.rdi = stack.argc;
  regs.rsi = stack.argv.value();
  return process;
}

Result<JoinHandle> start_process(Process* process, const Registers& regs, const char* name,
                                 FpuState fpu) {
  Registers start = regs;
  ThreadBuilder builder(name);
  builder.attach_task(process);
  if (fpu == FpuState::kInherit) builder.inherit_fpu_state();
  return builder.spawn([start] { launch(start); });
}

Result<int> run_elf(const char* name, const char* const* args, std::size_t argc) {
  Registers regs;
  Process* process = TRY(Process::create(name, args, argc, regs));
  JoinHandle handle = TRY(start_process(process, regs, name));
  return handle.join();
}

}  // namespace keos

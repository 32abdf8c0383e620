// Process creation: an ELF executable from the root file system, mapped lazily, and the
// initial stack with the arguments.
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
    Box<FileLoader> loader = TRY(Box<FileLoader>::create(file, s.offset - lead, lead + s.filesz));
    Result<Va> mapped = mm.mmap(start, lead + s.memsz, s.permission, std::move(loader));
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
  Box<AnonymousLoader> loader = TRY(Box<AnonymousLoader>::create());
  Result<Va> mapped =
      mm.mmap(kUserStackTop - kUserStackSize, kUserStackSize, kStack, std::move(loader));
  if (mapped.is_err()) {
    return Err(mapped.error() == KernelError::kNoMemory ? KernelError::kNoMemory
                                                        : KernelError::kNoExec);
  }
  Page top = TRY(Page::create());
  UserStack stack = TRY(build_user_stack(top.data(), args, argc));
  TRY(mm.page_table().map(kUserStackTop - kPageSize, std::move(top), kStack));
  return stack;
}

}  // namespace

Result<Box<Process>> Process::create(const char* name, const char* const* args, std::size_t argc,
                                 Registers& regs) {
  fs::File* file = TRY(fs::open(name));
  ElfImage image;
  {
    Box<std::uint8_t[]> header = TRY(Box<std::uint8_t[]>::create(kHeaderRead));
    std::size_t got = file->read_at(0, header.get(), kHeaderRead);
    image = TRY(parse_elf(header.get(), got, file->size()));
  }

  MmStruct<LazyPager> mm = TRY(MmStruct<LazyPager>::create());
  FileStruct files = TRY(FileStruct::create());
  TRY(map_segments(mm, *file, image));
  UserStack stack = TRY(map_stack(mm, args, argc));
  Box<Process> process = TRY(Box<Process>::create(std::move(mm), std::move(files)));
  regs = user_registers(image.entry, stack.rsp);
  regs.rdi = stack.argc;
  regs.rsi = stack.argv.value();
  return process;
}

Result<JoinHandle> start_process(Box<Process> process, const Registers& regs, const char* name,
                                 FpuState fpu) {
  Registers start = regs;
  ThreadBuilder builder(name);
  builder.attach_task(std::move(process));
  if (fpu == FpuState::kInherit) builder.inherit_fpu_state();
  return builder.spawn([start] { launch(start); });
}

Result<int> run_elf(const char* name, const char* const* args, std::size_t argc) {
  Registers regs;
  Box<Process> process = TRY(Process::create(name, args, argc, regs));
  JoinHandle handle = TRY(start_process(std::move(process), regs, name));
  return handle.join();
}

}  // namespace keos

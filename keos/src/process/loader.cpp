// Process creation: an ELF executable from the root file system, and the initial stack
// with the arguments. As in KeOS, every page that holds bytes of the file is loaded before
// the program starts (course programs ask get_phys() about an initialized global before
// touching it); the rest of each segment (bss past the file bytes) and the stack below its
// top page come lazily, on first touch.
#include <utility>

#include <keos/fs/fs.hpp>
#include <keos/process/elf.hpp>
#include <keos/process/process.hpp>
#include <keos/process/user_stack.hpp>

namespace keos {
namespace {

// Reads and validates the ELF header and the program headers, wherever in the file they
// are (the table is at most 64 headers of 56 bytes).
Result<ElfImage> read_elf(fs::File& file) {
  std::uint8_t header[kElfHeaderSize];
  std::size_t got = file.read_at(0, header, sizeof header);
  ElfHeaderTable where = TRY(locate_program_headers(header, got, file.size()));
  Box<std::uint8_t[]> table = TRY(Box<std::uint8_t[]>::create(where.size));
  if (file.read_at(where.offset, table.get(), where.size) != where.size) {
    return Err(KernelError::kNoExec);
  }
  return parse_elf(header, got, table.get(), file.size());
}

// Errors of mapping a validated segment: out of memory stays so; anything else (a segment
// over the stack, say) means the file cannot be loaded.
KernelError load_error(KernelError error) {
  return error == KernelError::kNoMemory ? KernelError::kNoMemory : KernelError::kNoExec;
}

// Maps the segment `s` from the start of its first page (whose bytes before the segment's
// own come from the file too) and loads every page holding file bytes now, the last one
// zero-filled past them. The mapping's loader supplies the other pages on demand.
Result<void> map_segment(MmStruct<LazyPager>& mm, fs::File& file, const ElfSegment& s) {
  Va start = s.vaddr.page_down();
  std::uint64_t lead = s.vaddr - start;
  std::uint64_t file_bytes = lead + s.filesz;
  Box<FileLoader> loader = TRY(Box<FileLoader>::create(file, s.offset - lead, file_bytes));
  Result<Va> mapped = mm.mmap(start, lead + s.memsz, s.permission, std::move(loader));
  if (mapped.is_err()) return Err(load_error(mapped.error()));
  if (s.filesz == 0) return Ok();  // all bss: nothing of the file to load
  FileLoader content(file, s.offset - lead, file_bytes);
  for (std::uint64_t at = 0; at < file_bytes; at += kPageSize) {
    Page page = TRY(Page::create());
    TRY(content.load(page, at));
    Result<void> put = mm.page_table().map(start + at, std::move(page), s.permission);
    if (put.is_err()) return Err(load_error(put.error()));
  }
  return Ok();
}

Result<void> map_segments(MmStruct<LazyPager>& mm, fs::File& file, const ElfImage& image) {
  for (std::size_t i = 0; i < image.segment_count; ++i) {
    TRY(map_segment(mm, file, image.segments[i]));
  }
  return Ok();
}

// Maps the stack and fills its top page with the arguments.
Result<UserStack> map_stack(MmStruct<LazyPager>& mm, const char* const* args, std::size_t argc) {
  constexpr Permission kStack = Permission::kUser | Permission::kRead | Permission::kWrite;
  Box<AnonymousLoader> loader = TRY(Box<AnonymousLoader>::create());
  Result<Va> mapped =
      mm.mmap(kUserStackTop - kUserStackSize, kUserStackSize, kStack, std::move(loader));
  if (mapped.is_err()) return Err(load_error(mapped.error()));
  Page top = TRY(Page::create());
  UserStack stack = TRY(build_user_stack(top.data(), args, argc));
  TRY(mm.page_table().map(kUserStackTop - kPageSize, std::move(top), kStack));
  return stack;
}

}  // namespace

Result<Box<Process>> Process::create(const char* name, const char* const* args, std::size_t argc,
                                 Registers& regs) {
  fs::File* file = TRY(fs::open(name));
  ElfImage image = TRY(read_elf(*file));

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
  return builder.spawn([start] {
    if (memmap::enabled()) memmap::process_started();
    launch(start);
  });
}

Result<int> run_elf(const char* name, const char* const* args, std::size_t argc) {
  Registers regs;
  Box<Process> process = TRY(Process::create(name, args, argc, regs));
  JoinHandle handle = TRY(start_process(std::move(process), regs, name));
  return handle.join();
}

}  // namespace keos

/// \file
/// QEMU's firmware configuration device (I/O ports 0x510/0x511). The host passes per-boot
/// settings through it (`-fw_cfg name=opt/keos/cmdline,file=...`), so one ISO serves every
/// test without being rebuilt.
#pragma once

#include <cstddef>

/// QEMU's firmware-configuration device.
namespace abyss::fw_cfg {

/// True if the device is present (the machine is QEMU).
bool present();
/// Copies the named file into `buf` (NUL-terminated, truncated to `cap - 1` bytes).
/// Returns the file's full size, or -1 if there is no such file.
long read_file(const char* name, char* buf, std::size_t cap);

}  // namespace abyss::fw_cfg

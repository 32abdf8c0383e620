"""End-to-end tests of the boot path that mounts archives (python3 -m unittest).

Boots the student kernel (build/keos-student.iso; skipped when it is not built) under QEMU
with archives that are corrupt in the ways keos/tests/archive_test.cpp tests one header at
a time, and requires the boot to stop with a panic that names the archive and the defect,
never a crash or a hang. Two archives are tried:
  - the extra-programs archive (fw_cfg opt/keos/extra.tar, as `make run EXTRA_PROGS=`
    passes it): cheap, one boot per case; a well-formed one must run its program, also
    when the program has the name of a built-in one (the user's wins, with a warning);
  - the root file system itself (GRUB module "rootfs"), in an ISO rebuilt by grub-mkrescue
    with a corrupt rootfs.tar: one case, the checksum.
"""

import io
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import unittest
from concurrent.futures import ThreadPoolExecutor

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import ktest  # noqa: E402

ROOT = os.path.dirname(HERE)
ISO = os.path.join(ROOT, "build", "keos-student.iso")
ISO_TREE = os.path.join(ROOT, "build", "iso-student")
sys.path.insert(0, os.path.join(ROOT, "userland", "hostile"))
import mkhostile  # noqa: E402

BLOCK = 512


def ustar(files: dict[str, bytes]) -> bytes:
    """A ustar archive of `files` (as Python's tarfile writes it, two zero blocks at the end)."""
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w", format=tarfile.USTAR_FORMAT) as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return out.getvalue()


TINY = mkhostile.FILES["tiny_elf"]()
GOOD = ustar({"extra_one": b"first file\n", "extra_tiny": TINY})
SECOND = BLOCK * 2  # extra_one's header and its one data block come first


def with_byte(data: bytes, at: int, value: int) -> bytes:
    return data[:at] + bytes([value]) + data[at + 1:]


def with_size_field(data: bytes, header_at: int, field: bytes) -> bytes:
    """`data` with the size field of the header at `header_at` replaced and re-sealed."""
    h = bytearray(data[header_at:header_at + BLOCK])
    h[124:136] = field.ljust(12, b"\0")
    h[148:156] = b" " * 8
    h[148:156] = b"%06o\0 " % sum(h)
    return data[:header_at] + bytes(h) + data[header_at + BLOCK:]


# name -> (archive bytes, the defect the panic must name, at which header)
BAD_EXTRA = {
    "checksum": (with_byte(GOOD, SECOND + 1, ord("X")), "bad header checksum", SECOND),
    "size_past_end": (with_size_field(GOOD, SECOND, b"%011o" % (1 << 20)),
                      "file data past the end of the archive", SECOND),
    "size_not_octal": (with_size_field(GOOD, 0, b"0000000009x"), "size field not octal", 0),
    "truncated_header": (GOOD[:SECOND + 300], "the archive ends inside a header", SECOND),
    "magic": (with_byte(GOOD, 257, ord("U")), "no ustar magic", 0),
}


def boot(iso: str, files: dict[str, bytes], tmp: str) -> ktest.BootResult:
    """Boots `iso` in `make run PROG=` mode with the given fw_cfg files (name -> bytes)."""
    b = ktest.Boot(iso, ncpu=2, timeout=60.0)
    for name, data in files.items():
        path = os.path.join(tmp, name.replace("/", "_"))
        with open(path, "wb") as f:
            f.write(data)
        b.files[name] = path
    return ktest.run(b)


def exit_code(result: ktest.BootResult) -> int | None:
    for line in result.lines:
        if line.startswith("@@ exit "):
            return int(line.split()[2])
    return None


@unittest.skipUnless(os.path.exists(ISO) and shutil.which("qemu-system-x86_64"),
                     "no student kernel built (make) or no QEMU")
class BootArchiveTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="keos-bootfs-")

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def run_program(self, extra: bytes, case: str) -> ktest.BootResult:
        tmp = os.path.join(self.tmp, case)
        os.makedirs(tmp)
        return boot(ISO, {"run": b"extra_tiny\n", "extra.tar": extra}, tmp)

    def test_good_extra_archive_runs_its_program(self):
        result = self.run_program(GOOD, "good")
        self.assertIsNone(result.panic, "\n".join(result.lines[-20:]))
        self.assertEqual(exit_code(result), 7, "\n".join(result.lines[-20:]))

    def test_extra_program_replaces_the_built_in_of_its_name(self):
        # tiny_elf of the root file system exits with 7; the user's tiny_elf with 9.
        exit7 = mkhostile.EXIT7
        own = TINY.replace(exit7, exit7.replace(b"\xbf\x07", b"\xbf\x09"))
        self.assertNotEqual(own, TINY)
        tmp = os.path.join(self.tmp, "replace")
        os.makedirs(tmp)
        result = boot(ISO, {"run": b"tiny_elf\n", "extra.tar": ustar({"tiny_elf": own})}, tmp)
        tail = "\n".join(result.lines[-20:])
        self.assertEqual(exit_code(result), 9, tail)
        self.assertTrue(any("fs: tiny_elf from the added archive replaces the file already "
                            "there" in line for line in result.lines), tail)

    def test_bad_extra_archives_stop_the_boot_with_the_reason(self):
        with ThreadPoolExecutor(max_workers=2) as pool:
            results = dict(zip(BAD_EXTRA, pool.map(
                lambda c: self.run_program(BAD_EXTRA[c][0], c), BAD_EXTRA)))
        for case, (_, reason, at) in BAD_EXTRA.items():
            with self.subTest(case=case):
                r = results[case]
                tail = "\n".join(r.lines[-20:])
                self.assertFalse(r.timed_out, tail)
                self.assertIsNotNone(r.panic, tail)
                self.assertEqual(r.panic.message,
                                 "extra programs (EXTRA_PROGS): not a valid ustar archive: "
                                 f"{reason} (header at byte {at})", tail)
                self.assertIsNone(exit_code(r), tail)

    @unittest.skipUnless(os.path.isdir(ISO_TREE) and shutil.which("grub-mkrescue"),
                         "no ISO tree or no grub-mkrescue")
    def test_corrupt_root_file_system_stops_the_boot_with_the_reason(self):
        tree = os.path.join(self.tmp, "iso")
        shutil.copytree(ISO_TREE, tree)
        rootfs = os.path.join(tree, "boot", "rootfs.tar")
        with open(rootfs, "rb") as f:
            data = f.read()
        with open(rootfs, "wb") as f:
            f.write(with_byte(data, 0, data[0] ^ 0x20))  # first name changed: checksum off
        iso = os.path.join(self.tmp, "corrupt.iso")
        subprocess.run(["grub-mkrescue", "-o", iso,
                        "--install-modules=multiboot2 normal iso9660 biosdisk",
                        "--locales=", "--fonts=", "--themes=", tree],
                       check=True, capture_output=True)
        r = boot(iso, {"run": b"tiny_elf\n"}, self.tmp)
        tail = "\n".join(r.lines[-20:])
        self.assertIsNotNone(r.panic, tail)
        self.assertEqual(r.panic.message,
                         'root file system (GRUB module "rootfs"): not a valid ustar '
                         "archive: bad header checksum (header at byte 0)", tail)


if __name__ == "__main__":
    unittest.main()

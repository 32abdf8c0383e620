"""stuck.py: the CPUs of QEMU's `info registers -a`, and the phrase a timeout's reason gets."""

from __future__ import annotations

import os
import sys
import unittest
from unittest import mock

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import stuck  # noqa: E402

# Trimmed from a real `info registers -a` of QEMU 7.2 (two CPUs, the first idle).
REGISTERS = """
CPU#0
RAX=ffffff0000159180 RBX=00000000ffffffff RCX=0000000000000000 RDX=0000000000000000
RIP=ffffff0000112932 RFL=00000246 [---Z-P-] CPL=0 II=0 A20=1 SMM=0 HLT=1
CS =0008 0000000000000000 ffffffff 00af9a00 DPL=0 CS64 [-R-]
CPU#1
RAX=0000000000000001 RBX=0000000000000000 RCX=0000000000000000 RDX=0000000000000000
RIP=ffffff0000127430 RFL=00000286 [--S--P-] CPL=0 II=0 A20=1 SMM=0 HLT=0
CPU#2
RIP=0000000000401234 RFL=00000202 [-------] CPL=3 II=0 A20=1 SMM=0 HLT=0
"""


class ParseTest(unittest.TestCase):
    def test_every_cpu_with_its_rip_ring_and_halt(self):
        self.assertEqual(stuck.parse_registers(REGISTERS), [
            stuck.CpuState(0, 0xffffff0000112932, 0, True),
            stuck.CpuState(1, 0xffffff0000127430, 0, False),
            stuck.CpuState(2, 0x401234, 3, False)])

    def test_nothing_readable_is_no_cpu(self):
        self.assertEqual(stuck.parse_registers(""), [])
        self.assertEqual(stuck.parse_registers("CPU#0\nno registers here\n"), [])


class DescribeTest(unittest.TestCase):
    def test_busy_cpus_are_named_idle_ones_left_out(self):
        text = stuck.describe(stuck.parse_registers(REGISTERS), None)
        self.assertEqual(text, "CPU 1 in the kernel at 0xffffff0000127430; "
                               "CPU 2 in user code at 0x401234")

    def test_all_idle_says_so_and_nothing_known_says_nothing(self):
        idle = [stuck.CpuState(0, 1, 0, True), stuck.CpuState(1, 2, 0, True)]
        self.assertIn("every CPU was idle", stuck.describe(idle, None))
        self.assertEqual(stuck.describe([], None), "")

    def test_samples_keep_each_cpus_most_frequent_place(self):
        loop, handler = 0xffffff0000100500, 0xffffff0000127430
        rounds = [[stuck.CpuState(0, handler, 0, False), stuck.CpuState(1, 7, 0, True)],
                  [stuck.CpuState(0, loop, 0, False), stuck.CpuState(1, 7, 0, True)],
                  [stuck.CpuState(0, loop, 0, False), stuck.CpuState(1, 7, 0, True)]]
        with mock.patch.object(stuck, "cpu_states", side_effect=rounds):
            states = stuck.sampled_states("unused", samples=3, gap_s=0)
        self.assertEqual(states, [stuck.CpuState(0, loop, 0, False),
                                  stuck.CpuState(1, 7, 0, True)])

    def test_no_qemu_on_the_socket_is_no_state(self):
        self.assertEqual(stuck.cpu_states("/nonexistent/keos-qmp.sock", timeout=0.5), [])


if __name__ == "__main__":
    unittest.main()

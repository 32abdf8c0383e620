"""Unit tests of bench/bench.py: METRIC lines and the goals computed from them."""

import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench  # noqa: E402


def metrics(**values):
    return {name: bench.Metric(name, float(v), "cycles") for name, v in values.items()}


class ParseMetricTest(unittest.TestCase):
    def test_full_line(self):
        m = bench.parse_metric("METRIC cow_fault 9802 cycles p10=9282 p90=11440 n=256")
        self.assertEqual((m.name, m.value, m.unit, m.p10, m.p90, m.n),
                         ("cow_fault", 9802.0, "cycles", 9282.0, 11440.0, 256))

    def test_single_value_and_other_lines(self):
        m = bench.parse_metric("METRIC ipis_idle_unmap 0 ipis")
        self.assertEqual((m.value, m.p10), (0.0, None))
        self.assertIsNone(bench.parse_metric("@@ bench start fork"))
        self.assertIsNone(bench.parse_metric("METRIC too short"))


class JudgeTest(unittest.TestCase):
    def goal(self, goals, name):
        return next(g for g in goals if g.name == name)

    def test_ratios_and_verdicts(self):
        m = metrics(fork_eager_64m=2100, fork_cow_64m=100, cow_fault=160, copy_page_cold=100,
                    shootdown_1page=300, ipi_pingpong=100)
        goals = bench.judge(m, "tcg", 4)
        self.assertTrue(self.goal(goals, "1").ok)           # 21 >= 20
        self.assertFalse(self.goal(goals, "3a").ok)         # 1.6 > 1.5 under TCG
        self.assertTrue(self.goal(bench.judge(m, "kvm", 4), "3a").ok)  # 1.6 <= 3 under KVM
        self.assertFalse(self.goal(goals, "4a").ok)         # 3 > 2.5
        self.assertIsNone(self.goal(goals, "5b").ok)        # no data

    def test_slope_against_the_bare_loop(self):
        m = metrics(fork_cow_0m=1000, fork_cow_64m=1000 + 16384 * 300, pte_loop_per_page=100)
        self.assertAlmostEqual(self.goal(bench.judge(m, "tcg", 4), "2a").ratio, 3.0)
        self.assertTrue(self.goal(bench.judge(m, "tcg", 4), "2a").ok)

    def test_icount_only_goal(self):
        m = metrics(cow_fault=1500, copy_page_cold=1000)
        self.assertFalse(any(g.name == "3b" for g in bench.judge(m, "tcg", 4)))
        self.assertFalse(self.goal(bench.judge(m, "icount", 1), "3b").ok)  # 500 > 400

    def test_floors(self):
        m = metrics(cow_fault=8000, cow_fault_sole=4000, copy_page_cold=2000,
                    demand_zero_fault=5000, zero_page_cold=1600, shootdown_1page=1000,
                    shootdown_32pages=4000, invlpg_local=300)
        goals = bench.judge(m, "tcg", 4)
        g3a = self.goal(goals, "3a")
        self.assertEqual((g3a.ratio, g3a.floor), (4.0, 3.0))     # (4000 + 2000) / 2000
        self.assertEqual((g3a.ok, g3a.floor_ok), (False, False))  # no kernel could pass here
        g4b = self.goal(goals, "4b")
        self.assertAlmostEqual(g4b.floor, (1000 + 31 * 300) / 1000)
        g5b = self.goal(goals, "5b")
        self.assertEqual((g5b.ratio, g5b.floor, g5b.ok, g5b.floor_ok), (3.125, 3.5, False, False))
        self.assertIsNone(self.goal(goals, "1").floor)            # no bound for this goal
        g3b = self.goal(bench.judge(m, "icount", 1), "3b")
        self.assertEqual((g3b.ratio, g3b.floor), (6000, 4000))

    def test_floor_needs_its_metrics(self):
        goals = bench.judge(metrics(cow_fault=8000, copy_page_cold=2000), "tcg", 4)
        self.assertIsNone(self.goal(goals, "3a").floor)
        self.assertIsNone(self.goal(goals, "3a").floor_ok)


if __name__ == "__main__":
    unittest.main()

"""Bounded runs of scripts/chaos and scripts/fuzz (longer runs are scripts of their own; figures in
docs/benchmarks.md). The seed is random each run and printed; set TRIBUTARY_SEED to replay one."""
import importlib.machinery
import os
import pathlib
import random

from conftest import BINARY, ROOT

BUILD = pathlib.Path(BINARY).parent.name


def script(name):
    return importlib.machinery.SourceFileLoader(name, str(ROOT / "scripts" / name)).load_module()


def seed():
    return int(os.environ.get("TRIBUTARY_SEED", random.randrange(1 << 30)))


def test_chaos_kill_9_of_fe_and_node_during_a_multi_partition_load_loses_and_duplicates_nothing(tmp_path):
    s = seed()
    lines = []
    ok = script("chaos").run(seconds=20, seed=s, partitions=6, build=BUILD, workdir=tmp_path, out=lines.append)
    print("\n".join(lines))
    assert ok, f"seed {s}: " + "; ".join(lines)


def test_fuzz_random_packets_and_mutated_statements_never_crash_the_fe(tmp_path):
    s = seed()
    lines = []
    try:
        ok = script("fuzz").run(statement_count=3000, packet_count=3000, seed=s, build=BUILD, workdir=tmp_path, out=lines.append)
    except AssertionError as e:
        raise AssertionError(f"seed {s}: {e}; " + "; ".join(lines))
    print("\n".join(lines))
    assert ok, f"seed {s}"

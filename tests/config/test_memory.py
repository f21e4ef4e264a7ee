"""A server process keeps the memory a big page frees, instead of faulting it in again on every
render (config.memory; config.asgi applies it to every server process)."""

import subprocess
import sys
import textwrap

import pytest

from config.memory import keep_freed_memory

# Renders a 1000-post-sized page (about 1.5 MB of str and bytes) 30 times in a thread, as a
# request thread does, and prints the page faults the last 20 cost.
RENDERS = textwrap.dedent(
    """
    import resource, sys, threading
    if sys.argv[1] == "keep":
        from config.memory import keep_freed_memory
        assert keep_freed_memory()

    def render():
        parts = [f"<article id='p{n}'>" + "夜" * 300 + "</article>" for n in range(1000)]
        return "".join(parts).encode()

    def renders():
        for _ in range(10):
            render()
        before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
        for _ in range(20):
            render()
        print(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)

    thread = threading.Thread(target=renders)
    thread.start()
    thread.join()
    """
)


def faults(mode: str) -> int:
    done = subprocess.run(
        [sys.executable, "-c", RENDERS, mode], capture_output=True, text=True, check=True
    )
    return int(done.stdout)


def test_a_big_page_rendered_again_takes_no_new_memory_from_the_kernel():
    if not keep_freed_memory():
        pytest.skip("no glibc malloc here: config.memory changes nothing")
    kept, default = faults("keep"), faults("default")
    assert default > 1000  # each render faulted its ~1.5 MB in again
    assert kept < default / 10

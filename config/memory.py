"""How a server process's C allocator treats memory it frees (glibc's malloc; elsewhere, as is).

By default glibc maps each allocation above 128 KiB from the kernel and unmaps it when freed,
and gives the top of its heap back once 128 KiB of it are free. A 1000-post thread page builds
about 1.5 MB of strings and bytes per render, so every render took that memory from the kernel
again, one page fault per 4 KiB page: about 2,000 faults and 4 ms of system time a render (a
quarter of the page's CPU). Keeping freed memory in the process, up to the sizes below, makes
the second render of such a page touch no new pages; what is kept is reused, not added to.
"""

from __future__ import annotations

import ctypes

# mallopt(3) parameters.
_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3

MMAP_THRESHOLD = 16 * 2**20  # allocations at least this large still get their own mapping
TRIM_THRESHOLD = 64 * 2**20  # free memory at the heap's top is given back beyond this


def keep_freed_memory() -> bool:
    """Tell glibc's malloc to keep freed memory for reuse; False where there is no glibc."""
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return False
    return bool(mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD)) and bool(
        mallopt(_M_TRIM_THRESHOLD, TRIM_THRESHOLD)
    )

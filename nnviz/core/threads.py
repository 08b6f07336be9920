"""One policy for the BLAS threads under NumPy, shared by `nnviz train`, the window and the training process.

The products of a teaching-sized network (a minibatch through 784-16-16-10, a forward pass, a health sample)
are small: a second BLAS thread mostly waits on the first, and on a machine that is busy with anything else
(the window's own painting, another program) OpenBLAS's spinning threads ran at 0.05x-1.25x the speed of one
thread (docs/performance.md, "Threads"). So nnviz uses one BLAS thread everywhere unless told otherwise;
`nnviz train --threads N` asks for more, for large batches of large layers on an idle machine.
"""

from __future__ import annotations

DEFAULT_BLAS_THREADS = 1


def limit_blas_threads(threads: int = DEFAULT_BLAS_THREADS) -> None:
    """Cap the BLAS pool of this process at `threads` (threadpoolctl: NumPy is imported before an
    environment variable could do it)."""
    from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]  # it ships no type information

    threadpool_limits(threads, user_api="blas")

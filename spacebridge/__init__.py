"""Spacebridge: the cooperation and exchange platform for space technology in health, medicine and the life sciences."""

import os

# One BLAS thread per process unless the deployment says otherwise (before numpy loads OpenBLAS): a web process
# serves requests side by side, and BLAS threads spinning for a core that another request holds turn the semantic
# search's one matrix-vector product from milliseconds into tens of them.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

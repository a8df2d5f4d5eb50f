"""A deterministic stand-in for the semantic model in tests: hashed bags of words, L2-normalised."""

from __future__ import annotations

import hashlib

import numpy as np

from spacebridge.search.analysis import analyse


class HashedWords:
    dimensions = 384

    def _vector(self, text: str) -> np.ndarray:
        vector = np.zeros(self.dimensions, dtype=np.float32)
        for term in analyse(text, for_query=True):
            vector[int(hashlib.md5(term.encode()).hexdigest(), 16) % self.dimensions] += 1.0
        vector[0] += 0.01  # never the zero vector
        return vector / np.linalg.norm(vector)

    def query(self, text: str) -> np.ndarray:
        return self._vector(text)

    def passages(self, texts: list[str]) -> np.ndarray:
        return np.vstack([self._vector(text) for text in texts])

"""Datasets: one `Dataset` type, filled by built-in generators and file loaders."""

from nnviz.core.datasets.base import Dataset, DatasetError

__all__ = ["Dataset", "DatasetError"]

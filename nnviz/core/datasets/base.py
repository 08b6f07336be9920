"""The one Dataset type every generator and loader returns, and the train/test split."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np

Task = Literal["classification", "regression"]

#: classes a data set may have: ImageNet's 1,000; an output layer, a confusion matrix (1,000 × 1,000) and
#: per-class views stay cheap at this size, where 20,000 classes cost gigabytes
MAX_CLASSES = 1_000
#: characters in a class, feature or column name (a label is shown in views, kept in the project file)
MAX_NAME_CHARS = 256


class DatasetError(ValueError):
    """A dataset that cannot be built or loaded; the message names the file, record and problem."""


@dataclass
class Dataset:
    """Features `x` (samples × features, float64; float32 for image files whose values float32 holds
    exactly, see `files.feature_dtype`) and targets `y`.

    For classification `y` holds integer class indices (shape `(n,)`) and `class_names` names them; for
    regression `y` is float with shape `(n, n_targets)`. `image_shape` (e.g. (8, 8) or (28, 28)) says the
    features are the pixels of an image, row by row, so views can draw them as one.
    """

    x: np.ndarray
    y: np.ndarray
    task: Task
    feature_names: list[str] = field(default_factory=list)
    target_names: list[str] = field(default_factory=list)
    class_names: list[str] = field(default_factory=list)
    image_shape: tuple[int, int] | None = None
    name: str = ""

    def __post_init__(self) -> None:
        if self.x.ndim != 2:
            raise DatasetError(f"features must be a table (samples × features), got shape {self.x.shape}")
        if len(self.y) != len(self.x):
            raise DatasetError(f"{len(self.x)} feature rows but {len(self.y)} targets")
        if not self.feature_names:
            self.feature_names = [f"x{i + 1}" for i in range(self.x.shape[1])]
        if self.task == "classification" and len(self.y):
            check_class_labels(self.y, "class labels")
        if self.task == "classification" and not self.class_names and len(self.y):
            self.class_names = [str(c) for c in range(int(self.y.max()) + 1)]
        if self.task == "classification" and len(self.y) and int(self.y.max()) >= len(self.class_names):
            raise DatasetError(
                f"class {int(self.y.max())} has no name: the class names are {self.class_names}"
            )

    def __len__(self) -> int:
        return len(self.x)

    @property
    def n_features(self) -> int:
        return int(self.x.shape[1])

    @property
    def n_classes(self) -> int:
        return len(self.class_names) if self.task == "classification" else 0

    @property
    def n_outputs(self) -> int:
        """Output neurons a network needs: one for two classes (sigmoid), one per class beyond that."""
        if self.task == "classification":
            return 1 if self.n_classes <= 2 else self.n_classes
        return self.y.shape[1] if self.y.ndim == 2 else 1

    def subset(self, index: np.ndarray) -> Dataset:
        return Dataset(
            self.x[index],
            self.y[index],
            self.task,
            self.feature_names,
            self.target_names,
            self.class_names,
            self.image_shape,
            self.name,
        )

    def split(
        self, test_fraction: float, seed: int | None = None, shuffle: bool = True
    ) -> tuple[Dataset, Dataset]:
        """(train, test): a seeded random split; `shuffle=False` keeps file order (the last rows test)."""
        if not 0.0 <= test_fraction < 1.0:
            raise DatasetError(f"test fraction must be in [0, 1), got {test_fraction}")
        n = len(self)
        n_test = round(n * test_fraction)
        if test_fraction > 0 and n_test == 0 and n > 1:
            n_test = 1
        n_test = min(n_test, max(n - 1, 0))  # a fraction below 1 always leaves a row to train on
        order = np.random.default_rng(seed).permutation(n) if shuffle else np.arange(n)
        return self.subset(order[: n - n_test]), self.subset(order[n - n_test :])


def check_class_labels(labels: np.ndarray, where: str) -> None:
    """Refuse class indices below 0 or of MAX_CLASSES and more, before a name is made for every class."""
    if labels.size and labels.min() < 0:
        raise DatasetError(f"{where}: class labels must not be negative (found {labels.min()})")
    if labels.size and labels.max() >= MAX_CLASSES:
        raise DatasetError(
            f"{where}: class label {labels.max()} is too large (at most {MAX_CLASSES} classes, 0 to "
            f"{MAX_CLASSES - 1})"
        )

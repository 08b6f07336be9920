"""What the undo commands need of the session: the open document and its `apply_*` mutators, and the data
state a data command swaps.

The commands are typed against this protocol, not `nnviz.app.session.Session`, so the session can import its
commands (its `edit_*` methods push them) without the commands importing the session back: no import cycle
(docs/architecture.md, "Packages"). `Session` is the one implementation.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from nnviz.core.datasets.base import Dataset
from nnviz.core.network import Network
from nnviz.core.scaling import Scaler
from nnviz.core.training import TrainingConfig

if TYPE_CHECKING:
    import numpy as np
    from PySide6.QtGui import QUndoStack

    from nnviz.core.activations import Activation
    from nnviz.core.document import Project
    from nnviz.core.names import Names


class Editable(Protocol):
    """The document the commands read before an edit and change through the `apply_*` methods."""

    project: Project
    #: the loaded data, when it fits the network's inputs
    dataset: Dataset | None

    @property
    def undo_stack(self) -> QUndoStack:
        """Read-only here, so the session's own kind of stack (a subclass) fits."""
        ...

    @property
    def network(self) -> Network: ...

    @property
    def names(self) -> Names: ...

    @property
    def training_config(self) -> TrainingConfig: ...

    def apply_weight(self, k: int, j: int, i: int, value: float) -> None: ...

    def apply_bias(self, k: int, j: int, value: float) -> None: ...

    def apply_activation(self, k: int, activation: Activation) -> None: ...

    def apply_network(self, network: Network, dataset: Dataset | None) -> None: ...

    def apply_data(self, state: DataState) -> None: ...

    def apply_training(self, config: TrainingConfig | None, test_fraction: float | None) -> None: ...

    def apply_parameters(self, weights: list[np.ndarray], biases: list[np.ndarray]) -> object: ...


@dataclass(frozen=True)
class DataState:
    """What a data change replaces. `network` is never shown itself: the session gets a copy."""

    network: Network
    reference: dict[str, Any] | None
    scaler: Scaler | None
    training: TrainingConfig | None
    history: dict[str, Any] | None
    dataset: Dataset | None

    @classmethod
    def of(cls, session: Editable) -> DataState:
        p = session.project
        return cls(session.network.copy(), p.dataset, p.scaler, p.training, p.history, session.dataset)

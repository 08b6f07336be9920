"""Dataset references in the project file: inline rows, files relative to the project, built-ins."""

import numpy as np
import pytest

from nnviz.core.dataset_ref import inline_reference, reference_to_dataset
from nnviz.core.datasets import Dataset, DatasetError


def test_inline_round_trip_keeps_rows_and_names():
    data = Dataset(
        np.array([[0.0, 1.0], [2.0, 3.0]]),
        np.array([1, 0]),
        "classification",
        ["a", "b"],
        class_names=["no", "yes"],
    )
    back = reference_to_dataset(inline_reference(data))
    np.testing.assert_array_equal(back.x, data.x)
    np.testing.assert_array_equal(back.y, data.y)
    assert back.class_names == ["no", "yes"]
    assert back.feature_names == ["a", "b"]


def test_image_shape_is_kept_and_checked():
    data = Dataset(np.zeros((2, 4)), np.array([0, 1]), "classification", image_shape=(2, 2))
    ref = inline_reference(data)
    assert ref["image_shape"] == [2, 2]
    assert reference_to_dataset(ref).image_shape == (2, 2)
    with pytest.raises(DatasetError, match=r"dataset.image_shape: expected \[rows, columns\] covering 4"):
        reference_to_dataset({**ref, "image_shape": [3, 2]})


def test_regression_targets_become_a_column():
    back = reference_to_dataset(
        {"kind": "inline", "task": "regression", "x": [[1.0], [2.0]], "y": [0.5, 1.5]}
    )
    assert back.y.shape == (2, 1)


def test_file_paths_are_relative_to_the_project(tmp_path):
    (tmp_path / "d.csv").write_text("x,t\n1,2\n3,4\n")
    data = reference_to_dataset({"kind": "file", "path": "d.csv", "targets": ["t"]}, relative_to=tmp_path)
    np.testing.assert_array_equal(data.x, [[1.0], [3.0]])


def test_builtin_reference_regenerates_the_same_data():
    ref = {"kind": "builtin", "name": "xor", "parameters": {"samples": 20}, "seed": 5}
    np.testing.assert_array_equal(reference_to_dataset(ref).x, reference_to_dataset(ref).x)


@pytest.mark.parametrize(
    ("ref", "message"),
    [
        ({"kind": "url"}, "dataset.kind: expected one of builtin, file, inline"),
        ({"kind": "builtin"}, "dataset.name: expected a non-empty string"),
        ({"kind": "builtin", "name": "xor", "parameters": [1]}, "dataset.parameters: expected an object"),
        ({"kind": "inline", "task": "ranking", "x": [[1]], "y": [1]}, "dataset.task: expected one of"),
        (
            {"kind": "inline", "task": "regression", "x": [[1, 2], [3]], "y": [1, 2]},
            "dataset.x: expected rows",
        ),
        ({"kind": "inline", "task": "regression", "x": [[1, "2"]], "y": [1]}, "dataset.x: expected rows"),
        ({"kind": "inline", "task": "regression", "x": [[1, float("nan")]], "y": [1]}, "finite"),
        ({"kind": "inline", "task": "classification", "x": [[1]], "y": [0.5]}, "one class index"),
        ({"kind": "inline", "task": "regression", "x": [], "y": []}, "dataset.x: expected a non-empty"),
        (
            {"kind": "inline", "task": "regression", "x": [[1]], "y": [1], "feature_names": "a"},
            "list of strings",
        ),
    ],
)
def test_bad_references_name_the_key(ref, message):
    with pytest.raises(DatasetError, match=message):
        reference_to_dataset(ref)


# -- portable_reference: what a saved project names as its data ---------------------------------------------
def _csv(path, rows=6):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("a,b,label\n" + "".join(f"{i},{-i},{'xy'[i % 2]}\n" for i in range(rows)))
    return path


def _file_ref(path):
    from nnviz.core.dataset_ref import load_file

    ref = {"kind": "file", "path": str(path), "targets": ["label"], "task": "classification", "epochs": 9}
    return ref, load_file(str(path), ["label"])


def test_data_inside_the_project_folder_is_named_relative_to_it(tmp_path):
    from nnviz.core.dataset_ref import portable_reference

    ref, data = _file_ref(_csv(tmp_path / "project" / "data" / "d.csv"))
    saved, note = portable_reference(ref, data, None, tmp_path / "project")
    assert saved == {**ref, "path": "data/d.csv"}
    assert note == ""
    again = reference_to_dataset(saved, tmp_path / "project")
    np.testing.assert_array_equal(again.x, data.x)


def test_small_data_outside_the_folder_is_embedded(tmp_path):
    from nnviz.core.dataset_ref import portable_reference

    ref, data = _file_ref(_csv(tmp_path / "downloads" / "d.csv"))
    saved, note = portable_reference(ref, data, None, tmp_path / "project")
    assert saved["kind"] == "inline"
    assert (saved["source"], saved["epochs"]) == ("d.csv", 9)  # other keys travel along
    assert "targets" not in saved
    assert "stored in the project" in note
    again = reference_to_dataset(saved)
    np.testing.assert_array_equal(again.x, data.x)
    np.testing.assert_array_equal(again.y, data.y)
    assert again.class_names == ["x", "y"]


def test_large_data_outside_the_folder_is_copied_next_to_the_project(tmp_path, monkeypatch):
    from nnviz.core import dataset_ref

    monkeypatch.setattr(dataset_ref, "EMBED_LIMIT", 10)
    project = tmp_path / "project"
    project.mkdir()
    ref, data = _file_ref(_csv(tmp_path / "downloads" / "d.csv"))
    saved, note = dataset_ref.portable_reference(ref, data, None, project)
    assert saved == {**ref, "path": "d.csv"}
    assert (project / "d.csv").read_bytes() == (tmp_path / "downloads" / "d.csv").read_bytes()
    assert "copied" in note
    assert dataset_ref.portable_reference(ref, data, None, project)[0]["path"] == "d.csv"  # same file reused
    other_ref, other = _file_ref(_csv(tmp_path / "elsewhere" / "d.csv", rows=8))
    assert dataset_ref.portable_reference(other_ref, other, None, project)[0]["path"] == "d-2.csv"


def test_unloaded_data_and_other_kinds_are_left_alone(tmp_path):
    from nnviz.core.dataset_ref import portable_reference

    ref, _ = _file_ref(_csv(tmp_path / "downloads" / "d.csv"))
    assert portable_reference(ref, None, None, tmp_path / "project") == (ref, "")
    builtin = {"kind": "builtin", "name": "xor", "seed": 0}
    assert portable_reference(builtin, None, None, tmp_path) == (builtin, "")
    assert portable_reference(None, None, None, tmp_path) == (None, "")

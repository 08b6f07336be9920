"""load_csv: values, class labels, error messages naming file/line/column, progress and cancellation."""

import numpy as np
import pytest

from nnviz.core.datasets import DatasetError
from nnviz.core.datasets.files import LoadCancelled, load_csv


def write(tmp_path, text, name="data.csv"):
    path = tmp_path / name
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    return path


def test_regression_values_and_names(tmp_path):
    path = write(tmp_path, "a,b,t\n1,2.5,3\n-4,5e-1,6\n")
    ds = load_csv(path, "t")
    assert ds.task == "regression"
    np.testing.assert_array_equal(ds.x, [[1, 2.5], [-4, 0.5]])
    np.testing.assert_array_equal(ds.y, [[3], [6]])
    assert ds.feature_names == ["a", "b"]
    assert ds.target_names == ["t"]
    assert ds.name == "data"


def test_string_labels_become_sorted_classes(tmp_path):
    path = write(tmp_path, "x,species\n1,virginica\n2,setosa\n3,versicolor\n4,setosa\n")
    ds = load_csv(path, ["species"])
    assert ds.task == "classification"
    assert ds.class_names == ["setosa", "versicolor", "virginica"]
    np.testing.assert_array_equal(ds.y, [2, 0, 1, 0])
    assert ds.y.shape == (4,)


def test_labels_sorted_across_blocks(tmp_path):
    """Class codes are assigned per block as labels appear, then renumbered to the sorted order."""
    rows = [f"{i},{'zeta' if i < 300 else 'alpha'}" for i in range(600)]
    path = write(tmp_path, "x,label\n" + "\n".join(rows) + "\n")
    ds = load_csv(path, "label", chunk_bytes=256)
    assert ds.class_names == ["alpha", "zeta"]
    np.testing.assert_array_equal(ds.y, (np.arange(600) < 300).astype(int))
    np.testing.assert_array_equal(ds.x[:, 0], np.arange(600))


def test_multiple_targets_ignore_and_crlf_semicolon(tmp_path):
    path = write(tmp_path, '"id";a;b;t1;t2\r\n7;1;2;3;4\r\n8;5;6;7;8\r\n')
    ds = load_csv(path, ["t1", "t2"], ignore=["id"])
    np.testing.assert_array_equal(ds.x, [[1, 2], [5, 6]])
    np.testing.assert_array_equal(ds.y, [[3, 4], [7, 8]])


def test_blank_lines_skipped_and_line_numbers_kept(tmp_path):
    path = write(tmp_path, "a,t\n1,2\n\n3,4\n\nx,5\n")
    with pytest.raises(DatasetError, match=r"line 6, column 'a': not a number: 'x'"):
        load_csv(path, "t")
    ok = write(tmp_path, "a,t\n1,2\n\n3,4\n\n", "ok.csv")
    assert len(load_csv(ok, "t")) == 2


def test_final_line_without_newline(tmp_path):
    ds = load_csv(write(tmp_path, "a,t\n1,2\n3,4"), "t")
    np.testing.assert_array_equal(ds.y, [[2], [4]])


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "data.csv: the file is empty"),
        ("a,t\n", "no data rows"),
        ("a,t\n1,2\n3\n", "line 3: 1 cells, expected 2"),
        ("a,t\n1,2\n3,4,5\n", "line 3: 3 cells, expected 2"),
        ("a,t\n1,2\nfoo,4\n", "line 3, column 'a': not a number: 'foo'; ignore the column, or make it"),
        ("a,t\n1,2\n,4\n", "line 3, column 'a': empty cell"),
        ("a,t\n1,nan\n", "line 2, column 't': 'nan' is not finite"),
        ("a,t\ninf,1\n", "line 2, column 'a': 'inf' is not finite"),
        ("a,a,t\n1,2,3\n", "duplicate column name"),
        ("a,,t\n1,2,3\n", "empty column name"),
        ("a,b\n1,2\n", "no column named 't'"),
        ("t\n1\n", "no feature columns left"),
    ],
)
def test_errors_name_file_line_and_problem(tmp_path, text, message):
    with pytest.raises(DatasetError, match=r"data\.csv") as info:
        load_csv(write(tmp_path, text), "t")
    assert message in str(info.value)


def test_label_target_must_be_alone(tmp_path):
    with pytest.raises(DatasetError, match="must be the only target"):
        load_csv(write(tmp_path, "a,t,u\n1,cat,2\n"), ["t", "u"])


def test_missing_file_is_a_dataset_error(tmp_path):
    with pytest.raises(DatasetError, match="cannot read"):
        load_csv(tmp_path / "nope.csv", "t")


def test_bad_utf8_label(tmp_path):
    with pytest.raises(DatasetError, match="UTF-8"):
        load_csv(write(tmp_path, b"a,t\n1,\xff\xfe\n"), "t")


def test_progress_reaches_one_and_is_monotonic(tmp_path):
    path = write(tmp_path, "a,t\n" + "".join(f"{i},{i * 2}\n" for i in range(2000)))
    seen = []
    ds = load_csv(path, "t", progress=seen.append, chunk_bytes=1000)
    assert len(seen) > 5
    assert seen == sorted(seen)
    assert seen[-1] == 1.0
    np.testing.assert_array_equal(ds.y[:, 0], 2 * np.arange(2000))


def test_cancel_stops_the_load(tmp_path):
    path = write(tmp_path, "a,t\n" + "".join(f"{i},{i}\n" for i in range(2000)))
    calls = []

    def cancel():
        calls.append(1)
        return len(calls) > 2

    with pytest.raises(LoadCancelled, match="cancelled"):
        load_csv(path, "t", cancel=cancel, chunk_bytes=500)
    assert len(calls) == 3


def test_matches_numpy_loadtxt_on_random_table(tmp_path):
    rng = np.random.default_rng(1)
    table = rng.normal(size=(500, 4)) * 10.0 ** rng.integers(-5, 5, size=(500, 4))
    path = tmp_path / "r.csv"
    np.savetxt(path, table, delimiter=",", header="a,b,c,t", comments="", fmt="%.17g")
    ds = load_csv(path, "t", chunk_bytes=777)
    np.testing.assert_array_equal(ds.x, table[:, :3])
    np.testing.assert_array_equal(ds.y, table[:, 3:])


def test_target_column_first_keeps_column_order(tmp_path):
    ds = load_csv(write(tmp_path, "t,a,b\n1,2,3\n4,5,6\n"), "t")
    np.testing.assert_array_equal(ds.x, [[2, 3], [5, 6]])
    np.testing.assert_array_equal(ds.y, [[1], [4]])


def test_numeric_labels_as_class_indices(tmp_path):
    """With `classes` (a softmax network's outputs), one numeric target column holds class indices."""
    path = write(tmp_path, "label,p0,p1\n2,0.5,1\n0,0,0\n1.0,1,1\n", "iris.csv")
    ds = load_csv(path, "label", classes=3)
    assert ds.task == "classification"
    assert ds.class_names == ["0", "1", "2"]
    np.testing.assert_array_equal(ds.y, [2, 0, 1])
    assert ds.y.dtype == np.int64
    np.testing.assert_array_equal(ds.x, [[0.5, 1], [0, 0], [1, 1]])
    assert load_csv(path, "label").task == "regression"  # without a class count, numbers are targets


@pytest.mark.parametrize("bad", ["10", "-1", "2.5"])
def test_a_label_that_is_no_class_index_names_its_line(tmp_path, bad):
    rows = [f"{k % 10},{k}" for k in range(300)]
    rows[250] = f"{bad},0"
    path = write(tmp_path, "label,p\n" + "\n".join(rows[:100]) + "\n\n" + "\n".join(rows[100:]) + "\n")
    with pytest.raises(DatasetError, match=rf"line 253, column 'label': '{bad}' is not a class index") as e:
        load_csv(path, "label", classes=10, chunk_bytes=512)
    assert "0 to 9" in str(e.value)
    assert "\n" not in str(e.value)


def test_class_count_leaves_word_labels_and_several_targets_alone(tmp_path):
    words = write(tmp_path, "x,kind\n1,b\n2,a\n", "words.csv")
    assert load_csv(words, "kind", classes=5).class_names == ["a", "b"]
    two = write(tmp_path, "x,t1,t2\n1,0,1\n2,1,0\n", "two.csv")
    assert load_csv(two, ["t1", "t2"], classes=2).task == "regression"


# -- issue 20: the line an error names, blank lines, and what of the file a message quotes ----------------


def test_a_bad_width_on_line_5_is_reported_on_line_5_not_as_an_earlier_label(tmp_path):
    """Was "line 2, column 'y': not a number: 'x'": the cell check ran before the label column was known."""
    path = write(tmp_path, "a,b,y\n1,2,x\n3,4,y\n5,6,x\n7,8,9,y\n")
    with pytest.raises(DatasetError, match=r"data\.csv, line 5: 4 cells, expected 3"):
        load_csv(path, "y")


def test_digit_grouping_is_named_as_not_a_number_on_its_line(tmp_path):
    """Was "lines 2-6: malformed rows": Python's float() takes `1_000`, the fast parser does not."""
    path = write(tmp_path, "a,b,y\n1,2,3\n3,4,5\n5,6,7\n7,1_000,9\n")
    with pytest.raises(DatasetError, match=r"line 5, column 'b': not a number: '1_000'"):
        load_csv(path, "y")


def test_a_header_followed_by_blank_lines_has_no_data_rows(tmp_path):
    """Was "lines 2-4: malformed rows"."""
    with pytest.raises(DatasetError, match="no data rows after the header"):
        load_csv(write(tmp_path, "a,b,y\n\n\n\n"), "y")
    data = load_csv(write(tmp_path, "a,y\n\n\n1,2\n\n3,4\n"), "y")
    np.testing.assert_array_equal(data.x, [[1], [3]])


def test_a_first_line_without_delimiters_is_not_echoed(tmp_path):
    """Was "columns: root:*:19000:..." for /etc/shadow: the error quoted the file's first line."""
    path = write(tmp_path, "root:*:19000:0:99999:7:::\ndaemon:*:19000:0:99999:7:::\n")
    with pytest.raises(DatasetError, match="one column only") as info:
        load_csv(path, "y")
    assert "*:19000" not in str(info.value)
    assert "daemon" not in str(info.value)


def test_the_column_listing_in_an_error_is_short(tmp_path):
    names = [f"column_with_a_rather_long_name_{i}" for i in range(500)]
    path = write(tmp_path, ",".join(names) + "\n" + ",".join("1" * 500) + "\n")
    with pytest.raises(
        DatasetError, match=r"no column named 'target' \(columns: .*… \(500 in all\)\)"
    ) as info:
        load_csv(path, "target")
    assert len(str(info.value)) < 400

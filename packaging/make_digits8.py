"""Write resources/data/digits8.npz, the 8x8 digits that `digits8` reads (no scikit-learn at run time).

Run once, with scikit-learn installed: `python packaging/make_digits8.py`. The source is scikit-learn's
bundled copy (`sklearn/datasets/data/digits.csv.gz`) of the test set of the UCI "Optical Recognition of
Handwritten Digits" data (E. Alpaydin, C. Kaynak, 1998; CC BY 4.0): 1,797 images of 8x8 pixels with values
0-16, and their digit labels. The output keeps them as they are, in the source's order, as uint8 arrays
`images` (1797, 64) and `labels` (1797,), compressed (about 45 KB); THIRD_PARTY_LICENSES.md names the source.
"""

from pathlib import Path

import numpy as np
from sklearn.datasets import load_digits

OUT = Path(__file__).resolve().parent.parent / "resources" / "data" / "digits8.npz"


def main() -> None:
    digits = load_digits()
    images = digits.data.astype(np.uint8)
    assert np.array_equal(images, digits.data), "the pixels are integers 0-16"
    OUT.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(OUT, images=images, labels=digits.target.astype(np.uint8))
    print(f"{OUT}: {OUT.stat().st_size} bytes, {len(images)} images")


if __name__ == "__main__":
    main()

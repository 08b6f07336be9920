"""Colours a colour-blind eye can tell apart: the class colours and the canvas's weight colours, compared
as CIELAB distances after simulating protanopia, deuteranopia and tritanopia (Machado, Oliveira and
Fernandes 2009, full severity, applied to linear RGB)."""

import itertools

import numpy as np
import pytest

from nnviz.app.canvas.palette import CanvasPalette
from nnviz.app.plots.colours import CLASS_COLOURS

SIMULATIONS = {
    "normal": np.eye(3),
    "protanopia": np.array([[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216],
                            [-0.003882, -0.048116, 1.051998]]),
    "deuteranopia": np.array([[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413],
                              [-0.011820, 0.042940, 0.968881]]),
    "tritanopia": np.array([[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602],
                            [0.004733, 0.691367, 0.303900]]),
}  # fmt: skip
SRGB_TO_XYZ = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]])
WHITE_POINT = np.array([0.95047, 1.0, 1.08883])


def seen_as_lab(rgb, simulation: str) -> np.ndarray:
    """CIELAB of an sRGB colour (0-255) as the simulated eye sees it."""
    c = np.asarray(rgb, float) / 255
    linear = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    xyz = SRGB_TO_XYZ @ np.clip(SIMULATIONS[simulation] @ linear, 0, 1) / WHITE_POINT
    f = np.where(xyz > 0.008856, np.cbrt(xyz), 7.787 * xyz + 16 / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def distance(a, b, simulation: str) -> float:
    return float(np.linalg.norm(seen_as_lab(a, simulation) - seen_as_lab(b, simulation)))


def test_the_simulation_loses_red_green_and_keeps_grey():
    """The model does what it should: red and green collapse for a deuteranope, a grey stays a grey."""
    assert distance((200, 60, 60), (90, 120, 40), "deuteranopia") < 0.35 * distance(
        (200, 60, 60), (90, 120, 40), "normal"
    )
    assert distance((128, 128, 128), (128, 128, 128), "protanopia") == 0
    grey = seen_as_lab((128, 128, 128), "deuteranopia")
    assert abs(grey[1]) < 1.5
    assert abs(grey[2]) < 1.5


@pytest.mark.parametrize("simulation", list(SIMULATIONS))
def test_the_orange_blue_class_pair_stays_far_apart(simulation):
    assert distance(CLASS_COLOURS[0], CLASS_COLOURS[1], simulation) >= 60


@pytest.mark.parametrize("simulation", list(SIMULATIONS))
def test_any_two_of_the_ten_class_colours_stay_apart(simulation):
    pairs = itertools.combinations(range(len(CLASS_COLOURS)), 2)
    closest = min((distance(CLASS_COLOURS[i], CLASS_COLOURS[j], simulation), i, j) for i, j in pairs)
    assert closest[0] >= 15, closest


PALETTES = {"light": CanvasPalette.light(), "dark": CanvasPalette.dark_scheme()}


@pytest.mark.parametrize("simulation", list(SIMULATIONS))
@pytest.mark.parametrize("palette", list(PALETTES.values()), ids=list(PALETTES))
def test_positive_and_negative_weights_stay_apart_and_off_the_background(palette, simulation):
    assert distance(palette.positive, palette.negative, simulation) >= 40
    for sign in (palette.positive, palette.negative):
        assert distance(sign, palette.background, simulation) >= 25

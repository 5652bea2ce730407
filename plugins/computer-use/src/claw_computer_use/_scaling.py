"""Screen size versus the size the model sees, and coordinates between the two.

Anthropic's vision limits an image to 1568 pixels on its long edge and about 1.15 megapixels; a larger
screenshot is downscaled by the API, and the model's clicks would then land off target. So claw scales
screenshots itself to fit those limits, declares the scaled size as ``display_width_px`` /
``display_height_px``, and maps every coordinate the model gives back onto the real screen.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from claw import ToolError

MAX_EDGE = 1568
MAX_PIXELS = 1_150_000


def fit(width: int, height: int) -> tuple[int, int]:
    """The largest size with ``width:height``'s aspect ratio within the API's image limits."""
    factor = min(1.0, MAX_EDGE / max(width, height), math.sqrt(MAX_PIXELS / (width * height)))
    return max(1, math.floor(width * factor)), max(1, math.floor(height * factor))


@dataclass(frozen=True)
class Scaling:
    """A real screen of ``screen`` pixels shown to the model as ``model`` pixels."""

    screen: tuple[int, int]
    model: tuple[int, int]

    @classmethod
    def for_screen(cls, width: int, height: int) -> Scaling:
        return cls((width, height), fit(width, height))

    def to_screen(self, x: int, y: int) -> tuple[int, int]:
        """A model coordinate on the real screen.

        :raises ToolError: when it lies outside the screenshot the model was shown.
        """
        mw, mh = self.model
        if not (0 <= x < mw and 0 <= y < mh):
            raise ToolError(f"coordinate ({x}, {y}) is outside the screen ({mw}x{mh})")
        sw, sh = self.screen
        return min(sw - 1, round(x * sw / mw)), min(sh - 1, round(y * sh / mh))

    def to_model(self, x: int, y: int) -> tuple[int, int]:
        """A real-screen coordinate as the model sees it (``cursor_position``)."""
        (sw, sh), (mw, mh) = self.screen, self.model
        return min(mw - 1, round(x * mw / sw)), min(mh - 1, round(y * mh / sh))

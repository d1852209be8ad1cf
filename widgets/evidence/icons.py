"""The pictures of the 材料 page: round status icons and framed page thumbnails."""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QIcon, QImage, QPainter, QPainterPath, QPen, QPixmap

from widgets.evidence.checklist import ATTACHED, GENERATED, NONE, STATE_COLORS

PAGE_ICON = QSize(106, 150)
FILE_ICON = QSize(34, 48)

_icons: dict[str, QIcon] = {}


def status_icon(state: str) -> QIcon:
    """A small round icon: red with '!' (missing), green with a tick (attached), amber with '!'
    (warning), blue 'A' (generated), grey ring (nothing needed)."""
    if state in _icons:
        return _icons[state]
    size = 32
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    p = QPainter(pixmap)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    color = QColor(STATE_COLORS[state])
    if state == NONE:
        p.setPen(QPen(color, 3))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawEllipse(4, 4, size - 8, size - 8)
    else:
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(color)
        p.drawEllipse(2, 2, size - 4, size - 4)
        pen = QPen(QColor("white"), 4)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        p.setPen(pen)
        if state == ATTACHED:
            path = QPainterPath()
            path.moveTo(9, 17)
            path.lineTo(14, 22)
            path.lineTo(23, 11)
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawPath(path)
        elif state == GENERATED:
            p.drawLine(10, 16, 22, 16)
            p.drawLine(16, 10, 16, 22)
        else:
            p.drawLine(16, 8, 16, 18)
            p.drawPoint(16, 24)
    p.end()
    icon = QIcon(pixmap)
    _icons[state] = icon
    return icon


def framed(image: QImage, size: QSize) -> QPixmap:
    """The page image scaled into ``size`` (logical pixels; centred, transparent around it) with
    a thin grey frame, so white pages show and every thumbnail takes the same room. Drawn at
    the image's device pixel ratio, so it stays sharp at 125 % and 150 % display scaling."""
    ratio = max(1.0, image.devicePixelRatio())
    canvas = QPixmap(math.ceil(size.width() * ratio), math.ceil(size.height() * ratio))
    canvas.setDevicePixelRatio(ratio)
    canvas.fill(Qt.GlobalColor.transparent)
    scaled = image.scaled(
        round((size.width() - 2) * ratio),
        round((size.height() - 2) * ratio),
        Qt.AspectRatioMode.KeepAspectRatio,
        Qt.TransformationMode.SmoothTransformation,
    )
    scaled.setDevicePixelRatio(ratio)
    width, height = scaled.width() / ratio, scaled.height() / ratio
    x = (size.width() - width) / 2
    y = (size.height() - height) / 2
    p = QPainter(canvas)
    p.drawImage(QPointF(x, y), scaled)
    p.setPen(QPen(QColor("#9aa0a6"), 1))
    p.drawRect(QRectF(x - 1, y - 1, width + 1, height + 1))
    p.end()
    return canvas

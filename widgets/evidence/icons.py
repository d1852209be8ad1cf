"""The pictures of the 材料 page: round status icons and framed page thumbnails."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
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
    """The page image scaled into ``size`` (centred, transparent around it) with a thin grey
    frame, so white pages show and every thumbnail takes the same room."""
    canvas = QPixmap(size)
    canvas.fill(Qt.GlobalColor.transparent)
    scaled = image.scaled(
        size.width() - 2,
        size.height() - 2,
        Qt.AspectRatioMode.KeepAspectRatio,
        Qt.TransformationMode.SmoothTransformation,
    )
    x = (size.width() - scaled.width()) // 2
    y = (size.height() - scaled.height()) // 2
    p = QPainter(canvas)
    p.drawImage(x, y, scaled)
    p.setPen(QPen(QColor("#9aa0a6"), 1))
    p.drawRect(x - 1, y - 1, scaled.width() + 1, scaled.height() + 1)
    p.end()
    return canvas

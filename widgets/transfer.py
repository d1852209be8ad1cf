"""Import a manifest into a new project file / export the project as a manifest (dialogs and
background work around app.manifest)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEventLoop
from PySide6.QtWidgets import QFileDialog, QProgressDialog, QWidget

from widgets import errors
from widgets.session import ProjectSession
from widgets.tasks import TaskContext, run_task


def import_manifest_dialog(parent: QWidget | None) -> Path | None:
    """Ask for a manifest and a new project file; import in the background. The new path or None."""
    src = errors.choose_open_file(parent, "选择清单文件", "清单文件 (*.json)")
    if not src:
        return None
    target = errors.choose_new_project(parent, str(Path(src).with_suffix(".sbproj")))
    if not target:
        return None
    from app.manifest.load import OutsideFilesError, load_manifest
    from app.manifest.transfer import import_manifest

    try:
        try:
            manifest = load_manifest(Path(src))
        except OutsideFilesError as outside:
            if not _allow_outside(parent, Path(src), outside.paths):
                return None
            manifest = load_manifest(Path(src), allow_outside=True)
    except Exception as exc:
        errors.show_error(parent, exc, "无法读取清单文件")
        return None

    def work(ctx: TaskContext) -> Path:
        import_manifest(manifest, Path(target), None, ctx.progress, ctx.cancelled)
        return Path(target)

    result = _run_with_progress(parent, "正在导入清单…", work)
    if result is not None:
        from app.rules.duplicates import duplicate_notes

        notes = duplicate_notes(manifest.guide, manifest.data)
        if notes:
            shown = "\n".join(f"· {n}" for n in notes[:10])
            more = f"\n……共 {len(notes)} 处" if len(notes) > 10 else ""
            errors.inform(
                parent,
                "清单中有重复的行",
                f"已导入，但清单中有重复的行，会被重复计入金额和汇总表：\n{shown}{more}\n"
                "请在“申报项目”页删除多余的行（“检查”页也会列出）。",
            )
    return result


def _allow_outside(parent: QWidget | None, src: Path, paths: tuple[Path, ...]) -> bool:
    """Files outside the manifest's folder are imported only when the user says so, having
    seen which."""
    shown = "\n".join(f"  {p}" for p in paths[:8])
    more = f"\n  ……共 {len(paths)} 个" if len(paths) > 8 else ""
    return errors.ask(
        parent,
        "清单引用了其他文件夹的文件",
        f"清单文件“{src.name}”列出的以下证明文件不在清单所在的文件夹（{src.parent}）中：\n"
        f"{shown}{more}\n\n这些文件会被放进申报材料。只有在确认清单来源可信、"
        "这些文件确实是本次申报的材料时才继续。要导入这些文件吗？",
    )


def export_manifest_dialog(parent: QWidget | None, session: ProjectSession) -> Path | None:
    path, _ = QFileDialog.getSaveFileName(
        parent,
        "导出清单文件（证明文件将复制到同一文件夹下的 evidence 文件夹）",
        str(session.path.with_suffix(".json")),
        "清单文件 (*.json)",
    )
    if not path:
        return None
    from app.manifest.transfer import export_manifest

    store = session.store
    notes: list[str] = []

    def work(ctx: TaskContext) -> Path:
        return export_manifest(store, Path(path), notes)

    result = _run_with_progress(parent, "正在导出…", work)
    if result is not None:
        text = f"已导出到“{result}”，证明文件在同一文件夹的 evidence 文件夹中。"
        if notes:  # the files themselves behind 显示详情…: a long list would outgrow the screen
            text += (
                f"\n\n其中 {len(notes)} 个文件删除过页面（或无法重新读取原文件），导出的是申报材料"
                "所用页面的 PDF，不是原文件；原文件仍保存在项目文件中。点“显示详情…”查看是哪些文件。"
            )
        errors.inform(parent, "已导出", text, details="\n".join(notes))
    return result


def _run_with_progress(
    parent: QWidget | None, label: str, work: Callable[[TaskContext], Path]
) -> Path | None:
    dialog = QProgressDialog(label, "取消", 0, 0, parent)
    dialog.setMinimumDuration(300)
    loop = QEventLoop()
    outcome: dict[str, object] = {}

    def done(result: object) -> None:
        outcome["result"] = result
        loop.quit()

    def failed(exc: BaseException) -> None:
        outcome["error"] = exc
        loop.quit()

    task = run_task(parent, work, done, failed)

    def on_progress(done_: int, total: int, text: str) -> None:
        dialog.setMaximum(max(total, 1))
        dialog.setValue(done_)
        dialog.setLabelText(text)

    task.progress.connect(on_progress)
    dialog.canceled.connect(task.cancel)
    loop.exec()
    dialog.close()
    if "error" in outcome:
        from app.system.errors import BuildCancelled

        if not isinstance(outcome["error"], BuildCancelled):
            errors.show_error(parent, outcome["error"], "操作失败")  # type: ignore[arg-type]
        return None
    result = outcome.get("result")
    return result if isinstance(result, Path) else None

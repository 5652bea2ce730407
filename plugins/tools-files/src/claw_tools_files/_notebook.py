"""``NotebookEdit``: replace, insert or delete one cell of a Jupyter notebook by its id."""

from __future__ import annotations

import json
import secrets
from collections.abc import Mapping
from typing import Any

import claw

from claw_tools_files import _specs
from claw_tools_files._paths import named_path, path_access
from claw_tools_files._textfile import check_fresh, decode, remember


def _find(cells: list[dict[str, Any]], cell_id: str) -> int:
    for i, cell in enumerate(cells):
        if cell.get("id") == cell_id:
            return i
    if cell_id.startswith("cell-") and cell_id[5:].isdigit() and int(cell_id[5:]) < len(cells):
        return int(cell_id[5:])  # the ids Read shows for notebooks whose cells have none
    raise claw.ToolError(f'no cell with id "{cell_id}"; Read the notebook to see its cell ids')


def _lines(source: str) -> list[str]:
    """nbformat keeps sources as a list of lines, each with its newline."""
    return source.splitlines(keepends=True)


class NotebookEditTool(claw.Tool):
    spec = _specs.NOTEBOOK_EDIT

    def access(self, input: Mapping[str, Any], ctx: claw.ToolContext) -> list[claw.Access]:
        return path_access(input, ctx, "write", "notebook_path")

    async def run(self, input: dict[str, Any], ctx: claw.ToolContext) -> claw.ToolResult:
        path = named_path(input, ctx, "notebook_path")
        if path.suffix.lower() != ".ipynb":
            raise claw.ToolError(f"{path} is not a .ipynb notebook; use Edit for other files")
        if not path.is_file():
            raise claw.ToolError(f"{path} does not exist")
        check_fresh(ctx, path)
        file = decode(path.read_bytes())
        try:
            nb = json.loads(file.text)
            cells: list[dict[str, Any]] = nb["cells"]
        except (ValueError, KeyError, TypeError):
            raise claw.ToolError(f"{path} is not a valid Jupyter notebook") from None
        mode = input.get("edit_mode") or "replace"
        cell_id = input.get("cell_id")
        source = input["new_source"]
        cell_type = input.get("cell_type")
        if mode == "insert":
            if cell_type not in ("code", "markdown"):
                raise claw.ToolError('cell_type ("code" or "markdown") is required to insert a cell')
            at = _find(cells, cell_id) + 1 if cell_id else 0
            new: dict[str, Any] = {"cell_type": cell_type, "metadata": {}, "source": _lines(source)}
            if nb.get("nbformat", 4) >= 4 and nb.get("nbformat_minor", 5) >= 5:
                new["id"] = secrets.token_hex(4)
            if cell_type == "code":
                new.update(execution_count=None, outputs=[])
            cells.insert(at, new)
            done, target = "Inserted", new.get("id") or f"cell-{at}"
        elif mode in ("replace", "delete"):
            if not cell_id:
                raise claw.ToolError(f"cell_id is required to {mode} a cell")
            at = _find(cells, cell_id)
            target = str(cell_id)
            if mode == "delete":
                del cells[at]
                done = "Deleted"
            else:
                cell = cells[at]
                cell["source"] = _lines(source)
                if cell_type and cell_type != cell.get("cell_type"):
                    cell["cell_type"] = cell_type
                if cell.get("cell_type") == "code":
                    cell["execution_count"] = None
                    cell["outputs"] = []
                else:
                    cell.pop("outputs", None)
                    cell.pop("execution_count", None)
                done = "Replaced"
        else:
            raise claw.ToolError(f'edit_mode must be "replace", "insert" or "delete", not "{mode}"')
        text = json.dumps(nb, indent=1, ensure_ascii=False) + "\n"
        claw.atomic_write(path, file.encode(text))
        remember(ctx, path)
        return claw.ToolResult(
            content=f"{done} cell {target} in {path}",
            data={"notebook_path": str(path), "cell_id": target, "edit_mode": mode, "new_source": source},
        )

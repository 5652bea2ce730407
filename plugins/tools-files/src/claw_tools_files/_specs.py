"""What the model is told about Read, Write, Edit, MultiEdit, Glob, Grep and NotebookEdit, apart from
their implementations: the plugin registers a ``claw.ToolRef`` with each spec, so a run imports the file
walker, the search engine and the text-file helpers only when one of the tools is first called.
Imports only ``claw``."""

from __future__ import annotations

import claw

from claw_tools_files._file_types import FILE_TYPES

#: Lines returned when no ``limit`` is given.
DEFAULT_LIMIT = 2000
#: Characters kept of one line.
MAX_LINE_CHARS = 2000
#: Text files larger than this need ``offset``/``limit`` (or ``allow_large``).
MAX_TEXT_BYTES = 256 * 1024
#: Paths returned at most.
MAX_RESULTS = 100
_PATH = {
    "type": "string",
    "description": "Absolute path of the file (relative paths resolve against the workspace).",
}

READ = claw.ToolSpec(
    name="Read",
    description=(
        "Read a file. Text comes back with line numbers (cat -n style; the prefix is not part of the "
        f"file), {DEFAULT_LIMIT} lines from offset by default, lines over {MAX_LINE_CHARS} characters "
        "cut. Images (png, jpg, gif, webp) come back as images, PDFs as text per page (pages: "
        '"1-5"), Jupyter notebooks as cells with their outputs. Use Glob or Bash ls for directories.'
    ),
    input_schema={
        "type": "object",
        "properties": {
            "file_path": {
                "type": "string",
                "description": "Absolute path of the file (relative paths resolve against the workspace).",
            },
            "offset": {"type": "integer", "minimum": 0, "description": "First line to read (1-based)."},
            "limit": {"type": "integer", "minimum": 1, "description": "Number of lines to read."},
            "pages": {"type": "string", "description": 'PDF pages to read, e.g. "1-5" or "3,7-9".'},
            "allow_large": {
                "type": "boolean",
                "description": f"Read a text file over {MAX_TEXT_BYTES // 1024} KB without offset/limit.",
            },
        },
        "required": ["file_path"],
        "additionalProperties": False,
    },
    read_only=True,
    aliases=("read_file",),
)


WRITE = claw.ToolSpec(
    name="Write",
    description=(
        "Create a file or replace its whole content. An existing file must have been Read in this "
        "session first and be unchanged since. Prefer Edit for changes to part of a file. The file "
        "keeps its encoding and line endings; parent directories are created."
    ),
    input_schema={
        "type": "object",
        "properties": {
            "file_path": _PATH,
            "content": {"type": "string", "description": "The complete new content of the file."},
        },
        "required": ["file_path", "content"],
        "additionalProperties": False,
    },
    aliases=("write_file",),
)


EDIT = claw.ToolSpec(
    name="Edit",
    description=(
        "Replace an exact string in a file the session has Read. old_string must occur exactly once "
        "(give enough surrounding context) unless replace_all is true; it must match the file byte for "
        "byte, without Read's line-number prefixes. An empty old_string creates a new file."
    ),
    input_schema={
        "type": "object",
        "properties": {
            "file_path": _PATH,
            "old_string": {"type": "string", "description": "The exact text to replace."},
            "new_string": {
                "type": "string",
                "description": "The replacement (must differ from old_string).",
            },
            "replace_all": {
                "type": "boolean",
                "default": False,
                "description": "Replace every occurrence instead of requiring exactly one.",
            },
        },
        "required": ["file_path", "old_string", "new_string"],
        "additionalProperties": False,
    },
    aliases=("edit_file",),
)


MULTI_EDIT = claw.ToolSpec(
    name="MultiEdit",
    description=(
        "Apply several Edit-style replacements to one file, in order, each seeing the result of the "
        "previous. All succeed or none is applied. Same matching rules as Edit."
    ),
    input_schema={
        "type": "object",
        "properties": {
            "file_path": _PATH,
            "edits": {
                "type": "array",
                "minItems": 1,
                "items": {
                    "type": "object",
                    "properties": {
                        "old_string": {"type": "string"},
                        "new_string": {"type": "string"},
                        "replace_all": {"type": "boolean", "default": False},
                    },
                    "required": ["old_string", "new_string"],
                    "additionalProperties": False,
                },
            },
        },
        "required": ["file_path", "edits"],
        "additionalProperties": False,
    },
)


GLOB = claw.ToolSpec(
    name="Glob",
    description=(
        'Find files by name pattern ("**/*.py", "src/**/*.{ts,tsx}", "*.md"): "*" and "?" stay within a '
        'directory, "**" crosses directories. Returns paths newest first, at most '
        f"{MAX_RESULTS}. Files ignored by .gitignore and .git directories are skipped."
    ),
    input_schema={
        "type": "object",
        "properties": {
            "pattern": {"type": "string", "description": "The glob to match file paths against."},
            "path": {
                "type": "string",
                "description": "Directory to search in (default: the workspace).",
            },
        },
        "required": ["pattern"],
        "additionalProperties": False,
    },
    read_only=True,
    aliases=("glob_search",),
)


GREP = claw.ToolSpec(
    name="Grep",
    description=(
        "Search file contents with a regular expression (ripgrep syntax; uses rg when installed). "
        'output_mode "files_with_matches" (default; newest first), "content" (matching lines, with '
        '-n line numbers, -A/-B/-C context) or "count". Filter with glob ("*.py", "src/**/*.ts") or '
        'type ("py", "js", "rust"); -i ignores case; multiline lets a match span lines; head_limit '
        "keeps the first N results. Honours .gitignore."
    ),
    input_schema={
        "type": "object",
        "properties": {
            "pattern": {"type": "string", "description": "The regular expression to search for."},
            "path": {
                "type": "string",
                "description": "File or directory to search (default: the workspace).",
            },
            "glob": {
                "type": "string",
                "description": 'Only files matching this glob, e.g. "*.{ts,tsx}".',
            },
            "type": {
                "type": "string",
                "description": "Only files of this type.",
                "enum": sorted(FILE_TYPES),
            },
            "output_mode": {
                "type": "string",
                "enum": ["content", "files_with_matches", "count"],
                "description": "What to return (default files_with_matches).",
            },
            "-i": {"type": "boolean", "description": "Case-insensitive search."},
            "-n": {"type": "boolean", "description": "Line numbers in content mode (default true)."},
            "-A": {
                "type": "number",
                "minimum": 0,
                "description": "Lines of context after each match (content mode).",
            },
            "-B": {
                "type": "number",
                "minimum": 0,
                "description": "Lines of context before each match (content mode).",
            },
            "-C": {
                "type": "number",
                "minimum": 0,
                "description": "Lines of context around each match (content mode).",
            },
            "head_limit": {
                "type": "number",
                "minimum": 0,
                "description": "Return only the first N lines, files or counts.",
            },
            "multiline": {"type": "boolean", "description": "Let . and patterns match across lines."},
        },
        "required": ["pattern"],
        "additionalProperties": False,
    },
    read_only=True,
    aliases=("grep_search",),
)


NOTEBOOK_EDIT = claw.ToolSpec(
    name="NotebookEdit",
    description=(
        "Change one cell of a Jupyter notebook (.ipynb) the session has Read: replace its source, "
        "insert a new cell after it (or at the top without cell_id), or delete it. Cells are named by "
        "the ids Read shows. Outputs of a replaced code cell are cleared."
    ),
    input_schema={
        "type": "object",
        "properties": {
            "notebook_path": {"type": "string", "description": "Absolute path of the .ipynb file."},
            "cell_id": {
                "type": "string",
                "description": "The cell to change; for insert, the new cell goes after it.",
            },
            "new_source": {"type": "string", "description": "The new source of the cell."},
            "cell_type": {
                "type": "string",
                "enum": ["code", "markdown"],
                "description": "Required for insert.",
            },
            "edit_mode": {
                "type": "string",
                "enum": ["replace", "insert", "delete"],
                "default": "replace",
            },
        },
        "required": ["notebook_path", "new_source"],
        "additionalProperties": False,
    },
)

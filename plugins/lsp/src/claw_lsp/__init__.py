"""claw LSP plugin: the ``LSP`` tool and diagnostics after edits, backed by real language servers."""

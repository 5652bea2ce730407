"""A history every provider accepts, from a session file that lost lines.

A line of a session file can be unreadable (a disk error, an edit by hand, a crash in the middle of a
write that a later append went past). Skipping it is not enough: if it held an assistant message with
tool calls, the next line's tool results answer nothing; if it held the results, the calls go
unanswered. Either way the provider rejects the next request, and the session could never be resumed
against the real API. :func:`valid_history` restores the invariants the APIs check, changing nothing in a
history that already holds them:

- a tool result answers a tool call of the assistant message just before it (otherwise it is dropped);
- every tool call of an assistant message is answered by the next message (missing answers say the
  result was lost; the last message's calls are left to :func:`interrupted_results`,
  which answers them as interrupted);
- roles alternate (two messages of one role in a row are merged, as the APIs themselves read them) and
  the history starts with the user.
"""

from __future__ import annotations

from collections import Counter

from claw import ContentBlock, Message, TextBlock, ToolResultBlock

LOST = "lost: this tool call's result could not be read back from the session file"
#: What answers a call of a run killed mid-turn (resuming it appends the answers).
INTERRUPTED = (
    "interrupted: the run stopped before this tool call finished; it may or may not have taken effect"
)
#: What stands for a first user message that could not be read back.
LOST_START = "(the start of this conversation could not be read back from the session file)"


def valid_history(messages: list[Message]) -> tuple[list[Message], list[str]]:
    """``messages`` repaired as the module says, and one phrase per kind of repair made (empty when the
    history was valid as it was)."""
    out: list[Message] = []
    notes: Counter[str] = Counter()
    for message in messages:
        if message.role == "user":
            _add_user(out, message, notes)
        else:
            _add_assistant(out, message, notes)
    return out, [f"{what} ({n})" for what, n in notes.items()]


def interrupted_results(messages: list[Message]) -> Message | None:
    """A user message answering the last assistant message's unanswered tool calls, or ``None``."""
    uses = messages[-1].tool_uses if messages and messages[-1].role == "assistant" else []
    return Message(role="user", content=_answers([u.id for u in uses], INTERRUPTED)) if uses else None


def _add_user(out: list[Message], message: Message, notes: Counter[str]) -> None:
    calls = [u.id for u in out[-1].tool_uses] if out and out[-1].role == "assistant" else []
    results: list[ContentBlock] = []
    answered: set[str] = set()
    rest: list[ContentBlock] = []
    for block in message.content:
        if not isinstance(block, ToolResultBlock):
            rest.append(block)
        elif block.tool_use_id in calls and block.tool_use_id not in answered:
            answered.add(block.tool_use_id)
            results.append(block)
        else:
            notes["dropped tool results whose call was lost"] += 1
    lost = [i for i in calls if i not in answered]
    if lost:
        notes["answered tool calls whose results were lost"] += len(lost)
    content = [*results, *_answers(lost, LOST), *rest]
    if not content:
        return
    if out and out[-1].role == "user":  # merged silently: the APIs read such turns as one anyway
        previous = out.pop()
        content = [*previous.content, *content]
    # A message kept as it was is not built again (the same blocks compare by identity: cheap), which
    # saves about a third of the time a long session takes to load.
    out.append(message if content == message.content else Message(role="user", content=content))


def _add_assistant(out: list[Message], message: Message, notes: Counter[str]) -> None:
    if not out:
        notes["stood in for a first prompt that was lost"] += 1
        out.append(Message(role="user", content=[TextBlock(text=LOST_START)]))
    elif out[-1].role == "assistant":
        previous = out[-1]
        if previous.tool_uses:  # the results between the two were lost
            notes["answered tool calls whose results were lost"] += len(previous.tool_uses)
            out.append(Message(role="user", content=_answers([u.id for u in previous.tool_uses], LOST)))
        else:  # merged silently, as for two user messages
            out.pop()
            message = Message(role="assistant", content=[*previous.content, *message.content])
    out.append(message)


def _answers(ids: list[str], text: str) -> list[ContentBlock]:
    return [ToolResultBlock(tool_use_id=i, content=text, is_error=True) for i in ids]

"""Test plugins that stand in for claw's front ends (claw-repl, claw-tui) where a test needs an
interactive session without a terminal."""

#: A third-party front end without a trust dialog of its own: one interactive turn of the initial prompt
#: (trust is settled as its loop is made, after the command line's options were adjusted).
ONE_TURN = """
import asyncio
import claw


@claw.hookimpl
def claw_interactive(context, options, initial):
    async def one_turn():
        options.interactive = True
        loop = context.agent_loop(options, context.renderer())
        await loop.start()
        try:
            await loop.run_prompt(initial)
        finally:
            await loop.close("prompt_input_exit")
        return 0

    return asyncio.run(one_turn())
"""

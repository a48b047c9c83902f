"""Close the loop: last round's 问题清单 followed into this year's reports (issue 11).

`extract_problems(text)` reads a feedback letter's problems; `follow(problems, reports)` finds
the passages answering each and judges its status; `rectify_files(feedback, reports)` does both
from files; `ledger` is the rectification ledger's state machine; `history` finds problems that
come back year after year; `sheet` gives the rows of a 上轮问题整改 sheet and the paragraphs of a
new feedback draft. Imports are lazy so that the CLI starts fast.
"""


def extract_problems(text: str) -> list[dict]:
    from dudao.rectify.feedback import extract_problems as f
    return f(text)


def follow(problems: list[dict], reports: list[tuple]) -> list[dict]:
    from dudao.rectify.status import follow as f
    return f(problems, reports)


def rectify_files(feedback, reports) -> dict:
    from dudao.rectify.files import rectify_files as f
    return f(feedback, reports)


__all__ = ["extract_problems", "follow", "rectify_files"]

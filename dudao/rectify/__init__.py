"""Close the loop: last round's 问题清单 followed into this year's reports (issue 11).

`extract_problems(text)` reads a feedback letter's problems; `follow(problems, reports)` finds
the passages answering each and judges its status; `ledger` is the rectification ledger's state
machine; `history` finds problems that come back year after year; `sheet` gives the rows of a
上轮问题整改 sheet and the paragraphs of a new feedback draft.
"""
from dudao.rectify.feedback import extract_problems
from dudao.rectify.status import follow

__all__ = ["extract_problems", "follow"]

"""Imported by the workers' forkserver (dudao/workers.py, `set_forkserver_preload`): importing it
loads and warms the analysis stack in the server once, so every worker forked from it starts warm.

The server also ignores SIGTERM (multiprocessing makes it ignore SIGINT): it ends by
itself once the dudao process and its workers are gone, and a SIGTERM to the process group
(`systemctl stop`) must reach the workers without taking their server, which reports each
worker's exit status to the parent, down first. Workers restore the default (dudao/workers.py).

Nothing else imports this module: importing it runs a whole sample analysis.
"""
import signal

from dudao.warm import warm

signal.signal(signal.SIGTERM, signal.SIG_IGN)
signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM})   # blocked while starting (workers._ensure_server)
warm()

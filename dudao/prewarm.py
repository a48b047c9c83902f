"""Imported by the workers' forkserver (dudao/workers.py, `set_forkserver_preload`): importing it
loads and warms the analysis stack in the server once, so every worker forked from it starts warm.

The server keeps SIGTERM blocked (multiprocessing makes it ignore SIGINT): it ends by itself once
the dudao process and its workers are gone, and a SIGTERM to the process group (`systemctl stop`)
must not take down the server, which reports each worker's exit status to the parent. Blocked,
not ignored: a fork inherits the mask, so a SIGTERM that reaches a new worker before it unblocks
(dudao/workers.py `_boot`) waits and then ends it, as Pool.terminate expects.

Nothing else imports this module: importing it runs a whole sample analysis.
"""
import signal

from dudao.warm import warm

signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})   # already so when workers._ensure_server started it
warm()

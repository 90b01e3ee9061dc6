"""A local OpenAI-compatible API server over the studio's engines (``sozo serve``).

Qt-free on purpose: ``sozo serve`` runs without a window, and the window's toggle
(:mod:`studio.qt_server`) starts the same server with a queue that hands each request's
job to the window's :class:`~studio.jobs.JobRunner`, so they show in the Jobs dock.

* :mod:`studio.server.errors`: the OpenAI error shape and its HTTP statuses;
* :mod:`studio.server.queue`: where request jobs run (one at a time, like the window);
* :mod:`studio.server.endpoints`: one function per endpoint, and the routing table;
* :mod:`studio.server.http`: the HTTP side (standard library ``ThreadingHTTPServer``).
"""

from studio.server.http import ApiServer, ServerConfig, is_loopback
from studio.server.queue import JobQueue, SerialJobQueue

__all__ = ["ApiServer", "JobQueue", "SerialJobQueue", "ServerConfig", "is_loopback"]

"""The Celery app: one task, ``claw.run_task(task_id)``, which runs a recorded :class:`claw.TaskSpec`.

Clients send it by name (``send_task``), so they never import this module's task; workers build the app
with :func:`make_app` and serve it (``claw celery worker``). The Celery task id is claw's task id, so
``revoke`` reaches it. Acknowledged when it starts (not late): a task whose worker dies mid-run is not run twice;
its heartbeat stops and any client marks it failed (:meth:`RedisStore.reap`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from claw_agents_celery.config import CelerySettings

if TYPE_CHECKING:
    from celery import Celery

TASK_NAME = "claw.run_task"
#: Seconds after which Redis hands a reserved, unacknowledged message to another worker.
VISIBILITY_TIMEOUT = 60


def make_app(settings: CelerySettings) -> Celery:
    from celery import Celery

    app = Celery("claw", broker=settings.broker_url, backend=settings.results_url, set_as_current=False)
    app.conf.update(
        task_default_queue=settings.queue,
        task_serializer="json",
        result_serializer="json",
        accept_content=["json"],
        result_expires=7 * 24 * 3600,
        worker_prefetch_multiplier=1,
        broker_connection_retry_on_startup=True,
        broker_connection_max_retries=None,
        worker_hijack_root_logger=False,
        worker_redirect_stdouts=False,
        # a message a dead worker had reserved but not started is handed out again after this; a task is
        # claimed in its record before it runs (runner.run), so a second delivery never runs it twice
        broker_transport_options={"socket_connect_timeout": 2, "visibility_timeout": VISIBILITY_TIMEOUT},
        result_backend_transport_options={"socket_connect_timeout": 2},
    )
    store_holder: dict[str, Any] = {}

    @app.task(name=TASK_NAME, bind=True)
    def run_task(self: Any, task_id: str) -> dict[str, Any]:  # pyright: ignore[reportUnusedFunction]
        from claw_agents_celery.runner import run
        from claw_agents_celery.store import RedisStore

        store = store_holder.get("store")
        if store is None:  # one connection pool per worker process (created after the fork)
            store = store_holder["store"] = RedisStore(settings)
        return run(store, task_id, self.request.hostname or "?").model_dump(mode="json")

    return app

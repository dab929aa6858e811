"""What a Temporal namespace must hold before cycles run on it: the custom search attributes.

The cycle upserts ``NianbaoStage``, ``NianbaoAgency``, ``NianbaoYear`` and ``NianbaoOverdue`` from its
first task; on a namespace without them every cycle stalls on a failing workflow task. ``nianbao setup``
registers them through the operator service (any cluster; on Temporal Cloud through ``tcld`` or the web
console, since cloud API keys may not call it), and the worker refuses to start without them.
"""

from __future__ import annotations

import asyncio

from temporalio.api.enums.v1 import IndexedValueType, TaskQueueType
from temporalio.api.operatorservice.v1 import AddSearchAttributesRequest, ListSearchAttributesRequest
from temporalio.api.taskqueue.v1 import TaskQueue
from temporalio.api.workflowservice.v1 import DescribeTaskQueueRequest
from temporalio.client import Client

from contracts import SEARCH_ATTRIBUTE_TYPES

_INDEXED_TYPES: dict[str, IndexedValueType.ValueType] = {
    "Keyword": IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
    "Int": IndexedValueType.INDEXED_VALUE_TYPE_INT,
    "Bool": IndexedValueType.INDEXED_VALUE_TYPE_BOOL,
    "Text": IndexedValueType.INDEXED_VALUE_TYPE_TEXT,
    "Double": IndexedValueType.INDEXED_VALUE_TYPE_DOUBLE,
    "Datetime": IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
    "KeywordList": IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST,
}


class NamespaceNotReadyError(Exception):
    """The namespace lacks what the cycle needs; the message is Chinese, then English, and says what to do."""


async def registered_attributes(client: Client) -> dict[str, IndexedValueType.ValueType]:
    """The namespace's custom search attributes and their types."""
    response = await client.operator_service.list_search_attributes(
        ListSearchAttributesRequest(namespace=client.namespace)
    )
    return dict(response.custom_attributes)


async def attribute_problems(client: Client) -> list[str]:
    """Each of our search attributes that is missing or has another type, as ``Name=Type``."""
    present = await registered_attributes(client)
    return [
        f"{name}={kind}"
        for name, kind in SEARCH_ATTRIBUTE_TYPES.items()
        if present.get(name) != _INDEXED_TYPES[kind]
    ]


def missing_attributes_error(client: Client, problems: list[str]) -> NamespaceNotReadyError:
    listed = ", ".join(problems)
    return NamespaceNotReadyError(
        f"Temporal 命名空间 {client.namespace} 缺少年报流程所需的搜索属性（{listed}），"
        "请先运行 nianbao setup。\n"
        f"Temporal namespace {client.namespace!r} lacks the search attributes the report cycle needs "
        f"({listed}); run `nianbao setup` first."
    )


async def require_attributes(client: Client) -> None:
    """Raise :class:`NamespaceNotReadyError` unless every search attribute is registered with its type."""
    problems = await attribute_problems(client)
    if problems:
        raise missing_attributes_error(client, problems)


async def register_attributes(client: Client, *, wait_seconds: float = 30.0) -> list[str]:
    """Add the missing search attributes (idempotent); returns the names added.

    An attribute registered with another type cannot be changed in place: that is refused, not repaired.
    """
    present = await registered_attributes(client)
    clashing = [
        f"{name}={kind}"
        for name, kind in SEARCH_ATTRIBUTE_TYPES.items()
        if name in present and present[name] != _INDEXED_TYPES[kind]
    ]
    if clashing:
        raise NamespaceNotReadyError(
            f"命名空间 {client.namespace} 中已有同名但类型不同的搜索属性，需要人工处理：{', '.join(clashing)}\n"
            f"Namespace {client.namespace!r} holds these names with another type: {', '.join(clashing)}"
        )
    missing = {
        name: _INDEXED_TYPES[kind] for name, kind in SEARCH_ATTRIBUTE_TYPES.items() if name not in present
    }
    if missing:
        await client.operator_service.add_search_attributes(
            AddSearchAttributesRequest(search_attributes=missing, namespace=client.namespace)
        )
    # Registration reaches every frontend a moment later: wait until the namespace lists them.
    loop = asyncio.get_running_loop()
    deadline = loop.time() + wait_seconds
    while problems := await attribute_problems(client):
        if loop.time() > deadline:
            raise missing_attributes_error(client, problems)
        await asyncio.sleep(0.5)
    return sorted(missing)


async def workflow_pollers(client: Client, task_queue: str) -> int:
    """How many workers poll ``task_queue`` for workflow tasks right now (0: no worker is running)."""
    response = await client.workflow_service.describe_task_queue(
        DescribeTaskQueueRequest(
            namespace=client.namespace,
            task_queue=TaskQueue(name=task_queue),
            task_queue_type=TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
        )
    )
    return len(response.pollers)

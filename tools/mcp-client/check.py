"""`drun mcp` driven by the official MCP Python SDK (pinned in
requirements.txt), against the conformance suite's Prism servers.

Usage: check.py DRUN PLAN.json

PLAN.json lists modules, each with its Prism URL and the sample calls of
its operations (`cargo xtask test` writes it). For each module this starts
`drun mcp --module M` over stdio, lists the tools, searches, describes and
calls every GET operation (Prism must accept each: it answers 422 when a
request breaks the document); then checks that a POST is refused by the
read-only server with a message that says how to allow it, and accepted by
one started with --allow-writes. The access key must appear in no tool
result and not in the server's log. Exits non-zero on any failure.
"""

import asyncio
import json
import sys
import tempfile

from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client

KEY = "mcp-check-key-5f3a9c"
TOOLS = {"list_modules", "search_operations", "describe_operation", "call_operation"}


def text_of(result):
    return "".join(getattr(block, "text", "") for block in result.content)


async def session_for(drun, module, url, allow_writes, log):
    args = ["mcp", "--module", module] + (["--allow-writes"] if allow_writes else [])
    env = {"DRUN_BASE_URL": url, "DRUN_ACCESS_KEY": KEY, "DRUN_CONFIG": "/nonexistent/drun/config.toml"}
    return stdio_client(StdioServerParameters(command=drun, args=args, env=env), errlog=log)


def check_annotations(module, tools, allow_writes, failures):
    """The hints a client shows: only call_operation reaches the API, and
    it can change data only on a server that allows writes."""
    for tool in tools:
        hints = tool.annotations
        if hints is None:
            failures.append(f"{module}: {tool.name} has no annotations")
            continue
        calls = tool.name == "call_operation"
        wanted = (not (calls and allow_writes), allow_writes if calls else None)
        if (hints.read_only_hint, hints.destructive_hint) != wanted:
            failures.append(
                f"{module}: {tool.name} (writes {allow_writes}): readOnlyHint {hints.read_only_hint}, "
                f"destructiveHint {hints.destructive_hint}; wanted {wanted}"
            )


CAP = 1024  # the smallest cap a call may ask for


def has_list(answer):
    return isinstance(answer, dict) and any(isinstance(v, list) and v for v in answer.values())


async def check_cap(session, module, call, failures):
    """A result longer than the call's `max_bytes` comes back cut at item
    boundaries into valid JSON, within the cap, saying how many items were
    left out."""
    arguments = dict(call["mcp"], max_bytes=CAP)
    result = await session.call_tool("call_operation", arguments)
    text = text_of(result)
    try:
        cut = json.loads(text)
    except json.JSONDecodeError as e:
        failures.append(f"{module} {call['operation']}: a capped result is not JSON ({e}): {text[:200]}")
        return False
    note = cut.get("truncated") if isinstance(cut, dict) else None
    if result.is_error or len(text.encode()) > CAP or not note or note.get("items_left_out", 0) < 1:
        failures.append(f"{module} {call['operation']}: capped at {CAP} bytes: {len(text)} bytes, note {note}")
        return False
    return True


async def check_module(drun, plan, failures, log, capped):
    module, url, calls = plan["module"], plan["url"], plan["calls"]
    gets = [c for c in calls if c["method"] == "GET"]
    writes = [c for c in calls if c["method"] == "POST"]
    accepted = 0
    async with await session_for(drun, module, url, False, log) as (read, write):
        async with ClientSession(read, write) as session:
            await session.initialize()
            tools = await session.list_tools()
            names = {t.name for t in tools.tools}
            if names != TOOLS:
                failures.append(f"{module}: tools are {sorted(names)}")
            size = len(json.dumps([t.model_dump(mode="json", exclude_none=True) for t in tools.tools]))
            print(f"mcp: {module}: {len(names)} tools, {size} bytes of tool list")
            check_annotations(module, tools.tools, False, failures)
            found = await session.call_tool("search_operations", {"query": f"list {module}", "module": module})
            if found.is_error or not json.loads(text_of(found)):
                failures.append(f"{module}: search found nothing: {text_of(found)}")
            for call in gets:
                described = await session.call_tool("describe_operation", {"operation": call["mcp"]["operation"]})
                if described.is_error:
                    failures.append(f"{module} {call['operation']}: describe: {text_of(described)}")
                    continue
                result = await session.call_tool("call_operation", call["mcp"])
                body = text_of(result)
                if KEY in body:
                    failures.append(f"{module} {call['operation']}: the key is in the result")
                if result.is_error:
                    failures.append(f"{module} {call['operation']}: {body}")
                    continue
                answer = json.loads(body)
                accepted += 1
                if capped.get(module) is None and len(body) > 1100 and has_list(answer):
                    capped[module] = await check_cap(session, module, call, failures)
            if writes:
                refused = await session.call_tool("call_operation", writes[0]["mcp"])
                if not refused.is_error or "--allow-writes" not in text_of(refused):
                    failures.append(f"{module}: a POST was not refused as read-only: {text_of(refused)}")
    if writes:
        async with await session_for(drun, module, url, True, log) as (read, write):
            async with ClientSession(read, write) as session:
                await session.initialize()
                check_annotations(module, (await session.list_tools()).tools, True, failures)
                allowed = await session.call_tool("call_operation", writes[0]["mcp"])
                if allowed.is_error:
                    failures.append(f"{module} {writes[0]['operation']} with --allow-writes: {text_of(allowed)}")
                else:
                    print(f"mcp: {module}: {writes[0]['operation']} (POST) refused read-only, accepted with --allow-writes")
    print(f"mcp: {module}: {accepted} of {len(gets)} GET operations accepted by Prism through call_operation")
    return accepted, len(gets)


async def main():
    drun, plan_path = sys.argv[1], sys.argv[2]
    with open(plan_path) as f:
        plans = json.load(f)
    failures = []
    capped = {}
    accepted = total = 0
    with tempfile.TemporaryFile(mode="w+") as log:
        for plan in plans:
            a, t = await check_module(drun, plan, failures, log, capped)
            accepted, total = accepted + a, total + t
        log.seek(0)
        logged = log.read()
    if KEY in logged:
        failures.append("the access key is in the server's log")
    if "drun mcp: called" not in logged:
        failures.append("the server logged no call")
    cut = sum(1 for ok in capped.values() if ok)
    print(f"mcp: {cut} results longer than a {CAP}-byte max_bytes cut into valid JSON, one per module that has one")
    if cut == 0:
        failures.append("no result was long enough to check the cap")
    for failure in failures:
        print(f"FAIL {failure}")
    print(f"mcp: {accepted} of {total} GET operations conform through drun mcp")
    sys.exit(1 if failures or accepted < total else 0)


asyncio.run(main())

"""Webhook delivery: while a bot has a webhook, its updates are POSTed there one by one, in order.

An update leaves the queue only when the bot's server answers 2xx, as Telegram does; if the answer
carries a method call (``{"method": "sendMessage", …}``) it is executed like a normal API call.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

import aiohttp

from botapi.methods import METHODS
from botapi.params import ApiError, Params
from botapi.state import Bot, ServerState

IDLE_SECONDS = 0.05
RETRY_SECONDS = 0.5
log = logging.getLogger(__name__)


async def deliver_forever(state: ServerState) -> None:
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60)) as session:
        while True:
            busy = [bot for bot in state.bots.values() if bot.webhook_url and bot.updates]
            if not busy:
                await asyncio.sleep(IDLE_SECONDS)
                continue
            await asyncio.gather(*(_deliver_one(state, session, bot) for bot in busy))


async def _deliver_one(state: ServerState, session: aiohttp.ClientSession, bot: Bot) -> None:
    update = bot.updates[0]
    headers = {"X-Telegram-Bot-Api-Secret-Token": bot.webhook_secret} if bot.webhook_secret else {}
    try:
        async with session.post(bot.webhook_url, json=update, headers=headers) as response:
            if response.status >= 300:
                raise aiohttp.ClientResponseError(response.request_info, (), status=response.status)
            reply = await response.read()
            call = await response.json(content_type=None) if reply.strip() else None
    except (aiohttp.ClientError, TimeoutError) as error:
        log.warning("webhook delivery of update %s failed: %s", update["update_id"], error)
        await asyncio.sleep(RETRY_SECONDS)
        return
    with contextlib.suppress(ValueError):
        bot.updates.remove(update)
    if isinstance(call, dict) and call.get("method") in METHODS:
        try:
            await METHODS[call["method"]](state, bot, Params(values=call))
        except ApiError as error:
            log.warning("method in webhook reply failed: %s", error.description)

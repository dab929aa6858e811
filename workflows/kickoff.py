"""The annual kickoff: one report cycle per active agency, for the year just ended."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from temporalio import workflow
from temporalio.common import RetryPolicy, SearchAttributeKey

with workflow.unsafe.imports_passed_through():
    from activities.directory import DirectoryActivities
    from activities.kickoff import KickoffActivities
    from contracts.activities import AgencyBatchRequest, StartCyclesRequest
    from contracts.cycle import KickoffInput, KickoffResult

# zoneinfo misbehaves inside the workflow sandbox; China has kept +08:00 all year since 1991.
CHINA_TIME = timezone(timedelta(hours=8))
SCHEDULED_START = SearchAttributeKey.for_datetime("TemporalScheduledStartTime")
# Batches per run before continuing as new: each batch is a handful of events, so a run stays small
# however many agencies there are (20,000 agencies at 200 a batch is 5 runs).
BATCHES_PER_RUN = 20
ACTIVITY_TIMEOUT = timedelta(minutes=5)
ACTIVITY_RETRY = RetryPolicy(maximum_interval=timedelta(seconds=10))


@workflow.defn(name="Kickoff")
class KickoffWorkflow:
    """Starts ``report-{agency}-{year}`` for every active agency (or the listed ones), idempotently.

    No signals, updates or queries: it runs, reports how many cycles it started, and ends. Run by the
    Schedule every 1 January (the year is derived from the scheduled start time) or by ``nianbao kickoff``.
    """

    @workflow.run
    async def run(self, request: KickoffInput) -> KickoffResult:
        moment = self._started_at().astimezone(CHINA_TIME)
        year = request.year if request.year is not None else moment.year - 1
        start_date = request.start_date or moment.date().isoformat()
        after, started, existing = request.after_code, request.started, request.already_running
        for _ in range(BATCHES_PER_RUN):
            codes = await workflow.execute_activity_method(
                DirectoryActivities.agency_batch,
                AgencyBatchRequest(request.agency_codes, after, request.batch_size),
                start_to_close_timeout=ACTIVITY_TIMEOUT,
                retry_policy=ACTIVITY_RETRY,
            )
            if not codes:
                return KickoffResult(year, started, existing)
            result = await workflow.execute_activity_method(
                KickoffActivities.start_cycles,
                StartCyclesRequest(codes, year, start_date),
                start_to_close_timeout=ACTIVITY_TIMEOUT,
                retry_policy=ACTIVITY_RETRY,
            )
            started, existing, after = started + result.started, existing + result.already_running, codes[-1]
        # continue_as_new never returns: the next run carries on after the last code of this one.
        return workflow.continue_as_new(
            KickoffInput(
                year=year,
                agency_codes=request.agency_codes,
                start_date=start_date,
                after_code=after,
                started=started,
                already_running=existing,
                batch_size=request.batch_size,
            )
        )

    @staticmethod
    def _started_at() -> datetime:
        scheduled = workflow.info().typed_search_attributes.get(SCHEDULED_START)
        return scheduled or workflow.info().start_time

"""The cycle's background watches: reminders on the plan, the stuck-stage alert, the government roll-up."""

from __future__ import annotations

from datetime import timedelta

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from activities.drafts import DraftActivities
    from contracts.activities import PlannedReminder, RollUpRequest
    from contracts.vocabulary import NoticeKind, ReminderKind, Role, Stage
    from workflows.cycle_steps import CycleSteps


class CycleWatch(CycleSteps):
    """Tasks the conductor starts beside itself and cancels when the cycle ends."""

    async def _remind_on_plan(self) -> None:
        assert self._state.plan is not None
        for index, reminder in enumerate(self._state.plan.reminders):
            if index < self._state.reminders_sent:
                continue
            fire_at = self._state.started_at + timedelta(seconds=reminder.offset_seconds)
            delay = (fire_at - workflow.now()).total_seconds()
            if delay > 0:
                await workflow.sleep(delay)
            self._state.reminders_sent = index + 1
            if self._state.stage is Stage.PUBLISHED:
                continue
            await self._send_reminder(reminder)

    async def _send_reminder(self, reminder: PlannedReminder) -> None:
        if reminder.kind in (ReminderKind.OVERDUE, ReminderKind.ESCALATE) and not self._state.overdue(
            workflow.now()
        ):
            return
        if reminder.kind is ReminderKind.ESCALATE:
            await self._set_overdue()
            self._state.escalated.add(f"overdue-{reminder.date}")
            await self._notify_roles(
                NoticeKind.ESCALATION, (Role.COORDINATOR,), f"escalate-{reminder.date}", {"reason": "已逾期"}
            )
            return
        if reminder.kind is ReminderKind.OVERDUE:
            await self._set_overdue()
        details = {
            "date": reminder.date,
            "days_before": str(reminder.days_before),
            "reminder": reminder.kind.value,
        }
        await self._notify_roles(
            NoticeKind.REMINDER, self._state.holders(), f"remind-{reminder.date}-{reminder.kind}", details
        )

    async def _watch_stuck(self) -> None:
        """Alert when a stage lasts too long: one timer to the current stage's limit, never cancelled.

        A stage move does not restart it; when it fires after a move, it sleeps on to the new limit.
        """
        assert self._state.plan is not None
        limit = timedelta(seconds=self._state.plan.stuck_after_days * self._state.plan.day_seconds)
        while True:
            seq = self._state.stage_seq
            due = (self._state.stage_since + limit - workflow.now()).total_seconds()
            if due > 0:
                await workflow.sleep(due)
                continue
            await self._alert_stuck(seq)
            await workflow.wait_condition(lambda seq=seq: self._state.stage_seq != seq)

    async def _watch_stuck_restarting(self) -> None:
        """Cycles started before DRAFT_IN_STORAGE: a timer per stage, restarted at every move."""
        assert self._state.plan is not None
        limit = self._state.plan.stuck_after_days * self._state.plan.day_seconds
        while True:
            seq = self._state.stage_seq
            try:
                await workflow.wait_condition(lambda seq=seq: self._state.stage_seq != seq, timeout=limit)
                continue
            except TimeoutError:
                pass
            await self._alert_stuck(seq)
            await workflow.wait_condition(lambda seq=seq: self._state.stage_seq != seq)

    async def _alert_stuck(self, seq: int) -> None:
        assert self._state.plan is not None
        key = f"stuck-{self._state.revision}-{seq}"
        if (
            self._state.stage in (Stage.DRAFTING, Stage.ACKNOWLEDGING, Stage.APPROVING)
            and key not in self._state.escalated
        ):
            self._state.escalated.add(key)
            details = {
                "reason": f"在“{self._state.stage.label}”阶段停留超过{self._state.plan.stuck_after_days}天"
            }
            await self._notify_roles(NoticeKind.REMINDER, self._state.holders(), f"{key}-holders", details)
            await self._notify_roles(NoticeKind.ESCALATION, (Role.COORDINATOR,), key, details)

    async def _offer_roll_up(self) -> None:
        assert self._state.roster is not None
        assert self._state.plan is not None
        departments = self._state.roster.department_codes
        poll_every = self._state.plan.day_seconds * self._state.plan.stuck_after_days
        while True:
            known, seq = len(self._state.published_departments), self._state.stage_seq
            async with self._lock:
                apply = self._state.stage is Stage.DRAFTING and self._state.ready_by is None
                result = await self._act(
                    DraftActivities.roll_up, RollUpRequest(self._state.draft_key(), departments, apply)
                )
                self._state.published_departments.update(result.published)
                if result.applied is not None:
                    self._state.apply_cells(result.applied)
                    if result.progress is not None:
                        self._state.take_progress(result.progress)
                    self._state.rolled_up = True
            if self._state.rolled_up:
                await self._notify(
                    NoticeKind.ROLLUP, Role.OFFICER, "rollup", count=str(len(result.applied or ()))
                )
                return
            all_in = len(self._state.published_departments) >= len(departments)
            try:
                await workflow.wait_condition(
                    lambda known=known, seq=seq, all_in=all_in: (
                        len(self._state.published_departments) > known
                        or (all_in and self._state.stage_seq != seq)
                    ),
                    timeout=poll_every,
                )
            except TimeoutError:
                continue

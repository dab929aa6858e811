"""Names shared by the worker and every client: task queue, workflow ids, message names, search attributes."""

from __future__ import annotations

TASK_QUEUE = "nianbao"  # the default of Settings.task_queue
KICKOFF_SCHEDULE_ID = "nianbao-kickoff"

UPDATE_SET_CELLS = "set_cells"
UPDATE_SET_PROSE = "set_prose"
UPDATE_SUBMIT_DOCUMENT = "submit_document"
UPDATE_DECLARE_READY = "declare_ready"
UPDATE_ACKNOWLEDGE = "acknowledge"
UPDATE_DECIDE = "decide"
UPDATE_REQUEST_CORRECTION = "request_correction"
UPDATE_REMIND = "remind"
# The stored draft document, read by the cycle's activity: what approvers see is what gets published.
UPDATE_READ_DRAFT = "read_draft"
QUERY_STATUS = "status"
# The document of the last publication (after it) — answers even once the cycle has closed.
QUERY_DRAFT = "draft"
SIGNAL_DEPARTMENT_PUBLISHED = "department_published"

# Custom search attributes, registered on the namespace by `nianbao up` and the test fixtures.
SEARCH_ATTRIBUTE_STAGE = "NianbaoStage"  # Keyword: Stage value, e.g. "drafting"
SEARCH_ATTRIBUTE_AGENCY = "NianbaoAgency"  # Keyword: agency code
SEARCH_ATTRIBUTE_YEAR = "NianbaoYear"  # Int: report year
SEARCH_ATTRIBUTE_OVERDUE = "NianbaoOverdue"  # Bool
SEARCH_ATTRIBUTE_TYPES: dict[str, str] = {
    SEARCH_ATTRIBUTE_STAGE: "Keyword",
    SEARCH_ATTRIBUTE_AGENCY: "Keyword",
    SEARCH_ATTRIBUTE_YEAR: "Int",
    SEARCH_ATTRIBUTE_OVERDUE: "Bool",
}


def report_workflow_id(agency_code: str, year: int) -> str:
    """The business key of one agency's cycle: a repeated kickoff never starts a second one."""
    return f"report-{agency_code}-{year}"


def kickoff_workflow_id(year: int) -> str:
    """The id of a manual kickoff for one year (scheduled runs get the schedule's id plus a timestamp)."""
    return f"kickoff-{year}"

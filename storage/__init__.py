"""Persistence: sqlmodel tables, the engine factory, repository functions and alembic migrations.

Every repository function takes keyword arguments, ``session`` first, and runs inside the caller's
transaction: open one with ``engine.session_scope(engine)``, which commits or rolls back. Refusals raise
``storage.errors.StorageError`` subclasses with a Chinese message, and change nothing.

Modules:
    engine          make_engine(url) (SQLite WAL / PostgreSQL via psycopg 3), session_scope(engine)
    migrate         upgrade(url): alembic migrations (storage/migrations), run by every entry point
    tables          every table model
    kinds           the closed vocabularies: agency kind, role, channel, decision, outbox state
    utc             timezone-aware UTC timestamps on every database
    errors          StorageError and its subclasses
    agencies        CSV import (code,name,kind,parent), look-up, listing, a government's departments
    people          people, roles per agency, chat bindings, approval chain, role holders
    invites         single-use expiring invite codes (hash only) and their redemption
    drafts          report documents per agency/year/revision, stage, corrections; audited
    audit           the audit trail of every change
    reviews         findings, acknowledgements with reason, approval decisions (a retried request's
                    ``request_key`` finds its decision); audited
    publications    where and when each revision was published, once per target; audited
    outbox          de-duplicated messages to people: enqueue, claim, mark sent / failed
    cycle_status    the dashboard row per agency and year; counts per stage
"""

"""Initial schema: directory, drafts and their audit trail, reviews, publications, outbox, dashboard

Revision ID: 0001
Revises: (none)
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('agency',
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('parent_code', sa.String(length=64), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['parent_code'], ['agency.code'], name=op.f('fk_agency_parent_code_agency')),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_agency'))
    )
    op.create_index(op.f('ix_agency_parent_code'), 'agency', ['parent_code'], unique=False)

    op.create_table('person',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_person'))
    )
    op.create_index(op.f('ix_person_name'), 'person', ['name'], unique=False)

    op.create_table('acknowledgement',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agency_code', sa.String(length=64), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('rule_id', sa.String(length=120), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['agency_code'], ['agency.code'], name=op.f('fk_acknowledgement_agency_code_agency')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_acknowledgement_person_id_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_acknowledgement')),
    sa.UniqueConstraint('agency_code', 'year', 'revision', 'rule_id', name=op.f('uq_acknowledgement_agency_code_year_revision_rule_id'))
    )
    op.create_index(op.f('ix_acknowledgement_agency_code'), 'acknowledgement', ['agency_code'], unique=False)

    op.create_table('approval',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agency_code', sa.String(length=64), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('step', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('decision', sa.String(length=16), nullable=False),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['agency_code'], ['agency.code'], name=op.f('fk_approval_agency_code_agency')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_approval_person_id_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_approval'))
    )
    op.create_index(op.f('ix_approval_agency_code'), 'approval', ['agency_code'], unique=False)

    op.create_table('audit_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agency_code', sa.String(length=64), nullable=False),
    sa.Column('year', sa.Integer(), nullable=True),
    sa.Column('revision', sa.Integer(), nullable=True),
    sa.Column('target', sa.String(length=120), nullable=False),
    sa.Column('old_value', sa.Text(), nullable=True),
    sa.Column('new_value', sa.Text(), nullable=True),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['agency_code'], ['agency.code'], name=op.f('fk_audit_entry_agency_code_agency')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_audit_entry_person_id_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_entry'))
    )
    op.create_index(op.f('ix_audit_entry_agency_code'), 'audit_entry', ['agency_code'], unique=False)

    op.create_table('chat_binding',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('chat_id', sa.BigInteger(), nullable=False),
    sa.Column('bound_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_chat_binding_person_id_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_chat_binding')),
    sa.UniqueConstraint('chat_id', name=op.f('uq_chat_binding_chat_id'))
    )
    op.create_index(op.f('ix_chat_binding_person_id'), 'chat_binding', ['person_id'], unique=False)

    op.create_table('cycle_status',
    sa.Column('agency_code', sa.String(length=64), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('stage', sa.String(length=32), nullable=False),
    sa.Column('percent_complete', sa.Integer(), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=True),
    sa.Column('overdue', sa.Boolean(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['agency_code'], ['agency.code'], name=op.f('fk_cycle_status_agency_code_agency')),
    sa.PrimaryKeyConstraint('agency_code', 'year', name=op.f('pk_cycle_status'))
    )
    op.create_index(op.f('ix_cycle_status_stage'), 'cycle_status', ['stage'], unique=False)

    op.create_table('draft',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agency_code', sa.String(length=64), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('format', sa.String(length=8), nullable=False),
    sa.Column('document', sa.JSON(), nullable=False),
    sa.Column('stage', sa.String(length=32), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['agency_code'], ['agency.code'], name=op.f('fk_draft_agency_code_agency')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_draft')),
    sa.UniqueConstraint('agency_code', 'year', 'revision', name=op.f('uq_draft_agency_code_year_revision'))
    )
    op.create_index(op.f('ix_draft_agency_code'), 'draft', ['agency_code'], unique=False)

    op.create_table('finding',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agency_code', sa.String(length=64), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('rule_id', sa.String(length=120), nullable=False),
    sa.Column('severity', sa.String(length=16), nullable=False),
    sa.Column('cells', sa.JSON(), nullable=False),
    sa.Column('expected', sa.Text(), nullable=True),
    sa.Column('actual', sa.Text(), nullable=True),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('found_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['agency_code'], ['agency.code'], name=op.f('fk_finding_agency_code_agency')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_finding'))
    )
    op.create_index(op.f('ix_finding_agency_code'), 'finding', ['agency_code'], unique=False)

    op.create_table('invite',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('agency_code', sa.String(length=64), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('for_person_id', sa.Integer(), nullable=True),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('used_by', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['agency_code'], ['agency.code'], name=op.f('fk_invite_agency_code_agency')),
    sa.ForeignKeyConstraint(['created_by'], ['person.id'], name=op.f('fk_invite_created_by_person')),
    sa.ForeignKeyConstraint(['for_person_id'], ['person.id'], name=op.f('fk_invite_for_person_id_person')),
    sa.ForeignKeyConstraint(['used_by'], ['person.id'], name=op.f('fk_invite_used_by_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invite')),
    sa.UniqueConstraint('code_hash', name=op.f('uq_invite_code_hash'))
    )
    op.create_index(op.f('ix_invite_agency_code'), 'invite', ['agency_code'], unique=False)

    op.create_table('outbox',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('dedup_key', sa.String(length=200), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('chat_id', sa.BigInteger(), nullable=True),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('claimed_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_outbox_person_id_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox')),
    sa.UniqueConstraint('dedup_key', name=op.f('uq_outbox_dedup_key'))
    )
    op.create_index(op.f('ix_outbox_state'), 'outbox', ['state'], unique=False)

    op.create_table('publication',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agency_code', sa.String(length=64), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('target', sa.String(length=64), nullable=False),
    sa.Column('location', sa.Text(), nullable=False),
    sa.Column('files', sa.JSON(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['agency_code'], ['agency.code'], name=op.f('fk_publication_agency_code_agency')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_publication')),
    sa.UniqueConstraint('agency_code', 'year', 'revision', 'target', name=op.f('uq_publication_agency_code_year_revision_target'))
    )
    op.create_index(op.f('ix_publication_agency_code'), 'publication', ['agency_code'], unique=False)

    op.create_table('role',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('agency_code', sa.String(length=64), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('granted_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['agency_code'], ['agency.code'], name=op.f('fk_role_agency_code_agency')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_role_person_id_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_role')),
    sa.UniqueConstraint('person_id', 'agency_code', 'role', name=op.f('uq_role_person_id_agency_code_role'))
    )
    op.create_index(op.f('ix_role_agency_code'), 'role', ['agency_code'], unique=False)
    op.create_index(op.f('ix_role_person_id'), 'role', ['person_id'], unique=False)



def downgrade() -> None:
    op.drop_index(op.f('ix_role_person_id'), table_name='role')
    op.drop_index(op.f('ix_role_agency_code'), table_name='role')
    op.drop_table('role')
    op.drop_index(op.f('ix_publication_agency_code'), table_name='publication')
    op.drop_table('publication')
    op.drop_index(op.f('ix_outbox_state'), table_name='outbox')
    op.drop_table('outbox')
    op.drop_index(op.f('ix_invite_agency_code'), table_name='invite')
    op.drop_table('invite')
    op.drop_index(op.f('ix_finding_agency_code'), table_name='finding')
    op.drop_table('finding')
    op.drop_index(op.f('ix_draft_agency_code'), table_name='draft')
    op.drop_table('draft')
    op.drop_index(op.f('ix_cycle_status_stage'), table_name='cycle_status')
    op.drop_table('cycle_status')
    op.drop_index(op.f('ix_chat_binding_person_id'), table_name='chat_binding')
    op.drop_table('chat_binding')
    op.drop_index(op.f('ix_audit_entry_agency_code'), table_name='audit_entry')
    op.drop_table('audit_entry')
    op.drop_index(op.f('ix_approval_agency_code'), table_name='approval')
    op.drop_table('approval')
    op.drop_index(op.f('ix_acknowledgement_agency_code'), table_name='acknowledgement')
    op.drop_table('acknowledgement')
    op.drop_index(op.f('ix_person_name'), table_name='person')
    op.drop_table('person')
    op.drop_index(op.f('ix_agency_parent_code'), table_name='agency')
    op.drop_table('agency')

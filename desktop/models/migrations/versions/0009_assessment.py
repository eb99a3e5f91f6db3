# SPDX-License-Identifier: GPL-3.0-or-later
"""The annual assessment: assessments, rules, scorers, score sheets, scores, results

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06

Migration scripts use op.* and plain SQL only, never the ORM classes (they change later).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "assessment",
        sa.Column("branch_id", sa.Uuid(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("drop_extremes", sa.Boolean(), nullable=False),
        sa.Column("excellent_min", sa.Integer(), nullable=False),
        sa.Column("competent_min", sa.Integer(), nullable=False),
        sa.Column("basic_min", sa.Integer(), nullable=False),
        sa.Column("excellent_share", sa.Integer(), nullable=False),
        sa.Column("published_from", sa.Date(), nullable=True),
        sa.Column("published_until", sa.Date(), nullable=True),
        sa.Column("finalised_on", sa.Date(), nullable=True),
        sa.Column("reopen_reason", sa.Text(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["branch_id"], ["branch.id"], name=op.f("fk_assessment_branch_id_branch")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessment")),
    )
    with op.batch_alter_table("assessment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_assessment_branch_id"), ["branch_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_assessment_deleted"), ["deleted"], unique=False)

    op.create_table(
        "assessment_rule",
        sa.Column("assessment_id", sa.Uuid(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("maximum", sa.Integer(), nullable=False),
        sa.Column("weight", sa.Integer(), nullable=False),
        sa.Column("measure", sa.String(length=20), nullable=False),
        sa.Column("mapping", sa.Text(), nullable=False),
        sa.Column("change_reason", sa.Text(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessment.id"],
            name=op.f("fk_assessment_rule_assessment_id_assessment"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessment_rule")),
    )
    with op.batch_alter_table("assessment_rule", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_assessment_rule_assessment_id"), ["assessment_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_assessment_rule_deleted"), ["deleted"], unique=False)

    op.create_table(
        "score_sheet",
        sa.Column("assessment_id", sa.Uuid(), nullable=False),
        sa.Column("scorer_kind", sa.String(length=20), nullable=False),
        sa.Column("party_group_id", sa.Uuid(), nullable=True),
        sa.Column("villager_group_id", sa.Uuid(), nullable=True),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessment.id"],
            name=op.f("fk_score_sheet_assessment_id_assessment"),
        ),
        sa.ForeignKeyConstraint(
            ["party_group_id"],
            ["party_group.id"],
            name=op.f("fk_score_sheet_party_group_id_party_group"),
        ),
        sa.ForeignKeyConstraint(
            ["villager_group_id"],
            ["villager_group.id"],
            name=op.f("fk_score_sheet_villager_group_id_villager_group"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_score_sheet")),
    )
    with op.batch_alter_table("score_sheet", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_score_sheet_assessment_id"), ["assessment_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_score_sheet_deleted"), ["deleted"], unique=False)

    op.create_table(
        "assessment_result",
        sa.Column("assessment_id", sa.Uuid(), nullable=False),
        sa.Column("steward_id", sa.Uuid(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("grade", sa.String(length=20), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.Column("computed", sa.Text(), nullable=False),
        sa.Column("remarks", sa.Text(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessment.id"],
            name=op.f("fk_assessment_result_assessment_id_assessment"),
        ),
        sa.ForeignKeyConstraint(
            ["steward_id"], ["steward.id"], name=op.f("fk_assessment_result_steward_id_steward")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessment_result")),
    )
    with op.batch_alter_table("assessment_result", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_assessment_result_assessment_id"), ["assessment_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_assessment_result_deleted"), ["deleted"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_assessment_result_steward_id"), ["steward_id"], unique=False
        )

    op.create_table(
        "assessment_scorer",
        sa.Column("assessment_id", sa.Uuid(), nullable=False),
        sa.Column("scorer_kind", sa.String(length=20), nullable=False),
        sa.Column("party_group_id", sa.Uuid(), nullable=True),
        sa.Column("villager_group_id", sa.Uuid(), nullable=True),
        sa.Column("steward_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessment.id"],
            name=op.f("fk_assessment_scorer_assessment_id_assessment"),
        ),
        sa.ForeignKeyConstraint(
            ["party_group_id"],
            ["party_group.id"],
            name=op.f("fk_assessment_scorer_party_group_id_party_group"),
        ),
        sa.ForeignKeyConstraint(
            ["steward_id"], ["steward.id"], name=op.f("fk_assessment_scorer_steward_id_steward")
        ),
        sa.ForeignKeyConstraint(
            ["villager_group_id"],
            ["villager_group.id"],
            name=op.f("fk_assessment_scorer_villager_group_id_villager_group"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessment_scorer")),
    )
    with op.batch_alter_table("assessment_scorer", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_assessment_scorer_assessment_id"), ["assessment_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_assessment_scorer_deleted"), ["deleted"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_assessment_scorer_steward_id"), ["steward_id"], unique=False
        )

    op.create_table(
        "score",
        sa.Column("sheet_id", sa.Uuid(), nullable=False),
        sa.Column("steward_id", sa.Uuid(), nullable=False),
        sa.Column("rule_id", sa.Uuid(), nullable=False),
        sa.Column("value", sa.Integer(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["rule_id"], ["assessment_rule.id"], name=op.f("fk_score_rule_id_assessment_rule")
        ),
        sa.ForeignKeyConstraint(
            ["sheet_id"], ["score_sheet.id"], name=op.f("fk_score_sheet_id_score_sheet")
        ),
        sa.ForeignKeyConstraint(
            ["steward_id"], ["steward.id"], name=op.f("fk_score_steward_id_steward")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_score")),
    )
    with op.batch_alter_table("score", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_score_deleted"), ["deleted"], unique=False)
        batch_op.create_index(batch_op.f("ix_score_rule_id"), ["rule_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_score_sheet_id"), ["sheet_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_score_steward_id"), ["steward_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("score", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_score_steward_id"))
        batch_op.drop_index(batch_op.f("ix_score_sheet_id"))
        batch_op.drop_index(batch_op.f("ix_score_rule_id"))
        batch_op.drop_index(batch_op.f("ix_score_deleted"))

    op.drop_table("score")
    with op.batch_alter_table("assessment_scorer", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assessment_scorer_steward_id"))
        batch_op.drop_index(batch_op.f("ix_assessment_scorer_deleted"))
        batch_op.drop_index(batch_op.f("ix_assessment_scorer_assessment_id"))

    op.drop_table("assessment_scorer")
    with op.batch_alter_table("assessment_result", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assessment_result_steward_id"))
        batch_op.drop_index(batch_op.f("ix_assessment_result_deleted"))
        batch_op.drop_index(batch_op.f("ix_assessment_result_assessment_id"))

    op.drop_table("assessment_result")
    with op.batch_alter_table("score_sheet", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_score_sheet_deleted"))
        batch_op.drop_index(batch_op.f("ix_score_sheet_assessment_id"))

    op.drop_table("score_sheet")
    with op.batch_alter_table("assessment_rule", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assessment_rule_deleted"))
        batch_op.drop_index(batch_op.f("ix_assessment_rule_assessment_id"))

    op.drop_table("assessment_rule")
    with op.batch_alter_table("assessment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assessment_deleted"))
        batch_op.drop_index(batch_op.f("ix_assessment_branch_id"))

    op.drop_table("assessment")

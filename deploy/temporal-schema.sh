#!/bin/sh
# Creates Temporal's two databases on temporal-postgres and brings their schemas to the version the admin
# tools image ships (/etc/temporal/schema). Safe to run again: an existing database or schema-version table
# is left as it is, and update-schema applies only the versions not yet applied. Run by compose's
# temporal-schema service before the server starts, and again after changing NIANBAO_TEMPORAL_VERSION.
set -eu
tool="temporal-sql-tool --plugin postgres12 --ep temporal-postgres -p 5432 -u temporal"
schemas=/etc/temporal/schema/postgresql/v12
for db in temporal temporal_visibility; do
  $tool --db "$db" create 2>/dev/null || echo "database $db already exists"
  $tool --db "$db" setup-schema -v 0.0 2>/dev/null || echo "schema version table of $db already exists"
done
$tool --db temporal update-schema -d "$schemas/temporal/versioned"
$tool --db temporal_visibility update-schema -d "$schemas/visibility/versioned"
echo "Temporal schema is up to date"

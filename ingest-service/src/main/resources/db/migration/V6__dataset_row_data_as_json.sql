-- dataset_row.data holds the row as the JSON text the service wrote (ADR 0024): type json, not jsonb.
-- Nothing queries inside it (reads take data::text and parse it in the service; comparisons use
-- row_hash), and building jsonb's binary form was a quarter of the database's work in an upload.
-- Rewrites the table under an exclusive lock: on a large installation, a maintenance window
-- (docs/operations/README.md, "Upgrading"). Code of the release before keeps working: jsonb
-- values it inserts are cast to json on assignment.
alter table dataset_row alter column data type json using data::json;

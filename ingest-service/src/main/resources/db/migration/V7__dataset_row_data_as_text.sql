-- dataset_row.data becomes text (ADR 0026). The service writes each row's JSON itself (RowNormaliser,
-- ChangeService) and reads it back as text; json's check of every row's syntax on the way in was a
-- tenth of the database's work in an upload, and nothing in the database reads inside the value.
-- Rewrites the table under an exclusive lock (json to text is an I/O conversion), like V6: on a large
-- installation, a maintenance window (docs/operations/README.md, "Upgrade"). Code of the release
-- before keeps working: the json values it writes are assigned to text.
alter table dataset_row alter column data type text;

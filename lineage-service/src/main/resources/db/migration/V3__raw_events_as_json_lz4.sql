-- Cheaper writes for the two things every event stores in bulk (bench/lineage/README.md):
--
-- * The raw event is kept as `json`, the text as received, instead of `jsonb`. Nothing queries
--   inside it (it is only read back whole, GET /api/v1/events/lineage), so building the binary
--   form was pure cost: on 10,000 bench events of 5.5 KB, PostgreSQL took 63 µs an event to store
--   them as jsonb (pglz) and 17 µs as json (lz4). "Raw" now also means byte-for-byte what the
--   producer sent (modulo the service's canonical form), not jsonb's re-ordered keys.
-- * Facets, schema fields and job version inputs/outputs stay `jsonb` (they are merged, compared
--   and searched), compressed with lz4 instead of pglz when they outgrow a page's TOAST threshold:
--   several times faster to compress, about the same size on this data.
--
-- lz4 needs PostgreSQL 14 or later built --with-lz4 (Debian, the official images and the managed
-- services are); values stored before keep their pglz compression until rewritten.
alter table lineage_event alter column payload type json using payload::json;
alter table lineage_event alter column payload set compression lz4;

alter table lineage_job alter column facets set compression lz4;
alter table lineage_job_version alter column inputs set compression lz4;
alter table lineage_job_version alter column outputs set compression lz4;
alter table lineage_run alter column facets set compression lz4;
alter table lineage_dataset alter column fields set compression lz4;
alter table lineage_dataset alter column facets set compression lz4;
alter table lineage_dataset_version alter column fields set compression lz4;
alter table lineage_dataset_version alter column facets set compression lz4;
alter table lineage_run_io alter column facets set compression lz4;

-- dataset_row's two indexes lead with the dataset instead of the tenant (ADR 0022).
-- A dataset id is globally unique and every query of dataset_row names it, so tenant_id added
-- nothing to the keys but a text comparison at every step of every descent; row-level security
-- still filters on tenant_id. With time-ordered dataset ids (UUID version 7, new datasets only),
-- the first upload of a new dataset appends at the right edge of both indexes, where PostgreSQL's
-- B-tree skips the descent from the root for each row ("fastpath" insertion).
-- Uniqueness is unchanged: a dataset belongs to one tenant, so one current row per
-- (dataset_id, row_id) is one current row per (tenant_id, dataset_id, row_id).
drop index dataset_row_version;
drop index dataset_row_current;
create index dataset_row_version on dataset_row (dataset_id, row_id, valid_from);
create unique index dataset_row_current on dataset_row (dataset_id, row_id) where valid_to is null;

-- A commit that overrode the dataset's contract (issue #7: a plan that would break an error-severity
-- expectation needs an explicit override) is recorded on the plan: who, when, which contract version
-- and which expectations it was committed over. Until now only the commit's answer and its lineage
-- event carried it; GET /plans/{id} showed nothing afterwards.
alter table enrichment_plan
    add column override_by               text,
    add column override_at               timestamptz,
    add column override_contract         text,
    add column override_contract_version text,
    add column override_expectations     text[];

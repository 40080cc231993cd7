-- Enrichment and merge plans: proposed changes to one dataset version, reviewed per change and
-- committed at most once as a change set to ingest-service.
create table enrichment_plan (
    id                uuid primary key,
    tenant_id         text        not null,
    kind              text        not null check (kind in ('enrichment', 'merge')),
    dataset_id        uuid        not null,
    dataset_version   integer     not null check (dataset_version >= 0),
    fields            text[]      not null,
    sources           text[]      not null,
    status            text        not null check (status in ('running', 'ready', 'failed', 'committed')),
    rows_total        bigint,
    rows_done         bigint      not null default 0,
    changes_count     integer     not null default 0,
    revision          integer     not null default 0,
    committed_version integer,
    error_code        text,
    error_detail      text,
    rebased_from      uuid,
    created_at        timestamptz not null default now(),
    created_by        text        not null,
    updated_at        timestamptz not null default now()
);
create index enrichment_plan_tenant_created on enrichment_plan (tenant_id, created_at, id);
alter table enrichment_plan enable row level security;
alter table enrichment_plan force row level security;
create policy enrichment_plan_tenant on enrichment_plan
    using (tenant_id = current_setting('hotpass.tenant_id', true))
    with check (tenant_id = current_setting('hotpass.tenant_id', true));

-- One proposed change: a field value of a row (upsert) or a whole row (delete, merge plans).
create table plan_change (
    tenant_id  text         not null,
    plan_id    uuid         not null references enrichment_plan (id) on delete cascade,
    seq        integer      not null,
    row_id     text         not null,
    op         text         not null check (op in ('upsert', 'delete')),
    field      text,
    old_value  text,
    new_value  text,
    confidence numeric(4, 3) not null check (confidence >= 0 and confidence <= 1),
    evidence   jsonb        not null,
    decision   text         not null default 'pending' check (decision in ('pending', 'approved', 'rejected')),
    primary key (plan_id, seq)
);
create index plan_change_tenant_plan on plan_change (tenant_id, plan_id, seq);
alter table plan_change enable row level security;
alter table plan_change force row level security;
create policy plan_change_tenant on plan_change
    using (tenant_id = current_setting('hotpass.tenant_id', true))
    with check (tenant_id = current_setting('hotpass.tenant_id', true));

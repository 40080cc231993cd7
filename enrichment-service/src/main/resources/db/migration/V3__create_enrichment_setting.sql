-- Per-tenant enrichment settings: a tenant can switch network research (website crawling) off,
-- leaving plans to reference datasets only.
create table enrichment_setting (
    tenant_id        text primary key,
    network_research boolean     not null default true,
    updated_at       timestamptz not null default now(),
    updated_by       text        not null
);
alter table enrichment_setting enable row level security;
alter table enrichment_setting force row level security;
create policy enrichment_setting_tenant on enrichment_setting
    using (tenant_id = current_setting('hotpass.tenant_id', true))
    with check (tenant_id = current_setting('hotpass.tenant_id', true));

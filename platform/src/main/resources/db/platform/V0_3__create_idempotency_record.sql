-- Idempotency-Key records: the first response to a creating POST, replayed on retry.
create table idempotency_record (
    tenant_id    text        not null,
    scope        text        not null,
    idem_key     text        not null,
    request_hash text        not null,
    status       integer,
    content_type text,
    location     text,
    etag         text,
    body         text,
    created_at   timestamptz not null default now(),
    completed_at timestamptz,
    primary key (tenant_id, scope, idem_key)
);
alter table idempotency_record enable row level security;
alter table idempotency_record force row level security;
create policy idempotency_record_tenant on idempotency_record
    using (tenant_id = current_setting('hotpass.tenant_id', true))
    with check (tenant_id = current_setting('hotpass.tenant_id', true));

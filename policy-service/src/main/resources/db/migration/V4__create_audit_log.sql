-- The audit log: append-only, one hash chain per tenant. Each entry's hash is
-- SHA-256(previous hash || canonical JSON of the entry), so editing, deleting or reordering an
-- entry breaks every later link and GET /audit/verify names the first broken one.
create table audit_entry (
    tenant_id   text        not null,
    seq         bigint      not null,
    event_id    uuid        not null,
    occurred_at timestamptz not null,
    recorded_at timestamptz not null default now(),
    actor       text        not null,
    action      text        not null,
    resource    text,
    decision    text,
    reason      text,
    status      integer,
    method      text,
    path        text,
    trace_id    text,
    prev_hash   text        not null,
    hash        text        not null,
    primary key (tenant_id, seq),
    constraint audit_entry_event_unique unique (tenant_id, event_id)
);
create index audit_entry_time on audit_entry (tenant_id, occurred_at);

-- The head of each tenant's chain: appends lock it, so a chain never forks.
create table audit_chain_head (
    tenant_id text primary key,
    seq       bigint not null,
    hash      text   not null
);

-- Where the chain starts after retention removed older entries: the verified hash of the last
-- removed entry, so the remaining chain still verifies.
create table audit_checkpoint (
    tenant_id  text        not null,
    seq        bigint      not null,
    hash       text        not null,
    created_at timestamptz not null default now(),
    primary key (tenant_id, seq)
);

-- The application role may append and read, never change or delete (retention runs as a
-- function owned by the migrating owner).
revoke update, delete on audit_entry from ${app_role};

alter table audit_entry enable row level security;
alter table audit_entry force row level security;
create policy audit_entry_tenant on audit_entry
    using (tenant_id = current_setting('hotpass.tenant_id', true))
    with check (tenant_id = current_setting('hotpass.tenant_id', true));
alter table audit_chain_head enable row level security;
alter table audit_chain_head force row level security;
create policy audit_chain_head_tenant on audit_chain_head
    using (tenant_id = current_setting('hotpass.tenant_id', true))
    with check (tenant_id = current_setting('hotpass.tenant_id', true));
alter table audit_checkpoint enable row level security;
alter table audit_checkpoint force row level security;
create policy audit_checkpoint_tenant on audit_checkpoint
    using (tenant_id = current_setting('hotpass.tenant_id', true))
    with check (tenant_id = current_setting('hotpass.tenant_id', true));

-- Retention: remove a tenant's entries older than the cut-off, after recording a checkpoint with
-- the hash of the last removed entry. SECURITY DEFINER because the application role may not delete.
create function audit_apply_retention(p_tenant text, p_before timestamptz) returns integer
language plpgsql security definer set search_path = public as $$
declare
    last_seq  bigint;
    last_hash text;
    removed   integer;
begin
    select seq, hash into last_seq, last_hash from audit_entry
     where tenant_id = p_tenant and occurred_at < p_before order by seq desc limit 1;
    if last_seq is null then
        return 0;
    end if;
    insert into audit_checkpoint (tenant_id, seq, hash) values (p_tenant, last_seq, last_hash)
        on conflict do nothing;
    delete from audit_entry where tenant_id = p_tenant and seq <= last_seq;
    get diagnostics removed = row_count;
    return removed;
end;
$$;
revoke all on function audit_apply_retention(text, timestamptz) from public;
grant execute on function audit_apply_retention(text, timestamptz) to ${app_role};

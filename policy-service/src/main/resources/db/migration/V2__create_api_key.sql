-- Tenant API keys. A key is shown to its creator once, as hp_<key_id>_<secret>; only the SHA-256
-- of the secret is stored. The secret is 32 characters drawn uniformly from [A-Za-z0-9] (about
-- 190 bits of entropy), so it cannot be guessed or brute-forced from its hash; a slow, salted
-- password hash defends low-entropy secrets and would only make the gateway's verify path slow.
create table api_key (
    key_id        text        primary key check (key_id ~ '^[a-z0-9]{12}$'),
    tenant_id     text        not null references tenant (id),
    name          text        not null,
    secret_sha256 text        not null check (secret_sha256 ~ '^[0-9a-f]{64}$'),
    roles         text[]      not null default '{}',
    scopes        text[]      not null default '{}',
    created_by    text        not null,
    created_at    timestamptz not null default now(),
    expires_at    timestamptz,
    revoked_at    timestamptz,
    last_used_at  timestamptz
);
create index api_key_tenant_key on api_key (tenant_id, key_id);

alter table api_key enable row level security;
alter table api_key force row level security;
create policy api_key_tenant on api_key
    using (tenant_id = current_setting('hotpass.tenant_id', true))
    with check (tenant_id = current_setting('hotpass.tenant_id', true));

-- Verifying a key is the one read that must cross tenants: the gateway presents a key and learns
-- its tenant from the answer, so there is no tenant to set beforehand. Rather than give the
-- application role a way around row-level security, the lookup of exactly one key by its id runs
-- in this SECURITY DEFINER function, as the migrating owner. Because the table forces RLS even on
-- its owner (a managed database's owner is not a superuser), the owner gets a read-only policy of
-- its own; the application role has no such policy and can reach other tenants' keys only through
-- this function, one key id at a time, and never sees more than one row. search_path is pinned so
-- the function cannot be redirected to another schema's objects.
create policy api_key_owner_lookup on api_key for select to current_user using (true);

create function api_key_lookup(p_key_id text)
    returns table (key_id text, tenant_id text, secret_sha256 text, roles text[], scopes text[],
                   expires_at timestamptz, revoked_at timestamptz, last_used_at timestamptz,
                   tenant_status text)
    language sql stable security definer
    set search_path = public, pg_temp
as $$
    select k.key_id, k.tenant_id, k.secret_sha256, k.roles, k.scopes, k.expires_at, k.revoked_at,
           k.last_used_at, t.status
      from api_key k join tenant t on t.id = k.tenant_id
     where k.key_id = p_key_id
$$;
revoke all on function api_key_lookup(text) from public;
grant execute on function api_key_lookup(text) to ${app_role};

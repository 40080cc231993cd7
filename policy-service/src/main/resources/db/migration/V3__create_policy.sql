-- Authorization policy: jCasbin rules (RBAC with domains, deny-overrides) and the version counter
-- that tells every replica to reload. Policies are platform metadata evaluated for every tenant
-- (a domain of '*' applies in all of them), so these tables carry no row-level security; only
-- policy-service reads them and it never returns them to a tenant unfiltered.
--
--   ptype 'p': v0 subject or role, v1 domain (tenant or '*'), v2 action pattern,
--              v3 resource pattern, v4 effect ('allow' or 'deny')
--   ptype 'g': v0 subject, v1 role, v2 domain (tenant or '*')
create table policy_rule (
    id         bigserial   primary key,
    ptype      text        not null check (ptype in ('p', 'g')),
    v0         text        not null,
    v1         text        not null,
    v2         text        not null,
    v3         text        not null default '',
    v4         text        not null default '',
    created_at timestamptz not null default now(),
    constraint policy_rule_unique unique (ptype, v0, v1, v2, v3, v4)
);

-- One row per published version; the highest is current. A change inserts its rules and a new
-- version row in one transaction, so a replica that sees the version also sees the rules.
create table policy_version (
    version    bigint      primary key check (version > 0),
    created_at timestamptz not null default now(),
    created_by text        not null
);

-- Default roles, valid in every tenant ('*'). Patterns use '*' as "any characters"; a subject
-- never reaches another tenant's resources because the decision checks tenant/<x>/ first.
insert into policy_rule (ptype, v0, v1, v2, v3, v4) values
    ('p', 'tenant-admin',    '*', '*',              'tenant/*', 'allow'),
    ('p', 'steward',         '*', 'ingest:*',       'tenant/*', 'allow'),
    ('p', 'steward',         '*', 'contracts:*',    'tenant/*', 'allow'),
    ('p', 'steward',         '*', 'enrichment:*',   'tenant/*', 'allow'),
    ('p', 'steward',         '*', 'lineage:*',      'tenant/*', 'allow'),
    ('p', 'viewer',          '*', '*:read',         'tenant/*', 'allow'),
    ('p', 'viewer',          '*', '*:list',         'tenant/*', 'allow'),
    ('p', 'auditor',         '*', 'policy:audit:*', 'tenant/*', 'allow'),
    ('p', 'platform-admin',  '*', '*',              '*',        'allow'),
    ('p', 'hotpass-service', '*', '*',              '*',        'allow');
insert into policy_version (version, created_by) values (1, 'migration:V3__create_policy');

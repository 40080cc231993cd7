-- Web console sessions (docs/adr/0012-web-console.md). The browser holds only an opaque random id
-- in an HttpOnly cookie; this table keeps what it stands for, so a gateway restart or another
-- replica honours it. Only the SHA-256 of the id is stored: a copy of this table signs no one in.
create table console_session (
    id_hash        text        primary key,
    csrf_token     text        not null,
    subject        text        not null,
    tenant_id      text        not null,
    roles          text[]      not null,
    scopes         text[]      not null,
    auth_method    text        not null check (auth_method in ('api_key', 'oidc')),
    -- OIDC sign-ins keep Keycloak's tokens here, never in the browser.
    access_token   text,
    refresh_token  text,
    created_at     timestamptz not null default now(),
    last_seen_at   timestamptz not null default now(),
    expires_at     timestamptz not null
);
create index console_session_expiry on console_session (expires_at);

-- An OIDC authorization-code sign-in between the redirect to Keycloak and its callback: the
-- state and the PKCE verifier, so any replica can finish it. Short-lived.
create table console_login (
    state          text        primary key,
    code_verifier  text        not null,
    return_to      text        not null,
    created_at     timestamptz not null default now()
);

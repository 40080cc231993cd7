-- The name a person signed in with (Keycloak's `name`, else `preferred_username`), shown by the
-- console instead of the opaque subject. Display only: decisions use subject, tenant and roles.
alter table console_session add column display_name text;

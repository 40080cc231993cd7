-- Policy history: every version keeps the whole rule set it published, who published it and why,
-- so versions can be exported, diffed and audited long after policy_rule has moved on.
-- Versions published before this migration (only V3's version 1 in practice) get the rules in
-- force now when they are the current version; older ones stay without a recorded rule set.
alter table policy_version
    add column rules   jsonb,
    add column comment text;

update policy_version
   set rules = (select coalesce(jsonb_agg(jsonb_build_object(
                        'id', r.id, 'ptype', r.ptype, 'v0', r.v0, 'v1', r.v1, 'v2', r.v2, 'v3', r.v3, 'v4', r.v4)
                        order by r.id), '[]'::jsonb)
                  from policy_rule r)
 where version = (select max(version) from policy_version);

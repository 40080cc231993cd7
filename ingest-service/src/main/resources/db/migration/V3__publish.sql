-- Publishing: the version downstream consumers read by default, and who published each version when.
alter table dataset add column published_version integer;
alter table dataset_version
    add column published_at timestamptz,
    add column published_by text;

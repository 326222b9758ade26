--! Previous: sha1:02b839b0bdf33dc67d21c189ba9e1de3220479ad
--! Hash: sha1:a24a48f04e996fa529a90c63788fa18ef5b7e63a
--! Message: summaries: activity_gap and time_zone settings, projects, project rules, activities, day summaries

-- Incremental DDL only (tables, columns, indexes). Functions, triggers and views go in sql/.

-- Summaries (seed 000 Phase 3): two settings, projects and their rules, activities and day
-- summaries. Every number in them is computed by SQL from frames (sql/120-139).
alter table pgrecall.settings
  add column activity_gap interval,
  add column time_zone text,
  add constraint settings_activity_gap_check check (activity_gap > interval '0' and activity_gap <= interval '1 day'),
  add constraint settings_time_zone_check check (length(time_zone) between 1 and 100);
update pgrecall.settings set activity_gap = interval '5 minutes', time_zone = 'UTC' where deployment_id = '*';
alter table pgrecall.settings
  add constraint settings_default_row_summaries check (deployment_id <> '*' or (activity_gap is not null and time_zone is not null));
comment on column pgrecall.settings.activity_gap is
  'Summaries: consecutive frames at most this far apart are presence; a longer gap is time away and ends the activity (default 5 minutes).';
comment on column pgrecall.settings.time_zone is
  'Summaries: the IANA time zone (pg_timezone_names) whose local midnight starts a day of this deployment (default UTC).';

create table pgrecall.projects (
    id          bigint generated always as identity primary key,
    name        text not null,
    created_at  timestamptz not null default now(),
    constraint projects_name_check check (length(name) between 1 and 200),
    constraint projects_name_key unique (name)
);
comment on table pgrecall.projects is
  'What activities are about. An activity gets the project of the first rule (pgrecall.project_rules, by id) that matches it; pgrecall project add/list/remove.';

create table pgrecall.project_rules (
    id           bigint generated always as identity primary key,
    project_id   bigint not null references pgrecall.projects (id) on delete cascade,
    app_regex    text,
    title_regex  text,
    created_at   timestamptz not null default now(),
    constraint project_rules_something_check check (app_regex is not null or title_regex is not null),
    constraint project_rules_app_regex_check check (length(app_regex) between 1 and 500),
    constraint project_rules_title_regex_check check (length(title_regex) between 1 and 500)
);
comment on table pgrecall.project_rules is
  'An activity whose app matches app_regex and whose normalized window title matches title_regex (case-insensitive PostgreSQL regexes; a null one matches anything) belongs to project_id. The first matching rule by id wins.';
create index project_rules_project_id_idx on pgrecall.project_rules (project_id);

create table pgrecall.activities (
    id                     uuid primary key,
    deployment_id          text not null,
    day                    date not null,
    seq                    integer not null,
    app_name               text,
    window_title           text,
    started_at             timestamptz not null,
    ended_at               timestamptz not null,
    active_seconds         numeric not null,
    frame_count            integer not null,
    first_frame_id         uuid not null,
    last_frame_id          uuid not null,
    interrupts             uuid,
    project_id             bigint references pgrecall.projects (id) on delete set null,
    project_rule_id        bigint references pgrecall.project_rules (id) on delete set null,
    suggested_project_id   bigint references pgrecall.projects (id) on delete set null,
    suggestion_confidence  real,
    embedding              vector(384),
    embedding_model        text,
    constraint activities_seq_key unique (deployment_id, day, seq),
    constraint activities_times_check check (ended_at >= started_at),
    constraint activities_seconds_check check (active_seconds >= 0),
    constraint activities_suggestion_check check (suggestion_confidence between 0 and 1)
);
comment on table pgrecall.activities is
  'A maximal run of one deployment''s frames on one app and normalized window title, without a gap longer than activity_gap; short interruptions (< 30 s) do not split it. Written only by pgrecall.summarize_day; pgrecall.activity_frames(id) lists the frames behind it.';
create index activities_deployment_started_idx on pgrecall.activities (deployment_id, started_at);
create index activities_project_idx on pgrecall.activities (project_id) where project_id is not null;

create table pgrecall.day_summaries (
    deployment_id    text not null,
    day              date not null,
    time_zone        text not null,
    activity_gap     interval not null,
    day_start        timestamptz not null,
    day_end          timestamptz not null,
    active_seconds   numeric not null,
    away_seconds     numeric not null,
    frame_count      integer not null,
    activity_count   integer not null,
    first_seen       timestamptz,
    last_seen        timestamptz,
    by_app           jsonb not null,
    by_project       jsonb not null,
    unassigned_seconds numeric not null,
    focus_blocks     jsonb not null,
    top_titles       jsonb not null,
    away             jsonb not null,
    numbers_digest   text not null,
    computed_at      timestamptz not null default now(),
    summary          text,
    summary_template text,
    summary_model    text,
    summary_at       timestamptz,
    summary_message  text,
    primary key (deployment_id, day)
);
comment on table pgrecall.day_summaries is
  'One row per deployment and local day (settings.time_zone): totals, time per app and project, focus blocks, top titles, away periods, all computed by pgrecall.summarize_day from frames; summary is optional prose whose numbers are filled in by SQL.';

-- Readers see the summaries of their deployments only (policies in sql/139_summaries_roles.sql).
alter table pgrecall.activities enable row level security;
alter table pgrecall.day_summaries enable row level security;

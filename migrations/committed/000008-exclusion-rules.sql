--! Previous: sha1:55c6d8b32018525ca065334675849f73e37d5950
--! Hash: sha1:bd2c473db7b4ff2de510638271167f384b7e3e7d
--! Message: exclusion rules

-- Incremental DDL only (tables, columns, indexes). Functions, triggers and views go in sql/.

-- Exclusion rules: screens pgrecall must not keep (private browsing, password managers, or
-- whatever the user names). A frame that matches at insert keeps its time, deployment and
-- app, and nothing of what was on screen; its stages are skipped with the rule as the reason.
create table pgrecall.exclusions (
    id             bigint generated always as identity primary key,
    deployment_id  text,
    app_regex      text,
    title_regex    text,
    reason         text not null,
    builtin        boolean not null default false,
    created_at     timestamptz not null default now(),
    constraint exclusions_something_check check (app_regex is not null or title_regex is not null),
    constraint exclusions_app_regex_check check (length(app_regex) between 1 and 500),
    constraint exclusions_title_regex_check check (length(title_regex) between 1 and 500),
    constraint exclusions_reason_check check (length(reason) between 1 and 200)
);
comment on table pgrecall.exclusions is
  'Screens not to keep: a frame whose app matches app_regex and whose window title matches title_regex (case-insensitive PostgreSQL regexes; a null one matches anything), of deployment_id (null: every deployment), keeps nothing of what was on screen. Edit with SQL or pgrecall exclude.';
comment on column pgrecall.exclusions.builtin is 'Shipped with pgrecall (private browsing windows, password managers); may be removed like any other.';

insert into pgrecall.exclusions (app_regex, title_regex, reason, builtin) values
  (null, '(incognito|inprivate|private browsing|private window|\(private\)|— private)', 'private browsing window', true),
  ('^(1password|bitwarden|keepassxc|keepass|keepass2|lastpass|dashlane|enpass|keeper|proton ?pass|nordpass|roboform|passbolt|gnome-keyring|seahorse|keychain access|passwords)( |$|\.)',
   null, 'password manager', true);

alter table pgrecall.frames add column excluded_by text;
comment on column pgrecall.frames.excluded_by is
  'Set when an exclusion rule matched at insert (its reason and id): the frame keeps only its time, deployment and app; image, title and hashes were dropped and every stage skipped.';

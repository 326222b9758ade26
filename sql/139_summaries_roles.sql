-- Summaries and roles: a reader reads the summaries of its deployments (as it reads their
-- frames), a worker recomputes them, projects and their rules are the owner's to change.

----------------------------------------------------------------------------------- policies
drop policy if exists reader_select on pgrecall.activities;
create policy reader_select on pgrecall.activities for select to pgrecall_reader
  using (exists (select 1 from pgrecall.role_deployments d
                 where d.role = current_user and d.kind = 'read'
                   and (d.deployment_id is null or d.deployment_id = activities.deployment_id)));
drop policy if exists worker_all on pgrecall.activities;
create policy worker_all on pgrecall.activities for all to pgrecall_worker using (true) with check (true);
drop policy if exists reader_select on pgrecall.day_summaries;
create policy reader_select on pgrecall.day_summaries for select to pgrecall_reader
  using (exists (select 1 from pgrecall.role_deployments d
                 where d.role = current_user and d.kind = 'read'
                   and (d.deployment_id is null or d.deployment_id = day_summaries.deployment_id)));
drop policy if exists worker_all on pgrecall.day_summaries;
create policy worker_all on pgrecall.day_summaries for all to pgrecall_worker using (true) with check (true);

----------------------------------------------------------------------------------- grants
grant select on pgrecall.activities, pgrecall.day_summaries, pgrecall.projects, pgrecall.project_rules
  to pgrecall_reader, pgrecall_worker;
grant insert, update, delete on pgrecall.activities, pgrecall.day_summaries to pgrecall_worker;

----------------------------------------------------------------------------------- execute
-- Explicit, whatever sql/090 granted on an earlier apply: reading is for readers and
-- workers, recomputing for workers, projects and the queue for the owner.
revoke all on function
  pgrecall.normalize_title(text), pgrecall.summary_settings(text), pgrecall.day_bounds(text, date),
  pgrecall.local_day(text, timestamptz), pgrecall.frame_spans(text, date),
  pgrecall.day_timeline(text, date), pgrecall.project_for(text, text), pgrecall.add_project(text, text, text),
  pgrecall.remove_project(text), pgrecall.assign_projects(), pgrecall._refresh_by_project(text, date),
  pgrecall.suggest_projects(text, date), pgrecall.summarize_day(text, date), pgrecall.day(text, date),
  pgrecall.activity_frames(uuid), pgrecall.activity_summary(timestamptz, timestamptz, text, text),
  pgrecall._queue_summaries(text[], date[], interval), pgrecall._days_of_frames(text, timestamptz[]),
  pgrecall.tg_frames__summaries(), pgrecall.tg_settings__check_time_zone(), pgrecall.days_changed(text, timestamptz, timestamptz),
  pgrecall.format_seconds(numeric), pgrecall.day_prose_facts(text, date), pgrecall.check_prose_template(text, jsonb),
  pgrecall.set_day_prose(text, date, text, text, text), pgrecall.day_prose_failed(text, date, text),
  pgrecall.queue_days_due_prose(), pgrecall.day_wants_prose(text, date)
  from public, pgrecall_capture, pgrecall_reader, pgrecall_worker;
grant execute on function
  pgrecall.normalize_title(text), pgrecall.summary_settings(text), pgrecall.day_bounds(text, date),
  pgrecall.local_day(text, timestamptz), pgrecall.frame_spans(text, date),
  pgrecall.day_timeline(text, date), pgrecall.project_for(text, text), pgrecall.day(text, date),
  pgrecall.activity_frames(uuid), pgrecall.activity_summary(timestamptz, timestamptz, text, text),
  pgrecall.format_seconds(numeric), pgrecall.day_prose_facts(text, date), pgrecall.check_prose_template(text, jsonb)
  to pgrecall_reader, pgrecall_worker;
grant execute on function
  pgrecall.summarize_day(text, date), pgrecall.suggest_projects(text, date), pgrecall.days_changed(text, timestamptz, timestamptz),
  pgrecall.set_day_prose(text, date, text, text, text), pgrecall.day_prose_failed(text, date, text),
  pgrecall.queue_days_due_prose(), pgrecall.day_wants_prose(text, date)
  to pgrecall_worker;

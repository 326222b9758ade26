-- Bit arithmetic on perceptual hashes. language sql + immutable so the planner inlines them.

create or replace function pgrecall.hamming(a bigint, b bigint)
returns integer
language sql immutable strict parallel safe
as $$ select bit_count((a # b)::bit(64))::integer $$;
comment on function pgrecall.hamming(bigint, bigint) is 'Number of differing bits between two 64-bit hashes.';

create or replace function pgrecall.phash_prefix(p_phash bigint)
returns smallint
language sql immutable strict parallel safe
as $$ select (p_phash >> 48)::smallint $$;
comment on function pgrecall.phash_prefix(bigint) is 'Top 16 bits of a phash, signed (seed 000 phash_prefix).';

create or replace function pgrecall.tiles_changed(a bigint[], b bigint[], bit_threshold integer)
returns integer
language sql immutable strict parallel safe
as $$
  select count(*)::integer
  from unnest(a, b) as t(x, y)
  where x is distinct from y
    and (x is null or y is null or bit_count((x # y)::bit(64)) > bit_threshold)
$$;
comment on function pgrecall.tiles_changed(bigint[], bigint[], integer) is
  'How many tiles of two tile-hash grids differ in more than bit_threshold bits. Grids of different sizes count the missing tiles as changed.';

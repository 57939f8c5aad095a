/**
 * The event store's tables, as versioned migrations. Never edit a migration that has shipped: add the
 * next one. The SQL text takes the schema already quoted (see `connection.ts`).
 */
import type { QuotedSchema } from './connection.ts'
import type { Migration } from './migrations.ts'
import { EVENT_ID_ALREADY_STORED, EVENT_IS_IMMUTABLE, WRONG_EXPECTED_VERSION } from './errors.ts'

/** Advisory-lock class for appends; the second key is the stream id's hash. */
export const STREAM_LOCK_CLASS = 0x5043_0002

/** The channel the insert trigger notifies: one per schema, so two stores in one database stay apart. */
export const notificationChannel = (schemaName: string): string => `${schemaName}.events`

/**
 * Set for its transaction by an append function whose caller wakes the subscribers itself, after the
 * commit (`p_caller_notifies`): the insert trigger then does not notify (see migration 2).
 */
const CALLER_NOTIFIES_SETTING = 'policy_credit.caller_notifies_after_commit'

/**
 * PL/pgSQL that refuses an append whose expected version the stream (`streamId`, at `current`, NULL
 * when it has no event) does not satisfy: PC002 when one of the events' ids is already stored (the
 * store then plans the append: maybe an idempotent repeat), else PC001 with the actual version as
 * JSON detail (errors.ts). Declares nothing: the function declares `v_stored text`.
 */
const refuseExpectedVersion = (schema: QuotedSchema, streamId: string, current: string): string => `
          SELECT stored.event_id INTO v_stored FROM ${schema}.events AS stored WHERE stored.event_id = ANY(p_event_ids) LIMIT 1;
          IF FOUND THEN
            RAISE EXCEPTION USING ERRCODE = '${EVENT_ID_ALREADY_STORED}', MESSAGE = format('event id %s is already stored', v_stored);
          END IF;
          RAISE EXCEPTION USING ERRCODE = '${WRONG_EXPECTED_VERSION}',
            MESSAGE = format('stream %s is at version %s', ${streamId}, coalesce(${current}, 0)),
            DETAIL = json_build_object('streamId', ${streamId}, 'actual', ${current}::text)::text;`

export const eventStoreMigrations: ReadonlyArray<Migration> = [
  {
    version: 1,
    description: 'events table ordered by (transaction id, sequence), immutable, with the append function',
    sql: (schema) => `
      CREATE TABLE ${schema}.events (
        -- The writing transaction: readers only pass rows whose transaction is older than every
        -- transaction still running, so an event that commits late is never skipped (docs/postgres.md).
        transaction_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
        sequence bigint NOT NULL GENERATED ALWAYS AS IDENTITY,
        stream_id text NOT NULL,
        version bigint NOT NULL CHECK (version > 0),
        event_id text NOT NULL,
        type text NOT NULL CHECK (type <> ''),
        -- json, not jsonb: the text is kept as written (canonical, keys sorted), byte for byte.
        data json NOT NULL,
        metadata json NOT NULL,
        recorded_at timestamptz NOT NULL,
        PRIMARY KEY (stream_id, version),
        CONSTRAINT events_event_id_key UNIQUE (event_id)
      );
      CREATE UNIQUE INDEX events_position ON ${schema}.events (transaction_id, sequence);

      CREATE FUNCTION ${schema}.refuse_event_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION USING ERRCODE = '${EVENT_IS_IMMUTABLE}',
          MESSAGE = format('events are immutable: %s on %I.%I refused', TG_OP, TG_TABLE_SCHEMA, TG_TABLE_NAME);
      END $$;
      CREATE TRIGGER events_are_immutable BEFORE UPDATE OR DELETE ON ${schema}.events
        FOR EACH ROW EXECUTE FUNCTION ${schema}.refuse_event_change();
      CREATE TRIGGER events_are_not_truncated BEFORE TRUNCATE ON ${schema}.events
        FOR EACH STATEMENT EXECUTE FUNCTION ${schema}.refuse_event_change();

      -- Wakes live subscribers; NOTIFY folds identical notifications of one transaction into one.
      CREATE FUNCTION ${schema}.notify_events_appended() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify(format('%s.events', TG_TABLE_SCHEMA), '');
        RETURN NULL;
      END $$;
      CREATE TRIGGER events_appended AFTER INSERT ON ${schema}.events
        FOR EACH STATEMENT EXECUTE FUNCTION ${schema}.notify_events_appended();

      -- Appends to one or more distinct streams in one round trip, set-based: the fast path of every
      -- append. Event k belongs to stream p_event_streams[k] (an index into p_stream_ids), and the
      -- events of a stream come in their order. A refusal raises, so nothing of the call is written;
      -- its JSON DETAIL is read by errors.ts. When an event id is already stored it raises too, and
      -- the store plans the append in TypeScript (planAppend: an idempotent repeat or a duplicate).
      CREATE FUNCTION ${schema}.append_events(
        p_stream_ids text[], p_expected_kinds text[], p_expected_versions bigint[], p_event_streams integer[],
        p_event_ids text[], p_types text[], p_data text[], p_metadata text[],
        p_recorded_at timestamptz, p_check_event_ids boolean)
      RETURNS TABLE (o_last_version bigint, o_transaction_id xid8, o_last_sequence bigint)
      LANGUAGE plpgsql
      -- Plans made while the table was empty (a new store about to bulk-load) would scan it whole for
      -- ever after; planning each call with the table's current size keeps the index lookups.
      SET plan_cache_mode = force_custom_plan
      AS $$
      #variable_conflict use_column
      DECLARE
        v_stored text;
        v_refused record;
      BEGIN
        -- One lock per stream, taken in hash order so that two multi-stream appends cannot deadlock.
        PERFORM pg_advisory_xact_lock(${STREAM_LOCK_CLASS}, hashtext(d.stream_id))
          FROM (SELECT DISTINCT u.stream_id FROM unnest(p_stream_ids) AS u(stream_id)) AS d
          ORDER BY hashtext(d.stream_id);

        IF p_check_event_ids THEN
          SELECT stored.event_id INTO v_stored FROM ${schema}.events AS stored WHERE stored.event_id = ANY(p_event_ids) LIMIT 1;
          IF FOUND THEN
            RAISE EXCEPTION USING ERRCODE = '${EVENT_ID_ALREADY_STORED}',
              MESSAGE = format('event id %s is already stored', v_stored);
          END IF;
        END IF;

        -- The rule of satisfiesExpectedVersion (@policy-credit/event-store); the conformance suite holds both to it.
        SELECT r.stream_id, v.current INTO v_refused
          FROM unnest(p_stream_ids, p_expected_kinds, p_expected_versions) WITH ORDINALITY AS r(stream_id, kind, expected, stream_index)
          CROSS JOIN LATERAL (SELECT max(e.version) AS current FROM ${schema}.events AS e WHERE e.stream_id = r.stream_id) AS v
         WHERE (r.kind = 'NoStream' AND v.current IS NOT NULL)
            OR (r.kind = 'StreamExists' AND v.current IS NULL)
            OR (r.kind = 'Exactly' AND coalesce(v.current, 0) <> r.expected)
         ORDER BY r.stream_index
         LIMIT 1;
        IF FOUND THEN
          RAISE EXCEPTION USING ERRCODE = '${WRONG_EXPECTED_VERSION}',
            MESSAGE = format('stream %s is at version %s', v_refused.stream_id, coalesce(v_refused.current, 0)),
            DETAIL = json_build_object('streamId', v_refused.stream_id, 'actual', v_refused.current::text)::text;
        END IF;

        RETURN QUERY
        WITH streams AS (
          SELECT r.stream_index, r.stream_id,
                 coalesce((SELECT max(e.version) FROM ${schema}.events AS e WHERE e.stream_id = r.stream_id), 0) AS current
            FROM unnest(p_stream_ids) WITH ORDINALITY AS r(stream_id, stream_index)),
        incoming AS (
          SELECT n.*, row_number() OVER (PARTITION BY n.stream_index ORDER BY n.ordinal) AS rank
            FROM unnest(p_event_streams, p_event_ids, p_types, p_data, p_metadata)
                 WITH ORDINALITY AS n(stream_index, event_id, type, data, metadata, ordinal)),
        inserted AS (
          INSERT INTO ${schema}.events (stream_id, version, event_id, type, data, metadata, recorded_at)
          SELECT s.stream_id, s.current + i.rank, i.event_id, i.type, i.data::json, i.metadata::json, p_recorded_at
            FROM incoming AS i JOIN streams AS s ON s.stream_index = i.stream_index
           ORDER BY i.ordinal
          RETURNING stream_id, version, sequence)
        SELECT max(inserted.version), pg_current_xact_id(), max(inserted.sequence)
          FROM streams JOIN inserted ON inserted.stream_id = streams.stream_id
         GROUP BY streams.stream_index
         ORDER BY streams.stream_index;
      END $$;
    `,
  },
  {
    version: 2,
    description: 'appends notify after their commit; append_to_stream for one stream without a lock; data and metadata as JSON arrays; event ids checked by the unique index',
    sql: (schema) => `
      -- A NOTIFY takes a lock for the whole database and holds it through the commit, so concurrent
      -- appends that notify commit one after another instead of sharing a WAL flush. A caller of the
      -- append functions may promise to notify after its commit instead (the store does); every other
      -- insert still notifies here, so a live subscriber is woken whoever writes.
      CREATE OR REPLACE FUNCTION ${schema}.notify_events_appended() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF current_setting('${CALLER_NOTIFIES_SETTING}', true) IS DISTINCT FROM 'on' THEN
          PERFORM pg_notify(format('%s.events', TG_TABLE_SCHEMA), '');
        END IF;
        RETURN NULL;
      END $$;

      -- Both functions take data and metadata as JSON arrays of the events' texts: json_array_elements
      -- returns each element's text as written, and the caller joins texts it has, where a text[]
      -- parameter had the driver escape every quote of every document (a tenth of an append's time).
      -- Neither looks event ids up before writing: the unique index on event_id refuses a stored
      -- one (23505), and the store then plans the append (an idempotent repeat or a duplicate). A
      -- refusal of the expected version raises PC002 instead of PC001 when an event id is stored,
      -- for the same reason.
      DROP FUNCTION ${schema}.append_events(text[], text[], bigint[], integer[], text[], text[], text[], text[], timestamptz, boolean);

      -- Appends to one or more distinct streams in one statement, locking each stream; see migration 1.
      CREATE FUNCTION ${schema}.append_events(
        p_stream_ids text[], p_expected_kinds text[], p_expected_versions bigint[], p_event_streams integer[],
        p_event_ids text[], p_types text[], p_data json, p_metadata json,
        p_recorded_at timestamptz, p_caller_notifies boolean DEFAULT false)
      RETURNS TABLE (o_last_version bigint, o_transaction_id xid8, o_last_sequence bigint)
      LANGUAGE plpgsql
      SET plan_cache_mode = force_custom_plan
      AS $$
      #variable_conflict use_column
      DECLARE
        v_current bigint[];
        v_refused record;
        v_stored text;
      BEGIN
        PERFORM pg_advisory_xact_lock(${STREAM_LOCK_CLASS}, hashtext(d.stream_id))
          FROM (SELECT DISTINCT u.stream_id FROM unnest(p_stream_ids) AS u(stream_id)) AS d
          ORDER BY hashtext(d.stream_id);

        -- Read once: the locks keep the versions (a writer without the lock fails on the primary key).
        SELECT array_agg(v.current ORDER BY r.stream_index) INTO v_current
          FROM unnest(p_stream_ids) WITH ORDINALITY AS r(stream_id, stream_index)
          CROSS JOIN LATERAL (SELECT max(e.version) AS current FROM ${schema}.events AS e WHERE e.stream_id = r.stream_id) AS v;

        SELECT r.stream_id, r.current INTO v_refused
          FROM unnest(p_stream_ids, p_expected_kinds, p_expected_versions, v_current) WITH ORDINALITY
               AS r(stream_id, kind, expected, current, stream_index)
         WHERE (r.kind = 'NoStream' AND r.current IS NOT NULL)
            OR (r.kind = 'StreamExists' AND r.current IS NULL)
            OR (r.kind = 'Exactly' AND coalesce(r.current, 0) <> r.expected)
         ORDER BY r.stream_index
         LIMIT 1;
        IF FOUND THEN${refuseExpectedVersion(schema, 'v_refused.stream_id', 'v_refused.current')}
        END IF;
        IF p_caller_notifies THEN
          PERFORM set_config('${CALLER_NOTIFIES_SETTING}', 'on', true);
        END IF;

        RETURN QUERY
        WITH streams AS (
          SELECT * FROM unnest(p_stream_ids, v_current) WITH ORDINALITY AS s(stream_id, current, stream_index)),
        incoming AS (
          SELECT n.*, row_number() OVER (PARTITION BY n.stream_index ORDER BY n.ordinal) AS rank
            FROM ROWS FROM (unnest(p_event_streams), unnest(p_event_ids), unnest(p_types), json_array_elements(p_data), json_array_elements(p_metadata))
                 WITH ORDINALITY AS n(stream_index, event_id, type, data, metadata, ordinal)),
        inserted AS (
          INSERT INTO ${schema}.events (stream_id, version, event_id, type, data, metadata, recorded_at)
          SELECT s.stream_id, coalesce(s.current, 0) + i.rank, i.event_id, i.type, i.data, i.metadata, p_recorded_at
            FROM incoming AS i JOIN streams AS s ON s.stream_index = i.stream_index
           ORDER BY i.ordinal
          RETURNING stream_id, version, sequence)
        SELECT max(inserted.version), pg_current_xact_id(), max(inserted.sequence)
          FROM streams JOIN inserted ON inserted.stream_id = streams.stream_id
         GROUP BY streams.stream_index
         ORDER BY streams.stream_index;
      END $$;

      -- The append of one stream, the shape of appendToStream, in one statement that takes no lock.
      -- The primary key (stream_id, version) is the check that matters under concurrency: a writer
      -- that read the same version as another inserts the same first version and fails with 23505
      -- once the other commits; the store then plans the append in a locked transaction. The version
      -- read here only words the refusal. Plans are cached (no force_custom_plan, unlike
      -- append_events): each statement looks the primary key up by equality or inserts, a plan that
      -- does not depend on the table's size, and planning each call cost a third of the function's time.
      CREATE FUNCTION ${schema}.append_to_stream(
        p_stream_id text, p_expected_kind text, p_expected_version bigint,
        p_event_ids text[], p_types text[], p_data json, p_metadata json,
        p_recorded_at timestamptz, p_caller_notifies boolean DEFAULT false)
      RETURNS TABLE (o_last_version bigint, o_transaction_id xid8, o_last_sequence bigint)
      LANGUAGE plpgsql
      AS $$
      #variable_conflict use_column
      DECLARE
        v_current bigint;
        v_stored text;
      BEGIN
        SELECT max(e.version) INTO v_current FROM ${schema}.events AS e WHERE e.stream_id = p_stream_id;
        IF (p_expected_kind = 'NoStream' AND v_current IS NOT NULL)
           OR (p_expected_kind = 'StreamExists' AND v_current IS NULL)
           OR (p_expected_kind = 'Exactly' AND coalesce(v_current, 0) <> p_expected_version) THEN${refuseExpectedVersion(schema, 'p_stream_id', 'v_current')}
        END IF;
        IF p_caller_notifies THEN
          PERFORM set_config('${CALLER_NOTIFIES_SETTING}', 'on', true);
        END IF;

        RETURN QUERY
        WITH inserted AS (
          INSERT INTO ${schema}.events (stream_id, version, event_id, type, data, metadata, recorded_at)
          SELECT p_stream_id, coalesce(v_current, 0) + n.ordinal, n.event_id, n.type, n.data, n.metadata, p_recorded_at
            FROM ROWS FROM (unnest(p_event_ids), unnest(p_types), json_array_elements(p_data), json_array_elements(p_metadata))
                 WITH ORDINALITY AS n(event_id, type, data, metadata, ordinal)
           ORDER BY n.ordinal
          RETURNING version, sequence)
        SELECT max(inserted.version), pg_current_xact_id(), max(inserted.sequence) FROM inserted;
      END $$;
    `,
  },
]
